import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ensureLocation,
  postOpeningStock,
  postSalesOrder,
  stockAt,
} from "../../app/backoffice/backoffice.server";
import prisma from "../../app/db.server";
import { runInForeground } from "../../app/jobs/foreground.server";
import { action } from "../../app/routes/app.locations";
import { bulkImport } from "../../app/sync/orders/bulk-import.server";
import { syncOrdersTask } from "../../app/sync/orders/task.server";
import { adminRequest, callRoute, dataOf } from "../support/admin";
import { orderShop } from "../support/order-shop";
import { startSimulator, type RunningSimulator } from "../support/simulator";

/**
 * The back-office location of a sales line fulfilled from a Shopify location, against the
 * simulated Shopify and real Postgres: the order import learns each line's location from the
 * order's fulfillment orders, processing puts the location's sales location (set on the
 * Locations page) on the line, and posting its shipment takes the stock from there. A line from
 * a location without a sales location ships from the shop's first back-office location, as
 * before.
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

const numeric = (gid: string) => BigInt(gid.split("/").pop()!);

/**
 * The order shop with a second Shopify location, "Harbour warehouse", that alone stocks the
 * small tee (so Shopify assigns its lines there; the medium tee ships from the shop's first
 * location), and back-office locations CENTRAL (the first: posting's fallback) and HARBOUR,
 * with ten of each tee in both. The Locations page has read both Shopify locations.
 */
async function locatedShop() {
  const { shop, store, small, medium } = await orderShop(simulator);
  const { locationAdd } = await store.graphql<{
    locationAdd: { location: { id: string } | null; userErrors: { message: string }[] };
  }>(
    `mutation TestLocation($input: LocationAddInput!) { locationAdd(input: $input) { location { id } userErrors { message } } }`,
    {
      input: {
        name: "Harbour warehouse",
        address: { countryCode: "GB", city: "Leith" },
        fulfillsOnlineOrders: true,
      },
    },
  );
  const harbour = locationAdd.location!.id;
  const { productVariant } = await store.graphql<{ productVariant: { inventoryItem: { id: string } } }>(
    `query TestItem($id: ID!) { productVariant(id: $id) { inventoryItem { id } } }`,
    { id: small.id },
  );
  await store.graphql(
    `mutation TestActivate($item: ID!, $location: ID!) { inventoryActivate(inventoryItemId: $item, locationId: $location, available: 10) @idempotent(key: "test-harbour") { userErrors { message } } }`,
    { item: productVariant.inventoryItem.id, location: harbour },
  );
  const { locations } = await store.graphql<{ locations: { nodes: { id: string }[] } }>(
    `query TestLocations { locations(first: 5) { nodes { id } } }`,
  );
  // The shop's own location, where the medium tee ships from.
  const primary = locations.nodes.find((location) => location.id !== harbour)!.id;
  expect(locations.nodes).toHaveLength(2);

  await ensureLocation(prisma, shop.id, { code: "CENTRAL", name: "Central warehouse" });
  await ensureLocation(prisma, shop.id, { code: "HARBOUR", name: "Harbour store room" });
  await postOpeningStock(
    prisma,
    shop.id,
    ["CENTRAL", "HARBOUR"].flatMap((locationCode) =>
      ["TEE-S", "TEE-M"].map((itemNo) => ({ itemNo, locationCode, quantity: 10 })),
    ),
    "OPEN-1",
  );
  const post = async (form: Record<string, string>) =>
    dataOf<{ ok: boolean; message: string }>(
      await callRoute(action, adminRequest(shop.domain, "/app/locations", form)),
    );
  expect(await post({ intent: "refresh" })).toMatchObject({ ok: true });
  /** Sets the back-office location of the sales lines fulfilled from Harbour warehouse ("" for none). */
  const harbourSalesLocation = async (code: string) =>
    expect(
      await post({
        intent: "save",
        id: numeric(harbour).toString(),
        stockCalculation: "off",
        sources: "",
        salesLocationCode: code,
      }),
    ).toMatchObject({ ok: true });
  return { shop, store, small, medium, harbour, primary, harbourSalesLocation };
}

const sync = (domain: string) => runInForeground(prisma, syncOrdersTask, { shop: domain, trigger: "manual" });

/** The staged order's lines by SKU with their Shopify location, and its sales lines. */
async function orderOf(shopId: string, name: string) {
  const staged = await prisma.shopifyOrder.findFirstOrThrow({
    where: { shopId, name },
    include: { lines: { orderBy: { shopifyId: "asc" } } },
  });
  const header = await prisma.boSalesHeader.findFirstOrThrow({
    where: { shopId, no: staged.documentNo! },
    include: { lines: { orderBy: { lineNo: "asc" } } },
  });
  return {
    staged,
    stagedLocations: Object.fromEntries(
      staged.lines.map((line): [string, bigint | null] => [line.sku!, line.locationShopifyId]),
    ),
    salesLocations: Object.fromEntries(
      header.lines
        .filter((line) => line.type === "item")
        .map((line): [string, string | null] => [line.itemNo!, line.locationCode]),
    ),
  };
}

/** Posts the order's shipment whole; the shipment's lines and stock entries by item and location. */
async function ship(shopId: string, documentNo: string) {
  const { shipmentNo } = await postSalesOrder(prisma, shopId, documentNo, { ship: true, invoice: false });
  const shipment = await prisma.boPostedShipment.findFirstOrThrow({
    where: { shopId, no: shipmentNo! },
    include: { lines: { orderBy: { lineNo: "asc" } } },
  });
  const entries = await prisma.boStockEntry.findMany({
    where: { shopId, documentNo: shipmentNo!, entryType: "shipment" },
    orderBy: { itemNo: "asc" },
  });
  return {
    lines: shipment.lines.map((line) => [line.itemNo, line.locationCode, line.quantity]),
    entries: entries.map((entry) => [entry.itemNo, entry.locationCode, entry.quantity]),
  };
}

describe("a sales line fulfilled from a Shopify location", () => {
  it("gets the location's sales location, and its shipment takes the stock from there", async () => {
    const { shop, store, small, medium, harbour, primary, harbourSalesLocation } = await locatedShop();
    await harbourSalesLocation("HARBOUR");
    const order = await store.placeOrder({
      lines: [
        { variantId: small.id, quantity: 2 },
        { variantId: medium.id, quantity: 1 },
      ],
    });

    const run = await sync(shop.domain);

    expect(run).toMatchObject({ status: "succeeded", counts: { imported: 1, processed: 1 } });
    // Two fulfillment orders, one per location: which line is in which was asked once (21
    // points: two fulfillment orders of two lines) besides the count (1) and the page (39).
    expect((run.counts as Record<string, number>).requestedPoints).toBe(1 + 39 + 21);
    const { staged, stagedLocations, salesLocations } = await orderOf(shop.id, order.name);
    expect(stagedLocations).toEqual({ "TEE-S": numeric(harbour), "TEE-M": numeric(primary) });
    // The shop's first location has no sales location set: its line gets none, as before.
    expect(salesLocations).toEqual({ "TEE-S": "HARBOUR", "TEE-M": null });

    expect(await ship(shop.id, staged.documentNo!)).toEqual({
      lines: [
        ["TEE-S", "HARBOUR", 2],
        ["TEE-M", "CENTRAL", 1],
      ],
      entries: [
        ["TEE-M", "CENTRAL", -1],
        ["TEE-S", "HARBOUR", -2],
      ],
    });
    expect(await stockAt(prisma, shop.id, { itemNo: "TEE-S", locationCode: "HARBOUR" })).toBe(8);
    expect(await stockAt(prisma, shop.id, { itemNo: "TEE-S", locationCode: "CENTRAL" })).toBe(10);
  });

  it("of an order shipped from one location is known from the page alone", async () => {
    const { shop, store, small, harbour, harbourSalesLocation } = await locatedShop();
    await harbourSalesLocation("HARBOUR");
    const order = await store.placeOrder({ lines: [{ variantId: small.id, quantity: 3 }] });

    const run = await sync(shop.domain);

    expect(run).toMatchObject({ status: "succeeded", counts: { imported: 1, processed: 1 } });
    // The count and the page: 40 requested points for one order.
    expect((run.counts as Record<string, number>).requestedPoints).toBe(40);
    const { staged, stagedLocations, salesLocations } = await orderOf(shop.id, order.name);
    expect(stagedLocations).toEqual({ "TEE-S": numeric(harbour) });
    expect(salesLocations).toEqual({ "TEE-S": "HARBOUR" });
    expect((await ship(shop.id, staged.documentNo!)).entries).toEqual([["TEE-S", "HARBOUR", -3]]);
  });

  it("of a location without a sales location keeps none, and ships from the shop's first location", async () => {
    const { shop, store, small, harbour, harbourSalesLocation } = await locatedShop();
    await harbourSalesLocation("HARBOUR");
    await harbourSalesLocation(""); // set, then taken off again
    const order = await store.placeOrder({ lines: [{ variantId: small.id, quantity: 1 }] });

    await sync(shop.domain);

    const { staged, stagedLocations, salesLocations } = await orderOf(shop.id, order.name);
    expect(stagedLocations).toEqual({ "TEE-S": numeric(harbour) });
    expect(salesLocations).toEqual({ "TEE-S": null });
    expect(await ship(shop.id, staged.documentNo!)).toEqual({
      lines: [["TEE-S", "CENTRAL", 1]],
      entries: [["TEE-S", "CENTRAL", -1]],
    });
  });

  it("is learnt by the first import by bulk query too", async () => {
    const { shop, store, small, medium, harbour, primary, harbourSalesLocation } = await locatedShop();
    await harbourSalesLocation("HARBOUR");
    const split = await store.placeOrder({
      lines: [
        { variantId: medium.id, quantity: 1 },
        { variantId: small.id, quantity: 1 },
      ],
    });
    const single = await store.placeOrder({ lines: [{ variantId: small.id, quantity: 1 }] });
    bulkImport.minOrders = 0;
    try {
      const run = await sync(shop.domain);
      expect(run).toMatchObject({ status: "succeeded", counts: { imported: 2, processed: 2 } });
    } finally {
      bulkImport.minOrders = minOrders;
    }
    expect(simulator.sim.shop(shop.domain).bulkOperations.size).toBe(1);

    const both = await orderOf(shop.id, split.name);
    expect(both.stagedLocations).toEqual({ "TEE-S": numeric(harbour), "TEE-M": numeric(primary) });
    expect(both.salesLocations).toEqual({ "TEE-S": "HARBOUR", "TEE-M": null });
    const one = await orderOf(shop.id, single.name);
    expect(one.stagedLocations).toEqual({ "TEE-S": numeric(harbour) });
    expect(one.salesLocations).toEqual({ "TEE-S": "HARBOUR" });
  });
});
