import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { getOperationAST, parse, validate } from "graphql";
import { describe, expect, it } from "vitest";
import type { Operation } from "../../app/shopify/admin-client.server";
import {
  ORDER_STAMPS,
  ORDER_STAMPS_PER_PAGE,
  ORDERS_BY_ID,
  ORDERS_COUNT,
  ORDERS_PAGE,
  ORDERS_PER_PAGE,
} from "../../app/sync/orders/operations.server";
import { requestedQueryCost } from "../../simulator/graphql/cost.server";
import { loadAdminSchema } from "../../simulator/graphql/schema.server";

/**
 * Every GraphQL operation the app sends is valid against Shopify's Admin API 2026-07 schema
 * (the real one, shipped in simulator/schema), has a unique name, and the order import stays
 * within its budget of Admin API points per imported order.
 */

const ROOT = path.resolve(import.meta.dirname, "../..");

function operationFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === "generated" ? [] : operationFiles(full);
    return name === "operations.server.ts" ? [full] : [];
  });
}

function isOperation(value: unknown): value is Operation<unknown> {
  return typeof value === "object" && value !== null && "name" in value && "query" in value;
}

const files = operationFiles(path.join(ROOT, "app"));
const operations: Operation<unknown>[] = [];
for (const file of files) {
  const module = (await import(file)) as Record<string, unknown>;
  operations.push(...Object.values(module).filter(isOperation));
}
for (const script of ["demo-traffic", "demo-initial-syncs"]) {
  const module = (await import(`../../scripts/${script}.ts`)) as Record<string, unknown>;
  operations.push(...Object.values(module).filter(isOperation));
}

const orderIds = (n: number) => Array.from({ length: n }, (_, i) => `gid://shopify/Order/${i + 1}`);

describe("the app's Admin API operations", () => {
  it("are found (one file per sync module)", () => {
    expect(files.length).toBeGreaterThanOrEqual(2);
    expect(operations.length).toBeGreaterThanOrEqual(5);
  });

  it("have unique names", () => {
    const names = operations.map((op) => op.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it.each(operations.map((op) => [op.name, op] as const))(
    "%s is valid against the 2026-07 schema",
    (_name, op) => {
      const errors = validate(loadAdminSchema(), parse(op.query));
      expect(errors.map((error) => error.message)).toEqual([]);
    },
  );

  it.each(operations.map((op) => [op.name, op] as const))(
    "%s stays under Shopify's 1,000-point limit for one query, at its largest page",
    (_name, op) => {
      const schema = loadAdminSchema();
      const document = parse(op.query);
      const variables = {
        first: ORDERS_PER_PAGE,
        after: null,
        query: "status:open",
        id: "gid://shopify/Order/1",
        ids: orderIds(ORDERS_PER_PAGE),
      };
      const { cost } = requestedQueryCost({
        schema,
        document,
        operation: getOperationAST(document)!,
        variables,
      });
      expect(cost).toBeLessThanOrEqual(1000);
    },
  );

  it("import at most 40 requested points per order, however many orders changed", () => {
    const schema = loadAdminSchema();
    const cost = (query: string, variables: Record<string, unknown>) => {
      const document = parse(query);
      return requestedQueryCost({ schema, document, operation: getOperationAST(document)!, variables }).cost;
    };
    const count = cost(ORDERS_COUNT.query, { query: "status:open" });
    for (const orders of [1, 2, 5, 25]) {
      const page = cost(ORDERS_PAGE.query, { first: orders, after: null, query: "status:open" });
      expect((count + page) / orders).toBeLessThanOrEqual(40);
    }
  });

  it("reconcile a window at a point per unchanged order, and changed ones at the import's price", () => {
    const schema = loadAdminSchema();
    const cost = (query: string, variables: Record<string, unknown>) => {
      const document = parse(query);
      return requestedQueryCost({ schema, document, operation: getOperationAST(document)!, variables }).cost;
    };
    const stamps = cost(ORDER_STAMPS.query, {
      first: ORDER_STAMPS_PER_PAGE,
      after: null,
      query: "status:open",
    });
    expect(stamps).toBeLessThanOrEqual(ORDER_STAMPS_PER_PAGE + 2);
    const count = cost(ORDERS_COUNT.query, { query: "status:open" });
    for (const orders of [1, 5, 25]) {
      const byId = cost(ORDERS_BY_ID.query, { ids: orderIds(orders) });
      const page = cost(ORDERS_PAGE.query, { first: orders, after: null, query: "status:open" });
      expect(byId).toBeLessThanOrEqual(page);
      expect((count + 3 + byId) / orders).toBeLessThanOrEqual(40);
    }
  });
});
