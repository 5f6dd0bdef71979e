import type {
  DiscountAllocation,
  LineItemRecord,
  OrderRecord,
  ShippingLineRecord,
  TaxLine,
  TransactionRecord,
} from "../state/records.server";
import { scaled, sumCents, toCents } from "./money.server";

/**
 * An order's amounts in integer minor units (cents, with `money.server.ts`), and the order
 * totals exactly as Shopify states them (Order object reference,
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

export function allocationsCents(allocations: DiscountAllocation[]): number {
  return sumCents(allocations.map((allocation) => toCents(allocation.amount)));
}

export function taxCents(taxLines: TaxLine[]): number {
  return sumCents(taxLines.map((line) => toCents(line.price)));
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
