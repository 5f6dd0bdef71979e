import type {
  Address,
  CompanyContactRecord,
  CompanyLocationRecord,
  CompanyRecord,
  CustomerRecord,
} from "../state/records.server";
import { parseGid, type ShopState } from "../state/shop-state.server";
import {
  cleanName,
  COMPANY_SEARCH,
  COMPANY_SORT,
  companyLocationView,
  companyView,
  contactView,
  locationConnection,
} from "./b2b-company-views.server";
import { connection, countOf, type ConnectionArgs } from "./connection.server";
import { userError, type FieldMap, type ResolverContext, type UserError } from "./context.server";
import { addressFromInput } from "./addresses.server";
import { search } from "./search.server";

/**
 * Company queries and companyCreate / companyUpdate / companyLocationCreate
 * (https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/companyCreate and siblings).
 * Validation messages and codes are the ones Shopify answers with: "Name can't be blank" (BLANK),
 * "External id has already been taken." (TAKEN), "Resource requested does not exist."
 * (RESOURCE_NOT_FOUND). A company always has a location: companyCreate makes one named after
 * the company when no `companyLocation` is given.
 */

type ListArgs = ConnectionArgs & { query?: string | null; sortKey?: string | null };

interface CompanyInput {
  name?: string | null;
  externalId?: string | null;
  note?: string | null;
  customerSince?: string | null;
}

interface CompanyAddressInput {
  address1?: string | null;
  address2?: string | null;
  city?: string | null;
  countryCode?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  phone?: string | null;
  recipient?: string | null;
  zip?: string | null;
  zoneCode?: string | null;
}

interface CompanyLocationInput {
  name?: string | null;
  externalId?: string | null;
  note?: string | null;
  phone?: string | null;
  locale?: string | null;
  billingAddress?: CompanyAddressInput | null;
  shippingAddress?: CompanyAddressInput | null;
  billingSameAsShipping?: boolean | null;
}

interface CompanyContactInput {
  email?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  phone?: string | null;
  title?: string | null;
  locale?: string | null;
}

const EXTERNAL_ID = /^[A-Za-z0-9!@#$%^&*(){}[\]\\/?<>_\-~,.;:'`"]*$/;
const NOT_FOUND = "Resource requested does not exist.";

function nameErrors(name: string | null | undefined, field: string[]): UserError[] {
  const clean = cleanName(name);
  if (!clean) return [userError(field, "Name can't be blank", "BLANK")];
  if (clean.length > 255)
    return [userError(field, "Name is too long (maximum is 255 characters)", "TOO_LONG")];
  return [];
}

function externalIdErrors(
  value: string | null | undefined,
  field: string[],
  taken: (externalId: string) => boolean,
): UserError[] {
  if (value === null || value === undefined || value === "") return [];
  if (value.length > 64) return [userError(field, "External Id must be 64 characters or less.", "TOO_LONG")];
  if (!EXTERNAL_ID.test(value))
    return [
      userError(
        field,
        "External Id can only contain numbers, letters, and some special characters, including !@#$%^&*(){}[]\\/?<>_-~,.;:'`\"",
        "INVALID",
      ),
    ];
  if (taken(value)) return [userError(field, "External id has already been taken.", "TAKEN")];
  return [];
}

function companyExternalIdTaken(shop: ShopState, exceptId?: number) {
  return (externalId: string) =>
    [...shop.companies.values()].some((c) => c.externalId === externalId && c.id !== exceptId);
}

function locationExternalIdTaken(shop: ShopState) {
  return (externalId: string) => [...shop.companyLocations.values()].some((l) => l.externalId === externalId);
}

function addressFrom(input: CompanyAddressInput): Address {
  return {
    ...addressFromInput({ ...input, provinceCode: input.zoneCode ?? null }),
    recipient: input.recipient?.trim() || null,
  };
}

function locationErrors(shop: ShopState, input: CompanyLocationInput, field: string[]): UserError[] {
  const errors: UserError[] = [];
  if (input.name !== undefined && input.name !== null)
    errors.push(...nameErrors(input.name, [...field, "name"]));
  errors.push(...externalIdErrors(input.externalId, [...field, "externalId"], locationExternalIdTaken(shop)));
  return errors;
}

/** Builds (does not store) a company location from its input. */
function buildLocation(
  shop: ShopState,
  companyId: number,
  defaultName: string,
  input: CompanyLocationInput,
  now: Date,
): CompanyLocationRecord {
  const shipping = input.shippingAddress ? addressFrom(input.shippingAddress) : null;
  const billing = input.billingSameAsShipping
    ? shipping
    : input.billingAddress
      ? addressFrom(input.billingAddress)
      : null;
  const shippingAddressId = shipping ? shop.newId() : null;
  const billingAddressId = input.billingSameAsShipping ? shippingAddressId : billing ? shop.newId() : null;
  return {
    id: shop.newId(),
    companyId,
    name: cleanName(input.name) || defaultName,
    externalId: input.externalId || null,
    note: input.note ?? null,
    phone: input.phone ?? null,
    locale: input.locale ?? "en",
    billingAddress: billing,
    shippingAddress: shipping,
    billingAddressId,
    shippingAddressId,
    catalogIds: [],
    createdAt: now,
    updatedAt: now,
  };
}

function contactErrors(shop: ShopState, input: CompanyContactInput, field: string[]): UserError[] {
  const email = input.email?.trim().toLowerCase();
  if (!email && !input.phone && !input.firstName && !input.lastName)
    return [userError(field, "A name, phone number, or email address must be present", "INVALID_INPUT")];
  if (email && [...shop.customers.values()].some((c) => c.email?.toLowerCase() === email))
    return [userError([...field, "email"], "Email address has already been taken.", "TAKEN")];
  return [];
}

/** The contact's customer and the contact itself; Shopify creates a customer for a new contact. */
function buildContact(
  shop: ShopState,
  input: CompanyContactInput,
  now: Date,
): { customer: CustomerRecord; contact: CompanyContactRecord } {
  const customer: CustomerRecord = {
    id: shop.newId(),
    email: input.email?.trim().toLowerCase() || null,
    phone: input.phone ?? null,
    firstName: input.firstName ?? null,
    lastName: input.lastName ?? null,
    note: null,
    tags: [],
    taxExempt: false,
    state: "DISABLED",
    addresses: [],
    defaultAddressId: null,
    createdAt: now,
    updatedAt: now,
  };
  const contact: CompanyContactRecord = {
    id: shop.newId(),
    customerId: customer.id,
    title: input.title ?? null,
    locale: input.locale ?? "en",
    createdAt: now,
    updatedAt: now,
  };
  return { customer, contact };
}

function findCompany(shop: ShopState, id: unknown): CompanyRecord | undefined {
  const numeric = parseGid(id, "Company");
  return numeric === null ? undefined : shop.companies.get(numeric);
}

function companies(args: ListArgs, { shop }: ResolverContext) {
  const key = (COMPANY_SORT[args.sortKey ?? "ID"] ?? COMPANY_SORT.ID!)(shop);
  return connection(
    search(shop.companies.values(), args.query, COMPANY_SEARCH),
    args,
    { key, id: (c) => c.id },
    (c) => companyView(shop, c),
  );
}

function companyCreate(
  args: {
    input: {
      company: CompanyInput;
      companyLocation?: CompanyLocationInput | null;
      companyContact?: CompanyContactInput | null;
    };
  },
  context: ResolverContext,
) {
  const { shop } = context;
  const { company: input, companyLocation, companyContact } = args.input;
  const errors = [
    ...nameErrors(input.name, ["input", "company", "name"]),
    ...externalIdErrors(input.externalId, ["input", "company", "externalId"], companyExternalIdTaken(shop)),
    ...(companyLocation ? locationErrors(shop, companyLocation, ["input", "companyLocation"]) : []),
    ...(companyContact ? contactErrors(shop, companyContact, ["input", "companyContact"]) : []),
  ];
  if (errors.length > 0) return { company: null, userErrors: errors };
  const now = context.now();
  const name = cleanName(input.name);
  const company: CompanyRecord = {
    id: shop.newId(),
    name,
    externalId: input.externalId || null,
    note: input.note ?? null,
    locationIds: [],
    contactCustomerIds: [],
    contacts: [],
    mainContactId: null,
    customerSince: input.customerSince ? new Date(input.customerSince) : now,
    createdAt: now,
    updatedAt: now,
  };
  const location = buildLocation(shop, company.id, name, companyLocation ?? {}, now);
  company.locationIds.push(location.id);
  if (companyContact) {
    // The contact given with the company becomes its main contact.
    const { customer, contact } = buildContact(shop, companyContact, now);
    shop.customers.set(customer.id, customer);
    company.contacts!.push(contact);
    company.contactCustomerIds.push(customer.id);
    company.mainContactId = contact.id;
  }
  shop.companies.set(company.id, company);
  shop.companyLocations.set(location.id, location);
  return { company: companyView(shop, company), userErrors: [] };
}

function companyUpdate(args: { companyId: string; input: CompanyInput }, context: ResolverContext) {
  const { shop } = context;
  const company = findCompany(shop, args.companyId);
  if (!company)
    return { company: null, userErrors: [userError(["companyId"], NOT_FOUND, "RESOURCE_NOT_FOUND")] };
  const { input } = args;
  const errors: UserError[] = [];
  if ("customerSince" in input)
    errors.push(
      userError(["input", "customerSince"], "This field may only be set on creation.", "INVALID_INPUT"),
    );
  if (input.name !== undefined) errors.push(...nameErrors(input.name, ["input", "name"]));
  errors.push(
    ...externalIdErrors(input.externalId, ["input", "externalId"], companyExternalIdTaken(shop, company.id)),
  );
  if (errors.length > 0) return { company: null, userErrors: errors };
  if (input.name !== undefined) company.name = cleanName(input.name);
  if (input.externalId !== undefined) company.externalId = input.externalId || null;
  if (input.note !== undefined) company.note = input.note;
  company.updatedAt = context.now();
  return { company: companyView(shop, company), userErrors: [] };
}

function companyLocationCreate(
  args: { companyId: string; input: CompanyLocationInput },
  context: ResolverContext,
) {
  const { shop } = context;
  const company = findCompany(shop, args.companyId);
  if (!company)
    return { companyLocation: null, userErrors: [userError(["companyId"], NOT_FOUND, "RESOURCE_NOT_FOUND")] };
  const errors = locationErrors(shop, args.input, ["input"]);
  if (errors.length > 0) return { companyLocation: null, userErrors: errors };
  const location = buildLocation(shop, company.id, company.name, args.input, context.now());
  shop.companyLocations.set(location.id, location);
  company.locationIds.push(location.id);
  company.updatedAt = location.createdAt;
  return { companyLocation: companyLocationView(shop, location), userErrors: [] };
}

export const companyQueries: FieldMap = {
  companies,
  companiesCount: (args: { limit?: number | null }, { shop }: ResolverContext) =>
    countOf(shop.companies.size, args.limit),
  company: (args: { id: string }, { shop }: ResolverContext) => {
    const company = findCompany(shop, args.id);
    return company ? companyView(shop, company) : null;
  },
  companyLocation: (args: { id: string }, { shop }: ResolverContext) => {
    const id = parseGid(args.id, "CompanyLocation");
    const location = id === null ? undefined : shop.companyLocations.get(id);
    return location ? companyLocationView(shop, location) : null;
  },
  companyLocations: (args: ListArgs, { shop }: ResolverContext) =>
    locationConnection(shop, [...shop.companyLocations.values()], args),
  companyContact: (args: { id: string }, { shop }: ResolverContext) =>
    companyContactNode(shop, parseGid(args.id, "CompanyContact")),
};

export const companyMutations: FieldMap = { companyCreate, companyUpdate, companyLocationCreate };

/** A CompanyContact by numeric id, or null. */
export function companyContactNode(shop: ShopState, id: number | null): unknown {
  if (id === null) return null;
  for (const company of shop.companies.values()) {
    const contact = company.contacts?.find((c) => c.id === id);
    if (contact) return contactView(shop, company, contact);
  }
  return null;
}
