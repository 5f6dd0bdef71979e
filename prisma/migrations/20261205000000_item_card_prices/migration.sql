-- The item card as a merchant's catalog needs it (for the products sync): marketing text,
-- vendor, product type, tags, unit cost, weight, sales-blocked, whether its prices include tax
-- and its tax rate, and up to three options whose values its variants carry; customer price
-- groups with sales prices per item or variant, customer discount groups with line discounts.
ALTER TABLE "BoItem"
  ADD COLUMN "salesBlocked" BOOLEAN NOT NULL DEFAULT false,
  ADD COLUMN "descriptionHtml" TEXT,
  ADD COLUMN "vendor" TEXT,
  ADD COLUMN "productType" TEXT,
  ADD COLUMN "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
  ADD COLUMN "unitCost" DECIMAL(18,4) NOT NULL DEFAULT 0,
  ADD COLUMN "weight" DECIMAL(18,4),
  ADD COLUMN "weightUnit" TEXT NOT NULL DEFAULT 'KILOGRAMS',
  ADD COLUMN "priceIncludesTax" BOOLEAN NOT NULL DEFAULT false,
  ADD COLUMN "taxRatePct" DECIMAL(9,4) NOT NULL DEFAULT 0,
  ADD COLUMN "option1Name" TEXT,
  ADD COLUMN "option2Name" TEXT,
  ADD COLUMN "option3Name" TEXT;

ALTER TABLE "BoItemVariant"
  ADD COLUMN "option1" TEXT,
  ADD COLUMN "option2" TEXT,
  ADD COLUMN "option3" TEXT;

CREATE TABLE "BoCustomerPriceGroup" (
    "shopId" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "pricesIncludingTax" BOOLEAN NOT NULL DEFAULT false,
    "allowLineDiscount" BOOLEAN NOT NULL DEFAULT true,
    CONSTRAINT "BoCustomerPriceGroup_pkey" PRIMARY KEY ("shopId", "code"),
    CONSTRAINT "BoCustomerPriceGroup_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE "BoSalesPrice" (
    "shopId" UUID NOT NULL,
    "itemNo" TEXT NOT NULL,
    "variantCode" TEXT NOT NULL DEFAULT '',
    "priceGroup" TEXT NOT NULL DEFAULT '',
    "currencyCode" TEXT NOT NULL DEFAULT '',
    "unitPrice" DECIMAL(18,4) NOT NULL,
    CONSTRAINT "BoSalesPrice_pkey" PRIMARY KEY ("shopId", "itemNo", "variantCode", "priceGroup", "currencyCode"),
    CONSTRAINT "BoSalesPrice_shopId_itemNo_fkey" FOREIGN KEY ("shopId", "itemNo") REFERENCES "BoItem"("shopId", "no") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "BoSalesPrice_shopId_priceGroup_idx" ON "BoSalesPrice"("shopId", "priceGroup");

CREATE TABLE "BoCustomerDiscountGroup" (
    "shopId" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    CONSTRAINT "BoCustomerDiscountGroup_pkey" PRIMARY KEY ("shopId", "code"),
    CONSTRAINT "BoCustomerDiscountGroup_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE "BoLineDiscount" (
    "shopId" UUID NOT NULL,
    "discountGroup" TEXT NOT NULL,
    "itemNo" TEXT NOT NULL DEFAULT '',
    "variantCode" TEXT NOT NULL DEFAULT '',
    "discountPct" DECIMAL(9,4) NOT NULL,
    CONSTRAINT "BoLineDiscount_pkey" PRIMARY KEY ("shopId", "discountGroup", "itemNo", "variantCode"),
    CONSTRAINT "BoLineDiscount_shopId_discountGroup_fkey" FOREIGN KEY ("shopId", "discountGroup") REFERENCES "BoCustomerDiscountGroup"("shopId", "code") ON DELETE CASCADE ON UPDATE CASCADE
);

