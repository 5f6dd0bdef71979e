import type { Db } from "../../db.server";
import {
  markShipmentError,
  markShipmentNothingToSync,
  markShipmentSynced,
  pendingShipments,
} from "../../backoffice/backoffice.server";
import { RecordError } from "../../errors.server";
import type { AdminClient } from "../../shopify/admin-client.server";
import { gid, numericId } from "../../shopify/ids.server";
import { forEachRecord, type RecordResult, type RecordSummary } from "../kit/records.server";
import type { RunScope } from "../kit/scope.server";
import { FULFILLMENT_CREATE, SHIPMENT_TARGETS, type FulfillmentOrderNode } from "./operations.server";

/**
 * Sends posted shipments of Shopify orders to Shopify as fulfillments: the shipment's lines are
 * matched to the order's fulfillment order lines (as they stand now) and fulfilled with one
 * fulfillmentCreate per location, 250 lines at most per call, with the carrier, tracking
 * number and URL. Each shipment ends in one state: synced (with the fulfillment ids), error
 * (Shopify's message; retried by the next run), or nothing to sync (Shopify has nothing left
 * to fulfil for it). One shipment's failure does not stop the others.
 */

const MAX_LINES_PER_CALL = 250;

interface Allocation {
  fulfillmentOrderId: string;
  locationId: string;
  lineId: string;
  quantity: number;
}

export function allocate(
  lines: { shopifyLineId: bigint | null; quantity: number }[],
  fulfillmentOrders: FulfillmentOrderNode[],
): Allocation[] {
  const remaining = new Map<string, number>();
  for (const fo of fulfillmentOrders)
    for (const item of fo.lineItems.nodes) remaining.set(item.id, item.remainingQuantity);
  const allocations: Allocation[] = [];
  for (const line of lines) {
    if (line.shopifyLineId === null) continue;
    let left = line.quantity;
    for (const fo of fulfillmentOrders) {
      if (left <= 0) break;
      if (!["OPEN", "IN_PROGRESS"].includes(fo.status)) continue;
      for (const item of fo.lineItems.nodes) {
        if (left <= 0) break;
        if (numericId(item.lineItem.id) !== line.shopifyLineId) continue;
        const available = remaining.get(item.id) ?? 0;
        const take = Math.min(available, left);
        if (take <= 0) continue;
        remaining.set(item.id, available - take);
        left -= take;
        allocations.push({
          fulfillmentOrderId: fo.id,
          locationId: fo.assignedLocation.location?.id ?? "",
          lineId: item.id,
          quantity: take,
        });
      }
    }
  }
  return allocations;
}

/** Groups allocations into fulfillmentCreate calls: one location per call, ≤250 lines each. */
export function calls(allocations: Allocation[]): Allocation[][] {
  const byLocation = new Map<string, Allocation[]>();
  for (const allocation of allocations) {
    const list = byLocation.get(allocation.locationId) ?? [];
    list.push(allocation);
    byLocation.set(allocation.locationId, list);
  }
  const batches: Allocation[][] = [];
  for (const list of byLocation.values()) {
    for (let i = 0; i < list.length; i += MAX_LINES_PER_CALL)
      batches.push(list.slice(i, i + MAX_LINES_PER_CALL));
  }
  return batches;
}

type PendingShipment = Awaited<ReturnType<typeof pendingShipments>>[number];

/**
 * Sends each pending shipment on its own (the sync kit's record loop): synced, nothing to sync,
 * or failed with Shopify's message on the shipment (the next run tries it again). A failure
 * about the shop (401, 403...) stops the run: every shipment would fail the same way.
 */
export async function syncShipments(
  scope: RunScope<unknown>,
  client: AdminClient,
  options: { limit?: number } = {},
): Promise<RecordSummary> {
  const { db, shop } = scope;
  const settings = await db.shopSettings.findUniqueOrThrow({ where: { shopId: shop.id } });
  const shipments = await pendingShipments(db, shop.id, { limit: options.limit ?? 500 });
  return forEachRecord(scope, shipments, {
    label: (shipment) => shipment.no,
    total: shipments.length,
    handle: (shipment) => sendShipment(db, shop.id, client, settings.notifyCustomerOnShipment, shipment),
    onFailure: async (shipment, message) => {
      await markShipmentError(db, shop.id, shipment.no, message);
    },
  });
}

const SYNCED = { outcome: "sent", count: "synced" } as const;
const NOTHING_TO_SYNC = { outcome: "skipped", count: "nothingToSync" } as const;

async function sendShipment(
  db: Db,
  shopId: string,
  client: AdminClient,
  notifyCustomer: boolean,
  shipment: PendingShipment,
): Promise<RecordResult> {
  if (shipment.shopifyOrderId === null) {
    await markShipmentNothingToSync(db, shopId, shipment.no, "not a Shopify order");
    return NOTHING_TO_SYNC;
  }
  const { order } = await client.request(SHIPMENT_TARGETS, { id: gid("Order", shipment.shopifyOrderId) });
  if (!order) throw new RecordError(`order ${shipment.shopifyOrderId} no longer exists in Shopify`);
  // A retry after a crash between Shopify's answer and our bookkeeping: find our fulfillment.
  const ours = shipment.trackingNo
    ? order.fulfillments.filter((f) => f.trackingInfo.some((t) => t.number === shipment.trackingNo))
    : [];
  if (ours.length > 0) {
    await markShipmentSynced(db, shopId, shipment.no, ours.map((f) => f.id).join(","));
    return SYNCED;
  }
  const allocations = allocate(shipment.lines, order.fulfillmentOrders.nodes);
  if (allocations.length === 0) {
    await markShipmentNothingToSync(
      db,
      shopId,
      shipment.no,
      "Shopify has nothing left to fulfil for these lines",
    );
    return NOTHING_TO_SYNC;
  }
  const fulfillmentIds: string[] = [];
  const errors: string[] = [];
  for (const batch of calls(allocations)) {
    const byFulfillmentOrder = new Map<string, { id: string; quantity: number }[]>();
    for (const allocation of batch) {
      const list = byFulfillmentOrder.get(allocation.fulfillmentOrderId) ?? [];
      list.push({ id: allocation.lineId, quantity: allocation.quantity });
      byFulfillmentOrder.set(allocation.fulfillmentOrderId, list);
    }
    const result = await client.request(FULFILLMENT_CREATE, {
      fulfillment: {
        lineItemsByFulfillmentOrder: [...byFulfillmentOrder].map(
          ([fulfillmentOrderId, fulfillmentOrderLineItems]) => ({
            fulfillmentOrderId,
            fulfillmentOrderLineItems,
          }),
        ),
        ...(shipment.trackingNo || shipment.carrier || shipment.trackingUrl
          ? {
              trackingInfo: {
                ...(shipment.carrier ? { company: shipment.carrier } : {}),
                ...(shipment.trackingNo ? { number: shipment.trackingNo } : {}),
                ...(shipment.trackingUrl ? { url: shipment.trackingUrl } : {}),
              },
            }
          : {}),
        notifyCustomer,
      },
    });
    const { fulfillment, userErrors } = result.fulfillmentCreate;
    if (userErrors.length > 0 || !fulfillment)
      errors.push(userErrors.map((e) => e.message).join("; ") || "Shopify created no fulfillment");
    else fulfillmentIds.push(fulfillment.id);
  }
  if (errors.length > 0)
    // Shopify refused (userErrors): the record loop writes this on the shipment.
    throw new RecordError(
      `Shopify: ${errors.join("; ")}${fulfillmentIds.length ? ` (created ${fulfillmentIds.join(", ")})` : ""}`,
    );
  await markShipmentSynced(db, shopId, shipment.no, fulfillmentIds.join(","));
  return SYNCED;
}
