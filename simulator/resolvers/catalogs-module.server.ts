import {
  catalogKind,
  catalogView,
  marketView,
  priceListView,
  publicationView,
} from "./b2b-catalog-views.server";
import { marketQueries } from "./catalogs-markets.server";
import { publicationMutations, publicationQueries } from "./catalogs-publications.server";
import type { ResolverContext, ResolverModule } from "./context.server";

/**
 * Publications and markets (the fields of catalogs and price lists are in b2b.server.ts's module),
 * and `node` for every catalog type, price lists, publications and markets: a catalog's GID
 * names its concrete type, so a market catalog's id under CompanyLocationCatalog is no node.
 * Listed before the B2B module in root.server.ts so these types are answered here.
 */

function node(type: string, id: number, context: ResolverContext): unknown {
  const { shop } = context;
  switch (type) {
    case "CompanyLocationCatalog":
    case "MarketCatalog": {
      const catalog = shop.catalogs.get(id);
      const kind = type === "MarketCatalog" ? "MARKET" : "COMPANY_LOCATION";
      return catalog && catalogKind(catalog) === kind ? catalogView(shop, catalog) : null;
    }
    case "PriceList": {
      const list = shop.priceLists.get(id);
      return list ? priceListView(shop, list) : null;
    }
    case "Publication": {
      const publication = shop.publications.get(id);
      return publication ? publicationView(shop, publication) : null;
    }
    case "Market": {
      const market = shop.markets.get(id);
      return market ? marketView(shop, market) : null;
    }
    default:
      return undefined;
  }
}

export const catalogsModule: ResolverModule = {
  query: { ...publicationQueries, ...marketQueries },
  mutation: { ...publicationMutations },
  node,
};
