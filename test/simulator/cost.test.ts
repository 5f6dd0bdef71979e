import { describe, expect, it } from "vitest";
import { MAX_SINGLE_QUERY_COST, maxCostExceededError } from "../../simulator/graphql/cost.server";
import { actualCost, requested, requestedCost } from "./cost-helpers";

describe("requested query cost: Shopify's documented examples", () => {
  it("a shop object with scalar and enum fields costs 1", () => {
    // Shopify Engineering, "Rate Limiting GraphQL APIs by Calculating Query Complexity":
    // https://shopify.engineering/rate-limiting-graphql-apis-calculating-query-complexity
    // (read via its translation https://juejin.cn/post/7121556653698187295): "shop is an object,
    // cost 1. id, name, timezoneOffsetMinutes and customerAccounts are scalar types, cost 0. The
    // total query cost is 1."
    const query = `query { shop { id name timezoneOffsetMinutes customerAccounts } }`;
    expect(requestedCost(query)).toBe(1);
  });

  it("a connection costs two points plus the number of objects asked for", () => {
    // Same article: "Connections: two points plus the number of returned objects". The rule is the
    // article's; this particular query is ours.
    // https://shopify.engineering/rate-limiting-graphql-apis-calculating-query-complexity
    expect(requestedCost(`query { orders(first: 50) { edges { node { id } } } }`)).toBe(52);
  });

  it("an object costs 1 plus its children: the documented per-field breakdown", () => {
    // https://shopify.dev/docs/api/usage/limits ("GraphQL response", Shopify-GraphQL-Cost-Debug=1)
    // shows path ["shop"], definedCost 1, requestedChildrenCost 100, requestedTotalCost 101. The
    // page does not print the query; this one has exactly that shape: a 100-point child under shop.
    expect(requestedCost(`query { shop { metafields(first: 98) { nodes { id } } } }`)).toBe(101);
  });

  it("scalars and enums cost 0, objects 1", () => {
    // Cost table, https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits
    expect(requestedCost(`query { shop { name currencyCode } }`)).toBe(1);
    expect(requestedCost(`query { shop { billingAddress { city countryCodeV2 } } }`)).toBe(2);
    expect(requestedCost(`query { shop { __typename } }`)).toBe(1);
  });

  it("a mutation costs 10; the payload's own objects come with it", () => {
    // Cost table ("Mutation 10"), https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits.
    // Real responses to this exact mutation report requestedQueryCost 10 (public captures).
    const mutation = `mutation {
      bulkOperationRunQuery(query: "{ products { edges { node { id } } } }") {
        bulkOperation { id status }
        userErrors { field message }
      }
    }`;
    expect(requestedCost(mutation)).toBe(10);
  });

  it("interfaces and unions cost the maximum of their possible selections", () => {
    // Cost table ("Interface / Union: Maximum of possible selections"),
    // https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits
    const query = `query {
      node(id: "gid://shopify/Order/1") {
        id
        ... on Order { customer { id } lineItems(first: 3) { nodes { id } } }
        ... on Product { id }
      }
    }`;
    // Order: customer 1 + lineItems (2 + 3); Product: 0. node itself: 1.
    expect(requestedCost(query)).toBe(1 + 1 + 5);
  });

  it("a single query over 1,000 points is refused as MAX_COST_EXCEEDED", () => {
    // https://shopify.dev/docs/api/usage/limits ("Single query limit"): 1,000 points.
    expect(MAX_SINGLE_QUERY_COST).toBe(1000);
    const error = maxCostExceededError(1723);
    // Wording as quoted from a real response in Shopify/shopify-app-js issue #577.
    expect(error.message).toMatch(
      /^Query cost is 1723, which exceeds the single query max cost limit \(1000\)\./,
    );
    expect(error.extensions).toEqual({ code: "MAX_COST_EXCEEDED", cost: 1723, maxCost: 1000 });
  });
});

describe("requested query cost: how selections combine", () => {
  it("multiplies nested connections through the page sizes", () => {
    const query = `query { orders(first: 5) { nodes { id lineItems(first: 10) { nodes { id } } } } }`;
    // 2 + 5 × (order 1 + lineItems (2 + 10 × 1))
    expect(requestedCost(query)).toBe(2 + 5 * (1 + 12));
  });

  it("does not charge pageInfo, cursors, or edges and nodes twice for the same items", () => {
    const both = `query {
      orders(first: 10) {
        edges { cursor node { id customer { id } } }
        nodes { id }
        pageInfo { hasNextPage endCursor }
      }
    }`;
    expect(requestedCost(both)).toBe(2 + 10 * 2);
  });

  it("uses last when first is absent, and reads page sizes from variables and their defaults", () => {
    expect(requestedCost(`query { orders(last: 7) { nodes { id } } }`)).toBe(9);
    const query = `query Orders($n: Int = 25) { orders(first: $n) { nodes { id } } }`;
    expect(requestedCost(query)).toBe(27);
    expect(requestedCost(query, { n: 40 })).toBe(42);
  });

  it("merges a field selected twice and honours @skip / @include", () => {
    const query = `query ($withCustomer: Boolean!) {
      shop { name }
      ...F
      orders(first: 2) { nodes { customer @include(if: $withCustomer) { id } } }
    }
    fragment F on QueryRoot { shop { id } }`;
    expect(requestedCost(query, { withCustomer: true })).toBe(1 + 2 + 2 * 2);
    expect(requestedCost(query, { withCustomer: false })).toBe(1 + 2 + 2 * 1);
  });

  it("charges a plain list like one object, and scalar connection items nothing", () => {
    expect(
      requestedCost(`query { order(id: "gid://shopify/Order/1") { fulfillments(first: 5) { id } } }`),
    ).toBe(2);
    expect(requestedCost(`query { shop { customerTags(first: 50) { nodes } } }`)).toBe(1 + 2);
  });

  it("charges lists fetched by id once per id", () => {
    const query = `query ($ids: [ID!]!) { nodes(ids: $ids) { id ... on Order { customer { id } } } }`;
    const ids = ["gid://shopify/Order/1", "gid://shopify/Order/2", "gid://shopify/Order/3"];
    expect(requestedCost(query, { ids })).toBe(3 * 2);
    const data = {
      nodes: [
        { __typename: "Order", id: ids[0], customer: null },
        null,
        { id: ids[2], customer: { id: "c" } },
      ],
    };
    expect(actualCost(query, data, { ids })).toBe(1 + 0 + 2);
  });

  it("reports connections queried without first or last", () => {
    const { problems } = requested(`query { orders { nodes { id } } }`);
    expect(problems.map((problem) => problem.message)).toEqual(["you must provide one of first or last"]);
  });
});

describe("actual query cost", () => {
  const query = `query { orders(first: 10) { nodes { id customer { id } } pageInfo { hasNextPage } } }`;

  it("charges connections for the items returned and nothing for null objects", () => {
    const data = {
      orders: {
        nodes: [
          { id: "gid://shopify/Order/1", customer: { id: "gid://shopify/Customer/1" } },
          { id: "gid://shopify/Order/2", customer: null },
          { id: "gid://shopify/Order/3", customer: null },
        ],
        pageInfo: { hasNextPage: false },
      },
    };
    expect(requestedCost(query)).toBe(2 + 10 * 2);
    expect(actualCost(query, data)).toBe(2 + 2 + 1 + 1);
  });

  it("is zero for a null root object and equals requested for full pages", () => {
    expect(actualCost(`query { order(id: "gid://shopify/Order/9") { id } }`, { order: null })).toBe(0);
    const full = {
      orders: { nodes: Array.from({ length: 10 }, (_, i) => ({ id: `${i}`, customer: { id: "c" } })) },
    };
    expect(actualCost(query, full)).toBe(requestedCost(query));
  });

  it("keeps the mutation's 10 points even when it returns nothing", () => {
    const mutation = `mutation { bulkOperationRunQuery(query: "{ shop { id } }") { userErrors { field } } }`;
    expect(actualCost(mutation, { bulkOperationRunQuery: null })).toBe(10);
  });

  it("costs interface values by their concrete type", () => {
    const node = `query { node(id: "gid://shopify/Order/1") { ... on Order { customer { id } } } }`;
    expect(actualCost(node, { node: { customer: { id: "c" } } })).toBe(2);
    expect(actualCost(node, { node: {} })).toBe(1);
  });
});
