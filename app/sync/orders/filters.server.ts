import type { z } from "zod";
import type { Db } from "../../db.server";
import { choice, date, filterSpec, text } from "../kit/filters";

/**
 * The order tasks' filters (their "request page"), for schedules and manual runs alike.
 * Values follow Shopify's order search syntax, so they go to Shopify as they are and are
 * checked again on what comes back.
 */

const FINANCIAL = [
  ["paid", "Fully paid"],
  ["pending", "Pending"],
  ["authorized", "Authorized"],
  ["partially_paid", "Partially paid"],
  ["partially_refunded", "Partially refunded"],
  ["refunded", "Refunded"],
  ["voided", "Voided"],
  ["expired", "Expired"],
] as const;
const FULFILLMENT = [
  ["unfulfilled", "Unfulfilled"],
  ["unshipped", "Unshipped"],
  ["partial", "Partially fulfilled"],
  ["shipped", "Shipped"],
  ["fulfilled", "Fulfilled"],
] as const;

const orderFields = {
  financialStatus: choice("Payment status", FINANCIAL, { anyValue: true }),
  fulfillmentStatus: choice("Fulfillment status", FULFILLMENT, { anyValue: true }),
  /** Sales channel, as Shopify's source name (web, pos, shopify_draft_order, an app's name...). */
  channel: text("Sales channel", {
    max: 100,
    helpText: "Shopify's source name: web, pos, shopify_draft_order, or an app's name.",
  }),
  tag: text("Tag"),
  createdFrom: date("Created from"),
  createdTo: date("Created to"),
};

const datesInOrder = {
  check: (f: { createdFrom?: string | undefined; createdTo?: string | undefined }) =>
    !f.createdFrom || !f.createdTo || f.createdFrom <= f.createdTo,
  message: "createdFrom must not be after createdTo",
  path: ["createdFrom" as const],
};

/** The order sync's request page: the fields, their checks and the form, from one place. */
export const orderFilterSpec = filterSpec(orderFields, [datesInOrder]);

export const orderFilters = orderFilterSpec.schema;

export type OrderFilters = z.output<typeof orderFilters>;

const ORDER_ID_LIST = /^\d{1,19}(\s*,\s*\d{1,19})*$/;

/**
 * Process orders' request page: the order sync's filters, and the Shopify ids of the orders to
 * process (the order block's Process now runs it for one order, as the products sync's retry
 * does for one product).
 */
export const processFilterSpec = filterSpec(
  {
    ...orderFields,
    orderIds: text("Shopify order ids", {
      max: 250,
      helpText:
        "The number at the end of an order's address in Shopify admin (…/orders/5012345678), comma-separated; Process now on an order's page sets it. Blank: every waiting order.",
    }),
  },
  [
    datesInOrder,
    {
      // Stored as bigints: a larger number is no order of Shopify's (and no query to make).
      check: (f) =>
        !f.orderIds ||
        (ORDER_ID_LIST.test(f.orderIds) &&
          f.orderIds.split(",").every((id) => BigInt(id.trim()) < 2n ** 63n)),
      message: "order ids are Shopify's numeric ids, written 1001,1002",
      path: ["orderIds"],
    },
  ],
);

export type ProcessFilters = z.output<typeof processFilterSpec.schema>;

/** The order ids a Process orders filter names (none: every waiting order). */
export function orderIdsOf(filters: ProcessFilters): bigint[] {
  return (filters.orderIds ?? "")
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .map((part) => BigInt(part));
}

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
  return orderFilters.parse(await storedFilters(db, shopId, task));
}

/** Process orders' stored filters (its request page), or none; throws when they no longer parse. */
export async function storedProcessFilters(db: Db, shopId: string, task: string): Promise<ProcessFilters> {
  return processFilterSpec.schema.parse(await storedFilters(db, shopId, task));
}

async function storedFilters(db: Db, shopId: string, task: string): Promise<unknown> {
  const schedule = await db.schedule.findUnique({
    where: { shopId_task: { shopId, task } },
    select: { filters: true },
  });
  return schedule?.filters ?? {};
}
