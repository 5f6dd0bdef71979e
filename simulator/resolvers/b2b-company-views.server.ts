import { countOf } from "./connection.server";
import type {
  Address,
  CompanyContactRecord,
  CompanyLocationRecord,
  CompanyRecord,
} from "../state/records.server";
import { gid, parseGid, type ShopState } from "../state/shop-state.server";
import { catalogView } from "./b2b-catalog-views.server";
import { connection, encodeCursor, type ConnectionArgs, type SortValue } from "./connection.server";
import { iso } from "./context.server";
import { amountSpentCents, customerView } from "./customers-views.server";
import { paymentTermsTemplate, paymentTermsTemplateView } from "./b2b-payment-terms.server";
import { moneyV2 } from "./orders-line-views.server";
import { orderSortKey } from "./orders-search.server";
import { orderView } from "./orders-views.server";
import type { OrderRecord } from "../state/records.server";
import { countryName } from "./addresses.server";
import { search, type SearchFields } from "./search.server";

/**
 * B2B companies, their locations, addresses and contacts as the Admin API's objects
 * (https://shopify.dev/docs/api/admin-graphql/2026-07/objects/Company, .../CompanyLocation,
 * .../CompanyAddress, .../CompanyContact). Orders count for a company, location and contact
 * when placed for the location (orderCreate's `companyLocationId`: Order.purchasingEntity);
 * spend is what they were paid net of refunds. A location's buyerExperienceConfiguration is
 * never null: one without settings answers false / null for each, as a live shop does.
 */

type ListArgs = ConnectionArgs & { query?: string | null; sortKey?: string | null };

export const COMPANY_SEARCH: SearchFields<CompanyRecord> = {
  fields: {
    id: (c) => c.id,
    name: (c) => c.name,
    external_id: (c) => c.externalId,
    created_at: (c) => c.createdAt,
    updated_at: (c) => c.updatedAt,
    since_date: (c) => c.customerSince ?? c.createdAt,
  },
  defaultFields: ["name", "external_id"],
};

export const LOCATION_SEARCH: SearchFields<CompanyLocationRecord> = {
  fields: {
    id: (l) => l.id,
    name: (l) => l.name,
    external_id: (l) => l.externalId,
    company_id: (l) => l.companyId,
    created_at: (l) => l.createdAt,
    updated_at: (l) => l.updatedAt,
  },
  defaultFields: ["name", "external_id"],
};

/** A sort key's value for each record (the connection breaks ties by id). */
type SortKeys<R> = Record<string, (shop: ShopState) => (record: R) => SortValue>;

export const COMPANY_SORT: SortKeys<CompanyRecord> = {
  ID: () => (c) => c.id,
  NAME: () => (c) => c.name,
  CREATED_AT: () => (c) => c.createdAt.getTime(),
  UPDATED_AT: () => (c) => c.updatedAt.getTime(),
  SINCE_DATE: () => (c) => (c.customerSince ?? c.createdAt).getTime(),
};

export const LOCATION_SORT: SortKeys<CompanyLocationRecord> = {
  ID: () => (l) => l.id,
  NAME: () => (l) => l.name,
  CREATED_AT: () => (l) => l.createdAt.getTime(),
  UPDATED_AT: () => (l) => l.updatedAt.getTime(),
  COMPANY_ID: () => (l) => l.companyId,
  COMPANY_AND_LOCATION_NAME: (shop) => (l) => [shop.companies.get(l.companyId)?.name ?? "", l.name],
};

/** Company locations matching a connection's `query`, in its `sortKey` order. */
export function locationConnection(shop: ShopState, records: CompanyLocationRecord[], args: ListArgs) {
  const key = (LOCATION_SORT[args.sortKey ?? "ID"] ?? LOCATION_SORT.ID!)(shop);
  return connection(search(records, args.query, LOCATION_SEARCH), args, { key, id: (l) => l.id }, (l) =>
    companyLocationView(shop, l),
  );
}

/** The orders placed for a company, location or contact (Order.purchasingEntity). */
export function b2bOrders(
  shop: ShopState,
  match: (p: NonNullable<OrderRecord["purchasingCompany"]>) => boolean,
): OrderRecord[] {
  return [...shop.orders.values()].filter(
    (order) => order.purchasingCompany && match(order.purchasingCompany),
  );
}

/** The fields of an object with B2B orders: ordersCount, totalSpent, orders. */
function orderFields(shop: ShopState, orders: () => OrderRecord[]) {
  return {
    ordersCount: () => countOf(orders().length),
    totalSpent: () => moneyV2(amountSpentCents(orders()), shop.currencyCode),
    orders: (args: ListArgs) =>
      connection(
        orders(),
        args,
        { key: orderSortKey(args.sortKey ?? "ID"), id: (order) => order.id },
        (order) => orderView(shop, order),
      ),
  };
}

function stripTags(text: string): string {
  return text.replace(/<[^>]*>/g, "");
}

/** A name as Shopify stores it: HTML tags removed, trimmed. */
export function cleanName(value: string | null | undefined): string {
  return stripTags(value ?? "").trim();
}

export function companyAddressView(
  location: CompanyLocationRecord,
  address: Address,
  id: number | null | undefined,
  kind: "billing" | "shipping",
  companyName: string,
) {
  const recipient =
    address.recipient ?? ([address.firstName, address.lastName].filter(Boolean).join(" ") || null);
  const area = [address.city, [address.provinceCode, address.zip].filter(Boolean).join(" ")]
    .filter(Boolean)
    .join(" ");
  return {
    __typename: "CompanyAddress",
    // Records made before addresses had ids get one derived from the location.
    id: id != null ? gid("CompanyAddress", id) : `${gid("CompanyAddress", location.id)}?type=${kind}`,
    address1: address.address1 ?? "",
    address2: address.address2 ?? null,
    city: address.city ?? null,
    companyName: address.company ?? companyName,
    country: address.country ?? countryName(address.countryCode),
    countryCode: address.countryCode ?? null,
    firstName: address.firstName ?? null,
    lastName: address.lastName ?? null,
    recipient,
    phone: address.phone ?? null,
    province: address.province ?? null,
    zoneCode: address.provinceCode ?? null,
    zip: address.zip ?? null,
    formattedArea: [address.city, address.province, address.country].filter(Boolean).join(", ") || null,
    formattedAddress: (args: { withName?: boolean | null; withCompanyName?: boolean | null }) =>
      [
        args.withName ? recipient : null,
        args.withCompanyName ? (address.company ?? companyName) : null,
        address.address1,
        address.address2,
        area || null,
        address.country,
      ].filter((line): line is string => Boolean(line)),
    createdAt: iso(location.createdAt),
    updatedAt: iso(location.updatedAt),
  };
}

export function contactView(shop: ShopState, company: CompanyRecord, contact: CompanyContactRecord) {
  const customer = shop.customers.get(contact.customerId);
  return {
    __typename: "CompanyContact",
    id: gid("CompanyContact", contact.id),
    company: () => companyView(shop, company),
    customer: () => (customer ? customerView(shop, customer) : null),
    isMainContact: company.mainContactId === contact.id,
    title: contact.title,
    locale: contact.locale,
    lifetimeDuration: lifetime(contact.createdAt),
    createdAt: iso(contact.createdAt),
    updatedAt: iso(contact.updatedAt),
    ...orderFields(shop, () => b2bOrders(shop, (p) => p.contactId === contact.id)),
  };
}

/** A CompanyContact by numeric id, or null. */
export function companyContactNode(shop: ShopState, id: number | null): unknown {
  if (id === null) return null;
  for (const company of shop.companies.values()) {
    const contact = company.contacts?.find((c) => c.id === id);
    if (contact) return contactView(shop, company, contact);
  }
  return null;
}

/** Shopify words `lifetimeDuration` like "about 1 month"; days are close enough for a sync. */
function lifetime(since: Date): string {
  const days = Math.max(0, Math.floor((Date.now() - since.getTime()) / 86_400_000));
  return days === 0 ? "less than a day" : `${days} day${days === 1 ? "" : "s"}`;
}

export function locationsOf(shop: ShopState, company: CompanyRecord): CompanyLocationRecord[] {
  return company.locationIds
    .map((id) => shop.companyLocations.get(id))
    .filter((l): l is CompanyLocationRecord => l !== undefined);
}

export function companyView(shop: ShopState, company: CompanyRecord): Record<string, unknown> {
  const contacts = company.contacts ?? [];
  const main = contacts.find((contact) => contact.id === company.mainContactId);
  return {
    __typename: "Company",
    id: gid("Company", company.id),
    name: company.name,
    externalId: company.externalId,
    note: company.note,
    customerSince: iso(company.customerSince ?? company.createdAt),
    lifetimeDuration: lifetime(company.customerSince ?? company.createdAt),
    defaultCursor: encodeCursor(company.id),
    hasTimelineComment: false,
    createdAt: iso(company.createdAt),
    updatedAt: iso(company.updatedAt),
    mainContact: () => (main ? contactView(shop, company, main) : null),
    contacts: (args: ListArgs) =>
      connection(
        contacts,
        args,
        (c) => c.id,
        (c) => contactView(shop, company, c),
      ),
    contactsCount: countOf(contacts.length),
    locations: (args: ListArgs) => locationConnection(shop, locationsOf(shop, company), args),
    locationsCount: countOf(company.locationIds.length),
    ...orderFields(shop, () => b2bOrders(shop, (p) => p.companyId === company.id)),
  };
}

export function companyLocationView(
  shop: ShopState,
  location: CompanyLocationRecord,
): Record<string, unknown> {
  const company = shop.companies.get(location.companyId);
  const companyName = company?.name ?? "";
  const catalogs = () =>
    location.catalogIds
      .map((id) => shop.catalogs.get(id))
      .filter((c) => c !== undefined)
      .sort((a, b) => a.id - b.id);
  return {
    __typename: "CompanyLocation",
    id: gid("CompanyLocation", location.id),
    name: location.name,
    externalId: location.externalId,
    note: location.note ?? null,
    phone: location.phone ?? null,
    locale: location.locale ?? "en",
    currency: shop.currencyCode,
    defaultCursor: encodeCursor(location.id),
    hasTimelineComment: false,
    company: () => (company ? companyView(shop, company) : null),
    billingAddress: location.billingAddress
      ? companyAddressView(
          location,
          location.billingAddress,
          location.billingAddressId,
          "billing",
          companyName,
        )
      : null,
    shippingAddress: location.shippingAddress
      ? companyAddressView(
          location,
          location.shippingAddress,
          location.shippingAddressId,
          "shipping",
          companyName,
        )
      : null,
    catalogs: (args: ConnectionArgs) =>
      connection(
        catalogs(),
        args,
        (c) => c.id,
        (c) => catalogView(shop, c),
      ),
    catalogsCount: (args: { limit?: number | null }) => countOf(catalogs().length, args.limit),
    inCatalog: (args: { catalogId: string }) => {
      const id = parseGid(args.catalogId, "CompanyLocationCatalog");
      return id !== null && location.catalogIds.includes(id);
    },
    taxSettings: {
      taxExempt: location.taxExempt ?? false,
      taxExemptions: location.taxExemptions ?? [],
      taxRegistrationId: location.taxRegistrationId ?? null,
    },
    buyerExperienceConfiguration: buyerExperienceView(location),
    ...orderFields(shop, () => b2bOrders(shop, (p) => p.locationId === location.id)),
    createdAt: iso(location.createdAt),
    updatedAt: iso(location.updatedAt),
  };
}

function buyerExperienceView(location: CompanyLocationRecord) {
  const buyer = location.buyerExperience;
  const template = paymentTermsTemplate(buyer?.paymentTermsTemplateId);
  return {
    __typename: "BuyerExperienceConfiguration",
    checkoutToDraft: buyer?.checkoutToDraft ?? false,
    editableShippingAddress: buyer?.editableShippingAddress ?? false,
    paymentTermsTemplate: template ? paymentTermsTemplateView(template) : null,
    deposit:
      buyer?.depositPercentage != null
        ? { __typename: "DepositPercentage", percentage: buyer.depositPercentage }
        : null,
  };
}
