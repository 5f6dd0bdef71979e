import { adminClientFor } from "../../shopify/admin-client.server";
import { defineTask } from "../kit/manifest.server";
import { exportPictures } from "./export.server";
import { imageFilterSpec } from "./filters.server";
import { IMAGE_TASK } from "./records.server";

/**
 * sync_images: item pictures ⇄ product and variant images, in the direction the shop card's
 * "Sync images" chose (it follows "Sync items": the catalog's master is its images' too). To
 * Shopify: the pictures that changed in the back office (its change feed: a picture added,
 * replaced, moved or removed rings it within seconds) are sent, only what changed since what was
 * last sent. In the products category: it writes the media of the products the products sync
 * makes, so it runs after it when both are due, never beside it.
 */
export const syncImagesTask = defineTask(
  {
    name: IMAGE_TASK,
    title: "Sync images",
    activity: "Syncing images",
    direction: "both",
    description:
      "Sends item pictures to Shopify as product and variant images, in order, per the shop card. A picture added, replaced or removed goes out within seconds; one Shopify cannot process is shown with Shopify's message, to retry.",
    category: "products",
    filters: imageFilterSpec,
    backOfficeDoorbell: {
      entities: ["picture"],
      wants: (settings) => settings.syncImages === "to_shopify",
    },
    // Hourly, after the products sync's hour (a product made then gets its pictures); the
    // back-office doorbell gives the seconds. A shop whose Sync images is off has no runs.
    schedule: { cron: "5 * * * *" },
    idleWhen: (settings) => (settings.syncImages === "off" ? "Sync images is off on the shop card" : null),
  },
  async (ctx) => {
    const settings = await ctx.db.shopSettings.findUniqueOrThrow({ where: { shopId: ctx.shop.id } });
    if (settings.syncImages !== "to_shopify") {
      // From Shopify lands here with the image import; until then it is refused on the shop card.
      ctx.count(settings.syncImages === "off" ? "skippedSyncOff" : "skippedNotAvailable");
      ctx.log.info({ syncImages: settings.syncImages }, "images are not sent to Shopify: nothing to do");
      return;
    }
    const client = await adminClientFor(ctx.shop.domain, {
      onCost: (_operation, cost, kind) => {
        if (kind === "mutation") ctx.count("mutationRequests");
        ctx.count("requestedPoints", cost.requestedQueryCost);
        ctx.count("actualPoints", cost.actualQueryCost ?? 0);
      },
    });
    await exportPictures(ctx, client);
  },
);

export const tasks = [syncImagesTask];
