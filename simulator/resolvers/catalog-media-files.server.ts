import { GraphQLError } from "graphql";
import { NOT_IMPLEMENTED } from "../graphql/resolvers.server";
import type { MediaRecord, ProductRecord, VariantRecord } from "../state/records.server";
import { gid, parseGid, type ShopState } from "../state/shop-state.server";
import { userError, type ResolverContext, type UserError } from "./context.server";
import { CatalogChanges } from "./catalog-events.server";
import { deleteMedia, detachMedia, isHttpUrl, replaceContent } from "./catalog-media.server";
import { mediaView, productView, variantView } from "./catalog-views.server";

/**
 * Variant images (productVariantAppendMedia, productVariantDetachMedia) and the Files API
 * mutations that change or remove product media in 2026-07 (fileUpdate, fileDelete). Errors,
 * their order, fields and messages are those of live answers (airhorns/shopify-draft-proxy,
 * fixtures/conformance/.../products/product-variant-media-validation.json, .../media/
 * media-file-update-validation-branches.json, media-file-user-error-aggregation.json,
 * media-file-cascade-variant-media-clear.json): a variant shows at most one media, which must be
 * READY to be appended; fileUpdate refuses the whole batch for a missing or non-ready file;
 * removing a file's product reference, or deleting the file, clears it from the variants that
 * showed it. Every change sends products/update for the products it touched.
 * https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/productVariantAppendMedia
 * https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/fileUpdate
 */

const MAX_VARIANT_MEDIA_PAIRS = 100;
/** FilesErrorCode ALT_VALUE_LIMIT_EXCEEDED: "The alt value exceeds the maximum limit of 512 characters." */
const MAX_ALT_LENGTH = 512;

interface VariantMediaInput {
  variantId: string;
  mediaIds: string[];
}

interface Pair {
  variant: VariantRecord;
  media: MediaRecord;
}

function findProduct(shop: ShopState, ref: string): ProductRecord | undefined {
  const id = parseGid(ref, "Product");
  return id === null ? undefined : shop.products.get(id);
}

/** The checks append and detach share; the pairs when all pass. */
function checkPairs(
  shop: ShopState,
  product: ProductRecord,
  inputs: VariantMediaInput[],
): { pairs: Pair[] } | { error: UserError } {
  if (inputs.length > MAX_VARIANT_MEDIA_PAIRS)
    return {
      error: userError(
        ["variantMedia"],
        `Exceeded ${MAX_VARIANT_MEDIA_PAIRS} variant-media pairs per mutation.`,
        "MAXIMUM_VARIANT_MEDIA_PAIRS_EXCEEDED",
      ),
    };
  const at = (index: number, field: string) => ["variantMedia", String(index), field];
  for (const [index, input] of inputs.entries()) {
    if (input.mediaIds.length > 1)
      return {
        error: userError(
          at(index, "mediaIds"),
          "Only one mediaId is allowed per media input.",
          "TOO_MANY_MEDIA_PER_INPUT_PAIR",
        ),
      };
    if (input.mediaIds.length === 0)
      return { error: userError(at(index, "mediaIds"), "The mediaIds list cannot be empty.", "BLANK") };
  }
  for (const [index, input] of inputs.entries()) {
    if (inputs.findIndex((other) => other.variantId === input.variantId) !== index) {
      const first = inputs.findIndex((other) => other.variantId === input.variantId);
      return {
        error: userError(
          at(first, "variantId"),
          "Variant was specified in more than one media input.",
          "PRODUCT_VARIANT_SPECIFIED_MULTIPLE_TIMES",
        ),
      };
    }
  }
  const pairs: Pair[] = [];
  for (const [index, input] of inputs.entries()) {
    const variantId = parseGid(input.variantId, "ProductVariant");
    const variant = variantId === null ? undefined : shop.variants.get(variantId);
    if (!variant || variant.productId !== product.id)
      return {
        error: userError(
          at(index, "variantId"),
          "Variant does not exist on the specified product.",
          "PRODUCT_VARIANT_DOES_NOT_EXIST_ON_PRODUCT",
        ),
      };
    const mediaId = parseGid(input.mediaIds[0], "MediaImage");
    const media = mediaId === null ? undefined : shop.media.get(mediaId);
    if (!media || media.productId !== product.id)
      return {
        error: userError(
          at(index, "mediaIds"),
          "Media does not exist on the specified product.",
          "MEDIA_DOES_NOT_EXIST_ON_PRODUCT",
        ),
      };
    pairs.push({ variant, media });
  }
  return { pairs };
}

function variantsChanged(context: ResolverContext, product: ProductRecord, variants: VariantRecord[]) {
  const now = context.now();
  for (const variant of variants) variant.updatedAt = now;
  product.updatedAt = now;
  const changes = new CatalogChanges();
  changes.productUpdated(product.id);
  changes.emit(context);
}

const productMissing = () => userError(["productId"], "Product does not exist", "PRODUCT_DOES_NOT_EXIST");

export function productVariantAppendMedia(
  args: { productId: string; variantMedia: VariantMediaInput[] },
  context: ResolverContext,
) {
  const { shop } = context;
  const refused = (error: UserError) => ({ product: null, productVariants: null, userErrors: [error] });
  const product = findProduct(shop, args.productId);
  if (!product) return refused(productMissing());
  const checked = checkPairs(shop, product, args.variantMedia);
  if ("error" in checked) return refused(checked.error);
  for (const [index, pair] of checked.pairs.entries()) {
    if (pair.media.status !== "READY")
      return refused(
        userError(
          ["variantMedia", String(index), "mediaIds"],
          "Non-ready media cannot be attached to variants.",
          "NON_READY_MEDIA",
        ),
      );
    if (pair.variant.mediaId !== null && shop.media.has(pair.variant.mediaId))
      return refused(
        userError(
          ["variantMedia", String(index), "variantId"],
          "The given variant already has attached media.",
          "PRODUCT_VARIANT_ALREADY_HAS_MEDIA",
        ),
      );
  }
  for (const pair of checked.pairs) pair.variant.mediaId = pair.media.id;
  const variants = checked.pairs.map((pair) => pair.variant);
  variantsChanged(context, product, variants);
  return {
    product: productView(shop, product),
    productVariants: variants.map((variant) => variantView(shop, variant)),
    userErrors: [],
  };
}

export function productVariantDetachMedia(
  args: { productId: string; variantMedia: VariantMediaInput[] },
  context: ResolverContext,
) {
  const { shop } = context;
  const refused = (error: UserError) => ({ product: null, productVariants: null, userErrors: [error] });
  const product = findProduct(shop, args.productId);
  if (!product) return refused(productMissing());
  const checked = checkPairs(shop, product, args.variantMedia);
  if ("error" in checked) return refused(checked.error);
  for (const [index, pair] of checked.pairs.entries()) {
    if (pair.variant.mediaId !== pair.media.id)
      return refused(
        userError(
          ["variantMedia", String(index), "variantId"],
          "The specified media is not attached to the specified variant.",
          "MEDIA_IS_NOT_ATTACHED_TO_VARIANT",
        ),
      );
  }
  for (const pair of checked.pairs) pair.variant.mediaId = null;
  const variants = checked.pairs.map((pair) => pair.variant);
  variantsChanged(context, product, variants);
  return {
    product: productView(shop, product),
    productVariants: variants.map((variant) => variantView(shop, variant)),
    userErrors: [],
  };
}

interface FileUpdateInput {
  id: string;
  alt?: string | null;
  filename?: string | null;
  originalSource?: string | null;
  previewImageSource?: string | null;
  referencesToAdd?: string[] | null;
  referencesToRemove?: string[] | null;
  revertToVersionId?: string | null;
}

/** `File id ["…"] does not exist.` / `File ids ["…", "…"] do not exist.`, as Shopify words it. */
function filesMissing(ids: string[]): UserError {
  const list = `[${ids.map((id) => JSON.stringify(id)).join(", ")}]`;
  const message = ids.length === 1 ? `File id ${list} does not exist.` : `File ids ${list} do not exist.`;
  return userError(["files"], message, "FILE_DOES_NOT_EXIST");
}

const extension = (name: string) => /\.([^./]+)$/.exec(name)?.[1] ?? "";

/**
 * fileUpdate for images: alt text, filename (same extension), new content from `originalSource`
 * (processed again, same URL with a new `?v=`), and product references: removing its product
 * takes the image off the product and its variants; adding a product attaches a file that is on
 * no product (a file on two products at once is not modelled).
 */
export function fileUpdate(args: { files: FileUpdateInput[] }, context: ResolverContext) {
  const { shop } = context;
  const refused = (error: UserError) => ({ files: [], userErrors: [error] });
  for (const input of args.files) {
    for (const field of ["previewImageSource", "revertToVersionId"] as const) {
      if (input[field] != null)
        throw new GraphQLError(`FileUpdateInput.${field} is not implemented by the simulator`, {
          extensions: { code: NOT_IMPLEMENTED },
        });
    }
  }
  const found = args.files.map((input) => {
    const id = parseGid(input.id, "MediaImage");
    return id === null ? undefined : shop.media.get(id);
  });
  const missing = args.files.filter((_, index) => !found[index]).map((input) => input.id);
  if (missing.length > 0) return refused(filesMissing(missing));
  const files = found as MediaRecord[];
  if (files.some((media) => media.status !== "READY"))
    return refused(userError(["files"], "Non-ready files cannot be updated.", "NON_READY_STATE"));
  for (const [index, input] of args.files.entries()) {
    const media = files[index]!;
    if (input.filename != null && extension(input.filename) !== extension(media.filename ?? ""))
      return refused(
        userError(
          ["files"],
          "The filename extension provided must match the original filename.",
          "INVALID_FILENAME_EXTENSION",
        ),
      );
    const references = [...(input.referencesToAdd ?? []), ...(input.referencesToRemove ?? [])];
    if (references.some((ref) => !findProduct(shop, ref)))
      return refused(
        userError(["files"], "The reference target does not exist", "REFERENCE_TARGET_DOES_NOT_EXIST"),
      );
    for (const ref of input.referencesToAdd ?? []) {
      const productId = parseGid(ref, "Product");
      if (media.productId !== null && media.productId !== productId)
        throw new GraphQLError("A file referenced by two products is not implemented by the simulator", {
          extensions: { code: NOT_IMPLEMENTED },
        });
    }
    if (input.originalSource != null && !isHttpUrl(input.originalSource))
      return refused(
        userError(
          ["files", String(index), "originalSource"],
          "Invalid image source url value provided.",
          "INVALID_IMAGE_SOURCE_URL",
        ),
      );
  }
  const now = context.now();
  const changes = new CatalogChanges();
  const touched = (product: ProductRecord | undefined) => {
    if (!product) return;
    product.updatedAt = now;
    changes.productUpdated(product.id);
  };
  const userErrors: UserError[] = [];
  const updated: MediaRecord[] = [];
  for (const [index, input] of args.files.entries()) {
    const media = files[index]!;
    if (input.alt != null && input.alt.length > MAX_ALT_LENGTH) {
      userErrors.push(
        userError(
          ["files", String(index), "alt"],
          `The alt value exceeds the maximum limit of ${MAX_ALT_LENGTH} characters.`,
          "ALT_VALUE_LIMIT_EXCEEDED",
        ),
      );
      continue;
    }
    const before = media.productId === null ? undefined : shop.products.get(media.productId);
    if (input.alt != null) media.alt = input.alt;
    if (input.filename != null) media.filename = input.filename;
    if (input.originalSource != null) replaceContent(context, media, input.originalSource, now);
    media.updatedAt = now;
    for (const ref of input.referencesToRemove ?? []) {
      if (parseGid(ref, "Product") === media.productId) touched(detachMedia(shop, media));
    }
    for (const ref of input.referencesToAdd ?? []) {
      const product = findProduct(shop, ref)!;
      if (media.productId === null) {
        media.productId = product.id;
        product.mediaIds.push(media.id);
      }
    }
    touched(before);
    touched(media.productId === null ? undefined : shop.products.get(media.productId));
    updated.push(media);
  }
  changes.emit(context);
  return { files: updated.map((media) => mediaView(shop, media)), userErrors };
}

/**
 * fileDelete: removes the files, from their products and variants too. A file is found by the
 * number of its id whatever type the GID names, as the live answer shows (a MediaImage deleted
 * through a `gid://shopify/Video/…` id, media-file-delete-typed-gid-roundtrip.json).
 */
export function fileDelete(args: { fileIds: string[] }, context: ResolverContext) {
  const { shop } = context;
  const found = args.fileIds.map((ref) => {
    const match = /^gid:\/\/shopify\/[A-Za-z]+\/(\d+)$/.exec(ref);
    return match ? shop.media.get(Number(match[1])) : undefined;
  });
  const missing = args.fileIds.filter((_, index) => !found[index]);
  if (missing.length > 0) {
    const message =
      missing.length === 1
        ? `File id ${missing[0]} does not exist.`
        : `File ids ${missing.join(",")} do not exist.`;
    return { deletedFileIds: null, userErrors: [userError(["fileIds"], message, "FILE_DOES_NOT_EXIST")] };
  }
  const now = context.now();
  const changes = new CatalogChanges();
  for (const media of found as MediaRecord[]) {
    const product = deleteMedia(shop, media);
    if (product) {
      product.updatedAt = now;
      changes.productUpdated(product.id);
    }
  }
  changes.emit(context);
  return {
    deletedFileIds: (found as MediaRecord[]).map((media) => gid("MediaImage", media.id)),
    userErrors: [],
  };
}
