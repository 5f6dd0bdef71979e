import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listOrders } from "../../app/admin/orders.server";
import { createItem, postSalesOrder } from "../../app/backoffice/backoffice.server";
import prisma from "../../app/db.server";
import { runInForeground } from "../../app/jobs/foreground.server";
import { action as settingsAction } from "../../app/routes/app.settings";
import { shopStatus } from "../../app/status/status.server";
import { processOrdersTask, syncOrdersTask } from "../../app/sync/orders/task.server";
import { adminRequest, callRoute, dataOf, statusOf } from "../support/admin";
import { orderShop } from "../support/order-shop";
import { startSimulator, type RunningSimulator } from "../support/simulator";
import { checkoutWithTip, documentOf, figures, placeOrder, usd } from "./place-order";

/**
 * Gift cards sold and tips are told apart by Shopify (LineItem.isGiftCard, the TIP sale of the
 * order's agreement), never by a missing SKU, and booked to the non-stock items the shop card
 * names; a gift card used to pay is a payment, with its gateway on the order.
 */

let simulator: RunningSimulator;

beforeAll(async () => {
  simulator = await startSimulator(null);
  process.env.SHOPIFY_ADMIN_ORIGIN = simulator.url;
});
afterAll(() => simulator?.close());

const sync = (domain: string) => runInForeground(prisma, syncOrdersTask, { shop: domain, trigger: "manual" });

/**
 * The order shop with the non-stock items gift cards and tips are booked to (not yet named), its
 * tees in stock in Shopify (a checkout claims them).
 */
async function giftShop() {
  const setup = await orderShop(simulator, { stock: 100 });
  await createItem(prisma, setup.shop.id, {
    no: "GIFTCARD",
    description: "Gift cards sold",
    unitPrice: "0",
    type: "non_stock",
  });
  await createItem(prisma, setup.shop.id, {
    no: "TIPS",
    description: "Tips",
    unitPrice: "0",
    type: "non_stock",
  });
  return setup;
}

const GIFT_CARD = {
  title: "Gift Card",
  quantity: 1,
  priceSet: usd("50.00"),
  giftCard: true,
  requiresShipping: false,
};

describe("when an order sells only a gift card", () => {
  it("waits for the gift card item to be named, never as an unmapped product, and then becomes a document", async () => {
    const { shop, store } = await giftShop();
    const order = await placeOrder(store, { lineItems: [GIFT_CARD] });

    await sync(shop.domain);

    const { staged } = await documentOf(shop.id, order.name);
    expect(staged.lines[0]).toMatchObject({ isGiftCard: true, sku: null });
    expect(staged.state).toBe("error");
    expect(staged.error).toBe(
      "the order sells a gift card (Gift Card): name the back-office item gift cards are booked to on the settings page",
    );
    expect((await shopStatus(prisma, shop.id)).unmappedProducts).toBe(0);

    await prisma.shopSettings.update({ where: { shopId: shop.id }, data: { giftCardItemNo: "GIFTCARD" } });
    await runInForeground(prisma, processOrdersTask, { shop: shop.domain, trigger: "manual" });

    const { header } = await documentOf(shop.id, order.name);
    expect(figures(header!)).toMatchObject({
      total: "50.00",
      lines: [
        {
          type: "item",
          description: "Gift Card",
          quantity: 1,
          unitPrice: "50.00",
          tax: "0.00",
          amount: "50.00",
        },
      ],
    });
    expect(header!.lines[0]!.itemNo).toBe("GIFTCARD");
    // Non-stock: posting it moves no stock.
    await postSalesOrder(prisma, shop.id, header!.no, { ship: true, invoice: true });
    expect(await prisma.boStockEntry.count({ where: { shopId: shop.id } })).toBe(0);
    expect((await shopStatus(prisma, shop.id)).unmappedProducts).toBe(0);
  });
});

describe("when a customer leaves a tip at checkout", () => {
  it("the tip line is booked to the tip item and the document comes to Shopify's total with it", async () => {
    const { shop, small } = await giftShop();
    await prisma.shopSettings.update({ where: { shopId: shop.id }, data: { tipItemNo: "TIPS" } });
    const order = await checkoutWithTip(
      simulator,
      shop.domain,
      {
        lineItems: [{ variantId: small.id, quantity: 2 }],
        shippingLines: [{ title: "Standard", priceSet: usd("5.00") }],
      },
      usd("4.50"),
    );

    expect((await sync(shop.domain)).counts).toMatchObject({ imported: 1, processed: 1 });

    const { staged, header } = await documentOf(shop.id, order.name);
    expect(staged.totalTip.toFixed(2)).toBe("4.50");
    // 2 × 25.00 + shipping 5.00 + tip 4.50
    expect(figures(header!)).toMatchObject({
      total: "59.50",
      lines: [
        { type: "item", description: "Merino Tee - S", quantity: 2, amount: "50.00" },
        { type: "item", quantity: 1, unitPrice: "4.50", tax: "0.00", amount: "4.50" },
        { type: "shipping", amount: "5.00" },
      ],
    });
    expect(header!.lines.map((line) => line.itemNo)).toEqual(["TEE-S", "TIPS", null]);
    expect(header!.amountIncludingTax.toFixed(2)).toBe(staged.currentTotalPrice!.toFixed(2));
    expect((await shopStatus(prisma, shop.id)).unmappedProducts).toBe(0);
  });
});

describe("when a gift card pays for an order", () => {
  it("is a payment, not a discount: the document is the whole order and the gateway is on the order", async () => {
    const { shop, store, small } = await giftShop();
    const order = await placeOrder(store, {
      lineItems: [{ variantId: small.id, quantity: 2 }],
      shippingLines: [{ title: "Standard", priceSet: usd("5.00") }],
      transactions: [
        { kind: "SALE", status: "SUCCESS", gateway: "gift_card", amountSet: usd("30.00") },
        { kind: "SALE", status: "SUCCESS", gateway: "shopify_payments", amountSet: usd("25.00") },
      ],
    });

    await sync(shop.domain);

    const { staged, header } = await documentOf(shop.id, order.name);
    expect(staged.paymentGateways.sort()).toEqual(["gift_card", "shopify_payments"]);
    expect(figures(header!)).toMatchObject({ total: "55.00" });
    expect(header!.lines.every((line) => line.discountAmount.isZero())).toBe(true);
  });
});

describe("the shop card's gift card and tip items", () => {
  const form = (overrides: Record<string, string>) => ({
    allowBackgroundSyncs: "on",
    autoProcessOrders: "on",
    createInvoicesForFulfilled: "on",
    customerMapping: "email_phone",
    customerAutoCreate: "on",
    productMapping: "item_no",
    notifyCustomerOnShipment: "on",
    ...overrides,
  });

  it("are refused whole, with a message per field, unless they are non-stock items of the back office", async () => {
    const { shop } = await giftShop();

    const refused = await callRoute(
      settingsAction,
      adminRequest(shop.domain, "/app/settings", form({ giftCardItemNo: "TEE-S", tipItemNo: "NOPE" })),
    );

    expect(statusOf(refused)).toBe(400);
    expect((await dataOf<{ errors: Record<string, string> }>(refused)).errors).toEqual({
      giftCardItemNo: "item TEE-S is a stock item; gift cards are booked to a non-stock item",
      tipItemNo: "no item NOPE in the back office",
    });
    expect(await prisma.shopSettings.findUniqueOrThrow({ where: { shopId: shop.id } })).toMatchObject({
      giftCardItemNo: null,
      tipItemNo: null,
    });

    const saved = await callRoute(
      settingsAction,
      adminRequest(shop.domain, "/app/settings", form({ giftCardItemNo: "GIFTCARD", tipItemNo: "TIPS" })),
    );
    expect(statusOf(saved)).toBe(200);
    expect(await prisma.shopSettings.findUniqueOrThrow({ where: { shopId: shop.id } })).toMatchObject({
      giftCardItemNo: "GIFTCARD",
      tipItemNo: "TIPS",
    });
    expect((await listOrders(prisma, shop, "unprocessed")).rows).toEqual([]);
  });
});
