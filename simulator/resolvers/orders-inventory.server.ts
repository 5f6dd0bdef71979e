import type {
  FulfillmentOrderRecord,
  InventoryLevelRecord,
  LineItemRecord,
  OrderRecord,
} from "../state/records.server";
import type { ShopState } from "../state/shop-state.server";
import type { CatalogChanges } from "./catalog-events.server";

/**
 * What an order does to the inventory levels of the tracked items it sells, at the location of
 * the fulfillment order each unit is assigned to:
 * - placed (claiming inventory): units move from available to committed — "Shopify decrements
 *   the available inventory quantity for product variants that are included in an order, and
 *   increments the committed inventory quantity for the order"
 *   (https://shopify.dev/docs/apps/build/orders-fulfillment/inventory-management-apps);
 * - fulfilled: "After the order is fulfilled, Shopify decrements the committed inventory
 *   quantity" (same page); on_hand is "the sum of inventory quantities that are in the
 *   available, committed and unavailable states" (its inventory states), so the units leave on
 *   hand too and available does not move;
 * - cancelled, refunded or edited away before fulfillment: with restock ("Whether to restock
 *   the inventory committed to the order", orderCancel's `restock`; RefundLineItemRestockType
 *   CANCEL "Use this when restocking unfulfilled line items"; orderEditSetQuantity's `restock`)
 *   the committed units go back to available; without it they are not returned to stock, so
 *   they leave committed and on hand (available unchanged);
 * - returned after fulfillment and restocked (RefundLineItemRestockType RETURN, "Use this when
 *   restocking line items that were fulfilled"): the units come back into available and on hand
 *   at the refund line's `locationId` ("The intended location for restocking") or the location
 *   that fulfilled them.
 * Only units the order actually committed are released or fulfilled out of committed
 * (`committedQuantity` on the fulfillment order line): an order placed with inventoryBehaviour
 * BYPASS ("Do not claim inventory", orderCreate's default) moves no inventory when fulfilled or
 * cancelled. Each level moved is recorded in `changes`, which sends inventory_levels/update.
 */

type FulfillmentOrderLine = FulfillmentOrderRecord["lineItems"][number];

/** The tracked inventory item a line sells; null for custom lines, deleted variants and untracked items. */
export function trackedItemId(shop: ShopState, line: LineItemRecord | undefined): number | null {
  const variant = line?.variantId == null ? undefined : shop.variants.get(line.variantId);
  const item = variant ? shop.inventoryItems.get(variant.inventoryItemId) : undefined;
  return item?.tracked ? item.id : null;
}

function levelOf(
  shop: ShopState,
  order: OrderRecord,
  lineItemId: number,
  locationId: number,
): InventoryLevelRecord | undefined {
  const itemId = trackedItemId(
    shop,
    order.lineItems.find((line) => line.id === lineItemId),
  );
  return itemId === null ? undefined : shop.inventoryLevel(itemId, locationId);
}

function moved(level: InventoryLevelRecord, now: Date, changes: CatalogChanges) {
  level.updatedAt = now;
  changes.levelChanged(level);
}

/** Placement: `units` of a fulfillment order line move from available to committed at its location. */
export function commitUnits(
  level: InventoryLevelRecord,
  line: FulfillmentOrderLine,
  units: number,
  now: Date,
  changes: CatalogChanges,
): void {
  if (units <= 0) return;
  level.quantities.available -= units;
  level.quantities.committed += units;
  line.committedQuantity = (line.committedQuantity ?? 0) + units;
  moved(level, now, changes);
}

/** Fulfilled units leave committed and on hand; available does not move. */
export function fulfilCommitted(
  shop: ShopState,
  order: OrderRecord,
  fo: FulfillmentOrderRecord,
  line: FulfillmentOrderLine,
  units: number,
  now: Date,
  changes: CatalogChanges,
): void {
  const take = Math.min(units, line.committedQuantity ?? 0);
  if (take <= 0) return;
  line.committedQuantity = (line.committedQuantity ?? 0) - take;
  const level = levelOf(shop, order, line.lineItemId, fo.assignedLocationId);
  if (!level) return;
  level.quantities.committed -= take;
  level.quantities.on_hand -= take;
  moved(level, now, changes);
}

/**
 * Units of a fulfillment order line that will not be fulfilled (cancelled, refunded, edited
 * away): committed units go back to available when restocked, otherwise out of committed and on
 * hand. Returns how many committed units were released.
 */
export function releaseCommitted(
  shop: ShopState,
  order: OrderRecord,
  fo: FulfillmentOrderRecord,
  line: FulfillmentOrderLine,
  units: number,
  restock: boolean,
  now: Date,
  changes: CatalogChanges,
): number {
  const take = Math.min(units, line.committedQuantity ?? 0);
  if (take <= 0) return 0;
  line.committedQuantity = (line.committedQuantity ?? 0) - take;
  const level = levelOf(shop, order, line.lineItemId, fo.assignedLocationId);
  if (!level) return take;
  level.quantities.committed -= take;
  if (restock) level.quantities.available += take;
  else level.quantities.on_hand -= take;
  moved(level, now, changes);
  return take;
}

/** Releases `units` of an order line's committed units across its open fulfillment orders (edits). */
export function releaseLine(
  shop: ShopState,
  order: OrderRecord,
  lineItemId: number,
  units: number,
  restock: boolean,
  now: Date,
  changes: CatalogChanges,
): void {
  let left = units;
  for (const foId of order.fulfillmentOrderIds) {
    const fo = shop.fulfillmentOrders.get(foId);
    const line = fo?.lineItems.find((candidate) => candidate.lineItemId === lineItemId);
    if (!fo || !line || left <= 0) continue;
    left -= releaseCommitted(shop, order, fo, line, left, restock, now, changes);
  }
}

/** Releases everything an order still has committed (a cancellation). */
export function releaseOrder(
  shop: ShopState,
  order: OrderRecord,
  restock: boolean,
  now: Date,
  changes: CatalogChanges,
): void {
  for (const foId of order.fulfillmentOrderIds) {
    const fo = shop.fulfillmentOrders.get(foId);
    for (const line of fo?.lineItems ?? [])
      releaseCommitted(shop, order, fo!, line, line.committedQuantity ?? 0, restock, now, changes);
  }
}

/**
 * Fulfilled units returned and restocked: back into available and on hand at `locationId`, or
 * at the location of the last successful fulfillment of the line; nothing when the item is not
 * tracked or not stocked there.
 */
export function restockReturned(
  shop: ShopState,
  order: OrderRecord,
  lineItemId: number,
  units: number,
  locationId: number | null,
  now: Date,
  changes: CatalogChanges,
): void {
  if (units <= 0) return;
  let at = locationId;
  if (at === null) {
    for (const id of order.fulfillmentIds) {
      const fulfillment = shop.fulfillments.get(id);
      if (fulfillment?.status === "SUCCESS" && fulfillment.lineItems.some((l) => l.lineItemId === lineItemId))
        at = fulfillment.locationId;
    }
  }
  if (at === null) return;
  const level = levelOf(shop, order, lineItemId, at);
  if (!level) return;
  level.quantities.available += units;
  level.quantities.on_hand += units;
  moved(level, now, changes);
}
