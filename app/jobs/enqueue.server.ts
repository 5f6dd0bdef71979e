import { z } from "zod";
import type { Db, Tx } from "../db.server";
import type { SyncRun } from "../generated/prisma/client";
import { TerminalError } from "../errors.server";
import { jobKey as makeJobKey, queuePrefix } from "./queues.server";
import type { SyncTaskDefinition, Trigger } from "./sync-task.server";

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

/** The category the shop runs this task in: its choice on the task's settings, else the task's. */
export async function shopCategory(db: Db | Tx, shopId: string, task: { name: string; category: string }) {
  const settings = await db.schedule.findUnique({
    where: { shopId_task: { shopId, task: task.name } },
    select: { category: true },
  });
  return settings?.category ?? task.category;
}

/**
 * The one way to queue a sync: validates the request, writes the run record and adds the
 * graphile-worker job in one transaction (the caller's, when given one), on the shop's queue
 * for the task's category.
 */
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
  // bos_enqueue_run (prisma/migrations/20261130100000_enqueue_functions) writes the run and its
  // job, or returns the run still waiting under the key; the order doorbell calls it too.
  const [queued] = await tx.$queryRaw<{ run_id: string; coalesced: boolean }[]>`
    select run_id, coalesced from bos_enqueue_run(
      ${shop.id}::uuid, ${shop.domain}::text, ${queuePrefix(shop.domain)}::text, ${task.name}::text, ${request.trigger}::text,
      ${request.category ?? null}::text, ${task.category}::text, ${JSON.stringify(filters)}::jsonb,
      ${key}::text, ${request.runAt ?? null}::timestamptz, ${task.maxAttempts}::int)`;
  if (!queued) throw new Error("bos_enqueue_run returned no run");
  const run = await tx.syncRun.findUniqueOrThrow({ where: { id: queued.run_id } });
  return { run, coalesced: queued.coalesced };
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
