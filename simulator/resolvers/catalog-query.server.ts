import type {
  InventoryItemRecord,
  LocationRecord,
  ProductRecord,
  VariantRecord,
} from "../state/records.server";
import { parseGid, type ShopState } from "../state/shop-state.server";
import { connection, countOf as count, type ConnectionArgs, type SortValue } from "./connection.server";
import type { FieldMap, ResolverContext } from "./context.server";
import {
  availableTotal,
  levelsOfItem,
  productByHandle,
  primaryLocation,
  variantsOf,
} from "./catalog-store.server";
import { inventoryItemView, inventoryLevelView, locationView } from "./catalog-inventory-views.server";
import { productView, variantSortKey, variantView } from "./catalog-views.server";
import { search, type SearchFields } from "./search.server";

/**
 * The catalog's root query fields. Search fields follow each query's documented `query`
 * filters (https://shopify.dev/docs/api/admin-graphql/2026-07/queries/products and siblings).
 */

type ListArgs = ConnectionArgs & { query?: string | null; sortKey?: string | null };

/**
 * Shopify accepts comma-separated alternatives for some fields (`status:active,draft`); the
 * shared search parser takes one value per term, so those become an OR group first.
 */
function expandLists(query: string | null | undefined, fields: string[]): string | null | undefined {
  if (!query) return query;
  const pattern = new RegExp(`(^|[\\s(])(-?)(${fields.join("|")}):([^\\s()"']+,[^\\s()"']+)`, "gi");
  return query.replace(pattern, (_all, lead: string, negation: string, field: string, values: string) => {
    const group = values
      .split(",")
      .filter(Boolean)
      .map((value) => `${field}:${value}`)
      .join(" OR ");
    return `${lead}${negation ? "NOT " : ""}(${group})`;
  });
}

function skus(shop: ShopState, product: ProductRecord): (string | null)[] {
  return variantsOf(shop, product).map((v) => v.sku);
}

function productSearch(shop: ShopState): SearchFields<ProductRecord> {
  return {
    fields: {
      id: (p) => p.id,
      title: (p) => p.title,
      handle: (p) => p.handle,
      vendor: (p) => p.vendor,
      product_type: (p) => p.productType,
      status: (p) => p.status.toLowerCase(),
      tag: (p) => p.tags,
      tag_not: (p) => p.tags,
      sku: (p) => skus(shop, p),
      barcode: (p) => variantsOf(shop, p).map((v) => v.barcode),
      created_at: (p) => p.createdAt,
      updated_at: (p) => p.updatedAt,
      published_at: (p) => p.publishedAt ?? null,
      inventory_total: (p) =>
        variantsOf(shop, p).reduce((sum, v) => sum + availableTotal(shop, v.inventoryItemId), 0),
      product_id: (p) => p.id,
      gift_card: () => false,
    },
    defaultFields: ["title", "vendor", "product_type", "tag", "sku", "barcode", "handle"],
  };
}

function productQuery(query: string | null | undefined): string | null | undefined {
  // `tag_not:x` is documented as "products without tag x".
  const negated = query?.replace(/(^|[\s(])tag_not:/gi, "$1-tag:");
  return expandLists(negated, ["status", "product_type", "vendor", "id"]);
}

const PRODUCT_SORT: Record<string, (shop: ShopState) => (product: ProductRecord) => SortValue> = {
  ID: () => (p) => p.id,
  TITLE: () => (p) => p.title,
  VENDOR: () => (p) => p.vendor,
  PRODUCT_TYPE: () => (p) => p.productType,
  CREATED_AT: () => (p) => p.createdAt.getTime(),
  UPDATED_AT: () => (p) => p.updatedAt.getTime(),
  PUBLISHED_AT: () => (p) => p.publishedAt?.getTime() ?? 0,
  INVENTORY_TOTAL: (shop) => (p) =>
    variantsOf(shop, p).reduce((sum, v) => sum + availableTotal(shop, v.inventoryItemId), 0),
};

export function findProducts(shop: ShopState, query: string | null | undefined): ProductRecord[] {
  return search(shop.products.values(), productQuery(query), productSearch(shop));
}

function variantSearch(shop: ShopState): SearchFields<VariantRecord> {
  const product = (v: VariantRecord) => shop.products.get(v.productId);
  return {
    fields: {
      id: (v) => v.id,
      sku: (v) => v.sku,
      barcode: (v) => v.barcode,
      title: (v) => v.title,
      product_id: (v) => v.productId,
      product_status: (v) => product(v)?.status.toLowerCase(),
      product_type: (v) => product(v)?.productType,
      vendor: (v) => product(v)?.vendor,
      tag: (v) => product(v)?.tags,
      inventory_quantity: (v) => availableTotal(shop, v.inventoryItemId),
      location_id: (v) => levelsOfItem(shop, v.inventoryItemId).map((level) => String(level.locationId)),
      created_at: (v) => v.createdAt,
      updated_at: (v) => v.updatedAt,
    },
    defaultFields: ["title", "sku", "barcode"],
  };
}

export function findVariants(shop: ShopState, query: string | null | undefined): VariantRecord[] {
  const sorted = [...shop.variants.values()].sort((a, b) => a.id - b.id);
  return search(sorted, expandLists(query, ["product_id", "product_status", "id"]), variantSearch(shop));
}

const INVENTORY_ITEM_SEARCH: SearchFields<InventoryItemRecord> = {
  fields: {
    id: (item) => item.id,
    sku: (item) => item.sku,
    created_at: (item) => item.createdAt,
    updated_at: (item) => item.updatedAt,
  },
  defaultFields: ["sku"],
};

const LOCATION_SEARCH: SearchFields<LocationRecord> = {
  fields: {
    id: (l) => l.id,
    location_id: (l) => l.id,
    name: (l) => l.name,
    active: (l) => l.isActive,
    address1: (l) => l.address.address1,
    address2: (l) => l.address.address2,
    city: (l) => l.address.city,
    province: (l) => l.address.province,
    zip: (l) => l.address.zip,
    country: (l) => l.address.countryCode ?? l.address.country,
    created_at: (l) => l.createdAt,
    updated_at: (l) => l.updatedAt,
  },
  defaultFields: ["name", "address1", "city"],
};

function findLocations(shop: ShopState, args: { query?: string | null; includeInactive?: boolean | null }) {
  const all = [...shop.locations.values()].filter((l) => args.includeInactive === true || l.isActive);
  return search(all, args.query, LOCATION_SEARCH);
}

function productFromIdentifier(shop: ShopState, identifier: { id?: string | null; handle?: string | null }) {
  if (identifier.id) {
    const id = parseGid(identifier.id, "Product");
    const product = id === null ? undefined : shop.products.get(id);
    return product ? productView(shop, product) : null;
  }
  if (identifier.handle) {
    const product = productByHandle(shop, identifier.handle);
    return product ? productView(shop, product) : null;
  }
  return null;
}

function byGid<R>(map: Map<number, R>, id: unknown, type: string): R | undefined {
  const numeric = parseGid(id, type);
  return numeric === null ? undefined : map.get(numeric);
}

export const catalogQuery: FieldMap = {
  locations: (args: ListArgs & { includeInactive?: boolean | null }, { shop }: ResolverContext) => {
    return connection(
      findLocations(shop, args),
      args,
      { key: args.sortKey === "NAME" ? (l) => l.name : (l) => l.id, id: (l) => l.id },
      (l) => locationView(shop, l),
    );
  },
  location: (args: { id?: string | null }, { shop }: ResolverContext) => {
    // Without an id, Shopify returns the shop's primary location.
    const location = args.id ? byGid(shop.locations, args.id, "Location") : primaryLocation(shop);
    return location ? locationView(shop, location) : null;
  },
  locationByIdentifier: (args: { identifier: { id?: string | null } }, { shop }: ResolverContext) => {
    const location = byGid(shop.locations, args.identifier.id, "Location");
    return location ? locationView(shop, location) : null;
  },
  locationsCount: (args: { query?: string | null; limit?: number | null }, { shop }: ResolverContext) =>
    count(findLocations(shop, { query: args.query }).length, args.limit),
  products: (args: ListArgs, { shop }: ResolverContext) => {
    const key = (PRODUCT_SORT[args.sortKey ?? "ID"] ?? PRODUCT_SORT.ID!)(shop);
    return connection(findProducts(shop, args.query), args, { key, id: (p) => p.id }, (p) =>
      productView(shop, p),
    );
  },
  productsCount: (args: { query?: string | null; limit?: number | null }, { shop }: ResolverContext) =>
    count(findProducts(shop, args.query).length, args.limit === undefined ? 10_000 : args.limit),
  product: (args: { id: string }, { shop }: ResolverContext) => {
    const product = byGid(shop.products, args.id, "Product");
    return product ? productView(shop, product) : null;
  },
  productByIdentifier: (
    args: { identifier: { id?: string | null; handle?: string | null } },
    { shop }: ResolverContext,
  ) => productFromIdentifier(shop, args.identifier),
  productByHandle: (args: { handle: string }, { shop }: ResolverContext) =>
    productFromIdentifier(shop, { handle: args.handle }),
  productVariants: (args: ListArgs, { shop }: ResolverContext) => {
    return connection(
      findVariants(shop, args.query),
      args,
      { key: variantSortKey(args.sortKey ?? "ID"), id: (v) => v.id },
      (v) => variantView(shop, v),
    );
  },
  productVariantsCount: (args: { query?: string | null; limit?: number | null }, { shop }: ResolverContext) =>
    count(findVariants(shop, args.query).length, args.limit === undefined ? 10_000 : args.limit),
  productVariant: (args: { id: string }, { shop }: ResolverContext) => {
    const variant = byGid(shop.variants, args.id, "ProductVariant");
    return variant ? variantView(shop, variant) : null;
  },
  productVariantByIdentifier: (args: { identifier: { id?: string | null } }, { shop }: ResolverContext) => {
    const variant = byGid(shop.variants, args.identifier.id, "ProductVariant");
    return variant ? variantView(shop, variant) : null;
  },
  inventoryItem: (args: { id: string }, { shop }: ResolverContext) => {
    const item = byGid(shop.inventoryItems, args.id, "InventoryItem");
    return item ? inventoryItemView(shop, item) : null;
  },
  inventoryItems: (args: ListArgs, { shop }: ResolverContext) => {
    const found = search(
      shop.inventoryItems.values(),
      expandLists(args.query, ["id"]),
      INVENTORY_ITEM_SEARCH,
    );
    return connection(
      found,
      args,
      (i) => i.id,
      (i) => inventoryItemView(shop, i),
    );
  },
  inventoryLevel: (args: { id: string }, { shop }: ResolverContext) => {
    const id = parseGid(args.id, "InventoryLevel");
    if (id === null) return null;
    for (const level of shop.inventoryLevels.values()) {
      if (level.id === id) return inventoryLevelView(shop, level);
    }
    return null;
  },
};
