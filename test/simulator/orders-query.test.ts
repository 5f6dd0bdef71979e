/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-explicit-any -- GraphQL responses are untyped JSON here; the assertions check their shape. */
import { describe, expect, it } from "vitest";
import { createOrder, fixture } from "./orders-helpers";

/** The `orders` query: search filters, counts and keyset pagination. */

const PAGE = `query Page($first: Int!, $after: String, $query: String, $sortKey: OrderSortKeys, $reverse: Boolean) {
  orders(first: $first, after: $after, query: $query, sortKey: $sortKey, reverse: $reverse) {
    pageInfo { hasNextPage hasPreviousPage endCursor }
    nodes { id name updatedAt }
  }
  ordersCount(query: $query) { count precision }
}`;

describe("orders query", () => {
  it("finds what changed after an updated_at cursor, and filters by financial status", async () => {
    const f = fixture();
    const a = await createOrder(f);
    f.advance(60_000);
    const b = await createOrder(f, { transactions: [] });
    f.advance(60_000);
    const cursor = new Date(f.sim.clock.nowMs() - 1).toISOString();
    f.advance(60_000);
    await f.gql(
      `mutation { orderUpdate(input: { id: "${a.id}", note: "gift" }) { userErrors { message } } }`,
    );

    const changed = await f.gql(PAGE, { first: 10, query: `updated_at:>'${cursor}'`, sortKey: "UPDATED_AT" });
    expect(changed.orders.nodes.map((o: any) => o.name)).toEqual(["#1001"]);
    expect(changed.ordersCount).toEqual({ count: 1, precision: "EXACT" });
    const paid = await f.gql(PAGE, { first: 10, query: "financial_status:paid" });
    expect(paid.orders.nodes.map((o: any) => o.id)).toEqual([a.id]);
    const pending = await f.gql(PAGE, { first: 10, query: "financial_status:pending status:open" });
    expect(pending.orders.nodes.map((o: any) => o.id)).toEqual([b.id]);
  });

  it("filters by status, fulfillment status, tag, name, email, customer and channel", async () => {
    const f = fixture();
    const a = await createOrder(f, { tags: ["wholesale"], sourceName: "pos" });
    const b = await createOrder(f, {
      email: "bob@example.com",
      customer: { toUpsert: { email: "bob@example.com" } },
    });
    const c = await createOrder(f);
    await f.gql(
      `mutation { orderCancel(orderId: "${c.id}", reason: CUSTOMER, restock: true) { orderCancelUserErrors { message } } }`,
    );
    await f.gql(
      `mutation F($f: FulfillmentInput!) { fulfillmentCreate(fulfillment: $f) { userErrors { message } } }`,
      {
        f: { lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: a.fulfillmentOrders.nodes[0].id }] },
      },
    );
    const names = async (query: string) =>
      (await f.gql(PAGE, { first: 10, query, sortKey: "ID" })).orders.nodes.map((o: any) => o.name);
    // #1001 is paid and now fulfilled: Shopify archives it by itself.
    expect(await names("status:open")).toEqual(["#1002"]);
    expect(await names("status:closed")).toEqual(["#1001", "#1003"]);
    expect(await names("status:cancelled")).toEqual(["#1003"]);
    expect(await names("status:any")).toEqual(["#1001", "#1002", "#1003"]);
    expect(await names("fulfillment_status:shipped")).toEqual(["#1001"]);
    expect(await names("fulfillment_status:unshipped status:open")).toEqual(["#1002"]);
    expect(await names("tag:wholesale")).toEqual(["#1001"]);
    expect(await names("tag_not:wholesale")).toEqual(["#1002", "#1003"]);
    expect(await names("name:#1002")).toEqual(["#1002"]);
    expect(await names("name:1003")).toEqual(["#1003"]);
    expect(await names("email:bob@example.com")).toEqual(["#1002"]);
    const customerId = f.shop.orders.get(Number(b.id.split("/").pop()))!.customerId;
    expect(await names(`customer_id:${customerId}`)).toEqual(["#1002"]);
    expect(await names("source_name:pos")).toEqual(["#1001"]);
    expect(await names(`id:${a.id.split("/").pop()}`)).toEqual(["#1001"]);
  });

  it("pages by cursor and keeps its place when an order moves between pages", async () => {
    const f = fixture();
    const created = [];
    for (let i = 0; i < 7; i++) {
      created.push(await createOrder(f));
      f.advance(1000);
    }
    const seen: string[] = [];
    let after: string | null = null;
    let page = 0;
    for (;;) {
      const data: any = await f.gql(PAGE, { first: 3, after, sortKey: "UPDATED_AT" });
      seen.push(...data.orders.nodes.map((o: any) => o.name));
      expect(data.orders.pageInfo.hasPreviousPage).toBe(after !== null);
      if (page === 0) {
        // The last order of the first page changes: it moves to the end, the cursor holds.
        f.advance(1000);
        await f.gql(
          `mutation { orderUpdate(input: { id: "${created[2].id}", tags: ["moved"] }) { userErrors { message } } }`,
        );
      }
      page++;
      if (!data.orders.pageInfo.hasNextPage) break;
      after = data.orders.pageInfo.endCursor;
    }
    expect(seen).toEqual(["#1001", "#1002", "#1003", "#1004", "#1005", "#1006", "#1007", "#1003"]);
    const reversed = await f.gql(PAGE, { first: 2, sortKey: "CREATED_AT", reverse: true });
    expect(reversed.orders.nodes.map((o: any) => o.name)).toEqual(["#1007", "#1006"]);
    const BACK = `query Back($last: Int!, $before: String) { orders(last: $last, before: $before, sortKey: ID) {
      pageInfo { hasNextPage hasPreviousPage startCursor } nodes { name } } }`;
    const tail = await f.gql(BACK, { last: 2 });
    expect(tail.orders.nodes.map((o: any) => o.name)).toEqual(["#1006", "#1007"]);
    expect(tail.orders.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    const before = await f.gql(BACK, { last: 2, before: tail.orders.pageInfo.startCursor });
    expect(before.orders.nodes.map((o: any) => o.name)).toEqual(["#1004", "#1005"]);
    expect(before.orders.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
  });
});
