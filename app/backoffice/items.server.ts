import type { Db, Tx } from "../db.server";
import { Prisma, type BoItem, type BoItemVariant } from "../generated/prisma/client";
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

/**
 * Refreshes the planner's statistics of the item tables (items, variants, sales prices and the
 * change feed) when many items were written at once, as a first import of a catalog does (see
 * analyzeImportTables). A table being vacuumed or analyzed already is left to that; one the
 * app's role does not own is skipped with a warning.
 */
export async function analyzeItemTables(db: Db): Promise<void> {
  await db.$executeRawUnsafe(`analyze (skip_locked) "BoItem", "BoItemVariant", "BoSalesPrice", "BoChange"`);
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

/** A Shopify line (order line, product variant) as the product mapping looks it up. */
export interface SkuLine {
  sku?: string | null;
  barcode?: string | null;
}

export interface SkuLookup {
  /** The item (and variant) the line stands for (findItemForSku), or null. */
  match: ItemMatch | null;
  /** Why no item answers the line when something has its SKU or barcode (whyNoItemForSku), or null. */
  why: string | null;
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
  line: SkuLine,
): Promise<ItemMatch | null> {
  const [lookup] = await findItemsForSkus(db, shopId, strategy, [line]);
  return lookup!.match;
}

/**
 * findItemForSku for many lines at once, and for each line that finds no item why not: the item
 * its SKU names is blocked, or several items (or variants) have its SKU or barcode. One
 * statement for all the lines (none when no line has a SKU or a barcode); the answers are in
 * the order of the lines.
 *
 * The rules, per line (the SKU and barcode trimmed):
 * - **By SKU**, per the strategy: `item_no` the item of that number; `variant_code` the one
 *   variant of that code across items; `item_no_variant_code` the variant `<number>-<code>`
 *   split at the last dash (item numbers may contain dashes), else the item whose number is the
 *   whole SKU; `vendor_item_no` the one item of that vendor item no.; `barcode` as below, with
 *   the SKU as the barcode.
 * - **Else by barcode**: the one variant with it, and only when no variant has it the one item
 *   with it (a variant's barcode is the more precise answer).
 * - Blocked items (and their variants) never match; two or more candidates are no match.
 * - **Why not**: the SKU's reason first (the item it names is blocked, the prefix before the
 *   item's whole SKU with item no. + variant code; several of the first five variants or items
 *   by number have it, or all of those are blocked), else the barcode's (variants first, then
 *   items).
 */
export async function findItemsForSkus(
  db: Db | Tx,
  shopId: string,
  strategy: SkuStrategy,
  lines: SkuLine[],
): Promise<SkuLookup[]> {
  checkSkuStrategy(strategy);
  const keyed = lines.map((line) => ({ sku: optionalText(line.sku), barcode: optionalText(line.barcode) }));
  const wanted = {
    nos: new Set<string>(),
    pairs: new Map<string, { itemNo: string; code: string }>(),
    codes: new Set<string>(),
    vendorItemNos: new Set<string>(),
    barcodes: new Set<string>(),
  };
  for (const { sku, barcode } of keyed) {
    if (sku)
      switch (strategy) {
        case "item_no":
          wanted.nos.add(sku);
          break;
        case "item_no_variant_code": {
          const part = splitAtLastDash(sku);
          if (part) {
            wanted.pairs.set(pairKey(part.itemNo, part.code), part);
            wanted.nos.add(part.itemNo);
          }
          wanted.nos.add(sku);
          break;
        }
        case "variant_code":
          wanted.codes.add(sku);
          break;
        case "vendor_item_no":
          wanted.vendorItemNos.add(sku);
          break;
        case "barcode":
          wanted.barcodes.add(sku);
          break;
      }
    if (barcode) wanted.barcodes.add(barcode);
  }
  const candidates = await readCandidates(db, shopId, wanted);
  return keyed.map(({ sku, barcode }) => ({
    match: matchOf(candidates, strategy, sku, barcode),
    why: whyOf(candidates, strategy, sku, barcode),
  }));
}

/** `<number>-<code>` split at the last dash, when there is something on both sides. */
function splitAtLastDash(sku: string): { itemNo: string; code: string } | null {
  const at = sku.lastIndexOf("-");
  return at > 0 && at < sku.length - 1 ? { itemNo: sku.slice(0, at), code: sku.slice(at + 1) } : null;
}

const pairKey = (itemNo: string, code: string) => `${itemNo}\u0000${code}`;

/** An item (code null) or variant that has a looked-up number, code, vendor item no. or barcode. */
interface Candidate {
  itemNo: string;
  code: string | null;
  blocked: boolean;
  /** Among the first five with that key by item number and code (what a reason names). */
  first: boolean;
}

interface Candidates {
  items: Map<string, Candidate>;
  pairs: Map<string, Candidate>;
  /** By key, ordered by item number and code: the first five, and at least two open ones if any. */
  byCode: Map<string, Candidate[]>;
  byVendorItemNo: Map<string, Candidate[]>;
  variantsByBarcode: Map<string, Candidate[]>;
  itemsByBarcode: Map<string, Candidate[]>;
}

const FIRST = 5;

/**
 * Every item and variant the lines' keys name, in one statement. For the keys several may have
 * (variant code, vendor item no., barcode) it reads the first five by item number and code
 * (for the reasons) and the first two not blocked (one is a match, two are not), not all.
 */
async function readCandidates(
  db: Db | Tx,
  shopId: string,
  wanted: {
    nos: Set<string>;
    pairs: Map<string, { itemNo: string; code: string }>;
    codes: Set<string>;
    vendorItemNos: Set<string>;
    barcodes: Set<string>;
  },
): Promise<Candidates> {
  const candidates: Candidates = {
    items: new Map(),
    pairs: new Map(),
    byCode: new Map(),
    byVendorItemNo: new Map(),
    variantsByBarcode: new Map(),
    itemsByBarcode: new Map(),
  };
  const pairs = [...wanted.pairs.values()];
  if (
    wanted.nos.size + pairs.length + wanted.codes.size + wanted.vendorItemNos.size + wanted.barcodes.size ===
    0
  )
    return candidates;
  // Only the parts with something to look up: planning the statement is most of its cost.
  const parts: Prisma.Sql[] = [];
  if (wanted.nos.size > 0)
    parts.push(Prisma.sql`
        select 'no' as kind, i.no as key, i.no as item_no, null::text as code, i.blocked,
               1::bigint as rn, 1::bigint as rn_state
          from "BoItem" i
         where i."shopId" = ${shopId}::uuid and i.no = any(${[...wanted.nos]}::text[])`);
  // The pairs' items' variants, all codes (a pair is looked up by its number and code in the
  // answer): by the primary key's number, which no statistics can turn into a scan by code.
  if (pairs.length > 0)
    parts.push(Prisma.sql`
        select 'pair' as kind, null::text as key, v."itemNo" as item_no, v.code, i.blocked,
               1::bigint as rn, 1::bigint as rn_state
          from "BoItemVariant" v
          join "BoItem" i on i."shopId" = v."shopId" and i.no = v."itemNo"
         where v."shopId" = ${shopId}::uuid and v."itemNo" = any(${[...new Set(pairs.map((pair) => pair.itemNo))]}::text[])`);
  // Variants by a column of theirs, ranked per value (the first five, blocked or not, are read).
  const variantsBy = (kind: string, column: "code" | "barcode", values: Set<string>) =>
    Prisma.sql`
        select ${kind}::text as kind, v.${Prisma.raw(`"${column}"`)} as key, v."itemNo" as item_no, v.code, i.blocked,
               row_number() over (partition by v.${Prisma.raw(`"${column}"`)} order by v."itemNo", v.code) as rn,
               row_number() over (partition by v.${Prisma.raw(`"${column}"`)}, i.blocked order by v."itemNo", v.code) as rn_state
          from "BoItemVariant" v
          join "BoItem" i on i."shopId" = v."shopId" and i.no = v."itemNo"
         where v."shopId" = ${shopId}::uuid and v.${Prisma.raw(`"${column}"`)} = any(${[...values]}::text[])`;
  if (wanted.codes.size > 0) parts.push(variantsBy("code", "code", wanted.codes));
  if (wanted.barcodes.size > 0) parts.push(variantsBy("variantBarcode", "barcode", wanted.barcodes));
  if (wanted.vendorItemNos.size > 0)
    parts.push(Prisma.sql`
        select 'vendorItemNo' as kind, i."vendorItemNo" as key, i.no as item_no, null::text as code, i.blocked,
               row_number() over (partition by i."vendorItemNo" order by i.no) as rn,
               row_number() over (partition by i."vendorItemNo", i.blocked order by i.no) as rn_state
          from "BoItem" i
         where i."shopId" = ${shopId}::uuid and i."vendorItemNo" = any(${[...wanted.vendorItemNos]}::text[])`);
  if (wanted.barcodes.size > 0)
    parts.push(Prisma.sql`
        select 'itemBarcode' as kind, i.barcode as key, i.no as item_no, null::text as code, i.blocked,
               row_number() over (partition by i.barcode order by i.no) as rn,
               row_number() over (partition by i.barcode, i.blocked order by i.no) as rn_state
          from "BoItem" i
         where i."shopId" = ${shopId}::uuid and i.barcode = any(${[...wanted.barcodes]}::text[])`);
  const rows = await db.$queryRaw<
    {
      kind: string;
      key: string | null;
      item_no: string;
      code: string | null;
      blocked: boolean;
      first: boolean;
    }[]
  >`
    select kind, key, item_no, code, blocked, rn <= ${FIRST} as first
      from (${Prisma.join(parts, " union all ")}) found
     where rn <= ${FIRST} or (not blocked and rn_state <= 2)
     order by kind, key, item_no, code`;
  const push = (map: Map<string, Candidate[]>, key: string, candidate: Candidate) =>
    map.set(key, [...(map.get(key) ?? []), candidate]);
  for (const row of rows) {
    const candidate = { itemNo: row.item_no, code: row.code, blocked: row.blocked, first: row.first };
    switch (row.kind) {
      case "no":
        candidates.items.set(row.item_no, candidate);
        break;
      case "pair":
        candidates.pairs.set(pairKey(row.item_no, row.code!), candidate);
        break;
      case "code":
        push(candidates.byCode, row.key!, candidate);
        break;
      case "variantBarcode":
        push(candidates.variantsByBarcode, row.key!, candidate);
        break;
      case "vendorItemNo":
        push(candidates.byVendorItemNo, row.key!, candidate);
        break;
      case "itemBarcode":
        push(candidates.itemsByBarcode, row.key!, candidate);
        break;
    }
  }
  return candidates;
}

const open = (found: Candidate[] | undefined) => (found ?? []).filter((candidate) => !candidate.blocked);

function only(found: Candidate[]): ItemMatch | null {
  return found.length === 1 ? { itemNo: found[0]!.itemNo, variantCode: found[0]!.code } : null;
}

function matchOf(
  candidates: Candidates,
  strategy: SkuStrategy,
  sku: string | null,
  barcode: string | null,
): ItemMatch | null {
  const bySku = sku ? matchSku(candidates, strategy, sku) : null;
  if (bySku) return bySku;
  return barcode ? matchBarcode(candidates, barcode) : null;
}

function matchSku(candidates: Candidates, strategy: SkuStrategy, sku: string): ItemMatch | null {
  switch (strategy) {
    case "item_no":
      return matchItemNo(candidates, sku);
    case "variant_code":
      return only(open(candidates.byCode.get(sku)));
    case "item_no_variant_code": {
      // Like Business Central's "item no. + separator + variant code", split at the last
      // separator so item numbers may contain dashes themselves.
      const part = splitAtLastDash(sku);
      const variant = part ? candidates.pairs.get(pairKey(part.itemNo, part.code)) : undefined;
      if (variant && !variant.blocked) return { itemNo: variant.itemNo, variantCode: variant.code };
      return matchItemNo(candidates, sku);
    }
    case "vendor_item_no":
      return only(open(candidates.byVendorItemNo.get(sku)));
    case "barcode":
      return matchBarcode(candidates, sku);
  }
}

function matchItemNo(candidates: Candidates, no: string): ItemMatch | null {
  const item = candidates.items.get(no);
  return item && !item.blocked ? { itemNo: item.itemNo, variantCode: null } : null;
}

/** A variant's barcode is the more precise answer, so variants are asked first. */
function matchBarcode(candidates: Candidates, barcode: string): ItemMatch | null {
  const variants = open(candidates.variantsByBarcode.get(barcode));
  if (variants.length > 0) return only(variants);
  return only(open(candidates.itemsByBarcode.get(barcode)));
}

function whyOf(
  candidates: Candidates,
  strategy: SkuStrategy,
  sku: string | null,
  barcode: string | null,
): string | null {
  let reason: string | null = null;
  if (sku)
    switch (strategy) {
      case "item_no":
        reason = blockedItem(candidates, sku);
        break;
      case "item_no_variant_code": {
        const part = splitAtLastDash(sku);
        reason = (part ? blockedItem(candidates, part.itemNo) : null) ?? blockedItem(candidates, sku);
        break;
      }
      case "variant_code":
        reason = variantsReason(candidates.byCode.get(sku), `SKU ${sku} is the variant code`);
        break;
      case "vendor_item_no":
        reason = itemsReason(candidates.byVendorItemNo.get(sku), `SKU ${sku} is the vendor item no.`);
        break;
      case "barcode":
        reason = barcodeReason(candidates, sku, `SKU ${sku}`);
        break;
    }
  if (reason === null && barcode) reason = barcodeReason(candidates, barcode, `barcode ${barcode}`);
  return reason;
}

function blockedItem(candidates: Candidates, no: string): string | null {
  return candidates.items.get(no)?.blocked ? `item ${no} is blocked` : null;
}

function variantsReason(found: Candidate[] | undefined, what: string): string | null {
  const first = (found ?? []).filter((candidate) => candidate.first);
  const openOnes = open(first);
  if (openOnes.length > 1)
    return `${what} of several item variants (${openOnes.map((v) => `${v.itemNo} ${v.code}`).join(", ")})`;
  if (openOnes.length === 0 && first.length > 0)
    return `${what} of item ${first[0]!.itemNo}'s variant ${first[0]!.code}, and the item is blocked`;
  return null;
}

function itemsReason(found: Candidate[] | undefined, what: string): string | null {
  const first = (found ?? []).filter((candidate) => candidate.first);
  const openOnes = open(first);
  if (openOnes.length > 1)
    return `${what} of several items (${openOnes.map((item) => item.itemNo).join(", ")})`;
  if (openOnes.length === 0 && first.length > 0)
    return `${what} of item ${first[0]!.itemNo}, which is blocked`;
  return null;
}

function barcodeReason(candidates: Candidates, barcode: string, what: string): string | null {
  return (
    variantsReason(candidates.variantsByBarcode.get(barcode), `${what} is the barcode`) ??
    itemsReason(candidates.itemsByBarcode.get(barcode), `${what} is the barcode`)
  );
}
