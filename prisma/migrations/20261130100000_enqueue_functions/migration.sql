-- Queueing a sync run and answering an order webhook, each in one statement.
--
-- bos_enqueue_run is the one implementation of "queue a run": the run record and its
-- graphile-worker job are written together, and a job key coalesces only a run that is still
-- waiting (its job not yet locked by a worker). enqueueSync (app/jobs/enqueue.server.ts)
-- calls it inside its transaction; bos_webhook_doorbell calls it for an order webhook, so the
-- webhook route's whole transaction is a single round trip.
--
-- graphile_worker.add_job is resolved when these functions run (its schema is installed
-- after our migrations).

-- The run waiting under this key whose job no worker has taken yet, if any.
CREATE FUNCTION bos_waiting_run(p_shop_id UUID, p_job_key TEXT) RETURNS UUID
LANGUAGE plpgsql AS $$
BEGIN
    RETURN (
        SELECT r.id FROM "SyncRun" r JOIN graphile_worker.jobs j ON j.id = r."jobId"::BIGINT
         WHERE r."shopId" = p_shop_id AND r."jobKey" = p_job_key AND r.status = 'queued'
           AND r."startedAt" IS NULL AND j.locked_at IS NULL
         ORDER BY r."queuedAt" DESC LIMIT 1
    );
END
$$;

CREATE FUNCTION bos_enqueue_run(
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
        max_attempts => p_max_attempts,
        job_key => p_job_key
    ) j;
    IF v_job IS NULL THEN
        RAISE EXCEPTION 'graphile_worker.add_job returned no job';
    END IF;
    INSERT INTO "SyncRun" (id, "shopId", task, trigger, category, filters, "jobKey", "jobId")
    VALUES (v_run, p_shop_id, p_task, p_trigger, v_category, p_filters, p_job_key, v_job::TEXT);
    RETURN QUERY SELECT v_run, false;
END
$$;

-- An order or fulfillment webhook: records the delivery once (by webhook id, and by shop,
-- topic and event id) and, when it is new and the shop is installed, queues the shop's
-- sync with its job key, all in the one statement's transaction. A delivery for an unknown
-- or uninstalled shop is recorded and queues nothing.
CREATE FUNCTION bos_webhook_doorbell(
    p_shop_domain TEXT,
    p_queue_prefix TEXT,
    p_topic TEXT,
    p_webhook_id TEXT,
    p_event_id TEXT,
    p_api_version TEXT,
    p_triggered_at TIMESTAMPTZ,
    p_task TEXT,
    p_default_category TEXT,
    p_filters JSONB,
    p_job_key TEXT,
    p_max_attempts INTEGER
) RETURNS TABLE (fresh BOOLEAN, shop_served BOOLEAN, run_id UUID, coalesced BOOLEAN)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    v_shop_id UUID;
    v_uninstalled TIMESTAMPTZ;
BEGIN
    SELECT s.id, s."uninstalledAt" INTO v_shop_id, v_uninstalled FROM "Shop" s WHERE s.domain = p_shop_domain;
    INSERT INTO "WebhookDelivery" (id, "shopDomain", "shopId", topic, "webhookId", "eventId", "apiVersion", "triggeredAt")
    VALUES (gen_random_uuid(), p_shop_domain, v_shop_id, p_topic, p_webhook_id, p_event_id, p_api_version, p_triggered_at)
    ON CONFLICT DO NOTHING;
    IF NOT FOUND THEN
        RETURN QUERY SELECT false, v_shop_id IS NOT NULL AND v_uninstalled IS NULL, NULL::UUID, false;
        RETURN;
    END IF;
    IF v_shop_id IS NULL OR v_uninstalled IS NOT NULL THEN
        RETURN QUERY SELECT true, false, NULL::UUID, false;
        RETURN;
    END IF;
    RETURN QUERY
        SELECT true, true, e.run_id, e.coalesced
          FROM bos_enqueue_run(v_shop_id, p_shop_domain, p_queue_prefix, p_task, 'webhook', NULL, p_default_category,
                               p_filters, p_job_key, NULL, p_max_attempts) e;
END
$$;
