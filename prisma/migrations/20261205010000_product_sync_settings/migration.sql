-- The shop card's settings of the products sync (off for every shop until the merchant
-- chooses a direction).
ALTER TABLE "ShopSettings"
  ADD COLUMN "syncItems" TEXT NOT NULL DEFAULT 'off',
  ADD COLUMN "createdProductStatus" TEXT NOT NULL DEFAULT 'ACTIVE',
  ADD COLUMN "blockedItemAction" TEXT NOT NULL DEFAULT 'draft',
  ADD COLUMN "syncPrices" BOOLEAN NOT NULL DEFAULT true,
  ADD COLUMN "priceGroup" TEXT,
  ADD COLUMN "discountGroup" TEXT,
  ADD COLUMN "pricesIncludingTax" BOOLEAN NOT NULL DEFAULT false,
  ADD COLUMN "trackInventory" BOOLEAN NOT NULL DEFAULT true,
  ADD COLUMN "inventoryPolicy" TEXT NOT NULL DEFAULT 'DENY',
  ADD COLUMN "itemTemplateNo" TEXT,
  ADD COLUMN "updateItemsFromShopify" BOOLEAN NOT NULL DEFAULT false;
