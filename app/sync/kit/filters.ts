import { z } from "zod";

/**
 * A task's filters (its "request page"), declared once: each field gives the zod schema that
 * checks it and the form field that sets it, so the schema the worker parses with and the page
 * the merchant fills in cannot drift apart. Plain data and zod only: safe for the browser.
 */

export interface FilterField {
  name: string;
  label: string;
  kind: "select" | "text" | "date" | "boolean";
  options?: { label: string; value: string }[];
  helpText?: string;
  /** For booleans: the value when the filters do not say. */
  defaultValue?: boolean;
}

export interface FieldSpec<S extends z.ZodType> {
  schema: S;
  field: Omit<FilterField, "name">;
}

/** One filter field's schema and form field. */
type Shape = Record<string, FieldSpec<z.ZodType>>;

export interface FilterSpec<F> {
  schema: z.ZodType<F>;
  fields: FilterField[];
}

/**
 * A choice among values. The form's "Any" (blank) leaves the filter out; `anyValue` also
 * accepts the value stored for "any" by earlier versions and schedules (`"any"`).
 */
export function choice<const V extends string>(
  label: string,
  options: readonly (readonly [V, string])[],
  extra: { helpText?: string; anyValue?: boolean } = {},
) {
  const values = options.map(([value]) => value);
  const allowed = extra.anyValue ? (["any", ...values] as [string, ...string[]]) : (values as [V, ...V[]]);
  return {
    schema: z.enum(allowed as [V | "any", ...(V | "any")[]]).optional(),
    field: {
      label,
      kind: "select" as const,
      options: [{ label: "Any", value: "" }, ...options.map(([value, text]) => ({ label: text, value }))],
      ...(extra.helpText ? { helpText: extra.helpText } : {}),
    },
  };
}

/** Free text, trimmed, 1 to `max` characters. */
export function text(label: string, extra: { max?: number; helpText?: string } = {}) {
  return {
    schema: z
      .string()
      .trim()
      .min(1)
      .max(extra.max ?? 255)
      .optional(),
    field: { label, kind: "text" as const, ...(extra.helpText ? { helpText: extra.helpText } : {}) },
  };
}

/** A URL (the form's text field). */
export function url(label: string, extra: { helpText?: string } = {}) {
  return {
    schema: z.url().optional(),
    field: { label, kind: "text" as const, ...(extra.helpText ? { helpText: extra.helpText } : {}) },
  };
}

/** A date, or a date and time with its offset. */
export function date(label: string) {
  return {
    schema: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
    field: { label, kind: "date" as const },
  };
}

/** On or off: true/false as JSON (schedules) or as text (`--filter ship=false`). */
export function flag(label: string, fallback: boolean) {
  return {
    schema: z.union([z.boolean(), z.stringbool()]).default(fallback),
    field: { label, kind: "boolean" as const, defaultValue: fallback },
  };
}

type Output<S extends Shape> = z.output<z.ZodObject<{ [K in keyof S]: S[K]["schema"] }>>;

/**
 * The filters of a task from its fields, with the rules that tie fields together (each a
 * check and the message shown at `path`). Unknown keys are refused.
 */
export function filterSpec<S extends Shape>(
  shape: S,
  rules: { check: (filters: Output<S>) => boolean; message: string; path?: (keyof S & string)[] }[] = [],
): FilterSpec<Output<S>> {
  const schemas = Object.fromEntries(Object.entries(shape).map(([name, spec]) => [name, spec.schema])) as {
    [K in keyof S]: S[K]["schema"];
  };
  let schema: z.ZodType<Output<S>> = z.object(schemas).strict();
  for (const rule of rules)
    schema = schema.refine(rule.check, { message: rule.message, ...(rule.path ? { path: rule.path } : {}) });
  return {
    schema,
    fields: Object.entries(shape).map(([name, spec]) => ({ name, ...spec.field })),
  };
}

/** A task without filters. */
export const NO_FILTERS: FilterSpec<Record<string, never>> = {
  schema: z.object({}).strict(),
  fields: [],
};

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** A date filter as the merchant typed it: "1 Dec 2026", or "1 Dec 2026 09:30 (-05:00)". */
function dateInWords(value: string): string {
  const parts = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}:\d{2})(?::[\d.]+)?(Z|[+-]\d{2}:\d{2}))?$/.exec(value);
  if (!parts) return value;
  const [, year, month, day, time, offset] = parts;
  const date = `${Number(day)} ${MONTHS[Number(month) - 1] ?? month} ${year}`;
  return time ? `${date} ${time} (${offset === "Z" ? "UTC" : offset})` : date;
}

/** A stored value as text: an object (no field stores one) as its JSON. */
function plainText(value: unknown): string {
  return typeof value === "object" && value !== null ? JSON.stringify(value) : String(value);
}

/** "itemNos" → "Item nos": a key no field declares any more (older runs and schedules). */
function keyInWords(key: string): string {
  const words = key.replace(/([A-Z])/g, " $1").toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * A task's filters in the merchant's words, by its fields: "Payment status: Paid, Tag: vip";
 * "none" when no filter applies. Blank and "any" choices, and switches at their default, say
 * nothing; a value a field no longer offers is shown as it is.
 */
export function describeFilterValues(
  fields: readonly FilterField[],
  filters: Readonly<Record<string, unknown>>,
): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(filters)) {
    if (value === undefined || value === null || value === "" || value === "any") continue;
    const field = fields.find((candidate) => candidate.name === key);
    if (field?.kind === "boolean") {
      const on = value === true || value === "true";
      if (on === (field.defaultValue ?? false)) continue;
      parts.push(`${field.label}: ${on ? "yes" : "no"}`);
      continue;
    }
    const text = Array.isArray(value) ? value.map(plainText).join(", ") : plainText(value);
    if (field?.kind === "select")
      parts.push(`${field.label}: ${field.options?.find((option) => option.value === text)?.label ?? text}`);
    else if (field?.kind === "date") parts.push(`${field.label}: ${dateInWords(text)}`);
    else parts.push(`${field?.label ?? keyInWords(key)}: ${text}`);
  }
  return parts.length > 0 ? parts.join(", ") : "none";
}
