import { describe, expect, it } from "vitest";
import {
  createSalesDocument,
  ensureLocation,
  postOpeningStock,
  postSalesOrder,
} from "../../app/backoffice/backoffice.server";
import prisma from "../../app/db.server";
import { levelTargets } from "../../app/sync/inventory/targets.server";
import { SHIPMENT_FEED } from "../../app/sync/shipments/sync.server";
import { itemLine, shopifyDocument, stockedShop } from "../kit/backoffice";

/**
 * The quantity model (README, "Inventory: the quantity model") against real Postgres: the on
 * hand the inventory sync would set in Shopify, for a location fed by two back-office
 * locations, as an order goes through its states; the back office's own orders; a location
 * whose calculation is off.
 */

const SHOP_FLOOR = 7001n;
const OUTLET = 7002n;

async function modelShop() {
  const { shop, customer } = await stockedShop();
  await ensureLocation(prisma, shop.id, { code: "BACK", name: "Back room" });
  await postOpeningStock(prisma, shop.id, [{ itemNo: "TEE", locationCode: "BACK", quantity: 4 }], "OPEN-2");
  const readAt = new Date();
  for (const [shopifyId, name, stockCalculation, sources] of [
    [SHOP_FLOOR, "Shop floor", "back_office", ["MAIN", "BACK"]],
    [OUTLET, "Outlet", "off", ["MAIN"]],
  ] as const)
    await prisma.shopifyLocation.create({
      data: {
        shopId: shop.id,
        shopifyId,
        name,
        isActive: true,
        fulfillsOnlineOrders: true,
        readAt,
        stockCalculation,
        sources: { create: sources.map((locationCode) => ({ locationCode })) },
      },
    });
  // The tee's Shopify variant and inventory item, as the products sync links them.
  await prisma.shopifyVariantMap.create({
    data: {
      shopId: shop.id,
      variantShopifyId: 801n,
      productShopifyId: 800n,
      inventoryItemShopifyId: 901n,
      sku: "TEE",
      title: "Merino Tee",
      itemNo: "TEE",
      linkedBy: "export",
    },
  });
  const tee = async () => {
    const targets = await levelTargets(prisma, shop.id, null);
    expect(targets.map((target) => target.locationId)).toEqual([SHOP_FLOOR]);
    return targets[0]!;
  };
  return { shop, customer, tee };
}

describe("the on hand the inventory sync sets in Shopify", () => {
  it("counts a Shopify order's units once in each of its states", async () => {
    const { shop, customer, tee } = await modelShop();
    // MAIN 10 + BACK 4; Shopify's committed takes care of its orders placed and not imported.
    expect(await tee()).toMatchObject({
      inventoryItemId: 901n,
      itemNo: "TEE",
      variantCode: "",
      onHand: 14,
      parts: { onHand: 14, reservedByOwnOrders: 0, shippedNotFulfilled: 0 },
    });

    // Imported: its sales order reserves 3, which Shopify's committed counts already.
    const order = await shopifyDocument(shop.id, customer.no, [
      { ...itemLine("TEE", 3, "75.00"), locationCode: "MAIN" },
    ]);
    expect((await tee()).onHand).toBe(14);

    // Shipped in the back office, its fulfillment not yet in Shopify: on hand 11, 3 in transit.
    const { shipmentNo } = await postSalesOrder(prisma, shop.id, order.no, { ship: true, invoice: false });
    expect(await tee()).toMatchObject({
      onHand: 14,
      parts: { onHand: 11, reservedByOwnOrders: 0, shippedNotFulfilled: 3 },
    });
    const record = await prisma.syncRecord.findUniqueOrThrow({
      where: { shopId_task_recordKey: { shopId: shop.id, task: SHIPMENT_FEED.task, recordKey: shipmentNo! } },
    });
    expect(record.state).toBe("pending");

    // Shopify has the fulfillment (the shipment sync sent it): its on hand went down by 3 itself.
    await prisma.syncRecord.update({
      where: { id: record.id },
      data: { state: "synced", shopifyId: "gid://shopify/Fulfillment/1" },
    });
    expect(await tee()).toMatchObject({ onHand: 11, parts: { shippedNotFulfilled: 0 } });
  });

  it("takes the back office's own orders out as soon as they promise units, and keeps them out once shipped", async () => {
    const { shop, customer, tee } = await modelShop();
    const own = await createSalesDocument(prisma, shop.id, {
      documentType: "order",
      customerNo: customer.no,
      orderDate: new Date("2026-11-21T09:00:00Z"),
      currencyCode: "EUR",
      // No location: posting ships it from the first location, MAIN, and it is reserved there.
      lines: [itemLine("TEE", 5, "125.00")],
    });
    expect(await tee()).toMatchObject({ onHand: 9, parts: { onHand: 14, reservedByOwnOrders: 5 } });

    await postSalesOrder(prisma, shop.id, own.no, { ship: true, invoice: false });
    // Not a Shopify order: its shipment is never sent, so nothing is in transit.
    expect(await tee()).toMatchObject({
      onHand: 9,
      parts: { onHand: 9, reservedByOwnOrders: 0, shippedNotFulfilled: 0 },
    });
  });

  it("never asks for less than nothing, and leaves a location whose calculation is off alone", async () => {
    const { shop, customer, tee } = await modelShop();
    await createSalesDocument(prisma, shop.id, {
      documentType: "order",
      customerNo: customer.no,
      orderDate: new Date("2026-11-21T09:00:00Z"),
      currencyCode: "EUR",
      lines: [{ ...itemLine("TEE", 20, "500.00"), locationCode: "BACK" }],
    });
    // 14 on hand, 20 promised by the back office: Shopify sells none (the outlet is not asked).
    expect(await tee()).toMatchObject({ onHand: 0, parts: { onHand: 14, reservedByOwnOrders: 20 } });
  });
});
