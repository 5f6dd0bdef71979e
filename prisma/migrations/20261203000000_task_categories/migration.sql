-- Task manifests give each task its default job category: the order tasks and the batch
-- postings share "orders" (they write staged orders and sales documents), sync_shipments has
-- "shipments" of its own. Until now every task defaulted to "sync", so a task's settings row
-- still saying "sync" is the old default, not a merchant's choice: it follows the new one.
UPDATE "Schedule"
   SET category = CASE
         WHEN task = 'sync_shipments' THEN 'shipments'
         WHEN task IN ('sync_orders', 'process_orders', 'post_sales_orders', 'post_sales_invoices') THEN 'orders'
         ELSE category
       END
 WHERE category = 'sync';
