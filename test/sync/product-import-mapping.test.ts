import { getOperationAST, parse } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createItem, priceBook, priceOf } from "../../app/backoffice/backoffice.server";
import prisma from "../../app/db.server";
import { action, loader } from "../../app/routes/app.products";
import { wholeGroups, wholeProductCost } from "../../app/sync/products/import-read.server";
import {
  IMPORT_MAX_REQUEST_COST,
  IMPORT_PRODUCTS_BY_ID,
  IMPORT_SHARED_VARIANTS,
} from "../../app/sync/products/operations.server";
import { requestedQueryCost } from "../../simulator/graphql/cost.server";
import { loadAdminSchema } from "../../simulator/graphql/schema.server";
import { adminRequest, answer, callRoute } from "../support/admin";
import { startSimulator, type RunningSimulator } from "../support/simulator";
import { importShop, items, makeProduct, numeric, runImport } from "./product-import-support";

/**
 * How products map to items with each product mapping, what is left unmapped and why, the
 * unmapped ones read again once the shop card changes, prices in the item's tax basis, large
 * products read by pages after the first run, and the products list's retry.
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

const sizes = (codes: string[], sku: (code: string) => string | undefined, price = "20.00") => ({
  options: { Size: codes },
  variants: codes.map((code) => ({ options: { Size: code }, sku: sku(code), price })),
});

describe("with each product mapping", () => {
  it("links variants that are several items each to its item, and updates none of them", async () => {
    const { shop, store } = await importShop(simulator, {
      productMapping: "item_no",
      updateItemsFromShopify: true,
    });
    await createItem(prisma, shop.id, { no: "TEE-S", description: "Merino Tee S", unitPrice: "25" });
    await createItem(prisma, shop.id, { no: "TEE-M", description: "Merino Tee M", unitPrice: "25" });
    const tee = await makeProduct(store, { title: "Merino Tee", ...sizes(["S", "M"], (c) => `TEE-${c}`) });

    expect(await runImport(shop.domain)).toMatchObject({ linkedToSeveralItems: 1 });
    const links = await prisma.shopifyVariantMap.findMany({
      where: { shopId: shop.id },
      orderBy: { sku: "asc" },
    });
    expect(links.map((l) => [l.sku, l.itemNo, l.variantCode])).toEqual([
      ["TEE-M", "TEE-M", null],
      ["TEE-S", "TEE-S", null],
    ]);
    expect((await items(shop.id)).map((item) => [item.no, item.description])).toEqual([
      ["TEE-M", "Merino Tee M"],
      ["TEE-S", "Merino Tee S"],
    ]);
    const product = await prisma.shopifyProduct.findUniqueOrThrow({
      where: { shopId_shopifyId: { shopId: shop.id, shopifyId: numeric(tee.id) } },
    });
    expect(product).toMatchObject({ importState: "imported", itemNo: null });
  });

  it("adds a product's new variants to the item its SKUs name only when items may be updated", async () => {
    const { shop, store } = await importShop(simulator, { productMapping: "item_no_variant_code" });
    await createItem(prisma, shop.id, {
      no: "HAT",
      description: "Wool hat",
      unitPrice: "19",
      optionNames: ["Size"],
      variants: [{ code: "S", description: "S", options: ["S"] }],
    });
    await makeProduct(store, { title: "Wool Hat", ...sizes(["S", "L"], (c) => `HAT-${c}`, "19.00") });

    expect(await runImport(shop.domain)).toMatchObject({ unmapped: 1 });
    const product = await prisma.shopifyProduct.findFirstOrThrow({ where: { shopId: shop.id } });
    expect(product.importMessage).toBe(
      'L (SKU HAT-L) is not a variant of item HAT, and "Update items from Shopify" is off, so the import does not add it',
    );
    expect(
      (await prisma.shopifyVariantMap.findMany({ where: { shopId: shop.id } })).map((l) => [
        l.sku,
        l.variantCode,
      ]),
    ).toEqual([["HAT-S", "S"]]);

    // The shop card changes: the unmapped product is read again, though Shopify has not changed.
    await prisma.shopSettings.update({ where: { shopId: shop.id }, data: { updateItemsFromShopify: true } });
    expect(await runImport(shop.domain)).toMatchObject({ itemsUpdated: 1 });
    const [hat] = await items(shop.id);
    expect(hat!.variants.map((v) => [v.code, v.option1])).toEqual([
      ["L", "L"],
      ["S", "S"],
    ]);
    expect(hat!.description).toBe("Wool Hat");
  });

  it("says so when auto-create is off, and creates the item once it is on", async () => {
    const { shop, store } = await importShop(simulator, {
      productMapping: "item_no",
      productAutoCreate: false,
    });
    await makeProduct(store, { title: "Mug", variants: [{ sku: "MUG", price: "10.00" }] });
    expect(await runImport(shop.domain)).toMatchObject({ unmapped: 1 });
    expect((await prisma.shopifyProduct.findFirstOrThrow({ where: { shopId: shop.id } })).importMessage).toBe(
      'no item has SKU MUG (product mapping: item no.), and "Auto-create unknown items" is off',
    );
    await prisma.shopSettings.update({ where: { shopId: shop.id }, data: { productAutoCreate: true } });
    expect(await runImport(shop.domain)).toMatchObject({ itemsCreated: 1 });
    expect((await items(shop.id)).map((item) => item.no)).toEqual(["MUG"]);
  });

  it("numbers items by the series with the variant code mapping, the SKUs being the variant codes", async () => {
    const { shop, store } = await importShop(simulator, { productMapping: "variant_code" });
    await makeProduct(store, { title: "Sock", ...sizes(["S", "M"], (c) => `SOCK${c}`) });
    await makeProduct(store, { title: "Belt", variants: [{ sku: "BELT", price: "30.00" }] });
    await runImport(shop.domain);
    expect((await items(shop.id)).map((item) => [item.no, item.variants.map((v) => v.code)])).toEqual([
      ["BELT", []],
      ["ITEM00001", ["SOCKM", "SOCKS"]],
    ]);
  });

  it("keeps the SKU as the vendor item no. with the vendor item no. mapping", async () => {
    const { shop, store } = await importShop(simulator, { productMapping: "vendor_item_no" });
    await makeProduct(store, {
      title: "Belt",
      variants: [{ sku: "V-77", barcode: "9000001", price: "30.00" }],
    });
    await makeProduct(store, { title: "Sock", ...sizes(["S", "M"], (c) => `SK9-${c}`) });
    await runImport(shop.domain);
    // Numbered by the series in the order the bulk read hands them over.
    const all = (await items(shop.id)).sort((a, b) => a.vendorItemNo!.localeCompare(b.vendorItemNo!));
    expect(all.map((item) => [item.vendorItemNo, item.barcode, item.variants.map((v) => v.code)])).toEqual([
      ["SK9", null, ["M", "S"]],
      ["V-77", "9000001", []],
    ]);
    expect(all.every((item) => /^ITEM0000[12]$/.test(item.no))).toBe(true);
  });

  it("reports a SKU that several items have, rather than guessing", async () => {
    const { shop, store } = await importShop(simulator, { productMapping: "vendor_item_no" });
    await createItem(prisma, shop.id, { no: "A", description: "A", unitPrice: "1", vendorItemNo: "V-1" });
    await createItem(prisma, shop.id, { no: "B", description: "B", unitPrice: "1", vendorItemNo: "V-1" });
    await makeProduct(store, { title: "Twin", variants: [{ sku: "V-1", price: "1.00" }] });
    expect(await runImport(shop.domain)).toMatchObject({ unmapped: 1 });
    expect((await prisma.shopifyProduct.findFirstOrThrow({ where: { shopId: shop.id } })).importMessage).toBe(
      "SKU V-1 is the vendor item no. of several items (A, B)",
    );
  });
});

describe("prices", () => {
  it("are kept in the item's tax basis, so that the price calculation gives Shopify's again", async () => {
    const { shop, store } = await importShop(simulator, { productMapping: "item_no", itemTemplateNo: "TPL" });
    await createItem(prisma, shop.id, {
      no: "TPL",
      description: "Template",
      unitPrice: "0",
      priceIncludesTax: true,
      taxRatePct: "25",
    });
    await makeProduct(store, { title: "Mug", variants: [{ sku: "MUG", price: "10.00" }] });
    await runImport(shop.domain);
    const mug = (await items(shop.id)).find((item) => item.no === "MUG")!;
    expect(mug).toMatchObject({ priceIncludesTax: true });
    expect(mug.unitPrice.toFixed(2)).toBe("12.50");
    const book = await priceBook(prisma, shop.id, ["MUG"]);
    expect(priceOf(mug, null, context, book).price.toFixed(2)).toBe("10.00");
  });
});

describe("after the first run", () => {
  it("reads changed products by pages, large ones on their own and their variants past the first hundred", async () => {
    const { shop, store } = await importShop(simulator, { productMapping: "item_no_variant_code" });
    await makeProduct(store, { title: "First", variants: [{ sku: "FIRST", price: "1.00" }] });
    await runImport(shop.domain);
    const many = Array.from({ length: 120 }, (_, i) => `N${String(i).padStart(3, "0")}`);
    await makeProduct(store, { title: "Big", ...sizes(many, (c) => `BIG-${c}`) });
    await makeProduct(store, { title: "Twenty", ...sizes(many.slice(0, 20), (c) => `TW-${c}`) });
    for (let i = 0; i < 12; i++)
      await makeProduct(store, { title: `Small ${i}`, ...sizes(["S", "M"], (c) => `SM${i}-${c}`) });

    const counts = await runImport(shop.domain);
    expect(counts).toMatchObject({ itemsCreated: 14 });
    expect(simulator.sim.shop(shop.domain).bulkOperations.size).toBe(1);
    expect(counts.requestedPoints).toBeLessThan(14 * 1000);
    const all = await items(shop.id);
    expect(all.find((item) => item.no === "BIG")!.variants).toHaveLength(120);
    expect(all.find((item) => item.no === "TW")!.variants).toHaveLength(20);
    expect(all.filter((item) => item.no.startsWith("SM"))).toHaveLength(12);
  });

  it("groups products so that no request asks for more than Shopify allows", () => {
    const stamps = [1, 2, 3, 15, 15, 16, 40, 100, 250, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1].map((count, i) => ({
      id: `gid://shopify/Product/${i + 1}`,
      updatedAt: "",
      variantsCount: { count },
    }));
    const groups = wholeGroups(stamps);
    expect(groups.flatMap((group) => group.ids).sort()).toEqual(stamps.map((stamp) => stamp.id).sort());
    for (const group of groups) {
      if (group.variants > IMPORT_SHARED_VARIANTS) expect(group.ids).toHaveLength(1);
      else
        expect(group.ids.length * wholeProductCost(group.variants)).toBeLessThanOrEqual(
          IMPORT_MAX_REQUEST_COST,
        );
    }
    // The estimate is Shopify's requested cost of IMPORT_PRODUCTS_BY_ID.
    const document = parse(IMPORT_PRODUCTS_BY_ID.query);
    for (const [ids, variants] of [
      [1, 1],
      [3, 15],
      [10, 15],
    ] as const) {
      const { cost } = requestedQueryCost({
        schema: loadAdminSchema(),
        document,
        operation: getOperationAST(document)!,
        variables: { ids: Array.from({ length: ids }, (_, i) => `gid://shopify/Product/${i + 1}`), variants },
      });
      expect(cost).toBe(ids * wholeProductCost(variants));
    }
  });
});

describe("the products list", () => {
  it("shows the products not imported with the reason, and retries one", async () => {
    const { shop, store } = await importShop(simulator, {
      productMapping: "item_no",
      productAutoCreate: false,
      allowBackgroundSyncs: false,
    });
    const mug = await makeProduct(store, { title: "Mug", variants: [{ sku: "MUG", price: "10.00" }] });
    await runImport(shop.domain);

    const page = await callRoute(loader, adminRequest(shop.domain, "/app/products"));
    expect(page.imports).toMatchObject({
      total: 1,
      rows: [{ productId: String(numeric(mug.id)), title: "Mug", state: "unmapped", attempts: 0 }],
    });
    expect(page.imports.rows[0]!.reason).toMatch(/^no item has SKU MUG/);

    await createItem(prisma, shop.id, { no: "MUG", description: "Mug", unitPrice: "10" });
    const result = await answer(
      await callRoute(
        action,
        adminRequest(shop.domain, "/app/products", {
          intent: "retryImport",
          productId: String(numeric(mug.id)),
        }),
      ),
    );
    expect(result.status).toBe(200);
    expect(result.body.message).toContain("Mug is imported again.");
    expect(result.body.message).toContain("finished");
    const after = await callRoute(loader, adminRequest(shop.domain, "/app/products"));
    expect(after.imports).toEqual({ total: 0, rows: [] });
    expect(
      (await prisma.shopifyVariantMap.findMany({ where: { shopId: shop.id } })).map((l) => [l.sku, l.itemNo]),
    ).toEqual([["MUG", "MUG"]]);
  });
});
