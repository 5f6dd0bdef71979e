import { createHash, randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";

/**
 * Applies the SQL migrations in prisma/migrations (Prisma's folder layout) without Prisma's
 * native schema engine, which cannot be downloaded here. Bookkeeping goes in Prisma's own
 * `_prisma_migrations` table, so `prisma migrate status` on a machine that has the engine
 * reads the same history.
 *
 * - idempotent: applied migrations are skipped (and a changed file is refused);
 * - transactional: each migration and its bookkeeping row commit together or not at all;
 * - safe to run from several processes at once: they queue on an advisory lock.
 */

export const MIGRATIONS_DIR = path.resolve(import.meta.dirname, "../../prisma/migrations");
/** The advisory lock the migrations queue on: arbitrary, fixed ("this app's migrations"). */
export const MIGRATION_LOCK_KEY = 727_274_001;

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(dir, entry.name, "migration.sql")))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

export class MigrationError extends Error {}

export async function migrate(
  connectionString: string,
  options: { dir?: string } = {},
): Promise<{ applied: string[]; skipped: string[] }> {
  const migrations = readMigrations(options.dir);
  const client = new pg.Client({ connectionString });
  // A connection the server ends (Postgres restarting) is an 'error' event besides the failed
  // statement; unheard, it would end the process instead of failing the migration.
  client.on("error", () => undefined);
  await client.connect();
  const applied: string[] = [];
  const skipped: string[] = [];
  try {
    await client.query("select pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    await client.query(`
      create table if not exists "_prisma_migrations" (
        "id" varchar(36) primary key,
        "checksum" varchar(64) not null,
        "finished_at" timestamptz,
        "migration_name" varchar(255) not null,
        "logs" text,
        "rolled_back_at" timestamptz,
        "started_at" timestamptz not null default now(),
        "applied_steps_count" integer not null default 0
      )`);
    const done = await client.query<{ migration_name: string; checksum: string }>(
      `select migration_name, checksum from "_prisma_migrations"
        where finished_at is not null and rolled_back_at is null`,
    );
    const known = new Map(done.rows.map((row) => [row.migration_name, row.checksum]));
    for (const migration of migrations) {
      const checksum = known.get(migration.name);
      if (checksum) {
        if (checksum !== migration.checksum) {
          throw new MigrationError(
            `migration ${migration.name} was changed after it was applied; add a new migration instead`,
          );
        }
        skipped.push(migration.name);
        continue;
      }
      await client.query("begin");
      try {
        await client.query(migration.sql);
        await client.query(
          `insert into "_prisma_migrations" (id, checksum, migration_name, finished_at, applied_steps_count)
           values ($1, $2, $3, now(), 1)`,
          [randomUUID(), migration.checksum, migration.name],
        );
        await client.query("commit");
        applied.push(migration.name);
      } catch (error) {
        await client.query("rollback");
        throw new MigrationError(
          `migration ${migration.name} failed and was rolled back: ${(error as Error).message}`,
        );
      }
    }
  } finally {
    await client.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]).catch(() => {});
    await client.end();
  }
  return { applied, skipped };
}
