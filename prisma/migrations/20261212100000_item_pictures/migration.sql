-- Item pictures and Sync images (issue 16). The back office keeps each picture of an item or of
-- one of its variants whole (bytes, content type, sha256, its place among the item's pictures);
-- a change to an item's pictures is a "picture" change in the feed ("BoChange", keyed by the item
-- number), which rings the images sync. The sync keeps, per picture, the Shopify media it became
-- or was read from ("ShopifyMediaMap"); the shop card says which way images go.
ALTER TABLE "ShopSettings" ADD COLUMN "syncImages" TEXT NOT NULL DEFAULT 'off';

CREATE TABLE "BoItemPicture" (
    "id" UUID NOT NULL,
    "shopId" UUID NOT NULL,
    "itemNo" TEXT NOT NULL,
    "variantCode" TEXT NOT NULL DEFAULT '',
    "position" INTEGER NOT NULL,
    "contentType" TEXT NOT NULL,
    "filename" TEXT NOT NULL,
    "byteSize" INTEGER NOT NULL,
    "contentHash" TEXT NOT NULL,
    "content" BYTEA NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "BoItemPicture_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "BoItemPicture_shopId_itemNo_fkey" FOREIGN KEY ("shopId", "itemNo") REFERENCES "BoItem"("shopId", "no") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "BoItemPicture_shopId_itemNo_position_idx" ON "BoItemPicture"("shopId", "itemNo", "position");
-- Images are compressed already: stored out of line uncompressed, a slice of the bytes
-- (substring) reads only the pages it needs, so an upload streams a picture a slice at a time.
ALTER TABLE "BoItemPicture" ALTER COLUMN "content" SET STORAGE EXTERNAL;

CREATE TABLE "ShopifyMediaMap" (
    "shopId" UUID NOT NULL,
    "pictureId" UUID NOT NULL,
    "itemNo" TEXT NOT NULL,
    "variantCode" TEXT NOT NULL DEFAULT '',
    "productShopifyId" BIGINT,
    "mediaShopifyId" BIGINT,
    "linkedBy" TEXT NOT NULL DEFAULT 'export',
    "contentHash" TEXT,
    "position" INTEGER,
    "variantShopifyId" BIGINT,
    "mediaStatus" TEXT,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "message" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "sentAt" TIMESTAMPTZ(3),
    "readAt" TIMESTAMPTZ(3),
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "ShopifyMediaMap_pkey" PRIMARY KEY ("shopId", "pictureId"),
    CONSTRAINT "ShopifyMediaMap_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "ShopifyMediaMap_shopId_itemNo_idx" ON "ShopifyMediaMap"("shopId", "itemNo");
CREATE UNIQUE INDEX "ShopifyMediaMap_shopId_mediaShopifyId_key" ON "ShopifyMediaMap"("shopId", "mediaShopifyId");
