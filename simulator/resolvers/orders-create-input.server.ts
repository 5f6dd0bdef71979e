import type { ShopState } from "../state/shop-state.server";
import type {
  DiscountApplication,
  LineItemRecord,
  OrderRecord,
  ShippingLineRecord,
  TaxLine,
  TransactionRecord,
} from "../state/records.server";
import type { AddressInput } from "./addresses.server";
import { allocate, fromCents, sumCents, taxAt, toCents } from "./money.server";

/**
 * The input of `orderCreate` as the resolvers read it (OrderCreateOrderInput and its parts,
 * https://shopify.dev/docs/api/admin-graphql/2026-07/input-objects/OrderCreateOrderInput),
 * and the pieces of building an order from it: tax lines, the discount code's allocations,
 * and the location a line is fulfilled from.
 */

export interface MoneyInput {
  amount: string | number;
  currencyCode: string;
}
export interface MoneyBagInput {
  shopMoney: MoneyInput;
  /** "If this isn't given then we assume that the presentment currency is the same as the shop's currency." */
  presentmentMoney?: MoneyInput | null;
}
export interface TaxLineInput {
  title: string;
  rate: string | number;
  priceSet?: MoneyBagInput | null;
}
export interface LineItemInput {
  variantId?: string | null;
  productId?: string | null;
  title?: string | null;
  variantTitle?: string | null;
  sku?: string | null;
  vendor?: string | null;
  quantity: number;
  priceSet?: MoneyBagInput | null;
  taxable?: boolean | null;
  requiresShipping?: boolean | null;
  giftCard?: boolean | null;
  taxLines?: TaxLineInput[] | null;
}
export interface OrderCreateInput {
  lineItems?: LineItemInput[] | null;
  customer?: {
    toAssociate?: { id?: string | null; email?: string | null } | null;
    toUpsert?:
      (Record<string, unknown> & { id?: string | null; email?: string | null; phone?: string | null }) | null;
  } | null;
  customerId?: string | null;
  email?: string | null;
  phone?: string | null;
  billingAddress?: AddressInput | null;
  shippingAddress?: AddressInput | null;
  shippingLines?:
    | {
        title: string;
        code?: string | null;
        source?: string | null;
        priceSet: MoneyBagInput;
        taxLines?: TaxLineInput[] | null;
      }[]
    | null;
  transactions?:
    | {
        amountSet: MoneyBagInput;
        kind?: TransactionRecord["kind"] | null;
        status?: TransactionRecord["status"] | null;
        gateway?: string | null;
        giftCardId?: string | null;
        processedAt?: string | null;
        test?: boolean | null;
      }[]
    | null;
  taxLines?: TaxLineInput[] | null;
  discountCode?: {
    itemFixedDiscountCode?: { code: string; amountSet?: MoneyBagInput | null } | null;
    itemPercentageDiscountCode?: { code: string; percentage?: number | null } | null;
    freeShippingDiscountCode?: { code: string } | null;
  } | null;
  financialStatus?: OrderRecord["displayFinancialStatus"] | null;
  fulfillmentStatus?: "FULFILLED" | "PARTIAL" | "RESTOCKED" | null;
  fulfillment?: {
    locationId: string;
    trackingCompany?: string | null;
    trackingNumber?: string | null;
    notifyCustomer?: boolean | null;
  } | null;
  name?: string | null;
  note?: string | null;
  tags?: string[] | null;
  sourceName?: string | null;
  currency?: string | null;
  presentmentCurrency?: string | null;
  processedAt?: string | null;
  closedAt?: string | null;
  taxesIncluded?: boolean | null;
  test?: boolean | null;
  /** "The ID of the purchasing company's location for the order." */
  companyLocationId?: string | null;
  /** "The purchase order number associated to this order." */
  poNumber?: string | null;
}

export function amountOf(input: MoneyBagInput | null | undefined): number {
  return toCents(input?.shopMoney.amount ?? 0);
}

/**
 * A tax line of the input: its stated amount (priceSet: "The amount added to the order for
 * this tax ... after discounts are applied"), else `rate` of the base it taxes, which is the
 * amount after discounts; when prices include taxes, the part of the base that is tax.
 */
export function taxLine(input: TaxLineInput, base: number, taxesIncluded: boolean): TaxLine {
  const rate = Number(input.rate);
  const price = input.priceSet ? amountOf(input.priceSet) : taxAt(base, input.rate, taxesIncluded);
  return { title: input.title, rate, price: fromCents(price) };
}

/**
 * Applies the one discount code: its application (index 0) and allocations. A code never
 * discounts a gift card ("discount codes can't be applied to gift cards", Shopify Help Center,
 * Gift cards) nor a tip.
 */
export function applyDiscount(
  input: OrderCreateInput,
  lines: LineItemRecord[],
  shipping: ShippingLineRecord[],
): DiscountApplication[] {
  const code = input.discountCode;
  if (!code) return [];
  const totals = lines.map((line) => (line.giftCard || line.tip ? 0 : toCents(line.price) * line.quantity));
  if (code.itemFixedDiscountCode) {
    const amount = Math.min(amountOf(code.itemFixedDiscountCode.amountSet), sumCents(totals));
    allocate(amount, totals).forEach((share, i) => {
      if (share > 0)
        lines[i]!.discountAllocations.push({ amount: fromCents(share), discountApplicationIndex: 0 });
    });
    return [
      {
        index: 0,
        type: "DISCOUNT_CODE",
        code: code.itemFixedDiscountCode.code,
        title: code.itemFixedDiscountCode.code,
        valueType: "FIXED_AMOUNT",
        value: fromCents(amount),
        allocationMethod: "ACROSS",
        targetSelection: "ALL",
        targetType: "LINE_ITEM",
      },
    ];
  }
  if (code.itemPercentageDiscountCode) {
    const percentage = Math.min(100, Math.max(0, code.itemPercentageDiscountCode.percentage ?? 0));
    totals.forEach((total, i) => {
      const share = Math.round((total * percentage) / 100);
      if (share > 0)
        lines[i]!.discountAllocations.push({ amount: fromCents(share), discountApplicationIndex: 0 });
    });
    return [
      {
        index: 0,
        type: "DISCOUNT_CODE",
        code: code.itemPercentageDiscountCode.code,
        title: code.itemPercentageDiscountCode.code,
        valueType: "PERCENTAGE",
        value: String(percentage),
        allocationMethod: "ACROSS",
        targetSelection: "ALL",
        targetType: "LINE_ITEM",
      },
    ];
  }
  if (code.freeShippingDiscountCode) {
    for (const line of shipping)
      if (toCents(line.price) > 0)
        line.discountAllocations.push({ amount: line.price, discountApplicationIndex: 0 });
    return [
      {
        index: 0,
        type: "DISCOUNT_CODE",
        code: code.freeShippingDiscountCode.code,
        title: code.freeShippingDiscountCode.code,
        valueType: "PERCENTAGE",
        value: "100",
        allocationMethod: "EACH",
        targetSelection: "ALL",
        targetType: "SHIPPING_LINE",
      },
    ];
  }
  return [];
}

/** Where a line is fulfilled from: a location stocking the variant (enough if any has), else the first active one. */
export function locationFor(shop: ShopState, line: LineItemRecord): number | null {
  const active = [...shop.locations.values()].filter((location) => location.isActive);
  const variant = line.variantId === null ? undefined : shop.variants.get(line.variantId);
  if (variant) {
    const stocked = active.filter((location) => shop.inventoryLevel(variant.inventoryItemId, location.id));
    const enough = stocked.find(
      (location) =>
        (shop.inventoryLevel(variant.inventoryItemId, location.id)?.quantities.available ?? 0) >=
        line.quantity,
    );
    const chosen = enough ?? stocked[0];
    if (chosen) return chosen.id;
  }
  return (active.find((location) => location.fulfillsOnlineOrders) ?? active[0])?.id ?? null;
}
