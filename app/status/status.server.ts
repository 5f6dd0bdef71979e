import type { Db } from "../db.server";

/**
 * The counts behind the home page's status tiles, from the data itself.
 */
export interface ShopStatus {
  /** Imported orders with no sales document yet (cancelled orders aside). */
  unprocessedOrders: number;
  /** Imported Shopify customers not linked to a back-office customer. */
  unmappedCustomers: number;
  /** Shopify variants seen in orders that map to no back-office item. */
  unmappedProducts: number;
  /** Posted shipments of Shopify orders not yet sent to Shopify. */
  unprocessedShipments: number;
  /** Posted shipments Shopify refused, with its message. */
  shipmentErrors: number;
  /** Sync runs that failed and have not been followed by a successful run of the same task. */
  synchronizationErrors: number;
  /** Processed orders that changed in Shopify afterwards. */
  ordersChangedAfterProcessing: number;
}

export async function shopStatus(db: Db, shopId: string): Promise<ShopStatus> {
  const [
    unprocessedOrders,
    unmappedCustomers,
    unmappedProducts,
    unprocessedShipments,
    shipmentErrors,
    [errors],
    ordersChangedAfterProcessing,
  ] = await Promise.all([
    db.shopifyOrder.count({ where: { shopId, state: { not: "processed" }, cancelledAt: null } }),
    db.shopifyCustomer.count({ where: { shopId, customerNo: null, redactedAt: null } }),
    db.shopifyVariantMap.count({ where: { shopId, itemNo: null } }),
    db.boPostedShipment.count({ where: { shopId, shopifySyncState: "pending" } }),
    db.boPostedShipment.count({ where: { shopId, shopifySyncState: "error" } }),
    db.$queryRaw<{ count: bigint }[]>`
      select count(*) from "SyncRun" r
       where r."shopId" = ${shopId}::uuid and r.status = 'failed'
         and not exists (
           select 1 from "SyncRun" later
            where later."shopId" = r."shopId" and later.task = r.task
              and later.status = 'succeeded' and later."queuedAt" > r."queuedAt")`,
    db.shopifyOrder.count({ where: { shopId, changedAfterProcessing: true } }),
  ]);
  return {
    unprocessedOrders,
    unmappedCustomers,
    unmappedProducts,
    unprocessedShipments,
    shipmentErrors,
    synchronizationErrors: Number(errors?.count ?? 0),
    ordersChangedAfterProcessing,
  };
}

export async function recentRuns(db: Db, shopId: string, take = 50) {
  return db.syncRun.findMany({ where: { shopId }, orderBy: { queuedAt: "desc" }, take });
}
