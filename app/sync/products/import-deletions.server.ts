import type { Db } from "../../db.server";
import type { SyncContext } from "../../jobs/sync-task.server";
import type { AdminClient } from "../../shopify/admin-client.server";
import { bulkLines, runBulkQuery } from "../../shopify/bulk.server";
import { gid, numericId } from "../../shopify/ids.server";
import type { ProductFilters } from "./filters.server";
import {
  IMPORT_PRODUCTS_EXIST,
  IMPORT_STAMPS_PER_PAGE,
  isProduct,
  SYNC_IMPORT_PRODUCT_IDS_BULK,
} from "./operations.server";
import { PRODUCT_TASK } from "./records.server";

/**
 * Products deleted in Shopify: their item is kept (a back-office record is never deleted for a
 * sales channel), and the product's link is marked (`ShopifyProduct.deletedAt`), which the
 * products list shows and the export reads (it no longer follows the item). The doorbell does
 * not read payloads, and an updated_at search never lists a deleted product, so deletions are
 * found by listing: every run without a request-page filter reconciles once a day (a bulk query
 * of every product's id, a few points whatever the catalog's size; a first import's bulk read
 * of the whole catalog counts as one), and a run with product ids marks those Shopify answers
 * null for.
 */

/** The cursor row (SyncCursor) of the last reconcile: when its listing started. */
export const DELETIONS_KEY = `${PRODUCT_TASK}#deletions`;
export const RECONCILE_EVERY_MS = 24 * 60 * 60_000;

export async function reconcileDue(db: Db, shopId: string, now = new Date()): Promise<boolean> {
  const last = await db.syncCursor.findUnique({ where: { shopId_task: { shopId, task: DELETIONS_KEY } } });
  return !last || now.getTime() - last.cursor.getTime() >= RECONCILE_EVERY_MS;
}

export async function reconciled(db: Db, shopId: string, listedAt: Date): Promise<void> {
  await db.syncCursor.upsert({
    where: { shopId_task: { shopId, task: DELETIONS_KEY } },
    create: { shopId, task: DELETIONS_KEY, cursor: listedAt },
    update: { cursor: listedAt },
  });
}

/** Marks these products deleted (those known and not marked yet); returns how many. */
export async function markDeleted(db: Db, shopId: string, shopifyIds: bigint[]): Promise<number> {
  if (shopifyIds.length === 0) return 0;
  const { count } = await db.shopifyProduct.updateMany({
    where: { shopId, shopifyId: { in: shopifyIds }, deletedAt: null },
    data: { deletedAt: new Date() },
  });
  return count;
}

/**
 * Marks deleted the known products a listing of every product did not have: those last written
 * before the listing started (a product met since is the listing's to have or not).
 */
export async function markUnlisted(
  db: Db,
  shopId: string,
  listed: Set<bigint>,
  listedAt: Date,
): Promise<number> {
  let marked = 0;
  let after: bigint | null = null;
  for (;;) {
    const rows: { shopifyId: bigint }[] = await db.shopifyProduct.findMany({
      where: {
        shopId,
        deletedAt: null,
        updatedAt: { lt: listedAt },
        ...(after !== null ? { shopifyId: { gt: after } } : {}),
      },
      select: { shopifyId: true },
      orderBy: { shopifyId: "asc" },
      take: 1000,
    });
    if (rows.length === 0) break;
    marked += await markDeleted(
      db,
      shopId,
      rows.map((row) => row.shopifyId).filter((id) => !listed.has(id)),
    );
    after = rows.at(-1)!.shopifyId;
  }
  return marked;
}

/** Lists every product's id by bulk query and marks the known ones it lacks (see above). */
export async function reconcileDeletions(
  ctx: SyncContext<ProductFilters>,
  client: AdminClient,
): Promise<void> {
  const listedAt = new Date();
  const operation = await runBulkQuery(client, SYNC_IMPORT_PRODUCT_IDS_BULK, { signal: ctx.signal });
  const listed = new Set<bigint>();
  for await (const line of bulkLines<{ id: string }>(operation.url, { signal: ctx.signal }))
    listed.add(numericId(line.id));
  const marked = await markUnlisted(ctx.db, ctx.shop.id, listed, listedAt);
  if (marked > 0) ctx.count("deleted", marked);
  ctx.log.info({ listed: listed.size, marked }, "products deleted in Shopify reconciled");
  await reconciled(ctx.db, ctx.shop.id, listedAt);
}

/** Of these products, those Shopify no longer has (a deletion to verify before marking it). */
export async function goneFromShopify(client: AdminClient, shopifyIds: bigint[]): Promise<bigint[]> {
  const gone: bigint[] = [];
  for (let i = 0; i < shopifyIds.length; i += IMPORT_STAMPS_PER_PAGE) {
    const chunk = shopifyIds.slice(i, i + IMPORT_STAMPS_PER_PAGE);
    const { nodes } = await client.request(IMPORT_PRODUCTS_EXIST, {
      ids: chunk.map((id) => gid("Product", id)),
    });
    nodes.forEach((node, index) => {
      if (!isProduct(node)) gone.push(chunk[index]!);
    });
  }
  return gone;
}

/**
 * A products/delete webhook's product, recorded for the next run to verify (the webhook is signed
 * by Shopify, but a delivery may come late, or twice: Shopify's answer decides). An unknown or
 * uninstalled shop records nothing.
 */
export async function recordReportedDeletion(db: Db, domain: string, shopifyId: bigint): Promise<boolean> {
  const shop = await db.shop.findUnique({ where: { domain }, select: { id: true, uninstalledAt: true } });
  if (!shop || shop.uninstalledAt) return false;
  // A repeat of the delivery finds the row waiting and changes nothing.
  await db.shopifyProductDeletion.createMany({
    data: [{ shopId: shop.id, shopifyId }],
    skipDuplicates: true,
  });
  return true;
}

/** The deletions webhooks reported: those Shopify confirms (null by id) are marked, all are done. */
export async function verifyReportedDeletions(
  ctx: SyncContext<ProductFilters>,
  client: AdminClient,
): Promise<void> {
  const reported = await ctx.db.shopifyProductDeletion.findMany({
    where: { shopId: ctx.shop.id },
    orderBy: { reportedAt: "asc" },
    take: 10 * IMPORT_STAMPS_PER_PAGE,
  });
  if (reported.length === 0) return;
  const gone = await goneFromShopify(
    client,
    reported.map((row) => row.shopifyId),
  );
  const marked = await markDeleted(ctx.db, ctx.shop.id, gone);
  if (marked > 0) ctx.count("deleted", marked);
  await ctx.db.shopifyProductDeletion.deleteMany({
    where: { shopId: ctx.shop.id, shopifyId: { in: reported.map((row) => row.shopifyId) } },
  });
  ctx.log.info({ reported: reported.length, gone: gone.length, marked }, "reported deletions verified");
}
