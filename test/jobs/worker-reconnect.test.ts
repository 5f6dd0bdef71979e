import { spawn, type ChildProcess } from "node:child_process";
import { rm } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { freePort, startLocalDatabase, type LocalDatabase } from "../../app/db/embedded.server";

/**
 * `npm run worker` while its Postgres restarts (a fast shutdown, down a few seconds, started
 * again on the same port). graphile-worker shuts its pool down when a query of its own finds
 * the connection refused; the process must not end with it, but start a new pool once the
 * database answers and run what is queued. The server is this test's own (never
 * DATABASE_URL's): an embedded Postgres in a data folder of its own, on a port of its own.
 */

const ROOT = path.resolve(import.meta.dirname, "../..");
const dataDir = path.join(ROOT, ".data", `test-worker-reconnect-${process.pid}`);
let server: LocalDatabase | undefined;
let worker: ChildProcess | undefined;

afterAll(async () => {
  if (worker && worker.exitCode === null && worker.signalCode === null) worker.kill("SIGKILL");
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

async function until(what: string, test: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    if (worker?.exitCode !== null || worker?.signalCode !== null)
      throw new Error(
        `the worker process ended (${worker?.exitCode ?? worker?.signalCode}) waiting for ${what}`,
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
