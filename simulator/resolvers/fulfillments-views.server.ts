import { gid, type ShopState } from "../state/shop-state.server";
import type { FulfillmentOrderRecord, FulfillmentRecord, OrderRecord } from "../state/records.server";
import { connection, type ConnectionArgs } from "./connection.server";
import { iso, type ResolverContext } from "./context.server";
import { mailingAddressView, orderAddressId } from "./addresses.server";
import { assignedLocationView, locationRef, variantRef } from "./orders-catalog.server";
import { bag } from "./orders-line-views.server";
import { lineAmounts } from "./orders-money.server";
import { fulfilledQuantities } from "./orders-state.server";
import { lineItemView } from "./orders-line-views.server";
import { orderView } from "./orders-views.server";

/**
 * FulfillmentOrder and Fulfillment views
 * (https://shopify.dev/docs/api/admin-graphql/2026-07/objects/FulfillmentOrder,
 * https://shopify.dev/docs/api/admin-graphql/2026-07/objects/Fulfillment).
 */

function lineItemOf(shop: ShopState, order: OrderRecord, lineItemId: number) {
  const line = order.lineItems.find((candidate) => candidate.id === lineItemId);
  return line ? lineItemView(shop, order, line, fulfilledQuantities(shop, order)) : null;
}

export function fulfillmentOrderView(
  shop: ShopState,
  record: FulfillmentOrderRecord,
): Record<string, unknown> | null {
  const order = shop.orders.get(record.orderId);
  if (!order) return null;
  const open = record.status === "OPEN" || record.status === "IN_PROGRESS";
  const fulfillments = order.fulfillmentIds
    .map((id) => shop.fulfillments.get(id))
    .filter(
      (fulfillment): fulfillment is FulfillmentRecord =>
        fulfillment?.fulfillmentOrderIds.includes(record.id) === true,
    );
  return {
    __typename: "FulfillmentOrder",
    id: gid("FulfillmentOrder", record.id),
    status: record.status,
    requestStatus: record.requestStatus,
    createdAt: iso(record.createdAt),
    updatedAt: iso(record.updatedAt),
    fulfillAt: iso(record.createdAt),
    fulfillBy: null,
    orderId: gid("Order", order.id),
    orderName: order.name,
    orderProcessedAt: iso(order.processedAt),
    order: () => orderView(shop, order),
    assignedLocation: assignedLocationView(
      shop.locations.get(record.assignedLocationId),
      record.assignedLocationId,
    ),
    destination: order.shippingAddress
      ? {
          ...mailingAddressView(order.shippingAddress, orderAddressId(order.id, "shipping")),
          id: gid("FulfillmentOrderDestination", record.id),
          email: order.email,
          location: null,
        }
      : null,
    fulfillmentHolds: [],
    internationalDuties: null,
    channelId: null,
    supportedActions: open
      ? [
          { action: "CREATE_FULFILLMENT", externalUrl: null },
          { action: "HOLD", externalUrl: null },
          { action: "MOVE", externalUrl: null },
        ]
      : [],
    lineItems: (args: ConnectionArgs) =>
      connection(
        record.lineItems,
        args,
        (item) => item.id,
        (item) => {
          const line = order.lineItems.find((candidate) => candidate.id === item.lineItemId);
          const variant = line?.variantId ? shop.variants.get(line.variantId) : undefined;
          return {
            __typename: "FulfillmentOrderLineItem",
            id: gid("FulfillmentOrderLineItem", item.id),
            totalQuantity: item.totalQuantity,
            remainingQuantity: item.remainingQuantity,
            lineItem: () => lineItemOf(shop, order, item.lineItemId),
            sku: line?.sku ?? null,
            productTitle: line?.title ?? "",
            variantTitle: line?.variantTitle ?? null,
            vendor: line?.vendor ?? null,
            requiresShipping: line?.requiresShipping ?? true,
            inventoryItemId: variant ? gid("InventoryItem", variant.inventoryItemId) : null,
            variant: (_args: unknown, context: ResolverContext) =>
              variantRef(line?.variantId ?? null, context),
            image: null,
            weight: null,
            warnings: [],
            shippingLine: null,
          };
        },
      ),
    fulfillments: (args: ConnectionArgs) =>
      connection(
        fulfillments,
        args,
        (fulfillment) => fulfillment.id,
        (fulfillment) => fulfillmentView(shop, fulfillment),
      ),
  };
}

export function fulfillmentView(shop: ShopState, record: FulfillmentRecord): Record<string, unknown> | null {
  const order = shop.orders.get(record.orderId);
  if (!order) return null;
  return {
    __typename: "Fulfillment",
    id: gid("Fulfillment", record.id),
    legacyResourceId: String(record.id),
    name: record.name,
    status: record.status,
    displayStatus:
      record.status === "CANCELLED" ? "CANCELED" : record.status === "SUCCESS" ? "FULFILLED" : null,
    createdAt: iso(record.createdAt),
    updatedAt: iso(record.updatedAt),
    deliveredAt: null,
    estimatedDeliveryAt: null,
    inTransitAt: null,
    requiresShipping: record.lineItems.some(
      (item) => order.lineItems.find((line) => line.id === item.lineItemId)?.requiresShipping ?? true,
    ),
    totalQuantity: record.lineItems.reduce((sum, item) => sum + item.quantity, 0),
    service: null,
    originAddress: null,
    trackingInfo: (args: { first?: number | null }) =>
      record.trackingInfo.slice(0, args.first ?? undefined).map((info) => ({
        company: info.company,
        number: info.number,
        url: info.url,
      })),
    location: (_args: unknown, context: ResolverContext) => locationRef(record.locationId, context),
    order: () => orderView(shop, order),
    fulfillmentLineItems: (args: ConnectionArgs) =>
      connection(
        record.lineItems,
        args,
        (item) => item.id,
        (item) => {
          const line = order.lineItems.find((candidate) => candidate.id === item.lineItemId);
          const amounts = line ? lineAmounts(line, order) : null;
          const unit = amounts ? amounts.originalUnit : 0;
          const discountedUnit =
            amounts && line && line.quantity > 0 ? unit - Math.round(amounts.discount / line.quantity) : unit;
          return {
            __typename: "FulfillmentLineItem",
            id: gid("FulfillmentLineItem", item.id),
            quantity: item.quantity,
            lineItem: () => lineItemOf(shop, order, item.lineItemId),
            originalTotalSet: bag(unit * item.quantity, order.currencyCode),
            discountedTotalSet: bag(discountedUnit * item.quantity, order.currencyCode),
          };
        },
      ),
    fulfillmentOrders: (args: ConnectionArgs) =>
      connection(
        record.fulfillmentOrderIds
          .map((id) => shop.fulfillmentOrders.get(id))
          .filter((fo): fo is FulfillmentOrderRecord => fo !== undefined),
        args,
        (fo) => fo.id,
        (fo) => fulfillmentOrderView(shop, fo),
      ),
    events: (args: ConnectionArgs) =>
      connection(
        [],
        args,
        () => 0,
        () => null,
      ),
  };
}
