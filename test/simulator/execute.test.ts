import { parse, validate } from "graphql";
import { describe, expect, it } from "vitest";
import {
  executeAdmin,
  type AdminResponse,
  type ExecuteAdminOptions,
} from "../../simulator/graphql/execute.server";
import { idempotencyKey, type Resolvers } from "../../simulator/graphql/resolvers.server";
import { loadAdminSchema } from "../../simulator/graphql/schema.server";
import { CostBucket } from "../../simulator/graphql/throttle.server";

const schema = loadAdminSchema();

function fakeClock() {
  let now = 1_700_000_000_000;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

function lineItems(order: number, count: number) {
  return Array.from({ length: count }, (_, j) => ({
    id: `gid://shopify/LineItem/${order * 1000 + j}`,
    name: `Item ${j}`,
    quantity: 1,
  }));
}

// A shop of 100 orders with 8 line items each; pages are cut to the requested size.
const ORDERS = Array.from({ length: 100 }, (_, i) => ({
  id: `gid://shopify/Order/${i + 1}`,
  name: `#${1001 + i}`,
  closedAt: null,
  lineItems: ({ first }: { first?: number }) => ({
    nodes: lineItems(i + 1, 8).slice(0, first ?? 0),
    pageInfo: { hasNextPage: false, endCursor: null },
  }),
}));

const resolvers: Resolvers = {
  QueryRoot: {
    orders: (_source, args) => ({
      nodes: ORDERS.slice(0, typeof args.first === "number" ? args.first : 0),
      pageInfo: { hasNextPage: true, endCursor: "cursor" },
    }),
  },
};

function run(query: string, options: Partial<ExecuteAdminOptions> = {}): Promise<AdminResponse> {
  return executeAdmin({ schema, query, resolvers, bucket: new CostBucket("standard"), ...options });
}

// Every response, errors included, reports the cost and the bucket's state.
function expectCost(response: AdminResponse) {
  const { requestedQueryCost, actualQueryCost, throttleStatus } = response.extensions.cost;
  expect(Object.keys(response.extensions.cost).sort()).toEqual([
    "actualQueryCost",
    "requestedQueryCost",
    "throttleStatus",
  ]);
  expect(Number.isInteger(requestedQueryCost)).toBe(true);
  expect(actualQueryCost === null || Number.isInteger(actualQueryCost)).toBe(true);
  expect(throttleStatus.maximumAvailable).toBe(2000);
  expect(throttleStatus.restoreRate).toBe(100);
  expect(throttleStatus.currentlyAvailable).toBeLessThanOrEqual(2000);
}

describe("executeAdmin: validation", () => {
  it("rejects a made-up field, naming it, in Shopify's error shape", async () => {
    const response = await run(`query { shop { name fulfilmentWizard } }`);
    expect(response.data).toBeUndefined();
    expect(response.errors).toEqual([
      {
        message: "Field 'fulfilmentWizard' doesn't exist on type 'Shop'",
        locations: [{ line: 1, column: 21 }],
        extensions: { code: "undefinedField", typeName: "Shop", fieldName: "fulfilmentWizard" },
      },
    ]);
    expectCost(response);
    expect(response.extensions.cost).toMatchObject({ requestedQueryCost: 0, actualQueryCost: null });
  });

  it("rejects an argument the field does not take", async () => {
    const response = await run(`query { orders(first: 1, colour: "red") { nodes { id } } }`);
    expect(response.errors?.[0]).toMatchObject({
      message: "Field 'orders' doesn't accept argument 'colour'",
      extensions: { code: "argumentNotAccepted", name: "orders", typeName: "Field", argumentName: "colour" },
    });
    expectCost(response);
  });

  it("reports syntax errors with their location", async () => {
    const response = await run(`query { shop { name }`);
    expect(response.errors).toHaveLength(1);
    expect(response.errors?.[0]?.message).toMatch(/^Parse error: .* at \[1, 22\]$/);
    expect(response.errors?.[0]).toMatchObject({
      locations: [{ line: 1, column: 22 }],
      extensions: { code: "PARSE_ERROR" },
    });
    expectCost(response);
  });

  it("rejects variables of the wrong type before spending anything", async () => {
    const response = await run(`query ($n: Int!) { orders(first: $n) { nodes { id } } }`, {
      variables: { n: "ten" },
    });
    expect(response.errors?.[0]?.extensions.code).toBe("INVALID_VARIABLE");
    expect(response.extensions.cost.throttleStatus.currentlyAvailable).toBe(2000);
  });
});

describe("executeAdmin: execution", () => {
  const ordersQuery = `query Orders($first: Int!) {
    orders(first: $first) {
      nodes { id name closedAt lineItems(first: 5) { nodes { id name quantity } } }
      pageInfo { hasNextPage endCursor }
    }
  }`;

  it("validates and runs an orders query with line items, charging the actual cost", async () => {
    expect(validate(schema, parse(ordersQuery))).toEqual([]);
    const clock = fakeClock();
    const bucket = new CostBucket("standard", clock.now);
    const response = await run(ordersQuery, { variables: { first: 3 }, bucket });
    expect(response.errors).toBeUndefined();
    const orders = (
      response.data?.orders as { nodes: { name: string; closedAt: null; lineItems: { nodes: unknown[] } }[] }
    ).nodes;
    expect(orders.map((order) => order.name)).toEqual(["#1001", "#1002", "#1003"]);
    expect(orders[0]?.closedAt).toBeNull();
    expect(orders[0]?.lineItems.nodes).toHaveLength(5);
    // Requested and actual agree here: full pages came back.
    expect(response.extensions.cost).toEqual({
      requestedQueryCost: 2 + 3 * (1 + 2 + 5),
      actualQueryCost: 2 + 3 * (1 + 2 + 5),
      throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 2000 - 26, restoreRate: 100 },
    });
  });

  it("refunds what a short page did not use", async () => {
    const bucket = new CostBucket("standard", fakeClock().now);
    const response = await run(`query { orders(first: 250) { nodes { id } } }`, { bucket });
    expect(response.extensions.cost).toMatchObject({ requestedQueryCost: 252, actualQueryCost: 102 });
    expect(response.extensions.cost.throttleStatus.currentlyAvailable).toBe(2000 - 102);
  });

  it("names a field the resolvers do not implement instead of returning null", async () => {
    const response = await run(`query { orders(first: 2) { nodes { id closedAt riskLevel } } }`);
    expect(response.errors).toEqual([
      {
        message: "Field 'Order.riskLevel' is not implemented by the simulator",
        locations: [{ line: 1, column: 48 }],
        path: ["orders", "nodes", 0, "riskLevel"],
        extensions: { code: "SIMULATOR_NOT_IMPLEMENTED", typeName: "Order", fieldName: "riskLevel" },
      },
    ]);
    // riskLevel is non-null, so the gap nulls everything up to the root, as in any GraphQL server.
    expect(response.data).toBeNull();
    expectCost(response);
  });

  it("tells a missing property (error) from a property that is null (a real null)", async () => {
    const response = await run(`query { orders(first: 1) { nodes { closedAt note } } }`);
    expect(response.data).toEqual({ orders: { nodes: [{ closedAt: null, note: null }] } });
    expect(response.errors?.map((error) => error.message)).toEqual([
      "Field 'Order.note' is not implemented by the simulator",
    ]);
    expect(response.errors?.[0]?.path).toEqual(["orders", "nodes", 0, "note"]);
  });

  it("names an unimplemented root field", async () => {
    const response = await run(`query { shop { name } }`);
    expect(response.data).toBeNull();
    expect(response.errors?.[0]?.message).toBe("Field 'QueryRoot.shop' is not implemented by the simulator");
    expectCost(response);
  });

  it("resolves interfaces from __typename", async () => {
    const response = await run(`query { node(id: "gid://shopify/Order/1") { id ... on Order { name } } }`, {
      rootValue: { node: () => ({ __typename: "Order", id: "gid://shopify/Order/1", name: "#1001" }) },
    });
    expect(response.data).toEqual({ node: { id: "gid://shopify/Order/1", name: "#1001" } });
  });

  it("refuses a query over 1,000 points without charging the bucket", async () => {
    const response = await run(
      `query { orders(first: 100) { nodes { lineItems(first: 10) { nodes { id } } } } }`,
    );
    expect(response.data).toBeUndefined();
    expect(response.errors?.[0]?.extensions).toEqual({
      code: "MAX_COST_EXCEEDED",
      cost: 1302,
      maxCost: 1000,
    });
    expect(response.extensions.cost).toMatchObject({
      requestedQueryCost: 1302,
      actualQueryCost: null,
      throttleStatus: { currentlyAvailable: 2000 },
    });
  });

  it("hands @idempotent(key:) to mutation resolvers", async () => {
    const seen: unknown[] = [];
    const response = await run(
      `mutation Set($input: InventorySetQuantitiesInput!, $key: String!) {
        inventorySetQuantities(input: $input) @idempotent(key: $key) { userErrors { field message } }
      }`,
      {
        variables: {
          key: "retry-safe-1",
          input: {
            name: "available",
            reason: "correction",
            quantities: [
              {
                inventoryItemId: "gid://shopify/InventoryItem/1",
                locationId: "gid://shopify/Location/1",
                quantity: 3,
              },
            ],
          },
        },
        resolvers: {
          Mutation: {
            inventorySetQuantities: (_source, _args, context, info) => {
              seen.push(context.idempotencyKeys.inventorySetQuantities, idempotencyKey(info));
              return { userErrors: [] };
            },
          },
        },
      },
    );
    expect(response.errors).toBeUndefined();
    expect(seen).toEqual(["retry-safe-1", "retry-safe-1"]);
    expect(response.extensions.cost).toMatchObject({ requestedQueryCost: 10, actualQueryCost: 10 });
  });
});

describe("executeAdmin: throttling", () => {
  // 2 + 90 × (order 1 + lineItems (2 + 8)) = 992 points: two of these fit in a full standard bucket.
  const expensive = `query { orders(first: 90) { nodes { id lineItems(first: 8) { nodes { id } } } } }`;

  it("throttles a burst on a standard plan and recovers at 100 points/second", async () => {
    const clock = fakeClock();
    const bucket = new CostBucket("standard", clock.now);

    const first = await run(expensive, { bucket });
    const second = await run(expensive, { bucket });
    expect(first.extensions.cost).toMatchObject({ requestedQueryCost: 992, actualQueryCost: 992 });
    expect(second.extensions.cost.throttleStatus.currentlyAvailable).toBe(16);

    const throttled = await run(expensive, { bucket });
    expect(throttled).toEqual({
      errors: [
        {
          message: "Throttled",
          extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" },
        },
      ],
      extensions: {
        cost: {
          requestedQueryCost: 992,
          actualQueryCost: null,
          throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 16, restoreRate: 100 },
        },
      },
    });

    // 976 points are missing: at 100/s that is 9.76 s, not a moment less.
    clock.advance(9_750);
    const tooSoon = await run(expensive, { bucket });
    expect(tooSoon.errors?.[0]?.extensions.code).toBe("THROTTLED");
    expect(tooSoon.extensions.cost.throttleStatus.currentlyAvailable).toBe(991);

    clock.advance(10);
    const recovered = await run(expensive, { bucket });
    expect(recovered.errors).toBeUndefined();
    expect(recovered.extensions.cost.throttleStatus.currentlyAvailable).toBe(0);
  });
});
