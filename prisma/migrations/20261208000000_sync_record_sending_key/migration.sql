-- What a create in flight is known by in Shopify (the products export: a new product's handle),
-- so a retry after a crash finds it whatever changed in the back office since.
ALTER TABLE "SyncRecord" ADD COLUMN "sendingKey" TEXT;
