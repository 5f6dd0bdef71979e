import { Text } from "@shopify/polaris";
import { createContext, useContext } from "react";
import { FALLBACK_TIME_ZONE, formatInZone, timesIn } from "../admin/time-zone";

/** The one line a page names its times' zone with: "Times in America/Toronto". */
export function TimesIn({ timeZone }: { timeZone: string }) {
  return (
    <Text as="p" variant="bodySm" tone="subdued">
      {timesIn(timeZone)}
    </Text>
  );
}

/**
 * The shop's zone for the components of a page whose rows are drawn deep down (the orders,
 * shipments and products lists): the page provides its loader's `timeZone` once.
 */
const ShopTimeZone = createContext<string>(FALLBACK_TIME_ZONE);
export const ShopTimeZoneProvider = ShopTimeZone.Provider;

/** "3 Dec 11:20:29": a time in the shop's zone the page provides (the same text on server and browser). */
export function ShopTime({ iso }: { iso: string }) {
  return <>{formatInZone(new Date(iso), useContext(ShopTimeZone))}</>;
}
