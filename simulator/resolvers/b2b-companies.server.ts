import type {
  Address,
  BuyerExperienceRecord,
  CompanyLocationRecord,
  CompanyRecord,
} from "../state/records.server";
import { parseGid, type ShopState } from "../state/shop-state.server";
import { emitWebhook } from "../webhooks/emit.server";
import {
  cleanName,
  COMPANY_SEARCH,
  COMPANY_SORT,
  companyAddressView,
  companyContactNode,
  companyLocationView,
  companyView,
  locationConnection,
} from "./b2b-company-views.server";
import {
  addContact,
  buildContact,
  contactInputErrors,
  contactMutations,
  findCompany,
  type CompanyContactInput,
} from "./b2b-contacts.server";
import { paymentTermsQueries, paymentTermsTemplateId } from "./b2b-payment-terms.server";
import { connection, countOf, type ConnectionArgs } from "./connection.server";
import { userError, type FieldMap, type ResolverContext, type UserError } from "./context.server";
import { addressFromInput } from "./addresses.server";
import { normalisePhone } from "./customers-resolvers.server";
import { search } from "./search.server";

/**
 * Company queries and the company and company location mutations: companyCreate (with its first
 * location and main contact, as CompanyCreateInput allows), companyUpdate, companyDelete,
 * companyLocationCreate / Update / Delete, companyLocationAssignAddress and
 * companyLocationTaxSettingsUpdate (https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/companyCreate
 * and siblings); the contact mutations are in b2b-contacts.server.ts. Field paths, messages and
 * codes are the ones a live shop answers (public captures of these mutations): "Name can't be
 * blank" (BLANK), "External id has already been taken." (TAKEN), "Resource requested does not
 * exist." / "Company does not exist." / "The company location doesn't exist" (RESOURCE_NOT_FOUND),
 * "Invalid input." (INVALID_INPUT: billingSameAsShipping with a billing address or without a
 * shipping one, an empty buyerExperienceConfiguration, repeated address types), "Failed to delete
 * the company." / "Failed to delete the company location." (FAILED_TO_DELETE: orders, or a
 * company's only location). A company always has a location: companyCreate makes one named after
 * the company when its `companyLocation` has no name; companyLocationCreate names an unnamed
 * location after its shipping address's first line. Billing and shipping addresses are two
 * CompanyAddress objects even when billing is the same as shipping, and
 * companyLocationAssignAddress keeps their ids. Webhooks: companies/create|update|delete,
 * company_locations/create|update|delete, and for companyCreate's contact customers/create and
 * company_contacts/create; companyDelete sends companies/delete only.
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

interface BuyerExperienceInput {
  checkoutToDraft?: boolean | null;
  editableShippingAddress?: boolean | null;
  paymentTermsTemplateId?: string | null;
  deposit?: { percentage: number } | null;
}

interface CompanyLocationUpdateInput {
  name?: string | null;
  externalId?: string | null;
  note?: string | null;
  phone?: string | null;
  locale?: string | null;
  buyerExperienceConfiguration?: BuyerExperienceInput | null;
}

interface CompanyLocationInput extends CompanyLocationUpdateInput {
  billingAddress?: CompanyAddressInput | null;
  shippingAddress?: CompanyAddressInput | null;
  billingSameAsShipping?: boolean | null;
  taxExempt?: boolean | null;
  taxExemptions?: string[] | null;
  taxRegistrationId?: string | null;
}

const EXTERNAL_ID = /^[A-Za-z0-9!@#$%^&*(){}[\]\\/?<>_\-~,.;:'`"]*$/;
const NOT_FOUND = "Resource requested does not exist.";
const LOCATION_MISSING = "The company location doesn't exist";
const INVALID_INPUT = "Invalid input.";

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

function locationExternalIdTaken(shop: ShopState, exceptId?: number) {
  return (externalId: string) =>
    [...shop.companyLocations.values()].some((l) => l.externalId === externalId && l.id !== exceptId);
}

function addressFrom(input: CompanyAddressInput): Address {
  return {
    ...addressFromInput({ ...input, provinceCode: input.zoneCode ?? null }),
    recipient: input.recipient?.trim() || null,
  };
}

/** The buyer experience an input makes of `current`, or its userErrors. */
function buyerExperience(
  input: BuyerExperienceInput,
  current: BuyerExperienceRecord | null | undefined,
  field: string[],
): { errors: UserError[]; value?: BuyerExperienceRecord } {
  if (Object.values(input).every((value) => value === undefined))
    return { errors: [userError(field, INVALID_INPUT, "INVALID_INPUT")] };
  let templateId = current?.paymentTermsTemplateId ?? null;
  if (input.paymentTermsTemplateId !== undefined) {
    templateId =
      input.paymentTermsTemplateId === null ? null : paymentTermsTemplateId(input.paymentTermsTemplateId);
    if (input.paymentTermsTemplateId !== null && templateId === null)
      return {
        errors: [userError([...field, "paymentTermsTemplateId"], NOT_FOUND, "RESOURCE_NOT_FOUND")],
      };
  }
  const deposit =
    input.deposit !== undefined ? (input.deposit?.percentage ?? null) : (current?.depositPercentage ?? null);
  if (deposit !== null && templateId === null)
    return {
      errors: [userError([...field, "deposit"], "Deposit requires a payment terms template.", "INVALID")],
    };
  return {
    errors: [],
    value: {
      paymentTermsTemplateId: templateId,
      checkoutToDraft: input.checkoutToDraft ?? current?.checkoutToDraft ?? false,
      editableShippingAddress: input.editableShippingAddress ?? current?.editableShippingAddress ?? false,
      depositPercentage: deposit,
    },
  };
}

/** The userErrors of the fields companyLocationCreate and companyLocationUpdate share. */
function locationFieldErrors(
  shop: ShopState,
  input: CompanyLocationUpdateInput,
  field: string[],
  self: CompanyLocationRecord | null,
): UserError[] {
  const errors: UserError[] = [];
  if (self && input.name === null)
    errors.push(userError([...field, "name"], "Name is of unexpected type NilClass", "UNEXPECTED_TYPE"));
  else if (input.name !== undefined && input.name !== null)
    errors.push(...nameErrors(input.name, [...field, "name"]));
  errors.push(
    ...externalIdErrors(input.externalId, [...field, "externalId"], locationExternalIdTaken(shop, self?.id)),
  );
  if (input.phone?.trim() && normalisePhone(input.phone) === null)
    errors.push(userError([...field, "phone"], "Phone is invalid", "INVALID"));
  if (input.buyerExperienceConfiguration)
    errors.push(
      ...buyerExperience(input.buyerExperienceConfiguration, self?.buyerExperience, [
        ...field,
        "buyerExperienceConfiguration",
      ]).errors,
    );
  return errors;
}

function locationErrors(shop: ShopState, input: CompanyLocationInput, field: string[]): UserError[] {
  const errors = locationFieldErrors(shop, input, field, null);
  if (input.billingSameAsShipping) {
    if (input.billingAddress)
      errors.push(userError([...field, "billingAddress"], INVALID_INPUT, "INVALID_INPUT"));
    if (!input.shippingAddress)
      errors.push(userError([...field, "shippingAddress"], INVALID_INPUT, "INVALID_INPUT"));
  }
  if ("taxExempt" in input && input.taxExempt === null)
    errors.push(userError([...field, "taxExempt"], INVALID_INPUT, "INVALID_INPUT"));
  return errors;
}

/** Builds (does not store) a company location from its checked input. */
function buildLocation(
  shop: ShopState,
  companyId: number,
  defaultName: string,
  input: CompanyLocationInput,
  now: Date,
): CompanyLocationRecord {
  const shipping = input.shippingAddress ? addressFrom(input.shippingAddress) : null;
  const billing = input.billingSameAsShipping
    ? shipping && { ...shipping }
    : input.billingAddress
      ? addressFrom(input.billingAddress)
      : null;
  const shippingAddressId = shipping ? shop.newId() : null;
  const billingAddressId = billing ? shop.newId() : null;
  const buyer = input.buyerExperienceConfiguration
    ? buyerExperience(input.buyerExperienceConfiguration, null, []).value
    : null;
  return {
    id: shop.newId(),
    companyId,
    name: cleanName(input.name) || defaultName,
    externalId: input.externalId || null,
    note: input.note ?? null,
    phone: input.phone?.trim() ? normalisePhone(input.phone) : null,
    locale: input.locale ?? "en",
    billingAddress: billing,
    shippingAddress: shipping,
    billingAddressId,
    shippingAddressId,
    taxRegistrationId: input.taxRegistrationId || null,
    taxExempt: input.taxExempt ?? false,
    taxExemptions: [...new Set(input.taxExemptions ?? [])],
    buyerExperience: buyer ?? null,
    catalogIds: [],
    createdAt: now,
    updatedAt: now,
  };
}

function findLocation(shop: ShopState, id: unknown): CompanyLocationRecord | undefined {
  const numeric = parseGid(id, "CompanyLocation");
  return numeric === null ? undefined : shop.companyLocations.get(numeric);
}

/** A time after `previous`, so every change moves `updatedAt` forward. */
function stamp(context: ResolverContext, previous: Date): Date {
  return new Date(Math.max(context.now().getTime(), previous.getTime() + 1));
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
    ...(companyContact ? contactInputErrors(shop, companyContact, ["input", "companyContact"], null) : []),
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
  shop.companies.set(company.id, company);
  shop.companyLocations.set(location.id, location);
  const made = companyContact ? buildContact(shop, companyContact, now) : null;
  if (made) {
    // The contact given with the company becomes its main contact.
    addContact(shop, company, made.contact, made.customer);
    company.mainContactId = made.contact.id;
  }
  emitWebhook(context, "companies/create", company);
  emitWebhook(context, "company_locations/create", location);
  if (made) {
    emitWebhook(context, "customers/create", made.customer);
    emitWebhook(context, "company_contacts/create", { company, contact: made.contact });
  }
  return { company: companyView(shop, company), userErrors: [] };
}

function companyUpdate(args: { companyId: string; input: CompanyInput }, context: ResolverContext) {
  const { shop } = context;
  const company = findCompany(shop, args.companyId);
  if (!company)
    return { company: null, userErrors: [userError(["companyId"], NOT_FOUND, "RESOURCE_NOT_FOUND")] };
  const { input } = args;
  if (Object.keys(input).length === 0)
    return {
      company: null,
      userErrors: [userError(["input"], "At least one attribute to change must be present", "INVALID")],
    };
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
  company.updatedAt = stamp(context, company.updatedAt);
  emitWebhook(context, "companies/update", company);
  return { company: companyView(shop, company), userErrors: [] };
}

function hasOrders(shop: ShopState, match: (p: { companyId: number; locationId: number }) => boolean) {
  return [...shop.orders.values()].some((order) => order.purchasingCompany && match(order.purchasingCompany));
}

function unlinkLocations(shop: ShopState, ids: number[]) {
  for (const id of ids) shop.companyLocations.delete(id);
  for (const catalog of shop.catalogs.values())
    catalog.companyLocationIds = catalog.companyLocationIds.filter((id) => !ids.includes(id));
}

function companyDelete(args: { id: string }, context: ResolverContext) {
  const { shop } = context;
  const refuse = (message: string, code: string) => ({
    deletedCompanyId: null,
    userErrors: [userError(["id"], message, code)],
  });
  const company = findCompany(shop, args.id);
  if (!company) return refuse("Company does not exist.", "RESOURCE_NOT_FOUND");
  if (hasOrders(shop, (p) => p.companyId === company.id))
    return refuse("Failed to delete the company.", "FAILED_TO_DELETE");
  shop.companies.delete(company.id);
  unlinkLocations(shop, company.locationIds);
  emitWebhook(context, "companies/delete", company);
  return { deletedCompanyId: args.id, userErrors: [] };
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
  const { input } = args;
  // An unnamed location is named after its address's first line (or, lacking one, its company).
  const fallback =
    cleanName(input.shippingAddress?.address1) || cleanName(input.billingAddress?.address1) || company.name;
  const location = buildLocation(shop, company.id, fallback, input, context.now());
  shop.companyLocations.set(location.id, location);
  company.locationIds.push(location.id);
  company.updatedAt = location.createdAt;
  emitWebhook(context, "company_locations/create", location);
  return { companyLocation: companyLocationView(shop, location), userErrors: [] };
}

function companyLocationUpdate(
  args: { companyLocationId: string; input: CompanyLocationUpdateInput },
  context: ResolverContext,
) {
  const { shop } = context;
  const refuse = (errors: UserError[]) => ({ companyLocation: null, userErrors: errors });
  const location = findLocation(shop, args.companyLocationId);
  if (!location) return refuse([userError(["input"], LOCATION_MISSING, "RESOURCE_NOT_FOUND")]);
  const { input } = args;
  if (Object.values(input).every((value) => value === undefined))
    return refuse([userError(null, "Company location update input is empty.", "NO_INPUT")]);
  const errors = locationFieldErrors(shop, input, ["input"], location);
  if (errors.length > 0) return refuse(errors);
  if (input.name !== undefined) location.name = cleanName(input.name);
  if (input.externalId !== undefined) location.externalId = input.externalId || null;
  if (input.note !== undefined) location.note = input.note;
  if (input.phone !== undefined) location.phone = input.phone?.trim() ? normalisePhone(input.phone) : null;
  if (input.locale !== undefined) location.locale = input.locale ?? "en";
  if (input.buyerExperienceConfiguration !== undefined)
    location.buyerExperience = input.buyerExperienceConfiguration
      ? buyerExperience(input.buyerExperienceConfiguration, location.buyerExperience, []).value!
      : null;
  location.updatedAt = stamp(context, location.updatedAt);
  emitWebhook(context, "company_locations/update", location);
  return { companyLocation: companyLocationView(shop, location), userErrors: [] };
}

function companyLocationDelete(args: { companyLocationId: string }, context: ResolverContext) {
  const { shop } = context;
  const refuse = (message: string, code: string) => ({
    deletedCompanyLocationId: null,
    userErrors: [userError(["companyLocationId"], message, code)],
  });
  const location = findLocation(shop, args.companyLocationId);
  if (!location) return refuse(NOT_FOUND, "RESOURCE_NOT_FOUND");
  const company = shop.companies.get(location.companyId)!;
  if (company.locationIds.length <= 1 || hasOrders(shop, (p) => p.locationId === location.id))
    return refuse("Failed to delete the company location.", "FAILED_TO_DELETE");
  company.locationIds = company.locationIds.filter((id) => id !== location.id);
  unlinkLocations(shop, [location.id]);
  emitWebhook(context, "company_locations/delete", location);
  return { deletedCompanyLocationId: args.companyLocationId, userErrors: [] };
}

function companyLocationAssignAddress(
  args: { locationId: string; address: CompanyAddressInput; addressTypes: ("BILLING" | "SHIPPING")[] },
  context: ResolverContext,
) {
  const { shop } = context;
  const refuse = (errors: UserError[]) => ({ addresses: null, userErrors: errors });
  const location = findLocation(shop, args.locationId);
  if (!location) return refuse([userError(["locationId"], NOT_FOUND, "RESOURCE_NOT_FOUND")]);
  const types = args.addressTypes;
  if (types.length === 0 || new Set(types).size !== types.length)
    return refuse([userError(null, INVALID_INPUT, "INVALID_INPUT")]);
  const shared =
    location.billingAddressId != null && location.billingAddressId === location.shippingAddressId;
  for (const type of types) {
    const address = addressFrom(args.address);
    if (type === "BILLING") {
      location.billingAddress = address;
      // An address keeps its id; one shared with the other type (older records) gets its own.
      if (location.billingAddressId == null || (shared && !types.includes("SHIPPING")))
        location.billingAddressId = shop.newId();
    } else {
      location.shippingAddress = address;
      if (location.shippingAddressId == null || (shared && !types.includes("BILLING")))
        location.shippingAddressId = shop.newId();
    }
  }
  location.updatedAt = stamp(context, location.updatedAt);
  const companyName = shop.companies.get(location.companyId)?.name ?? "";
  const addresses = [
    ...(types.includes("BILLING")
      ? [{ id: location.billingAddressId!, address: location.billingAddress!, kind: "billing" as const }]
      : []),
    ...(types.includes("SHIPPING")
      ? [{ id: location.shippingAddressId!, address: location.shippingAddress!, kind: "shipping" as const }]
      : []),
  ]
    .filter((entry, index, all) => all.findIndex((other) => other.id === entry.id) === index)
    .sort((a, b) => a.id - b.id)
    .map((entry) => companyAddressView(location, entry.address, entry.id, entry.kind, companyName));
  emitWebhook(context, "company_locations/update", location);
  return { addresses, userErrors: [] };
}

function companyLocationTaxSettingsUpdate(
  args: {
    companyLocationId: string;
    taxRegistrationId?: string | null;
    taxExempt?: boolean | null;
    exemptionsToAssign?: string[] | null;
    exemptionsToRemove?: string[] | null;
  },
  context: ResolverContext,
) {
  const { shop } = context;
  const location = findLocation(shop, args.companyLocationId);
  if (!location)
    return {
      companyLocation: null,
      userErrors: [userError(["companyLocationId"], LOCATION_MISSING, "RESOURCE_NOT_FOUND")],
    };
  if (args.taxRegistrationId !== undefined) location.taxRegistrationId = args.taxRegistrationId || null;
  if (args.taxExempt !== undefined && args.taxExempt !== null) location.taxExempt = args.taxExempt;
  const remove = new Set(args.exemptionsToRemove ?? []);
  location.taxExemptions = [
    ...new Set([...(location.taxExemptions ?? []), ...(args.exemptionsToAssign ?? [])]),
  ].filter((exemption) => !remove.has(exemption));
  location.updatedAt = stamp(context, location.updatedAt);
  emitWebhook(context, "company_locations/update", location);
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
    const location = findLocation(shop, args.id);
    return location ? companyLocationView(shop, location) : null;
  },
  companyLocations: (args: ListArgs, { shop }: ResolverContext) =>
    locationConnection(shop, [...shop.companyLocations.values()], args),
  companyContact: (args: { id: string }, { shop }: ResolverContext) =>
    companyContactNode(shop, parseGid(args.id, "CompanyContact")),
  ...paymentTermsQueries,
};

export const companyMutations: FieldMap = {
  companyCreate,
  companyUpdate,
  companyDelete,
  companyLocationCreate,
  companyLocationUpdate,
  companyLocationDelete,
  companyLocationAssignAddress,
  companyLocationTaxSettingsUpdate,
  ...contactMutations,
};
