import { z } from "zod";
import { defineSyncTask } from "../../jobs/sync-task.server";
import { adminClientFor } from "../../shopify/admin-client.server";
import { syncShipments } from "./sync.server";

/** sync_shipments: posted shipments of Shopify orders → Shopify fulfillments with tracking. */
export const syncShipmentsTask = defineSyncTask({
  name: "sync_shipments",
  filters: z.object({}).strict(),
  async run(ctx) {
    const client = await adminClientFor(ctx.shop.domain);
    const report = await syncShipments(ctx.db, ctx.shop, client, { log: ctx.log, onProgress: ctx.progress });
    ctx.count("synced", report.synced);
    ctx.count("failed", report.failed);
    ctx.count("nothingToSync", report.nothingToSync);
    if (report.failed > 0) ctx.log.warn({ failed: report.failed }, "some shipments did not reach Shopify");
  },
});
