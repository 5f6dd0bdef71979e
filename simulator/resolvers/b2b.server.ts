import { catalogView, priceListView } from "./b2b-catalog-views.server";
import { catalogMutations, catalogQueries } from "./b2b-catalogs.server";
import { companyMutations, companyQueries } from "./b2b-companies.server";
import { companyContactNode, companyLocationView, companyView } from "./b2b-company-views.server";
import { priceListMutations, priceListQueries } from "./b2b-price-lists.server";
import { bulkMutations, bulkNode, bulkQueries } from "./bulk-operations.server";
import type { ResolverContext, ResolverModule } from "./context.server";
import { paymentsNode, paymentsQueries } from "./shop-payments.server";
import { shopNumericId, shopView } from "./shop-query.server";
import {
  webhookMutations,
  webhookQueries,
  webhookSubscriptionView,
} from "./shop-webhook-subscriptions.server";

export { bulkResultPath, bulkResultUrl } from "./bulk-operations.server";

function node(type: string, id: number, context: ResolverContext): unknown {
  const { shop } = context;
  switch (type) {
    case "Shop":
      return id === shopNumericId(shop) ? shopView(shop, context.now()) : null;
    case "Company": {
      const company = shop.companies.get(id);
      return company ? companyView(shop, company) : null;
    }
    case "CompanyLocation": {
      const location = shop.companyLocations.get(id);
      return location ? companyLocationView(shop, location) : null;
    }
    case "CompanyContact":
      return companyContactNode(shop, id);
    case "CompanyLocationCatalog": {
      const catalog = shop.catalogs.get(id);
      return catalog ? catalogView(shop, catalog) : null;
    }
    case "PriceList": {
      const list = shop.priceLists.get(id);
      return list ? priceListView(shop, list) : null;
    }
    case "BulkOperation":
      return bulkNode(shop, id);
    case "WebhookSubscription": {
      const subscription = shop.webhookSubscriptions.get(id);
      return subscription ? webhookSubscriptionView(subscription) : null;
    }
    default:
      return paymentsNode(shop, type, id);
  }
}

/** Shop, companies, company locations, catalogs, price lists, payouts, bulk operations, webhook subscriptions. */
export const b2bModule: ResolverModule = {
  query: {
    shop: (_args: unknown, context: ResolverContext) => shopView(context.shop, context.now()),
    ...companyQueries,
    ...catalogQueries,
    ...priceListQueries,
    ...paymentsQueries,
    ...bulkQueries,
    ...webhookQueries,
  },
  mutation: {
    ...companyMutations,
    ...catalogMutations,
    ...priceListMutations,
    ...bulkMutations,
    ...webhookMutations,
  },
  node,
};
