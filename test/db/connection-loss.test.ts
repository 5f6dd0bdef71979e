import http from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import prisma, { pgPool } from "../../app/db.server";
import { migrate, MIGRATION_LOCK_KEY } from "../../app/db/migrate.server";
import { bulkRecords } from "../../app/shopify/bulk.server";

/**
 * Postgres dropping the app's idle connections (a restart, a failover, an operator's
 * pg_terminate_backend): the process goes on and the next query gets a new connection.
 * Without a listener for the pool's 'error' event Node would end the process.
 *
 * The same for the connections of their own that the app opens outside the pool (a bulk
 * result's spool, the migrations): pg emits 'error' on a client whose connection the server
 * ends, even when a query in flight fails with it; unheard, Node ends the process. What used
 * the connection fails instead, and its caller decides (a run retries, a worker starting tries
 * again).
 */

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One statement on a connection of its own. */
async function adminQuery<T extends pg.QueryResultRow>(sql: string, values: unknown[] = []): Promise<T[]> {
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  try {
    return (await admin.query<T>(sql, values)).rows;
  } finally {
    await admin.end();
  }
}

/**
 * Ends the connections (but `spared`) whose last statement is like `statement`, and waits
 * until they are gone.
 */
async function terminate(statement: string, spared: number[] = []): Promise<number> {
  const where = `datname = current_database() and pid <> pg_backend_pid() and query ilike $1
                 and pid <> all($2::int[])`;
  const ended = await adminQuery(`select pg_terminate_backend(pid) from pg_stat_activity where ${where}`, [
    statement,
    spared,
  ]);
  for (let tries = 0; tries < 100; tries++) {
    const [left] = await adminQuery<{ n: string }>(
      `select count(*) as n from pg_stat_activity where ${where}`,
      [statement, spared],
    );
    if (left?.n === "0") break;
    await sleep(50);
  }
  // The client has read the server's last words (and the end of the connection) by now.
  await sleep(200);
  return ended.length;
}

async function until(what: string, test: () => Promise<boolean>): Promise<void> {
  for (let tries = 0; !(await test()); tries++) {
    if (tries > 200) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

const servers: http.Server[] = [];
afterAll(async () => {
  for (const server of servers) await new Promise((resolve) => server.close(resolve));
});

describe("when Postgres drops the app's idle connections", () => {
  it("the process goes on and the next query is answered", async () => {
    await prisma.$queryRaw`select 1`;
    const pool = pgPool();
    expect(pool.idleCount).toBeGreaterThan(0);
    const lost = new Promise<Error>((resolve) => pool.once("error", resolve));

    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(
      "select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()",
    );
    await admin.end();

    expect((await lost).message).toMatch(/terminat/i);
    const [row] = await prisma.$queryRaw<{ answer: number }[]>`select 42 as answer`;
    expect(row?.answer).toBe(42);
  });

  it("a bulk result's spool connection dropped between pages fails the read, not the process", async () => {
    const lines = ["gid://shopify/Order/1", "gid://shopify/Order/2", "gid://shopify/Order/3"]
      .map((id) => JSON.stringify({ id }))
      .join("\n");
    const server = http.createServer((_request, response) => response.end(`${lines}\n`));
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/result.jsonl`;

    const records = bulkRecords(url, { pageSize: 1 });
    const first = await records.next();
    expect(first.value).toMatchObject({ node: { id: "gid://shopify/Order/1" } });
    // The spool's connection is idle while the caller handles the page it was given.
    expect(await terminate("%bulk_spool_%")).toBe(1);

    await expect(records.next()).rejects.toThrow(/terminat|not queryable/i);
    const [row] = await prisma.$queryRaw<{ answer: number }[]>`select 42 as answer`;
    expect(row?.answer).toBe(42);
  });

  it("the migrations' connection dropped mid-statement fails the migration, not the process", async () => {
    // Held here, the migrations' lock keeps their connection in a statement until it is dropped.
    const holder = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await holder.connect();
    await holder.query("select pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    const {
      rows: [own],
    } = await holder.query<{ pid: number }>("select pg_backend_pid() as pid");
    try {
      const migrating = migrate(process.env.DATABASE_URL!);
      const outcome = migrating.then(
        () => null,
        (error: unknown) => error as Error,
      );
      await until("the migrations to wait for their lock", async () => {
        const [waiting] = await adminQuery<{ n: string }>(
          `select count(*) as n from pg_stat_activity
            where datname = current_database() and wait_event_type = 'Lock' and query ilike '%pg_advisory_lock%'`,
        );
        return waiting?.n === "1";
      });
      expect(await terminate("%pg_advisory_lock%", [own!.pid])).toBe(1);
      expect((await outcome)?.message).toMatch(/terminat/i);
    } finally {
      await holder.end();
    }
  });
});
