import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listOrders } from "../../app/admin/orders.server";
import prisma from "../../app/db.server";
import { Prisma } from "../../app/generated/prisma/client";
import { runInForeground } from "../../app/jobs/foreground.server";
import { processOrdersTask, syncOrdersTask } from "../../app/sync/orders/task.server";
import { orderShop } from "../support/order-shop";
import { startSimulator, type RunningSimulator } from "../support/simulator";
import { documentOf, editLine, figures, placeOrder, usd } from "./place-order";

/**
 * A sales document is Shopify's order to the cent as it stands when it is processed: prices
 * that include tax are not taxed again, every shipping line is booked, edits made before
 * processing count, and a document that would not come to Shopify's current total is not made
 * (the order is held, saying by how much). Figures worked out by hand in each test.
 */

let simulator: RunningSimulator;

beforeAll(async () => {
  simulator = await startSimulator(null);
  process.env.SHOPIFY_ADMIN_ORIGIN = simulator.url;
});
afterAll(() => simulator?.close());

const sync = (domain: string) => runInForeground(prisma, syncOrdersTask, { shop: domain, trigger: "manual" });

describe("when the shop's prices include tax", () => {
  it("the document takes Shopify's tax out of the prices instead of adding it on top", async () => {
    const { shop, store, small } = await orderShop(simulator);
    // 2 × 25.00 with 20% VAT included: 50.00 × 20/120 = 8.33 of it is tax; shipping 5.00 holds 0.83.
    const order = await placeOrder(store, {
      taxesIncluded: true,
      lineItems: [
        {
          variantId: small.id,
          quantity: 2,
          taxLines: [{ title: "VAT", rate: "0.2", priceSet: usd("8.33") }],
        },
      ],
      shippingLines: [
        {
          title: "Standard",
          priceSet: usd("5.00"),
          taxLines: [{ title: "VAT", rate: "0.2", priceSet: usd("0.83") }],
        },
      ],
    });

    expect((await sync(shop.domain)).counts).toMatchObject({ imported: 1, processed: 1 });

    const { header } = await documentOf(shop.id, order.name);
    // Shopify's total is 55.00: the lines 50.00 and shipping 5.00, taxes within.
    expect(figures(header!)).toEqual({
      pricesIncludingTax: true,
      amount: "45.84", // 55.00 − 9.16
      tax: "9.16", // 8.33 + 0.83
      total: "55.00",
      lines: [
        {
          type: "item",
          description: "Merino Tee - S",
          quantity: 2,
          unitPrice: "25.00",
          discount: "0.00",
          tax: "8.33",
          amount: "41.67", // 50.00 − 8.33
        },
        {
          type: "shipping",
          description: "Shipping: Standard",
          quantity: 1,
          unitPrice: "5.00",
          discount: "0.00",
          tax: "0.83",
          amount: "4.17", // 5.00 − 0.83
        },
      ],
    });
  });
});

describe("when an order has more shipping lines than two", () => {
  it("books every one of them", async () => {
    const { shop, store, small } = await orderShop(simulator);
    const order = await placeOrder(store, {
      lineItems: [{ variantId: small.id, quantity: 1 }],
      shippingLines: [
        { title: "Parcel", priceSet: usd("5.00") },
        { title: "Freight", priceSet: usd("6.00") },
        { title: "Insurance", priceSet: usd("7.00") },
      ],
    });

    await sync(shop.domain);

    const { header } = await documentOf(shop.id, order.name);
    const shipping = figures(header!).lines.filter((line) => line.type === "shipping");
    expect(shipping.map((line) => [line.description, line.amount])).toEqual([
      ["Shipping: Parcel", "5.00"],
      ["Shipping: Freight", "6.00"],
      ["Shipping: Insurance", "7.00"],
    ]);
    // 25.00 + 5.00 + 6.00 + 7.00
    expect(header!.amountIncludingTax.toFixed(2)).toBe("43.00");
  });
});

describe("when an order is edited before it is processed", () => {
  it("the document has the quantity, discount and tax of what remains", async () => {
    const { shop, store, small } = await orderShop(simulator);
    await prisma.shopSettings.update({ where: { shopId: shop.id }, data: { autoProcessOrders: false } });
    // 3 × 33.00 = 99.00, a 10% code takes 9.90, 8% tax on 89.10 is 7.13.
    const order = await placeOrder(store, {
      lineItems: [
        {
          variantId: small.id,
          quantity: 3,
          priceSet: usd("33.00"),
          taxLines: [{ title: "Sales tax", rate: "0.08" }],
        },
      ],
      shippingLines: [{ title: "Standard", priceSet: usd("5.00") }],
      discountCode: { itemPercentageDiscountCode: { code: "TENOFF", percentage: 10 } },
    });
    await sync(shop.domain);
    const { staged } = await documentOf(shop.id, order.name);
    expect(staged.lines[0]).toMatchObject({ quantity: 3, currentQuantity: 3 });

    await editLine(simulator, shop.domain, order.id, staged.lines[0]!.shopifyId, 1);
    await sync(shop.domain);
    await runInForeground(prisma, processOrdersTask, { shop: shop.domain, trigger: "manual" });

    const { header } = await documentOf(shop.id, order.name);
    // One unit left: its discount 9.90 / 3 = 3.30, its tax 7.13 / 3 = 2.38 (8% of 29.70 = 2.376).
    expect(figures(header!).lines[0]).toEqual({
      type: "item",
      description: "Merino Tee - S",
      quantity: 1,
      unitPrice: "33.00",
      discount: "3.30",
      tax: "2.38",
      amount: "29.70",
    });
    // 29.70 + 2.38 + shipping 5.00, Shopify's current total.
    expect(header!.amountIncludingTax.toFixed(2)).toBe("37.08");
  });
});

describe("when the document would not come to Shopify's current total", () => {
  it("no document is made and the order is held, saying by how much, on the orders list", async () => {
    const { shop, store, small } = await orderShop(simulator);
    await prisma.shopSettings.update({ where: { shopId: shop.id }, data: { autoProcessOrders: false } });
    const order = await placeOrder(store, {
      lineItems: [{ variantId: small.id, quantity: 1 }],
      shippingLines: [{ title: "Standard", priceSet: usd("5.00") }],
    });
    await sync(shop.domain);
    // Shopify states 3.20 more than the lines, shipping and taxes it lists: what an order with
    // a charge the document has no line for (import duties, an additional fee) looks like.
    await prisma.shopifyOrder.updateMany({
      where: { shopId: shop.id, name: order.name },
      data: { currentTotalPrice: new Prisma.Decimal("33.20") },
    });

    const run = await runInForeground(prisma, processOrdersTask, { shop: shop.domain, trigger: "manual" });

    expect(run.counts).toMatchObject({ failed: 1 });
    expect(run.counts).not.toHaveProperty("processed");
    const { staged, header } = await documentOf(shop.id, order.name);
    expect(header).toBeNull();
    expect(staged.state).toBe("error");
    const reason =
      "the document would come to 30.00 USD but Shopify's current total is 33.20 USD (3.20 less on the document; here lines 25.00, shipping 5.00, tax 0.00; Shopify subtotal 25.00, shipping 5.00, tax 0.00). Nothing was booked; process the order again once Shopify and the back office agree.";
    expect(staged.error).toBe(reason);
    const list = await listOrders(prisma, shop, "unprocessed");
    expect(list.rows.map((row) => [row.name, row.state, row.reason])).toEqual([
      [order.name, "error", reason],
    ]);
  });
});
