import type { Db } from "../db.server";
import type { Prisma } from "../generated/prisma/client";
import { collectChanges, countInState, type SyncRecordState } from "../sync/kit/outbound.server";
import { SHIPMENT_FEED } from "../sync/shipments/sync.server";

/**
 * The counts behind the home page's status tiles, from the data itself.
 */
export interface ShopStatus {
  /** Imported orders with no sales document yet (cancelled orders aside). */
  unprocessedOrders: number;
  /** Imported Shopify customers not linked to a back-office customer. */
  unmappedCustomers: number;
  /**
   * Shopify variants seen in orders that map to no back-office item, and products the products
   * import could not make items of (unmapped, with the reason) or failed on.
   */
  unmappedProducts: number;
  /** Posted shipments of Shopify orders not yet sent to Shopify. */
  unprocessedShipments: number;
  /** Posted shipments Shopify refused, with its message. */
  shipmentErrors: number;
  /** Sync runs that failed and have not been followed by a successful run of the same task. */
  synchronizationErrors: number;
  /** Processed orders that changed in Shopify afterwards, and nobody confirmed the change yet. */
  ordersChangedAfterProcessing: number;
  /** Shopify companies (still in Shopify) not linked to a business customer. */
  unmappedCompanies: number;
}

/**
 * What each tile counts, as Prisma filters on the app's own tables (the shipment tiles: a state
 * of the shipment sync's records). The lists behind the tiles (app/admin/) read with
 * the same filters, so a list always shows exactly what its tile counts.
 */
export const tileWhere = {
  unprocessedOrders: (shopId: string) =>
    ({ shopId, state: { not: "processed" }, cancelledAt: null }) satisfies Prisma.ShopifyOrderWhereInput,
  /** Still in Shopify: a customer deleted there is kept, marked, and waits for nobody. */
  unmappedCustomers: (shopId: string) =>
    ({
      shopId,
      customerNo: null,
      redactedAt: null,
      deletedAt: null,
    }) satisfies Prisma.ShopifyCustomerWhereInput,
  unmappedProducts: (shopId: string) =>
    ({ shopId, itemNo: null }) satisfies Prisma.ShopifyVariantMapWhereInput,
  /** The products import's share of the unmapped products tile (products still in Shopify). */
  unimportedProducts: (shopId: string) =>
    ({
      shopId,
      importState: { in: ["unmapped", "error"] },
      deletedAt: null,
    }) satisfies Prisma.ShopifyProductWhereInput,
  ordersChangedAfterProcessing: (shopId: string) =>
    ({
      shopId,
      changedAfterProcessing: true,
      changeConfirmedAt: null,
    }) satisfies Prisma.ShopifyOrderWhereInput,
  unmappedCompanies: (shopId: string) =>
    ({ shopId, syncState: "unmapped", deletedAt: null }) satisfies Prisma.ShopifyCompanyWhereInput,
};

export const tileShipmentState = {
  unprocessedShipments: "pending",
  shipmentErrors: "error",
} as const satisfies Record<string, SyncRecordState>;

export async function shopStatus(db: Db, shopId: string): Promise<ShopStatus> {
  // Shipments posted since the shipment sync last read the back office count as waiting.
  await collectChanges(db, shopId, SHIPMENT_FEED);
  const [
    unprocessedOrders,
    unmappedCustomers,
    unmappedVariants,
    unimportedProducts,
    unprocessedShipments,
    shipmentErrors,
    [errors],
    ordersChangedAfterProcessing,
    unmappedCompanies,
  ] = await Promise.all([
    db.shopifyOrder.count({ where: tileWhere.unprocessedOrders(shopId) }),
    db.shopifyCustomer.count({ where: tileWhere.unmappedCustomers(shopId) }),
    db.shopifyVariantMap.count({ where: tileWhere.unmappedProducts(shopId) }),
    db.shopifyProduct.count({ where: tileWhere.unimportedProducts(shopId) }),
    countInState(db, shopId, SHIPMENT_FEED.task, tileShipmentState.unprocessedShipments),
    countInState(db, shopId, SHIPMENT_FEED.task, tileShipmentState.shipmentErrors),
    db.$queryRaw<{ count: bigint }[]>`
      select count(*) from "SyncRun" r
       where r."shopId" = ${shopId}::uuid and r.status = 'failed'
         and not exists (
           select 1 from "SyncRun" later
            where later."shopId" = r."shopId" and later.task = r.task
              and later.status = 'succeeded' and later."queuedAt" > r."queuedAt")`,
    db.shopifyOrder.count({ where: tileWhere.ordersChangedAfterProcessing(shopId) }),
    db.shopifyCompany.count({ where: tileWhere.unmappedCompanies(shopId) }),
  ]);
  return {
    unprocessedOrders,
    unmappedCustomers,
    unmappedProducts: unmappedVariants + unimportedProducts,
    unprocessedShipments,
    shipmentErrors,
    synchronizationErrors: Number(errors?.count ?? 0),
    ordersChangedAfterProcessing,
    unmappedCompanies,
  };
}

export async function recentRuns(db: Db, shopId: string, take = 50) {
  return db.syncRun.findMany({ where: { shopId }, orderBy: { queuedAt: "desc" }, take });
}
