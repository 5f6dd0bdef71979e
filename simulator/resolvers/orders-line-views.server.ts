import { gid, type ShopState } from "../state/shop-state.server";
import type {
  DiscountAllocation,
  DiscountApplication,
  LineItemRecord,
  OrderRecord,
  RefundRecord,
  ShippingLineRecord,
  TaxLine,
  TransactionRecord,
} from "../state/records.server";
import { connection, type ConnectionArgs } from "./connection.server";
import { money, moneyBag, iso, type ResolverContext } from "./context.server";
import { productRef, variantRef } from "./orders-catalog.server";
import { decimal, fromCents, lineAmounts, shippingAmounts, toCents } from "./orders-money.server";
import { lineItemName, unfulfilledQuantity } from "./orders-state.server";

/**
 * Views of an order's parts: line items, shipping lines, tax lines, discounts, transactions
 * and refunds. MoneyBag amounts are Decimals ("10.0"); the deprecated `Money` scalar fields
 * the app still reads (originalUnitPrice, price...) are two-decimal strings ("10.00").
 */

export function bag(cents: number, currency: string) {
  return moneyBag(decimal(fromCents(cents)), currency);
}

export function moneyV2(cents: number, currency: string) {
  return { __typename: "MoneyV2", ...money(decimal(fromCents(cents)), currency) };
}

export function taxLineView(line: TaxLine, currency: string) {
  return {
    title: line.title,
    rate: line.rate,
    ratePercentage: Math.round(line.rate * 100_000) / 1000,
    priceSet: bag(toCents(line.price), currency),
    price: fromCents(toCents(line.price)),
    channelLiable: false,
    source: "Shopify",
  };
}

export function discountApplicationView(application: DiscountApplication, currency: string) {
  const value =
    application.valueType === "PERCENTAGE"
      ? { __typename: "PricingPercentageValue", percentage: Number(application.value) }
      : moneyV2(toCents(application.value), currency);
  const common = {
    index: application.index,
    allocationMethod: application.allocationMethod,
    targetSelection: application.targetSelection,
    targetType: application.targetType,
    value,
  };
  switch (application.type) {
    case "DISCOUNT_CODE":
      return {
        __typename: "DiscountCodeApplication",
        ...common,
        code: application.code ?? application.title,
      };
    case "MANUAL":
      return {
        __typename: "ManualDiscountApplication",
        ...common,
        title: application.title,
        description: null,
      };
    case "AUTOMATIC":
      return { __typename: "AutomaticDiscountApplication", ...common, title: application.title };
    case "SCRIPT":
      return {
        __typename: "ScriptDiscountApplication",
        ...common,
        title: application.title,
        description: null,
      };
  }
}

function allocationViews(allocations: DiscountAllocation[], order: OrderRecord) {
  return allocations.map((allocation) => {
    const application = order.discountApplications.find(
      (candidate) => candidate.index === allocation.discountApplicationIndex,
    );
    return {
      allocatedAmountSet: bag(toCents(allocation.amount), order.currencyCode),
      allocatedAmount: moneyV2(toCents(allocation.amount), order.currencyCode),
      discountApplication: application ? discountApplicationView(application, order.currencyCode) : null,
    };
  });
}

export function lineItemView(
  shop: ShopState,
  order: OrderRecord,
  line: LineItemRecord,
  fulfilled: Map<number, number>,
) {
  const currency = order.currencyCode;
  const amounts = lineAmounts(line, order);
  const unfulfilled = unfulfilledQuantity(line, fulfilled);
  const discountedUnit =
    line.quantity > 0
      ? amounts.originalUnit - Math.round(amounts.lineLevelDiscount / line.quantity)
      : amounts.originalUnit;
  const afterAllUnit =
    line.quantity > 0
      ? amounts.originalUnit - Math.round(amounts.discount / line.quantity)
      : amounts.originalUnit;
  const discountedTotal = amounts.original - amounts.lineLevelDiscount;
  const fulfilledQuantity = fulfilled.get(line.id) ?? 0;
  const refundedQuantity = order.refunds
    .flatMap((refund) => refund.refundLineItems)
    .filter((item) => item.lineItemId === line.id)
    .reduce((sum, item) => sum + item.quantity, 0);
  return {
    __typename: "LineItem",
    id: gid("LineItem", line.id),
    name: lineItemName(line),
    title: line.title,
    variantTitle: line.variantTitle,
    sku: line.sku,
    vendor: line.vendor,
    quantity: line.quantity,
    currentQuantity: line.currentQuantity,
    unfulfilledQuantity: unfulfilled,
    fulfillableQuantity: order.cancelledAt ? 0 : unfulfilled,
    nonFulfillableQuantity: line.quantity - line.currentQuantity,
    refundableQuantity: Math.max(0, line.quantity - refundedQuantity),
    fulfillmentStatus: fulfilledQuantity === 0 ? "unfulfilled" : unfulfilled === 0 ? "fulfilled" : "partial",
    requiresShipping: line.requiresShipping,
    taxable: line.taxable,
    isGiftCard: false,
    restockable: line.variantId !== null,
    canRestock: line.variantId !== null,
    merchantEditable: !order.cancelledAt && !order.closedAt,
    customAttributes: [],
    duties: [],
    image: null,
    sellingPlan: null,
    contract: null,
    staffMember: null,
    lineItemGroup: null,
    originalUnitPriceSet: bag(amounts.originalUnit, currency),
    originalUnitPrice: fromCents(amounts.originalUnit),
    discountedUnitPriceSet: bag(discountedUnit, currency),
    discountedUnitPrice: fromCents(discountedUnit),
    discountedUnitPriceAfterAllDiscountsSet: bag(afterAllUnit, currency),
    originalTotalSet: bag(amounts.original, currency),
    originalTotal: fromCents(amounts.original),
    discountedTotalSet: (args: { withCodeDiscounts?: boolean }) =>
      bag(args.withCodeDiscounts ? amounts.original - amounts.discount : discountedTotal, currency),
    discountedTotal: fromCents(discountedTotal),
    priceAfterAllDiscountsBeforeTaxesSet: bag(amounts.original - amounts.discount, currency),
    totalDiscountSet: bag(amounts.discount, currency),
    totalDiscount: fromCents(amounts.discount),
    unfulfilledOriginalTotalSet: bag(amounts.originalUnit * unfulfilled, currency),
    unfulfilledOriginalTotal: fromCents(amounts.originalUnit * unfulfilled),
    unfulfilledDiscountedTotalSet: bag(discountedUnit * unfulfilled, currency),
    unfulfilledDiscountedTotal: fromCents(discountedUnit * unfulfilled),
    taxLines: (args: { first?: number | null }) =>
      line.taxLines.slice(0, args.first ?? undefined).map((tax) => taxLineView(tax, currency)),
    discountAllocations: allocationViews(line.discountAllocations, order),
    variant: (_args: unknown, context: ResolverContext) => variantRef(line.variantId, context),
    product: (_args: unknown, context: ResolverContext) => productRef(line.productId, context),
    weight: null,
  };
}

export function shippingLineView(order: OrderRecord, line: ShippingLineRecord) {
  const currency = order.currencyCode;
  const amounts = shippingAmounts(line);
  return {
    id: gid("ShippingLine", line.id),
    title: line.title,
    code: line.code,
    source: line.source,
    carrierIdentifier: null,
    custom: true,
    deliveryCategory: null,
    isRemoved: false,
    phone: null,
    shippingRateHandle: null,
    requestedFulfillmentService: null,
    originalPriceSet: bag(amounts.original, currency),
    originalPrice: moneyV2(amounts.original, currency),
    price: fromCents(amounts.original),
    discountedPriceSet: bag(amounts.discounted, currency),
    discountedPrice: moneyV2(amounts.discounted, currency),
    currentDiscountedPriceSet: bag(amounts.discounted, currency),
    taxLines: line.taxLines.map((tax) => taxLineView(tax, currency)),
    discountAllocations: allocationViews(line.discountAllocations, order),
  };
}

export function transactionView(
  order: OrderRecord,
  transaction: TransactionRecord,
  orderView: () => unknown,
): Record<string, unknown> {
  const currency = order.currencyCode;
  const cents = toCents(transaction.amount);
  const captured = order.transactions
    .filter(
      (other) => other.parentId === transaction.id && other.kind === "CAPTURE" && other.status === "SUCCESS",
    )
    .reduce((sum, other) => sum + toCents(other.amount), 0);
  const capturable =
    transaction.kind === "AUTHORIZATION" && transaction.status === "SUCCESS" && !order.cancelledAt
      ? Math.max(0, cents - captured)
      : 0;
  const parent =
    transaction.parentId === null ? undefined : order.transactions.find((t) => t.id === transaction.parentId);
  return {
    __typename: "OrderTransaction",
    id: gid("OrderTransaction", transaction.id),
    kind: transaction.kind,
    status: transaction.status,
    gateway: transaction.gateway,
    formattedGateway: transaction.gateway === "manual" ? "Manual" : transaction.gateway,
    manualPaymentGateway: transaction.gateway === "manual",
    amountSet: bag(cents, currency),
    amount: fromCents(cents),
    amountV2: moneyV2(cents, currency),
    amountRoundingSet: null,
    totalUnsettledSet: bag(capturable, currency),
    totalUnsettled: fromCents(capturable),
    totalUnsettledV2: moneyV2(capturable, currency),
    maximumRefundableV2: moneyV2(["SALE", "CAPTURE"].includes(transaction.kind) ? cents : 0, currency),
    manuallyCapturable: capturable > 0,
    multiCapturable: false,
    authorizationCode: null,
    authorizationExpiresAt: null,
    accountNumber: null,
    errorCode: null,
    paymentId: `${order.name.replace("#", "")}.${order.transactions.indexOf(transaction) + 1}`,
    paymentDetails: null,
    receiptJson: "{}",
    settlementCurrency: null,
    settlementCurrencyRate: null,
    currencyExchangeAdjustment: null,
    fees: [],
    location: null,
    device: null,
    user: null,
    test: transaction.test,
    createdAt: iso(transaction.createdAt),
    processedAt: iso(transaction.processedAt),
    parentTransaction: parent ? () => transactionView(order, parent, orderView) : null,
    order: orderView,
  };
}

export function refundView(
  shop: ShopState,
  order: OrderRecord,
  refund: RefundRecord,
  fulfilled: Map<number, number>,
  orderView: () => unknown,
) {
  const currency = order.currencyCode;
  const transactions = order.transactions.filter((transaction) =>
    refund.transactionIds.includes(transaction.id),
  );
  const refunded = transactions
    .filter((transaction) => transaction.status === "SUCCESS")
    .reduce((sum, transaction) => sum + toCents(transaction.amount), 0);
  const empty = (args: ConnectionArgs) =>
    connection(
      [],
      args,
      () => 0,
      () => null,
    );
  return {
    __typename: "Refund",
    id: gid("Refund", refund.id),
    legacyResourceId: String(refund.id),
    note: refund.note,
    createdAt: iso(refund.createdAt),
    processedAt: iso(refund.createdAt),
    updatedAt: iso(refund.createdAt),
    totalRefundedSet: bag(refunded, currency),
    totalRefunded: moneyV2(refunded, currency),
    duties: [],
    return: null,
    staffMember: null,
    order: orderView,
    refundLineItems: (args: ConnectionArgs) =>
      connection(
        refund.refundLineItems,
        args,
        (item) => item.id ?? item.lineItemId,
        (item) => {
          const line = order.lineItems.find((candidate) => candidate.id === item.lineItemId);
          return {
            id: item.id ? gid("RefundLineItem", item.id) : null,
            quantity: item.quantity,
            restockType: item.restockType,
            restocked: item.restockType !== "NO_RESTOCK",
            location: null,
            priceSet: bag(toCents(line?.price), currency),
            price: fromCents(toCents(line?.price)),
            subtotalSet: bag(toCents(item.subtotal), currency),
            subtotal: fromCents(toCents(item.subtotal)),
            totalTaxSet: bag(toCents(item.totalTax), currency),
            totalTax: fromCents(toCents(item.totalTax)),
            lineItem: line ? lineItemView(shop, order, line, fulfilled) : null,
          };
        },
      ),
    refundShippingLines: empty,
    orderAdjustments: empty,
    transactions: (args: ConnectionArgs) =>
      connection(
        transactions,
        args,
        (transaction) => transaction.id,
        (transaction) => transactionView(order, transaction, orderView),
      ),
  };
}
