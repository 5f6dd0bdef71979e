import { Logger, runOnce } from "graphile-worker";
import prisma from "../../app/db.server";
import type { Shop } from "../../app/generated/prisma/client";
import { log } from "../../app/log.server";
import { loadTasks } from "../../app/jobs/worker.server";
import { scopeOutsideRun } from "../../app/sync/kit/scope.server";
import { processOrders } from "../../app/sync/orders/process.server";

/** Order processing as the worker would run it, here and now (no run record). */
export async function processStaged(shop: Shop) {
  return processOrders(scopeOutsideRun(prisma, shop, {}, log));
}

/**
 * Runs every job that is due, once, in a real graphile-worker with the tasks a worker loads
 * (every file of tasks/, as `npm run worker` does), then returns. A job whose task needs Shopify
 * would try to reach it: the tests that call this queue only work that stays in the database.
 */
export async function runQueuedJobs(): Promise<void> {
  await runOnce({
    connectionString: process.env.DATABASE_URL!,
    taskList: await loadTasks(),
    noHandleSignals: true,
    logger: new Logger(() => () => {}),
  });
}

/** The shop's runs of `task` still waiting for a worker. */
export async function queuedRuns(shop: Shop, task: string) {
  return prisma.syncRun.findMany({ where: { shopId: shop.id, task, status: "queued" } });
}
