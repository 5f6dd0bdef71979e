import type { Simulator } from "../simulator.server";
import type { MediaErrorRecord, MediaRecord } from "../state/records.server";
import type { ShopState } from "../state/shop-state.server";
import { CatalogChanges } from "./catalog-events.server";
import type { MutationEnv } from "./context.server";

/** What processing needs: the simulator (staged uploads, settings) and where its webhooks go. */
export type MediaEnv = MutationEnv & { sim: Simulator };
import { stagedImage } from "./bulk-staged-uploads.server";
import { cdnPath, MAX_IMAGE_BYTES, parseCdnPath, sniffImage } from "./media-images.server";

/**
 * Media processing, as Shopify does it after a mutation answers: a media is UPLOADED in the
 * answer, PROCESSING a moment later, then READY with its image, or FAILED with `mediaErrors`
 * (MediaStatus, 2026-07 schema; live answers show UPLOADED in the mutation's payload and
 * PROCESSING on the next read: airhorns/shopify-draft-proxy, fixtures/conformance/.../media/
 * files-upload-live-capture.json). Processing reads the bytes the media was made from: a staged
 * upload of the shop (its resourceUrl), an image the simulator already serves, or bytes a merchant
 * gave through the control API; a source elsewhere on the internet is not fetched (the simulator
 * makes no outside requests) and is taken as an image as given. Bytes that are not a PNG, JPEG, GIF
 * or WEBP image fail with UNSUPPORTED_IMAGE_FILE_TYPE; a staged target never uploaded with
 * IMAGE_DOWNLOAD_FAILURE; a header that cannot be read with IMAGE_PROCESSING_FAILURE; a fault set
 * through the control API with the code it names. Messages are the MediaErrorCode descriptions of
 * the 2026-07 schema.
 *
 * Each product whose media finished gets one products/update (its payload's `images` and media
 * statuses change) and its `updatedAt` moves, as for any other media change.
 *
 * Timing: PROCESSING on the next turn of the event loop, READY or FAILED `delayMs` later (100 ms
 * unless set); with `manual`, media wait for `advanceMedia` (one status forward) or
 * `settleMedia` (done). `mediaSettled(shop)` waits for the timers (tests).
 */

export const MEDIA_ERROR_MESSAGES: Record<string, string> = {
  IMAGE_DOWNLOAD_FAILURE: "Media could not be processed because the image could not be downloaded.",
  IMAGE_PROCESSING_FAILURE: "Media could not be processed because the image could not be processed.",
  UNSUPPORTED_IMAGE_FILE_TYPE: "Media could not be created because the image is an unsupported file type.",
  INVALID_IMAGE_FILE_SIZE: "Media could not be created because the image size is too large.",
  INVALID_IMAGE_ASPECT_RATIO: "Media could not be created because the image has an invalid aspect ratio.",
  INVALID_IMAGE_RESOLUTION:
    "Media could not be created because the image's resolution exceeds the max limit.",
  FILE_STORAGE_LIMIT_EXCEEDED:
    "Media could not be created because the cumulative file storage limit would be exceeded.",
  MEDIA_TIMEOUT_ERROR: "Media timed out because it is currently being modified by another operation.",
  UNKNOWN: "Media error has occured for unknown reason.",
};

export interface MediaSettings {
  delayMs: number;
  manual: boolean;
}

export interface MediaFault {
  /** How many of the next media processed fail. */
  failNext: number;
  code: string;
  message: string | null;
  details: string | null;
}

interface Queue {
  /** Media not yet READY or FAILED, by id. */
  pending: Set<number>;
  running: Set<Promise<void>>;
}

/** How long media stay PROCESSING unless set: short, but long enough that a client sees it. */
export const DEFAULT_DELAY_MS = 100;

const settingsOf = new WeakMap<Simulator, MediaSettings>();
const faultsOf = new WeakMap<ShopState, MediaFault>();
const queues = new WeakMap<ShopState, Queue>();

export function mediaSettings(sim: Simulator): MediaSettings {
  let settings = settingsOf.get(sim);
  if (!settings) settingsOf.set(sim, (settings = { delayMs: DEFAULT_DELAY_MS, manual: false }));
  return settings;
}

export function setMediaSettings(sim: Simulator, change: Partial<MediaSettings>): MediaSettings {
  return Object.assign(mediaSettings(sim), change);
}

export function mediaFault(shop: ShopState): MediaFault | null {
  return faultsOf.get(shop) ?? null;
}

export function setMediaFault(shop: ShopState, fault: MediaFault | null): void {
  if (fault && fault.failNext > 0) faultsOf.set(shop, fault);
  else faultsOf.delete(shop);
}

function queueOf(shop: ShopState): Queue {
  let queue = queues.get(shop);
  if (!queue) queues.set(shop, (queue = { pending: new Set(), running: new Set() }));
  return queue;
}

/** Starts processing new (or replaced) media; call once the mutation has made them. */
export function scheduleProcessing(env: MediaEnv, ids: readonly number[]): void {
  if (ids.length === 0) return;
  const { sim, shop } = env;
  const queue = queueOf(shop);
  for (const id of ids) queue.pending.add(id);
  const settings = mediaSettings(sim);
  if (settings.manual) return;
  const run = new Promise<void>((resolve) => setImmediate(resolve))
    .then(async () => {
      startProcessing(shop, ids);
      await new Promise((resolve) => setTimeout(resolve, settings.delayMs));
      finishProcessing(env, ids);
    })
    .finally(() => queue.running.delete(run));
  queue.running.add(run);
}

/** Resolves once every media scheduled on the shop so far has been processed (tests). */
export async function mediaSettled(shop: ShopState): Promise<void> {
  const queue = queues.get(shop);
  while (queue && queue.running.size > 0) await Promise.all([...queue.running]);
}

function startProcessing(shop: ShopState, ids: Iterable<number>): void {
  for (const id of ids) {
    const media = shop.media.get(id);
    if (media?.status === "UPLOADED") media.status = "PROCESSING";
  }
}

/** Moves each pending media of the shop one status on (control API, manual processing). */
export function advanceMedia(env: MediaEnv): MediaCounts {
  const { shop } = env;
  const queue = queueOf(shop);
  const uploaded: number[] = [];
  const processing: number[] = [];
  for (const id of queue.pending) {
    const status = shop.media.get(id)?.status;
    if (status === "UPLOADED") uploaded.push(id);
    else if (status === "PROCESSING") processing.push(id);
  }
  finishProcessing(env, processing);
  startProcessing(shop, uploaded);
  return mediaCounts(shop);
}

/** Finishes every pending media of the shop now (control API). */
export function settleMedia(env: MediaEnv): MediaCounts {
  finishProcessing(env, [...queueOf(env.shop).pending]);
  return mediaCounts(env.shop);
}

export type MediaCounts = Record<MediaRecord["status"], number>;

export function mediaCounts(shop: ShopState): MediaCounts {
  const counts: MediaCounts = { UPLOADED: 0, PROCESSING: 0, READY: 0, FAILED: 0 };
  for (const media of shop.media.values()) counts[media.status] += 1;
  return counts;
}

type Outcome =
  | { ok: true; bytes: Uint8Array | null; mimeType: string; width: number; height: number }
  | { ok: false; error: MediaErrorRecord };

const failure = (code: string, details: string | null = null): Outcome => ({
  ok: false,
  error: { code, message: MEDIA_ERROR_MESSAGES[code] ?? MEDIA_ERROR_MESSAGES.UNKNOWN!, details },
});

function fromBytes(bytes: Uint8Array): Outcome {
  if (bytes.length > MAX_IMAGE_BYTES)
    return failure(
      "INVALID_IMAGE_FILE_SIZE",
      `The image is ${bytes.length} bytes; at most ${MAX_IMAGE_BYTES}.`,
    );
  const info = sniffImage(bytes);
  if (!info) return failure("UNSUPPORTED_IMAGE_FILE_TYPE", "The file is not a PNG, JPEG, GIF or WEBP image.");
  if (info.width === null || info.height === null)
    return failure("IMAGE_PROCESSING_FAILURE", "The image's header could not be read.");
  return { ok: true, bytes, mimeType: info.mimeType, width: info.width, height: info.height };
}

function mimeTypeOfUrl(url: string): string {
  const extension = /\.([a-z0-9]+)(?:[?#]|$)/i.exec(url)?.[1]?.toLowerCase();
  if (extension === "png") return "image/png";
  if (extension === "gif") return "image/gif";
  if (extension === "webp") return "image/webp";
  return "image/jpeg";
}

/** What the media's bytes turn out to be. */
function examine(sim: Simulator, shop: ShopState, media: MediaRecord): Outcome {
  const held = shop.mediaBytes.get(media.id);
  if (held) return fromBytes(held);
  if (media.generated)
    return { ok: true, bytes: null, mimeType: "image/png", width: media.width, height: media.height };
  const source = media.source ?? media.url;
  const staged = stagedImage(sim, shop, source);
  if (staged) {
    if (!staged.content)
      return failure("IMAGE_DOWNLOAD_FAILURE", "Nothing was uploaded to the staged target.");
    return fromBytes(staged.content);
  }
  let path: string | null = null;
  try {
    const url = new URL(source, sim.baseUrl);
    path =
      url.origin === new URL(sim.baseUrl).origin || source.startsWith("/") ? url.pathname + url.search : null;
  } catch {
    path = null;
  }
  const hosted = path ? parseCdnPath(path) : null;
  if (hosted) {
    const other = hosted.domain === shop.domain ? shop.media.get(hosted.id) : undefined;
    const bytes = other ? shop.mediaBytes.get(other.id) : undefined;
    if (bytes) return fromBytes(bytes);
    if (other?.generated)
      return { ok: true, bytes: null, mimeType: "image/png", width: other.width, height: other.height };
    return failure("IMAGE_DOWNLOAD_FAILURE", "The image could not be found at its URL.");
  }
  // Not fetched: taken as the image it claims to be, served from where it is.
  return { ok: true, bytes: null, mimeType: mimeTypeOfUrl(source), width: media.width, height: media.height };
}

/** Finishes processing the given media: READY or FAILED, then one products/update per product. */
export function finishProcessing(env: MediaEnv, ids: Iterable<number>): void {
  const { sim, shop } = env;
  const queue = queueOf(shop);
  const now = env.now();
  const changes = new CatalogChanges();
  for (const id of ids) {
    queue.pending.delete(id);
    const media = shop.media.get(id);
    if (!media || media.status === "READY" || media.status === "FAILED") continue;
    let outcome = examine(sim, shop, media);
    const fault = mediaFault(shop);
    if (outcome.ok && fault) {
      fault.failNext -= 1;
      if (fault.failNext <= 0) setMediaFault(shop, null);
      outcome = {
        ok: false,
        error: {
          code: fault.code,
          message: fault.message ?? MEDIA_ERROR_MESSAGES[fault.code] ?? MEDIA_ERROR_MESSAGES.UNKNOWN!,
          details: fault.details,
        },
      };
    }
    media.updatedAt = now;
    if (outcome.ok) {
      media.status = "READY";
      media.errors = [];
      media.mimeType = outcome.mimeType;
      media.width = outcome.width;
      media.height = outcome.height;
      if (outcome.bytes) {
        shop.mediaBytes.set(media.id, outcome.bytes);
        media.fileSize = outcome.bytes.length;
      }
      if (outcome.bytes || media.generated) media.url = cdnPath(shop, media);
    } else {
      media.status = "FAILED";
      media.errors = [outcome.error];
      shop.mediaBytes.delete(media.id);
    }
    const product = media.productId === null ? undefined : shop.products.get(media.productId);
    if (product) {
      product.updatedAt = now;
      changes.productUpdated(product.id);
    }
  }
  changes.emit(env);
}

/** Forgets a media's pending processing (it was deleted or its content replaced). */
export function dropPending(shop: ShopState, id: number): void {
  queues.get(shop)?.pending.delete(id);
}
