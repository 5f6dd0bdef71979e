import type { z } from "zod";
import { filterSpec, flag, text } from "../kit/filters";

/**
 * The products sync's request page. With "to Shopify" the item numbers choose which items are
 * exported (every changed one when blank) and "only prices" sends prices alone; with "from
 * Shopify" the product ids choose which products are read again (every changed one when blank).
 */

const LIST = /^[^,\s][^,]*(,[^,]+)*$/;

export const productFilterSpec = filterSpec(
  {
    onlyPrices: flag("Only prices", false),
    itemNos: text("Item numbers", {
      max: 250,
      helpText: "Comma-separated item numbers; blank for every item that changed.",
    }),
    productIds: text("Shopify product ids", {
      max: 250,
      helpText: "Comma-separated numeric product ids; blank for every product that changed.",
    }),
  },
  [
    {
      check: (f) => !f.itemNos || LIST.test(f.itemNos),
      message: "item numbers are written A-100,A-200",
      path: ["itemNos"],
    },
    {
      check: (f) => !f.productIds || /^\d{1,19}(\s*,\s*\d{1,19})*$/.test(f.productIds),
      message: "product ids are Shopify's numeric ids, written 1001,1002",
      path: ["productIds"],
    },
  ],
);

export type ProductFilters = z.output<typeof productFilterSpec.schema>;

/** A comma-separated filter as its values (none when blank). */
export function listOf(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}
