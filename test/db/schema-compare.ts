/**
 * Compares Prisma's view of the schema (DMMF) with a snapshot of Postgres's catalogs and lists
 * every disagreement in words. Used by the drift test.
 */

interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: "scalar" | "object" | "enum" | "unsupported";
  type: string;
  isList: boolean;
  isRequired: boolean;
  isUpdatedAt: boolean;
  hasDefaultValue: boolean;
  default?: unknown;
  nativeType?: [string, string[]] | null;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
}

interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
}

interface DmmfIndex {
  model: string;
  type: "id" | "unique" | "normal" | "fulltext";
  fields: { name: string }[];
}

export interface Dmmf {
  models: DmmfModel[];
  enums: { name: string; dbName?: string | null }[];
  indexes: DmmfIndex[];
}

export interface DbSnapshot {
  columns: {
    table_name: string;
    column_name: string;
    is_nullable: string;
    udt_name: string;
    datetime_precision: number | null;
    column_default: string | null;
  }[];
  indexes: { table: string; name: string; unique: boolean; primary: boolean; columns: string[] }[];
  foreignKeys: {
    table: string;
    columns: string[];
    ref_table: string;
    ref_columns: string[];
    on_delete: string;
  }[];
}

const IGNORED_TABLES = new Set(["_prisma_migrations"]);
/** Defaults Prisma fills in on the client; the column has none. */
const CLIENT_DEFAULTS = new Set(["uuid", "cuid", "nanoid", "ulid"]);
const ON_DELETE: Record<string, string> = {
  a: "NoAction",
  r: "Restrict",
  c: "Cascade",
  n: "SetNull",
  d: "SetDefault",
};

function expectedType(field: DmmfField, enums: Set<string>): string {
  const native = field.nativeType?.[0];
  const args = field.nativeType?.[1] ?? [];
  let type: string;
  if (enums.has(field.type)) type = field.type;
  else if (native) {
    const byNative: Record<string, string> = {
      Uuid: "uuid",
      Text: "text",
      VarChar: "varchar",
      Char: "bpchar",
      Timestamptz: "timestamptz",
      Timestamp: "timestamp",
      Date: "date",
      Integer: "int4",
      SmallInt: "int2",
      BigInt: "int8",
      DoublePrecision: "float8",
      Real: "float4",
      Decimal: "numeric",
      JsonB: "jsonb",
      Json: "json",
      Boolean: "bool",
    };
    type = byNative[native] ?? native.toLowerCase();
    if ((native === "Timestamptz" || native === "Timestamp") && args[0]) type += `(${args[0]})`;
  } else {
    const byScalar: Record<string, string> = {
      String: "text",
      Int: "int4",
      BigInt: "int8",
      Float: "float8",
      Boolean: "bool",
      DateTime: "timestamp(3)",
      Json: "jsonb",
      Decimal: "numeric",
      Bytes: "bytea",
    };
    type = byScalar[field.type] ?? field.type;
  }
  return field.isList ? `${type}[]` : type;
}

function actualType(column: DbSnapshot["columns"][number]): string {
  const isList = column.udt_name.startsWith("_");
  const base = isList ? column.udt_name.slice(1) : column.udt_name;
  const withPrecision =
    (base === "timestamptz" || base === "timestamp") && column.datetime_precision != null
      ? `${base}(${column.datetime_precision})`
      : base;
  return isList ? `${withPrecision}[]` : withPrecision;
}

function expectsDbDefault(field: DmmfField): boolean {
  if (!field.hasDefaultValue) return false;
  const name = (field.default as { name?: string } | undefined)?.name;
  return !(name && CLIENT_DEFAULTS.has(name));
}

export function compareSchema(dmmf: Dmmf, db: DbSnapshot): string[] {
  const problems: string[] = [];
  const enums = new Set(dmmf.enums.map((e) => e.dbName ?? e.name));
  const tableOf = new Map(dmmf.models.map((model) => [model.name, model.dbName ?? model.name]));
  const columnOf = (model: DmmfModel, fieldName: string) => {
    const field = model.fields.find((f) => f.name === fieldName);
    return field?.dbName ?? fieldName;
  };

  const dbTables = new Set(db.columns.map((c) => c.table_name).filter((t) => !IGNORED_TABLES.has(t)));
  for (const table of dbTables) {
    if (![...tableOf.values()].includes(table)) problems.push(`${table}: table not in schema.prisma`);
  }

  for (const model of dmmf.models) {
    const table = tableOf.get(model.name) ?? model.name;
    if (!dbTables.has(table)) {
      problems.push(`${table}: table missing in the database`);
      continue;
    }
    const columns = new Map(db.columns.filter((c) => c.table_name === table).map((c) => [c.column_name, c]));
    const scalarFields = model.fields.filter((f) => f.kind === "scalar" || f.kind === "enum");
    for (const field of scalarFields) {
      const name = field.dbName ?? field.name;
      const column = columns.get(name);
      if (!column) {
        problems.push(`${table}.${name}: column missing in the database`);
        continue;
      }
      const want = expectedType(field, enums);
      const have = actualType(column);
      if (want !== have)
        problems.push(`${table}.${name}: type ${have} in the database, ${want} in the schema`);
      const nullable = column.is_nullable === "YES";
      // Prisma makes scalar-list columns nullable whatever the schema says.
      if (!field.isList && nullable === field.isRequired) {
        problems.push(
          `${table}.${name}: ${nullable ? "nullable" : "not null"} in the database, ${field.isRequired ? "required" : "optional"} in the schema`,
        );
      }
      const hasDefault = column.column_default !== null;
      if (hasDefault !== expectsDbDefault(field)) {
        problems.push(
          `${table}.${name}: ${hasDefault ? "has a default" : "has no default"} in the database, not so in the schema`,
        );
      }
    }
    for (const name of columns.keys()) {
      if (!scalarFields.some((f) => (f.dbName ?? f.name) === name))
        problems.push(`${table}.${name}: column not in schema.prisma`);
    }
  }

  const kindOf = (type: DmmfIndex["type"]) =>
    type === "id" ? "primary key" : type === "unique" ? "unique index" : "index";
  const wantIndexes = new Set(
    dmmf.indexes.map((index) => {
      const model = dmmf.models.find((m) => m.name === index.model);
      const columns = index.fields.map((f) => (model ? columnOf(model, f.name) : f.name));
      return `${tableOf.get(index.model) ?? index.model}: ${kindOf(index.type)} (${columns.join(", ")})`;
    }),
  );
  const haveIndexes = new Set(
    db.indexes
      .filter((index) => !IGNORED_TABLES.has(index.table))
      .map(
        (index) =>
          `${index.table}: ${index.primary ? "primary key" : index.unique ? "unique index" : "index"} (${index.columns.join(", ")})`,
      ),
  );
  for (const index of wantIndexes)
    if (!haveIndexes.has(index)) problems.push(`${index}: missing in the database`);
  for (const index of haveIndexes)
    if (!wantIndexes.has(index)) problems.push(`${index}: not in schema.prisma`);

  const wantKeys = new Set<string>();
  for (const model of dmmf.models) {
    for (const field of model.fields) {
      if (field.kind !== "object" || !field.relationFromFields?.length) continue;
      const target = dmmf.models.find((m) => m.name === field.type);
      const onDelete = field.relationOnDelete ?? (field.isRequired ? "Restrict" : "SetNull");
      wantKeys.add(
        `${tableOf.get(model.name)}(${field.relationFromFields.map((f) => columnOf(model, f)).join(", ")}) -> ` +
          `${tableOf.get(field.type)}(${(field.relationToFields ?? []).map((f) => (target ? columnOf(target, f) : f)).join(", ")}) on delete ${onDelete}`,
      );
    }
  }
  const haveKeys = new Set(
    db.foreignKeys.map(
      (key) =>
        `${key.table}(${key.columns.join(", ")}) -> ${key.ref_table}(${key.ref_columns.join(", ")}) on delete ${ON_DELETE[key.on_delete] ?? key.on_delete}`,
    ),
  );
  for (const key of wantKeys)
    if (!haveKeys.has(key)) problems.push(`foreign key ${key}: missing in the database`);
  for (const key of haveKeys)
    if (!wantKeys.has(key)) problems.push(`foreign key ${key}: not in schema.prisma`);

  return problems.sort();
}
