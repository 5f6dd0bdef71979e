-- A webhook's run uses the filters the merchant stored for the task (its request page, the
-- "Schedule" row), as runs started by the schedule or by a person do; p_filters (the task's
-- defaults) only when the shop stored none. Before, a webhook's run had no filters, so an
-- order left out by "only fully paid" was imported and processed all the same.
-- Same signature as in 20261130100000_enqueue_functions: replaced in place.

CREATE OR REPLACE FUNCTION bos_webhook_doorbell(
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
                               coalesce(
                                   (SELECT s.filters FROM "Schedule" s WHERE s."shopId" = v_shop_id AND s.task = p_task),
                                   p_filters
                               ), p_job_key, NULL, p_max_attempts) e;
END
$$;
