import { describeError } from "../../errors.server";
import type { SyncContext } from "../../jobs/sync-task.server";
import type { AdminClient } from "../../shopify/admin-client.server";
import { bulkRecords, runBulkQuery, type BulkRecord } from "../../shopify/bulk.server";
import { ordersBulkQuery } from "./bulk-operations.server";
import type { OrderFilters } from "./filters.server";
import { needsCurrent, tipLinesOf, type ImportResult } from "./import.server";
import type { OrderLineNode, OrderNode, ShippingLineNode } from "./operations.server";
import { numericId, stageOrder, type OrderRead, type StageOutcome } from "./stage.server";

/**
 * The first import of a large store: every open order by one bulk query (a few points, however
 * many orders) instead of pages of 25 whole orders (about 35 points an order), each staged by
 * stageOrder from the same OrderRead the per-order path builds, so the staged order and its
 * document are the same either way. importOrders takes this path when a run has no cursor yet
 * and Shopify counts more than `bulkImport.minOrders` orders; incremental runs stay per order.
 * The cursor is the time importOrders took before counting, so orders changed while the bulk
 * query ran are the next run's. An order that cannot be staged is recorded with its error and
 * keeps the cursor before it, as in the per-order path.
 */

export const bulkImport = {
  /** Above this many orders to read, a first import goes by bulk query. */
  minOrders: 250,
  /** Orders staged at the same time. */
  concurrency: 4,
};

const OUTCOME_COUNTS = {
  unchanged: "unchanged",
  new: "imported",
  changed_after_processing: "changedAfterProcessing",
  updated: "updated",
} as const satisfies Record<StageOutcome, string>;

type BulkOrderLine = OrderLineNode & {
  discountedUnitPriceAfterAllDiscountsSet?: { shopMoney: { amount: string } };
};
type BulkOrderNode = Omit<OrderNode, "lineItems" | "shippingLines"> & {
  currentSubtotalPriceSet: { shopMoney: { amount: string } };
  currentShippingPriceSet: { shopMoney: { amount: string } };
  currentTotalTaxSet: { shopMoney: { amount: string }; presentmentMoney: { amount: string } };
  currentTaxLines: { title: string; rate: number; price: string }[];
};

const whole = { hasNextPage: false, endCursor: null };

/** The OrderRead of a bulk record, as the per-order path reads the same order (tips aside). */
export function orderReadOf(record: BulkRecord): Omit<OrderRead, "tipLineIds"> {
  const { currentSubtotalPriceSet, currentShippingPriceSet, currentTotalTaxSet, currentTaxLines, ...header } =
    record.node as unknown as BulkOrderNode;
  const withPrices = (record.children.get("LineItem") ?? []) as unknown as BulkOrderLine[];
  const lines: OrderLineNode[] = withPrices.map((line) => {
    const { discountedUnitPriceAfterAllDiscountsSet: _price, ...rest } = line;
    return rest;
  });
  const shippingLines = (record.children.get("ShippingLine") ?? []) as unknown as ShippingLineNode[];
  const node: OrderNode = {
    ...header,
    lineItems: { pageInfo: whole, nodes: lines },
    shippingLines: { pageInfo: whole, nodes: shippingLines },
  };
  let current: OrderRead["current"] = null;
  if (needsCurrent(node, lines)) {
    // The per-order path reads the unit prices of the lines up to the last that lost units.
    const upTo = lines.findLastIndex((line) => line.currentQuantity !== line.quantity) + 1;
    current = {
      currentSubtotalPriceSet,
      currentShippingPriceSet,
      currentTotalTaxSet,
      currentTaxLines,
      unitPricesAfterDiscounts: new Map(
        withPrices
          .slice(0, upTo)
          .map((line) => [line.id, line.discountedUnitPriceAfterAllDiscountsSet!.shopMoney.amount]),
      ),
    };
  }
  return { node, lines, shippingLines, current };
}

/** Reads the orders of `query` by one bulk query and stages each; writes the cursor. */
export async function importOrdersInBulk(
  ctx: SyncContext<OrderFilters>,
  client: AdminClient,
  options: { query: string; total: number; cursorKey: string; readStartedAt: Date },
): Promise<ImportResult> {
  const { db, shop } = ctx;
  ctx.log.info({ query: options.query, total: options.total }, "first import by bulk query");
  const operation = await runBulkQuery(client, ordersBulkQuery(options.query), { signal: ctx.signal });
  const staged: bigint[] = [];
  let oldestFailure: Date | null = null;
  let done = 0;
  const total = Math.max(options.total, Number(operation.rootObjectCount));
  const stage = async (record: BulkRecord): Promise<void> => {
    const name = String(record.node.name);
    try {
      const partial = orderReadOf(record);
      const read: OrderRead = {
        ...partial,
        tipLineIds: await tipLinesOf(client, partial.node, partial.lines, partial.shippingLines),
      };
      const outcome = await db.$transaction((tx) => stageOrder(tx, shop.id, read));
      ctx.count(OUTCOME_COUNTS[outcome]);
      if (outcome !== "unchanged") staged.push(numericId(read.node.id));
    } catch (error) {
      ctx.count("failed");
      const message = describeError(error);
      ctx.log.warn({ order: name, error: message }, "order could not be staged");
      const updatedAt = new Date(String(record.node.updatedAt));
      if (!oldestFailure || updatedAt < oldestFailure) oldestFailure = updatedAt;
      await db.shopifyOrder
        .updateMany({
          where: { shopId: shop.id, shopifyId: numericId(String(record.node.id)) },
          data: { state: "error", error: `import failed: ${message}` },
        })
        .catch(() => undefined);
    }
    done += 1;
    await ctx.progress(done, total);
  };
  // Each order in its own transaction, a few at a time: most of an order's staging is waiting
  // for Postgres, and the orders are independent.
  const inFlight = new Set<Promise<void>>();
  for await (const record of bulkRecords(operation.url, { signal: ctx.signal })) {
    if (ctx.signal.aborted) throw new Error("the run was stopped");
    const staging: Promise<void> = stage(record).finally(() => inFlight.delete(staging));
    inFlight.add(staging);
    if (inFlight.size >= bulkImport.concurrency) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  const failedAt = oldestFailure as Date | null;
  const next = failedAt
    ? new Date(Math.min(options.readStartedAt.getTime(), failedAt.getTime() - 1))
    : options.readStartedAt;
  await db.syncCursor.upsert({
    where: { shopId_task: { shopId: shop.id, task: options.cursorKey } },
    create: { shopId: shop.id, task: options.cursorKey, cursor: next },
    update: { cursor: next },
  });
  return { staged };
}
