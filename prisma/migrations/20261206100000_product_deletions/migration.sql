-- The products import (issue 13): the products a products/delete webhook reported deleted, which
-- the next sync_products run verifies with Shopify before it marks their links deleted.
CREATE TABLE "ShopifyProductDeletion" (
    "shopId" UUID NOT NULL,
    "shopifyId" BIGINT NOT NULL,
    "reportedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ShopifyProductDeletion_pkey" PRIMARY KEY ("shopId", "shopifyId"),
    CONSTRAINT "ShopifyProductDeletion_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
