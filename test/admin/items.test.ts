import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createItem } from "../../app/backoffice/backoffice.server";
import prisma from "../../app/db.server";
import type { Shop } from "../../app/generated/prisma/client";
import { action, loader } from "../../app/routes/app.items";
import { recordsByKey } from "../../app/sync/kit/outbound.server";
import { linkVariants } from "../../app/sync/products/links.server";
import { PRODUCT_TASK } from "../../app/sync/products/records.server";
import { queuedRuns } from "../kit/jobs";
import { adminRequest, answer, callRoute, outcomeOf } from "../support/admin";
import { installedShop } from "../support/shops";
import { startSimulator, type RunningSimulator } from "../support/simulator";
import { Store } from "../support/store";
import { catalogShop, FAILURE } from "./catalog-shop";

/**
 * The Items page: every item as the products sync sees it (variants, SKUs, the prices the
 * export sends in the shop card's context, sales prices, the Shopify product and its ids, the
 * sync record's state and message), searched and filtered by state; Add to Shopify and Retry
 * queue the products sync, and are refused while the shop card does not sync items to Shopify.
 */

const list = (shop: Shop, query = "") => callRoute(loader, adminRequest(shop.domain, `/app/items${query}`));
const act = async (shop: Shop, form: Record<string, string>) =>
  answer<{ ok: boolean; message?: string; error?: string; fields?: Record<string, string> }>(
    await callRoute(action, adminRequest(shop.domain, "/app/items", form)),
  );
const productRecord = async (shopId: string, itemNo: string) =>
  (await recordsByKey(prisma, shopId, PRODUCT_TASK, [itemNo])).get(itemNo);

const QUEUED = "Syncing products is queued and starts at once; the job list shows its progress.";

describe("the Items page", () => {
  it("shows each item with its variants, SKUs, the prices the export sends, its sales prices, Shopify ids and sync state", async () => {
    const shop = await catalogShop();

    const page = await list(shop);

    expect(page).toMatchObject({ total: 4, page: 1, state: "all", q: "" });
    expect(page.context).toEqual({
      syncItems: "to_shopify",
      syncPrices: true,
      priceGroup: "RETAIL",
      discountGroup: "STAFF",
      pricesIncludingTax: false,
      productMapping: "item_no",
    });
    expect(page.rows.map((row) => [row.no, row.state])).toEqual([
      ["HAT", "error"],
      ["MUG", "not_added"],
      ["OLD", "not_added"],
      ["TEE", "synced"],
    ]);
    const [hat, mug, old, tee] = page.rows;
    // Shopify's message in full, with the attempts.
    expect(hat).toMatchObject({ message: FAILURE, attempts: 1, product: null });
    // The group's 9.00 beats the all-customers 11.00 of RED; STAFF's 10% makes 8.10, and the
    // undiscounted price is the compare-at price.
    expect(mug!.variants).toEqual([
      {
        code: "BLUE",
        title: "Blue",
        sku: "MUG-BLUE",
        barcode: null,
        price: "8.10",
        compareAtPrice: "9.00",
        shopifyVariantId: null,
        inventoryItemId: null,
        priceMessage: null,
      },
      expect.objectContaining({ code: "RED", sku: "MUG-RED", price: "8.10", compareAtPrice: "9.00" }),
    ]);
    expect(mug!.salesPrices).toEqual([
      { priceGroup: null, variantCode: "RED", currencyCode: null, unitPrice: "11.00" },
      { priceGroup: "RETAIL", variantCode: null, currencyCode: null, unitPrice: "9.00" },
    ]);
    expect(old).toMatchObject({ blocked: true, state: "not_added", message: null });
    expect(tee).toMatchObject({
      state: "synced",
      message: null,
      product: {
        id: "1001",
        status: "ACTIVE",
        adminUrl: `https://admin.shopify.com/store/${shop.domain.replace(".myshopify.com", "")}/products/1001`,
      },
      variants: [
        {
          code: null,
          sku: "TEE",
          price: "25.00",
          compareAtPrice: null,
          shopifyVariantId: "2001",
          inventoryItemId: "3001",
        },
      ],
    });
    expect(tee!.sentAt).not.toBeNull();
  });

  it("finds items by number, description and SKU, and filters them by sync state", async () => {
    const shop = await catalogShop();
    // A SKU Shopify has for TEE that the back office's fields do not make.
    await linkVariants(prisma, shop.id, [
      {
        variantShopifyId: 2002n,
        productShopifyId: 1001n,
        inventoryItemShopifyId: 3002n,
        sku: "LEGACY-T-9",
        barcode: null,
        title: "Merino Tee (old)",
        itemNo: "TEE",
        variantCode: "OLD",
        linkedBy: "import",
      },
    ]);
    const found = async (query: string) => (await list(shop, query)).rows.map((row) => row.no);

    expect(await found("?q=mug-red")).toEqual(["MUG"]);
    expect(await found("?q=wool")).toEqual(["HAT"]);
    expect(await found("?q=tee")).toEqual(["TEE"]);
    expect(await found("?q=legacy-t")).toEqual(["TEE"]);
    expect(await found("?q=100%25")).toEqual([]);
    expect(await found("?state=error")).toEqual(["HAT"]);
    expect(await found("?state=synced")).toEqual(["TEE"]);
    expect(await found("?state=not_added")).toEqual(["MUG", "OLD"]);
    expect(await found("?state=pending")).toEqual([]);
    expect(await found("?state=not_added&q=old")).toEqual(["OLD"]);
  });

  it("pages through a long catalog, keeping the full count", async () => {
    const shop = await installedShop();
    for (let i = 1; i <= 53; i++)
      await createItem(prisma, shop.id, {
        no: `I${String(i).padStart(3, "0")}`,
        description: "Thing",
        unitPrice: "1",
      });

    const first = await list(shop);
    const second = await list(shop, "?page=2");

    expect([first.total, first.rows.length, first.rows[0]!.no]).toEqual([53, 50, "I001"]);
    expect([second.page, second.rows.map((row) => row.no)]).toEqual([2, ["I051", "I052", "I053"]]);
  });

  it("refuses a wrong address with what is wrong", async () => {
    const shop = await catalogShop();
    const wrong = await outcomeOf(list(shop, "?state=exploded"));
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain("state is one of all, error, pending, synced, not_added");
    expect(await outcomeOf(list(shop, "?page=0"))).toMatchObject({ status: 400 });
  });
});

describe("Add to Shopify", () => {
  it("makes the chosen items due and queues the products sync once", async () => {
    const shop = await catalogShop();

    const first = await act(shop, { intent: "add", itemNos: "MUG" });
    const second = await act(shop, { intent: "add", itemNos: "MUG,TEE" });

    expect(first).toEqual({
      status: 200,
      body: { ok: true, message: `Item MUG is waiting to be sent to Shopify. ${QUEUED}` },
    });
    expect(second.body.message).toBe(
      "Items MUG and TEE are waiting to be sent to Shopify. Syncing products was already queued and will include this; the job list shows its progress.",
    );
    expect(await queuedRuns(shop, "sync_products")).toHaveLength(1);
    expect((await list(shop, "?state=pending")).rows.map((row) => [row.no, row.state])).toEqual([
      ["MUG", "pending"],
      ["TEE", "pending"],
    ]);
  });

  it("by search, adds every item the search and state filter find, leaving out blocked ones", async () => {
    const shop = await catalogShop();

    const result = await act(shop, { intent: "addMatching", q: "", state: "not_added" });

    expect(result.body.message).toBe(
      `Item MUG is waiting to be sent to Shopify. 1 blocked item was left out. ${QUEUED}`,
    );
    expect(await productRecord(shop.id, "MUG")).toMatchObject({ state: "pending" });
    expect(await productRecord(shop.id, "OLD")).toMatchObject({ state: "skipped" });
    expect((await list(shop, "?state=not_added")).rows.map((row) => row.no)).toEqual(["OLD"]);

    const nothing = await act(shop, { intent: "addMatching", q: "nothing like this", state: "all" });
    expect(nothing).toMatchObject({
      status: 409,
      body: { ok: false, error: "Nothing to add: no item matches the search “nothing like this”." },
    });
  });

  it("is refused while the shop card does not sync items to Shopify, naming the setting, and queues nothing", async () => {
    const shop = await catalogShop();
    await prisma.shopSettings.update({ where: { shopId: shop.id }, data: { syncItems: "off" } });

    const results = [
      await act(shop, { intent: "add", itemNos: "MUG" }),
      await act(shop, { intent: "addMatching", q: "", state: "all" }),
      await act(shop, { intent: "retry", itemNo: "HAT" }),
    ];

    for (const result of results)
      expect(result).toMatchObject({
        status: 409,
        body: {
          ok: false,
          error:
            'Items are not synced to Shopify: the setting "Sync items" is "Off". Set it to "To Shopify" on the Settings page first.',
        },
      });
    expect(await productRecord(shop.id, "MUG")).toMatchObject({ state: "skipped" });
    expect(await productRecord(shop.id, "HAT")).toMatchObject({ state: "error" });
    expect(await prisma.syncRun.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("refuses items this shop does not have (another shop's), blocked ones, and malformed forms, with a message at the field", async () => {
    const shop = await catalogShop();
    const other = await installedShop();
    await createItem(prisma, other.id, { no: "THEIRS", description: "Not mine", unitPrice: "1" });

    const theirs = await act(shop, { intent: "add", itemNos: "MUG,THEIRS" });
    expect([theirs.status, theirs.body.error]).toEqual([
      404,
      "This shop has no item THEIRS in the back office.",
    ]);
    expect(theirs.body.fields?.itemNos).toBe("no item THEIRS in the back office");
    expect(await act(shop, { intent: "retry", itemNo: "THEIRS" })).toMatchObject({ status: 404 });
    expect(await act(shop, { intent: "add", itemNos: "OLD" })).toMatchObject({
      status: 409,
      body: {
        error:
          "Item OLD is blocked in the back office, and a blocked item is not created in Shopify: unblock it first.",
      },
    });
    const malformed: [Record<string, string>, string][] = [
      [{ intent: "add", itemNos: "" }, "itemNos"],
      [{ intent: "add" }, "itemNos"],
      [{ intent: "add", itemNos: "x".repeat(21) }, "itemNos"],
      [{ intent: "add", itemNos: Array.from({ length: 501 }, (_, i) => `N${i}`).join(",") }, "itemNos"],
      [{ intent: "addMatching", state: "everything" }, "state"],
      [{ intent: "addMatching", q: "q".repeat(101) }, "q"],
      [{ intent: "retry", itemNo: "" }, "itemNo"],
      [{ intent: "delete", itemNo: "HAT" }, "intent"],
    ];
    for (const [form, field] of malformed) {
      const result = await act(shop, form);
      expect([result.status, typeof result.body.fields?.[field]], JSON.stringify(form)).toEqual([
        400,
        "string",
      ]);
    }
    expect(await prisma.syncRun.count({ where: { shopId: shop.id } })).toBe(0);
    expect(await productRecord(shop.id, "MUG")).toMatchObject({ state: "skipped" });
    expect(await prisma.syncRecord.count({ where: { shopId: other.id } })).toBe(0);
  });
});

describe("Retry on an item in error", () => {
  it("puts it back to waiting, keeping Shopify's message, and queues the products sync", async () => {
    const shop = await catalogShop();

    const result = await act(shop, { intent: "retry", itemNo: "HAT" });

    expect(result.body).toEqual({
      ok: true,
      message: `Item HAT is waiting to be sent to Shopify again. ${QUEUED}`,
    });
    expect(await productRecord(shop.id, "HAT")).toMatchObject({
      state: "pending",
      message: FAILURE,
      attempts: 1,
    });
    expect(await queuedRuns(shop, "sync_products")).toHaveLength(1);
    expect((await list(shop, "?state=pending")).rows.map((row) => [row.no, row.message])).toEqual([
      ["HAT", FAILURE],
    ]);
  });

  it("is refused for an item that has not failed", async () => {
    const shop = await catalogShop();

    expect(await act(shop, { intent: "retry", itemNo: "TEE" })).toMatchObject({
      status: 409,
      body: { error: "Item TEE has not failed (it is synced); only a failed item can be retried." },
    });
    expect(await act(shop, { intent: "retry", itemNo: "MUG" })).toMatchObject({
      status: 409,
      body: {
        error: "Item MUG has not failed (it is not added to Shopify); only a failed item can be retried.",
      },
    });
    expect(await queuedRuns(shop, "sync_products")).toEqual([]);
  });
});

describe("Add to Shopify with background syncs off, against the simulated Shopify", () => {
  let simulator: RunningSimulator;
  beforeAll(async () => {
    simulator = await startSimulator(null);
    process.env.SHOPIFY_ADMIN_ORIGIN = simulator.url;
  });
  afterAll(() => simulator?.close());

  it("runs the export on the page; the item shows synced with the ids and prices Shopify has", async () => {
    const shop = await catalogShop();
    const store = new Store(simulator, shop.domain);
    await prisma.session.update({
      where: { id: `offline_${shop.domain}` },
      data: { accessToken: store.token },
    });
    await prisma.shopSettings.update({ where: { shopId: shop.id }, data: { allowBackgroundSyncs: false } });

    const result = await act(shop, { intent: "add", itemNos: "MUG" });

    expect(result.body.message).toMatch(
      /^Item MUG is waiting to be sent to Shopify\. Syncing products finished/,
    );
    const mug = (await list(shop, "?q=MUG")).rows[0]!;
    expect(mug).toMatchObject({ no: "MUG", state: "synced", message: null });
    const { product } = await store.graphql<{
      product: {
        variants: {
          nodes: {
            id: string;
            sku: string;
            price: string;
            compareAtPrice: string | null;
            inventoryItem: { id: string };
          }[];
        };
      };
    }>(
      `query P($id: ID!) { product(id: $id) { variants(first: 10) { nodes { id sku price compareAtPrice inventoryItem { id } } } } }`,
      { id: `gid://shopify/Product/${mug.product!.id}` },
    );
    const inShopify = product.variants.nodes
      .map((variant) => ({
        sku: variant.sku,
        price: variant.price,
        compareAtPrice: variant.compareAtPrice,
        shopifyVariantId: variant.id.split("/").pop(),
        inventoryItemId: variant.inventoryItem.id.split("/").pop(),
      }))
      .sort((a, b) => a.sku.localeCompare(b.sku));
    expect(
      mug.variants.map(({ sku, price, compareAtPrice, shopifyVariantId, inventoryItemId }) => ({
        sku,
        price,
        compareAtPrice,
        shopifyVariantId,
        inventoryItemId,
      })),
    ).toEqual(inShopify);
  });
});
