/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-explicit-any -- GraphQL responses are untyped JSON here; the assertions check their shape. */
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createSimulatorServer } from "../../simulator/http/server.server";
import { ADA, ADDRESS, fixture, money, ORDER_CREATE, schemaErrors, type Fixture } from "./orders-helpers";

/**
 * Gift cards sold and paid with, and tips, as Shopify records them; figures worked out by hand.
 */

const ORDER = `query Order($id: ID!) { order(id: $id) {
  requiresShipping paymentGatewayNames subtotalLineItemsQuantity
  subtotalPriceSet { shopMoney { amount } }
  totalTaxSet { shopMoney { amount } }
  totalPriceSet { shopMoney { amount } presentmentMoney { amount currencyCode } }
  currentTotalPriceSet { shopMoney { amount } }
  totalTipReceivedSet { shopMoney { amount } presentmentMoney { amount currencyCode } }
  totalOutstandingSet { shopMoney { amount } }
  displayFinancialStatus
  lineItems(first: 10) { nodes { id title sku isGiftCard requiresShipping taxable quantity
    nonFulfillableQuantity unfulfilledQuantity
    originalUnitPriceSet { shopMoney { amount } }
    taxLines { price } discountAllocations { allocatedAmountSet { shopMoney { amount } } } } }
  fulfillmentOrders(first: 5) { nodes { lineItems(first: 10) { nodes { lineItem { id } totalQuantity } } } }
  transactions(first: 5) { kind gateway formattedGateway amount }
  agreements(first: 5) { nodes { __typename reason
    sales(first: 10) { nodes { __typename lineType actionType quantity
      totalAmount { shopMoney { amount } presentmentMoney { amount } }
      ... on TipSale { lineItem { id title } }
      ... on GiftCardSale { lineItem { id } }
      ... on ProductSale { lineItem { id } } } } } }
} }`;

const servers: ReturnType<typeof createSimulatorServer>[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** POSTs to the simulator's control API over HTTP, as the demo and the app's tests do. */
async function control(f: Fixture, path: string, body: unknown) {
  const server = createSimulatorServer(f.sim);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const response = await fetch(`http://127.0.0.1:${port}/_sim/shops/${f.domain}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

describe("a gift card line", () => {
  it("is a gift card sale: not taxed, not discounted, shipping nothing", async () => {
    const f = fixture();
    const data = await f.gql(ORDER_CREATE, {
      order: {
        email: "ada@example.com",
        customer: ADA,
        shippingAddress: ADDRESS,
        billingAddress: ADDRESS,
        lineItems: [
          {
            variantId: `gid://shopify/ProductVariant/${f.variants.shirt}`,
            quantity: 2,
            requiresShipping: true,
          },
          { title: "Gift card", quantity: 1, giftCard: true, priceSet: money("50.00") },
        ],
        discountCode: { itemPercentageDiscountCode: { code: "TEN", percentage: 10 } },
        taxLines: [{ title: "HST", rate: "0.13" }],
        transactions: [
          {
            kind: "SALE",
            gateway: "gift_card",
            amountSet: money("20.00"),
            giftCardId: "gid://shopify/GiftCard/77",
          },
          { kind: "SALE", gateway: "shopify_payments", amountSet: money("80.85") },
        ],
      },
    });
    expect(data.orderCreate.userErrors).toEqual([]);
    const { order } = await f.gql(ORDER, { id: data.orderCreate.order.id });
    const [shirt, card] = order.lineItems.nodes;
    expect(card).toMatchObject({
      title: "Gift card",
      isGiftCard: true,
      taxable: false,
      requiresShipping: false,
      taxLines: [],
      discountAllocations: [],
    });
    expect(shirt.isGiftCard).toBe(false);
    // 10% off the shirts only: 50.00 → 5.00. 13% on the shirts' 45.00 = 5.85; none on the card.
    expect(shirt.discountAllocations[0].allocatedAmountSet.shopMoney.amount).toBe("5.0");
    expect(shirt.taxLines).toEqual([{ price: "5.85" }]);
    // Subtotal 45.00 + 50.00 = 95.00; total 95.00 + 5.85 = 100.85; paid 20.00 + 80.85.
    expect(order.subtotalPriceSet.shopMoney.amount).toBe("95.0");
    expect(order.totalTaxSet.shopMoney.amount).toBe("5.85");
    expect(order.totalPriceSet.shopMoney.amount).toBe("100.85");
    expect(order.displayFinancialStatus).toBe("PAID");
    // A gift card paying is a payment through the gift_card gateway, not a discount.
    expect(order.transactions[0]).toEqual({
      kind: "SALE",
      gateway: "gift_card",
      formattedGateway: "Gift card",
      amount: "20.00",
    });
    expect(order.paymentGatewayNames).toEqual(["gift_card", "shopify_payments"]);
    expect(order.agreements.nodes[0].sales.nodes.map((sale: any) => sale.lineType)).toEqual([
      "PRODUCT",
      "GIFT_CARD",
    ]);
    const created = f.sent.find((s) => s.topic === "orders/create")!.payload as any;
    expect(created.line_items.map((line: any) => line.gift_card)).toEqual([false, true]);
    expect(created.payment_gateway_names).toEqual(["gift_card", "shopify_payments"]);
    expect(schemaErrors("orders/create", created)).toEqual([]);
  });

  it("refuses tax lines on a gift card and creates nothing", async () => {
    const f = fixture();
    const data = await f.gql(ORDER_CREATE, {
      order: {
        lineItems: [
          {
            title: "Gift card",
            quantity: 1,
            giftCard: true,
            priceSet: money("25.00"),
            taxLines: [{ title: "HST", rate: "0.13" }],
          },
        ],
      },
    });
    expect(data.orderCreate.order).toBeNull();
    expect(data.orderCreate.userErrors[0]).toMatchObject({
      field: ["order", "lineItems", "0", "taxLines"],
      code: "INVALID",
    });
    expect(f.shop.orders.size).toBe(0);
  });
});

describe("a checkout with a tip (POST /_sim/shops/<shop>/checkouts)", () => {
  it("records the tip as Shopify does: a Tip line outside the subtotal, in the total and totalTipReceivedSet", async () => {
    const f = fixture();
    const placed = await control(f, "/checkouts", {
      order: {
        email: "ada@example.com",
        customer: ADA,
        presentmentCurrency: "EUR",
        shippingAddress: ADDRESS,
        billingAddress: ADDRESS,
        lineItems: [
          {
            variantId: `gid://shopify/ProductVariant/${f.variants.shirt}`,
            quantity: 2,
            requiresShipping: true,
          },
        ],
        shippingLines: [{ title: "Standard", priceSet: money("5.00") }],
        taxLines: [{ title: "HST", rate: "0.13" }],
        transactions: [{ kind: "SALE", gateway: "shopify_payments", amountSet: money("69.00") }],
      },
      tip: money("7.50"),
    });
    expect(placed.status).toBe(201);
    expect(placed.body.order.name).toBe("#1001");
    const { order } = await f.gql(ORDER, { id: placed.body.order.id });
    const [shirt, tip] = order.lineItems.nodes;
    expect(tip).toMatchObject({
      title: "Tip",
      sku: null,
      isGiftCard: false,
      requiresShipping: false,
      taxable: false,
      quantity: 1,
      nonFulfillableQuantity: 1,
      unfulfilledQuantity: 0,
      taxLines: [],
      originalUnitPriceSet: { shopMoney: { amount: "7.5" } },
    });
    // Nothing to fulfil for the tip: the one fulfillment order holds the shirts alone.
    expect(order.fulfillmentOrders.nodes[0].lineItems.nodes).toEqual([
      { lineItem: { id: shirt.id }, totalQuantity: 2 },
    ]);
    // Subtotal 50.00 (the tip is outside it, and outside subtotalLineItemsQuantity: 2 shirts).
    expect(order.subtotalPriceSet.shopMoney.amount).toBe("50.0");
    expect(order.subtotalLineItemsQuantity).toBe(2);
    // Total 50.00 + 13% 6.50 + shipping 5.00 + tip 7.50 = 69.00, paid in full.
    expect(order.totalTaxSet.shopMoney.amount).toBe("6.5");
    // In EUR (0.90): 45.00 + 5.85 + 4.50 + tip 6.75 = 62.10.
    expect(order.totalPriceSet).toEqual({
      shopMoney: { amount: "69.0" },
      presentmentMoney: { amount: "62.1", currencyCode: "EUR" },
    });
    expect(order.totalTipReceivedSet).toEqual({
      shopMoney: { amount: "7.5" },
      presentmentMoney: { amount: "6.75", currencyCode: "EUR" },
    });
    expect(order.displayFinancialStatus).toBe("PAID");
    expect(order.totalOutstandingSet.shopMoney.amount).toBe("0.0");
    // The order's agreement has a TIP sale naming the tip's line item.
    const [agreement] = order.agreements.nodes;
    expect(agreement).toMatchObject({ __typename: "OrderAgreement", reason: "ORDER" });
    expect(agreement.sales.nodes.map((sale: any) => [sale.__typename, sale.lineType, sale.quantity])).toEqual(
      [
        ["ProductSale", "PRODUCT", 2],
        ["TipSale", "TIP", 1],
        ["ShippingLineSale", "SHIPPING", 1],
      ],
    );
    expect(agreement.sales.nodes[1]).toMatchObject({
      actionType: "ORDER",
      lineItem: { id: tip.id, title: "Tip" },
      totalAmount: { shopMoney: { amount: "7.5" }, presentmentMoney: { amount: "6.75" } },
    });
    const created = f.sent.find((s) => s.topic === "orders/create")!.payload as any;
    expect(created.total_tip_received).toBe("7.50");
    expect(created.total_price).toBe("69.00");
    expect(created.line_items.map((line: any) => line.title)).toEqual(["Cotton shirt", "Tip"]);
    expect(schemaErrors("orders/create", created)).toEqual([]);
  });

  it("answers bad input with a clear error and places nothing", async () => {
    const f = fixture();
    const unknownKey = await control(f, "/checkouts", { order: { lineItems: [] }, gratuity: 5 });
    expect(unknownKey).toEqual({ status: 400, body: { error: "body: unknown keys gratuity" } });
    const notAnInput = await control(f, "/checkouts", { order: { lineItems: [{ title: "X" }] } });
    expect(notAnInput.status).toBe(400);
    expect(notAnInput.body.error).toMatch(
      /^order\.lineItems\.0: Field "quantity" of required type "Int!" was not provided/,
    );
    const zeroTip = await control(f, "/checkouts", {
      order: { lineItems: [{ title: "Print", quantity: 1, priceSet: money("10.00") }] },
      tip: money("0.00"),
    });
    expect(zeroTip.status).toBe(422);
    expect(zeroTip.body.userErrors[0]).toMatchObject({ field: ["tip"], code: "INVALID" });
    expect(f.shop.orders.size).toBe(0);
    expect(f.sent).toEqual([]);
  });
});
