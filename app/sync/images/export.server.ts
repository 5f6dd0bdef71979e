import type { Db } from "../../db.server";
import { describeError, RecordError } from "../../errors.server";
import type { SyncRecord } from "../../generated/prisma/client";
import type { SyncContext } from "../../jobs/sync-task.server";
import type { AdminClient } from "../../shopify/admin-client.server";
import { gid } from "../../shopify/ids.server";
import { collectChanges, contentHash, markFailed, markSent, markSkipped } from "../kit/outbound.server";
import { RecordLoop, type RecordResult } from "../kit/records.server";
import { listOf } from "../products/filters.server";
import type { ImageFilters } from "./filters.server";
import { planItems, type ItemPlan, type PictureWork, type Work } from "./plan.server";
import { IMAGE_TASK, imagesDue, imagesDueAgain, PICTURE_FEED } from "./records.server";
import { mediaErrorWords, sendPlans } from "./send.server";

/**
 * To Shopify: the items whose pictures changed since the last run (the back office's change
 * feed), those a person named, and those the products sync's links now place otherwise, a
 * batch at a time: each batch is planned (plan.server.ts: what changed since what was last
 * sent, by each picture's hash), sent (send.server.ts), then settled a picture at a time through
 * the record loop: each picture ends synced, processing, error (with Shopify's message, the
 * next run sends it again) or skipped; a removed picture's media is deleted. The run's counts
 * are of pictures: `sent` (uploaded), `updated` (only its place or variant set), `unchanged`,
 * `removed`, `skipped`, `failed`; and `uploads`, `mutationRequests` and the Admin API points.
 * Pictures that failed fail the run, named (the Synchronization errors tile).
 *
 * Only the batch's pictures' metadata is in memory; their bytes are streamed from Postgres to
 * Shopify's storage a slice at a time.
 */

/** Items planned and sent together. */
const CHUNK = 250;

/** The items the filters name (by number, or by their Shopify product), or null when none do. */
async function chosenItems(db: Db, shopId: string, filters: ImageFilters): Promise<string[] | null> {
  const itemNos = listOf(filters.itemNos);
  const productIds = listOf(filters.productIds).map((id) => BigInt(id));
  if (itemNos.length === 0 && productIds.length === 0) return null;
  const products =
    productIds.length === 0
      ? []
      : await db.shopifyProduct.findMany({
          where: { shopId, shopifyId: { in: productIds }, itemNo: { not: null }, deletedAt: null },
          select: { itemNo: true },
        });
  return [...new Set([...itemNos, ...products.map((product) => product.itemNo!)])];
}

export async function exportPictures(ctx: SyncContext<ImageFilters>, client: AdminClient): Promise<void> {
  const { db, shop } = ctx;
  const chosen = await chosenItems(db, shop.id, ctx.filters);
  if (chosen) await imagesDue(db, shop.id, chosen);
  const relinked = await imagesDueAgain(db, shop.id);
  if (relinked > 0) ctx.count("relinked", relinked);
  await collectChanges(db, shop.id, PICTURE_FEED);
  const due = await db.syncRecord.findMany({
    where: {
      shopId: shop.id,
      task: IMAGE_TASK,
      state: { in: ["pending", "error"] },
      ...(chosen ? { recordKey: { in: chosen } } : {}),
    },
    orderBy: [{ changedAt: "asc" }, { recordKey: "asc" }],
  });
  const loop = new RecordLoop<Work>(ctx, {
    label: labelOf,
    handle: (work) => settle(db, shop.id, work),
    onFailure: (work, message) => failed(db, shop.id, work, message),
  });
  for (let at = 0; at < due.length; at += CHUNK) {
    const plans = await planItems(db, shop.id, due.slice(at, at + CHUNK));
    await sendPlans(ctx, client, plans);
    for (const plan of plans) {
      for (const work of [...plan.removed, ...plan.pictures, ...plan.skipped]) await loop.one(work);
      await settleItem(db, plan);
    }
    await ctx.progress(Math.min(at + CHUNK, due.length), due.length);
  }
  ctx.log.info({ items: due.length, ...loop.summary, failures: undefined }, "pictures exported");
  loop.finish({ noun: "picture", failed: "not sent to Shopify" });
}

function labelOf(work: Work): string {
  if (work.kind === "removed") return `a removed picture of ${work.item.itemNo}`;
  const { picture } = work;
  return `picture ${picture.position} of ${work.item.itemNo} (${picture.filename})`;
}

/** The media map of a picture as this run leaves it. */
async function saveMap(
  db: Db,
  shopId: string,
  work: PictureWork,
  state: string,
  message: string | null,
  failedAttempt = false,
): Promise<void> {
  const { picture, item } = work;
  const data = {
    itemNo: item.itemNo,
    variantCode: picture.variantCode,
    productShopifyId: item.product!.shopifyId,
    mediaShopifyId: work.mediaId,
    linkedBy: "export",
    contentHash: work.holds,
    position: work.placed,
    variantShopifyId: work.attached,
    mediaStatus: work.status,
    state,
    message,
    ...(work.uploaded ? { sentAt: new Date() } : {}),
  };
  await db.shopifyMediaMap.upsert({
    where: { shopId_pictureId: { shopId, pictureId: picture.id } },
    create: { shopId, pictureId: picture.id, ...data, attempts: failedAttempt ? 1 : 0 },
    update: { ...data, ...(failedAttempt ? { attempts: { increment: 1 } } : {}) },
  });
}

/** Where a picture stands once this run's requests are answered; throws when it failed. */
async function settlePicture(db: Db, shopId: string, work: PictureWork): Promise<RecordResult> {
  if (work.changed) {
    // Sent next run with the new bytes; what Shopify holds now is kept on the map.
    if (work.mediaId !== null) await saveMap(db, shopId, work, "pending", "changed while it was sent");
    return { outcome: "skipped", count: "changedWhileSent" };
  }
  const failure =
    work.error ?? (work.status === "FAILED" ? new RecordError(mediaErrorWords(work)) : undefined);
  if (failure !== undefined) {
    const words = describeError(failure);
    await saveMap(db, shopId, work, "error", words, true);
    work.saved = true;
    throw failure;
  }
  if (work.status !== "READY") {
    work.item.processing = true;
    await saveMap(
      db,
      shopId,
      work,
      "processing",
      "sent; Shopify was still processing the image when the run ended (the next run checks it)",
    );
    return { outcome: "sent", count: work.uploaded ? "sent" : "stillProcessing" };
  }
  const note = work.variantMissing
    ? `on the product; variant ${work.picture.variantCode} has no Shopify variant linked yet, so it is not that variant's image`
    : null;
  await saveMap(db, shopId, work, "synced", note);
  if (work.uploaded) return "sent";
  return work.moved ? { outcome: "sent", count: "updated" } : "unchanged";
}

async function settle(db: Db, shopId: string, work: Work): Promise<RecordResult> {
  switch (work.kind) {
    case "picture":
      return settlePicture(db, shopId, work);
    case "removed":
      if (work.error !== undefined) throw work.error;
      if (!work.deleted) throw new Error("the removed picture's media was not deleted");
      await db.shopifyMediaMap.deleteMany({ where: { shopId, pictureId: work.row.pictureId } });
      return { outcome: "sent", count: "removed" };
    case "skipped":
      await db.shopifyMediaMap.upsert({
        where: { shopId_pictureId: { shopId, pictureId: work.picture.id } },
        create: {
          shopId,
          pictureId: work.picture.id,
          itemNo: work.item.itemNo,
          variantCode: work.picture.variantCode,
          state: "skipped",
          message: work.item.skip,
        },
        update: { state: "skipped", message: work.item.skip },
      });
      return "skipped";
  }
}

/** A failure the record loop caught: on the item's record, and on the map when not written yet. */
async function failed(db: Db, shopId: string, work: Work, message: string): Promise<void> {
  if (work.kind === "skipped") return;
  work.item.failures.push(`${labelOf(work).replace(` of ${work.item.itemNo}`, "")}: ${message}`);
  if (work.kind === "picture" && work.saved) return;
  const pictureId = work.kind === "removed" ? work.row.pictureId : work.picture.id;
  await db.shopifyMediaMap.updateMany({
    where: { shopId, pictureId },
    data: { state: "error", message, attempts: { increment: 1 } },
  });
}

/** The item's record once its pictures are settled. */
async function settleItem(db: Db, plan: ItemPlan): Promise<void> {
  const { record } = plan;
  if (plan.skip) return markSkipped(db, record, plan.skip);
  if (plan.failures.length > 0) {
    const count = plan.failures.length;
    return markFailed(
      db,
      record,
      `${count} ${count === 1 ? "picture" : "pictures"} not sent: ${plan.failures.join("; ")}`,
    );
  }
  if (plan.processing) return stillPending(db, record, "Shopify was still processing some of its images");
  await markSent(db, record, {
    shopifyId: gid("Product", plan.product!.shopifyId),
    sentHash: contentHash(
      plan.pictures.map((work) => [work.picture.id, work.picture.contentHash, work.picture.variantCode]),
    ),
  });
}

/** Due again next run (unless it changed meanwhile, which keeps it pending anyway). */
async function stillPending(db: Db, record: SyncRecord, message: string): Promise<void> {
  await db.syncRecord.updateMany({
    where: { id: record.id, version: record.version },
    data: { state: "pending", message },
  });
}
