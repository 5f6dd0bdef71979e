import { randomUUID } from "node:crypto";
import { createWriteStream, openAsBlob } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { once } from "node:events";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { pgPool } from "../db.server";
import { AdminApiError, type AdminClient } from "./admin-client.server";
import type { Operation } from "./operation.server";
import {
  BULK_OPERATION,
  BULK_RUN_MUTATION,
  BULK_RUN_QUERY,
  BULK_STAGED_UPLOAD,
  type BulkOperationNode,
  type BulkUserError,
} from "./operations.server";

/**
 * Bulk operations, the way every sync reads or writes a large store
 * (https://shopify.dev/docs/api/usage/bulk-operations/queries and .../imports):
 *
 * - `runBulkQuery(client, query)` starts a `bulkOperationRunQuery` and waits for it to end;
 *   `bulkLines(url)` then streams its JSONL result a line at a time (the file is never held in
 *   memory), and `bulkRecords(url)` gives each top-level object with its nested objects (lines
 *   carrying `__parentId`), spooled through a temporary Postgres table, since 2026-07 does not
 *   group children under their parent unless asked (`groupObjects` defaults to false: grouping
 *   is slower and fails more often on large stores, so the helper leaves it off too).
 * - `runBulkMutation(client, mutation, variables)` writes the variables as JSONL to a temporary
 *   file, stages it (`stagedUploadsCreate`, then a multipart POST of the target's parameters and
 *   the file), runs `bulkOperationRunMutation` on it and waits; `failedLines()` then reports each
 *   line whose mutation answered errors or userErrors, one by one with its line number.
 * - Waiting: the `bulk_operations/finish` webhook is the doorbell (its route NOTIFYs
 *   BULK_FINISH_CHANNEL when the delivery is recorded); polling `bulkOperation(id:)`, at growing
 *   intervals, is the fallback when the webhook is late or never comes. The listener is set up
 *   before the operation starts, so a quick finish is not missed.
 */

export const BULK_FINISH_CHANNEL = "bos_bulk_operation_finish";

const FINAL: BulkOperationNode["status"][] = ["COMPLETED", "FAILED", "CANCELED", "EXPIRED"];

/** A bulk query of a sync, validated in test/shopify (schema and bulk rules). */
export interface BulkQuery<TLine = Record<string, unknown>> {
  name: string;
  /** The inner query bulkOperationRunQuery runs: one top-level connection, read in full. */
  bulkQuery: string;
  readonly __line?: TLine;
}

export function bulkQuery<TLine = Record<string, unknown>>(name: string, query: string): BulkQuery<TLine> {
  if (!new RegExp(`\\bquery\\s+${name}\\b`).test(query))
    throw new Error(`bulk query ${name}: its query must be named ${name}`);
  return { name, bulkQuery: query };
}

export class BulkOperationError extends AdminApiError {
  override name = "BulkOperationError";
  readonly operation: BulkOperationNode | null;
  constructor(message: string, operation: BulkOperationNode | null = null, code?: string) {
    super(message, { code });
    this.operation = operation;
  }
}

export interface WaitOptions {
  signal?: AbortSignal;
  /** First polling interval; doubles up to maxPollMs. */
  pollMs?: number;
  maxPollMs?: number;
  /** Called with every status read (progress: objectCount). */
  onStatus?: (operation: BulkOperationNode) => void;
}

/** Doorbells for one shop's bulk operations: a LISTEN connection of its own. */
class Doorbell {
  private readonly rung = new Set<string>();
  private readonly waiters = new Map<string, () => void>();
  private readonly shop: string;
  private readonly connection: pg.Client | null;

  private constructor(shop: string, connection: pg.Client | null) {
    this.shop = shop;
    this.connection = connection;
  }

  static async listen(shop: string): Promise<Doorbell> {
    let connection: pg.Client | null = null;
    try {
      connection = new pg.Client(pgPool().options);
      // Heard from the start: a connection the server ends (Postgres restarting) is an 'error'
      // event, even while a query of its own fails with it, and unheard it ends the process.
      connection.on("error", () => undefined);
      await connection.connect();
      await connection.query(`listen ${BULK_FINISH_CHANNEL}`);
    } catch {
      // No doorbell (the database refused a connection): polling alone will do.
      await connection?.end().catch(() => undefined);
      connection = null;
    }
    const doorbell = new Doorbell(shop, connection);
    connection?.on("notification", (message) => doorbell.ring(message.payload ?? ""));
    return doorbell;
  }

  private ring(payload: string): void {
    let note: { shop?: string; id?: string };
    try {
      note = JSON.parse(payload) as { shop?: string; id?: string };
    } catch {
      return;
    }
    if (note.shop !== this.shop || !note.id) return;
    this.rung.add(note.id);
    this.waiters.get(note.id)?.();
  }

  /** Resolves when the operation's doorbell rings, after `ms`, or when aborted. */
  wait(id: string, ms: number, signal?: AbortSignal): Promise<void> {
    if (this.rung.delete(id)) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", done);
        this.waiters.delete(id);
        this.rung.delete(id);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener("abort", done);
      this.waiters.set(id, done);
    });
  }

  async close(): Promise<void> {
    await this.connection?.end().catch(() => undefined);
  }
}

/** Reads the operation until it ends, woken by its webhook or by the next poll. */
export async function waitForBulkOperation(
  client: AdminClient,
  id: string,
  options: WaitOptions & { doorbell?: Doorbell } = {},
): Promise<BulkOperationNode> {
  const doorbell = options.doorbell ?? (await Doorbell.listen(client.shop));
  let delay = options.pollMs ?? 1000;
  try {
    for (;;) {
      if (options.signal?.aborted) throw new Error("the run was stopped");
      const { bulkOperation } = await client.request(BULK_OPERATION, { id });
      if (!bulkOperation) throw new BulkOperationError(`bulk operation ${id} does not exist`);
      options.onStatus?.(bulkOperation);
      if (FINAL.includes(bulkOperation.status)) return bulkOperation;
      await doorbell.wait(id, delay, options.signal);
      delay = Math.min(options.maxPollMs ?? 30_000, delay * 2);
    }
  } finally {
    if (!options.doorbell) await doorbell.close();
  }
}

function refused(what: string, userErrors: BulkUserError[]): BulkOperationError {
  return new BulkOperationError(
    `${what} refused: ${userErrors.map((e) => e.message).join("; ")}`,
    null,
    userErrors[0]?.code ?? undefined,
  );
}

function failed(what: string, operation: BulkOperationNode): BulkOperationError {
  return new BulkOperationError(
    `${what} ${operation.id} ended ${operation.status}${operation.errorCode ? ` (${operation.errorCode})` : ""}`,
    operation,
    operation.errorCode ?? undefined,
  );
}

/**
 * Runs a bulk query to its end. Resolves with the COMPLETED operation (`url` is null when
 * nothing matched); throws BulkOperationError when Shopify refuses it or it fails (the error's
 * operation keeps `partialDataUrl`).
 */
export async function runBulkQuery(
  client: AdminClient,
  query: BulkQuery<unknown>,
  options: WaitOptions & { groupObjects?: boolean } = {},
): Promise<BulkOperationNode> {
  const doorbell = await Doorbell.listen(client.shop);
  try {
    const { bulkOperationRunQuery: started } = await client.request(BULK_RUN_QUERY, {
      query: query.bulkQuery,
      groupObjects: options.groupObjects ?? false,
    });
    if (!started.bulkOperation) throw refused(`bulk query ${query.name}`, started.userErrors);
    const operation = await waitForBulkOperation(client, started.bulkOperation.id, { ...options, doorbell });
    if (operation.status !== "COMPLETED") throw failed(`bulk query ${query.name}`, operation);
    return operation;
  } finally {
    await doorbell.close();
  }
}

/** One line of a bulk result: an object, with `__parentId` when it is nested in another. */
export type BulkLine = Record<string, unknown> & { __parentId?: string };

/**
 * The lines of a bulk result file, parsed one at a time as the download streams in: memory
 * holds a chunk of the file and the line being read, never the file.
 */
export async function* bulkLines<T = BulkLine>(
  url: string | null,
  options: { signal?: AbortSignal } = {},
): AsyncGenerator<T> {
  if (!url) return; // Shopify gives no file when nothing matched
  const response = await fetch(url, { signal: options.signal });
  if (!response.ok || !response.body)
    throw new AdminApiError(`bulk result answered ${response.status}`, { status: response.status });
  const decoder = new TextDecoder();
  let rest = "";
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const text = rest + decoder.decode(value, { stream: true });
      let start = 0;
      for (let end = text.indexOf("\n"); end !== -1; end = text.indexOf("\n", start)) {
        if (end > start) yield JSON.parse(text.slice(start, end)) as T;
        start = end + 1;
      }
      rest = text.slice(start);
    }
  } finally {
    // A reader that stops early (break, an error) lets the download go.
    await reader.cancel().catch(() => undefined);
  }
  rest += decoder.decode();
  if (rest.trim()) yield JSON.parse(rest) as T;
}

/** The gid's type: `gid://shopify/LineItem/1` → `LineItem`. */
export function gidType(id: unknown): string | null {
  return typeof id === "string" ? (/^gid:\/\/shopify\/(\w+)\//.exec(id)?.[1] ?? null) : null;
}

export interface BulkRecord {
  node: BulkLine;
  /** Its nested objects by type (`LineItem`, `ShippingLine`...), in file order, without `__parentId`. */
  children: Map<string, BulkLine[]>;
}

/**
 * Each top-level object of a bulk result with its nested objects, whatever order the file has
 * them in: the lines are spooled into a temporary table of a connection of their own (Postgres
 * keeps it on disk past a few megabytes), then read back `pageSize` top-level objects at a time
 * with their children. Nested objects must select `id` (their type tells them apart).
 */
export async function* bulkRecords(
  url: string | null,
  options: { signal?: AbortSignal; pageSize?: number } = {},
): AsyncGenerator<BulkRecord> {
  if (!url) return;
  const connection = new pg.Client(pgPool().options);
  // A connection the server ends (Postgres restarting) is an 'error' event, which would end the
  // process unheard, even between two pages (the caller busy with the last one): the next
  // statement on it fails instead, and so does the read (a run retries).
  connection.on("error", () => undefined);
  await connection.connect();
  const table = `bulk_spool_${randomUUID().replaceAll("-", "")}`;
  try {
    await connection.query(`create temporary table ${table} (seq bigint, parent text, line jsonb)`);
    let batch: { seq: number; parent: string | null; line: string }[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      await connection.query(
        `insert into ${table} (seq, parent, line) select * from unnest($1::bigint[], $2::text[], $3::jsonb[])`,
        [batch.map((row) => row.seq), batch.map((row) => row.parent), batch.map((row) => row.line)],
      );
      batch = [];
    };
    let seq = 0;
    for await (const line of bulkLines<BulkLine>(url, options)) {
      const { __parentId: parent, ...rest } = line;
      batch.push({ seq: seq++, parent: parent ?? null, line: JSON.stringify(rest) });
      if (batch.length >= 1000) await flush();
    }
    await flush();
    await connection.query(`create index on ${table} (parent, seq)`);
    // Autovacuum never analyzes a temporary table: without statistics the planner reads the
    // whole spool for each page's nested objects instead of taking the index.
    await connection.query(`analyze ${table}`);
    const pageSize = options.pageSize ?? 200;
    let after = -1;
    for (;;) {
      const roots = await connection.query<{ seq: string; line: BulkLine }>(
        `select seq, line from ${table} where parent is null and seq > $1 order by seq limit $2`,
        [after, pageSize],
      );
      if (roots.rows.length === 0) break;
      const ids = roots.rows.map((row) => String(row.line.id));
      const nested = await connection.query<{ parent: string; line: BulkLine }>(
        `select parent, line from ${table} where parent = any($1::text[]) order by seq`,
        [ids],
      );
      const byParent = new Map<string, BulkLine[]>();
      for (const row of nested.rows) {
        const list = byParent.get(row.parent) ?? [];
        list.push(row.line);
        byParent.set(row.parent, list);
      }
      for (const row of roots.rows) {
        const children = new Map<string, BulkLine[]>();
        for (const child of byParent.get(String(row.line.id)) ?? []) {
          const type = gidType(child.id) ?? "";
          const list = children.get(type) ?? [];
          list.push(child);
          children.set(type, list);
        }
        yield { node: row.line, children };
      }
      after = Number(roots.rows.at(-1)!.seq);
    }
  } finally {
    await connection.query(`drop table if exists ${table}`).catch(() => undefined);
    await connection.end().catch(() => undefined);
  }
}

/** A line of a bulk mutation's result. */
export interface BulkMutationLine<TData> {
  lineNumber: number;
  data: TData | null;
  /** What went wrong on the line: GraphQL errors, and the payload's userErrors. */
  errors: string[];
}

export interface BulkMutationRun<TData> {
  operation: BulkOperationNode;
  /** Lines sent. */
  lines: number;
  /** Every line's result, streamed from the result file. */
  results: () => AsyncGenerator<BulkMutationLine<TData>>;
  /** The lines that failed, one by one. */
  failedLines: () => AsyncGenerator<BulkMutationLine<TData>>;
}

function lineErrors(raw: Record<string, unknown>): string[] {
  const errors = Array.isArray(raw.errors)
    ? (raw.errors as { message?: string }[]).map((e) => e.message ?? JSON.stringify(e))
    : [];
  const data = raw.data as Record<string, unknown> | null | undefined;
  for (const payload of Object.values(data ?? {})) {
    const userErrors = (payload as { userErrors?: { field?: string[] | null; message: string }[] } | null)
      ?.userErrors;
    for (const error of userErrors ?? [])
      errors.push(error.field?.length ? `${error.field.join(".")}: ${error.message}` : error.message);
  }
  return errors;
}

/** Writes the variables as JSONL to a temporary file; returns it and the line count. */
async function writeVariables<TVariables>(
  variables: Iterable<TVariables> | AsyncIterable<TVariables>,
  file: string,
): Promise<number> {
  const out = createWriteStream(file, { encoding: "utf8" });
  let count = 0;
  try {
    for await (const line of variables) {
      if (!out.write(`${JSON.stringify(line)}\n`)) await once(out, "drain");
      count += 1;
    }
  } finally {
    out.end();
    await once(out, "close");
  }
  return count;
}

/** Stages a local file as bulk mutation variables; returns its stagedUploadPath. */
async function stageFile(client: AdminClient, file: string): Promise<string> {
  const { stagedUploadsCreate } = await client.request(BULK_STAGED_UPLOAD, { filename: path.basename(file) });
  const target = stagedUploadsCreate.stagedTargets?.[0];
  if (!target)
    throw refused(
      "stagedUploadsCreate",
      stagedUploadsCreate.userErrors.map((e) => ({ ...e, code: null })),
    );
  const form = new FormData();
  for (const { name, value } of target.parameters) form.append(name, value);
  // The file goes last (the storage service reads the fields before it), streamed from disk.
  form.append("file", await openAsBlob(file, { type: "text/jsonl" }), path.basename(file));
  const response = await fetch(target.url, { method: "POST", body: form });
  if (!response.ok)
    throw new AdminApiError(
      `staged upload answered ${response.status}: ${(await response.text()).slice(0, 300)}`,
      {
        status: response.status,
      },
    );
  const key = target.parameters.find((parameter) => parameter.name === "key")?.value;
  if (!key) throw new BulkOperationError("stagedUploadsCreate gave no key parameter");
  return key;
}

/**
 * Runs `mutation` once per item of `variables` as one bulk mutation. Resolves when Shopify has
 * run every line (COMPLETED); the result tells each line's outcome. Throws BulkOperationError
 * when Shopify refuses the run or the operation fails.
 */
export async function runBulkMutation<TData, TVariables>(
  client: AdminClient,
  mutation: Operation<TData, TVariables>,
  variables: Iterable<TVariables> | AsyncIterable<TVariables>,
  options: WaitOptions & { clientIdentifier?: string } = {},
): Promise<BulkMutationRun<TData>> {
  const folder = await mkdtemp(path.join(tmpdir(), "bos-bulk-"));
  const doorbell = await Doorbell.listen(client.shop);
  try {
    const file = path.join(folder, `${mutation.name}.jsonl`);
    const lines = await writeVariables(variables, file);
    const stagedUploadPath = await stageFile(client, file);
    const { bulkOperationRunMutation: started } = await client.request(BULK_RUN_MUTATION, {
      mutation: mutation.query,
      stagedUploadPath,
      clientIdentifier: options.clientIdentifier ?? null,
    });
    if (!started.bulkOperation) throw refused(`bulk mutation ${mutation.name}`, started.userErrors);
    const operation = await waitForBulkOperation(client, started.bulkOperation.id, { ...options, doorbell });
    if (operation.status !== "COMPLETED") throw failed(`bulk mutation ${mutation.name}`, operation);
    async function* results(): AsyncGenerator<BulkMutationLine<TData>> {
      for await (const raw of bulkLines<Record<string, unknown>>(operation.url, options))
        yield {
          lineNumber: Number(raw.__lineNumber),
          data: (raw.data as TData | undefined) ?? null,
          errors: lineErrors(raw),
        };
    }
    async function* failedLines(): AsyncGenerator<BulkMutationLine<TData>> {
      for await (const line of results()) if (line.errors.length > 0) yield line;
    }
    return { operation, lines, results, failedLines };
  } finally {
    await doorbell.close();
    await rm(folder, { recursive: true, force: true });
  }
}
