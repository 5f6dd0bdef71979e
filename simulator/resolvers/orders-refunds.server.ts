import { numericId, type ShopState } from "../state/shop-state.server";
import type {
  AgreementRecord,
  LineItemRecord,
  OrderRecord,
  RefundRecord,
  TransactionRecord,
} from "../state/records.server";
import { emitWebhook } from "../webhooks/emit.server";
import { userError, type UserError, type MutationEnv } from "./context.server";
import { lineSale, saleRecord } from "./orders-agreements.server";
import { CatalogChanges } from "./catalog-events.server";
import { releaseCommitted, restockReturned } from "./orders-inventory.server";
import {
  inPresentment,
  isMultiCurrency,
  lineInPresentment,
  presentmentCurrency,
  shopFromPresentment,
} from "./orders-currency.server";
import { lineAmounts, shippingAmounts } from "./orders-money.server";
import { fromCents, scaled, toCents } from "./money.server";
import { fulfilledQuantities, refreshOrder } from "./orders-state.server";

/**
 * Refunds (`refundCreate`, https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/refundCreate,
 * and `orderCancel` with a refund). A refunded unit leaves the order's current figures: its
 * line's `currentQuantity` ("excluding refunded and removed units") drops, and with it the
 * current subtotal, taxes and total by the unit's share; refunded shipping leaves
 * currentShippingPriceSet and shows in totalRefundedShippingSet. Money goes back only through
 * the refund's transactions (`totalRefundedSet`); a refund of lines without a transaction leaves
 * the money owed back outstanding (a negative totalOutstandingSet), as in Shopify.
 * RefundInput.currency "must be the presentment currency ... required for orders where the
 * currency and presentment currency differ": amounts of such a refund are in that currency.
 */

export interface RefundRequest {
  /** `locationId`: where restocked returned units go (RefundLineItemInput.locationId). */
  lines: { line: LineItemRecord; quantity: number; restockType: string; locationId?: number | null }[];
  /** Shipping to give back, in the refund's currency, or all that is left. */
  shipping: { full: true } | { amount: number } | null;
  /** Refund transactions, amounts in the refund's currency. */
  transactions: { amount: number; gateway: string; parentId: number | null }[];
  note: string | null;
}

/** What refunding `units` more of a line takes off its current figures, in one currency. */
function lineShare(line: LineItemRecord, order: OrderRecord, units: number) {
  const amounts = lineAmounts(line, order);
  const after = line.currentQuantity - units;
  const discountLeft = scaled(amounts.discount, after, line.quantity);
  const taxLeft = scaled(amounts.tax, after, line.quantity);
  return {
    subtotal:
      amounts.currentOriginal - amounts.currentDiscount - (amounts.originalUnit * after - discountLeft),
    tax: amounts.currentTax - taxLeft,
  };
}

/** Shipping still refundable per shipping line, with its tax left, in one currency. */
function shippingLeft(order: OrderRecord) {
  return order.shippingLines.map((line) => {
    const amounts = shippingAmounts(line);
    const refunded = order.refunds
      .flatMap((refund) => refund.refundShippingLines ?? [])
      .filter((item) => item.shippingLineId === line.id);
    return {
      line,
      subtotal: amounts.discounted - refunded.reduce((sum, item) => sum + toCents(item.subtotal), 0),
      tax: amounts.tax - refunded.reduce((sum, item) => sum + toCents(item.tax), 0),
    };
  });
}

/** Each payment's amount not yet refunded, in the shop's and the presentment currency. */
export function refundable(order: OrderRecord) {
  const presented = inPresentment(order);
  return order.transactions
    .map((transaction, i) => ({ transaction, presented: presented.transactions[i]! }))
    .filter(
      ({ transaction }) =>
        (transaction.kind === "SALE" || transaction.kind === "CAPTURE") && transaction.status === "SUCCESS",
    )
    .map(({ transaction, presented: twin }) => {
      const back = (list: TransactionRecord[]) =>
        list
          .filter((t) => t.kind === "REFUND" && t.status === "SUCCESS" && t.parentId === transaction.id)
          .reduce((sum, t) => sum + toCents(t.amount), 0);
      return {
        transaction,
        shop: toCents(transaction.amount) - back(order.transactions),
        presentment: toCents(twin.amount) - back(presented.transactions),
      };
    });
}

/** Checks a refund against the order; the first problem, or null. */
export function checkRefund(
  order: OrderRecord,
  request: RefundRequest,
  allowOverRefunding: boolean,
): UserError | null {
  for (const [i, { line, quantity }] of request.lines.entries()) {
    if (!Number.isInteger(quantity) || quantity < 1)
      return userError(["refundLineItems", String(i), "quantity"], "Quantity must be greater than 0");
    const asked = request.lines
      .filter((other) => other.line === line)
      .reduce((sum, other) => sum + other.quantity, 0);
    if (asked > line.currentQuantity)
      return userError(
        ["refundLineItems", String(i), "quantity"],
        `Quantity cannot refund more items than were purchased (${line.currentQuantity} left)`,
      );
  }
  const multi = isMultiCurrency(order);
  const left = shippingLeft(multi ? inPresentment(order) : order).reduce(
    (sum, line) => sum + line.subtotal,
    0,
  );
  if (
    request.shipping &&
    "amount" in request.shipping &&
    (request.shipping.amount < 0 || request.shipping.amount > left)
  )
    return userError(
      ["shipping", "amount"],
      `Shipping refund can't exceed the ${fromCents(left)} left to refund`,
    );
  const payments = refundable(order);
  const available = payments.reduce((sum, payment) => sum + (multi ? payment.presentment : payment.shop), 0);
  let total = 0;
  for (const [i, transaction] of request.transactions.entries()) {
    if (transaction.amount <= 0)
      return userError(["transactions", String(i), "amount"], "Amount must be greater than 0");
    if (
      transaction.parentId !== null &&
      !payments.some((payment) => payment.transaction.id === transaction.parentId)
    )
      return userError(
        ["transactions", String(i), "parentId"],
        "Parent transaction does not exist on the order",
      );
    total += transaction.amount;
  }
  if (!allowOverRefunding && total > available)
    return userError(
      ["transactions"],
      `Refund amount of ${fromCents(total)} exceeds the ${fromCents(available)} that can be refunded`,
    );
  return null;
}

/**
 * Takes refunded units off the fulfillment orders, unfulfilled ones first, and moves their
 * inventory (orders-inventory.server.ts): the unfulfilled units the order committed go back to
 * available when restocked, else out of committed and on hand; fulfilled units restocked come
 * back into available and on hand at `locationId` or where they were fulfilled.
 */
function releaseFulfillment(
  shop: ShopState,
  order: OrderRecord,
  line: LineItemRecord,
  units: number,
  restock: boolean,
  locationId: number | null,
  now: Date,
  inventory: CatalogChanges,
) {
  const unfulfilled = Math.max(
    0,
    line.currentQuantity - (fulfilledQuantities(shop, order).get(line.id) ?? 0),
  );
  let left = Math.min(units, unfulfilled);
  if (restock) restockReturned(shop, order, line.id, units - left, locationId, now, inventory);
  for (const foId of order.fulfillmentOrderIds) {
    const fo = shop.fulfillmentOrders.get(foId);
    const item = fo?.lineItems.find((candidate) => candidate.lineItemId === line.id);
    if (!fo || !item || left <= 0) continue;
    const take = Math.min(left, item.remainingQuantity);
    releaseCommitted(shop, order, fo, item, take, restock, now, inventory);
    item.remainingQuantity -= take;
    item.totalQuantity -= take;
    left -= take;
    if (fo.status === "OPEN" || fo.status === "IN_PROGRESS")
      fo.status = fo.lineItems.some((candidate) => candidate.remainingQuantity > 0) ? fo.status : "CLOSED";
    fo.updatedAt = now;
  }
}

/**
 * The location a refunded line is restocked at (RefundLineItem.location, "the location where the
 * line item was restocked", shopify.dev objects/RefundLineItem 2026-07): the one asked for, else
 * where it was fulfilled, else its fulfillment order's location.
 */
function restockLocation(
  shop: ShopState,
  order: OrderRecord,
  lineItemId: number,
  asked: number | null,
): number | null {
  if (asked !== null) return asked;
  let at: number | null = null;
  for (const id of order.fulfillmentIds) {
    const fulfillment = shop.fulfillments.get(id);
    if (fulfillment?.status === "SUCCESS" && fulfillment.lineItems.some((l) => l.lineItemId === lineItemId))
      at = fulfillment.locationId;
  }
  if (at !== null) return at;
  for (const foId of order.fulfillmentOrderIds) {
    const fo = shop.fulfillmentOrders.get(foId);
    if (fo?.lineItems.some((item) => item.lineItemId === lineItemId)) return fo.assignedLocationId;
  }
  return null;
}

/**
 * Records a checked refund: refund lines and shipping with their amounts in both currencies,
 * the transactions, the lines' current quantities, the fulfillment orders, a RefundAgreement,
 * and the inventory moved (recorded in `inventory` for inventory_levels/update).
 */
export function applyRefund(
  shop: ShopState,
  order: OrderRecord,
  request: RefundRequest,
  now: Date,
  inventory: CatalogChanges,
): RefundRecord {
  const multi = isMultiCurrency(order);
  const presented = inPresentment(order);
  const twin = (cents: number) => (multi ? fromCents(cents) : undefined);
  const refund: RefundRecord = {
    id: shop.newId(),
    note: request.note,
    createdAt: now,
    refundLineItems: [],
    refundShippingLines: [],
    transactionIds: [],
  };
  const sales = [];
  for (const { line, quantity, restockType, locationId } of request.lines) {
    const inShop = lineShare(line, order, quantity);
    const inCustomer = lineShare(lineInPresentment(line), presented, quantity);
    sales.push(lineSale(shop, order, line, -quantity, "RETURN"));
    refund.refundLineItems.push({
      id: shop.newId(),
      lineItemId: line.id,
      quantity,
      subtotal: fromCents(inShop.subtotal),
      totalTax: fromCents(inShop.tax),
      presentmentSubtotal: twin(inCustomer.subtotal),
      presentmentTotalTax: twin(inCustomer.tax),
      restockType,
      locationId:
        restockType === "NO_RESTOCK" ? null : restockLocation(shop, order, line.id, locationId ?? null),
    });
    const restock = restockType !== "NO_RESTOCK";
    releaseFulfillment(shop, order, line, quantity, restock, locationId ?? null, now, inventory);
    line.currentQuantity -= quantity;
  }
  if (request.shipping) {
    const inShop = shippingLeft(order);
    const inCustomer = shippingLeft(presented);
    // A partial amount is in the refund's currency; it goes to the lines in order, tax pro rata.
    let asked = "full" in request.shipping ? Infinity : request.shipping.amount;
    inShop.forEach((left, i) => {
      const customer = inCustomer[i]!;
      const base = multi ? customer : left;
      const take = Math.min(asked, base.subtotal);
      if (take <= 0) return;
      asked -= take;
      const share = (cents: number) => (base.subtotal > 0 ? Math.round((cents * take) / base.subtotal) : 0);
      const whole = take === base.subtotal;
      const subtotal = whole ? left.subtotal : share(left.subtotal);
      const tax = whole ? left.tax : share(left.tax);
      const customerSubtotal = whole ? customer.subtotal : share(customer.subtotal);
      const customerTax = whole ? customer.tax : share(customer.tax);
      refund.refundShippingLines!.push({
        id: shop.newId(),
        shippingLineId: left.line.id,
        subtotal: fromCents(subtotal),
        tax: fromCents(tax),
        presentmentSubtotal: twin(customerSubtotal),
        presentmentTax: twin(customerTax),
      });
      const figures = (net: number, taxCents: number) => ({
        total: net + (order.taxesIncluded ? 0 : taxCents),
        discount: 0,
        tax: taxCents,
        taxes: [],
      });
      sales.push(
        saleRecord(
          shop,
          {
            lineType: "SHIPPING",
            actionType: "RETURN",
            lineItemId: null,
            shippingLineId: left.line.id,
            quantity: -1,
          },
          figures(subtotal, tax),
          figures(customerSubtotal, customerTax),
          -1,
        ),
      );
    });
  }
  const payments = refundable(order);
  for (const requested of request.transactions) {
    const parent =
      payments.find((payment) => payment.transaction.id === requested.parentId) ??
      payments.find((payment) => (multi ? payment.presentment : payment.shop) > 0) ??
      payments[0];
    // Refunding what is left of a payment in the customer's currency gives back what is left of it in the shop's.
    const shopCents = !multi
      ? requested.amount
      : parent && requested.amount === parent.presentment
        ? parent.shop
        : shopFromPresentment(order, requested.amount);
    const record: TransactionRecord = {
      id: shop.newId(),
      kind: "REFUND",
      status: "SUCCESS",
      gateway: requested.gateway,
      amount: fromCents(shopCents),
      presentmentAmount: twin(requested.amount),
      parentId: parent?.transaction.id ?? null,
      test: order.test,
      createdAt: now,
      processedAt: now,
    };
    order.transactions.push(record);
    refund.transactionIds.push(record.id);
  }
  order.refunds.push(refund);
  const agreement: AgreementRecord = {
    id: shop.newId(),
    reason: "REFUND",
    happenedAt: now,
    refundId: refund.id,
    sales,
  };
  order.agreements = [...(order.agreements ?? []), agreement];
  return refund;
}

/** Everything left to give back: every current unit, all shipping left, each payment's remainder to its own gateway. */
export function fullRefund(order: OrderRecord, restockType: string, note: string | null): RefundRequest {
  const multi = isMultiCurrency(order);
  return {
    lines: order.lineItems
      .filter((line) => line.currentQuantity > 0)
      .map((line) => ({ line, quantity: line.currentQuantity, restockType })),
    shipping: shippingLeft(order).some((left) => left.subtotal > 0) ? { full: true } : null,
    transactions: refundable(order)
      .filter((payment) => (multi ? payment.presentment : payment.shop) > 0)
      .map((payment) => ({
        amount: multi ? payment.presentment : payment.shop,
        gateway: payment.transaction.gateway,
        parentId: payment.transaction.id,
      })),
    note,
  };
}

interface RefundInput {
  orderId: string;
  currency?: string | null;
  note?: string | null;
  notify?: boolean | null;
  allowOverRefunding?: boolean | null;
  refundLineItems?:
    | { lineItemId: string; quantity: number; restockType?: string | null; locationId?: string | null }[]
    | null;
  shipping?: { amount?: string | number | null; fullRefund?: boolean | null } | null;
  transactions?:
    | { amount: string | number; gateway: string; kind: string; orderId: string; parentId?: string | null }[]
    | null;
}

/**
 * `refundCreate`: checks the input against the order, records the refund, sends refunds/create,
 * orders/updated and inventory_levels/update per level a restock (or an unrestocked unfulfilled
 * unit) moved.
 */
export function createRefund(
  shop: ShopState,
  input: RefundInput,
  env: MutationEnv,
): { errors: UserError[]; order?: OrderRecord; refund?: RefundRecord } {
  const orderId = numericId(input.orderId, "Order");
  const order = orderId === null ? undefined : shop.orders.get(orderId);
  if (!order) return { errors: [userError(["orderId"], "Order does not exist")] };
  const currency = presentmentCurrency(order);
  if (isMultiCurrency(order) ? input.currency !== currency : input.currency && input.currency !== currency)
    return {
      errors: [
        userError(
          ["currency"],
          `Currency must be the order's presentment currency (${currency}), required when it differs from the shop's`,
        ),
      ],
    };
  const lines: RefundRequest["lines"] = [];
  for (const [i, item] of (input.refundLineItems ?? []).entries()) {
    const id = numericId(item.lineItemId, "LineItem");
    const line = order.lineItems.find((candidate) => candidate.id === id);
    if (!line)
      return {
        errors: [
          userError(["refundLineItems", String(i), "lineItemId"], "Line item does not exist on the order"),
        ],
      };
    const restockType = item.restockType ?? "NO_RESTOCK";
    const locationId = item.locationId ? numericId(item.locationId, "Location") : null;
    if (
      restockType !== "NO_RESTOCK" &&
      item.locationId &&
      (locationId === null || !shop.locations.has(locationId))
    )
      return {
        errors: [userError(["refundLineItems", String(i), "locationId"], "Location does not exist")],
      };
    lines.push({ line, quantity: item.quantity, restockType, locationId });
  }
  const transactions: RefundRequest["transactions"] = [];
  for (const [i, transaction] of (input.transactions ?? []).entries()) {
    if (transaction.kind !== "REFUND")
      return { errors: [userError(["transactions", String(i), "kind"], "Kind must be refund")] };
    if (numericId(transaction.orderId, "Order") !== order.id)
      return {
        errors: [userError(["transactions", String(i), "orderId"], "Transaction is for another order")],
      };
    const parentId = transaction.parentId ? numericId(transaction.parentId, "OrderTransaction") : null;
    transactions.push({ amount: toCents(transaction.amount), gateway: transaction.gateway, parentId });
  }
  const shipping = input.shipping?.fullRefund
    ? ({ full: true } as const)
    : input.shipping?.amount !== undefined && input.shipping.amount !== null
      ? { amount: toCents(input.shipping.amount) }
      : null;
  const request: RefundRequest = { lines, shipping, transactions, note: input.note ?? null };
  const problem = checkRefund(order, request, input.allowOverRefunding ?? false);
  if (problem) return { errors: [problem] };
  if (lines.length === 0 && !shipping && transactions.length === 0)
    return { errors: [userError(null, "A refund needs line items, shipping or transactions")] };
  const now = env.now();
  const inventory = new CatalogChanges();
  const refund = applyRefund(shop, order, request, now, inventory);
  refreshOrder(shop, order, now, { financial: true });
  emitWebhook(env, "refunds/create", { order, refund });
  emitWebhook(env, "orders/updated", order);
  inventory.emit(env);
  return { errors: [], order, refund };
}
