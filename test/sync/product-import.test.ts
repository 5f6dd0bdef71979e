import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createItem, priceBook, priceOf } from "../../app/backoffice/backoffice.server";
import prisma from "../../app/db.server";
import { draftOf } from "../../app/sync/products/build.server";
import { DELETIONS_KEY } from "../../app/sync/products/import-deletions.server";
import { productImport } from "../../app/sync/products/import.server";
import { shopStatus } from "../../app/status/status.server";
import { insertBlockedItem } from "../kit/backoffice";
import { startSimulator, type RunningSimulator } from "../support/simulator";
import { deliver } from "../support/webhooks";
import {
  deleteProduct,
  importShop,
  items,
  makeProduct,
  numeric,
  productUpdatedAt,
  renameProduct,
  runImport,
  setVariantPrice,
} from "./product-import-support";

/**
 * Sync products from Shopify against the simulator and real Postgres: the first run reads the
 * store by one bulk query and makes items with variants, SKUs, barcodes and prices (the
 * products that cannot be items are listed with the reason); a second run writes nothing; a
 * product edited in Shopify updates its item only when the shop card says so; our own write is
 * not imported back; a deleted product's item is kept and marked; a product that fails is
 * marked alone and tried again by the next run.
 */

let simulator: RunningSimulator;

beforeAll(async () => {
  simulator = await startSimulator(null);
  process.env.SHOPIFY_ADMIN_ORIGIN = simulator.url;
});
afterAll(async () => {
  await simulator?.close();
});

const context = { pricesIncludingTax: false };

async function catalog(store: Parameters<typeof makeProduct>[0]) {
  const tee = await makeProduct(store, {
    title: "Merino Tee",
    vendor: "Woolly",
    productType: "Shirts",
    tags: ["wool", "summer"],
    descriptionHtml: "<p>Soft</p>",
    options: { Size: ["S", "M", "L"] },
    variants: [
      { options: { Size: "S" }, sku: "TEE-S", barcode: "4000001", price: "25.00", cost: "9.50" },
      { options: { Size: "M" }, sku: "TEE-M", barcode: "4000002", price: "25.00" },
      { options: { Size: "L" }, sku: "TEE-L", barcode: "4000003", price: "27.00", compareAtPrice: "30.00" },
    ],
  });
  const mug = await makeProduct(store, {
    title: "Mug",
    variants: [{ sku: "MUG", barcode: "5000001", price: "10.00", cost: "3.00" }],
  });
  const scarf = await makeProduct(store, {
    title: "Scarf",
    options: { Color: ["Red", "Blue"], Length: ["Short", "Long"] },
    variants: [
      { options: { Color: "Red", Length: "Short" }, sku: "RED-SHORT", price: "15.00" },
      { options: { Color: "Blue", Length: "Long" }, sku: "BLUE-LONG", price: "15.00" },
    ],
  });
  const nothing = await makeProduct(store, { title: "Gift wrap", variants: [{ price: "2.00" }] });
  const blocked = await makeProduct(store, {
    title: "Old lamp",
    variants: [{ sku: "LAMP", price: "40.00" }],
  });
  return { tee, mug, scarf, nothing, blocked };
}

describe("the first import", () => {
  it("reads the store by one bulk query and makes items with variants, SKUs, barcodes and prices", async () => {
    const { shop, store } = await importShop(simulator, {
      productMapping: "item_no_variant_code",
      itemTemplateNo: "TPL",
    });
    await createItem(prisma, shop.id, {
      no: "TPL",
      description: "Template",
      unitPrice: "0",
      type: "non_stock",
      taxRatePct: "0",
      weightUnit: "GRAMS",
    });
    await insertBlockedItem(shop.id, "LAMP", "Old lamp");
    const made = await catalog(store);

    const counts = await runImport(shop.domain);
    expect(simulator.sim.shop(shop.domain).bulkOperations.size).toBe(1);
    expect(counts).toMatchObject({ itemsCreated: 3, unmapped: 2 });
    expect(counts.failed ?? 0).toBe(0);

    const all = await items(shop.id);
    expect(all.map((item) => item.no)).toEqual(["ITEM00001", "LAMP", "MUG", "TEE", "TPL"]);
    const tee = all.find((item) => item.no === "TEE")!;
    expect(tee).toMatchObject({
      description: "Merino Tee",
      descriptionHtml: "<p>Soft</p>",
      vendor: "Woolly",
      productType: "Shirts",
      type: "non_stock",
      weightUnit: "GRAMS",
      option1Name: "Size",
      option2Name: null,
      barcode: null,
    });
    expect([...tee.tags].sort()).toEqual(["summer", "wool"]);
    expect(tee.unitPrice.toFixed(2)).toBe("25.00");
    expect(tee.unitCost.toFixed(2)).toBe("9.50");
    expect(tee.variants.map((v) => [v.code, v.description, v.barcode, v.option1])).toEqual([
      ["L", "L", "4000003", "L"],
      ["M", "M", "4000002", "M"],
      ["S", "S", "4000001", "S"],
    ]);
    // Each variant's price is Shopify's again by the one price calculation.
    const book = await priceBook(prisma, shop.id, ["TEE"]);
    expect(["S", "M", "L"].map((code) => priceOf(tee, code, context, book).price.toFixed(2))).toEqual([
      "25.00",
      "25.00",
      "27.00",
    ]);
    const mug = all.find((item) => item.no === "MUG")!;
    expect(mug).toMatchObject({ description: "Mug", barcode: "5000001", option1Name: null });
    expect(mug.variants).toEqual([]);
    expect(mug.unitPrice.toFixed(2)).toBe("10.00");
    // No SKU that gives a number: the item series numbers it, the variant codes are a sequence.
    const scarf = all.find((item) => item.no === "ITEM00001")!;
    expect(scarf).toMatchObject({ description: "Scarf", option1Name: "Color", option2Name: "Length" });
    expect(scarf.variants.map((v) => [v.code, v.option1, v.option2])).toEqual([
      ["V_001", "Red", "Short"],
      ["V_002", "Blue", "Long"],
    ]);

    // Every variant is linked to its item and variant, with its inventory item.
    const links = await prisma.shopifyVariantMap.findMany({
      where: { shopId: shop.id },
      orderBy: { sku: "asc" },
    });
    expect(links.map((l) => [l.sku, l.itemNo, l.variantCode, l.linkedBy])).toEqual([
      ["BLUE-LONG", "ITEM00001", "V_002", "import"],
      ["MUG", "MUG", null, "import"],
      ["RED-SHORT", "ITEM00001", "V_001", "import"],
      ["TEE-L", "TEE", "L", "import"],
      ["TEE-M", "TEE", "M", "import"],
      ["TEE-S", "TEE", "S", "import"],
    ]);
    const teeLink = links.find((l) => l.sku === "TEE-S")!;
    expect(teeLink.inventoryItemShopifyId).toBe(numeric(made.tee.variants[0]!.inventoryItem.id));
    expect(teeLink.productShopifyId).toBe(numeric(made.tee.id));

    // What cannot be an item is listed with the reason, and counted on the home page.
    const products = await prisma.shopifyProduct.findMany({
      where: { shopId: shop.id },
      orderBy: { title: "asc" },
    });
    expect(products.map((p) => [p.title, p.importState, p.itemNo])).toEqual([
      ["Gift wrap", "unmapped", null],
      ["Merino Tee", "imported", "TEE"],
      ["Mug", "imported", "MUG"],
      ["Old lamp", "unmapped", null],
      ["Scarf", "imported", "ITEM00001"],
    ]);
    expect(products.find((p) => p.title === "Gift wrap")!.importMessage).toMatch(/^no SKU/);
    expect(products.find((p) => p.title === "Old lamp")!.importMessage).toBe("item LAMP is blocked");
    expect((await shopStatus(prisma, shop.id)).unmappedProducts).toBe(2);

    // The items written are recorded as sent, so the export would not send them back.
    const settings = await prisma.shopSettings.findUniqueOrThrow({ where: { shopId: shop.id } });
    const records = await prisma.syncRecord.findMany({
      where: { shopId: shop.id, task: "sync_products" },
      orderBy: { recordKey: "asc" },
    });
    expect(records.map((r) => [r.recordKey, r.state])).toEqual([
      ["ITEM00001", "synced"],
      ["MUG", "synced"],
      ["TEE", "synced"],
    ]);
    const draft = draftOf(tee, settings, book);
    if ("problem" in draft) throw new Error(draft.problem);
    const teeRecord = records.find((r) => r.recordKey === "TEE")!;
    expect(teeRecord).toMatchObject({ shopifyId: made.tee.id, sentHash: draft.structureHash });
    const teeLinks = links.filter((l) => l.itemNo === "TEE");
    for (const link of teeLinks)
      expect(link.sentPriceHash).toBe(draft.variants.find((v) => v.code === link.variantCode)!.priceHash);

    // A second run with nothing changed counts nothing to read (a point), and writes nothing;
    // a scheduled one reads the last hour's stamps again (reconcile), finds them unchanged and
    // writes nothing either.
    const changes = await prisma.boChange.count({ where: { shopId: shop.id } });
    const before = await prisma.shopifyProduct.findMany({
      where: { shopId: shop.id },
      orderBy: { shopifyId: "asc" },
    });
    expect(await runImport(shop.domain)).toEqual({ requestedPoints: 1, actualPoints: 1 });
    const again = await runImport(shop.domain, {}, "schedule");
    expect(again).toMatchObject({ unchanged: 5 });
    expect(Object.keys(again).sort()).toEqual(["actualPoints", "requestedPoints", "unchanged"]);
    expect(simulator.sim.shop(shop.domain).bulkOperations.size).toBe(1);
    expect(await prisma.boChange.count({ where: { shopId: shop.id } })).toBe(changes);
    expect(
      await prisma.shopifyProduct.findMany({ where: { shopId: shop.id }, orderBy: { shopifyId: "asc" } }),
    ).toEqual(before);
  });
});

describe("a product edited in Shopify", () => {
  it("updates its item when the shop card says so, and leaves it alone when not", async () => {
    const { shop, store } = await importShop(simulator, { productMapping: "item_no_variant_code" });
    const tee = await makeProduct(store, {
      title: "Merino Tee",
      options: { Size: ["S", "M"] },
      variants: [
        { options: { Size: "S" }, sku: "TEE-S", price: "25.00" },
        { options: { Size: "M" }, sku: "TEE-M", price: "25.00" },
      ],
    });
    expect(await runImport(shop.domain)).toMatchObject({ itemsCreated: 1 });

    await renameProduct(store, tee.id, "Merino Tee II");
    const off = await runImport(shop.domain);
    expect(off).toMatchObject({ leftAlone: 1 });
    expect((await items(shop.id))[0]!.description).toBe("Merino Tee");

    await prisma.shopSettings.update({ where: { shopId: shop.id }, data: { updateItemsFromShopify: true } });
    await setVariantPrice(store, tee.id, tee.variants[1]!.id, "29.00");
    await renameProduct(store, tee.id, "Merino Tee III");
    const on = await runImport(shop.domain);
    expect(on).toMatchObject({ itemsUpdated: 1 });
    const [item] = await items(shop.id);
    expect(item!.description).toBe("Merino Tee III");
    const book = await priceBook(prisma, shop.id, ["TEE"]);
    expect(priceOf(item!, "M", context, book).price.toFixed(2)).toBe("29.00");
    expect(priceOf(item!, "S", context, book).price.toFixed(2)).toBe("25.00");

    // A variant added in Shopify becomes a variant of the item.
    await makeProduct(
      store,
      {
        title: "Merino Tee III",
        options: { Size: ["S", "M", "XL"] },
        variants: [
          { options: { Size: "S" }, sku: "TEE-S", price: "25.00" },
          { options: { Size: "M" }, sku: "TEE-M", price: "29.00" },
          { options: { Size: "XL" }, sku: "TEE-XL", price: "31.00" },
        ],
      },
      tee.id,
    );
    expect(await runImport(shop.domain)).toMatchObject({ itemsUpdated: 1 });
    const [grown] = await items(shop.id);
    expect(grown!.variants.map((v) => v.code)).toEqual(["M", "S", "XL"]);
    const links = await prisma.shopifyVariantMap.findMany({ where: { shopId: shop.id, sku: "TEE-XL" } });
    expect(links.map((l) => [l.itemNo, l.variantCode])).toEqual([["TEE", "XL"]]);
  });

  it("is not imported back when the change is our own write", async () => {
    const { shop, store } = await importShop(simulator, {
      productMapping: "item_no",
      updateItemsFromShopify: true,
    });
    const mug = await makeProduct(store, { title: "Mug", variants: [{ sku: "MUG", price: "10.00" }] });
    expect(await runImport(shop.domain)).toMatchObject({ itemsCreated: 1 });
    // The export wrote the product, and recorded the update time Shopify answered.
    const updatedAt = await renameProduct(store, mug.id, "Mug (as the export wrote it)");
    await prisma.shopifyProduct.update({
      where: { shopId_shopifyId: { shopId: shop.id, shopifyId: numeric(mug.id) } },
      data: { ownWriteAt: new Date(updatedAt) },
    });
    expect(await runImport(shop.domain)).toMatchObject({ ownWrite: 1 });
    expect((await items(shop.id))[0]!.description).toBe("Mug");
    // Read once as our own: the next reconcile finds it unchanged.
    expect(await runImport(shop.domain, {}, "schedule")).toMatchObject({ unchanged: 1 });
  });
});

describe("a product deleted in Shopify", () => {
  it("keeps its item, and marks the product deleted: by id, and by the daily reconcile", async () => {
    const { shop, store } = await importShop(simulator, { productMapping: "item_no" });
    const mug = await makeProduct(store, { title: "Mug", variants: [{ sku: "MUG", price: "10.00" }] });
    const cup = await makeProduct(store, { title: "Cup", variants: [{ sku: "CUP", price: "8.00" }] });
    await runImport(shop.domain);

    await deleteProduct(store, mug.id);
    await deleteProduct(store, cup.id);
    // A run in the day after the first reconcile does not list the catalog again.
    expect((await runImport(shop.domain)).deleted ?? 0).toBe(0);

    // Asked for by id, Shopify answers null: the product is marked.
    expect(await runImport(shop.domain, { productIds: String(numeric(mug.id)) })).toMatchObject({
      deleted: 1,
    });
    // A day later, the scheduled reconcile lists every product id and marks the one missing.
    await prisma.syncCursor.update({
      where: { shopId_task: { shopId: shop.id, task: DELETIONS_KEY } },
      data: { cursor: new Date(Date.now() - 25 * 60 * 60_000) },
    });
    expect(await runImport(shop.domain)).toMatchObject({ deleted: 1 });

    const products = await prisma.shopifyProduct.findMany({ where: { shopId: shop.id } });
    expect(products.every((product) => product.deletedAt !== null)).toBe(true);
    expect((await items(shop.id)).map((item) => item.no)).toEqual(["CUP", "MUG"]);
  });
});

describe("a first import of many products", () => {
  it("imports them in batches, a failing product's batch each product alone, and analyzes the tables as they grow", async () => {
    const { shop, store } = await importShop(simulator, { productMapping: "item_no" });
    for (const sku of ["A1", "A2", "B1", "B2", "C1"])
      await makeProduct(store, { title: `Product ${sku}`, variants: [{ sku, price: "5.00" }] });
    const analyzed = async () => {
      const [row] = await prisma.$queryRaw<{ count: bigint }[]>`
        select analyze_count as count from pg_stat_user_tables where relname = 'ShopifyVariantMap'`;
      return Number(row?.count ?? 0);
    };
    const analyzedBefore = await analyzed();
    await prisma.$executeRawUnsafe(`
      create or replace function test_refuse_b1() returns trigger language plpgsql as $$
      begin
        if new.no = 'B1' then raise exception 'could not extend file: No space left on device'; end if;
        return new;
      end $$`);
    await prisma.$executeRawUnsafe(
      `create trigger test_refuse_b1 before insert on "BoItem" for each row execute function test_refuse_b1()`,
    );
    const saved = { ...productImport };
    Object.assign(productImport, { batch: 2, analyzeAfter: 2 });
    try {
      // Batches of two: A1 A2, B1 B2 (B1 fails: B2 is imported alone), C1.
      expect(await runImport(shop.domain)).toMatchObject({ itemsCreated: 4, failed: 1 });
    } finally {
      Object.assign(productImport, saved);
      await prisma.$executeRawUnsafe(`drop trigger test_refuse_b1 on "BoItem"`);
    }
    expect((await items(shop.id)).map((item) => item.no)).toEqual(["A1", "A2", "B2", "C1"]);
    const products = await prisma.shopifyProduct.findMany({
      where: { shopId: shop.id },
      orderBy: { title: "asc" },
    });
    expect(products.map((p) => [p.title, p.importState])).toEqual([
      ["Product A1", "imported"],
      ["Product A2", "imported"],
      ["Product B1", "error"],
      ["Product B2", "imported"],
      ["Product C1", "imported"],
    ]);
    // A1 and A2 in one transaction (one change feed transaction, one doorbell), B2 and C1 alone.
    const [feed] = await prisma.$queryRaw<{ transactions: number }[]>`
      select count(distinct xid)::int as transactions from "BoChange" where "shopId" = ${shop.id}::uuid`;
    expect(feed?.transactions).toBe(3);
    // After 2 products and after 4 (the second may find the first still at work, and skip).
    expect((await analyzed()) - analyzedBefore).toBeGreaterThan(0);
  });
});

describe("the products/delete webhook", () => {
  it("records the product for the run, which marks it once Shopify confirms; a forged one changes nothing", async () => {
    const { shop, store } = await importShop(simulator, { productMapping: "item_no" });
    const mug = await makeProduct(store, { title: "Mug", variants: [{ sku: "MUG", price: "10.00" }] });
    const cup = await makeProduct(store, { title: "Cup", variants: [{ sku: "CUP", price: "8.00" }] });
    await runImport(shop.domain);
    await deleteProduct(store, mug.id);
    const topic = "products/delete";

    expect(await deliver({ topic, shop: shop.domain, payload: { id: 1 }, hmac: "forged" })).toBe(401);
    expect(await prisma.syncRun.count({ where: { shopId: shop.id, trigger: "webhook" } })).toBe(0);
    // Signed but without an id: it rings like any doorbell, and records no deletion.
    expect(await deliver({ topic, shop: shop.domain, payload: null, body: "not json" })).toBe(200);
    expect(await prisma.shopifyProductDeletion.count({ where: { shopId: shop.id } })).toBe(0);
    expect(await prisma.syncRun.count({ where: { shopId: shop.id, trigger: "webhook" } })).toBe(1);

    // Shopify's delivery for the mug, and a late one for the cup, which Shopify still has.
    expect(await deliver({ topic, shop: shop.domain, payload: { id: Number(numeric(mug.id)) } })).toBe(200);
    expect(await deliver({ topic, shop: shop.domain, payload: { id: Number(numeric(cup.id)) } })).toBe(200);
    expect(await prisma.syncRun.count({ where: { shopId: shop.id, trigger: "webhook" } })).toBe(1);

    expect(await runImport(shop.domain, {}, "webhook")).toMatchObject({ deleted: 1 });
    const products = await prisma.shopifyProduct.findMany({
      where: { shopId: shop.id },
      orderBy: { title: "asc" },
    });
    expect(products.map((p) => [p.title, p.deletedAt !== null])).toEqual([
      ["Cup", false],
      ["Mug", true],
    ]);
    expect(await prisma.shopifyProductDeletion.count({ where: { shopId: shop.id } })).toBe(0);
    expect((await items(shop.id)).map((item) => item.no)).toEqual(["CUP", "MUG"]);
  });
});

describe("a product that fails", () => {
  it("is marked with its error alone, and the next run tries it again", async () => {
    const { shop, store } = await importShop(simulator, { productMapping: "item_no" });
    await makeProduct(store, { title: "Mug", variants: [{ sku: "MUG", price: "10.00" }] });
    const cup = await makeProduct(store, { title: "Cup", variants: [{ sku: "CUP", price: "8.00" }] });
    // The back office's database refuses the cup's item once (a fault, as a full disk would).
    await prisma.$executeRawUnsafe(`
      create or replace function test_refuse_cup() returns trigger language plpgsql as $$
      begin
        if new.no = 'CUP' then raise exception 'could not extend file: No space left on device'; end if;
        return new;
      end $$`);
    await prisma.$executeRawUnsafe(
      `create trigger test_refuse_cup before insert on "BoItem" for each row execute function test_refuse_cup()`,
    );
    try {
      const first = await runImport(shop.domain);
      expect(first).toMatchObject({ itemsCreated: 1, failed: 1 });
      const failed = await prisma.shopifyProduct.findUniqueOrThrow({
        where: { shopId_shopifyId: { shopId: shop.id, shopifyId: numeric(cup.id) } },
      });
      expect(failed).toMatchObject({ importState: "error", importAttempts: 1 });
      expect(failed.importMessage).toMatch(/No space left on device/);
      expect((await shopStatus(prisma, shop.id)).unmappedProducts).toBe(1);
    } finally {
      await prisma.$executeRawUnsafe(`drop trigger test_refuse_cup on "BoItem"`);
    }
    // Nothing changed in Shopify, yet the next run reads the cup again by id.
    const second = await runImport(shop.domain);
    expect(second).toMatchObject({ itemsCreated: 1 });
    expect((await items(shop.id)).map((item) => item.no)).toEqual(["CUP", "MUG"]);
    expect(
      await prisma.shopifyProduct.findUniqueOrThrow({
        where: { shopId_shopifyId: { shopId: shop.id, shopifyId: numeric(cup.id) } },
      }),
    ).toMatchObject({ importState: "imported", importAttempts: 0, importMessage: null });
    expect((await shopStatus(prisma, shop.id)).unmappedProducts).toBe(0);
    expect(await productUpdatedAt(store, cup.id)).toBeTruthy();
  });
});
