import { crc32, deflateSync } from "node:zlib";
import type { MediaRecord } from "../state/records.server";
import type { ShopState } from "../state/shop-state.server";

/**
 * Images as the simulator handles them: what its "processing" learns from an image's bytes (its
 * type, by the magic bytes of the formats Shopify takes for product images, PNG, JPEG, GIF and
 * WEBP, and its size in pixels from the format's header; nothing is decoded beyond the header),
 * the paths it serves images at, and the plain PNGs it draws for seeded products.
 */

/**
 * The largest image Shopify takes: the staged upload policy it signs for IMAGE carries
 * `["content-length-range", 1, 20971520]` (a live stagedUploadsCreate answer, 2026-04, in the
 * public captures of airhorns/shopify-draft-proxy, fixtures/conformance/.../media/
 * staged-upload-targets-parity.json).
 */
export const MAX_IMAGE_BYTES = 20 * 1024 * 1024;

export interface ImageInfo {
  mimeType: "image/png" | "image/jpeg" | "image/gif" | "image/webp";
  /** Null when the header is cut short or malformed. */
  width: number | null;
  height: number | null;
}

export const CDN_PATH = "/_sim/cdn";

/** Where the simulator serves a media's image: `/_sim/cdn/<shop>/files/<media id>/<filename>?v=…`. */
export function cdnPath(shop: ShopState, media: MediaRecord): string {
  const name = encodeURIComponent(media.filename ?? `${media.id}`);
  return `${CDN_PATH}/${shop.domain}/files/${media.id}/${name}?v=${media.version ?? 1}`;
}

/** The media a CDN path names, as `{ domain, id }`, or null. */
export function parseCdnPath(path: string): { domain: string; id: number } | null {
  const match = /^\/_sim\/cdn\/([^/]+)\/files\/(\d+)(?:\/[^?]*)?(?:\?.*)?$/.exec(path);
  return match ? { domain: decodeURIComponent(match[1]!), id: Number(match[2]) } : null;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function startsWith(bytes: Uint8Array, prefix: readonly number[], at = 0): boolean {
  return prefix.every((byte, index) => bytes[at + index] === byte);
}

const ascii = (text: string) => [...text].map((char) => char.charCodeAt(0));

function pngSize(view: DataView): [number, number] | null {
  // The IHDR chunk comes first: length, "IHDR", width, height (big-endian).
  if (view.byteLength < 24) return null;
  return [view.getUint32(16), view.getUint32(20)];
}

function gifSize(view: DataView): [number, number] | null {
  if (view.byteLength < 10) return null;
  return [view.getUint16(6, true), view.getUint16(8, true)];
}

function jpegSize(bytes: Uint8Array, view: DataView): [number, number] | null {
  // Markers after SOI until a start-of-frame (SOF0..SOF15 but DHT, JPG and DAC) gives the size.
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) return null;
    const marker = bytes[at + 1]!;
    if (marker === 0xff) {
      at += 1;
      continue;
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      at += 2;
      continue;
    }
    const length = view.getUint16(at + 2);
    const isFrame = marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker);
    if (isFrame) {
      if (at + 9 > bytes.length) return null;
      return [view.getUint16(at + 7), view.getUint16(at + 5)];
    }
    if (marker === 0xda || length < 2) return null;
    at += 2 + length;
  }
  return null;
}

function webpSize(bytes: Uint8Array, view: DataView): [number, number] | null {
  const chunk = String.fromCharCode(...bytes.subarray(12, 16));
  if (chunk === "VP8 " && bytes.length >= 30) {
    return [view.getUint16(26, true) & 0x3fff, view.getUint16(28, true) & 0x3fff];
  }
  if (chunk === "VP8L" && bytes.length >= 25) {
    const bits = view.getUint32(21, true);
    return [(bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1];
  }
  if (chunk === "VP8X" && bytes.length >= 30) {
    const width = bytes[24]! | (bytes[25]! << 8) | (bytes[26]! << 16);
    const height = bytes[27]! | (bytes[28]! << 8) | (bytes[29]! << 16);
    return [width + 1, height + 1];
  }
  return null;
}

/** The image's type and size, or null when the bytes are not a PNG, JPEG, GIF or WEBP image. */
export function sniffImage(bytes: Uint8Array): ImageInfo | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const info = (mimeType: ImageInfo["mimeType"], size: [number, number] | null): ImageInfo => ({
    mimeType,
    width: size && size[0] > 0 ? size[0] : null,
    height: size && size[1] > 0 ? size[1] : null,
  });
  if (startsWith(bytes, PNG_SIGNATURE)) return info("image/png", pngSize(view));
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return info("image/jpeg", jpegSize(bytes, view));
  if (startsWith(bytes, ascii("GIF87a")) || startsWith(bytes, ascii("GIF89a")))
    return info("image/gif", gifSize(view));
  if (startsWith(bytes, ascii("RIFF")) && startsWith(bytes, ascii("WEBP"), 8))
    return info("image/webp", webpSize(bytes, view));
  return null;
}

const EXTENSIONS: Record<ImageInfo["mimeType"], string> = {
  "image/png": "png",
  "image/jpeg": "jpg",
  "image/gif": "gif",
  "image/webp": "webp",
};

export function extensionOf(mimeType: string): string | null {
  return (EXTENSIONS as Record<string, string>)[mimeType] ?? null;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "ascii");
  const tail = Buffer.alloc(4);
  tail.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, tail]);
}

/** A PNG of one colour: the simulator's seed images, and a valid image for tests. */
export function solidPng(width: number, height: number, rgb: readonly [number, number, number]): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8 bits per channel, truecolour, no interlace
  const row = Buffer.alloc(1 + width * 3);
  for (let x = 0; x < width; x++) row.set(rgb, 1 + x * 3);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from(PNG_SIGNATURE),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", new Uint8Array(0)),
  ]);
}
