/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-explicit-any -- GraphQL responses are untyped JSON here; the assertions check their shape. */
import { describe, expect, it } from "vitest";
import { changeOrderLineQuantity } from "../../simulator/resolvers/orders.server";
import { contextFor } from "../../simulator/resolvers/local-execute.server";
import { ADA, ADDRESS, fixture, money, ORDER_CREATE, schemaErrors, type Fixture } from "./orders-helpers";

/**
 * Fulfillment orders and fulfillmentCreate as Shopify checks them, fulfillment tracking
 * updates, the webhooks they send, and the test helper that edits a line's quantity.
 */

async function twoLocationOrder(f: Fixture) {
  const data = await f.gql(ORDER_CREATE, {
    order: {
      email: "ada@example.com",
      customer: ADA,
      shippingAddress: ADDRESS,
      billingAddress: ADDRESS,
      lineItems: [
        {
          variantId: `gid://shopify/ProductVariant/${f.variants.shirt}`,
          quantity: 3,
          requiresShipping: true,
        },
        { variantId: `gid://shopify/ProductVariant/${f.variants.mug}`, quantity: 1, requiresShipping: true },
        {
          variantId: `gid://shopify/ProductVariant/${f.variants.poster}`,
          quantity: 2,
          requiresShipping: true,
        },
      ],
      transactions: [{ amountSet: money("167.50") }],
    },
  });
  expect(data.orderCreate.userErrors).toEqual([]);
  const order = data.orderCreate.order;
  const byLocation = (id: number) =>
    order.fulfillmentOrders.nodes.find(
      (fo: any) => fo.assignedLocation.location.id === `gid://shopify/Location/${id}`,
    );
  return { order, east: byLocation(f.locations.east), west: byLocation(f.locations.west) };
}

const FULFILL = `mutation Fulfill($fulfillment: FulfillmentInput!) {
  fulfillmentCreate(fulfillment: $fulfillment) {
    userErrors { field message }
    fulfillment { id legacyResourceId name status createdAt updatedAt totalQuantity
      trackingInfo { company number url }
      location { id }
      fulfillmentLineItems(first: 10) { nodes { quantity lineItem { id } } }
      order { id displayFulfillmentStatus } }
  }
}`;

const STATE = `query State($id: ID!) { order(id: $id) {
  displayFulfillmentStatus updatedAt
  lineItems(first: 5) { nodes { id sku unfulfilledQuantity } }
  fulfillments { id name status trackingInfo { number } }
  fulfillmentOrders(first: 5) { nodes { id status requestStatus
    lineItems(first: 5) { nodes { id totalQuantity remainingQuantity lineItem { sku } } } } }
} }`;

describe("fulfillmentCreate", () => {
  it("fulfils part of a fulfillment order, then the rest", async () => {
    const f = fixture();
    const { order, east } = await twoLocationOrder(f);
    const shirtLine = east.lineItems.nodes.find((line: any) => line.totalQuantity === 3);
    f.advance(5000);
    const first = await f.gql(FULFILL, {
      fulfillment: {
        lineItemsByFulfillmentOrder: [
          { fulfillmentOrderId: east.id, fulfillmentOrderLineItems: [{ id: shirtLine.id, quantity: 2 }] },
        ],
        trackingInfo: { company: "UPS", number: "1Z001" },
        notifyCustomer: false,
      },
    });
    expect(first.fulfillmentCreate.userErrors).toEqual([]);
    expect(first.fulfillmentCreate.fulfillment).toMatchObject({
      name: `${order.name}.1`,
      status: "SUCCESS",
      totalQuantity: 2,
      trackingInfo: [{ company: "UPS", number: "1Z001", url: expect.stringContaining("ups.com") }],
      location: { id: `gid://shopify/Location/${f.locations.east}` },
      fulfillmentLineItems: { nodes: [{ quantity: 2, lineItem: { id: shirtLine.lineItem.id } }] },
      order: { id: order.id, displayFulfillmentStatus: "PARTIALLY_FULFILLED" },
    });
    let state = (await f.gql(STATE, { id: order.id })).order;
    expect(new Date(state.updatedAt).getTime()).toBeGreaterThan(new Date(order.updatedAt).getTime());
    const eastNow = state.fulfillmentOrders.nodes.find((fo: any) => fo.id === east.id);
    expect(eastNow.status).toBe("IN_PROGRESS");
    expect(eastNow.lineItems.nodes.map((line: any) => [line.lineItem.sku, line.remainingQuantity])).toEqual([
      ["SHIRT-M", 1],
      ["MUG-1", 1],
    ]);

    // Without line items: everything that remains in the fulfillment order.
    const rest = await f.gql(FULFILL, {
      fulfillment: { lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: east.id }] },
    });
    expect(rest.fulfillmentCreate.fulfillment.totalQuantity).toBe(2);
    state = (await f.gql(STATE, { id: order.id })).order;
    expect(state.fulfillmentOrders.nodes.find((fo: any) => fo.id === east.id).status).toBe("CLOSED");
    expect(state.displayFulfillmentStatus).toBe("PARTIALLY_FULFILLED"); // the west one is still open
    expect(state.lineItems.nodes.map((line: any) => line.unfulfilledQuantity)).toEqual([0, 0, 2]);

    const west = state.fulfillmentOrders.nodes.find((fo: any) => fo.id !== east.id);
    await f.gql(FULFILL, { fulfillment: { lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: west.id }] } });
    state = (await f.gql(STATE, { id: order.id })).order;
    expect(state.displayFulfillmentStatus).toBe("FULFILLED");
    expect(state.fulfillments.map((ful: any) => ful.name)).toEqual([
      `${order.name}.1`,
      `${order.name}.2`,
      `${order.name}.3`,
    ]);

    const closed = await f.gql(FULFILL, {
      fulfillment: { lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: east.id }] },
    });
    expect(closed.fulfillmentCreate.userErrors).toEqual([
      {
        field: ["fulfillment"],
        message: `Fulfillment order ${east.id.split("/").pop()} has an unfulfillable status= closed.`,
      },
    ]);
    expect(f.sent.map((s) => s.topic).filter((t) => t.startsWith("fulfillments/"))).toEqual([
      "fulfillments/create",
      "fulfillments/create",
      "fulfillments/create",
    ]);
    expect(f.sent.filter((s) => s.topic === "orders/fulfilled")).toHaveLength(1);
    expect(f.sent.filter((s) => s.topic === "orders/partially_fulfilled")).toHaveLength(2);
  });

  it("refuses more than remains, and changes nothing", async () => {
    const f = fixture();
    const { order, east } = await twoLocationOrder(f);
    const before = JSON.stringify((await f.gql(STATE, { id: order.id })).order);
    const sentBefore = f.sent.length;
    const [shirt, mug] = east.lineItems.nodes;
    const over = await f.gql(FULFILL, {
      fulfillment: {
        lineItemsByFulfillmentOrder: [
          {
            fulfillmentOrderId: east.id,
            fulfillmentOrderLineItems: [
              { id: mug.id, quantity: 1 },
              { id: shirt.id, quantity: 4 },
            ],
          },
        ],
      },
    });
    expect(over.fulfillmentCreate).toEqual({
      fulfillment: null,
      userErrors: [
        { field: ["fulfillment"], message: "Invalid fulfillment order line item quantity requested." },
      ],
    });
    const zero = await f.gql(FULFILL, {
      fulfillment: {
        lineItemsByFulfillmentOrder: [
          { fulfillmentOrderId: east.id, fulfillmentOrderLineItems: [{ id: mug.id, quantity: 0 }] },
        ],
      },
    });
    expect(zero.fulfillmentCreate.userErrors).toHaveLength(1);
    expect(JSON.stringify((await f.gql(STATE, { id: order.id })).order)).toBe(before);
    expect(f.sent.length).toBe(sentBefore);
  });

  it("refuses fulfillment orders of two locations in one call", async () => {
    const f = fixture();
    const { order, east, west } = await twoLocationOrder(f);
    const before = JSON.stringify((await f.gql(STATE, { id: order.id })).order);
    const mixed = await f.gql(FULFILL, {
      fulfillment: {
        lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: east.id }, { fulfillmentOrderId: west.id }],
      },
    });
    expect(mixed.fulfillmentCreate).toEqual({
      fulfillment: null,
      userErrors: [
        { field: ["fulfillment"], message: "All fulfillment orders must be assigned to a single location." },
      ],
    });
    const unknown = await f.gql(FULFILL, {
      fulfillment: {
        lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: "gid://shopify/FulfillmentOrder/1" }],
      },
    });
    expect(unknown.fulfillmentCreate.userErrors).toEqual([
      { field: ["fulfillment"], message: "Fulfillment order does not exist." },
    ]);
    expect(JSON.stringify((await f.gql(STATE, { id: order.id })).order)).toBe(before);
  });

  it("reads a fulfillment order by id, and updates tracking with fulfillments/update", async () => {
    const f = fixture();
    const { order, east } = await twoLocationOrder(f);
    const { fulfillmentOrder } = await f.gql(`query { fulfillmentOrder(id: "${east.id}") {
      id status requestStatus orderId orderName assignedLocation { name location { id } }
      lineItems(first: 5) { nodes { totalQuantity remainingQuantity sku } } } }`);
    expect(fulfillmentOrder).toMatchObject({
      status: "OPEN",
      requestStatus: "UNSUBMITTED",
      orderId: order.id,
      orderName: order.name,
      assignedLocation: {
        name: "East warehouse",
        location: { id: `gid://shopify/Location/${f.locations.east}` },
      },
    });
    const created = await f.gql(FULFILL, {
      fulfillment: {
        lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: east.id }],
        trackingInfo: { company: "Other", number: "A1", url: "https://example.com/A1" },
      },
    });
    const id = created.fulfillmentCreate.fulfillment.id;
    f.advance(1000);
    const updated = await f.gql(
      `mutation U($id: ID!, $t: FulfillmentTrackingInput!) {
      fulfillmentTrackingInfoUpdate(fulfillmentId: $id, trackingInfoInput: $t, notifyCustomer: false) {
        userErrors { message } fulfillment { updatedAt trackingInfo { company number url } } } }`,
      {
        id,
        t: { company: "FedEx", numbers: ["F1", "F2"] },
      },
    );
    expect(updated.fulfillmentTrackingInfoUpdate.fulfillment.trackingInfo).toEqual([
      { company: "FedEx", number: "F1", url: "https://www.fedex.com/fedextrack/?trknbr=F1" },
      { company: "FedEx", number: "F2", url: "https://www.fedex.com/fedextrack/?trknbr=F2" },
    ]);
    const update = f.sent.find((s) => s.topic === "fulfillments/update")!;
    expect(update.payload).toMatchObject({
      tracking_company: "FedEx",
      tracking_numbers: ["F1", "F2"],
      order_id: Number(order.id.split("/").pop()),
    });
    for (const { topic, payload } of f.sent) expect(schemaErrors(topic, payload), topic).toEqual([]);
  });
});

describe("orderCreate with fulfillmentStatus FULFILLED", () => {
  it("fulfils everything at the given location, and archives the paid order", async () => {
    const f = fixture();
    const data = await f.gql(ORDER_CREATE, {
      order: {
        email: "ada@example.com",
        customer: ADA,
        shippingAddress: ADDRESS,
        billingAddress: ADDRESS,
        lineItems: [
          {
            variantId: `gid://shopify/ProductVariant/${f.variants.mug}`,
            quantity: 2,
            requiresShipping: true,
          },
        ],
        transactions: [{ amountSet: money("25.00") }],
        fulfillmentStatus: "FULFILLED",
        fulfillment: {
          locationId: `gid://shopify/Location/${f.locations.west}`,
          trackingCompany: "USPS",
          trackingNumber: "94001",
        },
      },
    });
    expect(data.orderCreate.userErrors).toEqual([]);
    const { order } =
      await f.gql(`query { order(id: "${data.orderCreate.order.id}") { displayFulfillmentStatus closed
      fulfillments { status location { id } trackingInfo { company number } }
      fulfillmentOrders(first: 2) { nodes { status } } } }`);
    expect(order).toEqual({
      displayFulfillmentStatus: "FULFILLED",
      closed: true,
      fulfillments: [
        {
          status: "SUCCESS",
          location: { id: `gid://shopify/Location/${f.locations.west}` },
          trackingInfo: [{ company: "USPS", number: "94001" }],
        },
      ],
      fulfillmentOrders: { nodes: [{ status: "CLOSED" }] },
    });
    expect(f.sent.map((s) => s.topic)).toEqual([
      "customers/create",
      "orders/create",
      "orders/paid",
      "fulfillments/create",
      "orders/fulfilled",
    ]);
    for (const { topic, payload } of f.sent) expect(schemaErrors(topic, payload), topic).toEqual([]);
  });
});

describe("changeOrderLineQuantity (test helper, the /_sim line edit)", () => {
  it("lowers a line's current quantity, its fulfillment order line, and sends orders/edited and orders/updated", async () => {
    const f = fixture();
    const { order, east } = await twoLocationOrder(f);
    const shirt = east.lineItems.nodes.find((line: any) => line.totalQuantity === 3);
    f.advance(1000);
    changeOrderLineQuantity(f.shop, order.id, shirt.lineItem.id, 1, contextFor(f.sim, f.domain));
    const { order: after } = await f.gql(`query { order(id: "${order.id}") { updatedAt
      currentSubtotalPriceSet { shopMoney { amount } } subtotalPriceSet { shopMoney { amount } }
      lineItems(first: 1) { nodes { quantity currentQuantity } }
      fulfillmentOrders(first: 5) { nodes { lineItems(first: 5) { nodes { totalQuantity remainingQuantity } } } } } }`);
    expect(after.lineItems.nodes[0]).toEqual({ quantity: 3, currentQuantity: 1 });
    expect(after.currentSubtotalPriceSet.shopMoney.amount).toBe("117.5");
    expect(after.subtotalPriceSet.shopMoney.amount).toBe("167.5");
    expect(after.fulfillmentOrders.nodes.flatMap((fo: any) => fo.lineItems.nodes)).toContainEqual({
      totalQuantity: 1,
      remainingQuantity: 1,
    });
    // The same code as orderEditBegin / orderEditSetQuantity / orderEditCommit, so the same webhooks.
    expect(f.sent.map((s) => s.topic).slice(-2)).toEqual(["orders/edited", "orders/updated"]);
    const last = f.sent[f.sent.length - 1]!;
    expect(last.payload.updated_at).not.toBe(
      f.sent.find((s) => s.topic === "orders/create")!.payload.updated_at,
    );
    expect(schemaErrors("orders/updated", last.payload)).toEqual([]);
    expect(() =>
      changeOrderLineQuantity(f.shop, order.id, "gid://shopify/LineItem/1", 1, contextFor(f.sim, f.domain)),
    ).toThrow();
  });
});

describe("the app's own operations", () => {
  it("run against the simulated orders without errors", async () => {
    const { ORDERS_COUNT, ORDERS_PAGE, ORDER_LINES } =
      await import("../../app/sync/orders/operations.server");
    const { SHIPMENT_TARGETS, FULFILLMENT_CREATE } =
      await import("../../app/sync/shipments/operations.server");
    const f = fixture();
    const { order, east } = await twoLocationOrder(f);
    const query = "status:open";
    expect((await f.gql(ORDERS_COUNT.query, { query })).ordersCount).toEqual({
      count: 1,
      precision: "EXACT",
    });
    // As the app asks: as many as ordersCount said (a page of 25 would cost 1055 > 1000).
    const page = await f.gql(ORDERS_PAGE.query, { first: 1, after: null, query });
    const node = page.orders.nodes[0];
    expect(node).toMatchObject({
      id: order.id,
      subtotalPrice: "167.50",
      totalPrice: "167.50",
      totalTax: "0.00",
    });
    expect(node.lineItems.nodes[0]).toMatchObject({
      originalUnitPrice: "25.00",
      totalDiscount: "0.00",
      variant: { barcode: null },
    });
    expect(node.transactions[0]).toMatchObject({ kind: "SALE", status: "SUCCESS", amount: "167.50" });
    await f.gql(ORDER_LINES.query, { id: order.id, first: 50, after: null });
    const fulfilled = await f.gql(FULFILLMENT_CREATE.query, {
      fulfillment: {
        lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: east.id, fulfillmentOrderLineItems: [] }],
        notifyCustomer: false,
      },
    });
    expect(fulfilled.fulfillmentCreate.userErrors).toEqual([]);
    const targets = await f.gql(SHIPMENT_TARGETS.query, { id: order.id });
    expect(targets.order.displayFulfillmentStatus).toBe("PARTIALLY_FULFILLED");
    expect(targets.order.fulfillments).toHaveLength(1);
  });
});
