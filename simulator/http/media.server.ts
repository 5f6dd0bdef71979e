import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import type { Simulator } from "../simulator.server";
import { gid, numericId, type ShopState } from "../state/shop-state.server";
import { contextFor } from "../resolvers/local-execute.server";
import { stagedBytesPerShop, setStagedBytesPerShop } from "../resolvers/bulk-staged-uploads.server";
import { CatalogChanges } from "../resolvers/catalog-events.server";
import { createMedia, deleteMedia } from "../resolvers/catalog-media.server";
import { parseCdnPath, solidPng } from "../resolvers/media-images.server";
import {
  advanceMedia,
  MEDIA_ERROR_MESSAGES,
  mediaFault,
  mediaSettings,
  setMediaFault,
  setMediaSettings,
  settleMedia,
} from "../resolvers/media-processing.server";
import { HttpError, jsonBody, type RoutedRequest } from "./server.server";

/**
 * The simulator's image host and the control API's media routes.
 *
 * `GET /_sim/cdn/<shop>/files/<media id>/<filename>?v=…` is what `image.url` points at: the
 * image's bytes with their content type once the media is READY, 404 otherwise (Shopify's CDN
 * serves `https://cdn.shopify.com/s/files/…/files/<filename>?v=<timestamp>`).
 *
 * Control API (nothing of it exists on Shopify):
 * - `GET|POST /_sim/media/settings` `{"processingDelayMs"?, "manualProcessing"?, "stagedBytesPerShop"?}`:
 *   how long media stay PROCESSING, whether they wait for `advance`/`settle`, the cap on a shop's
 *   staged uploads.
 * - `POST /_sim/shops/<shop>/media/advance` moves each pending media one status on (UPLOADED →
 *   PROCESSING → READY or FAILED); `POST …/media/settle` finishes them all. Both answer the
 *   shop's media counts by status.
 * - `POST /_sim/shops/<shop>/media/faults` `{"failNext": n, "code"?, "message"?, "details"?}`: the
 *   next n media processed on the shop fail with that MediaErrorCode (IMAGE_PROCESSING_FAILURE
 *   unless given) and its message; `{"failNext": 0}` clears it.
 * - `POST /_sim/shops/<shop>/products/<id>/media[?filename=&alt=&variantId=]` with an image's
 *   bytes as the body: a merchant adds a picture in admin (a variant's picture with `variantId`);
 *   answers 201 with the media, UPLOADED, processed as any other, products/update sent.
 * - `DELETE /_sim/shops/<shop>/products/<id>/media/<media id>`: a merchant deletes a picture.
 */

type Send = (response: ServerResponse, status: number, body: unknown) => void;

const settingsBody = z
  .object({
    processingDelayMs: z.number().int().min(0).max(600_000),
    manualProcessing: z.boolean(),
    stagedBytesPerShop: z.number().int().min(0),
  })
  .partial()
  .strict();

const faultBody = z
  .object({
    failNext: z.number().int().min(0).max(100_000),
    code: z
      .string()
      .regex(/^[A-Z0-9_]+$/)
      .optional(),
    message: z.string().min(1).optional(),
    details: z.string().min(1).optional(),
  })
  .strict();

function settingsJson(sim: Simulator) {
  const settings = mediaSettings(sim);
  return {
    processingDelayMs: settings.delayMs,
    manualProcessing: settings.manual,
    stagedBytesPerShop: stagedBytesPerShop(sim),
  };
}

/** `/_sim/media/settings`. */
export function mediaSettingsRoute(
  sim: Simulator,
  request: RoutedRequest,
  response: ServerResponse,
  send: Send,
) {
  if (request.method === "POST") {
    const body = jsonBody(settingsBody, request);
    setMediaSettings(sim, {
      ...(body.processingDelayMs !== undefined ? { delayMs: body.processingDelayMs } : {}),
      ...(body.manualProcessing !== undefined ? { manual: body.manualProcessing } : {}),
    });
    if (body.stagedBytesPerShop !== undefined) setStagedBytesPerShop(sim, body.stagedBytesPerShop);
  } else if (request.method !== "GET") {
    throw new HttpError(405, { error: "GET or POST" });
  }
  send(response, 200, settingsJson(sim));
}

/** `/_sim/shops/<shop>/media/<verb>`. */
export function shopMediaRoute(
  sim: Simulator,
  shop: ShopState,
  verb: string | undefined,
  request: RoutedRequest,
  response: ServerResponse,
  send: Send,
) {
  const env = contextFor(sim, shop.domain);
  if (request.method === "POST" && verb === "advance") return send(response, 200, advanceMedia(env));
  if (request.method === "POST" && verb === "settle") return send(response, 200, settleMedia(env));
  if (request.method === "POST" && verb === "faults") {
    const body = jsonBody(faultBody, request);
    const code = body.code ?? "IMAGE_PROCESSING_FAILURE";
    if (!MEDIA_ERROR_MESSAGES[code] && !body.message)
      throw new HttpError(400, { error: `give a message for ${code}` });
    setMediaFault(shop, {
      failNext: body.failNext,
      code,
      message: body.message ?? null,
      details: body.details ?? null,
    });
    return send(response, 200, mediaFault(shop) ?? { failNext: 0 });
  }
  throw new HttpError(404, { error: `unknown control path ${request.method} ${request.path}` });
}

/** `/_sim/shops/<shop>/products/<id>/media[/<media id>]`: a merchant's pictures in admin. */
export function productMediaRoute(
  sim: Simulator,
  shop: ShopState,
  productRef: string,
  mediaRef: string | undefined,
  request: RoutedRequest,
  response: ServerResponse,
  send: Send,
) {
  const productId = numericId(decodeURIComponent(productRef), "Product");
  const product = productId === null ? undefined : shop.products.get(productId);
  if (!product) throw new HttpError(404, { error: `no product ${productRef}` });
  const env = contextFor(sim, shop.domain);
  const now = env.now();
  const changed = () => {
    product.updatedAt = now;
    const changes = new CatalogChanges();
    changes.productUpdated(product.id);
    changes.emit(env);
  };
  if (request.method === "DELETE" && mediaRef) {
    const mediaId = numericId(decodeURIComponent(mediaRef), "MediaImage");
    const media = mediaId === null ? undefined : shop.media.get(mediaId);
    if (!media || media.productId !== product.id) throw new HttpError(404, { error: `no media ${mediaRef}` });
    deleteMedia(shop, media);
    changed();
    return send(response, 200, { deletedMediaId: gid("MediaImage", media.id) });
  }
  if (request.method !== "POST" || mediaRef)
    throw new HttpError(404, { error: `unknown control path ${request.method} ${request.path}` });
  if (request.bytes.length === 0) throw new HttpError(400, { error: "the body is the image's bytes" });
  const params = request.url.searchParams;
  const variantRef = params.get("variantId");
  const variantId = variantRef === null ? null : numericId(variantRef, "ProductVariant");
  const variant = variantId === null ? undefined : shop.variants.get(variantId);
  if (variantRef !== null && variant?.productId !== product.id)
    throw new HttpError(404, { error: `no variant ${variantRef} on product ${product.id}` });
  const filename = params.get("filename") ?? "image";
  const [media] = createMedia(
    env,
    product,
    [
      {
        alt: params.get("alt"),
        filename,
        bytes: new Uint8Array(request.bytes),
      },
    ],
    now,
  );
  if (variant) variant.mediaId = media!.id;
  changed();
  send(response, 201, {
    media: {
      id: gid("MediaImage", media!.id),
      productId: gid("Product", product.id),
      variantId: variant ? gid("ProductVariant", variant.id) : null,
      status: media!.status,
      alt: media!.alt,
      filename: media!.filename,
    },
  });
}

/** The simulator's CDN: a READY media's bytes. */
export function serveCdn(sim: Simulator, request: IncomingMessage, response: ServerResponse): void {
  const named = parseCdnPath(request.url ?? "");
  const shop = named ? sim.shops.get(named.domain) : undefined;
  const media = named && shop ? shop.media.get(named.id) : undefined;
  const bytes =
    media?.status !== "READY"
      ? undefined
      : (shop!.mediaBytes.get(media.id) ??
        (media.generated ? solidPng(media.width, media.height, media.generated.rgb) : undefined));
  if (!media || !bytes) {
    response.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
    response.end("Not Found");
    return;
  }
  response.writeHead(200, {
    "content-type": media.mimeType ?? "application/octet-stream",
    "content-length": String(bytes.length),
    "cache-control": "public, max-age=31536000",
  });
  response.end(request.method === "HEAD" ? undefined : bytes);
}
