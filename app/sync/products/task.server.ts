import { enqueueSync } from "../../jobs/enqueue.server";
import { adminClientFor } from "../../shopify/admin-client.server";
import { picturesAwaitProducts } from "../images/records.server";
import { syncImagesTask } from "../images/task.server";
import { linksWithoutLevels } from "../inventory/levels.server";
import { syncInventoryTask } from "../inventory/task.server";
import { defineTask } from "../kit/manifest.server";
import { exportItems } from "./export.server";
import { productFilterSpec } from "./filters.server";
import { importProducts } from "./import.server";

/**
 * sync_products: items ⇄ products and prices, in the direction the shop card's "Sync items"
 * chose. To Shopify: the items that changed in the back office (its change feed) and those a
 * person added are sent, only what changed since what was last sent. From Shopify: products
 * changed since the last read (a bulk query the first time) become items. Its own category:
 * it writes items and product links, not orders, so it runs beside an order import.
 */
export const syncProductsTask = defineTask(
  {
    name: "sync_products",
    title: "Sync products and prices",
    activity: "Syncing products",
    direction: "both",
    description:
      "Creates and updates Shopify products, variants and prices from items, or imports products as items, per the shop card. An item edit or a price change goes out within seconds.",
    category: "products",
    filters: productFilterSpec,
    doorbells: ["products/create", "products/update", "products/delete"],
    backOfficeDoorbell: {
      entities: ["item"],
      wants: (settings) => settings.syncItems === "to_shopify",
    },
    // Every shop reconciles hourly what the doorbells (products/* webhooks, the back-office
    // change feed) missed; they give the seconds. A shop whose Sync items is off has nothing
    // to reconcile: its schedule moves on without a run.
    schedule: { cron: "0 * * * *" },
    idleWhen: (settings) => (settings.syncItems === "off" ? "Sync items is off on the shop card" : null),
  },
  async (ctx) => {
    const settings = await ctx.db.shopSettings.findUniqueOrThrow({ where: { shopId: ctx.shop.id } });
    if (settings.syncItems === "off") {
      ctx.count("skippedSyncOff");
      ctx.log.info("Sync items is off on the shop card: nothing to do");
      return;
    }
    const client = await adminClientFor(ctx.shop.domain, {
      onCost: (_operation, cost, kind) => {
        if (kind === "mutation") ctx.count("mutationRequests");
        ctx.count("requestedPoints", cost.requestedQueryCost);
        ctx.count("actualPoints", cost.actualQueryCost ?? 0);
      },
    });
    try {
      if (settings.syncItems === "to_shopify") await exportItems(ctx, client, settings);
      else await importProducts(ctx, client, settings);
    } finally {
      // Variants linked just now get their stock within seconds, not at the nightly reconcile.
      if (settings.syncInventory && (await linksWithoutLevels(ctx.db, ctx.shop.id))) {
        await enqueueSync(ctx.db, syncInventoryTask, {
          shop: ctx.shop.domain,
          trigger: "back_office",
          jobKey: true,
        });
        ctx.log.info("variants linked: their stock is sent to Shopify next (Sync inventory queued)");
      }
      // Items that waited for a product of their own have one now: their pictures go next (the
      // same category, so after this run).
      if (settings.syncImages === "to_shopify" && (await picturesAwaitProducts(ctx.db, ctx.shop.id))) {
        await enqueueSync(ctx.db, syncImagesTask, {
          shop: ctx.shop.domain,
          trigger: "back_office",
          jobKey: true,
        });
        ctx.log.info("products linked: their items' pictures are sent next (Sync images queued)");
      }
    }
  },
);

export const tasks = [syncProductsTask];
