import type { InventoryLevelRecord, QuantityName } from "../state/records.server";
import { userError, type ResolverContext, type UserError } from "./context.server";
import { CatalogChanges } from "./catalog-events.server";
import {
  adjustmentGroup,
  checkReason,
  idempotent,
  levelFor,
  MAX_INPUT_SIZE,
  tooMany,
  type Change,
} from "./catalog-inventory.server";
import { MAX_QUANTITY } from "./catalog-store.server";

/**
 * inventoryAdjustQuantities: deltas instead of absolute values, with the same idempotency,
 * compare-and-swap and validation rules as inventorySetQuantities.
 * https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/inventoryAdjustQuantities
 */

interface AdjustQuantitiesInput {
  name: string;
  reason: string;
  referenceDocumentUri?: string | null;
  changes: {
    inventoryItemId: string;
    locationId: string;
    delta: number;
    changeFromQuantity?: number | null;
  }[];
}

// Quantities an adjustment may name, and whether moving them moves on_hand too (on_hand is
// available + committed + the unavailable states; incoming is not on hand).
const ADJUSTABLE: Partial<Record<QuantityName, QuantityName[]>> = {
  available: ["available", "on_hand"],
  on_hand: ["on_hand", "available"],
  damaged: ["damaged", "on_hand"],
  quality_control: ["quality_control", "on_hand"],
  reserved: ["reserved", "on_hand"],
  safety_stock: ["safety_stock", "on_hand"],
  incoming: ["incoming"],
};

export function inventoryAdjustQuantities(args: { input: AdjustQuantitiesInput }, context: ResolverContext) {
  const { input } = args;
  if (input.changes.length > MAX_INPUT_SIZE) throw tooMany(input.changes.length, ["input", "changes"]);
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
  return idempotent(
    context,
    "inventoryAdjustQuantities",
    args,
    () => adjustQuantities(input, context),
    mismatch,
  );
}

function adjustQuantities(input: AdjustQuantitiesInput, context: ResolverContext) {
  const { shop } = context;
  const errors: UserError[] = [];
  const moved = ADJUSTABLE[input.name as QuantityName];
  if (!moved)
    errors.push(userError(["input", "name"], "The quantity name is invalid.", "INVALID_QUANTITY_NAME"));
  checkReason(input.reason, input.referenceDocumentUri, errors, {
    reason: "INVALID_REASON",
    document: "INVALID_REFERENCE_DOCUMENT",
  });
  const targets: { level: InventoryLevelRecord; delta: number }[] = [];
  input.changes.forEach((entry, index) => {
    const at = ["input", "changes", String(index)];
    const level = levelFor(shop, entry, at, errors, {
      item: "INVALID_INVENTORY_ITEM",
      location: "INVALID_LOCATION",
      stocked: "ITEM_NOT_STOCKED_AT_LOCATION",
    });
    if (!("changeFromQuantity" in entry)) {
      errors.push(
        userError(
          [...at, "changeFromQuantity"],
          "The changeFromQuantity argument must be given for each change (null skips the check).",
        ),
      );
    }
    if (!level || !moved) return;
    const current = level.quantities[moved[0]!];
    if (entry.changeFromQuantity != null && entry.changeFromQuantity !== current) {
      errors.push(
        userError(
          [...at, "changeFromQuantity"],
          "The specified compare quantity does not match the current quantity.",
          "CHANGE_FROM_QUANTITY_STALE",
        ),
      );
    }
    if (Math.abs(current + entry.delta) > MAX_QUANTITY) {
      errors.push(
        userError(
          [...at, "delta"],
          "The quantity is out of range.",
          current + entry.delta > 0 ? "INVALID_QUANTITY_TOO_HIGH" : "INVALID_QUANTITY_TOO_LOW",
        ),
      );
    }
    targets.push({ level, delta: entry.delta });
  });
  if (errors.length > 0 || !moved) return { inventoryAdjustmentGroup: null, userErrors: errors };

  const now = context.now();
  const events = new CatalogChanges();
  const changes: Change[] = [];
  for (const { level, delta } of targets) {
    for (const name of moved) {
      level.quantities[name] += delta;
      changes.push({ name, delta, quantityAfterChange: level.quantities[name], level });
    }
    if (delta !== 0) {
      level.updatedAt = now;
      events.levelChanged(level);
    }
  }
  events.emit(context);
  return {
    inventoryAdjustmentGroup: adjustmentGroup(shop, input.reason, input.referenceDocumentUri, changes, now),
    userErrors: [],
  };
}
