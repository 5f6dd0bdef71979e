/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-explicit-any -- GraphQL responses and JSON schemas are untyped JSON here; the assertions check their shape. */
import { describe, expect, it } from "vitest";
import { executeLocal } from "../../simulator/resolvers/local-execute.server";
import { mediaSettled } from "../../simulator/resolvers/media-processing.server";
import { ean13, seedCatalog } from "../../simulator/seed/catalog.server";
import { seededRandom } from "../../simulator/simulator.server";
import { testSimulator } from "../../simulator/testing.server";
import { webhookValidator } from "../support/webhook-schemas";

const DOMAIN = "catalog-test.myshopify.com";

// ---------------------------------------------------------------------------------------------
// Webhook payload validation against shopify-webhook-schemas 2026-07 (test/support/webhook-schemas.ts).

const schemaFor = webhookValidator;

// The inferred products schema types `image` as an object only, yet Shopify's own example
// payload (metadatas/2026-07/products/create.json) has `"image": null` for a product without
// images; the simulator sends null there too, so only that one property is widened.
const allowNullImage = (schema: Record<string, any>) => {
  schema.properties.image.type = ["object", "null"];
};

const validators = {
  "products/create": schemaFor("products/create", allowNullImage),
  "products/update": schemaFor("products/update", allowNullImage),
  "products/create strict": schemaFor("products/create"),
  "inventory_levels/update": schemaFor("inventory_levels/update"),
  "inventory_levels/connect": schemaFor("inventory_levels/connect"),
};

function expectValid(name: keyof typeof validators, payload: unknown) {
  const validate = validators[name];
  const ok = validate(payload);
  expect(validate.errors ?? [], `${name} payload: ${JSON.stringify(validate.errors)}`).toEqual([]);
  expect(ok).toBe(true);
}

// ---------------------------------------------------------------------------------------------

interface Emitted {
  topic: string;
  payload: any;
}

function setup(sizes = { locations: 2, products: 0, variantsPerProduct: 0 }) {
  const sim = testSimulator();
  const shop = sim.shop(DOMAIN);
  seedCatalog(shop, sizes, seededRandom(7), sim.clock.now());
  const emitted: Emitted[] = [];
  const emit = sim.emit.bind(sim);
  sim.emit = (target, topic, payload) => {
    emitted.push({ topic, payload: JSON.parse(JSON.stringify(payload)) });
    emit(target, topic, payload);
  };
  const raw = (query: string, variables: Record<string, unknown> = {}) =>
    executeLocal(sim, DOMAIN, query, variables);
  const gql = async (query: string, variables: Record<string, unknown> = {}): Promise<any> => {
    const response = await raw(query, variables);
    if (response.errors) throw new Error(JSON.stringify(response.errors));
    return response.data;
  };
  const locations = [...shop.locations.values()].map((l) => `gid://shopify/Location/${l.id}`);
  return { sim, shop, emitted, raw, gql, locations };
}

const PRODUCT_SET = `mutation Set($input: ProductSetInput!, $identifier: ProductSetIdentifiers) {
  productSet(input: $input, identifier: $identifier, synchronous: true) {
    product {
      id handle title vendor status tags
      options { name values optionValues { name hasVariants } }
      variants(first: 10) {
        nodes {
          id title sku barcode price compareAtPrice position inventoryQuantity
          selectedOptions { name value }
          inventoryItem { id sku tracked inventoryLevels(first: 3) { nodes { id location { id } quantities(names: ["available", "on_hand"]) { name quantity } } } }
        }
      }
    }
    userErrors { field message code }
  }
}`;

function shirtInput(overrides: Record<string, unknown> = {}) {
  return {
    title: "Harbor Tee",
    vendor: "Blue Harbor Co.",
    productType: "Shirts",
    status: "ACTIVE",
    tags: ["summer", "tops"],
    productOptions: [{ name: "Size", values: [{ name: "S" }, { name: "M" }, { name: "L" }] }],
    variants: ["S", "M", "L"].map((size, i) => ({
      optionValues: [{ optionName: "Size", name: size }],
      price: "19.9",
      compareAtPrice: i === 0 ? "25" : null,
      barcode: ean13(`40000000000${i}`),
      inventoryItem: { sku: `TEE-${size}` },
    })),
    ...overrides,
  };
}

const SET_QUANTITIES = `mutation Set($input: InventorySetQuantitiesInput!, $key: String!) {
  inventorySetQuantities(input: $input) @idempotent(key: $key) {
    inventoryAdjustmentGroup { reason changes { name delta quantityAfterChange } }
    userErrors { field message code }
  }
}`;

async function createShirt(env: ReturnType<typeof setup>) {
  const data = await env.gql(PRODUCT_SET, { input: shirtInput() });
  expect(data.productSet.userErrors).toEqual([]);
  return data.productSet.product;
}

describe("productSet", () => {
  it("creates a product with options and variants that products queries find again", async () => {
    const env = setup();
    const product = await createShirt(env);
    expect(product).toMatchObject({
      handle: "harbor-tee",
      vendor: "Blue Harbor Co.",
      status: "ACTIVE",
      tags: ["summer", "tops"],
    });
    expect(product.options).toEqual([
      {
        name: "Size",
        values: ["S", "M", "L"],
        optionValues: ["S", "M", "L"].map((name) => ({ name, hasVariants: true })),
      },
    ]);
    expect(
      product.variants.nodes.map((v: any) => [v.title, v.sku, v.price, v.compareAtPrice, v.position]),
    ).toEqual([
      ["S", "TEE-S", "19.90", "25.00", 1],
      ["M", "TEE-M", "19.90", null, 2],
      ["L", "TEE-L", "19.90", null, 3],
    ]);
    const small = product.variants.nodes[0];
    expect(small.barcode).toBe(ean13("400000000000"));
    expect(small.inventoryItem).toMatchObject({ sku: "TEE-S", tracked: true });
    // New variants are stocked, with nothing on hand, at the primary location only.
    expect(small.inventoryItem.inventoryLevels.nodes).toHaveLength(1);
    expect(small.inventoryItem.inventoryLevels.nodes[0].location.id).toBe(env.locations[0]);

    const query = `query Find($q: String!) { products(first: 10, query: $q) { nodes { id title } } }`;
    for (const q of [
      "sku:TEE-M",
      "title:'Harbor Tee'",
      "vendor:'Blue Harbor Co.'",
      "product_type:Shirts",
      "tag:summer",
      "status:active",
      "harbor",
    ]) {
      const found = await env.gql(query, { q });
      expect(
        found.products.nodes.map((p: any) => p.id),
        q,
      ).toEqual([product.id]);
    }
    for (const q of ["sku:TEE-XL", "status:draft", "tag:winter", "-tag:summer", "vendor:Acme"]) {
      const found = await env.gql(query, { q });
      expect(found.products.nodes, q).toEqual([]);
    }
    const byVariant = await env.gql(
      `{ productVariants(first: 5, query: "sku:TEE-L") { nodes { sku product { id } } } }`,
    );
    expect(byVariant.productVariants.nodes).toEqual([{ sku: "TEE-L", product: { id: product.id } }]);

    expect(env.emitted.map((e) => e.topic)).toEqual([
      "products/create",
      "inventory_levels/connect",
      "inventory_levels/connect",
      "inventory_levels/connect",
    ]);
    const payload = env.emitted[0]!.payload;
    expectValid("products/create", payload);
    expect(payload).toMatchObject({
      title: "Harbor Tee",
      handle: "harbor-tee",
      status: "active",
      tags: "summer, tops",
    });
    expect(payload.variants.map((v: any) => [v.sku, v.price, v.option1])).toEqual([
      ["TEE-S", "19.90", "S"],
      ["TEE-M", "19.90", "M"],
      ["TEE-L", "19.90", "L"],
    ]);
    for (const event of env.emitted.slice(1)) expectValid("inventory_levels/connect", event.payload);
  });

  it("updates by handle, keeping the ids of variants matched by option values and removing the rest", async () => {
    const env = setup();
    const before = await createShirt(env);
    env.emitted.length = 0;
    const input = shirtInput({
      title: "Harbor Tee II",
      variants: [
        {
          optionValues: [{ optionName: "Size", name: "M" }],
          price: "21.00",
          inventoryItem: { sku: "TEE-M2" },
        },
        { optionValues: [{ optionName: "Size", name: "L" }], price: "21.00" },
      ],
      productOptions: [{ name: "Size", values: [{ name: "M" }, { name: "L" }] }],
    });
    const data = await env.gql(PRODUCT_SET, { input, identifier: { handle: "harbor-tee" } });
    expect(data.productSet.userErrors).toEqual([]);
    const after = data.productSet.product;
    expect(after.id).toBe(before.id);
    expect(after.title).toBe("Harbor Tee II");
    expect(after.handle).toBe("harbor-tee");
    expect(after.variants.nodes.map((v: any) => [v.id, v.sku, v.price])).toEqual([
      [before.variants.nodes[1].id, "TEE-M2", "21.00"],
      [before.variants.nodes[2].id, "TEE-L", "21.00"],
    ]);
    const gone = await env.gql(`query V($id: ID!) { productVariant(id: $id) { id } }`, {
      id: before.variants.nodes[0].id,
    });
    expect(gone.productVariant).toBeNull();
    expect(env.emitted.map((e) => e.topic)).toEqual(["products/update"]);
    expectValid("products/update", env.emitted[0]!.payload);
  });

  it("rejects unknown option values, duplicate variants and taken handles without creating anything", async () => {
    const env = setup();
    await createShirt(env);
    env.emitted.length = 0;
    const cases: [Record<string, unknown>, string, string[]][] = [
      [
        shirtInput({
          title: "Other",
          variants: [{ optionValues: [{ optionName: "Size", name: "XS" }], price: "1" }],
        }),
        "OPTION_VALUE_DOES_NOT_EXIST",
        ["input", "variants", "0", "optionValues", "0"],
      ],
      [
        shirtInput({
          title: "Other",
          productOptions: [{ name: "Size", values: [{ name: "S" }] }],
          variants: [
            { optionValues: [{ optionName: "Size", name: "S" }], price: "1" },
            { optionValues: [{ optionName: "Size", name: "S" }], price: "2" },
          ],
        }),
        "INVALID_VARIANT",
        ["input", "variants", "1"],
      ],
      [shirtInput({ title: "Other", handle: "harbor-tee" }), "HANDLE_NOT_UNIQUE", ["input", "handle"]],
      [shirtInput({ title: "" }), "INVALID_PRODUCT", ["input", "title"]],
    ];
    for (const [input, code, field] of cases) {
      const data = await env.gql(PRODUCT_SET, { input });
      expect(data.productSet.product).toBeNull();
      expect(data.productSet.userErrors).toContainEqual(expect.objectContaining({ code, field }));
    }
    const count = await env.gql(`{ productsCount { count precision } }`);
    expect(count.productsCount).toEqual({ count: 1, precision: "EXACT" });
    expect(env.emitted).toEqual([]);
  });

  it("stocks new variants at the locations and quantities given", async () => {
    const env = setup();
    const input = shirtInput({
      productOptions: [{ name: "Size", values: [{ name: "S" }] }],
      variants: [
        {
          optionValues: [{ optionName: "Size", name: "S" }],
          price: "10",
          inventoryItem: { sku: "TEE-S" },
          inventoryQuantities: [{ locationId: env.locations[1], name: "available", quantity: 9 }],
        },
      ],
    });
    const data = await env.gql(PRODUCT_SET, { input });
    const variant = data.productSet.product.variants.nodes[0];
    expect(variant.inventoryQuantity).toBe(9);
    expect(variant.inventoryItem.inventoryLevels.nodes.map((n: any) => n.location.id)).toEqual([
      env.locations[1],
    ]);
    expect(env.emitted.map((e) => e.topic)).toEqual([
      "products/create",
      "inventory_levels/connect",
      "inventory_levels/update",
    ]);
    expectValid("inventory_levels/update", env.emitted[2]!.payload);
    expect(env.emitted[2]!.payload.available).toBe(9);
    // Once created, its quantities can only be set where it is stocked.
    const elsewhere = structuredClone(input);
    (elsewhere.variants as any)[0].inventoryQuantities[0].locationId = env.locations[0];
    const refused = await env.gql(PRODUCT_SET, { input: elsewhere, identifier: { handle: "harbor-tee" } });
    expect(refused.productSet.userErrors[0].code).toBe("INVALID_VARIANT");
  });
});

describe("catalog queries", () => {
  it("pages through a product's variants and the shop's variants with cursors", async () => {
    const env = setup({ locations: 1, products: 3, variantsPerProduct: 5 });
    const product = [...env.shop.products.values()][0]!;
    const pageQuery = `query P($id: ID!, $after: String) {
      product(id: $id) { variantsCount { count } variants(first: 2, after: $after) { nodes { sku position } pageInfo { hasNextPage hasPreviousPage endCursor } } }
    }`;
    const skus: string[] = [];
    let after: string | null = null;
    const pages: boolean[] = [];
    do {
      const data: any = await env.gql(pageQuery, { id: `gid://shopify/Product/${product.id}`, after });
      expect(data.product.variantsCount.count).toBe(5);
      const page = data.product.variants;
      skus.push(...page.nodes.map((n: any) => n.sku));
      pages.push(page.pageInfo.hasPreviousPage);
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(skus).toEqual(["S", "M", "L", "XL", "XXL"].map((size) => `SKU-0001-${size}`));
    expect(pages).toEqual([false, true, true]);

    const productId = `gid://shopify/Product/${product.id}`;
    const first = await env.gql(
      `query { productVariants(first: 3, query: "product_id:${product.id}") { nodes { sku } pageInfo { endCursor hasNextPage } } }`,
    );
    expect(first.productVariants.nodes).toHaveLength(3);
    expect(first.productVariants.pageInfo.hasNextPage).toBe(true);
    const rest = await env.gql(
      `query R($after: String) { productVariants(first: 3, after: $after, query: "product_id:${product.id}") { nodes { sku product { id } } pageInfo { hasNextPage } } }`,
      { after: first.productVariants.pageInfo.endCursor },
    );
    expect(rest.productVariants.nodes.map((n: any) => n.sku)).toEqual(["SKU-0001-XL", "SKU-0001-XXL"]);
    expect(rest.productVariants.nodes.every((n: any) => n.product.id === productId)).toBe(true);
    expect(rest.productVariants.pageInfo.hasNextPage).toBe(false);
    const last = await env.gql(`{ productVariants(last: 2) { nodes { sku } } }`);
    expect(last.productVariants.nodes.map((n: any) => n.sku)).toEqual(["SKU-0003-XL", "SKU-0003-XXL"]);
  });

  it("filters and sorts products by dates, ids and titles", async () => {
    const env = setup({ locations: 1, products: 6, variantsPerProduct: 1 });
    const products = [...env.shop.products.values()];
    const byCreated = [...products].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
    const cut = byCreated[3]!.createdAt.toISOString();
    const newer = await env.gql(
      `query Q($q: String!) { products(first: 10, query: $q, sortKey: CREATED_AT, reverse: true) { nodes { id } } }`,
      {
        q: `created_at:>='${cut}'`,
      },
    );
    expect(newer.products.nodes.map((n: any) => n.id)).toEqual(
      byCreated
        .slice(3)
        .reverse()
        .map((p) => `gid://shopify/Product/${p.id}`),
    );
    const ids = await env.gql(
      `query Q($q: String!) { products(first: 10, query: $q) { nodes { legacyResourceId } } }`,
      {
        q: `id:>${products[1]!.id} AND id:<=${products[3]!.id}`,
      },
    );
    expect(ids.products.nodes.map((n: any) => n.legacyResourceId)).toEqual([
      String(products[2]!.id),
      String(products[3]!.id),
    ]);
    const titles = await env.gql(`{ products(first: 10, sortKey: TITLE) { nodes { title } } }`);
    const sorted = titles.products.nodes.map((n: any) => n.title);
    expect(sorted).toEqual([...sorted].sort((a: string, b: string) => a.localeCompare(b)));
    const statuses = await env.gql(
      `{ products(first: 10, query: "status:active,draft,archived") { nodes { id } } }`,
    );
    expect(statuses.products.nodes).toHaveLength(6);
    const items = await env.gql(
      `{ inventoryItems(first: 5, query: "sku:SKU-0002") { nodes { sku variant { sku } } } }`,
    );
    expect(items.inventoryItems.nodes).toEqual([{ sku: "SKU-0002", variant: { sku: "SKU-0002" } }]);
  });

  it("serves locations with addresses and the inventory levels stocked there", async () => {
    const env = setup({ locations: 2, products: 2, variantsPerProduct: 2 });
    const data = await env.gql(`{
      byName: locations(first: 5) { nodes { name } }
      locations(first: 5, sortKey: ID) { nodes { id legacyResourceId name isActive fulfillsOnlineOrders address { city countryCode formatted }
        inventoryLevels(first: 10) { nodes { id item { sku } quantities(names: ["available", "on_hand"]) { name quantity } } } } }
      location { name }
    }`);
    const [main, east] = data.locations.nodes;
    expect(main).toMatchObject({
      name: "Main Warehouse",
      isActive: true,
      fulfillsOnlineOrders: true,
      address: { city: "Columbus", countryCode: "US" },
    });
    expect(main.address.formatted).toEqual(["1200 Commerce Way", "Columbus OH 43219", "United States"]);
    expect(east.name).toBe("East Coast Fulfillment Center");
    // NAME is the default sort key of locations.
    expect(data.byName.nodes.map((n: any) => n.name)).toEqual([
      "East Coast Fulfillment Center",
      "Main Warehouse",
    ]);
    expect(data.location.name).toBe("Main Warehouse");
    expect(main.inventoryLevels.nodes).toHaveLength(4);
    const level = main.inventoryLevels.nodes[0];
    expect(level.id).toMatch(/^gid:\/\/shopify\/InventoryLevel\/\d+\?inventory_item_id=\d+$/);
    const again = await env.gql(
      `query L($id: ID!) { inventoryLevel(id: $id) { item { sku } location { name } } }`,
      { id: level.id },
    );
    expect(again.inventoryLevel).toEqual({ item: level.item, location: { name: "Main Warehouse" } });
  });
});

describe("inventorySetQuantities", () => {
  async function stocked(env: ReturnType<typeof setup>, available: number) {
    const product = await createShirt(env);
    const variant = product.variants.nodes[0];
    const itemId = variant.inventoryItem.id;
    const input = (quantity: number, changeFromQuantity: number | null) => ({
      name: "available",
      reason: "correction",
      referenceDocumentUri: "gid://erp/StockSync/1",
      quantities: [{ inventoryItemId: itemId, locationId: env.locations[0], quantity, changeFromQuantity }],
    });
    const first = await env.gql(SET_QUANTITIES, { input: input(available, 0), key: "initial-stock" });
    expect(first.inventorySetQuantities.userErrors).toEqual([]);
    env.emitted.length = 0;
    const read = async () =>
      (
        await env.gql(
          `query I($id: ID!, $loc: ID!) { inventoryItem(id: $id) { inventoryLevel(locationId: $loc) { quantities(names: ["available", "on_hand"]) { name quantity } } variant { inventoryQuantity } } }`,
          {
            id: itemId,
            loc: env.locations[0],
          },
        )
      ).inventoryItem;
    return { itemId, input, read };
  }

  it("sets when changeFromQuantity matches, moving on_hand along, and sends one inventory_levels/update", async () => {
    const env = setup();
    const { input, read } = await stocked(env, 10);
    const data = await env.gql(SET_QUANTITIES, { input: input(15, 10), key: "k-1" });
    expect(data.inventorySetQuantities.userErrors).toEqual([]);
    expect(data.inventorySetQuantities.inventoryAdjustmentGroup.changes).toEqual([
      { name: "available", delta: 5, quantityAfterChange: 15 },
      { name: "on_hand", delta: 5, quantityAfterChange: 15 },
    ]);
    expect(await read()).toEqual({
      inventoryLevel: {
        quantities: [
          { name: "available", quantity: 15 },
          { name: "on_hand", quantity: 15 },
        ],
      },
      variant: { inventoryQuantity: 15 },
    });
    expect(env.emitted.map((e) => e.topic)).toEqual(["inventory_levels/update"]);
    expectValid("inventory_levels/update", env.emitted[0]!.payload);
    expect(env.emitted[0]!.payload).toMatchObject({
      available: 15,
      location_id: Number(env.locations[0]!.split("/").pop()),
    });
  });

  it("refuses a stale changeFromQuantity with CHANGE_FROM_QUANTITY_STALE and changes nothing", async () => {
    const env = setup();
    const { input, read } = await stocked(env, 10);
    const data = await env.gql(SET_QUANTITIES, { input: input(3, 7), key: "k-stale" });
    expect(data.inventorySetQuantities).toEqual({
      inventoryAdjustmentGroup: null,
      userErrors: [
        {
          field: ["input", "quantities", "0", "changeFromQuantity"],
          message: expect.any(String),
          code: "CHANGE_FROM_QUANTITY_STALE",
        },
      ],
    });
    expect((await read()).variant.inventoryQuantity).toBe(10);
    expect(env.emitted).toEqual([]);
  });

  it("requires changeFromQuantity on every quantity, null opting out of the check", async () => {
    const env = setup();
    const { input, read } = await stocked(env, 10);
    const omitted = input(4, null);
    delete (omitted.quantities[0] as { changeFromQuantity?: number | null }).changeFromQuantity;
    const refused = await env.gql(SET_QUANTITIES, { input: omitted, key: "k-omitted" });
    expect(refused.inventorySetQuantities.userErrors[0].code).toBe("COMPARE_QUANTITY_REQUIRED");
    const forced = await env.gql(SET_QUANTITIES, { input: input(4, null), key: "k-null" });
    expect(forced.inventorySetQuantities.userErrors).toEqual([]);
    expect((await read()).variant.inventoryQuantity).toBe(4);
  });

  it("applies a repeated idempotency key once and returns the first result", async () => {
    const env = setup();
    const { itemId, input, read } = await stocked(env, 10);
    const first = await env.gql(SET_QUANTITIES, { input: input(12, 10), key: "retry-me" });
    // The retry's changeFromQuantity is stale by now; a replay must not re-check or re-apply it.
    const retry = await env.gql(SET_QUANTITIES, { input: input(12, 10), key: "retry-me" });
    expect(retry).toEqual(first);
    expect(retry.inventorySetQuantities.userErrors).toEqual([]);
    expect((await read()).variant.inventoryQuantity).toBe(12);
    expect(env.emitted.map((e) => e.topic)).toEqual(["inventory_levels/update"]);

    const reused = await env.gql(SET_QUANTITIES, { input: input(20, 12), key: "retry-me" });
    expect(reused.inventorySetQuantities.userErrors[0].code).toBe("IDEMPOTENCY_KEY_PARAMETER_MISMATCH");
    expect((await read()).variant.inventoryQuantity).toBe(12);

    const adjust = `mutation A($input: InventoryAdjustQuantitiesInput!) {
      inventoryAdjustQuantities(input: $input) @idempotent(key: "adjust-1") { userErrors { code } }
    }`;
    const change = {
      name: "available",
      reason: "received",
      changes: [
        { inventoryItemId: itemId, locationId: env.locations[0], delta: 3, changeFromQuantity: null },
      ],
    };
    await env.gql(adjust, { input: change });
    await env.gql(adjust, { input: change });
    expect((await read()).variant.inventoryQuantity).toBe(15);
  });

  it("requires the @idempotent directive", async () => {
    const env = setup();
    const { input } = await stocked(env, 10);
    const response = await env.raw(
      `mutation S($input: InventorySetQuantitiesInput!) { inventorySetQuantities(input: $input) { userErrors { code } } }`,
      { input: input(11, 10) },
    );
    expect(response.errors?.[0]?.message).toMatch(/@idempotent/);
    expect(response.data?.inventorySetQuantities).toBeNull();
  });

  it("rejects more than 250 quantities in one call, changing nothing", async () => {
    const env = setup({ locations: 1, products: 26, variantsPerProduct: 10 });
    const items = [...env.shop.inventoryItems.values()].slice(0, 251);
    expect(items).toHaveLength(251);
    const quantities = items.map((item) => ({
      inventoryItemId: `gid://shopify/InventoryItem/${item.id}`,
      locationId: env.locations[0],
      quantity: 999,
      changeFromQuantity: null,
    }));
    const response = await env.raw(SET_QUANTITIES, {
      input: { name: "available", reason: "correction", quantities },
      key: "too-many",
    });
    expect(response.errors?.[0]).toMatchObject({
      message: "The input array size of 251 is greater than the maximum allowed of 250.",
      extensions: { code: "MAX_INPUT_SIZE_EXCEEDED" },
    });
    expect([...env.shop.inventoryLevels.values()].some((level) => level.quantities.available === 999)).toBe(
      false,
    );
    expect(env.emitted).toEqual([]);
    const ok = await env.gql(SET_QUANTITIES, {
      input: { name: "available", reason: "correction", quantities: quantities.slice(0, 250) },
      key: "just-enough",
    });
    expect(ok.inventorySetQuantities.userErrors).toEqual([]);
    expect(env.emitted).toHaveLength(250);
  });

  it("stocks an item at another location with inventoryActivate", async () => {
    const env = setup();
    const product = await createShirt(env);
    const itemId = product.variants.nodes[1].inventoryItem.id;
    env.emitted.length = 0;
    const activate = `mutation A($item: ID!, $loc: ID!) {
      inventoryActivate(inventoryItemId: $item, locationId: $loc, available: 7) @idempotent(key: "activate-1") {
        inventoryLevel { location { name } quantities(names: ["available", "on_hand"]) { name quantity } }
        userErrors { field message }
      }
    }`;
    const data = await env.gql(activate, { item: itemId, loc: env.locations[1] });
    expect(data.inventoryActivate).toEqual({
      inventoryLevel: {
        location: { name: "East Coast Fulfillment Center" },
        quantities: [
          { name: "available", quantity: 7 },
          { name: "on_hand", quantity: 7 },
        ],
      },
      userErrors: [],
    });
    expect(env.emitted.map((e) => e.topic)).toEqual(["inventory_levels/connect", "inventory_levels/update"]);
    const variant = await env.gql(
      `query V($id: ID!) { inventoryItem(id: $id) { variant { inventoryQuantity } locationsCount { count } } }`,
      { id: itemId },
    );
    expect(variant.inventoryItem).toEqual({
      variant: { inventoryQuantity: 7 },
      locationsCount: { count: 2 },
    });
  });
});

describe("productCreate, productUpdate, variants and media", () => {
  it("creates a product with its first variant, then bulk-creates and bulk-updates variants", async () => {
    const env = setup();
    const created = await env.gql(`mutation {
      productCreate(product: { title: "Summit Cap", productOptions: [{ name: "Color", values: [{ name: "Black" }, { name: "Olive" }] }] }) {
        product { id vendor status options { name values optionValues { name hasVariants } } variants(first: 5) { nodes { title price } } }
        userErrors { field message }
      }
    }`);
    const product = created.productCreate.product;
    expect(product.vendor).toBe("catalog-test");
    expect(product.options[0].optionValues).toEqual([
      { name: "Black", hasVariants: true },
      { name: "Olive", hasVariants: false },
    ]);
    expect(product.variants.nodes).toEqual([{ title: "Black", price: "0.00" }]);

    const bulkCreate = `mutation B($id: ID!, $variants: [ProductVariantsBulkInput!]!) {
      productVariantsBulkCreate(productId: $id, variants: $variants) {
        productVariants { id title sku price }
        userErrors { field message code }
      }
    }`;
    const added = await env.gql(bulkCreate, {
      id: product.id,
      variants: [
        {
          optionValues: [{ optionName: "Color", name: "Olive" }],
          price: "24.00",
          inventoryItem: { sku: "CAP-OLV" },
        },
        {
          optionValues: [{ optionName: "Color", name: "Red" }],
          price: "24.00",
          inventoryItem: { sku: "CAP-RED" },
        },
      ],
    });
    expect(added.productVariantsBulkCreate.userErrors).toEqual([]);
    expect(added.productVariantsBulkCreate.productVariants.map((v: any) => v.title)).toEqual([
      "Olive",
      "Red",
    ]);
    const duplicate = await env.gql(bulkCreate, {
      id: product.id,
      variants: [{ optionValues: [{ optionName: "Color", name: "Red" }] }],
    });
    expect(duplicate.productVariantsBulkCreate.userErrors[0].code).toBe("VARIANT_ALREADY_EXISTS");

    const bulkUpdate = `mutation U($id: ID!, $variants: [ProductVariantsBulkInput!]!) {
      productVariantsBulkUpdate(productId: $id, variants: $variants) { productVariants { price barcode } userErrors { field code } }
    }`;
    const red = added.productVariantsBulkCreate.productVariants[1];
    const negative = await env.gql(bulkUpdate, { id: product.id, variants: [{ id: red.id, price: "-1" }] });
    expect(negative.productVariantsBulkUpdate.userErrors).toEqual([
      { field: ["variants", "0", "price"], code: "GREATER_THAN_OR_EQUAL_TO" },
    ]);
    const updated = await env.gql(bulkUpdate, {
      id: product.id,
      variants: [{ id: red.id, price: "27.5", barcode: "123" }],
    });
    expect(updated.productVariantsBulkUpdate).toEqual({
      productVariants: [{ price: "27.50", barcode: "123" }],
      userErrors: [],
    });
    const topics = env.emitted.map((e) => e.topic).filter((t) => t.startsWith("products/"));
    expect(topics).toEqual(["products/create", "products/update", "products/update"]);
    for (const event of env.emitted.filter((e) => e.topic.startsWith("products/")))
      expectValid(event.topic as "products/update", event.payload);
  });

  it("adds media that is processed after the request, and sends payloads with images that pass the strict schema", async () => {
    const env = setup();
    const product = await createShirt(env);
    const data = await env.gql(
      `mutation M($id: ID!) {
      productCreateMedia(productId: $id, media: [{ mediaContentType: IMAGE, originalSource: "https://example.com/tee.png", alt: "Front" }]) {
        media { __typename alt mediaContentType status ... on MediaImage { image { url } } }
        mediaUserErrors { code }
      }
    }`,
      { id: product.id },
    );
    expect(data.productCreateMedia).toEqual({
      media: [
        {
          __typename: "MediaImage",
          alt: "Front",
          mediaContentType: "IMAGE",
          status: "UPLOADED",
          image: null,
        },
      ],
      mediaUserErrors: [],
    });
    await mediaSettled(env.shop);
    const after = await env.gql(
      `query P($id: ID!) { product(id: $id) { featuredMedia { status ... on MediaImage { image { url altText } } } media(first: 5) { nodes { status } } } }`,
      {
        id: product.id,
      },
    );
    expect(after.product.featuredMedia).toEqual({
      status: "READY",
      image: { url: "https://example.com/tee.png", altText: "Front" },
    });

    const update = await env.gql(
      `mutation U($id: ID!) { productUpdate(product: { id: $id, tags: ["b", "a", "b"], status: DRAFT }) { product { tags status } userErrors { field } } }`,
      {
        id: product.id,
      },
    );
    expect(update.productUpdate.product).toEqual({ tags: ["a", "b"], status: "DRAFT" });
    const last = env.emitted.at(-1)!;
    expect(last.topic).toBe("products/update");
    expectValid("products/create strict", last.payload);
    expect(last.payload.images[0]).toMatchObject({ src: "https://example.com/tee.png", alt: "Front" });

    const missing = await env.gql(
      `mutation { productCreateMedia(productId: "gid://shopify/Product/1", media: []) { mediaUserErrors { code } } }`,
    );
    expect(missing.productCreateMedia.mediaUserErrors).toEqual([{ code: "PRODUCT_DOES_NOT_EXIST" }]);
  });
});

describe("seedCatalog", () => {
  it("is deterministic and makes unique SKUs, valid EAN-13 barcodes and stock at every location", () => {
    const sizes = { locations: 3, products: 8, variantsPerProduct: 8 };
    const a = testSimulator().shop("a.myshopify.com");
    const b = testSimulator().shop("a.myshopify.com");
    const now = new Date("2026-07-01T12:00:00Z");
    seedCatalog(a, sizes, seededRandom(3), now);
    seedCatalog(b, sizes, seededRandom(3), now);
    expect(
      JSON.stringify([...b.products.values(), ...b.variants.values(), ...b.inventoryLevels.values()]),
    ).toBe(JSON.stringify([...a.products.values(), ...a.variants.values(), ...a.inventoryLevels.values()]));
    const variants = [...a.variants.values()];
    expect(variants).toHaveLength(64);
    expect(new Set(variants.map((v) => v.sku)).size).toBe(64);
    expect(variants[0]!.sku).toBe("SKU-0001-S-BLK");
    for (const variant of variants) {
      expect(variant.barcode).toMatch(/^\d{13}$/);
      expect(ean13(variant.barcode!.slice(0, 12))).toBe(variant.barcode);
      expect(Number(variant.price)).toBeGreaterThan(0);
    }
    expect([...a.locations.values()].map((l) => l.name)).toEqual([
      "Main Warehouse",
      "East Coast Fulfillment Center",
      "West Coast Distribution Center",
    ]);
    expect(a.inventoryLevels.size).toBe(64 * 3);
    expect(
      a.products
        .values()
        .next()
        .value!.options.map((o) => o.name),
    ).toEqual(["Size", "Color"]);
  });
});
