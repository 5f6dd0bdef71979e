import { execFile } from "node:child_process";
import { chmod, mkdtemp, readlink, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { startLocalDatabase } from "../../app/db/embedded.server";
import { demoDatabase, DemoProcess } from "./demo-process";

/**
 * `npm run demo` twice on one data folder, each time stopped with Ctrl-C in the middle of its
 * first order import, as a person trying it would: the terminal's SIGINT goes to every process
 * of the foreground group. Each stop must be clean (exit 0, no unhandled error, no run left
 * running, no job or queue left locked) and the second start must resume the shop (no 401).
 */

let dataDir: string | undefined;
let demo: DemoProcess | undefined;

afterAll(async () => {
  if (demo?.child.exitCode === null) await demo.kill();
  if (!dataDir) return;
  // As root the cluster may live under SHARED_DIR, linked from the data folder.
  const cluster = await readlink(path.join(dataDir, "pg")).catch(() => null);
  const leftover = await startLocalDatabase(dataDir).catch(() => null);
  await leftover?.stop();
  if (cluster) await rm(cluster, { recursive: true, force: true });
  if (cluster) await rm(`${cluster}.source`, { force: true });
  await rm(path.dirname(dataDir), { recursive: true, force: true });
}, 60_000);

const START_MS = 150_000;

async function query<T extends pg.QueryResultRow>(db: pg.Client, sql: string): Promise<T[]> {
  return (await db.query<T>(sql)).rows;
}

/** Waits until an order import of the demo's shop is under way, or `succeeded` of them have succeeded. */
async function untilImport(db: pg.Client, state: { running: true } | { succeeded: number }): Promise<void> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const [row] = await query<{ running: number; succeeded: number }>(
      db,
      `select count(*) filter (where status = 'running')::int as running,
              count(*) filter (where status = 'succeeded')::int as succeeded
         from "SyncRun" where task = 'sync_orders'`,
    );
    if ("running" in state ? row!.running > 0 || row!.succeeded > 0 : row!.succeeded >= state.succeeded)
      return;
    if (Date.now() > deadline) throw new Error(`no order import ${JSON.stringify(state)} within 90 s`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Polls `probe` until it gives something, for up to `ms`. */
async function until<T>(what: string, probe: () => Promise<T | null | undefined>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The prices last sent for the demo beanie's variants, once its export has synced it. */
async function beaniePrices(db: pg.Client): Promise<string | null> {
  const [row] = await query<{ state: string; hashes: string | null }>(
    db,
    `select r.state, (select string_agg(coalesce(v."sentPriceHash", '-'), ',' order by v."variantCode")
                        from "ShopifyVariantMap" v where v."itemNo" = 'BEANIE') as hashes
       from "SyncRecord" r where r.task = 'sync_products' and r."recordKey" = 'BEANIE'`,
  );
  return row?.state === "synced" ? row.hashes : null;
}

/** Ctrl-C, then what the demo left behind in its database (opened again for the look). */
async function interruptAndInspect(run: DemoProcess) {
  run.interrupt();
  const exit = await Promise.race([
    run.exited,
    new Promise<null>((resolve) => setTimeout(() => resolve(null), 60_000)),
  ]);
  expect(exit, `the demo did not stop within a minute:\n${run.output()}`).toEqual({ code: 0, signal: null });
  expect(`${run.stdout}${run.stderr}`, run.output()).not.toMatch(/Unhandled|uncaught|"level":(50|60)/i);

  const database = await startLocalDatabase(run.dataDir);
  const db = await demoDatabase(run.dataDir);
  try {
    return {
      running: await query(db, `select task, status from "SyncRun" where status = 'running'`),
      lockedJobs: await query(
        db,
        `select t.identifier from graphile_worker._private_jobs j
           join graphile_worker._private_tasks t on t.id = j.task_id where j.locked_at is not null`,
      ),
      lockedQueues: await query(
        db,
        `select queue_name from graphile_worker._private_job_queues where locked_at is not null`,
      ),
      imports: await query<{ status: string }>(
        db,
        `select status from "SyncRun" where task = 'sync_orders' order by "queuedAt"`,
      ),
      orders: (await query<{ count: number }>(db, `select count(*)::int as count from "ShopifyOrder"`))[0]!
        .count,
    };
  } finally {
    await db.end();
    await database.stop();
  }
}

describe("npm run demo, stopped with Ctrl-C and started again on the same data folder", () => {
  it(
    "stops cleanly mid-import both times and resumes the shop the second time",
    async () => {
      // A folder anyone may enter (mkdtemp makes it 700): the root case has its own test.
      const folder = await mkdtemp(path.join(os.tmpdir(), "bos-demo-"));
      await chmod(folder, 0o755);
      dataDir = path.join(folder, "data");

      demo = await DemoProcess.start(dataDir);
      await demo.line(/^Admin: /, START_MS);
      const first = await demoDatabase(dataDir);
      await untilImport(first, { running: true }).finally(() => first.end());
      const afterFirst = await interruptAndInspect(demo);
      expect(afterFirst).toMatchObject({ running: [], lockedJobs: [], lockedQueues: [] });
      // The import the worker had in hand when Ctrl-C came finished: the seeded shop's orders.
      expect(afterFirst.imports[0]).toEqual({ status: "succeeded" });
      expect(afterFirst.orders).toBeGreaterThan(0);

      demo = await DemoProcess.start(dataDir);
      await demo.line(/^Admin: /, START_MS);
      expect(demo.stdout).toMatch(/^Resuming the demo in /m);
      // A whole-word 401: the random ports the demo prints may contain the digits (":40135").
      expect(demo.stdout).not.toMatch(/\b401\b|Invalid API key or access token/);
      const second = await demoDatabase(dataDir);
      // The order import it queues runs with the token the first demo got: the shop is the same.
      try {
        await untilImport(second, { succeeded: 2 });
        // The back office is the master of the demo beanie: a price set there with the CLI
        // reaches the simulated shop within seconds (the variants' sent prices change only
        // when Shopify has answered the update).
        const exported = await until("the demo beanie exported", () => beaniePrices(second));
        const shop = /[?&]shop=([^&\s]+)/.exec(demo.stdout)![1]!;
        await promisify(execFile)(
          path.resolve(import.meta.dirname, "../../node_modules/.bin/tsx"),
          ["scripts/cli.ts", "price", "BEANIE", "--shop", shop, "--price", "21"],
          {
            cwd: path.resolve(import.meta.dirname, "../.."),
            env: {
              ...process.env,
              DATABASE_URL: `postgres://postgres:postgres@127.0.0.1:${second.port}/app`,
            },
          },
        );
        const changed = Date.now();
        const sent = await until("the new price sent", async () => {
          const now = await beaniePrices(second);
          return now && now !== exported ? now : null;
        });
        expect(sent.split(",")).toHaveLength(2);
        expect(Date.now() - changed).toBeLessThan(10_000);
        // Resuming stocked nothing new: the beanie's variants are the BEANIE item's, not items.
        const strays = await query<{ no: string }>(
          second,
          `select no from "BoItem" where no like 'BEANIE-%'`,
        );
        expect(strays).toEqual([]);
      } finally {
        await second.end();
      }
      const afterSecond = await interruptAndInspect(demo);
      expect(afterSecond).toMatchObject({ running: [], lockedJobs: [], lockedQueues: [] });
      // (Webhooks of the shipment sync may have queued another import, which waits for the next start.)
      const imports = afterSecond.imports.map((run) => run.status).filter((status) => status !== "queued");
      expect(imports.length).toBeGreaterThanOrEqual(2);
      expect(
        imports.every((status) => status === "succeeded"),
        imports.join(", "),
      ).toBe(true);
      expect(afterSecond.orders).toBe(afterFirst.orders);
    },
    2 * START_MS + 180_000,
  );
});
