import type { Plan, ShopState } from "../state/shop-state.server";
import { offsetMinutes } from "../state/time.server";
import { gid } from "../state/shop-state.server";
import { iso } from "./context.server";

/**
 * The `shop` query (Shop object, https://shopify.dev/docs/api/admin-graphql/2026-07/objects/Shop).
 * The fields a sync reads to learn its store: identity, currency, time zone, plan and domain.
 */

/**
 * Shopify's plan names for ours. `publicDisplayName` uses today's names (the plan once called
 * "Shopify" is "Grow", changelog "Adding publicDisplayName field on ShopPlan"); the deprecated
 * `displayName` keeps the historical ones ("Shopify", "Advanced Shopify", "Shopify Plus").
 */
const PLAN_NAMES: Record<Plan, { displayName: string; publicDisplayName: string }> = {
  standard: { displayName: "Shopify", publicDisplayName: "Grow" },
  advanced: { displayName: "Advanced Shopify", publicDisplayName: "Advanced" },
  plus: { displayName: "Shopify Plus", publicDisplayName: "Plus" },
};

/** A stable numeric id for the shop: ShopState has none, and the GID must not change between calls. */
export function shopNumericId(shop: ShopState): number {
  let hash = 0;
  for (const char of shop.domain) hash = (Math.imul(hash, 31) + char.charCodeAt(0)) >>> 0;
  return 10_000_000 + (hash % 90_000_000);
}

function abbreviation(timeZone: string, at: Date): string {
  const name = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "short" })
    .formatToParts(at)
    .find((part) => part.type === "timeZoneName")?.value;
  return name ?? "UTC";
}

/** Shopify's `timezoneOffset` format: "-0500". */
function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? "-" : "+";
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}${String(abs % 60).padStart(2, "0")}`;
}

/** The shop's address: the simulator keeps none of its own, so the first location's stands in. */
function shopAddressView(shop: ShopState) {
  const location = [...shop.locations.values()].sort((a, b) => a.id - b.id)[0];
  const address = location?.address ?? {};
  return {
    id: gid("ShopAddress", shopNumericId(shop)),
    address1: address.address1 ?? null,
    address2: address.address2 ?? null,
    city: address.city ?? null,
    company: shop.name,
    country: address.country ?? null,
    countryCode: address.countryCode ?? null,
    countryCodeV2: address.countryCode ?? null,
    province: address.province ?? null,
    provinceCode: address.provinceCode ?? null,
    zip: address.zip ?? null,
    phone: address.phone ?? null,
    firstName: null,
    lastName: null,
    name: null,
    latitude: null,
    longitude: null,
    coordinatesValidated: false,
    formattedArea: [address.city, address.province, address.country].filter(Boolean).join(", ") || null,
    formatted: (args: { withCompany?: boolean | null }) =>
      [
        args.withCompany === false ? null : shop.name,
        address.address1,
        address.address2,
        [address.city, address.provinceCode, address.zip].filter(Boolean).join(" ") || null,
        address.country,
      ].filter((line): line is string => Boolean(line)),
  };
}

export function shopView(shop: ShopState, now: Date) {
  const url = `https://${shop.domain}`;
  const minutes = offsetMinutes(shop.ianaTimezone, now);
  const plan = PLAN_NAMES[shop.plan];
  return {
    id: gid("Shop", shopNumericId(shop)),
    name: shop.name,
    email: shop.email,
    contactEmail: shop.email,
    shopOwnerName: "Shop Owner",
    description: null,
    myshopifyDomain: shop.domain,
    url,
    currencyCode: shop.currencyCode,
    enabledPresentmentCurrencies: [shop.currencyCode],
    ianaTimezone: shop.ianaTimezone,
    timezoneAbbreviation: abbreviation(shop.ianaTimezone, now),
    timezoneOffset: formatOffset(minutes),
    timezoneOffsetMinutes: minutes,
    taxesIncluded: false,
    taxShipping: false,
    weightUnit: "KILOGRAMS",
    unitSystem: "METRIC_SYSTEM",
    orderNumberFormatPrefix: "#",
    orderNumberFormatSuffix: "",
    setupRequired: false,
    checkoutApiSupported: true,
    transactionalSmsDisabled: false,
    marketingSmsConsentEnabledAtCheckout: false,
    plan: {
      displayName: plan.displayName,
      publicDisplayName: plan.publicDisplayName,
      partnerDevelopment: false,
      shopifyPlus: shop.plan === "plus",
    },
    primaryDomain: {
      id: gid("Domain", shopNumericId(shop)),
      host: shop.domain,
      url,
      sslEnabled: true,
      localization: null,
      marketWebPresence: null,
    },
    billingAddress: () => shopAddressView(shop),
    shopAddress: () => shopAddressView(shop),
    createdAt: iso(shop.createdAt),
    updatedAt: iso(shop.createdAt),
  };
}
