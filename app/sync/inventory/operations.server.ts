import { operation } from "../../shopify/admin-client.server";

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
