import type { SyncContext } from "../../jobs/sync-task.server";
import { CountedPages, ReadWindow } from "../kit/incremental.server";
import { RecordLoop, type RecordResult } from "../kit/records.server";
import type { AdminClient } from "../../shopify/admin-client.server";
import type { DataOf } from "../../shopify/operation.server";
import { bulkImport, importOrdersInBulk } from "./bulk-import.server";
import { cursorKey, filterTerms, type OrderFilters } from "./filters.server";
import {
  ORDER_CURRENT,
  ORDER_FULFILLMENT_LINES,
  ORDER_FULFILLMENT_ORDERS_MAX_PAGE,
  ORDER_LINES,
  ORDER_LINES_MAX_PAGE,
  ORDER_PURCHASING,
  ORDER_SHIPPING_LINES,
  ORDER_SHIPPING_LINES_MAX_PAGE,
  ORDER_TIP_LINES,
  ORDER_STAMPS,
  ORDER_STAMPS_PER_PAGE,
  ORDERS_BY_ID,
  ORDERS_COUNT,
  ORDERS_PAGE,
  ORDERS_PER_PAGE,
  type OrderCurrentNode,
  type OrderLineNode,
  type OrderNode,
  type OrderStampNode,
  type ShippingLineNode,
} from "./operations.server";
import { numericId } from "../../shopify/ids.server";
import { STAGED_STAMP, stagedIsCurrent, stageOrder, type OrderRead, type StageOutcome } from "./stage.server";

/**
 * Imports the orders that changed since the shop's cursor into staging. The cursor is the time
 * taken before the read; staging is idempotent, so reading an order twice is harmless, and the
 * scheduled run of the same task re-reads a window (below) to pick up what webhooks missed:
 * by id and update time first (a point per order), then in full only the orders that are not
 * staged or changed since. The first run imports the open orders. One order that cannot be
 * staged is recorded with its error and the cursor stays before it, so the next run tries it
 * again; the others go on.
 */

const TASK = "sync_orders";

async function allLines(client: AdminClient, node: OrderNode): Promise<OrderLineNode[]> {
  const lines = [...node.lineItems.nodes];
  let page = node.lineItems.pageInfo;
  while (page.hasNextPage) {
    // Every line has a quantity of at least 1, so no more lines are left than units unread
    // (should Shopify's sum leave some lines out, the bound is spent and full pages follow).
    const unread = node.subtotalLineItemsQuantity - lines.reduce((sum, line) => sum + line.quantity, 0);
    const first = unread > 0 ? Math.min(ORDER_LINES_MAX_PAGE, unread) : ORDER_LINES_MAX_PAGE;
    const more = await client.request(ORDER_LINES, { id: node.id, first, after: page.endCursor });
    if (!more.order) break;
    lines.push(...more.order.lineItems.nodes.filter((line) => !lines.some((known) => known.id === line.id)));
    page = more.order.lineItems.pageInfo;
  }
  return lines;
}

/** Shipping lines past the page's first ones: an order has few, so they come 10 at a time. */
async function allShippingLines(client: AdminClient, node: OrderNode): Promise<ShippingLineNode[]> {
  const lines = [...node.shippingLines.nodes];
  let page = node.shippingLines.pageInfo;
  while (page.hasNextPage) {
    const more = await client.request(ORDER_SHIPPING_LINES, {
      id: node.id,
      first: ORDER_SHIPPING_LINES_MAX_PAGE,
      after: page.endCursor,
    });
    if (!more.order) break;
    lines.push(
      ...more.order.shippingLines.nodes.filter((line) => !lines.some((known) => known.id === line.id)),
    );
    page = more.order.shippingLines.pageInfo;
  }
  return lines;
}

/**
 * Whether the order needs ORDER_CURRENT: Shopify says units were removed (edits, refunds) or
 * the order was edited, so that a line's discounts and taxes no longer say what remains; or
 * the customer paid in another currency, whose totals the document keeps beside the shop's.
 */
export function needsCurrent(node: OrderNode, lines: OrderLineNode[]): boolean {
  return (
    node.edited ||
    node.currentSubtotalLineItemsQuantity !== node.subtotalLineItemsQuantity ||
    lines.some((line) => line.currentQuantity !== line.quantity) ||
    node.presentmentCurrencyCode !== node.currencyCode
  );
}

/**
 * The order as it stands after removed units: its current totals and tax lines, and the unit
 * price after all discounts of each line that lost units (the lines up to the last of those,
 * since a connection is read from its start).
 */
async function currentOf(
  client: AdminClient,
  node: OrderNode,
  lines: OrderLineNode[],
): Promise<OrderRead["current"]> {
  if (!needsCurrent(node, lines)) return null;
  const lastChanged = lines.findLastIndex((line) => line.currentQuantity !== line.quantity);
  let wanted = lastChanged + 1;
  const unitPricesAfterDiscounts = new Map<string, string>();
  let after: string | null = null;
  let totals: Omit<OrderCurrentNode, "lineItems"> | null = null;
  do {
    const answer: DataOf<typeof ORDER_CURRENT> = await client.request(ORDER_CURRENT, {
      id: node.id,
      lines: Math.min(ORDER_LINES_MAX_PAGE, wanted),
      after,
    });
    if (!answer.order) throw new Error(`order ${node.name} is gone from Shopify`);
    const { lineItems, ...rest }: OrderCurrentNode = answer.order;
    totals ??= rest;
    for (const line of lineItems.nodes)
      unitPricesAfterDiscounts.set(line.id, line.discountedUnitPriceAfterAllDiscountsSet.shopMoney.amount);
    wanted -= lineItems.nodes.length;
    after = lineItems.pageInfo.hasNextPage ? lineItems.pageInfo.endCursor : null;
  } while (wanted > 0 && after);
  return { ...totals, unitPricesAfterDiscounts };
}

/** The ids of the order's tip lines, when it has a tip (the TIP sales of its placement). */
export async function tipLinesOf(
  client: AdminClient,
  node: OrderNode,
  lines: OrderLineNode[],
  shippingLines: ShippingLineNode[],
): Promise<Set<string>> {
  if (!(Number(node.totalTipReceived.amount) > 0)) return new Set();
  const { order } = await client.request(ORDER_TIP_LINES, {
    id: node.id,
    sales: Math.min(ORDER_LINES_MAX_PAGE, lines.length + shippingLines.length),
  });
  return new Set(
    (order?.agreements.nodes ?? []).flatMap((agreement) =>
      agreement.sales.nodes.flatMap((sale) =>
        sale.lineType === "TIP" && sale.lineItem ? [sale.lineItem.id] : [],
      ),
    ),
  );
}

/**
 * The Shopify location each line is fulfilled from: its fulfillment order's assigned location.
 * With one fulfillment order (what the page says of most orders) every line Shopify fulfils is
 * in it, so all but the tip lines (never fulfilled) are there; with more, which line is in which
 * is read (ORDER_FULFILLMENT_LINES). A line split over several takes the first that lists it; a
 * fulfillment order whose location was deleted gives its lines none.
 */
export async function lineLocationsOf(
  client: AdminClient,
  node: OrderNode,
  lines: OrderLineNode[],
  tipLineIds: Set<string>,
): Promise<Map<string, bigint>> {
  const locations = new Map<string, bigint>();
  const fulfilled = lines.filter((line) => !tipLineIds.has(line.id));
  if (fulfilled.length === 0) return locations;
  if (!node.fulfillmentOrders.pageInfo.hasNextPage) {
    const only = node.fulfillmentOrders.nodes[0]?.assignedLocation.location;
    if (only) for (const line of fulfilled) locations.set(line.id, numericId(only.id));
    return locations;
  }
  let after: string | null = null;
  do {
    const answer: DataOf<typeof ORDER_FULFILLMENT_LINES> = await client.request(ORDER_FULFILLMENT_LINES, {
      id: node.id,
      // Each fulfillment order holds at least one line: no more of them than lines, most often.
      first: Math.min(ORDER_FULFILLMENT_ORDERS_MAX_PAGE, Math.max(2, fulfilled.length)),
      lines: Math.min(ORDER_LINES_MAX_PAGE, fulfilled.length),
      after,
    });
    if (!answer.order) throw new Error(`order ${node.name} is gone from Shopify`);
    const { nodes, pageInfo } = answer.order.fulfillmentOrders;
    for (const fulfillmentOrder of nodes) {
      const location = fulfillmentOrder.assignedLocation.location;
      if (!location) continue;
      for (const { lineItem } of fulfillmentOrder.lineItems.nodes)
        if (!locations.has(lineItem.id) && !tipLineIds.has(lineItem.id))
          locations.set(lineItem.id, numericId(location.id));
    }
    after = pageInfo.hasNextPage ? pageInfo.endCursor : null;
  } while (after);
  return locations;
}

/**
 * A B2B order's company, location and payment due date (ORDER_PURCHASING), for the orders the
 * page says a company placed; null for the others, at no cost.
 */
export async function purchasingOf(client: AdminClient, node: OrderNode): Promise<OrderRead["b2b"]> {
  if (node.purchasingEntity?.__typename !== "PurchasingCompany") return null;
  const { order } = await client.request(ORDER_PURCHASING, { id: node.id });
  if (!order) throw new Error(`order ${node.name} is gone from Shopify`);
  const entity = order.purchasingEntity;
  if (!entity || !("company" in entity)) return null;
  return {
    company: entity.company,
    location: entity.location,
    paymentDueAt: order.paymentTerms?.paymentSchedules.nodes[0]?.dueAt ?? null,
  };
}

export interface ImportResult {
  staged: bigint[];
}

/**
 * Reads the order whole (lines and shipping lines past the page's first ones, what remains
 * after edits and refunds, tips, where its lines are fulfilled from, a B2B order's company) and
 * stages it; the outcome under its count name.
 */
async function stageWhole(
  ctx: SyncContext<OrderFilters>,
  client: AdminClient,
  node: OrderNode,
  staged: bigint[],
): Promise<RecordResult> {
  const lines = await allLines(client, node);
  const shippingLines = await allShippingLines(client, node);
  const current = await currentOf(client, node, lines);
  const tipLineIds = await tipLinesOf(client, node, lines, shippingLines);
  const read: OrderRead = {
    node,
    lines,
    shippingLines,
    current,
    tipLineIds,
    lineLocations: await lineLocationsOf(client, node, lines, tipLineIds),
    b2b: await purchasingOf(client, node),
  };
  return stageRead(ctx, read, staged);
}

/** Stages an order read whole (by pages or by bulk query); the outcome under its count name. */
export async function stageRead(
  ctx: SyncContext<OrderFilters>,
  read: OrderRead,
  staged: bigint[],
): Promise<RecordResult> {
  const outcome = await ctx.db.$transaction((tx) => stageOrder(tx, ctx.shop.id, read));
  if (outcome !== "unchanged") staged.push(numericId(read.node.id));
  return { outcome: outcome === "unchanged" ? "unchanged" : "sent", count: OUTCOME_COUNTS[outcome] };
}

/**
 * The record loop of an import: an order that cannot be staged is marked with its error where
 * the orders list shows it, and holds the window's cursor back so the next run tries it again.
 */
export function importLoop<T>(
  ctx: SyncContext<OrderFilters>,
  window: ReadWindow,
  of: (record: T) => { id: string; name: string; updatedAt: string },
  handle: (record: T) => Promise<RecordResult>,
): RecordLoop<T> {
  return new RecordLoop<T>(ctx, {
    label: (record) => of(record).name,
    handle,
    onFailure: async (record, message) => {
      const { id, updatedAt } = of(record);
      window.holdBefore(new Date(updatedAt));
      await ctx.db.shopifyOrder
        .updateMany({
          where: { shopId: ctx.shop.id, shopifyId: numericId(id) },
          data: { state: "error", error: `import failed: ${message}` },
        })
        .catch(() => undefined);
    },
  });
}

export async function importOrders(
  ctx: SyncContext<OrderFilters>,
  client: AdminClient,
): Promise<ImportResult> {
  const { filters } = ctx;
  const key = cursorKey(TASK, filters);
  const window = await ReadWindow.open(ctx.db, ctx.shop.id, key, ctx.run.trigger);
  // The first run of all imports the open orders.
  const query = [window.searchTerm("status:open"), ...filterTerms(filters)].join(" ");
  const pages = await CountedPages.start(
    async () => (await client.request(ORDERS_COUNT, { query })).ordersCount,
    window,
  );
  ctx.log.info({ query, total: pages.total, reconciling: window.reconciling }, "orders to import");
  // A first import of a large store: one bulk query rather than pages of whole orders.
  if (!window.since && pages.total > bulkImport.minOrders)
    return importOrdersInBulk(ctx, client, { query, total: pages.total, window });
  const staged: bigint[] = [];
  const loop = importLoop<OrderNode>(
    ctx,
    window,
    (node) => node,
    (node) => stageWhole(ctx, client, node, staged),
  );
  let after: string | null = null;

  for (let more = pages.any; more;) {
    if (window.reconciling) {
      // The window again, by id and update time; whole orders only for what changed since staged.
      const page: DataOf<typeof ORDER_STAMPS> = await client.request(ORDER_STAMPS, {
        first: pages.pageSize(ORDER_STAMPS_PER_PAGE),
        after,
        query,
      });
      const stamps = page.orders.nodes;
      const changed = await changedSinceStaged(ctx, stamps);
      if (stamps.length > changed.length) ctx.count("unchanged", stamps.length - changed.length);
      pages.done += stamps.length - changed.length;
      for (let i = 0; i < changed.length; i += ORDERS_PER_PAGE) {
        const ids = changed.slice(i, i + ORDERS_PER_PAGE);
        const { nodes } = await client.request(ORDERS_BY_ID, { ids });
        await loop.each(nodes.filter((node): node is OrderNode => node !== null)); // null: deleted since listed
        pages.done += ids.length;
      }
      more = await pages.readOn(page.orders.pageInfo, stamps.length);
      after = page.orders.pageInfo.endCursor;
    } else {
      const page: DataOf<typeof ORDERS_PAGE> = await client.request(ORDERS_PAGE, {
        first: pages.pageSize(ORDERS_PER_PAGE),
        after,
        query,
      });
      for (const node of page.orders.nodes) {
        await loop.one(node);
        pages.done += 1;
      }
      more = await pages.readOn(page.orders.pageInfo, page.orders.nodes.length);
      after = page.orders.pageInfo.endCursor;
    }
    await ctx.progress(Math.min(pages.done, pages.total), Math.max(pages.total, pages.done));
  }
  if (pages.recounted > 0 && pages.readUpTo === window.startedAt)
    ctx.log.info({ total: pages.total }, "orders changed while the run read them: the next run takes them");
  await window.commit(pages.readUpTo);
  return { staged };
}

const OUTCOME_COUNTS = {
  unchanged: "unchanged",
  new: "imported",
  changed_after_processing: "changedAfterProcessing",
  updated: "updated",
} as const satisfies Record<StageOutcome, string>;

/** The listed orders that are not staged, or not staged as Shopify has them now. */
async function changedSinceStaged(
  ctx: SyncContext<OrderFilters>,
  stamps: OrderStampNode[],
): Promise<string[]> {
  const known = await ctx.db.shopifyOrder.findMany({
    where: { shopId: ctx.shop.id, shopifyId: { in: stamps.map((stamp) => numericId(stamp.id)) } },
    select: { shopifyId: true, ...STAGED_STAMP },
  });
  const staged = new Map(known.map((order) => [order.shopifyId, order]));
  // The same rule as stageOrder's "unchanged".
  return stamps
    .filter((stamp) => {
      const copy = staged.get(numericId(stamp.id));
      return !copy || !stagedIsCurrent(copy, stamp);
    })
    .map((stamp) => stamp.id);
}
