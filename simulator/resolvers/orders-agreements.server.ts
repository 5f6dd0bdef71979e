import { gid, type ShopState } from "../state/shop-state.server";
import type {
  AgreementRecord,
  LineItemRecord,
  MoneyPairRecord,
  OrderRecord,
  SaleRecord,
  ShippingLineRecord,
  TaxLine,
} from "../state/records.server";
import { connection, type ConnectionArgs } from "./connection.server";
import { iso } from "./context.server";
import { inPresentment, presentmentCurrency } from "./orders-currency.server";
import { lineAmounts, shippingAmounts } from "./orders-money.server";
import { decimal, fromCents, toCents } from "./money.server";

/**
 * Sales agreements (Order.agreements, https://shopify.dev/docs/api/admin-graphql/2026-07/interfaces/SalesAgreement):
 * "Shopify creates a sales agreement whenever an order is placed, edited, or refunded", with
 * one sale per line (ProductSale, GiftCardSale, TipSale, ShippingLineSale). A sale's amounts
 * are frozen when it happens, in both currencies; removals and returns are negative.
 */

export interface SaleFigures {
  total: number;
  discount: number;
  tax: number;
  taxes: TaxLine[];
}

function pair(shop: number, presentment: number): MoneyPairRecord {
  return { shop: fromCents(shop), presentment: fromCents(presentment) };
}

function lineType(line: LineItemRecord): SaleRecord["lineType"] {
  if (line.tip) return "TIP";
  return line.giftCard ? "GIFT_CARD" : "PRODUCT";
}

/** What units of a line came to: their share of its discount, its taxes and the total after both. */
export function lineFigures(line: LineItemRecord, order: OrderRecord, units: number): SaleFigures {
  const amounts = lineAmounts(line, order);
  const share = (cents: number) => (line.quantity > 0 ? Math.round((cents * units) / line.quantity) : 0);
  const discount = share(amounts.discount);
  const taxes = line.taxLines.map((tax) => ({ ...tax, price: fromCents(share(toCents(tax.price))) }));
  const tax = taxes.reduce((sum, entry) => sum + toCents(entry.price), 0);
  const net = amounts.originalUnit * units - discount;
  return { total: net + (order.taxesIncluded ? 0 : tax), discount, tax, taxes };
}

function shippingFigures(line: ShippingLineRecord, order: OrderRecord): SaleFigures {
  const amounts = shippingAmounts(line);
  return {
    total: amounts.discounted + (order.taxesIncluded ? 0 : amounts.tax),
    discount: amounts.discount,
    tax: amounts.tax,
    taxes: line.taxLines,
  };
}

/** A sale from the same figures in both currencies; `sign` -1 for removals and returns. */
export function saleRecord(
  shop: ShopState,
  fields: Pick<SaleRecord, "lineType" | "actionType" | "lineItemId" | "shippingLineId" | "quantity">,
  inShop: SaleFigures,
  inPresentmentCurrency: SaleFigures,
  sign: 1 | -1,
): SaleRecord {
  return {
    id: shop.newId(),
    ...fields,
    totalAmount: pair(sign * inShop.total, sign * inPresentmentCurrency.total),
    totalDiscountAmount: pair(sign * inShop.discount, sign * inPresentmentCurrency.discount),
    totalTaxAmount: pair(sign * inShop.tax, sign * inPresentmentCurrency.tax),
    taxes: inShop.taxes.map((tax, i) => ({
      id: shop.newId(),
      title: tax.title,
      rate: tax.rate,
      amount: pair(
        sign * toCents(tax.price),
        sign * toCents(inPresentmentCurrency.taxes[i]?.price ?? tax.price),
      ),
    })),
  };
}

/** A sale for `units` of a line, ordered (ORDER), added or removed in an edit (UPDATE) or returned. */
export function lineSale(
  shop: ShopState,
  order: OrderRecord,
  line: LineItemRecord,
  units: number,
  actionType: SaleRecord["actionType"],
): SaleRecord {
  const presented = inPresentment(order);
  const index = order.lineItems.indexOf(line);
  const presentedLine = presented.lineItems[index] ?? line;
  const magnitude = Math.abs(units);
  return saleRecord(
    shop,
    { lineType: lineType(line), actionType, lineItemId: line.id, shippingLineId: null, quantity: units },
    lineFigures(line, order, magnitude),
    lineFigures(presentedLine, presented, magnitude),
    units < 0 ? -1 : 1,
  );
}

/** The agreement of an order's placement: a sale per line and per shipping line. */
export function orderAgreement(shop: ShopState, order: OrderRecord): AgreementRecord {
  const presented = inPresentment(order);
  return {
    id: shop.newId(),
    reason: "ORDER",
    happenedAt: order.processedAt,
    refundId: null,
    sales: [
      ...order.lineItems.map((line) => lineSale(shop, order, line, line.quantity, "ORDER")),
      ...order.shippingLines.map((line, i) =>
        saleRecord(
          shop,
          {
            lineType: "SHIPPING",
            actionType: "ORDER",
            lineItemId: null,
            shippingLineId: line.id,
            quantity: 1,
          },
          shippingFigures(line, order),
          shippingFigures(presented.shippingLines[i] ?? line, presented),
          1,
        ),
      ),
    ],
  };
}

const SALE_TYPENAME: Record<SaleRecord["lineType"], string> = {
  PRODUCT: "ProductSale",
  TIP: "TipSale",
  GIFT_CARD: "GiftCardSale",
  SHIPPING: "ShippingLineSale",
};

const AGREEMENT_TYPENAME: Record<AgreementRecord["reason"], string> = {
  ORDER: "OrderAgreement",
  ORDER_EDIT: "OrderEditAgreement",
  REFUND: "RefundAgreement",
};

function bagOf(amount: MoneyPairRecord, order: OrderRecord) {
  return {
    shopMoney: { amount: decimal(amount.shop), currencyCode: order.currencyCode },
    presentmentMoney: { amount: decimal(amount.presentment), currencyCode: presentmentCurrency(order) },
  };
}

export interface AgreementViewDeps {
  lineItem: (id: number) => unknown;
  shippingLine: (id: number) => unknown;
  taxLine: (line: TaxLine) => unknown;
  order: () => unknown;
  refund: (id: number) => unknown;
}

function saleView(sale: SaleRecord, order: OrderRecord, deps: AgreementViewDeps) {
  const view: Record<string, unknown> = {
    __typename: SALE_TYPENAME[sale.lineType],
    id: gid("Sale", sale.id),
    actionType: sale.actionType,
    lineType: sale.lineType,
    quantity: sale.quantity,
    totalAmount: bagOf(sale.totalAmount, order),
    totalDiscountAmountBeforeTaxes: bagOf(sale.totalDiscountAmount, order),
    // The simulator keeps one discount figure: a discount's own tax is not modelled.
    totalDiscountAmountAfterTaxes: bagOf(sale.totalDiscountAmount, order),
    totalTaxAmount: bagOf(sale.totalTaxAmount, order),
    taxes: sale.taxes.map((tax) => ({
      id: gid("SaleTax", tax.id),
      amount: bagOf(tax.amount, order),
      taxLine: deps.taxLine({
        title: tax.title,
        rate: tax.rate,
        price: tax.amount.shop,
        presentmentPrice: tax.amount.presentment,
      }),
    })),
  };
  if (sale.lineItemId !== null) view.lineItem = () => deps.lineItem(sale.lineItemId!);
  if (sale.shippingLineId !== null) view.shippingLine = () => deps.shippingLine(sale.shippingLineId!);
  return view;
}

export function agreementView(agreement: AgreementRecord, order: OrderRecord, deps: AgreementViewDeps) {
  const view: Record<string, unknown> = {
    __typename: AGREEMENT_TYPENAME[agreement.reason],
    id: gid("SalesAgreement", agreement.id),
    happenedAt: iso(agreement.happenedAt),
    reason: agreement.reason,
    app: null,
    user: null,
    sales: (args: ConnectionArgs) =>
      connection(
        agreement.sales,
        args,
        (sale) => sale.id,
        (sale) => saleView(sale, order, deps),
      ),
  };
  if (agreement.reason === "ORDER") view.order = deps.order;
  if (agreement.reason === "REFUND" && agreement.refundId !== null)
    view.refund = () => deps.refund(agreement.refundId!);
  return view;
}
