-- How processing found each order's back-office customer, for the orders list.
ALTER TABLE "ShopifyOrder" ADD COLUMN "customerFoundBy" TEXT;
