// After install the demo sets the shop up as a merchant would on day one: a back office whose
// items match the shop's SKUs (their existing stock list, with opening stock), schedules that
// post orders and send shipments back every minute and reconcile orders every 15 minutes,
// and a first run of the order import. A demo that resumes keeps the schedules as the merchant
// left them and only queues the order import (for what changed while it was stopped).
import { createItem, ensureLocation, findItem, postOpeningStock } from "../app/backoffice/backoffice.server";
import prisma from "../app/db.server";
import { enqueueSync } from "../app/jobs/enqueue.server";
import { upsertSchedule } from "../app/jobs/schedules.server";
import { log } from "../app/log.server";
import { adminClientFor, operation } from "../app/shopify/admin-client.server";
import { syncOrdersTask } from "../app/sync/orders/task.server";

export const DEMO_STOCK_LIST = operation<{
  productVariants: {
    nodes: {
      sku: string | null;
      title: string;
      price: string;
      barcode: string | null;
      product: { title: string };
    }[];
  };
}>(
  "DemoStockList",
  `query DemoStockList { productVariants(first: 250) { nodes { sku title price barcode product { title } } } }`,
);

export async function queueInitialSyncs(domain: string, options: { setUp: boolean }): Promise<void> {
  const shop = await prisma.shop.findUniqueOrThrow({ where: { domain } });
  const client = await adminClientFor(domain);
  const { productVariants } = await client.request(DEMO_STOCK_LIST);
  await ensureLocation(prisma, shop.id, { code: "MAIN", name: "Main warehouse" });
  let created = 0;
  for (const variant of productVariants.nodes) {
    if (!variant.sku || (await findItem(prisma, shop.id, variant.sku))) continue;
    await createItem(prisma, shop.id, {
      no: variant.sku,
      description: `${variant.product.title} - ${variant.title}`,
      unitPrice: variant.price,
      barcode: variant.barcode ?? undefined,
    });
    await postOpeningStock(
      prisma,
      shop.id,
      [{ itemNo: variant.sku, locationCode: "MAIN", quantity: 100 }],
      "OPENING",
    );
    created += 1;
  }
  log.info({ shop: domain, items: created }, "demo back office stocked");

  if (options.setUp) await demoSchedules(shop.id);
  const { run } = await enqueueSync(prisma, syncOrdersTask, {
    shop: domain,
    trigger: "manual",
    jobKey: true,
  });
  log.info({ shop: domain, runId: run.id }, "first order import queued");
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
