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
  /** Shopify's external id of the company: the customer number, when Shopify's rules allow it. */
  externalId: string | null;
  main: LocationDraft & { taxRegistrationId: string | null; taxExemptions: string[] };
  contact: { email: string; firstName: string | null; lastName: string | null } | null;
  shipTos: (LocationDraft & { code: string })[];
}

// Shopify's rules for an external id (companyCreate's userErrors): at most 64 characters of these.
const EXTERNAL_ID = /^[A-Za-z0-9!@#$%^&*(){}[\]\\/?<>_\-~,.;:'`"]{1,64}$/;

export function externalIdOf(customerNo: string): string | null {
  return EXTERNAL_ID.test(customerNo) ? customerNo : null;
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
    address.phone,
  );
}

export function sameAddress(a: CompanyAddressInput | null, b: CompanyAddressInput | null): boolean {
  return contentHash(a) === contentHash(b);
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
