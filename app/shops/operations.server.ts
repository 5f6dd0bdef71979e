import { operation } from "../shopify/operation.server";

/**
 * The shop's own settings the app keeps: its time zone, read at install (shop/update keeps it
 * after). `Shop.ianaTimezone` is a non-null String in the 2026-07 schema; one point.
 */
export const SHOP_TIME_ZONE = operation<{ shop: { ianaTimezone: string } }, Record<string, never>>(
  "ShopTimeZone",
  `query ShopTimeZone {
    shop { ianaTimezone }
  }`,
);
