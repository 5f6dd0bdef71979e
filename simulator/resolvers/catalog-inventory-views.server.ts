import { GraphQLError } from "graphql";
import type { InventoryItemRecord, InventoryLevelRecord, LocationRecord } from "../state/records.server";
import { gid, parseGid, type ShopState } from "../state/shop-state.server";
import { connection, countOf as count, type ConnectionArgs } from "./connection.server";
import { iso, money } from "./context.server";
import { decimal } from "./money.server";
import { isQuantityName, levelsAtLocation, levelsOfItem, primaryLocation } from "./catalog-store.server";
import { variantView } from "./catalog-views.server";
import { search, type SearchFields } from "./search.server";

/**
 * Locations, inventory items and inventory levels as the Admin API's objects. Relations and
 * connections are functions so they are only built when a query selects them.
 */

type Args = ConnectionArgs & { query?: string | null; sortKey?: string | null };

export function inventoryLevelGid(level: InventoryLevelRecord): string {
  return `${gid("InventoryLevel", level.id)}?inventory_item_id=${level.inventoryItemId}`;
}

function formattedAddress(location: LocationRecord): string[] {
  const a = location.address;
  const cityLine = [a.city, [a.provinceCode ?? a.province, a.zip].filter(Boolean).join(" ")]
    .filter(Boolean)
    .join(" ");
  return [a.address1, a.address2, cityLine, a.country].filter((line): line is string => Boolean(line));
}

const LEVEL_SEARCH: SearchFields<InventoryLevelRecord> = {
  fields: {
    inventory_item_id: (level) => level.inventoryItemId,
    location_id: (level) => level.locationId,
    updated_at: (level) => level.updatedAt,
    created_at: (level) => level.createdAt ?? level.updatedAt,
  },
  defaultFields: [],
};

function levelConnection(shop: ShopState, levels: InventoryLevelRecord[], args: Args) {
  const active = levels.filter((level) => shop.locations.get(level.locationId)?.isActive !== false);
  return connection(
    search(active, args.query, LEVEL_SEARCH),
    args,
    (level) => level.id,
    (level) => inventoryLevelView(shop, level),
  );
}

/** Whether fulfillment orders still to be fulfilled are assigned to the location. */
export function hasOpenFulfillmentOrders(shop: ShopState, locationId: number): boolean {
  for (const fo of shop.fulfillmentOrders.values()) {
    if (fo.assignedLocationId !== locationId || fo.status === "CLOSED" || fo.status === "CANCELLED") continue;
    if (fo.lineItems.some((line) => line.remainingQuantity > 0)) return true;
  }
  return false;
}

export function locationView(shop: ShopState, location: LocationRecord) {
  const a = location.address;
  const hasInventory = () => levelsAtLocation(shop, location.id).length > 0;
  return {
    __typename: "Location",
    id: gid("Location", location.id),
    legacyResourceId: String(location.id),
    name: location.name,
    isActive: location.isActive,
    isPrimary: primaryLocation(shop)?.id === location.id,
    fulfillsOnlineOrders: location.fulfillsOnlineOrders,
    shipsInventory: location.fulfillsOnlineOrders,
    isFulfillmentService: false,
    fulfillmentService: null,
    activatable: !location.isActive,
    deactivatable: location.isActive && primaryLocation(shop)?.id !== location.id,
    deletable: !location.isActive && !hasInventory() && !hasOpenFulfillmentOrders(shop, location.id),
    deactivatedAt: location.isActive ? null : iso(location.updatedAt),
    hasActiveInventory: hasInventory,
    hasUnfulfilledOrders: () => hasOpenFulfillmentOrders(shop, location.id),
    addressVerified: true,
    address: {
      address1: a.address1 ?? null,
      address2: a.address2 ?? null,
      city: a.city ?? null,
      province: a.province ?? null,
      provinceCode: a.provinceCode ?? null,
      zip: a.zip ?? null,
      country: a.country ?? null,
      countryCode: a.countryCode ?? null,
      phone: a.phone ?? null,
      latitude: null,
      longitude: null,
      formatted: formattedAddress(location),
    },
    createdAt: iso(location.createdAt),
    updatedAt: iso(location.updatedAt),
    inventoryLevels: (args: Args) => levelConnection(shop, levelsAtLocation(shop, location.id), args),
    inventoryLevel: (args: { inventoryItemId: string }) => {
      const itemId = parseGid(args.inventoryItemId, "InventoryItem");
      const level = itemId === null ? undefined : shop.inventoryLevel(itemId, location.id);
      return level ? inventoryLevelView(shop, level) : null;
    },
  };
}

export function inventoryLevelView(shop: ShopState, level: InventoryLevelRecord) {
  return {
    __typename: "InventoryLevel",
    id: inventoryLevelGid(level),
    isActive: true,
    // inventoryDeactivate refuses a level holding committed units (catalog-inventory.server.ts).
    canDeactivate: level.quantities.committed === 0,
    deactivationAlert: null,
    createdAt: iso(level.createdAt ?? level.updatedAt),
    updatedAt: iso(level.updatedAt),
    item: () => {
      const item = shop.inventoryItems.get(level.inventoryItemId);
      return item ? inventoryItemView(shop, item) : null;
    },
    location: () => {
      const location = shop.locations.get(level.locationId);
      return location ? locationView(shop, location) : null;
    },
    quantities: (args: { names: string[] }) => {
      const unknown = args.names.filter((name) => !isQuantityName(name));
      if (unknown.length > 0) {
        throw new GraphQLError(`Invalid quantity names: ${unknown.join(", ")}`, {
          extensions: { code: "BAD_REQUEST" },
        });
      }
      return args.names.filter(isQuantityName).map((name) => ({
        id: `${gid("InventoryQuantity", level.id)}?inventory_item_id=${level.inventoryItemId}&name=${name}`,
        name,
        quantity: level.quantities[name],
        updatedAt: iso(level.updatedAt),
      }));
    },
  };
}

export function inventoryItemView(shop: ShopState, item: InventoryItemRecord) {
  const variant = () => {
    const record = shop.variants.get(item.variantId);
    return record ? variantView(shop, record) : null;
  };
  return {
    __typename: "InventoryItem",
    id: gid("InventoryItem", item.id),
    legacyResourceId: String(item.id),
    sku: item.sku,
    tracked: item.tracked,
    trackedEditable: { locked: false, reason: null },
    requiresShipping: item.requiresShipping,
    // MoneyV2.amount is a Decimal: "12.5", not "12.50" (as order amounts, money.server.ts).
    unitCost: item.unitCost === null ? null : money(decimal(item.unitCost), shop.currencyCode),
    countryCodeOfOrigin: null,
    provinceCodeOfOrigin: null,
    harmonizedSystemCode: null,
    measurement: { id: gid("InventoryItemMeasurement", item.id), weight: { unit: "KILOGRAMS", value: 0 } },
    duplicateSkuCount: () =>
      item.sku
        ? [...shop.inventoryItems.values()].filter((other) => other.id !== item.id && other.sku === item.sku)
            .length
        : 0,
    inventoryHistoryUrl: `https://admin.shopify.com/store/${shop.name}/products/inventory/${item.id}/inventory_history`,
    locationsCount: () => count(levelsOfItem(shop, item.id).length),
    createdAt: iso(item.createdAt),
    updatedAt: iso(item.updatedAt),
    variant,
    variants: (args: Args) => {
      const record = shop.variants.get(item.variantId);
      return connection(
        record ? [record] : [],
        args,
        (v) => v.id,
        (v) => variantView(shop, v),
      );
    },
    inventoryLevels: (args: Args) => levelConnection(shop, levelsOfItem(shop, item.id), args),
    inventoryLevel: (args: { locationId: string }) => {
      const locationId = parseGid(args.locationId, "Location");
      const level = locationId === null ? undefined : shop.inventoryLevel(item.id, locationId);
      return level ? inventoryLevelView(shop, level) : null;
    },
  };
}
