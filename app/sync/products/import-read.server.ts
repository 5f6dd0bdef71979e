import type { AdminClient } from "../../shopify/admin-client.server";
import type { BulkRecord } from "../../shopify/bulk.server";
import type { DataOf } from "../../shopify/operation.server";
import type { ProductRead } from "./import-plan.server";
import {
  IMPORT_MAX_REQUEST_COST,
  IMPORT_MAX_VARIANTS,
  IMPORT_MORE_VARIANTS,
  IMPORT_PRODUCT_BY_ID,
  IMPORT_PRODUCTS_BY_ID,
  IMPORT_SHARED_VARIANTS,
  IMPORT_STAMPS_BY_ID,
  IMPORT_STAMPS_PER_PAGE,
  isProduct,
  type ImportProductNode,
  type ImportProductStamp,
  type ImportVariantNode,
  type ImportWholeNode,
} from "./operations.server";

/**
 * Reading products for the import: stamps (id, update time, variant count) first, which cost
 * about 2 points a product, then whole products by id for those that need reading, as many in
 * one request as their variants allow (a whole product costs 4 points and 6 per variant;
 * Shopify's cap is 1,000 a request): products of similar size are asked for together, each with
 * as many variants as the largest of them has, and a product with more than IMPORT_MAX_VARIANTS
 * reads the rest page by page. A bulk query's record is the same ProductRead.
 */

/** What one whole product costs when asked for with `variants` variants (the contract test checks it). */
export function wholeProductCost(variants: number): number {
  return 4 + 6 * variants;
}

const MAX_IDS = 10;

/**
 * Groups of stamps read together: each group's ids and the variants to ask each for. Products
 * of up to IMPORT_SHARED_VARIANTS variants share requests (IMPORT_PRODUCTS_BY_ID); a larger one
 * has a request of its own (IMPORT_PRODUCT_BY_ID).
 */
export function wholeGroups(stamps: ImportProductStamp[]): { ids: string[]; variants: number }[] {
  const sized = stamps
    .map((stamp) => ({
      id: stamp.id,
      variants: Math.max(1, Math.min(IMPORT_MAX_VARIANTS, stamp.variantsCount?.count ?? IMPORT_MAX_VARIANTS)),
    }))
    .sort((a, b) => a.variants - b.variants);
  const groups: { ids: string[]; variants: number }[] = [];
  let current: { ids: string[]; variants: number } | null = null;
  for (const stamp of sized) {
    if (stamp.variants > IMPORT_SHARED_VARIANTS) {
      groups.push({ ids: [stamp.id], variants: stamp.variants });
      continue;
    }
    const variants = Math.max(current?.variants ?? 0, stamp.variants);
    if (
      current &&
      (current.ids.length >= MAX_IDS ||
        (current.ids.length + 1) * wholeProductCost(variants) > IMPORT_MAX_REQUEST_COST)
    ) {
      groups.push(current);
      current = null;
    }
    current ??= { ids: [], variants: stamp.variants };
    current.ids.push(stamp.id);
    current.variants = Math.max(current.variants, stamp.variants);
  }
  if (current) groups.push(current);
  return groups;
}

/** Whole products for these stamps (those Shopify no longer has are left out). */
export async function* wholeProducts(
  client: AdminClient,
  stamps: ImportProductStamp[],
): AsyncGenerator<ProductRead> {
  for (const group of wholeGroups(stamps)) {
    const nodes =
      group.variants > IMPORT_SHARED_VARIANTS
        ? [
            (await client.request(IMPORT_PRODUCT_BY_ID, { id: group.ids[0]!, variants: group.variants }))
              .product,
          ]
        : (await client.request(IMPORT_PRODUCTS_BY_ID, group)).nodes;
    for (const node of nodes) {
      if (!isProduct(node)) continue; // deleted since it was listed
      yield { product: productOf(node), variants: await allVariants(client, node) };
    }
  }
}

function productOf(node: ImportWholeNode): ImportProductNode {
  const { variants: _variants, ...product } = node;
  return product;
}

async function allVariants(client: AdminClient, node: ImportWholeNode): Promise<ImportVariantNode[]> {
  const variants = [...node.variants.nodes];
  let page = node.variants.pageInfo;
  while (page.hasNextPage) {
    const more: DataOf<typeof IMPORT_MORE_VARIANTS> = await client.request(IMPORT_MORE_VARIANTS, {
      id: node.id,
      after: page.endCursor,
    });
    if (!more.product) break;
    variants.push(...more.product.variants.nodes);
    page = more.product.variants.pageInfo;
  }
  return variants;
}

/** The stamps of products named by id; the ids Shopify does not have come back as `missing`. */
export async function stampsById(
  client: AdminClient,
  ids: string[],
): Promise<{ stamps: ImportProductStamp[]; missing: string[] }> {
  const stamps: ImportProductStamp[] = [];
  const missing: string[] = [];
  for (let i = 0; i < ids.length; i += IMPORT_STAMPS_PER_PAGE) {
    const chunk = ids.slice(i, i + IMPORT_STAMPS_PER_PAGE);
    const { nodes } = await client.request(IMPORT_STAMPS_BY_ID, { ids: chunk });
    nodes.forEach((node, index) => {
      if (isProduct(node)) stamps.push(node);
      else missing.push(chunk[index]!);
    });
  }
  return { stamps, missing };
}

/** A bulk query's product with its variants, as a ProductRead. */
export function readOfBulk(record: BulkRecord): ProductRead {
  return {
    product: record.node as unknown as ImportProductNode,
    variants: (record.children.get("ProductVariant") ?? []) as unknown as ImportVariantNode[],
  };
}
