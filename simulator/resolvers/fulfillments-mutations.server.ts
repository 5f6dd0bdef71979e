import { numericId, type ShopState } from "../state/shop-state.server";
import type { FulfillmentOrderRecord, FulfillmentRecord, OrderRecord } from "../state/records.server";
import { emitWebhook } from "../webhooks/emit.server";
import { CatalogChanges } from "./catalog-events.server";
import { userError, type FieldMap, type ResolverContext, type UserError } from "./context.server";
import { fulfillmentOrderView, fulfillmentView } from "./fulfillments-views.server";
import { fulfilCommitted } from "./orders-inventory.server";
import { autoArchive, refreshOrder } from "./orders-state.server";

/**
 * `fulfillmentCreate` and `fulfillmentTrackingInfoUpdate`
 * (https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/fulfillmentCreate): the
 * fulfillment orders of one call must belong to one order and one location; quantities may
 * not exceed what remains; a closed or cancelled fulfillment order cannot be fulfilled;
 * omitting the line items fulfils everything that remains. Any error changes nothing. The
 * fulfilled units of tracked items the order committed leave committed and on hand at the
 * fulfillment order's location (orders-inventory.server.ts), with inventory_levels/update
 * after fulfillments/create and the order topics.
 */

export interface TrackingInput {
  company?: string | null;
  number?: string | null;
  numbers?: string[] | null;
  url?: string | null;
  urls?: string[] | null;
}

// Carriers Shopify builds tracking URLs for (FulfillmentTrackingInfo, supported companies).
const CARRIER_URLS: Record<string, (number: string) => string> = {
  UPS: (n) => `https://www.ups.com/WebTracking?loc=en_US&requester=ST&trackNums=${n}`,
  USPS: (n) => `https://tools.usps.com/go/TrackConfirmAction?qtc_tLabels1=${n}`,
  FedEx: (n) => `https://www.fedex.com/fedextrack/?trknbr=${n}`,
  "DHL Express": (n) => `https://www.dhl.com/en/express/tracking.html?AWB=${n}&brand=DHL`,
  "Canada Post": (n) => `https://www.canadapost-postescanada.ca/track-reperage/en#/search?searchFor=${n}`,
  "Royal Mail": (n) => `https://www.royalmail.com/track-your-item#/tracking-results/${n}`,
};

export function trackingEntries(input: TrackingInput | null | undefined): FulfillmentRecord["trackingInfo"] {
  if (!input) return [];
  const company = input.company?.trim() || null;
  const numbers = input.numbers?.length ? input.numbers : input.number ? [input.number] : [];
  const urls = input.urls?.length ? input.urls : input.url ? [input.url] : [];
  if (numbers.length === 0)
    return company || urls[0] ? [{ company, number: null, url: urls[0] ?? null }] : [];
  return numbers.map((number, i) => ({
    company,
    number,
    url: urls[i] ?? (company && CARRIER_URLS[company] ? CARRIER_URLS[company](number) : null),
  }));
}

export interface FulfillmentPick {
  fulfillmentOrder: FulfillmentOrderRecord;
  lineId: number;
  quantity: number;
}

/**
 * Records a fulfillment of checked picks: remaining quantities, statuses, the order, and the
 * inventory the fulfilled units held (committed and on hand at the fulfillment order's
 * location, orders-inventory.server.ts), recorded in `inventory` for inventory_levels/update.
 */
export function applyFulfillment(
  shop: ShopState,
  order: OrderRecord,
  picks: FulfillmentPick[],
  options: {
    tracking: FulfillmentRecord["trackingInfo"];
    notifyCustomer: boolean;
    now: Date;
    inventory: CatalogChanges;
  },
): FulfillmentRecord {
  const byLineItem = new Map<number, number>();
  for (const pick of picks) {
    const line = pick.fulfillmentOrder.lineItems.find((item) => item.id === pick.lineId)!;
    line.remainingQuantity -= pick.quantity;
    fulfilCommitted(shop, order, pick.fulfillmentOrder, line, pick.quantity, options.now, options.inventory);
    byLineItem.set(line.lineItemId, (byLineItem.get(line.lineItemId) ?? 0) + pick.quantity);
  }
  const fulfillmentOrders = [...new Set(picks.map((pick) => pick.fulfillmentOrder))];
  for (const fo of fulfillmentOrders) {
    fo.status = fo.lineItems.every((item) => item.remainingQuantity === 0) ? "CLOSED" : "IN_PROGRESS";
    fo.updatedAt = options.now;
  }
  const fulfillment: FulfillmentRecord = {
    id: shop.newId(),
    orderId: order.id,
    locationId: fulfillmentOrders[0]!.assignedLocationId,
    name: `${order.name}.${order.fulfillmentIds.length + 1}`,
    status: "SUCCESS",
    trackingInfo: options.tracking,
    notifyCustomer: options.notifyCustomer,
    lineItems: [...byLineItem].map(([lineItemId, quantity]) => ({ id: shop.newId(), lineItemId, quantity })),
    fulfillmentOrderIds: fulfillmentOrders.map((fo) => fo.id),
    createdAt: options.now,
    updatedAt: options.now,
  };
  shop.fulfillments.set(fulfillment.id, fulfillment);
  order.fulfillmentIds.push(fulfillment.id);
  refreshOrder(shop, order, options.now);
  autoArchive(order, options.now);
  return fulfillment;
}

/** The order topics a new fulfillment sends after fulfillments/create: orders/fulfilled or partially_fulfilled, then orders/updated. */
function fulfilledTopics(order: OrderRecord) {
  const status = order.displayFulfillmentStatus;
  if (status === "FULFILLED") return ["orders/fulfilled", "orders/updated"] as const;
  if (status === "PARTIALLY_FULFILLED") return ["orders/partially_fulfilled", "orders/updated"] as const;
  return ["orders/updated"] as const;
}

interface FulfillmentInput {
  lineItemsByFulfillmentOrder: {
    fulfillmentOrderId: string;
    fulfillmentOrderLineItems?: { id: string; quantity: number }[] | null;
  }[];
  trackingInfo?: TrackingInput | null;
  notifyCustomer?: boolean | null;
}

function checkPicks(
  shop: ShopState,
  input: FulfillmentInput,
): { errors: UserError[]; picks: FulfillmentPick[] } {
  const field = ["fulfillment"];
  const fail = (message: string) => ({ errors: [userError(field, message)], picks: [] });
  if (input.lineItemsByFulfillmentOrder.length === 0)
    return fail("Line items by fulfillment order must not be empty.");
  const picks: FulfillmentPick[] = [];
  const seen = new Set<number>();
  for (const group of input.lineItemsByFulfillmentOrder) {
    const id = numericId(group.fulfillmentOrderId, "FulfillmentOrder");
    const fo = id === null ? undefined : shop.fulfillmentOrders.get(id);
    if (!fo) return fail("Fulfillment order does not exist.");
    if (seen.has(fo.id)) return fail("Fulfillment orders must be unique.");
    seen.add(fo.id);
    if (fo.status !== "OPEN" && fo.status !== "IN_PROGRESS")
      return fail(`Fulfillment order ${fo.id} has an unfulfillable status= ${fo.status.toLowerCase()}.`);
    if (group.fulfillmentOrderLineItems == null || group.fulfillmentOrderLineItems.length === 0) {
      for (const line of fo.lineItems)
        if (line.remainingQuantity > 0)
          picks.push({ fulfillmentOrder: fo, lineId: line.id, quantity: line.remainingQuantity });
      continue;
    }
    const requested = new Map<number, number>();
    for (const item of group.fulfillmentOrderLineItems) {
      const lineId = numericId(item.id, "FulfillmentOrderLineItem");
      const line = lineId === null ? undefined : fo.lineItems.find((candidate) => candidate.id === lineId);
      if (!line) return fail("Fulfillment order line item does not exist.");
      const quantity = (requested.get(line.id) ?? 0) + item.quantity;
      if (item.quantity <= 0 || quantity > line.remainingQuantity)
        return fail("Invalid fulfillment order line item quantity requested.");
      requested.set(line.id, quantity);
      picks.push({ fulfillmentOrder: fo, lineId: line.id, quantity: item.quantity });
    }
  }
  const fulfillmentOrders = [...new Set(picks.map((pick) => pick.fulfillmentOrder))];
  if (new Set(fulfillmentOrders.map((fo) => fo.orderId)).size > 1)
    return fail("All fulfillment orders must belong to the same order.");
  if (new Set(fulfillmentOrders.map((fo) => fo.assignedLocationId)).size > 1)
    return fail("All fulfillment orders must be assigned to a single location.");
  if (picks.length === 0) return fail("Invalid fulfillment order line item quantity requested.");
  return { errors: [], picks };
}

export const fulfillmentQueries: FieldMap = {
  fulfillmentOrder: (args: { id: string }, context: ResolverContext) => {
    const id = numericId(args.id, "FulfillmentOrder");
    const fo = id === null ? undefined : context.shop.fulfillmentOrders.get(id);
    return fo ? fulfillmentOrderView(context.shop, fo) : null;
  },
  fulfillment: (args: { id: string }, context: ResolverContext) => {
    const id = numericId(args.id, "Fulfillment");
    const fulfillment = id === null ? undefined : context.shop.fulfillments.get(id);
    return fulfillment ? fulfillmentView(context.shop, fulfillment) : null;
  },
};

export const fulfillmentMutations: FieldMap = {
  fulfillmentCreate: (
    args: { fulfillment: FulfillmentInput; message?: string | null },
    context: ResolverContext,
  ) => {
    const { shop } = context;
    const { errors, picks } = checkPicks(shop, args.fulfillment);
    if (errors.length > 0) return { fulfillment: null, userErrors: errors };
    const order = shop.orders.get(picks[0]!.fulfillmentOrder.orderId);
    if (!order)
      return { fulfillment: null, userErrors: [userError(["fulfillment"], "Order does not exist.")] };
    const inventory = new CatalogChanges();
    const fulfillment = applyFulfillment(shop, order, picks, {
      tracking: trackingEntries(args.fulfillment.trackingInfo),
      notifyCustomer: args.fulfillment.notifyCustomer ?? false,
      now: context.now(),
      inventory,
    });
    emitWebhook(context, "fulfillments/create", { order, fulfillment });
    emitWebhook(context, fulfilledTopics(order), order);
    inventory.emit(context);
    return { fulfillment: fulfillmentView(shop, fulfillment), userErrors: [] };
  },
  fulfillmentTrackingInfoUpdate: (
    args: { fulfillmentId: string; trackingInfoInput: TrackingInput; notifyCustomer?: boolean | null },
    context: ResolverContext,
  ) => {
    const { shop } = context;
    const id = numericId(args.fulfillmentId, "Fulfillment");
    const fulfillment = id === null ? undefined : shop.fulfillments.get(id);
    const order = fulfillment ? shop.orders.get(fulfillment.orderId) : undefined;
    if (!fulfillment || !order)
      return { fulfillment: null, userErrors: [userError(["fulfillmentId"], "Fulfillment does not exist.")] };
    if (fulfillment.status === "CANCELLED")
      return { fulfillment: null, userErrors: [userError(["fulfillmentId"], "Fulfillment is cancelled.")] };
    fulfillment.trackingInfo = trackingEntries(args.trackingInfoInput);
    if (args.notifyCustomer != null) fulfillment.notifyCustomer = args.notifyCustomer;
    fulfillment.updatedAt = new Date(Math.max(context.now().getTime(), fulfillment.updatedAt.getTime() + 1));
    emitWebhook(context, "fulfillments/update", { order, fulfillment });
    return { fulfillment: fulfillmentView(shop, fulfillment), userErrors: [] };
  },
};

export function fulfillmentNode(type: string, id: number, context: ResolverContext): unknown {
  if (type === "FulfillmentOrder") {
    const fo = context.shop.fulfillmentOrders.get(id);
    return fo ? fulfillmentOrderView(context.shop, fo) : null;
  }
  if (type === "Fulfillment") {
    const fulfillment = context.shop.fulfillments.get(id);
    return fulfillment ? fulfillmentView(context.shop, fulfillment) : null;
  }
  return undefined;
}
