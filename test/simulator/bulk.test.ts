/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-explicit-any -- GraphQL responses are untyped JSON here; the assertions check their shape. */
import { describe, expect, it } from "vitest";
import { createSimulatorServer, listen } from "../../simulator/http/server.server";
import { bulkOperationsSettled } from "../../simulator/resolvers/bulk-operations.server";
import { executeLocal } from "../../simulator/resolvers/local-execute.server";
import type { BulkOperationRecord } from "../../simulator/state/records.server";
import type { ShopState } from "../../simulator/state/shop-state.server";
import { testSimulator } from "../../simulator/testing.server";
import { webhookSchemaErrors as schemaErrors } from "../support/webhook-schemas";

/**
 * Bulk query operations: validation of the inner query, the run over the shop's state, the JSONL
 * it produces (Shopify's format: a line per node, `__parentId` on nested ones), the operation's
 * lifecycle (answered CREATED, run afterwards), the `bulk_operations/finish` webhook, up to five
 * bulk queries at a time, staged uploads over HTTP and bulk mutations reading the staged file.
 */

function setup() {
  const sim = testSimulator();
  const domain = "bulk-test.myshopify.com";
  const shop = sim.shop(domain);
  const sent: { topic: string; payload: any }[] = [];
  sim.emit = (target, topic, payload) => {
    if (target === shop) sent.push({ topic, payload: JSON.parse(JSON.stringify(payload)) });
  };
  const gql = async (query: string, variables: Record<string, unknown> = {}): Promise<any> => {
    const response = await executeLocal(sim, domain, query, variables);
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    return response.data;
  };
  /** Runs a bulk query and waits for its run, as a client waits for the webhook. */
  const run = async (query: string): Promise<any> => {
    const data = await gql(RUN, { query });
    await bulkOperationsSettled(shop);
    return data;
  };
  return { sim, shop, domain, sent, gql, run };
}

/** A product with variants, put straight into the state (the catalog resolvers are another module's). */
function addProduct(
  shop: ShopState,
  title: string,
  variantTitles: string[],
): { id: number; variantIds: number[] } {
  const now = new Date("2026-07-01T12:00:00Z");
  const id = shop.newId();
  const variantIds = variantTitles.map((variantTitle, position) => {
    const variantId = shop.newId();
    const itemId = shop.newId();
    shop.variants.set(variantId, {
      id: variantId,
      productId: id,
      title: variantTitle,
      sku: null,
      barcode: null,
      price: "10.00",
      compareAtPrice: null,
      position: position + 1,
      selectedOptions: [{ name: "Size", value: variantTitle }],
      inventoryItemId: itemId,
      mediaId: null,
      taxable: true,
      createdAt: now,
      updatedAt: now,
    });
    shop.inventoryItems.set(itemId, {
      id: itemId,
      variantId,
      sku: null,
      tracked: true,
      requiresShipping: true,
      unitCost: null,
      createdAt: now,
      updatedAt: now,
    });
    return variantId;
  });
  shop.products.set(id, {
    id,
    title,
    handle: title.toLowerCase().replace(/\W+/g, "-"),
    descriptionHtml: "",
    vendor: "Acme",
    productType: "",
    status: "ACTIVE",
    tags: [],
    options: [{ id: shop.newId(), name: "Size", values: variantTitles }],
    variantIds,
    mediaIds: [],
    createdAt: now,
    updatedAt: now,
  });
  return { id, variantIds };
}

const RUN = `mutation Run($query: String!) {
  bulkOperationRunQuery(query: $query) {
    bulkOperation { id status type objectCount url }
    userErrors { field message code }
  }
}`;

const RUN_GROUPED = `mutation RunGrouped($query: String!) {
  bulkOperationRunQuery(query: $query, groupObjects: true) {
    bulkOperation { id status type objectCount url }
    userErrors { field message code }
  }
}`;

const READ = `query Read($id: ID!) {
  bulkOperation(id: $id) {
    id status type errorCode objectCount rootObjectCount fileSize url partialDataUrl completedAt createdAt query
  }
}`;

// The nested example of Shopify's guide ("Perform bulk operations with the GraphQL Admin API").
const PRODUCTS_WITH_VARIANTS = `{
  products {
    edges {
      node {
        id
        variants {
          edges {
            node {
              id
              title
            }
          }
        }
      }
    }
  }
}`;

function lines(jsonl: string): any[] {
  return jsonl
    .split("\n")
    .filter(Boolean)
    .map((line): any => JSON.parse(line));
}

function runningOperation(shop: ShopState): BulkOperationRecord {
  const operation: BulkOperationRecord = {
    id: shop.newId(),
    type: "QUERY",
    status: "RUNNING",
    query: "{ products { edges { node { id } } } }",
    errorCode: null,
    objectCount: 0,
    rootObjectCount: 0,
    fileSize: null,
    resultJsonl: null,
    createdAt: new Date(),
    completedAt: null,
  };
  shop.bulkOperations.set(operation.id, operation);
  return operation;
}

describe("bulkOperationRunQuery", () => {
  it("writes products and their variants as JSONL lines linked by __parentId", async () => {
    const { shop, domain, gql } = setup();
    const shirt = addProduct(shop, "Shirt", ["70"]);
    const pants = addProduct(shop, "Pants", ["34", "36"]);
    const run = await gql(RUN_GROUPED, { query: PRODUCTS_WITH_VARIANTS });
    expect(run.bulkOperationRunQuery.userErrors).toEqual([]);
    // Shopify answers the mutation with the operation just created.
    expect(run.bulkOperationRunQuery.bulkOperation).toMatchObject({
      status: "CREATED",
      type: "QUERY",
      objectCount: "0",
      url: null,
    });

    const id = run.bulkOperationRunQuery.bulkOperation.id as string;
    await bulkOperationsSettled(shop);
    const read = (await gql(READ, { id })).bulkOperation;
    expect(read).toMatchObject({
      status: "COMPLETED",
      errorCode: null,
      objectCount: "5",
      rootObjectCount: "2",
    });
    expect(read.query).toBe(PRODUCTS_WITH_VARIANTS);
    // An absolute URL on the simulator (a placeholder host when it has no HTTP server).
    expect(read.url).toBe(`http://simulator.local/_sim/bulk/${domain}/${id.split("/").pop()}.jsonl`);
    expect(read.completedAt).not.toBeNull();

    const record = shop.bulkOperations.get(Number(id.split("/").pop()))!;
    const jsonl = record.resultJsonl!;
    expect(read.fileSize).toBe(String(Buffer.byteLength(jsonl)));
    const product = (n: number) => `gid://shopify/Product/${n}`;
    const variant = (n: number) => `gid://shopify/ProductVariant/${n}`;
    // Each parent comes before its children; no edges/node wrappers; __parentId last.
    expect(jsonl).toBe(
      [
        { id: product(shirt.id) },
        { id: variant(shirt.variantIds[0]!), title: "70", __parentId: product(shirt.id) },
        { id: product(pants.id) },
        { id: variant(pants.variantIds[0]!), title: "34", __parentId: product(pants.id) },
        { id: variant(pants.variantIds[1]!), title: "36", __parentId: product(pants.id) },
      ]
        .map((line) => `${JSON.stringify(line)}\n`)
        .join(""),
    );
  });

  it("writes nested lines after every top-level line without groupObjects (2026-07's default)", async () => {
    const { shop, run } = setup();
    const shirt = addProduct(shop, "Shirt", ["70"]);
    const pants = addProduct(shop, "Pants", ["34", "36"]);
    await run(PRODUCTS_WITH_VARIANTS);
    const record = [...shop.bulkOperations.values()][0]!;
    expect(record.groupObjects).toBe(false);
    expect(lines(record.resultJsonl!).map((line): unknown[] => [line.id, line.__parentId ?? null])).toEqual([
      [`gid://shopify/Product/${shirt.id}`, null],
      [`gid://shopify/Product/${pants.id}`, null],
      [`gid://shopify/ProductVariant/${shirt.variantIds[0]}`, `gid://shopify/Product/${shirt.id}`],
      [`gid://shopify/ProductVariant/${pants.variantIds[0]}`, `gid://shopify/Product/${pants.id}`],
      [`gid://shopify/ProductVariant/${pants.variantIds[1]}`, `gid://shopify/Product/${pants.id}`],
    ]);
  });

  it("reads every item of a connection, whatever `first` says, and keeps nested objects inline", async () => {
    const { shop, gql } = setup();
    for (let i = 0; i < 260; i++) addProduct(shop, `Product ${i}`, ["Default Title"]);
    const query = `{ products(first: 3) { edges { node { id title options { name values } } } } }`;
    const run = await gql(RUN, { query });
    await bulkOperationsSettled(shop);
    const record = [...shop.bulkOperations.values()][0]!;
    expect(run.bulkOperationRunQuery.userErrors).toEqual([]);
    expect(record.objectCount).toBe(260);
    expect(record.rootObjectCount).toBe(260);
    const first = lines(record.resultJsonl!)[0];
    expect(first).toEqual({
      id: expect.stringMatching(/^gid:\/\/shopify\/Product\/\d+$/),
      title: "Product 0",
      options: [{ name: "Size", values: ["Default Title"] }],
    });
  });

  it("completes with no file when nothing matches", async () => {
    const { gql, run: runQuery } = setup();
    const run = await runQuery(PRODUCTS_WITH_VARIANTS);
    const read = (await gql(READ, { id: run.bulkOperationRunQuery.bulkOperation.id })).bulkOperation;
    expect(read).toMatchObject({ status: "COMPLETED", objectCount: "0", url: null, fileSize: null });
  });

  it("sends bulk_operations/finish with a payload valid for its schema", async () => {
    const { shop, sent, run: runQuery } = setup();
    addProduct(shop, "Shirt", ["S"]);
    const run = await runQuery(PRODUCTS_WITH_VARIANTS);
    const finished = sent.filter((s) => s.topic === "bulk_operations/finish");
    expect(finished).toHaveLength(1);
    expect(finished[0]!.payload).toMatchObject({
      admin_graphql_api_id: run.bulkOperationRunQuery.bulkOperation.id,
      status: "completed",
      type: "query",
      error_code: null,
    });
    expect(schemaErrors("bulk_operations/finish", finished[0]!.payload)).toEqual([]);
  });

  it("runs up to five bulk queries at a time, refuses a sixth, and changes nothing then", async () => {
    const { shop, gql } = setup();
    const running = Array.from({ length: 5 }, () => runningOperation(shop));
    const run = await gql(RUN, { query: PRODUCTS_WITH_VARIANTS });
    expect(run.bulkOperationRunQuery).toEqual({
      bulkOperation: null,
      userErrors: [
        {
          field: null,
          message: `A bulk query operation for this app and shop is already in progress: ${running.map((op) => `gid://shopify/BulkOperation/${op.id}`).join(", ")}.`,
          code: "OPERATION_IN_PROGRESS",
        },
      ],
    });
    expect(shop.bulkOperations.size).toBe(5);
    running[0]!.status = "COMPLETED";
    const again = await gql(RUN, { query: PRODUCTS_WITH_VARIANTS });
    expect(again.bulkOperationRunQuery.userErrors).toEqual([]);
    expect(again.bulkOperationRunQuery.bulkOperation.status).toBe("CREATED");
    await bulkOperationsSettled(shop);
  });

  it.each([
    ["no connection", "{ shop { id name } }", ["Bulk queries must contain at least one connection."]],
    [
      "a top-level node",
      '{ node(id: "gid://shopify/Product/1") { id } }',
      [
        "Bulk queries cannot contain a top level `node` field.",
        "Bulk queries must contain at least one connection.",
      ],
    ],
    [
      "nodes instead of edges",
      "{ products { nodes { id } } }",
      [
        "All connection fields in a bulk query must select their contents using 'edges' > 'node', e.g: 'products { edges { node {'. Selecting via 'nodes' is not supported. Invalid connection fields: 'products'.",
      ],
    ],
    [
      "connections nested three deep",
      "{ products { edges { node { id variants { edges { node { id inventoryItem { id inventoryLevels { edges { node { id } } } } } } } } } } }",
      ["Bulk queries cannot contain connections with a nesting depth greater than 2."],
    ],
    [
      "six connections",
      "{ products { edges { node { id a: variants { edges { node { id } } } b: variants { edges { node { id } } } c: variants { edges { node { id } } } d: variants { edges { node { id } } } e: variants { edges { node { id } } } } } } }",
      ["Bulk queries cannot contain more than 5 connections."],
    ],
    [
      "a nested connection under a node without id",
      "{ products { edges { node { title variants { edges { node { id } } } } } } }",
      [
        "The parent 'node' field for a nested connection must select the 'id' field without an alias and must be of 'ID' return type. Connection fields without 'id': products.",
      ],
    ],
    [
      "a mutation",
      'mutation { productCreate(product: { title: "x" }) { product { id } } }',
      ["Invalid operation type. Only `query` operations are supported."],
    ],
    ["a syntax error", "", ["Invalid bulk query: syntax error, unexpected end of file"]],
    [
      "an unknown field",
      "{ products { edges { node { id colour } } } }",
      ["Invalid bulk query: Field 'colour' doesn't exist on type 'Product'"],
    ],
  ])("rejects a query with %s", async (_name, query, messages) => {
    const { shop, gql } = setup();
    const run = await gql(RUN, { query });
    expect(run.bulkOperationRunQuery.bulkOperation).toBeNull();
    expect(run.bulkOperationRunQuery.userErrors).toEqual(
      messages.map((message) => ({ field: ["query"], message, code: "INVALID" })),
    );
    expect(shop.bulkOperations.size).toBe(0);
  });
});

describe("bulk operation queries and cancel", () => {
  it("finds operations by id, as the current one, and by search", async () => {
    const { shop, gql, run } = setup();
    addProduct(shop, "Shirt", ["S"]);
    const first = (await run(PRODUCTS_WITH_VARIANTS)).bulkOperationRunQuery.bulkOperation.id;
    const second = (await run("{ products { edges { node { id } } } }")).bulkOperationRunQuery.bulkOperation
      .id;
    const data = await gql(`{
      currentBulkOperation { id status }
      mutationOp: currentBulkOperation(type: MUTATION) { id }
      completed: bulkOperations(first: 5, query: "status:completed operation_type:query", reverse: true) { nodes { id } }
      running: bulkOperations(first: 5, query: "status:running") { nodes { id } }
    }`);
    expect(data.currentBulkOperation).toEqual({ id: second, status: "COMPLETED" });
    expect(data.mutationOp).toBeNull();
    expect(data.completed.nodes).toEqual([{ id: second }, { id: first }]);
    expect(data.running.nodes).toEqual([]);
    expect((await gql(READ, { id: "gid://shopify/BulkOperation/1" })).bulkOperation).toBeNull();
  });

  it("cancels a running operation, and refuses to cancel a completed one", async () => {
    const { shop, sent, gql } = setup();
    const running = runningOperation(shop);
    const CANCEL = `mutation Cancel($id: ID!) { bulkOperationCancel(id: $id) { bulkOperation { id status } userErrors { field message } } }`;
    const cancel = await gql(CANCEL, { id: `gid://shopify/BulkOperation/${running.id}` });
    expect(cancel.bulkOperationCancel).toEqual({
      bulkOperation: { id: `gid://shopify/BulkOperation/${running.id}`, status: "CANCELING" },
      userErrors: [],
    });
    expect(running.status).toBe("CANCELED");
    const finish = sent.find((s) => s.topic === "bulk_operations/finish")!;
    expect(finish.payload.status).toBe("canceled");
    expect(schemaErrors("bulk_operations/finish", finish.payload)).toEqual([]);
    // With the first one gone, a new run is accepted.
    const run = await gql(RUN, { query: PRODUCTS_WITH_VARIANTS });
    expect(run.bulkOperationRunQuery.userErrors).toEqual([]);
    await bulkOperationsSettled(shop);
    const again = await gql(CANCEL, { id: run.bulkOperationRunQuery.bulkOperation.id });
    expect(again.bulkOperationCancel.userErrors).toEqual([
      { field: null, message: "A bulk operation cannot be canceled when it is completed" },
    ]);
    const missing = await gql(CANCEL, { id: "gid://shopify/BulkOperation/1" });
    expect(missing.bulkOperationCancel).toEqual({
      bulkOperation: null,
      userErrors: [{ field: ["id"], message: "Bulk operation does not exist" }],
    });
  });
});

describe("staged uploads and bulk mutations, over HTTP", () => {
  const STAGE = `mutation Stage($input: [StagedUploadInput!]!) {
    stagedUploadsCreate(input: $input) {
      stagedTargets { url resourceUrl parameters { name value } }
      userErrors { field message }
    }
  }`;
  const RUN_MUTATION = `mutation RunMutation($mutation: String!, $path: String!) {
    bulkOperationRunMutation(mutation: $mutation, stagedUploadPath: $path) {
      bulkOperation { id status type }
      userErrors { field message code }
    }
  }`;
  const CREATE = `mutation Create($product: ProductCreateInput!) {
    productCreate(product: $product) { product { title } userErrors { field message } }
  }`;

  async function served() {
    const { sim, shop, domain, sent } = setup();
    const server = createSimulatorServer(sim);
    const port = await listen(server, 0);
    const graphql = async (query: string, variables: Record<string, unknown>): Promise<any> => {
      const response = await fetch(
        `http://127.0.0.1:${port}/shops/${domain}/admin/api/2026-07/graphql.json`,
        {
          method: "POST",
          headers: { "content-type": "application/json", "x-shopify-access-token": "shpat_test_token" },
          body: JSON.stringify({ query, variables }),
        },
      );
      const body = await response.json();
      expect(body.errors).toBeUndefined();
      return body.data;
    };
    const stage = async () => {
      const data = await graphql(STAGE, {
        input: [
          {
            resource: "BULK_MUTATION_VARIABLES",
            filename: "vars.jsonl",
            mimeType: "text/jsonl",
            httpMethod: "POST",
          },
        ],
      });
      expect(data.stagedUploadsCreate.userErrors).toEqual([]);
      return data.stagedUploadsCreate.stagedTargets[0] as {
        url: string;
        resourceUrl: null;
        parameters: { name: string; value: string }[];
      };
    };
    const upload = async (target: Awaited<ReturnType<typeof stage>>, jsonl: string, change = {}) => {
      const form = new FormData();
      for (const { name, value } of target.parameters) form.append(name, value);
      for (const [name, value] of Object.entries(change)) form.set(name, value as string);
      form.append("file", new Blob([jsonl], { type: "text/jsonl" }), "vars.jsonl");
      return fetch(target.url, { method: "POST", body: form });
    };
    return { sim, shop, domain, sent, port, graphql, stage, upload, close: () => server.close() };
  }

  it("stages a JSONL file by multipart POST to the simulator and runs the mutation once per line", async () => {
    const env = await served();
    try {
      const target = await env.stage();
      expect(target.url).toBe(`http://127.0.0.1:${env.port}/_sim/staged-uploads/`);
      expect(target.resourceUrl).toBeNull();
      expect(target.parameters.map((p) => p.name)).toEqual([
        "Content-Type",
        "success_action_status",
        "acl",
        "key",
        "x-goog-date",
        "x-goog-credential",
        "x-goog-algorithm",
        "x-goog-signature",
        "policy",
      ]);
      const key = target.parameters.find((p) => p.name === "key")!.value;
      const jsonl = [
        { product: { title: "Shirt" } },
        { product: { title: "" } },
        { product: { title: "Pants" } },
      ]
        .map((line) => JSON.stringify(line))
        .join("\n");
      const uploaded = await env.upload(target, `${jsonl}\n`);
      expect(uploaded.status).toBe(201);
      expect(await uploaded.text()).toContain(`<Key>${key}</Key>`);

      const run = await env.graphql(RUN_MUTATION, { mutation: CREATE, path: key });
      expect(run.bulkOperationRunMutation.userErrors).toEqual([]);
      expect(run.bulkOperationRunMutation.bulkOperation).toMatchObject({
        status: "CREATED",
        type: "MUTATION",
      });
      await bulkOperationsSettled(env.shop);

      const id = run.bulkOperationRunMutation.bulkOperation.id as string;
      const read = (await env.graphql(READ, { id })).bulkOperation;
      expect(read).toMatchObject({ status: "COMPLETED", type: "MUTATION", objectCount: "3" });
      expect(read.url).toBe(
        `http://127.0.0.1:${env.port}/_sim/bulk/${env.domain}/${id.split("/").pop()}.jsonl`,
      );
      const result = await fetch(read.url as string);
      expect(result.status).toBe(200);
      expect(lines(await result.text())).toEqual([
        { data: { productCreate: { product: { title: "Shirt" }, userErrors: [] } }, __lineNumber: 0 },
        {
          data: {
            productCreate: {
              product: null,
              userErrors: [{ field: ["title"], message: "Title can't be blank" }],
            },
          },
          __lineNumber: 1,
        },
        { data: { productCreate: { product: { title: "Pants" }, userErrors: [] } }, __lineNumber: 2 },
      ]);
      expect([...env.shop.products.values()].map((p) => p.title).sort()).toEqual(["Pants", "Shirt"]);
      const finish = env.sent.find((s) => s.topic === "bulk_operations/finish")!;
      expect(finish.payload).toMatchObject({
        admin_graphql_api_id: id,
        status: "completed",
        type: "mutation",
      });
      expect(schemaErrors("bulk_operations/finish", finish.payload)).toEqual([]);
    } finally {
      env.close();
    }
  });

  it("refuses an upload the target did not issue, a path never uploaded, and what is not one mutation", async () => {
    const env = await served();
    try {
      const target = await env.stage();
      const key = target.parameters.find((p) => p.name === "key")!.value;
      const forged = await env.upload(target, "{}\n", { "x-goog-signature": "0".repeat(64) });
      expect(forged.status).toBe(403);
      const missing = await env.graphql(RUN_MUTATION, { mutation: CREATE, path: key });
      expect(missing.bulkOperationRunMutation).toEqual({
        bulkOperation: null,
        userErrors: [
          {
            field: ["stagedUploadPath"],
            message:
              "The JSONL file could not be found. Try uploading the file again, and check that you've entered the URL correctly for the stagedUploadPath mutation argument.",
            code: "NO_SUCH_FILE",
          },
        ],
      });
      expect((await env.upload(target, "not json\n")).status).toBe(201);
      const bad = await env.graphql(RUN_MUTATION, { mutation: CREATE, path: key });
      expect(bad.bulkOperationRunMutation.userErrors[0].code).toBe("INVALID_STAGED_UPLOAD_FILE");
      // One bulk mutation at a time per shop (queries may run beside it).
      expect((await env.upload(target, '{"product":{"title":"Hat"}}\n')).status).toBe(201);
      const running = runningOperation(env.shop);
      running.type = "MUTATION";
      const second = await env.graphql(RUN_MUTATION, { mutation: CREATE, path: key });
      expect(second.bulkOperationRunMutation.userErrors).toEqual([
        {
          field: null,
          message: `A bulk mutation operation for this app and shop is already in progress: gid://shopify/BulkOperation/${running.id}.`,
          code: "OPERATION_IN_PROGRESS",
        },
      ]);
      env.shop.bulkOperations.delete(running.id);
      const query = await env.graphql(RUN_MUTATION, { mutation: "{ shop { id } }", path: key });
      expect(query.bulkOperationRunMutation.userErrors[0]).toMatchObject({
        field: ["mutation"],
        code: "INVALID_MUTATION",
      });
      expect(env.shop.bulkOperations.size).toBe(0);
    } finally {
      env.close();
    }
  });
});
