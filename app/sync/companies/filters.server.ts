import type { z } from "zod";
import { date, filterSpec, text } from "../kit/filters";

/**
 * The companies sync's request page. Both filters choose which Shopify companies the import
 * reads again, whatever the cursor says (and the cursor does not move): those changed since a
 * date, those whose name begins with a text. The export is not filtered: it sends every
 * business customer that is due.
 */

export const companyFilterSpec = filterSpec({
  updatedSince: date("Updated in Shopify since"),
  companyName: text("Company name", {
    max: 255,
    helpText: "Only companies whose name begins with this (any case); blank for every company.",
  }),
});

export type CompanyFilters = z.output<typeof companyFilterSpec.schema>;

/** Whether the request page asks for particular companies (the cursor then stays where it is). */
export function filtered(filters: CompanyFilters): boolean {
  return filters.updatedSince !== undefined || filters.companyName !== undefined;
}

/** Shopify's search for the filters: `updated_at:>='…' name:"…*"`. */
export function searchOf(filters: CompanyFilters): string {
  const terms: string[] = [];
  if (filters.updatedSince) terms.push(`updated_at:>='${new Date(filters.updatedSince).toISOString()}'`);
  if (filters.companyName) terms.push(`name:"${filters.companyName.replace(/["\\]/g, "\\$&")}*"`);
  return terms.join(" ");
}
