import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createItem } from "../../app/backoffice/backoffice.server";
import prisma from "../../app/db.server";
import { runInForeground } from "../../app/jobs/foreground.server";
import { processOrdersTask, syncOrdersTask } from "../../app/sync/orders/task.server";
import { orderShop } from "../support/order-shop";
import { startSimulator, type RunningSimulator } from "../support/simulator";
import type { Store } from "../support/store";
import { checkoutWithTip, documentOf, figures, placeOrder, usd } from "./place-order";

/**
 * A set of varied orders placed in the simulated shop (discount codes of each kind, taxes
 * included and not, several shipping lines, free shipping, a zero-price line, a guest, a gift
 * card, a tip, edits and a partial refund before processing, a presentment currency), all
 * processed in one run. Every document is compared with Shopify's own figures as the order
 * stands (its current* fields), and seven of them with figures worked out by hand below: the
 * simulator's figures alone are no witness, since it is ours too.
 */

let simulator: RunningSimulator;

beforeAll(async () => {
  simulator = await startSimulator(null);
  process.env.SHOPIFY_ADMIN_ORIGIN = simulator.url;
});
afterAll(() => simulator?.close());

type Variants = { small: string; medium: string };
type Line = ReturnType<typeof figures>["lines"][number];

interface Case {
  name: string;
  place: (store: Store, variants: Variants) => Promise<{ id: string; name: string }>;
  /** What happens in Shopify after the order is imported, before it is processed. */
  before?: (store: Store, order: { id: string }) => Promise<void>;
  /** Worked out by hand: the document's lines, tax and total in the shop's currency. */
  hand?: { pricesIncludingTax: boolean; lines: Partial<Line>[]; amount: string; tax: string; total: string };
  presentment?: { currencyCode: string; total: string };
}

const vat = (rate: string, amount?: string) => [
  { title: "VAT", rate, ...(amount ? { priceSet: usd(amount) } : {}) },
];
const item = (
  description: string,
  quantity: number,
  unitPrice: string,
  discount: string,
  tax: string,
  amount: string,
): Partial<Line> => ({ type: "item", description, quantity, unitPrice, discount, tax, amount });
const shipping = (
  title: string,
  unitPrice: string,
  discount: string,
  tax: string,
  amount: string,
): Partial<Line> => ({
  type: "shipping",
  description: `Shipping: ${title}`,
  quantity: 1,
  unitPrice,
  discount,
  tax,
  amount,
});

const CASES: Case[] = [
  {
    name: "a fixed-amount code across two lines, tax on top, two shipping lines",
    place: (store, v) =>
      placeOrder(store, {
        lineItems: [
          { variantId: v.small, quantity: 2, taxLines: vat("0.1") },
          { variantId: v.medium, quantity: 1, priceSet: usd("30.00"), taxLines: vat("0.1") },
        ],
        discountCode: { itemFixedDiscountCode: { code: "EIGHT", amountSet: usd("8.00") } },
        shippingLines: [
          { title: "Standard", priceSet: usd("5.00"), taxLines: vat("0.1") },
          { title: "Express add-on", priceSet: usd("2.00") },
        ],
      }),
    // 8.00 off split by the lines' 50.00 and 30.00: 5.00 and 3.00. VAT 10% of 45.00 = 4.50,
    // of 27.00 = 2.70, of shipping 5.00 = 0.50. Total 45.00 + 27.00 + 7.00 + 7.70 = 86.70.
    hand: {
      pricesIncludingTax: false,
      lines: [
        item("Merino Tee - S", 2, "25.00", "5.00", "4.50", "45.00"),
        item("Merino Tee - M", 1, "30.00", "3.00", "2.70", "27.00"),
        shipping("Standard", "5.00", "0.00", "0.50", "5.00"),
        shipping("Express add-on", "2.00", "0.00", "0.00", "2.00"),
      ],
      amount: "79.00",
      tax: "7.70",
      total: "86.70",
    },
  },
  {
    name: "a percentage code, prices including VAT",
    place: (store, v) =>
      placeOrder(store, {
        taxesIncluded: true,
        lineItems: [{ variantId: v.small, quantity: 3, taxLines: vat("0.2") }],
        discountCode: { itemPercentageDiscountCode: { code: "TEN", percentage: 10 } },
        shippingLines: [{ title: "Standard", priceSet: usd("6.00"), taxLines: vat("0.2") }],
      }),
    // 3 × 25.00 = 75.00, 10% off = 7.50, 67.50 left of which 20/120 is VAT: 11.25 (net 56.25);
    // shipping 6.00 holds 1.00 (net 5.00). Total 67.50 + 6.00 = 73.50, tax 12.25, net 61.25.
    hand: {
      pricesIncludingTax: true,
      lines: [
        item("Merino Tee - S", 3, "25.00", "7.50", "11.25", "56.25"),
        shipping("Standard", "6.00", "0.00", "1.00", "5.00"),
      ],
      amount: "61.25",
      tax: "12.25",
      total: "73.50",
    },
  },
  {
    name: "a free-shipping code on taxed shipping",
    place: (store, v) =>
      placeOrder(store, {
        lineItems: [{ variantId: v.medium, quantity: 1, taxLines: vat("0.1") }],
        discountCode: { freeShippingDiscountCode: { code: "SHIPFREE" } },
        shippingLines: [{ title: "Standard", priceSet: usd("8.00"), taxLines: vat("0.1") }],
      }),
    // Shipping 8.00 all discounted, so its tax follows to 0.00; the tee 25.00 + 2.50 VAT.
    hand: {
      pricesIncludingTax: false,
      lines: [
        item("Merino Tee - M", 1, "25.00", "0.00", "2.50", "25.00"),
        shipping("Standard", "8.00", "8.00", "0.00", "0.00"),
      ],
      amount: "25.00",
      tax: "2.50",
      total: "27.50",
    },
  },
  {
    name: "edited from 4 units to 1 before processing (orderEditBegin / SetQuantity / Commit)",
    place: (store, v) =>
      placeOrder(store, {
        lineItems: [{ variantId: v.small, quantity: 4, priceSet: usd("20.00"), taxLines: vat("0.05") }],
        discountCode: { itemPercentageDiscountCode: { code: "QUARTER", percentage: 25 } },
        shippingLines: [{ title: "Standard", priceSet: usd("5.00") }],
      }),
    before: (store, order) => editQuantity(store, order.id, 0, 1),
    // 4 × 20.00 = 80.00, 25% = 20.00, 5% of 60.00 = 3.00. One unit left: discount 5.00, tax
    // 0.75, amount 15.00. Total 15.00 + 0.75 + 5.00 = 20.75.
    hand: {
      pricesIncludingTax: false,
      lines: [
        item("Merino Tee - S", 1, "20.00", "5.00", "0.75", "15.00"),
        shipping("Standard", "5.00", "0.00", "0.00", "5.00"),
      ],
      amount: "20.00",
      tax: "0.75",
      total: "20.75",
    },
  },
  {
    name: "one of two units refunded before processing",
    place: (store, v) =>
      placeOrder(store, {
        lineItems: [
          { variantId: v.small, quantity: 2, taxLines: vat("0.08") },
          { variantId: v.medium, quantity: 1, taxLines: vat("0.08") },
        ],
        shippingLines: [{ title: "Standard", priceSet: usd("5.00") }],
      }),
    before: (store, order) => refundUnit(store, order.id, 0, 1, "27.00"),
    // Tee S: 50.00 with 4.00 VAT, one of two units left: 25.00 and 2.00. Tee M 25.00 + 2.00.
    // Total 25.00 + 2.00 + 25.00 + 2.00 + 5.00 = 59.00.
    hand: {
      pricesIncludingTax: false,
      lines: [
        item("Merino Tee - S", 1, "25.00", "0.00", "2.00", "25.00"),
        item("Merino Tee - M", 1, "25.00", "0.00", "2.00", "25.00"),
        shipping("Standard", "5.00", "0.00", "0.00", "5.00"),
      ],
      amount: "55.00",
      tax: "4.00",
      total: "59.00",
    },
  },
  {
    name: "a zero-price line beside a priced one",
    place: (store, v) =>
      placeOrder(store, {
        lineItems: [
          { variantId: v.small, quantity: 1 },
          { variantId: v.medium, quantity: 1, priceSet: usd("0.00") },
        ],
        shippingLines: [{ title: "Standard", priceSet: usd("5.00") }],
      }),
    hand: {
      pricesIncludingTax: false,
      lines: [
        item("Merino Tee - S", 1, "25.00", "0.00", "0.00", "25.00"),
        item("Merino Tee - M", 1, "0.00", "0.00", "0.00", "0.00"),
        shipping("Standard", "5.00", "0.00", "0.00", "5.00"),
      ],
      amount: "30.00",
      tax: "0.00",
      total: "30.00",
    },
  },
  {
    name: "paid in euros, booked in dollars",
    place: (store, v) =>
      placeOrder(store, {
        presentmentCurrency: "EUR",
        lineItems: [
          {
            variantId: v.small,
            quantity: 2,
            priceSet: { ...usd("25.00"), presentmentMoney: { amount: "23.00", currencyCode: "EUR" } },
          },
        ],
        shippingLines: [
          {
            title: "Standard",
            priceSet: { ...usd("5.00"), presentmentMoney: { amount: "4.60", currencyCode: "EUR" } },
          },
        ],
      }),
    // USD 2 × 25.00 + 5.00 = 55.00; beside it EUR 2 × 23.00 + 4.60 = 50.60.
    hand: {
      pricesIncludingTax: false,
      lines: [
        item("Merino Tee - S", 2, "25.00", "0.00", "0.00", "50.00"),
        shipping("Standard", "5.00", "0.00", "0.00", "5.00"),
      ],
      amount: "55.00",
      tax: "0.00",
      total: "55.00",
    },
    presentment: { currencyCode: "EUR", total: "50.60" },
  },
  // Compared with Shopify's figures only.
  {
    name: "a guest without an e-mail, with a percentage code and order-level tax",
    place: (store, v) =>
      placeOrder(store, {
        email: undefined,
        lineItems: [
          { variantId: v.small, quantity: 1 },
          { variantId: v.medium, quantity: 2, priceSet: usd("19.99") },
        ],
        taxLines: [{ title: "State tax", rate: "0.0725" }],
        discountCode: { itemPercentageDiscountCode: { code: "SEVEN", percentage: 7 } },
        shippingLines: [{ title: "Ground", priceSet: usd("7.95") }],
      }),
  },
  {
    name: "a gift card beside a taxed product",
    place: (store, v) =>
      placeOrder(store, {
        lineItems: [
          { variantId: v.small, quantity: 1, taxLines: vat("0.2") },
          {
            title: "Gift Card",
            quantity: 2,
            priceSet: usd("25.00"),
            giftCard: true,
            requiresShipping: false,
          },
        ],
        shippingLines: [{ title: "Standard", priceSet: usd("5.00"), taxLines: vat("0.2") }],
      }),
  },
  {
    name: "a tip at checkout with a fixed code",
    place: (_store, v) =>
      checkoutWithTip(
        simulator,
        domain,
        {
          lineItems: [{ variantId: v.medium, quantity: 3, taxLines: vat("0.1") }],
          discountCode: { itemFixedDiscountCode: { code: "FIVE", amountSet: usd("5.00") } },
          shippingLines: [{ title: "Courier", priceSet: usd("9.00") }],
        },
        usd("7.25"),
      ),
  },
  {
    name: "three shipping lines, each taxed, prices including VAT",
    place: (store, v) =>
      placeOrder(store, {
        taxesIncluded: true,
        lineItems: [{ variantId: v.small, quantity: 1, taxLines: vat("0.19") }],
        shippingLines: [
          { title: "Parcel", priceSet: usd("4.99"), taxLines: vat("0.19") },
          { title: "Insurance", priceSet: usd("1.49"), taxLines: vat("0.19") },
          { title: "Saturday", priceSet: usd("3.00"), taxLines: vat("0.19") },
        ],
      }),
  },
  {
    name: "a fixed code with prices including VAT, one of two lines edited down",
    place: (store, v) =>
      placeOrder(store, {
        taxesIncluded: true,
        lineItems: [
          { variantId: v.small, quantity: 3, priceSet: usd("33.33"), taxLines: vat("0.21") },
          { variantId: v.medium, quantity: 2, taxLines: vat("0.21") },
        ],
        discountCode: { itemFixedDiscountCode: { code: "TEN", amountSet: usd("10.00") } },
        shippingLines: [{ title: "Standard", priceSet: usd("4.95"), taxLines: vat("0.21") }],
      }),
    before: (store, order) => editQuantity(store, order.id, 0, 2),
  },
  {
    name: "paid in euros with a percentage code and tax, a unit refunded",
    place: (store, v) =>
      placeOrder(store, {
        presentmentCurrency: "EUR",
        lineItems: [
          { variantId: v.small, quantity: 3, taxLines: vat("0.2") },
          { variantId: v.medium, quantity: 1, taxLines: vat("0.2") },
        ],
        discountCode: { itemPercentageDiscountCode: { code: "FIFTEEN", percentage: 15 } },
        shippingLines: [{ title: "Standard", priceSet: usd("6.50"), taxLines: vat("0.2") }],
      }),
    // The unit goes back to stock; the money is refunded apart (a refund of lines alone).
    before: (store, order) => refundUnit(store, order.id, 0, 1, null),
  },
];

let domain = "";

/** Shopify's figures for the order as it stands (the current* fields) and its lines' current quantities. */
async function shopifyFigures(store: Store, id: string) {
  const { order } = await store.graphql<{
    order: {
      taxesIncluded: boolean;
      presentmentCurrencyCode: string;
      currentSubtotalPriceSet: { shopMoney: { amount: string } };
      currentShippingPriceSet: { shopMoney: { amount: string } };
      currentTotalTaxSet: { shopMoney: { amount: string } };
      currentTotalPriceSet: { shopMoney: { amount: string }; presentmentMoney: { amount: string } };
      totalTipReceivedSet: { shopMoney: { amount: string } };
      lineItems: { nodes: { title: string; currentQuantity: number }[] };
    };
  }>(
    `query TestCurrent($id: ID!) { order(id: $id) {
      taxesIncluded presentmentCurrencyCode
      currentSubtotalPriceSet { shopMoney { amount } }
      currentShippingPriceSet { shopMoney { amount } }
      currentTotalTaxSet { shopMoney { amount } }
      currentTotalPriceSet { shopMoney { amount } presentmentMoney { amount } }
      totalTipReceivedSet { shopMoney { amount } }
      lineItems(first: 10) { nodes { title currentQuantity } }
    } }`,
    { id },
  );
  const money = (bag: { shopMoney: { amount: string } }) => Number(bag.shopMoney.amount).toFixed(2);
  return {
    taxesIncluded: order.taxesIncluded,
    subtotal: money(order.currentSubtotalPriceSet),
    shipping: money(order.currentShippingPriceSet),
    tax: money(order.currentTotalTaxSet),
    total: money(order.currentTotalPriceSet),
    tip: money(order.totalTipReceivedSet),
    presentment: {
      currencyCode: order.presentmentCurrencyCode,
      total: Number(order.currentTotalPriceSet.presentmentMoney.amount).toFixed(2),
    },
    quantities: order.lineItems.nodes
      .filter((line) => line.currentQuantity > 0)
      .map((line) => line.currentQuantity),
  };
}

async function editQuantity(store: Store, orderId: string, index: number, quantity: number) {
  const { order } = await store.graphql<{ order: { lineItems: { nodes: { id: string }[] } } }>(
    `query TestEditLines($id: ID!) { order(id: $id) { lineItems(first: 10) { nodes { id } } } }`,
    { id: orderId },
  );
  const begin = await store.graphql<{ orderEditBegin: { calculatedOrder: { id: string } } }>(
    `mutation TestEditBegin($id: ID!) { orderEditBegin(id: $id) { calculatedOrder { id } userErrors { message } } }`,
    { id: orderId },
  );
  const calculatedId = begin.orderEditBegin.calculatedOrder.id;
  const set = await store.graphql<{ orderEditSetQuantity: { userErrors: { message: string }[] } }>(
    `mutation TestEditSet($id: ID!, $line: ID!, $quantity: Int!) {
      orderEditSetQuantity(id: $id, lineItemId: $line, quantity: $quantity, restock: true) { userErrors { message } }
    }`,
    {
      id: calculatedId,
      line: order.lineItems.nodes[index]!.id.replace("/LineItem/", "/CalculatedLineItem/"),
      quantity,
    },
  );
  expect(set.orderEditSetQuantity.userErrors).toEqual([]);
  const commit = await store.graphql<{ orderEditCommit: { userErrors: { message: string }[] } }>(
    `mutation TestEditCommit($id: ID!) { orderEditCommit(id: $id, notifyCustomer: false) { userErrors { message } } }`,
    { id: calculatedId },
  );
  expect(commit.orderEditCommit.userErrors).toEqual([]);
}

async function refundUnit(
  store: Store,
  orderId: string,
  index: number,
  quantity: number,
  amount: string | null,
) {
  const { order } = await store.graphql<{
    order: {
      currencyCode: string;
      presentmentCurrencyCode: string;
      lineItems: { nodes: { id: string }[] };
      transactions: { id: string; kind: string; gateway: string }[];
    };
  }>(
    `query TestRefundLines($id: ID!) { order(id: $id) {
      currencyCode presentmentCurrencyCode lineItems(first: 10) { nodes { id } } transactions(first: 5) { id kind gateway }
    } }`,
    { id: orderId },
  );
  const sale = order.transactions.find((transaction) => transaction.kind === "SALE");
  const { refundCreate } = await store.graphql<{ refundCreate: { userErrors: { message: string }[] } }>(
    `mutation TestRefund($input: RefundInput!) { refundCreate(input: $input) { userErrors { field message } } }`,
    {
      input: {
        orderId,
        // "required when the currency and presentment currency differ" (RefundInput.currency)
        ...(order.presentmentCurrencyCode !== order.currencyCode
          ? { currency: order.presentmentCurrencyCode }
          : {}),
        refundLineItems: [
          { lineItemId: order.lineItems.nodes[index]!.id, quantity, restockType: "NO_RESTOCK" },
        ],
        transactions:
          sale && amount
            ? [{ orderId, kind: "REFUND", gateway: sale.gateway, amount, parentId: sale.id }]
            : [],
      },
    },
  );
  expect(refundCreate.userErrors).toEqual([]);
}

describe("a set of varied orders", () => {
  it("each becomes a document equal to Shopify's figures, and to those worked out by hand", async () => {
    // In stock in Shopify: the tip cases are storefront checkouts, which claim their units.
    const { shop, store, small, medium } = await orderShop(simulator, { stock: 100 });
    domain = shop.domain;
    await createItem(prisma, shop.id, {
      no: "GIFTCARD",
      description: "Gift cards",
      unitPrice: "0",
      type: "non_stock",
    });
    await createItem(prisma, shop.id, { no: "TIPS", description: "Tips", unitPrice: "0", type: "non_stock" });
    await prisma.shopSettings.update({
      where: { shopId: shop.id },
      data: { autoProcessOrders: false, giftCardItemNo: "GIFTCARD", tipItemNo: "TIPS" },
    });
    const variants = { small: small.id, medium: medium.id };
    const placed = [];
    for (const entry of CASES) placed.push({ entry, order: await entry.place(store, variants) });
    await runInForeground(prisma, syncOrdersTask, { shop: shop.domain, trigger: "manual" });
    for (const { entry, order } of placed) await entry.before?.(store, order);
    await runInForeground(prisma, syncOrdersTask, { shop: shop.domain, trigger: "manual" });

    const run = await runInForeground(prisma, processOrdersTask, { shop: shop.domain, trigger: "manual" });

    const held = await prisma.shopifyOrder.findMany({
      where: { shopId: shop.id, state: { not: "processed" } },
    });
    expect(held.map((order) => `${order.name}: ${order.error}`)).toEqual([]);
    expect(run.counts).toMatchObject({ processed: CASES.length });
    expect(run.counts).not.toHaveProperty("failed");
    for (const { entry, order } of placed) {
      const { header } = await documentOf(shop.id, order.name);
      expect(header, entry.name).not.toBeNull();
      const document = figures(header!);
      const shopify = await shopifyFigures(store, order.id);
      const gross = (line: Line) =>
        (document.pricesIncludingTax ? Number(line.amount) + Number(line.tax) : Number(line.amount)).toFixed(
          2,
        );
      const sum = (lines: Line[]) => lines.reduce((total, line) => total + Number(gross(line)), 0).toFixed(2);
      const items = header!.lines.map((line, i) => ({ line: document.lines[i]!, itemNo: line.itemNo }));
      const tipLines = items.filter((entry) => entry.itemNo === "TIPS").map((entry) => entry.line);
      const goods = items
        .filter((entry) => entry.line.type === "item" && entry.itemNo !== "TIPS")
        .map((e) => e.line);

      // Shopify's figures for the order as it stands.
      expect(
        {
          pricesIncludingTax: document.pricesIncludingTax,
          total: document.total,
          tax: document.tax,
          subtotal: sum(goods),
          shipping: sum(document.lines.filter((line) => line.type === "shipping")),
          tip: sum(tipLines),
          quantities: document.lines.filter((line) => line.type === "item").map((line) => line.quantity),
        },
        entry.name,
      ).toEqual({
        pricesIncludingTax: shopify.taxesIncluded,
        total: shopify.total,
        tax: shopify.tax,
        subtotal: shopify.subtotal,
        shipping: shopify.shipping,
        tip: shopify.tip,
        quantities: shopify.quantities,
      });
      expect(
        {
          currencyCode: header!.presentmentCurrencyCode,
          total: header!.presentmentAmountIncludingTax?.toFixed(2),
        },
        entry.name,
      ).toEqual(shopify.presentment);
      // And by hand.
      if (entry.hand) {
        expect(
          {
            pricesIncludingTax: document.pricesIncludingTax,
            lines: document.lines,
            amount: document.amount,
            tax: document.tax,
            total: document.total,
          },
          entry.name,
        ).toMatchObject(entry.hand);
        expect(document.lines, entry.name).toHaveLength(entry.hand.lines.length);
      }
      if (entry.presentment)
        expect({
          currencyCode: header!.presentmentCurrencyCode,
          total: header!.presentmentAmountIncludingTax?.toFixed(2),
        }).toEqual(entry.presentment);
    }
    expect(CASES.filter((entry) => entry.hand).length).toBeGreaterThanOrEqual(5);
  });
});
