import type { Db, Tx } from "../db.server";
import type { BoItem, BoItemVariant } from "../generated/prisma/client";
import { BackOfficeError } from "./errors.server";
import {
  inTransaction,
  isUniqueViolation,
  optionalText,
  requiredText,
  toDecimal,
  type DecimalInput,
} from "./internal.server";
import { nextNo } from "./numbers.server";

/** Items (with variants) and how a Shopify SKU or barcode finds one. */

export type ItemWithVariants = BoItem & { variants: BoItemVariant[] };

/** Inventory items are stock; non-stock items (gift cards, tips, services) ship without stock moving. */
export const ITEM_TYPES = ["inventory", "non_stock"] as const;
export type ItemType = (typeof ITEM_TYPES)[number];

export interface NewItem {
  /** Taken from the ITEM number series when absent. */
  no?: string;
  description: string;
  /** inventory (default) or non_stock. */
  type?: ItemType;
  unitPrice: DecimalInput;
  vendorItemNo?: string;
  barcode?: string;
  variants?: { code: string; description: string; barcode?: string }[];
}

export async function createItem(db: Db | Tx, shopId: string, input: NewItem): Promise<ItemWithVariants> {
  const description = requiredText(input.description, "item description");
  const type = input.type ?? "inventory";
  if (!ITEM_TYPES.includes(type))
    throw new BackOfficeError(`unknown item type "${String(type)}"; use ${ITEM_TYPES.join(" or ")}`);
  const unitPrice = toDecimal(input.unitPrice, "item unit price");
  if (unitPrice.isNegative())
    throw new BackOfficeError(`item unit price cannot be negative: ${unitPrice.toString()}`);
  const variants = (input.variants ?? []).map((variant) => ({
    code: requiredText(variant.code, "variant code"),
    description: requiredText(variant.description, "variant description"),
    barcode: optionalText(variant.barcode),
  }));
  const codes = new Set<string>();
  for (const variant of variants) {
    if (codes.has(variant.code)) throw new BackOfficeError(`variant code ${variant.code} is given twice`);
    codes.add(variant.code);
  }
  return inTransaction(db, async (tx) => {
    const no = optionalText(input.no) ?? (await nextNo(tx, shopId, "ITEM"));
    if (await tx.boItem.findUnique({ where: { shopId_no: { shopId, no } } }))
      throw new BackOfficeError(`item ${no} already exists`);
    try {
      return await tx.boItem.create({
        data: {
          shopId,
          no,
          description,
          type,
          unitPrice,
          vendorItemNo: optionalText(input.vendorItemNo),
          barcode: optionalText(input.barcode),
          variants: { create: variants },
        },
        include: { variants: { orderBy: { code: "asc" } } },
      });
    } catch (error) {
      // Another transaction created the same number between our check and insert.
      if (isUniqueViolation(error)) throw new BackOfficeError(`item ${no} already exists`);
      throw error;
    }
  });
}

export async function findItem(db: Db | Tx, shopId: string, no: string): Promise<ItemWithVariants | null> {
  return db.boItem.findUnique({
    where: { shopId_no: { shopId, no } },
    include: { variants: { orderBy: { code: "asc" } } },
  });
}

export async function listItems(db: Db | Tx, shopId: string): Promise<ItemWithVariants[]> {
  return db.boItem.findMany({
    where: { shopId },
    include: { variants: { orderBy: { code: "asc" } } },
    orderBy: { no: "asc" },
  });
}

/**
 * Items to choose from in a setting (number and description), blocked ones left out, by
 * number: every item, or those of one type (the non-stock items gift cards and tips go to).
 */
export async function itemChoices(
  db: Db | Tx,
  shopId: string,
  filter: { type?: ItemType } = {},
  take = 500,
): Promise<{ no: string; description: string }[]> {
  return db.boItem.findMany({
    where: { shopId, blocked: false, ...(filter.type ? { type: filter.type } : {}) },
    select: { no: true, description: true },
    orderBy: { no: "asc" },
    take,
  });
}

/**
 * Items a person may pick from: number, description, vendor item number or barcode containing
 * the query (any case), blocked items left out. An empty query lists the first items by number.
 */
export async function searchItems(
  db: Db | Tx,
  shopId: string,
  query: string,
  take = 20,
): Promise<ItemWithVariants[]> {
  const text = optionalText(query);
  const contains = text ? { contains: text, mode: "insensitive" as const } : undefined;
  return db.boItem.findMany({
    where: {
      shopId,
      blocked: false,
      ...(contains
        ? {
            OR: [
              { no: contains },
              { description: contains },
              { vendorItemNo: contains },
              { barcode: contains },
              { variants: { some: { OR: [{ code: contains }, { barcode: contains }] } } },
            ],
          }
        : {}),
    },
    include: { variants: { orderBy: { code: "asc" } } },
    orderBy: { no: "asc" },
    take: Math.max(1, Math.min(take, 100)),
  });
}

/** How a Shopify SKU names a back-office item (the shop's product mapping setting). */
export const SKU_STRATEGIES = [
  "item_no",
  "variant_code",
  "item_no_variant_code",
  "vendor_item_no",
  "barcode",
] as const;
export type SkuStrategy = (typeof SKU_STRATEGIES)[number];

export interface ItemMatch {
  itemNo: string;
  variantCode: string | null;
}

/**
 * Finds the item (and variant) a Shopify line stands for: by SKU with the shop's strategy,
 * then by the Shopify barcode against item and variant barcodes. Blocked items never match,
 * and neither does a SKU or barcode that fits several items: a line is mapped or reported,
 * never guessed.
 */
export async function findItemForSku(
  db: Db | Tx,
  shopId: string,
  strategy: SkuStrategy,
  line: { sku?: string | null; barcode?: string | null },
): Promise<ItemMatch | null> {
  if (!(SKU_STRATEGIES as readonly string[]).includes(strategy))
    throw new BackOfficeError(
      `unknown product mapping "${String(strategy)}"; use one of ${SKU_STRATEGIES.join(", ")}`,
    );
  const sku = optionalText(line.sku);
  const bySku = sku ? await matchSku(db, shopId, strategy, sku) : null;
  if (bySku) return bySku;
  const barcode = optionalText(line.barcode);
  return barcode ? matchBarcode(db, shopId, barcode) : null;
}

async function matchSku(db: Db | Tx, shopId: string, strategy: SkuStrategy, sku: string) {
  switch (strategy) {
    case "item_no":
      return matchItemNo(db, shopId, sku);
    case "variant_code": {
      const variants = await db.boItemVariant.findMany({
        where: { shopId, code: sku, item: { blocked: false } },
        take: 2,
      });
      return only(variants.map((v) => ({ itemNo: v.itemNo, variantCode: v.code })));
    }
    case "item_no_variant_code": {
      // Like Business Central's "item no. + separator + variant code", split at the last
      // separator so item numbers may contain dashes themselves.
      const at = sku.lastIndexOf("-");
      if (at > 0 && at < sku.length - 1) {
        const variant = await db.boItemVariant.findFirst({
          where: { shopId, itemNo: sku.slice(0, at), code: sku.slice(at + 1), item: { blocked: false } },
        });
        if (variant) return { itemNo: variant.itemNo, variantCode: variant.code };
      }
      return matchItemNo(db, shopId, sku);
    }
    case "vendor_item_no": {
      const items = await db.boItem.findMany({
        where: { shopId, vendorItemNo: sku, blocked: false },
        take: 2,
      });
      return only(items.map((item) => ({ itemNo: item.no, variantCode: null })));
    }
    case "barcode":
      return matchBarcode(db, shopId, sku);
  }
}

async function matchItemNo(db: Db | Tx, shopId: string, no: string): Promise<ItemMatch | null> {
  const item = await db.boItem.findUnique({ where: { shopId_no: { shopId, no } } });
  return item && !item.blocked ? { itemNo: item.no, variantCode: null } : null;
}

/** A variant's barcode is the more precise answer, so variants are asked first. */
async function matchBarcode(db: Db | Tx, shopId: string, barcode: string): Promise<ItemMatch | null> {
  const variants = await db.boItemVariant.findMany({
    where: { shopId, barcode, item: { blocked: false } },
    take: 2,
  });
  if (variants.length > 0) return only(variants.map((v) => ({ itemNo: v.itemNo, variantCode: v.code })));
  const items = await db.boItem.findMany({ where: { shopId, barcode, blocked: false }, take: 2 });
  return only(items.map((item) => ({ itemNo: item.no, variantCode: null })));
}

function only(matches: ItemMatch[]): ItemMatch | null {
  return matches.length === 1 ? matches[0]! : null;
}
