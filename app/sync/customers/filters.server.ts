import type { z } from "zod";
import { date, filterSpec, text } from "../kit/filters";
import { listOf } from "../products/filters.server";

/**
 * The customers sync's request page: which Shopify customers to read (changed since a date, an
 * e-mail, a tag; what changed since the last run when blank) and which back-office customers
 * to send (their numbers; every due one when blank). A run with filters reads what they name
 * and leaves the cursor where it is.
 */

export const customerFilterSpec = filterSpec(
  {
    updatedSince: date("Changed in Shopify since"),
    email: text("E-mail", { max: 255, helpText: "One customer's exact e-mail." }),
    tag: text("Tag", { max: 255, helpText: "Customers with this tag in Shopify." }),
    customerNos: text("Back-office customer numbers", {
      max: 250,
      helpText: "Comma-separated; blank for every customer due to be sent.",
    }),
  },
  [
    {
      check: (f) => !f.email || /^[^\s@]+@[^\s@]+$/.test(f.email),
      message: "an e-mail is written name@example.com",
      path: ["email"],
    },
    {
      check: (f) => !f.tag || !/["\\]/.test(f.tag),
      message: "a tag cannot hold quotes or backslashes",
      path: ["tag"],
    },
  ],
);

export type CustomerFilters = z.output<typeof customerFilterSpec.schema>;

const quote = (value: string) => `"${value}"`;

/** The filters' Shopify search terms (none: what changed since the cursor is read). */
export function searchTermsOf(filters: CustomerFilters): string[] {
  const terms: string[] = [];
  if (filters.updatedSince) terms.push(`updated_at:>=${quote(filters.updatedSince)}`);
  if (filters.email) terms.push(`email:${quote(filters.email)}`);
  if (filters.tag) terms.push(`tag:${quote(filters.tag)}`);
  return terms;
}

export function customerNosOf(filters: CustomerFilters): string[] {
  return listOf(filters.customerNos);
}
