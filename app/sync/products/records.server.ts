import type { Db, Tx } from "../../db.server";
import type { SyncRecord } from "../../generated/prisma/client";
import { collectChanges, recordsByKey, type OutboundFeed } from "../kit/outbound.server";

/**
 * The export's state: one sync record per item (task sync_products, key the item number) with
 * its product's gid once created, the structure hash last sent, and its state and message.
 * An item is exported when it is linked to a product (created by the export or linked by the
 * import) or a person added it ("Add to Shopify"); the other items' changes are collected as
 * skipped with NOT_ADDED, so no list shows them as waiting.
 */

export const PRODUCT_TASK = "sync_products";
export const NOT_ADDED = "not added to Shopify: use Add to Shopify on the Items page";

/**
 * Items of these keys that the export follows: linked to a product, sold in Shopify (a variant
 * linked to them, for their prices), or added by a person.
 */
async function followed(db: Db | Tx, shopId: string, keys: string[]): Promise<Set<string>> {
  const [linked, sold, records] = await Promise.all([
    db.shopifyProduct.findMany({
      where: { shopId, itemNo: { in: keys }, deletedAt: null },
      select: { itemNo: true },
    }),
    db.shopifyVariantMap.findMany({
      where: { shopId, itemNo: { in: keys }, goneAt: null },
      select: { itemNo: true },
      distinct: ["itemNo"],
    }),
    db.syncRecord.findMany({
      where: { shopId, task: PRODUCT_TASK, recordKey: { in: keys } },
      select: { recordKey: true, state: true, message: true, shopifyId: true },
    }),
  ]);
  const keep = new Set([...linked, ...sold].map((row) => row.itemNo!));
  for (const record of records)
    if (record.shopifyId !== null || !(record.state === "skipped" && record.message === NOT_ADDED))
      keep.add(record.recordKey);
  return keep;
}

/**
 * Every item the export follows is due again (the shop card's export settings changed): those
 * it sent (their record has their product), and those Shopify sells through a product that is
 * no item's own (their prices). Items the import linked and nobody changed stay as they are:
 * their products are as Shopify has them. Returns how many.
 */
export async function followedItemsDueAgain(db: Db | Tx, shopId: string): Promise<number> {
  return db.$executeRaw`
    insert into "SyncRecord" (id, "shopId", task, "recordKey", state, "changedAt", "updatedAt")
    select gen_random_uuid(), ${shopId}::uuid, ${PRODUCT_TASK}, k.no, 'pending', now(), now()
      from (select m."itemNo" as no
              from "ShopifyVariantMap" m
             where m."shopId" = ${shopId}::uuid and m."itemNo" is not null and m."goneAt" is null
               and not exists (select 1 from "ShopifyProduct" p
                                where p."shopId" = m."shopId" and p."itemNo" is not null
                                  and (p."shopifyId" = m."productShopifyId" or p."itemNo" = m."itemNo"))
            union
            select "recordKey" from "SyncRecord"
             where "shopId" = ${shopId}::uuid and task = ${PRODUCT_TASK} and "shopifyId" is not null) as k
    on conflict ("shopId", task, "recordKey")
    do update set state = 'pending', version = "SyncRecord".version + 1, "updatedAt" = now()`;
}

export const PRODUCT_FEED = {
  task: PRODUCT_TASK,
  entity: "item",
  neverSent: async (tx, shopId, keys) => {
    const keep = await followed(tx, shopId, keys);
    return new Map(keys.filter((key) => !keep.has(key)).map((key) => [key, NOT_ADDED]));
  },
} as const satisfies OutboundFeed;

/**
 * A person's "Add to Shopify": the items become due for the export (created pending, or set
 * back to pending), whatever state they were in. Returns how many it added.
 */
export async function addItemsToShopify(db: Db | Tx, shopId: string, itemNos: string[]): Promise<number> {
  const keys = [...new Set(itemNos)];
  if (keys.length === 0) return 0;
  // Links to variants Shopify no longer has go: a person adding the item wants a product of
  // its own for it (see variantsSoldInShopify).
  await db.$executeRaw`
    delete from "ShopifyVariantMap" m
     where m."shopId" = ${shopId}::uuid and m."itemNo" = any(${keys}::text[])
       and (m."goneAt" is not null
            or exists (select 1 from "ShopifyProduct" p
                        where p."shopId" = m."shopId" and p."shopifyId" = m."productShopifyId"
                          and p."deletedAt" is not null))`;
  return db.$executeRaw`
    insert into "SyncRecord" (id, "shopId", task, "recordKey", state, "changedAt", "updatedAt")
    select gen_random_uuid(), ${shopId}::uuid, ${PRODUCT_TASK}, key, 'pending', now(), now()
      from unnest(${keys}::text[]) as k(key)
    on conflict ("shopId", task, "recordKey")
    do update set state = 'pending', message = null, version = "SyncRecord".version + 1,
                  "changedAt" = now(), "updatedAt" = now()`;
}

/** The export's record of each of these items, by item number, after reading the back office's changes. */
export async function itemSyncRecords(
  db: Db,
  shopId: string,
  itemNos: string[],
): Promise<Map<string, SyncRecord>> {
  await collectChanges(db, shopId, PRODUCT_FEED);
  return recordsByKey(db, shopId, PRODUCT_TASK, itemNos);
}
