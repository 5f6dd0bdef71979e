import type { MarketRecord } from "../state/catalog-records.server";
import { parseGid, type ShopState } from "../state/shop-state.server";
import { marketView } from "./b2b-catalog-views.server";
import { createCatalog } from "./b2b-catalogs.server";
import { createPriceList } from "./b2b-price-lists.server";
import { createPublication } from "./catalogs-publications.server";
import { connection, type ConnectionArgs } from "./connection.server";
import type { FieldMap, ResolverContext, UserError } from "./context.server";
import { search, type SearchFields } from "./search.server";
import type { PriceListRecord } from "../state/records.server";

/**
 * Markets, as far as market catalogs need them: `market(id:)` and `markets`
 * (https://shopify.dev/docs/api/admin-graphql/2026-07/queries/markets; sorted by name by default,
 * and a market connection's cursor carries the name, live capture airhorns/shopify-draft-proxy
 * fixtures/conformance/…/2026-04/markets/market-catalogs.json). No market mutations: markets come
 * from the seed or the control API (a merchant setting up a market in admin), each with its
 * catalog, price list and publication, as a live shop's "Mexico" market has them.
 */

const MARKET_SEARCH: SearchFields<MarketRecord> = {
  fields: {
    id: (m) => m.id,
    name: (m) => m.name,
    status: (m) => m.status.toLowerCase(),
    market_type: (m) => m.type.toLowerCase(),
  },
  defaultFields: ["name"],
};

const SORT: Record<string, (m: MarketRecord) => string | number> = {
  NAME: (m) => m.name.toLowerCase(),
  ID: (m) => m.id,
  CREATED_AT: (m) => m.createdAt.getTime(),
  MARKET_TYPE: (m) => m.type,
};

export interface MarketSetup {
  name: string;
  currency: string;
  status?: MarketRecord["status"];
  adjustment?: NonNullable<PriceListRecord["adjustment"]>;
}

/** A market with its catalog (named after it), price list and publication of every product. */
export function createMarket(
  shop: ShopState,
  setup: MarketSetup,
  now: Date,
): { market?: MarketRecord; errors: UserError[] } {
  const handle = setup.name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
  const market: MarketRecord = {
    id: shop.newId(),
    name: setup.name,
    handle,
    status: setup.status ?? "ACTIVE",
    type: "REGION",
    currency: setup.currency,
    createdAt: now,
    updatedAt: now,
  };
  shop.markets.set(market.id, market);
  const list = createPriceList(
    shop,
    {
      name: `${setup.name} Buyers`,
      currency: setup.currency,
      parent: { adjustment: setup.adjustment ?? { type: "PERCENTAGE_DECREASE", value: 0 } },
    },
    now,
  );
  if (!list.list) {
    shop.markets.delete(market.id);
    return { errors: list.errors };
  }
  const catalog = createCatalog(
    shop,
    {
      title: setup.name,
      status: "ACTIVE",
      context: { marketIds: [`gid://shopify/Market/${market.id}`] },
      priceListId: `gid://shopify/PriceList/${list.list.id}`,
    },
    now,
  );
  if (catalog.catalog)
    createPublication(shop, { catalogId: catalog.catalog.id, autoPublish: true, allProducts: true }, now);
  return { market, errors: catalog.errors };
}

export const marketQueries: FieldMap = {
  market: (args: { id: string }, { shop }: ResolverContext) => {
    const id = parseGid(args.id, "Market");
    const market = id === null ? undefined : shop.markets.get(id);
    return market ? marketView(shop, market) : null;
  },
  markets: (
    args: ConnectionArgs & { query?: string | null; sortKey?: string | null; type?: string | null },
    { shop }: ResolverContext,
  ) =>
    connection(
      search(shop.markets.values(), args.query, MARKET_SEARCH).filter(
        (m) => !args.type || m.type === args.type,
      ),
      args,
      { key: SORT[args.sortKey ?? "NAME"] ?? SORT.NAME!, id: (m) => m.id },
      (m) => marketView(shop, m),
    ),
};
