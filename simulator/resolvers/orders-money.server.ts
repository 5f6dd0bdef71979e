import type {
  DiscountAllocation,
  LineItemRecord,
  OrderRecord,
  ShippingLineRecord,
  TaxLine,
  TransactionRecord,
} from "../state/records.server";

/**
 * Money arithmetic for orders in integer minor units (cents), so sums never drift, and the
 * order totals exactly as Shopify states them (Order object reference,
 * https://shopify.dev/docs/api/admin-graphql/2026-07/objects/Order):
 * - subtotal: line items' prices after all their discounts, before shipping, taxes and tips
 *   (a tip is a line item outside the subtotal: subtotalLineItemsQuantity "excludes
 *   quantities for items like tips");
 * - total: subtotal + shipping after its discounts + tip + taxes, unless prices include taxes
 *   (taxesIncluded: "the subtotal and line item prices include tax amounts");
 * - "current" amounts: the same after removals (current quantities: edits, refunds and
 *   cancellations) and shipping refunds.
 * One currency at a time: `inPresentment` (orders-currency) gives the presentment figures.
 */

export function toCents(amount: string | number | null | undefined): number {
  if (amount === null || amount === undefined || amount === "") return 0;
  const value = typeof amount === "number" ? amount : Number(amount);
  return Number.isFinite(value) ? Math.round(value * 100) : 0;
}

/** Two-decimal string, as records keep money and the deprecated `Money` scalar shows it. */
export function fromCents(cents: number): string {
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(Math.round(cents));
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

/**
 * A `Decimal` amount as MoneyV2.amount serialises it: trailing zeros trimmed but one decimal
 * kept ("10.0", "10.5", "24.99"), as Shopify's responses show.
 */
export function decimal(amount: string | number): string {
  const fixed = fromCents(toCents(amount));
  return fixed.endsWith("0") ? fixed.slice(0, -1) : fixed;
}

/** Rounds half away from zero to a whole cent. */
export function roundCents(value: number): number {
  return Math.sign(value) * Math.round(Math.abs(value));
}

/** A decimal tax rate ("0.13", 0.2) as an exact fraction, so a tax rounds once. */
function rateFraction(rate: number | string): { num: number; den: number } {
  const text = typeof rate === "number" ? rate.toFixed(10) : rate.trim();
  const [whole = "0", fraction = ""] = text.split(".");
  const digits = fraction.replace(/0+$/, "");
  const den = 10 ** digits.length;
  return { num: Number(whole) * den + Number(digits || "0"), den };
}

/**
 * The tax at `rate` on `base` cents: added on top (base × rate), or, when prices include
 * taxes, the part of the base that is tax (base × rate / (1 + rate)).
 */
export function taxAt(base: number, rate: number | string, taxesIncluded: boolean): number {
  const { num, den } = rateFraction(rate);
  return roundCents((base * num) / (taxesIncluded ? den + num : den));
}

export function sumCents(values: Iterable<number>): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}

/** Splits an amount over weights in proportion, the last share taking the rounding remainder. */
export function allocate(amount: number, weights: number[]): number[] {
  const total = sumCents(weights);
  if (total <= 0) return weights.map((_, i) => (i === weights.length - 1 ? amount : 0));
  let left = amount;
  return weights.map((weight, i) => {
    if (i === weights.length - 1) return left;
    const share = Math.round((amount * weight) / total);
    left -= share;
    return share;
  });
}

export function allocationsCents(allocations: DiscountAllocation[]): number {
  return sumCents(allocations.map((allocation) => toCents(allocation.amount)));
}

export function taxCents(taxLines: TaxLine[]): number {
  return sumCents(taxLines.map((line) => toCents(line.price)));
}

/** A share of a line's amount for part of its quantity (removals scale discounts and taxes). */
export function scaled(cents: number, part: number, whole: number): number {
  return whole <= 0 ? 0 : Math.round((cents * part) / whole);
}

export interface LineAmounts {
  originalUnit: number;
  original: number;
  discount: number;
  /** Discounts the line carries by itself (EACH/ONE allocations), not the order's shared ones. */
  lineLevelDiscount: number;
  tax: number;
  currentOriginal: number;
  currentDiscount: number;
  currentTax: number;
}

export function lineAmounts(line: LineItemRecord, order: OrderRecord): LineAmounts {
  const originalUnit = toCents(line.price);
  const original = originalUnit * line.quantity;
  const discount = allocationsCents(line.discountAllocations);
  const lineLevelDiscount = sumCents(
    line.discountAllocations
      .filter((allocation) => {
        const application = order.discountApplications.find(
          (candidate) => candidate.index === allocation.discountApplicationIndex,
        );
        return application !== undefined && application.allocationMethod !== "ACROSS";
      })
      .map((allocation) => toCents(allocation.amount)),
  );
  const tax = taxCents(line.taxLines);
  return {
    originalUnit,
    original,
    discount,
    lineLevelDiscount,
    tax,
    currentOriginal: originalUnit * line.currentQuantity,
    currentDiscount: scaled(discount, line.currentQuantity, line.quantity),
    currentTax: scaled(tax, line.currentQuantity, line.quantity),
  };
}

export function shippingAmounts(line: ShippingLineRecord) {
  const original = toCents(line.price);
  const discount = allocationsCents(line.discountAllocations);
  return { original, discount, discounted: original - discount, tax: taxCents(line.taxLines) };
}

function succeeded(transactions: TransactionRecord[], kinds: TransactionRecord["kind"][]): number {
  return sumCents(
    transactions
      .filter((transaction) => transaction.status === "SUCCESS" && kinds.includes(transaction.kind))
      .map((transaction) => toCents(transaction.amount)),
  );
}

export interface OrderTotals {
  lineItemsQuantity: number;
  currentLineItemsQuantity: number;
  lineItemsOriginal: number;
  lineDiscounts: number;
  subtotal: number;
  shipping: number;
  shippingDiscounts: number;
  tax: number;
  discounts: number;
  tip: number;
  total: number;
  currentSubtotal: number;
  /** Shipping after its discounts and refunds (currentShippingPriceSet). */
  currentShipping: number;
  currentTax: number;
  currentDiscounts: number;
  currentLineDiscounts: number;
  currentTip: number;
  currentTotal: number;
  refundedShipping: number;
  received: number;
  refunded: number;
  net: number;
  capturable: number;
  outstanding: number;
}

export function orderTotals(order: OrderRecord): OrderTotals {
  const all = order.lineItems.map((line) => ({ line, amounts: lineAmounts(line, order) }));
  const lines = all.filter(({ line }) => !line.tip).map(({ amounts }) => amounts);
  const tips = all.filter(({ line }) => line.tip).map(({ amounts }) => amounts);
  const ships = order.shippingLines.map(shippingAmounts);
  const refundedShippingLines = order.refunds.flatMap((refund) => refund.refundShippingLines ?? []);
  const refundedShipping = sumCents(refundedShippingLines.map((line) => toCents(line.subtotal)));
  const refundedShippingTax = sumCents(refundedShippingLines.map((line) => toCents(line.tax)));
  const lineItemsOriginal = sumCents(lines.map((line) => line.original));
  const lineDiscounts = sumCents(lines.map((line) => line.discount));
  const shipping = sumCents(ships.map((ship) => ship.original));
  const shippingDiscounts = sumCents(ships.map((ship) => ship.discount));
  const shippingTax = sumCents(ships.map((ship) => ship.tax));
  const tax = sumCents(all.map(({ amounts }) => amounts.tax)) + shippingTax;
  const tip = sumCents(tips.map((line) => line.original));
  const subtotal = lineItemsOriginal - lineDiscounts;
  const total = subtotal + shipping - shippingDiscounts + tip + (order.taxesIncluded ? 0 : tax);
  const currentLineDiscounts = sumCents(lines.map((line) => line.currentDiscount));
  const currentSubtotal = sumCents(lines.map((line) => line.currentOriginal)) - currentLineDiscounts;
  const currentShipping = shipping - shippingDiscounts - refundedShipping;
  const currentTax =
    sumCents(all.map(({ amounts }) => amounts.currentTax)) + shippingTax - refundedShippingTax;
  const currentTip = sumCents(tips.map((line) => line.currentOriginal));
  const currentTotal =
    currentSubtotal + currentShipping + currentTip + (order.taxesIncluded ? 0 : currentTax);
  const received = succeeded(order.transactions, ["SALE", "CAPTURE"]);
  const refunded = succeeded(order.transactions, ["REFUND"]);
  const authorized = succeeded(order.transactions, ["AUTHORIZATION"]);
  const captured = succeeded(
    order.transactions.filter((transaction) => transaction.parentId !== null),
    ["CAPTURE"],
  );
  const voided = order.transactions.some(
    (transaction) => transaction.kind === "VOID" && transaction.status === "SUCCESS",
  );
  const net = received - refunded;
  const products = order.lineItems.filter((line) => !line.tip);
  return {
    lineItemsQuantity: sumCents(products.map((line) => line.quantity)),
    currentLineItemsQuantity: sumCents(products.map((line) => line.currentQuantity)),
    lineItemsOriginal,
    lineDiscounts,
    subtotal,
    shipping,
    shippingDiscounts,
    tax,
    discounts: lineDiscounts + shippingDiscounts,
    tip,
    total,
    currentSubtotal,
    currentShipping,
    currentTax,
    currentDiscounts: currentLineDiscounts + shippingDiscounts,
    currentLineDiscounts,
    currentTip,
    currentTotal,
    refundedShipping,
    received,
    refunded,
    net,
    capturable: voided || order.cancelledAt ? 0 : Math.max(0, authorized - captured),
    outstanding: order.cancelledAt ? 0 : currentTotal - net,
  };
}

/**
 * The financial status transactions imply (OrderDisplayFinancialStatus,
 * https://shopify.dev/docs/api/admin-graphql/2026-07/enums/OrderDisplayFinancialStatus).
 */
export function financialStatusFor(order: OrderRecord): OrderRecord["displayFinancialStatus"] {
  const totals = orderTotals(order);
  const voided = order.transactions.some(
    (transaction) => transaction.kind === "VOID" && transaction.status === "SUCCESS",
  );
  if (totals.refunded > 0) return totals.refunded >= totals.received ? "REFUNDED" : "PARTIALLY_REFUNDED";
  if (totals.received > 0) return totals.received >= totals.currentTotal ? "PAID" : "PARTIALLY_PAID";
  if (voided) return "VOIDED";
  if (totals.capturable > 0) return "AUTHORIZED";
  return totals.currentTotal <= 0 ? "PAID" : "PENDING";
}
