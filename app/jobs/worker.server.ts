import { EventEmitter } from "node:events";
import { readdirSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import {
  Logger as GraphileLogger,
  run,
  runMigrations,
  type Runner,
  type Task,
  type TaskList,
  type WorkerEvents,
} from "graphile-worker";
import pg from "pg";
import { describeError } from "../errors.server";
import { log } from "../log.server";
import { listenForBackOfficeChanges } from "../sync/backoffice-doorbell.server";
import prisma from "../db.server";
import { SYSTEM_QUEUE } from "./queues.server";
import { deadAfterMs, startHeartbeat, type Heartbeat } from "./recovery.server";
import { addDefaultSchedules } from "./schedules.server";

export const TASKS_DIR = path.resolve(import.meta.dirname, "../../tasks");

/** Fixed schedules. Per-shop schedules live in the Schedule table and fan out from the tick. */
export const CRONTAB = [`* * * * * schedule_tick ?max=1&queue=${SYSTEM_QUEUE}&jobKey=schedule_tick`].join(
  "\n",
);

/** Loads tasks/<name>.ts: the file name is the task name, the default export the task. */
export async function loadTasks(dir = TASKS_DIR): Promise<TaskList> {
  const tasks: TaskList = {};
  for (const file of readdirSync(dir)
    .filter((name) => /^[a-z][a-z0-9_]*\.ts$/.test(name))
    .sort()) {
    const module = (await import(pathToFileURL(path.join(dir, file)).href)) as { default?: Task };
    if (typeof module.default !== "function") throw new Error(`tasks/${file} has no default export task`);
    tasks[file.replace(/\.ts$/, "")] = module.default;
  }
  return tasks;
}

const graphileLogger = new GraphileLogger((scope) => (level, message, meta) => {
  const fields = { component: "graphile-worker", ...scope, ...meta };
  if (level === "error") log.error(fields, message);
  else if (level === "warning") log.warn(fields, message);
  else if (level === "info" && !message.startsWith("Completed task")) log.info(fields, message);
  else log.debug(fields, message);
});

/** The session setting that names the worker pool a connection of graphile-worker's works for. */
const POOL_SETTING = "bos.worker_pool";

/**
 * A pg pool for graphile-worker whose connections' errors are heard for as long as they live.
 * graphile-worker's own pool (given a connection string) stops listening when its runner is
 * released, before its connections are all closed: one the server ends then (Postgres
 * restarting while a pool that gave up, or failed to start, is stopping) is an 'error' event
 * that nobody hears, and Node ends the process. The caller ends the pool once graphile-worker
 * is done with it.
 *
 * Once `poolId()` names the worker pool, each connection is given it (the session setting
 * `bos.worker_pool`, set before the connection is handed over for that pool's first
 * statement) so the fence on completed jobs (`JOB_FENCE_SQL`) knows whose completion it is.
 */
function workerPgPool(connectionString: string, poolId: () => string | undefined = () => undefined): pg.Pool {
  const pool = new pg.Pool({ connectionString });
  const lost = (error: Error) =>
    log.warn({ component: "graphile-worker", error: error.message }, "worker database connection lost");
  // Idle connections' errors come as the pool's; those of a connection in use, as the client's.
  pool.on("error", lost);
  pool.on("connect", (client) => client.on("error", lost));
  const named = new WeakMap<pg.PoolClient, string>();
  const nameFor = async (client: pg.PoolClient): Promise<pg.PoolClient> => {
    const id = poolId();
    if (id && named.get(client) !== id) {
      await client.query("select set_config($1, $2, false)", [POOL_SETTING, id]);
      named.set(client, id);
    }
    return client;
  };
  // Every checkout, graphile-worker's own and pool.query()'s, goes through connect(): the
  // connection is named before it is handed over.
  const connect = pool.connect.bind(pool) as (
    callback: (
      error: Error | undefined,
      client: pg.PoolClient | undefined,
      done: (release?: unknown) => void,
    ) => void,
  ) => void;
  const namedConnect = (
    callback?: (error?: Error, client?: pg.PoolClient, done?: (release?: unknown) => void) => void,
  ) => {
    const handOver = new Promise<pg.PoolClient>((resolve, reject) =>
      connect((error, client, done) => {
        if (error || !client) return reject(error ?? new Error("no connection"));
        nameFor(client).then(resolve, (failure: Error) => {
          done(failure);
          reject(failure);
        });
      }),
    );
    if (!callback) return handOver;
    handOver.then(
      (client) => callback(undefined, client, (release) => client.release(release as Error | undefined)),
      (error: Error) => callback(error),
    );
    return undefined;
  };
  pool.connect = namedConnect as typeof pool.connect;
  return pool;
}

/**
 * The fence on completed jobs. graphile-worker 0.18 completes a job by deleting it by id
 * whoever holds it now, and unlocks its queue only for the pool that completes it. A pool
 * whose heartbeat stopped (the database was lost, or its event loop stood still past the
 * detection interval) may still finish a job after crash recovery handed that job to another
 * pool: its completion then deleted the job the new holder was running and left that holder's
 * queue locked for good (the fault suite's pg-restart found it in 2 runs of 20). The trigger
 * skips the deletion of a job locked by another pool than the one the deleting connection
 * works for; the new holder completes it. Connections that name no pool (the app's own) are
 * not fenced.
 */
export const JOB_FENCE_SQL = `
create or replace function graphile_worker.bos_fence_job_completion() returns trigger
language plpgsql as $$
declare
  deleting_pool text := nullif(current_setting('${POOL_SETTING}', true), '');
begin
  if deleting_pool is not null and old.locked_by is not null and old.locked_by <> deleting_pool then
    return null;
  end if;
  return old;
end;
$$;
create or replace trigger bos_fence_job_completion
  before delete on graphile_worker._private_jobs
  for each row execute function graphile_worker.bos_fence_job_completion();
`;

/** Installs or upgrades graphile-worker's own schema, and the app's fence on it. */
export async function migrateWorkerSchema(connectionString: string): Promise<void> {
  const pgPool = workerPgPool(connectionString);
  try {
    await runMigrations({ pgPool, logger: graphileLogger });
    // Workers starting together each come here: one at a time replaces the fence.
    const client = await pgPool.connect();
    try {
      await client.query("begin");
      await client.query("select pg_advisory_xact_lock(hashtext('bos_fence_job_completion'))");
      await client.query(JOB_FENCE_SQL);
      await client.query("commit");
    } catch (error) {
      await client.query("rollback").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  } finally {
    await pgPool.end().catch(() => undefined);
  }
}

export interface WorkerOptions {
  connectionString: string;
  concurrency?: number;
  taskList?: TaskList;
  crontab?: string;
  pollInterval?: number;
  /** Leave signal handling to the caller (tests, launchers that run several things). */
  noHandleSignals?: boolean;
  /** Crash recovery's detection interval (default WORKER_DEAD_AFTER_MS, else a minute). */
  deadAfterMs?: number;
  /** Listen to the back office's change doorbell and queue the exports it rings (default on). */
  backOfficeDoorbell?: boolean;
}

/** A runner whose pool may give up by itself: `lost` resolves, with graphile's reason, when it does. */
export type WorkerRunner = Runner & { lost: Promise<string> };

/**
 * A graphile-worker runner with a heartbeat: while it runs, its pool's WorkerProcess row is
 * kept fresh and it recovers the runs and locks of workers that stopped without a clean
 * shutdown (app/jobs/recovery.server.ts). `stop()` finishes the jobs in hand, then removes
 * the row.
 *
 * A pool that shuts down by itself (graphile-worker does when it cannot write a job's outcome:
 * the database was lost) may never finish shutting down, and while its heartbeat went on its
 * locked jobs and queues were nobody's to recover: the shop's syncs of that category stalled.
 * So the heartbeat ends the moment the pool starts such a shutdown, crash recovery takes what
 * it held as a stopped worker's, and `lost` tells the caller to start a new pool.
 *
 * Before it starts, every installed shop is given the default schedules it lacks (a task that
 * gained one in this release), so the schedule tick finds them.
 *
 * The database lost while it starts (its heartbeat row not written) makes it throw, for the
 * caller to try again, and stops the pool it started without waiting for it (as a pool that
 * gives up, its jobs are crash recovery's): left running, that pool would take jobs that no
 * heartbeat covers. A pool that gives up while it starts ends it as one that gives up later:
 * `lost` resolves as soon as the runner is returned.
 */
export async function startWorker(options: WorkerOptions): Promise<WorkerRunner> {
  const taskList = options.taskList ?? (await loadTasks());
  const added = await addDefaultSchedules(prisma);
  if (added > 0) log.info({ added }, "default schedules added to the shops that had none");
  const events: WorkerEvents = new EventEmitter();
  let poolId: string | undefined;
  let stopping = false;
  let lose!: (reason: string) => void;
  const lost = new Promise<string>((resolve) => (lose = resolve));
  // Until the heartbeat beats, there is none to end.
  let endHeartbeat: () => Promise<void> = () => Promise.resolve();
  let gaveUp = false;
  events.on("pool:create", ({ workerPool }) => {
    poolId = workerPool.id;
  });
  // Heard from the pool's start on: a pool may give up before run() has returned.
  events.on("pool:gracefulShutdown", ({ workerPool, message }) => {
    if (workerPool.id !== poolId || stopping) return;
    log.error(
      { workerId: poolId, reason: message },
      "the worker pool is shutting down by itself; crash recovery takes the jobs it held",
    );
    gaveUp = true;
    void endHeartbeat();
    lose(message);
  });
  const pgPool = workerPgPool(options.connectionString, () => poolId);
  let poolEnded: Promise<void> | undefined;
  const endPool = () => (poolEnded ??= pgPool.end().catch(() => undefined));
  const runner = await run({
    pgPool,
    concurrency: options.concurrency ?? Number(process.env.WORKER_CONCURRENCY ?? 5),
    pollInterval: options.pollInterval ?? 1000,
    taskList,
    crontab: options.crontab ?? CRONTAB,
    noHandleSignals: options.noHandleSignals ?? false,
    logger: graphileLogger,
    events,
    // Completions and failures go through graphile-worker's batcher (delay 0: next tick), whose
    // release stop() awaits. Unbatched (the default), stop() resolves before the last job's
    // completion is written and then closes the pool: that job and its queue stay locked.
    // Stopping (Ctrl-C, SIGTERM) lets the jobs in hand finish for up to 30 s before their
    // signal aborts them (graphile-worker's default is 5 s: an import a little slower than
    // that was cut off and taken again at the next start).
    preset: {
      worker: { completeJobBatchDelay: 0, failJobBatchDelay: 0, gracefulShutdownAbortTimeout: 30_000 },
    },
  }).catch(async (error: unknown) => {
    await endPool();
    throw error;
  });
  if (!poolId) {
    await runner.stop().finally(endPool);
    throw new Error("graphile-worker started no worker pool");
  }
  let heartbeat: Heartbeat;
  try {
    heartbeat = await startHeartbeat(poolId, "worker", {
      deadAfter: options.deadAfterMs ?? deadAfterMs(),
      recover: true,
    });
  } catch (error) {
    stopping = true;
    log.error(
      { workerId: poolId, error: describeError(error) },
      "the worker pool could not register its heartbeat (the database lost?); stopping it",
    );
    void runner
      .stop()
      .catch(() => undefined)
      .then(endPool);
    throw error;
  }
  const doorbell = options.backOfficeDoorbell === false ? null : listenForBackOfficeChanges();
  let ended: Promise<void> | undefined;
  endHeartbeat = () => (ended ??= Promise.all([heartbeat.stop(), doorbell?.close()]).then(() => undefined));
  if (gaveUp) void endHeartbeat();
  const stopRunner = runner.stop.bind(runner);
  runner.stop = async (reason?: string) => {
    stopping = true;
    try {
      await stopRunner(reason);
    } finally {
      void endPool();
    }
    await endHeartbeat();
  };
  // When graphile-worker handles the signals itself, or the pool gave up and finished
  // shutting down, the runner ends without stop(), after graphile-worker's own release. After
  // stop() (its promise may settle before the release has written the last completions), the
  // pool is stop()'s to end.
  const ends = () => Promise.all([endHeartbeat(), stopping ? undefined : endPool()]).then(() => undefined);
  void runner.promise.then(ends, ends);
  log.info({ tasks: Object.keys(taskList), workerId: poolId }, "worker started");
  return Object.assign(runner, { lost });
}
