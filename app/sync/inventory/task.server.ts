import { adminClientFor } from "../../shopify/admin-client.server";
import { BULK_RUN_QUERY } from "../../shopify/operations.server";
import { defineTask } from "../kit/manifest.server";
import { inventoryFilterSpec, pushOptionsOf } from "./filters.server";
import { INVENTORY_TASK } from "./levels.server";
import { pushInventory } from "./push.server";

/**
 * sync_inventory: Shopify's on hand at each location the back office feeds (the Locations page),
 * by the README's quantity model, only the differences. A stock change in the back office (an
 * adjustment, a posted shipment, an own sales order) rings it within seconds; the nightly run
 * reads every level in Shopify and sets back what moved behind our back. In the shipments
 * category: it reads the shipment sync's records (shipped, not yet fulfilled) and must not run
 * beside it, and it does not wait behind an order import.
 */
export const syncInventoryTask = defineTask(
  {
    name: INVENTORY_TASK,
    title: "Sync inventory",
    activity: "Sending stock to Shopify",
    direction: "to_shopify",
    description:
      "Sets Shopify's stock per location from the back office's, counting every unit of an open order once. A stock change goes out within seconds; a nightly run sets back what changed in Shopify.",
    category: "shipments",
    filters: inventoryFilterSpec,
    doorbells: [
      "locations/create",
      "locations/update",
      "locations/delete",
      "locations/activate",
      "locations/deactivate",
    ],
    backOfficeDoorbell: { entities: ["stock"], wants: (settings) => settings.syncInventory },
    schedule: { cron: "30 2 * * *" },
    idleWhen: (settings) =>
      settings.syncInventory
        ? null
        : "No Shopify location takes its stock from the back office (Locations page)",
  },
  async (ctx) => {
    const client = await adminClientFor(ctx.shop.domain, {
      onCost: (operation, cost, kind) => {
        // Starting a bulk query is a mutation in name only: it writes nothing in the shop.
        if (operation === BULK_RUN_QUERY.name) ctx.count("bulkQueries");
        else if (kind === "mutation") ctx.count("mutationRequests");
        ctx.count("requestedPoints", cost.requestedQueryCost);
        ctx.count("actualPoints", cost.actualQueryCost ?? 0);
      },
    });
    await pushInventory(ctx, client, pushOptionsOf(ctx.filters, ctx.run.trigger));
  },
);

export const tasks = [syncInventoryTask];
