-- Crash recovery (app/jobs/recovery.server.ts) and one Admin API cost budget per shop shared by
-- every process (app/shopify/budget.server.ts).

ALTER TABLE "SyncRun" ADD COLUMN "workerId" TEXT;
ALTER TABLE "SyncRun" ADD COLUMN "interruptions" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "SyncRun" ADD COLUMN "note" TEXT;
CREATE INDEX "SyncRun_workerId_idx" ON "SyncRun"("workerId");

CREATE TABLE "WorkerProcess" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "startedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "seenAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deadAfterMs" INTEGER NOT NULL DEFAULT 60000,
    CONSTRAINT "WorkerProcess_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "WorkerProcess_seenAt_idx" ON "WorkerProcess"("seenAt");

CREATE TABLE "ShopApiBudget" (
    "shopDomain" TEXT NOT NULL,
    "maximumAvailable" DOUBLE PRECISION NOT NULL,
    "available" DOUBLE PRECISION NOT NULL,
    "restoreRate" DOUBLE PRECISION NOT NULL,
    "observedAt" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "ShopApiBudget_pkey" PRIMARY KEY ("shopDomain")
);

CREATE TABLE "ApiBudgetReservation" (
    "id" UUID NOT NULL,
    "shopDomain" TEXT NOT NULL,
    "cost" DOUBLE PRECISION NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "ApiBudgetReservation_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "ApiBudgetReservation_shopDomain_expiresAt_idx" ON "ApiBudgetReservation"("shopDomain", "expiresAt");
ALTER TABLE "ApiBudgetReservation" ADD CONSTRAINT "ApiBudgetReservation_shopDomain_fkey"
    FOREIGN KEY ("shopDomain") REFERENCES "ShopApiBudget"("shopDomain") ON DELETE CASCADE ON UPDATE CASCADE;

-- Takes p_cost points of the shop's bucket for one request, or says how long to wait.
-- The bucket is estimated from Shopify's last throttleStatus, refilled at its restore rate
-- since then, less what requests still in flight (any process) have reserved, less a tenth of
-- the bucket kept in reserve. A shop seen for the first time starts with p_default_maximum
-- points restoring at p_default_rate.
CREATE FUNCTION bos_budget_acquire(
    p_shop TEXT,
    p_cost DOUBLE PRECISION,
    p_default_maximum DOUBLE PRECISION,
    p_default_rate DOUBLE PRECISION,
    p_hold_ms INTEGER
) RETURNS TABLE (reservation_id UUID, wait_ms INTEGER)
LANGUAGE plpgsql AS $$
DECLARE
    v_budget "ShopApiBudget"%ROWTYPE;
    v_now TIMESTAMPTZ := clock_timestamp();
    v_estimate DOUBLE PRECISION;
    v_held DOUBLE PRECISION;
    v_wanted DOUBLE PRECISION;
    v_needed DOUBLE PRECISION;
    v_id UUID;
BEGIN
    INSERT INTO "ShopApiBudget" ("shopDomain", "maximumAvailable", "available", "restoreRate", "observedAt")
    VALUES (p_shop, p_default_maximum, p_default_maximum, p_default_rate, v_now)
    ON CONFLICT DO NOTHING;
    SELECT * INTO v_budget FROM "ShopApiBudget" WHERE "shopDomain" = p_shop FOR UPDATE;
    DELETE FROM "ApiBudgetReservation" WHERE "shopDomain" = p_shop AND "expiresAt" < v_now;
    SELECT coalesce(sum(cost), 0) INTO v_held FROM "ApiBudgetReservation" WHERE "shopDomain" = p_shop;
    v_estimate := least(
        v_budget."maximumAvailable",
        v_budget.available + extract(epoch FROM v_now - v_budget."observedAt") * v_budget."restoreRate"
    );
    v_wanted := least(p_cost, v_budget."maximumAvailable");
    -- A tenth of the bucket stays in reserve (a request of nearly the whole bucket waits for it
    -- to be full), for what the estimate cannot know: a request asking more than its operation
    -- cost last time, and an answer's throttleStatus taken before another request was charged.
    v_needed := least(v_budget."maximumAvailable", v_wanted + v_budget."maximumAvailable" * 0.1);
    IF v_estimate - v_held >= v_needed THEN
        v_id := gen_random_uuid();
        INSERT INTO "ApiBudgetReservation" (id, "shopDomain", cost, "expiresAt")
        VALUES (v_id, p_shop, v_wanted, v_now + make_interval(secs => p_hold_ms / 1000.0));
        RETURN QUERY SELECT v_id, 0;
    ELSE
        RETURN QUERY SELECT NULL::UUID,
            greatest(1, ceil((v_needed - (v_estimate - v_held)) / v_budget."restoreRate" * 1000))::INTEGER;
    END IF;
END
$$;

-- A request's answer: its reservation ends, and Shopify's throttleStatus (when the answer had
-- one) becomes the bucket's state.
CREATE FUNCTION bos_budget_observe(
    p_shop TEXT,
    p_reservation UUID,
    p_maximum DOUBLE PRECISION,
    p_available DOUBLE PRECISION,
    p_rate DOUBLE PRECISION
) RETURNS VOID
LANGUAGE plpgsql AS $$
BEGIN
    IF p_reservation IS NOT NULL THEN
        DELETE FROM "ApiBudgetReservation" WHERE id = p_reservation;
    END IF;
    IF p_available IS NOT NULL THEN
        UPDATE "ShopApiBudget"
           SET "maximumAvailable" = p_maximum, available = p_available, "restoreRate" = p_rate,
               "observedAt" = clock_timestamp()
         WHERE "shopDomain" = p_shop;
    END IF;
END
$$;

-- Crash recovery, run by every live worker every few seconds (one at a time). A process is
-- dead when its WorkerProcess row was not refreshed within its own detection interval (nor
-- p_dead_after, the sweeping worker's: processes configured differently never take each
-- other for dead while both beat as they said they would), or when it holds a graphile-worker
-- lock older than p_dead_after without ever having had a row. For each dead process:
-- the runs it held go back to queued with the interruption noted (their job's attempt is
-- already counted), or fail when that was their last attempt or when they ran in the
-- foreground (no job to run them again); then its jobs and named queues are unlocked
-- (graphile-worker's force_unlock_workers) and its row removed.
CREATE FUNCTION bos_recover_stopped_workers(p_dead_after INTERVAL)
RETURNS TABLE (worker_id TEXT, run_id UUID, outcome TEXT)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    v_dead TEXT[];
    v_seen JSONB;
    v_final BIGINT[];
BEGIN
    IF NOT pg_try_advisory_xact_lock(hashtext('bos_recover_stopped_workers')) THEN
        RETURN;
    END IF;
    SELECT array_agg(DISTINCT d.id) INTO v_dead FROM (
        SELECT w.id FROM "WorkerProcess" w
         WHERE w."seenAt" < now() - greatest(p_dead_after, make_interval(secs => w."deadAfterMs" / 1000.0))
        UNION
        SELECT j.locked_by FROM graphile_worker._private_jobs j
         WHERE j.locked_by IS NOT NULL AND j.locked_at < now() - p_dead_after
           AND NOT EXISTS (SELECT 1 FROM "WorkerProcess" w WHERE w.id = j.locked_by)
        UNION
        SELECT q.locked_by FROM graphile_worker._private_job_queues q
         WHERE q.locked_by IS NOT NULL AND q.locked_at < now() - p_dead_after
           AND NOT EXISTS (SELECT 1 FROM "WorkerProcess" w WHERE w.id = q.locked_by)
    ) d(id);
    IF v_dead IS NULL THEN
        RETURN;
    END IF;
    -- How each dead process was last seen, for the runs' notes.
    SELECT jsonb_object_agg(w.id, format('%s (host %s, pid %s, last seen %s UTC)', w.id, w.host, w.pid,
               to_char(w."seenAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')))
      INTO v_seen FROM "WorkerProcess" w WHERE w.id = ANY (v_dead);
    v_seen := coalesce(v_seen, '{}'::jsonb);

    -- Runs whose job a dead worker holds.
    RETURN QUERY
    WITH held AS (
        SELECT r.id AS run, j.id AS job, j.locked_by AS worker, j.attempts >= j.max_attempts AS last
          FROM "SyncRun" r JOIN graphile_worker._private_jobs j ON j.id = r."jobId"::BIGINT
         WHERE j.locked_by = ANY (v_dead) AND r.status IN ('queued', 'running')
    ), updated AS (
        UPDATE "SyncRun" r
           SET status = CASE WHEN h.last THEN 'failed' ELSE 'queued' END,
               interruptions = r.interruptions + 1,
               "finishedAt" = CASE WHEN h.last THEN now() ELSE NULL END,
               note = concat_ws(E'\n', r.note, format(
                   'Attempt %s was interrupted: worker %s stopped without finishing it (killed or crashed); %s at %s UTC.',
                   r.attempts, coalesce(v_seen ->> h.worker, h.worker),
                   CASE WHEN h.last THEN 'it was the last attempt, so the run failed'
                        ELSE 'unlocked and queued again' END,
                   to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'))),
               error = CASE WHEN h.last
                   THEN 'the worker running the last attempt stopped without finishing it (killed or crashed)'
                   ELSE r.error END
          FROM held h WHERE r.id = h.run
        RETURNING r.id, h.worker, h.job, h.last
    )
    SELECT u.worker, u.id, CASE WHEN u.last THEN 'failed' ELSE 'requeued' END FROM updated u;
    SELECT array_agg(j.id) INTO v_final
      FROM graphile_worker._private_jobs j
     WHERE j.locked_by = ANY (v_dead) AND j.attempts >= j.max_attempts;

    -- Runs a dead process was running with no job left to run them again (foreground runs).
    RETURN QUERY
    UPDATE "SyncRun" r
       SET status = 'failed', interruptions = r.interruptions + 1, "finishedAt" = now(),
           error = 'the process running it stopped without finishing it (killed or crashed); run it again',
           note = concat_ws(E'\n', r.note, format('Interrupted: %s stopped without finishing it, at %s UTC.',
               coalesce(v_seen ->> r."workerId", r."workerId"),
               to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')))
     WHERE r."workerId" = ANY (v_dead) AND r.status = 'running'
       AND NOT EXISTS (
           SELECT 1 FROM graphile_worker._private_jobs j
            WHERE j.id = r."jobId"::BIGINT AND j.locked_by IS NOT NULL AND NOT (j.locked_by = ANY (v_dead)))
    RETURNING r."workerId", r.id, 'failed';

    PERFORM graphile_worker.force_unlock_workers(v_dead);
    IF v_final IS NOT NULL THEN
        PERFORM graphile_worker.complete_jobs(v_final);
    END IF;
    DELETE FROM "WorkerProcess" w WHERE w.id = ANY (v_dead);
    RETURN QUERY SELECT d, NULL::UUID, 'unlocked' FROM unnest(v_dead) d;
END
$$;
