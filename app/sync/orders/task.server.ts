import type { SyncContext } from "../../jobs/sync-task.server";
import { adminClientFor } from "../../shopify/admin-client.server";
import { defineTask } from "../kit/manifest.server";
import {
  orderFilterSpec,
  processFilterSpec,
  storedOrderFilters,
  type ProcessFilters,
} from "./filters.server";
import { importOrders } from "./import.server";
import { processOrders } from "./process.server";

/**
 * The order area's tasks: their manifests (what the admin, the CLI, the doorbells and the
 * schedules know of them) and what a run does.
 *
 * Both write staged orders and sales documents, as do the posting tasks, so all four share the
 * "orders" category: one of them at a time per shop.
 */

/**
 * The filters a run processes with: its own; for a run a webhook started, which imports every
 * changed order unfiltered (so that a processed order is seen when it changes, even when it no
 * longer matches), those the merchant stored for the order sync (its request page).
 */
async function processingFilters(ctx: SyncContext<ProcessFilters>): Promise<ProcessFilters> {
  if (ctx.run.trigger !== "webhook") return ctx.filters;
  return storedOrderFilters(ctx.db, ctx.shop.id, "sync_orders");
}

/** Processes; shows progress when it is the run's whole work (not after an import). */
async function process(ctx: SyncContext<ProcessFilters>, showProgress: boolean): Promise<void> {
  const filters = await processingFilters(ctx);
  await processOrders({ ...ctx, filters, ...(showProgress ? {} : { progress: async () => {} }) });
}

/**
 * sync_orders: Shopify → staging, by webhook doorbell, schedule or by hand; then, when the shop
 * processes orders automatically, straight on to sales documents. Counts the Admin API points
 * it requested and used, so the run record shows what each import cost.
 */
export const syncOrdersTask = defineTask(
  {
    name: "sync_orders",
    title: "Sync orders",
    activity: "Importing orders",
    direction: "from_shopify",
    description:
      "Imports new and changed orders (lines, shipping, transactions, fulfillment orders). Order webhooks start it within seconds; a schedule catches what they missed.",
    category: "orders",
    filters: orderFilterSpec,
    doorbells: [
      "orders/create",
      "orders/updated",
      "orders/paid",
      "orders/cancelled",
      "fulfillments/create",
      "fulfillments/update",
    ],
    // Every shop reconciles every 15 minutes, so an order whose webhook never came is imported
    // without the merchant setting anything up.
    schedule: { cron: "*/15 * * * *" },
  },
  async (ctx) => {
    const client = await adminClientFor(ctx.shop.domain, {
      onCost: (_operation, cost) => {
        ctx.count("requestedPoints", cost.requestedQueryCost);
        ctx.count("actualPoints", cost.actualQueryCost ?? 0);
      },
    });
    await importOrders(ctx, client);
    const settings = await ctx.db.shopSettings.findUnique({ where: { shopId: ctx.shop.id } });
    if (settings?.autoProcessOrders) await process(ctx, false);
  },
);

/**
 * process_orders: staged orders → sales orders or sales invoices, with the same filters, and
 * the ids of the orders to process when a person picked them (the order block's Process now).
 */
export const processOrdersTask = defineTask(
  {
    name: "process_orders",
    title: "Process orders",
    activity: "Processing orders",
    direction: "inside",
    description:
      "Turns imported orders into sales orders, or sales invoices when Shopify shows them fulfilled, mapping customers and products.",
    category: "orders",
    filters: processFilterSpec,
  },
  (ctx) => process(ctx, true),
);

export const tasks = [syncOrdersTask, processOrdersTask];
