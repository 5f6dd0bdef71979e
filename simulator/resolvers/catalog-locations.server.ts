import type { Address, LocationRecord } from "../state/records.server";
import { gid, numericId, type ShopState } from "../state/shop-state.server";
import { emitWebhook } from "../webhooks/emit.server";
import { addressFromInput } from "./addresses.server";
import { CatalogChanges } from "./catalog-events.server";
import { refuseUnsupported } from "./catalog-input.server";
import { hasOpenFulfillmentOrders, locationView } from "./catalog-inventory-views.server";
import { idempotent } from "./catalog-inventory.server";
import { levelsAtLocation, primaryLocation, QUANTITY_NAMES, stockAt } from "./catalog-store.server";
import { userError, type MutationEnv, type ResolverContext, type UserError } from "./context.server";

/**
 * Locations as a merchant manages them, 2026-07 (mutation references on shopify.dev:
 * locationAdd, locationEdit, locationDeactivate, locationActivate, locationDelete; their user
 * error codes are the schema's Location*UserErrorCode enums):
 * - locationAdd: a name and an address with at least a country code; fulfillsOnlineOrders
 *   defaults to true (LocationAddInput). Sends locations/create.
 * - locationEdit: name, address, fulfillsOnlineOrders; "At least one location must fulfill
 *   online orders" (CANNOT_DISABLE_ONLINE_ORDER_FULFILLMENT). Sends locations/update.
 * - locationDeactivate: "Deactivates a location and moves inventory, pending orders, and moving
 *   transfers to a destination location"; without a destination it is refused while the location
 *   stocks items (HAS_ACTIVE_INVENTORY_ERROR) or has pending orders (HAS_FULFILLMENT_ORDERS_ERROR).
 *   Each level moves to the destination (quantities added, inventory_levels/connect where the
 *   item was not stocked there) and is removed from the location (inventory_levels/disconnect).
 *   Sends locations/deactivate and locations/update: "Webhooks on the locations/update topic
 *   will also continue to be sent out for location activation/deactivation"
 *   (https://changelog.shopify.com/posts/webhook-topics-specifically-for-activating-and-deactivating-locations).
 * - locationActivate: refused when an active location has the same name (HAS_NON_UNIQUE_NAME).
 *   Sends locations/activate and locations/update.
 * - locationDelete: only an inactive location without inventory or pending orders
 *   (LOCATION_IS_ACTIVE, LOCATION_HAS_INVENTORY, LOCATION_HAS_PENDING_ORDERS). Sends
 *   locations/delete (`{"id": …}`).
 * locationActivate and locationDeactivate need `@idempotent(key:)` as of 2026-04 (their
 * descriptions). The simulator's primary location (the oldest active one) cannot be deactivated,
 * as Location.deactivatable says. Location metafields are not modelled (refused).
 */

interface LocationAddressInput {
  address1?: string | null;
  address2?: string | null;
  city?: string | null;
  countryCode?: string | null;
  phone?: string | null;
  provinceCode?: string | null;
  zip?: string | null;
}

export interface LocationInput {
  name?: string | null;
  address?: LocationAddressInput | null;
  fulfillsOnlineOrders?: boolean | null;
  metafields?: unknown[] | null;
}

type Outcome = { errors: UserError[]; location?: LocationRecord };

function nameTaken(shop: ShopState, name: string, exceptId: number | null): boolean {
  const wanted = name.trim().toLowerCase();
  for (const location of shop.locations.values())
    if (location.isActive && location.id !== exceptId && location.name.trim().toLowerCase() === wanted)
      return true;
  return false;
}

function checkName(shop: ShopState, name: string | null | undefined, exceptId: number | null): UserError[] {
  if (name === undefined) return [];
  if (name === null || name.trim() === "")
    return [userError(["input", "name"], "Name can't be blank", "BLANK")];
  if (nameTaken(shop, name, exceptId))
    return [userError(["input", "name"], "Name has already been taken", "TAKEN")];
  return [];
}

/** The address record from the input over what the location had (country and province names filled). */
function addressOf(input: LocationAddressInput, base: Address = {}): Address {
  const given = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
  const merged: Address = { ...base, ...given };
  // Names follow the codes: a new code drops the old name so it is filled afresh.
  if (input.countryCode !== undefined) merged.country = null;
  if (input.provinceCode !== undefined || input.countryCode !== undefined) merged.province = null;
  return addressFromInput(merged);
}

function stamp(location: LocationRecord, now: Date): void {
  location.updatedAt = new Date(Math.max(now.getTime(), location.updatedAt.getTime() + 1));
}

function findLocation(shop: ShopState, id: unknown): LocationRecord | undefined {
  const numeric = numericId(id, "Location");
  return numeric === null ? undefined : shop.locations.get(numeric);
}

export function addLocation(shop: ShopState, input: LocationInput, env: MutationEnv): Outcome {
  refuseUnsupported(input, ["metafields"], "input");
  const errors = checkName(shop, input.name ?? null, null);
  if (!input.address?.countryCode)
    errors.push(userError(["input", "address", "countryCode"], "Country code can't be blank", "BLANK"));
  if (errors.length > 0) return { errors };
  const now = env.now();
  const location: LocationRecord = {
    id: shop.newId(),
    name: input.name!.trim(),
    address: addressOf(input.address!),
    isActive: true,
    fulfillsOnlineOrders: input.fulfillsOnlineOrders ?? true,
    createdAt: now,
    updatedAt: now,
  };
  shop.locations.set(location.id, location);
  emitWebhook(env, "locations/create", location);
  return { errors: [], location };
}

/** Whether another active location fulfils online orders. */
function othersFulfilOnline(shop: ShopState, location: LocationRecord): boolean {
  for (const other of shop.locations.values())
    if (other.id !== location.id && other.isActive && other.fulfillsOnlineOrders) return true;
  return false;
}

export function editLocation(shop: ShopState, id: unknown, input: LocationInput, env: MutationEnv): Outcome {
  refuseUnsupported(input, ["metafields"], "input");
  const location = findLocation(shop, id);
  if (!location) return { errors: [userError(["id"], "Location not found.", "NOT_FOUND")] };
  const errors = checkName(shop, input.name, location.id);
  if (input.fulfillsOnlineOrders === false && location.isActive && !othersFulfilOnline(shop, location))
    errors.push(
      userError(
        ["input", "fulfillsOnlineOrders"],
        "At least one location must fulfill online orders.",
        "CANNOT_DISABLE_ONLINE_ORDER_FULFILLMENT",
      ),
    );
  if (errors.length > 0) return { errors };
  if (input.name != null) location.name = input.name.trim();
  if (input.address) location.address = addressOf(input.address, location.address);
  if (input.fulfillsOnlineOrders != null) location.fulfillsOnlineOrders = input.fulfillsOnlineOrders;
  stamp(location, env.now());
  emitWebhook(env, "locations/update", location);
  return { errors: [], location };
}

/** Moves the location's levels and pending fulfillment orders to `destination`. */
function relocate(
  shop: ShopState,
  location: LocationRecord,
  destination: LocationRecord,
  now: Date,
  changes: CatalogChanges,
): void {
  for (const level of levelsAtLocation(shop, location.id)) {
    const existed = shop.inventoryLevel(level.inventoryItemId, destination.id) !== undefined;
    const target = stockAt(shop, level.inventoryItemId, destination.id, now);
    if (!existed) changes.levelConnected(target);
    let moved = false;
    for (const name of QUANTITY_NAMES) {
      if (level.quantities[name] === 0) continue;
      target.quantities[name] += level.quantities[name];
      moved = true;
    }
    if (moved) {
      target.updatedAt = now;
      changes.levelChanged(target);
    }
    shop.inventoryLevels.delete(`${level.inventoryItemId}:${location.id}`);
    changes.levelDisconnected(level);
  }
  for (const fo of shop.fulfillmentOrders.values()) {
    if (fo.assignedLocationId !== location.id || fo.status === "CLOSED" || fo.status === "CANCELLED")
      continue;
    fo.assignedLocationId = destination.id;
    fo.updatedAt = now;
  }
}

export function deactivateLocation(
  shop: ShopState,
  id: unknown,
  destinationId: unknown,
  env: MutationEnv,
): Outcome {
  const location = findLocation(shop, id);
  if (!location) return { errors: [userError(["locationId"], "Location not found.", "LOCATION_NOT_FOUND")] };
  if (!location.isActive) return { errors: [], location };
  const fail = (field: string, message: string, code: string): Outcome => ({
    errors: [userError([field], message, code)],
  });
  if (primaryLocation(shop)?.id === location.id)
    return fail(
      "locationId",
      "The primary location can't be deactivated.",
      "PERMANENTLY_BLOCKED_FROM_DEACTIVATION_ERROR",
    );
  if (location.fulfillsOnlineOrders && !othersFulfilOnline(shop, location))
    return fail(
      "locationId",
      "At least one location must fulfill online orders.",
      "CANNOT_DISABLE_ONLINE_ORDER_FULFILLMENT",
    );
  let destination: LocationRecord | undefined;
  if (destinationId != null) {
    destination = findLocation(shop, destinationId);
    if (destination?.id === location.id)
      return fail(
        "destinationLocationId",
        "Destination location is the same as the location to be deactivated.",
        "DESTINATION_LOCATION_IS_THE_SAME_LOCATION",
      );
    if (!destination?.isActive)
      return fail(
        "destinationLocationId",
        "Destination location is not found or inactive.",
        "DESTINATION_LOCATION_NOT_FOUND_OR_INACTIVE",
      );
  } else if (levelsAtLocation(shop, location.id).length > 0) {
    return fail(
      "locationId",
      "Location could not be deactivated without specifying where to relocate inventory at the location.",
      "HAS_ACTIVE_INVENTORY_ERROR",
    );
  } else if (hasOpenFulfillmentOrders(shop, location.id)) {
    return fail(
      "locationId",
      "Location could not be deactivated because it has pending orders.",
      "HAS_FULFILLMENT_ORDERS_ERROR",
    );
  }
  const now = env.now();
  const changes = new CatalogChanges();
  if (destination) relocate(shop, location, destination, now, changes);
  location.isActive = false;
  stamp(location, now);
  emitWebhook(env, ["locations/deactivate", "locations/update"], location);
  changes.emit(env);
  return { errors: [], location };
}

export function activateLocation(shop: ShopState, id: unknown, env: MutationEnv): Outcome {
  const location = findLocation(shop, id);
  if (!location) return { errors: [userError(["locationId"], "Location not found.", "LOCATION_NOT_FOUND")] };
  if (location.isActive) return { errors: [], location };
  if (nameTaken(shop, location.name, location.id))
    return {
      errors: [
        userError(
          ["locationId"],
          "There is already an active location with this name.",
          "HAS_NON_UNIQUE_NAME",
        ),
      ],
    };
  location.isActive = true;
  stamp(location, env.now());
  emitWebhook(env, ["locations/activate", "locations/update"], location);
  return { errors: [], location };
}

export function deleteLocation(shop: ShopState, id: unknown, env: MutationEnv): { errors: UserError[] } {
  const location = findLocation(shop, id);
  const fail = (message: string, code: string) => ({ errors: [userError(["locationId"], message, code)] });
  if (!location) return fail("Location not found.", "LOCATION_NOT_FOUND");
  if (location.isActive)
    return fail("The location cannot be deleted while it is active.", "LOCATION_IS_ACTIVE");
  if (levelsAtLocation(shop, location.id).length > 0)
    return fail("The location cannot be deleted while it has inventory.", "LOCATION_HAS_INVENTORY");
  if (hasOpenFulfillmentOrders(shop, location.id))
    return fail("The location cannot be deleted while it has pending orders.", "LOCATION_HAS_PENDING_ORDERS");
  shop.locations.delete(location.id);
  emitWebhook(env, "locations/delete", { id: location.id });
  return { errors: [] };
}

const view = (context: ResolverContext, location: LocationRecord | undefined) =>
  location ? locationView(context.shop, location) : null;

function idempotencyMismatch<K extends string>(errorsField: K) {
  return () =>
    ({
      location: null,
      [errorsField]: [
        userError(
          null,
          "The same idempotency key cannot be used with different operation parameters.",
          "IDEMPOTENCY_KEY_PARAMETER_MISMATCH",
        ),
      ],
    }) as { location: null } & Record<K, UserError[]>;
}

export const locationMutations = {
  locationAdd: (args: { input: LocationInput }, context: ResolverContext) => {
    const { errors, location } = addLocation(context.shop, args.input, context);
    return { location: view(context, location), userErrors: errors };
  },
  locationEdit: (args: { id: string; input: LocationInput }, context: ResolverContext) => {
    const { errors, location } = editLocation(context.shop, args.id, args.input, context);
    return { location: errors.length > 0 ? null : view(context, location), userErrors: errors };
  },
  locationDeactivate: (
    args: { locationId: string; destinationLocationId?: string | null },
    context: ResolverContext,
  ) =>
    idempotent(
      context,
      "locationDeactivate",
      args,
      () => {
        const { errors, location } = deactivateLocation(
          context.shop,
          args.locationId,
          args.destinationLocationId,
          context,
        );
        return {
          location: errors.length > 0 ? null : view(context, location),
          locationDeactivateUserErrors: errors,
        };
      },
      idempotencyMismatch("locationDeactivateUserErrors"),
    ),
  locationActivate: (args: { locationId: string }, context: ResolverContext) =>
    idempotent(
      context,
      "locationActivate",
      args,
      () => {
        const { errors, location } = activateLocation(context.shop, args.locationId, context);
        return {
          location: errors.length > 0 ? null : view(context, location),
          locationActivateUserErrors: errors,
        };
      },
      idempotencyMismatch("locationActivateUserErrors"),
    ),
  locationDelete: (args: { locationId: string }, context: ResolverContext) => {
    const { errors } = deleteLocation(context.shop, args.locationId, context);
    return {
      deletedLocationId: errors.length > 0 ? null : gid("Location", numericId(args.locationId, "Location")!),
      locationDeleteUserErrors: errors,
    };
  },
};
