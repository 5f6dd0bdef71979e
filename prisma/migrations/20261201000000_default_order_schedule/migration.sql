-- Every shop has the order sync scheduled every 15 minutes unless its merchant chose otherwise:
-- recordInstall (app/shops/shops.server.ts, DEFAULT_SCHEDULES) creates it at install, and
-- shops installed before that get it here, due at the next quarter hour. A shop that already
-- has a sync_orders row (its merchant's schedule, filters or category) keeps it as it is.
INSERT INTO "Schedule" (id, "shopId", task, cron, enabled, filters, category, "nextRunAt", "createdAt", "updatedAt")
SELECT gen_random_uuid(), s.id, 'sync_orders', '*/15 * * * *', true, '{}'::JSONB, 'sync',
       date_trunc('hour', now()) + (floor(extract(MINUTE FROM now()) / 15) + 1) * INTERVAL '15 minutes',
       now(), now()
  FROM "Shop" s
 WHERE NOT EXISTS (SELECT 1 FROM "Schedule" x WHERE x."shopId" = s.id AND x.task = 'sync_orders')
ON CONFLICT DO NOTHING;
