/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-explicit-any -- GraphQL responses are untyped JSON here; the assertions check their shape. */
import { describe, expect, it } from "vitest";
import { ADA, ADDRESS, fixture, money, ORDER_CREATE, schemaErrors, type Fixture } from "./orders-helpers";

/**
 * Order editing the real way (orderEditBegin, orderEditSetQuantity, orderEditAddVariant,
 * orderEditCommit), with the figures after the edit worked out by hand.
 */

const BEGIN = `mutation Begin($id: ID!) { orderEditBegin(id: $id) {
  userErrors { field message }
  orderEditSession { id }
  calculatedOrder { id lineItems(first: 10) { nodes { id quantity editableQuantity sku } } } } }`;

const CALCULATED = `fragment Calculated on CalculatedOrder {
  id committed subtotalLineItemsQuantity
  subtotalPriceSet { shopMoney { amount } }
  totalPriceSet { shopMoney { amount } }
  totalOutstandingSet { shopMoney { amount } }
  taxLines { title rate priceSet { shopMoney { amount } } }
  lineItems(first: 10) { nodes { id quantity editableQuantity editableQuantityBeforeChanges restocking
    stagedChanges { __typename ... on OrderStagedChangeDecrementItem { delta restock } ... on OrderStagedChangeIncrementItem { delta } } } }
  addedLineItems(first: 10) { nodes { id quantity sku originalUnitPriceSet { shopMoney { amount } } } }
  stagedChanges(first: 10) { nodes { __typename } }
  originalOrder { currentTotalPriceSet { shopMoney { amount } } }
}`;

const SET_QUANTITY = `${CALCULATED}
mutation Set($id: ID!, $lineItemId: ID!, $quantity: Int!, $restock: Boolean) {
  orderEditSetQuantity(id: $id, lineItemId: $lineItemId, quantity: $quantity, restock: $restock) {
    userErrors { field message }
    calculatedLineItem { id quantity }
    calculatedOrder { ...Calculated } } }`;

const ADD_VARIANT = `${CALCULATED}
mutation Add($id: ID!, $variantId: ID!, $quantity: Int!, $allowDuplicates: Boolean) {
  orderEditAddVariant(id: $id, variantId: $variantId, quantity: $quantity, allowDuplicates: $allowDuplicates) {
    userErrors { field message }
    calculatedLineItem { id quantity }
    calculatedOrder { ...Calculated } } }`;

const COMMIT = `mutation Commit($id: ID!, $staffNote: String) {
  orderEditCommit(id: $id, notifyCustomer: false, staffNote: $staffNote) {
    userErrors { field message } successMessages order { id edited } } }`;

const AFTER = `query After($id: ID!) { order(id: $id) {
  edited
  totalPriceSet { shopMoney { amount } }
  currentSubtotalPriceSet { shopMoney { amount } }
  currentShippingPriceSet { shopMoney { amount } }
  currentTotalTaxSet { shopMoney { amount } }
  currentTotalPriceSet { shopMoney { amount } }
  currentTotalDiscountsSet { shopMoney { amount } }
  currentSubtotalLineItemsQuantity
  currentTaxLines { title rate priceSet { shopMoney { amount } } }
  lineItems(first: 10) { nodes { id sku quantity currentQuantity
    discountedUnitPriceAfterAllDiscountsSet { shopMoney { amount } }
    discountAllocations { allocatedAmountSet { shopMoney { amount } } }
    taxLines { price } } }
  fulfillmentOrders(first: 5) { nodes { lineItems(first: 10) { nodes { lineItem { id } totalQuantity remainingQuantity } } } }
  agreements(first: 5) { nodes { __typename reason
    sales(first: 10) { nodes { lineType actionType quantity totalAmount { shopMoney { amount } } } } } }
} }`;

async function place(f: Fixture, order: Record<string, unknown>) {
  const data = await f.gql(ORDER_CREATE, {
    order: {
      email: "ada@example.com",
      customer: ADA,
      shippingAddress: ADDRESS,
      billingAddress: ADDRESS,
      ...order,
    },
  });
  expect(data.orderCreate.userErrors).toEqual([]);
  return data.orderCreate.order as { id: string; lineItems: { nodes: { id: string }[] } };
}

const calculated = (lineId: string) => lineId.replace("/LineItem/", "/CalculatedLineItem/");

describe("an order edited before it is processed (orderEditBegin → orderEditSetQuantity → orderEditCommit)", () => {
  it("leaves the line's discount and taxes on the original units and moves the current figures to what remains", async () => {
    const f = fixture();
    const tax = [{ title: "Tax", rate: "0.08" }];
    const order = await place(f, {
      lineItems: [
        {
          title: "Print",
          sku: "PRINT",
          quantity: 3,
          priceSet: money("33.00"),
          taxLines: tax,
          requiresShipping: true,
        },
        { variantId: `gid://shopify/ProductVariant/${f.variants.mug}`, quantity: 1, taxLines: tax },
      ],
      discountCode: { itemPercentageDiscountCode: { code: "TEN", percentage: 10 } },
      shippingLines: [{ title: "Standard", priceSet: money("5.00"), taxLines: tax }],
    });
    const [print, mug] = order.lineItems.nodes.map((line) => line.id);
    // Before: print 99.00 − 9.90 = 89.10, tax 8% = 7.128 → 7.13; mug 12.50 − 1.25 = 11.25, tax 0.90;
    // shipping 5.00, tax 0.40. Total 89.10 + 11.25 + 5.00 + 7.13 + 0.90 + 0.40 = 113.78.
    const begun = await f.gql(BEGIN, { id: order.id });
    expect(begun.orderEditBegin.userErrors).toEqual([]);
    const calculatedId = begun.orderEditBegin.calculatedOrder.id;
    expect(calculatedId).toMatch(/^gid:\/\/shopify\/CalculatedOrder\/\d+$/);
    expect(begun.orderEditBegin.orderEditSession.id).toMatch(/^gid:\/\/shopify\/OrderEditSession\/\d+$/);
    expect(begun.orderEditBegin.calculatedOrder.lineItems.nodes).toEqual([
      { id: calculated(print!), quantity: 3, editableQuantity: 3, sku: "PRINT" },
      { id: calculated(mug!), quantity: 1, editableQuantity: 1, sku: "MUG-1" },
    ]);

    const set = await f.gql(SET_QUANTITY, {
      id: calculatedId,
      lineItemId: calculated(print!),
      quantity: 1,
      restock: true,
    });
    expect(set.orderEditSetQuantity.userErrors).toEqual([]);
    const staged = set.orderEditSetQuantity.calculatedOrder;
    // What remains: print 33.00 − 3.30 (a third of 9.90) = 29.70, tax 7.13 / 3 = 2.3767 → 2.38.
    // Subtotal 29.70 + 11.25 = 40.95; taxes 2.38 + 0.90 + 0.40 = 3.68; total 40.95 + 5.00 + 3.68 = 49.63.
    expect(staged.subtotalPriceSet.shopMoney.amount).toBe("40.95");
    expect(staged.taxLines).toEqual([
      { title: "Tax", rate: 0.08, priceSet: { shopMoney: { amount: "3.68" } } },
    ]);
    expect(staged.totalPriceSet.shopMoney.amount).toBe("49.63");
    // Nothing paid: all of it is outstanding.
    expect(staged.totalOutstandingSet.shopMoney.amount).toBe("49.63");
    expect(staged.lineItems.nodes[0]).toMatchObject({
      quantity: 1,
      editableQuantity: 1,
      editableQuantityBeforeChanges: 3,
      restocking: true,
      stagedChanges: [{ __typename: "OrderStagedChangeDecrementItem", delta: 2, restock: true }],
    });
    // Staged only: the order itself is unchanged until the commit.
    expect(staged.originalOrder.currentTotalPriceSet.shopMoney.amount).toBe("113.78");
    expect(f.sent.map((s) => s.topic)).not.toContain("orders/edited");

    const committed = await f.gql(COMMIT, { id: calculatedId, staffNote: "customer asked" });
    expect(committed.orderEditCommit).toMatchObject({
      userErrors: [],
      order: { id: order.id, edited: true },
    });
    const { order: after } = await f.gql(AFTER, { id: order.id });
    const [printLine] = after.lineItems.nodes;
    expect(printLine).toMatchObject({
      quantity: 3,
      currentQuantity: 1,
      // 33.00 − 9.90 / 3 = 29.70
      discountedUnitPriceAfterAllDiscountsSet: { shopMoney: { amount: "29.7" } },
      // In 2026-07 these still cover the 3 units ordered.
      discountAllocations: [{ allocatedAmountSet: { shopMoney: { amount: "9.9" } } }],
      taxLines: [{ price: "7.13" }],
    });
    expect(after.currentTaxLines).toEqual([
      { title: "Tax", rate: 0.08, priceSet: { shopMoney: { amount: "3.68" } } },
    ]);
    expect(after.currentSubtotalPriceSet.shopMoney.amount).toBe("40.95");
    expect(after.currentShippingPriceSet.shopMoney.amount).toBe("5.0");
    expect(after.currentTotalTaxSet.shopMoney.amount).toBe("3.68");
    expect(after.currentTotalPriceSet.shopMoney.amount).toBe("49.63");
    // Discounts left: 3.30 + 1.25 = 4.55.
    expect(after.currentTotalDiscountsSet.shopMoney.amount).toBe("4.55");
    expect(after.currentSubtotalLineItemsQuantity).toBe(2);
    expect(after.totalPriceSet.shopMoney.amount).toBe("113.78");
    const foLine = after.fulfillmentOrders.nodes
      .flatMap((fo: any) => fo.lineItems.nodes)
      .find((line: any) => line.lineItem.id === print);
    expect(foLine).toMatchObject({ totalQuantity: 1, remainingQuantity: 1 });
    // The edit's agreement: 2 prints removed, −(66.00 − 6.60 + 4.75) = −64.15
    // (6.60 is two thirds of 9.90; 4.75 is 7.13 × 2/3 = 4.7533 → 4.75).
    expect(after.agreements.nodes[1]).toEqual({
      __typename: "OrderEditAgreement",
      reason: "ORDER_EDIT",
      sales: {
        nodes: [
          {
            lineType: "PRODUCT",
            actionType: "UPDATE",
            quantity: -2,
            totalAmount: { shopMoney: { amount: "-64.15" } },
          },
        ],
      },
    });

    // Shopify sends orders/edited with the edit, then orders/updated with the order.
    const topics = f.sent.map((s) => s.topic);
    expect(topics.slice(-2)).toEqual(["orders/edited", "orders/updated"]);
    const edited = f.sent[f.sent.length - 2]!.payload as any;
    expect(edited.order_edit).toMatchObject({
      order_id: Number(order.id.split("/").pop()),
      notify_customer: false,
      staff_note: "customer asked",
      line_items: { additions: [], removals: [{ id: Number(print!.split("/").pop()), delta: 2 }] },
    });
    expect(schemaErrors("orders/edited", edited)).toEqual([]);
    const updated = f.sent[f.sent.length - 1]!.payload as any;
    expect(updated).toMatchObject({ current_total_price: "49.63", total_price: "113.78" });
    expect(schemaErrors("orders/updated", updated)).toEqual([]);
  });

  it("adds units to a line and a variant as a new line, taxed at the order's rates", async () => {
    const f = fixture();
    const order = await place(f, {
      lineItems: [
        {
          variantId: `gid://shopify/ProductVariant/${f.variants.shirt}`,
          quantity: 2,
          requiresShipping: true,
        },
      ],
      taxLines: [{ title: "HST", rate: "0.13" }],
    });
    const [shirt] = order.lineItems.nodes.map((line) => line.id);
    const begun = await f.gql(BEGIN, { id: order.id });
    const session = begun.orderEditBegin.orderEditSession.id; // the session's id works as well as the calculated order's
    const more = await f.gql(SET_QUANTITY, { id: session, lineItemId: calculated(shirt!), quantity: 3 });
    expect(more.orderEditSetQuantity.userErrors).toEqual([]);
    const added = await f.gql(ADD_VARIANT, {
      id: session,
      variantId: `gid://shopify/ProductVariant/${f.variants.mug}`,
      quantity: 2,
    });
    expect(added.orderEditAddVariant.userErrors).toEqual([]);
    const staged = added.orderEditAddVariant.calculatedOrder;
    expect(staged.addedLineItems.nodes).toEqual([
      {
        id: added.orderEditAddVariant.calculatedLineItem.id,
        quantity: 2,
        sku: "MUG-1",
        originalUnitPriceSet: { shopMoney: { amount: "12.5" } },
      },
    ]);
    expect(staged.stagedChanges.nodes.map((change: any) => change.__typename)).toEqual([
      "OrderStagedChangeIncrementItem",
      "OrderStagedChangeAddVariant",
    ]);
    // Shirts 3 × 25.00 = 75.00, tax 6.50 + 13% of the added 25.00 (3.25) = 9.75;
    // mugs 2 × 12.50 = 25.00, tax 13% = 3.25. Subtotal 100.00, tax 13.00, total 113.00.
    expect(staged.subtotalPriceSet.shopMoney.amount).toBe("100.0");
    expect(staged.taxLines).toEqual([
      { title: "HST", rate: 0.13, priceSet: { shopMoney: { amount: "13.0" } } },
    ]);
    expect(staged.totalPriceSet.shopMoney.amount).toBe("113.0");

    const committed = await f.gql(COMMIT, { id: session });
    expect(committed.orderEditCommit.userErrors).toEqual([]);
    const { order: after } = await f.gql(AFTER, { id: order.id });
    expect(
      after.lineItems.nodes.map((line: any) => [
        line.sku,
        line.quantity,
        line.currentQuantity,
        line.taxLines,
      ]),
    ).toEqual([
      ["SHIRT-M", 3, 3, [{ price: "9.75" }]],
      ["MUG-1", 2, 2, [{ price: "3.25" }]],
    ]);
    expect(after.currentTotalPriceSet.shopMoney.amount).toBe("113.0");
    // Both lines are to be fulfilled from the east warehouse that stocks them.
    expect(
      after.fulfillmentOrders.nodes.flatMap((fo: any) =>
        fo.lineItems.nodes.map((line: any) => line.totalQuantity),
      ),
    ).toEqual([3, 2]);
    const edited = f.sent.find((s) => s.topic === "orders/edited")!.payload as any;
    const mugLine = after.lineItems.nodes[1].id;
    expect(edited.order_edit.line_items).toEqual({
      additions: [
        { id: Number(shirt!.split("/").pop()), delta: 1 },
        { id: Number(mugLine.split("/").pop()), delta: 2 },
      ],
      removals: [],
    });
    expect(schemaErrors("orders/edited", edited)).toEqual([]);
  });

  it("refuses what Shopify refuses, with userErrors, and changes nothing", async () => {
    const f = fixture();
    const order = await place(f, {
      lineItems: [
        {
          variantId: `gid://shopify/ProductVariant/${f.variants.shirt}`,
          quantity: 2,
          requiresShipping: true,
        },
      ],
    });
    const [shirt] = order.lineItems.nodes.map((line) => line.id);
    // One shirt shipped: only the other can be edited.
    const { order: fos } = await f.gql(
      `query { order(id: "${order.id}") { fulfillmentOrders(first: 1) { nodes { id lineItems(first: 1) { nodes { id } } } } } }`,
    );
    const fo = fos.fulfillmentOrders.nodes[0];
    await f.gql(
      `mutation F($f: FulfillmentInput!) { fulfillmentCreate(fulfillment: $f) { userErrors { message } } }`,
      {
        f: {
          lineItemsByFulfillmentOrder: [
            {
              fulfillmentOrderId: fo.id,
              fulfillmentOrderLineItems: [{ id: fo.lineItems.nodes[0].id, quantity: 1 }],
            },
          ],
        },
      },
    );
    const begun = await f.gql(BEGIN, { id: order.id });
    const id = begun.orderEditBegin.calculatedOrder.id;
    expect(begun.orderEditBegin.calculatedOrder.lineItems.nodes[0].editableQuantity).toBe(1);
    const belowFulfilled = await f.gql(SET_QUANTITY, { id, lineItemId: calculated(shirt!), quantity: 0 });
    expect(belowFulfilled.orderEditSetQuantity).toMatchObject({
      calculatedOrder: null,
      userErrors: [{ field: ["quantity"] }],
    });
    const unknownLine = await f.gql(SET_QUANTITY, {
      id,
      lineItemId: "gid://shopify/CalculatedLineItem/1",
      quantity: 1,
    });
    expect(unknownLine.orderEditSetQuantity.userErrors[0].field).toEqual(["lineItemId"]);
    const duplicate = await f.gql(ADD_VARIANT, {
      id,
      variantId: `gid://shopify/ProductVariant/${f.variants.shirt}`,
      quantity: 1,
    });
    expect(duplicate.orderEditAddVariant.userErrors[0].field).toEqual(["variantId"]);
    const unknownSession = await f.gql(COMMIT, { id: "gid://shopify/CalculatedOrder/1" });
    expect(unknownSession.orderEditCommit).toMatchObject({ order: null, userErrors: [{ field: ["id"] }] });

    const { order: unchanged } = await f.gql(AFTER, { id: order.id });
    expect(unchanged.lineItems.nodes[0]).toMatchObject({ quantity: 2, currentQuantity: 2 });
    expect(unchanged.edited).toBe(false);
    expect(f.sent.map((s) => s.topic)).not.toContain("orders/edited");

    await f.gql(SET_QUANTITY, { id, lineItemId: calculated(shirt!), quantity: 1 });
    expect((await f.gql(COMMIT, { id })).orderEditCommit.userErrors).toEqual([]);
    const again = await f.gql(COMMIT, { id });
    expect(again.orderEditCommit.userErrors[0].message).toMatch(/already been committed/);
    expect(f.sent.filter((s) => s.topic === "orders/edited")).toHaveLength(1);

    const cancelledOrder = await place(f, {
      lineItems: [{ title: "Print", quantity: 1, priceSet: money("10.00") }],
    });
    await f.gql(
      `mutation { orderCancel(orderId: "${cancelledOrder.id}", reason: OTHER, restock: false) { orderCancelUserErrors { message } } }`,
    );
    const refused = await f.gql(BEGIN, { id: cancelledOrder.id });
    expect(refused.orderEditBegin).toMatchObject({ calculatedOrder: null, userErrors: [{ field: ["id"] }] });
  });
});
