/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-explicit-any -- GraphQL responses are untyped JSON here; the assertions check their shape. */
import { describe, expect, it } from "vitest";
import {
  connection,
  encodeCursor,
  type ConnectionArgs,
  type SortValue,
} from "../../simulator/resolvers/connection.server";
import { executeLocal } from "../../simulator/resolvers/local-execute.server";
import { testSimulator } from "../../simulator/testing.server";

interface Item {
  id: number;
  name: string;
}

const byName = { key: (item: Item) => item.name, id: (item: Item) => item.id };

function items(...names: string[]): Item[] {
  return names.map((name, index) => ({ id: index + 1, name }));
}

function page(
  list: Item[],
  args: ConnectionArgs,
  ordering: Parameters<typeof connection<Item, Item>>[2] = byName,
) {
  const result = connection(list, args, ordering, (item) => item);
  return { ...result, ids: result.nodes.map((item) => item.id) };
}

function decoded(cursor: string): unknown {
  return JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
}

describe("a connection's pages (the one pagination every simulated connection uses)", () => {
  const seven = items("a", "b", "c", "d", "e", "f", "g");

  it("pages forward with first and after, saying on each page what lies before and after it", () => {
    const first = page(seven, { first: 3 });
    expect(first.ids).toEqual([1, 2, 3]);
    expect(first.pageInfo).toMatchObject({ hasPreviousPage: false, hasNextPage: true });
    const second = page(seven, { first: 3, after: first.pageInfo.endCursor });
    expect(second.ids).toEqual([4, 5, 6]);
    expect(second.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true });
    const last = page(seven, { first: 3, after: second.pageInfo.endCursor });
    expect(last.ids).toEqual([7]);
    expect(last.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });
    expect(last.pageInfo.startCursor).toBe(last.pageInfo.endCursor);
  });

  it("pages backward with last and before", () => {
    const tail = page(seven, { last: 3 });
    expect(tail.ids).toEqual([5, 6, 7]);
    expect(tail.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });
    const before = page(seven, { last: 3, before: tail.pageInfo.startCursor });
    expect(before.ids).toEqual([2, 3, 4]);
    expect(before.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true });
    const head = page(seven, { last: 3, before: before.pageInfo.startCursor });
    expect(head.ids).toEqual([1]);
    expect(head.pageInfo).toMatchObject({ hasPreviousPage: false, hasNextPage: true });
  });

  it("between after and before, counts what lies outside the page on both sides", () => {
    const all = page(seven, { first: 7 });
    const cursor = (id: number) => all.edges[id - 1]!.cursor;
    const forward = page(seven, { first: 2, after: cursor(2), before: cursor(6) });
    expect(forward.ids).toEqual([3, 4]);
    expect(forward.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true });
    const backward = page(seven, { last: 2, after: cursor(2), before: cursor(6) });
    expect(backward.ids).toEqual([4, 5]);
    expect(backward.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true });
    expect(page(seven, { first: 5, after: cursor(6), before: cursor(2) }).ids).toEqual([]);
  });

  it("sorts by the sort value and breaks ties by id; reverse turns the whole order round, ties included", () => {
    const tied = items("b", "a", "b", "a");
    expect(page(tied, { first: 10 }).ids).toEqual([2, 4, 1, 3]);
    expect(page(tied, { first: 10, reverse: true }).ids).toEqual([3, 1, 4, 2]);
    const reversed = page(tied, { first: 2, reverse: true });
    expect(page(tied, { first: 2, reverse: true, after: reversed.pageInfo.endCursor }).ids).toEqual([4, 2]);
    expect(page(tied, { last: 1, reverse: true }).ids).toEqual([2]);
  });

  it("orders by id when given only the id, and by several fields in turn when the value is a list", () => {
    const shuffled = [3, 1, 2].map((id) => ({ id, name: "x" }));
    expect(page(shuffled, { first: 3 }, (item) => item.id).ids).toEqual([1, 2, 3]);
    const people = [
      { id: 1, name: "Kim Ode" },
      { id: 2, name: "Al Ode" },
      { id: 3, name: "Kim Ash" },
    ];
    const lastThenFirst = {
      key: (item: Item): SortValue => [item.name.split(" ")[1]!, item.name.split(" ")[0]!],
      id: (item: Item) => item.id,
    };
    const first = page(people, { first: 2 }, lastThenFirst);
    expect(first.ids).toEqual([3, 2]);
    expect(page(people, { first: 2, after: first.pageInfo.endCursor }, lastThenFirst).ids).toEqual([1]);
  });

  it("keeps a cursor's place when items are inserted before it, when its item is deleted, and when its item moves", () => {
    const list = items("b", "d", "f", "h");
    const first = page(list, { first: 2 });
    expect(first.ids).toEqual([1, 2]);
    const cursor = first.pageInfo.endCursor;
    const inserted = [...list, { id: 5, name: "a" }, { id: 6, name: "c" }];
    expect(page(inserted, { first: 2, after: cursor }).ids).toEqual([3, 4]);
    const deleted = list.filter((item) => item.id !== 2);
    expect(page(deleted, { first: 2, after: cursor }).ids).toEqual([3, 4]);
    const moved = list.map((item) => (item.id === 2 ? { ...item, name: "z" } : item));
    expect(page(moved, { first: 3, after: cursor }).ids).toEqual([3, 4, 2]);
    expect(page(inserted, { last: 2, before: cursor }).ids).toEqual([1, 6]);
  });

  it("gives an empty page that still says what lies on each side", () => {
    const end = page(seven, { first: 3, after: page(seven, { last: 1 }).pageInfo.endCursor });
    expect(end.ids).toEqual([]);
    expect(end.pageInfo).toEqual({
      hasPreviousPage: true,
      hasNextPage: false,
      startCursor: null,
      endCursor: null,
    });
    const none = page(seven, { first: 0 });
    expect(none.pageInfo).toMatchObject({ hasPreviousPage: false, hasNextPage: true });
    expect(page([], { first: 5 }).pageInfo).toEqual({
      hasPreviousPage: false,
      hasNextPage: false,
      startCursor: null,
      endCursor: null,
    });
  });

  it("makes opaque cursors that carry the id and the sort value, as Shopify's do; a default cursor is the id sort's", () => {
    const first = page(seven, { first: 2 });
    expect(decoded(first.edges[1]!.cursor)).toEqual({ last_id: 2, last_value: "b" });
    const byId = page(seven, { first: 2 }, (item) => item.id);
    expect(byId.edges[1]!.cursor).toBe(encodeCursor(2));
    expect(page(seven, { first: 1, after: encodeCursor(2) }, (item) => item.id).ids).toEqual([3]);
  });

  it("refuses what Shopify refuses: no page size, both sizes, more than 250, and a cursor it did not make", () => {
    expect(() => page(seven, {})).toThrow("you must provide one of first or last");
    expect(() => page(seven, { first: 1, last: 1 })).toThrow(
      "providing both first and last is not supported",
    );
    expect(() => page(seven, { first: 251 })).toThrow(
      "The maximum number of items that can be requested is 250",
    );
    expect(() => page(seven, { first: 1, after: "not a cursor" })).toThrow(
      "Invalid cursor for current pagination sort.",
    );
    // A cursor of the name sort given to the id sort.
    const named = page(seven, { first: 1 }).pageInfo.endCursor!;
    expect(() => page(seven, { first: 1, after: named }, (item) => item.id)).toThrow(
      "Invalid cursor for current pagination sort.",
    );
  });
});

describe("when a store's connections are paged through the Admin API", () => {
  const DOMAIN = "paging.myshopify.com";

  async function gql(
    sim: ReturnType<typeof testSimulator>,
    query: string,
    variables: Record<string, unknown> = {},
  ) {
    const response = await executeLocal(sim, DOMAIN, query, variables);
    if (response.errors) throw new Error(JSON.stringify(response.errors));
    return response.data as any;
  }

  const CREATE = `mutation Create($title: String!) { productCreate(product: { title: $title }) { userErrors { message } } }`;
  const PAGE = `query Page($after: String, $reverse: Boolean) {
    products(first: 2, after: $after, sortKey: TITLE, reverse: $reverse) {
      nodes { title } pageInfo { hasNextPage hasPreviousPage endCursor } } }`;

  it("products by title keep their place when a product sorting before the cursor is created", async () => {
    const sim = testSimulator();
    for (const title of ["Delta", "Bravo", "Foxtrot", "Echo"]) await gql(sim, CREATE, { title });
    const first = await gql(sim, PAGE);
    expect(first.products.nodes.map((p: any) => p.title)).toEqual(["Bravo", "Delta"]);
    await gql(sim, CREATE, { title: "Alpha" });
    await gql(sim, CREATE, { title: "Charlie" });
    const second = await gql(sim, PAGE, { after: first.products.pageInfo.endCursor });
    expect(second.products.nodes.map((p: any) => p.title)).toEqual(["Echo", "Foxtrot"]);
    expect(second.products.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });
    const reversed = await gql(sim, PAGE, { reverse: true });
    expect(reversed.products.nodes.map((p: any) => p.title)).toEqual(["Foxtrot", "Echo"]);
  });
});
