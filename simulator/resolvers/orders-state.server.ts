import { numericId, type ShopState } from "../state/shop-state.server";
import type { LineItemRecord, OrderRecord } from "../state/records.server";
import { financialStatusFor } from "./orders-money.server";

/**
 * Facts derived from an order's records that several views, mutations and webhook payloads
 * need alike: quantities fulfilled per line, the display statuses, and lookups by GID.
 */

export function findOrder(shop: ShopState, id: unknown): OrderRecord | undefined {
  const numeric = numericId(id, "Order");
  return numeric === null ? undefined : shop.orders.get(numeric);
}

export function fulfilledQuantities(shop: ShopState, order: OrderRecord): Map<number, number> {
  const quantities = new Map<number, number>();
  for (const fulfillmentId of order.fulfillmentIds) {
    const fulfillment = shop.fulfillments.get(fulfillmentId);
    if (!fulfillment || fulfillment.status !== "SUCCESS") continue;
    for (const line of fulfillment.lineItems)
      quantities.set(line.lineItemId, (quantities.get(line.lineItemId) ?? 0) + line.quantity);
  }
  return quantities;
}

export function unfulfilledQuantity(line: LineItemRecord, fulfilled: Map<number, number>): number {
  return Math.max(0, line.currentQuantity - (fulfilled.get(line.id) ?? 0));
}

/**
 * OrderDisplayFulfillmentStatus from what is fulfilled against what is still ordered
 * (https://shopify.dev/docs/api/admin-graphql/2026-07/enums/OrderDisplayFulfillmentStatus).
 */
export function fulfillmentStatusFor(
  shop: ShopState,
  order: OrderRecord,
): OrderRecord["displayFulfillmentStatus"] {
  const fulfilled = fulfilledQuantities(shop, order);
  let done = 0;
  let open = 0;
  for (const line of order.lineItems) {
    done += Math.min(fulfilled.get(line.id) ?? 0, line.currentQuantity);
    open += unfulfilledQuantity(line, fulfilled);
  }
  if (done === 0) return "UNFULFILLED";
  return open === 0 ? "FULFILLED" : "PARTIALLY_FULFILLED";
}

/** Recomputes the statuses after a change and stamps updatedAt. */
export function refreshOrder(
  shop: ShopState,
  order: OrderRecord,
  now: Date,
  options: { financial?: boolean } = {},
) {
  order.displayFulfillmentStatus = fulfillmentStatusFor(shop, order);
  if (options.financial) order.displayFinancialStatus = financialStatusFor(order);
  // updatedAt never goes backwards, and two changes in one millisecond still order.
  order.updatedAt = new Date(Math.max(now.getTime(), order.updatedAt.getTime() + 1));
}

/**
 * Shopify archives (closes) an order by itself once all its items are fulfilled and its
 * payments complete (Order.closedAt: "Shopify automatically records this timestamp when all
 * items have been fulfilled or canceled, and all financial transactions are complete" — the
 * default "automatically archive" setting). Called where an order can become settled.
 */
export function autoArchive(order: OrderRecord, now: Date): void {
  if (order.closedAt || order.cancelledAt || order.displayFulfillmentStatus !== "FULFILLED") return;
  if (["PAID", "PARTIALLY_REFUNDED", "REFUNDED"].includes(order.displayFinancialStatus)) order.closedAt = now;
}

/** A stable confirmation number derived from the id (Shopify's are random, 9 characters). */
export function confirmationNumber(id: number): string {
  return (id * 2_654_435_761).toString(36).toUpperCase().slice(-9).padStart(9, "X");
}

/** Shopify's access token for the order status page, derived from the id so it is stable. */
export function orderToken(id: number): string {
  return ((id * 40_503) % 0xffffffff).toString(16).padStart(8, "0") + id.toString(16).padStart(24, "0");
}

export function lineItemName(line: LineItemRecord): string {
  return line.variantTitle ? `${line.title} - ${line.variantTitle}` : line.title;
}
