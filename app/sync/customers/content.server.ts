import type { Customer } from "../../backoffice/backoffice.server";
import type { ShopifyCustomer } from "../../generated/prisma/client";
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

/**
 * What a ShopifyCustomer row keeps of Shopify's customer: its side (the customer's phone, else
 * its address's), tags, which address it took and Shopify's id of its default address.
 */
export function rowFieldsOf(node: CustomerNode) {
  const { side, addressFrom } = shopifySideOf(node);
  return {
    email: side.email,
    phone: side.phone ?? side.address?.phone ?? null,
    firstName: side.firstName,
    lastName: side.lastName,
    company: side.address?.company ?? null,
    address1: side.address?.address1 ?? null,
    address2: side.address?.address2 ?? null,
    city: side.address?.city ?? null,
    zip: side.address?.zip ?? null,
    province: side.address?.province ?? null,
    countryCode: side.address?.countryCode ?? null,
    tags: node.tags,
    addressFrom,
    defaultAddressId: node.defaultAddress?.id ?? null,
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
 * Shopify's side of a back-office customer, by the shop card's name rule, over what Shopify has
 * (`known`: its side as last read or written, when linked):
 *
 * - **Names**: when Shopify's company and first and last name make the back office's name (by
 *   the rule), they stay as Shopify has them. Else a customer named after its company (it has a
 *   contact person) sends the company on its address and the contact as first and last name
 *   (Shopify's split kept when it makes the contact's name); a person's name is split into first
 *   and last (last and first) name, Shopify's split kept when it makes the same name.
 * - **What the back office does not keep** (no e-mail, no phone, no second address line, an
 *   address's company or phone) is never sent as a blank over Shopify's: Shopify's stays.
 */
export function sideOfBackOffice(
  customer: Customer,
  nameRule: string,
  known?: ShopifySide | null,
): ShopifySide {
  const name = customer.name.trim();
  const contact = clean(customer.contactName);
  const knownCompany = known?.address?.company ?? null;
  const knownNames = known ? { firstName: known.firstName, lastName: known.lastName } : null;
  /** Shopify's own first and last name, when by `rule` they make `text`; else `text` split. */
  const namesFor = (text: string, rule: string) =>
    knownNames && composeName(rule, knownNames) === text
      ? knownNames
      : splitName(text, rule === "last_first");
  let names: { firstName: string | null; lastName: string | null };
  let company: string | null;
  if (knownNames && composeName(nameRule, { ...knownNames, company: knownCompany }) === name) {
    // Shopify's names and company make the back office's name: as they are.
    names = knownNames;
    company = knownCompany;
  } else if (nameRule === "company" && contact) {
    names = namesFor(contact, "first_last");
    company = name;
  } else {
    names = namesFor(name, nameRule === "last_first" ? "last_first" : "first_last");
    company = knownCompany;
  }
  const hasAddress = Boolean(customer.address1 || customer.city || customer.zip || customer.countryCode);
  const theirs = known?.address ?? null;
  return {
    firstName: names.firstName,
    lastName: names.lastName,
    email: clean(customer.email) ?? known?.email ?? null,
    phone: clean(customer.phone) ?? known?.phone ?? null,
    address: hasAddress
      ? {
          company,
          address1: clean(customer.address1) ?? theirs?.address1 ?? null,
          address2: clean(customer.address2) ?? theirs?.address2 ?? null,
          city: clean(customer.city) ?? theirs?.city ?? null,
          zip: clean(customer.zip) ?? theirs?.zip ?? null,
          province: clean(customer.county) ?? theirs?.province ?? null,
          countryCode: clean(customer.countryCode) ?? theirs?.countryCode ?? null,
          phone: theirs?.phone ?? null,
        }
      : theirs,
  };
}

/** Shopify's side of a customer as its row last knew it (what the import or export stored). */
export function sideOfRow(row: ShopifyCustomer): ShopifySide {
  const hasAddress = row.addressFrom !== null && row.addressFrom !== "none";
  return {
    firstName: row.firstName,
    lastName: row.lastName,
    email: row.email,
    phone: row.phone,
    address: hasAddress
      ? {
          company: row.company,
          address1: row.address1,
          address2: row.address2,
          city: row.city,
          zip: row.zip,
          province: row.province,
          countryCode: row.countryCode,
          phone: null,
        }
      : null,
  };
}

/** The hash of what the export would send of this back-office customer over Shopify's `known`. */
export function exportHash(customer: Customer, nameRule: string, known?: ShopifySide | null): string {
  const ours = sideOfBackOffice(customer, nameRule, known);
  return contentHash({ customer: customerInputOf(ours), address: addressInputOf(ours) });
}

/**
 * What a field left out of an input means to Shopify: "as it is". A side's blank (what neither
 * side has, or what the back office does not keep) is left out, never sent as a blank over
 * Shopify's value.
 */
function present<T extends Record<string, unknown>>(input: T): T {
  return Object.fromEntries(
    Object.entries(input).filter(([, value]) => value !== null && value !== undefined),
  ) as T;
}

/** What customerCreate / customerUpdate send of a side (the address goes on its own). */
export function customerInputOf(side: ShopifySide, id?: string): CustomerInput {
  return present({
    ...(id ? { id } : {}),
    firstName: side.firstName,
    lastName: side.lastName,
    email: side.email,
    phone: side.phone,
  });
}

/** The address as customerAddressCreate / customerAddressUpdate send it. */
export function addressInputOf(side: ShopifySide): MailingAddressInput | null {
  const address = side.address;
  if (!address) return null;
  const province = address.province;
  return present({
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
  });
}
