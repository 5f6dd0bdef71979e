import type { Db, Tx } from "../db.server";
import { Prisma } from "../generated/prisma/client";
import { BackOfficeError } from "./errors.server";

/** Helpers shared by the back office's files; not part of its public boundary. */

/** Money as callers hand it over: kept exact by converting to Prisma.Decimal at once. */
export type DecimalInput = Prisma.Decimal | string | number;

// Longer than Prisma's 5 s default: a posting waits for the header lock and the number series
// while another posting of the same shop commits.
const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 30_000 };

/**
 * Runs `fn` in a transaction: a new one for a client, or the caller's when given one, so a
 * function that fails part-way leaves nothing behind either way.
 */
export async function inTransaction<T>(db: Db | Tx, fn: (tx: Tx) => Promise<T>): Promise<T> {
  // A transaction client has $transaction too (Prisma 7 nests), but not $connect: that tells
  // the top-level client apart. Nesting is avoided so that a caller's transaction stays one.
  if ("$connect" in db) return db.$transaction(fn, TRANSACTION_OPTIONS);
  return fn(db);
}

export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

export function toDecimal(value: DecimalInput | null | undefined, field: string): Prisma.Decimal {
  if (value === null || value === undefined || (typeof value === "string" && value.trim() === ""))
    return new Prisma.Decimal(0);
  let decimal: Prisma.Decimal;
  try {
    decimal = new Prisma.Decimal(typeof value === "string" ? value.trim() : value);
  } catch {
    throw new BackOfficeError(`${field} is not a number: "${String(value)}"`);
  }
  if (!decimal.isFinite()) throw new BackOfficeError(`${field} is not a number: "${String(value)}"`);
  return decimal;
}

/** Amounts on posted documents are rounded to the currency's cents, half up. */
export function roundMoney(value: Prisma.Decimal): Prisma.Decimal {
  return value.toDecimalPlaces(2, Prisma.Decimal.ROUND_HALF_UP);
}

export function sum(values: Prisma.Decimal[]): Prisma.Decimal {
  return values.reduce((total, value) => total.plus(value), new Prisma.Decimal(0));
}

/** Trimmed text, or null when nothing is left: empty input means "not given". */
export function optionalText(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

export function requiredText(value: string | null | undefined, field: string): string {
  const text = optionalText(value);
  if (!text) throw new BackOfficeError(`${field} is required`);
  return text;
}

export function requireQuantity(value: number, field: string, options: { positive: boolean }): number {
  if (!Number.isSafeInteger(value) || value < 0 || (options.positive && value === 0))
    throw new BackOfficeError(
      `${field} must be a whole number${options.positive ? " above 0" : " of 0 or more"}, got ${value}`,
    );
  return value;
}

/** Business Central numbers document lines 10000, 20000, ... so lines can be slotted between. */
export const LINE_NO_STEP = 10_000;
