/**
 * Schedules as the admin shows them: presets, and a cron expression in words. Plain data,
 * shared by the server and the pages. The tasks themselves are declared by their manifests
 * (app/sync/<area>/task.server.ts; the catalog is app/sync/index.server.ts).
 */

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

/** In words, for lists: "Every 15 minutes", "Daily at 02:00 UTC", or the expression. */
export function describeSchedule(cron: string): string {
  const { preset, time } = presetOf(cron);
  if (preset === "daily") return `Daily at ${time} UTC`;
  return SCHEDULE_PRESETS.find((candidate) => candidate.value === preset)?.label ?? `Cron: ${cron}`;
}
