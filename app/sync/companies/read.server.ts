import type { Db, Tx } from "../../db.server";
import type { AdminClient } from "../../shopify/admin-client.server";
import type { BulkRecord } from "../../shopify/bulk.server";
import { gid, numericId } from "../../shopify/ids.server";
import type { DataOf } from "../../shopify/operation.server";
import { contentHash } from "../kit/outbound.server";
import {
  COMPANIES_BY_ID,
  COMPANIES_PER_REQUEST,
  COMPANY_MORE_CONTACTS,
  COMPANY_MORE_LOCATIONS,
  type CompanyAddressNode,
  type CompanyContactNode,
  type CompanyLocationNode,
  type CompanyNode,
} from "./operations.server";

/**
 * A Shopify company as the sync works with it, whether just read from the Admin API (by id, by
 * page or from a bulk query's file) or taken back from the rows it was stored in
 * (ShopifyCompany, ShopifyCompanyLocation, ShopifyCompanyContact): the same shape and the same
 * content hash either way, so a company read again as it was is recognised as unchanged.
 */

/**
 * A location's address: its shipping address, or its billing address when it has none. The
 * business's address only: no person's name (first and last name, recipient) nor phone is read
 * or kept (ShopifyCompanyLocation.address), so nothing of a person outlives their redaction here.
 */
export interface StoredAddress {
  company: string | null;
  address1: string | null;
  address2: string | null;
  city: string | null;
  zip: string | null;
  /** The zone code when Shopify has one ("ON"), else the province's name. */
  province: string | null;
  countryCode: string | null;
}

export interface LocationRead {
  id: bigint;
  name: string;
  externalId: string | null;
  updatedAt: Date;
  address: StoredAddress | null;
  taxRegistrationId: string | null;
  taxExempt: boolean;
  taxExemptions: string[];
  paymentTermsName: string | null;
  paymentTermsDueInDays: number | null;
}

export interface ContactRead {
  id: bigint;
  customerId: bigint | null;
  isMainContact: boolean;
  title: string | null;
  email: string | null;
  phone: string | null;
  firstName: string | null;
  lastName: string | null;
}

export interface CompanyRead {
  id: bigint;
  name: string;
  externalId: string | null;
  note: string | null;
  updatedAt: Date;
  mainContactId: bigint | null;
  /** By id, oldest first: the first is "the company's first location". */
  locations: LocationRead[];
  contacts: ContactRead[];
}

const byId = <T extends { id: bigint }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function addressOf(node: CompanyAddressNode | null): StoredAddress | null {
  if (!node) return null;
  return {
    company: node.companyName || null,
    address1: node.address1 || null,
    address2: node.address2 ?? null,
    city: node.city ?? null,
    zip: node.zip ?? null,
    province: node.zoneCode ?? node.province ?? null,
    countryCode: node.countryCode ?? null,
  };
}

export function locationOf(node: CompanyLocationNode): LocationRead {
  const terms = node.buyerExperienceConfiguration?.paymentTermsTemplate ?? null;
  return {
    id: numericId(node.id),
    name: node.name,
    externalId: node.externalId ?? null,
    updatedAt: new Date(node.updatedAt),
    address: addressOf(node.shippingAddress ?? node.billingAddress),
    taxRegistrationId: node.taxSettings.taxRegistrationId || null,
    taxExempt: node.taxSettings.taxExempt,
    taxExemptions: [...node.taxSettings.taxExemptions].sort(),
    paymentTermsName: terms?.name ?? null,
    paymentTermsDueInDays: terms?.dueInDays ?? null,
  };
}

export function contactOf(node: CompanyContactNode, mainContactId: bigint | null): ContactRead {
  const id = numericId(node.id);
  return {
    id,
    customerId: node.customer ? numericId(node.customer.id) : null,
    isMainContact: node.isMainContact || id === mainContactId,
    title: node.title ?? null,
    email: node.customer?.email ?? null,
    phone: node.customer?.phone ?? null,
    firstName: node.customer?.firstName ?? null,
    lastName: node.customer?.lastName ?? null,
  };
}

function companyOf(
  node: Pick<CompanyNode, "id" | "name" | "externalId" | "note" | "updatedAt" | "mainContact">,
  locations: CompanyLocationNode[],
  contacts: CompanyContactNode[],
): CompanyRead {
  const mainContactId = node.mainContact ? numericId(node.mainContact.id) : null;
  return {
    id: numericId(node.id),
    name: node.name,
    externalId: node.externalId ?? null,
    note: node.note ?? null,
    updatedAt: new Date(node.updatedAt),
    mainContactId,
    locations: locations.map(locationOf).sort(byId),
    contacts: contacts.map((contact) => contactOf(contact, mainContactId)).sort(byId),
  };
}

/** What the sync takes from a location: everything but its update time. */
export function locationContent(location: LocationRead) {
  const { updatedAt: _updatedAt, ...content } = location;
  return content;
}

/** The hash of one location as Shopify has it (ShopifyCompanyLocation.contentHash). */
export function locationHash(location: LocationRead): string {
  return contentHash(locationContent(location));
}

/** The hash of a company as Shopify has it, its locations and contacts included (ShopifyCompany.contentHash). */
export function companyHash(company: CompanyRead): string {
  const { updatedAt: _updatedAt, locations, ...content } = company;
  return contentHash({ ...content, locations: locations.map(locationContent) });
}

/** The company's first location (the oldest), whose address and terms a business customer takes. */
export function firstLocation(company: Pick<CompanyRead, "locations">): LocationRead | undefined {
  return company.locations[0];
}

/** The company's main contact, if it has one. */
export function mainContact(
  company: Pick<CompanyRead, "contacts" | "mainContactId">,
): ContactRead | undefined {
  return (
    company.contacts.find((contact) => contact.id === company.mainContactId) ??
    company.contacts.find((contact) => contact.isMainContact)
  );
}

export const personName = (person: { firstName: string | null; lastName: string | null } | undefined) =>
  [person?.firstName, person?.lastName]
    .map((part) => part?.trim())
    .filter(Boolean)
    .join(" ");

/** Whole companies by id, locations and contacts paged to their ends; ids Shopify lacks come back as `missing`. */
export async function companiesById(
  client: AdminClient,
  ids: bigint[],
): Promise<{ companies: CompanyRead[]; missing: bigint[] }> {
  const companies: CompanyRead[] = [];
  const missing: bigint[] = [];
  for (let at = 0; at < ids.length; at += COMPANIES_PER_REQUEST) {
    const chunk = ids.slice(at, at + COMPANIES_PER_REQUEST);
    const { nodes } = await client.request(COMPANIES_BY_ID, { ids: chunk.map((id) => gid("Company", id)) });
    for (const [index, node] of nodes.entries()) {
      if (node && "id" in node) companies.push(await wholeCompany(client, node as CompanyNode));
      else missing.push(chunk[index]!);
    }
  }
  return { companies, missing };
}

/** Yields whole companies by id, a request at a time (for the record loop). */
export async function* companiesByIdInTurn(
  client: AdminClient,
  ids: bigint[],
  onMissing: (ids: bigint[]) => Promise<void>,
): AsyncGenerator<CompanyRead> {
  for (let at = 0; at < ids.length; at += COMPANIES_PER_REQUEST) {
    const { companies, missing } = await companiesById(client, ids.slice(at, at + COMPANIES_PER_REQUEST));
    if (missing.length > 0) await onMissing(missing);
    yield* companies;
  }
}

/** A company node with the rest of its locations and contacts read. */
export async function wholeCompany(client: AdminClient, node: CompanyNode): Promise<CompanyRead> {
  const locations = [...node.locations.nodes];
  let page = node.locations.pageInfo;
  while (page.hasNextPage) {
    const more: DataOf<typeof COMPANY_MORE_LOCATIONS> = await client.request(COMPANY_MORE_LOCATIONS, {
      id: node.id,
      after: page.endCursor,
    });
    if (!more.company) break;
    locations.push(...more.company.locations.nodes);
    page = more.company.locations.pageInfo;
  }
  const contacts = [...node.contacts.nodes];
  page = node.contacts.pageInfo;
  while (page.hasNextPage) {
    const more: DataOf<typeof COMPANY_MORE_CONTACTS> = await client.request(COMPANY_MORE_CONTACTS, {
      id: node.id,
      after: page.endCursor,
    });
    if (!more.company) break;
    contacts.push(...more.company.contacts.nodes);
    page = more.company.contacts.pageInfo;
  }
  return companyOf(node, locations, contacts);
}

/** A bulk query's company line with its location and contact lines. */
export function companyOfBulk(record: BulkRecord): CompanyRead {
  return companyOf(
    record.node as unknown as CompanyNode,
    (record.children.get("CompanyLocation") ?? []) as unknown as CompanyLocationNode[],
    (record.children.get("CompanyContact") ?? []) as unknown as CompanyContactNode[],
  );
}

function storedAddress(value: unknown): StoredAddress | null {
  if (!value || typeof value !== "object") return null;
  const row = value as Record<string, unknown>;
  const text = (key: string) => (typeof row[key] === "string" ? row[key] : null);
  return {
    company: text("company"),
    address1: text("address1"),
    address2: text("address2"),
    city: text("city"),
    zip: text("zip"),
    province: text("province"),
    countryCode: text("countryCode"),
  };
}

/**
 * Companies as last stored (those read from Shopify at least once), to judge them again
 * without reading Shopify: the mapping rules changed, or a person asked for it.
 */
export async function companiesFromRows(db: Db | Tx, shopId: string, ids: bigint[]): Promise<CompanyRead[]> {
  if (ids.length === 0) return [];
  const [companies, locations, contacts] = await Promise.all([
    db.shopifyCompany.findMany({ where: { shopId, shopifyId: { in: ids }, deletedAt: null } }),
    db.shopifyCompanyLocation.findMany({
      where: { shopId, companyShopifyId: { in: ids }, deletedAt: null },
      orderBy: { shopifyId: "asc" },
    }),
    db.shopifyCompanyContact.findMany({
      where: { shopId, companyShopifyId: { in: ids }, deletedAt: null },
      orderBy: { shopifyId: "asc" },
    }),
  ]);
  return companies.map((company) => ({
    id: company.shopifyId,
    name: company.name,
    externalId: company.externalId,
    note: company.note,
    updatedAt: company.shopifyUpdatedAt ?? company.updatedAt,
    mainContactId: company.mainContactShopifyId,
    locations: locations
      .filter((location) => location.companyShopifyId === company.shopifyId)
      .map((location) => ({
        id: location.shopifyId,
        name: location.name,
        externalId: location.externalId,
        updatedAt: location.shopifyUpdatedAt ?? location.updatedAt,
        address: storedAddress(location.address),
        taxRegistrationId: location.taxRegistrationId,
        taxExempt: location.taxExempt,
        taxExemptions: [...location.taxExemptions].sort(),
        paymentTermsName: location.paymentTermsName,
        paymentTermsDueInDays: location.paymentTermsDueInDays,
      })),
    contacts: contacts
      .filter((contact) => contact.companyShopifyId === company.shopifyId)
      .map((contact) => ({
        id: contact.shopifyId,
        customerId: contact.customerShopifyId,
        isMainContact: contact.isMainContact,
        title: contact.title,
        email: contact.email,
        phone: contact.phone,
        firstName: contact.firstName,
        lastName: contact.lastName,
      })),
  }));
}
