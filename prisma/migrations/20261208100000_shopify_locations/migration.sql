-- Shopify's locations as last read, and the back-office locations that feed each (the inventory sync).
CREATE TABLE "ShopifyLocation" (
    "shopId" UUID NOT NULL,
    "shopifyId" BIGINT NOT NULL,
    "name" TEXT NOT NULL,
    "isActive" BOOLEAN NOT NULL,
    "isPrimary" BOOLEAN NOT NULL DEFAULT false,
    "fulfillsOnlineOrders" BOOLEAN NOT NULL,
    "address" TEXT NOT NULL DEFAULT '',
    "deletedAt" TIMESTAMPTZ(3),
    "stockCalculation" TEXT NOT NULL DEFAULT 'off',
    "salesLocationCode" TEXT,
    "readAt" TIMESTAMPTZ(3) NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ShopifyLocation_pkey" PRIMARY KEY ("shopId","shopifyId")
);

CREATE TABLE "ShopifyLocationSource" (
    "shopId" UUID NOT NULL,
    "shopifyLocationId" BIGINT NOT NULL,
    "locationCode" TEXT NOT NULL,

    CONSTRAINT "ShopifyLocationSource_pkey" PRIMARY KEY ("shopId","shopifyLocationId","locationCode")
);

CREATE INDEX "ShopifyLocationSource_shopId_locationCode_idx" ON "ShopifyLocationSource"("shopId", "locationCode");

ALTER TABLE "ShopifyLocation" ADD CONSTRAINT "ShopifyLocation_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "ShopifyLocationSource" ADD CONSTRAINT "ShopifyLocationSource_shopId_shopifyLocationId_fkey" FOREIGN KEY ("shopId", "shopifyLocationId") REFERENCES "ShopifyLocation"("shopId", "shopifyId") ON DELETE CASCADE ON UPDATE CASCADE;
