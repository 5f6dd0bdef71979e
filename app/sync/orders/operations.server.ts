import { operation } from "../../shopify/admin-client.server";

/**
 * The order import's Admin API operations, priced for the budget of 40 requested points per
 * imported order (Business Central's connector spends about 140; an import of one order spends 40,
 * one B2B order 48):
 * - `ordersCount` first (1 point), so the page asks for exactly as many orders as changed:
 *   Shopify charges a connection by its `first`, not by what it returns;
 * - amounts in the shop's currency through the scalar Money fields (0 points each) rather
 *   than MoneyBags (2 points each): the shop currency is what the back office books. One
 *   MoneyBag is read for every order, `currentTotalPriceSet` in both currencies (3 points):
 *   the figure processing checks the document against, and the presentment total;
 * - four lines and two shipping lines per order in the page (more are fetched by ORDER_LINES
 *   and ORDER_SHIPPING_LINES when an order has them): four rather than five pays for the first
 *   fulfillment order's location (5 points), below;
 * - what only some orders need, in ORDER_CURRENT for those alone: the amounts after removed
 *   units (edits, refunds), which the scalars and a line's tax lines and discount allocations
 *   still include, and the other totals in the presentment currency when it is not the
 *   shop's. Free scalars in the page say which orders need it.
 * - where each line is fulfilled from, for the back-office location of its sales line: the first
 *   of the order's fulfillment orders with its assigned location, and whether there are more
 *   (5 points). An order with one fulfillment order (most: one location ships it all) has every
 *   line there; only an order with more asks which line is in which (ORDER_FULFILLMENT_LINES).
 *   Closed ones that were merged or moved are left out (`displayable: true`). The shipment sync
 *   reads its own, as they stand when it ships.
 * - B2B orders (a company location's purchasing entity): the page asks only what kind of buyer
 *   placed the order (`purchasingEntity { __typename }`, 1 point) and its `poNumber` (free);
 *   the company, location and first payment due date come by ORDER_PURCHASING (8 points) for
 *   the B2B orders alone, so that the other orders pay one point for them rather than seven.
 * The scalar Money fields are deprecated in favour of the *Set fields; the operations are
 * validated against the 2026-07 schema in test/contract, so a version that drops them fails CI.
 */

export const ORDER_LINES_PER_PAGE = 4;
export const ORDERS_PER_PAGE = 25;
/** A page of ids and update times costs a point per order asked for: Shopify's largest page. */
export const ORDER_STAMPS_PER_PAGE = 250;

/** Shipping lines per order in the page; an order with more has them read by ORDER_SHIPPING_LINES. */
export const ORDER_SHIPPING_LINES_PER_PAGE = 2;

export const LINE_FIELDS = `
  id sku name title variantTitle vendor quantity currentQuantity requiresShipping isGiftCard
  originalUnitPrice totalDiscount
  variant { id barcode }
  taxLines { title rate price }`;

export const SHIPPING_LINE_FIELDS = `
  id title code isRemoved price discountedPrice { amount } taxLines { title rate price }`;

/** An order's own fields, without its line and shipping line connections (also the bulk import's). */
export const ORDER_HEADER_FIELDS = `
  id name email phone createdAt updatedAt processedAt cancelledAt closedAt test edited
  displayFinancialStatus displayFulfillmentStatus currencyCode presentmentCurrencyCode
  taxesIncluded sourceName tags paymentGatewayNames poNumber
  subtotalPrice totalShippingPrice totalTax totalDiscounts totalPrice
  subtotalLineItemsQuantity currentSubtotalLineItemsQuantity
  currentTotalPriceSet { shopMoney { amount } presentmentMoney { amount } }
  totalTipReceived { amount }
  customer { id }
  billingAddress { name firstName lastName company address1 address2 city zip province countryCodeV2 phone }
  shippingAddress { name firstName lastName company address1 address2 city zip province countryCodeV2 phone }
  transactions(first: 5) { id kind status gateway amount processedAt }`;

/**
 * The first of the order's fulfillment orders, and whether it has more: Order.fulfillmentOrders
 * (`displayable: true` leaves out those closed after being merged or moved) and
 * FulfillmentOrder.assignedLocation.location, "the location where the fulfillment is expected to
 * happen" (null when the location was deleted), per
 * https://shopify.dev/docs/api/admin-graphql/2026-07/objects/FulfillmentOrder and
 * .../objects/FulfillmentOrderAssignedLocation.
 */
const FIRST_FULFILLMENT_ORDER = `
  fulfillmentOrders(first: 1, displayable: true) {
    pageInfo { hasNextPage } nodes { assignedLocation { location { id } } }
  }`;

/**
 * What kind of buyer placed the order: Order.purchasingEntity is the union `Customer |
 * PurchasingCompany` (https://shopify.dev/docs/api/admin-graphql/2026-07/unions/PurchasingEntity);
 * a PurchasingCompany is a B2B order, whose company and location ORDER_PURCHASING reads.
 */
const PURCHASING_KIND = `
  purchasingEntity { __typename }`;

const ORDER_FIELDS = `${ORDER_HEADER_FIELDS}${PURCHASING_KIND}${FIRST_FULFILLMENT_ORDER}
  lineItems(first: ${ORDER_LINES_PER_PAGE}) { pageInfo { hasNextPage endCursor } nodes { ${LINE_FIELDS} } }
  shippingLines(first: ${ORDER_SHIPPING_LINES_PER_PAGE}) {
    pageInfo { hasNextPage endCursor } nodes { ${SHIPPING_LINE_FIELDS} }
  }`;

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
  isGiftCard: boolean;
  originalUnitPrice: string;
  totalDiscount: string;
  variant: { id: string; barcode: string | null } | null;
  taxLines: MoneyLine[];
}

export interface AssignedLocationNode {
  assignedLocation: { location: { id: string } | null };
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

export interface ShippingLineNode {
  id: string;
  title: string;
  code: string | null;
  isRemoved: boolean;
  price: string;
  discountedPrice: { amount: string };
  taxLines: MoneyLine[];
}

interface MoneyBagNode {
  shopMoney: { amount: string };
  presentmentMoney: { amount: string };
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
  /** Whether the order was edited (lines added or removed, quantities or prices changed). */
  edited: boolean;
  displayFinancialStatus: string | null;
  displayFulfillmentStatus: string;
  currencyCode: string;
  presentmentCurrencyCode: string;
  taxesIncluded: boolean;
  sourceName: string | null;
  tags: string[];
  paymentGatewayNames: string[];
  /** The buyer's purchase order number (Order.poNumber): a B2B order's, mostly. */
  poNumber: string | null;
  /** The kind of buyer (PURCHASING_KIND): "PurchasingCompany" for a B2B order. */
  purchasingEntity: { __typename: string } | null;
  subtotalPrice: string;
  totalShippingPrice: string;
  totalTax: string;
  totalDiscounts: string;
  totalPrice: string;
  /** The sum of the lines' quantities: an upper bound on the lines not yet read (each is at least 1). */
  subtotalLineItemsQuantity: number;
  /** The same after removed units (edits, refunds): below the other when anything was removed. */
  currentSubtotalLineItemsQuantity: number;
  currentTotalPriceSet: MoneyBagNode;
  totalTipReceived: { amount: string };
  customer: { id: string } | null;
  billingAddress: AddressNode | null;
  shippingAddress: AddressNode | null;
  lineItems: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: OrderLineNode[] };
  shippingLines: {
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    nodes: ShippingLineNode[];
  };
  /** The first fulfillment order, and whether there are more (ORDER_FULFILLMENT_LINES then). */
  fulfillmentOrders: { pageInfo: { hasNextPage: boolean }; nodes: AssignedLocationNode[] };
  transactions: {
    id: string;
    kind: string;
    status: string;
    gateway: string;
    amount: string;
    processedAt: string | null;
  }[];
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
  { largest: { first: ORDERS_PER_PAGE } },
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
  { largest: { first: ORDER_STAMPS_PER_PAGE } },
);

/** Whole orders by id, as the page has them; Shopify charges by the number of ids. */
export const ORDERS_BY_ID = operation<{ nodes: (OrderNode | null)[] }, { ids: string[] }>(
  "SyncOrdersById",
  `query SyncOrdersById($ids: [ID!]!) {
    nodes(ids: $ids) { ... on Order { ${ORDER_FIELDS} } }
  }`,
  { largest: { ids: ORDERS_PER_PAGE } },
);

/** The most lines one ORDER_LINES request asks for (about 3 points each). */
export const ORDER_LINES_MAX_PAGE = 50;

/**
 * The lines of an order past the page's first four, asking for no more than can be left:
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
  { largest: { first: ORDER_LINES_MAX_PAGE } },
);

/** The most shipping lines one ORDER_SHIPPING_LINES request asks for (an order has few). */
export const ORDER_SHIPPING_LINES_MAX_PAGE = 10;

/** An order's shipping lines past the page's first two (about 3 points each). */
export const ORDER_SHIPPING_LINES = operation<
  {
    order: {
      shippingLines: {
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
        nodes: ShippingLineNode[];
      };
    } | null;
  },
  { id: string; first: number; after: string | null }
>(
  "SyncOrderShippingLines",
  `query SyncOrderShippingLines($id: ID!, $first: Int!, $after: String) {
    order(id: $id) {
      shippingLines(first: $first, after: $after) { pageInfo { hasNextPage endCursor } nodes { ${SHIPPING_LINE_FIELDS} } }
    }
  }`,
  { largest: { first: ORDER_SHIPPING_LINES_MAX_PAGE } },
);

export interface CurrentLineNode {
  id: string;
  discountedUnitPriceAfterAllDiscountsSet: { shopMoney: { amount: string } };
}

export interface OrderCurrentNode {
  currentSubtotalPriceSet: { shopMoney: { amount: string } };
  currentShippingPriceSet: { shopMoney: { amount: string } };
  currentTotalTaxSet: MoneyBagNode;
  currentTaxLines: MoneyLine[];
  lineItems: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: CurrentLineNode[] };
}

/**
 * What an order stands at after removed units, and its tax in the presentment currency:
 * read only for orders that need it (Shopify says units were removed or the order was edited,
 * or the customer paid in another currency), since MoneyBags cost 2 to 3 points each. `lines`
 * is how many lines' unit prices after discounts to read (0 when none was edited: 2 points).
 */
export const ORDER_CURRENT = operation<
  { order: OrderCurrentNode | null },
  { id: string; lines: number; after: string | null }
>(
  "SyncOrderCurrent",
  `query SyncOrderCurrent($id: ID!, $lines: Int!, $after: String) {
    order(id: $id) {
      currentSubtotalPriceSet { shopMoney { amount } }
      currentShippingPriceSet { shopMoney { amount } }
      currentTotalTaxSet { shopMoney { amount } presentmentMoney { amount } }
      currentTaxLines { title rate price }
      lineItems(first: $lines, after: $after) {
        pageInfo { hasNextPage endCursor }
        nodes { id discountedUnitPriceAfterAllDiscountsSet { shopMoney { amount } } }
      }
    }
  }`,
  { largest: { lines: ORDER_LINES_MAX_PAGE } },
);

/**
 * Which of an order's lines are its tip: Shopify records a tip as a line item, told apart only
 * by the TIP sale of the order's agreement (a tip has no SKU, but neither has a custom line).
 * Read for orders with a tip (totalTipReceived) alone; the placement's agreement comes first,
 * with a sale per line and per shipping line (`sales`), about 2 points a sale.
 */
export const ORDER_TIP_LINES = operation<
  {
    order: {
      agreements: {
        nodes: { sales: { nodes: { lineType: string; lineItem?: { id: string } }[] } }[];
      };
    } | null;
  },
  { id: string; sales: number }
>(
  "SyncOrderTipLines",
  `query SyncOrderTipLines($id: ID!, $sales: Int!) {
    order(id: $id) {
      agreements(first: 1) {
        nodes { sales(first: $sales) { nodes { lineType ... on TipSale { lineItem { id } } } } }
      }
    }
  }`,
  { largest: { sales: ORDER_LINES_MAX_PAGE } },
);

/** The most fulfillment orders one ORDER_FULFILLMENT_LINES request asks for (an order has few). */
export const ORDER_FULFILLMENT_ORDERS_MAX_PAGE = 5;

/**
 * Which line is in which fulfillment order, and where each is assigned: read only for orders
 * with more than one (the page says so). 5 points a fulfillment order asked for and 2 a line
 * asked for in each: two fulfillment orders of a three-line order, 25 points. Lines past `lines`
 * in one fulfillment order (more than 50) are not read, and keep no location.
 */
export const ORDER_FULFILLMENT_LINES = operation<
  {
    order: {
      fulfillmentOrders: {
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
        nodes: (AssignedLocationNode & { lineItems: { nodes: { lineItem: { id: string } }[] } })[];
      };
    } | null;
  },
  { id: string; first: number; lines: number; after: string | null }
>(
  "SyncOrderFulfillmentLines",
  `query SyncOrderFulfillmentLines($id: ID!, $first: Int!, $lines: Int!, $after: String) {
    order(id: $id) {
      fulfillmentOrders(first: $first, after: $after, displayable: true) {
        pageInfo { hasNextPage endCursor }
        nodes {
          assignedLocation { location { id } }
          lineItems(first: $lines) { nodes { lineItem { id } } }
        }
      }
    }
  }`,
  { largest: { first: ORDER_FULFILLMENT_ORDERS_MAX_PAGE, lines: ORDER_LINES_MAX_PAGE } },
);

/** Order.purchasingEntity of a B2B order: its company and the location it bought for. */
export interface PurchasingCompanyNode {
  __typename: "PurchasingCompany";
  company: { id: string; name: string };
  location: { id: string; name: string };
}

/**
 * A B2B order's company and location, and when its payment is due (the first of its payment
 * terms' schedules; null for terms without a due date, such as due on fulfillment): read only
 * for the orders the page says a company placed. PurchasingCompany is
 * { company: Company!, location: CompanyLocation!, contact }, PaymentTerms.paymentSchedules a
 * connection of PaymentSchedule { dueAt } (admin-graphql 2026-07, objects/PurchasingCompany and
 * objects/PaymentTerms). 8 points: the order, the union, company, location, the terms, and a
 * connection of one schedule.
 */
export const ORDER_PURCHASING = operation<
  {
    order: {
      purchasingEntity: PurchasingCompanyNode | { __typename: string } | null;
      paymentTerms: { paymentSchedules: { nodes: { dueAt: string | null }[] } } | null;
    } | null;
  },
  { id: string }
>(
  "SyncOrderPurchasing",
  `query SyncOrderPurchasing($id: ID!) {
    order(id: $id) {
      purchasingEntity { __typename ... on PurchasingCompany { company { id name } location { id name } } }
      paymentTerms { paymentSchedules(first: 1) { nodes { dueAt } } }
    }
  }`,
);
