import { defineSyncTask, type SyncContext } from "../../jobs/sync-task.server";
import { adminClientFor } from "../../shopify/admin-client.server";
import { orderFilters, storedOrderFilters, type OrderFilters } from "./filters.server";
import { importOrders } from "./import.server";
import { processOrders } from "./process.server";

/**
 * The filters a run processes with: its own; for a run a webhook started, which imports every
 * changed order unfiltered (so that a processed order is seen when it changes, even when it no
 * longer matches), those the merchant stored for the order sync (its request page).
 */
async function processingFilters(ctx: SyncContext<OrderFilters>): Promise<OrderFilters> {
  if (ctx.run.trigger !== "webhook") return ctx.filters;
  return storedOrderFilters(ctx.db, ctx.shop.id, "sync_orders");
}

async function process(ctx: SyncContext<OrderFilters>): Promise<void> {
  const filters = await processingFilters(ctx);
  const report = await processOrders(ctx.db, ctx.shop, { filters, log: ctx.log });
  ctx.count("processed", report.processed);
  ctx.count("notProcessed", report.failed);
}

/**
 * sync_orders: Shopify → staging, by webhook doorbell, schedule or by hand; then, when the shop
 * processes orders automatically, straight on to sales documents. Counts the Admin API points
 * it requested and used, so the run record shows what each import cost.
 */
export const syncOrdersTask = defineSyncTask({
  name: "sync_orders",
  filters: orderFilters,
  async run(ctx) {
    const client = await adminClientFor(ctx.shop.domain, {
      onCost: (_operation, cost) => {
        ctx.count("requestedPoints", cost.requestedQueryCost);
        ctx.count("actualPoints", cost.actualQueryCost ?? 0);
      },
    });
    await importOrders(ctx, client);
    const settings = await ctx.db.shopSettings.findUnique({ where: { shopId: ctx.shop.id } });
    if (settings?.autoProcessOrders) await process(ctx);
  },
});

/** process_orders: staged orders → sales orders or sales invoices, with the same filters. */
export const processOrdersTask = defineSyncTask({
  name: "process_orders",
  filters: orderFilters,
  run: process,
});
