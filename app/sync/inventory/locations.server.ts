import type { Db, Tx } from "../../db.server";
import type { AdminClient } from "../../shopify/admin-client.server";
import { numericId } from "../../shopify/ids.server";
import { LOCATIONS, LOCATIONS_PER_PAGE, type LocationNode, type LocationsPage } from "./operations.server";

/**
 * Shopify's locations in the app (ShopifyLocation): read whole (a shop has a handful, Shopify
 * allows a few hundred), new ones added with their stock calculation off (the merchant says
 * which back-office locations feed them on the Locations page), changed ones updated, and ones
 * Shopify no longer has marked deleted, never removed, so what fed them stays visible.
 */

export interface LocationsRead {
  added: number;
  updated: number;
  deleted: number;
}

export async function readLocations(db: Db, client: AdminClient, shopId: string): Promise<LocationsRead> {
  const nodes: LocationNode[] = [];
  let after: string | null = null;
  for (;;) {
    const page: { locations: LocationsPage } = await client.request(LOCATIONS, {
      first: LOCATIONS_PER_PAGE,
      after,
    });
    nodes.push(...page.locations.nodes);
    if (!page.locations.pageInfo.hasNextPage) break;
    after = page.locations.pageInfo.endCursor;
  }
  return storeLocations(db, shopId, nodes);
}

async function storeLocations(db: Db, shopId: string, nodes: LocationNode[]): Promise<LocationsRead> {
  const readAt = new Date();
  return db.$transaction(async (tx) => {
    const known = new Map(
      (await tx.shopifyLocation.findMany({ where: { shopId } })).map((row) => [row.shopifyId, row]),
    );
    const seen = new Set<bigint>();
    const read: LocationsRead = { added: 0, updated: 0, deleted: 0 };
    for (const node of nodes) {
      const shopifyId = numericId(node.id);
      seen.add(shopifyId);
      const data = {
        name: node.name,
        isActive: node.isActive,
        isPrimary: node.isPrimary,
        fulfillsOnlineOrders: node.fulfillsOnlineOrders,
        address: node.address.formatted.join(", "),
        deletedAt: null,
        readAt,
      };
      const before = known.get(shopifyId);
      if (!before) {
        await tx.shopifyLocation.create({ data: { shopId, shopifyId, ...data } });
        read.added += 1;
        continue;
      }
      const changed =
        before.name !== data.name ||
        before.isActive !== data.isActive ||
        before.isPrimary !== data.isPrimary ||
        before.fulfillsOnlineOrders !== data.fulfillsOnlineOrders ||
        before.address !== data.address ||
        before.deletedAt !== null;
      await tx.shopifyLocation.update({
        where: { shopId_shopifyId: { shopId, shopifyId } },
        data: changed ? data : { readAt },
      });
      if (changed) read.updated += 1;
    }
    for (const row of known.values())
      if (!seen.has(row.shopifyId) && row.deletedAt === null) {
        await tx.shopifyLocation.update({
          where: { shopId_shopifyId: { shopId, shopifyId: row.shopifyId } },
          data: { deletedAt: readAt, readAt },
        });
        read.deleted += 1;
      }
    await refreshSyncInventory(tx, shopId);
    return read;
  });
}

/**
 * Sets the shop card's `syncInventory` to whether some Shopify location, still in Shopify, takes
 * its stock from the back office: the inventory sync's doorbell and schedule read it.
 */
export async function refreshSyncInventory(tx: Tx, shopId: string): Promise<boolean> {
  const fed = await tx.shopifyLocation.count({
    where: { shopId, stockCalculation: "back_office", deletedAt: null },
  });
  await tx.shopSettings.updateMany({ where: { shopId }, data: { syncInventory: fed > 0 } });
  return fed > 0;
}
