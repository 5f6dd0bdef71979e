// After install the demo sets the shop up as a merchant would on day one: a back office whose
// items match the shop's SKUs (their existing stock list, with opening stock), schedules that
// post orders and send shipments back every minute and reconcile orders every 15 minutes,
// and a first run of the order import. The back office is the master of one more product, the
// demo beanie: "Sync items" is "To Shopify" and the beanie is added to Shopify, so a price
// changed in the back office (`npm run cli -- price BEANIE --shop <shop> --price 21`) shows in
// the simulated shop within seconds. The shop's primary location takes its stock from the back
// office's main warehouse (the Locations page's setting), so the initial syncs set Shopify's on
// hand there from the back office, and a stock change in the back office (`npm run cli -- adjust
// BEANIE --variant GRY --shop <shop> --location MAIN --quantity 5`) shows in the simulated shop
// within seconds. A demo that resumes keeps the schedules and settings as the merchant left them
// and only queues the order import (for what changed while it was stopped).
import {
  createItem,
  ensureLocation,
  findItem,
  findItemForSku,
  postOpeningStock,
  type SkuStrategy,
} from "../app/backoffice/backoffice.server";
import { refreshLocations, saveLocation } from "../app/admin/locations.server";
import prisma from "../app/db.server";
import type { Shop } from "../app/generated/prisma/client";
import { enqueueSync } from "../app/jobs/enqueue.server";
import { upsertSchedule } from "../app/jobs/schedules.server";
import { log } from "../app/log.server";
import { adminClientFor, operation } from "../app/shopify/admin-client.server";
import { syncOrdersTask } from "../app/sync/orders/task.server";
import { syncProductsTask } from "../app/sync/products/task.server";
import { addItemsToShopify } from "../app/sync/products/records.server";

/** The back office's own product, exported to the demo shop on day one. */
export const DEMO_CATALOG_ITEM = "BEANIE";

/** The back office's location whose stock the shop's primary location takes. */
export const DEMO_STOCK_LOCATION = "MAIN";

/** What the demo prints for a person to follow the stock: where it goes, and a command to try. */
export interface DemoStock {
  /** The Shopify location the back office's main warehouse feeds. */
  locationName: string;
  /** The back office's location to adjust. */
  locationCode: string;
  itemNo: string;
  variantCode: string;
  sku: string;
}

export const DEMO_STOCK_LIST = operation<{
  productVariants: {
    nodes: {
      id: string;
      sku: string | null;
      title: string;
      price: string;
      barcode: string | null;
      product: { title: string };
    }[];
  };
}>(
  "DemoStockList",
  `query DemoStockList { productVariants(first: 250) { nodes { id sku title price barcode product { title } } } }`,
);

export async function queueInitialSyncs(
  domain: string,
  options: { setUp: boolean },
): Promise<{ stock: DemoStock | null }> {
  const shop = await prisma.shop.findUniqueOrThrow({ where: { domain } });
  const client = await adminClientFor(domain);
  const { productVariants } = await client.request(DEMO_STOCK_LIST);
  await ensureLocation(prisma, shop.id, { code: DEMO_STOCK_LOCATION, name: "Main warehouse" });
  const { productMapping } = await prisma.shopSettings.findUniqueOrThrow({ where: { shopId: shop.id } });
  // Variants linked to an item already (the back office's own beanie, exported on day one, on a
  // resumed demo: its SKUs are BEANIE-GRY and BEANIE-NVY, which no item number is) are stocked.
  const linked = new Set(
    (
      await prisma.shopifyVariantMap.findMany({
        where: { shopId: shop.id, itemNo: { not: null } },
        select: { variantShopifyId: true },
      })
    ).map((link) => link.variantShopifyId.toString()),
  );
  let created = 0;
  for (const variant of productVariants.nodes) {
    if (linked.has(variant.id.split("/").pop()!)) continue;
    // A SKU the shop's product mapping already finds an item for is stocked already.
    if (!variant.sku || (await findItem(prisma, shop.id, variant.sku))) continue;
    if (await findItemForSku(prisma, shop.id, productMapping as SkuStrategy, { sku: variant.sku })) continue;
    await createItem(prisma, shop.id, {
      no: variant.sku,
      description: `${variant.product.title} - ${variant.title}`,
      unitPrice: variant.price,
      barcode: variant.barcode ?? undefined,
    });
    await postOpeningStock(
      prisma,
      shop.id,
      [{ itemNo: variant.sku, locationCode: DEMO_STOCK_LOCATION, quantity: 100 }],
      "OPENING",
    );
    created += 1;
  }
  log.info({ shop: domain, items: created }, "demo back office stocked");

  if (options.setUp) {
    await demoSchedules(shop.id);
    // Before the catalog: the beanie's export then finds its stock looked after (it rings the
    // inventory sync for the variants it links).
    await demoInventory(shop);
    await demoCatalog(shop.id, domain);
  }
  const { run } = await enqueueSync(prisma, syncOrdersTask, {
    shop: domain,
    trigger: "manual",
    jobKey: true,
  });
  log.info({ shop: domain, runId: run.id }, "first order import queued");
  return { stock: await demoStock(shop.id) };
}

/**
 * The shop's primary location takes its stock from the back office's main warehouse, as a
 * merchant sets it on the Locations page (the page's own code: Shopify's locations read, then
 * the primary one saved). Saving turns Sync inventory on and queues its first run. A location
 * already fed so is left as it is: set up twice, the demo saves nothing twice.
 */
async function demoInventory(shop: Shop): Promise<void> {
  await refreshLocations(prisma, shop);
  const primary = await prisma.shopifyLocation.findFirst({
    where: { shopId: shop.id, isPrimary: true, deletedAt: null },
    include: { sources: true },
  });
  if (!primary) {
    log.warn({ shop: shop.domain }, "the demo shop has no primary location: stock is not synced");
    return;
  }
  if (
    primary.stockCalculation === "back_office" &&
    primary.sources.some((source) => source.locationCode === DEMO_STOCK_LOCATION)
  )
    return;
  const said = await saveLocation(prisma, shop, {
    intent: "save",
    id: primary.shopifyId.toString(),
    stockCalculation: "back_office",
    sources: [DEMO_STOCK_LOCATION],
    salesLocationCode: DEMO_STOCK_LOCATION,
  });
  log.info({ shop: shop.domain, location: primary.name }, said);
}

/** Where the back office's main warehouse sends its stock now (the merchant may have changed it), and an item to try. */
async function demoStock(shopId: string): Promise<DemoStock | null> {
  const fed = await prisma.shopifyLocation.findFirst({
    where: {
      shopId,
      stockCalculation: "back_office",
      deletedAt: null,
      sources: { some: { locationCode: DEMO_STOCK_LOCATION } },
    },
    orderBy: [{ isPrimary: "desc" }, { name: "asc" }],
  });
  if (!fed) return null;
  return {
    locationName: fed.name,
    locationCode: DEMO_STOCK_LOCATION,
    itemNo: DEMO_CATALOG_ITEM,
    variantCode: "GRY",
    sku: `${DEMO_CATALOG_ITEM}-GRY`,
  };
}

async function demoSchedules(shopId: string): Promise<void> {
  await upsertSchedule(prisma, { shopId, task: "sync_orders", cron: "*/15 * * * *", enabled: true });
  await upsertSchedule(prisma, {
    shopId,
    task: "post_sales_orders",
    cron: "* * * * *",
    enabled: true,
    filters: { carrier: "UPS", trackingUrl: "https://www.ups.com/track?tracknum=" },
  });
  await upsertSchedule(prisma, { shopId, task: "sync_shipments", cron: "* * * * *", enabled: true });
}

/** The beanie: an item with two colours, in stock, added to Shopify and exported at once. */
async function demoCatalog(shopId: string, domain: string): Promise<void> {
  await prisma.shopSettings.update({ where: { shopId }, data: { syncItems: "to_shopify" } });
  if (!(await findItem(prisma, shopId, DEMO_CATALOG_ITEM))) {
    await createItem(prisma, shopId, {
      no: DEMO_CATALOG_ITEM,
      description: "Demo Beanie",
      descriptionHtml: "<p>A warm rib-knit beanie, made to order by the back office.</p>",
      vendor: "Back Office Sync",
      productType: "Hats",
      tags: ["demo", "winter"],
      unitPrice: "18",
      unitCost: "6",
      optionNames: ["Color"],
      variants: [
        { code: "GRY", description: "Demo Beanie - Grey", options: ["Grey"] },
        { code: "NVY", description: "Demo Beanie - Navy", options: ["Navy"] },
      ],
    });
    await postOpeningStock(
      prisma,
      shopId,
      ["GRY", "NVY"].map((variantCode) => ({
        itemNo: DEMO_CATALOG_ITEM,
        variantCode,
        locationCode: DEMO_STOCK_LOCATION,
        quantity: 100,
      })),
      "OPENING-BEANIE",
    );
  }
  await addItemsToShopify(prisma, shopId, [DEMO_CATALOG_ITEM]);
  const { run } = await enqueueSync(prisma, syncProductsTask, {
    shop: domain,
    trigger: "manual",
    jobKey: true,
  });
  log.info({ shop: domain, runId: run.id }, "the demo beanie is being exported to Shopify");
}
