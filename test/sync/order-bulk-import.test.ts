import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createItem } from "../../app/backoffice/backoffice.server";
import prisma from "../../app/db.server";
import { runInForeground } from "../../app/jobs/foreground.server";
import { bulkImport } from "../../app/sync/orders/bulk-import.server";
import { processOrdersTask, syncOrdersTask } from "../../app/sync/orders/task.server";
import { orderShop } from "../support/order-shop";
import { startSimulator, type RunningSimulator } from "../support/simulator";
import { checkoutWithTip, placeOrder, usd } from "./place-order";

/**
 * The first import of a large store by one bulk query stages every order exactly as the
 * per-order path does, and processing makes the same documents of them: varied orders (more
 * lines and shipping lines than a page holds, an edit, another currency, a tip, a cancelled
 * one left out) are imported and processed per order, their staged rows and documents kept,
 * removed, then imported by bulk query and processed again, and both compared.
 */

let simulator: RunningSimulator;
const minOrders = bulkImport.minOrders;

beforeAll(async () => {
  simulator = await startSimulator(null);
  process.env.SHOPIFY_ADMIN_ORIGIN = simulator.url;
});
afterAll(async () => {
  bulkImport.minOrders = minOrders;
  await simulator?.close();
});

const vat = (rate: string) => [{ title: "VAT", rate }];

/** The shop's staged orders and their documents, without ids, numbers and times of our own. */
async function staged(shopId: string) {
  const orders = await prisma.shopifyOrder.findMany({
    where: { shopId },
    orderBy: { shopifyId: "asc" },
    include: {
      lines: { orderBy: { shopifyId: "asc" } },
      shippingLines: { orderBy: { shopifyId: "asc" } },
      transactions: { orderBy: { shopifyId: "asc" } },
    },
  });
  const documents = await prisma.boSalesHeader.findMany({
    where: { shopId },
    orderBy: { shopifyOrderNo: "asc" },
    include: { lines: { orderBy: { lineNo: "asc" } } },
  });
  const strip = <T extends object>(row: T, keys: string[]) =>
    Object.fromEntries(Object.entries(row).filter(([key]) => !keys.includes(key)));
  return {
    orders: orders.map((order) => ({
      // How the customer was found: created in the first round, found by e-mail in the second.
      ...strip(order, ["id", "importedAt", "processedAt", "documentNo", "updatedAt", "customerFoundBy"]),
      lines: order.lines.map((line) => strip(line, ["id", "orderId"])),
      shippingLines: order.shippingLines.map((line) => strip(line, ["id", "orderId"])),
      transactions: order.transactions.map((line) => strip(line, ["id", "orderId"])),
    })),
    documents: documents.map((document) => ({
      ...strip(document, ["id", "no", "createdAt", "updatedAt"]),
      lines: document.lines.map((line) => strip(line, ["id", "headerId"])),
    })),
  };
}

describe("the first import by bulk query", () => {
  it("stages and processes every open order as the per-order path does", async () => {
    // In stock in Shopify: one of the orders is a storefront checkout, which claims its units.
    const { shop, store, small, medium } = await orderShop(simulator, { stock: 100 });
    await createItem(prisma, shop.id, { no: "TIPS", description: "Tips", unitPrice: "0", type: "non_stock" });
    await prisma.shopSettings.update({
      where: { shopId: shop.id },
      data: { autoProcessOrders: false, tipItemNo: "TIPS" },
    });
    const placed = [
      await placeOrder(store, {
        lineItems: Array.from({ length: 7 }, (_, i) => ({
          variantId: i % 2 ? small.id : medium.id,
          quantity: i + 1,
          taxLines: vat("0.1"),
        })),
        shippingLines: [
          { title: "Standard", priceSet: usd("5.00"), taxLines: vat("0.1") },
          { title: "Express", priceSet: usd("3.00") },
          { title: "Insurance", priceSet: usd("1.50") },
        ],
        discountCode: { itemFixedDiscountCode: { code: "EIGHT", amountSet: usd("8.00") } },
      }),
      await placeOrder(store, {
        presentmentCurrency: "EUR",
        lineItems: [{ variantId: small.id, quantity: 2, taxLines: vat("0.2") }],
        shippingLines: [{ title: "Standard", priceSet: usd("6.50"), taxLines: vat("0.2") }],
      }),
      await placeOrder(store, {
        taxesIncluded: true,
        lineItems: [
          { variantId: small.id, quantity: 3, taxLines: vat("0.21") },
          { variantId: medium.id, quantity: 2, taxLines: vat("0.21") },
        ],
        discountCode: { itemPercentageDiscountCode: { code: "TEN", percentage: 10 } },
      }),
      await checkoutWithTip(
        simulator,
        shop.domain,
        { lineItems: [{ variantId: medium.id, quantity: 1, taxLines: vat("0.1") }] },
        usd("3.00"),
      ),
      await placeOrder(store, { lineItems: [{ variantId: small.id, quantity: 1 }] }),
    ];
    // An edit before the import: the second line of the third order down from 2 to 1.
    const edited = simulator.sim.shop(shop.domain).orders.get(Number(placed[2]!.id.split("/").pop()))!;
    const editResponse = await fetch(
      `${simulator.url}/_sim/shops/${shop.domain}/orders/${edited.id}/lines/${edited.lineItems[1]!.id}`,
      {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ quantity: 1 }),
      },
    );
    expect(editResponse.status).toBe(200);
    // A closed order is not open: neither path imports it.
    simulator.sim.shop(shop.domain).orders.get(Number(placed[4]!.id.split("/").pop()))!.closedAt = new Date();

    const importAndProcess = async () => {
      const imported = await runInForeground(prisma, syncOrdersTask, {
        shop: shop.domain,
        trigger: "manual",
      });
      expect(imported.status).toBe("succeeded");
      const processed = await runInForeground(prisma, processOrdersTask, {
        shop: shop.domain,
        trigger: "manual",
      });
      expect(processed.status).toBe("succeeded");
      return imported.counts as Record<string, number>;
    };

    bulkImport.minOrders = 1000;
    const perOrderCounts = await importAndProcess();
    const perOrder = await staged(shop.id);
    expect(perOrder.orders).toHaveLength(4);
    expect(perOrder.documents).toHaveLength(4);
    expect(simulator.sim.shop(shop.domain).bulkOperations.size).toBe(0);

    // Start again from nothing: no staged orders, documents or cursor.
    await prisma.boSalesHeader.deleteMany({ where: { shopId: shop.id } });
    await prisma.shopifyOrder.deleteMany({ where: { shopId: shop.id } });
    await prisma.syncCursor.deleteMany({ where: { shopId: shop.id } });

    bulkImport.minOrders = 0;
    const bulkCounts = await importAndProcess();
    expect(simulator.sim.shop(shop.domain).bulkOperations.size).toBe(1);
    expect(bulkCounts.imported).toBe(perOrderCounts.imported);
    // A bulk query and a read of its status, against pages of whole orders.
    expect(bulkCounts.requestedPoints).toBeLessThan(perOrderCounts.requestedPoints!);
    const bulk = await staged(shop.id);
    expect(bulk.orders).toEqual(perOrder.orders);
    expect(bulk.documents).toEqual(perOrder.documents);
    // Something in them is worth comparing: the lines past the page, the edit, the tip.
    expect(bulk.orders[0]!.lines).toHaveLength(7);
    expect(bulk.orders[0]!.shippingLines).toHaveLength(3);
    expect(bulk.orders[2]!.lines.some((line) => line.unitPriceAfterDiscounts !== null)).toBe(true);
    expect(bulk.orders[3]!.lines.some((line) => line.isTip)).toBe(true);

    // The cursor was taken before the bulk query: a later run reads what changed since.
    const cursor = await prisma.syncCursor.findFirstOrThrow({
      where: { shopId: shop.id, task: "sync_orders" },
    });
    const run = await prisma.syncRun.findFirstOrThrow({
      where: { shopId: shop.id, task: "sync_orders" },
      orderBy: { queuedAt: "desc" },
    });
    expect(cursor.cursor.getTime()).toBeLessThanOrEqual(Date.now());
    expect(cursor.cursor.getTime()).toBeGreaterThanOrEqual(run.queuedAt.getTime());
  });
});
