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
import { locationRef, productRef, variantRef } from "./orders-catalog.server";
import {
  inPresentment,
  lineInPresentment,
  presentmentCurrency,
  shippingInPresentment,
} from "./orders-currency.server";
import { lineAmounts, shippingAmounts } from "./orders-money.server";
import { decimal, fromCents, toCents } from "./money.server";
import { lineItemName, unfulfilledQuantity } from "./orders-state.server";

/**
 * Views of an order's parts: line items, shipping lines, tax lines, discounts, transactions
 * and refunds. MoneyBag amounts are Decimals ("10.0"), shopMoney in the shop's currency and
 * presentmentMoney in the customer's; the deprecated `Money` scalar fields the app still reads
 * (originalUnitPrice, price...) are two-decimal strings ("10.00") in the shop's currency, as
 * their descriptions say ("in shop currency").
 */

/** A MoneyBag of one amount in one currency (what has no presentment side). */
export function bag(cents: number, currency: string) {
  return moneyBag(decimal(fromCents(cents)), currency);
}

/** A MoneyBag of an order amount: the shop's cents and the presentment cents. */
export function pairBag(shopCents: number, presentmentCents: number, order: OrderRecord) {
  return {
    shopMoney: money(decimal(fromCents(shopCents)), order.currencyCode),
    presentmentMoney: money(decimal(fromCents(presentmentCents)), presentmentCurrency(order)),
  };
}

export function moneyV2(cents: number, currency: string) {
  return { __typename: "MoneyV2", ...money(decimal(fromCents(cents)), currency) };
}

/** A tax line of an order (TaxLine); `presented` is the same line in the presentment currency. */
export function taxLineView(line: TaxLine, order: OrderRecord, presented: TaxLine = line) {
  return {
    title: line.title,
    rate: line.rate,
    ratePercentage: Math.round(line.rate * 100_000) / 1000,
    priceSet: pairBag(toCents(line.price), toCents(presented.price), order),
    price: fromCents(toCents(line.price)),
    channelLiable: false,
    source: "Shopify",
  };
}

export function taxLineViews(lines: TaxLine[], order: OrderRecord) {
  return lines.map((line) =>
    taxLineView(line, order, { ...line, price: line.presentmentPrice ?? line.price }),
  );
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
    const presented = toCents(allocation.presentmentAmount ?? allocation.amount);
    return {
      allocatedAmountSet: pairBag(toCents(allocation.amount), presented, order),
      allocatedAmount: moneyV2(toCents(allocation.amount), order.currencyCode),
      discountApplication: application ? discountApplicationView(application, order.currencyCode) : null,
    };
  });
}

/** A line's amounts in one currency, as LineItem states them. */
function lineFigures(line: LineItemRecord, order: OrderRecord, unfulfilled: number) {
  const amounts = lineAmounts(line, order);
  const discountedUnit =
    line.quantity > 0
      ? amounts.originalUnit - Math.round(amounts.lineLevelDiscount / line.quantity)
      : amounts.originalUnit;
  const afterAllUnit =
    line.quantity > 0
      ? amounts.originalUnit - Math.round(amounts.discount / line.quantity)
      : amounts.originalUnit;
  return {
    originalUnit: amounts.originalUnit,
    discountedUnit,
    afterAllUnit,
    original: amounts.original,
    discountedTotal: amounts.original - amounts.lineLevelDiscount,
    withCodeDiscounts: amounts.original - amounts.discount,
    // "after all discounts are applied and excluding refunded and removed quantities"
    afterAllCurrent: amounts.currentOriginal - amounts.currentDiscount,
    discount: amounts.discount,
    unfulfilledOriginal: amounts.originalUnit * unfulfilled,
    unfulfilledDiscounted: discountedUnit * unfulfilled,
  };
}

export function lineItemView(
  shop: ShopState,
  order: OrderRecord,
  line: LineItemRecord,
  fulfilled: Map<number, number>,
) {
  const unfulfilled = line.tip ? 0 : unfulfilledQuantity(line, fulfilled);
  const inShop = lineFigures(line, order, unfulfilled);
  const presentedOrder = inPresentment(order);
  const inCustomer = lineFigures(lineInPresentment(line), presentedOrder, unfulfilled);
  const set = (key: keyof typeof inShop) => pairBag(inShop[key], inCustomer[key], order);
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
    // "units that can't be fulfilled ... if items have been refunded, or ... like a tip"
    nonFulfillableQuantity: line.tip ? line.quantity : line.quantity - line.currentQuantity,
    refundableQuantity: Math.max(0, line.quantity - refundedQuantity),
    fulfillmentStatus: fulfilledQuantity === 0 ? "unfulfilled" : unfulfilled === 0 ? "fulfilled" : "partial",
    requiresShipping: line.requiresShipping,
    taxable: line.taxable,
    isGiftCard: line.giftCard === true,
    restockable: line.variantId !== null,
    canRestock: line.variantId !== null,
    merchantEditable: !order.cancelledAt && !order.closedAt && !line.tip,
    customAttributes: [],
    duties: [],
    image: null,
    sellingPlan: null,
    contract: null,
    staffMember: null,
    lineItemGroup: null,
    originalUnitPriceSet: set("originalUnit"),
    originalUnitPrice: fromCents(inShop.originalUnit),
    discountedUnitPriceSet: set("discountedUnit"),
    discountedUnitPrice: fromCents(inShop.discountedUnit),
    discountedUnitPriceAfterAllDiscountsSet: set("afterAllUnit"),
    originalTotalSet: set("original"),
    originalTotal: fromCents(inShop.original),
    discountedTotalSet: (args: { withCodeDiscounts?: boolean }) =>
      set(args.withCodeDiscounts ? "withCodeDiscounts" : "discountedTotal"),
    discountedTotal: fromCents(inShop.discountedTotal),
    priceAfterAllDiscountsBeforeTaxesSet: set("afterAllCurrent"),
    totalDiscountSet: set("discount"),
    totalDiscount: fromCents(inShop.discount),
    unfulfilledOriginalTotalSet: set("unfulfilledOriginal"),
    unfulfilledOriginalTotal: fromCents(inShop.unfulfilledOriginal),
    unfulfilledDiscountedTotalSet: set("unfulfilledDiscounted"),
    unfulfilledDiscountedTotal: fromCents(inShop.unfulfilledDiscounted),
    taxLines: (args: { first?: number | null }) =>
      taxLineViews(line.taxLines.slice(0, args.first ?? undefined), order),
    discountAllocations: allocationViews(line.discountAllocations, order),
    variant: (_args: unknown, context: ResolverContext) => variantRef(line.variantId, context),
    product: (_args: unknown, context: ResolverContext) => productRef(line.productId, context),
    weight: null,
  };
}

export function shippingLineView(order: OrderRecord, line: ShippingLineRecord) {
  const currency = order.currencyCode;
  const amounts = shippingAmounts(line);
  const presented = shippingAmounts(shippingInPresentment(line));
  const refunds = order.refunds
    .flatMap((refund) => refund.refundShippingLines ?? [])
    .filter((item) => item.shippingLineId === line.id);
  const refunded = refunds.reduce((sum, item) => sum + toCents(item.subtotal), 0);
  const refundedPresented = refunds.reduce(
    (sum, item) => sum + toCents(item.presentmentSubtotal ?? item.subtotal),
    0,
  );
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
    originalPriceSet: pairBag(amounts.original, presented.original, order),
    originalPrice: moneyV2(amounts.original, currency),
    price: fromCents(amounts.original),
    discountedPriceSet: pairBag(amounts.discounted, presented.discounted, order),
    discountedPrice: moneyV2(amounts.discounted, currency),
    currentDiscountedPriceSet: pairBag(
      amounts.discounted - refunded,
      presented.discounted - refundedPresented,
      order,
    ),
    taxLines: taxLineViews(line.taxLines, order),
    discountAllocations: allocationViews(line.discountAllocations, order),
  };
}

/** The gateway's name as the admin shows it ("gift_card" → "Gift card"). */
function formattedGateway(gateway: string): string {
  if (gateway === "manual") return "Manual";
  if (gateway === "gift_card") return "Gift card";
  return gateway;
}

export function transactionView(
  order: OrderRecord,
  transaction: TransactionRecord,
  orderView: () => unknown,
): Record<string, unknown> {
  const currency = order.currencyCode;
  const cents = toCents(transaction.amount);
  const presented = toCents(transaction.presentmentAmount ?? transaction.amount);
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
    formattedGateway: formattedGateway(transaction.gateway),
    manualPaymentGateway: transaction.gateway === "manual",
    amountSet: pairBag(cents, presented, order),
    amount: fromCents(cents),
    amountV2: moneyV2(cents, currency),
    amountRoundingSet: null,
    totalUnsettledSet: pairBag(
      capturable,
      cents === 0 ? 0 : Math.round((capturable * presented) / cents),
      order,
    ),
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
  const succeeded = transactions.filter((transaction) => transaction.status === "SUCCESS");
  const refunded = succeeded.reduce((sum, transaction) => sum + toCents(transaction.amount), 0);
  const refundedPresented = succeeded.reduce(
    (sum, transaction) => sum + toCents(transaction.presentmentAmount ?? transaction.amount),
    0,
  );
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
    totalRefundedSet: pairBag(refunded, refundedPresented, order),
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
          const price = toCents(line?.price);
          return {
            id: item.id ? gid("RefundLineItem", item.id) : null,
            quantity: item.quantity,
            restockType: item.restockType,
            restocked: item.restockType !== "NO_RESTOCK",
            location: (_args: unknown, context: ResolverContext) =>
              locationRef(item.locationId ?? null, context),
            priceSet: pairBag(price, toCents(line?.presentmentPrice ?? line?.price), order),
            price: fromCents(price),
            subtotalSet: pairBag(
              toCents(item.subtotal),
              toCents(item.presentmentSubtotal ?? item.subtotal),
              order,
            ),
            subtotal: fromCents(toCents(item.subtotal)),
            totalTaxSet: pairBag(
              toCents(item.totalTax),
              toCents(item.presentmentTotalTax ?? item.totalTax),
              order,
            ),
            totalTax: fromCents(toCents(item.totalTax)),
            lineItem: line ? lineItemView(shop, order, line, fulfilled) : null,
          };
        },
      ),
    refundShippingLines: (args: ConnectionArgs) =>
      connection(
        refund.refundShippingLines ?? [],
        args,
        (item) => item.id,
        (item) => {
          const line = order.shippingLines.find((candidate) => candidate.id === item.shippingLineId);
          return {
            id: gid("RefundShippingLine", item.id),
            shippingLine: line ? shippingLineView(order, line) : null,
            subtotalAmountSet: pairBag(
              toCents(item.subtotal),
              toCents(item.presentmentSubtotal ?? item.subtotal),
              order,
            ),
            taxAmountSet: pairBag(toCents(item.tax), toCents(item.presentmentTax ?? item.tax), order),
          };
        },
      ),
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
