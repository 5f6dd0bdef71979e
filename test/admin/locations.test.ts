import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureLocation } from "../../app/backoffice/backoffice.server";
import prisma from "../../app/db.server";
import { action, loader } from "../../app/routes/app.locations";
import { adminRequest, callRoute, dataOf, statusOf } from "../support/admin";
import { installedShop } from "../support/shops";
import { startSimulator, type RunningSimulator } from "../support/simulator";
import { Store } from "../support/store";

/**
 * The Locations page against the simulated Shopify and real Postgres: Shopify's locations read
 * (added, renamed, deleted in Shopify and kept as such), and how the back office feeds each,
 * saved whole or refused whole with a message per field.
 */

let simulator: RunningSimulator;

beforeAll(async () => {
  simulator = await startSimulator(null);
  process.env.SHOPIFY_ADMIN_ORIGIN = simulator.url;
});
afterAll(() => simulator?.close());

interface Listed {
  locations: {
    id: string;
    name: string;
    isPrimary: boolean;
    deleted: boolean;
    stockCalculation: string;
    sources: string[];
    salesLocationCode: string | null;
  }[];
  backOffice: { code: string }[];
}

async function locationsShop() {
  const shop = await installedShop();
  const store = new Store(simulator, shop.domain);
  await prisma.session.update({
    where: { id: `offline_${shop.domain}` },
    data: { accessToken: store.token },
  });
  const state = simulator.sim.shop(shop.domain);
  const now = new Date();
  const warehouseId = state.newId();
  state.locations.set(warehouseId, {
    id: warehouseId,
    name: "Harbour warehouse",
    address: { address1: "1 Quay Road", city: "Leith", countryCode: "GB", country: "United Kingdom" },
    isActive: true,
    fulfillsOnlineOrders: true,
    createdAt: now,
    updatedAt: now,
  });
  await ensureLocation(prisma, shop.id, { code: "MAIN", name: "Main warehouse" });
  await ensureLocation(prisma, shop.id, { code: "OVERFLOW", name: "Overflow store" });
  const post = (form: Record<string, string>) =>
    callRoute(action, adminRequest(shop.domain, "/app/locations", form));
  const list = async () =>
    dataOf<Listed>(await callRoute(loader, adminRequest(shop.domain, "/app/locations")));
  return { shop, state, warehouseId, post, list };
}

describe("the Locations page", () => {
  it("reads Shopify's locations, new ones with their stock calculation off", async () => {
    const { post, list, warehouseId } = await locationsShop();
    expect((await list()).locations).toEqual([]);

    const read = await post({ intent: "refresh" });
    expect(statusOf(read)).toBe(200);
    expect(await dataOf(read)).toMatchObject({ ok: true, message: "Locations read from Shopify: 2 new." });

    const { locations, backOffice } = await list();
    expect(
      locations.map((location) => [location.name, location.isPrimary, location.stockCalculation]),
    ).toEqual([
      [expect.any(String) as unknown, true, "off"],
      ["Harbour warehouse", false, "off"],
    ]);
    expect(locations[1]).toMatchObject({ id: String(warehouseId), sources: [], salesLocationCode: null });
    expect(backOffice.map((location) => location.code)).toEqual(["MAIN", "OVERFLOW"]);
  });

  it("saves the back-office locations that feed a location, its calculation and its sales location", async () => {
    const { shop, post, list, warehouseId } = await locationsShop();
    await post({ intent: "refresh" });

    const saved = await post({
      intent: "save",
      id: String(warehouseId),
      stockCalculation: "back_office",
      sources: "MAIN,OVERFLOW",
      salesLocationCode: "OVERFLOW",
    });
    expect(await dataOf(saved)).toEqual({
      ok: true,
      message: "Harbour warehouse saved. Sync inventory sets its stock from the back office now.",
    });
    // The shop now pushes stock: the doorbell and schedule follow it, and a run is queued.
    expect((await prisma.shopSettings.findUniqueOrThrow({ where: { shopId: shop.id } })).syncInventory).toBe(
      true,
    );
    expect(await prisma.syncRun.count({ where: { shopId: shop.id, task: "sync_inventory" } })).toBe(1);
    expect((await list()).locations.find((location) => location.id === String(warehouseId))).toMatchObject({
      stockCalculation: "back_office",
      sources: ["MAIN", "OVERFLOW"],
      salesLocationCode: "OVERFLOW",
    });

    // Fed by one location now: the other is no longer a source.
    await post({ intent: "save", id: String(warehouseId), stockCalculation: "back_office", sources: "MAIN" });
    expect((await list()).locations.find((location) => location.id === String(warehouseId))).toMatchObject({
      sources: ["MAIN"],
      salesLocationCode: null,
    });

    // Off again: nothing takes its stock from the back office any more.
    await post({ intent: "save", id: String(warehouseId), stockCalculation: "off", sources: "MAIN" });
    expect((await prisma.shopSettings.findUniqueOrThrow({ where: { shopId: shop.id } })).syncInventory).toBe(
      false,
    );
  });

  it("refuses a save whole, with a message per field, and changes nothing", async () => {
    const { shop, post, list, warehouseId } = await locationsShop();
    await post({ intent: "refresh" });
    const before = await list();

    const refused = await post({
      intent: "save",
      id: String(warehouseId),
      stockCalculation: "back_office",
      sources: "MAIN,NOWHERE",
      salesLocationCode: "ATTIC",
    });
    expect(statusOf(refused)).toBe(400);
    expect(await dataOf(refused)).toMatchObject({
      ok: false,
      fields: {
        sources: "no back-office location NOWHERE",
        salesLocationCode: "no back-office location ATTIC",
      },
    });
    const empty = await post({ intent: "save", id: String(warehouseId), stockCalculation: "back_office" });
    expect(await dataOf(empty)).toMatchObject({
      fields: { sources: "choose the back-office locations whose stock feeds it" },
    });
    const malformed = await post({ intent: "save", id: String(warehouseId), stockCalculation: "sometimes" });
    expect(statusOf(malformed)).toBe(400);
    expect(await dataOf(malformed)).toMatchObject({
      fields: { stockCalculation: "choose off or from the back office" },
    });
    expect(await list()).toEqual(before);

    // A location this shop does not have (another shop's, or none at all) is not found.
    const unknown = await post({ intent: "save", id: "999999999", stockCalculation: "off" });
    expect(statusOf(unknown)).toBe(404);
    expect(
      await prisma.shopifyLocation.count({ where: { shopId: shop.id, stockCalculation: "back_office" } }),
    ).toBe(0);
  });

  it("keeps a location deleted in Shopify, marked, with what fed it; a rename is read", async () => {
    const { post, list, state, warehouseId } = await locationsShop();
    await post({ intent: "refresh" });
    await post({ intent: "save", id: String(warehouseId), stockCalculation: "back_office", sources: "MAIN" });
    const primary = (await list()).locations.find((location) => location.isPrimary)!;
    state.locations.get(Number(primary.id))!.name = "Shop floor";
    state.locations.delete(warehouseId);

    const read = await post({ intent: "refresh" });
    expect(await dataOf(read)).toMatchObject({
      message: "Locations read from Shopify: 1 changed, 1 deleted in Shopify.",
    });
    const { locations } = await list();
    expect(locations.map((location) => [location.name, location.deleted, location.sources])).toEqual([
      ["Shop floor", false, []],
      ["Harbour warehouse", true, ["MAIN"]],
    ]);
    const again = await post({
      intent: "save",
      id: String(warehouseId),
      stockCalculation: "back_office",
      sources: "MAIN",
    });
    expect(await dataOf(again)).toMatchObject({
      fields: { stockCalculation: "the location was deleted in Shopify" },
    });
    expect(await dataOf(await post({ intent: "refresh" }))).toMatchObject({
      message: "Locations read from Shopify: nothing changed.",
    });
  });
});
