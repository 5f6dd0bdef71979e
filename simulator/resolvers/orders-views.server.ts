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
import { fulfillmentOrderView, fulfillmentView } from "./fulfillments-views.server";
import { mailingAddressView, orderAddressId } from "./orders-address.server";
import {
  bag,
  discountApplicationView,
  lineItemView,
  moneyV2,
  refundView,
  shippingLineView,
  taxLineView,
  transactionView,
} from "./orders-line-views.server";
import { fromCents, orderTotals, toCents } from "./orders-money.server";
import { confirmationNumber, fulfilledQuantities, orderToken } from "./orders-state.server";

/**
 * The Order view (https://shopify.dev/docs/api/admin-graphql/2026-07/objects/Order): the
 * fields an order sync reads, with the totals computed from the lines as Shopify states them,
 * and the deprecated `Money` scalar totals (totalPrice, subtotalPrice...) beside the MoneyBags.
 */

/** Tax lines summed by title and rate, as Order.taxLines aggregates the lines' taxes. */
function aggregateTaxLines(order: OrderRecord, current: boolean): TaxLine[] {
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
  for (const shipping of order.shippingLines) for (const tax of shipping.taxLines) add(tax, 1);
  return [...sums.values()].map((entry) => ({
    title: entry.title,
    rate: entry.rate,
    price: fromCents(entry.cents),
  }));
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
  const money = (cents: number) => bag(cents, currency);
  const open = !order.cancelledAt && !order.closedAt;
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
    presentmentCurrencyCode: currency,
    taxesIncluded: order.taxesIncluded,
    taxExempt: false,
    dutiesIncluded: false,
    estimatedTaxes: false,
    tags: order.tags,
    note: order.note,
    sourceName: order.sourceName,
    sourceIdentifier: null,
    poNumber: null,
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
    paymentTerms: null,
    purchasingEntity: null,
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
    subtotalPriceSet: money(totals.subtotal),
    currentSubtotalPriceSet: money(totals.currentSubtotal),
    totalShippingPriceSet: money(totals.shipping),
    currentShippingPriceSet: money(totals.shipping - totals.shippingDiscounts),
    totalTaxSet: money(totals.tax),
    currentTotalTaxSet: money(totals.currentTax),
    totalDiscountsSet: money(totals.discounts),
    currentTotalDiscountsSet: money(totals.currentDiscounts),
    cartDiscountAmountSet: money(totals.lineDiscounts),
    currentCartDiscountAmountSet: money(totals.currentDiscounts - totals.shippingDiscounts),
    totalPriceSet: money(totals.total),
    originalTotalPriceSet: money(totals.total),
    currentTotalPriceSet: money(totals.currentTotal),
    totalOutstandingSet: money(totals.outstanding),
    totalReceivedSet: money(totals.received),
    totalRefundedSet: money(totals.refunded),
    totalRefundedShippingSet: money(0),
    netPaymentSet: money(totals.net),
    totalCapturableSet: money(totals.capturable),
    totalTipReceivedSet: money(0),
    refundDiscrepancySet: money(0),
    currentTotalDutiesSet: null,
    originalTotalDutiesSet: null,
    currentTotalAdditionalFeesSet: null,
    originalTotalAdditionalFeesSet: null,
    additionalFees: [],
    // The deprecated Money scalars (two-decimal strings) that older queries still read.
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
    totalTipReceived: moneyV2(0, currency),
    discountCode: order.discountCodes[0] ?? null,
    discountCodes: order.discountCodes,
    discountApplications: (args: ConnectionArgs) =>
      connection(
        order.discountApplications,
        args,
        (application) => application.index,
        (application) => discountApplicationView(application, currency),
      ),
    taxLines: aggregateTaxLines(order, false).map((line) => taxLineView(line, currency)),
    currentTaxLines: aggregateTaxLines(order, true).map((line) => taxLineView(line, currency)),
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
