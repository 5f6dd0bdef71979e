import prisma from "../../app/db.server";
import { SHIPMENT_FEED } from "../../app/sync/shipments/sync.server";

/** The shipment sync's records of a shop, by shipment number: state, message, Shopify's id. */
export async function shipmentRecords(shopId: string) {
  const records = await prisma.syncRecord.findMany({
    where: { shopId, task: SHIPMENT_FEED.task },
    orderBy: { recordKey: "asc" },
  });
  return Object.fromEntries(
    records.map((record) => [
      record.recordKey,
      {
        state: record.state,
        message: record.message,
        shopifyId: record.shopifyId,
        attempts: record.attempts,
      },
    ]),
  );
}

/** How many of the shop's shipments the shipment sync has sent. */
export const syncedShipments = (shopId: string) =>
  prisma.syncRecord.count({ where: { shopId, task: SHIPMENT_FEED.task, state: "synced" } });
