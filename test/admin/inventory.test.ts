import { describe, expect, it } from "vitest";
import type { InventoryList } from "../../app/admin/inventory.server";
import prisma from "../../app/db.server";
import type { Shop } from "../../app/generated/prisma/client";
import { action, loader } from "../../app/routes/app.inventory";
import { findSyncTask } from "../../app/sync/index.server";
import { queuedRuns } from "../kit/jobs";
import { adminRequest, answer, callRoute, dataOf, outcomeOf } from "../support/admin";
import { installedShop } from "../support/shops";

/**
 * The Inventory page against real Postgres: each level the inventory sync looks after, with the
 * back office's target and its terms, Shopify's quantities as last known, the last push and the
 * state with Shopify's message in full; searched and filtered by state and location, paged, and
 * never another shop's. Retry (one level, or every one in error) puts levels back to waiting and
 * queues one run of sync_inventory for their items.
 */

const FAILURE =
  "Shopify: inventorySetQuantities: The quantity couldn't be updated because the location was not found. (code: INVALID_LOCATION)";
const UNTRACKED = "Shopify does not track this item's quantity (Track quantity is off on the variant)";

const WAREHOUSE = 71001n;
const SHOP_FLOOR = 71002n;
const READ_AT = new Date("2026-12-09T10:15:00.000Z");
const SENT_AT = new Date("2026-12-09T10:20:30.000Z");

const list = async (shop: Shop, query = "") =>
  dataOf<InventoryList>(await callRoute(loader, adminRequest(shop.domain, `/app/inventory${query}`)));
const act = async (shop: Shop, form: Record<string, string>) =>
  answer<{ ok: boolean; message?: string; error?: string; fields?: Record<string, string> }>(
    await callRoute(action, adminRequest(shop.domain, "/app/inventory", form)),
  );
const levelOf = (shop: Shop, inventoryItemId: bigint, locationId: bigint) =>
  prisma.inventoryLevel.findUniqueOrThrow({
    where: { shopId_inventoryItemId_locationId: { shopId: shop.id, inventoryItemId, locationId } },
  });

/** A shop with two Shopify locations fed from the back office, and a level in each state. */
async function inventoryShop() {
  const shop = await installedShop();
  const now = new Date();
  await prisma.shopifyLocation.createMany({
    data: [
      {
        shopId: shop.id,
        shopifyId: WAREHOUSE,
        name: "Harbour warehouse",
        isActive: true,
        isPrimary: true,
        fulfillsOnlineOrders: true,
        stockCalculation: "back_office",
        readAt: now,
      },
      {
        shopId: shop.id,
        shopifyId: SHOP_FLOOR,
        name: "Shop floor",
        isActive: true,
        fulfillsOnlineOrders: true,
        stockCalculation: "back_office",
        readAt: now,
      },
    ],
  });
  await prisma.inventoryLevel.createMany({
    data: [
      {
        shopId: shop.id,
        inventoryItemId: 3001n,
        locationId: WAREHOUSE,
        itemNo: "TEE",
        target: 11,
        targetParts: { onHand: 12, reservedByOwnOrders: 2, shippedNotFulfilled: 1 },
        shopifyOnHand: 11,
        shopifyAvailable: 9,
        shopifyCommitted: 2,
        shopifyReadAt: READ_AT,
        state: "synced",
        sentQuantity: 11,
        sentAt: SENT_AT,
      },
      {
        shopId: shop.id,
        inventoryItemId: 3002n,
        locationId: WAREHOUSE,
        itemNo: "MUG",
        variantCode: "RED",
        target: 4,
        targetParts: { onHand: 4, reservedByOwnOrders: 0, shippedNotFulfilled: 0 },
        shopifyOnHand: 7,
        shopifyAvailable: 7,
        shopifyCommitted: 0,
        shopifyReadAt: READ_AT,
        state: "error",
        message: FAILURE,
        attempts: 2,
      },
      {
        shopId: shop.id,
        inventoryItemId: 3002n,
        locationId: SHOP_FLOOR,
        itemNo: "MUG",
        variantCode: "RED",
        missing: true,
        state: "pending",
      },
      {
        shopId: shop.id,
        inventoryItemId: 3003n,
        locationId: SHOP_FLOOR,
        itemNo: "HAT",
        target: 0,
        targetParts: { onHand: 1, reservedByOwnOrders: 3, shippedNotFulfilled: 0 },
        state: "error",
        message: FAILURE,
        attempts: 1,
      },
      {
        shopId: shop.id,
        inventoryItemId: 3004n,
        locationId: WAREHOUSE,
        itemNo: "GIFT",
        state: "skipped",
        message: UNTRACKED,
      },
    ],
  });
  return shop;
}

describe("the Inventory page", () => {
  it("shows each level with the back office's target and its terms, Shopify's quantities, the last push and the state with its message", async () => {
    const shop = await inventoryShop();

    const page = await list(shop);

    expect(page).toMatchObject({ total: 5, page: 1, q: "", state: "any", location: "" });
    expect(page.counts).toEqual({ pending: 1, synced: 1, error: 2, skipped: 1 });
    expect(page.lastRun).toBeNull();
    expect(page.locations.map((location) => location.name)).toEqual(["Harbour warehouse", "Shop floor"]);
    expect(page.rows.map((row) => [row.itemNo, row.variantCode, row.locationName, row.stateWords])).toEqual([
      ["GIFT", null, "Harbour warehouse", "Skipped"],
      ["HAT", null, "Shop floor", "Error"],
      ["MUG", "RED", "Harbour warehouse", "Error"],
      ["MUG", "RED", "Shop floor", "Waiting"],
      ["TEE", null, "Harbour warehouse", "In sync"],
    ]);
    const [gift, hat, mugWarehouse, mugFloor, tee] = page.rows;
    expect(tee).toMatchObject({
      inventoryItemId: "3001",
      locationId: String(WAREHOUSE),
      target: 11,
      targetParts: { onHand: 12, reservedByOwnOrders: 2, shippedNotFulfilled: 1 },
      targetWords: "on hand 12 − own orders 2 + shipped not yet fulfilled 1",
      shopify: { onHand: 11, committed: 2, available: 9 },
      shopifyReadAt: READ_AT.toISOString(),
      missing: false,
      state: "synced",
      message: null,
      sentQuantity: 11,
      sentAt: SENT_AT.toISOString(),
    });
    // Shopify's message in full, with the attempts.
    expect(mugWarehouse).toMatchObject({ state: "error", message: FAILURE, attempts: 2, sentQuantity: null });
    // Never read and not in Shopify at the location yet; nothing worked out yet.
    expect(mugFloor).toMatchObject({
      target: null,
      targetWords: null,
      shopify: { onHand: null, committed: null, available: null },
      shopifyReadAt: null,
      missing: true,
    });
    // Own orders take more than the back office has: the target stays at 0.
    expect(hat!.targetWords).toBe("on hand 1 − own orders 3 + shipped not yet fulfilled 0 (never below 0)");
    expect(gift).toMatchObject({ state: "skipped", message: UNTRACKED });
  });

  it("shows the inventory sync's last run", async () => {
    const shop = await inventoryShop();
    const finishedAt = new Date("2026-12-09T11:00:00.000Z");
    for (const [task, queuedAt] of [
      ["sync_inventory", new Date("2026-12-09T09:00:00.000Z")],
      ["sync_inventory", new Date("2026-12-09T10:59:00.000Z")],
      ["sync_orders", new Date("2026-12-09T12:00:00.000Z")],
    ] as const)
      await prisma.syncRun.create({
        data: {
          id: crypto.randomUUID(),
          shopId: shop.id,
          task,
          trigger: "schedule",
          category: "shipments",
          status: "succeeded",
          queuedAt,
          finishedAt,
        },
      });

    expect((await list(shop)).lastRun).toMatchObject({
      status: "succeeded",
      queuedAt: "2026-12-09T10:59:00.000Z",
      finishedAt: finishedAt.toISOString(),
    });
  });

  it("has nothing to show for a shop whose locations take no stock from the back office", async () => {
    const shop = await installedShop();
    const page = await list(shop);
    expect(page).toMatchObject({
      total: 0,
      rows: [],
      counts: { pending: 0, synced: 0, error: 0, skipped: 0 },
    });
  });

  it("finds levels by item number, and filters them by state and location", async () => {
    const shop = await inventoryShop();
    const found = async (query: string) =>
      (await list(shop, query)).rows.map((row) => `${row.itemNo}@${row.locationName}`);

    expect(await found("?q=mu")).toEqual(["MUG@Harbour warehouse", "MUG@Shop floor"]);
    expect(await found("?q=tee")).toEqual(["TEE@Harbour warehouse"]);
    expect(await found("?q=100%25")).toEqual([]);
    expect(await found("?state=error")).toEqual(["HAT@Shop floor", "MUG@Harbour warehouse"]);
    expect(await found("?state=pending")).toEqual(["MUG@Shop floor"]);
    expect(await found("?state=skipped")).toEqual(["GIFT@Harbour warehouse"]);
    expect(await found("?state=synced")).toEqual(["TEE@Harbour warehouse"]);
    expect(await found(`?location=${SHOP_FLOOR}`)).toEqual(["HAT@Shop floor", "MUG@Shop floor"]);
    expect(await found(`?state=error&location=${WAREHOUSE}&q=mug`)).toEqual(["MUG@Harbour warehouse"]);
    expect(await found("?state=any&location=&q=")).toHaveLength(5);
    // The counts are the shop's, whatever the filters.
    expect((await list(shop, "?state=synced")).counts).toEqual({
      pending: 1,
      synced: 1,
      error: 2,
      skipped: 1,
    });
  });

  it("pages through many levels, keeping the full count", async () => {
    const shop = await inventoryShop();
    await prisma.inventoryLevel.createMany({
      data: Array.from({ length: 50 }, (_, i) => ({
        shopId: shop.id,
        inventoryItemId: 5000n + BigInt(i),
        locationId: WAREHOUSE,
        itemNo: `I${String(i).padStart(3, "0")}`,
        state: "synced",
      })),
    });

    const first = await list(shop);
    const second = await list(shop, "?page=2");

    expect([first.total, first.rows.length, first.rows[0]!.itemNo]).toEqual([55, 50, "GIFT"]);
    expect([second.page, second.rows.map((row) => row.itemNo)]).toEqual([
      2,
      ["I048", "I049", "MUG", "MUG", "TEE"],
    ]);
  });

  it("refuses a wrong address with what is wrong", async () => {
    const shop = await inventoryShop();
    const wrong = await outcomeOf(list(shop, "?state=exploded"));
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain("state is one of any, error, pending, skipped, synced");
    expect(await outcomeOf(list(shop, "?page=0"))).toMatchObject({ status: 400 });
    expect(await outcomeOf(list(shop, "?location=abc"))).toMatchObject({ status: 400 });
    expect(await outcomeOf(list(shop, `?q=${"x".repeat(101)}`))).toMatchObject({ status: 400 });
    expect(await outcomeOf(list(shop, "?location=99999999999999999999"))).toMatchObject({ status: 400 });
    expect(await outcomeOf(list(shop, "?location=424242"))).toEqual({
      status: 404,
      text: "This shop has no Shopify location 424242.",
    });
  });

  it("never shows another shop's levels, nor takes another shop's location as a filter", async () => {
    const shop = await inventoryShop();
    const other = await inventoryShop();
    await prisma.inventoryLevel.update({
      where: {
        shopId_inventoryItemId_locationId: {
          shopId: other.id,
          inventoryItemId: 3001n,
          locationId: WAREHOUSE,
        },
      },
      data: { itemNo: "THEIRS" },
    });
    const theirLocation = 88001n;
    await prisma.shopifyLocation.create({
      data: {
        shopId: other.id,
        shopifyId: theirLocation,
        name: "Their depot",
        isActive: true,
        fulfillsOnlineOrders: true,
        readAt: new Date(),
      },
    });

    const mine = await list(shop);
    expect(mine.rows.map((row) => row.itemNo)).not.toContain("THEIRS");
    expect(mine.total).toBe(5);
    expect(mine.locations.map((location) => location.name)).not.toContain("Their depot");
    expect((await list(shop, "?q=theirs")).rows).toEqual([]);
    expect(await outcomeOf(list(shop, `?location=${theirLocation}`))).toMatchObject({ status: 404 });
  });
});

describe("Retry", () => {
  it("the task is registered (sync_inventory)", () => {
    expect(findSyncTask("sync_inventory")?.name).toBe("sync_inventory");
  });

  it("puts a level in error back to waiting, keeping Shopify's message, and queues one run of sync_inventory for its item", async () => {
    const shop = await inventoryShop();

    const result = await act(shop, {
      intent: "retry",
      inventoryItemId: "3002",
      locationId: String(WAREHOUSE),
    });

    expect(result).toEqual({
      status: 200,
      body: {
        ok: true,
        message:
          "Item MUG (variant RED) at Harbour warehouse is waiting to be sent to Shopify again. Sending stock to Shopify is queued and starts at once; the job list shows its progress.",
      },
    });
    expect(await levelOf(shop, 3002n, WAREHOUSE)).toMatchObject({
      state: "pending",
      message: FAILURE,
      attempts: 2,
    });
    // The other level in error is left as it is.
    expect(await levelOf(shop, 3003n, SHOP_FLOOR)).toMatchObject({ state: "error" });
    const runs = await queuedRuns(shop, "sync_inventory");
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ trigger: "manual", filters: { itemNos: "MUG" } });
    const page = await list(shop, "?state=pending");
    expect(page.rows.map((row) => [row.itemNo, row.locationName, row.message])).toEqual([
      ["MUG", "Harbour warehouse", FAILURE],
      ["MUG", "Shop floor", null],
    ]);
    expect(page.lastRun).toMatchObject({ id: runs[0]!.id, status: "queued" });
  });

  it("is refused for a level that is not in error, or that this shop does not have, changing nothing", async () => {
    const shop = await inventoryShop();
    const other = await inventoryShop();
    await prisma.inventoryLevel.create({
      data: {
        shopId: other.id,
        inventoryItemId: 9009n,
        locationId: WAREHOUSE,
        itemNo: "THEIRS",
        state: "error",
        message: FAILURE,
      },
    });

    expect(
      await act(shop, { intent: "retry", inventoryItemId: "3001", locationId: String(WAREHOUSE) }),
    ).toEqual({
      status: 409,
      body: {
        ok: false,
        error:
          "Item TEE at Harbour warehouse is not in error (it is in sync); only a level in error can be retried.",
        fields: {},
      },
    });
    expect(
      await act(shop, { intent: "retry", inventoryItemId: "9009", locationId: String(WAREHOUSE) }),
    ).toMatchObject({ status: 404, body: { ok: false, error: "This shop has no such inventory level." } });
    expect(await levelOf(other, 9009n, WAREHOUSE)).toMatchObject({ state: "error" });
    expect(await prisma.syncRun.count({ where: { shopId: { in: [shop.id, other.id] } } })).toBe(0);
  });

  it("of every level in error puts them all back to waiting and queues one run for their items; again, there is nothing to retry", async () => {
    const shop = await inventoryShop();
    const other = await inventoryShop();

    const result = await act(shop, { intent: "retryErrors" });

    expect(result.body).toEqual({
      ok: true,
      message:
        "2 levels of 2 items in error are waiting to be sent to Shopify again. Sending stock to Shopify is queued and starts at once; the job list shows its progress.",
    });
    expect((await list(shop)).counts).toEqual({ pending: 3, synced: 1, error: 0, skipped: 1 });
    const runs = await queuedRuns(shop, "sync_inventory");
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ trigger: "manual", filters: { itemNos: "HAT,MUG" } });
    // The other shop's levels in error stay so.
    expect((await list(other)).counts.error).toBe(2);
    expect(await prisma.syncRun.count({ where: { shopId: other.id } })).toBe(0);

    expect(await act(shop, { intent: "retryErrors" })).toMatchObject({
      status: 409,
      body: { ok: false, error: "No level is in error: nothing to retry." },
    });
    expect(await queuedRuns(shop, "sync_inventory")).toHaveLength(1);
  });

  it("refuses malformed forms with a message at the field, changing nothing", async () => {
    const shop = await inventoryShop();
    const malformed: [Record<string, string>, string][] = [
      [{ intent: "retry", inventoryItemId: "", locationId: String(WAREHOUSE) }, "inventoryItemId"],
      [{ intent: "retry", locationId: String(WAREHOUSE) }, "inventoryItemId"],
      [
        { intent: "retry", inventoryItemId: "gid://shopify/InventoryItem/3002", locationId: "1" },
        "inventoryItemId",
      ],
      [{ intent: "retry", inventoryItemId: "3002", locationId: "-1" }, "locationId"],
      [{ intent: "retry", inventoryItemId: "3002", locationId: "9".repeat(20) }, "locationId"],
      [{ intent: "retry", inventoryItemId: "3002" }, "locationId"],
      [{ intent: "delete", inventoryItemId: "3002", locationId: String(WAREHOUSE) }, "intent"],
      [{}, "intent"],
    ];
    for (const [form, field] of malformed) {
      const result = await act(shop, form);
      expect([result.status, typeof result.body.fields?.[field]], JSON.stringify(form)).toEqual([
        400,
        "string",
      ]);
    }
    expect((await list(shop)).counts).toEqual({ pending: 1, synced: 1, error: 2, skipped: 1 });
    expect(await prisma.syncRun.count({ where: { shopId: shop.id } })).toBe(0);
  });
});
