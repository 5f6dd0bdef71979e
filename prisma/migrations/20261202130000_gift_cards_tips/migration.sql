-- Gift cards sold and tips: the non-stock items the shop books them to, items that are not
-- stock, and tip lines told apart by Shopify's sales agreements.
ALTER TABLE "ShopSettings" ADD COLUMN "giftCardItemNo" TEXT;
ALTER TABLE "ShopSettings" ADD COLUMN "tipItemNo" TEXT;
ALTER TABLE "BoItem" ADD COLUMN "type" TEXT NOT NULL DEFAULT 'inventory';
ALTER TABLE "ShopifyOrderLine" ADD COLUMN "isTip" BOOLEAN NOT NULL DEFAULT false;
