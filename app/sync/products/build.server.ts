import {
  priceOf,
  type ItemWithVariants,
  type PriceBook,
  type SkuStrategy,
} from "../../backoffice/backoffice.server";
import type { ShopSettings } from "../../generated/prisma/client";
import { contentHash } from "../kit/outbound.server";
import type { ProductSetInput } from "./operations.server";

/**
 * What an item becomes in Shopify: its product (title, description, vendor, type, tags,
 * options, variants with SKU, barcode, cost, weight, policy) and each variant's price and
 * compare-at price from the one price calculation (`priceOf`, in the shop card's context).
 *
 * Two hashes tell the export what changed since it last sent the item: the product's
 * `structureHash` (a change is sent with productSet, the product whole) and each variant's
 * `priceHash` (a change alone is sent with productVariantsBulkUpdate). The import writes the
 * structure hash of the items it changes as sent, so an item changed by an import is not
 * exported back.
 */

type ItemVariant = ItemWithVariants["variants"][number];

/** Shopify's limit of variants per product (productSet refuses more). */
export const MAX_VARIANTS = 2048;

/** The option an item with variants but no option names gets: its variants by code. */
export const DEFAULT_OPTION = "Variant";

export interface VariantDraft {
  /** The item variant's code; null for an item without variants (one default variant). */
  code: string | null;
  title: string;
  sku: string | null;
  barcode: string | null;
  optionValues: { optionName: string; name: string }[];
  /** Decimal strings as Shopify takes them (null compare-at: none). */
  price: string;
  compareAtPrice: string | null;
  /** contentHash of its price and compare-at price. */
  priceHash: string;
}

export interface ProductDraft {
  itemNo: string;
  /** productSet's input without status and variant ids, which the export adds. */
  input: ProductSetInput;
  variants: VariantDraft[];
  /** Blocked or sales-blocked: the product goes to the shop card's "blocked item" status. */
  blocked: boolean;
  structureHash: string;
}

export type DraftSettings = Pick<
  ShopSettings,
  | "productMapping"
  | "syncPrices"
  | "priceGroup"
  | "discountGroup"
  | "pricesIncludingTax"
  | "trackInventory"
  | "inventoryPolicy"
>;

/** The SKU the shop's product mapping gives an item's variant, so an order line maps back to it. */
export function skuFor(
  strategy: SkuStrategy,
  item: Pick<ItemWithVariants, "no" | "vendorItemNo" | "barcode">,
  variant: Pick<ItemVariant, "code" | "barcode"> | null,
): string | null {
  switch (strategy) {
    case "item_no":
    case "item_no_variant_code":
      return variant ? `${item.no}-${variant.code}` : item.no;
    case "variant_code":
      return variant ? variant.code : item.no;
    case "vendor_item_no":
      return variant ? `${item.vendorItemNo ?? item.no}-${variant.code}` : (item.vendorItemNo ?? item.no);
    case "barcode":
      return (variant ? variant.barcode : null) ?? item.barcode ?? null;
  }
}

function money(value: { toFixed: (digits: number) => string }): string {
  return value.toFixed(2);
}

/** The item's option names and each variant's values, as Shopify's options. */
function optionsOf(item: ItemWithVariants): { names: string[]; valuesOf: (v: ItemVariant) => string[] } {
  const names = [item.option1Name, item.option2Name, item.option3Name].filter(
    (name): name is string => name !== null,
  );
  if (names.length === 0) return { names: [DEFAULT_OPTION], valuesOf: (variant) => [variant.code] };
  return {
    names,
    valuesOf: (variant) =>
      [variant.option1, variant.option2, variant.option3].slice(0, names.length).map((value) => value ?? ""),
  };
}

/**
 * The item as a product, or why it cannot be one (a message for its record). Prices are left
 * out of the input when the shop card does not sync prices (Shopify keeps its own).
 */
export function draftOf(
  item: ItemWithVariants,
  settings: DraftSettings,
  book: PriceBook,
): ProductDraft | { problem: string } {
  if (item.variants.length > MAX_VARIANTS)
    return {
      problem: `item ${item.no} has ${item.variants.length} variants; a Shopify product has ${MAX_VARIANTS} at most`,
    };
  const strategy = settings.productMapping as SkuStrategy;
  const context = {
    priceGroup: settings.priceGroup,
    discountGroup: settings.discountGroup,
    pricesIncludingTax: settings.pricesIncludingTax,
  };
  const inventoryItem = {
    cost: money(item.unitCost),
    tracked: settings.trackInventory,
    ...(item.weight !== null
      ? { measurement: { weight: { value: Number(item.weight), unit: item.weightUnit } } }
      : {}),
  };
  const variantRows = item.variants.length > 0 ? [...item.variants] : [null];
  const { names, valuesOf } = optionsOf(item);
  const variants: VariantDraft[] = [];
  for (const variant of variantRows) {
    let price;
    try {
      price = priceOf(item, variant?.code ?? null, context, book);
    } catch (error) {
      return { problem: error instanceof Error ? error.message : String(error) };
    }
    const values = variant ? valuesOf(variant) : ["Default Title"];
    const optionNames = variant ? names : ["Title"];
    const draft = {
      price: money(price.price),
      compareAtPrice: price.compareAtPrice ? money(price.compareAtPrice) : null,
    };
    variants.push({
      code: variant?.code ?? null,
      title: variant ? variant.description : item.description,
      sku: skuFor(strategy, item, variant),
      barcode: (variant ? variant.barcode : item.barcode) ?? null,
      optionValues: optionNames.map((optionName, index) => ({ optionName, name: values[index]! })),
      ...draft,
      priceHash: contentHash(draft),
    });
  }
  const productOptions =
    item.variants.length > 0
      ? names.map((name, index) => ({
          name,
          position: index + 1,
          values: [...new Set(variants.map((variant) => variant.optionValues[index]!.name))].map((value) => ({
            name: value,
          })),
        }))
      : [{ name: "Title", position: 1, values: [{ name: "Default Title" }] }];
  const input: ProductSetInput = {
    title: item.description,
    descriptionHtml: item.descriptionHtml ?? "",
    vendor: item.vendor ?? "",
    productType: item.productType ?? "",
    tags: [...item.tags].sort(),
    productOptions,
    variants: variants.map((variant) => ({
      optionValues: variant.optionValues,
      sku: variant.sku,
      barcode: variant.barcode,
      ...(settings.syncPrices ? { price: variant.price, compareAtPrice: variant.compareAtPrice } : {}),
      inventoryPolicy: settings.inventoryPolicy,
      inventoryItem,
    })),
  };
  const blocked = item.blocked || item.salesBlocked;
  const structure = {
    ...input,
    variants: input.variants.map(({ price: _price, compareAtPrice: _compareAt, ...rest }, index) => ({
      code: variants[index]!.code,
      ...rest,
    })),
    blocked,
  };
  return { itemNo: item.no, input, variants, blocked, structureHash: contentHash(structure) };
}
