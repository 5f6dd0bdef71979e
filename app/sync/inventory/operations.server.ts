import { operation } from "../../shopify/admin-client.server";
import { bulkQuery } from "../../shopify/bulk.server";

/**
 * The inventory sync's GraphQL operations (Admin API 2026-07), each checked against the schema
 * and priced by test/contract/operations.test.ts.
 * locations: https://shopify.dev/docs/api/admin-graphql/2026-07/queries/locations
 */

/** Locations read at a time (a point or two each: the location and its address). */
export const LOCATIONS_PER_PAGE = 100;

export interface LocationNode {
  id: string;
  name: string;
  isActive: boolean;
  isPrimary: boolean;
  fulfillsOnlineOrders: boolean;
  address: { formatted: string[] };
}

export interface LocationsPage {
  nodes: LocationNode[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** Every location of the shop, the deactivated ones included (a merchant may deactivate one we feed). */
export const LOCATIONS = operation<{ locations: LocationsPage }, { first: number; after: string | null }>(
  "SyncLocations",
  `query SyncLocations($first: Int!, $after: String) {
    locations(first: $first, after: $after, includeInactive: true) {
      nodes { id name isActive isPrimary fulfillsOnlineOrders address { formatted } }
      pageInfo { hasNextPage endCursor }
    }
  }`,
  { largest: { first: LOCATIONS_PER_PAGE } },
);

// inventory levels: https://shopify.dev/docs/api/admin-graphql/2026-07/objects/InventoryLevel
// inventorySetQuantities: https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/inventorySetQuantities
// inventoryActivate: https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/inventoryActivate

/** The quantities read of every level: on hand is what the sync sets; the others are shown. */
export const QUANTITY_NAMES = ["on_hand", "available", "committed"] as const;

export interface LevelNode {
  location: { id: string };
  quantities: { name: string; quantity: number }[];
}

export interface InventoryItemLevels {
  id: string;
  tracked: boolean;
  inventoryLevels: { nodes: LevelNode[]; pageInfo: { hasNextPage: boolean } };
}

/** Inventory items read at a time, and the levels read of each (a shop has a few locations). */
export const ITEMS_PER_READ = 25;
export const LEVELS_PER_ITEM = 10;

/** The levels of these inventory items, with whether Shopify tracks each item's quantities. */
export const INVENTORY_LEVELS_BY_ITEM = operation<
  { nodes: (InventoryItemLevels | null)[] },
  { ids: string[]; levels: number }
>(
  "SyncInventoryLevels",
  `query SyncInventoryLevels($ids: [ID!]!, $levels: Int!) {
    nodes(ids: $ids) {
      ... on InventoryItem {
        id
        tracked
        inventoryLevels(first: $levels) {
          nodes { location { id } quantities(names: ["on_hand", "available", "committed"]) { name quantity } }
          pageInfo { hasNextPage }
        }
      }
    }
  }`,
  { largest: { ids: ITEMS_PER_READ, levels: LEVELS_PER_ITEM } },
);

/**
 * Every inventory item of the shop with its levels, for a full reconcile (a bulk query: its
 * levels come as lines of their own, each with its item's id as `__parentId`).
 */
export const INVENTORY_LEVELS_BULK = bulkQuery(
  "SyncInventoryLevelsBulk",
  `query SyncInventoryLevelsBulk {
    inventoryItems {
      edges {
        node {
          id
          tracked
          inventoryLevels {
            edges {
              node {
                id
                location { id }
                quantities(names: ["on_hand", "available", "committed"]) { name quantity }
              }
            }
          }
        }
      }
    }
  }`,
);

/** Quantities set in one call: Shopify's cap on the input list. */
export const QUANTITIES_PER_SET = 250;

export interface InventoryUserError {
  field: string[] | null;
  message: string;
  code: string | null;
}

/**
 * Sets on hand at levels, each compared with the quantity last seen (changeFromQuantity: Shopify
 * refuses the call with CHANGE_FROM_QUANTITY_STALE when a level moved since); the idempotency key
 * makes a call repeated after a lost answer a no-op.
 */
export const INVENTORY_SET_ON_HAND = operation<
  {
    inventorySetQuantities: {
      inventoryAdjustmentGroup: { id: string } | null;
      userErrors: InventoryUserError[];
    };
  },
  {
    key: string;
    input: {
      name: "on_hand";
      reason: string;
      referenceDocumentUri: string;
      quantities: {
        inventoryItemId: string;
        locationId: string;
        quantity: number;
        changeFromQuantity: number | null;
      }[];
    };
  }
>(
  "SyncInventorySetOnHand",
  `mutation SyncInventorySetOnHand($input: InventorySetQuantitiesInput!, $key: String!) {
    inventorySetQuantities(input: $input) @idempotent(key: $key) {
      inventoryAdjustmentGroup { id }
      userErrors { field message code }
    }
  }`,
);

/** Stocks an inventory item at a location where it has no level yet, with its on hand. */
export const INVENTORY_ACTIVATE = operation<
  {
    inventoryActivate: {
      inventoryLevel: { id: string; quantities: { name: string; quantity: number }[] } | null;
      userErrors: { field: string[] | null; message: string }[];
    };
  },
  { key: string; inventoryItemId: string; locationId: string; onHand: number }
>(
  "SyncInventoryActivate",
  // A new level has nothing committed: all its on hand is available (given alone, on hand would
  // leave available at 0, the rest unavailable).
  `mutation SyncInventoryActivate($inventoryItemId: ID!, $locationId: ID!, $onHand: Int!, $key: String!) {
    inventoryActivate(inventoryItemId: $inventoryItemId, locationId: $locationId, onHand: $onHand, available: $onHand)
      @idempotent(key: $key) {
      inventoryLevel { id quantities(names: ["on_hand", "available", "committed"]) { name quantity } }
      userErrors { field message }
    }
  }`,
  // Not a page size: Shopify's largest quantity (the cost does not depend on it).
  { largest: { onHand: 1_000_000_000 } },
);
