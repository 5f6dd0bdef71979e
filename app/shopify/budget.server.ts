import type pg from "pg";
import { pgPool } from "../db.server";

/**
 * One Admin API cost budget per shop, shared by every process (workers of every job category,
 * the app's foreground runs, the CLI), kept in Postgres (`ShopApiBudget`, functions
 * bos_budget_acquire / bos_budget_observe of migration 20261202000000_crash_recovery_budget).
 *
 * Before a request, a process reserves the points it expects the request to cost; the
 * reservation is granted when Shopify's bucket, as last stated by any process's answer
 * (`extensions.cost.throttleStatus`) and refilled at its restore rate since, less the
 * reservations of requests still in flight anywhere, can pay it; otherwise the process waits as
 * long as the refill takes. The answer ends the reservation and its throttleStatus becomes the
 * bucket's state. So two workers of one shop pace themselves as one instead of each learning
 * the limit from THROTTLED answers. A reservation of a process that died mid-request expires
 * after the request timeout.
 * Source: shopify.dev "GraphQL Admin API rate limits" (leaky bucket, requested cost charged up
 * front and the difference to the actual cost refunded).
 */

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

/** What a shop is assumed to have before any answer says: the smallest plan's bucket. */
const DEFAULT_BUCKET = { maximumAvailable: 1000, restoreRate: 50 };
/** A mutation costs at least 10 points: a burst of cheap-looking calls cannot drain the bucket unseen. */
const MIN_EXPECTED_COST = 10;
/** A reservation outlives its request (30 s timeout) by this little, then expires. */
const RESERVATION_HOLD_MS = 35_000;

export interface Reservation {
  id: string;
  cost: number;
}

export class ShopCostBudget {
  readonly shop: string;
  /** What each operation was last charged (requested cost), learned from answers. */
  private readonly learned = new Map<string, number>();
  private last: ThrottleStatus | null = null;
  private readonly pool: () => pg.Pool;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(shop: string, options: { pool?: () => pg.Pool; sleep?: (ms: number) => Promise<void> } = {}) {
    this.shop = shop;
    this.pool = options.pool ?? pgPool;
    this.sleep = options.sleep ?? ((ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  }

  /** What an operation is expected to cost: what it was last charged, or a safe guess. */
  expectedCost(operationName: string): number {
    return Math.max(MIN_EXPECTED_COST, this.learned.get(operationName) ?? MIN_EXPECTED_COST);
  }

  /** Waits until the shop's bucket can pay `cost` points, and reserves them. */
  async reserve(cost: number): Promise<Reservation> {
    for (;;) {
      const { rows } = await this.pool().query<{ reservation_id: string | null; wait_ms: number }>(
        "select reservation_id, wait_ms from bos_budget_acquire($1, $2, $3, $4, $5)",
        [this.shop, cost, DEFAULT_BUCKET.maximumAvailable, DEFAULT_BUCKET.restoreRate, RESERVATION_HOLD_MS],
      );
      const row = rows[0];
      if (row?.reservation_id) return { id: row.reservation_id, cost };
      await this.sleep(row?.wait_ms ?? 1000);
    }
  }

  /**
   * A request ended: its reservation is returned and, when the answer carried one, Shopify's
   * view of the bucket is taken as the truth for every process.
   */
  async settle(
    reservation: Reservation | null,
    operationName: string,
    requestedCost: number | null,
    status: ThrottleStatus | null,
  ): Promise<void> {
    if (requestedCost !== null) this.learned.set(operationName, requestedCost);
    if (status) this.last = status;
    await this.pool().query("select bos_budget_observe($1, $2, $3, $4, $5)", [
      this.shop,
      reservation?.id ?? null,
      status?.maximumAvailable ?? null,
      status?.currentlyAvailable ?? null,
      status?.restoreRate ?? null,
    ]);
  }

  /** How long until `cost` points are back after a THROTTLED answer, from that answer's status. */
  waitFor(cost: number): number {
    if (!this.last) return 1000;
    const missing = Math.min(cost, this.last.maximumAvailable) - this.last.currentlyAvailable;
    return missing > 0 ? Math.ceil((missing / this.last.restoreRate) * 1000) : 0;
  }
}

const budgets = new Map<string, ShopCostBudget>();

/** This process's handle on a shop's shared budget (it keeps the learned costs). */
export function budgetFor(shop: string): ShopCostBudget {
  let budget = budgets.get(shop);
  if (!budget) {
    budget = new ShopCostBudget(shop);
    budgets.set(shop, budget);
  }
  return budget;
}
