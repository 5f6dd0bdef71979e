import { gid, type ShopState } from "../../state/shop-state.server";
import type {
  DiscountAllocation,
  FulfillmentRecord,
  LineItemRecord,
  OrderEditRecord,
  OrderRecord,
  RefundRecord,
  TaxLine,
  TransactionRecord,
} from "../../state/records.server";
import {
  inPresentment,
  lineInPresentment,
  presentmentCurrency,
  shippingInPresentment,
} from "../../resolvers/orders-currency.server";
import {
  lineAmounts,
  orderTotals,
  shippingAmounts,
  type OrderTotals,
} from "../../resolvers/orders-money.server";
import { decimal, fromCents, toCents } from "../../resolvers/money.server";
import {
  confirmationNumber,
  fulfilledQuantities,
  lineItemName,
  orderToken,
} from "../../resolvers/orders-state.server";
import { embeddedCustomerPayload, restAddress, restTime, text } from "./customers.server";

/**
 * REST-shaped payloads of the order topics (orders/create, orders/updated, orders/paid,
 * orders/cancelled, orders/fulfilled, orders/partially_fulfilled), which share one schema in
 * shopify-webhook-schemas 2026-07, plus the REST fulfillment that order payloads embed, the
 * refund of refunds/create and the order edit of orders/edited. Amounts without `_set` are in
 * the shop's currency, as REST states them; transactions are in the currency paid.
 */

/** `{ shop_money, presentment_money }` with two-decimal amounts, as REST states money. */
export function moneySet(shopCents: number, order: OrderRecord, presentmentCents = shopCents) {
  return {
    shop_money: { amount: fromCents(shopCents), currency_code: order.currencyCode },
    presentment_money: { amount: fromCents(presentmentCents), currency_code: presentmentCurrency(order) },
  };
}

function restTaxLines(lines: TaxLine[], order: OrderRecord) {
  return lines.map((line) => ({
    channel_liable: false,
    price: fromCents(toCents(line.price)),
    price_set: moneySet(toCents(line.price), order, toCents(line.presentmentPrice ?? line.price)),
    rate: line.rate,
    title: line.title,
  }));
}

function restAllocations(allocations: DiscountAllocation[], order: OrderRecord) {
  return allocations.map((allocation) => ({
    amount: fromCents(toCents(allocation.amount)),
    amount_set: moneySet(
      toCents(allocation.amount),
      order,
      toCents(allocation.presentmentAmount ?? allocation.amount),
    ),
    discount_application_index: allocation.discountApplicationIndex,
  }));
}

/** A REST line item; `fulfilled` gives its fulfillment_status and fulfillable quantity. */
export function restLineItem(
  shop: ShopState,
  order: OrderRecord,
  line: LineItemRecord,
  fulfilled: Map<number, number>,
) {
  const amounts = lineAmounts(line, order);
  const presented = lineAmounts(lineInPresentment(line), inPresentment(order));
  const done = fulfilled.get(line.id) ?? 0;
  const fulfillable = order.cancelledAt ? 0 : Math.max(0, line.currentQuantity - done);
  const variant = line.variantId === null ? undefined : shop.variants.get(line.variantId);
  const tracked = variant ? shop.inventoryItems.get(variant.inventoryItemId)?.tracked === true : false;
  return {
    id: line.id,
    admin_graphql_api_id: gid("LineItem", line.id),
    attributed_staffs: [],
    current_quantity: line.currentQuantity,
    fulfillable_quantity: fulfillable,
    fulfillment_service: "manual",
    fulfillment_status: done === 0 ? null : done >= line.currentQuantity ? "fulfilled" : "partial",
    gift_card: line.giftCard === true,
    grams: 0,
    name: lineItemName(line),
    pre_tax_price: fromCents(amounts.original - amounts.discount),
    pre_tax_price_set: moneySet(
      amounts.original - amounts.discount,
      order,
      presented.original - presented.discount,
    ),
    price: fromCents(amounts.originalUnit),
    price_set: moneySet(amounts.originalUnit, order, presented.originalUnit),
    product_exists: line.productId !== null && shop.products.has(line.productId),
    product_id: line.productId,
    properties: [],
    quantity: line.quantity,
    requires_shipping: line.requiresShipping,
    sku: text(line.sku),
    taxable: line.taxable,
    title: line.title,
    total_discount: fromCents(amounts.discount),
    total_discount_set: moneySet(amounts.discount, order, presented.discount),
    variant_id: line.variantId,
    variant_inventory_management: tracked ? "shopify" : null,
    variant_title: line.variantTitle,
    vendor: line.vendor,
    tax_lines: restTaxLines(line.taxLines, order),
    duties: [],
    discount_allocations: restAllocations(line.discountAllocations, order),
  };
}

function trackingFields(fulfillment: FulfillmentRecord) {
  const first = fulfillment.trackingInfo[0];
  return {
    tracking_company: first?.company ?? null,
    tracking_number: first?.number ?? null,
    tracking_numbers: fulfillment.trackingInfo
      .map((info) => info.number)
      .filter((n): n is string => Boolean(n)),
    tracking_url: first?.url ?? null,
    tracking_urls: fulfillment.trackingInfo.map((info) => info.url).filter((u): u is string => Boolean(u)),
  };
}

/** The fulfillment as order payloads embed it; fulfillments/create adds destination and email. */
export function restFulfillment(shop: ShopState, order: OrderRecord, fulfillment: FulfillmentRecord) {
  const fulfilled = fulfilledQuantities(shop, order);
  return {
    id: fulfillment.id,
    admin_graphql_api_id: gid("Fulfillment", fulfillment.id),
    created_at: restTime(fulfillment.createdAt, shop.ianaTimezone),
    location_id: fulfillment.locationId,
    name: fulfillment.name,
    order_id: order.id,
    origin_address: {},
    receipt: {},
    service: "manual",
    shipment_status: null,
    status: fulfillment.status.toLowerCase(),
    ...trackingFields(fulfillment),
    updated_at: restTime(fulfillment.updatedAt, shop.ianaTimezone),
    line_items: fulfillment.lineItems
      .map((item) => {
        const line = order.lineItems.find((candidate) => candidate.id === item.lineItemId);
        if (!line) return null;
        // The fulfillment's own quantity, with the line's REST fields.
        return {
          ...restLineItem(shop, order, line, fulfilled),
          quantity: item.quantity,
          vendor: text(line.vendor),
        };
      })
      .filter((line) => line !== null),
  };
}

/** A REST transaction: its amount and currency are what the customer paid in (the presentment currency). */
function restTransaction(shop: ShopState, order: OrderRecord, transaction: TransactionRecord) {
  return {
    id: transaction.id,
    admin_graphql_api_id: gid("OrderTransaction", transaction.id),
    amount: fromCents(toCents(transaction.presentmentAmount ?? transaction.amount)),
    amount_rounding: null,
    authorization: null,
    created_at: restTime(transaction.createdAt, shop.ianaTimezone),
    currency: presentmentCurrency(order),
    device_id: null,
    error_code: null,
    gateway: transaction.gateway,
    kind: transaction.kind.toLowerCase(),
    location_id: null,
    manual_payment_gateway: transaction.gateway === "manual",
    message: null,
    order_id: order.id,
    parent_id: transaction.parentId,
    payment_id: `${order.name.replace("#", "")}.${order.transactions.indexOf(transaction) + 1}`,
    processed_at: restTime(transaction.processedAt, shop.ianaTimezone),
    receipt: {},
    source_name: "external",
    status: transaction.status.toLowerCase(),
    test: transaction.test,
    total_unsettled_set: {
      shop_money: { amount: "0.00", currency: order.currencyCode },
      presentment_money: { amount: "0.00", currency: presentmentCurrency(order) },
    },
    user_id: null,
  };
}

/** A REST refund, as order payloads embed it and refunds/create sends it. */
export function restRefund(
  shop: ShopState,
  order: OrderRecord,
  refund: RefundRecord,
  fulfilled: Map<number, number>,
) {
  return {
    id: refund.id,
    admin_graphql_api_id: gid("Refund", refund.id),
    created_at: restTime(refund.createdAt, shop.ianaTimezone),
    note: refund.note,
    order_id: order.id,
    processed_at: restTime(refund.createdAt, shop.ianaTimezone),
    restock: refund.refundLineItems.some((item) => item.restockType !== "NO_RESTOCK"),
    return: null,
    total_duties_set: moneySet(0, order),
    user_id: null,
    order_adjustments: [],
    transactions: order.transactions
      .filter((transaction) => refund.transactionIds.includes(transaction.id))
      .map((transaction) => restTransaction(shop, order, transaction)),
    refund_line_items: refund.refundLineItems.map((item) => {
      const line = order.lineItems.find((candidate) => candidate.id === item.lineItemId);
      return {
        id: item.id ?? item.lineItemId,
        line_item_id: item.lineItemId,
        location_id: item.locationId ?? null,
        quantity: item.quantity,
        restock_type: item.restockType.toLowerCase(),
        subtotal: Number(item.subtotal),
        subtotal_set: moneySet(
          toCents(item.subtotal),
          order,
          toCents(item.presentmentSubtotal ?? item.subtotal),
        ),
        total_tax: Number(item.totalTax),
        total_tax_set: moneySet(
          toCents(item.totalTax),
          order,
          toCents(item.presentmentTotalTax ?? item.totalTax),
        ),
        line_item: line ? restLineItem(shop, order, line, fulfilled) : null,
      };
    }),
    duties: [],
    refund_shipping_lines: (refund.refundShippingLines ?? []).map((item) => ({
      id: item.id,
      shipping_line_id: item.shippingLineId,
      subtotal_amount_set: moneySet(
        toCents(item.subtotal),
        order,
        toCents(item.presentmentSubtotal ?? item.subtotal),
      ),
      tax_amount_set: moneySet(toCents(item.tax), order, toCents(item.presentmentTax ?? item.tax)),
    })),
  };
}

function restFulfillmentStatus(order: OrderRecord): string | null {
  if (order.displayFulfillmentStatus === "FULFILLED") return "fulfilled";
  if (order.displayFulfillmentStatus === "PARTIALLY_FULFILLED") return "partial";
  return null;
}

/** The payload of every orders/* topic but orders/delete and orders/edited. */
export function orderPayload(shop: ShopState, order: OrderRecord) {
  const currency = order.currencyCode;
  const totals = orderTotals(order);
  const presentedTotals = orderTotals(inPresentment(order));
  const fulfilled = fulfilledQuantities(shop, order);
  const tz = shop.ianaTimezone;
  const customer = order.customerId === null ? undefined : shop.customers.get(order.customerId);
  const set = (figure: (t: OrderTotals) => number) =>
    moneySet(figure(totals), order, figure(presentedTotals));
  const taxLines = new Map<string, TaxLine & { cents: number; presented: number }>();
  for (const line of [...order.lineItems, ...order.shippingLines])
    for (const tax of line.taxLines) {
      const entry = taxLines.get(`${tax.title}|${tax.rate}`) ?? { ...tax, cents: 0, presented: 0 };
      entry.cents += toCents(tax.price);
      entry.presented += toCents(tax.presentmentPrice ?? tax.price);
      taxLines.set(`${tax.title}|${tax.rate}`, entry);
    }
  return {
    id: order.id,
    admin_graphql_api_id: gid("Order", order.id),
    app_id: null,
    browser_ip: null,
    buyer_accepts_marketing: false,
    cancel_reason: order.cancelReason?.toLowerCase() ?? null,
    cancelled_at: restTime(order.cancelledAt, tz),
    cart_token: null,
    checkout_token: null,
    client_details: null,
    closed_at: restTime(order.closedAt, tz),
    // A B2B order's company and company location (Order.purchasingEntity).
    company: order.purchasingCompany
      ? { id: order.purchasingCompany.companyId, location_id: order.purchasingCompany.locationId }
      : null,
    confirmation_number: confirmationNumber(order.id),
    confirmed: true,
    contact_email: order.email,
    created_at: restTime(order.createdAt, tz),
    currency,
    current_shipping_price_set: set((t) => t.currentShipping),
    current_subtotal_price: fromCents(totals.currentSubtotal),
    current_subtotal_price_set: set((t) => t.currentSubtotal),
    current_total_additional_fees_set: null,
    current_total_discounts: fromCents(totals.currentDiscounts),
    current_total_discounts_set: set((t) => t.currentDiscounts),
    current_total_duties_set: null,
    current_total_price: fromCents(totals.currentTotal),
    current_total_price_set: set((t) => t.currentTotal),
    current_total_tax: fromCents(totals.currentTax),
    current_total_tax_set: set((t) => t.currentTax),
    customer_locale: "en",
    device_id: null,
    discount_codes: order.discountApplications
      .filter((application) => application.type === "DISCOUNT_CODE")
      .map((application) => {
        const allocated = [...order.lineItems, ...order.shippingLines]
          .flatMap((line) => line.discountAllocations)
          .filter((allocation) => allocation.discountApplicationIndex === application.index)
          .reduce((sum, allocation) => sum + toCents(allocation.amount), 0);
        return {
          code: application.code ?? application.title,
          amount: fromCents(allocated),
          type:
            application.targetType === "SHIPPING_LINE"
              ? "shipping"
              : application.valueType === "PERCENTAGE"
                ? "percentage"
                : "fixed_amount",
        };
      }),
    duties_included: false,
    email: order.email,
    estimated_taxes: false,
    financial_status: order.displayFinancialStatus.toLowerCase(),
    fulfillment_status: restFulfillmentStatus(order),
    landing_site: null,
    landing_site_ref: null,
    location_id: null,
    merchant_business_entity_id: Buffer.from(String(shop.createdAt.getTime())).toString("base64url"),
    merchant_of_record_app_id: null,
    name: order.name,
    note: order.note,
    note_attributes: [],
    number: order.number - 1000,
    order_number: order.number,
    order_status_url: `https://${shop.domain}/${shop.name}/orders/${orderToken(order.id)}/authenticate?key=${orderToken(order.id + 1)}`,
    original_total_additional_fees_set: null,
    original_total_duties_set: null,
    payment_gateway_names: [...new Set(order.transactions.map((transaction) => transaction.gateway))],
    phone: order.phone,
    po_number: order.poNumber ?? null,
    presentment_currency: presentmentCurrency(order),
    processed_at: restTime(order.processedAt, tz),
    reference: null,
    referring_site: null,
    source_identifier: null,
    source_name: order.sourceName,
    source_url: null,
    subtotal_price: fromCents(totals.subtotal),
    subtotal_price_set: set((t) => t.subtotal),
    tags: order.tags.join(", "),
    tax_exempt: customer?.taxExempt ?? false,
    tax_lines: [...taxLines.values()].map((entry) => ({
      channel_liable: false,
      price: fromCents(entry.cents),
      price_set: moneySet(entry.cents, order, entry.presented),
      rate: entry.rate,
      title: entry.title,
    })),
    taxes_included: order.taxesIncluded,
    test: order.test,
    token: orderToken(order.id),
    total_cash_rounding_payment_adjustment_set: moneySet(0, order),
    total_cash_rounding_refund_adjustment_set: moneySet(0, order),
    total_discounts: fromCents(totals.discounts),
    total_discounts_set: set((t) => t.discounts),
    total_line_items_price: fromCents(totals.lineItemsOriginal),
    total_line_items_price_set: set((t) => t.lineItemsOriginal),
    total_outstanding: fromCents(totals.outstanding),
    total_price: fromCents(totals.total),
    total_price_set: set((t) => t.total),
    total_shipping_price_set: set((t) => t.shipping),
    total_tax: fromCents(totals.tax),
    total_tax_set: set((t) => t.tax),
    total_tip_received: fromCents(totals.tip),
    total_weight: 0,
    updated_at: restTime(order.updatedAt, tz),
    user_id: null,
    ...(order.billingAddress ? { billing_address: restAddress(order.billingAddress) } : {}),
    ...(customer ? { customer: embeddedCustomerPayload(shop, customer) } : {}),
    discount_applications: order.discountApplications.map((application) => ({
      target_type: application.targetType.toLowerCase(),
      type: application.type.toLowerCase(),
      value: decimal(application.value),
      value_type: application.valueType.toLowerCase(),
      allocation_method: application.allocationMethod.toLowerCase(),
      target_selection: application.targetSelection.toLowerCase(),
      ...(application.type === "DISCOUNT_CODE"
        ? { code: application.code ?? application.title }
        : { title: application.title, description: application.title }),
    })),
    fulfillments: order.fulfillmentIds
      .map((id) => shop.fulfillments.get(id))
      .filter((fulfillment): fulfillment is FulfillmentRecord => fulfillment !== undefined)
      .map((fulfillment) => restFulfillment(shop, order, fulfillment)),
    line_items: order.lineItems.map((line) => restLineItem(shop, order, line, fulfilled)),
    payment_terms: null,
    refunds: order.refunds.map((refund) => restRefund(shop, order, refund, fulfilled)),
    ...(order.shippingAddress ? { shipping_address: restAddress(order.shippingAddress) } : {}),
    shipping_lines: order.shippingLines.map((line) => {
      const amounts = shippingAmounts(line);
      const presented = shippingAmounts(shippingInPresentment(line));
      const refunded = order.refunds
        .flatMap((refund) => refund.refundShippingLines ?? [])
        .filter((item) => item.shippingLineId === line.id);
      const refundedCents = refunded.reduce((sum, item) => sum + toCents(item.subtotal), 0);
      const refundedPresented = refunded.reduce(
        (sum, item) => sum + toCents(item.presentmentSubtotal ?? item.subtotal),
        0,
      );
      return {
        id: line.id,
        carrier_identifier: null,
        code: line.code,
        current_discounted_price_set: moneySet(
          amounts.discounted - refundedCents,
          order,
          presented.discounted - refundedPresented,
        ),
        discounted_price: fromCents(amounts.discounted),
        discounted_price_set: moneySet(amounts.discounted, order, presented.discounted),
        is_removed: false,
        phone: null,
        price: fromCents(amounts.original),
        price_set: moneySet(amounts.original, order, presented.original),
        requested_fulfillment_service_id: null,
        source: line.source,
        title: line.title,
        tax_lines: restTaxLines(line.taxLines, order),
        discount_allocations: restAllocations(line.discountAllocations, order),
      };
    }),
    returns: [],
    line_item_groups: [],
  };
}

/** What an order edit's commit changed, as orders/edited states it. */
export interface OrderEditChanges {
  additions: { id: number; delta: number }[];
  removals: { id: number; delta: number }[];
  notifyCustomer: boolean;
  staffNote: string | null;
}

/** The payload of orders/edited: the committed edit's line item additions and removals. */
export function orderEditPayload(
  shop: ShopState,
  order: OrderRecord,
  edit: OrderEditRecord,
  changes: OrderEditChanges,
) {
  return {
    order_edit: {
      id: edit.id,
      app_id: null,
      created_at: restTime(edit.createdAt, shop.ianaTimezone),
      committed_at: restTime(edit.committedAt, shop.ianaTimezone),
      notify_customer: changes.notifyCustomer,
      order_id: order.id,
      staff_note: changes.staffNote ?? "",
      user_id: null,
      line_items: {
        additions: changes.additions.map(({ id, delta }) => ({ id, delta })),
        removals: changes.removals.map(({ id, delta }) => ({ id, delta })),
      },
      discounts: { line_item: { additions: [], removals: [] } },
      shipping_lines: { additions: [], removals: [] },
    },
  };
}
