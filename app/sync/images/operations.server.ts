import { operation } from "../../shopify/admin-client.server";

/**
 * The images sync's GraphQL operations (Admin API 2026-07), each checked against the schema and
 * priced by test/contract/operations.test.ts.
 * stagedUploadsCreate: https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/stagedUploadsCreate
 * productUpdate (media): https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/productUpdate
 * fileUpdate / fileDelete: https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/fileUpdate
 * productVariantAppendMedia: https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/productVariantAppendMedia
 * productReorderMedia: https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/productReorderMedia
 */

export interface ImageUserError {
  field: string[] | null;
  message: string;
  code?: string | null;
}

export interface MediaErrorNode {
  code: string;
  message: string;
  details: string | null;
}

/** A product media as the sync reads it: its status, and why Shopify could not process it. */
export interface MediaNode {
  id: string;
  status: "UPLOADED" | "PROCESSING" | "READY" | "FAILED";
  mediaErrors: MediaErrorNode[];
}

const MEDIA_FIELDS = `id status mediaErrors { code message details }`;

/** Pictures staged per stagedUploadsCreate. */
export const STAGED_PER_REQUEST = 50;

export interface StagedTarget {
  url: string | null;
  resourceUrl: string | null;
  parameters: { name: string; value: string }[];
}

export interface StageImagesVariables {
  input: {
    resource: "IMAGE";
    filename: string;
    mimeType: string;
    httpMethod: "PUT";
    fileSize: string;
  }[];
}

/** Upload targets for a batch of pictures, one per input, in order: signed URLs to PUT the bytes to. */
export const STAGE_IMAGES = operation<
  {
    stagedUploadsCreate: {
      stagedTargets: StagedTarget[] | null;
      userErrors: ImageUserError[];
    };
  },
  StageImagesVariables
>(
  "SyncImagesStage",
  `mutation SyncImagesStage($input: [StagedUploadInput!]!) {
    stagedUploadsCreate(input: $input) {
      stagedTargets { url resourceUrl parameters { name value } }
      userErrors { field message }
    }
  }`,
  { largest: { input: STAGED_PER_REQUEST } },
);

/** Media a product may gain in one request (Shopify's limit of media per product). */
export const MEDIA_PER_PRODUCT = 250;

export interface AddMediaVariables {
  product: { id: string };
  media: { originalSource: string; mediaContentType: "IMAGE"; alt: string }[];
  /** How many are added: the answer's last media are they, in order. */
  added: number;
}

export interface AddMediaData {
  productUpdate: {
    product: { id: string; updatedAt: string; media: { nodes: MediaNode[] } } | null;
    userErrors: ImageUserError[];
  };
}

/**
 * New media on a product, appended in the order given (productCreateMedia is deprecated in
 * 2026-07: "Use productUpdate or productSet instead"); the answer's last `added` media are they.
 */
export const ADD_MEDIA = operation<AddMediaData, AddMediaVariables>(
  "SyncImagesAddMedia",
  `mutation SyncImagesAddMedia($product: ProductUpdateInput!, $media: [CreateMediaInput!]!, $added: Int!) {
    productUpdate(product: $product, media: $media) {
      product { id updatedAt media(last: $added) { nodes { ${MEDIA_FIELDS} } } }
      userErrors { field message }
    }
  }`,
  { largest: { media: MEDIA_PER_PRODUCT, added: MEDIA_PER_PRODUCT } },
);

/** Files per fileUpdate or fileDelete. */
export const FILES_PER_REQUEST = 50;

export interface ReplaceFilesVariables {
  files: { id: string; originalSource: string }[];
}

/** New bytes for media the product has: each keeps its id, place and variant, and is processed again. */
export const REPLACE_FILES = operation<
  {
    fileUpdate: {
      files: { id: string; fileStatus: string }[] | null;
      userErrors: ImageUserError[];
    };
  },
  ReplaceFilesVariables
>(
  "SyncImagesReplaceFiles",
  `mutation SyncImagesReplaceFiles($files: [FileUpdateInput!]!) {
    fileUpdate(files: $files) {
      files { id fileStatus }
      userErrors { field message code }
    }
  }`,
  { largest: { files: FILES_PER_REQUEST } },
);

/**
 * Removes media for good: from their products and the variants that showed them, and from the
 * shop's files (fileUpdate's referencesToRemove would leave each on the Files page).
 */
export const DELETE_FILES = operation<
  { fileDelete: { deletedFileIds: string[] | null; userErrors: ImageUserError[] } },
  { fileIds: string[] }
>(
  "SyncImagesDeleteFiles",
  `mutation SyncImagesDeleteFiles($fileIds: [ID!]!) {
    fileDelete(fileIds: $fileIds) {
      deletedFileIds
      userErrors { field message code }
    }
  }`,
  { largest: { fileIds: FILES_PER_REQUEST } },
);

/** Media read per request while waiting for Shopify to process them. */
export const MEDIA_PER_READ = 100;

/** Where Shopify is with these media (UPLOADED, PROCESSING, READY, FAILED with mediaErrors). */
export const MEDIA_STATUS = operation<
  { nodes: (MediaNode | Record<string, never> | null)[] },
  { ids: string[] }
>(
  "SyncImagesMediaStatus",
  `query SyncImagesMediaStatus($ids: [ID!]!) {
    nodes(ids: $ids) { ... on MediaImage { ${MEDIA_FIELDS} } }
  }`,
  { largest: { ids: MEDIA_PER_READ } },
);

/** Variant-media pairs per request (Shopify's limit). */
export const VARIANT_MEDIA_PER_REQUEST = 100;

export interface VariantMediaVariables {
  productId: string;
  variantMedia: { variantId: string; mediaIds: string[] }[];
}

/** Makes READY media of a product the images of some of its variants (one each). */
export const APPEND_VARIANT_MEDIA = operation<
  { productVariantAppendMedia: { userErrors: ImageUserError[] } },
  VariantMediaVariables
>(
  "SyncImagesAppendVariantMedia",
  `mutation SyncImagesAppendVariantMedia($productId: ID!, $variantMedia: [ProductVariantAppendMediaInput!]!) {
    productVariantAppendMedia(productId: $productId, variantMedia: $variantMedia) {
      userErrors { field message code }
    }
  }`,
  { largest: { variantMedia: VARIANT_MEDIA_PER_REQUEST } },
);

/** Takes media off variants that show them (the media stay on the product). */
export const DETACH_VARIANT_MEDIA = operation<
  { productVariantDetachMedia: { userErrors: ImageUserError[] } },
  VariantMediaVariables
>(
  "SyncImagesDetachVariantMedia",
  `mutation SyncImagesDetachVariantMedia($productId: ID!, $variantMedia: [ProductVariantDetachMediaInput!]!) {
    productVariantDetachMedia(productId: $productId, variantMedia: $variantMedia) {
      userErrors { field message code }
    }
  }`,
  { largest: { variantMedia: VARIANT_MEDIA_PER_REQUEST } },
);

/**
 * Puts a product's media in the item's order: each of ours moved to its place in turn, so they
 * come first in the item's order whatever else the product holds (Shopify runs it as a job).
 */
export const REORDER_MEDIA = operation<
  { productReorderMedia: { job: { id: string } | null; mediaUserErrors: ImageUserError[] } },
  { id: string; moves: { id: string; newPosition: string }[] }
>(
  "SyncImagesReorderMedia",
  `mutation SyncImagesReorderMedia($id: ID!, $moves: [MoveInput!]!) {
    productReorderMedia(id: $id, moves: $moves) {
      job { id }
      mediaUserErrors { field message code }
    }
  }`,
  { largest: { moves: MEDIA_PER_PRODUCT } },
);
