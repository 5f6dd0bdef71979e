import pg from "pg";
import { describe, expect, it } from "vitest";
import prisma, { pgPool } from "../../app/db.server";

/**
 * Postgres dropping the app's idle connections (a restart, a failover, an operator's
 * pg_terminate_backend): the process goes on and the next query gets a new connection.
 * Without a listener for the pool's 'error' event Node would end the process.
 */

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
});
