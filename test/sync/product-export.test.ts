import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createItem,
  savePriceGroup,
  saveDiscountGroup,
  setLineDiscount,
  setSalesPrice,
  updateItem,
} from "../../app/backoffice/backoffice.server";
import prisma from "../../app/db.server";
import { runInForeground } from "../../app/jobs/foreground.server";
import { syncProductsTask } from "../../app/sync/products/task.server";
import { addItemsToShopify, PRODUCT_TASK } from "../../app/sync/products/records.server";
import { deleteVariant } from "../../simulator/resolvers/catalog-store.server";
import { ITEM_STATE_WORDS, itemRows } from "../../app/admin/items.server";
import { saveSettings } from "../../app/admin/settings.server";
import { settingsForm } from "../support/admin";
import { installedShop } from "../support/shops";
import { startSimulator, type RunningSimulator } from "../support/simulator";
import { Store } from "../support/store";

/**
 * Items → products against the simulated Shopify and real Postgres: what an item becomes,
 * that a second run sends nothing, that a price change goes alone, blocked items, and a
 * refused variant marked alone.
 */

let simulator: RunningSimulator;

beforeAll(async () => {
  simulator = await startSimulator(null);
  process.env.SHOPIFY_ADMIN_ORIGIN = simulator.url;
});
afterAll(() => simulator?.close());

interface ShopifyVariant {
  id: string;
  sku: string | null;
  barcode: string | null;
  price: string;
  compareAtPrice: string | null;
  inventoryPolicy: string;
  selectedOptions: { name: string; value: string }[];
  inventoryItem: { id: string; tracked: boolean; unitCost: { amount: string } | null };
}
interface ShopifyProductView {
  id: string;
  title: string;
  status: string;
  vendor: string;
  productType: string;
  tags: string[];
  descriptionHtml: string;
  options: { name: string; values: string[] }[];
  variants: { nodes: ShopifyVariant[] };
}

async function exportShop(settings: Record<string, unknown> = {}) {
  const shop = await installedShop();
  const store = new Store(simulator, shop.domain);
  await prisma.session.update({
    where: { id: `offline_${shop.domain}` },
    data: { accessToken: store.token },
  });
  await prisma.shopSettings.update({
    where: { shopId: shop.id },
    data: { syncItems: "to_shopify", productMapping: "item_no_variant_code", ...settings },
  });
  const run = (filters: Record<string, unknown> = {}) =>
    runInForeground(prisma, syncProductsTask, { shop: shop.domain, trigger: "manual", filters });
  const product = async (id: string) =>
    (
      await store.graphql<{ product: ShopifyProductView | null }>(
        `query TestProduct($id: ID!) { product(id: $id) {
          id title status vendor productType tags descriptionHtml options { name values }
          variants(first: 50) { nodes { id sku barcode price compareAtPrice inventoryPolicy
            selectedOptions { name value } inventoryItem { id tracked unitCost { amount } } } }
        } }`,
        { id },
      )
    ).product;
  const record = (itemNo: string) =>
    prisma.syncRecord.findUniqueOrThrow({
      where: { shopId_task_recordKey: { shopId: shop.id, task: PRODUCT_TASK, recordKey: itemNo } },
    });
  return { shop, store, run, product, record };
}

async function teeItem(shopId: string) {
  return createItem(prisma, shopId, {
    no: "TEE",
    description: "Merino Tee",
    descriptionHtml: "<p>Soft merino</p>",
    vendor: "Wool & Co",
    productType: "Shirts",
    tags: ["wool", "summer"],
    unitPrice: "40",
    unitCost: "12.5",
    weight: "0.2",
    optionNames: ["Size", "Color"],
    variants: [
      { code: "S-BLK", description: "Small black", barcode: "4006381333931", options: ["S", "Black"] },
      { code: "M-BLK", description: "Medium black", barcode: "4006381333948", options: ["M", "Black"] },
      { code: "M-WHT", description: "Medium white", options: ["M", "White"] },
    ],
  });
}

describe("many items exported at once", () => {
  it("go as one bulk mutation of productSet, then their price changes as one bulk mutation", async () => {
    const { shop, run, store } = await exportShop();
    const nos = Array.from({ length: 24 }, (_, i) => `BULK-${String(i + 1).padStart(2, "0")}`);
    for (const [i, no] of nos.entries())
      await createItem(prisma, shop.id, { no, description: `Bulk item ${i + 1}`, unitPrice: `${10 + i}` });
    await addItemsToShopify(prisma, shop.id, nos);

    const first = await run();

    // A staged upload and the bulk mutation: two requests for 24 products.
    expect(first).toMatchObject({
      status: "succeeded",
      counts: { created: 24, bulkMutations: 1, mutationRequests: 2 },
    });
    const links = await prisma.shopifyVariantMap.findMany({ where: { shopId: shop.id } });
    expect(links).toHaveLength(24);
    expect(links.every((link) => link.inventoryItemShopifyId !== null && link.sentPriceHash !== null)).toBe(
      true,
    );

    for (const [i, no] of nos.entries())
      await setSalesPrice(prisma, shop.id, { itemNo: no, unitPrice: `${20 + i}.5` });
    const priced = await run();
    expect(priced).toMatchObject({ counts: { pricesSent: 24, bulkMutations: 1, mutationRequests: 2 } });
    const { products } = await store.graphql<{
      products: { nodes: { title: string; variants: { nodes: { price: string }[] } }[] };
    }>(`query TestPrices { products(first: 50) { nodes { title variants(first: 1) { nodes { price } } } } }`);
    const price = Object.fromEntries(products.nodes.map((p) => [p.title, p.variants.nodes[0]!.price]));
    expect(price["Bulk item 1"]).toBe("20.50");
    expect(price["Bulk item 24"]).toBe("43.50");

    expect((await run()).counts).not.toHaveProperty("mutationRequests");
  });
});

describe("an item exported to Shopify", () => {
  it("becomes a product with its variants, SKUs, barcodes and the prices the price calculation gives", async () => {
    const { shop, run, product, record } = await exportShop({
      priceGroup: "RETAIL",
      discountGroup: "SUMMER",
      createdProductStatus: "DRAFT",
    });
    await teeItem(shop.id);
    await savePriceGroup(prisma, shop.id, { code: "RETAIL", description: "Retail" });
    await setSalesPrice(prisma, shop.id, { itemNo: "TEE", priceGroup: "RETAIL", unitPrice: "36" });
    await setSalesPrice(prisma, shop.id, {
      itemNo: "TEE",
      variantCode: "M-WHT",
      priceGroup: "RETAIL",
      unitPrice: "34",
    });
    await saveDiscountGroup(prisma, shop.id, { code: "SUMMER", description: "Summer sale" });
    await setLineDiscount(prisma, shop.id, {
      discountGroup: "SUMMER",
      itemNo: "TEE",
      variantCode: "S-BLK",
      discountPct: "25",
    });
    await addItemsToShopify(prisma, shop.id, ["TEE"]);

    const first = await run();

    expect(first).toMatchObject({ status: "succeeded", counts: { created: 1, mutationRequests: 1 } });
    const synced = await record("TEE");
    expect(synced).toMatchObject({ state: "synced", message: null });
    const made = await product(synced.shopifyId!);
    expect(made).toMatchObject({
      title: "Merino Tee",
      status: "DRAFT",
      vendor: "Wool & Co",
      productType: "Shirts",
      descriptionHtml: "<p>Soft merino</p>",
      // The back office has no variant positions: variants, and so values, go by code.
      options: [
        { name: "Size", values: ["M", "S"] },
        { name: "Color", values: ["Black", "White"] },
      ],
    });
    expect([...made!.tags].sort()).toEqual(["summer", "wool"]);
    const bySku = new Map(made!.variants.nodes.map((v) => [v.sku, v]));
    // S-BLK: the group's 36 less 25% = 27, compare-at 36; M-BLK: 36, none; M-WHT: its own 34.
    expect(bySku.get("TEE-S-BLK")).toMatchObject({
      barcode: "4006381333931",
      price: "27.00",
      compareAtPrice: "36.00",
      inventoryPolicy: "DENY",
      inventoryItem: { tracked: true, unitCost: { amount: "12.5" } },
    });
    expect(bySku.get("TEE-M-BLK")).toMatchObject({ price: "36.00", compareAtPrice: null });
    expect(bySku.get("TEE-M-WHT")).toMatchObject({ price: "34.00", compareAtPrice: null, barcode: null });

    // Every variant is linked with its product, variant and inventory item.
    const links = await prisma.shopifyVariantMap.findMany({
      where: { shopId: shop.id, itemNo: "TEE" },
      orderBy: { variantCode: "asc" },
    });
    expect(links.map((link) => [link.variantCode, link.linkedBy])).toEqual([
      ["M-BLK", "export"],
      ["M-WHT", "export"],
      ["S-BLK", "export"],
    ]);
    for (const link of links) {
      const node = made!.variants.nodes.find((v) => v.id.endsWith(`/${link.variantShopifyId}`))!;
      expect(node.inventoryItem.id).toBe(`gid://shopify/InventoryItem/${link.inventoryItemShopifyId}`);
      expect(`gid://shopify/Product/${link.productShopifyId}`).toBe(made!.id);
    }

    // A second run, nothing changed: no mutation.
    await addItemsToShopify(prisma, shop.id, ["TEE"]);
    const second = await run();
    expect(second).toMatchObject({ status: "succeeded", counts: { unchanged: 1 } });
    expect(second.counts).not.toHaveProperty("mutationRequests");
    expect(await record("TEE")).toMatchObject({ state: "synced" });
  });

  it("sends a price change alone, for just the variants whose price changed", async () => {
    const { shop, run, product, record } = await exportShop();
    await teeItem(shop.id);
    await addItemsToShopify(prisma, shop.id, ["TEE"]);
    await run();
    const { shopifyId } = await record("TEE");

    await setSalesPrice(prisma, shop.id, { itemNo: "TEE", variantCode: "M-WHT", unitPrice: "33" });
    const priced = await run();

    expect(priced).toMatchObject({ status: "succeeded", counts: { pricesSent: 1, mutationRequests: 1 } });
    const after = await product(shopifyId!);
    expect(after!.variants.nodes.map((v) => [v.sku, v.price]).sort()).toEqual([
      ["TEE-M-BLK", "40.00"],
      ["TEE-M-WHT", "33.00"],
      ["TEE-S-BLK", "40.00"],
    ]);
    expect(await run()).toMatchObject({ counts: {} });
  });

  it("sends a change to the card with productSet, keeping the product and its variants' ids", async () => {
    const { shop, run, product, record } = await exportShop();
    await teeItem(shop.id);
    await addItemsToShopify(prisma, shop.id, ["TEE"]);
    await run();
    const { shopifyId } = await record("TEE");
    const before = await product(shopifyId!);

    await updateItem(prisma, shop.id, "TEE", { description: "Merino Tee II", vendor: "Wool Co" });
    const changed = await run();

    expect(changed).toMatchObject({ status: "succeeded", counts: { updated: 1 } });
    const after = await product(shopifyId!);
    expect(after).toMatchObject({ title: "Merino Tee II", vendor: "Wool Co", status: "ACTIVE" });
    expect(after!.variants.nodes.map((v) => v.id).sort()).toEqual(
      before!.variants.nodes.map((v) => v.id).sort(),
    );
  });

  it("sets a blocked item's product to the shop card's status, and leaves items nobody added alone", async () => {
    const { shop, run, product, record } = await exportShop({ blockedItemAction: "archive" });
    await teeItem(shop.id);
    await createItem(prisma, shop.id, { no: "MUG", description: "Mug", unitPrice: "9" });
    await addItemsToShopify(prisma, shop.id, ["TEE"]);
    await run();
    expect(await record("MUG")).toMatchObject({
      state: "skipped",
      message: expect.stringMatching(/not added/) as unknown,
    });
    const { shopifyId } = await record("TEE");

    await updateItem(prisma, shop.id, "TEE", { blocked: true });
    await run();
    expect((await product(shopifyId!))!.status).toBe("ARCHIVED");

    await updateItem(prisma, shop.id, "TEE", { blocked: false });
    await run();
    expect((await product(shopifyId!))!.status).toBe("ACTIVE");
  });

  it("leaves a product the merchant keeps as a draft a draft when its item changes", async () => {
    // The product came from Shopify as a draft (Sync items was "from Shopify"); the shop then
    // made the back office the master. Its draft is the merchant's, not a blocking's.
    const { shop, store, run, product } = await exportShop({
      syncItems: "from_shopify",
      productMapping: "item_no",
      productAutoCreate: true,
      blockedItemAction: "draft",
    });
    const created = await store.graphql<{ productSet: { product: { id: string } | null } }>(
      `mutation Seed($input: ProductSetInput!) { productSet(input: $input) { product { id } userErrors { message } } }`,
      {
        input: {
          title: "Linen Scarf",
          status: "DRAFT",
          productOptions: [{ name: "Title", values: [{ name: "Default Title" }] }],
          variants: [
            { sku: "SCARF", price: "25.00", optionValues: [{ optionName: "Title", name: "Default Title" }] },
          ],
        },
      },
    );
    const id = created.productSet.product!.id;
    expect((await run()).status).toBe("succeeded");
    await prisma.shopSettings.update({ where: { shopId: shop.id }, data: { syncItems: "to_shopify" } });

    await updateItem(prisma, shop.id, "SCARF", { description: "Linen Scarf, washed" });
    expect((await run()).status).toBe("succeeded");

    expect(await product(id)).toMatchObject({ title: "Linen Scarf, washed", status: "DRAFT" });
  });

  /** A product Shopify sells of two variants, each linked to an item as the order import links them. */
  async function soldCaps(shopId: string, store: Store) {
    const made = await store.product("Wool Cap", [
      { sku: "CAP-S", price: "15.00", option: "S" },
      { sku: "CAP-L", price: "15.00", option: "L" },
    ]);
    for (const [index, no] of ["CAP-S", "CAP-L"].entries()) {
      await createItem(prisma, shopId, { no, description: `Wool Cap ${no}`, unitPrice: "15" });
      // The order import knows a line's variant alone: no product, no inventory item.
      await prisma.shopifyVariantMap.create({
        data: {
          shopId,
          variantShopifyId: BigInt(made.variants.nodes[index]!.id.split("/").pop()!),
          sku: no,
          title: `Wool Cap - ${no}`,
          itemNo: no,
        },
      });
    }
    return made;
  }

  it("sends the prices of an item Shopify already sells (met on an order), never a second product", async () => {
    const { shop, store, run, product, record } = await exportShop();
    const made = await soldCaps(shop.id, store);
    const count = async () =>
      (await store.graphql<{ productsCount: { count: number } }>(`{ productsCount { count } }`)).productsCount
        .count;
    const before = await count();

    // No Add to Shopify needed: the items are sold there, so their changes are followed (here
    // their creation), and their prices sent, one request per item.
    expect(await run()).toMatchObject({
      status: "succeeded",
      counts: { pricesSent: 2, mutationRequests: 2, variantLinksCompleted: 2 },
    });
    // A price change in the back office goes alone.
    await setSalesPrice(prisma, shop.id, { itemNo: "CAP-S", unitPrice: "19" });
    const priced = await run();
    expect(priced).toMatchObject({ status: "succeeded", counts: { pricesSent: 1, mutationRequests: 1 } });
    expect(priced.counts).not.toHaveProperty("variantLinksCompleted");

    expect(await count()).toBe(before);
    const shown = await product(made.id);
    expect(shown!.variants.nodes.map((variant) => [variant.sku, variant.price])).toEqual([
      ["CAP-S", "19.00"],
      ["CAP-L", "15.00"],
    ]);
    // The links now know the variant's product and inventory item, for the syncs built on them.
    const links = await prisma.shopifyVariantMap.findMany({
      where: { shopId: shop.id },
      orderBy: { sku: "desc" },
    });
    expect(links.map((link) => [link.sku, `gid://shopify/Product/${link.productShopifyId}`])).toEqual([
      ["CAP-S", made.id],
      ["CAP-L", made.id],
    ]);
    expect(links.map((link) => `gid://shopify/InventoryItem/${link.inventoryItemShopifyId}`)).toEqual(
      ["CAP-S", "CAP-L"].map((sku) => shown!.variants.nodes.find((v) => v.sku === sku)!.inventoryItem.id),
    );
    // Synced, but the product is Shopify's, not the item's: the record keeps no id of it.
    expect(await record("CAP-S")).toMatchObject({ state: "synced", shopifyId: null });
    const [row] = await itemRows(
      prisma,
      shop,
      await prisma.shopSettings.findUniqueOrThrow({ where: { shopId: shop.id } }),
      ["CAP-S"],
    );
    expect(row).toMatchObject({
      state: "synced",
      product: null,
      soldAs: {
        title: "Wool Cap - CAP-S",
        adminUrl: expect.stringMatching(new RegExp(`/products/${made.id.split("/").pop()}$`)) as unknown,
      },
      variants: [{ price: "19.00", shopifyVariantId: made.variants.nodes[0]!.id.split("/").pop() }],
    });

    // Nothing changed: nothing sent.
    await addItemsToShopify(prisma, shop.id, ["CAP-S"]);
    const again = await run();
    expect(again.counts).not.toHaveProperty("mutationRequests");
    expect(again.counts).not.toHaveProperty("variantLinksCompleted");
  });

  it("leaves the prices of an item Shopify sells to Shopify when Sync prices is off", async () => {
    const { shop, store, run, product, record } = await exportShop({ syncPrices: false });
    const made = await soldCaps(shop.id, store);

    await setSalesPrice(prisma, shop.id, { itemNo: "CAP-S", unitPrice: "19" });
    const refused = await run();
    expect(refused.counts).not.toHaveProperty("mutationRequests");

    expect((await product(made.id))!.variants.nodes[0]!.price).toBe("15.00");
    expect(await record("CAP-S")).toMatchObject({
      state: "skipped",
      message: expect.stringMatching(
        /^already sold in Shopify as "Wool Cap - CAP-S" \(variant \d+, SKU CAP-S, met on an order\): the export does not create a second product for it; Sync prices is off/,
      ) as unknown,
    });
    const [row] = await itemRows(
      prisma,
      shop,
      await prisma.shopSettings.findUniqueOrThrow({ where: { shopId: shop.id } }),
      ["CAP-S"],
    );
    expect(row).toMatchObject({ state: "sold", stateWords: ITEM_STATE_WORDS.sold });
  });

  it("sends the prices of every item Shopify sells when the shop card turns Sync prices on", async () => {
    const { shop, store, run, product, record } = await exportShop({ syncPrices: false });
    const made = await soldCaps(shop.id, store);
    await setSalesPrice(prisma, shop.id, { itemNo: "CAP-L", unitPrice: "17" });
    // Their changes are read with Sync prices off: nothing sent, nothing left due.
    expect((await run()).counts).not.toHaveProperty("mutationRequests");
    expect(await record("CAP-L")).toMatchObject({ state: "skipped" });

    const saved = await saveSettings(
      prisma,
      shop.id,
      settingsForm({ syncItems: "to_shopify", productMapping: "item_no_variant_code" }),
    );
    expect(saved.ok).toBe(true);
    expect((await run()).counts).toMatchObject({ pricesSent: 2, mutationRequests: 2 });

    expect((await product(made.id))!.variants.nodes.map((variant) => variant.price)).toEqual([
      "15.00",
      "17.00",
    ]);
  });

  it("sends the price of an item Shopify sells as variants of two products to both", async () => {
    const { shop, store, run, product } = await exportShop();
    const made = await soldCaps(shop.id, store);
    const gift = await store.product("Cap gift box", [{ sku: "CAP-S-BOX", price: "15.00", option: "Boxed" }]);
    // A person mapped the gift box's variant to the same item.
    await prisma.shopifyVariantMap.create({
      data: {
        shopId: shop.id,
        variantShopifyId: BigInt(gift.variants.nodes[0]!.id.split("/").pop()!),
        sku: "CAP-S-BOX",
        title: "Cap gift box",
        itemNo: "CAP-S",
        linkedBy: "person",
      },
    });
    await run();

    await setSalesPrice(prisma, shop.id, { itemNo: "CAP-S", unitPrice: "21" });
    expect((await run()).counts).toMatchObject({ pricesSent: 1, mutationRequests: 2 });
    expect((await product(made.id))!.variants.nodes.map((variant) => variant.price)).toEqual([
      "21.00",
      "15.00",
    ]);
    expect((await product(gift.id))!.variants.nodes.map((variant) => variant.price)).toEqual(["21.00"]);
  });

  it("never sends whole a product the import linked that also holds another item's variants", async () => {
    const { shop, store, run, product, record } = await exportShop();
    const made = await soldCaps(shop.id, store);
    // As the import links a product whose variants map to two items: the product is CAP-S's.
    await prisma.shopifyProduct.create({
      data: {
        shopId: shop.id,
        shopifyId: BigInt(made.id.split("/").pop()!),
        title: "Wool Cap",
        status: "ACTIVE",
        itemNo: "CAP-S",
      },
    });
    await run();
    expect(await record("CAP-S")).toMatchObject({ state: "synced", shopifyId: made.id });

    await updateItem(prisma, shop.id, "CAP-S", { description: "Wool Cap, small" });
    await setSalesPrice(prisma, shop.id, { itemNo: "CAP-S", unitPrice: "19" });
    expect((await run()).counts).toMatchObject({ pricesSent: 1, mutationRequests: 1 });

    const after = await product(made.id);
    expect(after!.title).toBe("Wool Cap");
    expect(after!.variants.nodes.map((variant) => [variant.sku, variant.price])).toEqual([
      ["CAP-S", "19.00"],
      ["CAP-L", "15.00"],
    ]);
  });

  it("makes no product of its own for an item whose Shopify product was deleted, until a person adds it", async () => {
    const { shop, store, run, record } = await exportShop();
    const made = await soldCaps(shop.id, store);
    await run();
    const count = async () =>
      (await store.graphql<{ productsCount: { count: number } }>(`{ productsCount { count } }`)).productsCount
        .count;
    await store.graphql(
      `mutation TestDelete($id: ID!) { productDelete(input: { id: $id }) { deletedProductId } }`,
      {
        id: made.id,
      },
    );
    const before = await count();

    await setSalesPrice(prisma, shop.id, { itemNo: "CAP-S", unitPrice: "19" });
    const refused = await run();
    expect(refused.counts).toMatchObject({ failed: 1 });
    expect(await record("CAP-S")).toMatchObject({
      state: "error",
      message: expect.stringMatching(/deleted in Shopify/) as unknown,
    });
    expect(await prisma.shopifyVariantMap.count({ where: { shopId: shop.id, goneAt: null } })).toBe(0);

    // The next change of either cap: skipped, and still no product made for it.
    await setSalesPrice(prisma, shop.id, { itemNo: "CAP-S", unitPrice: "20" });
    await setSalesPrice(prisma, shop.id, { itemNo: "CAP-L", unitPrice: "18" });
    expect((await run()).counts).not.toHaveProperty("mutationRequests");
    expect(await count()).toBe(before);
    expect(await record("CAP-S")).toMatchObject({
      state: "skipped",
      message: expect.stringMatching(/^the Shopify variant it was sold as no longer exists/) as unknown,
    });

    // A person adds it: now it gets a product of its own.
    await addItemsToShopify(prisma, shop.id, ["CAP-S"]);
    expect((await run()).counts).toMatchObject({ created: 1 });
    expect(await count()).toBe(before + 1);
  });

  it("marks a variant it is sold as that Shopify deleted, and sends nothing to it again", async () => {
    const { shop, store, run, product, record } = await exportShop();
    const made = await soldCaps(shop.id, store);
    await run();
    const large = made.variants.nodes[1]!;
    deleteVariant(simulator.sim.shop(shop.domain), Number(large.id.split("/").pop()));

    await setSalesPrice(prisma, shop.id, { itemNo: "CAP-L", unitPrice: "18" });
    await setSalesPrice(prisma, shop.id, { itemNo: "CAP-S", unitPrice: "16" });
    expect((await run()).counts).toMatchObject({ failed: 1, pricesSent: 1 });
    expect((await record("CAP-L")).message).toMatch(
      /no longer exists in Shopify: nothing is sent to it again/,
    );
    expect((await product(made.id))!.variants.nodes.map((variant) => [variant.sku, variant.price])).toEqual([
      ["CAP-S", "16.00"],
    ]);

    await setSalesPrice(prisma, shop.id, { itemNo: "CAP-L", unitPrice: "19" });
    const again = await run();
    expect(again.counts).not.toHaveProperty("mutationRequests");
    expect(await record("CAP-L")).toMatchObject({ state: "skipped" });
  });

  it("makes the product again when the merchant deleted it in Shopify", async () => {
    const { shop, store, run, product, record } = await exportShop();
    await teeItem(shop.id);
    await addItemsToShopify(prisma, shop.id, ["TEE"]);
    await run();
    const { shopifyId: deleted } = await record("TEE");
    await store.graphql(
      `mutation TestDelete($id: ID!) { productDelete(input: { id: $id }) { deletedProductId } }`,
      { id: deleted },
    );

    await setSalesPrice(prisma, shop.id, { itemNo: "TEE", unitPrice: "44" });
    const refused = await run();
    expect(refused.counts).toMatchObject({ failed: 1 });
    expect((await record("TEE")).message).toMatch(/deleted in Shopify; the next run creates it again/);

    const again = await run();
    expect(again.counts).toMatchObject({ created: 1 });
    const made = await record("TEE");
    expect(made).toMatchObject({ state: "synced" });
    expect(made.shopifyId).not.toBe(deleted);
    expect((await product(made.shopifyId!))!.variants.nodes.map((v) => v.price)).toEqual([
      "44.00",
      "44.00",
      "44.00",
    ]);
  });

  it("updates the product a run died after creating, even when the item's title changed since: no second product", async () => {
    const { shop, store, run, product, record } = await exportShop();
    await teeItem(shop.id);
    await addItemsToShopify(prisma, shop.id, ["TEE"]);
    // Shopify makes the product, but its answers never arrive (a gateway timeout after the
    // work, on every try): the run ends without knowing the product.
    simulator.sim.faults = {
      ...simulator.sim.faults,
      lostAnswerShare: 1,
      lostAnswerOperations: ["SyncProductSet"],
    };
    try {
      expect((await run()).counts).toMatchObject({ failed: 1 });
    } finally {
      simulator.sim.faults = { ...simulator.sim.faults, lostAnswerShare: 0, lostAnswerOperations: [] };
    }
    const all = async () =>
      (
        await store.graphql<{ products: { nodes: { id: string; handle: string }[] } }>(
          `query TestAll { products(first: 10) { nodes { id handle } } }`,
        )
      ).products.nodes;
    const [made] = await all();
    expect(made).toMatchObject({ handle: "merino-tee-tee" });
    expect(await record("TEE")).toMatchObject({
      state: "error",
      shopifyId: null,
      sendingKey: "merino-tee-tee",
    });

    // Renamed before the next run: the handle it would make now is another one.
    await updateItem(prisma, shop.id, "TEE", { description: "Merino Crew Tee" });
    // Linked for the first time (counted as made), but it is the product Shopify has already.
    expect((await run()).counts).toMatchObject({ created: 1 });

    expect((await all()).map((node) => node.id)).toEqual([made!.id]);
    expect(await product(made!.id)).toMatchObject({ title: "Merino Crew Tee" });
    expect(await record("TEE")).toMatchObject({ state: "synced", shopifyId: made!.id, sendingKey: null });
  }, 60_000);

  it("keeps the product when a variant deleted in Shopify meets a change to the card: no second product", async () => {
    const { shop, store, run, product, record } = await exportShop();
    await teeItem(shop.id);
    await addItemsToShopify(prisma, shop.id, ["TEE"]);
    await run();
    const { shopifyId } = await record("TEE");
    const small = await prisma.shopifyVariantMap.findFirstOrThrow({
      where: { shopId: shop.id, itemNo: "TEE", variantCode: "S-BLK" },
    });
    deleteVariant(simulator.sim.shop(shop.domain), Number(small.variantShopifyId));

    await updateItem(prisma, shop.id, "TEE", { description: "Merino Tee II" });
    expect((await run()).counts).toMatchObject({ failed: 1 });
    expect((await run()).counts).toMatchObject({ updated: 1 });

    expect(await record("TEE")).toMatchObject({ state: "synced", shopifyId });
    const { products } = await store.graphql<{ products: { nodes: { id: string }[] } }>(
      `query TestAll { products(first: 10) { nodes { id } } }`,
    );
    expect(products.nodes.map((node) => node.id)).toEqual([shopifyId]);
    const mended = await product(shopifyId!);
    expect(mended!.title).toBe("Merino Tee II");
    expect(mended!.variants.nodes.map((v) => v.sku).sort()).toEqual(["TEE-M-BLK", "TEE-M-WHT", "TEE-S-BLK"]);
  });

  it("marks a variant Shopify refuses, and only that one: the others' prices are sent", async () => {
    const { shop, run, product, record } = await exportShop();
    await teeItem(shop.id);
    await addItemsToShopify(prisma, shop.id, ["TEE"]);
    await run();
    const { shopifyId } = await record("TEE");
    const links = await prisma.shopifyVariantMap.findMany({ where: { shopId: shop.id, itemNo: "TEE" } });
    const small = links.find((link) => link.variantCode === "S-BLK")!;

    // The merchant deletes a variant in Shopify; both its price and another's then change.
    deleteVariant(simulator.sim.shop(shop.domain), Number(small.variantShopifyId));
    await setSalesPrice(prisma, shop.id, { itemNo: "TEE", variantCode: "S-BLK", unitPrice: "38" });
    await setSalesPrice(prisma, shop.id, { itemNo: "TEE", variantCode: "M-BLK", unitPrice: "41" });
    const failed = await run();

    expect(failed.counts).toMatchObject({ failed: 1 });
    // The run fails with the item named, so the home page's Synchronization errors tile shows it.
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatch(/^1 item not sent to Shopify: item TEE: /);
    const refused = await record("TEE");
    expect(refused).toMatchObject({ state: "error", attempts: 1 });
    expect(refused.message).toMatch(/variant S-BLK no longer exists in Shopify/);
    const after = await product(shopifyId!);
    expect(Object.fromEntries(after!.variants.nodes.map((v) => [v.sku ?? "", v.price]))).toEqual({
      "TEE-M-BLK": "41.00",
      "TEE-M-WHT": "40.00",
    });

    // The next run sends the product whole: the variant is made again, with its price.
    const retried = await run();
    expect(retried).toMatchObject({ status: "succeeded", counts: { updated: 1 } });
    expect(await record("TEE")).toMatchObject({ state: "synced", message: null });
    const mended = await product(shopifyId!);
    expect(Object.fromEntries(mended!.variants.nodes.map((v) => [v.sku ?? "", v.price]))).toEqual({
      "TEE-M-BLK": "41.00",
      "TEE-M-WHT": "40.00",
      "TEE-S-BLK": "38.00",
    });
  });
});
