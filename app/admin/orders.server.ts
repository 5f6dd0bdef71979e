import { salesHeadersOfShopifyOrders, type SalesHeader } from "../backoffice/backoffice.server";
import type { Db } from "../db.server";
import type { Shop, ShopSettings, ShopifyOrder } from "../generated/prisma/client";
import { tileWhere } from "../status/status.server";
import {
  adjustDocument,
  closeDocument,
  confirmChanges,
  OrderActionRefused,
} from "../sync/orders/changes.server";
import { describeFilterValues } from "../sync/kit/filters";
import {
  orderFilterSpec,
  processFilterSpec,
  storedOrderFilters,
  storedProcessFilters,
  type OrderFilters,
  type ProcessFilters,
} from "../sync/orders/filters.server";
import { matchesFilters } from "../sync/orders/process.server";
import { cancelledHoldReason } from "../sync/orders/stage.server";
import { processOrdersTask, syncOrdersTask } from "../sync/orders/task.server";
import { startFollowUp, type FollowUp } from "./follow-up.server";
import { pageWindow, type Paging } from "./paging";
import { Refusal } from "./refusal.server";
import { adminOrderUrl } from "./shopify-admin.server";
import { formatInZone, shopTimeZone } from "./time-zone";

/**
 * The orders behind two tiles: imported orders with no sales document yet (with the reason
 * each waits), and processed orders that changed in Shopify afterwards (with what changed and
 * what can be done: confirm, adjust the document, or close it when the order was cancelled).
 * Both read with the tiles' own filters. A third view lists every processed order with its
 * document and whether it may be posted.
 */

export const ORDER_VIEWS = ["unprocessed", "changed", "processed"] as const;
export type OrderView = (typeof ORDER_VIEWS)[number];

export const ORDER_ACTIONS = ["confirm", "adjust", "close"] as const;
export type OrderAction = (typeof ORDER_ACTIONS)[number];

export interface OrderRow {
  id: string;
  name: string;
  createdAt: string;
  total: string;
  currencyCode: string;
  customer: string;
  /** Processed orders: the document's back-office customer and how processing found it. */
  customerNo: string | null;
  customerFoundBy: string | null;
  financialStatus: string;
  state: string;
  /** Why an unprocessed order waits, in full. */
  reason: string;
  /** For changed orders: each change in words. */
  changes: string[];
  documentNo: string | null;
  documentType: string | null;
  /** The document's status (open, released, posted, closed) and why posting waits, if it does. */
  documentStatus: string | null;
  /** Why posting waits, in words, its times in the shop's zone (null when it may be posted). */
  onHold: string | null;
  /** Who confirmed the changes and when: the document may then be posted as it is. */
  confirmedBy: string | null;
  confirmedAt: string | null;
  /** What a person can do about the order here. */
  actions: OrderAction[];
  cancelled: boolean;
  adminUrl: string;
}

export interface OrderList extends Paging {
  view: OrderView;
  rows: OrderRow[];
}

export function customerOf(order: ShopifyOrder): string {
  const billing = order.billingAddress as { name?: string | null } | null;
  return order.email ?? order.phone ?? billing?.name ?? "no customer";
}

export function changesOf(order: ShopifyOrder): string[] {
  return Array.isArray(order.changes) ? order.changes.map(String) : [];
}

export interface WaitFilters {
  sync: OrderFilters;
  process: ProcessFilters;
}

/** Why an imported order has no sales document yet, in full (the orders list and the order block). */
export function reasonOf(order: ShopifyOrder, settings: ShopSettings | null, filters: WaitFilters): string {
  if (order.error) return order.error;
  if (!matchesFilters(order, filters.sync))
    return `The Sync orders filters leave this order out (${describeFilterValues(orderFilterSpec.fields, filters.sync)}): orders that come in by webhook are processed once they match them. Change them on the task's page, or use Process again.`;
  if (!matchesFilters(order, filters.process))
    return `The Process orders filters leave this order out (${describeFilterValues(processFilterSpec.fields, filters.process)}); change them on the task's page to process it.`;
  if (settings && !settings.autoProcessOrders)
    return "Imported. Automatic processing is off for this shop, so it waits for Process again.";
  return "Imported; waiting for the next processing run.";
}

/** The filters that keep an imported order from processing: the order sync's and Process orders'. */
export async function processFilters(db: Db, shopId: string): Promise<WaitFilters> {
  const [sync, process] = await Promise.all([
    // Filters a run would refuse are that run's error to show, not a reason here.
    storedOrderFilters(db, shopId, syncOrdersTask.name).catch(() => ({})),
    storedProcessFilters(db, shopId, processOrdersTask.name).catch(() => ({})),
  ]);
  return { sync, process };
}

/** What can be done about a processed order here, by its state and its document's. */
export function actionsOf(order: ShopifyOrder, header: SalesHeader | undefined): OrderAction[] {
  if (order.state !== "processed" || !header || header.status === "posted" || header.status === "closed")
    return [];
  if (order.cancelledAt) return ["close"];
  if (!order.changedAfterProcessing) return [];
  const actions: OrderAction[] = [];
  if (!order.changeConfirmedAt) actions.push("confirm");
  actions.push("adjust");
  return actions;
}

/**
 * Why the document waits, as the page says it. A cancelled order's hold is told from the facts,
 * the order's name and when it was cancelled, in the shop's time: reasons the back office kept
 * before (with a UTC time in their text) read the same way. Any other hold is the back
 * office's reason as it stands.
 */
export function holdOf(
  order: Pick<ShopifyOrder, "name" | "cancelledAt">,
  header: Pick<SalesHeader, "onHold" | "onHoldReason"> | undefined,
  timeZone: string,
): string | null {
  if (!header?.onHold) return null;
  if (header.onHold === "CANCELLED" && order.cancelledAt)
    return cancelledHoldReason(order.name, formatInZone(order.cancelledAt, timeZone));
  return header.onHoldReason ?? header.onHold;
}

const WHERE = {
  unprocessed: tileWhere.unprocessedOrders,
  changed: tileWhere.ordersChangedAfterProcessing,
  processed: (shopId: string) => ({ shopId, state: "processed" }),
} as const;

export async function listOrders(db: Db, shop: Shop, view: OrderView, page = 1): Promise<OrderList> {
  const where = WHERE[view](shop.id);
  const { paging, skip, take } = pageWindow(page, await db.shopifyOrder.count({ where }));
  const [orders, settings, filters] = await Promise.all([
    db.shopifyOrder.findMany({
      where,
      orderBy:
        view === "processed"
          ? [{ processedAt: "desc" }, { id: "asc" }]
          : [{ shopifyCreatedAt: "asc" }, { name: "asc" }, { id: "asc" }],
      skip,
      take,
    }),
    db.shopSettings.findUnique({ where: { shopId: shop.id } }),
    processFilters(db, shop.id),
  ]);
  const headers = await salesHeadersOfShopifyOrders(
    db,
    shop.id,
    orders.filter((order) => order.documentNo).map((order) => order.shopifyId),
  );
  const timeZone = shopTimeZone(shop);
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
      customerNo: headers.get(order.shopifyId)?.customerNo ?? null,
      customerFoundBy: order.customerFoundBy,
      financialStatus: order.financialStatus,
      state: order.state,
      reason: view === "unprocessed" ? reasonOf(order, settings, filters) : "",
      changes: changesOf(order),
      documentNo: order.documentNo,
      documentType: order.documentType,
      documentStatus: headers.get(order.shopifyId)?.status ?? null,
      onHold: holdOf(order, headers.get(order.shopifyId), timeZone),
      confirmedBy: order.changeConfirmedBy,
      confirmedAt: order.changeConfirmedAt?.toISOString() ?? null,
      actions: actionsOf(order, headers.get(order.shopifyId)),
      cancelled: order.cancelledAt !== null,
      adminUrl: adminOrderUrl(shop.domain, order.shopifyId),
    })),
  };
}

/**
 * A person's action on a processed order from the list: confirm its changes, adjust its
 * document, or close the document of a cancelled order. Recorded with who did it.
 */
export async function actOnOrder(
  db: Db,
  shop: Shop,
  action: OrderAction,
  orderId: string,
  user: string,
): Promise<string> {
  try {
    if (action === "confirm") {
      const order = await confirmChanges(db, shop, orderId, user);
      return `The changes of ${order.name} are confirmed: its document ${order.documentNo} may be posted as it is.`;
    }
    if (action === "adjust") {
      const order = await adjustDocument(db, shop, orderId);
      return `Document ${order.documentNo} is now ${order.name} as it stands in Shopify.`;
    }
    const order = await closeDocument(db, shop, orderId, user);
    return `Document ${order.documentNo} is closed; nothing more will be posted from it.`;
  } catch (error) {
    if (error instanceof OrderActionRefused) throw new Refusal(error.message, error.status);
    throw error;
  }
}

/** Process again: the shop's waiting orders go through processing once more. */
export async function processAgain(db: Db, shop: Shop): Promise<FollowUp> {
  return startFollowUp(db, shop, processOrdersTask);
}
