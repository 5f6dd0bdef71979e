/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-explicit-any -- GraphQL responses are untyped JSON here; the assertions check their shape. */
import { describe, expect, it } from "vitest";
import { seedOrders } from "../../simulator/seed/orders.server";
import { seededRandom } from "../../simulator/simulator.server";
import { ShopState } from "../../simulator/state/shop-state.server";
import { fixture } from "./orders-helpers";

/** seedOrders: deterministic, realistic, silent, and readable through the API. */

const NOW = new Date("2026-07-15T12:00:00Z");
const DAY = 86_400_000;

function seeded(sizes = { customers: 12, orders: 60 }) {
  const f = fixture();
  seedOrders(f.shop, sizes, seededRandom(7), NOW);
  return f;
}

describe("seedOrders", () => {
  it("gives the same shop for the same seed", () => {
    const a = seeded();
    const b = seeded();
    expect(JSON.stringify([...a.shop.orders.values()])).toBe(JSON.stringify([...b.shop.orders.values()]));
    expect(JSON.stringify([...a.shop.customers.values()])).toBe(
      JSON.stringify([...b.shop.customers.values()]),
    );
    expect(JSON.stringify([...a.shop.fulfillments.values()])).toBe(
      JSON.stringify([...b.shop.fulfillments.values()]),
    );
  });

  it("mixes payment and fulfillment states over the last 30 days, and sends no webhooks", () => {
    const f = seeded();
    const orders = [...f.shop.orders.values()];
    expect(orders).toHaveLength(60);
    expect(f.shop.customers.size).toBe(12);
    const count = (pick: (o: (typeof orders)[number]) => string) =>
      orders.reduce<Record<string, number>>((acc, o) => ({ ...acc, [pick(o)]: (acc[pick(o)] ?? 0) + 1 }), {});
    const financial = count((o) => o.displayFinancialStatus);
    expect(financial.PAID).toBeGreaterThan(30);
    expect(
      (financial.PENDING ?? 0) + (financial.PARTIALLY_PAID ?? 0) + (financial.AUTHORIZED ?? 0),
    ).toBeGreaterThan(5);
    const fulfillment = count((o) => o.displayFulfillmentStatus);
    expect(fulfillment.FULFILLED).toBeGreaterThan(5);
    expect(fulfillment.PARTIALLY_FULFILLED).toBeGreaterThan(0);
    expect(fulfillment.UNFULFILLED).toBeGreaterThan(5);
    for (const order of orders) {
      expect(order.createdAt.getTime()).toBeGreaterThanOrEqual(NOW.getTime() - 30 * DAY);
      expect(order.createdAt.getTime()).toBeLessThanOrEqual(NOW.getTime());
      expect(order.updatedAt.getTime()).toBeGreaterThanOrEqual(order.createdAt.getTime());
    }
    const names = orders.sort((x, y) => x.createdAt.getTime() - y.createdAt.getTime()).map((o) => o.name);
    expect(names[0]).toBe("#1001");
    expect(names[59]).toBe("#1060");
    expect(f.shop.nextOrderNumber).toBe(1061);
    expect(f.sent).toEqual([]);
  });

  it("serves the seeded orders through the API with consistent totals", async () => {
    const f = seeded();
    const nodes: any[] = [];
    let after: string | null = null;
    for (;;) {
      const page: any = await f.gql(
        `query P($after: String) { orders(first: 10, after: $after) { pageInfo { hasNextPage endCursor }
          nodes { name displayFinancialStatus displayFulfillmentStatus
          subtotalPriceSet { shopMoney { amount } } totalShippingPriceSet { shopMoney { amount } }
          totalTaxSet { shopMoney { amount } } totalPriceSet { shopMoney { amount } }
          customer { email defaultAddress { city } }
          lineItems(first: 3) { nodes { sku variant { id } quantity unfulfilledQuantity } }
          transactions { kind amount }
          fulfillments { trackingInfo { number } }
          fulfillmentOrders(first: 2) { nodes { status lineItems(first: 3) { nodes { remainingQuantity } } } } } } }`,
        { after },
      );
      nodes.push(...page.orders.nodes);
      if (!page.orders.pageInfo.hasNextPage) break;
      after = page.orders.pageInfo.endCursor;
    }
    const { ordersCount } = await f.gql(`{ ordersCount(query: "financial_status:paid") { count } }`);
    expect(nodes).toHaveLength(60);
    for (const order of nodes) {
      const cents = (set: any) => Math.round(Number(set.shopMoney.amount) * 100);
      expect(cents(order.totalPriceSet)).toBe(
        cents(order.subtotalPriceSet) + cents(order.totalShippingPriceSet) + cents(order.totalTaxSet),
      );
      expect(order.lineItems.nodes.every((line: any) => line.variant !== null)).toBe(true);
    }
    expect(ordersCount.count).toBe(nodes.filter((o: any) => o.displayFinancialStatus === "PAID").length);
  });

  it("uses custom line items in a shop without variants", () => {
    const shop = new ShopState("empty.myshopify.com", { plan: "standard", createdAt: NOW });
    seedOrders(shop, { customers: 0, orders: 5 }, seededRandom(3), NOW);
    const lines = [...shop.orders.values()].flatMap((order) => order.lineItems);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((line) => line.variantId === null && line.title.length > 0)).toBe(true);
    expect(
      [...shop.orders.values()].every((order) => order.customerId === null && order.email !== null),
    ).toBe(true);
  });
});
