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
    expect(schedule.nextRunAt!.getTime()).toBe(nextRun("*/15 * * * *", at, "UTC").getTime());
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

describe("a schedule's time zone", () => {
  const iso = (date: Date) => date.toISOString();
  const runsAfter = (cron: string, from: string, timeZone: string, count: number) => {
    const times: Date[] = [];
    let at = new Date(from);
    for (let i = 0; i < count; i++) times.push((at = nextRun(cron, at, timeZone)));
    return times;
  };
  const torontoClock = (date: Date) =>
    new Intl.DateTimeFormat("en-CA", {
      timeZone: "America/Toronto",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    }).format(date);

  it("daily at 06:00 in America/Toronto is 06:00 Toronto time on both sides of 2026-03-08 and 2026-11-01", () => {
    const spring = runsAfter("0 6 * * *", "2026-03-06T12:00:00Z", "America/Toronto", 3);
    expect(spring.map(iso)).toEqual([
      "2026-03-07T11:00:00.000Z", // EST, UTC-5
      "2026-03-08T10:00:00.000Z", // EDT from 02:00 that night, UTC-4
      "2026-03-09T10:00:00.000Z",
    ]);
    const autumn = runsAfter("0 6 * * *", "2026-10-30T12:00:00Z", "America/Toronto", 3);
    expect(autumn.map(iso)).toEqual([
      "2026-10-31T10:00:00.000Z", // EDT
      "2026-11-01T11:00:00.000Z", // EST from 02:00 that night
      "2026-11-02T11:00:00.000Z",
    ]);
    expect([...spring, ...autumn].map(torontoClock)).toEqual(Array(6).fill("06:00"));
  });

  it("an existing UTC schedule fires at the same instants as before time zones, DST or not", async () => {
    expect(runsAfter("0 2 * * *", "2026-03-06T12:00:00Z", "UTC", 3).map(iso)).toEqual([
      "2026-03-07T02:00:00.000Z",
      "2026-03-08T02:00:00.000Z",
      "2026-03-09T02:00:00.000Z",
    ]);
    const shop = await installedShop();
    await prisma.shop.update({ where: { id: shop.id }, data: { ianaTimezone: "America/Toronto" } });
    // A row from before time zones: the migration's default.
    await prisma.schedule.create({
      data: {
        id: crypto.randomUUID(),
        shopId: shop.id,
        task: probeTask.name,
        cron: "0 2 * * *",
        nextRunAt: new Date("2026-03-07T02:00:00Z"),
      },
    });
    expect(
      await prisma.schedule.findFirstOrThrow({ where: { shopId: shop.id, task: probeTask.name } }),
    ).toMatchObject({ timeZone: "UTC" });

    expect(await tickSchedules(new Date("2026-03-07T02:00:30Z"), [probeTask])).toBe(1);

    const after = await prisma.schedule.findFirstOrThrow({
      where: { shopId: shop.id, task: probeTask.name },
    });
    expect(iso(after.nextRunAt!)).toBe("2026-03-08T02:00:00.000Z");
    // Changed through upsertSchedule without a zone (the demo, the filters page), it stays UTC.
    await upsertSchedule(
      prisma,
      { shopId: shop.id, task: probeTask.name, cron: "0 3 * * *", enabled: true },
      [probeTask],
    );
    expect(
      (await prisma.schedule.findFirstOrThrow({ where: { shopId: shop.id, task: probeTask.name } })).timeZone,
    ).toBe("UTC");
  });

  it("a schedule in a zone fires by that zone's clock, and an unknown zone is refused", async () => {
    const shop = await installedShop();
    const saved = await upsertSchedule(
      prisma,
      {
        shopId: shop.id,
        task: probeTask.name,
        cron: "0 6 * * *",
        enabled: true,
        timeZone: "America/Toronto",
      },
      [probeTask],
    );
    expect(saved.timeZone).toBe("America/Toronto");
    expect(torontoClock(saved.nextRunAt!)).toBe("06:00");

    await tickSchedules(new Date(saved.nextRunAt!.getTime() + 1000), [probeTask]);
    const after = await prisma.schedule.findUniqueOrThrow({ where: { id: saved.id } });
    expect(after.nextRunAt!.getTime() - saved.nextRunAt!.getTime()).toBeGreaterThanOrEqual(23 * 3_600_000);
    expect(torontoClock(after.nextRunAt!)).toBe("06:00");

    await expect(
      upsertSchedule(
        prisma,
        { shopId: shop.id, task: probeTask.name, cron: "0 6 * * *", enabled: true, timeZone: "Mars/Olympus" },
        [probeTask],
      ),
    ).rejects.toThrow(/invalid time zone "Mars\/Olympus"/);
  });
});
