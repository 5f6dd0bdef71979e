import type { Runner } from "graphile-worker";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createItem, setSalesPrice } from "../../app/backoffice/backoffice.server";
import prisma from "../../app/db.server";
import { runInForeground } from "../../app/jobs/foreground.server";
import { startWorker } from "../../app/jobs/worker.server";
import { ringBackOffice } from "../../app/sync/backoffice-doorbell.server";
import { syncProductsTask } from "../../app/sync/products/task.server";
import { addItemsToShopify, PRODUCT_TASK } from "../../app/sync/products/records.server";
import { installedShop, withoutDefaultSchedules } from "../support/shops";
import { startSimulator, type RunningSimulator } from "../support/simulator";
import { Store } from "../support/store";

/**
 * The back office's doorbell: a price changed in the back office reaches Shopify within
 * seconds, through a run the change queued itself, with no schedule and no person asking.
 */

let simulator: RunningSimulator;
let worker: Runner;

beforeAll(async () => {
  simulator = await startSimulator(null);
  process.env.SHOPIFY_ADMIN_ORIGIN = simulator.url;
  worker = await startWorker({
    connectionString: process.env.DATABASE_URL!,
    concurrency: 2,
    crontab: "",
    pollInterval: 200,
    noHandleSignals: true,
  });
});
afterAll(async () => {
  await worker?.stop();
  await simulator?.close();
});

async function shopSyncing(syncItems: string) {
  const shop = await installedShop();
  await withoutDefaultSchedules(shop.id);
  const store = new Store(simulator, shop.domain);
  await prisma.session.update({
    where: { id: `offline_${shop.domain}` },
    data: { accessToken: store.token },
  });
  await prisma.shopSettings.update({ where: { shopId: shop.id }, data: { syncItems } });
  return { shop, store };
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, ms = 10_000) {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("a price changed in the back office", () => {
  it("queues the export of the shop's changes by itself, and Shopify has the new price within seconds", async () => {
    const { shop, store } = await shopSyncing("to_shopify");
    await createItem(prisma, shop.id, { no: "CAP", description: "Cap", unitPrice: "15" });
    await addItemsToShopify(prisma, shop.id, ["CAP"]);
    await runInForeground(prisma, syncProductsTask, { shop: shop.domain, trigger: "manual" });
    const record = await prisma.syncRecord.findUniqueOrThrow({
      where: { shopId_task_recordKey: { shopId: shop.id, task: PRODUCT_TASK, recordKey: "CAP" } },
    });

    const changedAt = Date.now();
    await setSalesPrice(prisma, shop.id, { itemNo: "CAP", unitPrice: "17.5" });

    const price = await until("the new price in Shopify", async () => {
      const { product } = await store.graphql<{ product: { variants: { nodes: { price: string }[] } } }>(
        `query TestCap($id: ID!) { product(id: $id) { variants(first: 1) { nodes { price } } } }`,
        { id: record.shopifyId },
      );
      const now = product.variants.nodes[0]!.price;
      return now === "17.50" ? now : null;
    });
    expect(price).toBe("17.50");
    expect(Date.now() - changedAt).toBeLessThan(10_000);
    // The price change's own run sent it (the item's creation rang the doorbell too).
    const runs = await until("the run to finish", async () => {
      const done = await prisma.syncRun.findMany({
        where: { shopId: shop.id, task: PRODUCT_TASK, trigger: "back_office", status: "succeeded" },
      });
      return done.some((run) => (run.counts as Record<string, number>).pricesSent === 1) ? done : null;
    });
    expect(runs.length).toBeGreaterThan(0);
    // However the runs fell, the item has one product.
    expect(await prisma.shopifyProduct.count({ where: { shopId: shop.id } })).toBe(1);
    const { products } = await store.graphql<{ products: { nodes: unknown[] } }>(
      `query TestAll { products(first: 10) { nodes { id } } }`,
    );
    expect(products.nodes).toHaveLength(1);
  });

  it("queues nothing for a shop whose products sync is off or imports from Shopify", async () => {
    for (const syncItems of ["off", "from_shopify"]) {
      const { shop } = await shopSyncing(syncItems);
      expect(await ringBackOffice(prisma, { shopId: shop.id, entity: "item" })).toBe(0);
      await createItem(prisma, shop.id, { no: "CAP", description: "Cap", unitPrice: "15" });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await prisma.syncRun.count({ where: { shopId: shop.id } })).toBe(0);
    }
  });
});
