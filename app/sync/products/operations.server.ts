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

/** Prices (and compare-at prices) of some variants of one product. */
export const VARIANT_PRICES = operation<VariantPricesData, VariantPricesVariables>(
  "SyncProductVariantPrices",
  `mutation SyncProductVariantPrices($productId: ID!, $variants: [ProductVariantsBulkInput!]!) {
    productVariantsBulkUpdate(productId: $productId, variants: $variants) {
      product { id updatedAt }
      productVariants { id price compareAtPrice }
      userErrors { field message code }
    }
  }`,
  { largest: { variants: 2048 } },
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
