import { afterEach, describe, expect, it } from "vitest";
import type { ChangeEntity } from "../../app/backoffice/backoffice.server";
import prisma, { type Db } from "../../app/db.server";
import {
  LISTENER_APPLICATION_NAME,
  listenForBackOfficeChanges,
  type BackOfficeListener,
} from "../../app/sync/backoffice-doorbell.server";
import { PRODUCT_TASK } from "../../app/sync/products/records.server";
import { installedShop, withoutDefaultSchedules } from "../support/shops";

/**
 * The back office's doorbell under a burst of postings: every posting notifies its shipment
 * and its stock, and every worker process hears both. A change no task follows (a posted
 * shipment's) is answered without reading the shop; one a task follows still queues its run.
 * No worker runs here, so the runs rung stay queued.
 */

let listener: BackOfficeListener | undefined;
afterEach(async () => {
  await listener?.close();
  listener = undefined;
});

/** The app's client, counting the shops the doorbell reads (by id). */
function countingShopReads(): { db: Db; reads: string[] } {
  const reads: string[] = [];
  const db = prisma.$extends({
    query: {
      shop: {
        async findUnique({ args, query }) {
          if (typeof args.where.id === "string") reads.push(args.where.id);
          return query(args);
        },
      },
    },
  }) as unknown as Db;
  return { db, reads };
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, ms = 10_000) {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function listening(): Promise<boolean> {
  const [row] = await prisma.$queryRaw<{ count: bigint }[]>`
    select count(*) as count from pg_stat_activity
     where datname = current_database() and application_name = ${LISTENER_APPLICATION_NAME}
       and query ilike 'listen%'`;
  return Number(row?.count ?? 0) > 0;
}

async function exportingShop() {
  const shop = await installedShop();
  await withoutDefaultSchedules(shop.id);
  await prisma.shopSettings.update({ where: { shopId: shop.id }, data: { syncItems: "to_shopify" } });
  return shop;
}

/** One change per transaction, all at once (as the back office writes them): each commit notifies. */
function burst(shopId: string, entity: ChangeEntity, keys: string[]) {
  return Promise.all(
    keys.map(
      (key) =>
        prisma.$executeRaw`insert into "BoChange" ("shopId", entity, key) values (${shopId}::uuid, ${entity}, ${key})`,
    ),
  );
}

const rungRuns = (shopId: string) => prisma.syncRun.findMany({ where: { shopId, trigger: "back_office" } });

describe("the back office's doorbell under a burst of postings", () => {
  it("reads nothing for the posted shipments' changes, and still queues the export for an item's", async () => {
    const shop = await exportingShop();
    const { db, reads } = countingShopReads();
    listener = listenForBackOfficeChanges(db);
    await until("the listener", listening);

    await burst(
      shop.id,
      "posted_shipment",
      Array.from({ length: 30 }, (_, i) => `PS${i}`),
    );
    // Notifications are handled in commit order: once the item's run is queued, every
    // shipment's change before it has been answered.
    await burst(shop.id, "item", ["CAP"]);
    await until("the export's run", async () => (await rungRuns(shop.id)).length > 0);

    expect(reads).toEqual([shop.id]);
    const runs = await rungRuns(shop.id);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ task: PRODUCT_TASK, status: "queued", startedAt: null });
  });
});
