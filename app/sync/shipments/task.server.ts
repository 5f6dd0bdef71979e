import { adminClientFor } from "../../shopify/admin-client.server";
import { NO_FILTERS } from "../kit/filters";
import { defineTask } from "../kit/manifest.server";
import { SHIPMENT_FEED, syncShipments } from "./sync.server";

/**
 * sync_shipments: posted shipments of Shopify orders → Shopify fulfillments with tracking. Its
 * own category: it only writes its sync records and Shopify's fulfillments, so it
 * runs beside an order import or a batch posting instead of waiting for them.
 */
export const syncShipmentsTask = defineTask(
  {
    name: SHIPMENT_FEED.task,
    title: "Sync shipments",
    activity: "Sending shipments to Shopify",
    direction: "to_shopify",
    description: "Sends posted shipments to Shopify as fulfillments with carrier and tracking number.",
    category: "shipments",
    filters: NO_FILTERS,
  },
  async (ctx) => {
    const client = await adminClientFor(ctx.shop.domain);
    const report = await syncShipments(ctx, client);
    if (report.failed > 0) ctx.log.warn({ failed: report.failed }, "some shipments did not reach Shopify");
  },
);

export const tasks = [syncShipmentsTask];
