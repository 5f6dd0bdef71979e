import type { Runner } from "graphile-worker";
import { afterEach, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { upsertSchedule } from "../../app/jobs/schedules.server";
import { loadTasks, startWorker } from "../../app/jobs/worker.server";
import { recordUninstall } from "../../app/shops/shops.server";
import { installedShop, withoutDefaultSchedules } from "../support/shops";

/**
 * Schedules with real graphile-worker runners and the real task files: the tick is the
 * schedule_tick task of tasks/, the scheduled task post_sales_invoices (no Shopify needed).
 * graphile-worker's cron adds the tick once a minute across all workers; the tests add that
 * job themselves instead of waiting for the minute to turn.
 */

const runners: Runner[] = [];
afterEach(async () => {
  await Promise.all(runners.splice(0).map((runner) => runner.stop()));
});

async function worker(): Promise<Runner> {
  const runner = await startWorker({
    connectionString: process.env.DATABASE_URL!,
    concurrency: 2,
    taskList: await loadTasks(),
    crontab: "",
    pollInterval: 50,
    noHandleSignals: true,
  });
  runners.push(runner);
  return runner;
}

/** What graphile-worker's cron does each minute: one schedule_tick job, keyed so it is added once. */
async function cronTick(): Promise<void> {
  await prisma.$executeRaw`select graphile_worker.add_job('schedule_tick', '{}'::json,
    queue_name => 'system', job_key => 'schedule_tick', max_attempts => 1)`;
}

/** As if the schedule's time had come: its next run moved into the past. */
async function makeDue(scheduleId: string): Promise<void> {
  await prisma.schedule.update({
    where: { id: scheduleId },
    data: { nextRunAt: new Date(Date.now() - 1000) },
  });
}

async function settled(shopId: string, expected: number, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const runs = await prisma.syncRun.findMany({ where: { shopId }, orderBy: { queuedAt: "asc" } });
    const [jobs] = await prisma.$queryRaw<{ count: bigint }[]>`select count(*) from graphile_worker.jobs`;
    const ended = runs.filter((run) => run.status === "succeeded" || run.status === "failed");
    if (runs.length >= expected && ended.length === runs.length && Number(jobs?.count) === 0) return runs;
    if (Date.now() > deadline) throw new Error(`expected ${expected} finished runs, have ${runs.length}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function scheduledShop() {
  const shop = await installedShop();
  await withoutDefaultSchedules(shop.id);
  const schedule = await upsertSchedule(prisma, {
    shopId: shop.id,
    task: "post_sales_invoices",
    cron: "*/15 * * * *",
    enabled: true,
  });
  await makeDue(schedule.id);
  return { shop, schedule };
}

describe("a shop's schedule run by real workers", () => {
  it("fires once when two workers both take a tick", async () => {
    const { shop } = await scheduledShop();
    await Promise.all([worker(), worker()]);

    // Two ticks at once, one per worker (more than graphile-worker's cron would ever add).
    await prisma.$executeRaw`select graphile_worker.add_jobs(array[
      ('schedule_tick', '{}'::json, 'tick-a', null, 1, null, null, null)::graphile_worker.job_spec,
      ('schedule_tick', '{}'::json, 'tick-b', null, 1, null, null, null)::graphile_worker.job_spec])`;

    const runs = await settled(shop.id, 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await prisma.syncRun.count({ where: { shopId: shop.id } })).toBe(1);
    expect(runs[0]).toMatchObject({ task: "post_sales_invoices", trigger: "schedule", status: "succeeded" });
  });

  it("keeps firing after the worker restarts: the schedule lives in the database, not the worker", async () => {
    const { shop, schedule } = await scheduledShop();
    const first = await worker();
    await cronTick();
    await settled(shop.id, 1);

    await first.stop();
    runners.splice(runners.indexOf(first), 1);
    const afterFirst = await prisma.schedule.findUniqueOrThrow({ where: { id: schedule.id } });
    expect(afterFirst.nextRunAt!.getTime()).toBeGreaterThan(Date.now());

    // Time passes while no worker runs; a new worker takes the next tick.
    await makeDue(schedule.id);
    await worker();
    await cronTick();

    const runs = await settled(shop.id, 2);
    expect(runs.map((run) => [run.trigger, run.status])).toEqual([
      ["schedule", "succeeded"],
      ["schedule", "succeeded"],
    ]);
  });

  it("stops firing once the shop uninstalls", async () => {
    const { shop } = await scheduledShop();
    await prisma.$transaction((tx) => recordUninstall(tx, shop.domain));
    await worker();

    await cronTick();
    await new Promise((resolve) => setTimeout(resolve, 1000));

    expect(await prisma.syncRun.count({ where: { shopId: shop.id } })).toBe(0);
    const [jobs] = await prisma.$queryRaw<{ count: bigint }[]>`select count(*) from graphile_worker.jobs`;
    expect(Number(jobs?.count)).toBe(0);
  });
});

describe("a worker that starts", () => {
  it("gives the installed shops the default schedules they lack, before its first tick", async () => {
    const shop = await installedShop();
    await prisma.schedule.deleteMany({ where: { shopId: shop.id, task: "sync_products" } });

    await worker();

    expect(
      await prisma.schedule.findMany({ where: { shopId: shop.id, task: "sync_products" } }),
    ).toMatchObject([{ cron: "0 * * * *", enabled: true }]);
  });
});
