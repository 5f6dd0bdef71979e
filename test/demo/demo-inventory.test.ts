import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Runner } from "graphile-worker";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stockAt } from "../../app/backoffice/backoffice.server";
import prisma from "../../app/db.server";
import { startWorker } from "../../app/jobs/worker.server";
import { queueInitialSyncs } from "../../scripts/demo-initial-syncs";
import { loadSimulatorState, saveSimulatorState } from "../../scripts/demo-state";
import { placeDemoOrder } from "../../scripts/demo-traffic";
import { testSimulator } from "../../simulator/testing.server";
import { cli } from "../support/cli";
import { installedShop } from "../support/shops";
import { startSimulator, type RunningSimulator } from "../support/simulator";
import { Store } from "../support/store";

/**
 * The demo's stock, as a person follows it: after the demo's initial syncs the shop's primary
 * location takes its stock from the back office's MAIN location, so the demo beanie's on hand
 * in the simulated shop is the back office's; the CLI's `adjust` (the command the demo prints)
 * shows there within seconds, rung by the back office's doorbell in a worker started as the
 * demo starts its own; and demo orders (the demo's traffic: storefront checkouts, which commit
 * their units) shipped in the back office and sent to Shopify leave Shopify's available at on
 * hand less what the orders still open commit, each unit counted once.
 */

let simulator: RunningSimulator;
let worker: Runner | undefined;

beforeAll(async () => {
  simulator = await startSimulator(null);
  process.env.SHOPIFY_ADMIN_ORIGIN = simulator.url;
});
afterAll(async () => {
  await worker?.stop();
  await simulator?.close();
});

/** Polls `probe` until it gives something, for up to `ms`. */
async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, ms = 30_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

interface Level {
  locationId: number;
  location: string | null;
  on_hand: number;
  available: number;
  committed: number;
}

/** A SKU's level at a location in the simulated shop, as the demo's line says to look (`/_sim/.../stock`). */
async function shopifyLevel(domain: string, sku: string, locationId: bigint): Promise<Level | null> {
  const response = await fetch(`${simulator.url}/_sim/shops/${domain}/stock?sku=${sku}`);
  const [variant] = (await response.json()) as { levels: Level[] }[];
  return variant?.levels.find((level) => BigInt(level.locationId) === locationId) ?? null;
}

const idle = async (shopId: string) =>
  (await prisma.syncRun.count({ where: { shopId, status: { in: ["queued", "running"] } } })) === 0;

describe("the demo's stock", () => {
  it("follows the back office: an adjustment shows within seconds, a shipped demo order is counted once", async () => {
    const shop = await installedShop();
    const store = new Store(simulator, shop.domain);
    await prisma.session.update({
      where: { id: `offline_${shop.domain}` },
      data: { accessToken: store.token },
    });
    // A product of the shop's own, out of stock there: the storefront does not sell it.
    await store.product("Mug", [
      { sku: "MUG-S", price: "9.00", option: "Small" },
      { sku: "MUG-L", price: "12.00", option: "Large" },
    ]);

    const { stock } = await queueInitialSyncs(shop.domain, { setUp: true });
    const primary = await prisma.shopifyLocation.findFirstOrThrow({
      where: { shopId: shop.id, isPrimary: true },
      include: { sources: true },
    });
    expect(primary).toMatchObject({ stockCalculation: "back_office", salesLocationCode: "MAIN" });
    expect(primary.sources.map((source) => source.locationCode)).toEqual(["MAIN"]);
    expect(stock).toEqual({
      locationName: primary.name,
      locationCode: "MAIN",
      itemNo: "BEANIE",
      variantCode: "GRY",
      sku: "BEANIE-GRY",
    });

    // The worker as `npm run demo` starts it (its schedules' minute tick off: the test ships
    // the order itself, and the scheduled posting must not do it first).
    worker = await startWorker({
      connectionString: process.env.DATABASE_URL!,
      noHandleSignals: true,
      crontab: "",
    });
    // The initial syncs: the beanie exported, and its stock set from the back office's 100.
    for (const sku of ["BEANIE-GRY", "BEANIE-NVY"])
      await until(`${sku} at 100 on hand`, async () => {
        const level = await shopifyLevel(shop.domain, sku, primary.shopifyId);
        return level?.on_hand === 100 && level;
      });
    await until("the initial syncs done", () => idle(shop.id));

    // The demo's line: `npm run cli -- adjust BEANIE --variant GRY --shop … --location MAIN --quantity 5`.
    const adjusted = await cli(
      "adjust",
      stock!.itemNo,
      "--variant",
      stock!.variantCode,
      "--shop",
      shop.domain,
      "--location",
      stock!.locationCode,
      "--quantity",
      "5",
    );
    expect(adjusted, adjusted.stderr).toMatchObject({ code: 0 });
    expect(adjusted.stdout).toMatch(/105 on hand/);
    const changed = Date.now();
    await until(
      "the adjustment in Shopify",
      async () => (await shopifyLevel(shop.domain, "BEANIE-GRY", primary.shopifyId))?.on_hand === 105,
      10_000,
    );
    expect(Date.now() - changed).toBeLessThan(10_000);
    await until("the inventory sync done", () => idle(shop.id));

    // Two customers buy, as the demo's traffic does: the units leave available at once.
    const names = [
      await placeDemoOrder(simulator.url, shop.domain),
      await placeDemoOrder(simulator.url, shop.domain),
    ];
    const orders = names.map((name) => {
      const order = [...simulator.sim.shop(shop.domain).orders.values()].find((o) => o.name === name)!;
      const units = new Map<string, number>();
      for (const line of order.lineItems)
        if (line.sku) units.set(line.sku, (units.get(line.sku) ?? 0) + line.quantity);
      return { name, units };
    });
    // Only what the storefront sells in stock: the beanie (the mugs have none in Shopify).
    const skus = [...new Set(orders.flatMap((order) => [...order.units.keys()]))].sort();
    expect(skus.length).toBeGreaterThan(0);
    expect(skus.every((sku) => sku.startsWith("BEANIE-"))).toBe(true);
    const units = (sku: string, which: typeof orders) =>
      which.reduce((sum, order) => sum + (order.units.get(sku) ?? 0), 0);
    const before = new Map<string, number>();
    for (const sku of skus) {
      const level = (await shopifyLevel(shop.domain, sku, primary.shopifyId))!;
      expect(level.committed).toBe(units(sku, orders));
      expect(level.available).toBe(level.on_hand - units(sku, orders));
      before.set(sku, level.on_hand);
    }

    // Imported: sales orders reserve the units, which Shopify's committed counts already.
    expect((await cli("sync", "sync_orders", "--shop", shop.domain, "--wait")).code).toBe(0);
    const [first] = await prisma.shopifyOrder.findMany({
      where: { shopId: shop.id, name: { in: names } },
      orderBy: { name: "asc" },
    });
    expect(first?.name).toBe(names[0]);
    expect(first?.documentNo).toBeTruthy();

    // The first is shipped in the back office, then the shipment sync fulfils it in Shopify.
    const posted = await cli(
      "post",
      first!.documentNo!,
      "--shop",
      shop.domain,
      "--ship",
      "--tracking",
      "1Z999AA10123456784",
      "--carrier",
      "UPS",
    );
    expect(posted, posted.stderr).toMatchObject({ code: 0 });
    expect((await cli("sync", "sync_shipments", "--shop", shop.domain, "--wait")).code).toBe(0);
    const [shipped, open] = [orders.slice(0, 1), orders.slice(1)];
    // The model: on hand is the back office's (the shipped units gone once), committed is
    // what the open order still holds, available the difference.
    for (const sku of skus) {
      const variantCode = sku.slice("BEANIE-".length);
      const expected = before.get(sku)! - units(sku, shipped);
      await until(`${sku} after the shipment`, async () => {
        const level = await shopifyLevel(shop.domain, sku, primary.shopifyId);
        return level?.on_hand === expected && level;
      });
      await until("the syncs done", () => idle(shop.id));
      expect(await stockAt(prisma, shop.id, { itemNo: "BEANIE", variantCode, locationCode: "MAIN" })).toBe(
        expected,
      );
      expect(await shopifyLevel(shop.domain, sku, primary.shopifyId)).toMatchObject({
        on_hand: expected,
        committed: units(sku, open),
        available: expected - units(sku, open),
      });
    }
    // A full reconcile agrees: nothing to send.
    const reconciled = await cli(
      "sync",
      "sync_inventory",
      "--shop",
      shop.domain,
      "--filter",
      "reconcile=true",
      "--wait",
      "--json",
    );
    expect(reconciled.code).toBe(0);
    expect((JSON.parse(reconciled.stdout) as { counts: object }).counts).not.toHaveProperty(
      "mutationRequests",
    );

    // The demo started again on the same data keeps the location as it is.
    expect(await queueInitialSyncs(shop.domain, { setUp: false })).toEqual({ stock });
    const again = await prisma.shopifyLocation.findFirstOrThrow({
      where: { shopId: shop.id, shopifyId: primary.shopifyId },
      include: { sources: true },
    });
    expect(again).toMatchObject({ stockCalculation: "back_office", salesLocationCode: "MAIN" });
    expect(again.sources.map((source) => source.locationCode)).toEqual(["MAIN"]);

    // Ctrl-C saves the simulated shop (its inventory writes included) for the next demo.
    const folder = await mkdtemp(path.join(os.tmpdir(), "bos-demo-state-"));
    try {
      const file = path.join(folder, "simulator-state.v8");
      const saved = simulator.sim.shop(shop.domain);
      expect(saveSimulatorState(simulator.sim, file).orders).toBe(saved.orders.size);
      const resumed = testSimulator();
      expect(loadSimulatorState(resumed, file)?.orders).toBe(saved.orders.size);
      const read = resumed.shop(shop.domain);
      expect([...read.inventoryLevels.values()]).toEqual([...saved.inventoryLevels.values()]);
      expect(read.idempotency.size).toBe(0);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  }, 120_000);
});
