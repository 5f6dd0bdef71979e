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
import { recordChange } from "./changes.server";
import { nextNo } from "./numbers.server";

/** Items (with variants) and how a Shopify SKU or barcode finds one. */

export type ItemWithVariants = BoItem & { variants: BoItemVariant[] };

/** Inventory items are stock; non-stock items (gift cards, tips, services) ship without stock moving. */
export const ITEM_TYPES = ["inventory", "non_stock"] as const;
export type ItemType = (typeof ITEM_TYPES)[number];

/** Shopify's weight units (WeightUnit). */
export const WEIGHT_UNITS = ["KILOGRAMS", "GRAMS", "POUNDS", "OUNCES"] as const;
export type WeightUnit = (typeof WEIGHT_UNITS)[number];

/** Shopify gives a product three options at most. */
const MAX_OPTIONS = 3;

export interface NewVariant {
  code: string;
  description: string;
  barcode?: string;
  /** Its values of the item's options, in the order of `optionNames`. */
  options?: string[];
}

/** What a person sets on the item card (all but the number and the variants may change later). */
export interface ItemCard {
  description: string;
  /** inventory (default) or non_stock. */
  type?: ItemType;
  unitPrice: DecimalInput;
  unitCost?: DecimalInput;
  vendorItemNo?: string;
  barcode?: string;
  /** The marketing text, HTML. */
  descriptionHtml?: string;
  vendor?: string;
  productType?: string;
  tags?: string[];
  weight?: DecimalInput | null;
  weightUnit?: WeightUnit;
  blocked?: boolean;
  salesBlocked?: boolean;
  /** Whether unitPrice and the all-customers sales prices include tax. */
  priceIncludesTax?: boolean;
  taxRatePct?: DecimalInput;
  /** Up to three option names (Size, Color...); each variant gives a value for each. */
  optionNames?: string[];
}

export interface NewItem extends ItemCard {
  /** Taken from the ITEM number series when absent. */
  no?: string;
  variants?: NewVariant[];
}

/** The card's fields checked and cleaned; every mistake is named, nothing is written. */
function itemCardData(input: ItemCard) {
  const description = requiredText(input.description, "item description");
  const type = input.type ?? "inventory";
  if (!ITEM_TYPES.includes(type))
    throw new BackOfficeError(`unknown item type "${String(type)}"; use ${ITEM_TYPES.join(" or ")}`);
  const unitPrice = toDecimal(input.unitPrice, "item unit price");
  if (unitPrice.isNegative())
    throw new BackOfficeError(`item unit price cannot be negative: ${unitPrice.toString()}`);
  const unitCost = toDecimal(input.unitCost, "item unit cost");
  if (unitCost.isNegative())
    throw new BackOfficeError(`item unit cost cannot be negative: ${unitCost.toString()}`);
  const weight =
    input.weight === undefined || input.weight === null || input.weight === ""
      ? null
      : toDecimal(input.weight, "item weight");
  if (weight?.isNegative()) throw new BackOfficeError(`item weight cannot be negative: ${weight.toString()}`);
  const weightUnit = input.weightUnit ?? "KILOGRAMS";
  if (!WEIGHT_UNITS.includes(weightUnit))
    throw new BackOfficeError(`unknown weight unit "${String(weightUnit)}"; use ${WEIGHT_UNITS.join(", ")}`);
  const taxRatePct = toDecimal(input.taxRatePct, "item tax rate");
  if (taxRatePct.isNegative() || taxRatePct.greaterThanOrEqualTo(100))
    throw new BackOfficeError(
      `item tax rate must be from 0 to below 100 percent, got ${taxRatePct.toString()}`,
    );
  const optionNames = (input.optionNames ?? []).map((name) => requiredText(name, "option name"));
  if (optionNames.length > MAX_OPTIONS)
    throw new BackOfficeError(
      `an item has ${MAX_OPTIONS} options at most (Shopify's limit), got ${optionNames.length}`,
    );
  if (new Set(optionNames.map((name) => name.toLowerCase())).size !== optionNames.length)
    throw new BackOfficeError(`option names must differ: ${optionNames.join(", ")}`);
  const tags = [...new Set((input.tags ?? []).map((tag) => tag.trim()).filter(Boolean))];
  if (tags.some((tag) => tag.includes(",")))
    throw new BackOfficeError("a tag cannot contain a comma (Shopify separates tags with commas)");
  return {
    description,
    type,
    unitPrice,
    unitCost,
    vendorItemNo: optionalText(input.vendorItemNo),
    barcode: optionalText(input.barcode),
    descriptionHtml: optionalText(input.descriptionHtml),
    vendor: optionalText(input.vendor),
    productType: optionalText(input.productType),
    tags,
    weight,
    weightUnit,
    blocked: input.blocked ?? false,
    salesBlocked: input.salesBlocked ?? false,
    priceIncludesTax: input.priceIncludesTax ?? false,
    taxRatePct,
    option1Name: optionNames[0] ?? null,
    option2Name: optionNames[1] ?? null,
    option3Name: optionNames[2] ?? null,
  };
}

/** New variants checked and cleaned for an item with `optionCount` options. */
export function variantData(variants: NewVariant[], optionCount: number) {
  const data = variants.map((variant) => {
    const code = requiredText(variant.code, "variant code");
    const options = (variant.options ?? []).map((value) =>
      requiredText(value, `variant ${code}'s option value`),
    );
    if (optionCount > 0 && options.length !== optionCount)
      throw new BackOfficeError(
        `variant ${code} needs a value for each of the item's ${optionCount} option(s), got ${options.length}`,
      );
    if (optionCount === 0 && options.length > 0)
      throw new BackOfficeError(`variant ${code} gives option values but the item has no option names`);
    return {
      code,
      description: requiredText(variant.description, "variant description"),
      barcode: optionalText(variant.barcode),
      option1: options[0] ?? null,
      option2: options[1] ?? null,
      option3: options[2] ?? null,
    };
  });
  const codes = new Set<string>();
  const combinations = new Set<string>();
  for (const variant of data) {
    if (codes.has(variant.code)) throw new BackOfficeError(`variant code ${variant.code} is given twice`);
    codes.add(variant.code);
    if (optionCount === 0) continue;
    const combination = [variant.option1, variant.option2, variant.option3].join("\u0000").toLowerCase();
    if (combinations.has(combination))
      throw new BackOfficeError(
        `variant ${variant.code} has the same option values as another variant (${[variant.option1, variant.option2, variant.option3].filter(Boolean).join(" / ")})`,
      );
    combinations.add(combination);
  }
  return data;
}

export async function createItem(db: Db | Tx, shopId: string, input: NewItem): Promise<ItemWithVariants> {
  const card = itemCardData(input);
  const optionCount = [card.option1Name, card.option2Name, card.option3Name].filter(Boolean).length;
  const variants = variantData(input.variants ?? [], optionCount);
  return inTransaction(db, async (tx) => {
    const no = optionalText(input.no) ?? (await nextNo(tx, shopId, "ITEM"));
    if (await tx.boItem.findUnique({ where: { shopId_no: { shopId, no } } }))
      throw new BackOfficeError(`item ${no} already exists`);
    try {
      const item = await tx.boItem.create({
        data: { shopId, no, ...card, variants: { create: variants } },
        include: { variants: { orderBy: { code: "asc" } } },
      });
      await recordChange(tx, shopId, "item", no);
      return item;
    } catch (error) {
      // Another transaction created the same number between our check and insert.
      if (isUniqueViolation(error)) throw new BackOfficeError(`item ${no} already exists`);
      throw error;
    }
  });
}

/**
 * Changes the item card: the fields given replace the card's, the others stay. Option names
 * may be renamed but not added or removed while the item has variants (their values would no
 * longer fit). A change is put in the change feed.
 */
export async function updateItem(
  db: Db | Tx,
  shopId: string,
  no: string,
  patch: Partial<ItemCard>,
): Promise<ItemWithVariants> {
  return inTransaction(db, async (tx) => {
    const current = await tx.boItem.findUnique({
      where: { shopId_no: { shopId, no } },
      include: { variants: true },
    });
    if (!current) throw new BackOfficeError(`item ${no} does not exist`);
    const currentOptions = [current.option1Name, current.option2Name, current.option3Name].filter(
      (name): name is string => name !== null,
    );
    const card = itemCardData({
      description: current.description,
      type: current.type as ItemType,
      unitPrice: current.unitPrice,
      unitCost: current.unitCost,
      vendorItemNo: current.vendorItemNo ?? undefined,
      barcode: current.barcode ?? undefined,
      descriptionHtml: current.descriptionHtml ?? undefined,
      vendor: current.vendor ?? undefined,
      productType: current.productType ?? undefined,
      tags: current.tags,
      weight: current.weight,
      weightUnit: current.weightUnit as WeightUnit,
      blocked: current.blocked,
      salesBlocked: current.salesBlocked,
      priceIncludesTax: current.priceIncludesTax,
      taxRatePct: current.taxRatePct,
      optionNames: currentOptions,
      // A field left out (or undefined) keeps its value; null clears the weight.
      ...Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)),
    });
    const optionCount = [card.option1Name, card.option2Name, card.option3Name].filter(Boolean).length;
    if (current.variants.length > 0 && optionCount !== currentOptions.length)
      throw new BackOfficeError(
        `item ${no} has variants with ${currentOptions.length} option value(s) each; its option names can be renamed, not added or removed`,
      );
    const item = await tx.boItem.update({
      where: { shopId_no: { shopId, no } },
      data: card,
      include: { variants: { orderBy: { code: "asc" } } },
    });
    await recordChange(tx, shopId, "item", no);
    return item;
  });
}

export async function findItem(db: Db | Tx, shopId: string, no: string): Promise<ItemWithVariants | null> {
  return db.boItem.findUnique({
    where: { shopId_no: { shopId, no } },
    include: { variants: { orderBy: { code: "asc" } } },
  });
}

/** These items by number (those that exist), with their variants. */
export async function itemsByNo(
  db: Db | Tx,
  shopId: string,
  nos: string[],
): Promise<Map<string, ItemWithVariants>> {
  if (nos.length === 0) return new Map();
  const items = await db.boItem.findMany({
    where: { shopId, no: { in: nos } },
    include: { variants: { orderBy: { code: "asc" } } },
  });
  return new Map(items.map((item) => [item.no, item]));
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

/** Refuses a product mapping the back office does not know. */
export function checkSkuStrategy(strategy: string): asserts strategy is SkuStrategy {
  if (!(SKU_STRATEGIES as readonly string[]).includes(strategy))
    throw new BackOfficeError(
      `unknown product mapping "${strategy}"; use one of ${SKU_STRATEGIES.join(", ")}`,
    );
}

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
  checkSkuStrategy(strategy);
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
