import { randomUUID } from "node:crypto";
import {
  createItem,
  findItem,
  priceBook,
  saveItemVariants,
  setBasePrices,
  updateItem,
  type ItemWithVariants,
  type PriceBook,
} from "../../backoffice/backoffice.server";
import type { Db, Tx } from "../../db.server";
import type { ShopSettings, ShopifyProduct, ShopifyVariantMap } from "../../generated/prisma/client";
import { numericId } from "../../shopify/ids.server";
import type { RecordResult } from "../kit/records.server";
import { draftOf } from "./build.server";
import {
  linkTitle,
  planProduct,
  type PlanContext,
  type ProductPlan,
  type ProductRead,
  type VariantTarget,
} from "./import-plan.server";
import { linkProduct, linkVariants, type LinkedBy, type VariantLink } from "./links.server";
import { PRODUCT_TASK } from "./records.server";

/**
 * One product of the import, in one transaction: its item created or updated (through the back
 * office's functions), its links (ShopifyProduct, ShopifyVariantMap with the inventory items),
 * its import state and, when the item was written, the export's record of the item set to what
 * the item now is (state synced, the product's gid, the structure hash of its draft, each
 * variant link's price hash), so that an item changed by an import is not exported back should
 * the shop later sync items to Shopify.
 *
 * Before any of that, a product Shopify has as the import last read it is "unchanged" (unless
 * it is in error, or unmapped and the shop card changed since), and one whose update time is
 * our own export's last write ("ownWrite") is not applied back.
 */

export interface ImportRun {
  db: Db;
  shopId: string;
  settings: ShopSettings;
  template: PlanContext["template"];
}

/** The outcome of a product under its count name. */
const RESULTS = {
  unchanged: { outcome: "unchanged", count: "unchanged" },
  ownWrite: { outcome: "unchanged", count: "ownWrite" },
  created: { outcome: "sent", count: "itemsCreated" },
  updated: { outcome: "sent", count: "itemsUpdated" },
  linked: { outcome: "unchanged", count: "linked" },
  several: { outcome: "unchanged", count: "linkedToSeveralItems" },
  leftAlone: { outcome: "skipped", count: "leftAlone" },
  unmapped: { outcome: "skipped", count: "unmapped" },
} as const satisfies Record<string, RecordResult>;

type Applied = keyof typeof RESULTS;

const TRANSACTION = { maxWait: 10_000, timeout: 60_000 };

/** The import's state of an unmapped product is read again once the shop card changed since. */
export function isStale(row: Pick<ShopifyProduct, "importedAt">, settings: Pick<ShopSettings, "updatedAt">) {
  return row.importedAt === null || row.importedAt < settings.updatedAt;
}

/** Imports one product read from Shopify; `force` re-reads it even when unchanged (a retry). */
export async function importProduct(
  run: ImportRun,
  read: ProductRead,
  options: { force?: boolean } = {},
): Promise<RecordResult> {
  const { db, shopId } = run;
  const shopifyId = numericId(read.product.id);
  const row = await db.shopifyProduct.findUnique({ where: { shopId_shopifyId: { shopId, shopifyId } } });
  const known = await asImported(db, run, read, row, options);
  if (known) return known;
  return RESULTS[await db.$transaction((tx) => applyProduct(tx, run, read, row), TRANSACTION)];
}

/**
 * Imports these products in one transaction, one after the other, each as importProduct would
 * (a bulk read's products a few dozen at a time: one transaction, one read of their product
 * records and one notification of the back office's doorbell for them all, instead of one
 * each). All or nothing: when one fails, nothing is written and the error is thrown (the
 * record loop then imports each on its own).
 */
export async function importProductsTogether(
  run: ImportRun,
  reads: ProductRead[],
  options: { force?: boolean } = {},
): Promise<RecordResult[]> {
  const { db, shopId } = run;
  return db.$transaction(async (tx) => {
    const ids = reads.map((read) => numericId(read.product.id));
    const variantIds = reads.flatMap((read) => read.variants.map((variant) => numericId(variant.id)));
    // The products' records and their variants' links, for them all at once: each product
    // writes only its own, so what the first ones write does not change what the later ones read.
    const [rows, links] = await Promise.all([
      tx.shopifyProduct.findMany({ where: { shopId, shopifyId: { in: ids } } }),
      tx.shopifyVariantMap.findMany({ where: { shopId, variantShopifyId: { in: variantIds } } }),
    ]);
    const rowOf = new Map(rows.map((row) => [row.shopifyId, row]));
    const linkOf = new Map(links.map((link) => [link.variantShopifyId, link]));
    const results: RecordResult[] = [];
    const seen = new Set<bigint>();
    for (const [index, read] of reads.entries()) {
      const shopifyId = ids[index]!;
      // A product given twice is read again the second time: the first may have written it.
      const again = seen.has(shopifyId);
      seen.add(shopifyId);
      const row = again
        ? await tx.shopifyProduct.findUnique({ where: { shopId_shopifyId: { shopId, shopifyId } } })
        : (rowOf.get(shopifyId) ?? null);
      const theirLinks = again
        ? undefined
        : read.variants.flatMap((variant) => linkOf.get(numericId(variant.id)) ?? []);
      results.push(
        (await asImported(tx, run, read, row, options)) ??
          RESULTS[await applyProduct(tx, run, read, row, theirLinks)],
      );
    }
    return results;
  }, TRANSACTION);
}

/**
 * The product as the import last read it ("unchanged", unless it is in error, or unmapped and
 * the shop card changed since), or as our own export last wrote it ("ownWrite", recorded so);
 * null when it is to be applied.
 */
async function asImported(
  db: Db | Tx,
  run: ImportRun,
  read: ProductRead,
  row: ShopifyProduct | null,
  options: { force?: boolean },
): Promise<RecordResult | null> {
  const { shopId, settings } = run;
  const shopifyId = numericId(read.product.id);
  const updatedAt = new Date(read.product.updatedAt);
  if (
    !options.force &&
    row &&
    row.deletedAt === null &&
    row.shopifyUpdatedAt?.getTime() === updatedAt.getTime() &&
    row.importState !== "error" &&
    !(row.importState === "unmapped" && isStale(row, settings))
  )
    return RESULTS.unchanged;
  if (row?.ownWriteAt && row.ownWriteAt.getTime() === updatedAt.getTime()) {
    await db.shopifyProduct.update({
      where: { shopId_shopifyId: { shopId, shopifyId } },
      data: { shopifyUpdatedAt: updatedAt, deletedAt: null },
    });
    return RESULTS.ownWrite;
  }
  return null;
}

/**
 * Plans the product and writes the plan, in the caller's transaction; `links`: its variants'
 * links when the caller has read them (else they are read).
 */
async function applyProduct(
  tx: Tx,
  run: ImportRun,
  read: ProductRead,
  row: ShopifyProduct | null,
  known?: ShopifyVariantMap[],
): Promise<Applied> {
  const { shopId, settings } = run;
  const links =
    known ??
    (await tx.shopifyVariantMap.findMany({
      where: { shopId, variantShopifyId: { in: read.variants.map((variant) => numericId(variant.id)) } },
    }));
  // The price book the plan read, kept for the write when the prices stay as they were.
  let planned: { itemNos: string[]; book: PriceBook } | null = null;
  const context: PlanContext = {
    db: tx,
    shopId,
    settings,
    template: run.template,
    book: async (itemNos) => {
      const book = await priceBook(tx, shopId, itemNos);
      planned = { itemNos, book };
      return book;
    },
  };
  const plan = await planProduct(
    context,
    read,
    row,
    new Map(links.map((link) => [link.variantShopifyId, link])),
  );
  return applyPlan(tx, run, read, row, links, plan, planned);
}

async function applyPlan(
  tx: Tx,
  run: ImportRun,
  read: ProductRead,
  row: ShopifyProduct | null,
  links: ShopifyVariantMap[],
  plan: ProductPlan,
  planned: { itemNos: string[]; book: PriceBook } | null,
): Promise<Applied> {
  const { shopId, settings } = run;
  const linked = new Map(links.map((link) => [link.variantShopifyId, link]));
  const link = (targets: VariantTarget[], prices?: Map<string | null, string>) =>
    linkVariants(tx, shopId, variantLinks(read, targets, linked, prices));
  switch (plan.kind) {
    case "unmapped":
      await link(plan.targets);
      await writeProduct(tx, shopId, read, { itemNo: plan.itemNo, state: "unmapped", message: plan.reason });
      return "unmapped";
    case "several":
      await link(plan.targets);
      await writeProduct(tx, shopId, read, {
        itemNo: row?.itemNo ?? null,
        state: "imported",
        message: `its variants are items ${plan.itemNos.join(", ")}: linked each to its item, none updated from the product`,
      });
      return "several";
    case "create": {
      const item = await createItem(tx, shopId, {
        ...plan.card,
        ...(plan.itemNo ? { no: plan.itemNo } : {}),
        variants: plan.variants,
      });
      if (plan.prices) await setBasePrices(tx, shopId, item.no, plan.prices);
      const targets = read.variants.map((variant) => ({
        variant,
        itemNo: item.no,
        code: plan.codes.get(variant.id) ?? null,
      }));
      // The item as created is the item unless its prices were set since.
      await written(tx, run, read, item.no, targets, linked, { item: plan.prices ? undefined : item });
      return "created";
    }
    case "item": {
      const { item, write } = plan;
      if (!write) {
        await link(plan.targets);
        await writeProduct(tx, shopId, read, { itemNo: item.no, state: "imported", message: null });
        return "linked";
      }
      if (!settings.updateItemsFromShopify || plan.refusal) {
        await link(plan.asFound);
        await writeProduct(tx, shopId, read, {
          itemNo: item.no,
          state: plan.refusal ? "unmapped" : "imported",
          message: plan.refusal,
        });
        return plan.refusal ? "unmapped" : "leftAlone";
      }
      const updated =
        Object.keys(write.card).length > 0 ? await updateItem(tx, shopId, item.no, write.card) : undefined;
      await saveItemVariants(tx, shopId, item.no, write.variants);
      if (write.prices) await setBasePrices(tx, shopId, item.no, write.prices);
      // What was read or returned already stands when nothing wrote over it since: the card's
      // update returns the item (its variants and prices unchanged after), and the plan's price
      // book holds while the prices are not set.
      const untouched = write.variants.length === 0 && !write.prices;
      const samePrices = !write.prices && planned?.itemNos.length === 1 && planned.itemNos[0] === item.no;
      await written(tx, run, read, item.no, plan.targets, linked, {
        item: untouched ? updated : undefined,
        book: samePrices ? planned?.book : undefined,
      });
      return "updated";
    }
  }
}

/**
 * The item was written from the product: the product and variant links, and the export's record
 * of the item, as if the export had sent the item as it now is. `known`: the item and its price
 * book as they now are, when the caller has them (else they are read).
 */
async function written(
  tx: Tx,
  run: ImportRun,
  read: ProductRead,
  itemNo: string,
  targets: VariantTarget[],
  linked: Map<bigint, ShopifyVariantMap>,
  known: { item?: ItemWithVariants; book?: PriceBook } = {},
): Promise<void> {
  const { shopId, settings } = run;
  const item: ItemWithVariants | null = known.item ?? (await findItem(tx, shopId, itemNo));
  if (!item) throw new Error(`item ${itemNo} is gone in the transaction that wrote it`);
  const draft = draftOf(item, settings, known.book ?? (await priceBook(tx, shopId, [itemNo])));
  const prices =
    "problem" in draft
      ? undefined
      : new Map(draft.variants.map((variant) => [variant.code, variant.priceHash]));
  await linkVariants(tx, shopId, variantLinks(read, targets, linked, prices));
  await writeProduct(tx, shopId, read, { itemNo, state: "imported", message: null });
  const sent = {
    state: "synced",
    shopifyId: read.product.id,
    sentHash: "problem" in draft ? null : draft.structureHash,
    message: null,
    attempts: 0,
    sentAt: new Date(),
  };
  await tx.syncRecord.upsert({
    where: { shopId_task_recordKey: { shopId, task: PRODUCT_TASK, recordKey: itemNo } },
    create: {
      id: randomUUID(),
      shopId,
      task: PRODUCT_TASK,
      recordKey: itemNo,
      changedAt: new Date(),
      ...sent,
    },
    update: sent,
  });
}

/** The variant links of these targets; a link that already says the same keeps how it was made. */
function variantLinks(
  read: ProductRead,
  targets: VariantTarget[],
  linked: Map<bigint, ShopifyVariantMap>,
  prices?: Map<string | null, string>,
): VariantLink[] {
  const productShopifyId = numericId(read.product.id);
  return targets.map(({ variant, itemNo, code }) => {
    const variantShopifyId = numericId(variant.id);
    const before = linked.get(variantShopifyId);
    const same = before?.itemNo === itemNo && (before.variantCode ?? null) === code;
    return {
      variantShopifyId,
      productShopifyId,
      inventoryItemShopifyId: variant.inventoryItem ? numericId(variant.inventoryItem.id) : null,
      sku: variant.sku,
      barcode: variant.barcode,
      title: linkTitle(read, variant),
      itemNo,
      variantCode: code,
      linkedBy: same ? (before.linkedBy as LinkedBy) : "import",
      ...(prices ? { sentPriceHash: prices.get(code) ?? null } : {}),
    };
  });
}

async function writeProduct(
  tx: Tx,
  shopId: string,
  read: ProductRead,
  state: { itemNo: string | null; state: "imported" | "unmapped"; message: string | null },
): Promise<void> {
  await linkProduct(tx, shopId, {
    shopifyId: numericId(read.product.id),
    title: read.product.title,
    status: read.product.status,
    itemNo: state.itemNo,
    shopifyUpdatedAt: new Date(read.product.updatedAt),
    imported: { state: state.state, message: state.message },
  });
}

/** A product that failed: its message where the products list shows it, attempts counted. */
export async function markFailed(db: Db, shopId: string, read: ProductRead, message: string): Promise<void> {
  const shopifyId = numericId(read.product.id);
  const data = { importState: "error", importMessage: message, importedAt: new Date() };
  await db.shopifyProduct.upsert({
    where: { shopId_shopifyId: { shopId, shopifyId } },
    create: {
      shopId,
      shopifyId,
      title: read.product.title,
      status: read.product.status,
      importAttempts: 1,
      ...data,
    },
    update: { ...data, importAttempts: { increment: 1 } },
  });
}
