import { z } from "zod";
import { createItem, findItem, searchItems } from "../backoffice/backoffice.server";
import type { Db } from "../db.server";
import type { Shop, ShopifyVariantMap } from "../generated/prisma/client";
import { tileWhere } from "../status/status.server";
import { processOrdersTask } from "../sync/orders/task.server";
import { syncProductsTask } from "../sync/products/task.server";
import { startFollowUp, type FollowUp } from "./follow-up.server";
import { LIST_PAGE_SIZE, pageParam, pageWindow, type Paging } from "./paging";
import { Refusal } from "./refusal.server";
import { adminOrderUrl, storeHandle } from "./shopify-admin.server";
import { runNow } from "./tasks.server";

/**
 * Unmapped products: Shopify variants seen in orders that map to no back-office item, with the
 * orders each one holds up. A person maps one to an existing item (and variant) or creates an
 * item from it; the link is kept on the variant's ShopifyVariantMap row, which order
 * processing reads before any SKU lookup, and the orders it held up are processed again.
 *
 * And, with "Sync items: from Shopify", the products the import could not make items of
 * (unmapped, with the reason) or failed on (the error, the attempts), each with a retry (a run
 * of sync_products for that product), and a retry of them all (read again by the next run);
 * and the products deleted in Shopify, whose items are kept.
 */

export interface BlockedOrder {
  id: string;
  name: string;
  adminUrl: string;
}

export interface UnmappedProduct {
  variantId: string;
  title: string;
  sku: string | null;
  barcode: string | null;
  /** The variant's price on the latest order that has it. */
  lastUnitPrice: string | null;
  blockedOrders: BlockedOrder[];
}

/** Shopify's ids are stored as bigints: a larger number is no id of Shopify's (and no query to make). */
const fitsBigint = (value: string) => !/^\d{1,19}$/.test(value) || BigInt(value) < 2n ** 63n;

const variantId = z
  .string({ message: "variant is required" })
  .trim()
  .regex(/^\d{1,19}$/, "variant must be a Shopify variant id (digits)")
  .refine(fitsBigint, "variant must be a Shopify variant id (digits)")
  .transform((value) => BigInt(value));

const text = (max: number) => z.string().trim().max(max, `at most ${max} characters`);

export const productQuery = z.object({
  variant: variantId.optional(),
  q: text(100).optional(),
  page: pageParam,
});

const productId = z
  .string({ message: "product is required" })
  .trim()
  .regex(/^\d{1,19}$/, "product must be a Shopify product id (digits)")
  .refine(fitsBigint, "product must be a Shopify product id (digits)")
  .transform((value) => BigInt(value));

/** Map a variant to an existing item (and variant). */
export const mapVariantAction = z.object({
  intent: z.literal("map"),
  variantId,
  itemNo: text(20).min(1, "choose an item"),
  variantCode: text(10).optional(),
});

/** Create an item from a variant, and map the variant to it. */
export const createItemAction = z.object({
  intent: z.literal("create"),
  variantId,
  itemNo: text(20).optional(),
  description: text(100).min(1, "give the item a description"),
  unitPrice: z
    .string()
    .trim()
    .regex(/^\d{1,12}(\.\d{1,4})?$/, "give the unit price as a number such as 25.00"),
  barcode: text(50).optional(),
  vendorItemNo: text(50).optional(),
});

export const productAction = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("retryImport"), productId }),
  z.object({ intent: z.literal("retryAllImports") }),
  mapVariantAction,
  createItemAction,
]);
export type ProductAction = z.output<typeof productAction>;

/** The orders waiting on each variant: open lines of orders the unprocessed tile counts. */
async function blockingOrders(db: Db, shop: Shop, variantIds: bigint[]) {
  const lines = await db.shopifyOrderLine.findMany({
    where: {
      variantShopifyId: { in: variantIds },
      currentQuantity: { gt: 0 },
      order: tileWhere.unprocessedOrders(shop.id),
    },
    select: {
      variantShopifyId: true,
      unitPrice: true,
      order: { select: { id: true, name: true, shopifyId: true, shopifyCreatedAt: true } },
    },
    orderBy: { order: { shopifyCreatedAt: "asc" } },
  });
  const byVariant = new Map<bigint, { orders: BlockedOrder[]; lastUnitPrice: string }>();
  for (const line of lines) {
    const entry = byVariant.get(line.variantShopifyId!) ?? { orders: [], lastUnitPrice: "" };
    if (!entry.orders.some((order) => order.id === line.order.id))
      entry.orders.push({
        id: line.order.id,
        name: line.order.name,
        adminUrl: adminOrderUrl(shop.domain, line.order.shopifyId),
      });
    entry.lastUnitPrice = line.unitPrice.toFixed(2);
    byVariant.set(line.variantShopifyId!, entry);
  }
  return byVariant;
}

async function lastUnitPrice(db: Db, shop: Shop, variant: bigint): Promise<string | null> {
  const line = await db.shopifyOrderLine.findFirst({
    where: { variantShopifyId: variant, order: { shopId: shop.id } },
    orderBy: { order: { shopifyCreatedAt: "desc" } },
    select: { unitPrice: true },
  });
  return line ? line.unitPrice.toFixed(2) : null;
}

function rowOf(row: ShopifyVariantMap, blocked?: { orders: BlockedOrder[]; lastUnitPrice: string }) {
  return {
    variantId: row.variantShopifyId.toString(),
    title: row.title,
    sku: row.sku,
    barcode: row.barcode,
    lastUnitPrice: blocked?.lastUnitPrice ?? null,
    blockedOrders: blocked?.orders ?? [],
  };
}

export async function listUnmappedProducts(
  db: Db,
  shop: Shop,
  page = 1,
): Promise<Paging & { rows: UnmappedProduct[] }> {
  const where = tileWhere.unmappedProducts(shop.id);
  const { paging, skip, take } = pageWindow(page, await db.shopifyVariantMap.count({ where }));
  const variants = await db.shopifyVariantMap.findMany({
    where,
    orderBy: [{ title: "asc" }, { variantShopifyId: "asc" }],
    skip,
    take,
  });
  const blocked = await blockingOrders(
    db,
    shop,
    variants.map((variant) => variant.variantShopifyId),
  );
  return {
    ...paging,
    rows: variants.map((variant) => rowOf(variant, blocked.get(variant.variantShopifyId))),
  };
}

async function requireVariant(db: Db, shop: Shop, id: bigint): Promise<ShopifyVariantMap> {
  const row = await db.shopifyVariantMap.findUnique({
    where: { shopId_variantShopifyId: { shopId: shop.id, variantShopifyId: id } },
  });
  if (!row) throw new Refusal(`This shop has no Shopify variant ${id} waiting to be mapped.`, 404);
  return row;
}

function alreadyMapped(row: ShopifyVariantMap): Refusal {
  const target = row.variantCode ? `${row.itemNo} (variant ${row.variantCode})` : row.itemNo;
  return new Refusal(`${row.title} is already mapped to item ${target}.`, 409);
}

/**
 * The mapping panel of one variant: items to pick from, and an item proposed from the variant.
 * A variant mapped meanwhile (by this person a moment ago, or another) says so instead.
 */
export async function productMappingPanel(db: Db, shop: Shop, id: bigint, query?: string) {
  const row = await requireVariant(db, shop, id);
  if (row.itemNo) return { mapped: true as const, message: alreadyMapped(row).message };
  const settings = await db.shopSettings.findUnique({ where: { shopId: shop.id } });
  const strategy = settings?.productMapping ?? "item_no";
  const search = query ?? row.sku ?? "";
  const [items, price, blocked] = await Promise.all([
    searchItems(db, shop.id, search),
    lastUnitPrice(db, shop, id),
    blockingOrders(db, shop, [id]),
  ]);
  return {
    mapped: false as const,
    variant: { ...rowOf(row, blocked.get(id)), lastUnitPrice: price },
    query: search,
    items: items.map((item) => ({
      no: item.no,
      description: item.description,
      vendorItemNo: item.vendorItemNo,
      barcode: item.barcode,
      variants: item.variants.map((variant) => ({ code: variant.code, description: variant.description })),
    })),
    // As automatic creation would make it: the SKU names the item where the shop's mapping says
    // the SKU is the item number; otherwise the number series numbers it.
    proposal: {
      itemNo: strategy === "item_no" || strategy === "item_no_variant_code" ? (row.sku ?? "") : "",
      description: row.title,
      unitPrice: price ?? "0.00",
      barcode: row.barcode ?? (strategy === "barcode" ? (row.sku ?? "") : ""),
      vendorItemNo: strategy === "vendor_item_no" ? (row.sku ?? "") : "",
    },
  };
}

export interface MappingOutcome {
  message: string;
  followUp: FollowUp | null;
}

/** Processes the orders the variant held up, if any are waiting. */
async function followUp(db: Db, shop: Shop, id: bigint, mapped: string): Promise<MappingOutcome> {
  const blocked = (await blockingOrders(db, shop, [id])).get(id)?.orders ?? [];
  if (blocked.length === 0) return { message: `${mapped} No waiting order has it.`, followUp: null };
  const started = await startFollowUp(db, shop, processOrdersTask);
  const names = blocked.map((order) => order.name).join(", ");
  return { message: `${mapped} Orders waiting for it: ${names}.`, followUp: started };
}

async function mapToExisting(db: Db, shop: Shop, input: Extract<ProductAction, { intent: "map" }>) {
  const row = await requireVariant(db, shop, input.variantId);
  const item = await findItem(db, shop.id, input.itemNo);
  if (!item) throw new Refusal(`There is no item ${input.itemNo} in the back office.`, 404);
  if (item.blocked) throw new Refusal(`Item ${item.no} is blocked; unblock it or choose another.`, 400);
  const variantCode = input.variantCode || null;
  if (variantCode && !item.variants.some((variant) => variant.code === variantCode))
    throw new Refusal(`Item ${item.no} has no variant ${variantCode}.`, 404);
  if (row.itemNo) {
    if (row.itemNo === item.no && (row.variantCode ?? null) === variantCode)
      return `${row.title} is mapped to item ${item.no}.`;
    throw alreadyMapped(row);
  }
  const { count } = await db.shopifyVariantMap.updateMany({
    where: { shopId: shop.id, variantShopifyId: row.variantShopifyId, itemNo: null },
    data: { itemNo: item.no, variantCode, linkedBy: "person" },
  });
  if (count === 0) throw alreadyMapped(await requireVariant(db, shop, input.variantId));
  return `${row.title} is now mapped to item ${item.no}${variantCode ? ` (variant ${variantCode})` : ""}.`;
}

async function createFromVariant(db: Db, shop: Shop, input: Extract<ProductAction, { intent: "create" }>) {
  const row = await requireVariant(db, shop, input.variantId);
  if (row.itemNo) throw alreadyMapped(row);
  // The item and the link commit together: a refused link leaves no item behind.
  const item = await db.$transaction(async (tx) => {
    const created = await createItem(tx, shop.id, {
      no: input.itemNo || undefined,
      description: input.description,
      unitPrice: input.unitPrice,
      barcode: input.barcode || undefined,
      vendorItemNo: input.vendorItemNo || undefined,
    });
    const { count } = await tx.shopifyVariantMap.updateMany({
      where: { shopId: shop.id, variantShopifyId: row.variantShopifyId, itemNo: null },
      data: { itemNo: created.no, variantCode: null, linkedBy: "person" },
    });
    if (count === 0) throw new Refusal(`${row.title} was mapped by someone else meanwhile.`, 409);
    return created;
  });
  return `Item ${item.no} (${item.description}) is created and ${row.title} is mapped to it.`;
}

/**
 * Maps a variant to an existing item or a new one, then processes the orders it held up; or
 * imports again a product (or every product) the products import could not make an item of.
 */
export async function mapProduct(db: Db, shop: Shop, input: ProductAction): Promise<MappingOutcome> {
  if (input.intent === "retryImport" || input.intent === "retryAllImports")
    return retryImport(db, shop, input);
  const mapped =
    input.intent === "map" ? await mapToExisting(db, shop, input) : await createFromVariant(db, shop, input);
  return followUp(db, shop, input.variantId, mapped);
}

export function adminProductUrl(domain: string, productShopifyId: bigint): string {
  return `https://admin.shopify.com/store/${storeHandle(domain)}/products/${productShopifyId}`;
}

export interface ImportProblem {
  productId: string;
  title: string;
  /** unmapped (the reason) | error (the message; the import tries again) */
  state: string;
  reason: string | null;
  attempts: number;
  /** The item it is linked to, when the problem is with that item. */
  itemNo: string | null;
  /** When the import last read it. */
  readAt: string | null;
  adminUrl: string;
}

/** The products the import could not make items of: what the tile counts besides the variants. */
export async function listImportProblems(
  db: Db,
  shop: Shop,
): Promise<{ total: number; rows: ImportProblem[] }> {
  const where = tileWhere.unimportedProducts(shop.id);
  const [total, rows] = await Promise.all([
    db.shopifyProduct.count({ where }),
    db.shopifyProduct.findMany({
      where,
      orderBy: [{ importState: "asc" }, { title: "asc" }, { shopifyId: "asc" }],
      take: LIST_PAGE_SIZE,
    }),
  ]);
  return {
    total,
    rows: rows.map((row) => ({
      productId: row.shopifyId.toString(),
      title: row.title,
      state: row.importState ?? "",
      reason: row.importMessage,
      attempts: row.importAttempts,
      itemNo: row.itemNo,
      readAt: row.importedAt?.toISOString() ?? null,
      adminUrl: adminProductUrl(shop.domain, row.shopifyId),
    })),
  };
}

export interface DeletedProduct {
  productId: string;
  title: string;
  itemNo: string | null;
  deletedAt: string;
}

/** Products deleted in Shopify, latest first: their items are kept, and say so here. */
export async function listDeletedProducts(db: Db, shop: Shop, take = 20): Promise<DeletedProduct[]> {
  const rows = await db.shopifyProduct.findMany({
    where: { shopId: shop.id, deletedAt: { not: null } },
    orderBy: { deletedAt: "desc" },
    take,
  });
  return rows.map((row) => ({
    productId: row.shopifyId.toString(),
    title: row.title,
    itemNo: row.itemNo,
    deletedAt: row.deletedAt!.toISOString(),
  }));
}

/**
 * Imports a product again (a run of sync_products for it), or every product in the list (their
 * state is set back so that the next run reads each again, and a run is started).
 */
async function retryImport(
  db: Db,
  shop: Shop,
  input: Extract<ProductAction, { intent: "retryImport" | "retryAllImports" }>,
): Promise<MappingOutcome> {
  const settings = await db.shopSettings.findUnique({ where: { shopId: shop.id } });
  if (settings?.syncItems !== "from_shopify")
    throw new Refusal(
      'Products are imported only when the shop card\'s "Sync items" is "From Shopify"; change it on the settings page first.',
      409,
    );
  let message: string;
  let filters: { productIds?: string } = {};
  if (input.intent === "retryImport") {
    const row = await db.shopifyProduct.findUnique({
      where: { shopId_shopifyId: { shopId: shop.id, shopifyId: input.productId } },
    });
    if (!row) throw new Refusal(`This shop has no Shopify product ${input.productId}.`, 404);
    filters = { productIds: row.shopifyId.toString() };
    message = `${row.title} is imported again.`;
  } else {
    const { count } = await db.shopifyProduct.updateMany({
      where: tileWhere.unimportedProducts(shop.id),
      data: { importAttempts: 0, importedAt: null },
    });
    if (count === 0) return { message: "No product is waiting to be imported again.", followUp: null };
    message = `${count} ${count === 1 ? "product is" : "products are"} imported again.`;
  }
  const result = await runNow(db, shop, syncProductsTask.name, { filters });
  const followUp: FollowUp =
    result.mode === "background"
      ? { mode: "background", task: syncProductsTask.name, runId: result.run.id, coalesced: false }
      : {
          mode: "foreground",
          task: syncProductsTask.name,
          runId: result.run.id,
          status: result.run.status,
          error: result.run.error,
          counts: result.run.counts as Record<string, number>,
        };
  return { message, followUp };
}
