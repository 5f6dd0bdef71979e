import { describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { enqueueSync } from "../../app/jobs/enqueue.server";
import { addDefaultSchedules, nextRun, tickSchedules, upsertSchedule } from "../../app/jobs/schedules.server";
import { recordInstall, recordUninstall } from "../../app/shops/shops.server";
import { DEFAULT_SCHEDULES } from "../../app/sync/index.server";
import { syncProductsTask } from "../../app/sync/products/task.server";
import { installedShop } from "../support/shops";

/**
 * The product sync's default schedule: hourly, skipped by the tick for a shop that does not
 * sync items, and given to shops installed before it had one.
 */

const HOUR = 60 * 60_000;

async function productSchedule(shopId: string) {
  return prisma.schedule.findUniqueOrThrow({ where: { shopId_task: { shopId, task: "sync_products" } } });
}

async function productRuns(shopId: string) {
  return prisma.syncRun.findMany({ where: { shopId, task: "sync_products" } });
}

describe("a new shop", () => {
  it("starts with the product sync scheduled hourly, on the hour", async () => {
    const shop = await installedShop();

    const schedule = await productSchedule(shop.id);

    expect(schedule).toMatchObject({ cron: "0 * * * *", enabled: true, category: "products", filters: {} });
    expect(schedule.nextRunAt!.getTime() % HOUR).toBe(0);
    expect(schedule.nextRunAt!.getTime()).toBeGreaterThan(Date.now() - 1000);
    expect(schedule.nextRunAt!.getTime()).toBeLessThanOrEqual(Date.now() + HOUR);
  });
});

describe("the schedule tick, for the product sync", () => {
  it("queues no run for a shop whose Sync items is off and moves its schedule on; queues one for a shop that exports", async () => {
    const off = await installedShop();
    const exporting = await installedShop();
    await prisma.shopSettings.update({ where: { shopId: exporting.id }, data: { syncItems: "to_shopify" } });
    const at = new Date(Date.now() + HOUR + 60_000);

    await tickSchedules(at);

    expect(await productRuns(off.id)).toEqual([]);
    const skipped = await productSchedule(off.id);
    expect(skipped.nextRunAt!.getTime()).toBe(nextRun("0 * * * *", at, "UTC").getTime());
    expect(skipped.lastRunAt).toBeNull();
    expect(await productRuns(exporting.id)).toMatchObject([{ trigger: "schedule", status: "queued" }]);
    const fired = await productSchedule(exporting.id);
    expect(fired.nextRunAt!.getTime()).toBe(nextRun("0 * * * *", at, "UTC").getTime());
    expect(fired.lastRunAt!.getTime()).toBe(at.getTime());
    // The order sync's schedule of the shop that does not sync items fires as before.
    expect(await prisma.syncRun.count({ where: { shopId: off.id, task: "sync_orders" } })).toBe(1);
  });

  it("asks again each time: once the shop turns Sync items on, the next due schedule queues a run", async () => {
    const shop = await installedShop();
    const first = new Date(Date.now() + HOUR + 60_000);
    await tickSchedules(first);
    expect(await productRuns(shop.id)).toEqual([]);

    await prisma.shopSettings.update({ where: { shopId: shop.id }, data: { syncItems: "from_shopify" } });
    await tickSchedules(new Date(first.getTime() + HOUR));

    expect(await productRuns(shop.id)).toMatchObject([{ trigger: "schedule" }]);
  });

  it("leaves runs asked by hand alone: one for a shop whose Sync items is off is queued as before", async () => {
    const shop = await installedShop();

    await enqueueSync(prisma, syncProductsTask, { shop: shop.domain, trigger: "manual" });

    expect(await productRuns(shop.id)).toMatchObject([{ trigger: "manual", status: "queued" }]);
  });
});

describe("default schedules for shops installed before a task had one", () => {
  it("are added once, however often it runs; a shop's own row and uninstalled shops are left alone", async () => {
    const before = await installedShop();
    await prisma.schedule.deleteMany({ where: { shopId: before.id, task: "sync_products" } });
    const own = await installedShop();
    await upsertSchedule(prisma, {
      shopId: own.id,
      task: "sync_products",
      cron: "0 3 * * *",
      enabled: false,
    });
    const gone = await installedShop();
    await prisma.schedule.deleteMany({ where: { shopId: gone.id } });
    await prisma.$transaction((tx) => recordUninstall(tx, gone.domain));

    expect(await addDefaultSchedules(prisma)).toBeGreaterThanOrEqual(1);
    expect(await addDefaultSchedules(prisma)).toBe(0);

    const added = await prisma.schedule.findMany({ where: { shopId: before.id, task: "sync_products" } });
    expect(added).toMatchObject([{ cron: "0 * * * *", enabled: true, category: "products", filters: {} }]);
    const due = added[0]!.nextRunAt!.getTime();
    expect(due % HOUR).toBe(0);
    expect(due).toBeGreaterThan(Date.now() - 1000);
    expect(due).toBeLessThanOrEqual(Date.now() + HOUR);
    expect(await productSchedule(own.id)).toMatchObject({
      cron: "0 3 * * *",
      enabled: false,
      nextRunAt: null,
    });
    expect(await prisma.schedule.count({ where: { shopId: gone.id } })).toBe(0);

    // The uninstalled shop gets them when it comes back.
    await recordInstall(prisma, { domain: gone.domain, scopes: "read_orders" });
    expect(
      (await prisma.schedule.findMany({ where: { shopId: gone.id }, orderBy: { task: "asc" } })).map(
        (row) => row.task,
      ),
      // Every task's default schedule (test/sync/manifests.test.ts names them).
    ).toEqual(DEFAULT_SCHEDULES.map(({ task }) => task.name).sort());
  });

  it("for one shop adds only that shop's", async () => {
    const one = await installedShop();
    const other = await installedShop();
    await prisma.schedule.deleteMany({ where: { shopId: { in: [one.id, other.id] } } });

    expect(await addDefaultSchedules(prisma, { shopId: one.id })).toBe(DEFAULT_SCHEDULES.length);

    expect(await prisma.schedule.count({ where: { shopId: one.id } })).toBe(DEFAULT_SCHEDULES.length);
    expect(await prisma.schedule.count({ where: { shopId: other.id } })).toBe(0);
  });
});
