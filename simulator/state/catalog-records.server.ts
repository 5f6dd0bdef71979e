/**
 * The records of catalogs' markets and publications (catalogs and price lists themselves are in
 * records.server.ts). Plain data, as every record: the demo saves them with `v8.serialize`.
 */

/** A market (https://shopify.dev/docs/api/admin-graphql/2026-07/objects/Market), as far as catalogs need one. */
export interface MarketRecord {
  id: number;
  name: string;
  handle: string;
  status: "ACTIVE" | "DRAFT";
  type: "REGION" | "COMPANY_LOCATION" | "LOCATION" | "CHANNEL" | "NONE";
  /** The market's base currency (MarketCurrencySettings.baseCurrency). */
  currency: string;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * A publication (https://shopify.dev/docs/api/admin-graphql/2026-07/objects/Publication): the
 * products a catalog makes available. The simulator models catalogs' publications only, not the
 * sales channels' (Online Store, Point of Sale).
 */
export interface PublicationRecord {
  id: number;
  /** The catalog it belongs to, or null for one made without a catalog (or whose catalog let it go). */
  catalogId: number | null;
  /** Whether products created later are added to it (PublicationCreateInput.autoPublish). */
  autoPublish: boolean;
  /** The products published to it, with when each was published. */
  products: Map<number, Date>;
  createdAt: Date;
  updatedAt: Date;
}
