-- A cancelled order's hold is kept without a time since 2026-12-04: pages tell the instant (the
-- staged order's cancelledAt) in the shop's time zone. Holds written before carry it in UTC
-- ("order #1001 was cancelled in Shopify on 2026-12-03 16:20 UTC: close this document ...");
-- the time is taken out of them, so every message that quotes a hold (batch posting's skips,
-- posting by hand) reads the same way.
UPDATE "BoSalesHeader"
   SET "onHoldReason" = regexp_replace("onHoldReason", ' on \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC:', ':')
 WHERE "onHold" = 'CANCELLED' AND "onHoldReason" ~ ' on \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC:';
