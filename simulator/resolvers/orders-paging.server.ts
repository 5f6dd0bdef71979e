import { GraphQLError } from "graphql";
import { MAX_PAGE_SIZE, type Connection, type ConnectionArgs } from "./connection.server";

/**
 * Keyset pagination for the top-level `orders` and `customers` connections. Shopify's cursors
 * carry the sort value of the last item as well as its id, so a page continues after that
 * position even when the item itself has since moved (an order updated between two pages of
 * `sortKey: UPDATED_AT` is not a lost cursor and does not skip the rest). A cursor names
 * (sort value, id); pages hold the items strictly after/before it in the requested order.
 */

export type SortValue = number | string;

interface CursorPayload {
  id: number;
  key: SortValue;
}

function encode(payload: CursorPayload): string {
  return Buffer.from(JSON.stringify(payload), "utf8").toString("base64url");
}

function decode(cursor: string): CursorPayload {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as Partial<CursorPayload>;
    if (typeof parsed.id === "number" && (typeof parsed.key === "number" || typeof parsed.key === "string"))
      return { id: parsed.id, key: parsed.key };
  } catch {
    // reported below
  }
  throw new GraphQLError("Invalid cursor for current pagination sort.", {
    extensions: { code: "BAD_REQUEST" },
  });
}

function compareValues(a: SortValue, b: SortValue): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  return String(a).localeCompare(String(b));
}

function compareKeys(a: CursorPayload, b: CursorPayload): number {
  return compareValues(a.key, b.key) || a.id - b.id;
}

/** Sorts ascending by (sort value, id), the order Shopify breaks ties in. */
export function sortByKey<R>(
  items: Iterable<R>,
  keyOf: (item: R) => SortValue,
  idOf: (item: R) => number,
): R[] {
  return [...items]
    .map((item) => ({ item, key: { id: idOf(item), key: keyOf(item) } }))
    .sort((a, b) => compareKeys(a.key, b.key))
    .map((entry) => entry.item);
}

function checkSize(args: ConnectionArgs): number {
  const { first, last } = args;
  if (first == null && last == null)
    throw new GraphQLError("you must provide one of first or last", { extensions: { code: "BAD_REQUEST" } });
  if (first != null && last != null)
    throw new GraphQLError("providing both first and last is not supported", {
      extensions: { code: "BAD_REQUEST" },
    });
  const size = (first ?? last)!;
  if (size < 0 || size > MAX_PAGE_SIZE)
    throw new GraphQLError(`The maximum number of items that can be requested is ${MAX_PAGE_SIZE}`, {
      extensions: { code: "BAD_REQUEST" },
    });
  return size;
}

/** A page of items already filtered; sorts them by key itself. */
export function keysetConnection<R, T>(
  records: Iterable<R>,
  args: ConnectionArgs,
  keyOf: (item: R) => SortValue,
  idOf: (item: R) => number,
  view: (item: R) => T,
): Connection<T> {
  const size = checkSize(args);
  const direction = args.reverse ? -1 : 1;
  const keyed = sortByKey(records, keyOf, idOf).map((item) => ({
    item,
    key: { id: idOf(item), key: keyOf(item) },
  }));
  if (direction < 0) keyed.reverse();
  const after = args.after ? decode(args.after) : null;
  const before = args.before ? decode(args.before) : null;
  const skippedBefore = after
    ? keyed.filter((entry) => direction * compareKeys(entry.key, after) <= 0).length
    : 0;
  const skippedAfter = before
    ? keyed.filter((entry) => direction * compareKeys(entry.key, before) >= 0).length
    : 0;
  const window = keyed.filter(
    (entry) =>
      (!after || direction * compareKeys(entry.key, after) > 0) &&
      (!before || direction * compareKeys(entry.key, before) < 0),
  );
  const page = args.first != null ? window.slice(0, size) : window.slice(Math.max(0, window.length - size));
  const edges = page.map((entry) => ({ cursor: encode(entry.key), node: view(entry.item) }));
  return {
    edges,
    nodes: edges.map((edge) => edge.node),
    pageInfo: {
      hasNextPage: args.first != null ? window.length > size : skippedAfter > 0,
      hasPreviousPage: args.last != null ? window.length > size : skippedBefore > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}
