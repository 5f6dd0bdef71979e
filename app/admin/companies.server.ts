import { z } from "zod";
import { createCustomer, findCustomer, searchCustomers } from "../backoffice/backoffice.server";
import type { Db, Tx } from "../db.server";
import type {
  Prisma,
  Shop,
  ShopifyCompany,
  ShopifyCompanyContact,
  ShopifyCompanyLocation,
} from "../generated/prisma/client";
import { tileWhere } from "../status/status.server";
import { applyCompany, customerFieldsOf } from "../sync/companies/link.server";
import { companiesFromRows, personName, type StoredAddress } from "../sync/companies/read.server";
import { syncCompaniesTask } from "../sync/companies/task.server";
import { processOrdersOfCompanies } from "../sync/orders/company-orders.server";
import { startFollowUp, type FollowUp } from "./follow-up.server";
import { pageParam, pageWindow, type Paging } from "./paging";
import type { BlockedOrder } from "./products.server";
import { Refusal } from "./refusal.server";
import { adminOrderUrl, storeHandle } from "./shopify-admin.server";

/**
 * The Companies page (and the CLI's `companies`): Shopify's B2B companies as the companies sync
 * read them, each with its locations (address, tax registration and exemptions, payment terms,
 * and the ship-to address or customer each became), its main contact, its state with the
 * message in full, and the orders it holds up. The first view is what the Unmapped companies
 * tile counts (tileWhere.unmappedCompanies). A person maps a company to an existing business
 * customer or creates one from it (its locations are linked as the shop card says, and the
 * orders it held up are processed again), or retries one in error (the companies sync reads it
 * again).
 */

export const COMPANY_VIEWS = ["unmapped", "error", "linked", "all"] as const;
export type CompanyView = (typeof COMPANY_VIEWS)[number];

export const COMPANY_STATE_WORDS: Record<string, string> = {
  unmapped: "not linked to a business customer",
  linked: "linked",
  skipped: "skipped",
  error: "failed",
};

const companyId = z.uuid({ message: "company must be the id of a Shopify company on this list" });
const text = (max: number) => z.string().trim().max(max, `at most ${max} characters`);
const view = z
  .enum(COMPANY_VIEWS, { message: `view is one of ${COMPANY_VIEWS.join(", ")}` })
  .default("unmapped");

export const companyQuery = z.object({
  view,
  company: companyId.optional(),
  q: text(100).optional(),
  page: pageParam,
});
export type CompanyQuery = z.output<typeof companyQuery>;

export const companyAction = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("map"),
    companyId,
    customerNo: text(20).min(1, "choose a business customer"),
  }),
  z.object({
    intent: z.literal("create"),
    companyId,
    customerNo: text(20).optional(),
    name: text(100).min(1, "give the business customer a name"),
  }),
  z.object({ intent: z.literal("retry"), companyId }),
]);
export type CompanyAction = z.output<typeof companyAction>;

export interface CompanyLocationRow {
  id: string;
  shopifyId: string;
  name: string;
  address: string;
  taxRegistrationId: string | null;
  taxExempt: boolean;
  taxExemptions: string[];
  paymentTerms: string | null;
  customerNo: string | null;
  shipToCode: string | null;
  state: string;
  message: string | null;
}

export interface CompanyRow {
  id: string;
  shopifyId: string;
  name: string;
  externalId: string | null;
  state: string;
  stateWords: string;
  /** Why it is unmapped, Shopify's or the back office's error in full, or how it was linked. */
  message: string | null;
  customerNo: string | null;
  customerName: string | null;
  adminUrl: string;
  mainContact: { name: string; email: string | null; phone: string | null } | null;
  locations: CompanyLocationRow[];
  blockedOrders: BlockedOrder[];
  deleted: boolean;
}

export function adminCompanyUrl(domain: string, companyShopifyId: bigint): string {
  return `https://admin.shopify.com/store/${storeHandle(domain)}/companies/${companyShopifyId}`;
}

function whereOf(shop: Shop, view: CompanyView): Prisma.ShopifyCompanyWhereInput {
  if (view === "unmapped") return tileWhere.unmappedCompanies(shop.id);
  if (view === "all") return { shopId: shop.id };
  return { shopId: shop.id, syncState: view, deletedAt: null };
}

function addressText(value: unknown): string {
  const address = (value ?? null) as StoredAddress | null;
  if (!address) return "";
  return [
    address.address1,
    address.address2,
    [address.zip, address.city].filter(Boolean).join(" "),
    address.province,
    address.countryCode,
  ]
    .filter(Boolean)
    .join(", ");
}

function termsText(location: ShopifyCompanyLocation): string | null {
  if (!location.paymentTermsName) return null;
  return location.paymentTermsDueInDays === null
    ? location.paymentTermsName
    : `${location.paymentTermsName} (${location.paymentTermsDueInDays} days)`;
}

async function blockingOrders(db: Db, shop: Shop, companyIds: bigint[]) {
  const orders = await db.shopifyOrder.findMany({
    where: { ...tileWhere.unprocessedOrders(shop.id), companyShopifyId: { in: companyIds } },
    select: { id: true, name: true, shopifyId: true, companyShopifyId: true },
    orderBy: { shopifyCreatedAt: "asc" },
  });
  const byCompany = new Map<bigint, BlockedOrder[]>();
  for (const order of orders) {
    const list = byCompany.get(order.companyShopifyId!) ?? [];
    list.push({ id: order.id, name: order.name, adminUrl: adminOrderUrl(shop.domain, order.shopifyId) });
    byCompany.set(order.companyShopifyId!, list);
  }
  return byCompany;
}

/** The rows of these companies, with their locations, contacts, customers and waiting orders. */
async function rowsOf(db: Db, shop: Shop, companies: ShopifyCompany[]): Promise<CompanyRow[]> {
  const ids = companies.map((company) => company.shopifyId);
  const [locations, contacts, blocked, customers] = await Promise.all([
    db.shopifyCompanyLocation.findMany({
      where: { shopId: shop.id, companyShopifyId: { in: ids }, deletedAt: null },
      orderBy: { shopifyId: "asc" },
    }),
    db.shopifyCompanyContact.findMany({
      where: { shopId: shop.id, companyShopifyId: { in: ids }, deletedAt: null },
    }),
    blockingOrders(db, shop, ids),
    Promise.all(
      [...new Set(companies.flatMap((company) => (company.customerNo ? [company.customerNo] : [])))].map(
        (no) => findCustomer(db, shop.id, no),
      ),
    ),
  ]);
  const names = new Map(customers.flatMap((customer) => (customer ? [[customer.no, customer.name]] : [])));
  const contactOf = (company: ShopifyCompany): ShopifyCompanyContact | undefined =>
    contacts.find(
      (c) => c.companyShopifyId === company.shopifyId && c.shopifyId === company.mainContactShopifyId,
    ) ?? contacts.find((c) => c.companyShopifyId === company.shopifyId && c.isMainContact);
  return companies.map((company) => {
    const contact = contactOf(company);
    return {
      id: company.id,
      shopifyId: company.shopifyId.toString(),
      name: company.name || `Shopify company ${company.shopifyId}`,
      externalId: company.externalId,
      state: company.syncState,
      stateWords: company.deletedAt
        ? "deleted in Shopify"
        : (COMPANY_STATE_WORDS[company.syncState] ?? company.syncState),
      message: company.message,
      customerNo: company.customerNo,
      customerName: company.customerNo ? (names.get(company.customerNo) ?? null) : null,
      adminUrl: adminCompanyUrl(shop.domain, company.shopifyId),
      mainContact: contact ? { name: personName(contact), email: contact.email, phone: contact.phone } : null,
      locations: locations
        .filter((location) => location.companyShopifyId === company.shopifyId)
        .map((location) => ({
          id: location.id,
          shopifyId: location.shopifyId.toString(),
          name: location.name,
          address: addressText(location.address),
          taxRegistrationId: location.taxRegistrationId,
          taxExempt: location.taxExempt,
          taxExemptions: location.taxExemptions,
          paymentTerms: termsText(location),
          customerNo: location.customerNo,
          shipToCode: location.shipToCode,
          state: location.syncState,
          message: location.message,
        })),
      blockedOrders: blocked.get(company.shopifyId) ?? [],
      deleted: company.deletedAt !== null,
    };
  });
}

export async function listCompanies(
  db: Db,
  shop: Shop,
  query: { view: CompanyView; page: number },
): Promise<Paging & { view: CompanyView; rows: CompanyRow[] }> {
  const where = whereOf(shop, query.view);
  const { paging, skip, take } = pageWindow(query.page, await db.shopifyCompany.count({ where }));
  const companies = await db.shopifyCompany.findMany({
    where,
    orderBy: [{ name: "asc" }, { shopifyId: "asc" }],
    skip,
    take,
  });
  return { ...paging, view: query.view, rows: await rowsOf(db, shop, companies) };
}

/** Every company of a view, every page of it (the CLI). */
export async function allCompanyRows(db: Db, shop: Shop, view: CompanyView): Promise<CompanyRow[]> {
  const companies = await db.shopifyCompany.findMany({
    where: whereOf(shop, view),
    orderBy: [{ name: "asc" }, { shopifyId: "asc" }],
  });
  return rowsOf(db, shop, companies);
}

async function requireCompany(db: Db, shop: Shop, id: string): Promise<ShopifyCompany> {
  const row = await db.shopifyCompany.findFirst({ where: { id, shopId: shop.id, deletedAt: null } });
  if (!row) throw new Refusal(`This shop has no Shopify company ${id} on this list.`, 404);
  return row;
}

function alreadyMapped(row: ShopifyCompany): Refusal {
  return new Refusal(`${row.name || "This company"} is already linked to customer ${row.customerNo}.`, 409);
}

/**
 * The mapping panel of one company: business customers to pick from (found by its main
 * contact's e-mail, else its name), and the customer that would be created from it.
 */
export async function companyMappingPanel(db: Db, shop: Shop, id: string, query?: string) {
  const row = await requireCompany(db, shop, id);
  if (row.customerNo && row.syncState === "linked")
    return { mapped: true as const, message: alreadyMapped(row).message };
  const [company] = await rowsOf(db, shop, [row]);
  const search = query ?? company!.mainContact?.email ?? row.name;
  const candidates = await searchCustomers(db, shop.id, search);
  return {
    mapped: false as const,
    company: company!,
    query: search,
    candidates: candidates.map((customer) => ({
      no: customer.no,
      name: customer.name,
      email: customer.email,
      taxRegistrationNo: customer.taxRegistrationNo,
      city: customer.city,
    })),
    proposal: { customerNo: "", name: row.name },
  };
}

export interface CompanyOutcome {
  message: string;
  followUp: FollowUp | null;
}

/** The orders the company held up are processed again (the order area's follow-up). */
async function releaseOrders(db: Db, shop: Shop, row: ShopifyCompany, done: string): Promise<CompanyOutcome> {
  const { orders, followUp } = await processOrdersOfCompanies(db, shop.id, [row.shopifyId]);
  if (orders.length === 0) return { message: `${done} No waiting order is theirs.`, followUp: null };
  return {
    message: `${done} Their waiting orders: ${orders.map((order) => order.name).join(", ")}.`,
    followUp,
  };
}

/** Links the company to the customer (its locations too, as the shop card says), in the caller's transaction. */
async function link(db: Db | Tx, shop: Shop, row: ShopifyCompany, customerNo: string) {
  const settings = await db.shopSettings.findUniqueOrThrow({ where: { shopId: shop.id } });
  const [company] = await companiesFromRows(db, shop.id, [row.shopifyId]);
  if (!company) throw alreadyMapped(row);
  await applyCompany({ db, shopId: shop.id, settings }, company, { customerNo, fromRows: true });
}

async function mapToExisting(db: Db, shop: Shop, row: ShopifyCompany, customerNo: string): Promise<string> {
  const customer = await findCustomer(db, shop.id, customerNo);
  if (!customer) throw new Refusal(`There is no customer ${customerNo} in the back office.`, 404);
  if (customer.isTemplate)
    throw new Refusal(`Customer ${customer.no} is a template, which is never sold to; choose another.`, 400);
  if (row.customerNo && row.syncState === "linked") {
    if (row.customerNo === customer.no) return `${row.name} is linked to customer ${customer.no}.`;
    throw alreadyMapped(row);
  }
  await db.$transaction(async (tx) => {
    const { count } = await tx.shopifyCompany.updateMany({
      where: { id: row.id, shopId: shop.id, NOT: { syncState: "linked" } },
      data: { syncState: "unmapped" },
    });
    if (count === 0) throw alreadyMapped(await requireCompany(db, shop, row.id));
    await link(tx, shop, row, customer.no);
  });
  return `${row.name} is now linked to customer ${customer.no} (${customer.name}).`;
}

async function createFromCompany(
  db: Db,
  shop: Shop,
  row: ShopifyCompany,
  input: Extract<CompanyAction, { intent: "create" }>,
): Promise<string> {
  if (row.customerNo && row.syncState === "linked") throw alreadyMapped(row);
  const settings = await db.shopSettings.findUniqueOrThrow({ where: { shopId: shop.id } });
  const [stored] = await companiesFromRows(db, shop.id, [row.shopifyId]);
  // The customer and the link commit together: a refused link leaves no customer behind.
  const customer = await db.$transaction(async (tx) => {
    const created = await createCustomer(tx, shop.id, {
      ...(stored ? customerFieldsOf(stored) : {}),
      no: input.customerNo || undefined,
      name: input.name,
      templateNo: settings.companyTemplateNo ?? undefined,
    });
    const { count } = await tx.shopifyCompany.updateMany({
      where: { id: row.id, shopId: shop.id, NOT: { syncState: "linked" } },
      data: { syncState: "unmapped" },
    });
    if (count === 0) throw new Refusal(`${row.name} was linked by someone else meanwhile.`, 409);
    await link(tx, shop, row, created.no);
    return created;
  });
  return `Business customer ${customer.no} (${customer.name}) is created and linked to ${row.name}.`;
}

/** A person's action on a company of the list. */
export async function actOnCompany(db: Db, shop: Shop, input: CompanyAction): Promise<CompanyOutcome> {
  const row = await requireCompany(db, shop, input.companyId);
  if (input.intent === "retry") {
    if (row.syncState !== "error")
      throw new Refusal(`${row.name} is not in error: there is nothing to retry.`, 409);
    const followUp = await startFollowUp(db, shop, syncCompaniesTask);
    return { message: `${row.name} is read from Shopify again.`, followUp };
  }
  const done =
    input.intent === "map"
      ? await mapToExisting(db, shop, row, input.customerNo)
      : await createFromCompany(db, shop, row, input);
  return releaseOrders(db, shop, row, done);
}
