import { loadAdminSchema } from "../graphql/schema.server";
import type { BulkOperationRecord } from "../state/records.server";
import { gid, parseGid, type ShopState } from "../state/shop-state.server";
import { bulkOperationFinishPayload } from "../webhooks/payloads/b2b.server";
import { runBulkQuery } from "./bulk-run.server";
import { validateBulkQuery } from "./bulk-validate.server";
import { connection, type ConnectionArgs } from "./connection.server";
import { iso, userError, type FieldMap, type ResolverContext } from "./context.server";
import { search, type SearchFields } from "./search.server";

/**
 * Bulk query operations: bulkOperationRunQuery, bulkOperationCancel, bulkOperation,
 * bulkOperations and currentBulkOperation (https://shopify.dev/docs/api/admin-graphql/2026-07/
 * mutations/bulkOperationRunQuery). The 2026-07 reference allows one bulk query at a time per
 * app and shop; another while one is CREATED, RUNNING or CANCELING is refused with
 * OPERATION_IN_PROGRESS. The simulator runs the query as soon as it is accepted: the mutation
 * answers with the operation as CREATED (as Shopify does), and by the time a client polls or
 * gets the `bulk_operations/finish` webhook it is COMPLETED (or FAILED), its JSONL stored on
 * the record and served at `url`, a path relative to the simulator (see `bulkResultUrl`).
 */

export const MAX_RUNNING_BULK_QUERIES = 1;

const ACTIVE: BulkOperationRecord["status"][] = ["CREATED", "RUNNING", "CANCELING"];

/** The relative path the simulator's HTTP server serves a result at. */
export function bulkResultPath(domain: string, id: number): string {
  return `/_sim/bulk/${domain}/${id}.jsonl`;
}

/** The record's result URL made absolute against the simulator's base URL, or null when it has none. */
export function bulkResultUrl(baseUrl: string, record: Pick<BulkOperationRecord, "url">): string | null {
  return record.url ? new URL(record.url, baseUrl).toString() : null;
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

/** Runs the operation to its end and stores the result; the webhook says it finished. */
async function complete(
  operation: BulkOperationRecord,
  context: ResolverContext,
  validated: Parameters<typeof runBulkQuery>[1],
) {
  operation.status = "RUNNING";
  // Imported when first run: root.server imports this module through b2b.server.
  const { buildRoot } = await import("./root.server");
  const result = await runBulkQuery(loadAdminSchema(), validated, buildRoot().query, context);
  if (operation.status !== "RUNNING") return; // canceled meanwhile
  const { shop } = context;
  operation.completedAt = context.now();
  operation.objectCount = result.objectCount;
  operation.rootObjectCount = result.rootObjectCount;
  operation.resultJsonl = result.jsonl;
  const hasData = result.objectCount > 0;
  operation.fileSize = hasData ? Buffer.byteLength(result.jsonl, "utf8") : null;
  if (result.errors.length > 0) {
    operation.status = "FAILED";
    operation.errorCode = result.errors.some((e) => e.code === "ACCESS_DENIED")
      ? "ACCESS_DENIED"
      : "INTERNAL_SERVER_ERROR";
    operation.errorMessages = result.errors.map((e) => e.message);
    operation.url = null;
    operation.partialDataUrl = hasData ? bulkResultPath(shop.domain, operation.id) : null;
  } else {
    operation.status = "COMPLETED";
    // Shopify gives no file when the query found nothing.
    operation.url = hasData ? bulkResultPath(shop.domain, operation.id) : null;
    operation.partialDataUrl = null;
  }
  context.emit("bulk_operations/finish", bulkOperationFinishPayload(operation));
}

async function bulkOperationRunQuery(
  args: { query: string; groupObjects?: boolean | null },
  context: ResolverContext,
) {
  const { shop } = context;
  const checked = validateBulkQuery(loadAdminSchema(), args.query);
  if ("errors" in checked) return { bulkOperation: null, userErrors: checked.errors };
  const running = [...shop.bulkOperations.values()]
    .filter((op) => op.type === "QUERY" && ACTIVE.includes(op.status))
    .sort((a, b) => a.id - b.id);
  if (running.length >= MAX_RUNNING_BULK_QUERIES)
    return {
      bulkOperation: null,
      userErrors: [
        userError(
          null,
          `A bulk query operation for this app and shop is already in progress: ${gid("BulkOperation", running[0]!.id)}.`,
          "OPERATION_IN_PROGRESS",
        ),
      ],
    };
  const operation: BulkOperationRecord = {
    id: shop.newId(),
    type: "QUERY",
    status: "CREATED",
    query: args.query,
    errorCode: null,
    objectCount: 0,
    rootObjectCount: 0,
    fileSize: null,
    resultJsonl: null,
    url: null,
    partialDataUrl: null,
    groupObjects: args.groupObjects ?? false,
    createdAt: context.now(),
    completedAt: null,
  };
  shop.bulkOperations.set(operation.id, operation);
  const created = bulkOperationView(operation);
  await complete(operation, context, checked.document);
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
  context.emit("bulk_operations/finish", bulkOperationFinishPayload(operation));
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
    return connection(found, args, (op) => op.id, bulkOperationView);
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

export const bulkMutations: FieldMap = { bulkOperationRunQuery, bulkOperationCancel };

export function bulkNode(shop: ShopState, id: number): unknown {
  const operation = shop.bulkOperations.get(id);
  return operation ? bulkOperationView(operation) : null;
}
