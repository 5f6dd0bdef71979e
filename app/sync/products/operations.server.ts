import { operation } from "../../shopify/admin-client.server";

/**
 * The products sync's GraphQL operations (Admin API 2026-07), each checked against the schema
 * and priced by test/contract/operations.test.ts.
 * productSet: https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/productSet
 * productVariantsBulkUpdate: https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/productVariantsBulkUpdate
 */

export interface ProductUserError {
  field: string[] | null;
  message: string;
  code: string | null;
}

/** The variants of a product as a write returns them: enough to link each to its item variant. */
export interface WrittenVariantNode {
  id: string;
  sku: string | null;
  barcode: string | null;
  title: string;
  selectedOptions: { name: string; value: string }[];
  inventoryItem: { id: string };
}

export interface WrittenProductNode {
  id: string;
  title: string;
  status: string;
  updatedAt: string;
  variantsCount: { count: number } | null;
  variants: { nodes: WrittenVariantNode[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

/** Variants read back with a write; a product with more is read on with PRODUCT_VARIANTS_PAGE. */
export const WRITTEN_VARIANTS_PAGE = 100;

const WRITTEN_PRODUCT = `
  id title status updatedAt
  variantsCount { count }
  variants(first: 100) {
    nodes { id sku barcode title selectedOptions { name value } inventoryItem { id } }
    pageInfo { hasNextPage endCursor }
  }`;

export interface ProductSetInput {
  title: string;
  descriptionHtml: string;
  vendor: string;
  productType: string;
  tags: string[];
  status?: string;
  productOptions?: { name: string; position: number; values: { name: string }[] }[];
  variants: {
    id?: string;
    optionValues: { optionName: string; name: string }[];
    sku: string | null;
    barcode: string | null;
    price?: string;
    compareAtPrice?: string | null;
    inventoryPolicy: string;
    inventoryItem: {
      cost: string;
      tracked: boolean;
      measurement?: { weight: { value: number; unit: string } };
    };
  }[];
}

export interface ProductSetData {
  productSet: { product: WrittenProductNode | null; userErrors: ProductUserError[] };
}

export interface ProductSetVariables {
  input: ProductSetInput;
  /** The product by id, or (created) by the handle the export gives it. */
  identifier?: { id: string } | { handle: string } | null;
}

/** A product created or replaced whole from its item (options and variants as listed). */
export const PRODUCT_SET = operation<ProductSetData, ProductSetVariables>(
  "SyncProductSet",
  `mutation SyncProductSet($input: ProductSetInput!, $identifier: ProductSetIdentifiers) {
    productSet(input: $input, identifier: $identifier, synchronous: true) {
      product { ${WRITTEN_PRODUCT} }
      userErrors { field message code }
    }
  }`,
);

export interface VariantPricesData {
  productVariantsBulkUpdate: {
    product: { id: string; updatedAt: string } | null;
    productVariants: { id: string; price: string; compareAtPrice: string | null }[] | null;
    userErrors: ProductUserError[];
  };
}

export interface VariantPricesVariables {
  productId: string;
  variants: { id: string; price: string; compareAtPrice: string | null }[];
}

/** Prices (and compare-at prices) of some variants of one product; a refused variant does not hold the others back. */
export const VARIANT_PRICES = operation<VariantPricesData, VariantPricesVariables>(
  "SyncProductVariantPrices",
  `mutation SyncProductVariantPrices($productId: ID!, $variants: [ProductVariantsBulkInput!]!) {
    productVariantsBulkUpdate(productId: $productId, variants: $variants, allowPartialUpdates: true) {
      product { id updatedAt }
      productVariants { id price compareAtPrice }
      userErrors { field message code }
    }
  }`,
  { largest: { variants: 2048 } },
);

/** Variant links completed at a time (3 points each: the variant, its product, its inventory item). */
export const VARIANT_LINKS_PER_PAGE = 100;

export interface VariantLinkNode {
  id: string;
  product: { id: string };
  inventoryItem: { id: string };
}

/** The product and inventory item of variants linked without them (met on an order, mapped by a person). */
export const VARIANT_LINKS = operation<
  { nodes: (VariantLinkNode | NotAProduct | null)[] },
  { ids: string[] }
>(
  "SyncVariantLinks",
  `query SyncVariantLinks($ids: [ID!]!) {
    nodes(ids: $ids) { ... on ProductVariant { id product { id } inventoryItem { id } } }
  }`,
  { largest: { ids: VARIANT_LINKS_PER_PAGE } },
);

export interface ProductStatusData {
  productUpdate: {
    product: { id: string; status: string; updatedAt: string } | null;
    userErrors: { field: string[] | null; message: string }[];
  };
}

/** A product's status alone (the item was blocked or removed). */
export const PRODUCT_STATUS = operation<ProductStatusData, { product: { id: string; status: string } }>(
  "SyncProductStatus",
  `mutation SyncProductStatus($product: ProductUpdateInput!) {
    productUpdate(product: $product) {
      product { id status updatedAt }
      userErrors { field message }
    }
  }`,
);

/** The variants of a product past the first page a write returned. */
export const PRODUCT_VARIANTS_PAGE = operation<
  {
    product: {
      variants: { nodes: WrittenVariantNode[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
    } | null;
  },
  { id: string; after: string | null }
>(
  "SyncProductVariantsPage",
  `query SyncProductVariantsPage($id: ID!, $after: String) {
    product(id: $id) {
      variants(first: 100, after: $after) {
        nodes { id sku barcode title selectedOptions { name value } inventoryItem { id } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }`,
);

// ---- import (from Shopify)
// The import's reads (app/sync/products/import*.server.ts): products by an updated_at cursor as
// stamps (id, updatedAt, variant count; about 2 points a product), then whole by id, as many
// per request as their variants allow; the first run's catalog by one bulk query; all product
// ids by a bulk query for the deletion reconcile. Whole products carry what an item needs:
// title, description, vendor, type, tags, status, options, and each variant's SKU, barcode,
// price, compare-at price, option values and inventory item (id, cost, weight).

// Imported here rather than at the top, which another part of the sync edits.
import { bulkQuery } from "../../shopify/bulk.server";

export const IMPORT_PRODUCT_FIELDS = `id title descriptionHtml vendor productType tags status updatedAt
  options { name position values }`;

export const IMPORT_VARIANT_FIELDS = `id title sku barcode price compareAtPrice
  selectedOptions { name value }
  inventoryItem { id unitCost { amount } measurement { weight { unit value } } }`;

export interface ImportVariantNode {
  id: string;
  title: string;
  sku: string | null;
  barcode: string | null;
  price: string;
  compareAtPrice: string | null;
  selectedOptions: { name: string; value: string }[];
  inventoryItem: {
    id: string;
    unitCost: { amount: string } | null;
    measurement: { weight: { unit: string; value: number } | null } | null;
  } | null;
}

export interface ImportProductNode {
  id: string;
  title: string;
  descriptionHtml: string;
  vendor: string;
  productType: string;
  tags: string[];
  status: string;
  updatedAt: string;
  options: { name: string; position: number; values: string[] }[];
}

export interface ImportProductStamp {
  id: string;
  updatedAt: string;
  variantsCount: { count: number } | null;
}

type PageInfo = { hasNextPage: boolean; endCursor: string | null };

/** What `nodes(ids:)` answers for an id that is not a product's (or null when Shopify has none). */
export type NotAProduct = { id?: never };

/** Whether a `nodes(ids:)` answer is the product asked for. */
export function isProduct<T extends { id: string }>(node: T | NotAProduct | null): node is T {
  return node !== null && typeof node.id === "string";
}

export const IMPORT_STAMPS_PER_PAGE = 250;

/** How many products changed since the cursor (1 point). */
export const IMPORT_PRODUCTS_COUNT = operation<
  { productsCount: { count: number; precision: string } },
  { query: string }
>(
  "SyncImportProductsCount",
  `query SyncImportProductsCount($query: String!) {
    productsCount(query: $query, limit: 10000) { count precision }
  }`,
);

/** Products changed since the cursor, oldest change first: id, update time and variant count. */
export const IMPORT_PRODUCT_STAMPS = operation<
  { products: { pageInfo: PageInfo; nodes: ImportProductStamp[] } },
  { first: number; after: string | null; query: string }
>(
  "SyncImportProductStamps",
  `query SyncImportProductStamps($first: Int!, $after: String, $query: String!) {
    products(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
      pageInfo { hasNextPage endCursor }
      nodes { id updatedAt variantsCount { count } }
    }
  }`,
  { largest: { first: IMPORT_STAMPS_PER_PAGE } },
);

/** The same stamps for products named by id (a retry, the request page's product ids). */
export const IMPORT_STAMPS_BY_ID = operation<
  { nodes: (ImportProductStamp | NotAProduct | null)[] },
  { ids: string[] }
>(
  "SyncImportStampsById",
  `query SyncImportStampsById($ids: [ID!]!) {
    nodes(ids: $ids) { ... on Product { id updatedAt variantsCount { count } } }
  }`,
  { largest: { ids: IMPORT_STAMPS_PER_PAGE } },
);

/** Variants of a product read with it (about 6 points each); more come by IMPORT_MORE_VARIANTS. */
export const IMPORT_MAX_VARIANTS = 100;
/** Products of up to this many variants are read several at a time (IMPORT_PRODUCTS_BY_ID). */
export const IMPORT_SHARED_VARIANTS = 15;
/** What one whole-product request may cost at most (Shopify's cap is 1,000). */
export const IMPORT_MAX_REQUEST_COST = 990;

export type ImportWholeNode = ImportProductNode & {
  variants: { nodes: ImportVariantNode[]; pageInfo: PageInfo };
};

const WHOLE_PRODUCT = `
  ${IMPORT_PRODUCT_FIELDS}
  variants(first: $variants) {
    nodes { ${IMPORT_VARIANT_FIELDS} }
    pageInfo { hasNextPage endCursor }
  }`;

/** Whole small products by id, `variants` of each (the most any of them has). */
export const IMPORT_PRODUCTS_BY_ID = operation<
  { nodes: (ImportWholeNode | NotAProduct | null)[] },
  { ids: string[]; variants: number }
>(
  "SyncImportProductsById",
  `query SyncImportProductsById($ids: [ID!]!, $variants: Int!) {
    nodes(ids: $ids) { ... on Product { ${WHOLE_PRODUCT} } }
  }`,
  // 10 products of 15 variants: about 950 points.
  { largest: { ids: 10, variants: IMPORT_SHARED_VARIANTS } },
);

/** One whole product with up to IMPORT_MAX_VARIANTS variants (about 600 points at that). */
export const IMPORT_PRODUCT_BY_ID = operation<
  { product: ImportWholeNode | null },
  { id: string; variants: number }
>(
  "SyncImportProductById",
  `query SyncImportProductById($id: ID!, $variants: Int!) {
    product(id: $id) { ${WHOLE_PRODUCT} }
  }`,
  { largest: { variants: IMPORT_MAX_VARIANTS } },
);

/** The variants of a product past the first IMPORT_MAX_VARIANTS. */
export const IMPORT_MORE_VARIANTS = operation<
  { product: { variants: { nodes: ImportVariantNode[]; pageInfo: PageInfo } } | null },
  { id: string; after: string | null }
>(
  "SyncImportMoreVariants",
  `query SyncImportMoreVariants($id: ID!, $after: String) {
    product(id: $id) {
      variants(first: ${IMPORT_MAX_VARIANTS}, after: $after) {
        nodes { ${IMPORT_VARIANT_FIELDS} }
        pageInfo { hasNextPage endCursor }
      }
    }
  }`,
);

/** Which of these products Shopify still has (a deletion to verify). */
export const IMPORT_PRODUCTS_EXIST = operation<
  { nodes: ({ id: string } | NotAProduct | null)[] },
  { ids: string[] }
>(
  "SyncImportProductsExist",
  `query SyncImportProductsExist($ids: [ID!]!) {
    nodes(ids: $ids) { ... on Product { id } }
  }`,
  { largest: { ids: IMPORT_STAMPS_PER_PAGE } },
);

/** The whole catalog (gift cards aside) by one bulk query: products, then their variants as lines. */
export function productsBulkQuery(search: string) {
  return bulkQuery(
    "SyncImportProductsBulk",
    `query SyncImportProductsBulk {
      products(query: ${JSON.stringify(search)}) {
        edges {
          node {
            ${IMPORT_PRODUCT_FIELDS}
            variants { edges { node { ${IMPORT_VARIANT_FIELDS} } } }
          }
        }
      }
    }`,
  );
}

/** The first run's bulk query (what test/shopify checks against bulkOperationRunQuery's rules). */
export const SYNC_IMPORT_PRODUCTS_BULK = productsBulkQuery("gift_card:false");

/** Every product's id, for the deletion reconcile. */
export const SYNC_IMPORT_PRODUCT_IDS_BULK = bulkQuery(
  "SyncImportProductIdsBulk",
  `query SyncImportProductIdsBulk {
    products { edges { node { id } } }
  }`,
);
