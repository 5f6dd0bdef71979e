import { GraphQLError } from "graphql";
import { NOT_IMPLEMENTED } from "../graphql/resolvers.server";
import type { ProductRecord, VariantRecord } from "../state/records.server";
import { parseGid, type ShopState } from "../state/shop-state.server";
import { userError, type UserError } from "./context.server";
import {
  createInventoryItem,
  MAX_QUANTITY,
  normalizeMoney,
  primaryLocation,
  setQuantity,
  stockAt,
  variantTitle,
  type InventoryItemFields,
} from "./catalog-store.server";
import type { CatalogChanges } from "./catalog-events.server";

/**
 * Input handling shared by the product and variant mutations: variant fields, option values
 * named by id or name, and writing a variant with its inventory item and levels.
 */

/** Input fields the simulator does not model: refused loudly rather than dropped. */
export function refuseUnsupported(input: object | null | undefined, fields: string[], path: string): void {
  if (!input) return;
  const used = fields.filter((field) => (input as Record<string, unknown>)[field] != null);
  if (used.length > 0) {
    throw new GraphQLError(`${path}.${used.join(", ")} is not implemented by the simulator`, {
      extensions: { code: NOT_IMPLEMENTED },
    });
  }
}

/** An option as a mutation is about to leave it; `id`/`valueIds` null for new ones. */
export interface OptionSpec {
  id: number | null;
  name: string;
  values: string[];
  valueIds: (number | null)[];
}

export function optionSpecs(product: ProductRecord | undefined): OptionSpec[] {
  return (product?.options ?? []).map((option) => ({
    id: option.id,
    name: option.name,
    values: [...option.values],
    valueIds: option.values.map((_, index) => option.valueIds?.[index] ?? null),
  }));
}

export interface OptionValueInput {
  id?: string | null;
  name?: string | null;
  optionId?: string | null;
  optionName?: string | null;
}

export interface ValueCodes {
  missingOption: string;
  unknownOption: string;
  unknownValue: string;
}

/**
 * The values a variant input picks, one per option in the options' order; null (with errors
 * added) when an option is missing or unknown. With `addValues`, a value name not yet on the
 * option is added to it (productVariantsBulkCreate/Update may introduce values).
 */
export function resolveOptionValues(
  options: OptionSpec[],
  inputs: readonly OptionValueInput[],
  path: string[],
  errors: UserError[],
  codes: ValueCodes,
  addValues: boolean,
): string[] | null {
  const chosen: (string | null)[] = options.map(() => null);
  let ok = true;
  inputs.forEach((input, index) => {
    const at = [...path, String(index)];
    const optionIndex = options.findIndex((option) =>
      input.optionId != null
        ? option.id !== null && option.id === parseGid(input.optionId, "ProductOption")
        : option.name.toLowerCase() === (input.optionName ?? "").toLowerCase(),
    );
    const option = options[optionIndex];
    if (!option) {
      errors.push(
        userError(
          at,
          `Option '${input.optionName ?? input.optionId ?? ""}' does not exist`,
          codes.unknownOption,
        ),
      );
      ok = false;
      return;
    }
    let value: string | undefined;
    if (input.id != null) {
      const valueId = parseGid(input.id, "ProductOptionValue");
      const valueIndex = option.valueIds.findIndex((id) => id !== null && id === valueId);
      value = valueIndex >= 0 ? option.values[valueIndex] : undefined;
    } else if (input.name != null && input.name.trim() !== "") {
      value = option.values.find((v) => v === input.name) ?? (addValues ? input.name.trim() : undefined);
      if (value !== undefined && !option.values.includes(value)) {
        option.values.push(value);
        option.valueIds.push(null);
      }
    }
    if (value === undefined) {
      errors.push(
        userError(
          at,
          `Option value '${input.name ?? input.id ?? ""}' does not exist for option '${option.name}'`,
          codes.unknownValue,
        ),
      );
      ok = false;
      return;
    }
    chosen[optionIndex] = value;
  });
  const missing = options.filter((_, index) => chosen[index] === null);
  if (ok && missing.length > 0) {
    errors.push(
      userError(
        path,
        `You need to add option values for ${missing.map((o) => `'${o.name}'`).join(", ")}`,
        codes.missingOption,
      ),
    );
    ok = false;
  }
  return ok ? (chosen as string[]) : null;
}

export interface QuantityInput {
  locationId: number;
  name: "available" | "on_hand";
  quantity: number;
}

export interface VariantFields {
  price?: string;
  compareAtPrice?: string | null;
  barcode?: string | null;
  taxable?: boolean;
  inventoryPolicy?: "DENY" | "CONTINUE";
  inventoryItem: InventoryItemFields;
  inventoryQuantities?: QuantityInput[];
  mediaId?: number | null;
  mediaSrc?: string[];
}

// The GraphQL inputs these are read from (ProductVariantSetInput, ProductVariantsBulkInput).
export interface VariantInput {
  id?: string | null;
  price?: string | null;
  compareAtPrice?: string | null;
  barcode?: string | null;
  sku?: string | null;
  taxable?: boolean | null;
  inventoryPolicy?: "DENY" | "CONTINUE" | null;
  inventoryItem?: {
    sku?: string | null;
    tracked?: boolean | null;
    requiresShipping?: boolean | null;
    cost?: string | null;
  } | null;
  inventoryQuantities?:
    { locationId: string; name?: string; quantity?: number; availableQuantity?: number }[] | null;
  optionValues?: OptionValueInput[] | null;
  mediaId?: string | null;
  mediaSrc?: string[] | null;
}

export interface FieldCodes {
  invalid: string;
  negativePrice: string;
  location: string;
  /** A value longer than Shopify stores (the barcode). */
  tooLong: string;
}

/**
 * A barcode value is at most 255 characters (BarcodeInput.value, "Maximum length: 255
 * characters", and the changelog "Variants now support multiple barcodes": "each up to 255
 * characters"; the 2026-07 schema documents no other length for variant fields).
 */
export const MAX_BARCODE_LENGTH = 255;

/** Reads and validates a variant input's own fields (not its option values). */
export function parseVariantFields(
  shop: ShopState,
  input: VariantInput,
  path: string[],
  errors: UserError[],
  codes: FieldCodes,
): VariantFields {
  const fields: VariantFields = { inventoryItem: {} };
  const money = (value: string | null | undefined, name: string): string | null | undefined => {
    if (value === undefined) return undefined;
    if (value === null || value === "") return null;
    const normalized = normalizeMoney(value);
    if (normalized === null) {
      errors.push(
        userError(
          [...path, name],
          `${name === "price" ? "Price" : "Compare at price"} is invalid`,
          codes.invalid,
        ),
      );
      return undefined;
    }
    if (Number(normalized) < 0) {
      errors.push(
        userError(
          [...path, name],
          `${name === "price" ? "Price" : "Compare at price"} must be greater than or equal to 0`,
          codes.negativePrice,
        ),
      );
      return undefined;
    }
    return normalized;
  };
  const price = money(input.price, "price");
  if (price !== undefined) fields.price = price ?? "0.00";
  const compareAt = money(input.compareAtPrice, "compareAtPrice");
  if (compareAt !== undefined) fields.compareAtPrice = compareAt;
  if (input.barcode != null && input.barcode.trim().length > MAX_BARCODE_LENGTH) {
    errors.push(
      userError(
        [...path, "barcode"],
        `Barcode is too long (maximum is ${MAX_BARCODE_LENGTH} characters)`,
        codes.tooLong,
      ),
    );
  } else if (input.barcode !== undefined) fields.barcode = input.barcode?.trim() || null;
  if (input.taxable != null) fields.taxable = input.taxable;
  if (input.inventoryPolicy != null) fields.inventoryPolicy = input.inventoryPolicy;
  const item = input.inventoryItem;
  const sku = item?.sku !== undefined ? item.sku : input.sku;
  if (sku !== undefined) fields.inventoryItem.sku = sku?.trim() || null;
  if (item?.tracked != null) fields.inventoryItem.tracked = item.tracked;
  if (item?.requiresShipping != null) fields.inventoryItem.requiresShipping = item.requiresShipping;
  if (item?.cost !== undefined)
    fields.inventoryItem.cost = item.cost === null ? null : normalizeMoney(item.cost);
  if (input.mediaId != null) fields.mediaId = parseGid(input.mediaId, "MediaImage");
  if (input.mediaSrc) fields.mediaSrc = input.mediaSrc;
  if (input.inventoryQuantities) {
    fields.inventoryQuantities = [];
    input.inventoryQuantities.forEach((entry, index) => {
      const at = [...path, "inventoryQuantities", String(index)];
      const locationId = parseGid(entry.locationId, "Location");
      const location = locationId === null ? undefined : shop.locations.get(locationId);
      const name = entry.name ?? "available";
      const quantity = entry.quantity ?? entry.availableQuantity ?? 0;
      if (!location) {
        errors.push(userError([...at, "locationId"], "Location does not exist", codes.location));
      } else if (name !== "available" && name !== "on_hand") {
        errors.push(
          userError([...at, "name"], "Quantity name must be either 'available' or 'on_hand'", codes.invalid),
        );
      } else if (Math.abs(quantity) > MAX_QUANTITY) {
        errors.push(userError([...at, "quantity"], "Quantity is out of range", codes.invalid));
      } else {
        fields.inventoryQuantities!.push({ locationId: location.id, name, quantity });
      }
    });
  }
  return fields;
}

/** Count of inventory quantities in a mutation's variants, against Shopify's 50,000 cap (changelog "inventoryQuantities limit in mutations", 2025-10). */
export const MAX_INVENTORY_QUANTITIES = 50_000;

export function inventoryQuantityCount(variants: readonly VariantInput[]): number {
  return variants.reduce((sum, variant) => sum + (variant.inventoryQuantities?.length ?? 0), 0);
}

/** Creates or updates a variant of `product` with the given option values and fields. */
export function writeVariant(
  shop: ShopState,
  product: ProductRecord,
  existing: VariantRecord | null,
  values: string[] | null,
  fields: VariantFields,
  now: Date,
  changes: CatalogChanges,
): VariantRecord {
  const selectedOptions = values
    ? product.options.map((option, index) => ({ name: option.name, value: values[index]! }))
    : (existing?.selectedOptions ?? []);
  let variant = existing;
  if (!variant) {
    const id = shop.newId();
    const item = createInventoryItem(shop, id, fields.inventoryItem, now);
    variant = {
      id,
      productId: product.id,
      title: variantTitle(selectedOptions),
      sku: item.sku,
      barcode: null,
      price: "0.00",
      compareAtPrice: null,
      position: product.variantIds.length + 1,
      selectedOptions,
      inventoryItemId: item.id,
      mediaId: null,
      taxable: true,
      inventoryPolicy: "DENY",
      createdAt: now,
      updatedAt: now,
    };
    shop.variants.set(id, variant);
    product.variantIds.push(id);
    // A new variant is stocked where its quantities are given, else at the primary location.
    const stocked = fields.inventoryQuantities?.map((q) => q.locationId) ?? [];
    const primary = primaryLocation(shop);
    if (stocked.length === 0 && primary) changes.levelConnected(stockAt(shop, item.id, primary.id, now));
  } else {
    const item = shop.inventoryItems.get(variant.inventoryItemId);
    if (item) {
      if (fields.inventoryItem.sku !== undefined) item.sku = fields.inventoryItem.sku;
      if (fields.inventoryItem.tracked !== undefined) item.tracked = fields.inventoryItem.tracked;
      if (fields.inventoryItem.requiresShipping !== undefined)
        item.requiresShipping = fields.inventoryItem.requiresShipping;
      if (fields.inventoryItem.cost !== undefined) item.unitCost = fields.inventoryItem.cost;
      item.updatedAt = now;
      variant.sku = item.sku;
    }
    variant.selectedOptions = selectedOptions;
    variant.title = variantTitle(selectedOptions);
    variant.updatedAt = now;
  }
  if (fields.price !== undefined) variant.price = fields.price;
  if (fields.compareAtPrice !== undefined) variant.compareAtPrice = fields.compareAtPrice;
  if (fields.barcode !== undefined) variant.barcode = fields.barcode;
  if (fields.taxable !== undefined) variant.taxable = fields.taxable;
  if (fields.inventoryPolicy !== undefined) variant.inventoryPolicy = fields.inventoryPolicy;
  if (fields.mediaId !== undefined) variant.mediaId = fields.mediaId;
  for (const quantity of fields.inventoryQuantities ?? []) {
    const isNew = !shop.inventoryLevel(variant.inventoryItemId, quantity.locationId);
    const level = stockAt(shop, variant.inventoryItemId, quantity.locationId, now);
    if (isNew) changes.levelConnected(level);
    if (setQuantity(level, quantity.name, quantity.quantity, now).length > 0) changes.levelChanged(level);
  }
  return variant;
}
