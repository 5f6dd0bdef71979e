/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-explicit-any -- GraphQL responses are untyped JSON here; the assertions check their shape. */
import { describe, expect, it } from "vitest";
import { ADA, ADDRESS, fixture, money, ORDER_CREATE, schemaErrors, type Fixture } from "./orders-helpers";

/**
 * Money as Shopify states it, with every figure worked out by hand in the comments (never the
 * simulator's own output as witness): presentment currencies, prices that include taxes, and
 * taxes on shipping after a shipping discount. The simulator's rate table: 1 USD = 0.90 EUR.
 */

const MONEY = `query Money($id: ID!) { order(id: $id) {
  currencyCode presentmentCurrencyCode taxesIncluded
  subtotalPrice totalTax totalPrice totalShippingPrice
  subtotalPriceSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } }
  totalShippingPriceSet { shopMoney { amount } presentmentMoney { amount } }
  currentShippingPriceSet { shopMoney { amount } presentmentMoney { amount } }
  totalTaxSet { shopMoney { amount } presentmentMoney { amount } }
  totalDiscountsSet { shopMoney { amount } presentmentMoney { amount } }
  totalPriceSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } }
  currentTotalPriceSet { shopMoney { amount } presentmentMoney { amount } }
  currentTotalTaxSet { shopMoney { amount } presentmentMoney { amount } }
  totalReceivedSet { shopMoney { amount } presentmentMoney { amount } }
  totalOutstandingSet { shopMoney { amount } presentmentMoney { amount } }
  taxLines { title rate priceSet { shopMoney { amount } presentmentMoney { amount } } }
  lineItems(first: 10) { nodes { title quantity
    originalUnitPriceSet { shopMoney { amount } presentmentMoney { amount currencyCode } }
    discountAllocations { allocatedAmountSet { shopMoney { amount } presentmentMoney { amount } } }
    taxLines { price priceSet { shopMoney { amount } presentmentMoney { amount } } } } }
  shippingLines(first: 5) { nodes { title
    originalPriceSet { shopMoney { amount } presentmentMoney { amount } }
    discountedPriceSet { shopMoney { amount } presentmentMoney { amount } }
    taxLines { priceSet { shopMoney { amount } presentmentMoney { amount } } } } }
  transactions(first: 5) { kind amount amountSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } } }
} }`;

const shirt = (f: Fixture, extra: Record<string, unknown> = {}) => ({
  variantId: `gid://shopify/ProductVariant/${f.variants.shirt}`,
  quantity: 2,
  ...extra,
});
const mug = (f: Fixture, extra: Record<string, unknown> = {}) => ({
  variantId: `gid://shopify/ProductVariant/${f.variants.mug}`,
  quantity: 1,
  ...extra,
});

async function place(f: Fixture, order: Record<string, unknown>) {
  const data = await f.gql(ORDER_CREATE, {
    order: { email: "ada@example.com", shippingAddress: ADDRESS, billingAddress: ADDRESS, ...order },
  });
  expect(data.orderCreate.userErrors).toEqual([]);
  const { order: read } = await f.gql(MONEY, { id: data.orderCreate.order.id });
  return { id: data.orderCreate.order.id as string, order: read };
}

const both = (shop: string, presentment: string) => ({
  shopMoney: { amount: shop },
  presentmentMoney: { amount: presentment },
});

describe("an order in a presentment currency", () => {
  it("states every MoneyBag in the shop's currency and the customer's, each priced in its own currency", async () => {
    const f = fixture();
    const { order } = await place(f, {
      presentmentCurrency: "EUR",
      customer: ADA,
      lineItems: [shirt(f), mug(f)],
      discountCode: { itemPercentageDiscountCode: { code: "TEN", percentage: 10 } },
      taxLines: [{ title: "HST", rate: "0.13" }],
      shippingLines: [
        {
          title: "Express",
          priceSet: {
            shopMoney: { amount: "10.00", currencyCode: "USD" },
            presentmentMoney: { amount: "9.00", currencyCode: "EUR" },
          },
          taxLines: [{ title: "HST", rate: "0.13" }],
        },
      ],
      transactions: [
        {
          kind: "SALE",
          gateway: "shopify_payments",
          amountSet: {
            shopMoney: { amount: "74.86", currencyCode: "USD" },
            presentmentMoney: { amount: "67.37", currencyCode: "EUR" },
          },
        },
      ],
    });
    expect([order.currencyCode, order.presentmentCurrencyCode]).toEqual(["USD", "EUR"]);
    const [shirtLine, mugLine] = order.lineItems.nodes;
    // Variant prices converted at 0.90: 25.00 USD = 22.50 EUR, 12.50 USD = 11.25 EUR.
    expect(shirtLine.originalUnitPriceSet).toEqual({
      shopMoney: { amount: "25.0" },
      presentmentMoney: { amount: "22.5", currencyCode: "EUR" },
    });
    expect(mugLine.originalUnitPriceSet.presentmentMoney.amount).toBe("11.25");
    // 10% off: USD 50.00 → 5.00 and 12.50 → 1.25; EUR 45.00 → 4.50 and 11.25 → 1.125 → 1.13.
    expect(shirtLine.discountAllocations[0].allocatedAmountSet).toEqual(both("5.0", "4.5"));
    expect(mugLine.discountAllocations[0].allocatedAmountSet).toEqual(both("1.25", "1.13"));
    // Order-level 13% over the discounted lines, split by their weight:
    // USD 45.00 + 11.25 = 56.25 → 7.3125 → 7.31; shirt 7.31 × 45/56.25 = 5.848 → 5.85, mug 1.46.
    // EUR 40.50 + 10.12 = 50.62 → 6.5806 → 6.58; shirt 6.58 × 40.50/50.62 = 5.2645 → 5.26, mug 1.32.
    expect(shirtLine.taxLines[0].priceSet).toEqual(both("5.85", "5.26"));
    expect(mugLine.taxLines[0].priceSet).toEqual(both("1.46", "1.32"));
    // Shipping as given, 10.00 USD / 9.00 EUR; its 13%: 1.30 / 1.17.
    expect(order.shippingLines.nodes[0].taxLines[0].priceSet).toEqual(both("1.3", "1.17"));
    expect(order.subtotalPriceSet).toEqual({
      shopMoney: { amount: "56.25", currencyCode: "USD" },
      presentmentMoney: { amount: "50.62", currencyCode: "EUR" },
    });
    // Taxes: USD 7.31 + 1.30 = 8.61; EUR 6.58 + 1.17 = 7.75.
    expect(order.totalTaxSet).toEqual(both("8.61", "7.75"));
    expect(order.taxLines).toEqual([{ title: "HST", rate: 0.13, priceSet: both("8.61", "7.75") }]);
    // Discounts: USD 5.00 + 1.25 = 6.25; EUR 4.50 + 1.13 = 5.63.
    expect(order.totalDiscountsSet).toEqual(both("6.25", "5.63"));
    // Totals: USD 56.25 + 10.00 + 8.61 = 74.86; EUR 50.62 + 9.00 + 7.75 = 67.37.
    expect(order.totalPriceSet).toEqual({
      shopMoney: { amount: "74.86", currencyCode: "USD" },
      presentmentMoney: { amount: "67.37", currencyCode: "EUR" },
    });
    expect(order.currentTotalPriceSet).toEqual(both("74.86", "67.37"));
    // The deprecated scalars are the shop's money.
    expect([order.subtotalPrice, order.totalTax, order.totalPrice]).toEqual(["56.25", "8.61", "74.86"]);
    expect(order.transactions[0]).toMatchObject({
      amount: "74.86",
      amountSet: {
        shopMoney: { amount: "74.86", currencyCode: "USD" },
        presentmentMoney: { amount: "67.37", currencyCode: "EUR" },
      },
    });
    expect(order.totalOutstandingSet).toEqual(both("0.0", "0.0"));

    const created = f.sent.find((s) => s.topic === "orders/create")!.payload;
    expect(created).toMatchObject({
      currency: "USD",
      presentment_currency: "EUR",
      total_price: "74.86",
      total_price_set: {
        shop_money: { amount: "74.86", currency_code: "USD" },
        presentment_money: { amount: "67.37", currency_code: "EUR" },
      },
    });
    expect(schemaErrors("orders/create", created)).toEqual([]);
  });

  it("converts a transaction given in the shop's money only, and marks the rest paid in both", async () => {
    const f = fixture();
    const { id, order } = await place(f, {
      presentmentCurrency: "EUR",
      lineItems: [mug(f, { quantity: 2 })],
      // 25.00 USD of 2 mugs; 25.00 × 0.90 = 22.50 EUR.
      transactions: [{ kind: "SALE", gateway: "manual", amountSet: money("10.00") }],
    });
    // 10.00 USD converted: 9.00 EUR; owed 15.00 USD / 13.50 EUR.
    expect(order.transactions[0].amountSet.presentmentMoney).toEqual({ amount: "9.0", currencyCode: "EUR" });
    expect(order.totalOutstandingSet).toEqual(both("15.0", "13.5"));
    await f.gql(`mutation { orderMarkAsPaid(input: { id: "${id}" }) { userErrors { message } } }`);
    const { order: paid } = await f.gql(MONEY, { id });
    expect(paid.transactions[1].amountSet).toEqual({
      shopMoney: { amount: "15.0", currencyCode: "USD" },
      presentmentMoney: { amount: "13.5", currencyCode: "EUR" },
    });
    expect(paid.totalReceivedSet).toEqual(both("25.0", "22.5"));
  });

  it("refuses presentment money in a currency the order does not name, and changes nothing", async () => {
    const f = fixture();
    const data = await f.gql(ORDER_CREATE, {
      order: {
        lineItems: [
          {
            title: "Print",
            quantity: 1,
            priceSet: {
              shopMoney: { amount: "10.00", currencyCode: "USD" },
              presentmentMoney: { amount: "9.00", currencyCode: "EUR" },
            },
          },
        ],
      },
    });
    expect(data.orderCreate.order).toBeNull();
    expect(data.orderCreate.userErrors[0]).toMatchObject({
      field: ["order", "lineItems", "0", "priceSet", "presentmentMoney", "currencyCode"],
      code: "INVALID",
    });
    expect(f.shop.orders.size).toBe(0);
    expect(f.sent).toEqual([]);
  });
});

describe("an order whose prices include taxes", () => {
  it("states the included tax in its tax lines and does not add it to the total", async () => {
    const f = fixture();
    const { order } = await place(f, {
      taxesIncluded: true,
      lineItems: [
        shirt(f, { taxLines: [{ title: "VAT", rate: "0.2" }] }),
        mug(f, { taxLines: [{ title: "VAT", rate: "0.2" }] }),
      ],
      discountCode: { itemFixedDiscountCode: { code: "TENOFF", amountSet: money("10.00") } },
      shippingLines: [{ title: "Post", priceSet: money("6.00"), taxLines: [{ title: "VAT", rate: "0.2" }] }],
    });
    expect(order.taxesIncluded).toBe(true);
    const [shirtLine, mugLine] = order.lineItems.nodes;
    // 10.00 off across 50.00 and 12.50: 10 × 50/62.5 = 8.00 and 2.00.
    expect(shirtLine.discountAllocations[0].allocatedAmountSet.shopMoney.amount).toBe("8.0");
    expect(mugLine.discountAllocations[0].allocatedAmountSet.shopMoney.amount).toBe("2.0");
    // Included VAT of 20% is a sixth of the price: 42.00 / 6 = 7.00; 10.50 / 6 = 1.75; shipping 6.00 / 6 = 1.00.
    expect(shirtLine.taxLines[0].price).toBe("7.00");
    expect(mugLine.taxLines[0].price).toBe("1.75");
    expect(order.shippingLines.nodes[0].taxLines[0].priceSet.shopMoney.amount).toBe("1.0");
    // Subtotal includes tax: 42.00 + 10.50 = 52.50. Tax 7.00 + 1.75 + 1.00 = 9.75.
    expect(order.subtotalPriceSet.shopMoney.amount).toBe("52.5");
    expect(order.totalTaxSet.shopMoney.amount).toBe("9.75");
    // Total 52.50 + 6.00 = 58.50, not 58.50 + 9.75.
    expect(order.totalPriceSet.shopMoney.amount).toBe("58.5");
    expect(order.currentTotalPriceSet.shopMoney.amount).toBe("58.5");
    expect(order.totalPrice).toBe("58.50");
  });

  it("splits an order-level included tax over the taxable lines", async () => {
    const f = fixture();
    const { order } = await place(f, {
      taxesIncluded: true,
      lineItems: [shirt(f), mug(f)],
      taxLines: [{ title: "VAT", rate: "0.2" }],
    });
    // 62.50 includes 62.50 × 0.2/1.2 = 10.4167 → 10.42; shirt 10.42 × 50/62.5 = 8.336 → 8.34, mug 2.08.
    expect(order.lineItems.nodes.map((line: any) => line.taxLines[0].price as string)).toEqual([
      "8.34",
      "2.08",
    ]);
    expect(order.totalTaxSet.shopMoney.amount).toBe("10.42");
    expect(order.totalPriceSet.shopMoney.amount).toBe("62.5");
  });
});

describe("taxes on shipping", () => {
  it("are computed on the shipping price after a free-shipping code, so nothing is charged", async () => {
    const f = fixture();
    const { order } = await place(f, {
      lineItems: [shirt(f, { taxLines: [{ title: "HST", rate: "0.13" }] })],
      discountCode: { freeShippingDiscountCode: { code: "FREESHIP" } },
      shippingLines: [
        { title: "Express", priceSet: money("10.00"), taxLines: [{ title: "HST", rate: "0.13" }] },
      ],
    });
    const [shipping] = order.shippingLines.nodes;
    expect(shipping.originalPriceSet.shopMoney.amount).toBe("10.0");
    expect(shipping.discountedPriceSet.shopMoney.amount).toBe("0.0");
    // 13% of the 0.00 left, not of 10.00.
    expect(shipping.taxLines[0].priceSet.shopMoney.amount).toBe("0.0");
    // Lines 50.00 + 13% = 6.50 tax; shipping 10.00 − 10.00: total 56.50.
    expect(order.totalTaxSet.shopMoney.amount).toBe("6.5");
    expect(order.currentShippingPriceSet.shopMoney.amount).toBe("0.0");
    expect(order.totalPriceSet.shopMoney.amount).toBe("56.5");
  });
});
