import type { SyncContext } from "../../jobs/sync-task.server";
import { describeError } from "../../jobs/errors.server";
import type { AdminClient } from "../../shopify/admin-client.server";
import { cursorKey, filterTerms, type OrderFilters } from "./filters.server";
import {
  ORDER_LINES,
  ORDERS_COUNT,
  ORDERS_PAGE,
  ORDERS_PER_PAGE,
  type OrderLineNode,
  type OrderNode,
} from "./operations.server";
import { numericId, stageOrder } from "./stage.server";

/**
 * Imports the orders that changed since the shop's cursor into staging. The cursor is the time
 * taken before the read; staging is idempotent, so reading an order twice is harmless, and the
 * scheduled run of the same task re-reads a window (below) to pick up what webhooks missed. The first run imports the
 * open orders. One order that cannot be staged is recorded with its error and the cursor stays
 * before it, so the next run tries it again; the others go on.
 */

const TASK = "sync_orders";
/**
 * Runs started by a webhook or a person read from where the last run started reading: cheap,
 * and nothing is lost that Shopify had indexed by then. A scheduled run reads the last hour
 * again as well, so an order whose change reached Shopify's search late, or whose webhook
 * never came, is picked up by the next schedule at the latest.
 */
const RECONCILE_WINDOW_MS = 60 * 60_000;

function quote(value: string): string {
  return `'${value}'`;
}

async function allLines(client: AdminClient, node: OrderNode): Promise<OrderLineNode[]> {
  const lines = [...node.lineItems.nodes];
  let page = node.lineItems.pageInfo;
  while (page.hasNextPage) {
    const more = await client.request(ORDER_LINES, { id: node.id, after: page.endCursor });
    if (!more.order) break;
    lines.push(...more.order.lineItems.nodes.filter((line) => !lines.some((known) => known.id === line.id)));
    page = more.order.lineItems.pageInfo;
  }
  return lines;
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
  const cursor = await db.syncCursor.findUnique({ where: { shopId_task: { shopId: shop.id, task: key } } });
  const readStartedAt = new Date();
  const overlap = ctx.run.trigger === "schedule" ? RECONCILE_WINDOW_MS : 0;
  const since = cursor ? new Date(cursor.cursor.getTime() - overlap) : null;
  const query = [
    since ? `updated_at:>${quote(since.toISOString())}` : "status:open",
    ...filterTerms(filters),
  ].join(" ");

  const { ordersCount } = await client.request(ORDERS_COUNT, { query });
  const total = ordersCount.count;
  ctx.log.info({ query, total }, "orders to import");
  const staged: bigint[] = [];
  let oldestFailure: Date | null = null;
  let done = 0;
  let after: string | null = null;

  for (let more = total > 0; more;) {
    if (ctx.signal.aborted) throw new Error("the run was stopped");
    // Ask for as many as are left (Shopify charges by `first`); a full page when the count
    // turned out low because orders changed meanwhile.
    const first = total - done > 0 ? Math.min(ORDERS_PER_PAGE, total - done) : ORDERS_PER_PAGE;
    const page: {
      orders: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: OrderNode[] };
    } = await client.request(ORDERS_PAGE, { first, after, query });
    for (const node of page.orders.nodes) {
      try {
        const lines = await allLines(client, node);
        const outcome = await db.$transaction((tx) => stageOrder(tx, shop.id, node, lines));
        ctx.count(
          outcome === "unchanged"
            ? "unchanged"
            : outcome === "new"
              ? "imported"
              : outcome === "changed_after_processing"
                ? "changedAfterProcessing"
                : "updated",
        );
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
      done += 1;
    }
    await ctx.progress(Math.min(done, total), Math.max(total, done));
    more = page.orders.pageInfo.hasNextPage && page.orders.nodes.length > 0;
    after = page.orders.pageInfo.endCursor;
  }

  const next = oldestFailure
    ? new Date(Math.min(readStartedAt.getTime(), oldestFailure.getTime() - 1))
    : readStartedAt;
  await db.syncCursor.upsert({
    where: { shopId_task: { shopId: shop.id, task: key } },
    create: { shopId: shop.id, task: key, cursor: next },
    update: { cursor: next },
  });
  return { staged };
}
