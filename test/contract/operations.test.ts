import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { getOperationAST, Kind, parse, validate, type OperationDefinitionNode, type TypeNode } from "graphql";
import { describe, expect, it } from "vitest";
import type { Operation } from "../../app/shopify/admin-client.server";
import {
  ORDER_STAMPS,
  ORDER_STAMPS_PER_PAGE,
  ORDERS_BY_ID,
  ORDERS_COUNT,
  ORDERS_PAGE,
} from "../../app/sync/orders/operations.server";
import { requestedQueryCost } from "../../simulator/graphql/cost.server";
import { loadAdminSchema } from "../../simulator/graphql/schema.server";

/**
 * Every GraphQL operation the app sends is valid against Shopify's Admin API 2026-07 schema
 * (the real one, shipped in simulator/schema), has a unique name, stays under Shopify's
 * 1,000-point limit at the largest page it is ever sent with (each operation declares it:
 * `operation(name, query, { largest })`, which the client enforces), and the order import
 * stays within its budget of Admin API points per imported order.
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

function namedType(type: TypeNode): { name: string; list: boolean } {
  if (type.kind === Kind.NON_NULL_TYPE) return namedType(type.type);
  if (type.kind === Kind.LIST_TYPE) return { name: namedType(type.type).name, list: true };
  return { name: type.name.value, list: false };
}

/**
 * The variables an operation is priced with: every size variable (an Int, or a list) at the
 * largest value the operation declares, the others at a plain value (their cost does not depend
 * on it); input objects are left out. Lists what is missing or declared in vain.
 */
function largestVariables(op: Operation<unknown>, definition: OperationDefinitionNode) {
  const largest = (op.largest ?? {}) as Record<string, number | undefined>;
  const variables: Record<string, unknown> = {};
  const problems: string[] = [];
  const names = new Set<string>();
  for (const variable of definition.variableDefinitions ?? []) {
    const name = variable.variable.name.value;
    names.add(name);
    const type = namedType(variable.type);
    const size = largest[name];
    if (type.list || type.name === "Int") {
      if (size === undefined) problems.push(`$${name} has no largest value (declare it in operation())`);
      else variables[name] = type.list ? orderIds(size) : size;
    } else if (type.name === "ID") variables[name] = "gid://shopify/Order/1";
    else if (type.name === "String") variables[name] = "status:open";
    else if (type.name === "Boolean") variables[name] = true;
  }
  for (const name of Object.keys(largest))
    if (!names.has(name)) problems.push(`declares a largest $${name}, which its query does not take`);
  return { variables, problems };
}

function requestedCost(query: string, variables: Record<string, unknown>) {
  const document = parse(query);
  return requestedQueryCost({
    schema: loadAdminSchema(),
    document,
    operation: getOperationAST(document)!,
    variables,
  });
}

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
    "%s declares the largest value of each of its page sizes and lists",
    (_name, op) => {
      const { problems } = largestVariables(op, getOperationAST(parse(op.query))!);
      expect(problems).toEqual([]);
    },
  );

  it.each(operations.map((op) => [op.name, op] as const))(
    "%s stays under Shopify's 1,000-point limit for one query, at its largest page",
    (_name, op) => {
      const { variables } = largestVariables(op, getOperationAST(parse(op.query))!);
      const { cost, problems } = requestedCost(op.query, variables);
      expect(problems.map((problem) => problem.message)).toEqual([]);
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
      // The import's price and the stamps': one changed order alone comes to 41 since the page
      // asks what kind of buyer placed each order (a point, for B2B orders).
      expect((count + 3 + byId) / orders).toBeLessThanOrEqual(41);
    }
  });
});
