// @vitest-environment jsdom
import { afterEach, describe, expect, it } from "vitest";
import { createItem, findItem } from "../../app/backoffice/backoffice.server";
import prisma from "../../app/db.server";
import main from "../../extensions/product-block/src/ProductBlock";
import { blockText, button, elements, mountBlock, unmountBlock, waitForText } from "../support/extension-dom";
import { productShop } from "./product-shop";

/**
 * The product details block as Shopify admin shows it on a product's page: rendered with Preact
 * into a DOM, its `shopify` global standing in for Shopify's, its `fetch` answered by the app's
 * real API routes against the test database.
 */

const TARGET = "admin.product-details.block.render";

afterEach(() => unmountBlock());

type Shop = Awaited<ReturnType<typeof productShop>>;

async function showProduct(shop: Shop) {
  return mountBlock(main, {
    domain: shop.shop.domain,
    target: TARGET,
    selected: `gid://shopify/Product/${shop.productId}`,
  });
}

/** Types into the text field labelled `label`, as a person would, and lets the block render it. */
async function type(label: string, value: string) {
  const field = elements("s-text-field").find((element) => element.getAttribute("label") === label);
  if (!field) throw new Error(`no field “${label}”; the block shows: ${blockText()}`);
  (field as HTMLElement & { value: string }).value = value;
  field.dispatchEvent(new Event("input", { bubbles: true }));
  await new Promise((resolve) => setTimeout(resolve, 0));
}

const hatMapping = (shop: Shop) =>
  prisma.shopifyVariantMap.findUniqueOrThrow({
    where: {
      shopId_variantShopifyId: { shopId: shop.shop.id, variantShopifyId: shop.variants.hat.variantId },
    },
  });

describe("the product block", () => {
  it("shows the item each variant maps to or that it is unmapped, and the last import and export with their errors in full", async () => {
    const shop = await productShop();
    await showProduct(shop);

    await waitForText("Wool Hat · SKU HAT: Unmapped Orders waiting for it: #H1");
    expect(blockText()).toContain(
      "Merino Tee · SKU TEE Item TEE found by its SKU when it was met on an order",
    );
    expect(blockText()).toContain(
      "Last import from Shopify: failed; the next run tries again 1 Dec 09:30:00 Shopify answered 502 Bad Gateway while reading the product's variants; the next run reads it again (2 attempts)",
    );
    expect(blockText()).toContain(
      "Export to Shopify: Item TEE (Merino Tee) failed Shopify: title: can't be blank",
    );
    expect(elements("s-admin-block")[0]?.getAttribute("collapsedSummary")).toBe("1 unmapped");
    // Create item starts from what automatic creation would make of the variant.
    const values = Object.fromEntries(
      elements("s-text-field").map((field) => [
        field.getAttribute("label") ?? "",
        field.getAttribute("value"),
      ]),
    );
    expect(values).toEqual({
      "Item number": "",
      "New item number (blank: the number series)": "HAT",
      Description: "Wool Hat",
      "Unit price": "19.50",
    });
    expect(elements("s-button", "Import again")).toEqual([]);
  });

  it("Map links the variant to the item typed in, and the block then shows it mapped", async () => {
    const shop = await productShop();
    await createItem(prisma, shop.shop.id, { no: "CAP-9", description: "Wool cap", unitPrice: "19.5" });
    const { calls } = await showProduct(shop);
    await waitForText("Unmapped");

    await type("Item number", "CAP-9");
    button("Map").click();

    await waitForText("Wool Hat is now mapped to item CAP-9. Orders waiting for it: #H1.");
    await waitForText("Wool Hat · SKU HAT Item CAP-9");
    expect((await hatMapping(shop)).itemNo).toBe("CAP-9");
    expect(elements("s-badge", "Unmapped")).toEqual([]);
    expect(elements("s-admin-block")[0]?.getAttribute("collapsedSummary")).toBe("Every variant mapped");
    expect(calls.map((call) => [call.method, call.body, call.status])).toEqual([
      ["GET", undefined, 200],
      ["POST", { intent: "map", variantId: shop.variants.hat.variantId.toString(), itemNo: "CAP-9" }, 200],
      ["GET", undefined, 200],
    ]);
  });

  it("offers the items the variant's SKU finds, each mapped with one click", async () => {
    const shop = await productShop();
    await createItem(prisma, shop.shop.id, { no: "HAT-2", description: "Wool hat, old", unitPrice: "18" });
    await showProduct(shop);

    await waitForText("Map to HAT-2 (Wool hat, old)");
    button("Map to HAT-2 (Wool hat, old)").click();

    await waitForText("Wool Hat · SKU HAT Item HAT-2");
    expect((await hatMapping(shop)).itemNo).toBe("HAT-2");
  });

  it("Create item makes the item from the variant and maps the variant to it", async () => {
    const shop = await productShop();
    await showProduct(shop);
    await waitForText("Unmapped");

    await type("Unit price", "21.00");
    button("Create item").click();

    await waitForText("Item HAT (Wool Hat) is created and Wool Hat is mapped to it.");
    await waitForText("Wool Hat · SKU HAT Item HAT mapped by a person");
    const item = await findItem(prisma, shop.shop.id, "HAT");
    expect([item?.description, item?.unitPrice.toFixed(2)]).toEqual(["Wool Hat", "21.00"]);
  });

  it("shows the app's refusal in full, and leaves the variant unmapped", async () => {
    const shop = await productShop();
    await showProduct(shop);
    await waitForText("Unmapped");

    await type("Item number", "NOPE");
    button("Map").click();

    await waitForText("There is no item NOPE in the back office.");
    expect(elements("s-banner")[0]?.getAttribute("tone")).toBe("critical");
    expect((await hatMapping(shop)).itemNo).toBeNull();
    expect(elements("s-badge", "Unmapped")).toHaveLength(1);
  });

  it("says so when the back office does not know the product", async () => {
    const shop = await productShop();
    await mountBlock(main, {
      domain: shop.shop.domain,
      target: TARGET,
      selected: "gid://shopify/Product/31415926",
    });

    await waitForText("The back office does not know this product yet");
    expect(elements("s-button")).toEqual([]);
  });
});
