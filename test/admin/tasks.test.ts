import { describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { loadTasks } from "../../app/jobs/worker.server";
import { action as filtersAction, loader as filtersLoader } from "../../app/routes/app.tasks.$task.filters";
import { action as taskAction, loader as taskLoader } from "../../app/routes/app.tasks.$task._index";
import { loader as tasksLoader } from "../../app/routes/app.tasks._index";
import { adminRequest, callRoute, dataOf, statusOf } from "../support/admin";
import { installedShop } from "../support/shops";

const ORDERS = { task: "sync_orders" };

async function jobOf(runId: string) {
  const [job] = await prisma.$queryRaw<{ queue_name: string; task_identifier: string }[]>`
    select queue_name, task_identifier from graphile_worker.jobs
     where id = (select "jobId"::bigint from "SyncRun" where id = ${runId}::uuid)`;
  return job;
}

async function listedTasks(domain: string) {
  return dataOf<{ tasks: { name: string; available: boolean; lastRun: unknown }[] }>(
    await callRoute(tasksLoader, adminRequest(domain, "/app/tasks")),
  );
}

describe("the tasks page", () => {
  it("lists every task of the mission, built or not", async () => {
    const shop = await installedShop();
    const { tasks } = await listedTasks(shop.domain);
    expect(tasks.map((task) => task.name)).toEqual(
      expect.arrayContaining([
        "sync_orders",
        "process_orders",
        "sync_shipments",
        "sync_inventory",
        "sync_payments",
      ]),
    );
  });

  it("shows a task as available exactly when the worker has it registered", async () => {
    const shop = await installedShop();
    const { tasks } = await listedTasks(shop.domain);
    const registered = await loadTasks();
    expect(tasks.map((task) => [task.name, task.available])).toEqual(
      tasks.map((task) => [task.name, task.name in registered]),
    );
    expect(tasks.some((task) => task.available)).toBe(true);
  });
});

describe("a scheduled task with nothing to do for the shop's settings", () => {
  it("shows why instead of a next run, and its next run once the settings use it", async () => {
    const shop = await installedShop();
    const products = async () => {
      const { tasks } = await dataOf<{
        tasks: {
          name: string;
          schedule: { enabled: boolean } | null;
          nextRunAt: string | null;
          idle: string | null;
        }[];
      }>(await callRoute(tasksLoader, adminRequest(shop.domain, "/app/tasks")));
      const listed = tasks.find((task) => task.name === "sync_products")!;
      const page = await dataOf<{ schedule: { nextRunAt: string | null; idle: string | null } }>(
        await callRoute(taskLoader, adminRequest(shop.domain, "/app/tasks/sync_products"), {
          task: "sync_products",
        }),
      );
      return { listed, page: page.schedule };
    };

    // Sync items is off, as on a new shop: the hourly schedule queues no run.
    const off = await products();
    expect(off.listed).toMatchObject({
      schedule: { enabled: true },
      nextRunAt: null,
      idle: "Sync items is off on the shop card",
    });
    expect(off.page).toMatchObject({ nextRunAt: null, idle: "Sync items is off on the shop card" });

    await prisma.shopSettings.update({ where: { shopId: shop.id }, data: { syncItems: "to_shopify" } });
    const on = await products();
    expect(on.listed).toMatchObject({ idle: null, nextRunAt: expect.any(String) as unknown });
    expect(on.page).toMatchObject({ idle: null, nextRunAt: on.listed.nextRunAt });
  });
});

describe("when a merchant sets the orders task to fully paid every 15 minutes", () => {
  it("keeps the filter and the schedule, and the next run is due in the next quarter hour", async () => {
    const shop = await installedShop();

    const filters = await callRoute(
      filtersAction,
      adminRequest(shop.domain, "/app/tasks/sync_orders/filters", { financialStatus: "paid", tag: "" }),
      ORDERS,
    );
    expect(statusOf(filters)).toBe(200);
    const schedule = await callRoute(
      taskAction,
      adminRequest(shop.domain, "/app/tasks/sync_orders", {
        intent: "schedule",
        enabled: "on",
        preset: "every15",
        category: "orders",
      }),
      ORDERS,
    );
    expect(statusOf(schedule)).toBe(200);

    const stored = await prisma.schedule.findUniqueOrThrow({
      where: { shopId_task: { shopId: shop.id, task: "sync_orders" } },
    });
    expect(stored).toMatchObject({
      cron: "*/15 * * * *",
      enabled: true,
      category: "orders",
      filters: { financialStatus: "paid" },
    });
    const next = stored.nextRunAt!;
    expect(next.getUTCMinutes() % 15).toBe(0);
    expect(next.getTime() - Date.now()).toBeLessThanOrEqual(15 * 60_000);
    expect(next.getTime()).toBeGreaterThan(stored.updatedAt.getTime() - 1000);

    const page = await dataOf<{ schedule: { preset: string; enabled: boolean }; filters: string }>(
      await callRoute(taskLoader, adminRequest(shop.domain, "/app/tasks/sync_orders"), ORDERS),
    );
    expect(page.schedule).toMatchObject({ preset: "every15", enabled: true });
    expect(page.filters).toBe("Payment status: Fully paid");
    const form = await dataOf<{ values: Record<string, string> }>(
      await callRoute(filtersLoader, adminRequest(shop.domain, "/app/tasks/sync_orders/filters"), ORDERS),
    );
    expect(form.values.financialStatus).toBe("paid");
  });

  it("saves a daily time as a cron expression, and refuses a bad one without saving", async () => {
    const shop = await installedShop();
    await callRoute(
      taskAction,
      adminRequest(shop.domain, "/app/tasks/sync_orders", {
        intent: "schedule",
        enabled: "on",
        preset: "daily",
        time: "02:30",
        category: "sync",
      }),
      ORDERS,
    );
    const where = { shopId_task: { shopId: shop.id, task: "sync_orders" } };
    expect((await prisma.schedule.findUniqueOrThrow({ where })).cron).toBe("30 2 * * *");

    const refused = await callRoute(
      taskAction,
      adminRequest(shop.domain, "/app/tasks/sync_orders", {
        intent: "schedule",
        enabled: "on",
        preset: "cron",
        cron: "every day",
        category: "Not A Slug",
      }),
      ORDERS,
    );
    expect(statusOf(refused)).toBe(400);
    const body = await dataOf<{ fields: Record<string, string> }>(refused);
    expect(Object.keys(body.fields).sort()).toEqual(["category", "cron"]);
    expect((await prisma.schedule.findUniqueOrThrow({ where })).cron).toBe("30 2 * * *");
  });

  it("refuses a filter value Shopify does not know, and keeps the filters it had", async () => {
    const shop = await installedShop();
    await callRoute(
      filtersAction,
      adminRequest(shop.domain, "/app/tasks/sync_orders/filters", { financialStatus: "paid" }),
      ORDERS,
    );
    const refused = await callRoute(
      filtersAction,
      adminRequest(shop.domain, "/app/tasks/sync_orders/filters", {
        financialStatus: "mostly_paid",
        createdFrom: "2026-11-30",
        createdTo: "2026-11-01",
      }),
      ORDERS,
    );
    expect(statusOf(refused)).toBe(400);
    const body = await dataOf<{ fields: Record<string, string> }>(refused);
    expect(body.fields.financialStatus).toBeDefined();
    const stored = await prisma.schedule.findUniqueOrThrow({
      where: { shopId_task: { shopId: shop.id, task: "sync_orders" } },
    });
    expect(stored.filters).toEqual({ financialStatus: "paid" });
    // The schedule the shop started with is left as it was.
    expect(stored).toMatchObject({ enabled: true, cron: "*/15 * * * *" });
  });

  it("answers 404 for a task that does not exist or is not built yet", async () => {
    const shop = await installedShop();
    const registered = await loadTasks();
    const notBuilt = (await listedTasks(shop.domain)).tasks.find((task) => !(task.name in registered));
    for (const task of ["no_such_task", ...(notBuilt ? [notBuilt.name] : [])]) {
      const thrown = await callRoute(taskLoader, adminRequest(shop.domain, `/app/tasks/${task}`), {
        task,
      }).catch((error: unknown) => error);
      expect(thrown).toBeInstanceOf(Response);
      expect((thrown as Response).status).toBe(404);
    }
  });
});

describe("Run now", () => {
  it("with background syncs on, queues the run with the task's filters in its category and returns at once", async () => {
    const shop = await installedShop();
    await callRoute(
      filtersAction,
      adminRequest(shop.domain, "/app/tasks/sync_orders/filters", { financialStatus: "paid" }),
      ORDERS,
    );
    await callRoute(
      taskAction,
      adminRequest(shop.domain, "/app/tasks/sync_orders", {
        intent: "schedule",
        enabled: "",
        preset: "every15",
        category: "orders",
      }),
      ORDERS,
    );

    const result = await dataOf<{ mode: string; run: { id: string; status: string } }>(
      await callRoute(
        taskAction,
        adminRequest(shop.domain, "/app/tasks/sync_orders", { intent: "run" }),
        ORDERS,
      ),
    );

    expect(result.mode).toBe("background");
    expect(result.run.status).toBe("queued");
    const run = await prisma.syncRun.findUniqueOrThrow({ where: { id: result.run.id } });
    expect(run).toMatchObject({
      trigger: "manual",
      category: "orders",
      filters: { financialStatus: "paid" },
    });
    expect(await jobOf(run.id)).toEqual({
      queue_name: `shop:${shop.domain}:orders`,
      task_identifier: "sync_orders",
    });
  });

  it("with background syncs off, runs in the request and answers with the result", async () => {
    const shop = await installedShop();
    await prisma.shopSettings.update({ where: { shopId: shop.id }, data: { allowBackgroundSyncs: false } });

    const result = await dataOf<{ mode: string; run: { id: string; status: string; counts: object } }>(
      await callRoute(
        taskAction,
        adminRequest(shop.domain, "/app/tasks/post_sales_invoices", { intent: "run" }),
        { task: "post_sales_invoices" },
      ),
    );

    expect(result.mode).toBe("foreground");
    expect(result.run.status).toBe("succeeded");
    const run = await prisma.syncRun.findUniqueOrThrow({ where: { id: result.run.id } });
    expect(run).toMatchObject({ status: "succeeded", trigger: "manual", jobId: null });
    expect(run.finishedAt).not.toBeNull();
  });
});
