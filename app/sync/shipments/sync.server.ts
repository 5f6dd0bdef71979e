import { shipmentsByNo, type PostedShipment } from "../../backoffice/backoffice.server";
import type { Db } from "../../db.server";
import { RecordError } from "../../errors.server";
import type { SyncRecord } from "../../generated/prisma/client";
import type { AdminClient } from "../../shopify/admin-client.server";
import { gid, numericId } from "../../shopify/ids.server";
import {
  collectChanges,
  contentHash,
  dueRecords,
  isUnchanged,
  markFailed,
  markSent,
  markSkipped,
  recordsByKey,
  type OutboundFeed,
} from "../kit/outbound.server";
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
 *
 * Its state is a sync record per shipment (app/sync/kit/outbound.server.ts), made due by the
 * back office's change feed when the shipment is posted.
 */

export const NOT_SHOPIFY = "not a Shopify order";
export const POSTED_FROM_INVOICE =
  "posted from a sales invoice: the order was fulfilled in Shopify before it was imported";

/** Why a posted shipment will never become a fulfillment, or null when it is to be sent. */
function neverSentReason(shipment: Pick<PostedShipment, "postedFrom" | "shopifyOrderId">): string | null {
  if (shipment.postedFrom === "invoice") return POSTED_FROM_INVOICE;
  if (shipment.shopifyOrderId === null) return NOT_SHOPIFY;
  return null;
}

/**
 * The shipment sync's records: one per posted shipment, by its number; a shipment of an order
 * that is not Shopify's, or posted from an invoice, is collected as skipped with the reason.
 */
export const SHIPMENT_FEED = {
  task: "sync_shipments",
  entity: "posted_shipment",
  neverSent: async (tx, shopId, keys) => {
    const reasons = new Map<string, string>();
    for (const [no, shipment] of await shipmentsByNo(tx, shopId, keys)) {
      const reason = neverSentReason(shipment);
      if (reason) reasons.set(no, reason);
    }
    return reasons;
  },
} as const satisfies OutboundFeed;

/**
 * The shipment sync's record of each of these shipments, by number, after reading what the
 * back office posted since (a shipment without one has not been seen yet: it waits).
 */
export async function shipmentSyncRecords(
  db: Db,
  shopId: string,
  shipments: Pick<PostedShipment, "no">[],
): Promise<Map<string, SyncRecord>> {
  await collectChanges(db, shopId, SHIPMENT_FEED);
  return recordsByKey(
    db,
    shopId,
    SHIPMENT_FEED.task,
    shipments.map((shipment) => shipment.no),
  );
}

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

/**
 * Sends each due shipment on its own (the sync kit's record loop): synced, nothing to sync,
 * or failed with Shopify's message on its sync record (the next run tries it again). A
 * failure about the shop (401, 403...) stops the run: every shipment would fail the same way.
 */
export async function syncShipments(
  scope: RunScope<unknown>,
  client: AdminClient,
  options: { limit?: number } = {},
): Promise<RecordSummary> {
  const { db, shop } = scope;
  const settings = await db.shopSettings.findUniqueOrThrow({ where: { shopId: shop.id } });
  await collectChanges(db, shop.id, SHIPMENT_FEED);
  const records = await dueRecords(db, shop.id, SHIPMENT_FEED.task, options.limit ?? 500);
  const shipments = await shipmentsByNo(
    db,
    shop.id,
    records.map((record) => record.recordKey),
  );
  return forEachRecord(scope, records, {
    label: (record) => record.recordKey,
    total: records.length,
    handle: (record) =>
      sendShipment(db, client, settings.notifyCustomerOnShipment, record, shipments.get(record.recordKey)),
    onFailure: (record, message) => markFailed(db, record, message),
  });
}

const SYNCED = { outcome: "sent", count: "synced" } as const;
const NOTHING_TO_SYNC = { outcome: "skipped", count: "nothingToSync" } as const;

/** What a fulfillment is made of: a shipment with the same hash is the same fulfillment. */
function shipmentHash(shipment: PostedShipment): string {
  return contentHash({
    lines: shipment.lines.map((line) => [line.shopifyLineId, line.quantity]),
    carrier: shipment.carrier,
    trackingNo: shipment.trackingNo,
    trackingUrl: shipment.trackingUrl,
  });
}

async function sendShipment(
  db: Db,
  client: AdminClient,
  notifyCustomer: boolean,
  record: SyncRecord,
  shipment: PostedShipment | undefined,
): Promise<RecordResult> {
  if (!shipment) {
    await markSkipped(db, record, "the posted shipment is no longer in the back office");
    return NOTHING_TO_SYNC;
  }
  const hash = shipmentHash(shipment);
  if (record.shopifyId !== null) {
    // Sent before (a change came after): a fulfillment is not sent twice.
    if (isUnchanged(record, hash) || record.sentHash === null) {
      await markSent(db, record, { shopifyId: record.shopifyId, sentHash: hash });
      return "unchanged";
    }
    throw new RecordError(
      `changed after it was sent to Shopify as ${record.shopifyId}; a sent fulfillment is not changed by this sync`,
    );
  }
  const reason = neverSentReason(shipment);
  if (reason || shipment.shopifyOrderId === null) {
    await markSkipped(db, record, reason ?? NOT_SHOPIFY);
    return NOTHING_TO_SYNC;
  }
  const { order } = await client.request(SHIPMENT_TARGETS, { id: gid("Order", shipment.shopifyOrderId) });
  if (!order) throw new RecordError(`order ${shipment.shopifyOrderId} no longer exists in Shopify`);
  // A retry after a crash between Shopify's answer and our bookkeeping: find our fulfillment.
  const ours = shipment.trackingNo
    ? order.fulfillments.filter((f) => f.trackingInfo.some((t) => t.number === shipment.trackingNo))
    : [];
  if (ours.length > 0) {
    await markSent(db, record, { shopifyId: ours.map((f) => f.id).join(","), sentHash: hash });
    return SYNCED;
  }
  const allocations = allocate(shipment.lines, order.fulfillmentOrders.nodes);
  if (allocations.length === 0) {
    await markSkipped(db, record, "Shopify has nothing left to fulfil for these lines");
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
    // Shopify refused (userErrors): the record loop writes this on the shipment's sync record.
    throw new RecordError(
      `Shopify: ${errors.join("; ")}${fulfillmentIds.length ? ` (created ${fulfillmentIds.join(", ")})` : ""}`,
    );
  await markSent(db, record, { shopifyId: fulfillmentIds.join(","), sentHash: hash });
  return SYNCED;
}
