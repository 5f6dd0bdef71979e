import type { Db, Tx } from "../db.server";
import type { BoPostedShipment } from "../generated/prisma/client";
import type { PostedShipment } from "./documents.server";
import { BackOfficeError } from "./errors.server";
import { optionalText, requiredText } from "./internal.server";

/**
 * Posted shipments as the Shopify sync sees them: the ones still to send as fulfillments, and
 * the outcome of sending each (synced, error to retry, or nothing to sync).
 */

export type ShipmentSyncState = "pending" | "synced" | "error" | "nothing_to_sync" | "not_shopify";

const withLines = { lines: { orderBy: { lineNo: "asc" } } } as const;

/** Shipments waiting for Shopify (new, or failed before), oldest first. */
export async function pendingShipments(
  db: Db | Tx,
  shopId: string,
  options: { limit?: number } = {},
): Promise<PostedShipment[]> {
  return db.boPostedShipment.findMany({
    where: { shopId, shopifySyncState: { in: ["pending", "error"] } },
    include: withLines,
    orderBy: [{ postedAt: "asc" }, { no: "asc" }],
    take: Math.max(1, Math.min(options.limit ?? 100, 1000)),
  });
}

export interface ShipmentFilter {
  state?: ShipmentSyncState;
}

/** Posted shipments, oldest first; `skip` and `take` page through them. */
export async function listShipments(
  db: Db | Tx,
  shopId: string,
  filter: ShipmentFilter = {},
  page: { skip?: number; take?: number } = {},
): Promise<PostedShipment[]> {
  return db.boPostedShipment.findMany({
    where: shipmentWhere(shopId, filter),
    include: withLines,
    orderBy: [{ postedAt: "asc" }, { no: "asc" }],
    ...(page.skip !== undefined ? { skip: page.skip } : {}),
    ...(page.take !== undefined ? { take: page.take } : {}),
  });
}

/** How many posted shipments `listShipments` would list with the same filter. */
export async function countShipments(
  db: Db | Tx,
  shopId: string,
  filter: ShipmentFilter = {},
): Promise<number> {
  return db.boPostedShipment.count({ where: shipmentWhere(shopId, filter) });
}

/** One posted shipment of the shop by its id, with its lines; null when the shop has none such. */
export async function findShipment(db: Db | Tx, shopId: string, id: string): Promise<PostedShipment | null> {
  return db.boPostedShipment.findFirst({ where: { id, shopId }, include: withLines });
}

function shipmentWhere(shopId: string, filter: ShipmentFilter) {
  return { shopId, ...(filter.state ? { shopifySyncState: filter.state } : {}) };
}

export async function markShipmentSynced(
  db: Db | Tx,
  shopId: string,
  shipmentNo: string,
  fulfillmentId: string,
): Promise<BoPostedShipment> {
  const id = requiredText(fulfillmentId, "fulfillment id");
  return mark(db, shopId, shipmentNo, {
    shopifySyncState: "synced",
    shopifyFulfillmentId: id,
    shopifySyncError: null,
    shopifySyncedAt: new Date(),
  });
}

/** Records Shopify's answer and counts the attempt; the shipment is retried by the next run. */
export async function markShipmentError(
  db: Db | Tx,
  shopId: string,
  shipmentNo: string,
  message: string,
): Promise<BoPostedShipment> {
  return mark(db, shopId, shipmentNo, {
    shopifySyncState: "error",
    shopifySyncError: optionalText(message) ?? "unknown error",
    shopifySyncAttempts: { increment: 1 },
  });
}

/** Nothing in Shopify to fulfil for this shipment; the reason is kept to show why. */
export async function markShipmentNothingToSync(
  db: Db | Tx,
  shopId: string,
  shipmentNo: string,
  reason?: string,
): Promise<BoPostedShipment> {
  return mark(db, shopId, shipmentNo, {
    shopifySyncState: "nothing_to_sync",
    shopifySyncError: optionalText(reason),
  });
}

/**
 * A shipment that failed to reach Shopify goes back to waiting, for the next shipment sync to
 * send. Shopify's last message and the attempt count stay, so the person sees what happened
 * before. Only a shipment in error can be retried.
 */
export async function retryShipmentSync(
  db: Db | Tx,
  shopId: string,
  shipmentNo: string,
): Promise<BoPostedShipment> {
  const shipment = await db.boPostedShipment.findUnique({ where: { shopId_no: { shopId, no: shipmentNo } } });
  if (!shipment) throw new BackOfficeError(`posted shipment ${shipmentNo} does not exist`);
  const { count } = await db.boPostedShipment.updateMany({
    where: { id: shipment.id, shopifySyncState: "error" },
    data: { shopifySyncState: "pending" },
  });
  if (count === 0)
    throw new BackOfficeError(
      `posted shipment ${shipmentNo} is not in error (it is ${shipment.shopifySyncState}); only a failed shipment can be retried`,
    );
  return db.boPostedShipment.findUniqueOrThrow({ where: { id: shipment.id } });
}

async function mark(
  db: Db | Tx,
  shopId: string,
  no: string,
  data: Parameters<Db["boPostedShipment"]["update"]>[0]["data"],
): Promise<BoPostedShipment> {
  const shipment = await db.boPostedShipment.findUnique({ where: { shopId_no: { shopId, no } } });
  if (!shipment) throw new BackOfficeError(`posted shipment ${no} does not exist`);
  return db.boPostedShipment.update({ where: { id: shipment.id }, data });
}
