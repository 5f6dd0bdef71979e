import { createHash, randomUUID } from "node:crypto";
import type { Db, Tx } from "../db.server";
import type { BoItemPicture } from "../generated/prisma/client";
import { recordChange } from "./changes.server";
import { BackOfficeError } from "./errors.server";
import { inTransaction, optionalText } from "./internal.server";

/**
 * Item pictures: several per item, in order, each of the item or of one of its variants, kept
 * whole in Postgres (bytes, content type, sha256, position). Positions are 1, 2, ... over all of
 * an item's pictures, its variants' included, since they are all one product's media in Shopify.
 * Every change (a picture added, replaced, moved or removed) is a "picture" change of the item
 * in the change feed, in the transaction that makes it.
 *
 * The bytes never have to be in memory whole: a picture is written from chunks (a file read as a
 * stream, an upload) and read back in slices (`pictureSlices`).
 */

/** The images Shopify takes (and the simulator reads), by what their first bytes say. */
export const PICTURE_TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp"] as const;
export type PictureType = (typeof PICTURE_TYPES)[number];

/** Shopify's limit for an image: 20 MB (the staged upload's content-length-range). */
export const MAX_PICTURE_BYTES = 20 * 1024 * 1024;

/** Shopify's limit of media per product. */
export const MAX_PICTURES_PER_ITEM = 250;

const EXTENSIONS: Record<PictureType, string> = {
  "image/png": "png",
  "image/jpeg": "jpg",
  "image/gif": "gif",
  "image/webp": "webp",
};

/** A picture without its bytes. */
export type ItemPicture = Omit<BoItemPicture, "content" | "shopId">;

const WITHOUT_BYTES = { content: true, shopId: true } as const;

/** The bytes of a picture: given at once, or as chunks (a stream). */
export type PictureContent = Uint8Array | AsyncIterable<Uint8Array>;

export interface NewPicture {
  itemNo: string;
  /** A variant's code: the picture is the variant's (its first picture is its image in Shopify). */
  variantCode?: string | null;
  /** The file's name; its extension is made the type's. */
  filename: string;
  content: PictureContent;
  /** Where among the item's pictures (1 = first); the end when left out. */
  position?: number;
}

/** What the first bytes say the image is, or null. */
export function pictureTypeOf(head: Uint8Array): PictureType | null {
  const starts = (...bytes: number[]) => bytes.every((byte, index) => head[index] === byte);
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return "image/png";
  if (starts(0xff, 0xd8, 0xff)) return "image/jpeg";
  if (starts(0x47, 0x49, 0x46, 0x38)) return "image/gif";
  const text = (from: number, to: number) => String.fromCharCode(...head.subarray(from, to));
  if (head.length >= 12 && text(0, 4) === "RIFF" && text(8, 12) === "WEBP") return "image/webp";
  return null;
}

/** The file's name as kept: its base name, at most 200 characters, with the type's extension. */
function filenameFor(name: string, type: PictureType): string {
  const printable = [...name].filter((char) => char.charCodeAt(0) >= 0x20).join("");
  const base = (optionalText(printable.split(/[\\/]/).pop()) ?? "picture")
    .replace(/["<>|*?:]/g, "_")
    .replace(/\.[a-z0-9]{1,5}$/i, "")
    .slice(0, 200);
  return `${base || "picture"}.${EXTENSIONS[type]}`;
}

async function* chunksOf(content: PictureContent): AsyncGenerator<Uint8Array> {
  if (content instanceof Uint8Array) yield content;
  else for await (const chunk of content) if (chunk.length > 0) yield chunk;
}

interface Written {
  contentType: PictureType;
  byteSize: number;
  contentHash: string;
}

/**
 * Writes the bytes into the picture's row, chunk by chunk: the chunks go to a temporary table of
 * the transaction and are joined by Postgres, so neither side holds the file twice. Checks the
 * type (by the first bytes) and the size as they come; refuses what Shopify would not take.
 */
async function writeContent(tx: Tx, pictureId: string, content: PictureContent): Promise<Written> {
  const hash = createHash("sha256");
  let head = new Uint8Array(0);
  let byteSize = 0;
  let seq = 0;
  const table = `bo_picture_chunks_${pictureId.replaceAll("-", "")}`;
  await tx.$executeRawUnsafe(`create temporary table ${table} (seq int, data bytea) on commit drop`);
  for await (const chunk of chunksOf(content)) {
    byteSize += chunk.length;
    if (byteSize > MAX_PICTURE_BYTES)
      throw new BackOfficeError(
        `a picture is at most ${MAX_PICTURE_BYTES / 1024 / 1024} MB (Shopify's limit for an image)`,
      );
    if (head.length < 16) head = Uint8Array.from([...head, ...chunk.subarray(0, 16 - head.length)]);
    hash.update(chunk);
    await tx.$executeRawUnsafe(`insert into ${table} (seq, data) values ($1, $2)`, seq++, chunk);
  }
  if (byteSize === 0) throw new BackOfficeError("the picture is empty");
  const contentType = pictureTypeOf(head);
  if (!contentType) throw new BackOfficeError("the file is not a PNG, JPEG, GIF or WEBP image");
  await tx.$executeRawUnsafe(
    `update "BoItemPicture" set content = (select string_agg(data, ''::bytea order by seq) from ${table}) where id = $1::uuid`,
    pictureId,
  );
  await tx.$executeRawUnsafe(`drop table ${table}`);
  return { contentType, byteSize, contentHash: hash.digest("hex") };
}

async function requireItem(tx: Tx, shopId: string, itemNo: string, variantCode: string): Promise<void> {
  const item = await tx.boItem.findUnique({
    where: { shopId_no: { shopId, no: itemNo } },
    select: { no: true, variants: { select: { code: true } } },
  });
  if (!item) throw new BackOfficeError(`item ${itemNo} does not exist`);
  if (variantCode && !item.variants.some((variant) => variant.code === variantCode))
    throw new BackOfficeError(`item ${itemNo} has no variant ${variantCode}`);
}

/** Locks the item's pictures (their positions) for the transaction. */
async function lockPictures(tx: Tx, shopId: string, itemNo: string): Promise<number> {
  await tx.$executeRaw`select pg_advisory_xact_lock(hashtext(${`pictures:${shopId}:${itemNo}`}))`;
  return tx.boItemPicture.count({ where: { shopId, itemNo } });
}

function checkPosition(position: number | undefined, last: number): number {
  if (position === undefined) return last;
  if (!Number.isSafeInteger(position) || position < 1)
    throw new BackOfficeError(`a picture's position is a whole number from 1, got ${position}`);
  return Math.min(position, last);
}

/** Adds a picture to the item (or its variant) at its position; the later ones move down. */
export async function addItemPicture(db: Db | Tx, shopId: string, input: NewPicture): Promise<ItemPicture> {
  const itemNo = optionalText(input.itemNo);
  if (!itemNo) throw new BackOfficeError("item is required");
  const variantCode = optionalText(input.variantCode) ?? "";
  return inTransaction(db, async (tx) => {
    await requireItem(tx, shopId, itemNo, variantCode);
    const count = await lockPictures(tx, shopId, itemNo);
    if (count >= MAX_PICTURES_PER_ITEM)
      throw new BackOfficeError(
        `item ${itemNo} has ${MAX_PICTURES_PER_ITEM} pictures already (Shopify's limit of media per product)`,
      );
    const position = checkPosition(input.position, count + 1);
    const id = randomUUID();
    await tx.$executeRaw`
      insert into "BoItemPicture" (id, "shopId", "itemNo", "variantCode", position, "contentType", filename,
                                   "byteSize", "contentHash", content, "updatedAt")
      values (${id}::uuid, ${shopId}::uuid, ${itemNo}, ${variantCode}, 0, '', '', 0, '', ''::bytea, now())`;
    const written = await writeContent(tx, id, input.content);
    await tx.boItemPicture.updateMany({
      where: { shopId, itemNo, position: { gte: position } },
      data: { position: { increment: 1 } },
    });
    const picture = await tx.boItemPicture.update({
      where: { id },
      data: { ...written, position, filename: filenameFor(input.filename, written.contentType) },
      omit: WITHOUT_BYTES,
    });
    await recordChange(tx, shopId, "picture", itemNo);
    return picture;
  });
}

async function pictureOf(tx: Tx, shopId: string, pictureId: string): Promise<ItemPicture> {
  const picture = await tx.boItemPicture.findFirst({
    where: { id: pictureId, shopId },
    omit: WITHOUT_BYTES,
  });
  if (!picture) throw new BackOfficeError(`no picture ${pictureId}`);
  return picture;
}

/** Gives the picture new bytes (and name); it keeps its place and its variant. */
export async function replaceItemPicture(
  db: Db | Tx,
  shopId: string,
  pictureId: string,
  input: { filename: string; content: PictureContent },
): Promise<ItemPicture> {
  return inTransaction(db, async (tx) => {
    const current = await pictureOf(tx, shopId, pictureId);
    await lockPictures(tx, shopId, current.itemNo);
    const written = await writeContent(tx, pictureId, input.content);
    const picture = await tx.boItemPicture.update({
      where: { id: pictureId },
      data: { ...written, filename: filenameFor(input.filename, written.contentType) },
      omit: WITHOUT_BYTES,
    });
    await recordChange(tx, shopId, "picture", current.itemNo);
    return picture;
  });
}

/** Moves the picture to another place among the item's pictures. */
export async function moveItemPicture(
  db: Db | Tx,
  shopId: string,
  pictureId: string,
  position: number,
): Promise<ItemPicture> {
  return inTransaction(db, async (tx) => {
    const current = await pictureOf(tx, shopId, pictureId);
    const count = await lockPictures(tx, shopId, current.itemNo);
    const to = checkPosition(position, count);
    if (to === current.position) return current;
    // Out of the way, the others closed up, then into its new place.
    await tx.boItemPicture.update({ where: { id: pictureId }, data: { position: 0 } });
    await tx.boItemPicture.updateMany({
      where: { shopId, itemNo: current.itemNo, position: { gt: current.position } },
      data: { position: { decrement: 1 } },
    });
    await tx.boItemPicture.updateMany({
      where: { shopId, itemNo: current.itemNo, position: { gte: to }, NOT: { id: pictureId } },
      data: { position: { increment: 1 } },
    });
    const picture = await tx.boItemPicture.update({
      where: { id: pictureId },
      data: { position: to },
      omit: WITHOUT_BYTES,
    });
    await recordChange(tx, shopId, "picture", current.itemNo);
    return picture;
  });
}

/** Removes the picture; the later ones move up. */
export async function removeItemPicture(
  db: Db | Tx,
  shopId: string,
  pictureId: string,
): Promise<ItemPicture> {
  return inTransaction(db, async (tx) => {
    const picture = await pictureOf(tx, shopId, pictureId);
    await lockPictures(tx, shopId, picture.itemNo);
    await tx.boItemPicture.delete({ where: { id: pictureId } });
    await tx.boItemPicture.updateMany({
      where: { shopId, itemNo: picture.itemNo, position: { gt: picture.position } },
      data: { position: { decrement: 1 } },
    });
    await recordChange(tx, shopId, "picture", picture.itemNo);
    return picture;
  });
}

export async function findItemPicture(
  db: Db | Tx,
  shopId: string,
  pictureId: string,
): Promise<ItemPicture | null> {
  return db.boItemPicture.findFirst({ where: { id: pictureId, shopId }, omit: WITHOUT_BYTES });
}

/** How many pictures each of these items has (items without any are left out). */
export async function pictureCounts(
  db: Db | Tx,
  shopId: string,
  itemNos: string[],
): Promise<Map<string, number>> {
  if (itemNos.length === 0) return new Map();
  const rows = await db.boItemPicture.groupBy({
    by: ["itemNo"],
    where: { shopId, itemNo: { in: itemNos } },
    _count: { _all: true },
  });
  return new Map(rows.map((row) => [row.itemNo, row._count._all]));
}

/** The pictures of these items (without their bytes), each item's in order. */
export async function picturesOfItems(
  db: Db | Tx,
  shopId: string,
  itemNos: string[],
): Promise<Map<string, ItemPicture[]>> {
  const byItem = new Map<string, ItemPicture[]>();
  if (itemNos.length === 0) return byItem;
  const pictures = await db.boItemPicture.findMany({
    where: { shopId, itemNo: { in: itemNos } },
    omit: WITHOUT_BYTES,
    orderBy: [{ itemNo: "asc" }, { position: "asc" }, { createdAt: "asc" }],
  });
  for (const picture of pictures) {
    const list = byItem.get(picture.itemNo) ?? [];
    list.push(picture);
    byItem.set(picture.itemNo, list);
  }
  return byItem;
}

/**
 * The picture's bytes, a slice at a time (one query each), as they are with this hash: a
 * picture replaced or removed meanwhile ends the reading with a BackOfficeError, so what is
 * read is always the content the hash names.
 */
export async function* pictureSlices(
  db: Db | Tx,
  shopId: string,
  picture: Pick<ItemPicture, "id" | "contentHash" | "byteSize">,
  sliceBytes = 1024 * 1024,
): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < picture.byteSize; offset += sliceBytes) {
    const rows = await db.$queryRaw<{ slice: Uint8Array }[]>`
      select substring(content from ${offset + 1}::int for ${sliceBytes}::int) as slice
        from "BoItemPicture"
       where id = ${picture.id}::uuid and "shopId" = ${shopId}::uuid and "contentHash" = ${picture.contentHash}`;
    const slice = rows[0]?.slice;
    if (!slice) throw new BackOfficeError("the picture was replaced or removed while it was read");
    yield slice;
  }
}
