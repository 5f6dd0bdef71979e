import { shipmentStockLines, stockPositions } from "../../backoffice/backoffice.server";
import type { Db } from "../../db.server";
import { collectChanges } from "../kit/outbound.server";
import { SHIPMENT_FEED } from "../shipments/sync.server";

/**
 * What Shopify's on hand should be, per inventory item and Shopify location, by the README's
 * quantity model ("Inventory: the quantity model"): for a location whose stock calculation is
 * "from the back office", the sum over the back-office locations that feed it of their on hand,
 * less what the back office's own sales orders have promised, plus what was shipped from them
 * for Shopify orders whose fulfillment Shopify has not received yet. Shopify subtracts its own
 * committed units from it; a Shopify order's reservation in the back office is therefore not
 * subtracted here. Never below zero.
 */

export interface LevelTarget {
  inventoryItemId: bigint;
  locationId: bigint;
  itemNo: string;
  /** "" for the item without a variant. */
  variantCode: string;
  onHand: number;
  /** The terms it was worked out from, summed over the feeding locations. */
  parts: { onHand: number; reservedByOwnOrders: number; shippedNotFulfilled: number };
}

/** The Shopify locations whose on hand the back office works out (the Locations page). */
export const FED = { stockCalculation: "back_office", deletedAt: null, isActive: true } as const;

const positionKey = (itemNo: string, variantCode: string, locationCode: string) =>
  JSON.stringify([itemNo, variantCode, locationCode]);

/**
 * The targets of every linked variant of these items (every item when null) at every Shopify
 * location the back office feeds, in a stable order (location, inventory item).
 */
export async function levelTargets(
  db: Db,
  shopId: string,
  itemNos: string[] | null,
  locationIds: bigint[] | null = null,
): Promise<LevelTarget[]> {
  const [locations, links] = await Promise.all([
    db.shopifyLocation.findMany({
      where: {
        shopId,
        ...FED,
        ...(locationIds ? { shopifyId: { in: locationIds } } : {}),
      },
      include: { sources: true },
      orderBy: { shopifyId: "asc" },
    }),
    db.shopifyVariantMap.findMany({
      where: {
        shopId,
        itemNo: itemNos ? { in: itemNos } : { not: null },
        inventoryItemShopifyId: { not: null },
        // A variant deleted in Shopify (its link gone) has no level left to set.
        goneAt: null,
      },
      orderBy: { inventoryItemShopifyId: "asc" },
    }),
  ]);
  if (locations.length === 0 || links.length === 0) return [];
  const items = itemNos ?? [...new Set(links.map((link) => link.itemNo!))];
  const positions = new Map<string, { onHand: number; reserved: number; unsent: number }>();
  const position = (itemNo: string, variantCode: string, locationCode: string) => {
    const key = positionKey(itemNo, variantCode, locationCode);
    let found = positions.get(key);
    if (!found) positions.set(key, (found = { onHand: 0, reserved: 0, unsent: 0 }));
    return found;
  };
  for (const row of await stockPositions(db, shopId, items)) {
    const at = position(row.itemNo, row.variantCode, row.locationCode);
    at.onHand += row.onHand;
    at.reserved += row.reservedByOwnOrders;
  }
  for (const line of await unsentShipmentLines(db, shopId))
    position(line.itemNo, line.variantCode, line.locationCode).unsent += line.quantity;

  const targets: LevelTarget[] = [];
  for (const location of locations)
    for (const link of links) {
      const variantCode = link.variantCode ?? "";
      const parts = { onHand: 0, reservedByOwnOrders: 0, shippedNotFulfilled: 0 };
      for (const source of location.sources) {
        const at = positions.get(positionKey(link.itemNo!, variantCode, source.locationCode));
        if (!at) continue;
        parts.onHand += at.onHand;
        parts.reservedByOwnOrders += at.reserved;
        parts.shippedNotFulfilled += at.unsent;
      }
      targets.push({
        inventoryItemId: link.inventoryItemShopifyId!,
        locationId: location.shopifyId,
        itemNo: link.itemNo!,
        variantCode,
        onHand: Math.max(0, parts.onHand - parts.reservedByOwnOrders + parts.shippedNotFulfilled),
        parts,
      });
    }
  return targets;
}

/**
 * Lines of shipments posted for Shopify orders that Shopify has not received as fulfillments
 * yet: the shipment sync's records still waiting or failed (its feed read first, so a shipment
 * just posted has its record). Shipments of other orders, and those posted from an invoice
 * (Shopify had fulfilled them before), are skipped by that feed.
 */
async function unsentShipmentLines(db: Db, shopId: string) {
  await collectChanges(db, shopId, SHIPMENT_FEED);
  const waiting = await db.syncRecord.findMany({
    where: { shopId, task: SHIPMENT_FEED.task, state: { in: ["pending", "error"] }, shopifyId: null },
    select: { recordKey: true },
  });
  return shipmentStockLines(
    db,
    shopId,
    waiting.map((record) => record.recordKey),
  );
}
