-- The shared cost budget keeps a tenth of the shop's bucket in reserve. bench:budget saw an
-- occasional THROTTLED answer with two worker processes: a reservation smaller than the request
-- (an operation is expected to cost what it was charged last; an import page can ask for more
-- than the one before) or a throttleStatus answered before another in-flight request was charged
-- made the estimate too high. The body is otherwise that of migration
-- 20261202000000_crash_recovery_budget.

CREATE OR REPLACE FUNCTION bos_budget_acquire(
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
