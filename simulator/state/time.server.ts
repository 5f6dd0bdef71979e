/** Times as Shopify's REST payloads and shop settings state them, in the shop's time zone. */

function localParts(timeZone: string, at: Date) {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(at);
  const text = (type: Intl.DateTimeFormatPartTypes) =>
    parts.find((part) => part.type === type)?.value ?? "00";
  return {
    year: text("year"),
    month: text("month"),
    day: text("day"),
    hour: text("hour"),
    minute: text("minute"),
    second: text("second"),
  };
}

/** The offset of a time zone at an instant, in minutes east of UTC. */
export function offsetMinutes(timeZone: string, at: Date): number {
  const p = localParts(timeZone, at);
  const local = Date.UTC(
    Number(p.year),
    Number(p.month) - 1,
    Number(p.day),
    Number(p.hour),
    Number(p.minute),
    Number(p.second),
  );
  return Math.round((local - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
}

/** Shopify's REST timestamps: second precision, in the shop's time zone ("2021-12-31T19:00:00-05:00"). */
export function restTime(date: Date, timeZone: string): string;
export function restTime(date: Date | null, timeZone: string): string | null;
export function restTime(date: Date | null, timeZone: string): string | null {
  if (!date) return null;
  const p = localParts(timeZone, date);
  const minutes = offsetMinutes(timeZone, date);
  const abs = Math.abs(minutes);
  const offset = `${minutes < 0 ? "-" : "+"}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}${offset}`;
}
