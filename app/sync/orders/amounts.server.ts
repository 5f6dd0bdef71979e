import { Prisma } from "../../generated/prisma/client";
import type { ShopifyOrder, ShopifyOrderLine, ShopifyShippingLine } from "../../generated/prisma/client";

/**
 * The money of a sales document, derived from a staged order as Shopify states it and never
 * re-taxed or re-priced (README, "How a document's amounts are derived"):
 *
 * - a line's quantity is Shopify's currentQuantity; its unit price is originalUnitPrice;
 * - its discount is Shopify's allocation (totalDiscount) when no unit was removed, else the
 *   discount of the units that remain: (originalUnitPrice − discountedUnitPriceAfterAllDiscounts)
 *   × currentQuantity;
 * - its tax is the sum of its tax lines when no unit was removed; else each tax line's share
 *   for the remaining units, the cents made to agree with Shopify's Order.currentTaxLines;
 * - with taxesIncluded, unit price and discount include tax (the document is flagged so) and
 *   the amount before tax is what is left after Shopify's tax; else tax comes on top;
 * - every shipping line that is not removed, with its own discount and tax lines;
 * - a gift card sold (LineItem.isGiftCard) and the tip (the line Shopify's agreement names as
 *   the TIP sale) as lines of their own kind, priced as any line.
 *
 * What it comes to is then checked against Shopify's currentTotalPriceSet (totalMismatch).
 */

const ZERO = new Prisma.Decimal(0);
const CENT = new Prisma.Decimal("0.01");
const cents = (value: Prisma.Decimal) => value.toDecimalPlaces(2, Prisma.Decimal.ROUND_HALF_UP);

export interface TaxLine {
  title: string;
  rate: number;
  price: string;
}

export interface AmountLine {
  kind: "product" | "gift_card" | "shipping" | "tip";
  /** The staged line it comes from (product, gift-card and tip lines), or shipping line. */
  shopifyLineId: bigint | null;
  description: string;
  quantity: number;
  /** Including tax when the document's prices include tax. */
  unitPrice: Prisma.Decimal;
  discountAmount: Prisma.Decimal;
  taxAmount: Prisma.Decimal;
  /** After discount, before tax. */
  amount: Prisma.Decimal;
}

export interface DocumentAmounts {
  pricesIncludingTax: boolean;
  lines: AmountLine[];
  amount: Prisma.Decimal;
  taxAmount: Prisma.Decimal;
  amountIncludingTax: Prisma.Decimal;
}

type Order = Pick<ShopifyOrder, "taxesIncluded" | "currentTaxLines" | "currentSubtotal">;
type Line = Pick<
  ShopifyOrderLine,
  | "shopifyId"
  | "title"
  | "variantTitle"
  | "quantity"
  | "currentQuantity"
  | "isGiftCard"
  | "isTip"
  | "unitPrice"
  | "discountAmount"
  | "taxAmount"
  | "taxLines"
  | "unitPriceAfterDiscounts"
>;
type Shipping = Pick<
  ShopifyShippingLine,
  "shopifyId" | "title" | "removed" | "price" | "discountAmount" | "taxAmount" | "taxLines"
>;

const taxKey = (tax: TaxLine) => `${tax.title}|${tax.rate}`;
const taxLinesOf = (value: unknown): TaxLine[] => (Array.isArray(value) ? (value as TaxLine[]) : []);

export function lineDescription(line: Pick<Line, "title" | "variantTitle">): string {
  return line.variantTitle ? `${line.title} - ${line.variantTitle}` : line.title;
}

/** Net and gross of a line from its total after discount and its tax, by the document's basis. */
function priced(
  base: Omit<AmountLine, "amount" | "taxAmount">,
  taxAmount: Prisma.Decimal,
  taxesIncluded: boolean,
): AmountLine {
  const total = base.unitPrice.times(base.quantity).minus(base.discountAmount);
  return { ...base, taxAmount, amount: taxesIncluded ? total.minus(taxAmount) : total };
}

/**
 * Each remaining line's tax: its own tax lines when no unit was removed; for a line that lost
 * units, each tax line's share for what remains, and then, per tax title and rate, the cents
 * that Shopify's currentTaxLines say remain beyond the whole lines and shipping go to the
 * edited line carrying most of that tax (rounding the shares line by line can be a cent off).
 */
function lineTaxes(order: Order, lines: Line[], shipping: Shipping[]): Map<bigint, Prisma.Decimal> {
  const byLine = new Map<bigint, Map<string, Prisma.Decimal>>();
  const whole = new Map<string, Prisma.Decimal>();
  const add = (map: Map<string, Prisma.Decimal>, key: string, value: Prisma.Decimal) =>
    map.set(key, (map.get(key) ?? ZERO).plus(value));
  for (const line of shipping.filter((s) => !s.removed))
    for (const tax of taxLinesOf(line.taxLines)) add(whole, taxKey(tax), new Prisma.Decimal(tax.price));
  const edited: Line[] = [];
  for (const line of lines) {
    const taxes = new Map<string, Prisma.Decimal>();
    const removed = line.currentQuantity !== line.quantity;
    for (const tax of taxLinesOf(line.taxLines)) {
      const price = new Prisma.Decimal(tax.price);
      const share = removed
        ? line.quantity > 0
          ? cents(price.times(line.currentQuantity).dividedBy(line.quantity))
          : ZERO
        : price;
      add(taxes, taxKey(tax), share);
      if (!removed) add(whole, taxKey(tax), price);
    }
    if (removed && line.currentQuantity > 0) edited.push(line);
    byLine.set(line.shopifyId, taxes);
  }
  for (const current of taxLinesOf(order.currentTaxLines)) {
    const key = taxKey(current);
    const carriers = edited.filter((line) => byLine.get(line.shopifyId)?.has(key));
    if (carriers.length === 0) continue;
    const shares = carriers.reduce((total, line) => total.plus(byLine.get(line.shopifyId)!.get(key)!), ZERO);
    const left = new Prisma.Decimal(current.price).minus(whole.get(key) ?? ZERO).minus(shares);
    // Rounding cents only: a larger gap is a real disagreement, for the total check to state.
    if (left.isZero() || left.abs().greaterThan(CENT.times(carriers.length))) continue;
    const largest = carriers.reduce((a, b) =>
      byLine.get(b.shopifyId)!.get(key)!.greaterThan(byLine.get(a.shopifyId)!.get(key)!) ? b : a,
    );
    add(byLine.get(largest.shopifyId)!, key, left);
  }
  return new Map(
    [...byLine].map(([id, taxes]) => [
      id,
      [...taxes.values()].reduce((total, value) => total.plus(value), ZERO),
    ]),
  );
}

/**
 * Each remaining line's discount: Shopify's allocation when no unit was removed; for a line
 * that lost units, (originalUnitPrice − discountedUnitPriceAfterAllDiscounts) × what remains.
 * That unit price is "approximate" (a discount that does not divide by the units is rounded
 * per unit), so the cents that Shopify's currentSubtotalPriceSet says beyond the lines go to
 * the edited line with the largest discount.
 */
function lineDiscounts(order: Order, lines: Line[]): Map<bigint, Prisma.Decimal> {
  const discounts = new Map<bigint, Prisma.Decimal>();
  const edited: Line[] = [];
  for (const line of lines) {
    if (line.currentQuantity <= 0) continue;
    const removed = line.currentQuantity !== line.quantity;
    if (removed) edited.push(line);
    discounts.set(
      line.shopifyId,
      !removed
        ? line.discountAmount
        : line.unitPriceAfterDiscounts !== null
          ? line.unitPrice.minus(line.unitPriceAfterDiscounts).times(line.currentQuantity)
          : cents(line.discountAmount.times(line.currentQuantity).dividedBy(line.quantity)),
    );
  }
  if (order.currentSubtotal === null || edited.length === 0) return discounts;
  // The subtotal is the goods' (not the tip's) after discounts, tax included when prices include it.
  const subtotal = lines
    .filter((line) => line.currentQuantity > 0 && !line.isTip)
    .reduce(
      (total, line) =>
        total.plus(line.unitPrice.times(line.currentQuantity)).minus(discounts.get(line.shopifyId)!),
      ZERO,
    );
  const over = subtotal.minus(order.currentSubtotal);
  if (over.isZero() || over.abs().greaterThan(CENT.times(edited.length))) return discounts;
  const largest = edited.reduce((a, b) =>
    discounts.get(b.shopifyId)!.greaterThan(discounts.get(a.shopifyId)!) ? b : a,
  );
  discounts.set(largest.shopifyId, discounts.get(largest.shopifyId)!.plus(over));
  return discounts;
}

export function documentAmounts(order: Order, lines: Line[], shippingLines: Shipping[]): DocumentAmounts {
  const taxesIncluded = order.taxesIncluded;
  const taxes = lineTaxes(order, lines, shippingLines);
  const discounts = lineDiscounts(order, lines);
  const result: AmountLine[] = [];
  for (const line of lines) {
    if (line.currentQuantity <= 0) continue;
    const discountAmount = discounts.get(line.shopifyId) ?? ZERO;
    result.push(
      priced(
        {
          kind: line.isTip ? "tip" : line.isGiftCard ? "gift_card" : "product",
          shopifyLineId: line.shopifyId,
          description: lineDescription(line),
          quantity: line.currentQuantity,
          unitPrice: line.unitPrice,
          discountAmount,
        },
        taxes.get(line.shopifyId) ?? ZERO,
        taxesIncluded,
      ),
    );
  }
  for (const line of shippingLines) {
    if (line.removed) continue;
    result.push(
      priced(
        {
          kind: "shipping",
          shopifyLineId: line.shopifyId,
          description: `Shipping: ${line.title}`,
          quantity: 1,
          unitPrice: line.price,
          discountAmount: line.discountAmount,
        },
        line.taxAmount,
        taxesIncluded,
      ),
    );
  }
  const amount = result.reduce((total, line) => total.plus(line.amount), ZERO);
  const taxAmount = result.reduce((total, line) => total.plus(line.taxAmount), ZERO);
  return {
    pricesIncludingTax: taxesIncluded,
    lines: result,
    amount,
    taxAmount,
    amountIncludingTax: amount.plus(taxAmount),
  };
}

type Totals = Pick<
  ShopifyOrder,
  | "currencyCode"
  | "currentTotalPrice"
  | "totalPrice"
  | "currentSubtotal"
  | "currentShipping"
  | "currentTotalTax"
  | "subtotal"
  | "totalShipping"
  | "totalTax"
  | "totalDiscounts"
  | "taxesIncluded"
>;

/** Shopify's current total: currentTotalPriceSet, or (orders staged before it was read) totalPrice. */
export function shopifyTotal(order: Pick<ShopifyOrder, "currentTotalPrice" | "totalPrice">): Prisma.Decimal {
  return order.currentTotalPrice ?? order.totalPrice;
}

/**
 * Null when the document comes to Shopify's current total to the cent; else the difference in
 * words, with the parts on both sides, for the order's hold.
 */
export function totalMismatch(order: Totals, amounts: DocumentAmounts): string | null {
  const expected = shopifyTotal(order);
  const total = cents(amounts.amountIncludingTax);
  if (total.equals(expected)) return null;
  const currency = order.currencyCode;
  const sum = (kinds: AmountLine["kind"][], pick: (line: AmountLine) => Prisma.Decimal) =>
    amounts.lines.filter((line) => kinds.includes(line.kind)).reduce((t, line) => t.plus(pick(line)), ZERO);
  const gross = (line: AmountLine) =>
    amounts.pricesIncludingTax ? line.amount.plus(line.taxAmount) : line.amount;
  const difference = total.minus(expected);
  const ours = [
    `lines ${sum(["product", "gift_card"], gross).toFixed(2)}`,
    `shipping ${sum(["shipping"], gross).toFixed(2)}`,
    `tax ${amounts.taxAmount.toFixed(2)}`,
  ];
  const tip = sum(["tip"], gross);
  if (!tip.isZero()) ours.push(`tip ${tip.toFixed(2)}`);
  const theirs = [
    `subtotal ${(order.currentSubtotal ?? order.subtotal).toFixed(2)}`,
    `shipping ${(order.currentShipping ?? order.totalShipping).toFixed(2)}`,
    `tax ${(order.currentTotalTax ?? order.totalTax).toFixed(2)}${order.taxesIncluded ? " (included)" : ""}`,
  ];
  return (
    `the document would come to ${total.toFixed(2)} ${currency} but Shopify's current total is ` +
    `${expected.toFixed(2)} ${currency} (${difference.abs().toFixed(2)} ${difference.isPositive() ? "more" : "less"} ` +
    `on the document; here ${ours.join(", ")}; Shopify ${theirs.join(", ")}). ` +
    `Nothing was booked; process the order again once Shopify and the back office agree.`
  );
}
