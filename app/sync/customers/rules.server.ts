import { z } from "zod";
import type { Db, Tx } from "../../db.server";
import type { ShopSettings } from "../../generated/prisma/client";

/**
 * The shop card's customer rules that both the order processing and the customers sync apply:
 * how a back-office name is made from a Shopify customer, and which template and default
 * customer a country takes (its own line on the shop card, else the shop's single ones).
 */

/** One line of the per-country customer templates and default customers. */
export type CountryCustomer = {
  countryCode: string;
  templateNo: string | null;
  defaultCustomerNo: string | null;
};

const optionalNo = z
  .string()
  .trim()
  .max(20, "at most 20 characters")
  .nullish()
  .transform((value) => (value ? value : null));

export const countryCustomerSchema = z.object({
  countryCode: z
    .string()
    .trim()
    .regex(/^[A-Za-z]{2}$/, "a country is its two-letter code (DE, FR, US)")
    .transform((code) => code.toUpperCase()),
  templateNo: optionalNo,
  defaultCustomerNo: optionalNo,
});

/** The shop's per-country lines as saved (none when the column holds something else). */
export function countryCustomersOf(settings: Pick<ShopSettings, "countryCustomers">): CountryCustomer[] {
  const parsed = z.array(countryCustomerSchema).safeParse(settings.countryCustomers);
  return parsed.success ? parsed.data : [];
}

type CountryRules = Pick<ShopSettings, "countryCustomers" | "customerTemplateNo" | "defaultCustomerNo">;

function lineFor(settings: CountryRules, countryCode: string | null | undefined) {
  const code = countryCode?.trim().toUpperCase();
  return code ? countryCustomersOf(settings).find((line) => line.countryCode === code) : undefined;
}

/** The template a new customer of this country copies: its country's, else the shop's. */
export function templateFor(settings: CountryRules, countryCode: string | null | undefined): string | null {
  return lineFor(settings, countryCode)?.templateNo ?? settings.customerTemplateNo ?? null;
}

/** The default customer of this country: its country's, else the shop's. */
export function defaultCustomerFor(
  settings: CountryRules,
  countryCode: string | null | undefined,
): string | null {
  return lineFor(settings, countryCode)?.defaultCustomerNo ?? settings.defaultCustomerNo ?? null;
}

export interface NameParts {
  company?: string | null;
  firstName?: string | null;
  lastName?: string | null;
}

const joined = (...parts: (string | null | undefined)[]) =>
  parts
    .map((part) => part?.trim())
    .filter(Boolean)
    .join(" ");

/**
 * The back-office name of a Shopify customer by the shop card's rule: the company name (when
 * there is one, else first and last name), first and last name, or last and first name. A
 * customer without the names the rule asks for takes the others; "" when it has none.
 */
export function composeName(rule: string, parts: NameParts): string {
  const firstLast = joined(parts.firstName, parts.lastName);
  const lastFirst = joined(parts.lastName, parts.firstName);
  const company = parts.company?.trim() ?? "";
  if (rule === "first_last") return firstLast || company;
  if (rule === "last_first") return lastFirst || company;
  return company || firstLast;
}

/**
 * Runs `fn` holding the shop's customer lock, in a transaction (the caller's, or one of its own):
 * whatever finds or creates back-office customers from Shopify's (order processing, the
 * customers sync) does it under this lock, so that an order and its customer's webhook arriving
 * together never make two customers of one person.
 */
export async function withCustomerLock<T>(
  db: Db | Tx,
  shopId: string,
  fn: (tx: Tx) => Promise<T>,
): Promise<T> {
  const locked = async (tx: Tx) => {
    await tx.$executeRaw`select pg_advisory_xact_lock(hashtext(${`customers:${shopId}`}))`;
    return fn(tx);
  };
  // A top-level client (it has $connect) opens a transaction; a transaction client is one.
  return "$connect" in db ? db.$transaction(locked, { maxWait: 30_000, timeout: 60_000 }) : locked(db);
}
