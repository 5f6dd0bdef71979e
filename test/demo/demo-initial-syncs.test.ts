import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { runInForeground } from "../../app/jobs/foreground.server";
import { syncProductsTask } from "../../app/sync/products/task.server";
import { queueInitialSyncs } from "../../scripts/demo-initial-syncs";
import { installedShop } from "../support/shops";
import { startSimulator, type RunningSimulator } from "../support/simulator";
import { Store } from "../support/store";

/**
 * The demo's day one against the simulated Shopify: the back office is stocked from the shop's
 * SKUs and its own beanie is exported; a resumed demo stocks nothing twice, and never turns the
 * exported beanie's variants into items of their own.
 */

let simulator: RunningSimulator;

beforeAll(async () => {
  simulator = await startSimulator(null);
  process.env.SHOPIFY_ADMIN_ORIGIN = simulator.url;
});
afterAll(() => simulator?.close());

describe("the demo's initial syncs", () => {
  it("stock the shop's SKUs once and leave the exported beanie's variants to the BEANIE item", async () => {
    const shop = await installedShop();
    const store = new Store(simulator, shop.domain);
    await prisma.session.update({
      where: { id: `offline_${shop.domain}` },
      data: { accessToken: store.token },
    });
    await store.product("Mug", [
      { sku: "MUG-S", price: "9.00", option: "Small" },
      { sku: "MUG-L", price: "12.00", option: "Large" },
    ]);
    const items = async () =>
      (
        await prisma.boItem.findMany({
          where: { shopId: shop.id },
          select: { no: true },
          orderBy: { no: "asc" },
        })
      ).map((item) => item.no);
    const entries = () => prisma.boStockEntry.count({ where: { shopId: shop.id } });

    await queueInitialSyncs(shop.domain, { setUp: true });
    expect(await items()).toEqual(["BEANIE", "MUG-L", "MUG-S"]);
    const stocked = await entries();
    expect(stocked).toBe(4); // 100 of each mug, 100 of each beanie colour
    const exported = await runInForeground(prisma, syncProductsTask, {
      shop: shop.domain,
      trigger: "manual",
    });
    expect(exported.status).toBe("succeeded");
    const { productVariants } = await store.graphql<{ productVariants: { nodes: { sku: string }[] } }>(
      `{ productVariants(first: 10) { nodes { sku } } }`,
    );
    expect(productVariants.nodes.map((variant) => variant.sku).sort()).toEqual([
      "BEANIE-GRY",
      "BEANIE-NVY",
      "MUG-L",
      "MUG-S",
    ]);

    // The demo started again on the same data: the shop now sells the beanie too.
    await queueInitialSyncs(shop.domain, { setUp: false });
    expect(await items()).toEqual(["BEANIE", "MUG-L", "MUG-S"]);
    expect(await entries()).toBe(stocked);
  });
});
