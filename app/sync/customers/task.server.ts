import { enqueueSync } from "../../jobs/enqueue.server";
import { adminClientFor } from "../../shopify/admin-client.server";
import { BULK_RUN_QUERY } from "../../shopify/operations.server";
import { defineTask } from "../kit/manifest.server";
import { exportCustomers } from "./export.server";
import { customerFilterSpec } from "./filters.server";
import { importCustomers } from "./import.server";

/**
 * sync_customers: Shopify's customers ⇄ back-office customers, by the shop card. From Shopify:
 * customers changed since the last read (a bulk query the first time, for a large store) are
 * linked, created or updated (import.server.ts). To Shopify: back-office customers a person
 * added, and linked customers the back office changed when it updates Shopify's
 * (export.server.ts). Both in each run, the import first; its own category, since it writes
 * customers and their links, not orders or products.
 */

/** Whether the shop's card asks the import for anything. */
const imports = (settings: { customerImport: string; customerUpdates: string }) =>
  settings.customerImport === "all" || settings.customerUpdates === "from_shopify";

export const syncCustomersTask = defineTask(
  {
    name: "sync_customers",
    title: "Sync customers",
    activity: "Syncing customers",
    direction: "both",
    description:
      "Imports Shopify's customers as back-office customers (matched by exact e-mail or phone, or created) and sends back-office customers to Shopify, per the shop card. A customer changed in Shopify comes in within seconds.",
    category: "customers",
    filters: customerFilterSpec,
    doorbells: ["customers/create", "customers/update"],
    backOfficeDoorbell: {
      entities: ["customer"],
      // Changes of linked customers go only when the back office updates Shopify's; "Add to
      // Shopify" queues its own run.
      wants: (settings) => settings.customerUpdates === "to_shopify",
    },
    // The doorbells give the seconds; the schedule reconciles what they missed.
    schedule: { cron: "15 * * * *" },
    idleWhen: (settings) =>
      imports(settings) || settings.customerUpdates === "to_shopify"
        ? null
        : "the shop card neither imports all customers nor updates customers either way",
  },
  async (ctx) => {
    const settings = await ctx.db.shopSettings.findUniqueOrThrow({ where: { shopId: ctx.shop.id } });
    const client = await adminClientFor(ctx.shop.domain, {
      onCost: (operation, cost, kind) => {
        // Starting a bulk query is a mutation in name only (counted as bulkQueries by the import).
        if (kind === "mutation" && operation !== BULK_RUN_QUERY.name) ctx.count("mutationRequests");
        ctx.count("requestedPoints", cost.requestedQueryCost);
        ctx.count("actualPoints", cost.actualQueryCost ?? 0);
      },
    });
    const onlyExport = Boolean(ctx.filters.customerNos);
    if (!onlyExport && imports(settings)) await importCustomers(ctx, client, settings);
    else if (!onlyExport) ctx.log.info("the shop card imports no customers: only what the back office sends");
    const { left } = await exportCustomers(ctx, client, settings);
    if (left) {
      await enqueueSync(ctx.db, syncCustomersTask, {
        shop: ctx.shop.domain,
        trigger: "back_office",
        jobKey: true,
      });
      ctx.log.info("more customers to send: the next run is queued");
    }
  },
);

export const tasks = [syncCustomersTask];
