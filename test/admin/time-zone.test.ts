import { createRequestHandler } from "@remix-run/node";
import { beforeAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { describeSchedule, formOf } from "../../app/admin/task-catalog";
import { formatTime } from "../../app/components/runs";
import { loader as homeLoader } from "../../app/routes/app._index";
import { loader as runsLoader } from "../../app/routes/app.runs";
import { loader as tasksLoader } from "../../app/routes/app.tasks._index";
import { action as taskAction, loader as taskLoader } from "../../app/routes/app.tasks.$task._index";
import { loader as inventoryLoader } from "../../app/routes/app.inventory";
import { adminRequest, callRoute, dataOf, sessionToken } from "../support/admin";
import { appServerBuild } from "../support/remix-build";
import { insertStagedOrder } from "../kit/staged";
import { installedShop } from "../support/shops";

/**
 * Times in the shop's time zone (issue 20): every admin page's loader hands its page the
 * shop's zone, the page shows its times in it and names it once; schedules saved from the
 * task page are read in it, and older UTC ones are shown in shop time.
 */

const FINISHED = "2026-12-03T16:20:29.000Z"; // 11:20:29 in Toronto (EST, UTC-5)

async function torontoShop() {
  const shop = await installedShop();
  await prisma.shop.update({ where: { id: shop.id }, data: { ianaTimezone: "America/Toronto" } });
  await prisma.syncRun.create({
    data: {
      id: crypto.randomUUID(),
      shopId: shop.id,
      task: "sync_orders",
      trigger: "manual",
      category: "sync",
      status: "succeeded",
      queuedAt: new Date(FINISHED),
      startedAt: new Date(FINISHED),
      finishedAt: new Date(FINISHED),
    },
  });
  return shop;
}

describe("formatTime", () => {
  it("prints the time in the zone it is given, and no zone name", () => {
    expect(formatTime(FINISHED, "America/Toronto")).toBe("3 Dec 11:20:29");
    expect(formatTime(FINISHED, "UTC")).toBe("3 Dec 16:20:29");
    expect(formatTime("2026-07-01T03:05:00Z", "America/Toronto")).toBe("30 Jun 23:05:00");
    expect(formatTime(null, "America/Toronto")).toBe("—");
  });
});

describe("describeSchedule", () => {
  const at = new Date("2026-12-03T12:00:00Z");
  it("gives a daily schedule of the shop's zone as it was saved", () => {
    expect(describeSchedule({ cron: "0 6 * * *", timeZone: "America/Toronto" }, "America/Toronto", at)).toBe(
      "Daily at 06:00",
    );
    expect(describeSchedule({ cron: "*/15 * * * *", timeZone: "UTC" }, "America/Toronto", at)).toBe(
      "Every 15 minutes",
    );
  });

  it("gives an older UTC schedule in shop time, never naming UTC to a shop elsewhere", () => {
    const old = { cron: "0 2 * * *", timeZone: "UTC" };
    expect(describeSchedule(old, "America/Toronto", at)).toBe(
      "Daily at 21:00 (22:00 part of the year, as daylight saving moves it)",
    );
    expect(describeSchedule(old, "Asia/Tokyo", at)).toBe("Daily at 11:00");
    expect(describeSchedule(old, "UTC", at)).toBe("Daily at 02:00");
    expect(formOf(old, "America/Toronto", at)).toEqual({ preset: "daily", time: "21:00" });
    // An hourly cron reads the same in a zone whole hours away; not in one half an hour away.
    expect(describeSchedule({ cron: "45 * * * *", timeZone: "UTC" }, "America/Toronto", at)).toBe(
      "Cron: 45 * * * *",
    );
    const kolkata = describeSchedule({ cron: "45 * * * *", timeZone: "UTC" }, "Asia/Kolkata", at);
    expect(kolkata).toBe("Cron: 45 * * * * (read in another time zone: save it to read it in shop time)");
    for (const text of [describeSchedule(old, "America/Toronto", at), kolkata])
      expect(text).not.toContain("UTC");
  });
});

describe("the admin's loaders", () => {
  it("hand every page the shop's time zone, UTC for a shop whose zone is not known", async () => {
    const shop = await torontoShop();
    const unknown = await installedShop();
    const loaders: ((args: never) => Promise<unknown>)[] = [
      homeLoader,
      runsLoader,
      tasksLoader,
      inventoryLoader,
    ];
    for (const loader of loaders) {
      const toronto = await dataOf<{ timeZone: string }>(
        await callRoute(loader as Parameters<typeof callRoute>[0], adminRequest(shop.domain, "/app")),
      );
      expect(toronto.timeZone).toBe("America/Toronto");
      const utc = await dataOf<{ timeZone: string }>(
        await callRoute(loader as Parameters<typeof callRoute>[0], adminRequest(unknown.domain, "/app")),
      );
      expect(utc.timeZone).toBe("UTC");
    }
  });

  it("save a schedule from the task page in the shop's zone: the daily time typed is shop time", async () => {
    const shop = await torontoShop();
    await callRoute(
      taskAction,
      adminRequest(shop.domain, "/app/tasks/sync_orders", {
        intent: "schedule",
        enabled: "on",
        preset: "daily",
        time: "06:00",
        category: "sync",
      }),
      { task: "sync_orders" },
    );
    const schedule = await prisma.schedule.findUniqueOrThrow({
      where: { shopId_task: { shopId: shop.id, task: "sync_orders" } },
    });
    expect(schedule).toMatchObject({ cron: "0 6 * * *", timeZone: "America/Toronto" });
    const hour = new Intl.DateTimeFormat("en-CA", {
      timeZone: "America/Toronto",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    }).format(schedule.nextRunAt!);
    expect(hour).toBe("06:00");

    const page = await dataOf<{
      schedule: { summary: string; preset: string; time: string };
      timeZone: string;
    }>(
      await callRoute(taskLoader, adminRequest(shop.domain, "/app/tasks/sync_orders"), {
        task: "sync_orders",
      }),
    );
    expect(page.schedule).toMatchObject({ summary: "Daily at 06:00", preset: "daily", time: "06:00" });
  });
});

describe("the pages, as a browser gets them from the server", () => {
  let handle: (request: Request) => Promise<Response>;
  beforeAll(async () => {
    handle = createRequestHandler(await appServerBuild(), "production");
  }, 120_000);

  async function page(domain: string, path: string): Promise<string> {
    const url = new URL(path, "http://127.0.0.1:3999");
    url.searchParams.set("embedded", "1");
    url.searchParams.set("shop", domain);
    url.searchParams.set("host", Buffer.from(`${domain}/admin`).toString("base64url"));
    url.searchParams.set("id_token", sessionToken(domain));
    const response = await handle(
      new Request(url, {
        headers: {
          "user-agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36",
        },
      }),
    );
    const html = await response.text();
    expect(response.status, html.slice(0, 500)).toBe(200);
    // The page's text, without the loader data Remix inlines for hydration.
    return html.replace(/<script[\s\S]*?<\/script>/g, "");
  }

  it("show the runs' times in the shop's zone and name it once, with no UTC", async () => {
    const shop = await torontoShop();
    for (const path of ["/app", "/app/runs", "/app/tasks", "/app/tasks/sync_orders"]) {
      const html = await page(shop.domain, path);
      expect(html, path).toContain("3 Dec 11:20:29");
      expect(html.split("Times in America/Toronto").length - 1, path).toBe(1);
      expect(html, path).not.toMatch(/\bUTC\b/);
    }
    const inventory = await page(shop.domain, "/app/inventory");
    expect(inventory.split("Times in America/Toronto").length - 1).toBe(1);
    expect(inventory).not.toMatch(/\bUTC\b/);
  });

  it("name a run's task, trigger and job category in words on the job list and the tasks page", async () => {
    const shop = await torontoShop();
    await prisma.syncRun.create({
      data: {
        id: crypto.randomUUID(),
        shopId: shop.id,
        task: "process_orders",
        trigger: "schedule",
        category: "orders",
        status: "succeeded",
        queuedAt: new Date(FINISHED),
        finishedAt: new Date(FINISHED),
      },
    });
    // The text as read: without the markers React puts between a text and a value.
    const text = (html: string) => html.replace(/<!-- -->/g, "");
    const runs = text(await page(shop.domain, "/app/runs"));
    expect(runs).toContain("Process orders");
    expect(runs).toContain("Schedule");
    expect(runs).toContain("Filters: none · Job category: Orders");
    // The category every task shared before the manifests gave each its own.
    expect(runs).toContain("Filters: none · Job category: Shared");
    expect(runs).not.toMatch(/process_orders<|>sync_orders|· (orders|sync)\b/);
    const tasks = text(await page(shop.domain, "/app/tasks"));
    const row = tasks.slice(tasks.indexOf(">Sync orders<"));
    expect(row.slice(0, row.indexOf("</tr>"))).toContain(">Orders<");
    expect(tasks).toContain("Job category");
  });

  it("show an order's time in the shop's zone on the orders page, and name it once", async () => {
    const shop = await torontoShop();
    const order = await insertStagedOrder(shop, { name: "#TZ1", lines: [{ title: "Mug" }] });
    await prisma.shopifyOrder.update({
      where: { id: order.id },
      data: { shopifyCreatedAt: new Date(FINISHED) },
    });
    const html = await page(shop.domain, "/app/orders");
    expect(html).toContain("#TZ1");
    expect(html).toMatch(/placed (<!-- -->)?3 Dec 11:20:29/);
    expect(html.split("Times in America/Toronto").length - 1).toBe(1);
    const shipments = await page(shop.domain, "/app/shipments");
    expect(shipments.split("Times in America/Toronto").length - 1).toBe(1);
  });
});
