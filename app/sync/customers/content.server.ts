import type { Customer } from "../../backoffice/backoffice.server";
import { contentHash } from "../kit/outbound.server";
import type { AddressNode, CustomerInput, CustomerNode, MailingAddressInput } from "./operations.server";
import { composeName } from "./rules.server";

/**
 * A customer as both sides see it, and how one side's customer becomes the other's:
 *
 * - **Shopify's side** (`ShopifySide`): names, e-mail, phone and one address (the default
 *   address, else the first of the address book, else none). Its hash (`sideHash`) is kept on
 *   the customer's ShopifyCustomer row as last read or written, so a read of the same customer
 *   (our own write coming back as a webhook, a reconcile) changes nothing (no echo), and an
 *   export whose content Shopify has already sends nothing. E-mails are compared in any case and
 *   phones by their digits, as Shopify normalises both.
 * - **The back office's side** (`backOfficeFields`): the name composed by the shop card's rule,
 *   the contact person when the name is the company's, e-mail, phone and the address.
 */

export interface SideAddress {
  company: string | null;
  address1: string | null;
  address2: string | null;
  city: string | null;
  zip: string | null;
  province: string | null;
  countryCode: string | null;
  phone: string | null;
}

export interface ShopifySide {
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  address: SideAddress | null;
}

/** Which address a customer's fields were taken from. */
export type AddressFrom = "default" | "any" | "none";

const clean = (value: string | null | undefined) => value?.trim() || null;

function sideAddress(node: AddressNode): SideAddress {
  return {
    company: clean(node.company),
    address1: clean(node.address1),
    address2: clean(node.address2),
    city: clean(node.city),
    zip: clean(node.zip),
    province: clean(node.provinceCode) ?? clean(node.province),
    countryCode: clean(node.countryCodeV2)?.toUpperCase() ?? null,
    phone: clean(node.phone),
  };
}

/** Shopify's customer as the sync compares it, and which of its addresses it took. */
export function shopifySideOf(node: CustomerNode): { side: ShopifySide; addressFrom: AddressFrom } {
  const address = node.defaultAddress ?? node.addressesV2.nodes[0] ?? null;
  return {
    side: {
      firstName: clean(node.firstName),
      lastName: clean(node.lastName),
      email: clean(node.email),
      phone: clean(node.phone),
      address: address ? sideAddress(address) : null,
    },
    addressFrom: node.defaultAddress ? "default" : address ? "any" : "none",
  };
}

const digits = (value: string | null) => (value ? value.replace(/\D/g, "") || null : null);

/** The hash both directions compare: the same customer in substance hashes the same. */
export function sideHash(side: ShopifySide): string {
  return contentHash({
    ...side,
    email: side.email?.toLowerCase() ?? null,
    phone: digits(side.phone),
    address: side.address ? { ...side.address, phone: digits(side.address.phone) } : null,
  });
}

/** The back-office customer's fields from Shopify's side, by the shop card's name rule. */
export function backOfficeFields(side: ShopifySide, nameRule: string, shopifyId: bigint) {
  const address = side.address;
  const person = [side.firstName, side.lastName].filter(Boolean).join(" ") || null;
  const name =
    composeName(nameRule, {
      company: address?.company,
      firstName: side.firstName,
      lastName: side.lastName,
    }) ||
    side.email ||
    side.phone ||
    `Shopify customer ${shopifyId}`;
  return {
    name: name.slice(0, 100),
    // The person at a customer named after its company.
    contactName: address?.company && name === address.company ? person : null,
    email: side.email,
    phone: side.phone ?? address?.phone ?? null,
    address1: address?.address1 ?? null,
    address2: address?.address2 ?? null,
    city: address?.city ?? null,
    zip: address?.zip ?? null,
    county: address?.province ?? null,
    countryCode: address?.countryCode ?? null,
  };
}

function splitName(
  text: string | null,
  lastFirst: boolean,
): { firstName: string | null; lastName: string | null } {
  const words = (text ?? "").trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return { firstName: null, lastName: null };
  if (words.length === 1) return { firstName: null, lastName: words[0]! };
  return lastFirst
    ? { lastName: words[0]!, firstName: words.slice(1).join(" ") }
    : { firstName: words.slice(0, -1).join(" "), lastName: words.at(-1)! };
}

/**
 * Shopify's side of a back-office customer, by the shop card's name rule: a customer named after
 * its company (it has a contact person) sends the company on its address and the contact as
 * first and last name; a person's name is split into first and last (last and first) name,
 * keeping Shopify's own split (`known`) when it makes the same name.
 */
export function sideOfBackOffice(
  customer: Customer,
  nameRule: string,
  known?: { firstName: string | null; lastName: string | null } | null,
): ShopifySide {
  const isCompany = nameRule === "company" && Boolean(clean(customer.contactName));
  const knownName = known ? composeName(nameRule === "last_first" ? "last_first" : "first_last", known) : "";
  const names = isCompany
    ? splitName(customer.contactName, false)
    : known && knownName === customer.name.trim()
      ? { firstName: clean(known.firstName), lastName: clean(known.lastName) }
      : splitName(customer.name, nameRule === "last_first");
  const hasAddress = Boolean(customer.address1 || customer.city || customer.zip || customer.countryCode);
  return {
    firstName: names.firstName,
    lastName: names.lastName,
    email: clean(customer.email),
    phone: clean(customer.phone),
    address: hasAddress
      ? {
          company: isCompany ? customer.name : null,
          address1: clean(customer.address1),
          address2: clean(customer.address2),
          city: clean(customer.city),
          zip: clean(customer.zip),
          province: clean(customer.county),
          countryCode: clean(customer.countryCode),
          phone: null,
        }
      : null,
  };
}

/** What customerCreate / customerUpdate send of a side (the address goes on its own). */
export function customerInputOf(side: ShopifySide, id?: string): CustomerInput {
  return {
    ...(id ? { id } : {}),
    firstName: side.firstName,
    lastName: side.lastName,
    email: side.email,
    phone: side.phone,
  };
}

/** The address as customerAddressCreate / customerAddressUpdate send it. */
export function addressInputOf(side: ShopifySide): MailingAddressInput | null {
  const address = side.address;
  if (!address) return null;
  const province = address.province;
  return {
    firstName: side.firstName,
    lastName: side.lastName,
    company: address.company,
    address1: address.address1,
    address2: address.address2,
    city: address.city,
    zip: address.zip,
    // A code (ON, CA, BY) as Shopify writes it; a name as it was read.
    ...(province && province.length <= 3 ? { provinceCode: province } : { province }),
    countryCode: address.countryCode,
    phone: address.phone,
  };
}
