import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate, MIGRATIONS_DIR, readMigrations } from "../../app/db/migrate.server";

const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
beforeAll(() => client.connect());
afterAll(() => client.end());

function migrationsDir(migrations: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "bos-migrations-"));
  for (const [name, sql] of Object.entries(migrations)) {
    mkdirSync(path.join(dir, name));
    writeFileSync(path.join(dir, name, "migration.sql"), sql);
  }
  return dir;
}

describe("npm run db:migrate", () => {
  it("applies nothing the second time: the template database already has every migration", async () => {
    const result = await migrate(process.env.DATABASE_URL!);
    expect(result.applied).toEqual([]);
    expect(result.skipped).toEqual(readMigrations(MIGRATIONS_DIR).map((m) => m.name));
  });

  it("applies new migrations in order, each with its bookkeeping row", async () => {
    const dir = migrationsDir({
      "20990101000000_a": `create table "ProbeA" (id int primary key);`,
      "20990101000001_b": `alter table "ProbeA" add column label text;`,
    });
    const result = await migrate(process.env.DATABASE_URL!, { dir });
    expect(result.applied).toEqual(["20990101000000_a", "20990101000001_b"]);
    const { rows } = await client.query(
      `select column_name from information_schema.columns where table_name = 'ProbeA' order by 1`,
    );
    expect(rows.map((r: { column_name: string }) => r.column_name)).toEqual(["id", "label"]);
    await client.query(
      `drop table "ProbeA"; delete from "_prisma_migrations" where migration_name like '2099%'`,
    );
  });

  it("rolls a failing migration back whole and says which one failed", async () => {
    const dir = migrationsDir({
      "20990102000000_half": `create table "ProbeB" (id int primary key); insert into "Nope" values (1);`,
    });
    await expect(migrate(process.env.DATABASE_URL!, { dir })).rejects.toThrow(
      /20990102000000_half failed and was rolled back: relation "Nope" does not exist/,
    );
    const { rowCount } = await client.query(
      `select 1 from information_schema.tables where table_name = 'ProbeB'`,
    );
    expect(rowCount).toBe(0);
    const { rowCount: booked } = await client.query(
      `select 1 from "_prisma_migrations" where migration_name = '20990102000000_half'`,
    );
    expect(booked).toBe(0);
  });

  it("refuses a migration whose file changed after it was applied", async () => {
    const dir = migrationsDir({ "20990103000000_c": `create table "ProbeC" (id int);` });
    await migrate(process.env.DATABASE_URL!, { dir });
    writeFileSync(path.join(dir, "20990103000000_c", "migration.sql"), `create table "ProbeC" (id bigint);`);
    await expect(migrate(process.env.DATABASE_URL!, { dir })).rejects.toThrow(
      /was changed after it was applied/,
    );
    await client.query(
      `drop table "ProbeC"; delete from "_prisma_migrations" where migration_name like '2099%'`,
    );
  });

  it("lets two processes migrate at once without applying anything twice", async () => {
    const dir = migrationsDir({ "20990104000000_d": `create table "ProbeD" (id int);` });
    const [first, second] = await Promise.all([
      migrate(process.env.DATABASE_URL!, { dir }),
      migrate(process.env.DATABASE_URL!, { dir }),
    ]);
    expect([...first.applied, ...second.applied]).toEqual(["20990104000000_d"]);
    await client.query(
      `drop table "ProbeD"; delete from "_prisma_migrations" where migration_name like '2099%'`,
    );
  });
});
