import type { CompanyContactRecord, CompanyRecord, CustomerRecord } from "../state/records.server";
import { parseGid, type ShopState } from "../state/shop-state.server";
import { emitWebhook } from "../webhooks/emit.server";
import { companyView, contactView } from "./b2b-company-views.server";
import { userError, type FieldMap, type ResolverContext, type UserError } from "./context.server";
import { newCustomer, normalisePhone } from "./customers-resolvers.server";

/**
 * Company contacts: companyContactCreate / companyContactUpdate / companyContactDelete,
 * companyAssignCustomerAsContact, companyAssignMainContact and companyRevokeMainContact
 * (https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/companyContactCreate and
 * siblings), and the contact companyCreate makes. A new contact is a new customer ("Creates a
 * company contact and the associated customer"); a contact needs an email. Field paths, messages
 * and codes are the ones a live shop answers (public captures of these mutations), e.g.
 * "Either the attribute email or customer_id must be provided" (INVALID), "Email address has
 * already been taken." (TAKEN), "Customer is already associated with a company contact."
 * (INVALID_INPUT), "The company contact does not belong to the company." (INVALID_INPUT),
 * "Cannot delete a company contact with existing orders or draft orders." (FAILED_TO_DELETE).
 * Sends company_contacts/create|update|delete, customers/create for the customer a new contact
 * makes, customers/update when a contact update changes its customer, companies/update when the
 * main contact changes. Contact roles (roleAssignments) are not modelled.
 */

export interface CompanyContactInput {
  email?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  phone?: string | null;
  title?: string | null;
  locale?: string | null;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const CONTACT_KEYS = ["email", "firstName", "lastName", "phone", "title", "locale"] as const;

export function findCompany(shop: ShopState, id: unknown): CompanyRecord | undefined {
  const numeric = parseGid(id, "Company");
  return numeric === null ? undefined : shop.companies.get(numeric);
}

/** A contact and its company by the contact's GID. */
export function findContact(
  shop: ShopState,
  id: unknown,
): { company: CompanyRecord; contact: CompanyContactRecord } | undefined {
  const numeric = parseGid(id, "CompanyContact");
  if (numeric === null) return undefined;
  for (const company of shop.companies.values()) {
    const contact = company.contacts?.find((c) => c.id === numeric);
    if (contact) return { company, contact };
  }
  return undefined;
}

function hasAny(input: CompanyContactInput): boolean {
  return CONTACT_KEYS.some((key) => input[key] !== undefined);
}

/**
 * The userErrors of a contact's input; `field` is the input's path, `self` the contact's customer
 * when updating. A contact is created with an email; an update may leave it out.
 */
export function contactInputErrors(
  shop: ShopState,
  input: CompanyContactInput,
  field: string[],
  self: CustomerRecord | null,
): UserError[] {
  const errors: UserError[] = [];
  const email = input.email?.trim().toLowerCase();
  if (!self && !email)
    return [userError(field, "Either the attribute email or customer_id must be provided", "INVALID")];
  if (email && !EMAIL.test(email))
    errors.push(
      userError([...field, "email"], self ? "Email address is invalid" : "Email is invalid", "INVALID"),
    );
  else if (
    email &&
    [...shop.customers.values()].some((c) => c.id !== self?.id && c.email?.toLowerCase() === email)
  )
    errors.push(userError([...field, "email"], "Email address has already been taken.", "TAKEN"));
  if (input.phone?.trim()) {
    const phone = normalisePhone(input.phone);
    if (phone === null) errors.push(userError([...field, "phone"], "Phone is invalid", "INVALID"));
    else if ([...shop.customers.values()].some((c) => c.id !== self?.id && c.phone === phone))
      errors.push(userError([...field, "phone"], "Phone number has already been taken.", "TAKEN"));
  }
  return errors;
}

/** The customer and contact of a checked input (not stored). */
export function buildContact(
  shop: ShopState,
  input: CompanyContactInput,
  now: Date,
): { customer: CustomerRecord; contact: CompanyContactRecord } {
  const customer = newCustomer(shop, now);
  customer.email = input.email?.trim().toLowerCase() || null;
  customer.phone = input.phone?.trim() ? normalisePhone(input.phone) : null;
  customer.firstName = input.firstName?.trim() || null;
  customer.lastName = input.lastName?.trim() || null;
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

/** Stores a contact in its company (and its new customer, if any). */
export function addContact(
  shop: ShopState,
  company: CompanyRecord,
  contact: CompanyContactRecord,
  customer?: CustomerRecord,
): void {
  if (customer) shop.customers.set(customer.id, customer);
  company.contacts = [...(company.contacts ?? []), contact];
  company.contactCustomerIds.push(contact.customerId);
}

function contactHasOrders(shop: ShopState, contactId: number): boolean {
  return [...shop.orders.values()].some((order) => order.purchasingCompany?.contactId === contactId);
}

const COMPANY_MISSING = "Company does not exist.";
const CONTACT_MISSING = "The company contact doesn't exist.";

function companyContactCreate(
  args: { companyId: string; input: CompanyContactInput },
  context: ResolverContext,
) {
  const { shop } = context;
  const refuse = (errors: UserError[]) => ({ companyContact: null, userErrors: errors });
  const company = findCompany(shop, args.companyId);
  if (!company) return refuse([userError(["companyId"], COMPANY_MISSING, "RESOURCE_NOT_FOUND")]);
  if (!hasAny(args.input))
    return refuse([userError(null, "Company contact create input is empty.", "NO_INPUT")]);
  const errors = contactInputErrors(shop, args.input, ["input"], null);
  if (errors.length > 0) return refuse(errors);
  const { customer, contact } = buildContact(shop, args.input, context.now());
  addContact(shop, company, contact, customer);
  emitWebhook(context, "customers/create", customer);
  emitWebhook(context, "company_contacts/create", { company, contact });
  return { companyContact: contactView(shop, company, contact), userErrors: [] };
}

function companyContactUpdate(
  args: { companyContactId: string; input: CompanyContactInput },
  context: ResolverContext,
) {
  const { shop } = context;
  const refuse = (errors: UserError[]) => ({ companyContact: null, userErrors: errors });
  const found = findContact(shop, args.companyContactId);
  if (!found) return refuse([userError(["companyContactId"], CONTACT_MISSING, "RESOURCE_NOT_FOUND")]);
  const { input } = args;
  if (!hasAny(input)) return refuse([userError(null, "Company contact update input is empty.", "NO_INPUT")]);
  const customer = shop.customers.get(found.contact.customerId)!;
  const errors = contactInputErrors(shop, input, ["input"], customer);
  if (errors.length > 0) return refuse(errors);
  const now = context.now();
  const before = JSON.stringify(customer);
  if (input.email !== undefined) customer.email = input.email?.trim().toLowerCase() || customer.email;
  if (input.phone !== undefined) customer.phone = input.phone?.trim() ? normalisePhone(input.phone) : null;
  if (input.firstName !== undefined) customer.firstName = input.firstName?.trim() || null;
  if (input.lastName !== undefined) customer.lastName = input.lastName?.trim() || null;
  const customerChanged = JSON.stringify(customer) !== before;
  if (customerChanged) customer.updatedAt = now;
  if (input.title !== undefined) found.contact.title = input.title;
  if (input.locale !== undefined) found.contact.locale = input.locale ?? "en";
  found.contact.updatedAt = now;
  emitWebhook(context, "company_contacts/update", found);
  if (customerChanged) emitWebhook(context, "customers/update", customer);
  return { companyContact: contactView(shop, found.company, found.contact), userErrors: [] };
}

/** Takes a contact out of its company (the customer stays a customer). */
export function removeContact(company: CompanyRecord, contact: CompanyContactRecord): void {
  company.contacts = (company.contacts ?? []).filter((c) => c.id !== contact.id);
  company.contactCustomerIds = company.contactCustomerIds.filter((id) => id !== contact.customerId);
  if (company.mainContactId === contact.id) company.mainContactId = null;
}

function companyContactDelete(args: { companyContactId: string }, context: ResolverContext) {
  const { shop } = context;
  const refuse = (errors: UserError[]) => ({ deletedCompanyContactId: null, userErrors: errors });
  const found = findContact(shop, args.companyContactId);
  if (!found) return refuse([userError(["companyContactId"], CONTACT_MISSING, "RESOURCE_NOT_FOUND")]);
  if (contactHasOrders(shop, found.contact.id))
    return refuse([
      userError(
        ["companyContactId"],
        "Cannot delete a company contact with existing orders or draft orders.",
        "FAILED_TO_DELETE",
      ),
    ]);
  removeContact(found.company, found.contact);
  emitWebhook(context, "company_contacts/delete", found);
  return { deletedCompanyContactId: args.companyContactId, userErrors: [] };
}

function companyAssignCustomerAsContact(
  args: { companyId: string; customerId: string },
  context: ResolverContext,
) {
  const { shop } = context;
  const refuse = (errors: UserError[]) => ({ companyContact: null, userErrors: errors });
  const company = findCompany(shop, args.companyId);
  if (!company) return refuse([userError(["companyId"], COMPANY_MISSING, "RESOURCE_NOT_FOUND")]);
  const customerId = parseGid(args.customerId, "Customer");
  const customer = customerId === null ? undefined : shop.customers.get(customerId);
  if (!customer) return refuse([userError(["customerId"], "Customer does not exist.", "RESOURCE_NOT_FOUND")]);
  if ((company.contacts ?? []).some((c) => c.customerId === customer.id))
    return refuse([
      userError(["companyId"], "Customer is already associated with a company contact.", "INVALID_INPUT"),
    ]);
  if (!customer.email)
    return refuse([userError(["companyId"], "Customer must have an email address.", "INVALID_INPUT")]);
  const now = context.now();
  const contact: CompanyContactRecord = {
    id: shop.newId(),
    customerId: customer.id,
    title: null,
    locale: "en",
    createdAt: now,
    updatedAt: now,
  };
  addContact(shop, company, contact);
  emitWebhook(context, "company_contacts/create", { company, contact });
  return { companyContact: contactView(shop, company, contact), userErrors: [] };
}

function setMainContact(company: CompanyRecord, contactId: number | null, context: ResolverContext) {
  company.mainContactId = contactId;
  company.updatedAt = new Date(Math.max(context.now().getTime(), company.updatedAt.getTime() + 1));
  emitWebhook(context, "companies/update", company);
  return { company: companyView(context.shop, company), userErrors: [] };
}

function companyAssignMainContact(
  args: { companyId: string; companyContactId: string },
  context: ResolverContext,
) {
  const { shop } = context;
  const refuse = (errors: UserError[]) => ({ company: null, userErrors: errors });
  const company = findCompany(shop, args.companyId);
  if (!company) return refuse([userError(["companyId"], COMPANY_MISSING, "RESOURCE_NOT_FOUND")]);
  const found = findContact(shop, args.companyContactId);
  if (!found) return refuse([userError(["companyContactId"], CONTACT_MISSING, "RESOURCE_NOT_FOUND")]);
  if (found.company !== company)
    return refuse([
      userError(["companyContactId"], "The company contact does not belong to the company.", "INVALID_INPUT"),
    ]);
  return setMainContact(company, found.contact.id, context);
}

function companyRevokeMainContact(args: { companyId: string }, context: ResolverContext) {
  const company = findCompany(context.shop, args.companyId);
  if (!company)
    return { company: null, userErrors: [userError(["companyId"], COMPANY_MISSING, "RESOURCE_NOT_FOUND")] };
  return setMainContact(company, null, context);
}

export const contactMutations: FieldMap = {
  companyContactCreate,
  companyContactUpdate,
  companyContactDelete,
  companyAssignCustomerAsContact,
  companyAssignMainContact,
  companyRevokeMainContact,
};
