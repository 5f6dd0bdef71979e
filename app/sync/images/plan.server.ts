import { itemsByNo, picturesOfItems, type ItemPicture } from "../../backoffice/backoffice.server";
import type { Db } from "../../db.server";
import type { ShopifyMediaMap, ShopifyProduct, SyncRecord } from "../../generated/prisma/client";
import { productsOfItems, variantsOfProducts } from "../products/links.server";
import type { Staged } from "./upload.server";
import type { MediaErrorNode, MediaNode } from "./operations.server";
import { mediaMapsOfItems, NOT_LINKED, SOLD_ELSEWHERE } from "./records.server";

/**
 * What a run does about each due item, worked out from the back office's pictures and what was
 * last sent of each (its media map), before anything is sent:
 *
 * - a picture never sent, or whose media is on a product no longer the item's: **add** (upload,
 *   then a new media on the product);
 * - sent with other bytes (its hash differs): **replace** the media's content (fileUpdate, the
 *   media keeps its id, place and variant), or, when Shopify's media is not READY (it FAILED),
 *   **readd**: delete it and add a new one; a picture whose media FAILED with these very bytes
 *   is sent again the same way (its item was in error: every run tries it again);
 * - sent with these bytes and READY: **none**, nothing is sent for it; sent but not processed
 *   when the last run ended: **poll**, its status is read;
 * - a removed picture's media is deleted;
 * - its variant: a variant's first picture is that variant's image in Shopify (a variant shows
 *   one); the variant is its item variant's link;
 * - the order: the product's media in the item's order, compared once the media are known.
 */

export type SendAction = "none" | "add" | "replace" | "readd" | "poll";

export interface ItemPlan {
  record: SyncRecord;
  itemNo: string;
  /** The item's own product; null when the item is skipped. */
  product: ShopifyProduct | null;
  /** Why nothing is sent for it (no product of its own...), or null. */
  skip: string | null;
  /** For the media's alt text: the item's description, and each variant's. */
  alt: string;
  variantAlt: Map<string, string>;
  pictures: PictureWork[];
  removed: RemovedWork[];
  /** A skipped item's pictures, each counted skipped with the reason. */
  skipped: SkippedWork[];
  /** Its pictures' failures, "picture 2 (back.png): message", for the item's record. */
  failures: string[];
  /** Some of its media were still processing when the run stopped waiting. */
  processing: boolean;
}

export interface PictureWork {
  kind: "picture";
  item: ItemPlan;
  picture: ItemPicture;
  /** Its media map when it holds a media of the item's product. */
  row: ShopifyMediaMap | null;
  send: SendAction;
  staged?: Staged;
  /** The media it has in Shopify now (after what this run did). */
  mediaId: bigint | null;
  /** The sha256 of the bytes that media holds (the picture's once sent). */
  holds: string | null;
  status: MediaNode["status"] | null;
  mediaErrors: MediaErrorNode[];
  /** The Shopify variant it is to be the image of (its variant's first picture), or null. */
  variantTarget: bigint | null;
  /** Its variant has no link to a Shopify variant, so it is on the product alone. */
  variantMissing: boolean;
  /** The variant it is the image of, as far as this run knows. */
  attached: bigint | null;
  /** Whether its bytes went to Shopify in this run. */
  uploaded: boolean;
  /** Whether its place or variant was set in this run. */
  moved: boolean;
  /** The position its media has once the product's order is set (null while it is not). */
  placed: number | null;
  /** The picture changed while it was read: the next run sends the new bytes. */
  changed: boolean;
  error?: unknown;
  /** Its failure is written on its media map already. */
  saved?: boolean;
}

export interface RemovedWork {
  kind: "removed";
  item: ItemPlan;
  row: ShopifyMediaMap;
  deleted: boolean;
  error?: unknown;
}

export interface SkippedWork {
  kind: "skipped";
  item: ItemPlan;
  picture: ItemPicture;
}

export type Work = PictureWork | RemovedWork | SkippedWork;

const REMOVED_ITEM = "the item is no longer in the back office: its product's images are left as they are";

function actionOf(picture: ItemPicture, row: ShopifyMediaMap | null): SendAction {
  if (!row || row.mediaShopifyId === null) return "add";
  if (row.contentHash !== picture.contentHash) return row.mediaStatus === "READY" ? "replace" : "readd";
  if (row.mediaStatus === "FAILED") return "readd";
  return row.mediaStatus === "READY" ? "none" : "poll";
}

/** The plan of each of these due records, in their order; media maps of nothing are dropped. */
export async function planItems(db: Db, shopId: string, records: SyncRecord[]): Promise<ItemPlan[]> {
  const keys = records.map((record) => record.recordKey);
  const [items, pictures, products, maps, soldLinks] = await Promise.all([
    itemsByNo(db, shopId, keys),
    picturesOfItems(db, shopId, keys),
    productsOfItems(db, shopId, keys),
    mediaMapsOfItems(db, shopId, keys),
    db.shopifyVariantMap.findMany({
      where: { shopId, itemNo: { in: keys }, goneAt: null, productShopifyId: { not: null } },
      select: { itemNo: true },
      distinct: ["itemNo"],
    }),
  ]);
  const sold = new Set(soldLinks.map((link) => link.itemNo!));
  const links = await variantsOfProducts(
    db,
    shopId,
    [...products.values()].map((product) => product.shopifyId),
  );
  const forgotten: { pictureId: string }[] = [];
  const plans = records.map((record): ItemPlan => {
    const itemNo = record.recordKey;
    const item = items.get(itemNo);
    const product = products.get(itemNo) ?? null;
    const plan: ItemPlan = {
      record,
      itemNo,
      product,
      skip: null,
      alt: item?.description ?? itemNo,
      variantAlt: new Map(
        (item?.variants ?? []).map((variant) => [
          variant.code,
          `${item!.description} - ${variant.description}`,
        ]),
      ),
      pictures: [],
      removed: [],
      skipped: [],
      failures: [],
      processing: false,
    };
    const itemPictures = pictures.get(itemNo) ?? [];
    if (!item) plan.skip = REMOVED_ITEM;
    else if (!product) plan.skip = sold.has(itemNo) ? SOLD_ELSEWHERE : NOT_LINKED;
    if (plan.skip || !product) {
      plan.skipped = itemPictures.map((picture) => ({ kind: "skipped", item: plan, picture }));
      return plan;
    }

    const rows = new Map((maps.get(itemNo) ?? []).map((row) => [row.pictureId, row]));
    // A media the import read is the picture's as much as one the export sent: its hash is the
    // bytes Shopify has, so an unchanged picture is not sent back.
    const ours = (row: ShopifyMediaMap | undefined) =>
      row && row.productShopifyId === product.shopifyId ? row : null;
    const variants = new Map(
      (links.get(product.shopifyId) ?? [])
        .filter((link) => link.itemNo === itemNo && link.goneAt === null && link.variantCode)
        .map((link) => [link.variantCode!, link.variantShopifyId]),
    );
    const firstOfVariant = new Set<string>();
    for (const picture of itemPictures) {
      const row = ours(rows.get(picture.id));
      const send = actionOf(picture, row);
      const first = picture.variantCode !== "" && !firstOfVariant.has(picture.variantCode);
      if (first) firstOfVariant.add(picture.variantCode);
      const target = first ? (variants.get(picture.variantCode) ?? null) : null;
      const kept = send === "none" || send === "replace" || send === "poll";
      plan.pictures.push({
        kind: "picture",
        item: plan,
        picture,
        row,
        send,
        mediaId: kept ? row!.mediaShopifyId : null,
        holds: kept ? row!.contentHash : null,
        status: kept ? ((row!.mediaStatus as MediaNode["status"] | null) ?? null) : null,
        mediaErrors: [],
        variantTarget: target,
        variantMissing: first && target === null,
        attached: kept ? row!.variantShopifyId : null,
        uploaded: false,
        moved: false,
        placed: kept ? row!.position : null,
        changed: false,
      });
    }
    const current = new Set(itemPictures.map((picture) => picture.id));
    for (const row of rows.values()) {
      if (current.has(row.pictureId)) continue;
      if (ours(row) && row.mediaShopifyId !== null)
        plan.removed.push({ kind: "removed", item: plan, row, deleted: false });
      else forgotten.push({ pictureId: row.pictureId });
    }
    return plan;
  });
  // A removed picture that never became a media of the item's product has nothing to delete.
  if (forgotten.length > 0)
    await db.shopifyMediaMap.deleteMany({
      where: { shopId, pictureId: { in: forgotten.map((row) => row.pictureId) } },
    });
  return plans;
}
