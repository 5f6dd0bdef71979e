-- Outbound sync state moves to the app's side. A posted shipment's Shopify state (state,
-- fulfillment id, message, attempts, time sent) was kept on "BoPostedShipment", a back-office
-- table that an external ERP may replace; it is now a "SyncRecord" row of sync_shipments,
-- keyed by the shipment's number. The back office tells the syncs what changed through its
-- change feed ("BoChange", written in the transaction of the change and read by snapshot:
-- app/backoffice/changes.server.ts), from which each outbound sync keeps its place
-- ("SyncFeedCursor"). Existing shipments are carried over with their state; a shipment posted
-- from a sales invoice (nothing to fulfil: the order was fulfilled in Shopify before it was
-- imported) is now a back-office fact, "postedFrom".

CREATE TABLE "BoChange" (
    "seq" BIGSERIAL NOT NULL,
    "shopId" UUID NOT NULL,
    "entity" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "xid" BIGINT NOT NULL DEFAULT (pg_current_xact_id())::text::bigint,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "BoChange_pkey" PRIMARY KEY ("seq"),
    CONSTRAINT "BoChange_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "BoChange_shopId_entity_xid_idx" ON "BoChange"("shopId", "entity", "xid");

CREATE TABLE "SyncRecord" (
    "id" UUID NOT NULL,
    "shopId" UUID NOT NULL,
    "task" TEXT NOT NULL,
    "recordKey" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "shopifyId" TEXT,
    "sentHash" TEXT,
    "message" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "changedAt" TIMESTAMPTZ(3) NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "sentAt" TIMESTAMPTZ(3),
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "SyncRecord_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "SyncRecord_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "SyncRecord_shopId_task_state_changedAt_idx" ON "SyncRecord"("shopId", "task", "state", "changedAt");
CREATE UNIQUE INDEX "SyncRecord_shopId_task_recordKey_key" ON "SyncRecord"("shopId", "task", "recordKey");

CREATE TABLE "SyncFeedCursor" (
    "shopId" UUID NOT NULL,
    "task" TEXT NOT NULL,
    "snapshot" TEXT NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "SyncFeedCursor_pkey" PRIMARY KEY ("shopId", "task"),
    CONSTRAINT "SyncFeedCursor_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

ALTER TABLE "BoPostedShipment" ADD COLUMN "postedFrom" TEXT NOT NULL DEFAULT 'order';

-- Posting a whole sales invoice marked its shipment nothing_to_sync at once (never attempted);
-- the shipment sync marks one so only after trying, with its reason.
UPDATE "BoPostedShipment" s
   SET "postedFrom" = 'invoice'
 WHERE s."shopifySyncState" = 'nothing_to_sync'
   AND s."shopifySyncError" IS NULL
   AND EXISTS (SELECT 1 FROM "BoSalesHeader" h
                WHERE h."shopId" = s."shopId" AND h."documentType" = 'invoice' AND h.no = s."orderNo");

INSERT INTO "SyncRecord" (id, "shopId", task, "recordKey", state, "shopifyId", message, attempts, "changedAt", "sentAt", "updatedAt")
SELECT gen_random_uuid(), s."shopId", 'sync_shipments', s.no,
       CASE s."shopifySyncState"
         WHEN 'synced' THEN 'synced'
         WHEN 'error' THEN 'error'
         WHEN 'pending' THEN 'pending'
         ELSE 'skipped'
       END,
       s."shopifyFulfillmentId",
       CASE
         WHEN s."shopifySyncState" = 'not_shopify' THEN coalesce(s."shopifySyncError", 'not a Shopify order')
         WHEN s."postedFrom" = 'invoice' THEN 'posted from a sales invoice: the order was fulfilled in Shopify before it was imported'
         ELSE s."shopifySyncError"
       END,
       s."shopifySyncAttempts", s."postedAt", s."shopifySyncedAt", now()
  FROM "BoPostedShipment" s;

DROP INDEX "BoPostedShipment_shopId_shopifySyncState_idx";
ALTER TABLE "BoPostedShipment"
  DROP COLUMN "shopifySyncState",
  DROP COLUMN "shopifyFulfillmentId",
  DROP COLUMN "shopifySyncError",
  DROP COLUMN "shopifySyncAttempts",
  DROP COLUMN "shopifySyncedAt";
