import { describe, expect, it } from "vitest";
import { changesSince, createSalesDocument, stockAt } from "../../app/backoffice/backoffice.server";
import prisma from "../../app/db.server";
import { itemLine, shopifyDocument, stockedShop } from "../kit/backoffice";
import { cli } from "../support/cli";

/**
 * `adjust <item no> --location --quantity`: a stock adjustment in the back office, an entry of
 * its own that the inventory sync follows (a "stock" change of the item in the feed); refused
 * whole, changing nothing, when it cannot be done. `adjust <document no>` stays the document's.
 */

describe("npm run cli -- adjust <item no>", () => {
  it("adds or removes units at a location, as an adjustment entry the inventory sync sees", async () => {
    const { shop } = await stockedShop();
    const { snapshot } = await changesSince(prisma, shop.id, "stock", null);

    const added = await cli(
      "adjust",
      "TEE",
      "--shop",
      shop.domain,
      "--location",
      "MAIN",
      "--quantity",
      "5",
      "--json",
    );
    expect([added.code, added.stderr]).toEqual([0, ""]);
    expect(JSON.parse(added.stdout)).toEqual({
      itemNo: "TEE",
      variantCode: null,
      locationCode: "MAIN",
      quantity: 5,
      documentNo: "ADJ00001",
      onHand: 15,
    });
    const removed = await cli(
      "adjust",
      "MUG",
      "--shop",
      shop.domain,
      "--location",
      "MAIN",
      "--variant",
      "RED",
      // A negative quantity goes with "=" (as for any value starting with a dash).
      "--quantity=-2",
    );
    expect(removed).toMatchObject({ code: 0, stdout: "MUG variant RED at MAIN: -2 (ADJ00002), 3 on hand" });

    const entries = await prisma.boStockEntry.findMany({
      where: { shopId: shop.id, entryType: "adjustment" },
      orderBy: { documentNo: "asc" },
    });
    expect(entries.map((entry) => [entry.itemNo, entry.variantCode, entry.quantity])).toEqual([
      ["TEE", "", 5],
      ["MUG", "RED", -2],
    ]);
    const { changes } = await changesSince(prisma, shop.id, "stock", snapshot);
    expect(changes.map((change) => change.key).sort()).toEqual(["MUG", "TEE"]);
  });

  it("refuses what cannot be done, whole, and changes nothing", async () => {
    const { shop } = await stockedShop();
    const before = await prisma.boStockEntry.count({ where: { shopId: shop.id } });
    const adjust = (...args: string[]) => cli("adjust", ...args, "--shop", shop.domain);

    expect(await adjust("TEE", "--location", "MAIN", "--quantity=-11")).toMatchObject({
      code: 1,
      stderr: "error: TEE at MAIN: 10 on hand, 11 cannot be removed",
    });
    expect(await adjust("NOPE", "--location", "MAIN", "--quantity", "1")).toMatchObject({
      code: 1,
      stderr: "error: item NOPE does not exist",
    });
    expect(await adjust("TEE", "--location", "ATTIC", "--quantity", "1")).toMatchObject({
      stderr: "error: location ATTIC does not exist",
    });
    expect(await adjust("MUG", "--location", "MAIN", "--quantity", "1")).toMatchObject({
      stderr: "error: item MUG has variants: say which one (--variant)",
    });
    expect((await adjust("TEE", "--location", "MAIN", "--quantity", "0")).code).toBe(2);
    expect((await adjust("TEE", "--location", "MAIN", "--quantity", "1.5")).code).toBe(2);
    expect((await adjust("TEE", "--quantity", "3")).code).toBe(2);

    expect(await prisma.boStockEntry.count({ where: { shopId: shop.id } })).toBe(before);
    expect(await stockAt(prisma, shop.id, { itemNo: "TEE", locationCode: "MAIN" })).toBe(10);
  });

  it("feeds a stock change when the back office's own order promises units, not when a Shopify order's does", async () => {
    const { shop, customer } = await stockedShop();
    const { snapshot } = await changesSince(prisma, shop.id, "stock", null);
    await shopifyDocument(shop.id, customer.no, [itemLine("TEE", 1, "25.00")]);
    expect((await changesSince(prisma, shop.id, "stock", snapshot)).changes).toEqual([]);

    await createSalesDocument(prisma, shop.id, {
      documentType: "order",
      customerNo: customer.no,
      orderDate: new Date("2026-11-21T09:00:00Z"),
      currencyCode: "EUR",
      lines: [itemLine("MUG", 2, "20.00")],
    });
    expect((await changesSince(prisma, shop.id, "stock", snapshot)).changes.map((c) => c.key)).toEqual([
      "MUG",
    ]);
  });
});

describe("npm run cli -- inventory", () => {
  it("lists each item at each fed Shopify location with its target, Shopify's quantities and state", async () => {
    const { shop } = await stockedShop();
    await prisma.shopifyLocation.create({
      data: {
        shopId: shop.id,
        shopifyId: 7101n,
        name: "Shop floor",
        isActive: true,
        fulfillsOnlineOrders: true,
        stockCalculation: "back_office",
        readAt: new Date(),
      },
    });
    await prisma.inventoryLevel.create({
      data: {
        shopId: shop.id,
        inventoryItemId: 9101n,
        locationId: 7101n,
        itemNo: "TEE",
        target: 10,
        targetParts: { onHand: 10, reservedByOwnOrders: 0, shippedNotFulfilled: 0 },
        shopifyOnHand: 8,
        shopifyAvailable: 6,
        shopifyCommitted: 2,
        state: "error",
        message: "Shopify: The specified location could not be found.",
        attempts: 1,
      },
    });
    const listed = await cli("inventory", "--shop", shop.domain, "--json");
    expect([listed.code, listed.stderr]).toEqual([0, ""]);
    expect(JSON.parse(listed.stdout)).toMatchObject([
      {
        itemNo: "TEE",
        locationName: "Shop floor",
        target: 10,
        targetWords: "on hand 10 − own orders 0 + shipped not yet fulfilled 0",
        shopify: { onHand: 8, committed: 2, available: 6 },
        state: "error",
        message: "Shopify: The specified location could not be found.",
      },
    ]);
    const refused = await cli("inventory", "--shop", shop.domain, "--state", "exploded");
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("--state");
  });
});
