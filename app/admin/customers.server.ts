import { z } from "zod";
import {
  createCustomer,
  findCustomer,
  findCustomerPage,
  searchCustomers,
  type Customer,
  type CustomerSearch,
} from "../backoffice/backoffice.server";
import type { Db } from "../db.server";
import type { Shop, ShopifyCustomer, ShopSettings, SyncRecord } from "../generated/prisma/client";
import { gid, numericId } from "../shopify/ids.server";
import { tileWhere } from "../status/status.server";
import { exportHash, sideOfRow } from "../sync/customers/content.server";
import {
  addCustomersToShopify,
  CUSTOMER_TASK,
  customerFeed,
  markImported,
  NOT_ADDED,
} from "../sync/customers/records.server";
import { templateFor } from "../sync/customers/rules.server";
import { syncCustomersTask } from "../sync/customers/task.server";
import {
  collectChanges,
  countInState,
  recordsByKey,
  recordsInState,
  retryRecord,
} from "../sync/kit/outbound.server";
import { processOrdersTask } from "../sync/orders/task.server";
import { startFollowUp, type FollowUp } from "./follow-up.server";
import { pageParam, pageWindow, type Paging } from "./paging";
import type { BlockedOrder } from "./products.server";
import { Refusal } from "./refusal.server";
import { adminCustomerUrl, adminOrderUrl } from "./shopify-admin.server";

/**
 * The Customers page (and the CLI's `customers`), in two parts:
 *
 * - **Unmapped customers**: Shopify customers not linked to a back-office customer (those
 *   orders brought, and those the customers sync left unmapped or failed on, with its message
 *   in full), with the orders each holds up. A person links one to an existing customer or
 *   creates a customer from it (by the shop card's template for its country); the link is kept
 *   on the ShopifyCustomer row ("linked", saying a person made it), which order processing and
 *   the customers sync read before their strategy, and the orders it held up are processed again.
 * - **Back-office customers**: every customer (templates aside), searched and filtered by the
 *   customers export's state, each with its Shopify customer and its sync record's state and
 *   message in full. A person adds customers to Shopify and retries a failed one, or every one;
 *   each starts the customers sync.
 */

export interface UnmappedCustomer {
  id: string;
  /** Shopify's numeric id. */
  shopifyId: string;
  name: string;
  email: string | null;
  phone: string | null;
  address: string;
  adminUrl: string;
  /** The customers sync's state of it: "" (met only through an order), unmapped or error. */
  syncState: string;
  /** Why the customers sync left it unmapped, or its error, in full. */
  message: string | null;
  blockedOrders: BlockedOrder[];
}

/** Where a back-office customer stands with the customers export, as the merchant reads it. */
export const CUSTOMER_STATE_WORDS = {
  not_added: "not added to Shopify",
  linked: "linked to a Shopify customer, nothing sent yet",
  pending: "waiting to be sent",
  synced: "synced",
  error: "failed",
  skipped: "skipped",
} as const;
export type CustomerSyncState = keyof typeof CUSTOMER_STATE_WORDS;

/** The back-office list's state filter: every customer, or those in one state. */
export const CUSTOMER_VIEWS = [
  "all",
  "error",
  "pending",
  "synced",
  "skipped",
  "linked",
  "not_added",
] as const;
export type CustomerView = (typeof CUSTOMER_VIEWS)[number];

/** At most this many chosen customers in one Add to Shopify. */
export const MAX_CHOSEN_CUSTOMERS = 500;

const customerId = z.uuid({ message: "customer must be the id of a Shopify customer on this list" });
const text = (max: number) => z.string().trim().max(max, `at most ${max} characters`);

const customerNo = z
  .string({ message: "customer is required" })
  .trim()
  .min(1, "customer is required")
  .max(20, "a customer number has at most 20 characters");

/** Customer numbers, comma-separated (a form's chosen rows). */
const customerNoList = z
  .string({ message: "choose the customers to add" })
  .max(MAX_CHOSEN_CUSTOMERS * 21, `at most ${MAX_CHOSEN_CUSTOMERS} customers at a time`)
  .transform((value) => [
    ...new Set(
      value
        .split(",")
        .map((part) => part.trim())
        .filter(Boolean),
    ),
  ])
  .pipe(
    z
      .array(z.string().max(20, "a customer number has at most 20 characters"))
      .min(1, "choose the customers to add")
      .max(MAX_CHOSEN_CUSTOMERS, `at most ${MAX_CHOSEN_CUSTOMERS} customers at a time`),
  );

const view = z
  .enum(CUSTOMER_VIEWS, { message: `state is one of ${CUSTOMER_VIEWS.join(", ")}` })
  .default("all");

export const customerQuery = z.object({
  /** The unmapped Shopify customer whose mapping panel is open, and the panel's search. */
  customer: customerId.optional(),
  q: text(100).optional(),
  page: pageParam,
  /** The back-office list: its search, state filter and page. */
  search: text(100).optional(),
  state: view,
  customersPage: pageParam,
});

/** The back-office list's filter, as the page's address and the CLI give it. */
export const backOfficeFilter = z.object({ search: text(100).optional(), state: view });
export type BackOfficeFilter = z.output<typeof backOfficeFilter>;

export const customerAction = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("map"),
    customerId,
    customerNo: text(20).min(1, "choose a customer"),
  }),
  z.object({
    intent: z.literal("create"),
    customerId,
    customerNo: text(20).optional(),
    name: text(100).min(1, "give the customer a name"),
  }),
  z.object({ intent: z.literal("add"), customerNos: customerNoList }),
  z.object({ intent: z.literal("retry"), customerNo }),
  z.object({ intent: z.literal("retryErrors") }),
]);
export type CustomerAction = z.output<typeof customerAction>;
type MappingAction = Extract<CustomerAction, { intent: "map" | "create" }>;

function nameOf(row: ShopifyCustomer): string {
  return [row.firstName, row.lastName].filter(Boolean).join(" ") || row.email || row.phone || "";
}

function addressOf(row: ShopifyCustomer): string {
  return [row.address1, [row.zip, row.city].filter(Boolean).join(" "), row.countryCode]
    .filter(Boolean)
    .join(", ");
}

async function blockingOrders(db: Db, shop: Shop, shopifyIds: bigint[]) {
  const orders = await db.shopifyOrder.findMany({
    where: { ...tileWhere.unprocessedOrders(shop.id), customerShopifyId: { in: shopifyIds } },
    select: { id: true, name: true, shopifyId: true, customerShopifyId: true },
    orderBy: { shopifyCreatedAt: "asc" },
  });
  const byCustomer = new Map<bigint, BlockedOrder[]>();
  for (const order of orders) {
    const list = byCustomer.get(order.customerShopifyId!) ?? [];
    list.push({ id: order.id, name: order.name, adminUrl: adminOrderUrl(shop.domain, order.shopifyId) });
    byCustomer.set(order.customerShopifyId!, list);
  }
  return byCustomer;
}

function rowOf(shop: Shop, row: ShopifyCustomer, blocked: BlockedOrder[] = []): UnmappedCustomer {
  return {
    id: row.id,
    shopifyId: row.shopifyId.toString(),
    name: nameOf(row) || `Shopify customer ${row.shopifyId}`,
    email: row.email,
    phone: row.phone,
    address: addressOf(row),
    adminUrl: adminCustomerUrl(shop.domain, row.shopifyId),
    syncState: row.syncState,
    message: row.message,
    blockedOrders: blocked,
  };
}

export async function listUnmappedCustomers(
  db: Db,
  shop: Shop,
  page = 1,
): Promise<Paging & { rows: UnmappedCustomer[] }> {
  const where = tileWhere.unmappedCustomers(shop.id);
  const { paging, skip, take } = pageWindow(page, await db.shopifyCustomer.count({ where }));
  const customers = await db.shopifyCustomer.findMany({
    where,
    orderBy: [{ lastName: "asc" }, { firstName: "asc" }, { email: "asc" }, { shopifyId: "asc" }],
    skip,
    take,
  });
  const blocked = await blockingOrders(
    db,
    shop,
    customers.map((row) => row.shopifyId),
  );
  return { ...paging, rows: customers.map((row) => rowOf(shop, row, blocked.get(row.shopifyId))) };
}

async function requireCustomer(db: Db, shop: Shop, id: string): Promise<ShopifyCustomer> {
  const row = await db.shopifyCustomer.findFirst({
    where: { id, shopId: shop.id, redactedAt: null, deletedAt: null },
  });
  if (!row) throw new Refusal(`This shop has no Shopify customer ${id} waiting to be mapped.`, 404);
  return row;
}

function alreadyMapped(row: ShopifyCustomer): Refusal {
  return new Refusal(
    `${nameOf(row) || "This customer"} is already mapped to customer ${row.customerNo}.`,
    409,
  );
}

/**
 * The mapping panel of one Shopify customer: back-office customers to pick from (found by the
 * e-mail first), and the customer that would be created from it.
 */
export async function customerMappingPanel(db: Db, shop: Shop, id: string, query?: string) {
  const row = await requireCustomer(db, shop, id);
  if (row.customerNo) return { mapped: true as const, message: alreadyMapped(row).message };
  const search = query ?? row.email ?? row.phone ?? row.lastName ?? "";
  const [candidates, blocked] = await Promise.all([
    searchCustomers(db, shop.id, search),
    blockingOrders(db, shop, [row.shopifyId]),
  ]);
  return {
    mapped: false as const,
    customer: rowOf(shop, row, blocked.get(row.shopifyId)),
    query: search,
    candidates: candidates.map((customer) => ({
      no: customer.no,
      name: customer.name,
      email: customer.email,
      phone: customer.phone,
      city: customer.city,
    })),
    proposal: { customerNo: "", name: nameOf(row) },
  };
}

export interface MappingOutcome {
  message: string;
  followUp: FollowUp | null;
}

async function followUp(db: Db, shop: Shop, row: ShopifyCustomer, mapped: string): Promise<MappingOutcome> {
  const blocked = (await blockingOrders(db, shop, [row.shopifyId])).get(row.shopifyId) ?? [];
  if (blocked.length === 0) return { message: `${mapped} No waiting order is theirs.`, followUp: null };
  const started = await startFollowUp(db, shop, processOrdersTask);
  return {
    message: `${mapped} Their waiting orders: ${blocked.map((order) => order.name).join(", ")}.`,
    followUp: started,
  };
}

async function mapToExisting(db: Db, shop: Shop, row: ShopifyCustomer, customerNo: string) {
  const customer = await findCustomer(db, shop.id, customerNo);
  if (!customer) throw new Refusal(`There is no customer ${customerNo} in the back office.`, 404);
  if (customer.isTemplate)
    throw new Refusal(`Customer ${customer.no} is a template, which is never sold to; choose another.`, 400);
  if (row.customerNo) {
    if (row.customerNo === customer.no) return `${nameOf(row)} is mapped to customer ${customer.no}.`;
    throw alreadyMapped(row);
  }
  const { count } = await db.shopifyCustomer.updateMany({
    where: { id: row.id, shopId: shop.id, customerNo: null },
    data: { customerNo: customer.no, syncState: "linked", message: `mapped by a person to ${customer.no}` },
  });
  if (count === 0) throw alreadyMapped(await requireCustomer(db, shop, row.id));
  return `${nameOf(row) || "The customer"} is now mapped to customer ${customer.no} (${customer.name}).`;
}

async function createFromShopify(
  db: Db,
  shop: Shop,
  row: ShopifyCustomer,
  input: Extract<CustomerAction, { intent: "create" }>,
) {
  if (row.customerNo) throw alreadyMapped(row);
  const settings = await db.shopSettings.findUnique({ where: { shopId: shop.id } });
  // The customer and the link commit together: a refused link leaves no customer behind.
  const customer = await db.$transaction(async (tx) => {
    const created = await createCustomer(tx, shop.id, {
      no: input.customerNo || undefined,
      name: input.name,
      email: row.email ?? undefined,
      phone: row.phone ?? undefined,
      address1: row.address1 ?? undefined,
      address2: row.address2 ?? undefined,
      city: row.city ?? undefined,
      zip: row.zip ?? undefined,
      county: row.province ?? undefined,
      countryCode: row.countryCode ?? undefined,
      // The template of the customer's country on the shop card, else the shop's.
      templateNo: (settings ? templateFor(settings, row.countryCode) : null) ?? undefined,
    });
    const { count } = await tx.shopifyCustomer.updateMany({
      where: { id: row.id, shopId: shop.id, customerNo: null },
      data: { customerNo: created.no, syncState: "linked", message: "created by a person" },
    });
    if (count === 0) throw new Refusal(`${nameOf(row)} was mapped by someone else meanwhile.`, 409);
    // Made from what Shopify has: the export has nothing to send of it until it changes (no echo).
    await markImported(
      tx,
      shop.id,
      created.no,
      gid("Customer", row.shopifyId),
      exportHash(created, settings?.customerNameFrom ?? "company", sideOfRow(row)),
    );
    return created;
  });
  return `Customer ${customer.no} (${customer.name}) is created and mapped.`;
}

/** Links a Shopify customer to an existing or new customer, then processes their waiting orders. */
export async function mapShopifyCustomer(db: Db, shop: Shop, input: MappingAction): Promise<MappingOutcome> {
  const row = await requireCustomer(db, shop, input.customerId);
  const mapped =
    input.intent === "map"
      ? await mapToExisting(db, shop, row, input.customerNo)
      : await createFromShopify(db, shop, row, input);
  return followUp(db, shop, row, mapped);
}

/* ---- Back-office customers and the customers export ---- */

export interface ShopifyLink {
  /** The Shopify customer's numeric id. */
  id: string;
  adminUrl: string;
  /** The customers sync's state of it (linked, error...); null when the app has no row of it. */
  importState: string | null;
  /** How it was linked, or why its import failed, in full. */
  importMessage: string | null;
}

export interface BackOfficeCustomerRow {
  no: string;
  name: string;
  email: string | null;
  phone: string | null;
  city: string | null;
  countryCode: string | null;
  shopify: ShopifyLink | null;
  state: CustomerSyncState;
  /** The state in words (CUSTOMER_STATE_WORDS). */
  stateWords: string;
  /** Shopify's message when failed (or the last failure's, while waiting), why when skipped. */
  message: string | null;
  attempts: number;
  sentAt: string | null;
}

export interface BackOfficeList extends Paging {
  search: string;
  state: CustomerView;
  /** Customers whose export failed, whatever the filters (Retry all errors). */
  errors: number;
  rows: BackOfficeCustomerRow[];
}

/** A record a person never added: collected as "not added", nothing ever sent. */
const neverAdded = (record: Pick<SyncRecord, "state" | "message" | "shopifyId">) =>
  record.state === "skipped" && record.message === NOT_ADDED && record.shopifyId === null;

function stateOf(record: SyncRecord | undefined, linked: boolean): CustomerSyncState {
  if (record && !neverAdded(record) && record.state in CUSTOMER_STATE_WORDS)
    return record.state as CustomerSyncState;
  return linked ? "linked" : "not_added";
}

async function shopSettings(db: Db, shop: Shop): Promise<ShopSettings> {
  return db.shopSettings.findUniqueOrThrow({ where: { shopId: shop.id } });
}

/** The export's records as the back office's latest changes leave them. */
async function collect(db: Db, shop: Shop, settings: ShopSettings): Promise<void> {
  await collectChanges(db, shop.id, customerFeed(settings.customerUpdates === "to_shopify"));
}

/** Back-office customers linked to a Shopify customer still there. */
async function linkedNos(db: Db, shop: Shop): Promise<string[]> {
  const rows = await db.shopifyCustomer.findMany({
    where: { shopId: shop.id, customerNo: { not: null }, deletedAt: null, redactedAt: null },
    select: { customerNo: true },
    distinct: ["customerNo"],
  });
  return rows.map((row) => row.customerNo!);
}

/** The back office's search for the filter: the text, and the customers in the state. */
async function searchOf(db: Db, shop: Shop, filter: BackOfficeFilter): Promise<CustomerSearch> {
  const text = filter.search ?? "";
  if (filter.state === "all") return { text };
  if (filter.state === "error" || filter.state === "pending" || filter.state === "synced") {
    const inState = await db.syncRecord.findMany({
      where: { shopId: shop.id, task: CUSTOMER_TASK, state: filter.state },
      select: { recordKey: true },
    });
    return { text, only: inState.map((record) => record.recordKey) };
  }
  const records = await db.syncRecord.findMany({
    where: { shopId: shop.id, task: CUSTOMER_TASK },
    select: { recordKey: true, state: true, message: true, shopifyId: true },
  });
  const followed = records.filter((record) => !neverAdded(record));
  if (filter.state === "skipped")
    return {
      text,
      only: followed.filter((record) => record.state === "skipped").map((record) => record.recordKey),
    };
  const linked = await linkedNos(db, shop);
  const except = followed.map((record) => record.recordKey);
  if (filter.state === "linked") return { text, only: linked, except };
  return { text, except: [...except, ...linked] };
}

/** The rows of these customers (in this order). */
async function backOfficeRows(db: Db, shop: Shop, customers: Customer[]): Promise<BackOfficeCustomerRow[]> {
  if (customers.length === 0) return [];
  const nos = customers.map((customer) => customer.no);
  const records = await recordsByKey(db, shop.id, CUSTOMER_TASK, nos);
  const sentTo = [...records.values()].flatMap((record) =>
    record.shopifyId ? [numericId(record.shopifyId)] : [],
  );
  const links = await db.shopifyCustomer.findMany({
    where: {
      shopId: shop.id,
      redactedAt: null,
      OR: [{ customerNo: { in: nos } }, ...(sentTo.length > 0 ? [{ shopifyId: { in: sentTo } }] : [])],
    },
    orderBy: { shopifyId: "asc" },
  });
  const byShopifyId = new Map(links.map((row) => [row.shopifyId, row]));
  return customers.map((customer) => {
    const record = records.get(customer.no);
    // The Shopify customer the export sent it to, else the first one still there linked to it.
    const sent = record?.shopifyId ? numericId(record.shopifyId) : null;
    const row =
      sent !== null
        ? byShopifyId.get(sent)
        : links.find((link) => link.customerNo === customer.no && link.deletedAt === null);
    const shopifyId = sent ?? row?.shopifyId ?? null;
    const state = stateOf(record, row !== undefined && row.deletedAt === null);
    return {
      no: customer.no,
      name: customer.name,
      email: customer.email,
      phone: customer.phone,
      city: customer.city,
      countryCode: customer.countryCode,
      shopify:
        shopifyId === null
          ? null
          : {
              id: shopifyId.toString(),
              adminUrl: adminCustomerUrl(shop.domain, shopifyId),
              importState: row ? row.syncState || null : null,
              importMessage: row?.message ?? null,
            },
      state,
      stateWords: CUSTOMER_STATE_WORDS[state],
      message: state === "not_added" || state === "linked" ? null : (record?.message ?? null),
      attempts: record?.attempts ?? 0,
      sentAt: record?.sentAt?.toISOString() ?? null,
    };
  });
}

/** One page of the back-office customers the search and the state filter find. */
export async function listBackOfficeCustomers(
  db: Db,
  shop: Shop,
  filter: BackOfficeFilter & { page: number },
): Promise<BackOfficeList> {
  await collect(db, shop, await shopSettings(db, shop));
  const search = await searchOf(db, shop, filter);
  const { total } = await findCustomerPage(db, shop.id, search, { skip: 0, take: 0 });
  const { paging, skip, take } = pageWindow(filter.page, total);
  const [{ customers }, errors] = await Promise.all([
    findCustomerPage(db, shop.id, search, { skip, take }),
    countInState(db, shop.id, CUSTOMER_TASK, "error"),
  ]);
  return {
    ...paging,
    search: filter.search ?? "",
    state: filter.state,
    errors,
    rows: await backOfficeRows(db, shop, customers),
  };
}

/** Every back-office customer the search and the state filter find, as rows (the CLI). */
export async function allBackOfficeCustomerRows(
  db: Db,
  shop: Shop,
  filter: BackOfficeFilter,
): Promise<BackOfficeCustomerRow[]> {
  await collect(db, shop, await shopSettings(db, shop));
  const search = await searchOf(db, shop, filter);
  const rows: BackOfficeCustomerRow[] = [];
  for (let skip = 0; ; skip += MAX_CHOSEN_CUSTOMERS) {
    const { customers } = await findCustomerPage(db, shop.id, search, { skip, take: MAX_CHOSEN_CUSTOMERS });
    rows.push(...(await backOfficeRows(db, shop, customers)));
    if (customers.length < MAX_CHOSEN_CUSTOMERS) return rows;
  }
}

/** Every unmapped Shopify customer, as the page lists them (the CLI). */
export async function allUnmappedCustomers(db: Db, shop: Shop): Promise<UnmappedCustomer[]> {
  const rows: UnmappedCustomer[] = [];
  for (let page = 1; ; page++) {
    const list = await listUnmappedCustomers(db, shop, page);
    rows.push(...list.rows);
    if (page * list.pageSize >= list.total) return rows;
  }
}

const names = (nos: string[]) =>
  nos.length === 1 ? nos[0]! : `${nos.slice(0, -1).join(", ")} and ${nos[nos.length - 1]!}`;

function addedWords(nos: string[]): string {
  if (nos.length === 1) return `Customer ${nos[0]} is waiting to be sent to Shopify.`;
  if (nos.length <= 5) return `Customers ${names(nos)} are waiting to be sent to Shopify.`;
  return `${nos.length} customers are waiting to be sent to Shopify.`;
}

async function addChosen(db: Db, shop: Shop, nos: string[]): Promise<string> {
  const { customers } = await findCustomerPage(db, shop.id, { only: nos }, { skip: 0, take: nos.length });
  const found = new Set(customers.map((customer) => customer.no));
  const notFound = nos.filter((no) => !found.has(no));
  if (notFound.length > 0) {
    const templates = (await Promise.all(notFound.map((no) => findCustomer(db, shop.id, no)))).filter(
      (customer): customer is Customer => customer?.isTemplate === true,
    );
    const missing = notFound.filter((no) => !templates.some((template) => template.no === no));
    if (missing.length > 0)
      throw new Refusal(`This shop has no customer ${names(missing)} in the back office.`, 404, {
        customerNos: `no customer ${names(missing)} in the back office`,
      });
    const nosOf = templates.map((template) => template.no);
    throw new Refusal(
      `${nosOf.length === 1 ? "Customer" : "Customers"} ${names(nosOf)} ${nosOf.length === 1 ? "is a template" : "are templates"}, and a template is never sent to Shopify.`,
      409,
      { customerNos: `${names(nosOf)} ${nosOf.length === 1 ? "is a template" : "are templates"}` },
    );
  }
  await addCustomersToShopify(db, shop.id, nos);
  return addedWords(nos);
}

async function retryOne(db: Db, shop: Shop, no: string): Promise<string> {
  const customer = await findCustomer(db, shop.id, no);
  if (!customer || customer.isTemplate)
    throw new Refusal(`This shop has no customer ${no} in the back office.`, 404, {
      customerNo: "not found",
    });
  if (!(await retryRecord(db, shop.id, CUSTOMER_TASK, customer.no))) {
    const [record, linked] = await Promise.all([
      recordsByKey(db, shop.id, CUSTOMER_TASK, [customer.no]),
      db.shopifyCustomer.count({
        where: { shopId: shop.id, customerNo: customer.no, deletedAt: null, redactedAt: null },
      }),
    ]);
    const state = stateOf(record.get(customer.no), linked > 0);
    throw new Refusal(
      `Customer ${customer.no} has not failed (it is ${CUSTOMER_STATE_WORDS[state]}); only a failed customer can be retried.`,
      409,
    );
  }
  return `Customer ${customer.no} is waiting to be sent to Shopify again.`;
}

async function retryAll(db: Db, shop: Shop): Promise<string> {
  const failed = await countInState(db, shop.id, CUSTOMER_TASK, "error");
  if (failed === 0) throw new Refusal("No customer failed to reach Shopify: nothing to retry.", 409);
  let retried = 0;
  // Each back to waiting by the kit's own retry; a batch at a time, as many rounds as there were.
  for (let round = 0; round * 500 <= failed; round++) {
    const batch = await recordsInState(db, shop.id, CUSTOMER_TASK, "error", { take: 500 });
    if (batch.length === 0) break;
    for (let at = 0; at < batch.length; at += 20) {
      const done = await Promise.all(
        batch.slice(at, at + 20).map((record) => retryRecord(db, shop.id, CUSTOMER_TASK, record.recordKey)),
      );
      retried += done.filter(Boolean).length;
    }
  }
  if (retried === 0) throw new Refusal("No customer failed to reach Shopify: nothing to retry.", 409);
  return retried === 1
    ? "The customer in error is waiting to be sent to Shopify again."
    : `${retried} customers in error are waiting to be sent to Shopify again.`;
}

/**
 * A person's action on the Customers page: maps an unmapped Shopify customer (then processes
 * its waiting orders), or adds back-office customers to Shopify, retries a failed one or every
 * one (then starts the customers sync).
 */
export async function actOnCustomers(db: Db, shop: Shop, input: CustomerAction): Promise<MappingOutcome> {
  if (input.intent === "map" || input.intent === "create") return mapShopifyCustomer(db, shop, input);
  const message =
    input.intent === "add"
      ? await addChosen(db, shop, input.customerNos)
      : input.intent === "retry"
        ? await retryOne(db, shop, input.customerNo)
        : await retryAll(db, shop);
  return { message, followUp: await startFollowUp(db, shop, syncCustomersTask) };
}
