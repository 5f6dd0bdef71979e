import { GraphQLError } from "graphql";
import { NOT_IMPLEMENTED } from "../graphql/resolvers.server";
import type { MediaRecord, ProductRecord } from "../state/records.server";
import { parseGid, type ShopState } from "../state/shop-state.server";
import { userError, type ResolverContext, type UserError } from "./context.server";
import { CatalogChanges } from "./catalog-events.server";
import { mediaView, productView } from "./catalog-views.server";

/**
 * Product media. Shopify answers a media creation with the media still UPLOADED (no image yet)
 * and processes it shortly after; the simulator finishes processing on the next turn of the
 * event loop, so any later request sees it READY with its image.
 * https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/productCreateMedia
 */

export interface CreateMediaInput {
  alt?: string | null;
  mediaContentType: string;
  originalSource: string;
}

// Images whose size is unknown until "processed" get a plausible square size.
const PROCESSED_SIZE = 2048;

function mimeTypeOf(url: string): string {
  const extension = /\.([a-z0-9]+)(?:[?#]|$)/i.exec(url)?.[1]?.toLowerCase();
  if (extension === "png") return "image/png";
  if (extension === "gif") return "image/gif";
  if (extension === "webp") return "image/webp";
  return "image/jpeg";
}

function isUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}

/** Validates media inputs; errors use MediaUserError codes. */
export function validateMedia(inputs: readonly CreateMediaInput[], path: string[]): UserError[] {
  const errors: UserError[] = [];
  inputs.forEach((input, index) => {
    if (input.mediaContentType !== "IMAGE") {
      throw new GraphQLError(`${input.mediaContentType} media is not implemented by the simulator`, {
        extensions: { code: NOT_IMPLEMENTED },
      });
    }
    if (!isUrl(input.originalSource)) {
      errors.push(userError([...path, String(index), "originalSource"], "Image URL is invalid", "INVALID"));
    }
  });
  return errors;
}

/** Adds media to a product, UPLOADED now and READY once "processed". */
export function addMedia(
  shop: ShopState,
  product: ProductRecord,
  inputs: readonly CreateMediaInput[],
  now: Date,
): MediaRecord[] {
  const created = inputs.map((input) => {
    const media: MediaRecord = {
      id: shop.newId(),
      productId: product.id,
      alt: input.alt ?? "",
      url: input.originalSource,
      mimeType: mimeTypeOf(input.originalSource),
      width: PROCESSED_SIZE,
      height: PROCESSED_SIZE,
      status: "UPLOADED",
      createdAt: now,
      updatedAt: now,
    };
    shop.media.set(media.id, media);
    product.mediaIds.push(media.id);
    return media;
  });
  if (created.length > 0) {
    setImmediate(() => {
      for (const media of created) {
        if (media.status === "UPLOADED" || media.status === "PROCESSING") media.status = "READY";
      }
    });
  }
  return created;
}

export function mediaByIdOrUrl(
  shop: ShopState,
  product: ProductRecord,
  ref: string,
): MediaRecord | undefined {
  const id = parseGid(ref, "MediaImage");
  return product.mediaIds
    .map((mediaId) => shop.media.get(mediaId))
    .find((media) => media !== undefined && (id !== null ? media.id === id : media.url === ref));
}

export function productCreateMedia(
  args: { productId: string; media: CreateMediaInput[] },
  context: ResolverContext,
) {
  const { shop } = context;
  const id = parseGid(args.productId, "Product");
  const product = id === null ? undefined : shop.products.get(id);
  if (!product) {
    const error = userError(["productId"], "Product does not exist", "PRODUCT_DOES_NOT_EXIST");
    return { media: null, product: null, mediaUserErrors: [error], userErrors: [error] };
  }
  const errors = validateMedia(args.media, ["media"]);
  if (errors.length > 0)
    return { media: null, product: productView(shop, product), mediaUserErrors: errors, userErrors: errors };
  const now = context.now();
  const created = addMedia(shop, product, args.media, now);
  product.updatedAt = now;
  const changes = new CatalogChanges();
  changes.productUpdated(product.id);
  changes.emit(context);
  return {
    media: created.map(mediaView),
    product: productView(shop, product),
    mediaUserErrors: [],
    userErrors: [],
  };
}

// productSet `files`: the product's media as a list that replaces what it had.

export interface FileSetInput {
  id?: string | null;
  originalSource?: string | null;
  alt?: string | null;
  contentType?: string | null;
}

export function fileKey(file: FileSetInput): string {
  return file.id ?? file.originalSource ?? "";
}

export function checkFiles(files: FileSetInput[], errors: UserError[]): void {
  files.forEach((file, index) => {
    if (file.contentType && file.contentType !== "IMAGE") {
      throw new GraphQLError(`${file.contentType} files are not implemented by the simulator`, {
        extensions: { code: NOT_IMPLEMENTED },
      });
    }
    if (!file.id && !/^https?:\/\/\S+$/.test(file.originalSource ?? "")) {
      errors.push(
        userError(
          ["input", "files", String(index)],
          "File needs an id or a valid originalSource",
          "INVALID_INPUT",
        ),
      );
    }
  });
}

/** Replaces the product's media with the files given; returns media by file key. */
export function applyFiles(shop: ShopState, product: ProductRecord, files: FileSetInput[], now: Date) {
  const byKey = new Map<string, MediaRecord>();
  const kept = new Set<number>();
  const current = product.mediaIds.map((id) => shop.media.get(id)).filter((m): m is MediaRecord => !!m);
  for (const file of files) {
    const id = file.id ? parseGid(file.id, "MediaImage") : null;
    let media = current.find((m) => (id !== null ? m.id === id : m.url === file.originalSource));
    if (!media && file.originalSource) {
      media = addMedia(
        shop,
        product,
        [{ mediaContentType: "IMAGE", originalSource: file.originalSource, alt: file.alt }],
        now,
      )[0];
    }
    if (!media) continue;
    if (file.alt != null) media.alt = file.alt;
    kept.add(media.id);
    byKey.set(fileKey(file), media);
  }
  for (const media of current) if (!kept.has(media.id)) shop.media.delete(media.id);
  product.mediaIds = product.mediaIds.filter((id) => kept.has(id) || !current.some((m) => m.id === id));
  return byKey;
}
