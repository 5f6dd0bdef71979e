import type {
  InventoryItemRecord,
  InventoryLevelRecord,
  LocationRecord,
  MediaRecord,
  ProductOption,
  ProductRecord,
  QuantityName,
  VariantRecord,
} from "../state/records.server";
import type { ShopState } from "../state/shop-state.server";

/**
 * Reading and writing the catalog's records: the rules several mutations share (handles,
 * option value ids, inventory items and levels, quantity arithmetic), kept apart from GraphQL.
 */

export const QUANTITY_NAMES: QuantityName[] = [
  "available",
  "committed",
  "damaged",
  "incoming",
  "on_hand",
  "quality_control",
  "reserved",
  "safety_stock",
];

/** Shopify's limit on one quantity: https://shopify.dev/docs/api/admin-graphql/2026-07/enums/InventorySetQuantitiesUserErrorCode */
export const MAX_QUANTITY = 1_000_000_000;

export function isQuantityName(name: string): name is QuantityName {
  return (QUANTITY_NAMES as string[]).includes(name);
}

export function emptyQuantities(): Record<QuantityName, number> {
  return {
    available: 0,
    committed: 0,
    damaged: 0,
    incoming: 0,
    on_hand: 0,
    quality_control: 0,
    reserved: 0,
    safety_stock: 0,
  };
}

/** The shop's primary location: the oldest active one (a new shop's only location). */
export function primaryLocation(shop: ShopState): LocationRecord | undefined {
  let primary: LocationRecord | undefined;
  for (const location of shop.locations.values()) {
    if (!location.isActive) continue;
    if (!primary || location.id < primary.id) primary = location;
  }
  return primary;
}

/** "Black Sunglasses" → "black-sunglasses", as Shopify derives handles from titles. */
export function slugify(text: string): string {
  const slug = text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/['’]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return slug || "product";
}

/**
 * ACTIVE and UNLISTED products are for sale: UNLISTED "is active but you need a direct link to
 * view it" (ProductStatus, 2026-07), so it is published and sellable, only not listed.
 */
export function isSellable(product: ProductRecord): boolean {
  return product.status === "ACTIVE" || product.status === "UNLISTED";
}

export function productByHandle(shop: ShopState, handle: string): ProductRecord | undefined {
  for (const product of shop.products.values()) if (product.handle === handle) return product;
  return undefined;
}

/** A handle not used by another product: the base, else base-1, base-2… (ProductCreateInput.handle docs). */
export function uniqueHandle(shop: ShopState, base: string, exceptId?: number): string {
  const taken = (handle: string) => {
    const owner = productByHandle(shop, handle);
    return owner !== undefined && owner.id !== exceptId;
  };
  if (!taken(base)) return base;
  for (let n = 1; ; n++) if (!taken(`${base}-${n}`)) return `${base}-${n}`;
}

/** A Money input ("19.9", "20") as Shopify returns it ("19.90", "20.00"); null when not a decimal. */
export function normalizeMoney(value: unknown): string | null {
  if (typeof value !== "string" && typeof value !== "number") return null;
  const text = String(value).trim();
  if (!/^-?\d+(\.\d+)?$/.test(text)) return null;
  return Number(text).toFixed(2);
}

/** Tags as Shopify keeps them: trimmed, without duplicates or blanks, sorted. */
export function normalizeTags(tags: readonly string[]): string[] {
  const unique = new Map<string, string>();
  for (const tag of tags.flatMap((entry) => entry.split(","))) {
    const trimmed = tag.trim();
    if (trimmed && !unique.has(trimmed.toLowerCase())) unique.set(trimmed.toLowerCase(), trimmed);
  }
  return [...unique.values()].sort((a, b) => a.localeCompare(b));
}

export function variantTitle(selectedOptions: readonly { value: string }[]): string {
  return selectedOptions.map((option) => option.value).join(" / ") || "Default Title";
}

/** The id of an option value; ids are allocated when the value is added, so they stay stable. */
export function optionValueId(shop: ShopState, option: ProductOption, index: number): number {
  option.valueIds ??= [];
  while (option.valueIds.length < option.values.length) option.valueIds.push(shop.newId());
  return option.valueIds[index]!;
}

export function newOption(shop: ShopState, name: string, values: string[]): ProductOption {
  return { id: shop.newId(), name, values: [...values], valueIds: values.map(() => shop.newId()) };
}

export function variantsOf(shop: ShopState, product: ProductRecord): VariantRecord[] {
  return product.variantIds
    .map((id) => shop.variants.get(id))
    .filter((variant): variant is VariantRecord => variant !== undefined)
    .sort((a, b) => a.position - b.position);
}

export function mediaOf(shop: ShopState, product: ProductRecord): MediaRecord[] {
  return product.mediaIds
    .map((id) => shop.media.get(id))
    .filter((media): media is MediaRecord => media !== undefined);
}

export function isDefaultVariantOnly(shop: ShopState, product: ProductRecord): boolean {
  const variants = variantsOf(shop, product);
  return (
    variants.length === 1 &&
    product.options.length === 1 &&
    product.options[0]!.name === "Title" &&
    variants[0]!.title === "Default Title"
  );
}

export function levelsOfItem(shop: ShopState, inventoryItemId: number): InventoryLevelRecord[] {
  // Levels are keyed by item and location, and shops have few locations: look each one up.
  const levels: InventoryLevelRecord[] = [];
  for (const locationId of shop.locations.keys()) {
    const level = shop.inventoryLevel(inventoryItemId, locationId);
    if (level) levels.push(level);
  }
  return levels.sort((a, b) => a.id - b.id);
}

export function levelsAtLocation(shop: ShopState, locationId: number): InventoryLevelRecord[] {
  const levels: InventoryLevelRecord[] = [];
  for (const level of shop.inventoryLevels.values()) if (level.locationId === locationId) levels.push(level);
  return levels.sort((a, b) => a.id - b.id);
}

/** The sellable quantity of an item: `available` summed over the locations stocking it. */
export function availableTotal(shop: ShopState, inventoryItemId: number): number {
  return levelsOfItem(shop, inventoryItemId).reduce((sum, level) => sum + level.quantities.available, 0);
}

export function variantInventory(shop: ShopState, variant: VariantRecord): number {
  return availableTotal(shop, variant.inventoryItemId);
}

/** The level of an item at a location, created (all quantities 0) if the item is not stocked there yet. */
export function stockAt(
  shop: ShopState,
  inventoryItemId: number,
  locationId: number,
  now: Date,
): InventoryLevelRecord {
  const existing = shop.inventoryLevel(inventoryItemId, locationId);
  if (existing) return existing;
  const level: InventoryLevelRecord = {
    id: shop.newId(),
    inventoryItemId,
    locationId,
    quantities: emptyQuantities(),
    createdAt: now,
    updatedAt: now,
  };
  shop.inventoryLevels.set(`${inventoryItemId}:${locationId}`, level);
  return level;
}

/**
 * Sets `available` or `on_hand` to an absolute value. On-hand is available plus the other
 * unavailable states, so moving one moves the other by the same delta
 * (https://shopify.dev/docs/apps/build/orders-fulfillment/inventory-management-apps/manage-quantities-states).
 * Returns the changes made, by quantity name.
 */
export function setQuantity(
  level: InventoryLevelRecord,
  name: "available" | "on_hand",
  value: number,
  now: Date,
): { name: QuantityName; delta: number; quantityAfterChange: number }[] {
  const delta = value - level.quantities[name];
  if (delta === 0) return [];
  level.quantities.available += delta;
  level.quantities.on_hand += delta;
  level.updatedAt = now;
  const order: QuantityName[] = name === "available" ? ["available", "on_hand"] : ["on_hand", "available"];
  return order.map((quantity) => ({
    name: quantity,
    delta,
    quantityAfterChange: level.quantities[quantity],
  }));
}

export interface InventoryItemFields {
  sku?: string | null;
  tracked?: boolean;
  requiresShipping?: boolean;
  cost?: string | null;
}

export function createInventoryItem(
  shop: ShopState,
  variantId: number,
  fields: InventoryItemFields,
  now: Date,
): InventoryItemRecord {
  const item: InventoryItemRecord = {
    id: shop.newId(),
    variantId,
    sku: fields.sku ?? null,
    // Variants are tracked by Shopify unless told otherwise (changelog "The Product Variant
    // resource has new defaults for inventory_quantity and inventory_management", 2018-10).
    tracked: fields.tracked ?? true,
    requiresShipping: fields.requiresShipping ?? true,
    unitCost: fields.cost ?? null,
    createdAt: now,
    updatedAt: now,
  };
  shop.inventoryItems.set(item.id, item);
  return item;
}

/** Removes a variant with its inventory item, levels, media links and price list fixed prices. */
export function deleteVariant(shop: ShopState, variantId: number): void {
  const variant = shop.variants.get(variantId);
  if (!variant) return;
  for (const locationId of shop.locations.keys()) {
    shop.inventoryLevels.delete(`${variant.inventoryItemId}:${locationId}`);
  }
  shop.inventoryItems.delete(variant.inventoryItemId);
  shop.variants.delete(variantId);
  for (const list of shop.priceLists.values()) list.fixedPrices.delete(variantId);
  const product = shop.products.get(variant.productId);
  if (product) product.variantIds = product.variantIds.filter((id) => id !== variantId);
}

/**
 * Removes a product with everything productDelete removes (mutation reference, 2026-07): its
 * variants with their inventory items and levels, its media, options and option values. Orders
 * keep their line items, whose variant and product then read as null.
 */
export function deleteProduct(shop: ShopState, productId: number): void {
  const product = shop.products.get(productId);
  if (!product) return;
  for (const variantId of [...product.variantIds]) deleteVariant(shop, variantId);
  for (const mediaId of product.mediaIds) {
    shop.media.delete(mediaId);
    shop.mediaBytes.delete(mediaId);
  }
  shop.products.delete(productId);
}

/** Renumbers positions 1..n in the current order. */
export function renumberVariants(shop: ShopState, product: ProductRecord): void {
  variantsOf(shop, product).forEach((variant, index) => {
    variant.position = index + 1;
  });
}

/** Strips tags and collapses whitespace: Product.description from descriptionHtml. */
export function plainText(html: string): string {
  return html
    .replace(/<[^>]*>/g, " ")
    .replace(/&nbsp;/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/\s+/g, " ")
    .trim();
}
