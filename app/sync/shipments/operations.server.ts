import { operation } from "../../shopify/admin-client.server";

export interface FulfillmentOrderNode {
  id: string;
  status: string;
  assignedLocation: { location: { id: string } | null };
  lineItems: {
    nodes: { id: string; remainingQuantity: number; totalQuantity: number; lineItem: { id: string } }[];
  };
}

/** An order's fulfillment orders as they stand now, and its fulfillments (to spot our own). */
export const SHIPMENT_TARGETS = operation<
  {
    order: {
      id: string;
      displayFulfillmentStatus: string;
      fulfillments: { id: string; trackingInfo: { number: string | null }[] }[];
      fulfillmentOrders: { nodes: FulfillmentOrderNode[] };
    } | null;
  },
  { id: string }
>(
  "SyncShipmentTargets",
  `query SyncShipmentTargets($id: ID!) {
    order(id: $id) {
      id
      displayFulfillmentStatus
      fulfillments(first: 20) { id trackingInfo(first: 5) { number } }
      fulfillmentOrders(first: 5) {
        nodes {
          id status
          assignedLocation { location { id } }
          lineItems(first: 50) { nodes { id remainingQuantity totalQuantity lineItem { id } } }
        }
      }
    }
  }`,
);

export const FULFILLMENT_CREATE = operation<
  {
    fulfillmentCreate: {
      fulfillment: { id: string; status: string } | null;
      userErrors: { field: string[] | null; message: string }[];
    };
  },
  {
    fulfillment: {
      lineItemsByFulfillmentOrder: {
        fulfillmentOrderId: string;
        fulfillmentOrderLineItems: { id: string; quantity: number }[];
      }[];
      trackingInfo?: { company?: string; number?: string; url?: string };
      notifyCustomer: boolean;
    };
  }
>(
  "SyncShipmentFulfillmentCreate",
  `mutation SyncShipmentFulfillmentCreate($fulfillment: FulfillmentInput!) {
    fulfillmentCreate(fulfillment: $fulfillment) {
      fulfillment { id status }
      userErrors { field message }
    }
  }`,
);
