import type { z } from "zod";
import { filterSpec, flag, text } from "../kit/filters";
import { listOf } from "../products/filters.server";

/**
 * The inventory sync's request page: which items (every item whose stock changed when blank),
 * which Shopify locations (every location fed from the back office when blank), and whether to
 * read every level in Shopify first (what the nightly reconcile does).
 */

const LIST = /^[^,\s][^,]*(,[^,]+)*$/;

export const inventoryFilterSpec = filterSpec(
  {
    itemNos: text("Item numbers", {
      max: 250,
      helpText: "Comma-separated item numbers; blank for every item whose stock changed.",
    }),
    locationIds: text("Shopify location ids", {
      max: 250,
      helpText: "Comma-separated numeric location ids; blank for every location fed from the back office.",
    }),
    reconcile: flag("Read every level in Shopify first (full reconcile)", false),
  },
  [
    {
      check: (f) => !f.itemNos || LIST.test(f.itemNos),
      message: "item numbers are written A-100,A-200",
      path: ["itemNos"],
    },
    {
      check: (f) => !f.locationIds || /^\d{1,19}(\s*,\s*\d{1,19})*$/.test(f.locationIds),
      message: "location ids are Shopify's numeric ids, written 1001,1002",
      path: ["locationIds"],
    },
  ],
);

export type InventoryFilters = z.output<typeof inventoryFilterSpec.schema>;

export function pushOptionsOf(filters: InventoryFilters, trigger: string) {
  const itemNos = listOf(filters.itemNos);
  const locationIds = listOf(filters.locationIds).map((id) => BigInt(id));
  return {
    itemNos: itemNos.length > 0 ? itemNos : null,
    locationIds: locationIds.length > 0 ? locationIds : null,
    // The schedule's run is the full reconcile.
    reconcile: filters.reconcile || trigger === "schedule",
  };
}
