import { randomBytes } from "node:crypto";
import os from "node:os";
import prisma, { type Db } from "../db.server";
import { log } from "../log.server";

/**
 * Crash recovery. graphile-worker leaves the jobs and the named queue of a worker that died
 * (SIGKILL, out of memory, a lost machine, a deploy) locked for four hours, so that shop's
 * syncs of that category would wait that long. Here every process that runs sync runs keeps a
 * WorkerProcess row fresh (a heartbeat); every live worker looks, a few times per detection
 * interval, for processes whose row went stale and calls `bos_recover_stopped_workers`
 * (migration 20261202000000_crash_recovery_budget): their runs go back to queued with the
 * interruption noted, their jobs and queues are unlocked (graphile-worker's
 * force_unlock_workers) and run again at once. What the interrupted attempt had done stays
 * done once: the syncs are idempotent (one document per order; a fulfillment is found by its
 * tracking number before another is created).
 *
 * The detection interval (`WORKER_DEAD_AFTER_MS`, a minute by default) must be longer than
 * any pause of a live process's event loop, since a process that cannot beat is taken for
 * dead and its runs are started again elsewhere.
 */

export const DEFAULT_DEAD_AFTER_MS = 60_000;

export function deadAfterMs(): number {
  const configured = Number(process.env.WORKER_DEAD_AFTER_MS);
  return Number.isFinite(configured) && configured >= 1000 ? configured : DEFAULT_DEAD_AFTER_MS;
}

/** How often a process beats and a worker looks for stopped ones: four times per interval. */
export function beatIntervalMs(deadAfter: number): number {
  return Math.max(250, Math.floor(deadAfter / 4));
}

export type ProcessKind = "worker" | "foreground";

export interface RecoveredRun {
  workerId: string;
  runId: string | null;
  outcome: "requeued" | "failed" | "unlocked";
}

export async function registerProcess(
  db: Db,
  id: string,
  kind: ProcessKind,
  deadAfter: number,
): Promise<void> {
  await db.$executeRaw`
    insert into "WorkerProcess" (id, kind, host, pid, "deadAfterMs")
    values (${id}, ${kind}, ${os.hostname()}, ${process.pid}, ${Math.round(deadAfter)})
    on conflict (id) do update set "seenAt" = now()`;
}

/** Refreshes the process's row; re-creates it when a sweep had taken the process for dead. */
async function beat(db: Db, id: string, kind: ProcessKind, deadAfter: number): Promise<void> {
  const updated = await db.$executeRaw`update "WorkerProcess" set "seenAt" = now() where id = ${id}`;
  if (updated === 0) {
    log.error(
      { workerId: id, kind },
      "this process was taken for stopped (no heartbeat within the detection interval) and its runs were started again elsewhere",
    );
    await registerProcess(db, id, kind, deadAfter);
  }
}

export async function unregisterProcess(db: Db, id: string): Promise<void> {
  await db.$executeRaw`delete from "WorkerProcess" where id = ${id}`;
}

/** One recovery pass; returns what it did (nothing when another worker is doing a pass). */
export async function recoverStoppedWorkers(db: Db, deadAfter = deadAfterMs()): Promise<RecoveredRun[]> {
  const rows = await db.$queryRaw<
    { worker_id: string; run_id: string | null; outcome: RecoveredRun["outcome"] }[]
  >`
    select worker_id, run_id, outcome from bos_recover_stopped_workers(make_interval(secs => ${deadAfter / 1000}::float8))`;
  const recovered = rows.map((row) => ({ workerId: row.worker_id, runId: row.run_id, outcome: row.outcome }));
  for (const workerId of new Set(recovered.map((row) => row.workerId))) {
    const runs = recovered.filter((row) => row.workerId === workerId && row.runId);
    log.warn(
      {
        workerId,
        requeued: runs.filter((row) => row.outcome === "requeued").map((row) => row.runId),
        failed: runs.filter((row) => row.outcome === "failed").map((row) => row.runId),
      },
      "recovered the runs and locks of a process that stopped without a clean shutdown",
    );
  }
  return recovered;
}

export interface Heartbeat {
  id: string;
  stop: () => Promise<void>;
}

/**
 * Keeps a process's row fresh until stopped; a worker's heartbeat also runs the recovery
 * pass. Errors (the database restarting) are logged and the next beat tries again.
 */
export async function startHeartbeat(
  id: string,
  kind: ProcessKind,
  options: { db?: Db; deadAfter?: number; recover?: boolean } = {},
): Promise<Heartbeat> {
  const db = options.db ?? prisma;
  const deadAfter = options.deadAfter ?? deadAfterMs();
  await registerProcess(db, id, kind, deadAfter);
  let stopped = false;
  let current: Promise<void> = Promise.resolve();
  const tick = async () => {
    try {
      await beat(db, id, kind, deadAfter);
      if (options.recover) await recoverStoppedWorkers(db, deadAfter);
    } catch (error) {
      log.warn({ workerId: id, err: error }, "heartbeat or recovery pass failed; trying again");
    }
  };
  if (options.recover) current = tick();
  const timer = setInterval(() => {
    if (stopped) return;
    current = current.then(tick);
  }, beatIntervalMs(deadAfter));
  timer.unref();
  return {
    id,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await current;
      await unregisterProcess(db, id).catch((error: unknown) =>
        log.warn({ workerId: id, err: error }, "could not remove the process's heartbeat row"),
      );
    },
  };
}

export function foregroundProcessId(): string {
  return `fg-${randomBytes(9).toString("hex")}`;
}
