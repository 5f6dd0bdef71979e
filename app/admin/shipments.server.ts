import { z } from "zod";
import { findShipment, shipmentsByNo } from "../backoffice/backoffice.server";
import type { Db } from "../db.server";
import type { Shop } from "../generated/prisma/client";
import { tileShipmentState } from "../status/status.server";
import {
  collectChanges,
  countInState,
  recordsByKey,
  recordsInState,
  retryRecord,
  type SyncRecordState,
} from "../sync/kit/outbound.server";
import { SHIPMENT_FEED } from "../sync/shipments/sync.server";
import { syncShipmentsTask } from "../sync/shipments/task.server";
import { describeFollowUp, startFollowUp } from "./follow-up.server";
import { pageParam, pageWindow, type Paging } from "./paging";
import { Refusal } from "./refusal.server";
import { adminOrderUrl } from "./shopify-admin.server";

/**
 * Posted shipments of Shopify orders behind two tiles: those waiting to be sent to Shopify,
 * and those Shopify refused (with its message). A failed one can be retried: it goes back to
 * waiting and the shipment sync starts.
 */

/** A shipment's sync state as the merchant reads it. */
export const SHIPMENT_STATE_WORDS: Record<SyncRecordState, string> = {
  pending: "waiting to be sent",
  synced: "synced",
  error: "failed",
  skipped: "nothing to sync",
};

export const SHIPMENT_VIEWS = ["pending", "error"] as const;
export type ShipmentView = (typeof SHIPMENT_VIEWS)[number];

export interface ShipmentRow {
  id: string;
  no: string;
  orderNo: string;
  shopifyOrderName: string | null;
  adminUrl: string | null;
  postedAt: string;
  carrier: string | null;
  trackingNo: string | null;
  attempts: number;
  /** Shopify's message: the reason it failed, or for a waiting one, why the last try failed. */
  error: string | null;
  lines: string[];
}

export const shipmentQuery = z.object({ view: z.enum(SHIPMENT_VIEWS).default("pending"), page: pageParam });

export const shipmentAction = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("retry"),
    shipmentId: z.uuid({ message: "shipment must be the id of a shipment on this list" }),
  }),
  z.object({ intent: z.literal("send") }),
]);
export type ShipmentAction = z.output<typeof shipmentAction>;

export async function listShipments(
  db: Db,
  shop: Shop,
  view: ShipmentView,
  page = 1,
): Promise<Paging & { view: ShipmentView; rows: ShipmentRow[] }> {
  const state = view === "error" ? tileShipmentState.shipmentErrors : tileShipmentState.unprocessedShipments;
  await collectChanges(db, shop.id, SHIPMENT_FEED);
  const { paging, skip, take } = pageWindow(page, await countInState(db, shop.id, SHIPMENT_FEED.task, state));
  const records = await recordsInState(db, shop.id, SHIPMENT_FEED.task, state, { skip, take });
  const shipments = await shipmentsByNo(
    db,
    shop.id,
    records.map((record) => record.recordKey),
  );
  const orderIds = [...shipments.values()].flatMap((shipment) =>
    shipment.shopifyOrderId ? [shipment.shopifyOrderId] : [],
  );
  const orders = await db.shopifyOrder.findMany({
    where: { shopId: shop.id, shopifyId: { in: orderIds } },
    select: { shopifyId: true, name: true },
  });
  const names = new Map(orders.map((order) => [order.shopifyId, order.name]));
  return {
    view,
    ...paging,
    rows: records.flatMap((record) => {
      const shipment = shipments.get(record.recordKey);
      if (!shipment) return [];
      return [
        {
          id: shipment.id,
          no: shipment.no,
          orderNo: shipment.orderNo,
          shopifyOrderName: shipment.shopifyOrderId ? (names.get(shipment.shopifyOrderId) ?? null) : null,
          adminUrl: shipment.shopifyOrderId ? adminOrderUrl(shop.domain, shipment.shopifyOrderId) : null,
          postedAt: shipment.postedAt.toISOString(),
          carrier: shipment.carrier,
          trackingNo: shipment.trackingNo,
          attempts: record.attempts,
          error: record.message,
          lines: shipment.lines.map((line) => `${line.quantity} × ${line.description}`),
        },
      ];
    }),
  };
}

/** Retry one failed shipment, or send the waiting ones now. */
export async function actOnShipments(
  db: Db,
  shop: Shop,
  input: ShipmentAction,
): Promise<{ message: string }> {
  let retried = "";
  if (input.intent === "retry") {
    const shipment = await findShipment(db, shop.id, input.shipmentId);
    if (!shipment) throw new Refusal(`This shop has no posted shipment ${input.shipmentId}.`, 404);
    if (!(await retryRecord(db, shop.id, SHIPMENT_FEED.task, shipment.no))) {
      const record = (await recordsByKey(db, shop.id, SHIPMENT_FEED.task, [shipment.no])).get(shipment.no);
      throw new Refusal(
        `Shipment ${shipment.no} has not failed (it is ${record ? SHIPMENT_STATE_WORDS[record.state as SyncRecordState] : "waiting to be sent"}); only a failed shipment can be retried.`,
        409,
      );
    }
    retried = `Shipment ${shipment.no} is waiting to be sent again. `;
  }
  const followUp = await startFollowUp(db, shop, syncShipmentsTask);
  return { message: retried + describeFollowUp(followUp) };
}
