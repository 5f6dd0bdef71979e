/**
 * The GraphQL Admin API's leaky bucket, one per (app, shop).
 *
 * Restore rates per plan: https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits and
 * https://shopify.dev/docs/api/usage/limits ("Standard 100 points/second, Advanced Shopify 200,
 * Shopify Plus 1000"). The docs give no bucket sizes; 2000 / 4000 / 20000 are the
 * `throttleStatus.maximumAvailable` values real responses report next to those restore rates
 * (publicly captured responses show 2000/100, 4000/200 and 20000/1000), i.e. 20 seconds of
 * restore.
 */
export const PLANS = {
  standard: { maximumAvailable: 2000, restoreRate: 100 },
  advanced: { maximumAvailable: 4000, restoreRate: 200 },
  plus: { maximumAvailable: 20000, restoreRate: 1000 },
} as const;

export type Plan = keyof typeof PLANS;

/** As reported in `extensions.cost.throttleStatus`. */
export type ThrottleStatus = {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
};

export class CostBucket {
  readonly plan: Plan;
  readonly maximumAvailable: number;
  readonly restoreRate: number;
  readonly #now: () => number;
  #available: number;
  #updatedAt: number;

  /** `now` returns milliseconds; tests pass a fake clock to advance or compress time. */
  constructor(plan: Plan, now: () => number = () => Date.now()) {
    this.plan = plan;
    this.maximumAvailable = PLANS[plan].maximumAvailable;
    this.restoreRate = PLANS[plan].restoreRate;
    this.#now = now;
    this.#available = this.maximumAvailable;
    this.#updatedAt = now();
  }

  /**
   * Charge `requestedCost` if the bucket holds that much; otherwise charge nothing (Shopify
   * checks capacity before execution, and a throttled request costs nothing).
   */
  tryTake(requestedCost: number): { ok: boolean; status: ThrottleStatus } {
    this.#restore();
    const ok = requestedCost <= this.#available;
    if (ok) this.#available -= requestedCost;
    return { ok, status: this.#status() };
  }

  /** Give back points charged but not used (requested minus actual cost). */
  refund(points: number): ThrottleStatus {
    this.#restore();
    if (points > 0) this.#available = Math.min(this.maximumAvailable, this.#available + points);
    return this.#status();
  }

  status(): ThrottleStatus {
    this.#restore();
    return this.#status();
  }

  #restore(): void {
    const now = this.#now();
    const elapsedSeconds = Math.max(0, now - this.#updatedAt) / 1000;
    this.#available = Math.min(this.maximumAvailable, this.#available + elapsedSeconds * this.restoreRate);
    this.#updatedAt = now;
  }

  #status(): ThrottleStatus {
    return {
      maximumAvailable: this.maximumAvailable,
      // Shopify reports whole points; rounding down never promises capacity that is not there.
      currentlyAvailable: Math.floor(this.#available),
      restoreRate: this.restoreRate,
    };
  }
}

/** Buckets keyed by (app, shop): one app's calls never drain another app's or shop's bucket. */
export class CostBuckets {
  readonly #planOf: (shop: string) => Plan;
  readonly #now: () => number;
  readonly #buckets = new Map<string, CostBucket>();

  constructor(planOf: (shop: string) => Plan = () => "standard", now: () => number = () => Date.now()) {
    this.#planOf = planOf;
    this.#now = now;
  }

  bucketFor(app: string, shop: string): CostBucket {
    const key = JSON.stringify([app, shop]);
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      bucket = new CostBucket(this.#planOf(shop), this.#now);
      this.#buckets.set(key, bucket);
    }
    return bucket;
  }
}
