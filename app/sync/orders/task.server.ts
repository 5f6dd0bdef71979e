import { defineSyncTask } from "../../jobs/sync-task.server";
import { adminClientFor } from "../../shopify/admin-client.server";
import { orderFilters } from "./filters.server";
import { importOrders } from "./import.server";

/**
 * sync_orders: Shopify → staging, by webhook doorbell, schedule or by hand. Counts the Admin
 * API points it requested and used, so the run record shows what each import cost.
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
  },
});
