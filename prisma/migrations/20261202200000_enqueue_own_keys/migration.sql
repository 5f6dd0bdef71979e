-- Job keys are ours alone: bos_enqueue_run no longer hands the key to graphile-worker.
--
-- Given a key, graphile_worker.add_job "de-keys" a job of that key that a worker has already
-- taken and sets its attempts to its max_attempts, so that it is never retried. A run queued
-- behind a running one (a webhook arriving mid-run, a schedule, the fault suite's driver) thus
-- took away the running run's retries: an error in it left it "queued" for good (its job failed
-- for good), and a crash made crash recovery fail it as if on its last attempt. The coalescing
-- never needed graphile's key: bos_waiting_run finds the waiting run by "SyncRun"."jobKey" and
-- its job's lock, under the key's advisory lock. The body is otherwise that of migration
-- 20261130100000_enqueue_functions.

CREATE OR REPLACE FUNCTION bos_enqueue_run(
    p_shop_id UUID,
    p_shop_domain TEXT,
    -- queuePrefix() of app/jobs/queues.server.ts; the queue is the prefix and the category.
    p_queue_prefix TEXT,
    p_task TEXT,
    p_trigger TEXT,
    -- NULL: the shop's category for the task ("Schedule".category), else p_default_category.
    p_category TEXT,
    p_default_category TEXT,
    p_filters JSONB,
    p_job_key TEXT,
    p_run_at TIMESTAMPTZ,
    p_max_attempts INTEGER
) RETURNS TABLE (run_id UUID, coalesced BOOLEAN)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    v_run UUID;
    v_category TEXT;
    v_job BIGINT;
BEGIN
    IF p_job_key IS NOT NULL THEN
        -- A burst of doorbells mostly finds the run already waiting: answered without a lock.
        v_run := bos_waiting_run(p_shop_id, p_job_key);
        IF v_run IS NULL THEN
            -- Serialise enqueuers of one key, then look again: two at once queue one run.
            PERFORM pg_advisory_xact_lock(hashtext(p_job_key));
            v_run := bos_waiting_run(p_shop_id, p_job_key);
        END IF;
        IF v_run IS NOT NULL THEN
            RETURN QUERY SELECT v_run, true;
            RETURN;
        END IF;
    END IF;

    v_category := coalesce(
        p_category,
        (SELECT s.category FROM "Schedule" s WHERE s."shopId" = p_shop_id AND s.task = p_task),
        p_default_category
    );
    v_run := gen_random_uuid();
    SELECT j.id INTO v_job FROM graphile_worker.add_job(
        identifier => p_task,
        payload => json_build_object('shop', p_shop_domain, 'runId', v_run),
        queue_name => p_queue_prefix || v_category,
        run_at => p_run_at,
        max_attempts => p_max_attempts
    ) j;
    IF v_job IS NULL THEN
        RAISE EXCEPTION 'graphile_worker.add_job returned no job';
    END IF;
    INSERT INTO "SyncRun" (id, "shopId", task, trigger, category, filters, "jobKey", "jobId")
    VALUES (v_run, p_shop_id, p_task, p_trigger, v_category, p_filters, p_job_key, v_job::TEXT);
    RETURN QUERY SELECT v_run, false;
END
$$;
