import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  adjustStock,
  createItem,
  ensureLocation,
  postOpeningStock,
  postSalesOrder,
} from "../../app/backoffice/backoffice.server";
import prisma from "../../app/db.server";
import { runInForeground } from "../../app/jobs/foreground.server";
import { saveLocation } from "../../app/admin/locations.server";
import { linksWithoutLevels, UNTRACKED } from "../../app/sync/inventory/levels.server";
import { syncInventoryTask } from "../../app/sync/inventory/task.server";
import { ringBackOffice } from "../../app/sync/backoffice-doorbell.server";
import { syncOrdersTask } from "../../app/sync/orders/task.server";
import { addItemsToShopify } from "../../app/sync/products/records.server";
import { syncProductsTask } from "../../app/sync/products/task.server";
import { syncShipmentsTask } from "../../app/sync/shipments/task.server";
import { orderShop } from "../support/order-shop";
import { noFaults } from "../../simulator/simulator.server";
import { startSimulator, type RunningSimulator } from "../support/simulator";
import type { Store } from "../support/store";

/**
 * Sync inventory against the simulated Shopify and real Postgres: Shopify's on hand at a
 * location fed by two back-office locations is their sum; an order walked through its four
 * states (and a cancellation) leaves Shopify's available right at each step, never lowered twice;
 * an adjustment moves it by exactly its amount, once; a second run sends nothing; a level moved
 * in Shopify since we last saw it is read again, not overwritten blindly; a location whose
 * calculation is off is left alone; an untracked item is skipped with its reason; a missing
 * level is activated; a throttled and failing Shopify ends in the same quantities.
 */

let simulator: RunningSimulator;

beforeAll(async () => {
  simulator = await startSimulator(null);
  process.env.SHOPIFY_ADMIN_ORIGIN = simulator.url;
});
afterAll(() => simulator?.close());
afterEach(() => {
  simulator.sim.faults = noFaults();
});

const numeric = (gid: string) => BigInt(gid.split("/").pop()!.split("?")[0]!);

interface Level {
  location: { id: string; name: string };
  quantities: { name: string; quantity: number }[];
}

async function levelsOf(store: Store, variantId: string) {
  const { productVariant } = await store.graphql<{
    productVariant: { inventoryItem: { id: string; inventoryLevels: { nodes: Level[] } } };
  }>(
    `query TestLevels($id: ID!) { productVariant(id: $id) { inventoryItem { id inventoryLevels(first: 10) {
      nodes { location { id name } quantities(names: ["on_hand", "available", "committed"]) { name quantity } } } } } }`,
    { id: variantId },
  );
  return productVariant.inventoryItem;
}

async function inventoryShop() {
  const { shop, store, small, medium } = await orderShop(simulator);
  await prisma.shopSettings.update({ where: { shopId: shop.id }, data: { autoProcessOrders: true } });
  await ensureLocation(prisma, shop.id, { code: "MAIN", name: "Main warehouse" });
  await ensureLocation(prisma, shop.id, { code: "BACK", name: "Back room" });
  await postOpeningStock(
    prisma,
    shop.id,
    [
      { itemNo: "TEE-S", locationCode: "MAIN", quantity: 10 },
      { itemNo: "TEE-S", locationCode: "BACK", quantity: 4 },
      { itemNo: "TEE-M", locationCode: "MAIN", quantity: 6 },
    ],
    "OPEN-1",
  );
  // The variants linked to their items with their inventory items, as the products sync leaves them.
  const links = [];
  for (const [variant, itemNo] of [
    [small, "TEE-S"],
    [medium, "TEE-M"],
  ] as const) {
    const item = await levelsOf(store, variant.id);
    links.push({ variantId: variant.id, inventoryItemId: numeric(item.id) });
    await prisma.shopifyVariantMap.create({
      data: {
        shopId: shop.id,
        variantShopifyId: numeric(variant.id),
        inventoryItemShopifyId: numeric(item.id),
        sku: itemNo,
        title: "Merino Tee",
        itemNo,
        linkedBy: "order",
      },
    });
  }
  const run = (
    filters: Record<string, unknown> = {},
    trigger: "manual" | "back_office" | "schedule" = "manual",
  ) => runInForeground(prisma, syncInventoryTask, { shop: shop.domain, trigger, filters });
  // Shopify's locations are read by the first run; the primary one is fed by MAIN and BACK.
  await run();
  const primary = await prisma.shopifyLocation.findFirstOrThrow({
    where: { shopId: shop.id, isPrimary: true },
  });
  await saveLocation(prisma, shop, {
    intent: "save",
    id: String(primary.shopifyId),
    stockCalculation: "back_office",
    sources: ["MAIN", "BACK"],
    salesLocationCode: null,
  });
  /** Shopify's quantities of a variant at a location (the primary one unless said). */
  const shopify = async (variantId: string, locationId = primary.shopifyId) => {
    const item = await levelsOf(store, variantId);
    const level = item.inventoryLevels.nodes.find((node) => numeric(node.location.id) === locationId);
    if (!level) return null;
    return Object.fromEntries(level.quantities.map((q) => [q.name, q.quantity])) as Record<
      "on_hand" | "available" | "committed",
      number
    >;
  };
  const placeOrder = async (variantId: string, quantity: number) => {
    const { orderCreate } = await store.graphql<{
      orderCreate: { order: { id: string; name: string } | null; userErrors: { message: string }[] };
    }>(
      `mutation TestOrderCreate($order: OrderCreateOrderInput!, $options: OrderCreateOptionsInput) {
        orderCreate(order: $order, options: $options) { order { id name } userErrors { field message } }
      }`,
      {
        order: {
          email: "ada@example.com",
          shippingAddress: {
            firstName: "Ada",
            lastName: "Lovelace",
            address1: "1 Way",
            city: "London",
            zip: "N1",
            countryCode: "GB",
          },
          lineItems: [{ variantId, quantity, requiresShipping: true }],
          financialStatus: "PAID",
        },
        // A storefront checkout takes the units from available at once.
        options: { inventoryBehaviour: "DECREMENT_IGNORING_POLICY" },
      },
    );
    if (!orderCreate.order) throw new Error(orderCreate.userErrors.map((e) => e.message).join("; "));
    return orderCreate.order;
  };
  return { shop, store, small, medium, links, run, primary, shopify, placeOrder };
}

describe("sync inventory", () => {
  it("sets on hand to the sum of the feeding locations, then sends nothing when nothing changed", async () => {
    const { shop, small, medium, run, shopify } = await inventoryShop();
    const first = await run();
    expect(first).toMatchObject({ status: "succeeded", counts: { sent: 2, mutationRequests: 1 } });
    expect(await shopify(small.id)).toEqual({ on_hand: 14, available: 14, committed: 0 });
    expect(await shopify(medium.id)).toMatchObject({ on_hand: 6, available: 6 });
    const rows = await prisma.inventoryLevel.findMany({
      where: { shopId: shop.id },
      orderBy: { itemNo: "asc" },
    });
    expect(rows.map((row) => [row.itemNo, row.target, row.shopifyOnHand, row.state])).toEqual([
      ["TEE-M", 6, 6, "synced"],
      ["TEE-S", 14, 14, "synced"],
    ]);

    const second = await run({ reconcile: true });
    expect(second.status).toBe("succeeded");
    expect(second.counts).not.toHaveProperty("mutationRequests");
    expect(second.counts).toMatchObject({ unchanged: 2 });
  });

  it("walks a Shopify order through its four states and a cancellation, never lowering available twice", async () => {
    const { shop, store, small, run, shopify, placeOrder } = await inventoryShop();
    await run();
    expect((await shopify(small.id))?.available).toBe(14);

    // 1. Placed, not imported: Shopify's committed takes the 3 units; nothing to send.
    const order = await placeOrder(small.id, 3);
    expect(await shopify(small.id)).toEqual({ on_hand: 14, available: 11, committed: 3 });
    expect((await run()).counts).not.toHaveProperty("mutationRequests");
    expect((await shopify(small.id))?.available).toBe(11);

    // 2. Imported: its sales order reserves the 3 units, which Shopify counts already.
    expect(
      await runInForeground(prisma, syncOrdersTask, { shop: shop.domain, trigger: "manual" }),
    ).toMatchObject({ status: "succeeded", counts: { imported: 1, processed: 1 } });
    expect((await run({}, "back_office")).counts).not.toHaveProperty("mutationRequests");
    expect(await shopify(small.id)).toEqual({ on_hand: 14, available: 11, committed: 3 });

    // 3. Shipped in the back office, not yet fulfilled in Shopify: on hand 11 + 3 on their way.
    const staged = await prisma.shopifyOrder.findFirstOrThrow({
      where: { shopId: shop.id, name: order.name },
    });
    await postSalesOrder(prisma, shop.id, staged.documentNo!, { ship: true, invoice: false });
    expect((await run({}, "back_office")).counts).not.toHaveProperty("mutationRequests");
    expect(await shopify(small.id)).toEqual({ on_hand: 14, available: 11, committed: 3 });

    // 4. Fulfilled: Shopify takes the units off on hand and committed itself; we agree.
    expect(
      await runInForeground(prisma, syncShipmentsTask, { shop: shop.domain, trigger: "manual" }),
    ).toMatchObject({ status: "succeeded", counts: { synced: 1 } });
    expect(await shopify(small.id)).toEqual({ on_hand: 11, available: 11, committed: 0 });
    const after = await run({ reconcile: true });
    expect(after.counts).not.toHaveProperty("mutationRequests");
    expect(await shopify(small.id)).toEqual({ on_hand: 11, available: 11, committed: 0 });

    // A cancellation gives the committed units back to available; the push changes nothing.
    const cancelled = await placeOrder(small.id, 2);
    expect((await shopify(small.id))?.available).toBe(9);
    const { orderCancel } = await store.graphql<{ orderCancel: { userErrors: { message: string }[] } }>(
      `mutation TestCancel($id: ID!) { orderCancel(orderId: $id, reason: CUSTOMER, refund: false, restock: true, notifyCustomer: false) { userErrors { message } } }`,
      { id: cancelled.id },
    );
    expect(orderCancel.userErrors).toEqual([]);
    expect(await shopify(small.id)).toEqual({ on_hand: 11, available: 11, committed: 0 });
    await runInForeground(prisma, syncOrdersTask, { shop: shop.domain, trigger: "manual" });
    expect((await run({ reconcile: true })).counts).not.toHaveProperty("mutationRequests");
    expect(await shopify(small.id)).toEqual({ on_hand: 11, available: 11, committed: 0 });
  });

  it("moves Shopify's available by exactly a stock adjustment, once, rung by the back office's doorbell", async () => {
    const { shop, small, run, shopify, placeOrder } = await inventoryShop();
    await run();
    await placeOrder(small.id, 1);
    expect((await shopify(small.id))?.available).toBe(13);

    await adjustStock(prisma, shop.id, { itemNo: "TEE-S", locationCode: "BACK", quantity: 5 });
    // The change rings the inventory sync (Sync inventory is on: a location is fed).
    expect(await ringBackOffice(prisma, { shopId: shop.id, entity: "stock" })).toBe(1);
    const pushed = await run({}, "back_office");
    expect(pushed).toMatchObject({ status: "succeeded", counts: { sent: 1, mutationRequests: 1 } });
    expect(await shopify(small.id)).toEqual({ on_hand: 19, available: 18, committed: 1 });

    expect((await run({}, "back_office")).counts).not.toHaveProperty("mutationRequests");
    expect(await shopify(small.id)).toEqual({ on_hand: 19, available: 18, committed: 1 });

    await adjustStock(prisma, shop.id, { itemNo: "TEE-S", locationCode: "MAIN", quantity: -2 });
    await run({}, "back_office");
    expect(await shopify(small.id)).toEqual({ on_hand: 17, available: 16, committed: 1 });
  });

  it("reads a level moved in Shopify since it was last seen again instead of overwriting it blindly", async () => {
    const { shop, store, small, links, run, shopify, primary } = await inventoryShop();
    await run();
    // Someone counts 20 in Shopify's admin.
    const { inventorySetQuantities } = await store.graphql<{
      inventorySetQuantities: { userErrors: { message: string }[] };
    }>(
      `mutation TestSet($input: InventorySetQuantitiesInput!) { inventorySetQuantities(input: $input) @idempotent(key: "test-count-20") { userErrors { message } } }`,
      {
        input: {
          name: "on_hand",
          reason: "correction",
          quantities: [
            {
              inventoryItemId: `gid://shopify/InventoryItem/${links[0]!.inventoryItemId}`,
              locationId: `gid://shopify/Location/${primary.shopifyId}`,
              quantity: 20,
              changeFromQuantity: null,
            },
          ],
        },
      },
    );
    expect(inventorySetQuantities.userErrors).toEqual([]);

    await adjustStock(prisma, shop.id, { itemNo: "TEE-S", locationCode: "MAIN", quantity: 1 });
    const pushed = await run({}, "back_office");
    // Refused as stale (we had seen 14), read again (20), worked out again (15) and set from 20.
    expect(pushed).toMatchObject({
      status: "succeeded",
      counts: { staleRetries: 1, sent: 1, mutationRequests: 2 },
    });
    expect((await shopify(small.id))?.on_hand).toBe(15);
    const row = await prisma.inventoryLevel.findFirstOrThrow({ where: { shopId: shop.id, itemNo: "TEE-S" } });
    expect(row).toMatchObject({ target: 15, shopifyOnHand: 15, sentQuantity: 15, state: "synced" });
  });

  it("activates a missing level, leaves a location whose calculation is off alone, and skips an untracked item", async () => {
    const { shop, store, small, medium, links, run, shopify } = await inventoryShop();
    const added = async (name: string) => {
      const { locationAdd } = await store.graphql<{ locationAdd: { location: { id: string } } }>(
        `mutation TestLocation($input: LocationAddInput!) { locationAdd(input: $input) { location { id } userErrors { message } } }`,
        { input: { name, address: { countryCode: "GB", city: "Leeds" }, fulfillsOnlineOrders: true } },
      );
      return numeric(locationAdd.location.id);
    };
    const outlet = await added("Outlet");
    const depot = await added("Depot");
    // The medium tee is not tracked in Shopify.
    await store.graphql(
      `mutation TestUntrack($id: ID!) { inventoryItemUpdate(id: $id, input: { tracked: false }) { userErrors { message } } }`,
      { id: `gid://shopify/InventoryItem/${links[1]!.inventoryItemId}` },
    );
    await run(); // reads the new locations: off until the merchant says
    await saveLocation(prisma, shop, {
      intent: "save",
      id: String(depot),
      stockCalculation: "back_office",
      sources: ["BACK"],
      salesLocationCode: null,
    });
    // The outlet has the tee, set by hand in Shopify; its calculation stays off.
    await store.graphql(
      `mutation TestActivate($item: ID!, $location: ID!) { inventoryActivate(inventoryItemId: $item, locationId: $location, onHand: 7) @idempotent(key: "test-outlet") { userErrors { message } } }`,
      {
        item: `gid://shopify/InventoryItem/${links[0]!.inventoryItemId}`,
        location: `gid://shopify/Location/${outlet}`,
      },
    );

    const pushed = await run();
    expect(pushed.status).toBe("succeeded");
    expect(pushed.counts).toMatchObject({ activated: 1 });
    expect(await shopify(small.id)).toMatchObject({ on_hand: 14 });
    expect(await shopify(small.id, depot)).toMatchObject({ on_hand: 4, available: 4 });
    expect(await shopify(small.id, outlet)).toMatchObject({ on_hand: 7 });
    expect(await shopify(medium.id, depot)).toBeNull();

    const medium_ = await prisma.inventoryLevel.findMany({ where: { shopId: shop.id, itemNo: "TEE-M" } });
    expect(medium_.map((row) => [row.state, row.message])).toEqual([
      ["skipped", UNTRACKED],
      ["skipped", UNTRACKED],
    ]);
    expect(await prisma.inventoryLevel.count({ where: { shopId: shop.id, locationId: outlet } })).toBe(0);
  });

  it("asks again with the same key when Shopify is still working on a call with that key", async () => {
    const { shop, small, run, shopify } = await inventoryShop();
    await run();
    await adjustStock(prisma, shop.id, { itemNo: "TEE-S", locationCode: "MAIN", quantity: 2 });
    // Shopify's answer while the first request with a key is still in flight (a retry that
    // overtook it): nothing applied, the same key to be asked again.
    const keys: string[] = [];
    const realFetch = globalThis.fetch;
    globalThis.fetch = async (input, init) => {
      const body = typeof init?.body === "string" ? (JSON.parse(init.body) as Record<string, unknown>) : {};
      if (body.operationName === "SyncInventorySetOnHand") {
        keys.push((body.variables as { key: string }).key);
        if (keys.length === 1)
          return new Response(
            JSON.stringify({
              data: {
                inventorySetQuantities: {
                  inventoryAdjustmentGroup: null,
                  userErrors: [
                    {
                      field: null,
                      message: "A request with this idempotency key is already in progress.",
                      code: "IDEMPOTENCY_CONCURRENT_REQUEST",
                    },
                  ],
                },
              },
              extensions: {
                cost: {
                  requestedQueryCost: 10,
                  actualQueryCost: 10,
                  throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 1990, restoreRate: 100 },
                },
              },
            }),
            { status: 200, headers: { "content-type": "application/json" } },
          );
      }
      return realFetch(input, init);
    };
    try {
      const pushed = await run({}, "back_office");
      expect(pushed).toMatchObject({ status: "succeeded", counts: { concurrentRetries: 1, sent: 1 } });
    } finally {
      globalThis.fetch = realFetch;
    }
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
    expect((await shopify(small.id))?.on_hand).toBe(16);
  });

  it("stocks a level again that was removed in Shopify since it was last set", async () => {
    const { shop, store, small, run, shopify, primary } = await inventoryShop();
    await run();
    const { productVariant } = await store.graphql<{
      productVariant: { inventoryItem: { inventoryLevel: { id: string } } };
    }>(
      `query TestLevel($id: ID!, $location: ID!) { productVariant(id: $id) { inventoryItem { inventoryLevel(locationId: $location) { id } } } }`,
      { id: small.id, location: `gid://shopify/Location/${primary.shopifyId}` },
    );
    await store.graphql(
      `mutation TestDeactivate($id: ID!) { inventoryDeactivate(inventoryLevelId: $id) { userErrors { message } } }`,
      { id: productVariant.inventoryItem.inventoryLevel.id },
    );
    expect(await shopify(small.id)).toBeNull();

    await adjustStock(prisma, shop.id, { itemNo: "TEE-S", locationCode: "MAIN", quantity: 1 });
    const pushed = await run({}, "back_office");
    // The set is refused (not stocked there), the level is activated with its on hand.
    expect(pushed).toMatchObject({ status: "succeeded", counts: { activated: 1, sent: 1 } });
    expect(await shopify(small.id)).toEqual({ on_hand: 15, available: 15, committed: 0 });
  });

  it("sends the stock of a variant met on an order, asking Shopify for its inventory item first", async () => {
    const { shop, small, run, shopify, links } = await inventoryShop();
    // Linked by the order import: it knows the variant, not its inventory item.
    await prisma.shopifyVariantMap.update({
      where: { shopId_variantShopifyId: { shopId: shop.id, variantShopifyId: numeric(small.id) } },
      data: { inventoryItemShopifyId: null, productShopifyId: null },
    });
    const pushed = await run();
    // Both links are completed (the setup gave neither its product id); the small tee's stock goes.
    expect(pushed).toMatchObject({ status: "succeeded", counts: { variantLinksCompleted: 2, sent: 2 } });
    const link = await prisma.shopifyVariantMap.findUniqueOrThrow({
      where: { shopId_variantShopifyId: { shopId: shop.id, variantShopifyId: numeric(small.id) } },
    });
    expect(link.inventoryItemShopifyId).toBe(links[0]!.inventoryItemId);
    expect((await shopify(small.id))?.on_hand).toBe(14);
  });

  it("sends the stock of an item the products sync just made a product of, without waiting for the night", async () => {
    const { shop, run } = await inventoryShop();
    await run();
    await prisma.shopSettings.update({
      where: { shopId: shop.id },
      data: { syncItems: "to_shopify", productMapping: "item_no_variant_code" },
    });
    await createItem(prisma, shop.id, { no: "CAP", description: "Wool cap", unitPrice: "15" });
    await postOpeningStock(prisma, shop.id, [{ itemNo: "CAP", locationCode: "MAIN", quantity: 8 }], "OPEN-2");
    await addItemsToShopify(prisma, shop.id, ["CAP"]);
    expect(await linksWithoutLevels(prisma, shop.id)).toBe(false);
    const exported = await runInForeground(prisma, syncProductsTask, {
      shop: shop.domain,
      trigger: "manual",
    });
    expect(exported.status).toBe("succeeded");

    // The cap's new variant has no level looked after yet: a run waits for it (one per shop:
    // the run the Locations page queued takes it in).
    expect(await linksWithoutLevels(prisma, shop.id)).toBe(true);
    expect(
      await prisma.syncRun.count({ where: { shopId: shop.id, task: "sync_inventory", status: "queued" } }),
    ).toBe(1);
    const pushed = await run({}, "back_office");
    expect(pushed.counts).toMatchObject({ sent: 1 });
    const cap = await prisma.inventoryLevel.findFirstOrThrow({ where: { shopId: shop.id, itemNo: "CAP" } });
    expect(cap).toMatchObject({ target: 8, shopifyOnHand: 8, state: "synced" });
    expect(await linksWithoutLevels(prisma, shop.id)).toBe(false);
  });

  it("ends in the same quantities when Shopify throttles, fails and loses answers during a push", async () => {
    const { shop, small, medium, run, shopify } = await inventoryShop();
    simulator.sim.faults = {
      ...simulator.sim.faults,
      throttledShare: 0.15,
      http5xxShare: 0.1,
      lostAnswerShare: 0.5,
      lostAnswerOperations: ["SyncInventorySetOnHand", "SyncInventoryActivate"],
    };
    await adjustStock(prisma, shop.id, { itemNo: "TEE-M", locationCode: "MAIN", quantity: 3 });
    let last = await run();
    for (let attempt = 0; last.status !== "succeeded" && attempt < 5; attempt++) last = await run();
    expect(last.status).toBe("succeeded");
    const faults = simulator.sim.faults;
    simulator.sim.faults = { ...faults, throttledShare: 0, http5xxShare: 0, lostAnswerShare: 0 };
    expect(await shopify(small.id)).toMatchObject({ on_hand: 14 });
    expect(await shopify(medium.id)).toMatchObject({ on_hand: 9 });

    // The same adjustment once more, through the faults: applied once.
    await adjustStock(prisma, shop.id, { itemNo: "TEE-M", locationCode: "MAIN", quantity: 3 });
    simulator.sim.faults = faults;
    last = await run({}, "back_office");
    for (let attempt = 0; last.status !== "succeeded" && attempt < 5; attempt++) last = await run();
    expect(last.status).toBe("succeeded");
    simulator.sim.faults = { ...faults, throttledShare: 0, http5xxShare: 0, lostAnswerShare: 0 };
    expect(await shopify(medium.id)).toMatchObject({ on_hand: 12 });
  });
});
