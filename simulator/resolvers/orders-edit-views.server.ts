import { gid, type ShopState } from "../state/shop-state.server";
import type {
  DiscountApplication,
  LineItemRecord,
  OrderEditRecord,
  OrderRecord,
} from "../state/records.server";
import { connection, type ConnectionArgs } from "./connection.server";
import type { FieldMap, ResolverContext } from "./context.server";
import { variantRef } from "./orders-catalog.server";
import { inPresentment, lineInPresentment } from "./orders-currency.server";
import {
  applyEdit,
  beginEdit,
  calculatedOrderId,
  commitEdit,
  openEdit,
  stageQuantity,
  stageVariant,
} from "./orders-edit.server";
import { discountApplicationView, pairBag, taxLineView } from "./orders-line-views.server";
import { lineAmounts, orderTotals, type OrderTotals } from "./orders-money.server";
import { toCents } from "./money.server";
import { fulfilledQuantities } from "./orders-state.server";
import { aggregateTaxLines, orderView } from "./orders-views.server";

/**
 * The order editing mutations and the CalculatedOrder they answer with
 * (https://shopify.dev/docs/api/admin-graphql/2026-07/objects/CalculatedOrder): the order as
 * it would stand with the session's staged changes, computed by the same code that commits them.
 */

const CALCULATED_APPLICATION: Record<DiscountApplication["type"], string> = {
  DISCOUNT_CODE: "CalculatedDiscountCodeApplication",
  MANUAL: "CalculatedManualDiscountApplication",
  AUTOMATIC: "CalculatedAutomaticDiscountApplication",
  SCRIPT: "CalculatedScriptDiscountApplication",
};

function calculatedLineItemView(
  shop: ShopState,
  edit: OrderEditRecord,
  original: OrderRecord,
  draft: OrderRecord,
  line: LineItemRecord,
) {
  const fulfilled = fulfilledQuantities(shop, original).get(line.id) ?? 0;
  const before = original.lineItems.find((candidate) => candidate.id === line.id);
  const staged = edit.quantities.find((candidate) => candidate.lineItemId === line.id);
  const presentedDraft = inPresentment(draft);
  const inShop = lineAmounts(line, draft);
  const inCustomer = lineAmounts(lineInPresentment(line), presentedDraft);
  const unit = (amounts: typeof inShop) =>
    line.quantity > 0
      ? amounts.originalUnit - Math.round(amounts.lineLevelDiscount / line.quantity)
      : amounts.originalUnit;
  const editable = line.tip ? 0 : Math.max(0, line.currentQuantity - fulfilled);
  const editableBefore = before && !before.tip ? Math.max(0, before.currentQuantity - fulfilled) : 0;
  const changes = stagedChanges(shop, edit, original).filter(
    (change) => (change.lineItem as { id?: string } | undefined)?.id === gid("LineItem", line.id),
  );
  return {
    __typename: "CalculatedLineItem",
    id: gid("CalculatedLineItem", line.id),
    title: line.title,
    variantTitle: line.variantTitle,
    sku: line.sku,
    quantity: line.currentQuantity,
    editableQuantity: editable,
    editableQuantityBeforeChanges: editableBefore,
    originalUnitPriceSet: pairBag(inShop.originalUnit, inCustomer.originalUnit, draft),
    discountedUnitPriceSet: pairBag(unit(inShop), unit(inCustomer), draft),
    editableSubtotalSet: pairBag(unit(inShop) * editable, unit(inCustomer) * editable, draft),
    uneditableSubtotalSet: pairBag(unit(inShop) * fulfilled, unit(inCustomer) * fulfilled, draft),
    restockable: line.variantId !== null,
    restocking: staged?.restock === true && staged.quantity < (before?.currentQuantity ?? 0),
    hasStagedLineItemDiscount: false,
    customAttributes: [],
    image: null,
    stagedChanges: changes,
    calculatedDiscountAllocations: line.discountAllocations.map((allocation) => {
      const application = draft.discountApplications.find(
        (candidate) => candidate.index === allocation.discountApplicationIndex,
      );
      return {
        allocatedAmountSet: pairBag(
          toCents(allocation.amount),
          toCents(allocation.presentmentAmount ?? allocation.amount),
          draft,
        ),
        discountApplication: application
          ? {
              ...discountApplicationView(application, draft.currencyCode),
              __typename: CALCULATED_APPLICATION[application.type],
              id: gid("CalculatedDiscountApplication", `${draft.id}-${application.index}`),
              appliedTo: "LINE",
              description: null,
              code: application.code ?? application.title,
            }
          : null,
      };
    }),
    variant: (_args: unknown, context: ResolverContext) => variantRef(line.variantId, context),
  };
}

function stagedChanges(shop: ShopState, edit: OrderEditRecord, order: OrderRecord) {
  const lineRef = (id: number) => ({ id: gid("LineItem", id) });
  return [
    ...edit.quantities.map((staged) => {
      const line = order.lineItems.find((candidate) => candidate.id === staged.lineItemId)!;
      const delta = staged.quantity - line.currentQuantity;
      return delta > 0
        ? { __typename: "OrderStagedChangeIncrementItem", delta, lineItem: lineRef(line.id) }
        : {
            __typename: "OrderStagedChangeDecrementItem",
            delta: -delta,
            restock: staged.restock,
            lineItem: lineRef(line.id),
          };
    }),
    ...edit.added.map((added) => ({
      __typename: "OrderStagedChangeAddVariant",
      quantity: added.quantity,
      variant: (_args: unknown, context: ResolverContext) => variantRef(added.variantId, context),
    })),
  ] as Record<string, unknown>[];
}

export function calculatedOrderView(shop: ShopState, edit: OrderEditRecord, order: OrderRecord) {
  const draft = applyEdit(shop, order, edit, false).order;
  const totals = orderTotals(draft);
  const presented = orderTotals(inPresentment(draft));
  const set = (figure: (t: OrderTotals) => number) => pairBag(figure(totals), figure(presented), draft);
  const addedIds = new Set(edit.added.map((added) => added.id));
  const lineView = (line: LineItemRecord) => calculatedLineItemView(shop, edit, order, draft, line);
  const presentedTaxes = aggregateTaxLines(inPresentment(draft), true);
  return {
    __typename: "CalculatedOrder",
    id: calculatedOrderId(edit),
    committed: edit.committedAt !== null,
    originalOrder: () => orderView(shop, order),
    lineItems: (args: ConnectionArgs) =>
      connection(
        draft.lineItems.filter((line) => !addedIds.has(line.id)),
        args,
        (line) => line.id,
        lineView,
      ),
    addedLineItems: (args: ConnectionArgs) =>
      connection(
        draft.lineItems.filter((line) => addedIds.has(line.id)),
        args,
        (line) => line.id,
        lineView,
      ),
    addedDiscountApplications: (args: ConnectionArgs) =>
      connection(
        [],
        args,
        () => 0,
        () => null,
      ),
    stagedChanges: (args: ConnectionArgs) =>
      connection(
        stagedChanges(shop, edit, order).map((change, i) => ({ ...change, position: i })),
        args,
        (change) => change.position,
        ({ position: _position, ...change }) => change,
      ),
    subtotalLineItemsQuantity: totals.currentLineItemsQuantity,
    subtotalPriceSet: set((t) => t.currentSubtotal),
    cartDiscountAmountSet: set((t) => t.currentLineDiscounts),
    totalPriceSet: set((t) => t.currentTotal),
    totalOutstandingSet: set((t) => t.currentTotal - t.net),
    taxLines: aggregateTaxLines(draft, true).map((line, i) => taxLineView(line, draft, presentedTaxes[i])),
    shippingLines: draft.shippingLines.map((line) => ({
      id: gid("CalculatedShippingLine", line.id),
      title: line.title,
      price: pairBag(toCents(line.price), toCents(line.presentmentPrice ?? line.price), draft),
      stagedStatus: "NONE",
    })),
    notificationPreviewTitle: `Order ${order.name} updated`,
    notificationPreviewHtml: null,
  };
}

function sessionView(edit: OrderEditRecord) {
  return { id: gid("OrderEditSession", edit.id) };
}

function failed(errors: { field: string[] | null; message: string }[]) {
  return { calculatedOrder: null, calculatedLineItem: null, orderEditSession: null, userErrors: errors };
}

function lineOf(shop: ShopState, edit: OrderEditRecord, order: OrderRecord, lineItemId: number) {
  const draft = applyEdit(shop, order, edit, false).order;
  const line = draft.lineItems.find((candidate) => candidate.id === lineItemId);
  return line ? calculatedLineItemView(shop, edit, order, draft, line) : null;
}

export const orderEditMutations: FieldMap = {
  orderEditBegin: (args: { id: string }, context: ResolverContext) => {
    const { shop } = context;
    const { errors, edit } = beginEdit(shop, args.id, context.now());
    if (!edit) return { calculatedOrder: null, orderEditSession: null, userErrors: errors };
    const order = shop.orders.get(edit.orderId)!;
    return {
      calculatedOrder: calculatedOrderView(shop, edit, order),
      orderEditSession: sessionView(edit),
      userErrors: [],
    };
  },

  orderEditSetQuantity: (
    args: { id: string; lineItemId: string; quantity: number; restock?: boolean | null },
    context: ResolverContext,
  ) => {
    const { shop } = context;
    const opened = openEdit(shop, args.id);
    if (!opened.edit || !opened.order) return failed(opened.errors);
    const { edit, order } = opened;
    const staged = stageQuantity(shop, edit, order, args);
    if (staged.lineItemId === undefined) return failed(staged.errors);
    return {
      calculatedLineItem: lineOf(shop, edit, order, staged.lineItemId),
      calculatedOrder: calculatedOrderView(shop, edit, order),
      orderEditSession: sessionView(edit),
      userErrors: [],
    };
  },

  orderEditAddVariant: (
    args: {
      id: string;
      variantId: string;
      quantity: number;
      locationId?: string | null;
      allowDuplicates?: boolean | null;
    },
    context: ResolverContext,
  ) => {
    const { shop } = context;
    const opened = openEdit(shop, args.id);
    if (!opened.edit || !opened.order) return failed(opened.errors);
    const { edit, order } = opened;
    const staged = stageVariant(shop, edit, order, args);
    if (staged.lineItemId === undefined) return failed(staged.errors);
    return {
      calculatedLineItem: lineOf(shop, edit, order, staged.lineItemId),
      calculatedOrder: calculatedOrderView(shop, edit, order),
      orderEditSession: sessionView(edit),
      userErrors: [],
    };
  },

  orderEditCommit: (
    args: { id: string; notifyCustomer?: boolean | null; staffNote?: string | null },
    context: ResolverContext,
  ) => {
    const { shop } = context;
    const opened = openEdit(shop, args.id);
    if (!opened.edit) return { order: null, successMessages: null, userErrors: opened.errors };
    const { errors, order } = commitEdit(shop, opened.edit, context, args);
    if (!order) return { order: null, successMessages: null, userErrors: errors };
    return { order: orderView(shop, order), successMessages: ["Order updated"], userErrors: [] };
  },
};

/** `node(id:)` for a CalculatedOrder of an open or committed session. */
export function calculatedOrderNode(shop: ShopState, id: number): unknown {
  const edit = shop.orderEdits.get(id);
  const order = edit ? shop.orders.get(edit.orderId) : undefined;
  return edit && order ? calculatedOrderView(shop, edit, order) : undefined;
}
