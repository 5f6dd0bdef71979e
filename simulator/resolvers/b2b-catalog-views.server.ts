import type { CatalogRecord, PriceListRecord, VariantRecord } from "../state/records.server";
import { gid, type ShopState } from "../state/shop-state.server";
import { locationConnection } from "./b2b-company-views.server";
import { countOf } from "./connection.server";
import { variantView } from "./catalog-views.server";
import { connection, type ConnectionArgs } from "./connection.server";
import { money } from "./context.server";
import { decimal, fromCents, toCents } from "./money.server";
import { search, type SearchFields } from "./search.server";

/**
 * B2B catalogs and their price lists as the Admin API's objects
 * (https://shopify.dev/docs/api/admin-graphql/2026-07/objects/CompanyLocationCatalog,
 * .../PriceList, .../PriceListPrice). A price list prices every variant: fixed prices where set,
 * otherwise the variant's price moved by the list's percentage adjustment (origin RELATIVE).
 */

type ListArgs = ConnectionArgs & { query?: string | null; sortKey?: string | null };

/** Catalog GIDs name the concrete type; `Catalog` is accepted too, as the interface's name. */
export const CATALOG_TYPES = ["CompanyLocationCatalog", "Catalog"];

export function catalogGid(id: number): string {
  return gid("CompanyLocationCatalog", id);
}

export function catalogView(shop: ShopState, catalog: CatalogRecord): Record<string, unknown> {
  const locations = () =>
    catalog.companyLocationIds.map((id) => shop.companyLocations.get(id)).filter((l) => l !== undefined);
  const priceList = catalog.priceListId === null ? undefined : shop.priceLists.get(catalog.priceListId);
  return {
    __typename: "CompanyLocationCatalog",
    id: catalogGid(catalog.id),
    title: catalog.title,
    status: catalog.status,
    operations: [],
    publication: null,
    priceList: () => (priceList ? priceListView(shop, priceList) : null),
    companyLocations: (args: ListArgs) => locationConnection(shop, locations(), args),
    companyLocationsCount: countOf(catalog.companyLocationIds.length),
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

/** Every variant's price on the list, by variant id. */
export function pricesOf(shop: ShopState, list: PriceListRecord): PriceEntry[] {
  return [...shop.variants.values()]
    .sort((a, b) => a.id - b.id)
    .map((variant): PriceEntry => {
      const fixed = list.fixedPrices.get(variant.id);
      if (fixed) return { variant, ...fixed, originType: "FIXED" };
      return {
        variant,
        price: adjustedPrice(variant.price, list.adjustment),
        // compareAtMode ADJUSTED: the compare-at price moves with the price.
        compareAtPrice: variant.compareAtPrice
          ? adjustedPrice(variant.compareAtPrice, list.adjustment)
          : null,
        originType: "RELATIVE",
      };
    });
}

const PRICE_SEARCH: SearchFields<PriceEntry> = {
  fields: {
    variant_id: (entry) => entry.variant.id,
    product_id: (entry) => entry.variant.productId,
  },
  defaultFields: [],
};

export function priceListPriceView(shop: ShopState, list: PriceListRecord, entry: PriceEntry) {
  return {
    __typename: "PriceListPrice",
    variant: () => variantView(shop, entry.variant),
    price: money(decimal(entry.price), list.currency),
    compareAtPrice:
      entry.compareAtPrice === null ? null : money(decimal(entry.compareAtPrice), list.currency),
    originType: entry.originType,
  };
}

export function priceListView(shop: ShopState, list: PriceListRecord): Record<string, unknown> {
  const catalog = list.catalogId === null ? undefined : shop.catalogs.get(list.catalogId);
  return {
    __typename: "PriceList",
    id: gid("PriceList", list.id),
    name: list.name,
    currency: list.currency,
    fixedPricesCount: list.fixedPrices.size,
    parent: list.adjustment
      ? {
          adjustment: { type: list.adjustment.type, value: list.adjustment.value },
          settings: { compareAtMode: "ADJUSTED" },
        }
      : null,
    catalog: () => (catalog ? catalogView(shop, catalog) : null),
    prices: (args: ListArgs & { originType?: "FIXED" | "RELATIVE" | null }) => {
      const entries = search(pricesOf(shop, list), args.query, PRICE_SEARCH).filter(
        (entry) => !args.originType || entry.originType === args.originType,
      );
      return connection(
        entries,
        args,
        (entry) => entry.variant.id,
        (entry) => priceListPriceView(shop, list, entry),
      );
    },
  };
}
