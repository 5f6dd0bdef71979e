import type { Db } from "../db.server";

/**
 * The counts behind the home page's status tiles. Each tile's feature adds its count here;
 * a count appears once the data behind it exists.
 */
export interface ShopStatus {
  /** Imported Shopify customers not linked to a back-office customer. */
  unmappedCustomers: number;
  /** Sync runs that failed and have not been followed by a successful run of the same task. */
  synchronizationErrors: number;
}

export async function shopStatus(db: Db, shopId: string): Promise<ShopStatus> {
  const [unmappedCustomers, [errors]] = await Promise.all([
    db.shopifyCustomer.count({ where: { shopId, customerNo: null, redactedAt: null } }),
    db.$queryRaw<{ count: bigint }[]>`
      select count(*) from "SyncRun" r
       where r."shopId" = ${shopId}::uuid and r.status = 'failed'
         and not exists (
           select 1 from "SyncRun" later
            where later."shopId" = r."shopId" and later.task = r.task
              and later.status = 'succeeded' and later."queuedAt" > r."queuedAt")`,
  ]);
  return { unmappedCustomers, synchronizationErrors: Number(errors?.count ?? 0) };
}

export async function recentRuns(db: Db, shopId: string, take = 50) {
  return db.syncRun.findMany({ where: { shopId }, orderBy: { queuedAt: "desc" }, take });
}
