/**
 * One cost-aware limiter per shop (per process): it learns the bucket from each response's
 * `extensions.cost.throttleStatus` and, before a request, waits until the bucket has refilled
 * enough for the request's expected cost. Expected costs are never 0 (a mutation is at least
 * 10 points), so a burst of cheap-looking calls cannot drain the bucket unseen.
 * Source: shopify.dev "GraphQL Admin API rate limits".
 */

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

interface BucketView {
  maximumAvailable: number;
  available: number;
  restoreRate: number;
  at: number;
}

const DEFAULT_BUCKET = { maximumAvailable: 1000, available: 1000, restoreRate: 50 };
const MIN_EXPECTED_COST = 10;

export class ShopRateLimiter {
  private view: BucketView;
  private readonly learned = new Map<string, number>();
  private queue: Promise<void> = Promise.resolve();
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    now: () => number = () => Date.now(),
    sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms)),
  ) {
    this.now = now;
    this.sleep = sleep;
    this.view = { ...DEFAULT_BUCKET, at: now() };
  }

  /** What an operation is expected to cost: what it was last charged, or a safe guess. */
  expectedCost(operationName: string): number {
    return Math.max(MIN_EXPECTED_COST, this.learned.get(operationName) ?? MIN_EXPECTED_COST);
  }

  estimatedAvailable(): number {
    const elapsed = (this.now() - this.view.at) / 1000;
    return Math.min(this.view.maximumAvailable, this.view.available + elapsed * this.view.restoreRate);
  }

  /** Waits (in turn with the shop's other requests in this process) until `cost` points are there. */
  async acquire(cost: number): Promise<void> {
    const turn = this.queue.then(async () => {
      const wanted = Math.min(cost, this.view.maximumAvailable);
      const missing = wanted - this.estimatedAvailable();
      if (missing > 0) await this.sleep(Math.ceil((missing / this.view.restoreRate) * 1000));
      const available = this.estimatedAvailable();
      this.view = { ...this.view, available: available - wanted, at: this.now() };
    });
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /** Takes the truth from a response. */
  observe(operationName: string, requestedCost: number | null, status: ThrottleStatus | null): void {
    if (requestedCost !== null) this.learned.set(operationName, requestedCost);
    if (status) {
      this.view = {
        maximumAvailable: status.maximumAvailable,
        available: status.currentlyAvailable,
        restoreRate: status.restoreRate,
        at: this.now(),
      };
    }
  }

  /** How long until `cost` points are back, for a THROTTLED answer. */
  waitFor(cost: number): number {
    const missing = Math.min(cost, this.view.maximumAvailable) - this.estimatedAvailable();
    return missing > 0 ? Math.ceil((missing / this.view.restoreRate) * 1000) : 0;
  }
}

const limiters = new Map<string, ShopRateLimiter>();

export function limiterFor(shop: string): ShopRateLimiter {
  let limiter = limiters.get(shop);
  if (!limiter) {
    limiter = new ShopRateLimiter();
    limiters.set(shop, limiter);
  }
  return limiter;
}
