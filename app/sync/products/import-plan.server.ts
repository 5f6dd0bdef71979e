import {
  findItem,
  findItemsForSkus,
  priceOf,
  type ItemCard,
  type ItemWithVariants,
  type NewVariant,
  type PriceBook,
  type SkuStrategy,
} from "../../backoffice/backoffice.server";
import type { Db, Tx } from "../../db.server";
import {
  Prisma,
  type ShopSettings,
  type ShopifyProduct,
  type ShopifyVariantMap,
} from "../../generated/prisma/client";
import { numericId } from "../../shopify/ids.server";
import { DEFAULT_OPTION } from "./build.server";
import type { ImportProductNode, ImportVariantNode } from "./operations.server";

/**
 * How a Shopify product becomes an item (decided here, written by import-apply.server.ts):
 *
 * - **Which item**: each variant by its link first (ShopifyVariantMap: an order, the export, a
 *   person or an earlier import linked it), then by SKU (and barcode) per the shop's product
 *   mapping (findItemForSku); the product's own link (ShopifyProduct.itemNo) is the item for
 *   the variants neither finds (the SKUs and barcodes of a product are looked up at once,
 *   findItemsForSkus). Variants that are several items (Business Central's "one item
 *   per variant" with the item no. mapping) are linked each to its item, and none of those
 *   items is updated from the product: an item is updated from one product only.
 * - **A product with variants is one item with variants**: option names from the product's
 *   options (an item has three at most, as Shopify), each variant's option values, its title
 *   as the variant's description, its barcode.
 * - **Item numbers** (as Business Central's "Shpfy Create Item" does where it can): the SKU is
 *   the number with the item no., item no. + variant code and variant code mappings for a
 *   product without variants (their SKU is the item number, `skuFor`); with variants, when every
 *   SKU is `<number>-<code>` with one number, that number (the mappings item no. and item no. +
 *   variant code; with vendor item no. it is the vendor item no.). Otherwise the ITEM number
 *   series numbers it.
 * - **Variant codes**: from the SKU per the mapping (`<number>-<code>` → code; with the variant
 *   code mapping the SKU itself), else Business Central's Variant Prefix sequence, V_001, V_002...
 *   skipping codes the item has.
 * - **Prices**: the item's unit price is the price most of its variants have (the first
 *   variant's on a tie); a variant whose price differs gets a sales price for all customers of
 *   its own, so that priceOf gives each variant its Shopify price again. Prices are converted to
 *   the item's tax basis (the shop card says whether Shopify's prices include tax). Compare-at
 *   prices are not imported: the back office derives them from discount groups.
 * - **Cost and weight**: the first variant's inventory item cost and weight, when Shopify gives
 *   one (a weight of 0 is none); the item keeps its own otherwise.
 * - **New items** copy the card of the shop card's item template (type, tax rate, whether
 *   prices include tax, weight unit; vendor and product type when the product has none).
 *
 * What cannot be decided is "unmapped" with the reason in words.
 */

export interface ProductRead {
  product: ImportProductNode;
  variants: ImportVariantNode[];
}

export type ImportSettings = Pick<
  ShopSettings,
  | "productMapping"
  | "productAutoCreate"
  | "itemTemplateNo"
  | "updateItemsFromShopify"
  | "pricesIncludingTax"
  | "syncPrices"
  | "priceGroup"
  | "discountGroup"
  | "trackInventory"
  | "inventoryPolicy"
>;

/** Business Central's Variant Prefix (default V_) and its counter's width. */
export const VARIANT_PREFIX = "V_";
const SEQUENCE_WIDTH = 3;
const MAX_OPTIONS = 3;
const DEFAULT_VALUE = "Default Title";

/** A Shopify variant and where it goes: the item, and its variant (null: the item itself). */
export interface VariantTarget {
  variant: ImportVariantNode;
  itemNo: string;
  code: string | null;
}

export interface ItemWrite {
  /** The item's card: whole for a new item; for an existing one only what changes. */
  card: Partial<ItemCard>;
  /** Variants to create, or whose description, barcode or option values change. */
  variants: NewVariant[];
  /** The base prices (setBasePrices), when they change. */
  prices: {
    unitPrice: Prisma.Decimal;
    variantPrices: { code: string; unitPrice: Prisma.Decimal | null }[];
  } | null;
}

export type ProductPlan =
  | { kind: "unmapped"; reason: string; itemNo: string | null; targets: VariantTarget[] }
  | { kind: "several"; itemNos: string[]; targets: VariantTarget[] }
  | {
      kind: "create";
      /** null: the ITEM number series numbers it. */
      itemNo: string | null;
      card: ItemCard;
      variants: NewVariant[];
      prices: ItemWrite["prices"];
      /** Shopify variant id → its variant code (null: the item itself). */
      codes: Map<string, string | null>;
    }
  | {
      kind: "item";
      item: ItemWithVariants;
      /** The variants as the item has them now: what is linked when the item is not written. */
      asFound: VariantTarget[];
      /** The variants as the item has them after the write. */
      targets: VariantTarget[];
      /** What the product changes on the item; null when the item has it all already. */
      write: ItemWrite | null;
      /** Why the item cannot take the product's changes (they would not fit its variants). */
      refusal: string | null;
    };

/** The product is Shopify's default: one variant, "Default Title", no options of its own. */
export function hasOnlyDefaultVariant(read: ProductRead): boolean {
  return (
    read.variants.length === 1 &&
    read.variants[0]!.selectedOptions.every((option) => option.value === DEFAULT_VALUE)
  );
}

/** The product's option names in order (three at most). */
function optionNamesOf(read: ProductRead): string[] {
  return [...read.product.options]
    .sort((a, b) => a.position - b.position)
    .map((option) => option.name)
    .slice(0, MAX_OPTIONS);
}

function valuesOf(variant: ImportVariantNode, names: string[]): string[] {
  return names.map((name) => variant.selectedOptions.find((option) => option.name === name)?.value ?? "");
}

/** A variant link's title: the product's, and the variant's when it has variants. */
export function linkTitle(read: ProductRead, variant: ImportVariantNode): string {
  return hasOnlyDefaultVariant(read) ? read.product.title : `${read.product.title} - ${variant.title}`;
}

function describeVariant(variant: ImportVariantNode): string {
  return `${variant.title} (${variant.sku ? `SKU ${variant.sku}` : "no SKU"})`;
}

const MAPPING_NAMES: Record<SkuStrategy, string> = {
  item_no: "item no.",
  variant_code: "variant code",
  item_no_variant_code: "item no. + variant code",
  vendor_item_no: "vendor item no.",
  barcode: "barcode",
};

/** `<number>-<code>` split at the last dash (item numbers may contain dashes). */
function splitSku(sku: string | null): { prefix: string; code: string } | null {
  if (!sku) return null;
  const at = sku.lastIndexOf("-");
  return at > 0 && at < sku.length - 1 ? { prefix: sku.slice(0, at), code: sku.slice(at + 1) } : null;
}

/** The one number every variant's SKU starts with (`<number>-<code>`, the codes all different). */
function commonPrefix(variants: ImportVariantNode[]): string | null {
  const parts = variants.map((variant) => splitSku(variant.sku));
  if (parts.some((part) => part === null)) return null;
  const prefixes = new Set(parts.map((part) => part!.prefix));
  const codes = new Set(parts.map((part) => part!.code));
  return prefixes.size === 1 && codes.size === parts.length ? parts[0]!.prefix : null;
}

/** The code the SKU gives a variant of item `key` per the mapping, or null. */
function codeFromSku(
  strategy: SkuStrategy,
  key: { no: string | null; vendorItemNo: string | null },
  sku: string | null,
): string | null {
  if (!sku) return null;
  switch (strategy) {
    case "item_no":
    case "item_no_variant_code": {
      const part = splitSku(sku);
      return part && key.no !== null && part.prefix === key.no ? part.code : null;
    }
    case "vendor_item_no": {
      const part = splitSku(sku);
      const prefix = key.vendorItemNo ?? key.no;
      return part && prefix !== null && part.prefix === prefix ? part.code : null;
    }
    case "variant_code":
      return sku;
    case "barcode":
      return null;
  }
}

/** Codes for variants added to an item: from the SKU where it gives a free one, else V_001... */
function newCodes(
  strategy: SkuStrategy,
  key: { no: string | null; vendorItemNo: string | null },
  variants: ImportVariantNode[],
  taken: Set<string>,
): string[] {
  const fromSku = variants.map((variant) => {
    const code = codeFromSku(strategy, key, variant.sku);
    if (code === null || taken.has(code)) return null;
    taken.add(code);
    return code;
  });
  let counter = 0;
  return fromSku.map((code) => {
    if (code !== null) return code;
    let next: string;
    do next = `${VARIANT_PREFIX}${String(++counter).padStart(SEQUENCE_WIDTH, "0")}`;
    while (taken.has(next));
    taken.add(next);
    return next;
  });
}

/** Shopify's price in the item's tax basis: the shop card says whether Shopify's prices include tax. */
function toItemBasis(
  amount: string,
  item: { priceIncludesTax: boolean; taxRatePct: Prisma.Decimal | number | string },
  shopPricesIncludeTax: boolean,
): Prisma.Decimal {
  const price = new Prisma.Decimal(amount);
  if (item.priceIncludesTax === shopPricesIncludeTax) return price;
  const factor = new Prisma.Decimal(100).plus(item.taxRatePct).dividedBy(100);
  return (shopPricesIncludeTax ? price.dividedBy(factor) : price.times(factor)).toDecimalPlaces(4);
}

/** The price most variants have (the first one's on a tie). */
function basePrice(prices: Prisma.Decimal[]): Prisma.Decimal {
  const counts = new Map<string, { price: Prisma.Decimal; count: number }>();
  for (const price of prices) {
    const entry = counts.get(price.toString()) ?? { price, count: 0 };
    entry.count += 1;
    counts.set(price.toString(), entry);
  }
  let best: { price: Prisma.Decimal; count: number } | null = null;
  for (const entry of counts.values()) if (!best || entry.count > best.count) best = entry;
  return best?.price ?? new Prisma.Decimal(0);
}

/** The cost and weight Shopify states for the product (its first variant's inventory item). */
function costAndWeight(read: ProductRead): Pick<ItemCard, "unitCost" | "weight" | "weightUnit"> {
  const item = read.variants[0]?.inventoryItem;
  const out: Pick<ItemCard, "unitCost" | "weight" | "weightUnit"> = {};
  if (item?.unitCost) out.unitCost = item.unitCost.amount;
  const weight = item?.measurement?.weight;
  if (weight && weight.value > 0) {
    out.weight = String(weight.value);
    out.weightUnit = weight.unit as ItemCard["weightUnit"];
  }
  return out;
}

/** What the product says of the item's card (not its number, variants or prices). */
function productCard(
  read: ProductRead,
): Pick<ItemCard, "description" | "descriptionHtml" | "vendor" | "productType" | "tags"> {
  const { product } = read;
  return {
    description: product.title,
    descriptionHtml: product.descriptionHtml,
    vendor: product.vendor,
    productType: product.productType,
    tags: [...product.tags],
  };
}

export interface PlanContext {
  db: Db | Tx;
  shopId: string;
  settings: ImportSettings;
  /** The shop card's item template, read once per run (undefined: none set; null: it is gone). */
  template: ItemWithVariants | null | undefined;
  /** Prices of the items concerned, for priceOf. */
  book: (itemNos: string[]) => Promise<PriceBook>;
}

/** Decides what becomes of the product (see above); writes nothing. */
export async function planProduct(
  context: PlanContext,
  read: ProductRead,
  row: ShopifyProduct | null,
  links: Map<bigint, ShopifyVariantMap>,
): Promise<ProductPlan> {
  const { db, shopId, settings } = context;
  const strategy = settings.productMapping as SkuStrategy;
  const found: VariantTarget[] = [];
  const unmatched: ImportVariantNode[] = [];
  // Why each unmatched variant finds no item (when something has its SKU or barcode).
  const whyNot = new Map<ImportVariantNode, string | null>();
  const unlinked = read.variants.filter((variant) => !links.get(numericId(variant.id))?.itemNo);
  const lookups =
    unlinked.length > 0
      ? await findItemsForSkus(
          db,
          shopId,
          strategy,
          unlinked.map((variant) => ({ sku: variant.sku, barcode: variant.barcode })),
        )
      : [];
  const lookupOf = new Map(unlinked.map((variant, index) => [variant, lookups[index]!]));
  for (const variant of read.variants) {
    const lookup = lookupOf.get(variant);
    if (!lookup) {
      const link = links.get(numericId(variant.id))!;
      found.push({ variant, itemNo: link.itemNo!, code: link.variantCode });
    } else if (lookup.match)
      found.push({ variant, itemNo: lookup.match.itemNo, code: lookup.match.variantCode });
    else {
      unmatched.push(variant);
      whyNot.set(variant, lookup.why);
    }
  }
  const itemNos = [...new Set([...(row?.itemNo ? [row.itemNo] : []), ...found.map((t) => t.itemNo)])];
  if (itemNos.length > 1) {
    if (unmatched.length > 0)
      return {
        kind: "unmapped",
        reason: `its variants are items ${itemNos.join(", ")}, and ${unmatched.map(describeVariant).join(", ")} none: a product is imported as one item with variants`,
        itemNo: row?.itemNo ?? null,
        targets: found,
      };
    return { kind: "several", itemNos, targets: found };
  }
  let anchor = itemNos[0] ?? null;
  // The anchor's item when it was read already (the number the SKUs give).
  let anchorItem: ItemWithVariants | null = null;
  if (anchor === null) {
    const blocked = unmatched.flatMap((variant) => whyNot.get(variant) ?? []);
    if (blocked.length > 0)
      return { kind: "unmapped", reason: [...new Set(blocked)].join("; "), itemNo: null, targets: [] };
    if (read.variants.every((variant) => !variant.sku && !variant.barcode))
      return {
        kind: "unmapped",
        reason: `no SKU: no variant has a SKU or a barcode the product mapping (${MAPPING_NAMES[strategy]}) could find an item by`,
        itemNo: null,
        targets: [],
      };
    const numbering = numberingOf(strategy, read);
    // The number the SKUs give is an item already: the product's variants are added to it.
    const existing = numbering.no ? await findItem(db, shopId, numbering.no) : null;
    if (existing?.blocked)
      return { kind: "unmapped", reason: `item ${existing.no} is blocked`, itemNo: null, targets: [] };
    if (existing) {
      anchor = existing.no;
      anchorItem = existing;
    } else if (!settings.productAutoCreate)
      return {
        kind: "unmapped",
        reason: `no item has ${read.variants
          .map((variant) => (variant.sku ? `SKU ${variant.sku}` : `barcode ${variant.barcode ?? "(none)"}`))
          .join(", ")} (product mapping: ${MAPPING_NAMES[strategy]}), and "Auto-create unknown items" is off`,
        itemNo: null,
        targets: [],
      };
    else return planCreate(context, read, numbering);
  }
  const item = anchorItem ?? (await findItem(db, shopId, anchor));
  if (!item)
    return {
      kind: "unmapped",
      reason: `item ${anchor}, which it was linked to, no longer exists`,
      itemNo: null,
      targets: [],
    };
  const owner = await otherProductOf(db, shopId, item.no, row, read);
  if (owner)
    return {
      kind: "unmapped",
      reason: `its SKUs are item ${item.no}, which is already the item of product "${owner.title}" (${owner.shopifyId}): two products cannot update one item`,
      itemNo: null,
      targets: [],
    };
  return planItem(context, read, item, found, unmatched);
}

/** Another product (not deleted) linked to this item, when this product is not linked to it yet. */
async function otherProductOf(
  db: Db | Tx,
  shopId: string,
  itemNo: string,
  row: ShopifyProduct | null,
  read: ProductRead,
): Promise<ShopifyProduct | null> {
  if (row?.itemNo === itemNo) return null;
  return db.shopifyProduct.findFirst({
    where: { shopId, itemNo, deletedAt: null, shopifyId: { not: numericId(read.product.id) } },
  });
}

/** The number (or vendor item no., barcode) a new item takes from the SKUs, per the mapping. */
function numberingOf(
  strategy: SkuStrategy,
  read: ProductRead,
): { no: string | null; vendorItemNo: string | null; barcode: string | null } {
  if (hasOnlyDefaultVariant(read)) {
    const variant = read.variants[0]!;
    const sku = variant.sku;
    switch (strategy) {
      case "item_no":
      case "item_no_variant_code":
      case "variant_code":
        return { no: sku, vendorItemNo: null, barcode: variant.barcode };
      case "vendor_item_no":
        return { no: null, vendorItemNo: sku, barcode: variant.barcode };
      case "barcode":
        return { no: null, vendorItemNo: null, barcode: variant.barcode ?? sku };
    }
  }
  const prefix = commonPrefix(read.variants);
  switch (strategy) {
    case "item_no":
    case "item_no_variant_code":
      return { no: prefix, vendorItemNo: null, barcode: null };
    case "vendor_item_no":
      return { no: null, vendorItemNo: prefix, barcode: null };
    default:
      return { no: null, vendorItemNo: null, barcode: null };
  }
}

function variantBarcode(strategy: SkuStrategy, variant: ImportVariantNode): string | undefined {
  return (strategy === "barcode" ? (variant.barcode ?? variant.sku) : variant.barcode) ?? undefined;
}

function planCreate(
  context: PlanContext,
  read: ProductRead,
  numbering: { no: string | null; vendorItemNo: string | null; barcode: string | null },
): ProductPlan {
  const { settings, template } = context;
  const strategy = settings.productMapping as SkuStrategy;
  if (template === null)
    return {
      kind: "unmapped",
      reason: `the item template ${settings.itemTemplateNo} on the shop card does not exist`,
      itemNo: null,
      targets: [],
    };
  const fromProduct = productCard(read);
  const basis = {
    priceIncludesTax: template?.priceIncludesTax ?? false,
    taxRatePct: template?.taxRatePct ?? new Prisma.Decimal(0),
  };
  const single = hasOnlyDefaultVariant(read);
  const names = single ? [] : optionNamesOf(read);
  const codes = single
    ? [null]
    : newCodes(
        strategy,
        { no: numbering.no, vendorItemNo: numbering.vendorItemNo },
        read.variants,
        new Set(),
      );
  const prices = read.variants.map((variant) =>
    toItemBasis(variant.price, basis, settings.pricesIncludingTax),
  );
  const unitPrice = basePrice(prices);
  const card: ItemCard = {
    ...fromProduct,
    vendor: fromProduct.vendor || (template?.vendor ?? undefined),
    productType: fromProduct.productType || (template?.productType ?? undefined),
    type: (template?.type as ItemCard["type"]) ?? "inventory",
    taxRatePct: basis.taxRatePct,
    priceIncludesTax: basis.priceIncludesTax,
    weightUnit: (template?.weightUnit as ItemCard["weightUnit"]) ?? undefined,
    ...costAndWeight(read),
    unitPrice,
    ...(numbering.vendorItemNo ? { vendorItemNo: numbering.vendorItemNo } : {}),
    ...(single && numbering.barcode ? { barcode: numbering.barcode } : {}),
    ...(names.length > 0 ? { optionNames: names } : {}),
  };
  const variants: NewVariant[] = single
    ? []
    : read.variants.map((variant, index) => ({
        code: codes[index]!,
        description: variant.title,
        barcode: variantBarcode(strategy, variant),
        options: valuesOf(variant, names),
      }));
  const differing = single
    ? []
    : read.variants.flatMap((_variant, index) =>
        prices[index]!.equals(unitPrice) ? [] : [{ code: codes[index]!, unitPrice: prices[index]! }],
      );
  return {
    kind: "create",
    itemNo: numbering.no,
    card,
    variants,
    prices: differing.length > 0 ? { unitPrice, variantPrices: differing } : null,
    codes: new Map(read.variants.map((variant, index) => [variant.id, codes[index]!])),
  };
}

const sameText = (a: string | null | undefined, b: string | null | undefined) =>
  (a?.trim() || null) === (b?.trim() || null);

/** The product on an item it is linked to (or whose number its SKUs give). */
async function planItem(
  context: PlanContext,
  read: ProductRead,
  item: ItemWithVariants,
  found: VariantTarget[],
  unmatched: ImportVariantNode[],
): Promise<ProductPlan> {
  const { settings } = context;
  const strategy = settings.productMapping as SkuStrategy;
  const single = hasOnlyDefaultVariant(read);
  const itemNames = [item.option1Name, item.option2Name, item.option3Name].filter(
    (name): name is string => name !== null,
  );
  const productNames = single ? itemNames : optionNamesOf(read);
  // An item with variants but no option names is exported with the one option "Variant".
  const names =
    itemNames.length === 0 && productNames.length === 1 && productNames[0] === DEFAULT_OPTION
      ? []
      : productNames;
  let refusal: string | null = null;
  if (!single && item.variants.length > 0 && names.length !== itemNames.length)
    refusal = `its options (${productNames.join(", ")}) do not fit item ${item.no}'s variants, which have ${itemNames.length} option value(s) each (${itemNames.join(", ") || "none"})`;

  // Variants on the item: as found, else by the SKU's code, barcode or option values.
  const targets: VariantTarget[] = found.map((target) => ({ ...target }));
  const claimed = new Set(targets.flatMap((target) => (target.code ? [target.code] : [])));
  const toAdd: ImportVariantNode[] = [];
  const key = { no: item.no, vendorItemNo: item.vendorItemNo };
  for (const variant of unmatched) {
    if (single) {
      targets.push({ variant, itemNo: item.no, code: null });
      continue;
    }
    const fromSku = codeFromSku(strategy, key, variant.sku);
    const values = valuesOf(variant, names).map((value) => value.toLowerCase());
    const existing = item.variants.find(
      (candidate) =>
        !claimed.has(candidate.code) &&
        (candidate.code === fromSku ||
          (variant.barcode !== null && candidate.barcode === variant.barcode) ||
          (names.length > 0 &&
            names.length === itemNames.length &&
            [candidate.option1, candidate.option2, candidate.option3]
              .slice(0, names.length)
              .every((value, index) => value?.toLowerCase() === values[index]))),
    );
    if (existing) {
      claimed.add(existing.code);
      targets.push({ variant, itemNo: item.no, code: existing.code });
    } else toAdd.push(variant);
  }
  const asFound = targets.map((target) => ({ ...target }));
  if (!settings.updateItemsFromShopify && toAdd.length > 0)
    return {
      kind: "unmapped",
      reason: `${toAdd.map(describeVariant).join(", ")} ${toAdd.length === 1 ? "is not a variant" : "are not variants"} of item ${item.no}, and "Update items from Shopify" is off, so the import does not add ${toAdd.length === 1 ? "it" : "them"}`,
      itemNo: item.no,
      targets: asFound,
    };
  // With variants in Shopify, the variants linked to the item itself become its variants.
  if (!single) for (const target of targets) if (target.code === null) toAdd.push(target.variant);
  const kept = single ? targets : targets.filter((target) => target.code !== null);
  const added = newCodes(
    strategy,
    key,
    toAdd,
    new Set([...item.variants.map((variant) => variant.code), ...claimed]),
  ).map((code, index) => ({ variant: toAdd[index]!, itemNo: item.no, code }));
  const all = single ? kept : [...kept, ...added];

  const write = await itemWrite(context, read, item, all, names, itemNames, single);
  return { kind: "item", item, asFound, targets: all, write, refusal: write ? refusal : null };
}

/** What the product changes on the item (card, variants, prices), or null when nothing. */
async function itemWrite(
  context: PlanContext,
  read: ProductRead,
  item: ItemWithVariants,
  targets: VariantTarget[],
  names: string[],
  itemNames: string[],
  single: boolean,
): Promise<ItemWrite | null> {
  const { settings } = context;
  const strategy = settings.productMapping as SkuStrategy;
  const wanted = { ...productCard(read), ...costAndWeight(read) };
  const card: Partial<ItemCard> = {};
  if (!sameText(wanted.description, item.description)) card.description = wanted.description;
  if (!sameText(wanted.descriptionHtml, item.descriptionHtml)) card.descriptionHtml = wanted.descriptionHtml;
  if (!sameText(wanted.vendor, item.vendor)) card.vendor = wanted.vendor;
  if (!sameText(wanted.productType, item.productType)) card.productType = wanted.productType;
  const tags = [...new Set((wanted.tags ?? []).map((tag) => tag.trim()).filter(Boolean))].sort();
  if (tags.join("\u0000") !== [...item.tags].sort().join("\u0000")) card.tags = tags;
  if (wanted.unitCost !== undefined && !new Prisma.Decimal(wanted.unitCost).equals(item.unitCost))
    card.unitCost = wanted.unitCost;
  if (wanted.weight !== undefined && (item.weight === null || !item.weight.equals(wanted.weight!)))
    card.weight = wanted.weight;
  if (wanted.weightUnit !== undefined && wanted.weightUnit !== item.weightUnit)
    card.weightUnit = wanted.weightUnit;
  if (single) {
    const variant = read.variants[0]!;
    const barcode = variantBarcode(strategy, variant) ?? null;
    if (targets[0]?.code === null && !sameText(barcode, item.barcode)) card.barcode = barcode ?? "";
  } else if (names.join("\u0000") !== itemNames.join("\u0000")) card.optionNames = names;

  const variants: NewVariant[] = [];
  if (!single)
    for (const target of targets) {
      const current = item.variants.find((variant) => variant.code === target.code);
      const next = {
        code: target.code!,
        description: target.variant.title,
        barcode: variantBarcode(strategy, target.variant),
        options: valuesOf(target.variant, names),
      };
      const same =
        current &&
        current.description === next.description &&
        sameText(current.barcode, next.barcode) &&
        [current.option1, current.option2, current.option3].slice(0, names.length).join("\u0000") ===
          next.options.join("\u0000");
      if (!same) variants.push(next);
    }

  // Prices: nothing to write when priceOf already gives every variant its Shopify price.
  const book = await context.book([item.no]);
  const context0 = { pricesIncludingTax: settings.pricesIncludingTax };
  const changed = targets.some((target) => {
    let current: Prisma.Decimal | null;
    try {
      current =
        item.variants.some((variant) => variant.code === target.code) || target.code === null
          ? priceOf(item, target.code, context0, book).price
          : null;
    } catch {
      current = null;
    }
    return current === null || !current.equals(new Prisma.Decimal(target.variant.price));
  });
  let prices: ItemWrite["prices"] = null;
  if (changed) {
    const basis = { priceIncludesTax: item.priceIncludesTax, taxRatePct: item.taxRatePct };
    const targetPrices = targets.map((target) =>
      toItemBasis(target.variant.price, basis, settings.pricesIncludingTax),
    );
    const unitPrice = single ? targetPrices[0]! : basePrice(targetPrices);
    prices = {
      unitPrice,
      variantPrices: single
        ? []
        : targets.map((target, index) => ({
            code: target.code!,
            unitPrice: targetPrices[index]!.equals(unitPrice) ? null : targetPrices[index]!,
          })),
    };
  }
  if (Object.keys(card).length === 0 && variants.length === 0 && !prices) return null;
  return { card, variants, prices };
}
