import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { AdminClient, operation } from "../../app/shopify/admin-client.server";
import {
  bulkLines,
  bulkQuery,
  bulkRecords,
  runBulkMutation,
  runBulkQuery,
  type BulkQuery,
} from "../../app/shopify/bulk.server";
import { loadAdminSchema } from "../../simulator/graphql/schema.server";
import { setBulkRunDelay } from "../../simulator/resolvers/bulk-operations.server";
import { validateBulkQuery } from "../../simulator/resolvers/bulk-validate.server";
import { installedShop } from "../support/shops";
import { startSimulator, type RunningSimulator } from "../support/simulator";
import { Store } from "../support/store";
import { deliver } from "../support/webhooks";

/**
 * The bulk-operation helper against the simulator and real Postgres: a bulk query streamed line
 * by line and as records with their nested objects (2026-07's ungrouped output), a bulk
 * mutation from a staged upload with its failed lines reported one by one, the
 * `bulk_operations/finish` webhook waking the wait, and polling when no webhook comes. Also:
 * every bulk query the app declares passes bulkOperationRunQuery's checks.
 */

let simulator: RunningSimulator;
/** Whether the simulator's bulk_operations/finish webhooks reach the app's route. */
let ringDoorbell = false;

beforeAll(async () => {
  simulator = await startSimulator(null);
  process.env.SHOPIFY_ADMIN_ORIGIN = simulator.url;
  const emit = simulator.sim.emit.bind(simulator.sim);
  simulator.sim.emit = (shop, topic, payload) => {
    if (topic !== "bulk_operations/finish") return emit(shop, topic, payload);
    // The app's route, as Shopify would call it, a little after the operation ends.
    if (ringDoorbell) setTimeout(() => void deliver({ topic, shop: shop.domain, payload: payload }), 20);
  };
});
afterAll(async () => {
  await simulator?.close();
});

async function shopWithProducts(count: number) {
  const shop = await installedShop();
  const store = new Store(simulator, shop.domain);
  for (let i = 0; i < count; i++)
    await store.product(`Tee ${i}`, [
      { sku: `TEE-${i}-S`, price: "10.00", option: "S" },
      { sku: `TEE-${i}-M`, price: "10.00", option: "M" },
    ]);
  const client = new AdminClient({ shop: shop.domain, accessToken: store.token });
  return { shop, store, client };
}

const PRODUCTS = bulkQuery(
  "TestBulkProducts",
  `query TestBulkProducts {
    products { edges { node { id title variants { edges { node { id sku } } } } } }
  }`,
);

describe("runBulkQuery", () => {
  it("streams the result line by line, and as records with their nested objects", async () => {
    const { client } = await shopWithProducts(3);
    const operation = await runBulkQuery(client, PRODUCTS, { pollMs: 50 });
    expect(operation).toMatchObject({ status: "COMPLETED", objectCount: "9", rootObjectCount: "3" });
    expect(operation.url).toMatch(new RegExp(`^${simulator.url}/`));

    const lines: Record<string, unknown>[] = [];
    for await (const line of bulkLines(operation.url)) lines.push(line);
    expect(lines).toHaveLength(9);
    // Ungrouped (2026-07's default): the products come first, their variants after them all.
    expect(lines.slice(0, 3).every((line) => !("__parentId" in line))).toBe(true);

    const records = [];
    for await (const record of bulkRecords(operation.url, { pageSize: 2 })) records.push(record);
    expect(records.map((record) => record.node.title)).toEqual(["Tee 0", "Tee 1", "Tee 2"]);
    for (const [i, record] of records.entries())
      expect(record.children.get("ProductVariant")!.map((variant) => variant.sku)).toEqual([
        `TEE-${i}-S`,
        `TEE-${i}-M`,
      ]);
    expect(records[0]!.children.get("ProductVariant")![0]).not.toHaveProperty("__parentId");
  });

  it("is woken by the bulk_operations/finish webhook, recorded like the others", async () => {
    const { client, shop } = await shopWithProducts(1);
    const seen: string[] = [];
    ringDoorbell = true;
    setBulkRunDelay(simulator.sim, 1500);
    try {
      const started = Date.now();
      // A first poll right after the start finds it RUNNING; the next would come after a
      // minute: only the doorbell can end the wait sooner.
      const operation = await runBulkQuery(client, PRODUCTS, {
        pollMs: 60_000,
        onStatus: (op) => seen.push(op.status),
      });
      expect(operation.status).toBe("COMPLETED");
      expect(seen).toEqual(["RUNNING", "COMPLETED"]);
      expect(Date.now() - started).toBeLessThan(30_000);
    } finally {
      ringDoorbell = false;
      setBulkRunDelay(simulator.sim, 0);
    }
    const deliveries = await prisma.webhookDelivery.findMany({
      where: { shopDomain: shop.domain, topic: "bulk_operations/finish" },
    });
    expect(deliveries).toHaveLength(1);
  });

  it("polls bulkOperation(id:) when no webhook comes", async () => {
    const { client } = await shopWithProducts(1);
    setBulkRunDelay(simulator.sim, 300);
    try {
      const operation = await runBulkQuery(client, PRODUCTS, { pollMs: 20 });
      expect(operation.status).toBe("COMPLETED");
    } finally {
      setBulkRunDelay(simulator.sim, 0);
    }
  });

  it("gives nothing to read when the query matched nothing, and refuses an invalid query", async () => {
    const { client } = await shopWithProducts(0);
    const operation = await runBulkQuery(client, PRODUCTS, { pollMs: 20 });
    expect(operation.url).toBeNull();
    const lines = [];
    for await (const line of bulkLines(operation.url)) lines.push(line);
    expect(lines).toEqual([]);
    await expect(
      runBulkQuery(client, bulkQuery("TestNoConnection", "query TestNoConnection { shop { id } }")),
    ).rejects.toThrow("Bulk queries must contain at least one connection.");
  });
});

const CREATE = operation<
  {
    productCreate: { product: { title: string } | null; userErrors: { field: string[]; message: string }[] };
  },
  { product: { title: string } }
>(
  "TestBulkProductCreate",
  `mutation TestBulkProductCreate($product: ProductCreateInput!) {
    productCreate(product: $product) { product { title } userErrors { field message } }
  }`,
);

describe("runBulkMutation", () => {
  it("stages the variables, runs the mutation per line and reports the failed lines one by one", async () => {
    const { client, store } = await shopWithProducts(0);
    const titles = ["Shirt", "", "Pants", "", "Hat"];
    const run = await runBulkMutation(
      client,
      CREATE,
      titles.map((title) => ({ product: { title } })),
      { pollMs: 20 },
    );
    expect(run.operation.status).toBe("COMPLETED");
    expect(run.lines).toBe(5);
    const failed = [];
    for await (const line of run.failedLines()) failed.push([line.lineNumber, line.errors]);
    expect(failed).toEqual([
      [1, ["title: Title can't be blank"]],
      [3, ["title: Title can't be blank"]],
    ]);
    const results = [];
    for await (const line of run.results()) results.push(line.data?.productCreate.product?.title ?? null);
    expect(results).toEqual(["Shirt", null, "Pants", null, "Hat"]);
    const { products } = await store.graphql<{ products: { nodes: { title: string }[] } }>(
      `query TestTitles { products(first: 10, sortKey: TITLE) { nodes { title } } }`,
    );
    expect(products.nodes.map((p) => p.title)).toEqual(["Hat", "Pants", "Shirt"]);
  });
});

describe("the app's bulk queries", () => {
  const ROOT = path.resolve(import.meta.dirname, "../..");
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) return name === "generated" ? [] : files(full);
      return name.endsWith("operations.server.ts") ? [full] : [];
    });

  it("pass bulkOperationRunQuery's checks (schema, connections, nesting, ids)", async () => {
    const queries: BulkQuery[] = [];
    for (const file of files(path.join(ROOT, "app"))) {
      const module = (await import(file)) as Record<string, unknown>;
      for (const value of Object.values(module))
        if (typeof value === "object" && value !== null && "bulkQuery" in value)
          queries.push(value as BulkQuery);
    }
    expect(queries.map((query) => query.name)).toContain("SyncOrdersBulk");
    for (const query of queries) {
      const checked = validateBulkQuery(loadAdminSchema(), query.bulkQuery);
      expect("errors" in checked ? checked.errors : [], query.name).toEqual([]);
    }
  });
});
