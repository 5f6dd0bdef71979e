import { z } from "zod";
import type { Db } from "../../db.server";

/**
 * The order tasks' filters (their "request page"), for schedules and manual runs alike.
 * Values follow Shopify's order search syntax, so they go to Shopify as they are and are
 * checked again on what comes back.
 */

const FINANCIAL = [
  "any",
  "paid",
  "pending",
  "authorized",
  "partially_paid",
  "partially_refunded",
  "refunded",
  "voided",
  "expired",
] as const;
const FULFILLMENT = ["any", "unshipped", "shipped", "partial", "unfulfilled", "fulfilled"] as const;

const date = z.iso.datetime({ offset: true }).or(z.iso.date());

export const orderFilters = z
  .object({
    financialStatus: z.enum(FINANCIAL).optional(),
    fulfillmentStatus: z.enum(FULFILLMENT).optional(),
    /** Sales channel, as Shopify's source name (web, pos, shopify_draft_order, an app's name...). */
    channel: z.string().trim().min(1).max(100).optional(),
    tag: z.string().trim().min(1).max(255).optional(),
    createdFrom: date.optional(),
    createdTo: date.optional(),
  })
  .strict()
  .refine((f) => !f.createdFrom || !f.createdTo || f.createdFrom <= f.createdTo, {
    message: "createdFrom must not be after createdTo",
    path: ["createdFrom"],
  });

export type OrderFilters = z.infer<typeof orderFilters>;

function quote(value: string): string {
  return `'${value.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;
}

/** The filters as Shopify search terms. */
export function filterTerms(filters: OrderFilters): string[] {
  const terms: string[] = [];
  if (filters.financialStatus && filters.financialStatus !== "any")
    terms.push(`financial_status:${filters.financialStatus}`);
  if (filters.fulfillmentStatus && filters.fulfillmentStatus !== "any")
    terms.push(`fulfillment_status:${filters.fulfillmentStatus}`);
  if (filters.channel) terms.push(`source_name:${quote(filters.channel)}`);
  if (filters.tag) terms.push(`tag:${quote(filters.tag)}`);
  if (filters.createdFrom) terms.push(`created_at:>=${quote(filters.createdFrom)}`);
  if (filters.createdTo) terms.push(`created_at:<=${quote(filters.createdTo)}`);
  return terms;
}

/** Whether filters narrow the orders (then the run keeps a cursor of its own). */
export function cursorKey(task: string, filters: OrderFilters): string {
  const terms = filterTerms(filters);
  return terms.length === 0 ? task : `${task}?${terms.sort().join("&")}`;
}

/**
 * The order filters a shop stored for a task (its request page; the "Schedule" row), or none.
 * Throws (a ZodError) when what is stored no longer parses.
 */
export async function storedOrderFilters(db: Db, shopId: string, task: string): Promise<OrderFilters> {
  const schedule = await db.schedule.findUnique({
    where: { shopId_task: { shopId, task } },
    select: { filters: true },
  });
  return orderFilters.parse(schedule?.filters ?? {});
}
