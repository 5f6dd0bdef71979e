import type { OrderRecord } from "../state/records.server";
import { orderTotals } from "./orders-money.server";
import type { SortValue } from "./connection.server";
import { search, withTagNot, type SearchFields } from "./search.server";

/**
 * Search fields and sort keys of `orders`
 * (https://shopify.dev/docs/api/admin-graphql/2026-07/queries/orders#arguments-query).
 */

/** `status:` values an order answers to: open/closed/cancelled, `not_closed`, and `any`. */
function orderStatuses(order: OrderRecord): string[] {
  const statuses = ["any"];
  if (order.cancelledAt) statuses.push("cancelled");
  if (order.closedAt) statuses.push("closed");
  else statuses.push("not_closed");
  if (!order.closedAt && !order.cancelledAt) statuses.push("open");
  return statuses;
}

/**
 * `fulfillment_status:` values: shipped/fulfilled (all fulfilled), partial, unshipped (nothing
 * fulfilled), unfulfilled (anything left to fulfil), and `any`.
 */
function fulfillmentStatuses(order: OrderRecord): string[] {
  switch (order.displayFulfillmentStatus) {
    case "FULFILLED":
      return ["any", "shipped", "fulfilled"];
    case "PARTIALLY_FULFILLED":
      return ["any", "partial", "unfulfilled"];
    case "ON_HOLD":
      return ["any", "on_hold", "unshipped", "unfulfilled"];
    case "SCHEDULED":
      return ["any", "scheduled", "unshipped", "unfulfilled"];
    case "REQUEST_DECLINED":
      return ["any", "request_declined", "unshipped", "unfulfilled"];
    default:
      return ["any", "unshipped", "unfulfilled"];
  }
}

const ORDER_SEARCH: SearchFields<OrderRecord> = {
  fields: {
    id: (order) => order.id,
    name: (order) => [order.name, order.name.replace(/^#/, "")],
    email: (order) => order.email,
    phone: (order) => order.phone,
    customer_id: (order) => order.customerId,
    created_at: (order) => order.createdAt,
    updated_at: (order) => order.updatedAt,
    processed_at: (order) => order.processedAt,
    status: orderStatuses,
    financial_status: (order) => ["any", order.displayFinancialStatus.toLowerCase()],
    fulfillment_status: fulfillmentStatuses,
    tag: (order) => order.tags,
    source_name: (order) => order.sourceName,
    channel: (order) => order.sourceName,
    sales_channel: (order) => order.sourceName,
    test: (order) => order.test,
    sku: (order) => order.lineItems.map((line) => line.sku),
    discount_code: (order) => order.discountCodes,
    gateway: (order) => order.transactions.map((transaction) => transaction.gateway),
    fulfillment_location_id: () => null,
    current_total_price: (order) => orderTotals(order).currentTotal / 100,
    subtotal_line_items_quantity: (order) => orderTotals(order).lineItemsQuantity,
    confirmation_number: () => null,
    po_number: () => null,
  },
  defaultFields: ["name", "email", "phone", "sku", "tag"],
};

export function searchOrders(orders: Iterable<OrderRecord>, query: string | null | undefined): OrderRecord[] {
  return search(orders, withTagNot(query), ORDER_SEARCH);
}

const FINANCIAL_ORDER = [
  "AUTHORIZED",
  "PAID",
  "PARTIALLY_REFUNDED",
  "PARTIALLY_PAID",
  "PENDING",
  "REFUNDED",
  "VOIDED",
  "EXPIRED",
];

export function orderSortKey(sortKey: string): (order: OrderRecord) => SortValue {
  switch (sortKey) {
    case "CREATED_AT":
      return (order) => order.createdAt.getTime();
    case "UPDATED_AT":
      return (order) => order.updatedAt.getTime();
    case "PROCESSED_AT":
      return (order) => order.processedAt.getTime();
    case "ORDER_NUMBER":
      return (order) => order.number;
    case "TOTAL_PRICE":
      return (order) => orderTotals(order).total;
    case "CURRENT_TOTAL_PRICE":
      return (order) => orderTotals(order).currentTotal;
    case "TOTAL_ITEMS_QUANTITY":
      return (order) => orderTotals(order).lineItemsQuantity;
    case "FINANCIAL_STATUS":
      return (order) => FINANCIAL_ORDER.indexOf(order.displayFinancialStatus);
    case "FULFILLMENT_STATUS":
      return (order) => order.displayFulfillmentStatus;
    case "CUSTOMER_NAME":
      return (order) =>
        [order.billingAddress?.lastName, order.billingAddress?.firstName, order.email]
          .filter(Boolean)
          .join(" ");
    case "DESTINATION":
      return (order) => order.shippingAddress?.city ?? "";
    default:
      // ID, RELEVANCE (without a query the same as ID) and PO_NUMBER (always blank here).
      return (order) => order.id;
  }
}
