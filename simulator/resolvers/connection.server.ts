import { GraphQLError } from "graphql";

/**
 * The one pagination of every connection, as the Admin API pages: `first` or `last` (at most
 * 250), `after`/`before` cursors, `reverse`, edges with cursors, `nodes` and `pageInfo`.
 *
 * Pages are keyset pages, as Shopify's are: a connection is sorted by its sort value (the
 * `sortKey`'s field) and then by id, and a cursor carries both (base64 of
 * `{"last_id":…,"last_value":…}`, the shape of Shopify's cursors). A page after a cursor holds
 * the items strictly after that (value, id) in the requested order, so a cursor stays valid when
 * items are inserted before it, when its own item is deleted, or when its item's sort value
 * changes (an order updated between two pages of `sortKey: UPDATED_AT` does not cost the rest).
 *
 * `pageInfo.hasPreviousPage` and `hasNextPage` say whether the connection holds items before and
 * after the page, whichever of `first`/`last`/`after`/`before` made it ("Whether there are
 * results in the connection before/after the current page", Shopify's pagination guide).
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

type Scalar = number | string | null;

/** A sort value: one field, or several compared in turn (a name, then a second name). */
export type SortValue = Scalar | Scalar[];

export type ItemId = number | string;

/**
 * How a connection is ordered: the item's id (the tie-break and what its cursor names), and its
 * sort value. Given only an id function, the connection is sorted by id (Shopify's `ID` sort key
 * and the default of most connections).
 */
export type Ordering<R> = ((item: R) => ItemId) | { id: (item: R) => ItemId; key: (item: R) => SortValue };

interface Position {
  id: ItemId;
  value: SortValue;
}

function invalidCursor(): GraphQLError {
  return new GraphQLError("Invalid cursor for current pagination sort.", {
    extensions: { code: "BAD_REQUEST" },
  });
}

function isScalar(value: unknown): value is Scalar {
  return value === null || typeof value === "number" || typeof value === "string";
}

function encode(position: Position): string {
  return Buffer.from(JSON.stringify({ last_id: position.id, last_value: position.value }), "utf8").toString(
    "base64url",
  );
}

function decode(cursor: string): Position {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as {
      last_id?: unknown;
      last_value?: unknown;
    };
    const { last_id: id, last_value: value } = parsed;
    const validValue = isScalar(value) || (Array.isArray(value) && value.every(isScalar));
    if ((typeof id === "number" || typeof id === "string") && validValue) return { id, value };
  } catch {
    // reported below
  }
  throw invalidCursor();
}

/** The cursor of an item in a connection sorted by id (`Navigable.defaultCursor`). */
export function encodeCursor(id: ItemId): string {
  return encode({ id, value: id });
}

function compareScalars(a: Scalar, b: Scalar): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  return String(a).localeCompare(String(b));
}

function compareValues(a: SortValue, b: SortValue): number {
  if (!Array.isArray(a) || !Array.isArray(b)) return compareScalars(a as Scalar, b as Scalar);
  for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
    const order = compareScalars(a[i] ?? null, b[i] ?? null);
    if (order !== 0) return order;
  }
  return 0;
}

function comparePositions(a: Position, b: Position): number {
  return compareValues(a.value, b.value) || compareScalars(a.id, b.id);
}

/** A cursor made under another sort (a title where ids are compared) is refused, not misread. */
function sameShape(cursor: Position, sample: Position | undefined): boolean {
  if (!sample) return true;
  const shape = (value: SortValue) => (Array.isArray(value) ? `[${value.length}]` : typeof value);
  const kind = (value: SortValue) => (value === null ? null : shape(value));
  const cursorKind = kind(cursor.value);
  return (
    typeof cursor.id === typeof sample.id &&
    (cursorKind === null || kind(sample.value) === null || cursorKind === kind(sample.value))
  );
}

function pageSize(args: ConnectionArgs): number {
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
  return size;
}

/** The index of the first entry after `position` in `direction` (or at it, when not `strict`). */
function boundary(
  entries: readonly { position: Position }[],
  position: Position,
  direction: number,
  strict: boolean,
) {
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    const order = direction * comparePositions(entries[middle]!.position, position);
    if (order < 0 || (strict && order === 0)) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * A page of `items` (already filtered, in any order): sorted by `ordering`, reversed when
 * `args.reverse`, cut by the cursors and the page size. `view` turns a record into what the
 * schema returns and is called only for the page.
 */
export function connection<R, T>(
  items: Iterable<R>,
  args: ConnectionArgs,
  ordering: Ordering<R>,
  view: (item: R) => T,
): Connection<T> {
  const size = pageSize(args);
  const idOf = typeof ordering === "function" ? ordering : ordering.id;
  const valueOf = typeof ordering === "function" ? ordering : ordering.key;
  const direction = args.reverse ? -1 : 1;
  const entries = [...items]
    .map((item) => ({ item, position: { id: idOf(item), value: valueOf(item) } }))
    .sort((a, b) => direction * comparePositions(a.position, b.position));
  const cursor = (text: string) => {
    const position = decode(text);
    if (!sameShape(position, entries[0]?.position)) throw invalidCursor();
    return position;
  };
  // The window between the cursors: after `after`, before `before`.
  const from = args.after ? boundary(entries, cursor(args.after), direction, true) : 0;
  const to = Math.max(
    from,
    args.before ? boundary(entries, cursor(args.before), direction, false) : entries.length,
  );
  const start = args.first != null ? from : Math.max(from, to - size);
  const end = args.first != null ? Math.min(to, from + size) : to;
  const edges = entries
    .slice(start, end)
    .map((entry) => ({ cursor: encode(entry.position), node: view(entry.item) }));
  return {
    edges,
    nodes: edges.map((edge) => edge.node),
    pageInfo: {
      hasNextPage: end < entries.length,
      hasPreviousPage: start > 0,
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
