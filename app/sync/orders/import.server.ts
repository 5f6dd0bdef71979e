import type { SyncContext } from "../../jobs/sync-task.server";
import { describeError } from "../../errors.server";
import type { AdminClient } from "../../shopify/admin-client.server";
import type { DataOf } from "../../shopify/operation.server";
import { bulkImport, importOrdersInBulk } from "./bulk-import.server";
import { cursorKey, filterTerms, type OrderFilters } from "./filters.server";
import {
  ORDER_CURRENT,
  ORDER_LINES,
  ORDER_LINES_MAX_PAGE,
  ORDER_SHIPPING_LINES,
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
/**
 * Runs started by a webhook or a person read from where the last run started reading: cheap,
 * and nothing is lost that Shopify had indexed by then. A scheduled run (a reconcile) reads
 * again from where the previous scheduled run started, less RECONCILE_MARGIN_MS, so that an
 * order whose change reached Shopify's search late, whose timestamp Shopify keeps in whole
 * seconds or by a clock a little off ours, or whose webhook never came, is picked up by the
 * next schedule at the latest; the first scheduled run reads the last RECONCILE_FIRST_MS.
 */
const RECONCILE_MARGIN_MS = 10 * 60_000;
const RECONCILE_FIRST_MS = 60 * 60_000;
/**
 * A reconcile reads back a day at most: after the schedule was off for months, or while an
 * order that keeps failing holds the cursor back, it would otherwise list every order since
 * (a point each) on every run. Webhook runs still read from the cursor itself.
 */
const RECONCILE_MAX_MS = 24 * 60 * 60_000;
/** The cursor row of scheduled runs: where the last one started reading. */
const reconcileKey = (key: string) => `${key}#reconcile`;
/** How often one run counts again for orders that changed while it read. */
const MAX_RECOUNTS = 5;

/** Where a run reads from (exclusive); null for the first run of all, which takes open orders. */
export function readFrom(
  trigger: string,
  cursor: Date | null,
  reconcileCursor: Date | null,
  now = new Date(),
): { since: Date | null; reconciling: boolean } {
  if (!cursor) return { since: null, reconciling: false };
  if (trigger !== "schedule") return { since: cursor, reconciling: false };
  const from = reconcileCursor
    ? Math.min(cursor.getTime(), reconcileCursor.getTime()) - RECONCILE_MARGIN_MS
    : cursor.getTime() - RECONCILE_FIRST_MS;
  return { since: new Date(Math.max(from, now.getTime() - RECONCILE_MAX_MS)), reconciling: true };
}

function quote(value: string): string {
  return `'${value}'`;
}

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
      first: 10,
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

export interface ImportResult {
  staged: bigint[];
}

export async function importOrders(
  ctx: SyncContext<OrderFilters>,
  client: AdminClient,
): Promise<ImportResult> {
  const { db, shop, filters } = ctx;
  const key = cursorKey(TASK, filters);
  const [cursor, reconcileCursor] = await Promise.all(
    [key, reconcileKey(key)].map((task) =>
      db.syncCursor.findUnique({ where: { shopId_task: { shopId: shop.id, task } } }),
    ),
  );
  const readStartedAt = new Date();
  const { since, reconciling } = readFrom(
    ctx.run.trigger,
    cursor?.cursor ?? null,
    reconcileCursor?.cursor ?? null,
    readStartedAt,
  );
  const query = [
    since ? `updated_at:>${quote(since.toISOString())}` : "status:open",
    ...filterTerms(filters),
  ].join(" ");

  const { ordersCount } = await client.request(ORDERS_COUNT, { query });
  let total = ordersCount.count;
  // Past Shopify's count limit the count is a floor ("AT_LEAST"): then read to the end.
  let exact = ordersCount.precision === "EXACT";
  let recounts = 0;
  // When the last count started, and whether the list was read to its end after it.
  let countedAt = readStartedAt;
  let readToEnd = total === 0;
  ctx.log.info({ query, total, reconciling }, "orders to import");
  // A first import of a large store: one bulk query rather than pages of whole orders.
  if (!since && total > bulkImport.minOrders)
    return importOrdersInBulk(ctx, client, { query, total, cursorKey: key, readStartedAt });
  const staged: bigint[] = [];
  let oldestFailure: Date | null = null;
  let done = 0;
  let after: string | null = null;

  async function stage(node: OrderNode): Promise<void> {
    try {
      const lines = await allLines(client, node);
      const shippingLines = await allShippingLines(client, node);
      const read: OrderRead = {
        node,
        lines,
        shippingLines,
        current: await currentOf(client, node, lines),
        tipLineIds: await tipLinesOf(client, node, lines, shippingLines),
      };
      const outcome = await db.$transaction((tx) => stageOrder(tx, shop.id, read));
      ctx.count(OUTCOME_COUNTS[outcome]);
      if (outcome !== "unchanged") staged.push(numericId(node.id));
    } catch (error) {
      ctx.count("failed");
      const message = describeError(error);
      ctx.log.warn({ order: node.name, error: message }, "order could not be staged");
      const updatedAt = new Date(node.updatedAt);
      if (!oldestFailure || updatedAt < oldestFailure) oldestFailure = updatedAt;
      await db.shopifyOrder
        .updateMany({
          where: { shopId: shop.id, shopifyId: numericId(node.id) },
          data: { state: "error", error: `import failed: ${message}` },
        })
        .catch(() => undefined);
    }
  }

  /**
   * Shopify charges a connection by its `first`, not by what it returns: ask for as many as are
   * left of the count. Orders that change while the run reads come after the counted ones
   * (sorted by update time): when the counted ones are read and Shopify says there are more,
   * count again (1 point) and read exactly the new ones, rather than a page of 25 whole orders
   * (about 900 points) for one. After MAX_RECOUNTS, or when the count finds none, the rest is
   * the next run's: those orders were updated after readStartedAt, and rang their own webhooks.
   */
  const pageSize = (largest: number) => (exact ? Math.min(largest, total - done) : largest);
  const readOn = async (pageInfo: { hasNextPage: boolean }, returned: number): Promise<boolean> => {
    if (!pageInfo.hasNextPage || returned === 0) {
      readToEnd = true;
      return false;
    }
    if (!exact || done < total) return true;
    if (recounts < MAX_RECOUNTS) {
      recounts += 1;
      const startedAt = new Date();
      const { ordersCount: again } = await client.request(ORDERS_COUNT, { query });
      countedAt = startedAt;
      [total, exact] = [Math.max(again.count, done), again.precision === "EXACT"];
      if (!exact || done < total) return true;
    }
    ctx.log.info({ total, recounts }, "orders changed while the run read them: the next run takes them");
    return false;
  };

  for (let more = total > 0; more;) {
    if (ctx.signal.aborted) throw new Error("the run was stopped");
    if (reconciling) {
      // The window again, by id and update time; whole orders only for what changed since staged.
      const page: DataOf<typeof ORDER_STAMPS> = await client.request(ORDER_STAMPS, {
        first: pageSize(ORDER_STAMPS_PER_PAGE),
        after,
        query,
      });
      const stamps = page.orders.nodes;
      const changed = await changedSinceStaged(ctx, stamps);
      ctx.count("unchanged", stamps.length - changed.length);
      done += stamps.length - changed.length;
      for (let i = 0; i < changed.length; i += ORDERS_PER_PAGE) {
        if (ctx.signal.aborted) throw new Error("the run was stopped");
        const ids = changed.slice(i, i + ORDERS_PER_PAGE);
        const { nodes } = await client.request(ORDERS_BY_ID, { ids });
        for (const node of nodes) if (node) await stage(node); // null: deleted since listed
        done += ids.length;
      }
      more = await readOn(page.orders.pageInfo, stamps.length);
      after = page.orders.pageInfo.endCursor;
    } else {
      const page: DataOf<typeof ORDERS_PAGE> = await client.request(ORDERS_PAGE, {
        first: pageSize(ORDERS_PER_PAGE),
        after,
        query,
      });
      for (const node of page.orders.nodes) {
        await stage(node);
        done += 1;
      }
      more = await readOn(page.orders.pageInfo, page.orders.nodes.length);
      after = page.orders.pageInfo.endCursor;
    }
    await ctx.progress(Math.min(done, total), Math.max(total, done));
  }

  // The next run reads what changed after the last count, when the list was read to its end
  // after it: anything changed since sorts after what was read. Else (left for later: an order
  // read here may have changed again and moved past the end) from before the first count.
  const readUpTo = readToEnd ? countedAt : readStartedAt;
  // (Assigned inside stage(), which TypeScript's narrowing does not see.)
  const failedAt = oldestFailure as Date | null;
  const next = failedAt ? new Date(Math.min(readUpTo.getTime(), failedAt.getTime() - 1)) : readUpTo;
  // A reconcile read everything since the cursor too, so it moves both.
  for (const task of reconciling ? [key, reconcileKey(key)] : [key])
    await db.syncCursor.upsert({
      where: { shopId_task: { shopId: shop.id, task } },
      create: { shopId: shop.id, task, cursor: next },
      update: { cursor: next },
    });
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
