import { gid, type ShopState } from "../../state/shop-state.server";
import type { Address, CustomerRecord } from "../../state/records.server";

/**
 * REST-shaped payloads of `customers/create` and `customers/update`, and the address and time
 * formats the order and fulfillment payloads share. The shapes follow the topic schemas of
 * shopify-webhook-schemas 2026-07. Where those schemas type a text field as a plain string,
 * an absent value is sent as "" rather than null, so the payload validates; where they allow
 * null, null is sent, as Shopify does.
 */

/** A text value for a field the schema types as a non-null string. */
export function text(value: string | null | undefined): string {
  return value ?? "";
}

/** REST timestamps are in the shop's time zone with its offset: 2021-12-31T19:00:00-05:00. */
import { restTime } from "../../state/time.server";

export { restTime };

function fullName(address: Address): string {
  return [address.firstName, address.lastName].filter(Boolean).join(" ");
}

/** An order's billing or shipping address, or a fulfillment's destination. */
export function restAddress(address: Address) {
  return {
    first_name: text(address.firstName),
    address1: text(address.address1),
    phone: text(address.phone),
    city: text(address.city),
    zip: text(address.zip),
    province: text(address.province),
    country: text(address.country),
    last_name: text(address.lastName),
    address2: address.address2 ?? null,
    company: address.company ?? null,
    latitude: null,
    longitude: null,
    name: fullName(address),
    country_code: text(address.countryCode),
    province_code: text(address.provinceCode),
  };
}

type CustomerAddress = CustomerRecord["addresses"][number];

/** A customer address; the schema wants address2 and company as strings in the list only. */
function restCustomerAddress(customer: CustomerRecord, address: CustomerAddress, inList: boolean) {
  return {
    id: address.id,
    customer_id: customer.id,
    first_name: text(address.firstName),
    last_name: text(address.lastName),
    company: inList ? text(address.company) : (address.company ?? null),
    address1: text(address.address1),
    address2: inList ? text(address.address2) : (address.address2 ?? null),
    city: text(address.city),
    province: text(address.province),
    country: text(address.country),
    zip: text(address.zip),
    phone: text(address.phone),
    name: fullName(address),
    province_code: text(address.provinceCode),
    country_code: text(address.countryCode),
    country_name: text(address.country),
    default: address.id === customer.defaultAddressId,
  };
}

function marketingConsent(customer: CustomerRecord) {
  return {
    email_marketing_consent: customer.email
      ? { state: "not_subscribed", opt_in_level: "single_opt_in", consent_updated_at: null }
      : null,
    sms_marketing_consent: customer.phone
      ? {
          state: "not_subscribed",
          opt_in_level: "single_opt_in",
          consent_updated_at: null,
          consent_collected_from: "OTHER",
        }
      : null,
  };
}

/** The customer as the order payload embeds it (no address list, note may be null). */
export function embeddedCustomerPayload(shop: ShopState, customer: CustomerRecord) {
  const defaultAddress = customer.addresses.find((address) => address.id === customer.defaultAddressId);
  return {
    id: customer.id,
    email: customer.email,
    created_at: restTime(customer.createdAt, shop.ianaTimezone),
    updated_at: restTime(customer.updatedAt, shop.ianaTimezone),
    first_name: text(customer.firstName),
    last_name: text(customer.lastName),
    state: customer.state.toLowerCase(),
    note: customer.note,
    verified_email: customer.email !== null,
    multipass_identifier: null,
    tax_exempt: customer.taxExempt,
    phone: customer.phone,
    ...marketingConsent(customer),
    tags: customer.tags.join(", "),
    currency: shop.currencyCode,
    tax_exemptions: [],
    admin_graphql_api_id: gid("Customer", customer.id),
    ...(defaultAddress ? { default_address: restCustomerAddress(customer, defaultAddress, false) } : {}),
  };
}

/** customers/create and customers/update. */
export function customerPayload(shop: ShopState, customer: CustomerRecord) {
  const defaultAddress = customer.addresses.find((address) => address.id === customer.defaultAddressId);
  return {
    id: customer.id,
    email: customer.email,
    created_at: restTime(customer.createdAt, shop.ianaTimezone),
    updated_at: restTime(customer.updatedAt, shop.ianaTimezone),
    first_name: text(customer.firstName),
    last_name: text(customer.lastName),
    state: customer.state.toLowerCase(),
    note: text(customer.note),
    verified_email: customer.email !== null,
    multipass_identifier: null,
    tax_exempt: customer.taxExempt,
    phone: customer.phone,
    ...marketingConsent(customer),
    tags: customer.tags.join(", "),
    currency: shop.currencyCode,
    addresses: customer.addresses.map((address) => restCustomerAddress(customer, address, true)),
    tax_exemptions: [],
    admin_graphql_api_id: gid("Customer", customer.id),
    ...(defaultAddress ? { default_address: restCustomerAddress(customer, defaultAddress, false) } : {}),
  };
}

/**
 * customers/delete, sent after the customer is gone: its id, `tax_exemptions` and GID, as the
 * topic's 2026-07 example has it (`{"id", "tax_exemptions": [], "admin_graphql_api_id"}`).
 */
export function customerDeletePayload(id: number) {
  return { id, tax_exemptions: [], admin_graphql_api_id: gid("Customer", id) };
}
