import { adminClientFor } from "../../shopify/admin-client.server";
import { BULK_RUN_QUERY } from "../../shopify/operations.server";
import { defineTask } from "../kit/manifest.server";
import { exportCompanies } from "./export.server";
import { companyFilterSpec } from "./filters.server";
import { importCompanies } from "./import.server";
import { COMPANY_TASK } from "./records.server";

/**
 * sync_companies: Shopify's B2B companies, with their locations and contacts, ⇄ back-office
 * business customers, by the shop card. From Shopify (import.server.ts): the companies the
 * shop card's company import asks for, changed since the last read (a bulk query on the first
 * run of a large store), linked to a business customer, with each location a ship-to address or
 * a customer of its own. To Shopify (export.server.ts): business customers a person added, and
 * linked ones the back office changed when the shop card sends updates to Shopify. Both in each
 * run, the import first.
 *
 * In the "customers" category, with sync_customers: both find back-office customers by e-mail
 * and phone and create them, so two at once could each make a customer for the same person.
 */
export const syncCompaniesTask = defineTask(
  {
    name: COMPANY_TASK,
    title: "Sync companies (B2B)",
    activity: "Syncing companies",
    direction: "both",
    description:
      "Imports Shopify's companies with their locations and contacts as business customers (locations as ship-to addresses or customers of their own) and sends business customers to Shopify as companies, per the shop card. A company changed in Shopify comes in within seconds.",
    category: "customers",
    filters: companyFilterSpec,
    doorbells: [
      "companies/create",
      "companies/update",
      "companies/delete",
      "company_locations/create",
      "company_locations/update",
      "company_locations/delete",
    ],
    backOfficeDoorbell: {
      entities: ["customer"],
      // Changes of linked business customers go only when the back office updates Shopify's
      // companies; a person adding customers to Shopify queues its own run.
      wants: (settings) => settings.companyUpdates === "to_shopify",
    },
    // The doorbells give the seconds; the schedule reconciles what they missed, judges the
    // unmapped companies again and notices companies deleted in Shopify.
    schedule: { cron: "45 * * * *" },
    // Importing companies only with their orders and updating neither side, a shop has nothing
    // for the schedule: the order processing queues a run for each company it meets unlinked.
    idleWhen: (settings) =>
      settings.companyImport !== "all" && settings.companyUpdates === "none"
        ? "the shop card imports companies only with their orders (or none) and updates neither side"
        : null,
  },
  async (ctx) => {
    const settings = await ctx.db.shopSettings.findUniqueOrThrow({ where: { shopId: ctx.shop.id } });
    const client = await adminClientFor(ctx.shop.domain, {
      onCost: (operation, cost, kind) => {
        // Starting a bulk query is a mutation in name only: it writes nothing in the shop.
        if (operation !== BULK_RUN_QUERY.name && kind === "mutation") ctx.count("mutationRequests");
        ctx.count("requestedPoints", cost.requestedQueryCost);
        ctx.count("actualPoints", cost.actualQueryCost ?? 0);
      },
    });
    await importCompanies(ctx, client, settings);
    await exportCompanies(ctx, client, settings);
  },
);

export const tasks = [syncCompaniesTask];
