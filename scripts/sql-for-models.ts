// Development aid, not run by the app: prints CREATE TABLE / index / foreign key SQL for the
// named models of prisma/schema.prisma, as a starting point for a new migration (Prisma's own
// `migrate diff` needs a native engine this environment cannot download). Review the output;
// test/db/drift.test.ts checks the migrated database against the schema either way.
//   npx tsx scripts/sql-for-models.ts ModelA ModelB > prisma/migrations/<ts>_<name>/migration.sql
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const wasm = require("@prisma/prisma-schema-wasm") as { get_dmmf: (params: string) => string };

interface Field {
  name: string;
  kind: string;
  type: string;
  isList: boolean;
  isRequired: boolean;
  hasDefaultValue: boolean;
  default?: unknown;
  nativeType?: [string, string[]] | null;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
}
interface Model {
  name: string;
  fields: Field[];
}
interface Index {
  model: string;
  type: string;
  name?: string;
  dbName?: string;
  fields: { name: string }[];
}

const { datamodel } = JSON.parse(
  wasm.get_dmmf(JSON.stringify({ prismaSchema: readFileSync("prisma/schema.prisma", "utf8") })),
) as { datamodel: { models: Model[]; indexes: Index[] } };

function columnType(field: Field): string {
  const [native, args = []] = field.nativeType ?? [];
  const base: Record<string, string> = {
    String: "TEXT",
    Int: "INTEGER",
    BigInt: "BIGINT",
    Float: "DOUBLE PRECISION",
    Boolean: "BOOLEAN",
    DateTime: "TIMESTAMP(3)",
    Json: "JSONB",
    Decimal: "DECIMAL(65,30)",
  };
  let type = native
    ? ({ Uuid: "UUID", Timestamptz: `TIMESTAMPTZ(${args[0] ?? 3})`, Decimal: `DECIMAL(${args.join(",")})` }[
        native
      ] ?? native.toUpperCase())
    : (base[field.type] ?? field.type);
  if (field.isList) type += "[]";
  return type;
}

function defaultSql(field: Field): string | null {
  if (!field.hasDefaultValue) return null;
  const value = field.default as { name?: string; args?: unknown[] } | string | number | boolean | unknown[];
  if (typeof value === "object" && value !== null && !Array.isArray(value) && "name" in value) {
    if (value.name === "now") return "CURRENT_TIMESTAMP";
    if (value.name === "dbgenerated") return String(value.args?.[0]);
    return null; // uuid(), cuid(): filled in by the client
  }
  if (Array.isArray(value)) return value.length === 0 ? "ARRAY[]::TEXT[]" : null;
  if (typeof value === "string") return `'${value.replaceAll("'", "''")}'`;
  return typeof value === "number" || typeof value === "boolean" ? String(value) : null;
}

const names = process.argv.slice(2);
for (const name of names) {
  const model = datamodel.models.find((m) => m.name === name);
  if (!model) throw new Error(`no model ${name}`);
  const lines = model.fields
    .filter((f) => f.kind === "scalar" || f.kind === "enum")
    .map((f) => {
      const def = defaultSql(f);
      return `    "${f.name}" ${columnType(f)}${f.isRequired ? " NOT NULL" : ""}${def ? ` DEFAULT ${def}` : ""}`;
    });
  const indexes = datamodel.indexes.filter((i) => i.model === name);
  const primary = indexes.find((i) => i.type === "id");
  if (primary)
    lines.push(
      `    CONSTRAINT "${name}_pkey" PRIMARY KEY (${primary.fields.map((f) => `"${f.name}"`).join(", ")})`,
    );
  for (const field of model.fields.filter((f) => f.kind === "object" && f.relationFromFields?.length)) {
    const from = field.relationFromFields!.map((f) => `"${f}"`).join(", ");
    const to = (field.relationToFields ?? []).map((f) => `"${f}"`).join(", ");
    const onDelete = (field.relationOnDelete ?? (field.isRequired ? "Restrict" : "SetNull"))
      .replace(/([a-z])([A-Z])/g, "$1 $2")
      .toUpperCase();
    lines.push(
      `    CONSTRAINT "${name}_${field.relationFromFields!.join("_")}_fkey" FOREIGN KEY (${from}) REFERENCES "${field.type}"(${to}) ON DELETE ${onDelete} ON UPDATE CASCADE`,
    );
  }
  process.stdout.write(`CREATE TABLE "${name}" (\n${lines.join(",\n")}\n);\n`);
  for (const index of indexes.filter((i) => i.type !== "id")) {
    const cols = index.fields.map((f) => f.name);
    const suffix = index.type === "unique" ? "key" : "idx";
    process.stdout.write(
      `CREATE ${index.type === "unique" ? "UNIQUE " : ""}INDEX "${name}_${cols.join("_")}_${suffix}" ON "${name}"(${cols.map((c) => `"${c}"`).join(", ")});\n`,
    );
  }
  process.stdout.write("\n");
}
