import { GraphQLError } from "graphql";
import type { InventoryLevelRecord, QuantityName } from "../state/records.server";
import { gid, parseGid, type ShopState } from "../state/shop-state.server";
import { iso, userError, type ResolverContext, type UserError } from "./context.server";
import { CatalogChanges } from "./catalog-events.server";
import { MAX_QUANTITY, emptyQuantities, setQuantity, stockAt } from "./catalog-store.server";
import { inventoryItemView, inventoryLevelView, locationView } from "./catalog-inventory-views.server";

/**
 * inventorySetQuantities, inventoryAdjustQuantities and inventoryActivate as of 2026-07:
 * - each quantity must carry `changeFromQuantity` (null opts out of the compare-and-swap; a
 *   mismatch is CHANGE_FROM_QUANTITY_STALE) — InventoryQuantityInput / InventoryChangeInput docs;
 * - `@idempotent(key:)` is required since 2026-04; a repeated key returns the first result
 *   without applying anything again, and a key reused with other arguments is
 *   IDEMPOTENCY_KEY_PARAMETER_MISMATCH (mutation descriptions in the 2026-07 schema;
 *   https://shopify.dev/docs/api/usage/implementing-idempotency).
 */

/** Shopify's cap on input lists (the same 250 as page sizes). */
export const MAX_INPUT_SIZE = 250;

// https://shopify.dev/docs/apps/build/orders-fulfillment/inventory-management-apps/manage-quantities-states
const REASONS = new Set([
  "correction",
  "cycle_count_available",
  "damaged",
  "movement_created",
  "movement_updated",
  "movement_received",
  "movement_canceled",
  "other",
  "promotion",
  "quality_control",
  "received",
  "reservation_created",
  "reservation_deleted",
  "reservation_updated",
  "restock",
  "safety_stock",
  "shrinkage",
]);

interface StoredResult {
  idempotentCall: string;
  result: unknown;
}

/** Runs a mutation at most once per idempotency key; see the file comment. */
export function idempotent<T>(
  context: ResolverContext,
  mutation: string,
  args: unknown,
  run: () => T,
  mismatch: () => T,
): T {
  const key = context.idempotencyKey;
  if (key === null) {
    throw new GraphQLError(
      `The @idempotent directive is required for ${mutation} as of API version 2026-04`,
      {
        extensions: { code: "BAD_REQUEST" },
      },
    );
  }
  if (key.trim() === "") {
    throw new GraphQLError("The idempotency key cannot be an empty string or whitespace only", {
      extensions: { code: "BAD_REQUEST" },
    });
  }
  const call = `${mutation}:${JSON.stringify(args)}`;
  const stored = context.shop.idempotency.get(key) as StoredResult | undefined;
  if (stored !== undefined) return stored.idempotentCall === call ? (stored.result as T) : mismatch();
  const result = run();
  context.shop.idempotency.set(key, { idempotentCall: call, result } satisfies StoredResult);
  return result;
}

export function tooMany(length: number, path: string[]): GraphQLError {
  return new GraphQLError(
    `The input array size of ${length} is greater than the maximum allowed of ${MAX_INPUT_SIZE}.`,
    { extensions: { code: "MAX_INPUT_SIZE_EXCEEDED", argumentPath: path } },
  );
}

export interface Change {
  name: QuantityName;
  delta: number;
  quantityAfterChange: number;
  level: InventoryLevelRecord;
}

export function adjustmentGroup(
  shop: ShopState,
  reason: string,
  referenceDocumentUri: string | null | undefined,
  changes: Change[],
  now: Date,
) {
  return {
    id: gid("InventoryAdjustmentGroup", shop.newId()),
    createdAt: iso(now),
    reason,
    referenceDocumentUri: referenceDocumentUri ?? null,
    staffMember: null,
    changes: (args: {
      inventoryItemIds?: string[] | null;
      locationIds?: string[] | null;
      quantityNames?: string[] | null;
    }) =>
      changes
        .filter((c) => !args.quantityNames || args.quantityNames.includes(c.name))
        .filter(
          (c) =>
            !args.inventoryItemIds ||
            args.inventoryItemIds.includes(gid("InventoryItem", c.level.inventoryItemId)),
        )
        .filter((c) => !args.locationIds || args.locationIds.includes(gid("Location", c.level.locationId)))
        .map((c) => ({
          name: c.name,
          delta: c.delta,
          quantityAfterChange: c.quantityAfterChange,
          ledgerDocumentUri: null,
          item: () => {
            const item = shop.inventoryItems.get(c.level.inventoryItemId);
            return item ? inventoryItemView(shop, item) : null;
          },
          location: () => {
            const location = shop.locations.get(c.level.locationId);
            return location ? locationView(shop, location) : null;
          },
        })),
  };
}

export function checkReason(
  reason: string,
  referenceDocumentUri: string | null | undefined,
  errors: UserError[],
  codes: { reason: string; document: string },
) {
  if (!REASONS.has(reason))
    errors.push(userError(["input", "reason"], "The specified reason is invalid.", codes.reason));
  if (referenceDocumentUri != null && !/^[a-z][a-z0-9+.-]*:\/*\S+$/i.test(referenceDocumentUri)) {
    errors.push(
      userError(
        ["input", "referenceDocumentUri"],
        "The specified reference document is invalid.",
        codes.document,
      ),
    );
  }
}

/** Looks up the level a quantity input names, adding errors for unknown items, locations or pairs. */
export function levelFor(
  shop: ShopState,
  input: { inventoryItemId: string; locationId: string },
  at: string[],
  errors: UserError[],
  codes: { item: string; location: string; stocked: string },
): InventoryLevelRecord | undefined {
  const itemId = parseGid(input.inventoryItemId, "InventoryItem");
  const locationId = parseGid(input.locationId, "Location");
  if (itemId === null || !shop.inventoryItems.has(itemId)) {
    errors.push(
      userError([...at, "inventoryItemId"], "The specified inventory item could not be found.", codes.item),
    );
    return undefined;
  }
  if (locationId === null || !shop.locations.has(locationId)) {
    errors.push(
      userError([...at, "locationId"], "The specified location could not be found.", codes.location),
    );
    return undefined;
  }
  const level = shop.inventoryLevel(itemId, locationId);
  if (!level) {
    errors.push(
      userError(
        [...at, "locationId"],
        "The specified inventory item is not stocked at the location.",
        codes.stocked,
      ),
    );
  }
  return level;
}

interface SetQuantitiesInput {
  name: string;
  reason: string;
  referenceDocumentUri?: string | null;
  quantities: {
    inventoryItemId: string;
    locationId: string;
    quantity: number;
    changeFromQuantity?: number | null;
  }[];
}

export function inventorySetQuantities(args: { input: SetQuantitiesInput }, context: ResolverContext) {
  const { input } = args;
  if (input.quantities.length > MAX_INPUT_SIZE)
    throw tooMany(input.quantities.length, ["input", "quantities"]);
  const mismatch = () => ({
    inventoryAdjustmentGroup: null,
    userErrors: [
      userError(
        null,
        "The same idempotency key cannot be used with different operation parameters.",
        "IDEMPOTENCY_KEY_PARAMETER_MISMATCH",
      ),
    ],
  });
  return idempotent(context, "inventorySetQuantities", args, () => setQuantities(input, context), mismatch);
}

function setQuantities(input: SetQuantitiesInput, context: ResolverContext) {
  const { shop } = context;
  const errors: UserError[] = [];
  const name = input.name;
  if (name !== "available" && name !== "on_hand") {
    errors.push(
      userError(
        ["input", "name"],
        "The quantity name must be either 'available' or 'on_hand'.",
        "INVALID_NAME",
      ),
    );
  }
  checkReason(input.reason, input.referenceDocumentUri, errors, {
    reason: "INVALID_REASON",
    document: "INVALID_REFERENCE_DOCUMENT",
  });
  const seen = new Set<string>();
  const targets: { level: InventoryLevelRecord; quantity: number }[] = [];
  input.quantities.forEach((entry, index) => {
    const at = ["input", "quantities", String(index)];
    const level = levelFor(shop, entry, at, errors, {
      item: "INVALID_INVENTORY_ITEM",
      location: "INVALID_LOCATION",
      stocked: "ITEM_NOT_STOCKED_AT_LOCATION",
    });
    if (!("changeFromQuantity" in entry)) {
      errors.push(
        userError(
          [...at, "changeFromQuantity"],
          "The changeFromQuantity argument must be given for each quantity (null skips the check).",
          "COMPARE_QUANTITY_REQUIRED",
        ),
      );
    }
    if (entry.quantity > MAX_QUANTITY) {
      errors.push(
        userError(
          [...at, "quantity"],
          "The total quantity can't be higher than 1,000,000,000.",
          "INVALID_QUANTITY_TOO_HIGH",
        ),
      );
    } else if (entry.quantity < -MAX_QUANTITY) {
      errors.push(
        userError(
          [...at, "quantity"],
          "The total quantity can't be lower than -1,000,000,000.",
          "INVALID_QUANTITY_TOO_LOW",
        ),
      );
    } else if (entry.quantity < 0 && name === "on_hand") {
      errors.push(
        userError([...at, "quantity"], "The quantity can't be negative.", "INVALID_QUANTITY_NEGATIVE"),
      );
    }
    if (!level) return;
    const pair = `${level.inventoryItemId}:${level.locationId}`;
    if (seen.has(pair)) {
      errors.push(
        userError(
          at,
          "The combination of inventoryItemId and locationId must be unique.",
          "NO_DUPLICATE_INVENTORY_ITEM_ID_GROUP_ID_PAIR",
        ),
      );
    }
    seen.add(pair);
    const current = name === "on_hand" ? level.quantities.on_hand : level.quantities.available;
    if (entry.changeFromQuantity != null && entry.changeFromQuantity !== current) {
      errors.push(
        userError(
          [...at, "changeFromQuantity"],
          "The specified compare quantity does not match the current quantity.",
          "CHANGE_FROM_QUANTITY_STALE",
        ),
      );
    }
    targets.push({ level, quantity: entry.quantity });
  });
  if (errors.length > 0) return { inventoryAdjustmentGroup: null, userErrors: errors };

  const now = context.now();
  const events = new CatalogChanges();
  const changes: Change[] = [];
  for (const { level, quantity } of targets) {
    const made = setQuantity(level, name as "available" | "on_hand", quantity, now);
    if (made.length > 0) events.levelChanged(level);
    const linked: QuantityName = name === "available" ? "on_hand" : "available";
    const delta = made[0]?.delta ?? 0;
    changes.push({
      name: name as QuantityName,
      delta,
      quantityAfterChange: level.quantities[name as QuantityName],
      level,
    });
    changes.push({ name: linked, delta, quantityAfterChange: level.quantities[linked], level });
  }
  events.emit(context);
  return {
    inventoryAdjustmentGroup: adjustmentGroup(shop, input.reason, input.referenceDocumentUri, changes, now),
    userErrors: [],
  };
}

interface ActivateArgs {
  inventoryItemId: string;
  locationId: string;
  available?: number | null;
  onHand?: number | null;
  stockAtLegacyLocation?: boolean | null;
}

export function inventoryActivate(args: ActivateArgs, context: ResolverContext) {
  const mismatch = () => ({
    inventoryLevel: null,
    userErrors: [
      userError(null, "The same idempotency key cannot be used with different operation parameters."),
    ],
  });
  return idempotent(context, "inventoryActivate", args, () => activate(args, context), mismatch);
}

function activate(args: ActivateArgs, context: ResolverContext) {
  const { shop } = context;
  const itemId = parseGid(args.inventoryItemId, "InventoryItem");
  const locationId = parseGid(args.locationId, "Location");
  const location = locationId === null ? undefined : shop.locations.get(locationId);
  if (itemId === null || !shop.inventoryItems.has(itemId)) {
    return {
      inventoryLevel: null,
      userErrors: [userError(["inventoryItemId"], "Inventory item does not exist")],
    };
  }
  if (!location)
    return { inventoryLevel: null, userErrors: [userError(["locationId"], "Location does not exist")] };
  if (!location.isActive) {
    return { inventoryLevel: null, userErrors: [userError(["locationId"], "Location is not active")] };
  }
  const existing = shop.inventoryLevel(itemId, location.id);
  if (existing) return { inventoryLevel: inventoryLevelView(shop, existing), userErrors: [] };

  const now = context.now();
  const events = new CatalogChanges();
  const level = stockAt(shop, itemId, location.id, now);
  events.levelConnected(level);
  // available and onHand default to 0; given both, on hand holds the difference as unavailable.
  level.quantities = {
    ...emptyQuantities(),
    available: args.available ?? 0,
    on_hand: args.onHand ?? args.available ?? 0,
  };
  if (level.quantities.available !== 0 || level.quantities.on_hand !== 0) events.levelChanged(level);
  events.emit(context);
  return { inventoryLevel: inventoryLevelView(shop, level), userErrors: [] };
}

/**
 * inventoryDeactivate: "Removes an inventory item's quantities from a location, and turns off
 * inventory at the location" (https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/inventoryDeactivate);
 * the level is gone and inventory_levels/disconnect is sent. The simulator refuses a level
 * holding units committed to orders (InventoryLevel.canDeactivate is false for it), which
 * would leave those orders' units nowhere.
 */
export function inventoryDeactivate(args: { inventoryLevelId: string }, context: ResolverContext) {
  const { shop } = context;
  const id = parseGid(args.inventoryLevelId, "InventoryLevel");
  let level: InventoryLevelRecord | undefined;
  for (const candidate of shop.inventoryLevels.values()) if (candidate.id === id) level = candidate;
  if (!level) return { userErrors: [userError(["inventoryLevelId"], "Inventory level does not exist")] };
  if (level.quantities.committed !== 0) {
    return {
      userErrors: [
        userError(
          ["inventoryLevelId"],
          "The inventory level has units committed to orders and can't be deactivated",
        ),
      ],
    };
  }
  const events = new CatalogChanges();
  shop.inventoryLevels.delete(`${level.inventoryItemId}:${level.locationId}`);
  events.levelDisconnected(level);
  events.emit(context);
  return { userErrors: [] };
}

interface InventoryItemInput {
  sku?: string | null;
  tracked?: boolean | null;
  requiresShipping?: boolean | null;
  cost?: string | number | null;
}

/**
 * inventoryItemUpdate: "Updates an inventory item's properties" — whether Shopify tracks its
 * quantities, its SKU, cost and whether it ships
 * (https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/inventoryItemUpdate). An item
 * that is not tracked keeps its levels; Shopify only stops counting sales against them. The
 * other fields of InventoryItemInput (origin, harmonized codes, measurement) are accepted and
 * not kept.
 */
export function inventoryItemUpdate(
  args: { id: string; input: InventoryItemInput },
  context: ResolverContext,
) {
  const { shop } = context;
  const id = parseGid(args.id, "InventoryItem");
  const item = id === null ? undefined : shop.inventoryItems.get(id);
  if (!item) {
    return {
      inventoryItem: null,
      userErrors: [userError(["id"], "The product couldn't be updated because it does not exist.")],
    };
  }
  const { input } = args;
  if (input.cost != null && !(Number(input.cost) >= 0)) {
    return {
      inventoryItem: null,
      userErrors: [userError(["input", "cost"], "Cost must be a positive number")],
    };
  }
  if (input.sku !== undefined) item.sku = input.sku;
  if (input.tracked != null) item.tracked = input.tracked;
  if (input.requiresShipping != null) item.requiresShipping = input.requiresShipping;
  if (input.cost !== undefined) item.unitCost = input.cost === null ? null : String(input.cost);
  item.updatedAt = context.now();
  const variant = shop.variants.get(item.variantId);
  if (variant && input.sku !== undefined) variant.sku = item.sku;
  return { inventoryItem: inventoryItemView(shop, item), userErrors: [] };
}
