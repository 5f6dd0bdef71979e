import { gid, type ShopState } from "../state/shop-state.server";
import type {
  FulfillmentOrderRecord,
  FulfillmentRecord,
  OrderRecord,
  TaxLine,
} from "../state/records.server";
import { connection, type ConnectionArgs } from "./connection.server";
import { iso } from "./context.server";
import { customerView } from "./customers-views.server";
import { companyLocationView, companyView, contactView } from "./b2b-company-views.server";
import { paymentTermsView } from "./b2b-payment-terms.server";
import { fulfillmentOrderView, fulfillmentView } from "./fulfillments-views.server";
import { mailingAddressView, orderAddressId } from "./addresses.server";
import { agreementView } from "./orders-agreements.server";
import { inPresentment, presentmentCurrency } from "./orders-currency.server";
import {
  discountApplicationView,
  lineItemView,
  moneyV2,
  pairBag,
  refundView,
  shippingLineView,
  taxLineView,
  taxLineViews,
  transactionView,
} from "./orders-line-views.server";
import { orderTotals, shippingAmounts, type OrderTotals } from "./orders-money.server";
import { fromCents, toCents } from "./money.server";
import { confirmationNumber, fulfilledQuantities, orderToken } from "./orders-state.server";

/**
 * The Order view (https://shopify.dev/docs/api/admin-graphql/2026-07/objects/Order): the
 * fields an order sync reads, with the totals computed from the lines as Shopify states them
 * in the shop's and the presentment currency (MoneyBags), and the deprecated `Money` scalar
 * totals (totalPrice, subtotalPrice...: "in shop currency") beside them.
 */

/**
 * Tax lines summed by title and rate, as Order.taxLines aggregates the lines' taxes; current:
 * "after returns", a line's taxes for its current quantity and shipping's less what was refunded.
 */
export function aggregateTaxLines(order: OrderRecord, current: boolean): TaxLine[] {
  const sums = new Map<string, TaxLine & { cents: number }>();
  const add = (line: TaxLine, factor: number) => {
    const key = `${line.title}|${line.rate}`;
    const entry = sums.get(key) ?? { ...line, cents: 0 };
    entry.cents += Math.round(toCents(line.price) * factor);
    sums.set(key, entry);
  };
  for (const item of order.lineItems) {
    const factor = current ? (item.quantity > 0 ? item.currentQuantity / item.quantity : 0) : 1;
    for (const tax of item.taxLines) add(tax, factor);
  }
  for (const shipping of order.shippingLines) {
    const discounted = shippingAmounts(shipping).discounted;
    const refunded = order.refunds
      .flatMap((refund) => refund.refundShippingLines ?? [])
      .filter((item) => item.shippingLineId === shipping.id)
      .reduce((sum, item) => sum + toCents(item.subtotal), 0);
    const factor = current && refunded > 0 ? Math.max(0, discounted - refunded) / (discounted || 1) : 1;
    for (const tax of shipping.taxLines) add(tax, factor);
  }
  return [...sums.values()].map((entry) => ({
    title: entry.title,
    rate: entry.rate,
    price: fromCents(entry.cents),
  }));
}

/** The aggregated tax lines with their presentment amounts, for TaxLine views. */
function taxLinesView(order: OrderRecord, current: boolean) {
  const inShop = aggregateTaxLines(order, current);
  const presented = aggregateTaxLines(inPresentment(order), current);
  return inShop.map((line, i) => taxLineView(line, order, presented[i]));
}

function fulfillmentsOf(shop: ShopState, order: OrderRecord): FulfillmentRecord[] {
  return order.fulfillmentIds
    .map((id) => shop.fulfillments.get(id))
    .filter((fulfillment): fulfillment is FulfillmentRecord => fulfillment !== undefined);
}

function fulfillmentOrdersOf(shop: ShopState, order: OrderRecord): FulfillmentOrderRecord[] {
  return order.fulfillmentOrderIds
    .map((id) => shop.fulfillmentOrders.get(id))
    .filter((fo): fo is FulfillmentOrderRecord => fo !== undefined);
}

export function orderView(shop: ShopState, order: OrderRecord): Record<string, unknown> {
  const currency = order.currencyCode;
  const totals = orderTotals(order);
  const presentedTotals = orderTotals(inPresentment(order));
  const fulfilled = fulfilledQuantities(shop, order);
  const self = () => orderView(shop, order);
  const fulfillments = fulfillmentsOf(shop, order);
  const gateways = [...new Set(order.transactions.map((transaction) => transaction.gateway))];
  const shippingAddress = order.shippingAddress
    ? mailingAddressView(order.shippingAddress, orderAddressId(order.id, "shipping"))
    : null;
  const billingAddress = order.billingAddress
    ? mailingAddressView(order.billingAddress, orderAddressId(order.id, "billing"))
    : null;
  const set = (figure: (t: OrderTotals) => number) => pairBag(figure(totals), figure(presentedTotals), order);
  const open = !order.cancelledAt && !order.closedAt;
  const lineView = (id: number) => {
    const line = order.lineItems.find((candidate) => candidate.id === id);
    return line ? lineItemView(shop, order, line, fulfilled) : null;
  };
  return {
    __typename: "Order",
    id: gid("Order", order.id),
    legacyResourceId: String(order.id),
    name: order.name,
    number: order.number - 1000,
    email: order.email,
    phone: order.phone,
    createdAt: iso(order.createdAt),
    updatedAt: iso(order.updatedAt),
    processedAt: iso(order.processedAt),
    cancelledAt: iso(order.cancelledAt),
    cancelReason: order.cancelReason,
    closed: order.closedAt !== null,
    closedAt: iso(order.closedAt),
    confirmed: true,
    confirmationNumber: confirmationNumber(order.id),
    displayFinancialStatus: order.displayFinancialStatus,
    displayFulfillmentStatus: order.displayFulfillmentStatus,
    currencyCode: currency,
    presentmentCurrencyCode: presentmentCurrency(order),
    taxesIncluded: order.taxesIncluded,
    taxExempt: false,
    dutiesIncluded: false,
    estimatedTaxes: false,
    tags: order.tags,
    note: order.note,
    sourceName: order.sourceName,
    sourceIdentifier: null,
    poNumber: order.poNumber ?? null,
    test: order.test,
    edited: order.lineItems.some((line) => line.currentQuantity !== line.quantity),
    customerLocale: "en",
    customerAcceptsMarketing: false,
    clientIp: null,
    cartToken: null,
    checkoutToken: null,
    hasTimelineComment: false,
    merchantEditable: open,
    merchantEditableErrors: [],
    canNotifyCustomer: order.email !== null,
    customAttributes: [],
    app: null,
    channelInformation: null,
    publication: null,
    retailLocation: null,
    physicalLocation: null,
    paymentTerms: order.paymentTerms
      ? paymentTermsView(order, order.paymentTerms, () => orderView(shop, order))
      : null,
    purchasingEntity: () => purchasingCompanyView(shop, order),
    staffMember: null,
    statusPageUrl: `https://${shop.domain}/${shop.name}/orders/${orderToken(order.id)}/authenticate?key=${orderToken(order.id + 1)}`,
    customer: () => {
      const customer = order.customerId === null ? undefined : shop.customers.get(order.customerId);
      return customer ? customerView(shop, customer) : null;
    },
    shippingAddress,
    billingAddress,
    displayAddress: billingAddress ?? shippingAddress,
    billingAddressMatchesShippingAddress:
      JSON.stringify(order.billingAddress) === JSON.stringify(order.shippingAddress),
    requiresShipping: order.lineItems.some((line) => line.requiresShipping && line.currentQuantity > 0),
    fulfillable: open && order.lineItems.some((line) => line.currentQuantity > (fulfilled.get(line.id) ?? 0)),
    restockable: order.lineItems.some((line) => line.variantId !== null),
    refundable: totals.net > 0,
    fullyPaid: totals.outstanding <= 0,
    unpaid: totals.received === 0,
    capturable: totals.capturable > 0,
    canMarkAsPaid:
      !order.cancelledAt &&
      totals.outstanding > 0 &&
      !["PAID", "REFUNDED", "PARTIALLY_REFUNDED"].includes(order.displayFinancialStatus),
    paymentGatewayNames: gateways,
    subtotalLineItemsQuantity: totals.lineItemsQuantity,
    currentSubtotalLineItemsQuantity: totals.currentLineItemsQuantity,
    totalWeight: "0",
    currentTotalWeight: "0",
    // MoneyBags
    subtotalPriceSet: set((t) => t.subtotal),
    currentSubtotalPriceSet: set((t) => t.currentSubtotal),
    totalShippingPriceSet: set((t) => t.shipping),
    currentShippingPriceSet: set((t) => t.currentShipping),
    totalTaxSet: set((t) => t.tax),
    currentTotalTaxSet: set((t) => t.currentTax),
    totalDiscountsSet: set((t) => t.discounts),
    currentTotalDiscountsSet: set((t) => t.currentDiscounts),
    cartDiscountAmountSet: set((t) => t.lineDiscounts),
    currentCartDiscountAmountSet: set((t) => t.currentLineDiscounts),
    totalPriceSet: set((t) => t.total),
    originalTotalPriceSet: set((t) => t.total),
    currentTotalPriceSet: set((t) => t.currentTotal),
    totalOutstandingSet: set((t) => t.outstanding),
    totalReceivedSet: set((t) => t.received),
    totalRefundedSet: set((t) => t.refunded),
    totalRefundedShippingSet: set((t) => t.refundedShipping),
    netPaymentSet: set((t) => t.net),
    totalCapturableSet: set((t) => t.capturable),
    totalTipReceivedSet: set((t) => t.tip),
    refundDiscrepancySet: pairBag(0, 0, order),
    currentTotalDutiesSet: null,
    originalTotalDutiesSet: null,
    currentTotalAdditionalFeesSet: null,
    originalTotalAdditionalFeesSet: null,
    additionalFees: [],
    // The deprecated Money scalars (two-decimal strings, shop currency) that older queries still read.
    subtotalPrice: fromCents(totals.subtotal),
    totalShippingPrice: fromCents(totals.shipping),
    totalTax: fromCents(totals.tax),
    totalDiscounts: fromCents(totals.discounts),
    totalPrice: fromCents(totals.total),
    totalReceived: fromCents(totals.received),
    totalRefunded: fromCents(totals.refunded),
    totalCapturable: fromCents(totals.capturable),
    netPayment: fromCents(totals.net),
    cartDiscountAmount: fromCents(totals.lineDiscounts),
    totalTipReceived: moneyV2(totals.tip, currency),
    discountCode: order.discountCodes[0] ?? null,
    discountCodes: order.discountCodes,
    discountApplications: (args: ConnectionArgs) =>
      connection(
        order.discountApplications,
        args,
        (application) => application.index,
        (application) => discountApplicationView(application, currency),
      ),
    taxLines: taxLinesView(order, false),
    currentTaxLines: taxLinesView(order, true),
    agreements: (args: ConnectionArgs) =>
      connection(
        order.agreements ?? [],
        args,
        (agreement) => agreement.id,
        (agreement) =>
          agreementView(agreement, order, {
            lineItem: lineView,
            shippingLine: (id) => {
              const line = order.shippingLines.find((candidate) => candidate.id === id);
              return line ? shippingLineView(order, line) : null;
            },
            taxLine: (line) => taxLineViews([line], order)[0],
            order: self,
            refund: (id) => {
              const refund = order.refunds.find((candidate) => candidate.id === id);
              return refund ? refundView(shop, order, refund, fulfilled, self) : null;
            },
          }),
      ),
    lineItems: (args: ConnectionArgs) =>
      connection(
        order.lineItems,
        args,
        (line) => line.id,
        (line) => lineItemView(shop, order, line, fulfilled),
      ),
    shippingLine: order.shippingLines[0] ? shippingLineView(order, order.shippingLines[0]) : null,
    shippingLines: (args: ConnectionArgs) =>
      connection(
        order.shippingLines,
        args,
        (line) => line.id,
        (line) => shippingLineView(order, line),
      ),
    transactions: (args: { first?: number | null; capturable?: boolean | null }) =>
      order.transactions
        .map((transaction) => transactionView(order, transaction, self))
        .filter((view) => args.capturable == null || (view.manuallyCapturable === true) === args.capturable)
        .slice(0, args.first ?? undefined),
    transactionsCount: { count: order.transactions.length, precision: "EXACT" },
    refunds: (args: { first?: number | null }) =>
      order.refunds
        .slice(0, args.first ?? undefined)
        .map((refund) => refundView(shop, order, refund, fulfilled, self)),
    fulfillmentOrders: (args: ConnectionArgs) =>
      connection(
        fulfillmentOrdersOf(shop, order),
        args,
        (fo) => fo.id,
        (fo) => fulfillmentOrderView(shop, fo),
      ),
    fulfillments: (args: { first?: number | null }) =>
      fulfillments.slice(0, args.first ?? undefined).map((fulfillment) => fulfillmentView(shop, fulfillment)),
    fulfillmentsCount: { count: fulfillments.length, precision: "EXACT" },
    returns: (args: ConnectionArgs) =>
      connection(
        [],
        args,
        () => 0,
        () => null,
      ),
    returnStatus: "NO_RETURN",
    disputes: [],
    alerts: [],
    risk: { recommendation: "ACCEPT", assessments: [] },
    shopifyProtect: null,
    customerJourneySummary: null,
    productNetwork: false,
  };
}

/** Order.purchasingEntity of a B2B order: its PurchasingCompany (null for any other order). */
function purchasingCompanyView(shop: ShopState, order: OrderRecord) {
  const buyer = order.purchasingCompany;
  const company = buyer ? shop.companies.get(buyer.companyId) : undefined;
  const location = buyer ? shop.companyLocations.get(buyer.locationId) : undefined;
  if (!buyer || !company || !location) return null;
  const contact = company.contacts?.find((candidate) => candidate.id === buyer.contactId);
  return {
    __typename: "PurchasingCompany",
    company: companyView(shop, company),
    location: companyLocationView(shop, location),
    contact: contact ? contactView(shop, company, contact) : null,
  };
}
