-- The inventory sync: each level it looks after, and whether a shop's locations take stock from the back office.
ALTER TABLE "ShopSettings" ADD COLUMN "syncInventory" BOOLEAN NOT NULL DEFAULT false;

UPDATE "ShopSettings" s SET "syncInventory" = true
 WHERE EXISTS (SELECT 1 FROM "ShopifyLocation" l
                WHERE l."shopId" = s."shopId" AND l."stockCalculation" = 'back_office' AND l."deletedAt" IS NULL);

CREATE TABLE "InventoryLevel" (
    "shopId" UUID NOT NULL,
    "inventoryItemId" BIGINT NOT NULL,
    "locationId" BIGINT NOT NULL,
    "itemNo" TEXT NOT NULL,
    "variantCode" TEXT NOT NULL DEFAULT '',
    "target" INTEGER,
    "targetParts" JSONB,
    "shopifyOnHand" INTEGER,
    "shopifyAvailable" INTEGER,
    "shopifyCommitted" INTEGER,
    "shopifyReadAt" TIMESTAMPTZ(3),
    "missing" BOOLEAN NOT NULL DEFAULT false,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "message" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "sentQuantity" INTEGER,
    "sentAt" TIMESTAMPTZ(3),
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "InventoryLevel_pkey" PRIMARY KEY ("shopId","inventoryItemId","locationId")
);

CREATE INDEX "InventoryLevel_shopId_state_idx" ON "InventoryLevel"("shopId", "state");
CREATE INDEX "InventoryLevel_shopId_itemNo_idx" ON "InventoryLevel"("shopId", "itemNo");

ALTER TABLE "InventoryLevel" ADD CONSTRAINT "InventoryLevel_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;
