import { operation } from "../../shopify/admin-client.server";

/**
 * The order import's Admin API operations, priced for the budget of 40 requested points per
 * imported order (Business Central's connector spends about 140):
 * - `ordersCount` first (1 point), so the page asks for exactly as many orders as changed:
 *   Shopify charges a connection by its `first`, not by what it returns;
 * - amounts in the shop's currency through the scalar Money fields (0 points each) rather
 *   than MoneyBags (2 points each): the shop currency is what the back office books;
 * - five lines per order in the page (more are fetched by ORDER_LINES when an order has them);
 * - fulfillment orders by id and status only: the shipment sync reads their lines and
 *   locations when it needs them, as they stand then.
 * The scalar Money fields are deprecated in favour of the *Set fields; the operations are
 * validated against the 2026-07 schema in test/contract, so a version that drops them fails CI.
 */

export const ORDER_LINES_PER_PAGE = 5;
export const ORDERS_PER_PAGE = 25;
/** A page of ids and update times costs a point per order asked for: Shopify's largest page. */
export const ORDER_STAMPS_PER_PAGE = 250;

const LINE_FIELDS = `
  id sku name title variantTitle vendor quantity currentQuantity requiresShipping
  originalUnitPrice totalDiscount
  variant { id barcode }
  taxLines { title rate price }`;

const ORDER_FIELDS = `
  id name email phone createdAt updatedAt processedAt cancelledAt closedAt test
  displayFinancialStatus displayFulfillmentStatus currencyCode taxesIncluded sourceName tags
  subtotalPrice totalShippingPrice totalTax totalDiscounts totalPrice subtotalLineItemsQuantity
  customer { id }
  billingAddress { name firstName lastName company address1 address2 city zip province countryCodeV2 phone }
  shippingAddress { name firstName lastName company address1 address2 city zip province countryCodeV2 phone }
  lineItems(first: ${ORDER_LINES_PER_PAGE}) { pageInfo { hasNextPage endCursor } nodes { ${LINE_FIELDS} } }
  shippingLines(first: 2) { nodes { id title code price discountedPrice { amount } taxLines { price } } }
  transactions(first: 5) { id kind status gateway amount processedAt }
  fulfillmentOrders(first: 3) { nodes { id status } }`;

export interface MoneyLine {
  title: string;
  rate: number;
  price: string;
}

export interface OrderLineNode {
  id: string;
  sku: string | null;
  name: string;
  title: string;
  variantTitle: string | null;
  vendor: string | null;
  quantity: number;
  currentQuantity: number;
  requiresShipping: boolean;
  originalUnitPrice: string;
  totalDiscount: string;
  variant: { id: string; barcode: string | null } | null;
  taxLines: MoneyLine[];
}

export interface AddressNode {
  name: string | null;
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  address1: string | null;
  address2: string | null;
  city: string | null;
  zip: string | null;
  province: string | null;
  countryCodeV2: string | null;
  phone: string | null;
}

export interface OrderNode {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  createdAt: string;
  updatedAt: string;
  processedAt: string;
  cancelledAt: string | null;
  closedAt: string | null;
  test: boolean;
  displayFinancialStatus: string | null;
  displayFulfillmentStatus: string;
  currencyCode: string;
  taxesIncluded: boolean;
  sourceName: string | null;
  tags: string[];
  subtotalPrice: string;
  totalShippingPrice: string;
  totalTax: string;
  totalDiscounts: string;
  totalPrice: string;
  /** The sum of the lines' quantities: an upper bound on the lines not yet read (each is at least 1). */
  subtotalLineItemsQuantity: number;
  customer: { id: string } | null;
  billingAddress: AddressNode | null;
  shippingAddress: AddressNode | null;
  lineItems: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: OrderLineNode[] };
  shippingLines: {
    nodes: {
      id: string;
      title: string;
      code: string | null;
      price: string;
      discountedPrice: { amount: string };
      taxLines: { price: string }[];
    }[];
  };
  transactions: {
    id: string;
    kind: string;
    status: string;
    gateway: string;
    amount: string;
    processedAt: string | null;
  }[];
  fulfillmentOrders: {
    nodes: { id: string; status: string }[];
  };
}

export const ORDERS_COUNT = operation<
  { ordersCount: { count: number; precision: string } },
  { query: string }
>(
  "SyncOrdersCount",
  `query SyncOrdersCount($query: String!) { ordersCount(query: $query, limit: 10000) { count precision } }`,
);

export const ORDERS_PAGE = operation<
  { orders: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: OrderNode[] } },
  { first: number; after: string | null; query: string }
>(
  "SyncOrdersPage",
  `query SyncOrdersPage($first: Int!, $after: String, $query: String!) {
    orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
      pageInfo { hasNextPage endCursor }
      nodes { ${ORDER_FIELDS} }
    }
  }`,
);

/** An order's list entry for reconciling: id, update time and the free scalars that change with it. */
export type OrderStampNode = Pick<
  OrderNode,
  | "id"
  | "updatedAt"
  | "displayFinancialStatus"
  | "displayFulfillmentStatus"
  | "cancelledAt"
  | "closedAt"
  | "totalPrice"
  | "tags"
>;

/**
 * The orders of a query by id, update time and a few scalars (1 point per order asked for,
 * against about 35 for a whole order; scalars are free): what a reconciling run reads its
 * window with, so that it pays in full only for the orders that changed since staged.
 */
export const ORDER_STAMPS = operation<
  {
    orders: {
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      nodes: OrderStampNode[];
    };
  },
  { first: number; after: string | null; query: string }
>(
  "SyncOrderStamps",
  `query SyncOrderStamps($first: Int!, $after: String, $query: String!) {
    orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
      pageInfo { hasNextPage endCursor }
      nodes { id updatedAt displayFinancialStatus displayFulfillmentStatus cancelledAt closedAt totalPrice tags }
    }
  }`,
);

/** Whole orders by id, as the page has them; Shopify charges by the number of ids. */
export const ORDERS_BY_ID = operation<{ nodes: (OrderNode | null)[] }, { ids: string[] }>(
  "SyncOrdersById",
  `query SyncOrdersById($ids: [ID!]!) {
    nodes(ids: $ids) { ... on Order { ${ORDER_FIELDS} } }
  }`,
);

/** The most lines one ORDER_LINES request asks for (about 3 points each). */
export const ORDER_LINES_MAX_PAGE = 50;

/**
 * The lines of an order past the page's first five, asking for no more than can be left:
 * Shopify charges `first`, and 50 lines at once cost about 150 points.
 */
export const ORDER_LINES = operation<
  {
    order: {
      lineItems: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: OrderLineNode[] };
    } | null;
  },
  { id: string; first: number; after: string | null }
>(
  "SyncOrderLines",
  `query SyncOrderLines($id: ID!, $first: Int!, $after: String) {
    order(id: $id) {
      lineItems(first: $first, after: $after) { pageInfo { hasNextPage endCursor } nodes { ${LINE_FIELDS} } }
    }
  }`,
);
