import { describe, expect, it } from "vitest";
import type { ProductBlock } from "../../app/admin/product-block.server";
import { createItem, findItem } from "../../app/backoffice/backoffice.server";
import prisma from "../../app/db.server";
import { queuedRuns, runQueuedJobs } from "../kit/jobs";
import { sessionToken } from "../support/admin";
import { TEST_API_SECRET } from "../support/env";
import { extensionRequest, routeRequest } from "../support/extensions";
import { productShop } from "./product-shop";

/**
 * The product details block's API, as the block calls it from Shopify's product page: what it
 * answers comes from the Products and Items pages' services, and its Map and Create item are
 * the Products page's actions.
 */

const path = (id: bigint | string) => `/api/extensions/products/${id}`;

async function json(response: Response): Promise<unknown> {
  const text = await response.text();
  return text ? (JSON.parse(text) as unknown) : null;
}

async function get(domain: string, id: bigint | string, token?: string) {
  const response = await routeRequest(extensionRequest(domain, path(id), token ? { token } : {}));
  return { status: response.status, body: await json(response) };
}

async function post(domain: string, id: bigint | string, body: unknown, token?: string) {
  const response = await routeRequest(
    extensionRequest(domain, path(id), { body, ...(token ? { token } : {}) }),
  );
  return { status: response.status, body: (await json(response)) as { message?: string; error?: string } };
}

const variantRow = (shopId: string, variantId: bigint) =>
  prisma.shopifyVariantMap.findUniqueOrThrow({
    where: { shopId_variantShopifyId: { shopId, variantShopifyId: variantId } },
  });

describe("when the block asks where a product stands", () => {
  it("shows each variant's item or that it is unmapped, and the last import and export with their errors in full", async () => {
    const shop = await productShop();

    const { status, body } = await get(shop.shop.domain, shop.productId);

    expect(status).toBe(200);
    const block = body as ProductBlock;
    expect(block.product).toEqual({
      id: shop.productId.toString(),
      title: "Merino Tee & Hat",
      status: "ACTIVE",
      deleted: false,
      itemNo: "TEE",
    });
    expect(block.variants).toEqual([
      {
        variantId: shop.variants.tee.variantId.toString(),
        title: "Merino Tee",
        sku: "TEE",
        barcode: null,
        itemNo: "TEE",
        variantCode: null,
        linkedBy: "found by its SKU when it was met on an order",
        waitingOrders: [],
        candidates: [],
        proposal: null,
      },
      {
        variantId: shop.variants.hat.variantId.toString(),
        title: "Wool Hat",
        sku: "HAT",
        barcode: null,
        itemNo: null,
        variantCode: null,
        linkedBy: null,
        waitingOrders: ["#H1"],
        candidates: [],
        proposal: { itemNo: "HAT", description: "Wool Hat", unitPrice: "19.50" },
      },
    ]);
    expect(block.import).toEqual({
      state: "error",
      words: "failed; the next run tries again",
      message:
        "Shopify answered 502 Bad Gateway while reading the product's variants; the next run reads it again",
      attempts: 2,
      at: "1 Dec 09:30:00",
    });
    expect(block.exports).toEqual([
      {
        itemNo: "TEE",
        description: "Merino Tee",
        state: "error",
        words: "failed",
        message: "Shopify: title: can't be blank",
        attempts: 1,
        at: null,
      },
    ]);
    // Import again only while the shop imports products (Sync items: From Shopify).
    expect([block.canRetryImport, block.appUrl]).toEqual([false, "app:app/products"]);
  });
});

describe("when a person acts from the block", () => {
  it("Map links the variant to the item, and the order it held up is processed", async () => {
    const shop = await productShop();
    await createItem(prisma, shop.shop.id, { no: "CAP-9", description: "Wool cap", unitPrice: "19.5" });

    const result = await post(shop.shop.domain, shop.productId, {
      intent: "map",
      variantId: shop.variants.hat.variantId.toString(),
      itemNo: "CAP-9",
    });

    expect(result).toEqual({
      status: 200,
      body: {
        message:
          "Wool Hat is now mapped to item CAP-9. Orders waiting for it: #H1. Processing orders is queued and starts at once; the job list shows its progress.",
      },
    });
    expect(await variantRow(shop.shop.id, shop.variants.hat.variantId)).toMatchObject({
      itemNo: "CAP-9",
      variantCode: null,
    });
    expect(await queuedRuns(shop.shop, "process_orders")).toHaveLength(1);
    await runQueuedJobs();
    const order = await prisma.shopifyOrder.findUniqueOrThrow({ where: { id: shop.order.id } });
    expect([order.state, order.error]).toEqual(["processed", null]);
    const block = (await get(shop.shop.domain, shop.productId)).body as ProductBlock;
    expect(block.variants.map((variant) => [variant.title, variant.itemNo])).toEqual([
      ["Merino Tee", "TEE"],
      ["Wool Hat", "CAP-9"],
    ]);
  });

  it("Create item makes the item from the variant and maps the variant to it", async () => {
    const shop = await productShop();

    const result = await post(shop.shop.domain, shop.productId, {
      intent: "create",
      variantId: shop.variants.hat.variantId.toString(),
      itemNo: "HAT",
      description: "Wool Hat",
      unitPrice: "19.50",
    });

    expect(result.status).toBe(200);
    expect(result.body.message).toContain("Item HAT (Wool Hat) is created and Wool Hat is mapped to it.");
    expect(await findItem(prisma, shop.shop.id, "HAT")).toMatchObject({ no: "HAT", description: "Wool Hat" });
    expect((await variantRow(shop.shop.id, shop.variants.hat.variantId)).itemNo).toBe("HAT");
  });

  it("refuses a Map to an item that does not exist, a variant of another product, and malformed input, changing nothing", async () => {
    const shop = await productShop();
    const hat = shop.variants.hat.variantId.toString();

    const noItem = await post(shop.shop.domain, shop.productId, {
      intent: "map",
      variantId: hat,
      itemNo: "NOPE",
    });
    const otherProduct = await post(shop.shop.domain, shop.productId, {
      intent: "map",
      variantId: "123456",
      itemNo: "TEE",
    });
    const noPrice = await post(shop.shop.domain, shop.productId, {
      intent: "create",
      variantId: hat,
      description: "Wool Hat",
      unitPrice: "cheap",
    });
    const unknownIntent = await post(shop.shop.domain, shop.productId, { intent: "delete" });

    expect([noItem.status, noItem.body.error]).toEqual([404, "There is no item NOPE in the back office."]);
    expect([otherProduct.status, otherProduct.body.error]).toEqual([
      404,
      "This product has no variant 123456 in the back office.",
    ]);
    expect([noPrice.status, noPrice.body.error]).toEqual([
      400,
      expect.stringContaining("give the unit price as a number such as 25.00"),
    ]);
    expect([unknownIntent.status, unknownIntent.body.error]).toEqual([
      400,
      expect.stringContaining("the actions here are map, create and retryImport"),
    ]);
    expect((await variantRow(shop.shop.id, shop.variants.hat.variantId)).itemNo).toBeNull();
    expect(await queuedRuns(shop.shop, "process_orders")).toEqual([]);
  });
});

describe("when the request is not one the block may make", () => {
  it("answers 401 to expired and forged tokens, 404 to another shop's or an unknown product, 400 to an id that is not Shopify's", async () => {
    const mine = await productShop();
    const theirs = await productShop();
    const now = Math.floor(Date.now() / 1000);
    const expired = sessionToken(mine.shop.domain, TEST_API_SECRET, {
      claims: { exp: now - 60, iat: now - 120, nbf: now - 120 },
    });
    const hat = { intent: "map", variantId: theirs.variants.hat.variantId.toString(), itemNo: "TEE" };

    for (const token of [expired, sessionToken(mine.shop.domain, "not-the-app-secret")]) {
      expect((await get(mine.shop.domain, mine.productId, token)).status).toBe(401);
      expect((await post(mine.shop.domain, mine.productId, hat, token)).status).toBe(401);
    }
    const other = await get(mine.shop.domain, theirs.productId);
    const unknown = await get(mine.shop.domain, 424242424242n);
    expect(other.status).toBe(404);
    expect(other.body).toEqual(unknown.body);
    expect((await post(mine.shop.domain, theirs.productId, hat)).status).toBe(404);
    expect((await get(mine.shop.domain, "gid%3A%2F%2Fshopify%2FProduct%2F1")).status).toBe(400);
    // 19 digits, but past the bigint a product id is stored as: malformed, not a failure of the app.
    const tooLarge = await get(mine.shop.domain, "9999999999999999999");
    expect([tooLarge.status, (tooLarge.body as { error: string }).error]).toEqual([
      400,
      expect.stringContaining("the product must be a Shopify product id (digits)"),
    ]);
    expect((await variantRow(theirs.shop.id, theirs.variants.hat.variantId)).itemNo).toBeNull();
  });
});
