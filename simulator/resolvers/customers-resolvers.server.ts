import { gid, numericId, type ShopState } from "../state/shop-state.server";
import { connection, countOf } from "./connection.server";
import type { CompanyContactRecord, CompanyRecord, CustomerRecord } from "../state/records.server";
import { emitWebhook } from "../webhooks/emit.server";
import { userError, type FieldMap, type ResolverContext, type UserError } from "./context.server";
import {
  addressFromInput,
  customerAddressId,
  mailingAddressView,
  type AddressInput,
} from "./addresses.server";
import { customerSortKey, searchCustomers } from "./customers-search.server";
import { customerView, ordersOfCustomer } from "./customers-views.server";
import { shopView } from "./shop-query.server";

/**
 * `customers`, `customer`, `customersCount`, `customerCreate`, `customerUpdate`, `customerAddressCreate`, `customerAddressUpdate` and
 * `customerDelete` (https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/customerCreate,
 * .../customerDelete). Emails are unique per shop regardless of case and phone numbers in E.164
 * form; a taken one is refused with "Email has already been taken" / "Phone has already been
 * taken" (field ["email"] / ["phone"]; UserError has no code), as a live shop answers.
 * customerDelete refuses a customer with orders ("You can only delete customers who haven't
 * placed any orders"), with the messages a live shop gives: "Customer can’t be deleted because
 * they have associated orders", "Customer can't be found" (both field ["id"]).
 */

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The E.164 form of a phone number, or null when it cannot be one. */
export function normalisePhone(raw: string): string | null {
  const trimmed = raw.trim();
  const digits = trimmed.replace(/\D/g, "");
  if (trimmed.startsWith("+")) return digits.length >= 8 && digits.length <= 15 ? `+${digits}` : null;
  if (digits.length === 10) return `+1${digits}`;
  if (digits.length === 11 && digits.startsWith("1")) return `+${digits}`;
  return null;
}

export function normaliseTags(tags: readonly string[] | null | undefined): string[] {
  const seen = new Map<string, string>();
  for (const tag of (tags ?? []).flatMap((value) => value.split(","))) {
    const trimmed = tag.trim();
    if (trimmed && !seen.has(trimmed.toLowerCase())) seen.set(trimmed.toLowerCase(), trimmed);
  }
  return [...seen.values()];
}

export interface CustomerFields {
  email?: string | null;
  phone?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  note?: string | null;
  tags?: string[] | null;
  taxExempt?: boolean | null;
  addresses?: AddressInput[] | null;
}

/** Checks and normalises customer fields; `field` prefixes the userErrors' paths. */
export function checkCustomerFields(
  shop: ShopState,
  input: CustomerFields,
  self: CustomerRecord | null,
  field: string[],
): { errors: UserError[]; email?: string | null; phone?: string | null } {
  const errors: UserError[] = [];
  let email: string | null | undefined;
  let phone: string | null | undefined;
  if (input.email !== undefined) {
    email = input.email?.trim() ? input.email.trim().toLowerCase() : null;
    if (email !== null && !EMAIL.test(email)) errors.push(userError([...field, "email"], "Email is invalid"));
    else if (
      email !== null &&
      [...shop.customers.values()].some(
        (other) => other.id !== self?.id && other.email?.toLowerCase() === email,
      )
    )
      errors.push(userError([...field, "email"], "Email has already been taken"));
  }
  if (input.phone !== undefined) {
    phone = input.phone?.trim() ? normalisePhone(input.phone) : null;
    if (input.phone?.trim() && phone === null)
      errors.push(userError([...field, "phone"], "Phone is invalid"));
    else if (
      phone !== null &&
      [...shop.customers.values()].some((other) => other.id !== self?.id && other.phone === phone)
    )
      errors.push(userError([...field, "phone"], "Phone has already been taken"));
  }
  return { errors, email, phone };
}

/** Applies checked fields to a customer (new or existing). */
export function applyCustomerFields(
  shop: ShopState,
  customer: CustomerRecord,
  input: CustomerFields,
  checked: { email?: string | null; phone?: string | null },
): void {
  if (checked.email !== undefined) customer.email = checked.email;
  if (checked.phone !== undefined) customer.phone = checked.phone;
  if (input.firstName !== undefined) customer.firstName = input.firstName?.trim() || null;
  if (input.lastName !== undefined) customer.lastName = input.lastName?.trim() || null;
  if (input.note !== undefined) customer.note = input.note || null;
  if (input.tags !== undefined) customer.tags = normaliseTags(input.tags);
  if (input.taxExempt !== undefined && input.taxExempt !== null) customer.taxExempt = input.taxExempt;
  if (input.addresses !== undefined && input.addresses !== null) {
    // The deprecated `addresses` input replaces the address book; the first is the default.
    customer.addresses = input.addresses.map((address) => ({
      id: shop.newId(),
      ...addressFromInput(address),
    }));
    customer.defaultAddressId = customer.addresses[0]?.id ?? null;
  }
}

export function newCustomer(shop: ShopState, now: Date): CustomerRecord {
  return {
    id: shop.newId(),
    email: null,
    phone: null,
    firstName: null,
    lastName: null,
    note: null,
    tags: [],
    taxExempt: false,
    state: "DISABLED",
    addresses: [],
    defaultAddressId: null,
    createdAt: now,
    updatedAt: now,
  };
}

function hasIdentity(customer: CustomerRecord): boolean {
  return Boolean(customer.email || customer.phone || customer.firstName || customer.lastName);
}

export const customerQueries: FieldMap = {
  customer: (args: { id: string }, context: ResolverContext) => {
    const id = numericId(args.id, "Customer");
    const customer = id === null ? undefined : context.shop.customers.get(id);
    return customer ? customerView(context.shop, customer) : null;
  },
  customers: (
    args: {
      first?: number;
      last?: number;
      after?: string;
      before?: string;
      reverse?: boolean;
      query?: string;
      sortKey?: string;
    },
    context: ResolverContext,
  ) =>
    connection(
      searchCustomers(context.shop.customers.values(), args.query),
      args,
      { key: customerSortKey(args.sortKey ?? "ID"), id: (customer) => customer.id },
      (customer) => customerView(context.shop, customer),
    ),
  customersCount: (args: { query?: string; limit?: number | null }, context: ResolverContext) => {
    return countOf(searchCustomers(context.shop.customers.values(), args.query).length, args.limit);
  },
};

export const customerMutations: FieldMap = {
  customerCreate: (args: { input: CustomerFields & { id?: string | null } }, context: ResolverContext) => {
    const { shop } = context;
    const checked = checkCustomerFields(shop, args.input, null, []);
    if (checked.errors.length > 0) return { customer: null, userErrors: checked.errors };
    const customer = newCustomer(shop, context.now());
    applyCustomerFields(shop, customer, args.input, checked);
    if (!hasIdentity(customer))
      return {
        customer: null,
        userErrors: [userError(null, "A name, phone number, or email address must be present")],
      };
    shop.customers.set(customer.id, customer);
    emitWebhook(context, "customers/create", customer);
    return { customer: customerView(shop, customer), userErrors: [] };
  },
  customerUpdate: (args: { input: CustomerFields & { id?: string | null } }, context: ResolverContext) => {
    const { shop } = context;
    const id = numericId(args.input.id, "Customer");
    const existing = id === null ? undefined : shop.customers.get(id);
    if (!existing) return { customer: null, userErrors: [userError(["id"], "Customer does not exist")] };
    const checked = checkCustomerFields(shop, args.input, existing, []);
    if (checked.errors.length > 0) return { customer: null, userErrors: checked.errors };
    const draft: CustomerRecord = structuredClone(existing);
    applyCustomerFields(shop, draft, args.input, checked);
    if (!hasIdentity(draft))
      return {
        customer: null,
        userErrors: [userError(null, "A name, phone number, or email address must be present")],
      };
    Object.assign(existing, draft, {
      updatedAt: new Date(Math.max(context.now().getTime(), existing.updatedAt.getTime() + 1)),
    });
    emitWebhook(context, "customers/update", existing);
    return { customer: customerView(shop, existing), userErrors: [] };
  },
  // customerAddressCreate / customerAddressUpdate (2026-07, which deprecates CustomerInput.addresses):
  // https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/customerAddressCreate. An address
  // change is a change of the customer: its updatedAt moves and customers/update is sent.
  customerAddressCreate: (
    args: { customerId: string; address: AddressInput; setAsDefault?: boolean | null },
    context: ResolverContext,
  ) => {
    const { shop } = context;
    const id = numericId(args.customerId, "Customer");
    const customer = id === null ? undefined : shop.customers.get(id);
    if (!customer)
      return { address: null, userErrors: [userError(["customerId"], "Customer does not exist")] };
    const address = { id: shop.newId(), ...addressFromInput(args.address) };
    customer.addresses.push(address);
    if (args.setAsDefault || customer.defaultAddressId === null) customer.defaultAddressId = address.id;
    touchCustomer(context, customer);
    return { address: mailingAddressView(address, customerAddressId(address.id)), userErrors: [] };
  },
  customerAddressUpdate: (
    args: { customerId: string; addressId: string; address: AddressInput; setAsDefault?: boolean | null },
    context: ResolverContext,
  ) => {
    const { shop } = context;
    const id = numericId(args.customerId, "Customer");
    const customer = id === null ? undefined : shop.customers.get(id);
    if (!customer)
      return { address: null, userErrors: [userError(["customerId"], "Customer does not exist")] };
    const addressId = numericId(args.addressId.split("?")[0], "MailingAddress");
    const index = customer.addresses.findIndex((address) => address.id === addressId);
    if (index < 0) return { address: null, userErrors: [userError(["addressId"], "Address does not exist")] };
    const current = customer.addresses[index]!;
    const given = Object.fromEntries(Object.entries(args.address).filter(([, value]) => value !== undefined));
    const merged = { id: current.id, ...addressFromInput({ ...current, ...given }) };
    customer.addresses[index] = merged;
    if (args.setAsDefault) customer.defaultAddressId = merged.id;
    touchCustomer(context, customer);
    return { address: mailingAddressView(merged, customerAddressId(merged.id)), userErrors: [] };
  },
  customerDelete: (args: { input: { id: string } }, context: ResolverContext) => {
    const { shop } = context;
    const id = numericId(args.input.id, "Customer");
    const customer = id === null ? undefined : shop.customers.get(id);
    const refuse = (message: string) => ({
      deletedCustomerId: null,
      shop: shopView(shop, context.now()),
      userErrors: [userError(["id"], message)],
    });
    if (!customer) return refuse("Customer can't be found");
    if (ordersOfCustomer(shop, customer.id).length > 0)
      return refuse("Customer can\u2019t be deleted because they have associated orders");
    // A company contact cannot outlive its customer (CompanyContact.customer is non-null).
    const removed: { company: CompanyRecord; contact: CompanyContactRecord }[] = [];
    for (const company of shop.companies.values()) {
      const contact = company.contacts?.find((c) => c.customerId === customer.id);
      if (!contact) continue;
      company.contacts = company.contacts!.filter((c) => c !== contact);
      company.contactCustomerIds = company.contactCustomerIds.filter((c) => c !== customer.id);
      if (company.mainContactId === contact.id) company.mainContactId = null;
      removed.push({ company, contact });
    }
    shop.customers.delete(customer.id);
    for (const subject of removed) emitWebhook(context, "company_contacts/delete", subject);
    emitWebhook(context, "customers/delete", { id: customer.id });
    return {
      deletedCustomerId: gid("Customer", customer.id),
      shop: shopView(shop, context.now()),
      userErrors: [],
    };
  },
};

function touchCustomer(context: ResolverContext, customer: CustomerRecord): void {
  customer.updatedAt = new Date(Math.max(context.now().getTime(), customer.updatedAt.getTime() + 1));
  emitWebhook(context, "customers/update", customer);
}
