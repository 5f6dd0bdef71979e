import { z } from "zod";
import { createCustomer, findCustomer, searchCustomers } from "../backoffice/backoffice.server";
import type { Db } from "../db.server";
import type { Shop, ShopifyCustomer } from "../generated/prisma/client";
import { tileWhere } from "../status/status.server";
import { processOrdersTask } from "../sync/orders/task.server";
import { startFollowUp, type FollowUp } from "./follow-up.server";
import { pageParam, pageWindow, type Paging } from "./paging";
import type { BlockedOrder } from "./products.server";
import { Refusal } from "./refusal.server";
import { adminCustomerUrl, adminOrderUrl } from "./shopify-admin.server";

/**
 * Unmapped customers: Shopify customers not linked to a back-office customer, with the orders
 * each holds up. A person links one to an existing customer or creates a customer from it;
 * the link is kept on the ShopifyCustomer row, which order processing reads before its
 * strategy, and the orders it held up are processed again.
 */

export interface UnmappedCustomer {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  address: string;
  adminUrl: string;
  blockedOrders: BlockedOrder[];
}

const customerId = z.uuid({ message: "customer must be the id of a Shopify customer on this list" });
const text = (max: number) => z.string().trim().max(max, `at most ${max} characters`);

export const customerQuery = z.object({
  customer: customerId.optional(),
  q: text(100).optional(),
  page: pageParam,
});

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
]);
export type CustomerAction = z.output<typeof customerAction>;

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
    name: nameOf(row) || `Shopify customer ${row.shopifyId}`,
    email: row.email,
    phone: row.phone,
    address: addressOf(row),
    adminUrl: adminCustomerUrl(shop.domain, row.shopifyId),
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
  const row = await db.shopifyCustomer.findFirst({ where: { id, shopId: shop.id, redactedAt: null } });
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
    data: { customerNo: customer.no },
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
      city: row.city ?? undefined,
      zip: row.zip ?? undefined,
      countryCode: row.countryCode ?? undefined,
      templateNo: settings?.customerTemplateNo ?? undefined,
    });
    const { count } = await tx.shopifyCustomer.updateMany({
      where: { id: row.id, shopId: shop.id, customerNo: null },
      data: { customerNo: created.no },
    });
    if (count === 0) throw new Refusal(`${nameOf(row)} was mapped by someone else meanwhile.`, 409);
    return created;
  });
  return `Customer ${customer.no} (${customer.name}) is created and mapped.`;
}

/** Links a Shopify customer to an existing or new customer, then processes their waiting orders. */
export async function mapShopifyCustomer(db: Db, shop: Shop, input: CustomerAction): Promise<MappingOutcome> {
  const row = await requireCustomer(db, shop, input.customerId);
  const mapped =
    input.intent === "map"
      ? await mapToExisting(db, shop, row, input.customerNo)
      : await createFromShopify(db, shop, row, input);
  return followUp(db, shop, row, mapped);
}
