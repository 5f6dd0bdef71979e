import type { z } from "zod";
import { filterSpec, text } from "../kit/filters";

/**
 * The images sync's request page: which items, by number or by their Shopify product (every
 * item whose pictures changed when both are blank). The items named are compared with what was
 * last sent whatever their state, so a run for them sends only what differs.
 */

const LIST = /^[^,\s][^,]*(,[^,]+)*$/;

export const imageFilterSpec = filterSpec(
  {
    itemNos: text("Item numbers", {
      max: 250,
      helpText: "Comma-separated item numbers; blank for every item whose pictures changed.",
    }),
    productIds: text("Shopify product ids", {
      max: 250,
      helpText: "Comma-separated numeric product ids: the items they are the products of.",
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

export type ImageFilters = z.output<typeof imageFilterSpec.schema>;
