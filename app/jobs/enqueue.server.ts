import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Db, Tx } from "../db.server";
import type { SyncRun } from "../generated/prisma/client";
import { Prisma } from "../generated/prisma/client";
import { TerminalError } from "./errors.server";
import { jobKey as makeJobKey, queueName } from "./queues.server";
import type { SyncJobPayload, SyncTaskDefinition, Trigger } from "./sync-task.server";

export interface EnqueueRequest {
  shop: string;
  trigger: Trigger;
  /** Checked against the task's filter schema; refused (nothing queued) when invalid. */
  filters?: unknown;
  /** Overrides the task's default category (the merchant's choice for this shop). */
  category?: string;
  /**
   * De-duplication: while a job with this key is waiting, enqueueing again returns the
   * waiting run instead of adding another. `true` means the task's standard key
   * (`task:shop`). Once the job has started, a new one is queued behind it.
   */
  jobKey?: string | true;
  runAt?: Date;
}

export interface EnqueueResult {
  run: SyncRun;
  /** True when an already waiting run absorbed this request. */
  coalesced: boolean;
}

/** The full client, as opposed to a transaction's (which, in Prisma 7, has $transaction too). */
function isClient(db: Db | Tx): db is Db {
  return "$connect" in db;
}

/**
 * The one way to queue a sync: validates the request, writes the run record and adds the
 * graphile-worker job in one transaction (the caller's, when given one), on the shop's queue
 * for the task's category.
 */
/** The run waiting under this key whose job no worker has taken yet, if any. */
async function waitingRun(tx: Tx, shopId: string, key: string): Promise<SyncRun | null> {
  const [row] = await tx.$queryRaw<{ id: string }[]>`
    select r.id from "SyncRun" r join graphile_worker.jobs j on j.id = r."jobId"::bigint
     where r."shopId" = ${shopId}::uuid and r."jobKey" = ${key} and r.status = 'queued'
       and r."startedAt" is null and j.locked_at is null
     order by r."queuedAt" desc limit 1`;
  return row ? tx.syncRun.findUnique({ where: { id: row.id } }) : null;
}

/** Serialises enqueuers of one key, then looks again: two doorbells at once queue one run. */
async function lockThenWaitingRun(tx: Tx, shopId: string, key: string): Promise<SyncRun | null> {
  await tx.$executeRaw`select pg_advisory_xact_lock(hashtext(${key}))`;
  return waitingRun(tx, shopId, key);
}

/** The category the shop runs this task in: its choice on the task's settings, else the task's. */
export async function shopCategory(db: Db | Tx, shopId: string, task: { name: string; category: string }) {
  const settings = await db.schedule.findUnique({
    where: { shopId_task: { shopId, task: task.name } },
    select: { category: true },
  });
  return settings?.category ?? task.category;
}

export async function enqueueSync<F>(
  db: Db | Tx,
  task: SyncTaskDefinition<F>,
  request: EnqueueRequest,
): Promise<EnqueueResult> {
  const filters = task.filters.parse(request.filters ?? {});
  if (isClient(db)) return db.$transaction((tx) => enqueueIn(tx, task, request, filters));
  return enqueueIn(db, task, request, filters);
}

async function enqueueIn<F>(tx: Tx, task: SyncTaskDefinition<F>, request: EnqueueRequest, filters: F) {
  const shop = await tx.shop.findUnique({ where: { domain: request.shop } });
  if (!shop) throw new TerminalError(`unknown shop ${request.shop}`);
  if (shop.uninstalledAt) throw new TerminalError(`shop ${request.shop} has uninstalled the app`);

  const key = request.jobKey === true ? makeJobKey(task.name, shop.domain) : (request.jobKey ?? null);
  if (key) {
    // A burst of doorbells mostly finds the run already waiting: answered without a lock.
    const waiting = (await waitingRun(tx, shop.id, key)) ?? (await lockThenWaitingRun(tx, shop.id, key));
    if (waiting) return { run: waiting, coalesced: true };
  }

  const category = request.category ?? (await shopCategory(tx, shop.id, task));
  const run = await tx.syncRun.create({
    data: {
      id: randomUUID(),
      shopId: shop.id,
      task: task.name,
      trigger: request.trigger,
      category,
      filters: filters as Prisma.InputJsonValue,
      jobKey: key,
    },
  });
  const payload: SyncJobPayload = { shop: shop.domain, runId: run.id };
  const [job] = await tx.$queryRaw<{ id: bigint }[]>`
    select id from graphile_worker.add_job(
      identifier => ${task.name}::text,
      payload => ${JSON.stringify(payload)}::json,
      queue_name => ${queueName(shop.domain, category)}::text,
      run_at => ${request.runAt ?? null}::timestamptz,
      max_attempts => ${task.maxAttempts}::int,
      job_key => ${key}::text
    )`;
  if (!job) throw new Error("graphile_worker.add_job returned no job");
  const withJob = await tx.syncRun.update({ where: { id: run.id }, data: { jobId: job.id.toString() } });
  return { run: withJob, coalesced: false };
}

/** Parses `key=value` pairs from the CLI or a form into a filter object. */
export const filterPairs = z
  .array(z.string().regex(/^[A-Za-z][\w]*=.*$/, "filters are written key=value"))
  .transform((pairs) => {
    const filters: Record<string, string | string[]> = {};
    for (const pair of pairs) {
      const at = pair.indexOf("=");
      const key = pair.slice(0, at);
      const value = pair.slice(at + 1);
      const existing = filters[key];
      filters[key] =
        existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
    }
    return filters;
  });
