import type { Db } from "../db.server";
import type { Shop, ShopSettings, ShopifyOrder } from "../generated/prisma/client";
import { tileWhere } from "../status/status.server";
import { storedOrderFilters, type OrderFilters } from "../sync/orders/filters.server";
import { matchesFilters } from "../sync/orders/process.server";
import { processOrdersTask, syncOrdersTask } from "../sync/orders/task.server";
import { startFollowUp, type FollowUp } from "./follow-up.server";
import { pageWindow, type Paging } from "./paging";
import { adminOrderUrl } from "./shopify-admin.server";

/**
 * The orders behind two tiles: imported orders with no sales document yet (with the reason
 * each waits), and processed orders that changed in Shopify afterwards (with what changed).
 * Both read with the tiles' own filters.
 */

export const ORDER_VIEWS = ["unprocessed", "changed"] as const;
export type OrderView = (typeof ORDER_VIEWS)[number];

export interface OrderRow {
  id: string;
  name: string;
  createdAt: string;
  total: string;
  currencyCode: string;
  customer: string;
  financialStatus: string;
  state: string;
  /** Why an unprocessed order waits, in full. */
  reason: string;
  /** For changed orders: each change in words. */
  changes: string[];
  documentNo: string | null;
  documentType: string | null;
  cancelled: boolean;
  adminUrl: string;
}

export interface OrderList extends Paging {
  view: OrderView;
  rows: OrderRow[];
}

function customerOf(order: ShopifyOrder): string {
  const billing = order.billingAddress as { name?: string | null } | null;
  return order.email ?? order.phone ?? billing?.name ?? "no customer";
}

function changesOf(order: ShopifyOrder): string[] {
  return Array.isArray(order.changes) ? order.changes.map(String) : [];
}

function describeFilters(filters: OrderFilters): string {
  return Object.entries(filters)
    .map(([key, value]) => `${key.replace(/([A-Z])/g, " $1").toLowerCase()} ${String(value)}`)
    .join(", ");
}

function reasonOf(
  order: ShopifyOrder,
  settings: ShopSettings | null,
  filters: { sync: OrderFilters; process: OrderFilters },
): string {
  if (order.error) return order.error;
  if (!matchesFilters(order, filters.sync))
    return `The Sync orders filters leave this order out (${describeFilters(filters.sync)}): orders that come in by webhook are processed once they match them. Change them on the task's page, or use Process again.`;
  if (!matchesFilters(order, filters.process))
    return `The Process orders filters leave this order out (${describeFilters(filters.process)}); change them on the task's page to process it.`;
  if (settings && !settings.autoProcessOrders)
    return "Imported. Automatic processing is off for this shop, so it waits for Process again.";
  return "Imported; waiting for the next processing run.";
}

/** The filters that keep an imported order from processing: the order sync's and Process orders'. */
async function processFilters(db: Db, shopId: string) {
  const [sync, process] = await Promise.all([
    // Filters a run would refuse are that run's error to show, not a reason here.
    storedOrderFilters(db, shopId, syncOrdersTask.name).catch(() => ({})),
    storedOrderFilters(db, shopId, processOrdersTask.name).catch(() => ({})),
  ]);
  return { sync, process };
}

export async function listOrders(db: Db, shop: Shop, view: OrderView, page = 1): Promise<OrderList> {
  const where =
    view === "changed"
      ? tileWhere.ordersChangedAfterProcessing(shop.id)
      : tileWhere.unprocessedOrders(shop.id);
  const { paging, skip, take } = pageWindow(page, await db.shopifyOrder.count({ where }));
  const [orders, settings, filters] = await Promise.all([
    db.shopifyOrder.findMany({
      where,
      orderBy: [{ shopifyCreatedAt: "asc" }, { name: "asc" }, { id: "asc" }],
      skip,
      take,
    }),
    db.shopSettings.findUnique({ where: { shopId: shop.id } }),
    processFilters(db, shop.id),
  ]);
  return {
    view,
    ...paging,
    rows: orders.map((order) => ({
      id: order.id,
      name: order.name,
      createdAt: order.shopifyCreatedAt.toISOString(),
      total: (order.currentTotalPrice ?? order.totalPrice).toFixed(2),
      currencyCode: order.currencyCode,
      customer: customerOf(order),
      financialStatus: order.financialStatus,
      state: order.state,
      reason: view === "changed" ? "" : reasonOf(order, settings, filters),
      changes: changesOf(order),
      documentNo: order.documentNo,
      documentType: order.documentType,
      cancelled: order.cancelledAt !== null,
      adminUrl: adminOrderUrl(shop.domain, order.shopifyId),
    })),
  };
}

/** Process again: the shop's waiting orders go through processing once more. */
export async function processAgain(db: Db, shop: Shop): Promise<FollowUp> {
  return startFollowUp(db, shop, processOrdersTask);
}
