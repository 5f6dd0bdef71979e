import type { ShopifyGraphQLError } from "./errors.server";

/**
 * Shopify's calculated query cost (GraphQL Admin API).
 *
 * Rules, from https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits ("Cost
 * calculation") and https://shopify.dev/docs/api/usage/limits:
 * - scalars and enums cost 0, objects 1, interfaces and unions the maximum of their possible
 *   selections, mutations 10;
 * - a connection costs 2 plus, per item of the page (`first` or `last`), the cost of one item's
 *   selection (the "2 + number of objects" of Shopify's engineering blog, generalised to nested
 *   selections);
 * - plain lists are charged like one object, except lists fetched by id (`nodes(ids:)`), which
 *   are charged per id (an inference: the docs do not cover lists);
 * - the requested cost is computed before execution from the document; the actual cost after,
 *   from what came back; the bucket is refunded the difference.
 */
export { requestedQueryCost } from "./requested-cost.server";
export { actualQueryCost } from "./actual-cost.server";
export { CONNECTION_COST, MUTATION_COST, OBJECT_COST, type CostInput } from "./cost-types.server";

// "A single query may not exceed a cost of 1,000 points, regardless of plan limits. This limit is
// enforced before a query is executed based on the query's requested cost."
// https://shopify.dev/docs/api/usage/limits ("Single query limit")
export const MAX_SINGLE_QUERY_COST = 1000;

/**
 * Shopify's refusal of an over-budget query. The wording is what Shopify returns (quoted in
 * Shopify/shopify-app-js issue #577); extensions `cost` and `maxCost` as seen in public captures
 * of the same response.
 */
export function maxCostExceededError(cost: number): ShopifyGraphQLError {
  return {
    message:
      `Query cost is ${cost}, which exceeds the single query max cost limit (${MAX_SINGLE_QUERY_COST}).\n\n` +
      "See https://shopify.dev/concepts/about-apis/rate-limits for more information on how the\n" +
      "cost of a query is calculated.\n\n" +
      "To query larger amounts of data with fewer limits, bulk operations should be used instead.\n" +
      "See https://shopify.dev/api/usage/bulk-operations/queries for usage details.\n",
    extensions: { code: "MAX_COST_EXCEEDED", cost, maxCost: MAX_SINGLE_QUERY_COST },
  };
}
