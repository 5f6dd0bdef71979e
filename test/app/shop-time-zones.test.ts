import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { readMissingShopTimeZones, recordUninstall } from "../../app/shops/shops.server";
import { loader as tasksLoader } from "../../app/routes/app.tasks._index";
import { adminRequest, callRoute, dataOf } from "../support/admin";
import { installedShop } from "../support/shops";
import { startSimulator, type RunningSimulator } from "../support/simulator";
import { Store } from "../support/store";

/**
 * Shops installed before the app kept time zones have none until shop/update or a reinstall:
 * when a worker process starts it asks Shopify (here the simulator) for each of them once, as
 * the install does, and the admin shows their times in the shop's zone from then on.
 */

let simulator: RunningSimulator;

beforeAll(async () => {
  simulator = await startSimulator(null);
  process.env.SHOPIFY_ADMIN_ORIGIN = simulator.url;
});
afterAll(() => simulator?.close());

/** A shop installed before time zones: an offline token Shopify accepts, no zone recorded. */
async function shopFromBefore(zoneInShopify: string) {
  const shop = await installedShop();
  const store = new Store(simulator, shop.domain);
  simulator.sim.shop(shop.domain).ianaTimezone = zoneInShopify;
  await prisma.session.update({
    where: { id: `offline_${shop.domain}` },
    data: { accessToken: store.token },
  });
  return shop;
}

type TasksPage = { timeZone: string; tasks: { name: string; schedule: { summary: string } | null }[] };

async function tasksPage(domain: string) {
  const page = await dataOf<TasksPage>(await callRoute(tasksLoader, adminRequest(domain, "/app/tasks")));
  return {
    timeZone: page.timeZone,
    orders: page.tasks.find((task) => task.name === "sync_orders")?.schedule,
  };
}

describe("a shop recorded before time zones, when a worker starts", () => {
  it("gets its zone from Shopify, once; its UTC schedule keeps its instants and is shown in shop time", async () => {
    const toronto = await shopFromBefore("America/Toronto");
    // Its order sync, saved before time zones: daily at 02:00 UTC.
    const nextRunAt = new Date("2026-12-04T02:00:00Z");
    await prisma.schedule.update({
      where: { shopId_task: { shopId: toronto.id, task: "sync_orders" } },
      data: { cron: "0 2 * * *", timeZone: "UTC", enabled: true, nextRunAt },
    });
    // A shop whose zone shop/update already gave, one whose token Shopify refuses, one gone.
    const paris = await shopFromBefore("America/Toronto");
    await prisma.shop.update({ where: { id: paris.id }, data: { ianaTimezone: "Europe/Paris" } });
    const refused = await installedShop(); // its token is not one the simulator issued
    const gone = await shopFromBefore("Asia/Tokyo");
    await prisma.$transaction((tx) => recordUninstall(tx, gone.domain));

    expect(await tasksPage(toronto.domain)).toEqual({
      timeZone: "UTC",
      orders: { enabled: true, summary: "Daily at 02:00" },
    });

    expect(await readMissingShopTimeZones(prisma)).toEqual({ asked: 2, recorded: 1 });

    const zones = await prisma.shop.findMany({
      where: { id: { in: [toronto.id, paris.id, refused.id, gone.id] } },
      select: { id: true, ianaTimezone: true },
    });
    expect(new Map(zones.map((shop) => [shop.id, shop.ianaTimezone]))).toEqual(
      new Map([
        [toronto.id, "America/Toronto"],
        [paris.id, "Europe/Paris"],
        [refused.id, null],
        [gone.id, null],
      ]),
    );
    // The schedule fires when it did; the page gives it in Toronto's time and names the zone.
    expect(
      await prisma.schedule.findUniqueOrThrow({
        where: { shopId_task: { shopId: toronto.id, task: "sync_orders" } },
      }),
    ).toMatchObject({ cron: "0 2 * * *", timeZone: "UTC", nextRunAt });
    expect(await tasksPage(toronto.domain)).toEqual({
      timeZone: "America/Toronto",
      orders: {
        enabled: true,
        summary: "Daily at 21:00 (22:00 part of the year, as daylight saving moves it)",
      },
    });

    // The next start asks only for the shop still without a zone.
    simulator.sim.shop(toronto.domain).ianaTimezone = "Europe/Berlin";
    expect(await readMissingShopTimeZones(prisma)).toEqual({ asked: 1, recorded: 0 });
    expect((await prisma.shop.findUniqueOrThrow({ where: { id: toronto.id } })).ianaTimezone).toBe(
      "America/Toronto",
    );
  });

  it("when Shopify cannot be reached, leaves the shops in UTC for the next start and does not throw", async () => {
    const shop = await shopFromBefore("America/Toronto");
    const unreachable = (() => Promise.reject(new TypeError("fetch failed"))) as typeof fetch;
    const result = await readMissingShopTimeZones(prisma, { fetch: unreachable });
    expect(result.recorded).toBe(0);
    expect((await prisma.shop.findUniqueOrThrow({ where: { id: shop.id } })).ianaTimezone).toBeNull();
    expect(await readMissingShopTimeZones(prisma)).toMatchObject({ recorded: 1 });
    expect((await prisma.shop.findUniqueOrThrow({ where: { id: shop.id } })).ianaTimezone).toBe(
      "America/Toronto",
    );
  });
});
