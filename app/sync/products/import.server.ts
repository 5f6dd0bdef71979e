import { analyzeItemTables, findItem } from "../../backoffice/backoffice.server";
import type { ShopSettings } from "../../generated/prisma/client";
import type { SyncContext } from "../../jobs/sync-task.server";
import type { AdminClient } from "../../shopify/admin-client.server";
import { bulkRecords, runBulkQuery } from "../../shopify/bulk.server";
import { gid, numericId } from "../../shopify/ids.server";
import type { DataOf } from "../../shopify/operation.server";
import { CountedPages, ReadWindow } from "../kit/incremental.server";
import { RecordLoop } from "../kit/records.server";
import { listOf, type ProductFilters } from "./filters.server";
import {
  importProduct,
  importProductsTogether,
  isStale,
  markFailed,
  type ImportRun,
} from "./import-apply.server";
import {
  markDeleted,
  markUnlisted,
  reconcileDeletions,
  reconcileDue,
  reconciled,
  verifyReportedDeletions,
} from "./import-deletions.server";
import type { ProductRead } from "./import-plan.server";
import { readOfBulk, stampsById, wholeProducts } from "./import-read.server";
import {
  IMPORT_PRODUCT_STAMPS,
  IMPORT_PRODUCTS_COUNT,
  IMPORT_STAMPS_PER_PAGE,
  productsBulkQuery,
  type ImportProductStamp,
} from "./operations.server";
import { PRODUCT_TASK } from "./records.server";

/**
 * From Shopify: products become items (import-plan.server.ts says how, import-apply.server.ts
 * writes one product). Which products a run reads:
 *
 * - **The first run of all** (no cursor) reads the whole catalog (gift cards aside) with one
 *   bulk query, streamed: the file is spooled and handed over a product at a time with its
 *   variants, a few batches of products in hand at once, each batch imported in one
 *   transaction. That listing of every product also reconciles deletions
 *   (import-deletions.server.ts).
 * - **Later runs** read what changed since the cursor (the sync kit's ReadWindow and
 *   CountedPages, `updated_at:>'…'` sorted by UPDATED_AT): stamps first, then whole only the
 *   products not already imported as Shopify has them. Scheduled runs re-read a window, as the
 *   order import does.
 * - **Retries**: every run also reads again the products in error (up to
 *   `productImport.maxAttempts` failed attempts; after that when they change, or a person retries)
 *   and the unmapped ones the import judged before the shop card last changed (the merchant may
 *   have turned auto-create on, or chosen another mapping). When there are more of those than
 *   `productImport.bulkAbove`, the run reads the whole catalog by bulk query instead.
 * - **The request page's product ids**: just those, whatever the cursor says, and the cursor
 *   does not move; those Shopify answers null for are marked deleted.
 * - **Deletions**: the products/delete webhook's products are verified by id and marked, every
 *   run; a run without product ids also reconciles once a day (import-deletions.server.ts).
 *
 * A product that fails is marked "error" with the message (on the products list), the others
 * go on; the cursor moves past it, since the retry reads it by id.
 */

export const productImport = {
  /** More products than this to read again by id: the whole catalog by bulk query instead. */
  bulkAbove: 250,
  /** Batches of products imported at the same time on a bulk read. */
  concurrency: 4,
  /** Products of a bulk read imported in one transaction (importProductsTogether). */
  batch: 25,
  /** Failed attempts after which a product is tried again only when it changes, or by a person. */
  maxAttempts: 5,
  /** Products of a bulk read after which the tables it fills are analyzed, and again at each doubling. */
  analyzeAfter: 250,
};

/**
 * Refreshes the planner's statistics of the tables an import fills: the back office's item
 * tables and the product links. A first import grows them from nothing faster than autovacuum
 * analyzes them (and not at all where autovacuum is off): with the statistics of nearly empty
 * tables the planner takes any index that starts with the shop for a lookup by SKU, and reads
 * the shop's every item or variant each time, so the import's time grows with the square of
 * the catalog. A table being vacuumed or analyzed already is left to that (SKIP_LOCKED), one
 * the app's role does not own is skipped with a warning; statistics only, so nothing fails
 * when it cannot be done.
 */
async function analyzeImportTables(ctx: SyncContext<ProductFilters>): Promise<void> {
  try {
    // Postgres only warns (and does nothing) for a table the role does not own: say so here.
    const [owned] = await ctx.db.$queryRaw<{ others: bigint }[]>`
      select count(*) as others from pg_catalog.pg_tables
       where schemaname = current_schema() and tableowner <> current_user
         and tablename in ('BoItem', 'BoItemVariant', 'BoSalesPrice', 'BoChange',
                           'ShopifyProduct', 'ShopifyVariantMap', 'SyncRecord')`;
    if (owned && owned.others > 0n)
      ctx.log.warn(
        { tables: Number(owned.others) },
        "the database role does not own all the tables the import fills: their statistics are left to autovacuum, and a first import of a large catalog may slow down as it grows",
      );
    await analyzeItemTables(ctx.db);
    await ctx.db.$executeRawUnsafe(
      `analyze (skip_locked) "ShopifyProduct", "ShopifyVariantMap", "SyncRecord"`,
    );
  } catch (error) {
    ctx.log.warn(
      { error: error instanceof Error ? error.message : String(error) },
      "the import's tables could not be analyzed",
    );
  }
}

/** The run's record loop: a failed product is marked with its message, the run goes on. */
function productLoop(ctx: SyncContext<ProductFilters>, run: ImportRun, handled: Set<string>, force = false) {
  return new RecordLoop<ProductRead>(ctx, {
    label: (read) => `${read.product.title} (${numericId(read.product.id)})`,
    handle: (read) => {
      handled.add(read.product.id);
      return importProduct(run, read, { force });
    },
    handleMany: (reads) => {
      for (const read of reads) handled.add(read.product.id);
      return importProductsTogether(run, reads, { force });
    },
    onFailure: (read, message) => markFailed(ctx.db, ctx.shop.id, read, message).catch(() => undefined),
  });
}

async function openRun(ctx: SyncContext<ProductFilters>, settings: ShopSettings): Promise<ImportRun> {
  const template = settings.itemTemplateNo
    ? await findItem(ctx.db, ctx.shop.id, settings.itemTemplateNo)
    : undefined;
  return { db: ctx.db, shopId: ctx.shop.id, settings, template };
}

export async function importProducts(
  ctx: SyncContext<ProductFilters>,
  client: AdminClient,
  settings: ShopSettings,
): Promise<void> {
  const run = await openRun(ctx, settings);
  const handled = new Set<string>();
  const ids = listOf(ctx.filters.productIds);
  if (ids.length > 0) {
    await importByIds(
      ctx,
      client,
      productLoop(ctx, run, handled, true),
      ids.map((id) => gid("Product", id)),
    );
    await verifyReportedDeletions(ctx, client);
    return;
  }
  const window = await ReadWindow.open(ctx.db, ctx.shop.id, PRODUCT_TASK, ctx.run.trigger);
  const retries = await retryIds(ctx, settings);
  if (!window.since || retries.length > productImport.bulkAbove) {
    await importCatalog(ctx, client, productLoop(ctx, run, handled), window);
    await verifyReportedDeletions(ctx, client);
    return;
  }
  const loop = productLoop(ctx, run, handled);
  await importChanged(ctx, client, settings, loop, window);
  const again = retries.filter((id) => !handled.has(id));
  if (again.length > 0) {
    ctx.log.info({ products: again.length }, "products in error or unmapped read again");
    await importByIds(ctx, client, loop, again);
  }
  await verifyReportedDeletions(ctx, client);
  if (await reconcileDue(ctx.db, ctx.shop.id)) await reconcileDeletions(ctx, client);
}

/** Products to read again by id: in error (attempts left), or unmapped before the shop card changed. */
async function retryIds(ctx: SyncContext<ProductFilters>, settings: ShopSettings): Promise<string[]> {
  const rows = await ctx.db.shopifyProduct.findMany({
    where: {
      shopId: ctx.shop.id,
      deletedAt: null,
      OR: [
        { importState: "error", importAttempts: { lt: productImport.maxAttempts } },
        { importState: "unmapped", OR: [{ importedAt: null }, { importedAt: { lt: settings.updatedAt } }] },
      ],
    },
    select: { shopifyId: true },
    orderBy: { shopifyId: "asc" },
    take: productImport.bulkAbove + 1,
  });
  return rows.map((row) => gid("Product", row.shopifyId));
}

/** What changed since the window's cursor: stamps by pages, then whole those not imported as they are. */
async function importChanged(
  ctx: SyncContext<ProductFilters>,
  client: AdminClient,
  settings: ShopSettings,
  loop: RecordLoop<ProductRead>,
  window: ReadWindow,
): Promise<void> {
  const query = `${window.searchTerm("")} gift_card:false`.trim();
  const pages = await CountedPages.start(
    async () => (await client.request(IMPORT_PRODUCTS_COUNT, { query })).productsCount,
    window,
  );
  ctx.log.info({ query, total: pages.total, reconciling: window.reconciling }, "products to import");
  let after: string | null = null;
  for (let more = pages.any; more;) {
    const page: DataOf<typeof IMPORT_PRODUCT_STAMPS> = await client.request(IMPORT_PRODUCT_STAMPS, {
      first: pages.pageSize(IMPORT_STAMPS_PER_PAGE),
      after,
      query,
    });
    const stamps = page.products.nodes;
    const changed = await notImportedAsTheyAre(ctx, settings, stamps);
    await loop.each(wholeProducts(client, changed));
    pages.done += stamps.length;
    more = await pages.readOn(page.products.pageInfo, stamps.length);
    after = page.products.pageInfo.endCursor;
    await ctx.progress(Math.min(pages.done, pages.total), Math.max(pages.total, pages.done));
  }
  await window.commit(pages.readUpTo);
}

/**
 * The listed products to read whole: not imported yet, or not as Shopify has them now, by the
 * rules of importProduct. Those whose update time is our own write are recorded as such here,
 * without reading them.
 */
async function notImportedAsTheyAre(
  ctx: SyncContext<ProductFilters>,
  settings: ShopSettings,
  stamps: ImportProductStamp[],
): Promise<ImportProductStamp[]> {
  const rows = await ctx.db.shopifyProduct.findMany({
    where: { shopId: ctx.shop.id, shopifyId: { in: stamps.map((stamp) => numericId(stamp.id)) } },
  });
  const known = new Map(rows.map((row) => [row.shopifyId, row]));
  const toRead: ImportProductStamp[] = [];
  const ownWrites: bigint[] = [];
  for (const stamp of stamps) {
    const row = known.get(numericId(stamp.id));
    const updatedAt = new Date(stamp.updatedAt).getTime();
    if (
      row &&
      row.deletedAt === null &&
      row.shopifyUpdatedAt?.getTime() === updatedAt &&
      row.importState !== "error" &&
      !(row.importState === "unmapped" && isStale(row, settings))
    )
      continue;
    if (row?.ownWriteAt?.getTime() === updatedAt) ownWrites.push(row.shopifyId);
    else toRead.push(stamp);
  }
  for (const shopifyId of ownWrites) {
    const row = known.get(shopifyId)!;
    await ctx.db.shopifyProduct.update({
      where: { shopId_shopifyId: { shopId: ctx.shop.id, shopifyId } },
      data: { shopifyUpdatedAt: row.ownWriteAt, deletedAt: null },
    });
  }
  if (ownWrites.length > 0) ctx.count("ownWrite", ownWrites.length);
  if (stamps.length > toRead.length + ownWrites.length)
    ctx.count("unchanged", stamps.length - toRead.length - ownWrites.length);
  return toRead;
}

/** Products named by id (a retry, the request page): read whole; those Shopify lacks are marked deleted. */
async function importByIds(
  ctx: SyncContext<ProductFilters>,
  client: AdminClient,
  loop: RecordLoop<ProductRead>,
  ids: string[],
): Promise<void> {
  const { stamps, missing } = await stampsById(client, ids);
  const marked = await markDeleted(ctx.db, ctx.shop.id, missing.map(numericId));
  if (marked > 0) ctx.count("deleted", marked);
  if (missing.length > marked) ctx.count("notFound", missing.length - marked);
  await loop.each(wholeProducts(client, stamps));
}

/**
 * The whole catalog by one bulk query, each product through the record loop, in batches of
 * `productImport.batch` products imported in one transaction, a few batches at a time (a
 * product's import is mostly waiting for Postgres, and products are independent). Its listing
 * reconciles deletions. The cursor is the time taken before the read.
 */
async function importCatalog(
  ctx: SyncContext<ProductFilters>,
  client: AdminClient,
  loop: RecordLoop<ProductRead>,
  window: ReadWindow,
): Promise<void> {
  const listedAt = new Date();
  ctx.log.info({ first: !window.since }, "the whole catalog by bulk query");
  const operation = await runBulkQuery(client, productsBulkQuery("gift_card:false"), { signal: ctx.signal });
  const total = Number(operation.rootObjectCount);
  const listed = new Set<bigint>();
  const inFlight = new Set<Promise<void>>();
  let done = 0;
  let analyzeAt = productImport.analyzeAfter;
  let stop: { error: unknown } | null = null;
  const importBatch = async (reads: ProductRead[]) => {
    await loop.batch(reads);
    done += reads.length;
    if (done >= analyzeAt) {
      analyzeAt *= 2;
      await analyzeImportTables(ctx);
    }
    await ctx.progress(done, total);
  };
  const start = (reads: ProductRead[]) => {
    const importing: Promise<void> = importBatch(reads)
      .catch((error: unknown) => {
        stop ??= { error };
      })
      .finally(() => inFlight.delete(importing));
    inFlight.add(importing);
  };
  let batch: ProductRead[] = [];
  for await (const record of bulkRecords(operation.url, { signal: ctx.signal })) {
    listed.add(numericId(String(record.node.id)));
    batch.push(readOfBulk(record));
    if (batch.length < productImport.batch) continue;
    start(batch);
    batch = [];
    if (inFlight.size >= productImport.concurrency) await Promise.race(inFlight);
    if (stop) break;
  }
  if (!stop && batch.length > 0) start(batch);
  await Promise.all(inFlight);
  if (stop) throw (stop as { error: unknown }).error;
  const marked = await markUnlisted(ctx.db, ctx.shop.id, listed, listedAt);
  if (marked > 0) ctx.count("deleted", marked);
  await reconciled(ctx.db, ctx.shop.id, listedAt);
  await window.commit(window.startedAt);
}
