import type { SyncContext } from "../../jobs/sync-task.server";
import type { AdminClient } from "../../shopify/admin-client.server";
import { bulkRecords, runBulkQuery, type BulkRecord } from "../../shopify/bulk.server";
import { ordersBulkQuery } from "./bulk-operations.server";
import type { OrderFilters } from "./filters.server";
import type { ReadWindow } from "../kit/incremental.server";
import {
  importLoop,
  lineLocationsOf,
  needsCurrent,
  stageRead,
  tipLinesOf,
  type ImportResult,
} from "./import.server";
import type {
  AssignedLocationNode,
  OrderLineNode,
  OrderNode,
  PurchasingCompanyNode,
  ShippingLineNode,
} from "./operations.server";
import type { OrderRead } from "./stage.server";

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

type BulkOrderLine = OrderLineNode & {
  discountedUnitPriceAfterAllDiscountsSet?: { shopMoney: { amount: string } };
};
type BulkOrderNode = Omit<
  OrderNode,
  "lineItems" | "shippingLines" | "fulfillmentOrders" | "purchasingEntity"
> & {
  purchasingEntity: PurchasingCompanyNode | { __typename: string } | null;
  /** Its schedules are lines of their own (PaymentSchedule). */
  paymentTerms: Record<string, unknown> | null;
  currentSubtotalPriceSet: { shopMoney: { amount: string } };
  currentShippingPriceSet: { shopMoney: { amount: string } };
  currentTotalTaxSet: { shopMoney: { amount: string }; presentmentMoney: { amount: string } };
  currentTaxLines: { title: string; rate: number; price: string }[];
};

const whole = { hasNextPage: false, endCursor: null };

/**
 * The OrderRead of a bulk record, as the per-order path reads the same order (tips and where
 * the lines are fulfilled from aside: lineLocationsOf reads that from the node, as by pages).
 * A B2B order's company, location and first payment schedule are in the record, where the
 * per-order path reads them by ORDER_PURCHASING; only a B2B order's are taken, as there.
 */
export function orderReadOf(record: BulkRecord): Omit<OrderRead, "tipLineIds" | "lineLocations"> {
  const {
    currentSubtotalPriceSet,
    currentShippingPriceSet,
    currentTotalTaxSet,
    currentTaxLines,
    paymentTerms,
    purchasingEntity,
    ...header
  } = record.node as unknown as BulkOrderNode;
  const withPrices = (record.children.get("LineItem") ?? []) as unknown as BulkOrderLine[];
  const lines: OrderLineNode[] = withPrices.map((line) => {
    const { discountedUnitPriceAfterAllDiscountsSet: _price, ...rest } = line;
    return rest;
  });
  const shippingLines = (record.children.get("ShippingLine") ?? []) as unknown as ShippingLineNode[];
  const fulfillmentOrders = (record.children.get("FulfillmentOrder") ??
    []) as unknown as AssignedLocationNode[];
  const schedules = (record.children.get("PaymentSchedule") ?? []) as unknown as { dueAt: string | null }[];
  const b2b: OrderRead["b2b"] =
    purchasingEntity && "company" in purchasingEntity
      ? {
          company: purchasingEntity.company,
          location: purchasingEntity.location,
          paymentDueAt: paymentTerms ? (schedules[0]?.dueAt ?? null) : null,
        }
      : null;
  const node: OrderNode = {
    ...header,
    purchasingEntity: purchasingEntity ? { __typename: purchasingEntity.__typename } : null,
    lineItems: { pageInfo: whole, nodes: lines },
    shippingLines: { pageInfo: whole, nodes: shippingLines },
    // As the page has them: the first, and whether there are more.
    fulfillmentOrders: {
      pageInfo: { hasNextPage: fulfillmentOrders.length > 1 },
      nodes: fulfillmentOrders.slice(0, 1).map(({ assignedLocation }) => ({ assignedLocation })),
    },
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
  return { node, lines, shippingLines, current, b2b };
}

/**
 * Reads the orders of `query` by one bulk query and stages each through the import's record
 * loop (a failed order is marked and holds the window's cursor back, as by pages); moves the
 * cursor when all are staged.
 */
export async function importOrdersInBulk(
  ctx: SyncContext<OrderFilters>,
  client: AdminClient,
  options: { query: string; total: number; window: ReadWindow },
): Promise<ImportResult> {
  ctx.log.info({ query: options.query, total: options.total }, "first import by bulk query");
  const operation = await runBulkQuery(client, ordersBulkQuery(options.query), { signal: ctx.signal });
  const staged: bigint[] = [];
  let done = 0;
  const total = Math.max(options.total, Number(operation.rootObjectCount));
  const loop = importLoop<BulkRecord>(
    ctx,
    options.window,
    (record) => ({
      id: String(record.node.id),
      name: String(record.node.name),
      updatedAt: String(record.node.updatedAt),
    }),
    async (record) => {
      const partial = orderReadOf(record);
      const tipLineIds = await tipLinesOf(client, partial.node, partial.lines, partial.shippingLines);
      const read: OrderRead = {
        ...partial,
        tipLineIds,
        lineLocations: await lineLocationsOf(client, partial.node, partial.lines, tipLineIds),
      };
      return stageRead(ctx, read, staged);
    },
  );
  // Each order in its own transaction, a few at a time: most of an order's staging is waiting
  // for Postgres, and the orders are independent.
  // A failure about the run (the loop throws only those) stops the reading; the orders in hand
  // finish first.
  const inFlight = new Set<Promise<void>>();
  let stop: { error: unknown } | null = null;
  const stage = async (record: BulkRecord) => {
    await loop.one(record);
    done += 1;
    await ctx.progress(done, total);
  };
  for await (const record of bulkRecords(operation.url, { signal: ctx.signal })) {
    const staging: Promise<void> = stage(record)
      .catch((error: unknown) => {
        stop ??= { error };
      })
      .finally(() => inFlight.delete(staging));
    inFlight.add(staging);
    if (inFlight.size >= bulkImport.concurrency) await Promise.race(inFlight);
    if (stop) break;
  }
  await Promise.all(inFlight);
  if (stop) throw (stop as { error: unknown }).error;
  await options.window.commit(options.window.startedAt);
  return { staged };
}
