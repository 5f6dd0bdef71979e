import type { Db } from "../../db.server";
import type { Shop } from "../../generated/prisma/client";
import type { Counts, SyncContext } from "../../jobs/sync-task.server";
import { log as rootLog, type Logger } from "../../log.server";

/**
 * What a sync's core function takes: the shop, its filters, the database, and the run's
 * counts, progress, log and stop signal. Every core function has this shape —
 * `importOrders(scope, client)`, `processOrders(scope)`, `syncShipments(scope, client)` — and
 * a task's run passes its SyncContext, which is one.
 */
export type RunScope<F> = Pick<
  SyncContext<F>,
  "db" | "shop" | "filters" | "log" | "signal" | "count" | "progress"
>;

/**
 * A scope outside any run record (tests, scripts): counts kept in memory, progress dropped.
 */
export function scopeOutsideRun<F>(
  db: Db,
  shop: Shop,
  filters: F,
  log: Logger = rootLog,
): RunScope<F> & { counts: Counts } {
  const counts: Counts = {};
  return {
    db,
    shop,
    filters,
    log,
    signal: new AbortController().signal,
    counts,
    count: (name, by = 1) => {
      counts[name] = (counts[name] ?? 0) + by;
    },
    progress: async () => {},
  };
}
