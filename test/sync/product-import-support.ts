import { expect } from "vitest";
import prisma from "../../app/db.server";
import type { ShopSettings } from "../../app/generated/prisma/client";
import { runInForeground } from "../../app/jobs/foreground.server";
import { syncProductsTask } from "../../app/sync/products/task.server";
import { installedShop } from "../support/shops";
import type { RunningSimulator } from "../support/simulator";
import { Store } from "../support/store";

/**
 * What the product import tests share: a shop whose items are synced from Shopify, products
 * made in the simulated store as a merchant would (productSet, productUpdate,
 * productVariantsBulkUpdate, productDelete), and runs of sync_products here and now.
 */

export async function importShop(
  simulator: RunningSimulator,
  settings: Partial<Omit<ShopSettings, "countryCustomers">> = {},
) {
  const shop = await installedShop();
  const store = new Store(simulator, shop.domain);
  await prisma.session.update({
    where: { id: `offline_${shop.domain}` },
    data: { accessToken: store.token },
  });
  await store.graphql(`query TestLocations { locations(first: 1) { nodes { id } } }`);
  await prisma.shopSettings.update({
    where: { shopId: shop.id },
    data: { syncItems: "from_shopify", productAutoCreate: true, ...settings },
  });
  return { shop, store };
}

export interface VariantSpec {
  options?: Record<string, string>;
  sku?: string;
  barcode?: string;
  price: string;
  compareAtPrice?: string;
  cost?: string;
}

export interface ProductSpec {
  title: string;
  vendor?: string;
  productType?: string;
  tags?: string[];
  descriptionHtml?: string;
  status?: "ACTIVE" | "DRAFT" | "ARCHIVED";
  /** Option names in order, with their values in order; none: the default "Title" option. */
  options?: Record<string, string[]>;
  variants: VariantSpec[];
}

export interface MadeProduct {
  id: string;
  updatedAt: string;
  variants: { id: string; sku: string | null; inventoryItem: { id: string } }[];
}

const MADE = `id updatedAt variants(first: 100) { nodes { id sku inventoryItem { id } } }`;

export async function makeProduct(store: Store, spec: ProductSpec, id?: string): Promise<MadeProduct> {
  const options = Object.entries(spec.options ?? {});
  const result = await store.graphql<{
    productSet: {
      product: (Omit<MadeProduct, "variants"> & { variants: { nodes: MadeProduct["variants"] } }) | null;
      userErrors: { field: string[]; message: string }[];
    };
  }>(
    `mutation TestProductSet($input: ProductSetInput!, $identifier: ProductSetIdentifiers) {
      productSet(input: $input, identifier: $identifier, synchronous: true) {
        product { ${MADE} }
        userErrors { field message }
      }
    }`,
    {
      identifier: id ? { id } : null,
      input: {
        title: spec.title,
        vendor: spec.vendor ?? "Acme",
        productType: spec.productType ?? "",
        tags: spec.tags ?? [],
        descriptionHtml: spec.descriptionHtml ?? "",
        status: spec.status ?? "ACTIVE",
        productOptions:
          options.length > 0
            ? options.map(([name, values], index) => ({
                name,
                position: index + 1,
                values: values.map((value) => ({ name: value })),
              }))
            : [{ name: "Title", position: 1, values: [{ name: "Default Title" }] }],
        variants: spec.variants.map((variant) => ({
          optionValues:
            options.length > 0
              ? options.map(([name]) => ({ optionName: name, name: variant.options![name]! }))
              : [{ optionName: "Title", name: "Default Title" }],
          price: variant.price,
          ...(variant.compareAtPrice ? { compareAtPrice: variant.compareAtPrice } : {}),
          ...(variant.barcode ? { barcode: variant.barcode } : {}),
          inventoryItem: {
            ...(variant.sku ? { sku: variant.sku } : {}),
            ...(variant.cost ? { cost: variant.cost } : {}),
          },
        })),
      },
    },
  );
  const product = result.productSet.product;
  if (!product)
    throw new Error(result.productSet.userErrors.map((e) => `${e.field.join(".")}: ${e.message}`).join("; "));
  return { ...product, variants: product.variants.nodes };
}

export async function renameProduct(store: Store, id: string, title: string): Promise<string> {
  const result = await store.graphql<{
    productUpdate: { product: { updatedAt: string } | null; userErrors: { message: string }[] };
  }>(
    `mutation TestProductUpdate($product: ProductUpdateInput!) {
      productUpdate(product: $product) { product { updatedAt } userErrors { message } }
    }`,
    { product: { id, title } },
  );
  if (!result.productUpdate.product) throw new Error(result.productUpdate.userErrors[0]?.message);
  return result.productUpdate.product.updatedAt;
}

export async function setVariantPrice(store: Store, productId: string, variantId: string, price: string) {
  const result = await store.graphql<{
    productVariantsBulkUpdate: { product: { updatedAt: string } | null; userErrors: { message: string }[] };
  }>(
    `mutation TestVariantPrice($productId: ID!, $variants: [ProductVariantsBulkInput!]!) {
      productVariantsBulkUpdate(productId: $productId, variants: $variants) {
        product { updatedAt } userErrors { message }
      }
    }`,
    { productId, variants: [{ id: variantId, price }] },
  );
  if (result.productVariantsBulkUpdate.userErrors.length > 0)
    throw new Error(result.productVariantsBulkUpdate.userErrors[0]!.message);
  return result.productVariantsBulkUpdate.product?.updatedAt;
}

export async function deleteProduct(store: Store, id: string) {
  const result = await store.graphql<{
    productDelete: { deletedProductId: string | null; userErrors: { message: string }[] };
  }>(
    `mutation TestProductDelete($input: ProductDeleteInput!) {
      productDelete(input: $input) { deletedProductId userErrors { message } }
    }`,
    { input: { id } },
  );
  if (!result.productDelete.deletedProductId) throw new Error(result.productDelete.userErrors[0]?.message);
}

export async function productUpdatedAt(store: Store, id: string): Promise<string> {
  const result = await store.graphql<{ product: { updatedAt: string } | null }>(
    `query TestProductUpdatedAt($id: ID!) { product(id: $id) { updatedAt } }`,
    { id },
  );
  return result.product!.updatedAt;
}

/** Runs sync_products here and now; it must succeed. Returns its counts. */
export async function runImport(
  domain: string,
  filters: Record<string, unknown> = {},
  trigger: "manual" | "schedule" | "webhook" = "manual",
) {
  const run = await runInForeground(prisma, syncProductsTask, { shop: domain, trigger, filters });
  expect(run.error).toBeNull();
  expect(run.status).toBe("succeeded");
  return run.counts as Record<string, number>;
}

export const numeric = (gid: string) => BigInt(gid.split("/").pop()!);

/** Every item of the shop with its variants and sales prices, as the back office holds them. */
export async function items(shopId: string) {
  return prisma.boItem.findMany({
    where: { shopId },
    include: { variants: { orderBy: { code: "asc" } }, salesPrices: true },
    orderBy: { no: "asc" },
  });
}
