import { loadAdminSchema } from "../graphql/schema.server";
import type { Simulator } from "../simulator.server";
import type { BulkOperationRecord } from "../state/records.server";
import { gid, parseGid, type ShopState } from "../state/shop-state.server";
import { emitWebhook } from "../webhooks/emit.server";
import { runBulkMutationLines, validateBulkMutation } from "./bulk-mutation.server";
import { runBulkQuery } from "./bulk-run.server";
import { stagedFileContent, stagedUploadsCreate } from "./bulk-staged-uploads.server";
import { validateBulkQuery } from "./bulk-validate.server";
import { connection, type ConnectionArgs } from "./connection.server";
import { iso, userError, type FieldMap, type ResolverContext } from "./context.server";
import { search, type SearchFields } from "./search.server";

/**
 * Bulk operations: bulkOperationRunQuery, bulkOperationRunMutation, bulkOperationCancel,
 * bulkOperation, bulkOperations and currentBulkOperation (https://shopify.dev/docs/api/usage/
 * bulk-operations/queries and .../imports). From 2026-01 an app may run up to five bulk query
 * operations at a time per shop, and one bulk mutation beside them; one more while those are
 * CREATED, RUNNING or CANCELING is refused with OPERATION_IN_PROGRESS. As on Shopify the mutation
 * answers with the operation CREATED and the run happens afterwards (on the simulator's event
 * loop, right after the answer): RUNNING, then COMPLETED (or FAILED), its JSONL kept on the record
 * and served at `url`, an absolute URL on the simulator's HTTP server, and the
 * `bulk_operations/finish` webhook sent. `bulkOperationsSettled` waits for a shop's runs (tests).
 */

export const MAX_RUNNING_BULK_QUERIES = 5;
export const MAX_RUNNING_BULK_MUTATIONS = 1;

const ACTIVE: BulkOperationRecord["status"][] = ["CREATED", "RUNNING", "CANCELING"];

/** The path the simulator's HTTP server serves a result at. */
export function bulkResultPath(domain: string, id: number): string {
  return `/_sim/bulk/${domain}/${id}.jsonl`;
}

/** A result's absolute URL on the simulator. */
export function bulkResultUrl(baseUrl: string, domain: string, id: number): string {
  return new URL(bulkResultPath(domain, id), baseUrl).toString();
}

const runs = new WeakMap<ShopState, Set<Promise<void>>>();
const runDelays = new WeakMap<Simulator, number>();

/**
 * How long the simulator's bulk operations stay RUNNING before their work is done (0 unless
 * set): Shopify's take seconds to hours, which a client's waiting must cope with.
 */
export function setBulkRunDelay(sim: Simulator, ms: number): void {
  runDelays.set(sim, ms);
}

/** Resolves when every bulk operation started on the shop so far has finished its run. */
export async function bulkOperationsSettled(shop: ShopState): Promise<void> {
  const pending = runs.get(shop);
  while (pending && pending.size > 0) await Promise.all([...pending]);
}

/** Starts an operation's run once the current request has been answered. */
function startRun(operation: BulkOperationRecord, context: ResolverContext, run: () => Promise<void>): void {
  const { shop } = context;
  let pending = runs.get(shop);
  if (!pending) runs.set(shop, (pending = new Set()));
  const set = pending;
  const done: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
    .then(async () => {
      if (operation.status !== "CREATED") return; // canceled before it started
      operation.status = "RUNNING";
      const delay = runDelays.get(context.sim) ?? 0;
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      if (operation.status !== "RUNNING") return; // canceled meanwhile
      await run();
    })
    .catch((error: unknown) => {
      if (operation.status !== "RUNNING") return;
      operation.status = "FAILED";
      operation.errorCode = "INTERNAL_SERVER_ERROR";
      operation.errorMessages = [(error as Error).message];
      operation.completedAt = context.now();
      emitWebhook(context, "bulk_operations/finish", operation);
    })
    .finally(() => set.delete(done));
  set.add(done);
}

function newOperation(shop: ShopState, type: BulkOperationRecord["type"], query: string, now: Date) {
  const operation: BulkOperationRecord = {
    id: shop.newId(),
    type,
    status: "CREATED",
    query,
    errorCode: null,
    objectCount: 0,
    rootObjectCount: 0,
    fileSize: null,
    resultJsonl: null,
    url: null,
    partialDataUrl: null,
    createdAt: now,
    completedAt: null,
  };
  shop.bulkOperations.set(operation.id, operation);
  return operation;
}

function active(shop: ShopState, type: BulkOperationRecord["type"]): BulkOperationRecord[] {
  return [...shop.bulkOperations.values()]
    .filter((op) => op.type === type && ACTIVE.includes(op.status))
    .sort((a, b) => a.id - b.id);
}

export function bulkOperationView(operation: BulkOperationRecord) {
  return {
    __typename: "BulkOperation",
    id: gid("BulkOperation", operation.id),
    type: operation.type,
    status: operation.status,
    errorCode: operation.errorCode,
    query: operation.query,
    createdAt: iso(operation.createdAt),
    completedAt: iso(operation.completedAt),
    objectCount: String(operation.objectCount),
    rootObjectCount: String(operation.rootObjectCount),
    fileSize: operation.fileSize === null ? null : String(operation.fileSize),
    url: operation.url ?? null,
    partialDataUrl: operation.partialDataUrl ?? null,
  };
}

function find(shop: ShopState, id: unknown): BulkOperationRecord | undefined {
  const numeric = parseGid(id, "BulkOperation");
  return numeric === null ? undefined : shop.bulkOperations.get(numeric);
}

/** Stores a finished run's result; the webhook says it finished. */
function finish(
  operation: BulkOperationRecord,
  context: ResolverContext,
  result: {
    jsonl: string;
    objectCount: number;
    rootObjectCount: number;
    errors: { message: string; code: string | null }[];
  },
): void {
  if (operation.status !== "RUNNING") return; // canceled meanwhile
  const { shop } = context;
  operation.completedAt = context.now();
  operation.objectCount = result.objectCount;
  operation.rootObjectCount = result.rootObjectCount;
  operation.resultJsonl = result.jsonl;
  const hasData = result.objectCount > 0;
  const url = bulkResultUrl(context.sim.baseUrl, shop.domain, operation.id);
  operation.fileSize = hasData ? Buffer.byteLength(result.jsonl, "utf8") : null;
  if (result.errors.length > 0) {
    operation.status = "FAILED";
    operation.errorCode = result.errors.some((e) => e.code === "ACCESS_DENIED")
      ? "ACCESS_DENIED"
      : "INTERNAL_SERVER_ERROR";
    operation.errorMessages = result.errors.map((e) => e.message);
    operation.url = null;
    operation.partialDataUrl = hasData ? url : null;
  } else {
    operation.status = "COMPLETED";
    // Shopify gives no file when the query found nothing.
    operation.url = hasData ? url : null;
    operation.partialDataUrl = null;
  }
  emitWebhook(context, "bulk_operations/finish", operation);
}

function inProgress(kind: "query" | "mutation", running: BulkOperationRecord[]) {
  return userError(
    null,
    `A bulk ${kind} operation for this app and shop is already in progress: ${running.map((op) => gid("BulkOperation", op.id)).join(", ")}.`,
    "OPERATION_IN_PROGRESS",
  );
}

function bulkOperationRunQuery(
  args: { query: string; groupObjects?: boolean | null },
  context: ResolverContext,
) {
  const { shop } = context;
  const checked = validateBulkQuery(loadAdminSchema(), args.query);
  if ("errors" in checked) return { bulkOperation: null, userErrors: checked.errors };
  const running = active(shop, "QUERY");
  if (running.length >= MAX_RUNNING_BULK_QUERIES)
    return { bulkOperation: null, userErrors: [inProgress("query", running)] };
  const operation = newOperation(shop, "QUERY", args.query, context.now());
  operation.groupObjects = args.groupObjects ?? false;
  const created = bulkOperationView(operation);
  startRun(operation, context, async () => {
    // Imported when first run: root.server imports this module through b2b.server.
    const { buildRoot } = await import("./root.server");
    const result = await runBulkQuery(
      loadAdminSchema(),
      checked.document,
      buildRoot().query,
      context,
      operation.groupObjects ?? false,
    );
    finish(operation, context, result);
  });
  return { bulkOperation: created, userErrors: [] };
}

function bulkOperationRunMutation(
  args: { mutation: string; stagedUploadPath: string; clientIdentifier?: string | null },
  context: ResolverContext,
) {
  const { shop } = context;
  const invalid = validateBulkMutation(loadAdminSchema(), args.mutation);
  if (invalid) return { bulkOperation: null, userErrors: [invalid] };
  const content = stagedFileContent(context.sim, shop, args.stagedUploadPath);
  if (content === null)
    return {
      bulkOperation: null,
      userErrors: [
        userError(
          ["stagedUploadPath"],
          "The JSONL file could not be found. Try uploading the file again, and check that you've entered the URL correctly for the stagedUploadPath mutation argument.",
          "NO_SUCH_FILE",
        ),
      ],
    };
  const lines = content.split("\n");
  if (lines.at(-1) === "") lines.pop();
  const variables: Record<string, unknown>[] = [];
  for (const line of lines) {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      value = null;
    }
    if (typeof value !== "object" || value === null || Array.isArray(value))
      return {
        bulkOperation: null,
        userErrors: [
          userError(
            ["stagedUploadPath"],
            "The JSONL file submitted via the stagedUploadsCreate mutation is invalid. Update the file and try again.",
            "INVALID_STAGED_UPLOAD_FILE",
          ),
        ],
      };
    variables.push(value as Record<string, unknown>);
  }
  const running = active(shop, "MUTATION");
  if (running.length >= MAX_RUNNING_BULK_MUTATIONS)
    return { bulkOperation: null, userErrors: [inProgress("mutation", running)] };
  const operation = newOperation(shop, "MUTATION", args.mutation, context.now());
  const created = bulkOperationView(operation);
  startRun(operation, context, async () => {
    const result = await runBulkMutationLines(args.mutation, variables, context, () => operation.status);
    finish(operation, context, { ...result, errors: [] });
  });
  return { bulkOperation: created, userErrors: [] };
}

function bulkOperationCancel(args: { id: string }, context: ResolverContext) {
  const operation = find(context.shop, args.id);
  if (!operation)
    return { bulkOperation: null, userErrors: [userError(["id"], "Bulk operation does not exist")] };
  if (!ACTIVE.includes(operation.status) || operation.status === "CANCELING")
    return {
      bulkOperation: bulkOperationView(operation),
      userErrors: [
        userError(null, `A bulk operation cannot be canceled when it is ${operation.status.toLowerCase()}`),
      ],
    };
  // Shopify answers CANCELING and then stops the run; the simulator's stops at once.
  const answer = { ...bulkOperationView(operation), status: "CANCELING" };
  operation.status = "CANCELED";
  operation.completedAt = context.now();
  emitWebhook(context, "bulk_operations/finish", operation);
  return { bulkOperation: answer, userErrors: [] };
}

const SEARCH: SearchFields<BulkOperationRecord> = {
  fields: {
    id: (op) => op.id,
    status: (op) => op.status.toLowerCase(),
    operation_type: (op) => op.type.toLowerCase(),
    type: (op) => op.type.toLowerCase(),
    created_at: (op) => op.createdAt,
    completed_at: (op) => op.completedAt,
  },
  defaultFields: [],
};

export const bulkQueries: FieldMap = {
  bulkOperation: (args: { id: string }, { shop }: ResolverContext) => {
    const operation = find(shop, args.id);
    return operation ? bulkOperationView(operation) : null;
  },
  bulkOperations: (
    args: ConnectionArgs & { query?: string | null; sortKey?: string | null },
    { shop }: ResolverContext,
  ) => {
    const time = (op: BulkOperationRecord) =>
      (args.sortKey === "COMPLETED_AT" ? op.completedAt : op.createdAt)?.getTime() ?? Number.MAX_SAFE_INTEGER;
    const found = search(shop.bulkOperations.values(), args.query, SEARCH).sort(
      (a, b) => time(a) - time(b) || a.id - b.id,
    );
    return connection(found, args, { key: time, id: (op) => op.id }, bulkOperationView);
  },
  /** The app's most recent operation of the type, whatever its status (deprecated in favour of bulkOperations). */
  currentBulkOperation: (args: { type?: "QUERY" | "MUTATION" | null }, { shop }: ResolverContext) => {
    const type = args.type ?? "QUERY";
    const latest = [...shop.bulkOperations.values()]
      .filter((op) => op.type === type)
      .sort((a, b) => b.id - a.id)[0];
    return latest ? bulkOperationView(latest) : null;
  },
};

export const bulkMutations: FieldMap = {
  bulkOperationRunQuery,
  bulkOperationRunMutation,
  bulkOperationCancel,
  stagedUploadsCreate,
};

export function bulkNode(shop: ShopState, id: number): unknown {
  const operation = shop.bulkOperations.get(id);
  return operation ? bulkOperationView(operation) : null;
}
