import type { JobHelpers, Task } from "graphile-worker";
import { z } from "zod";
import prisma, { type Db } from "../db.server";
import type { Shop, SyncRun } from "../generated/prisma/client";
import { log, type Logger } from "../log.server";
import { TerminalError } from "../errors.server";
import { holdCategory } from "./category-lock.server";
import { classifyError } from "./errors.server";
import { DEFAULT_CATEGORY } from "./queues.server";

export const TRIGGERS = ["manual", "schedule", "webhook", "back_office"] as const;
export type Trigger = (typeof TRIGGERS)[number];

export const RUN_STATUSES = ["queued", "running", "succeeded", "failed", "cancelled"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** What a job carries: ids only, never Shopify objects, tokens or personal data. */
export const syncJobPayload = z.object({
  shop: z.string().min(1),
  runId: z.uuid(),
});
export type SyncJobPayload = z.infer<typeof syncJobPayload>;

export type Counts = Record<string, number>;

export interface SyncContext<F> {
  db: Db;
  shop: Shop;
  run: SyncRun;
  filters: F;
  log: Logger;
  signal: AbortSignal;
  /** Adds to a named count (records handled, failed, skipped...). */
  count: (name: string, by?: number) => void;
  /** Reports progress; written to the run record at most a few times a second. */
  progress: (done: number, total: number) => Promise<void>;
}

export interface SyncTaskDefinition<F> {
  /** snake_case verb, also the file name in tasks/. */
  name: string;
  /** The category the task is in by default; tasks of one category never overlap per shop. */
  category: string;
  /** How the run's filters are checked; bad filters are refused before anything is queued. */
  filters: z.ZodType<F>;
  maxAttempts: number;
  run: (ctx: SyncContext<F>) => Promise<void>;
  /** The graphile-worker task: what tasks/<name>.ts exports. */
  task: Task;
}

const PROGRESS_WRITE_INTERVAL_MS = 250;

export function defineSyncTask<F>(spec: {
  name: string;
  category?: string;
  filters: z.ZodType<F>;
  maxAttempts?: number;
  run: (ctx: SyncContext<F>) => Promise<void>;
}): SyncTaskDefinition<F> {
  const definition: SyncTaskDefinition<F> = {
    name: spec.name,
    category: spec.category ?? DEFAULT_CATEGORY,
    filters: spec.filters,
    maxAttempts: spec.maxAttempts ?? 5,
    run: spec.run,
    task: (payload, helpers) => executeJob(definition, payload, helpers),
  };
  return definition;
}

async function executeJob<F>(
  definition: SyncTaskDefinition<F>,
  rawPayload: unknown,
  helpers: JobHelpers,
): Promise<void> {
  const parsed = syncJobPayload.safeParse(rawPayload);
  if (!parsed.success) {
    // Nothing to attach the error to: log it and let the job end, a retry cannot fix it.
    log.error({ task: definition.name, jobId: helpers.job.id }, "job payload is invalid; dropped");
    return;
  }
  const run = await prisma.syncRun.findUnique({ where: { id: parsed.data.runId } });
  if (!run || run.status === "cancelled" || run.status === "succeeded") {
    log.warn(
      { task: definition.name, runId: parsed.data.runId },
      "run is gone or already ended; job skipped",
    );
    return;
  }
  const last = helpers.job.attempts >= helpers.job.max_attempts;
  // The queue keeps queued runs of a category apart; this lock keeps them from a foreground run.
  const lock = await holdCategory(prisma, run, { wait: true, signal: helpers.abortSignal });
  try {
    await executeRun(definition, run, {
      attempts: helpers.job.attempts,
      signal: helpers.abortSignal,
      finalAttempt: last,
      // The worker pool holding the job: crash recovery finds the run by it.
      workerId: helpers.job.locked_by ?? undefined,
    });
  } finally {
    await lock.release();
  }
}

/**
 * Runs one sync run to its end state, writing the run record as it goes. Used by the worker
 * and by foreground runs. Throws only when the run should be retried.
 */
export async function executeRun<F>(
  definition: SyncTaskDefinition<F>,
  run: SyncRun,
  options: { attempts: number; signal: AbortSignal; finalAttempt: boolean; workerId?: string },
): Promise<SyncRun> {
  const runLog = log.child({ task: definition.name, runId: run.id });
  const counts: Counts = { ...(run.counts as Counts) };
  let lastProgressWrite = 0;
  const started = await prisma.syncRun.update({
    where: { id: run.id },
    data: {
      status: "running",
      attempts: options.attempts,
      startedAt: run.startedAt ?? new Date(),
      error: null,
      workerId: options.workerId ?? null,
    },
    include: { shop: true },
  });
  try {
    if (started.shop.uninstalledAt) throw new TerminalError(`shop ${started.shop.domain} is uninstalled`);
    const filters = definition.filters.parse(started.filters);
    runLog.info({ shop: started.shop.domain, attempts: options.attempts }, "sync started");
    await definition.run({
      db: prisma,
      shop: started.shop,
      run: started,
      filters,
      log: runLog,
      signal: options.signal,
      count: (name, by = 1) => {
        counts[name] = (counts[name] ?? 0) + by;
      },
      progress: async (done, total) => {
        const now = Date.now();
        if (now - lastProgressWrite < PROGRESS_WRITE_INTERVAL_MS && done < total) return;
        lastProgressWrite = now;
        await prisma.syncRun.update({
          where: { id: run.id },
          data: { progress: total > 0 ? Math.min(1, done / total) : null, counts },
        });
      },
    });
    runLog.info({ counts }, "sync succeeded");
    return await prisma.syncRun.update({
      where: { id: run.id },
      data: { status: "succeeded", progress: 1, counts, finishedAt: new Date() },
    });
  } catch (error) {
    const verdict = classifyError(error);
    const ends = verdict.terminal || options.finalAttempt;
    runLog.warn({ error: verdict.message, terminal: verdict.terminal, ends }, "sync attempt failed");
    const failed = await prisma.syncRun.update({
      where: { id: run.id },
      data: ends
        ? { status: "failed", counts, error: verdict.message, finishedAt: new Date() }
        : { status: "queued", counts, error: verdict.message },
    });
    if (!ends) throw error; // graphile-worker retries with its exponential backoff
    return failed;
  }
}
