import { z } from "zod";
import {
  addItemPicture,
  BackOfficeError,
  findItem,
  findItemPicture,
  MAX_PICTURE_BYTES,
  moveItemPicture,
  pictureCounts,
  picturesOfItems,
  removeItemPicture,
  replaceItemPicture,
  type ItemPicture,
  type PictureContent,
} from "../backoffice/backoffice.server";
import type { Db } from "../db.server";
import type { Shop, ShopifyMediaMap, SyncRecord } from "../generated/prisma/client";
import { recordsByKey } from "../sync/kit/outbound.server";
import { IMAGE_TASK, mediaMapsOfItems, retryPicture } from "../sync/images/records.server";
import { syncImagesTask } from "../sync/images/task.server";
import { startFollowUp, type FollowUp } from "./follow-up.server";
import { Refusal } from "./refusal.server";

/**
 * The pictures of the back office's items as the Items page shows them (its pictures section,
 * and a summary on each row) and the CLI lists them: each picture in order with its variant,
 * file, type and size, and where the images sync stands with it (its state, Shopify's message
 * in full). A person adds a picture (an upload), replaces, moves or removes one, and retries one
 * Shopify failed on; with Sync images "To Shopify", each starts the images sync.
 */

export const PICTURE_STATE_WORDS = {
  off: "not sent: Sync images is off",
  waiting: "waiting to be sent",
  pending: "waiting to be sent",
  processing: "sent, Shopify is processing it",
  synced: "on Shopify",
  error: "failed",
  skipped: "skipped",
} as const;
export type PictureState = keyof typeof PICTURE_STATE_WORDS;

export interface PictureRow {
  id: string;
  position: number;
  /** null: a picture of the item; else its variant's code. */
  variantCode: string | null;
  filename: string;
  contentType: string;
  byteSize: number;
  /** The size in words ("12.5 KB"). */
  size: string;
  contentHash: string;
  state: PictureState;
  stateWords: string;
  /** Shopify's message when failed (mediaErrors in full), why when skipped, a note when synced. */
  message: string | null;
  attempts: number;
  /** Shopify's media id, once it has one. */
  mediaId: string | null;
  mediaStatus: string | null;
  sentAt: string | null;
}

export interface PictureSection {
  itemNo: string;
  description: string;
  variants: { code: string; description: string }[];
  syncImages: string;
  pictures: PictureRow[];
}

export interface PictureSummary {
  count: number;
  failed: number;
}

function sizeWords(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Where the images sync stands with the picture, from its media map and its item's record. */
function stateOf(
  picture: ItemPicture,
  map: ShopifyMediaMap | undefined,
  record: SyncRecord | undefined,
  syncImages: string,
): { state: PictureState; message: string | null } {
  if (syncImages !== "to_shopify" && map?.state !== "error") return { state: "off", message: null };
  if (!map) {
    if (record?.state === "skipped") return { state: "skipped", message: record.message };
    return { state: "waiting", message: null };
  }
  // Changed since it was sent: waiting, with what happened last time.
  if (map.state === "synced" && map.contentHash !== picture.contentHash)
    return { state: "waiting", message: null };
  return { state: map.state as PictureState, message: map.message };
}

function rowsOf(
  pictures: ItemPicture[],
  maps: ShopifyMediaMap[],
  record: SyncRecord | undefined,
  syncImages: string,
): PictureRow[] {
  const byPicture = new Map(maps.map((map) => [map.pictureId, map]));
  return pictures.map((picture) => {
    const map = byPicture.get(picture.id);
    const { state, message } = stateOf(picture, map, record, syncImages);
    return {
      id: picture.id,
      position: picture.position,
      variantCode: picture.variantCode || null,
      filename: picture.filename,
      contentType: picture.contentType,
      byteSize: picture.byteSize,
      size: sizeWords(picture.byteSize),
      contentHash: picture.contentHash,
      state,
      stateWords: PICTURE_STATE_WORDS[state],
      message,
      attempts: map?.attempts ?? 0,
      mediaId: map?.mediaShopifyId?.toString() ?? null,
      mediaStatus: map?.mediaStatus ?? null,
      sentAt: map?.sentAt?.toISOString() ?? null,
    };
  });
}

async function syncImagesOf(db: Db, shop: Shop): Promise<string> {
  const settings = await db.shopSettings.findUniqueOrThrow({
    where: { shopId: shop.id },
    select: { syncImages: true },
  });
  return settings.syncImages;
}

/** The item's pictures section; a 404 Refusal when the shop has no such item. */
export async function pictureSection(db: Db, shop: Shop, itemNo: string): Promise<PictureSection> {
  const item = await findItem(db, shop.id, itemNo);
  if (!item)
    throw new Refusal(`This shop has no item ${itemNo} in the back office.`, 404, { itemNo: "not found" });
  const [pictures, maps, records, syncImages] = await Promise.all([
    picturesOfItems(db, shop.id, [item.no]),
    mediaMapsOfItems(db, shop.id, [item.no]),
    recordsByKey(db, shop.id, IMAGE_TASK, [item.no]),
    syncImagesOf(db, shop),
  ]);
  return {
    itemNo: item.no,
    description: item.description,
    variants: item.variants.map((variant) => ({ code: variant.code, description: variant.description })),
    syncImages,
    pictures: rowsOf(pictures.get(item.no) ?? [], maps.get(item.no) ?? [], records.get(item.no), syncImages),
  };
}

/** How many pictures each of these items has, and how many Shopify failed on. */
export async function pictureSummaries(
  db: Db,
  shop: Shop,
  itemNos: string[],
): Promise<Record<string, PictureSummary>> {
  const [pictures, failed] = await Promise.all([
    pictureCounts(db, shop.id, itemNos),
    db.shopifyMediaMap.groupBy({
      by: ["itemNo"],
      where: { shopId: shop.id, itemNo: { in: itemNos }, state: "error" },
      _count: { _all: true },
    }),
  ]);
  const failures = new Map(failed.map((row) => [row.itemNo, row._count._all]));
  return Object.fromEntries(
    [...pictures].map(([itemNo, count]) => [itemNo, { count, failed: failures.get(itemNo) ?? 0 }]),
  );
}

/** The item whose pictures section is open (`?pictures=`). */
export const pictureQuery = z.object({
  pictures: z
    .string()
    .trim()
    .max(20, "an item number has at most 20 characters")
    .optional()
    .transform((value) => value || undefined),
});

const pictureId = z.uuid({ message: "choose a picture" });

const position = z
  .string()
  .trim()
  .regex(/^\d{1,3}$/, "a position is a whole number from 1")
  .transform(Number)
  .refine((value) => value >= 1, "a position is a whole number from 1");

const file = z
  .instanceof(File, { message: "choose a picture file to upload" })
  .refine((value) => value.size > 0, "choose a picture file to upload")
  .refine(
    (value) => value.size <= MAX_PICTURE_BYTES,
    `a picture is at most ${MAX_PICTURE_BYTES / 1024 / 1024} MB (Shopify's limit for an image)`,
  );

export const PICTURE_INTENTS = [
  "addPicture",
  "replacePicture",
  "movePicture",
  "removePicture",
  "retryPicture",
] as const;

export const pictureAction = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("addPicture"),
    itemNo: z.string().trim().min(1, "item is required").max(20, "an item number has at most 20 characters"),
    variantCode: z
      .string()
      .trim()
      .max(20, "a variant code has at most 20 characters")
      .optional()
      .transform((value) => value || null),
    position: z
      .union([z.literal(""), position])
      .optional()
      .transform((value) => (value === "" ? undefined : value)),
    file,
  }),
  z.object({ intent: z.literal("replacePicture"), pictureId, file }),
  z.object({ intent: z.literal("movePicture"), pictureId, position }),
  z.object({ intent: z.literal("removePicture"), pictureId }),
  z.object({ intent: z.literal("retryPicture"), pictureId }),
]);
export type PictureAction = z.output<typeof pictureAction>;

/** A picture action as the CLI gives it: the bytes as a stream. */
export type PictureInput =
  | {
      intent: "addPicture";
      itemNo: string;
      variantCode: string | null;
      position?: number;
      filename: string;
      content: PictureContent;
    }
  | { intent: "replacePicture"; pictureId: string; filename: string; content: PictureContent }
  | Exclude<PictureAction, { intent: "addPicture" | "replacePicture" }>;

/** An upload form's file as what the back office takes. */
export function fromForm(input: PictureAction): PictureInput {
  if (input.intent === "addPicture" || input.intent === "replacePicture") {
    const { file: upload, ...rest } = input;
    return {
      ...rest,
      filename: upload.name,
      content: upload.stream() as unknown as AsyncIterable<Uint8Array>,
    };
  }
  return input;
}

export interface PictureOutcome {
  message: string;
  followUp: FollowUp | null;
}

async function pictureOf(db: Db, shop: Shop, id: string): Promise<ItemPicture> {
  const picture = await findItemPicture(db, shop.id, id);
  if (!picture) throw new Refusal("This shop has no such picture.", 404, { pictureId: "not found" });
  return picture;
}

/** The back office refuses bad input with a message; a page shows it tied to the file. */
async function backOffice<T>(change: () => Promise<T>, field: string): Promise<T> {
  try {
    return await change();
  } catch (error) {
    if (error instanceof BackOfficeError) throw new Refusal(error.message, 400, { [field]: error.message });
    throw error;
  }
}

const place = (picture: ItemPicture) =>
  `picture ${picture.position} of ${picture.itemNo}${picture.variantCode ? ` (variant ${picture.variantCode})` : ""}`;

/** Adds, replaces, moves, removes or retries a picture; with Sync images To Shopify, then starts the images sync. */
export async function actOnPictures(db: Db, shop: Shop, input: PictureInput): Promise<PictureOutcome> {
  const syncImages = await syncImagesOf(db, shop);
  const toShopify = syncImages === "to_shopify";
  let done: string;
  switch (input.intent) {
    case "addPicture": {
      if (!(await findItem(db, shop.id, input.itemNo)))
        throw new Refusal(`This shop has no item ${input.itemNo} in the back office.`, 404, {
          itemNo: "not found",
        });
      const added = await backOffice(
        () =>
          addItemPicture(db, shop.id, {
            itemNo: input.itemNo,
            variantCode: input.variantCode,
            filename: input.filename,
            content: input.content,
            position: input.position,
          }),
        "file",
      );
      done = `${added.filename} is ${place(added)}.`;
      break;
    }
    case "replacePicture": {
      const current = await pictureOf(db, shop, input.pictureId);
      const replaced = await backOffice(
        () =>
          replaceItemPicture(db, shop.id, current.id, { filename: input.filename, content: input.content }),
        "file",
      );
      done = `${place(replaced)} is replaced by ${replaced.filename}.`;
      break;
    }
    case "movePicture": {
      const current = await pictureOf(db, shop, input.pictureId);
      const moved = await backOffice(
        () => moveItemPicture(db, shop.id, current.id, input.position),
        "position",
      );
      done = `${moved.filename} is ${place(moved)}.`;
      break;
    }
    case "removePicture": {
      const current = await pictureOf(db, shop, input.pictureId);
      await removeItemPicture(db, shop.id, current.id);
      done = `${current.filename} (${place(current)}) is removed.`;
      break;
    }
    case "retryPicture": {
      const current = await pictureOf(db, shop, input.pictureId);
      if (!toShopify)
        throw new Refusal(
          `Pictures are not sent to Shopify: the setting "Sync images" is "${syncImages === "from_shopify" ? "From Shopify" : "Off"}". Set it to "To Shopify" on the Settings page first.`,
          409,
        );
      if (!(await retryPicture(db, shop.id, current)))
        throw new Refusal(`${place(current)} has not failed; only a failed picture can be retried.`, 409);
      return {
        message: `${place(current)} is waiting to be sent to Shopify again.`,
        followUp: await startFollowUp(db, shop, syncImagesTask),
      };
    }
  }
  if (!toShopify)
    return {
      message: `${done} Sync images is not "To Shopify": it stays in the back office.`,
      followUp: null,
    };
  return { message: done, followUp: await startFollowUp(db, shop, syncImagesTask) };
}
