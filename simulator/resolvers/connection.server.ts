import { GraphQLError } from "graphql";

/**
 * Relay connections as the Admin API serves them: `first`/`last` (at most 250), `after`/
 * `before` cursors, `reverse`, edges with cursors, `nodes`, and `pageInfo`. Cursors are opaque
 * (base64url of the item's id), stable while items are added or removed elsewhere.
 */

export const MAX_PAGE_SIZE = 250;

export interface ConnectionArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
  reverse?: boolean | null;
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
}

export function encodeCursor(id: number | string): string {
  return Buffer.from(JSON.stringify({ id }), "utf8").toString("base64url");
}

function decodeCursor(cursor: string): number | string {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as { id?: unknown };
    if (typeof parsed.id === "number" || typeof parsed.id === "string") return parsed.id;
  } catch {
    // fall through to the error below
  }
  throw new GraphQLError(`Invalid cursor for current pagination sort.`, {
    extensions: { code: "BAD_REQUEST" },
  });
}

/**
 * Pages through items that are already filtered and sorted. `idOf` gives each item's cursor id;
 * `view` turns a record into what the schema returns (called only for the page).
 */
export function connection<R, T>(
  items: readonly R[],
  args: ConnectionArgs,
  idOf: (item: R) => number | string,
  view: (item: R) => T,
): Connection<T> {
  const { first, last } = args;
  if (first == null && last == null) {
    throw new GraphQLError("you must provide one of first or last", { extensions: { code: "BAD_REQUEST" } });
  }
  if (first != null && last != null) {
    throw new GraphQLError("providing both first and last is not supported", {
      extensions: { code: "BAD_REQUEST" },
    });
  }
  const size = (first ?? last)!;
  if (size < 0 || size > MAX_PAGE_SIZE) {
    throw new GraphQLError(`The maximum number of items that can be requested is ${MAX_PAGE_SIZE}`, {
      extensions: { code: "BAD_REQUEST" },
    });
  }
  let list = args.reverse ? [...items].reverse() : [...items];
  let start = 0;
  let end = list.length;
  if (args.after) {
    const id = decodeCursor(args.after);
    const at = list.findIndex((item) => idOf(item) === id);
    start = at >= 0 ? at + 1 : list.length;
  }
  if (args.before) {
    const id = decodeCursor(args.before);
    const at = list.findIndex((item) => idOf(item) === id);
    end = at >= 0 ? at : 0;
  }
  list = list.slice(start, Math.max(start, end));
  const window = first != null ? list.slice(0, size) : list.slice(Math.max(0, list.length - size));
  const hasNextPage =
    first != null
      ? list.length > size
      : end < (args.reverse ? items.length : items.length) && args.before != null;
  const hasPreviousPage = last != null ? list.length > size : start > 0;
  const edges = window.map((item) => ({ cursor: encodeCursor(idOf(item)), node: view(item) }));
  return {
    edges,
    nodes: edges.map((edge) => edge.node),
    pageInfo: {
      hasNextPage,
      hasPreviousPage,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}

/** A `Count` as Shopify answers `...Count(limit:)`: exact, or "at least" the limit when capped. */
export function countOf(value: number, limit?: number | null) {
  if (limit != null && value > limit) return { count: limit, precision: "AT_LEAST" };
  return { count: value, precision: "EXACT" };
}
