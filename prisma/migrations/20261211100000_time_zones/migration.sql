-- Times in the shop's time zone (issue 20): the shop's IANA time zone as Shopify states it
-- (null until known: UTC), and the zone a schedule's cron is evaluated in. Existing schedules
-- were evaluated in UTC, so they keep it and fire at the same instants.
ALTER TABLE "Shop" ADD COLUMN "ianaTimezone" TEXT;
ALTER TABLE "Schedule" ADD COLUMN "timeZone" TEXT NOT NULL DEFAULT 'UTC';
