-- A variant link whose variant (or product) Shopify no longer has: kept, never sent to again.
ALTER TABLE "ShopifyVariantMap" ADD COLUMN "goneAt" TIMESTAMPTZ(3);
