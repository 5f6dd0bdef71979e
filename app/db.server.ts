import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client";

/**
 * The Prisma client, one per process. DATABASE_URL must be set before this module is first
 * used: the launchers (scripts/*.ts) and the test setup set it, starting the private
 * Postgres when the environment gives none.
 */
function createClient(): PrismaClient {
  const connectionString = process.env.DATABASE_URL;
  if (!connectionString) {
    throw new Error(
      "DATABASE_URL is not set. Start the app with `npm run dev` or `npm run demo`, which start a local Postgres, or set DATABASE_URL.",
    );
  }
  const adapter = new PrismaPg({ connectionString, max: Number(process.env.DATABASE_POOL_SIZE ?? 10) });
  return new PrismaClient({ adapter });
}

declare global {
  var __prisma: PrismaClient | undefined;
}

// Vite's dev server reloads modules; keep one client across reloads.
const prisma: PrismaClient = globalThis.__prisma ?? createClient();
if (process.env.NODE_ENV !== "production") globalThis.__prisma = prisma;

export default prisma;
export type Db = PrismaClient;
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];
