/** Times as Shopify's REST payloads and shop settings state them, in the shop's time zone. */

/** One formatter per time zone: making one costs far more than formatting with it. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, format);
  }
  return format;
}

function localParts(timeZone: string, at: Date) {
  const parts = formatter(timeZone).formatToParts(at);
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

function offsetOf(p: ReturnType<typeof localParts>, at: Date): number {
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

/** The offset of a time zone at an instant, in minutes east of UTC. */
export function offsetMinutes(timeZone: string, at: Date): number {
  return offsetOf(localParts(timeZone, at), at);
}

/** REST times already made, by zone and second: payloads repeat the same few instants. */
const restTimes = new Map<string, string>();
const MAX_REST_TIMES = 10_000;

/** Shopify's REST timestamps: second precision, in the shop's time zone ("2021-12-31T19:00:00-05:00"). */
export function restTime(date: Date, timeZone: string): string;
export function restTime(date: Date | null, timeZone: string): string | null;
export function restTime(date: Date | null, timeZone: string): string | null {
  if (!date) return null;
  const key = `${timeZone} ${Math.floor(date.getTime() / 1000)}`;
  const known = restTimes.get(key);
  if (known !== undefined) return known;
  const p = localParts(timeZone, date);
  const minutes = offsetOf(p, date);
  const abs = Math.abs(minutes);
  const offset = `${minutes < 0 ? "-" : "+"}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
  const text = `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}${offset}`;
  if (restTimes.size >= MAX_REST_TIMES) restTimes.clear();
  restTimes.set(key, text);
  return text;
}
