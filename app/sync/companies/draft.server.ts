import { createHash } from "node:crypto";
import type { Customer, listShipToAddresses } from "../../backoffice/backoffice.server";
import { contentHash } from "../kit/outbound.server";
import type { CompanyAddressInput } from "./operations.server";
import type { StoredAddress } from "./read.server";

/**
 * What a business customer is as a Shopify company (the export's content): the company's name
 * and external id (the customer number), its first location (the customer's own address and
 * tax registration), its main contact (the customer's e-mail and contact name), and one more
 * location per ship-to address. The hash of a draft is what the export remembers as sent
 * (SyncRecord.sentHash): the same draft again sends nothing.
 */

export interface LocationDraft {
  name: string;
  address: CompanyAddressInput | null;
}

export interface CompanyDraft {
  customerNo: string;
  name: string;
  /** Shopify's external id of the company: the customer number, or its encoded form (externalIdOf). */
  externalId: string;
  main: LocationDraft & { taxRegistrationId: string | null; taxExemptions: string[] };
  contact: { email: string; firstName: string | null; lastName: string | null } | null;
  shipTos: (LocationDraft & { code: string })[];
}

// Shopify's rules for an external id (companyCreate's userErrors): at most 64 characters of these.
const EXTERNAL_ID = /^[A-Za-z0-9!@#$%^&*(){}[\]\\/?<>_\-~,.;:'`"]{1,64}$/;

/**
 * Shopify's external id for a back-office key (a customer number; a customer number and a
 * ship-to code): the key itself when Shopify's rules allow it and it has no "%"; else the key
 * percent-encoded (encodeURIComponent leaves only characters the rules allow, and always a "%"
 * followed by two hex digits); else, longer than 64 characters that way, "%h" and a hash of the
 * key. The same key always gives the same id and two keys never one (but for a hash's
 * collision), so every create has an id to be found by (its sendingKey) and the company it
 * finds is the customer's.
 */
export function externalIdOf(key: string): string {
  if (EXTERNAL_ID.test(key) && !key.includes("%")) return key;
  const encoded = encodeURIComponent(key);
  if (encoded.length <= 64 && encoded.includes("%")) return encoded;
  return `%h${createHash("sha256").update(key).digest("base64url")}`;
}

type ShipTo = Awaited<ReturnType<typeof listShipToAddresses>>[number];

type AddressFields = Pick<Customer, "address1" | "address2" | "city" | "zip" | "county" | "countryCode">;

/** An address as Shopify takes it, or none without a street and a country (Shopify requires both). */
function addressInput(fields: AddressFields, phone: string | null): CompanyAddressInput | null {
  if (!fields.address1 || !fields.countryCode) return null;
  return {
    address1: fields.address1,
    address2: fields.address2 ?? null,
    city: fields.city ?? null,
    zip: fields.zip ?? null,
    zoneCode: fields.county ?? null,
    countryCode: fields.countryCode,
    phone,
  };
}

/** A stored location address (Shopify's side) in the same shape, to compare with a draft's. */
export function addressInputOfStored(address: StoredAddress | null): CompanyAddressInput | null {
  if (!address) return null;
  return addressInput(
    {
      address1: address.address1,
      address2: address.address2,
      city: address.city,
      zip: address.zip,
      county: address.province,
      countryCode: address.countryCode,
    },
    null,
  );
}

/**
 * Whether two addresses are the same place. The phone is left out: a stored address keeps none
 * (StoredAddress), so a draft's phone alone is no difference to send.
 */
export function sameAddress(a: CompanyAddressInput | null, b: CompanyAddressInput | null): boolean {
  const place = (address: CompanyAddressInput | null) => (address ? { ...address, phone: null } : null);
  return contentHash(place(a)) === contentHash(place(b));
}

function splitName(name: string | null): { firstName: string | null; lastName: string | null } {
  const parts = (name ?? "").trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0) return { firstName: null, lastName: null };
  if (parts.length === 1) return { firstName: null, lastName: parts[0]! };
  return { firstName: parts.slice(0, -1).join(" "), lastName: parts.at(-1)! };
}

export function companyDraftOf(customer: Customer, shipTos: ShipTo[]): CompanyDraft {
  const email = customer.email?.trim() || null;
  return {
    customerNo: customer.no,
    name: customer.name,
    externalId: externalIdOf(customer.no),
    main: {
      name: customer.name,
      address: addressInput(customer, customer.phone),
      taxRegistrationId: customer.taxRegistrationNo,
      taxExemptions: [...customer.taxExemptions].sort(),
    },
    // Shopify makes a contact from an e-mail (or an existing customer): none without one.
    contact: email ? { email, ...splitName(customer.contactName) } : null,
    shipTos: shipTos
      .map((shipTo) => ({
        code: shipTo.code,
        name: shipTo.name,
        address: addressInput(shipTo, shipTo.phone),
      }))
      .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)),
  };
}

export function draftHash(draft: CompanyDraft): string {
  return contentHash(draft);
}
