import type { MarketRecord, PublicationRecord } from "../state/catalog-records.server";
import type { CatalogRecord, PriceListRecord, VariantRecord } from "../state/records.server";
import { gid, type ShopState } from "../state/shop-state.server";
import { locationConnection } from "./b2b-company-views.server";
import { countOf } from "./connection.server";
import { findProducts } from "./catalog-query.server";
import { productView, variantView } from "./catalog-views.server";
import { connection, type ConnectionArgs } from "./connection.server";
import { money } from "./context.server";
import { decimal, fromCents, toCents } from "./money.server";
import { search, type SearchFields } from "./search.server";

/**
 * Catalogs, their price lists, publications and markets as the Admin API's objects
 * (https://shopify.dev/docs/api/admin-graphql/2026-07/interfaces/Catalog, .../objects/
 * CompanyLocationCatalog, MarketCatalog, PriceList, PriceListPrice, Publication, Market).
 *
 * A price list prices every variant: its fixed price where one is set (origin FIXED, in the
 * list's currency), otherwise the variant's price moved by the list's percentage adjustment
 * (origin RELATIVE). A live shop answers a RELATIVE price in the shop's currency whatever the
 * list's currency (a MXN list of a CAD shop: 949.95 CAD − 5% = "902.45" CAD; public capture
 * airhorns/shopify-draft-proxy fixtures/conformance/…/2026-04/markets/price-list-prices-filtered.json);
 * the simulator has no exchange rates, so it does the same.
 */

type ListArgs = ConnectionArgs & { query?: string | null; sortKey?: string | null };

/** The catalog GIDs' types: the concrete ones, and `Catalog`, the interface's name, taken for either. */
export const CATALOG_TYPES = ["CompanyLocationCatalog", "MarketCatalog", "Catalog"];

export function catalogKind(catalog: CatalogRecord): "COMPANY_LOCATION" | "MARKET" {
  return catalog.kind ?? "COMPANY_LOCATION";
}

export function catalogTypename(catalog: CatalogRecord): string {
  return catalogKind(catalog) === "MARKET" ? "MarketCatalog" : "CompanyLocationCatalog";
}

export function catalogGid(catalog: CatalogRecord | number): string {
  return typeof catalog === "number"
    ? gid("CompanyLocationCatalog", catalog)
    : gid(catalogTypename(catalog), catalog.id);
}

export function marketsOf(shop: ShopState, catalog: CatalogRecord): MarketRecord[] {
  return (catalog.marketIds ?? []).map((id) => shop.markets.get(id)).filter((m) => m !== undefined);
}

export function catalogView(shop: ShopState, catalog: CatalogRecord): Record<string, unknown> {
  const priceList = catalog.priceListId === null ? undefined : shop.priceLists.get(catalog.priceListId);
  const publication =
    catalog.publicationId == null ? undefined : shop.publications.get(catalog.publicationId);
  const common = {
    __typename: catalogTypename(catalog),
    id: catalogGid(catalog),
    title: catalog.title,
    status: catalog.status,
    operations: [],
    publication: () => (publication ? publicationView(shop, publication) : null),
    priceList: () => (priceList ? priceListView(shop, priceList) : null),
  };
  if (catalogKind(catalog) === "MARKET") {
    const markets = () => marketsOf(shop, catalog);
    return {
      ...common,
      markets: (args: ConnectionArgs & { status?: string | null; type?: string | null }) =>
        connection(
          markets().filter(
            (m) => (!args.status || m.status === args.status) && (!args.type || m.type === args.type),
          ),
          args,
          { key: (m) => m.name, id: (m) => m.id },
          (m) => marketView(shop, m),
        ),
      marketsCount: (args: { limit?: number | null; status?: string | null; type?: string | null }) =>
        countOf(
          markets().filter(
            (m) => (!args.status || m.status === args.status) && (!args.type || m.type === args.type),
          ).length,
          args.limit,
        ),
    };
  }
  const locations = () =>
    catalog.companyLocationIds.map((id) => shop.companyLocations.get(id)).filter((l) => l !== undefined);
  return {
    ...common,
    companyLocations: (args: ListArgs) => locationConnection(shop, locations(), args),
    companyLocationsCount: () => countOf(locations().length),
  };
}

/** The variant's price under a percentage adjustment, rounded to the cent. */
export function adjustedPrice(amount: string, adjustment: PriceListRecord["adjustment"]): string {
  if (!adjustment) return fromCents(toCents(amount));
  const factor =
    adjustment.type === "PERCENTAGE_DECREASE" ? 1 - adjustment.value / 100 : 1 + adjustment.value / 100;
  return fromCents(Math.round(toCents(amount) * factor));
}

export interface PriceEntry {
  variant: VariantRecord;
  price: string;
  compareAtPrice: string | null;
  originType: "FIXED" | "RELATIVE";
}

/** The list's fixed prices of variants that still exist, by variant id. */
export function fixedEntries(shop: ShopState, list: PriceListRecord): PriceEntry[] {
  const entries: PriceEntry[] = [];
  for (const [variantId, fixed] of list.fixedPrices) {
    const variant = shop.variants.get(variantId);
    if (variant) entries.push({ variant, ...fixed, originType: "FIXED" });
  }
  return entries.sort((a, b) => a.variant.id - b.variant.id);
}

/** The price of a variant without a fixed price: its own price (and compare-at) adjusted. */
function relativeEntry(list: PriceListRecord, variant: VariantRecord): PriceEntry {
  return {
    variant,
    price: adjustedPrice(variant.price, list.adjustment),
    // compareAtMode ADJUSTED moves the compare-at price with the price; NULLIFY drops it.
    compareAtPrice:
      variant.compareAtPrice && (list.compareAtMode ?? "ADJUSTED") === "ADJUSTED"
        ? adjustedPrice(variant.compareAtPrice, list.adjustment)
        : null,
    originType: "RELATIVE",
  };
}

/** Every variant's price on the list (or only the fixed or the relative ones), by variant id. */
export function pricesOf(
  shop: ShopState,
  list: PriceListRecord,
  originType?: "FIXED" | "RELATIVE" | null,
): PriceEntry[] {
  if (originType === "FIXED") return fixedEntries(shop, list);
  const entries: PriceEntry[] = [];
  for (const variant of shop.variants.values()) {
    const fixed = list.fixedPrices.get(variant.id);
    if (fixed) {
      if (originType !== "RELATIVE") entries.push({ variant, ...fixed, originType: "FIXED" });
    } else entries.push(relativeEntry(list, variant));
  }
  return entries.sort((a, b) => a.variant.id - b.variant.id);
}

const PRICE_SEARCH: SearchFields<PriceEntry> = {
  fields: {
    variant_id: (entry) => entry.variant.id,
    product_id: (entry) => entry.variant.productId,
  },
  defaultFields: [],
};

export function priceListPriceView(shop: ShopState, list: PriceListRecord, entry: PriceEntry) {
  const currency = entry.originType === "FIXED" ? list.currency : shop.currencyCode;
  return {
    __typename: "PriceListPrice",
    variant: () => variantView(shop, entry.variant),
    price: money(decimal(entry.price), currency),
    compareAtPrice: entry.compareAtPrice === null ? null : money(decimal(entry.compareAtPrice), currency),
    originType: entry.originType,
  };
}

export function priceListView(shop: ShopState, list: PriceListRecord): Record<string, unknown> {
  const catalog = list.catalogId === null ? undefined : shop.catalogs.get(list.catalogId);
  // One price list's prices are computed once per view: a bulk query reads the connection page
  // after page through the same view.
  const computed = new Map<string, PriceEntry[]>();
  const entries = (originType: "FIXED" | "RELATIVE" | null | undefined, query: string | null | undefined) => {
    const key = `${originType ?? ""}\u0000${query ?? ""}`;
    let found = computed.get(key);
    if (!found) {
      found = search(pricesOf(shop, list, originType), query, PRICE_SEARCH);
      computed.set(key, found);
    }
    return found;
  };
  return {
    __typename: "PriceList",
    id: gid("PriceList", list.id),
    name: list.name,
    currency: list.currency,
    fixedPricesCount: () => fixedEntries(shop, list).length,
    parent: list.adjustment
      ? {
          adjustment: { type: list.adjustment.type, value: list.adjustment.value },
          settings: { compareAtMode: list.compareAtMode ?? "ADJUSTED" },
        }
      : null,
    catalog: () => (catalog ? catalogView(shop, catalog) : null),
    prices: (args: ListArgs & { originType?: "FIXED" | "RELATIVE" | null }) =>
      connection(
        entries(args.originType, args.query),
        args,
        (entry) => entry.variant.id,
        (entry) => priceListPriceView(shop, list, entry),
      ),
  };
}

/** The products of a publication that still exist. */
export function publishedProducts(shop: ShopState, publication: PublicationRecord) {
  return [...publication.products.keys()]
    .map((id) => shop.products.get(id))
    .filter((p) => p !== undefined)
    .sort((a, b) => a.id - b.id);
}

export function publicationView(shop: ShopState, publication: PublicationRecord): Record<string, unknown> {
  const catalog = publication.catalogId === null ? undefined : shop.catalogs.get(publication.catalogId);
  const products = (args: ListArgs) => {
    const included = new Set(publishedProducts(shop, publication).map((p) => p.id));
    return findProducts(shop, args.query).filter((p) => included.has(p.id));
  };
  const productConnection = (args: ListArgs) =>
    connection(
      products(args),
      args,
      args.sortKey === "TITLE" ? { key: (p) => p.title, id: (p) => p.id } : (p) => p.id,
      (p) => productView(shop, p),
    );
  const empty = (args: ConnectionArgs) =>
    connection(
      [] as number[],
      args,
      (id) => id,
      (id) => id,
    );
  return {
    __typename: "Publication",
    id: gid("Publication", publication.id),
    // Deprecated: a catalog's publication is named after its catalog.
    name: catalog?.title ?? "",
    autoPublish: publication.autoPublish,
    // Only online stores support scheduled publishing (publishablePublish reference).
    supportsFuturePublishing: false,
    operation: null,
    catalog: () => (catalog ? catalogView(shop, catalog) : null),
    products: productConnection,
    includedProducts: productConnection,
    includedProductsCount: (args: ListArgs & { limit?: number | null }) =>
      countOf(products(args).length, args.limit),
    collections: empty,
    hasCollection: false,
    channels: empty,
  };
}

export function marketView(shop: ShopState, market: MarketRecord): Record<string, unknown> {
  const catalogs = () =>
    [...shop.catalogs.values()].filter(
      (c) => catalogKind(c) === "MARKET" && (c.marketIds ?? []).includes(market.id),
    );
  const catalogWithList = () => catalogs().find((c) => c.priceListId !== null);
  return {
    __typename: "Market",
    id: gid("Market", market.id),
    name: market.name,
    handle: market.handle,
    status: market.status,
    type: market.type,
    enabled: market.status === "ACTIVE",
    primary: false,
    currencySettings: {
      baseCurrency: { currencyCode: market.currency, enabled: true, manualRate: null, rateUpdatedAt: null },
      localCurrencies: false,
      roundingEnabled: true,
    },
    catalogs: (args: ConnectionArgs) =>
      connection(
        catalogs(),
        args,
        (c) => c.id,
        (c) => catalogView(shop, c),
      ),
    catalogsCount: () => countOf(catalogs().length),
    priceList: () => {
      const catalog = catalogWithList();
      const list = catalog ? shop.priceLists.get(catalog.priceListId!) : undefined;
      return list ? priceListView(shop, list) : null;
    },
  };
}
