-- The export set a product's status because its item was blocked or removed: unblocking gives
-- it the created status again; a status the merchant chose in Shopify is left alone.
ALTER TABLE "ShopifyProduct" ADD COLUMN "statusByBlock" BOOLEAN NOT NULL DEFAULT false;
