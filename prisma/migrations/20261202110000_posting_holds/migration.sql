-- Posting follows Shopify's state: a document whose order was cancelled, or changed after it
-- was made, is on hold until a person closes, adjusts or confirms it; who confirmed, and when.

ALTER TABLE "BoSalesHeader" ADD COLUMN "onHold" TEXT;
ALTER TABLE "BoSalesHeader" ADD COLUMN "onHoldReason" TEXT;
ALTER TABLE "BoSalesHeader" ADD COLUMN "closedAt" TIMESTAMPTZ(3);
ALTER TABLE "BoSalesHeader" ADD COLUMN "closedBy" TEXT;

ALTER TABLE "ShopifyOrder" ADD COLUMN "confirmedChanges" JSONB;
ALTER TABLE "ShopifyOrder" ADD COLUMN "changeConfirmedBy" TEXT;
ALTER TABLE "ShopifyOrder" ADD COLUMN "changeConfirmedAt" TIMESTAMPTZ(3);

-- Documents of orders flagged before holds existed wait too, with the changes in words.
UPDATE "BoSalesHeader" h
   SET "onHold" = CASE WHEN o."cancelledAt" IS NOT NULL THEN 'CANCELLED' ELSE 'CHANGED' END,
       "onHoldReason" = CASE
         WHEN o."cancelledAt" IS NOT NULL
           THEN 'order ' || o.name || ' was cancelled in Shopify: close this document instead of posting it'
         ELSE 'order ' || o.name || ' changed in Shopify after this document was made ('
              || coalesce((select string_agg(value, '; ') from jsonb_array_elements_text(o.changes)), 'see the orders list')
              || '): adjust the document or confirm the change before posting it'
       END
  FROM "ShopifyOrder" o
 WHERE o."shopId" = h."shopId" AND o."shopifyId" = h."shopifyOrderId"
   AND o."changedAfterProcessing" AND h.status NOT IN ('posted', 'closed');
