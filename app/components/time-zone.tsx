import { Text } from "@shopify/polaris";
import { timesIn } from "../admin/time-zone";

/** The one line a page names its times' zone with: "Times in America/Toronto". */
export function TimesIn({ timeZone }: { timeZone: string }) {
  return (
    <Text as="p" variant="bodySm" tone="subdued">
      {timesIn(timeZone)}
    </Text>
  );
}
