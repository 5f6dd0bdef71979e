import { spawn, type ChildProcess } from "node:child_process";
import { rm } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { freePort, startLocalDatabase, type LocalDatabase } from "../../app/db/embedded.server";
import { MIGRATION_LOCK_KEY } from "../../app/db/migrate.server";

/**
 * `npm run worker` while its Postgres restarts (a fast shutdown, down a few seconds, started
 * again on the same port). graphile-worker shuts its pool down when a query of its own finds
 * the connection refused; the process must not end with it, but start a new pool once the
 * database answers and run what is queued. The server is this test's own (never
 * DATABASE_URL's): an embedded Postgres in a data folder of its own, on a port of its own.
 *
 * And the database lost while the worker starts (its connections terminated, as a restart
 * does, with pg_terminate_backend on this file's own database): while it migrates, and while
 * its first pool, running already, registers its heartbeat row. It must try again, not end.
 */

const ROOT = path.resolve(import.meta.dirname, "../..");
const dataDir = path.join(ROOT, ".data", `test-worker-reconnect-${process.pid}`);
let server: LocalDatabase | undefined;
let worker: ChildProcess | undefined;
const children: ChildProcess[] = [];

afterAll(async () => {
  for (const child of [worker, ...children])
    if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await server?.stop();
  await rm(dataDir, { recursive: true, force: true });
}, 60_000);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One query on a connection of its own; null while the server does not answer. */
async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[] | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  client.on("error", () => undefined);
  try {
    await client.connect();
    return (await client.query<T>(sql)).rows;
  } catch {
    return null;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function until(
  what: string,
  test: () => Promise<boolean>,
  timeoutMs: number,
  child: ChildProcess | undefined = worker,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    if (child?.exitCode !== null || child?.signalCode !== null)
      throw new Error(
        `the worker process ended (${child?.exitCode ?? child?.signalCode}) waiting for ${what}`,
      );
    await sleep(200);
  }
}

describe("npm run worker when Postgres restarts", () => {
  it("keeps running and runs a job queued after the restart", async () => {
    const port = await freePort();
    server = await startLocalDatabase(dataDir, { port });
    const url = server.url;
    worker = spawn(process.execPath, ["--import", "tsx", "scripts/worker.ts", "--concurrency", "1"], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: "fatal", WORKER_DEAD_AFTER_MS: "2000" },
      stdio: "ignore",
    });
    const pools = async () =>
      (await query<{ id: string }>(url, `select id from "WorkerProcess" where kind = 'worker'`))?.map(
        (row) => row.id,
      ) ?? [];
    await until("the worker to start", async () => (await pools()).length === 1, 90_000);

    // A job in hand when the server goes: the schedule tick, held up by a lock on its table.
    const holder = new pg.Client({ connectionString: url });
    holder.on("error", () => undefined);
    await holder.connect();
    await holder.query(`begin; lock table "Schedule" in access exclusive mode`);
    await query(url, `select graphile_worker.add_job('schedule_tick', '{}'::json, job_key => 'in-hand')`);
    await until(
      "the worker to take the job",
      async () =>
        (
          await query<{ n: string }>(
            url,
            `select count(*) as n from graphile_worker._private_jobs where key = 'in-hand' and locked_by is not null`,
          )
        )?.[0]?.n === "1",
      30_000,
    );

    await server.stop();
    await holder.end().catch(() => undefined);
    // Longer than graphile-worker waits between looks for jobs: a look finds the connection refused.
    await sleep(6000);
    server = await startLocalDatabase(dataDir, { port });

    await until(
      "the database to take a job",
      async () =>
        (await query(
          url,
          `select graphile_worker.add_job('schedule_tick', '{}'::json, job_key => 'after-restart')`,
        )) !== null,
      30_000,
    );
    await until(
      "the job queued after the restart to run",
      async () =>
        (
          await query<{ n: string }>(
            url,
            `select count(*) as n from graphile_worker._private_jobs where key = 'after-restart'`,
          )
        )?.[0]?.n === "0",
      60_000,
    );
    expect(worker.exitCode).toBeNull();
  }, 180_000);
});

describe("npm run worker when the database is lost while it starts", () => {
  const url = () => process.env.DATABASE_URL!;

  /** A session of the test's own, which holds the worker up at one step of its start. */
  async function holder(): Promise<{ client: pg.Client; pid: number }> {
    const client = new pg.Client({ connectionString: url() });
    client.on("error", () => undefined);
    await client.connect();
    const { rows } = await client.query<{ pid: number }>("select pg_backend_pid() as pid");
    return { client, pid: rows[0]!.pid };
  }

  /** Whether a session of the database waits for a lock in a statement like `statement`. */
  async function waitsIn(statement: string): Promise<boolean> {
    const rows = await query<{ n: string }>(
      url(),
      `select count(*) as n from pg_stat_activity
        where datname = current_database() and wait_event_type = 'Lock'
          and query ilike '${statement.replaceAll("'", "''")}'`,
    );
    return Number(rows?.[0]?.n ?? 0) > 0;
  }

  /** Every connection to the database but the holders' ends, as a Postgres restart ends them. */
  async function terminateAllBut(pids: number[]): Promise<void> {
    const rows = await query<{ n: string }>(
      url(),
      `select count(*) as n from (
         select pg_terminate_backend(pid) from pg_stat_activity
          where datname = current_database() and pid <> pg_backend_pid() and pid <> all('{${pids.join(",")}}'::int[])) t`,
    );
    expect(Number(rows?.[0]?.n)).toBeGreaterThan(0);
  }

  function startWorkerProcess(): ChildProcess {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/worker.ts", "--concurrency", "1"], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: url(), LOG_LEVEL: "fatal", WORKER_DEAD_AFTER_MS: "2000" },
      stdio: "ignore",
    });
    children.push(child);
    return child;
  }

  /** Once started: one pool registered, a job queued now runs, and the process still runs. */
  async function runsAJob(child: ChildProcess, key: string): Promise<void> {
    await until(
      "a worker pool to register",
      async () =>
        (
          await query<{ n: string }>(url(), `select count(*) as n from "WorkerProcess" where kind = 'worker'`)
        )?.[0]?.n === "1",
      60_000,
      child,
    );
    await query(url(), `select graphile_worker.add_job('schedule_tick', '{}'::json, job_key => '${key}')`);
    await until(
      "the job to run",
      async () =>
        (
          await query<{ n: string }>(
            url(),
            `select count(*) as n from graphile_worker._private_jobs where key = '${key}'`,
          )
        )?.[0]?.n === "0",
      30_000,
      child,
    );
    expect(child.exitCode).toBeNull();
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
  }

  it("tries again when its connections are cut while it migrates", async () => {
    const migrations = await holder();
    await migrations.client.query("select pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    const child = startWorkerProcess();
    await until(
      "the worker to wait for the migrations' lock",
      () => waitsIn("%pg_advisory_lock%"),
      60_000,
      child,
    );
    await terminateAllBut([migrations.pid]);
    await migrations.client.end();
    await runsAJob(child, "after-lost-migrations");
  }, 120_000);

  it("tries again when its connections are cut while its first pool registers its heartbeat", async () => {
    const rows = await holder();
    await rows.client.query(`begin; lock table "WorkerProcess" in access exclusive mode`);
    const child = startWorkerProcess();
    await until(
      "the worker's first pool to register its heartbeat",
      () => waitsIn(`%insert into "WorkerProcess"%`),
      60_000,
      child,
    );
    await terminateAllBut([rows.pid]);
    await rows.client.query("rollback");
    await rows.client.end();
    await runsAJob(child, "after-lost-heartbeat");
  }, 120_000);
});
