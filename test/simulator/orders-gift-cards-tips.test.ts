/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-explicit-any -- GraphQL responses are untyped JSON here; the assertions check their shape. */
import { describe, expect, it } from "vitest";
import { ADA, ADDRESS, fixture, money, ORDER_CREATE, schemaErrors } from "./orders-helpers";

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
