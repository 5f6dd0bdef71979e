-- The Shopify location each order line is fulfilled from (its fulfillment order's assigned
-- location), for the back-office location order processing puts on its sales line.
ALTER TABLE "ShopifyOrderLine" ADD COLUMN "locationShopifyId" BIGINT;
