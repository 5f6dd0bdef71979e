import { describe, expect, it } from "vitest";
import { CostBucket, CostBuckets, PLANS } from "../../simulator/graphql/throttle.server";

function fakeClock(start = 1_700_000_000_000) {
  let now = start;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe("CostBucket", () => {
  it("has Shopify's per-plan restore rates and bucket sizes", () => {
    // Restore rates: https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits
    expect(PLANS.standard).toEqual({ maximumAvailable: 2000, restoreRate: 100 });
    expect(PLANS.advanced).toEqual({ maximumAvailable: 4000, restoreRate: 200 });
    expect(PLANS.plus).toEqual({ maximumAvailable: 20000, restoreRate: 1000 });
  });

  it("charges what it can pay, refuses what it cannot, and refills at the restore rate", () => {
    const clock = fakeClock();
    const bucket = new CostBucket("standard", clock.now);
    expect(bucket.tryTake(1500)).toEqual({
      ok: true,
      status: { maximumAvailable: 2000, currentlyAvailable: 500, restoreRate: 100 },
    });
    // A refused request costs nothing.
    expect(bucket.tryTake(600)).toMatchObject({ ok: false, status: { currentlyAvailable: 500 } });
    clock.advance(999);
    expect(bucket.tryTake(600)).toMatchObject({ ok: false, status: { currentlyAvailable: 599 } });
    clock.advance(1);
    expect(bucket.tryTake(600)).toMatchObject({ ok: true, status: { currentlyAvailable: 0 } });
    // Never fills past its size.
    clock.advance(60_000);
    expect(bucket.status().currentlyAvailable).toBe(2000);
  });

  it("refunds unused points without overflowing", () => {
    const clock = fakeClock();
    const bucket = new CostBucket("advanced", clock.now);
    bucket.tryTake(1000);
    expect(bucket.refund(990).currentlyAvailable).toBe(3990);
    expect(bucket.refund(500).currentlyAvailable).toBe(4000);
    expect(bucket.refund(-5).currentlyAvailable).toBe(4000);
  });

  it("keeps one bucket per (app, shop)", () => {
    const clock = fakeClock();
    const buckets = new CostBuckets(
      (shop) => (shop === "big.myshopify.com" ? "plus" : "standard"),
      clock.now,
    );
    const a = buckets.bucketFor("app-1", "small.myshopify.com");
    a.tryTake(1000);
    expect(buckets.bucketFor("app-1", "small.myshopify.com")).toBe(a);
    expect(buckets.bucketFor("app-2", "small.myshopify.com").status().currentlyAvailable).toBe(2000);
    expect(buckets.bucketFor("app-1", "big.myshopify.com").status()).toEqual({
      maximumAvailable: 20000,
      currentlyAvailable: 20000,
      restoreRate: 1000,
    });
  });
});
