/**
 * Schedules as the admin shows them: presets, and a cron expression in words. Plain data,
 * shared by the server and the pages. The tasks themselves are declared by their manifests
 * (app/sync/<area>/task.server.ts; the catalog is app/sync/index.server.ts).
 */

import { nextWallTime, offsetMinutes, timeOfDayIn } from "./time-zone";

/**
 * The job categories of the manifests (app/sync/<area>/task.server.ts), in words: the tasks
 * page and the job list name them so. "sync" is the one category every task shared before
 * the manifests gave each its own (older runs say it).
 */
const CATEGORY_WORDS: Readonly<Record<string, string>> = {
  orders: "Orders",
  customers: "Customers",
  products: "Products",
  shipments: "Shipments",
  sync: "Shared",
};

/**
 * A job category in words: "Orders" for `orders`; one the merchant named on a task page
 * ("night-batch") as they wrote it.
 */
export function categoryWords(category: string): string {
  return CATEGORY_WORDS[category] ?? category;
}

/** Schedule presets offered on the task page; anything else is shown as a cron expression. */
export const SCHEDULE_PRESETS = [
  { label: "Every minute", value: "every1", cron: "* * * * *" },
  { label: "Every 5 minutes", value: "every5", cron: "*/5 * * * *" },
  { label: "Every 15 minutes", value: "every15", cron: "*/15 * * * *" },
  { label: "Every hour", value: "every60", cron: "0 * * * *" },
] as const;

/** What a task's schedule starts as: every 15 minutes, not enabled. */
export const DEFAULT_CRON = "*/15 * * * *";

/** The preset a cron expression is, or "daily" (with its time), or "cron". */
export function presetOf(cron: string): { preset: string; time: string } {
  const found = SCHEDULE_PRESETS.find((preset) => preset.cron === cron.trim());
  if (found) return { preset: found.value, time: "02:00" };
  const daily = /^(\d{1,2}) (\d{1,2}) \* \* \*$/.exec(cron.trim());
  if (daily) {
    const [minute, hour] = [Number(daily[1]), Number(daily[2])];
    if (minute < 60 && hour < 24)
      return { preset: "daily", time: `${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}` };
  }
  return { preset: "cron", time: "02:00" };
}

/** A schedule as the admin describes it: its cron and the zone it is read in. */
export interface ScheduleInZone {
  cron: string;
  /** The schedule's zone (Schedule.timeZone). */
  timeZone: string;
}

/**
 * A daily schedule's time of day in the shop's zone: the schedule's own time when it is in
 * that zone, else the shop's time at its next run after `at` ("02:00" in UTC is "21:00" in
 * Toronto in winter, "22:00" in summer). Null when the schedule is not daily.
 */
export function dailyTimeIn(schedule: ScheduleInZone, shopZone: string, at = new Date()): string | null {
  const { preset, time } = presetOf(schedule.cron);
  if (preset !== "daily") return null;
  if (schedule.timeZone === shopZone) return time;
  const [hour, minute] = time.split(":").map(Number) as [number, number];
  return timeOfDayIn(nextWallTime(hour, minute, schedule.timeZone, at), shopZone);
}

/**
 * The preset and daily time the task page's form starts with, in the shop's time (a daily
 * schedule of another zone as its next run's time here: saving it makes it shop time).
 */
export function formOf(schedule: ScheduleInZone, shopZone: string, at = new Date()) {
  const preset = presetOf(schedule.cron);
  return { ...preset, time: dailyTimeIn(schedule, shopZone, at) ?? preset.time };
}

/**
 * Whether the cron reads the same in both zones: it names no hour, day, month or weekday and
 * the zones are whole hours apart all year (sampled in January and July), so "15 * * * *"
 * fires at a quarter past in either.
 */
function sameInBoth(cron: string, zone: string, shopZone: string, at: Date): boolean {
  const [, ...rest] = cron.trim().split(/\s+/);
  if (rest.length !== 4 || rest.some((field) => field !== "*")) return false;
  const year = at.getUTCFullYear();
  return [Date.UTC(year, 0, 15), Date.UTC(year, 6, 15)].every((sample) => {
    const date = new Date(sample);
    return (offsetMinutes(date, zone) - offsetMinutes(date, shopZone)) % 60 === 0;
  });
}

/**
 * In words, for lists, in the shop's time: "Every 15 minutes", "Daily at 06:00", or the
 * expression. A daily schedule of another zone (one saved before time zones, in UTC) is given
 * in shop time at its next run, with the other time of day it has here part of the year when
 * daylight saving moves the two zones apart; a cron of another zone that reads differently
 * here says so. The merchant's zone is named once by the page, and no other is named but a
 * schedule's own IANA zone ("UTC" never, to a shop elsewhere).
 */
export function describeSchedule(schedule: ScheduleInZone, shopZone: string, at = new Date()): string {
  const { preset, time } = presetOf(schedule.cron);
  const label = SCHEDULE_PRESETS.find((candidate) => candidate.value === preset)?.label;
  if (label) return label;
  const zone = schedule.timeZone;
  if (preset === "daily") {
    if (zone === shopZone) return `Daily at ${time}`;
    const [hour, minute] = time.split(":").map(Number) as [number, number];
    const year = at.getUTCFullYear();
    const shown = dailyTimeIn(schedule, shopZone, at)!;
    const others = [Date.UTC(year, 0, 15), Date.UTC(year, 6, 15)]
      .map((sample) => timeOfDayIn(nextWallTime(hour, minute, zone, new Date(sample)), shopZone))
      .filter((other) => other !== shown);
    return others.length > 0
      ? `Daily at ${shown} (${others[0]} part of the year, as daylight saving moves it)`
      : `Daily at ${shown}`;
  }
  if (zone === shopZone || sameInBoth(schedule.cron, zone, shopZone, at)) return `Cron: ${schedule.cron}`;
  return zone === "UTC"
    ? `Cron: ${schedule.cron} (read in another time zone: save it to read it in shop time)`
    : `Cron: ${schedule.cron} (read in ${zone} time)`;
}
