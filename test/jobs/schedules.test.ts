import { describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { nextRun, tickSchedules, upsertSchedule } from "../../app/jobs/schedules.server";
import { installedShop } from "../support/shops";
import { probeTask } from "../support/tasks";

describe("a recurring schedule", () => {
  it("fires once when two workers tick at the same moment, with its own filters", async () => {
    const shop = await installedShop();
    await upsertSchedule(
      prisma,
      { shopId: shop.id, task: probeTask.name, cron: "*/15 * * * *", enabled: true, filters: { sleepMs: 7 } },
      [probeTask],
    );
    const at = new Date(Date.now() + 16 * 60_000);

    const fired = await Promise.all([tickSchedules(at, [probeTask]), tickSchedules(at, [probeTask])]);

    expect(fired[0] + fired[1]).toBe(1);
    const runs = await prisma.syncRun.findMany({ where: { shopId: shop.id } });
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ trigger: "schedule", filters: { sleepMs: 7 } });
    const schedule = await prisma.schedule.findFirstOrThrow({ where: { shopId: shop.id } });
    expect(schedule.nextRunAt!.getTime()).toBe(nextRun("*/15 * * * *", at).getTime());
  });

  it("after downtime fires once, not once per missed slot", async () => {
    const shop = await installedShop();
    await upsertSchedule(
      prisma,
      { shopId: shop.id, task: probeTask.name, cron: "*/5 * * * *", enabled: true },
      [probeTask],
    );
    const threeHoursLater = new Date(Date.now() + 3 * 3_600_000);

    await tickSchedules(threeHoursLater, [probeTask]);
    await tickSchedules(threeHoursLater, [probeTask]);

    expect(await prisma.syncRun.count({ where: { shopId: shop.id } })).toBe(1);
  });

  it("refuses a malformed cron expression and saves nothing", async () => {
    const shop = await installedShop();
    await expect(
      upsertSchedule(prisma, { shopId: shop.id, task: probeTask.name, cron: "every day", enabled: true }, [
        probeTask,
      ]),
    ).rejects.toThrow(/invalid schedule "every day"/);
    expect(await prisma.schedule.count({ where: { shopId: shop.id, task: probeTask.name } })).toBe(0);
  });
});
