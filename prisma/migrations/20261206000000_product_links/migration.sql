-- The products sync (issue 13): the Shopify products it knows, and each variant's link with its
-- inventory item, how it was made, and the price last sent.
CREATE TABLE "ShopifyProduct" (
    "shopId" UUID NOT NULL,
    "shopifyId" BIGINT NOT NULL,
    "title" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "itemNo" TEXT,
    "shopifyUpdatedAt" TIMESTAMPTZ(3),
    "ownWriteAt" TIMESTAMPTZ(3),
    "deletedAt" TIMESTAMPTZ(3),
    "importState" TEXT,
    "importMessage" TEXT,
    "importAttempts" INTEGER NOT NULL DEFAULT 0,
    "importedAt" TIMESTAMPTZ(3),
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "ShopifyProduct_pkey" PRIMARY KEY ("shopId", "shopifyId"),
    CONSTRAINT "ShopifyProduct_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "ShopifyProduct_shopId_itemNo_idx" ON "ShopifyProduct"("shopId", "itemNo");
CREATE INDEX "ShopifyProduct_shopId_importState_idx" ON "ShopifyProduct"("shopId", "importState");

ALTER TABLE "ShopifyVariantMap"
    ADD COLUMN "inventoryItemShopifyId" BIGINT,
    ADD COLUMN "linkedBy" TEXT NOT NULL DEFAULT 'order',
    ADD COLUMN "sentPriceHash" TEXT,
    ADD COLUMN "priceMessage" TEXT;
CREATE INDEX "ShopifyVariantMap_shopId_productShopifyId_idx" ON "ShopifyVariantMap"("shopId", "productShopifyId");

-- The back office's doorbell: every statement that writes changes to the feed tells the
-- listeners (the worker processes) which shops and entities changed, at commit. An export that
-- follows the entity queues one run for the shop; the schedule reconciles what a listener missed.
CREATE FUNCTION bos_notify_backoffice_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('bos_backoffice_change', json_build_object('shopId', c."shopId", 'entity', c.entity)::text)
     FROM (SELECT DISTINCT "shopId", entity FROM new_changes) c;
  RETURN NULL;
END $$;

CREATE TRIGGER "BoChange_notify" AFTER INSERT ON "BoChange"
    REFERENCING NEW TABLE AS new_changes
    FOR EACH STATEMENT EXECUTE FUNCTION bos_notify_backoffice_change();
