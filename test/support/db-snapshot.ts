import prisma from "../../app/db.server";

/**
 * The whole database of a test file, as a hash of each row of each table: every table of the
 * app (schema public, but for the migration log) and every table of
 * graphile_worker (jobs, queues, task names). Two snapshots around a request say exactly what
 * it changed, in any table it could have touched, so a test can assert "nothing" or "only the
 * delivery recorded" rather than counting the few rows it thought of.
 */

/** Each table's rows, as the md5 of each row's text (duplicates kept). */
export type DbSnapshot = Record<string, string[]>;

/** What changed in one table: rows that are new, and rows that are gone (an update is both). */
export interface TableChange {
  added: number;
  removed: number;
}
export type DbChanges = Record<string, TableChange>;

let tableList: Promise<{ name: string; sql: string }[]> | undefined;

/** Each table by name (`public.WebhookDelivery`) and as SQL names it (`public."WebhookDelivery"`). */
function tables(): Promise<{ name: string; sql: string }[]> {
  tableList ??= prisma.$queryRaw<{ name: string; sql: string }[]>`
      select table_schema || '.' || table_name as name, format('%I.%I', table_schema, table_name) as sql
        from information_schema.tables
       where table_type = 'BASE TABLE'
         and table_schema in ('public', 'graphile_worker')
         and table_name not in ('_prisma_migrations', 'migrations')
       order by 1`;
  return tableList;
}

/** Every table's rows (as hashes) in one statement: one consistent read. */
export async function snapshotDb(): Promise<DbSnapshot> {
  const sql = (await tables())
    .map(
      (table) =>
        `select '${table.name.replaceAll("'", "''")}' as name,
                coalesce(array_agg(md5(t::text) order by md5(t::text)), '{}') as rows from ${table.sql} t`,
    )
    .join("\nunion all\n");
  const rows = await prisma.$queryRawUnsafe<{ name: string; rows: string[] }[]>(sql);
  return Object.fromEntries(rows.map((row) => [row.name, row.rows]));
}

/** How many of `rows` are not matched, one for one, in `other`. */
function unmatched(rows: string[], other: string[]): number {
  const left = new Map<string, number>();
  for (const row of other) left.set(row, (left.get(row) ?? 0) + 1);
  let count = 0;
  for (const row of rows) {
    const n = left.get(row) ?? 0;
    if (n > 0) left.set(row, n - 1);
    else count += 1;
  }
  return count;
}

/** The tables whose rows differ between two snapshots, and by how many rows each way. */
export function changesBetween(before: DbSnapshot, after: DbSnapshot): DbChanges {
  const changes: DbChanges = {};
  for (const name of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const was = before[name] ?? [];
    const now = after[name] ?? [];
    const change = { added: unmatched(now, was), removed: unmatched(was, now) };
    if (change.added > 0 || change.removed > 0) changes[name] = change;
  }
  return changes;
}

/** The tables `act` changed (and its result): snapshots before and after it. */
export async function changedBy<T>(act: () => Promise<T>): Promise<{ result: T; changes: DbChanges }> {
  const before = await snapshotDb();
  const result = await act();
  return { result, changes: changesBetween(before, await snapshotDb()) };
}

/** The rows changed, added up over every table. */
export function rowsChanged(changes: DbChanges): number {
  return Object.values(changes).reduce((sum, change) => sum + change.added + change.removed, 0);
}
