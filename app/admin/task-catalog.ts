/**
 * Every task of the mission as the admin shows it: its name, what it does, and the fields of
 * its request page (filters). Tasks the worker cannot run yet are listed as such, so the
 * merchant sees the whole picture and nothing pretends to work. Plain data, shared by the
 * server (validation lives with each task's zod schema) and the pages.
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

export interface TaskInfo {
  name: string;
  title: string;
  direction: string;
  description: string;
  /** False for tasks of the mission that are not built yet. */
  available: boolean;
  filters: FilterField[];
}

const FINANCIAL_OPTIONS = [
  { label: "Any", value: "" },
  { label: "Fully paid", value: "paid" },
  { label: "Pending", value: "pending" },
  { label: "Authorized", value: "authorized" },
  { label: "Partially paid", value: "partially_paid" },
  { label: "Partially refunded", value: "partially_refunded" },
  { label: "Refunded", value: "refunded" },
  { label: "Voided", value: "voided" },
  { label: "Expired", value: "expired" },
];

const FULFILLMENT_OPTIONS = [
  { label: "Any", value: "" },
  { label: "Unfulfilled", value: "unfulfilled" },
  { label: "Unshipped", value: "unshipped" },
  { label: "Partially fulfilled", value: "partial" },
  { label: "Shipped", value: "shipped" },
  { label: "Fulfilled", value: "fulfilled" },
];

const ORDER_FILTERS: FilterField[] = [
  { name: "financialStatus", label: "Payment status", kind: "select", options: FINANCIAL_OPTIONS },
  { name: "fulfillmentStatus", label: "Fulfillment status", kind: "select", options: FULFILLMENT_OPTIONS },
  {
    name: "channel",
    label: "Sales channel",
    kind: "text",
    helpText: "Shopify's source name: web, pos, shopify_draft_order, or an app's name.",
  },
  { name: "tag", label: "Tag", kind: "text" },
  { name: "createdFrom", label: "Created from", kind: "date" },
  { name: "createdTo", label: "Created to", kind: "date" },
];

const SHOPIFY_ONLY: FilterField = {
  name: "shopifyOnly",
  label: "Only documents made from Shopify orders",
  kind: "boolean",
  defaultValue: true,
};

const planned = (name: string, title: string, direction: string, description: string): TaskInfo => ({
  name,
  title,
  direction,
  description,
  available: false,
  filters: [],
});

export const TASK_CATALOG: TaskInfo[] = [
  {
    name: "sync_orders",
    title: "Sync orders",
    direction: "Shopify → back office",
    description:
      "Imports new and changed orders (lines, shipping, transactions, fulfillment orders). Order webhooks start it within seconds; a schedule catches what they missed.",
    available: true,
    filters: ORDER_FILTERS,
  },
  {
    name: "process_orders",
    title: "Process orders",
    direction: "inside back office",
    description:
      "Turns imported orders into sales orders, or sales invoices when Shopify shows them fulfilled, mapping customers and products.",
    available: true,
    filters: ORDER_FILTERS,
  },
  {
    name: "sync_shipments",
    title: "Sync shipments",
    direction: "back office → Shopify",
    description: "Sends posted shipments to Shopify as fulfillments with carrier and tracking number.",
    available: true,
    filters: [],
  },
  {
    name: "post_sales_orders",
    title: "Batch post sales orders",
    direction: "inside back office",
    description: "Ships and invoices sales orders, so imported orders flow to shipments without a person.",
    available: true,
    filters: [
      SHOPIFY_ONLY,
      {
        name: "status",
        label: "Document status",
        kind: "select",
        options: [
          { label: "Any", value: "" },
          { label: "Released", value: "released" },
          { label: "Open", value: "open" },
        ],
      },
      { name: "ship", label: "Ship", kind: "boolean", defaultValue: true },
      { name: "invoice", label: "Invoice", kind: "boolean", defaultValue: true },
      {
        name: "carrier",
        label: "Carrier",
        kind: "text",
        helpText: "With a carrier, each shipment gets a tracking number.",
      },
      { name: "trackingUrl", label: "Tracking URL prefix", kind: "text" },
    ],
  },
  {
    name: "post_sales_invoices",
    title: "Batch post sales invoices",
    direction: "inside back office",
    description: "Posts sales invoices made from fulfilled Shopify orders.",
    available: true,
    filters: [SHOPIFY_ONLY],
  },
  planned(
    "sync_products",
    "Sync products and prices",
    "both, per setting",
    "Creates and updates Shopify products and variants from items, or imports products as items.",
  ),
  planned(
    "sync_inventory",
    "Sync inventory",
    "back office → Shopify",
    "Pushes available stock per location.",
  ),
  planned("sync_images", "Sync images", "both, per setting", "Item pictures ↔ product and variant images."),
  planned(
    "sync_customers",
    "Sync customers",
    "both, per setting",
    "Imports, updates or exports customers with the chosen mapping.",
  ),
  planned(
    "sync_companies",
    "Sync companies (B2B)",
    "both, per setting",
    "Shopify companies and their locations ↔ business customers.",
  ),
  planned(
    "sync_payments",
    "Sync payments",
    "Shopify → back office",
    "Imports Shopify Payments payouts and balance transactions.",
  ),
  planned(
    "sync_catalogs",
    "Sync catalogs (B2B)",
    "Shopify → back office",
    "Company catalogs and their price lists.",
  ),
  planned(
    "sync_catalog_prices",
    "Sync catalog prices (B2B)",
    "back office → Shopify",
    "Pushes each catalog's prices from customer price groups.",
  ),
];

export function taskInfo(name: string): TaskInfo | undefined {
  return TASK_CATALOG.find((task) => task.name === name);
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

/** In words, for lists: "Every 15 minutes", "Daily at 02:00 UTC", or the expression. */
export function describeSchedule(cron: string): string {
  const { preset, time } = presetOf(cron);
  if (preset === "daily") return `Daily at ${time} UTC`;
  return SCHEDULE_PRESETS.find((candidate) => candidate.value === preset)?.label ?? `Cron: ${cron}`;
}
