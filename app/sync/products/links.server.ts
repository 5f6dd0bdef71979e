import type { Db, Tx } from "../../db.server";
import type { ShopifyProduct, ShopifyVariantMap } from "../../generated/prisma/client";
import type { AdminClient } from "../../shopify/admin-client.server";
import { gid, numericId } from "../../shopify/ids.server";
import { VARIANT_LINKS, VARIANT_LINKS_PER_PAGE, type VariantLinkNode } from "./operations.server";

/**
 * The links the products sync keeps, for itself and the syncs built on it (inventory, images,
 * catalog prices): each Shopify product's item (`ShopifyProduct`), and each variant's item and
 * variant with its product and inventory item (`ShopifyVariantMap`), whichever way they were
 * linked: met on an order line, created by the export, read by the import, or set by a person.
 */

export type LinkedBy = "order" | "export" | "import" | "person";

export interface VariantLink {
  variantShopifyId: bigint;
  productShopifyId: bigint;
  inventoryItemShopifyId: bigint | null;
  sku: string | null;
  barcode: string | null;
  title: string;
  itemNo: string | null;
  variantCode: string | null;
  linkedBy: LinkedBy;
  /** The price last sent for it (the export), when it was sent with this write. */
  sentPriceHash?: string | null;
}

/**
 * Writes these variant links (created or replaced), in one statement per kind: links given a
 * sent price set it (and clear its message); the others keep what the variant had.
 */
export async function linkVariants(db: Db | Tx, shopId: string, links: VariantLink[]): Promise<void> {
  const withPrice = links.filter((link) => link.sentPriceHash !== undefined);
  const without = links.filter((link) => link.sentPriceHash === undefined);
  if (withPrice.length > 0) await writeLinks(db, shopId, withPrice, true);
  if (without.length > 0) await writeLinks(db, shopId, without, false);
}

async function writeLinks(db: Db | Tx, shopId: string, links: VariantLink[], setPrice: boolean) {
  const column = <K extends keyof VariantLink>(key: K) => links.map((link) => link[key] ?? null);
  await db.$executeRaw`
    insert into "ShopifyVariantMap" ("shopId", "variantShopifyId", "productShopifyId", "inventoryItemShopifyId",
                                     sku, barcode, title, "itemNo", "variantCode", "linkedBy", "sentPriceHash",
                                     "updatedAt")
    select ${shopId}::uuid, v.variant, v.product, v.inventory, v.sku, v.barcode, v.title, v.item, v.code, v.by,
           v.price, now()
      from unnest(${column("variantShopifyId")}::bigint[], ${column("productShopifyId")}::bigint[],
                  ${column("inventoryItemShopifyId")}::bigint[], ${column("sku")}::text[],
                  ${column("barcode")}::text[], ${column("title")}::text[], ${column("itemNo")}::text[],
                  ${column("variantCode")}::text[], ${column("linkedBy")}::text[], ${column("sentPriceHash")}::text[])
           as v(variant, product, inventory, sku, barcode, title, item, code, by, price)
    on conflict ("shopId", "variantShopifyId") do update
       set "productShopifyId" = excluded."productShopifyId",
           "inventoryItemShopifyId" = coalesce(excluded."inventoryItemShopifyId", "ShopifyVariantMap"."inventoryItemShopifyId"),
           sku = excluded.sku, barcode = excluded.barcode, title = excluded.title,
           "itemNo" = excluded."itemNo", "variantCode" = excluded."variantCode", "linkedBy" = excluded."linkedBy",
           "sentPriceHash" = case when ${setPrice} then excluded."sentPriceHash" else "ShopifyVariantMap"."sentPriceHash" end,
           "priceMessage" = case when ${setPrice} then null else "ShopifyVariantMap"."priceMessage" end,
           "updatedAt" = now()`;
}

/** Variant links of a product that are not in `keep` are gone from Shopify (a productSet replaced them). */
export async function unlinkOtherVariants(
  db: Db | Tx,
  shopId: string,
  productShopifyId: bigint,
  keep: bigint[],
): Promise<void> {
  await db.shopifyVariantMap.deleteMany({
    where: { shopId, productShopifyId, variantShopifyId: { notIn: keep } },
  });
}

export interface ProductLink {
  shopifyId: bigint;
  title: string;
  status: string;
  itemNo: string | null;
  /** Shopify's updatedAt after our write (the export), so the import knows its own echo. */
  ownWriteAt?: Date | null;
  /** Shopify's updatedAt as read (the import). */
  shopifyUpdatedAt?: Date | null;
  /** The export set the status for a blocked or removed item (true), or gave it back (false). */
  statusByBlock?: boolean;
  /** The import's verdict on the product, written with the link (its attempts start again). */
  imported?: { state: "imported" | "unmapped"; message: string | null };
}

/** Links a product to its item (or records it unlinked), keeping what the other direction knows. */
export async function linkProduct(db: Db | Tx, shopId: string, link: ProductLink): Promise<ShopifyProduct> {
  const data = {
    title: link.title,
    status: link.status,
    itemNo: link.itemNo,
    deletedAt: null,
    ...(link.ownWriteAt !== undefined ? { ownWriteAt: link.ownWriteAt } : {}),
    ...(link.shopifyUpdatedAt !== undefined ? { shopifyUpdatedAt: link.shopifyUpdatedAt } : {}),
    ...(link.statusByBlock !== undefined ? { statusByBlock: link.statusByBlock } : {}),
    ...(link.imported
      ? {
          importState: link.imported.state,
          importMessage: link.imported.message,
          importAttempts: 0,
          importedAt: new Date(),
        }
      : {}),
  };
  return db.shopifyProduct.upsert({
    where: { shopId_shopifyId: { shopId, shopifyId: link.shopifyId } },
    create: { shopId, shopifyId: link.shopifyId, ...data },
    update: data,
  });
}

/** The products linked to these items, by item number. */
export async function productsOfItems(
  db: Db | Tx,
  shopId: string,
  itemNos: string[],
): Promise<Map<string, ShopifyProduct>> {
  if (itemNos.length === 0) return new Map();
  const rows = await db.shopifyProduct.findMany({
    where: { shopId, itemNo: { in: itemNos }, deletedAt: null },
    orderBy: { updatedAt: "desc" },
  });
  const byItem = new Map<string, ShopifyProduct>();
  for (const row of rows) if (row.itemNo && !byItem.has(row.itemNo)) byItem.set(row.itemNo, row);
  return byItem;
}

/** The variant links of these products, by product id. */
export async function variantsOfProducts(
  db: Db | Tx,
  shopId: string,
  productShopifyIds: bigint[],
): Promise<Map<bigint, ShopifyVariantMap[]>> {
  if (productShopifyIds.length === 0) return new Map();
  const rows = await db.shopifyVariantMap.findMany({
    where: { shopId, productShopifyId: { in: productShopifyIds } },
  });
  const byProduct = new Map<bigint, ShopifyVariantMap[]>();
  for (const row of rows) {
    const list = byProduct.get(row.productShopifyId!) ?? [];
    list.push(row);
    byProduct.set(row.productShopifyId!, list);
  }
  return byProduct;
}

/** The items linked to a product Shopify still has (by whichever way they were linked). */
export async function linkedItemNos(db: Db | Tx, shopId: string): Promise<string[]> {
  const rows = await db.shopifyProduct.findMany({
    where: { shopId, itemNo: { not: null }, deletedAt: null },
    select: { itemNo: true },
    distinct: ["itemNo"],
  });
  return rows.map((row) => row.itemNo!);
}

/** The items whose linked Shopify variants have a SKU containing `text` (any case). */
export async function itemNosOfSkus(db: Db | Tx, shopId: string, text: string): Promise<string[]> {
  if (text.trim() === "") return [];
  const rows = await db.shopifyVariantMap.findMany({
    where: { shopId, itemNo: { not: null }, sku: { contains: text.trim(), mode: "insensitive" } },
    select: { itemNo: true },
    distinct: ["itemNo"],
    take: 1000,
  });
  return rows.map((row) => row.itemNo!);
}

/**
 * Variants linked to an item without their product or inventory item (an order line names the
 * variant alone; a person maps a variant by id) get both from Shopify, a page of ids at a time,
 * so every link serves the syncs that need them (prices of a product Shopify sells, inventory).
 * A variant Shopify no longer has is marked gone (its link kept, never asked for again).
 * Returns how many links it completed; with none to complete it sends nothing.
 */
export async function completeVariantLinks(db: Db, client: AdminClient, shopId: string): Promise<number> {
  let after = -1n;
  let completed = 0;
  for (;;) {
    const incomplete = await db.shopifyVariantMap.findMany({
      where: {
        shopId,
        itemNo: { not: null },
        variantShopifyId: { gt: after },
        goneAt: null,
        OR: [{ productShopifyId: null }, { inventoryItemShopifyId: null }],
      },
      select: { variantShopifyId: true },
      orderBy: { variantShopifyId: "asc" },
      take: VARIANT_LINKS_PER_PAGE,
    });
    if (incomplete.length === 0) return completed;
    after = incomplete.at(-1)!.variantShopifyId;
    const { nodes } = await client.request(VARIANT_LINKS, {
      ids: incomplete.map((link) => gid("ProductVariant", link.variantShopifyId)),
    });
    const found = nodes.filter((node): node is VariantLinkNode => Boolean(node?.id));
    if (found.length > 0)
      await db.$executeRaw`
        update "ShopifyVariantMap" m
           set "productShopifyId" = v.product, "inventoryItemShopifyId" = v.inventory, "updatedAt" = now()
          from unnest(${found.map((node) => numericId(node.id))}::bigint[],
                      ${found.map((node) => numericId(node.product.id))}::bigint[],
                      ${found.map((node) => numericId(node.inventoryItem.id))}::bigint[]) as v(variant, product, inventory)
         where m."shopId" = ${shopId}::uuid and m."variantShopifyId" = v.variant`;
    // Not a variant Shopify has (deleted): marked gone, so no run asks for it again.
    const missing = incomplete
      .map((link) => link.variantShopifyId)
      .filter((id) => !found.some((node) => numericId(node.id) === id));
    if (missing.length > 0)
      await db.shopifyVariantMap.updateMany({
        where: { shopId, variantShopifyId: { in: missing } },
        data: { goneAt: new Date() },
      });
    completed += found.length;
    if (incomplete.length < VARIANT_LINKS_PER_PAGE) return completed;
  }
}
