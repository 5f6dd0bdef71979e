import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "./generated/prisma/client";
import { log } from "./log.server";

/**
 * The Prisma client, one per process. DATABASE_URL must be set before this module is first
 * used: the launchers (scripts/*.ts) and the test setup set it, starting the private
 * Postgres when the environment gives none.
 */
function createClient(): { prisma: PrismaClient; pool: pg.Pool } {
  const connectionString = process.env.DATABASE_URL;
  if (!connectionString) {
    throw new Error(
      "DATABASE_URL is not set. Start the app with `npm run dev` or `npm run demo`, which start a local Postgres, or set DATABASE_URL.",
    );
  }
  const pool = new pg.Pool({ connectionString, max: Number(process.env.DATABASE_POOL_SIZE ?? 10) });
  // An idle connection that the server drops (Postgres restarting, a failover) is an 'error'
  // event on the pool; unheard, Node ends the process. The pool replaces the connection on the
  // next query, and queries in flight fail on their own (a run retries, a page answers 500).
  pool.on("error", (error) => log.warn({ err: error }, "database connection lost; the pool reconnects"));
  // Prisma's queries and the few hot paths that speak SQL directly share one pool;
  // $disconnect ends it.
  const adapter = new PrismaPg(pool, { disposeExternalPool: true });
  return { prisma: new PrismaClient({ adapter }), pool };
}

declare global {
  var __prisma: PrismaClient | undefined;
  var __pgPool: pg.Pool | undefined;
}

function client(): PrismaClient {
  // Vite's dev server reloads modules; keep one client across reloads.
  if (!globalThis.__prisma) {
    const created = createClient();
    globalThis.__prisma = created.prisma;
    globalThis.__pgPool = created.pool;
  }
  return globalThis.__prisma;
}

/**
 * The pg pool under the Prisma client, for a hot path that is one SQL statement (the order
 * webhook's doorbell): no interactive transaction, no query compilation, one round trip.
 */
export function pgPool(): pg.Pool {
  client();
  return globalThis.__pgPool!;
}

/**
 * Created on first use, so that launchers can import app modules before they have found or
 * started the database and set DATABASE_URL.
 */
const prisma = new Proxy({} as PrismaClient, {
  get(_target, property) {
    const real = client();
    const value = Reflect.get(real, property, real) as unknown;
    return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(real) : value;
  },
  has(_target, property) {
    return Reflect.has(client(), property);
  },
});

export default prisma;
export type Db = PrismaClient;
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];
