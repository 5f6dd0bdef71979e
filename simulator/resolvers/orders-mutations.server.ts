import type { ShopState } from "../state/shop-state.server";
import type { OrderRecord, TransactionRecord } from "../state/records.server";
import { emitWebhook } from "../webhooks/emit.server";
import { userError, type FieldMap, type ResolverContext, type MutationEnv } from "./context.server";
import { addressFromInput, type AddressInput } from "./addresses.server";
import { inPresentment, isMultiCurrency } from "./orders-currency.server";
import { CatalogChanges } from "./catalog-events.server";
import { releaseOrder } from "./orders-inventory.server";
import { applyRefund, createRefund, fullRefund } from "./orders-refunds.server";
import { orderTotals } from "./orders-money.server";
import { fromCents, toCents } from "./money.server";
import { beginEdit, commitEdit, stageQuantity } from "./orders-edit.server";
import { refundView } from "./orders-line-views.server";
import { autoArchive, findOrder, fulfilledQuantities, refreshOrder } from "./orders-state.server";
import { orderView } from "./orders-views.server";

/**
 * `orderUpdate`, `orderCancel`, `orderMarkAsPaid`, `orderClose` and `orderOpen`, and the
 * test helper `changeOrderLineQuantity`. Every change stamps updatedAt and sends
 * orders/updated (plus orders/paid or orders/cancelled where the change is that); a
 * cancellation also releases the inventory the order committed (inventory_levels/update).
 */

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function notFound(field: string[]) {
  return { order: null, userErrors: [userError(field, "Order does not exist")] };
}

/** orders/updated after a change, after the topics naming the change itself (orders/paid...). */
function emitUpdated(
  env: MutationEnv,
  order: OrderRecord,
  topics: ("orders/paid" | "orders/cancelled")[] = [],
) {
  emitWebhook(env, [...topics, "orders/updated"], order);
}

export function transaction(
  shop: ShopState,
  order: OrderRecord,
  now: Date,
  fields: Pick<TransactionRecord, "kind" | "amount" | "parentId" | "gateway" | "presentmentAmount">,
): TransactionRecord {
  const record: TransactionRecord = {
    id: shop.newId(),
    status: "SUCCESS",
    test: order.test,
    createdAt: now,
    processedAt: now,
    ...fields,
  };
  order.transactions.push(record);
  return record;
}

interface OrderUpdateInput {
  id: string;
  email?: string | null;
  phone?: string | null;
  note?: string | null;
  tags?: string[] | null;
  shippingAddress?: AddressInput | null;
}

export const orderMutations: FieldMap = {
  orderUpdate: (args: { input: OrderUpdateInput }, context: ResolverContext) => {
    const { shop } = context;
    const order = findOrder(shop, args.input.id);
    if (!order) return notFound(["id"]);
    const { input } = args;
    const email = input.email === undefined ? undefined : input.email?.trim() || null;
    if (email && !EMAIL.test(email))
      return { order: null, userErrors: [userError(["email"], "Email is invalid")] };
    if (email !== undefined) order.email = email?.toLowerCase() ?? null;
    if (input.phone !== undefined) order.phone = input.phone?.trim() || null;
    if (input.note !== undefined) order.note = input.note;
    if (input.tags !== undefined)
      order.tags = [
        ...new Set(
          (input.tags ?? [])
            .flatMap((tag) => tag.split(","))
            .map((tag) => tag.trim())
            .filter(Boolean),
        ),
      ];
    if (input.shippingAddress !== undefined)
      order.shippingAddress = input.shippingAddress ? addressFromInput(input.shippingAddress) : null;
    refreshOrder(shop, order, context.now());
    emitUpdated(context, order);
    return { order: orderView(shop, order), userErrors: [] };
  },

  orderMarkAsPaid: (args: { input: { id: string } }, context: ResolverContext) => {
    const { shop } = context;
    const order = findOrder(shop, args.input.id);
    if (!order) return notFound(["id"]);
    const totals = orderTotals(order);
    const presented = orderTotals(inPresentment(order));
    if (
      order.cancelledAt ||
      totals.outstanding <= 0 ||
      ["PAID", "REFUNDED", "PARTIALLY_REFUNDED"].includes(order.displayFinancialStatus)
    )
      return { order: null, userErrors: [userError(["id"], "Order cannot be marked as paid.")] };
    const now = context.now();
    let left = totals.outstanding;
    let presentedLeft = presented.outstanding;
    const twin = (cents: number) => (isMultiCurrency(order) ? fromCents(cents) : undefined);
    // An open authorization is captured first; the rest is a manual sale.
    const authorization = order.transactions.find(
      (t) => t.kind === "AUTHORIZATION" && t.status === "SUCCESS",
    );
    if (authorization && totals.capturable > 0) {
      const capture = Math.min(totals.capturable, left);
      const presentedCapture = Math.min(presented.capturable, presentedLeft);
      transaction(shop, order, now, {
        kind: "CAPTURE",
        amount: fromCents(capture),
        presentmentAmount: twin(presentedCapture),
        parentId: authorization.id,
        gateway: authorization.gateway,
      });
      left -= capture;
      presentedLeft -= presentedCapture;
    }
    if (left > 0)
      transaction(shop, order, now, {
        kind: "SALE",
        amount: fromCents(left),
        presentmentAmount: twin(presentedLeft),
        parentId: null,
        gateway: "manual",
      });
    const before = order.displayFinancialStatus;
    refreshOrder(shop, order, now, { financial: true });
    autoArchive(order, now);
    emitUpdated(
      context,
      order,
      order.displayFinancialStatus === "PAID" && before !== "PAID" ? ["orders/paid"] : [],
    );
    return { order: orderView(shop, order), userErrors: [] };
  },

  orderCancel: (
    args: {
      orderId: string;
      reason: string;
      refund?: boolean | null;
      refundMethod?: { originalPaymentMethodsRefund?: boolean | null } | null;
      restock: boolean;
      notifyCustomer?: boolean | null;
      staffNote?: string | null;
    },
    context: ResolverContext,
  ) => {
    const { shop } = context;
    const fail = (message: string, code: string, field: string[] | null = ["orderId"]) => ({
      job: null,
      orderCancelUserErrors: [userError(field, message, code)],
      userErrors: [userError(field, message)],
    });
    const order = findOrder(shop, args.orderId);
    if (!order) return fail("Order does not exist", "NOT_FOUND");
    if (order.cancelledAt) return fail("Order has already been cancelled", "INVALID");
    if (order.fulfillmentIds.some((id) => shop.fulfillments.get(id)?.status === "SUCCESS"))
      return fail("Cannot cancel an order with fulfillments. Cancel the fulfillments first.", "INVALID");
    const now = context.now();
    const transactionsBefore = order.transactions.length;
    const presented = inPresentment(order);
    // Authorized payments are voided whatever the refund choice (orderCancel arguments).
    order.transactions.forEach((auth, i) => {
      if (auth.kind !== "AUTHORIZATION" || auth.status !== "SUCCESS") return;
      const captured = (list: TransactionRecord[]) =>
        list
          .filter((t) => t.parentId === auth.id && t.kind === "CAPTURE" && t.status === "SUCCESS")
          .reduce((sum, t) => sum + toCents(t.amount), 0);
      const open = toCents(auth.amount) - captured(order.transactions);
      const openPresented = toCents(presented.transactions[i]!.amount) - captured(presented.transactions);
      if (open > 0)
        transaction(shop, order, now, {
          kind: "VOID",
          amount: fromCents(open),
          presentmentAmount: isMultiCurrency(order) ? fromCents(openPresented) : undefined,
          parentId: auth.id,
          gateway: auth.gateway,
        });
    });
    // With a refund, everything left goes back as refundCreate would: every unit, the
    // shipping, each payment's remainder to its own gateway (orders-refunds).
    const refund = args.refund ?? args.refundMethod?.originalPaymentMethodsRefund ?? false;
    const inventory = new CatalogChanges();
    const refundRecord =
      refund && orderTotals(order).net > 0
        ? applyRefund(
            shop,
            order,
            fullRefund(order, args.restock ? "CANCEL" : "NO_RESTOCK", args.staffNote ?? null),
            now,
            inventory,
          )
        : null;
    // "restock: Whether to restock the inventory committed to the order" (orderCancel
    // arguments): what the order still has committed goes back to available, or without a
    // restock leaves committed and on hand (orders-inventory.server.ts).
    releaseOrder(shop, order, args.restock, now, inventory);
    for (const line of order.lineItems) line.currentQuantity = 0;
    for (const id of order.fulfillmentOrderIds) {
      const fo = shop.fulfillmentOrders.get(id);
      if (!fo || fo.status === "CLOSED" || fo.status === "CANCELLED") continue;
      fo.status = "CLOSED";
      for (const item of fo.lineItems) item.remainingQuantity = 0;
      fo.updatedAt = now;
    }
    order.cancelledAt = now;
    order.cancelReason = args.reason;
    order.closedAt = now; // Shopify archives cancelled orders
    refreshOrder(shop, order, now, { financial: order.transactions.length > transactionsBefore });
    if (refundRecord) emitWebhook(context, "refunds/create", { order, refund: refundRecord });
    emitUpdated(context, order, ["orders/cancelled"]);
    inventory.emit(context);
    return {
      job: { __typename: "Job", id: `gid://shopify/Job/${order.id}-cancel`, done: true, query: null },
      orderCancelUserErrors: [],
      userErrors: [],
    };
  },

  refundCreate: (args: { input: Parameters<typeof createRefund>[1] }, context: ResolverContext) => {
    const { shop } = context;
    const { errors, order, refund } = createRefund(shop, args.input, context);
    if (!order || !refund) return { order: null, refund: null, userErrors: errors };
    const self = () => orderView(shop, order);
    return {
      order: self(),
      refund: refundView(shop, order, refund, fulfilledQuantities(shop, order), self),
      userErrors: [],
    };
  },

  orderClose: (args: { input: { id: string } }, context: ResolverContext) => {
    const { shop } = context;
    const order = findOrder(shop, args.input.id);
    if (!order) return notFound(["id"]);
    if (!order.closedAt) {
      order.closedAt = context.now();
      refreshOrder(shop, order, context.now());
      emitUpdated(context, order);
    }
    return { order: orderView(shop, order), userErrors: [] };
  },

  orderOpen: (args: { input: { id: string } }, context: ResolverContext) => {
    const { shop } = context;
    const order = findOrder(shop, args.input.id);
    if (!order) return notFound(["id"]);
    if (order.cancelledAt)
      return { order: null, userErrors: [userError(["id"], "Cancelled orders cannot be reopened")] };
    if (order.closedAt) {
      order.closedAt = null;
      refreshOrder(shop, order, context.now());
      emitUpdated(context, order);
    }
    return { order: orderView(shop, order), userErrors: [] };
  },
};

/**
 * Test helper (not an Admin API operation), the /_sim line edit: sets a line's current
 * quantity through the same code as orderEditBegin, orderEditSetQuantity and orderEditCommit
 * (so the order, its fulfillment order and the webhooks, orders/edited and orders/updated, are
 * what the real edit gives). `env` is the clock and webhook queue: `contextFor(sim, shop.domain)`
 * provides both. Throws on an unknown order or line, or a change the edit refuses (a quantity
 * below what is already fulfilled, a cancelled or archived order).
 */
export function changeOrderLineQuantity(
  shop: ShopState,
  orderId: string | number,
  lineItemId: string | number,
  quantity: number,
  env: MutationEnv,
): OrderRecord {
  const order = findOrder(shop, orderId);
  if (!order) throw new Error(`no order ${orderId}`);
  const id =
    typeof lineItemId === "number"
      ? lineItemId
      : Number(String(lineItemId).replace(/^gid:\/\/shopify\/LineItem\//, ""));
  const line = order.lineItems.find((candidate) => candidate.id === id);
  if (!line) throw new Error(`order ${order.name} has no line ${lineItemId}`);
  const begun = beginEdit(shop, order.id, env.now());
  if (!begun.edit) throw new Error(begun.errors.map((error) => error.message).join("; "));
  const staged = stageQuantity(shop, begun.edit, order, { lineItemId: line.id, quantity });
  if (staged.errors.length > 0) throw new Error(staged.errors.map((error) => error.message).join("; "));
  const committed = commitEdit(shop, begun.edit, env);
  if (!committed.order) throw new Error(committed.errors.map((error) => error.message).join("; "));
  return committed.order;
}
