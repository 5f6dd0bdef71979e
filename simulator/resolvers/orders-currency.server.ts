import type {
  DiscountAllocation,
  LineItemRecord,
  OrderRecord,
  ShippingLineRecord,
  TaxLine,
} from "../state/records.server";
import { fromCents } from "./money.server";

/**
 * An order's two currencies (Order.currencyCode, the shop's, and presentmentCurrencyCode, the
 * customer's; MoneyBag's shopMoney and presentmentMoney,
 * https://shopify.dev/docs/api/admin-graphql/2026-07/objects/MoneyBag). Every money field of
 * an order record has its presentment amount beside it when the currencies differ;
 * `inPresentment` turns the record into the same order stated in the presentment currency, so
 * one piece of arithmetic (orders-money) states both.
 *
 * Where an input gives no presentment amount (MoneyBagInput.presentmentMoney: "If this isn't
 * given then we assume that the presentment currency is the same as the shop's currency"),
 * the simulator converts the shop amount with a fixed table of rates, since it has no market
 * prices and no exchange feed. The table is stated in the README.
 */

/**
 * Units of each currency that one US dollar buys, in ten-thousandths (exact integers, so a
 * conversion rounds once). Only currencies with two decimals.
 */
export const PER_USD_TEN_THOUSANDTHS: Readonly<Record<string, number>> = {
  USD: 10_000,
  CAD: 12_500,
  EUR: 9_000,
  GBP: 8_000,
  AUD: 15_000,
  NZD: 16_000,
  CHF: 9_000,
  DKK: 67_500,
  SEK: 100_000,
  NOK: 100_000,
  MXN: 200_000,
};

export function hasRate(from: string, to: string): boolean {
  return from === to || (from in PER_USD_TEN_THOUSANDTHS && to in PER_USD_TEN_THOUSANDTHS);
}

/** Rounds half away from zero, as money is rounded. */
function roundCents(value: number): number {
  return Math.sign(value) * Math.round(Math.abs(value));
}

/** `cents` of `from` in `to` at the table's rate, rounded to the cent; throws without a rate. */
export function convertCents(cents: number, from: string, to: string): number {
  if (from === to) return cents;
  const fromUnits = PER_USD_TEN_THOUSANDTHS[from];
  const toUnits = PER_USD_TEN_THOUSANDTHS[to];
  if (fromUnits === undefined || toUnits === undefined)
    throw new Error(`the simulator has no exchange rate from ${from} to ${to}`);
  return roundCents((cents * toUnits) / fromUnits);
}

export function presentmentCurrency(order: Pick<OrderRecord, "currencyCode" | "presentmentCurrencyCode">) {
  return order.presentmentCurrencyCode ?? order.currencyCode;
}

export function isMultiCurrency(order: Pick<OrderRecord, "currencyCode" | "presentmentCurrencyCode">) {
  return presentmentCurrency(order) !== order.currencyCode;
}

/** A shop amount's presentment twin: the one recorded, else the shop amount itself. */
function twin(presentment: string | undefined, shop: string): string {
  return presentment ?? shop;
}

function taxesIn(lines: TaxLine[]): TaxLine[] {
  return lines.map((line) => ({ ...line, price: twin(line.presentmentPrice, line.price) }));
}

function allocationsIn(allocations: DiscountAllocation[]): DiscountAllocation[] {
  return allocations.map((allocation) => ({
    ...allocation,
    amount: twin(allocation.presentmentAmount, allocation.amount),
  }));
}

export function lineInPresentment(line: LineItemRecord): LineItemRecord {
  return {
    ...line,
    price: twin(line.presentmentPrice, line.price),
    taxLines: taxesIn(line.taxLines),
    discountAllocations: allocationsIn(line.discountAllocations),
  };
}

export function shippingInPresentment(line: ShippingLineRecord): ShippingLineRecord {
  return {
    ...line,
    price: twin(line.presentmentPrice, line.price),
    taxLines: taxesIn(line.taxLines),
    discountAllocations: allocationsIn(line.discountAllocations),
  };
}

/**
 * The order as the customer saw it: every amount in the presentment currency, ids and
 * quantities unchanged (index for index), so `orderTotals` of it gives the presentment totals.
 */
export function inPresentment(order: OrderRecord): OrderRecord {
  if (!isMultiCurrency(order)) return order;
  return {
    ...order,
    currencyCode: presentmentCurrency(order),
    lineItems: order.lineItems.map(lineInPresentment),
    shippingLines: order.shippingLines.map(shippingInPresentment),
    discountApplications: order.discountApplications.map((application) => ({
      ...application,
      value: twin(application.presentmentValue, application.value),
    })),
    transactions: order.transactions.map((transaction) => ({
      ...transaction,
      amount: twin(transaction.presentmentAmount, transaction.amount),
    })),
    refunds: order.refunds.map((refund) => ({
      ...refund,
      refundLineItems: refund.refundLineItems.map((item) => ({
        ...item,
        subtotal: twin(item.presentmentSubtotal, item.subtotal),
        totalTax: twin(item.presentmentTotalTax, item.totalTax),
      })),
      refundShippingLines: refund.refundShippingLines?.map((item) => ({
        ...item,
        subtotal: twin(item.presentmentSubtotal, item.subtotal),
        tax: twin(item.presentmentTax, item.tax),
      })),
    })),
  };
}

/**
 * The presentment twin to record beside a shop amount: the given presentment amount, or the
 * shop amount converted; undefined when the order has one currency (nothing to record).
 */
export function presentmentTwin(
  order: Pick<OrderRecord, "currencyCode" | "presentmentCurrencyCode">,
  shopCents: number,
  presentmentCents?: number | null,
): string | undefined {
  if (!isMultiCurrency(order)) return undefined;
  const cents = presentmentCents ?? convertCents(shopCents, order.currencyCode, presentmentCurrency(order));
  return fromCents(cents);
}

/** The shop amount for a presentment amount (refunds are given in the presentment currency). */
export function shopFromPresentment(
  order: Pick<OrderRecord, "currencyCode" | "presentmentCurrencyCode">,
  presentmentCents: number,
): number {
  return convertCents(presentmentCents, presentmentCurrency(order), order.currencyCode);
}
