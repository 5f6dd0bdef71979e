import { z } from "zod";
import type { Db } from "../db.server";
import type { Prisma, Shop, SyncRun } from "../generated/prisma/client";
import { RUN_STATUSES, TRIGGERS } from "../jobs/sync-task.server";
import { TASK_CATALOG } from "../sync/index.server";
import { Refusal } from "./refusal.server";
import { runNow, type RunNowResult } from "./tasks.server";

/**
 * The job list: a shop's sync runs (the job queue entries), filtered by task and status, with
 * Retry for runs that ended badly and Cancel for runs still waiting for a worker.
 */

export const PAGE_SIZE = 50;

export const runQuery = z.object({
  task: z
    .string()
    .optional()
    .transform((value) => value || undefined)
    .refine((value) => !value || TASK_CATALOG.some((task) => task.name === value), "no such task"),
  status: z
    .string()
    .optional()
    .transform((value) => value || undefined)
    .refine((value) => !value || (RUN_STATUSES as readonly string[]).includes(value), "no such status"),
  trigger: z
    .enum(TRIGGERS)
    .optional()
    .or(z.literal("").transform(() => undefined)),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
});
export type RunQuery = z.output<typeof runQuery>;

export async function listRuns(db: Db, shopId: string, query: RunQuery) {
  const where: Prisma.SyncRunWhereInput = {
    shopId,
    ...(query.task ? { task: query.task } : {}),
    ...(query.status ? { status: query.status } : {}),
    ...(query.trigger ? { trigger: query.trigger } : {}),
  };
  const [runs, total, active] = await Promise.all([
    db.syncRun.findMany({
      where,
      orderBy: { queuedAt: "desc" },
      skip: (query.page - 1) * PAGE_SIZE,
      take: PAGE_SIZE,
    }),
    db.syncRun.count({ where }),
    db.syncRun.count({ where: { shopId, status: { in: ["queued", "running"] } } }),
  ]);
  return { runs, total, active };
}

function checkRunId(runId: string): void {
  if (!z.uuid().safeParse(runId).success)
    throw new Refusal("That is not a run id.", 400, { runId: "not the id of a run on this list" });
}

// Scoped by shop: another shop's run id is as unknown as one that never existed.
const NO_SUCH_RUN = "No such run for this shop.";

async function shopRun(db: Db, shopId: string, runId: string): Promise<SyncRun> {
  checkRunId(runId);
  const run = await db.syncRun.findFirst({ where: { id: runId, shopId } });
  if (!run) throw new Refusal(NO_SUCH_RUN, 404);
  return run;
}

/** A failed or cancelled run again, with the same filters, as a new run started by a person. */
export async function retryRun(db: Db, shop: Shop, runId: string): Promise<RunNowResult> {
  const run = await shopRun(db, shop.id, runId);
  if (run.status !== "failed" && run.status !== "cancelled")
    throw new Refusal(`Only a failed or cancelled run can be retried; this one is ${run.status}.`);
  return runNow(db, shop, run.task, { filters: run.filters });
}

/**
 * Cancels a run that no worker has taken yet (waiting, or waiting to retry after an error):
 * its job is removed and the run ends as cancelled, in one transaction. A running run cannot
 * be stopped from here; it finishes on its own.
 */
export async function cancelRun(db: Db, shopId: string, runId: string): Promise<SyncRun> {
  checkRunId(runId);
  return db.$transaction(async (tx) => {
    const [run] = await tx.$queryRaw<SyncRun[]>`
      select * from "SyncRun" where id = ${runId}::uuid and "shopId" = ${shopId}::uuid for update`;
    if (!run) throw new Refusal(NO_SUCH_RUN, 404);
    if (run.status !== "queued")
      throw new Refusal(`Only a waiting run can be cancelled; this one is ${run.status}.`);
    if (run.jobId) {
      const [job] = await tx.$queryRaw<{ locked: boolean }[]>`
        select locked_at is not null as locked from graphile_worker._private_jobs
         where id = ${run.jobId}::bigint for update`;
      if (job?.locked)
        throw new Refusal("A worker has just started this run; it can no longer be cancelled.", 409);
      await tx.$executeRaw`delete from graphile_worker._private_jobs where id = ${run.jobId}::bigint`;
    }
    return tx.syncRun.update({
      where: { id: runId },
      data: { status: "cancelled", error: "cancelled by a person", finishedAt: new Date() },
    });
  });
}
