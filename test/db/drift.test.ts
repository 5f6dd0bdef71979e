import { readFileSync } from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compareSchema, type DbSnapshot, type Dmmf } from "./schema-compare";

/**
 * prisma/schema.prisma and the migrated database must agree: every model a table, every
 * field a column of the right type and nullability, the same primary keys, unique and plain
 * indexes and foreign keys, and no table or column the schema does not know. Prisma's own
 * `migrate diff` needs a native engine that cannot be downloaded here, so the comparison is
 * made from Prisma's DMMF (its WebAssembly schema parser) and Postgres's catalogs.
 */

const require = createRequire(import.meta.url);
const wasm = require("@prisma/prisma-schema-wasm") as { get_dmmf: (params: string) => string };

const ROOT = path.resolve(import.meta.dirname, "../..");
const client = new pg.Client({ connectionString: process.env.DATABASE_URL });

async function snapshot(): Promise<DbSnapshot> {
  const columns = await client.query<{
    table_name: string;
    column_name: string;
    is_nullable: string;
    data_type: string;
    udt_name: string;
    datetime_precision: number | null;
    column_default: string | null;
  }>(`select table_name, column_name, is_nullable, data_type, udt_name, datetime_precision, column_default
        from information_schema.columns where table_schema = 'public'`);
  const indexes = await client.query<{
    table: string;
    name: string;
    unique: boolean;
    primary: boolean;
    columns: string[];
  }>(`
    select t.relname as table, i.relname as name, x.indisunique as unique, x.indisprimary as primary,
           array(select a.attname::text from unnest(x.indkey) with ordinality k(attnum, n)
                 join pg_attribute a on a.attrelid = t.oid and a.attnum = k.attnum order by k.n) as columns
      from pg_index x join pg_class t on t.oid = x.indrelid join pg_class i on i.oid = x.indexrelid
      join pg_namespace ns on ns.oid = t.relnamespace
     where ns.nspname = 'public'`);
  const foreignKeys = await client.query<{
    table: string;
    columns: string[];
    ref_table: string;
    ref_columns: string[];
    on_delete: string;
  }>(`
    select t.relname as table, r.relname as ref_table, c.confdeltype as on_delete,
           array(select a.attname::text from unnest(c.conkey) with ordinality k(attnum, n)
                 join pg_attribute a on a.attrelid = t.oid and a.attnum = k.attnum order by k.n) as columns,
           array(select a.attname::text from unnest(c.confkey) with ordinality k(attnum, n)
                 join pg_attribute a on a.attrelid = r.oid and a.attnum = k.attnum order by k.n) as ref_columns
      from pg_constraint c join pg_class t on t.oid = c.conrelid join pg_class r on r.oid = c.confrelid
      join pg_namespace ns on ns.oid = t.relnamespace
     where c.contype = 'f' and ns.nspname = 'public'`);
  return { columns: columns.rows, indexes: indexes.rows, foreignKeys: foreignKeys.rows };
}

function dmmf(schemaText: string): Dmmf {
  return (JSON.parse(wasm.get_dmmf(JSON.stringify({ prismaSchema: schemaText }))) as { datamodel: Dmmf })
    .datamodel;
}

beforeAll(() => client.connect());
afterAll(() => client.end());

describe("the migrated database", () => {
  it("matches prisma/schema.prisma", async () => {
    const schemaText = readFileSync(path.join(ROOT, "prisma/schema.prisma"), "utf8");
    expect(compareSchema(dmmf(schemaText), await snapshot())).toEqual([]);
  });

  it("is caught out when the schema gains a field no migration adds", async () => {
    const schemaText = readFileSync(path.join(ROOT, "prisma/schema.prisma"), "utf8").replace(
      "model Shop {\n",
      "model Shop {\n  plan String?\n",
    );
    expect(compareSchema(dmmf(schemaText), await snapshot())).toContain(
      "Shop.plan: column missing in the database",
    );
  });

  it("is caught out when a migration makes a column the schema does not know", async () => {
    await client.query(`alter table "Shop" add column "extra" text`);
    try {
      const schemaText = readFileSync(path.join(ROOT, "prisma/schema.prisma"), "utf8");
      expect(compareSchema(dmmf(schemaText), await snapshot())).toContain(
        "Shop.extra: column not in schema.prisma",
      );
    } finally {
      await client.query(`alter table "Shop" drop column "extra"`);
    }
  });
});
