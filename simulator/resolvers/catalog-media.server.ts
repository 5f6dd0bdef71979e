import { randomUUID } from "node:crypto";
import { GraphQLError } from "graphql";
import { NOT_IMPLEMENTED } from "../graphql/resolvers.server";
import type { Simulator } from "../simulator.server";
import type { MediaRecord, ProductRecord } from "../state/records.server";
import { gid, parseGid, type ShopState } from "../state/shop-state.server";
import { userError, type ResolverContext, type UserError } from "./context.server";
import { CatalogChanges } from "./catalog-events.server";
import { mediaOf } from "./catalog-store.server";
import { mediaView, productView } from "./catalog-views.server";
import { stagedImage } from "./bulk-staged-uploads.server";
import { cdnPath } from "./media-images.server";
import { dropPending, scheduleProcessing, type MediaEnv } from "./media-processing.server";

/**
 * Product media (MediaImage). Media are made by productSet `files`, productCreate/productUpdate
 * `media`, productVariantsBulkCreate/Update `media` and the deprecated productCreateMedia; they
 * are UPLOADED in the answer and processed afterwards (media-processing.server.ts). Removing or
 * reordering: productSet (the list replaces the product's files), fileUpdate
 * `referencesToRemove` and fileDelete (catalog-media-files.server.ts), productReorderMedia, and
 * the deprecated productDeleteMedia / productUpdateMedia ("Use `fileUpdate` instead", 2026-07
 * schema). Answers and messages follow live captures of these mutations (airhorns/
 * shopify-draft-proxy, fixtures/conformance/.../products/product-media-validation-branches.json,
 * product-delete-media-parity.json, product-reorder-media-parity.json,
 * product-media-missing-media-aggregation.json).
 *
 * A media detached from its product (productSet without it, fileUpdate referencesToRemove) stays
 * a file of the shop, as on Shopify's Files page, readable through `node`; the simulator does not
 * answer the `files` query. A file belongs to at most one product here.
 */

export interface CreateMediaInput {
  alt?: string | null;
  mediaContentType: string;
  originalSource: string;
}

/** Size given to images whose size the simulator cannot learn (sources it does not fetch). */
const UNKNOWN_SIZE = 2048;

export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}

/** The errors of each invalid media input, by index ("Image URL is invalid", MediaUserError INVALID). */
export function mediaInputErrors(
  inputs: readonly CreateMediaInput[],
  path: string[],
): Map<number, UserError> {
  const errors = new Map<number, UserError>();
  inputs.forEach((input, index) => {
    if (input.mediaContentType !== "IMAGE") {
      throw new GraphQLError(`${input.mediaContentType} media is not implemented by the simulator`, {
        extensions: { code: NOT_IMPLEMENTED },
      });
    }
    if (!isHttpUrl(input.originalSource)) {
      errors.set(
        index,
        userError([...path, String(index), "originalSource"], "Image URL is invalid", "INVALID"),
      );
    }
  });
  return errors;
}

/** Validates media inputs; errors use MediaUserError codes. */
export function validateMedia(inputs: readonly CreateMediaInput[], path: string[]): UserError[] {
  return [...mediaInputErrors(inputs, path).values()];
}

function filenameOf(sim: Simulator, shop: ShopState, source: string): string {
  const staged = stagedImage(sim, shop, source);
  if (staged) return staged.filename;
  try {
    const last = new URL(source).pathname.split("/").filter(Boolean).at(-1);
    return last ? decodeURIComponent(last) : "image";
  } catch {
    return "image";
  }
}

export interface NewMedia {
  /** The originalSource; none for bytes given directly. */
  source?: string;
  alt?: string | null;
  filename?: string | null;
  /** Bytes given directly (a merchant's upload through the control API). */
  bytes?: Uint8Array;
}

/** Makes media UPLOADED on the product (or as an unattached file) and starts processing them. */
export function createMedia(
  env: MediaEnv,
  product: ProductRecord | null,
  inputs: readonly NewMedia[],
  now: Date,
): MediaRecord[] {
  const { sim, shop } = env;
  const created = inputs.map((input) => {
    const media: MediaRecord = {
      id: shop.newId(),
      productId: product?.id ?? null,
      alt: input.alt ?? "",
      url: input.source ?? "",
      source: input.source,
      filename: input.filename || (input.source ? filenameOf(sim, shop, input.source) : "image"),
      mimeType: null,
      width: UNKNOWN_SIZE,
      height: UNKNOWN_SIZE,
      status: "UPLOADED",
      errors: [],
      fileSize: input.bytes?.length ?? null,
      version: Math.floor(now.getTime() / 1000),
      createdAt: now,
      updatedAt: now,
    };
    shop.media.set(media.id, media);
    if (input.bytes) {
      shop.mediaBytes.set(media.id, input.bytes);
      media.url = cdnPath(shop, media);
      media.source = media.url;
    }
    product?.mediaIds.push(media.id);
    return media;
  });
  scheduleProcessing(
    env,
    created.map((media) => media.id),
  );
  return created;
}

/** Adds media from CreateMediaInput to a product. */
export function addMedia(
  env: MediaEnv,
  product: ProductRecord,
  inputs: readonly CreateMediaInput[],
  now: Date,
): MediaRecord[] {
  return createMedia(
    env,
    product,
    inputs.map((input) => ({ source: input.originalSource, alt: input.alt })),
    now,
  );
}

/** Gives a media new content: UPLOADED again, processed from the new source. */
export function replaceContent(env: MediaEnv, media: MediaRecord, source: string, now: Date) {
  const { sim, shop } = env;
  shop.mediaBytes.delete(media.id);
  dropPending(shop, media.id);
  media.source = source;
  media.url = source;
  media.filename = filenameOf(sim, shop, source);
  media.status = "UPLOADED";
  media.errors = [];
  media.mimeType = null;
  media.fileSize = null;
  media.version = Math.max((media.version ?? 0) + 1, Math.floor(now.getTime() / 1000));
  media.updatedAt = now;
  scheduleProcessing(env, [media.id]);
}

/** Takes a media off its product: off the product's list and off the variants that showed it. */
export function detachMedia(shop: ShopState, media: MediaRecord): ProductRecord | undefined {
  const product = media.productId === null ? undefined : shop.products.get(media.productId);
  if (product) {
    product.mediaIds = product.mediaIds.filter((id) => id !== media.id);
    for (const variantId of product.variantIds) {
      const variant = shop.variants.get(variantId);
      if (variant?.mediaId === media.id) variant.mediaId = null;
    }
  }
  media.productId = null;
  return product;
}

/** Removes a media altogether (productDeleteMedia, fileDelete). */
export function deleteMedia(shop: ShopState, media: MediaRecord): ProductRecord | undefined {
  const product = detachMedia(shop, media);
  shop.media.delete(media.id);
  shop.mediaBytes.delete(media.id);
  dropPending(shop, media.id);
  return product;
}

/** A media of the product named by its MediaImage id, or by its source or URL (mediaSrc). */
export function mediaByIdOrUrl(
  shop: ShopState,
  product: ProductRecord,
  ref: string,
): MediaRecord | undefined {
  const id = parseGid(ref, "MediaImage");
  return mediaOf(shop, product).find((media) =>
    id !== null ? media.id === id : media.source === ref || media.url === ref,
  );
}

function findProduct(shop: ShopState, ref: string): ProductRecord | undefined {
  const id = parseGid(ref, "Product");
  return id === null ? undefined : shop.products.get(id);
}

/** Both error lists of the deprecated media payloads: `userErrors` (no code) and `mediaUserErrors`. */
function bothErrors(errors: UserError[]) {
  return {
    userErrors: errors.map((error) => ({ field: error.field, message: error.message })),
    mediaUserErrors: errors,
  };
}

function productChanged(context: ResolverContext, product: ProductRecord, now: Date): void {
  product.updatedAt = now;
  const changes = new CatalogChanges();
  changes.productUpdated(product.id);
  changes.emit(context);
}

/**
 * productCreateMedia (deprecated in 2026-07: "Use `productUpdate` or `productSet` instead"): the
 * valid inputs are added and each invalid one has its error, as the live answer does.
 * https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/productCreateMedia
 */
export function productCreateMedia(
  args: { productId: string; media: CreateMediaInput[] },
  context: ResolverContext,
) {
  const { shop } = context;
  const product = findProduct(shop, args.productId);
  if (!product) {
    const error = userError(["productId"], "Product does not exist", "PRODUCT_DOES_NOT_EXIST");
    return { media: null, product: null, ...bothErrors([error]) };
  }
  const invalid = mediaInputErrors(args.media, ["media"]);
  const now = context.now();
  const created = addMedia(
    context,
    product,
    args.media.filter((_, index) => !invalid.has(index)),
    now,
  );
  if (created.length > 0) productChanged(context, product, now);
  return {
    media: created.map((media) => mediaView(shop, media)),
    product: productView(shop, product),
    ...bothErrors([...invalid.values()]),
  };
}

/** "Media id X does not exist" / "Media ids X,Y do not exist", as Shopify words it. */
function missingMedia(field: string, ids: string[]): UserError {
  const message =
    ids.length === 1 ? `Media id ${ids[0]} does not exist` : `Media ids ${ids.join(",")} do not exist`;
  return userError([field], message, "MEDIA_DOES_NOT_EXIST");
}

/** The product's media named by ids, or the ids it does not have. */
function mediaOfProduct(shop: ShopState, product: ProductRecord, ids: string[]) {
  const found: MediaRecord[] = [];
  const missing: string[] = [];
  for (const ref of ids) {
    const id = parseGid(ref, "MediaImage");
    const media = id === null ? undefined : shop.media.get(id);
    if (media && media.productId === product.id) found.push(media);
    else missing.push(ref);
  }
  return { found, missing };
}

/** productDeleteMedia (deprecated in 2026-07: "Use `fileUpdate` instead"). */
export function productDeleteMedia(
  args: { productId: string; mediaIds: string[] },
  context: ResolverContext,
) {
  const { shop } = context;
  const product = findProduct(shop, args.productId);
  const refused = (error: UserError) => ({
    deletedMediaIds: null,
    deletedProductImageIds: null,
    product: null,
    ...bothErrors([error]),
  });
  if (!product) return refused(userError(["productId"], "Product does not exist", "PRODUCT_DOES_NOT_EXIST"));
  const { found, missing } = mediaOfProduct(shop, product, args.mediaIds);
  if (missing.length > 0) return refused(missingMedia("mediaIds", missing));
  for (const media of found) deleteMedia(shop, media);
  if (found.length > 0) productChanged(context, product, context.now());
  return {
    deletedMediaIds: found.map((media) => gid("MediaImage", media.id)),
    deletedProductImageIds: found.map((media) => gid("ProductImage", media.id)),
    product: productView(shop, product),
    ...bothErrors([]),
  };
}

/** productUpdateMedia (deprecated in 2026-07: "Use `fileUpdate` instead"): alt text. */
export function productUpdateMedia(
  args: {
    productId: string;
    media: { id: string; alt?: string | null; previewImageSource?: string | null }[];
  },
  context: ResolverContext,
) {
  const { shop } = context;
  const product = findProduct(shop, args.productId);
  const refused = (error: UserError) => ({ media: null, product: null, ...bothErrors([error]) });
  if (!product) return refused(userError(["productId"], "Product does not exist", "PRODUCT_DOES_NOT_EXIST"));
  if (args.media.some((input) => input.previewImageSource != null))
    throw new GraphQLError("UpdateMediaInput.previewImageSource is not implemented by the simulator", {
      extensions: { code: NOT_IMPLEMENTED },
    });
  const { found, missing } = mediaOfProduct(
    shop,
    product,
    args.media.map((input) => input.id),
  );
  if (missing.length > 0) return refused(missingMedia("media", missing));
  const now = context.now();
  args.media.forEach((input, index) => {
    const media = found[index]!;
    if (input.alt != null) {
      media.alt = input.alt;
      media.updatedAt = now;
    }
  });
  if (found.length > 0) productChanged(context, product, now);
  return {
    media: found.map((media) => mediaView(shop, media)),
    product: productView(shop, product),
    ...bothErrors([]),
  };
}

/** Jobs of productReorderMedia, per shop: done once the simulator has moved the media (at once). */
const jobs = new WeakMap<ShopState, Set<string>>();

/**
 * productReorderMedia: moves applied in turn, each `newPosition` a zero-based index at the time
 * of the move, past the end meaning the end (MoveInput, 2026-07 schema); ids the product does not
 * have are skipped, as the live answer shows (a job, no error). Shopify runs it as a job; the
 * simulator moves the media at once and answers the job not yet done, as Shopify does.
 */
export function productReorderMedia(
  args: { id: string; moves: { id: string; newPosition: string | number }[] },
  context: ResolverContext,
) {
  const { shop } = context;
  const product = findProduct(shop, args.id);
  if (!product)
    return {
      job: null,
      ...bothErrors([userError(["id"], "Product does not exist", "PRODUCT_DOES_NOT_EXIST")]),
    };
  const order = [...product.mediaIds];
  for (const move of args.moves) {
    const id = parseGid(move.id, "MediaImage");
    const from = id === null ? -1 : order.indexOf(id);
    if (from < 0) continue;
    order.splice(from, 1);
    order.splice(Math.min(Number(move.newPosition), order.length), 0, id!);
  }
  const jobId = gid("Job", randomUUID());
  let list = jobs.get(shop);
  if (!list) jobs.set(shop, (list = new Set()));
  list.add(jobId);
  if (order.some((id, index) => product.mediaIds[index] !== id)) {
    product.mediaIds = order;
    productChanged(context, product, context.now());
  }
  return { job: { __typename: "Job", id: jobId, done: false, query: null }, ...bothErrors([]) };
}

/** `job(id:)`: the simulator's jobs (media reorders) are done once answered. */
export function job(args: { id: string }, context: ResolverContext) {
  return jobs.get(context.shop)?.has(args.id)
    ? { __typename: "Job", id: args.id, done: true, query: null }
    : null;
}

// productSet `files`: the product's media as a list that replaces what it had.

export interface FileSetInput {
  id?: string | null;
  originalSource?: string | null;
  alt?: string | null;
  contentType?: string | null;
  filename?: string | null;
  duplicateResolutionMode?: string | null;
}

export function fileKey(file: FileSetInput): string {
  return file.id ?? file.originalSource ?? "";
}

/** The media a FileSetInput id names: one of the product's, or a file not on any product. */
function fileById(shop: ShopState, product: ProductRecord | undefined, ref: string): MediaRecord | undefined {
  const id = parseGid(ref, "MediaImage");
  const media = id === null ? undefined : shop.media.get(id);
  if (!media) return undefined;
  return media.productId === null || media.productId === product?.id ? media : undefined;
}

export function checkFiles(
  shop: ShopState,
  product: ProductRecord | undefined,
  files: FileSetInput[],
  errors: UserError[],
): void {
  files.forEach((file, index) => {
    if (file.contentType && file.contentType !== "IMAGE") {
      throw new GraphQLError(`${file.contentType} files are not implemented by the simulator`, {
        extensions: { code: NOT_IMPLEMENTED },
      });
    }
    const at = ["input", "files", String(index)];
    if (file.id) {
      // The simulator's wording: Shopify documents the field ("The ID of an existing file"), not the error.
      if (!fileById(shop, product, file.id))
        errors.push(userError([...at, "id"], "File does not exist", "INVALID_INPUT"));
      return;
    }
    if (!isHttpUrl(file.originalSource ?? "")) {
      errors.push(userError(at, "File needs an id or a valid originalSource", "INVALID_INPUT"));
    }
  });
}

/**
 * Makes the product's media the files given, in their order: a file with an id is kept (its alt
 * changed when given, its content when a new originalSource is given), one without an id is kept
 * when the product already has a media made from that source, else created. Media left out are
 * detached (they stay files of the shop). Returns the media by file key.
 */
export function applyFiles(env: MediaEnv, product: ProductRecord, files: FileSetInput[], now: Date) {
  const { shop } = env;
  const byKey = new Map<string, MediaRecord>();
  const current = mediaOf(shop, product);
  const used = new Set<number>();
  const order: number[] = [];
  for (const file of files) {
    let media = file.id ? fileById(shop, product, file.id) : undefined;
    if (media && file.originalSource && file.originalSource !== media.source)
      replaceContent(env, media, file.originalSource, now);
    if (!media && file.originalSource)
      media = current.find((m) => !used.has(m.id) && (m.source ?? m.url) === file.originalSource);
    if (!media && file.originalSource) {
      media = createMedia(
        env,
        null,
        [{ source: file.originalSource, alt: file.alt, filename: file.filename }],
        now,
      )[0];
    }
    if (!media || used.has(media.id)) continue;
    if (file.alt != null && media.alt !== file.alt) {
      media.alt = file.alt;
      media.updatedAt = now;
    }
    media.productId = product.id;
    used.add(media.id);
    order.push(media.id);
    byKey.set(fileKey(file), media);
  }
  for (const media of current) if (!used.has(media.id)) detachMedia(shop, media);
  product.mediaIds = order;
  return byKey;
}
