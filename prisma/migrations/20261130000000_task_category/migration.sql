-- A task's job category per shop, kept with its schedule and filters.
ALTER TABLE "Schedule" ADD COLUMN "category" TEXT NOT NULL DEFAULT 'sync';
