import type { Db, Tx } from "../../db.server";
import { Prisma, type ShopifyMediaMap } from "../../generated/prisma/client";
import type { OutboundFeed } from "../kit/outbound.server";

/**
 * The images sync's state, at two levels:
 *
 * - **per item**, a sync record (task sync_images, key the item number), made due by the back
 *   office's change feed ("picture" changes: a picture added, replaced, moved or removed) as
 *   every outbound sync's are (app/sync/kit/outbound.server.ts): pending, synced, error (its
 *   pictures' messages) or skipped (why: the item has no Shopify product of its own);
 * - **per picture**, a media map (`ShopifyMediaMap`): the Shopify media the picture became, the
 *   sha256 of the bytes that media holds (a picture whose hash is the one sent is not sent
 *   again), its place and variant, Shopify's status of it, and the picture's state and message
 *   (Shopify's mediaErrors in full). A removed picture's map stays until its media is deleted.
 *   The import (From Shopify) keeps the same rows, linkedBy "import", with the hash of what it
 *   read, so that an image it wrote is not read back as new.
 */

export const IMAGE_TASK = "sync_images";

export const NOT_LINKED =
  "the item has no Shopify product of its own yet: its pictures are sent once the products sync has made or linked one";

export const SOLD_ELSEWHERE =
  "the item is sold in Shopify as variants of a product that is not its own: that product's images are Shopify's";

/** Why an item waits for a product of its own (imagesDueAgain takes it up once it has one). */
const WAITING = [NOT_LINKED, SOLD_ELSEWHERE];

/** Items of these keys that have a product of their own in Shopify. */
async function linkedItems(db: Db | Tx, shopId: string, keys: string[]): Promise<Set<string>> {
  const rows = await db.shopifyProduct.findMany({
    where: { shopId, itemNo: { in: keys }, deletedAt: null },
    select: { itemNo: true },
  });
  return new Set(rows.map((row) => row.itemNo!));
}

/**
 * The change feed as the images sync reads it: an item whose pictures changed is due; one
 * without a product of its own is collected skipped at once (imagesDueAgain takes it up when
 * the products sync links one).
 */
export const PICTURE_FEED = {
  task: IMAGE_TASK,
  entity: "picture",
  neverSent: async (tx, shopId, keys) => {
    const linked = await linkedItems(tx, shopId, keys);
    const waiting = keys.filter((key) => !linked.has(key));
    const sold = await tx.shopifyVariantMap.findMany({
      where: { shopId, itemNo: { in: waiting }, goneAt: null, productShopifyId: { not: null } },
      select: { itemNo: true },
      distinct: ["itemNo"],
    });
    const soldElsewhere = new Set(sold.map((link) => link.itemNo!));
    return new Map(waiting.map((key) => [key, soldElsewhere.has(key) ? SOLD_ELSEWHERE : NOT_LINKED]));
  },
} as const satisfies OutboundFeed;

/**
 * The items whose pictures the links of the products sync now place otherwise: an item skipped
 * for want of a product of its own that now has one, an item whose pictures went to a product
 * that is no longer its own (deleted in Shopify and made again), and a variant's first picture
 * whose variant is linked now, or to another Shopify variant.
 */
function relinkedItems(shopId: string) {
  return Prisma.sql`
    select r."recordKey" as no
      from "SyncRecord" r
     where r."shopId" = ${shopId}::uuid and r.task = ${IMAGE_TASK} and r.state = 'skipped'
       and r.message = any(${WAITING}::text[])
       and exists (select 1 from "ShopifyProduct" p
                    where p."shopId" = r."shopId" and p."itemNo" = r."recordKey" and p."deletedAt" is null)
    union
    select m."itemNo"
      from "ShopifyMediaMap" m
      join "ShopifyProduct" p on p."shopId" = m."shopId" and p."itemNo" = m."itemNo" and p."deletedAt" is null
     where m."shopId" = ${shopId}::uuid and m."productShopifyId" is not null
       and m."productShopifyId" <> p."shopifyId"
    union
    select m."itemNo"
      from "ShopifyMediaMap" m
      join "ShopifyVariantMap" v on v."shopId" = m."shopId" and v."productShopifyId" = m."productShopifyId"
                                 and v."itemNo" = m."itemNo" and v."variantCode" = m."variantCode"
                                 and v."goneAt" is null
     where m."shopId" = ${shopId}::uuid and m."variantCode" <> '' and m.state = 'synced'
       and m."variantShopifyId" is distinct from v."variantShopifyId"
       and m.position = (select min(o.position) from "ShopifyMediaMap" o
                          where o."shopId" = m."shopId" and o."itemNo" = m."itemNo"
                            and o."variantCode" = m."variantCode")`;
}

/** The relinked items (above) due again (created pending, or set back to pending); how many. */
export async function imagesDueAgain(db: Db | Tx, shopId: string): Promise<number> {
  return db.$executeRaw`
    insert into "SyncRecord" (id, "shopId", task, "recordKey", state, "changedAt", "updatedAt")
    select gen_random_uuid(), ${shopId}::uuid, ${IMAGE_TASK}, k.no, 'pending', now(), now()
      from (${relinkedItems(shopId)}) as k
    on conflict ("shopId", task, "recordKey")
    do update set state = 'pending', version = "SyncRecord".version + 1, "updatedAt" = now()
     where "SyncRecord".state in ('skipped', 'synced')`;
}

/** Whether the products sync's links place some item's pictures otherwise now (it queues the images sync). */
export async function picturesAwaitProducts(db: Db | Tx, shopId: string): Promise<boolean> {
  const rows = await db.$queryRaw<{ waiting: boolean }[]>`
    select exists (${relinkedItems(shopId)}) as waiting`;
  return rows[0]?.waiting ?? false;
}

/**
 * These items due now, whatever their state (a person asked for them, by number or product):
 * each is compared with what was last sent, so only what changed is sent.
 */
export async function imagesDue(db: Db | Tx, shopId: string, itemNos: string[]): Promise<number> {
  const keys = [...new Set(itemNos)];
  if (keys.length === 0) return 0;
  return db.$executeRaw`
    insert into "SyncRecord" (id, "shopId", task, "recordKey", state, "changedAt", "updatedAt")
    select gen_random_uuid(), ${shopId}::uuid, ${IMAGE_TASK}, key, 'pending', now(), now()
      from unnest(${keys}::text[]) as k(key)
    on conflict ("shopId", task, "recordKey")
    do update set state = 'pending', version = "SyncRecord".version + 1, "updatedAt" = now()`;
}

/** The media maps of these items, by item, those of removed pictures included. */
export async function mediaMapsOfItems(
  db: Db | Tx,
  shopId: string,
  itemNos: string[],
): Promise<Map<string, ShopifyMediaMap[]>> {
  const byItem = new Map<string, ShopifyMediaMap[]>();
  if (itemNos.length === 0) return byItem;
  const rows = await db.shopifyMediaMap.findMany({ where: { shopId, itemNo: { in: itemNos } } });
  for (const row of rows) {
    const list = byItem.get(row.itemNo) ?? [];
    list.push(row);
    byItem.set(row.itemNo, list);
  }
  return byItem;
}

/**
 * A person's retry of a picture (in error, or a picture of an item whose record failed): the
 * picture and its item due now; its message and attempts stay to show what happened before.
 * Returns false when neither is in error.
 */
export async function retryPicture(
  db: Db,
  shopId: string,
  picture: { id: string; itemNo: string },
): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const map = await tx.shopifyMediaMap.updateMany({
      where: { shopId, pictureId: picture.id, state: "error" },
      data: { state: "pending" },
    });
    const record = await tx.syncRecord.updateMany({
      where: { shopId, task: IMAGE_TASK, recordKey: picture.itemNo, state: "error" },
      data: { state: "pending" },
    });
    if (map.count === 0 && record.count === 0) return false;
    if (record.count === 0) await imagesDue(tx, shopId, [picture.itemNo]);
    return true;
  });
}
