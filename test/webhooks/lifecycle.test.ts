import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { enqueueSync } from "../../app/jobs/enqueue.server";
import { tickSchedules, upsertSchedule } from "../../app/jobs/schedules.server";
import { recordInstall } from "../../app/shops/shops.server";
import { installedShop } from "../support/shops";
import { probeTask } from "../support/tasks";
import { deliver, examplePayload } from "../support/webhooks";

async function queuedJobsOf(domain: string): Promise<number> {
  const [row] = await prisma.$queryRaw<{ count: bigint }[]>`
    select count(*) from graphile_worker.jobs where queue_name like ${`shop:${domain}:%`}`;
  return Number(row?.count ?? 0);
}

describe("when a shop uninstalls the app", () => {
  it("is marked uninstalled, loses its sessions, its waiting runs are cancelled and schedules stop", async () => {
    const shop = await installedShop();
    await prisma.shopSettings.update({ where: { shopId: shop.id }, data: { allowBackgroundSyncs: false } });
    await upsertSchedule(
      prisma,
      { shopId: shop.id, task: probeTask.name, cron: "*/5 * * * *", enabled: true },
      [probeTask],
    );
    const { run } = await enqueueSync(prisma, probeTask, { shop: shop.domain, trigger: "manual" });
    expect(await queuedJobsOf(shop.domain)).toBe(1);

    const status = await deliver({
      topic: "app/uninstalled",
      shop: shop.domain,
      payload: examplePayload("app/uninstalled"),
    });

    expect(status).toBe(200);
    const after = await prisma.shop.findUniqueOrThrow({ where: { id: shop.id } });
    expect(after.uninstalledAt).not.toBeNull();
    expect(await prisma.session.count({ where: { shop: shop.domain } })).toBe(0);
    expect(await queuedJobsOf(shop.domain)).toBe(0);
    expect(await prisma.syncRun.findUniqueOrThrow({ where: { id: run.id } })).toMatchObject({
      status: "cancelled",
      error: "the shop uninstalled the app",
    });
    // An hour later the schedule is due, but the shop is gone: nothing fires.
    expect(await tickSchedules(new Date(Date.now() + 3_600_000), [probeTask])).toBe(0);
    // And nothing can be queued for it.
    await expect(enqueueSync(prisma, probeTask, { shop: shop.domain, trigger: "manual" })).rejects.toThrow(
      /uninstalled/,
    );
  });

  it("comes back on reinstall with the settings and schedules it had", async () => {
    const shop = await installedShop();
    await prisma.shopSettings.update({ where: { shopId: shop.id }, data: { allowBackgroundSyncs: false } });
    await upsertSchedule(
      prisma,
      { shopId: shop.id, task: probeTask.name, cron: "0 * * * *", enabled: true },
      [probeTask],
    );
    await deliver({
      topic: "app/uninstalled",
      shop: shop.domain,
      payload: examplePayload("app/uninstalled"),
    });

    const again = await recordInstall(prisma, { domain: shop.domain, scopes: "read_orders" });

    expect(again.id).toBe(shop.id);
    expect(again.uninstalledAt).toBeNull();
    expect(await prisma.shopSettings.findUniqueOrThrow({ where: { shopId: shop.id } })).toMatchObject({
      allowBackgroundSyncs: false,
    });
    expect(await tickSchedules(new Date(Date.now() + 3_600_000), [probeTask])).toBe(1);
  });
});

describe("when a shop installs the app", () => {
  it("starts with the order sync scheduled every 15 minutes, which fires a scheduled run", async () => {
    const shop = await installedShop();

    const schedules = await prisma.schedule.findMany({
      where: { shopId: shop.id },
      orderBy: { task: "asc" },
    });

    expect(schedules).toMatchObject([
      { task: "sync_companies", cron: "45 * * * *", enabled: true, category: "customers" },
      { task: "sync_customers", cron: "15 * * * *", enabled: true, category: "customers" },
      { task: "sync_images", cron: "5 * * * *", enabled: true, category: "products" },
      { task: "sync_inventory", cron: "30 2 * * *", enabled: true, category: "shipments" },
      { task: "sync_orders", cron: "*/15 * * * *", enabled: true, category: "orders", filters: {} },
      { task: "sync_products", cron: "0 * * * *", enabled: true, category: "products", filters: {} },
    ]);
    expect(schedules[5]!.nextRunAt!.getTime()).toBeLessThanOrEqual(Date.now() + 60 * 60_000);
    expect(schedules[5]!.nextRunAt!.getTime() % (60 * 60_000)).toBe(0);
    expect(schedules[4]!.nextRunAt!.getTime()).toBeLessThanOrEqual(Date.now() + 15 * 60_000);
    // A new shop's card leaves the others idle: only the order sync's run is queued.
    await tickSchedules(new Date(Date.now() + 16 * 60_000));
    expect(await prisma.syncRun.findMany({ where: { shopId: shop.id } })).toMatchObject([
      { task: "sync_orders", trigger: "schedule", status: "queued" },
    ]);
  });

  it("keeps the merchant's own order schedule across a reinstall, and adds no second one", async () => {
    const shop = await installedShop();
    await upsertSchedule(prisma, { shopId: shop.id, task: "sync_orders", cron: "0 * * * *", enabled: false });
    await deliver({
      topic: "app/uninstalled",
      shop: shop.domain,
      payload: examplePayload("app/uninstalled"),
    });

    await recordInstall(prisma, { domain: shop.domain, scopes: "read_orders" });
    await recordInstall(prisma, { domain: shop.domain, scopes: "read_orders" });

    expect(
      await prisma.schedule.findMany({ where: { shopId: shop.id }, orderBy: { task: "asc" } }),
    ).toMatchObject([
      { task: "sync_companies", cron: "45 * * * *", enabled: true },
      { task: "sync_customers", cron: "15 * * * *", enabled: true },
      { task: "sync_images", cron: "5 * * * *", enabled: true },
      { task: "sync_inventory", cron: "30 2 * * *", enabled: true },
      { task: "sync_orders", cron: "0 * * * *", enabled: false, nextRunAt: null },
      { task: "sync_products", cron: "0 * * * *", enabled: true },
    ]);
  });
});

describe("for shops installed before they started with an order schedule", () => {
  it("migration 20261201000000 adds it, and leaves a merchant's own as it is", async () => {
    const before = await installedShop();
    await prisma.schedule.deleteMany({ where: { shopId: before.id } });
    const own = await installedShop();
    await upsertSchedule(prisma, { shopId: own.id, task: "sync_orders", cron: "0 * * * *", enabled: false });
    const sql = readFileSync(
      path.resolve(
        import.meta.dirname,
        "../../prisma/migrations/20261201000000_default_order_schedule/migration.sql",
      ),
      "utf8",
    );

    await prisma.$executeRawUnsafe(sql);
    await prisma.$executeRawUnsafe(sql); // and a second time changes nothing

    const added = await prisma.schedule.findMany({ where: { shopId: before.id } });
    expect(added).toMatchObject([
      { task: "sync_orders", cron: "*/15 * * * *", enabled: true, category: "sync" },
    ]);
    const due = added[0]!.nextRunAt!.getTime();
    expect(due).toBeGreaterThan(Date.now() - 1000);
    expect(due).toBeLessThanOrEqual(Date.now() + 15 * 60_000);
    expect(due % (15 * 60_000)).toBe(0);
    expect(await prisma.schedule.findMany({ where: { shopId: own.id, task: "sync_orders" } })).toMatchObject([
      { task: "sync_orders", cron: "0 * * * *", enabled: false },
    ]);
  });
});

describe("when a webhook is delivered twice", () => {
  it("the repeat with the same webhook id changes nothing", async () => {
    const shop = await installedShop();
    const webhookId = randomUUID();
    const payload = examplePayload("app/uninstalled");
    expect(await deliver({ topic: "app/uninstalled", shop: shop.domain, payload, webhookId })).toBe(200);
    await recordInstall(prisma, { domain: shop.domain, scopes: "read_orders" });

    // Shopify retries the old uninstall (same webhook id): the reinstalled shop must stay.
    expect(await deliver({ topic: "app/uninstalled", shop: shop.domain, payload, webhookId })).toBe(200);

    expect((await prisma.shop.findUniqueOrThrow({ where: { id: shop.id } })).uninstalledAt).toBeNull();
    expect(await prisma.webhookDelivery.count({ where: { webhookId } })).toBe(1);
  });

  it("the same event arriving under another webhook id is recognised too", async () => {
    const shop = await installedShop();
    const eventId = randomUUID();
    const payload = examplePayload("app/uninstalled");
    await deliver({ topic: "app/uninstalled", shop: shop.domain, payload, eventId });
    await recordInstall(prisma, { domain: shop.domain, scopes: "read_orders" });

    expect(await deliver({ topic: "app/uninstalled", shop: shop.domain, payload, eventId })).toBe(200);

    expect((await prisma.shop.findUniqueOrThrow({ where: { id: shop.id } })).uninstalledAt).toBeNull();
  });
});

describe("when the merchant changes the app's scopes", () => {
  it("the shop and its sessions carry the new scopes", async () => {
    const shop = await installedShop();
    const payload = { ...examplePayload("app/scopes_update"), current: ["read_orders", "read_products"] };

    expect(await deliver({ topic: "app/scopes_update", shop: shop.domain, payload })).toBe(200);

    expect((await prisma.shop.findUniqueOrThrow({ where: { id: shop.id } })).scopes).toBe(
      "read_orders,read_products",
    );
    expect((await prisma.session.findFirstOrThrow({ where: { shop: shop.domain } })).scope).toBe(
      "read_orders,read_products",
    );
  });
});

describe("when the merchant changes the shop's settings (shop/update)", () => {
  it("keeps the shop's time zone from it; a null or unknown zone changes nothing", async () => {
    const shop = await installedShop();
    const send = (iana_timezone: unknown, id: string) =>
      deliver({
        topic: "shop/update",
        shop: shop.domain,
        payload: { ...examplePayload("shop/update"), iana_timezone },
        webhookId: `${id}-${shop.id}`,
      });
    const zone = async () => (await prisma.shop.findUniqueOrThrow({ where: { id: shop.id } })).ianaTimezone;

    expect(await send("America/Toronto", "set")).toBe(200);
    expect(await zone()).toBe("America/Toronto");
    // Shopify's own example payload has null: the zone we have stays.
    expect(await send(null, "null")).toBe(200);
    expect(await send("Mars/Olympus", "unknown")).toBe(200);
    expect(await zone()).toBe("America/Toronto");
    // A body without the field is not a shop.
    const { iana_timezone: _left, ...without } = examplePayload("shop/update");
    expect(
      await deliver({
        topic: "shop/update",
        shop: shop.domain,
        payload: without,
        webhookId: `none-${shop.id}`,
      }),
    ).toBe(400);
  });
});
