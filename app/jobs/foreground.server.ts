import { randomUUID } from "node:crypto";
import type { Db } from "../db.server";
import type { SyncRun } from "../generated/prisma/client";
import { Prisma } from "../generated/prisma/client";
import { holdCategory } from "./category-lock.server";
import { shopCategory } from "./enqueue.server";
import { TerminalError } from "../errors.server";
import { foregroundProcessId, startHeartbeat } from "./recovery.server";
import { executeRun, type SyncTaskDefinition, type Trigger } from "./sync-task.server";

/**
 * A sync run in the foreground (the shop's background syncs are off, or the operator asked):
 * the same run record and the same task code, executed here and now instead of by a worker.
 * Errors end the run as failed and are returned in full, not retried.
 */
export async function runInForeground<F>(
  db: Db,
  task: SyncTaskDefinition<F>,
  request: { shop: string; trigger: Trigger; filters?: unknown; category?: string },
  signal: AbortSignal = new AbortController().signal,
): Promise<SyncRun> {
  const filters = task.filters.parse(request.filters ?? {});
  const shop = await db.shop.findUnique({ where: { domain: request.shop } });
  if (!shop) throw new TerminalError(`unknown shop ${request.shop}`);
  if (shop.uninstalledAt) throw new TerminalError(`shop ${request.shop} has uninstalled the app`);
  const category = request.category ?? (await shopCategory(db, shop.id, task));
  // The category's runs never overlap, queued or not: refused (nothing recorded) while one runs.
  const lock = await holdCategory(db, { shopId: shop.id, category }, { wait: false });
  try {
    const run = await db.syncRun.create({
      data: {
        id: randomUUID(),
        shopId: shop.id,
        task: task.name,
        trigger: request.trigger,
        category,
        filters: filters as Prisma.InputJsonValue,
      },
    });
    // A heartbeat while it runs: if this process dies mid-run, a worker marks the run failed
    // instead of leaving it "running" for good.
    const heartbeat = await startHeartbeat(foregroundProcessId(), "foreground", { db });
    try {
      return await executeRun(task, run, { attempts: 1, signal, finalAttempt: true, workerId: heartbeat.id });
    } finally {
      await heartbeat.stop();
    }
  } finally {
    await lock.release();
  }
}

/** Waits for a queued run to end (a worker must be running). */
export async function waitForRun(db: Db, runId: string, timeoutMs = 600_000): Promise<SyncRun> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await db.syncRun.findUniqueOrThrow({ where: { id: runId } });
    if (["succeeded", "failed", "cancelled"].includes(run.status)) return run;
    if (Date.now() > deadline)
      throw new Error(
        `run ${runId} is still ${run.status} after ${Math.round(timeoutMs / 1000)} s; is a worker running?`,
      );
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
