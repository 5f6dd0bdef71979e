import { RecordError } from "../../errors.server";
import { classifyError } from "../../jobs/errors.server";
import type { SyncContext } from "../../jobs/sync-task.server";
import type { AdminClient } from "../../shopify/admin-client.server";
import { runBulkMutation } from "../../shopify/bulk.server";
import { gid, numericId } from "../../shopify/ids.server";
import type { ImageFilters } from "./filters.server";
import {
  ADD_MEDIA,
  APPEND_VARIANT_MEDIA,
  DELETE_FILES,
  DETACH_VARIANT_MEDIA,
  FILES_PER_REQUEST,
  MEDIA_PER_READ,
  MEDIA_STATUS,
  REORDER_MEDIA,
  REPLACE_FILES,
  VARIANT_MEDIA_PER_REQUEST,
  type AddMediaData,
  type AddMediaVariables,
  type ImageUserError,
} from "./operations.server";
import type { ItemPlan, PictureWork, RemovedWork } from "./plan.server";
import { IMAGE_TASK } from "./records.server";
import { uploadPictures } from "./upload.server";

/**
 * Sends what the plans of a batch of items say, a step at a time for the whole batch, so that
 * each step is one request per batch (deleting, replacing, reading statuses) or per product
 * (adding media, variant images, the order), never one per picture; many products' new media go
 * as one bulk mutation. A request that fails marks the pictures it was for (kept on each work,
 * settled by the record loop); a failure about the run (401, 403, an uninstalled shop) stops it.
 */

/** From this many products gaining media in a batch, one bulk mutation instead of a request each. */
export const BULK_FROM = 20;

/** How long a run waits for Shopify to process the media it sent, and how often it looks. */
const PROCESSING_WAIT_MS = 60_000;
const FIRST_LOOK_MS = 150;
const LONGEST_LOOK_MS = 5_000;

type Ctx = SyncContext<ImageFilters>;

const userWords = (errors: ImageUserError[]) =>
  errors.map((e) => (e.field?.length ? `${e.field.join(".")}: ${e.message}` : e.message)).join("; ");

/** Runs a request for some works: a record failure (a refusal, a 5xx that outlived its retries) marks them; a run failure is thrown. */
async function guarded<T>(works: { error?: unknown }[], request: () => Promise<T>): Promise<T | undefined> {
  try {
    return await request();
  } catch (error) {
    if (classifyError(error).scope === "run") throw error;
    for (const work of works) work.error ??= error;
    return undefined;
  }
}

const live = (work: PictureWork) => work.error === undefined && !work.changed;

export async function sendPlans(ctx: Ctx, client: AdminClient, plans: ItemPlan[]): Promise<void> {
  const active = plans.filter((plan) => plan.product !== null && plan.skip === null);
  const works = active.flatMap((plan) => plan.pictures);
  await deleteMedia(client, active);
  await upload(ctx, client, works);
  await replaceContent(client, works);
  await addMedia(ctx, client, active);
  await waitForProcessing(ctx, client, works);
  for (const plan of active) {
    await setVariantImages(client, plan);
    await setOrder(client, plan);
  }
}

/** Removed pictures' media, and the media to be made again (FAILED, or not ready to take new bytes). */
async function deleteMedia(client: AdminClient, plans: ItemPlan[]): Promise<void> {
  const owners = new Map<bigint, (RemovedWork | PictureWork)[]>();
  const own = (id: bigint, work: RemovedWork | PictureWork) =>
    owners.set(id, [...(owners.get(id) ?? []), work]);
  for (const plan of plans) {
    for (const work of plan.removed) own(work.row.mediaShopifyId!, work);
    for (const work of plan.pictures)
      if (work.send === "readd" && work.row?.mediaShopifyId) own(work.row.mediaShopifyId, work);
  }
  const ids = [...owners.keys()];
  const deleted = (id: bigint) => {
    for (const work of owners.get(id) ?? []) if (work.kind === "removed") work.deleted = true;
  };
  for (let at = 0; at < ids.length; at += FILES_PER_REQUEST) {
    const batch = ids.slice(at, at + FILES_PER_REQUEST);
    const works = batch.flatMap((id) => owners.get(id) ?? []);
    const answer = await guarded(works, () =>
      client.request(DELETE_FILES, { fileIds: batch.map((id) => gid("MediaImage", id)) }),
    );
    if (!answer) continue;
    if (answer.fileDelete.userErrors.length === 0) {
      batch.forEach(deleted);
      continue;
    }
    // Shopify refuses the whole list for one file (one a merchant deleted already, one being
    // processed): each is asked alone, and one that is gone already is as good as deleted.
    for (const id of batch) {
      const alone = await guarded(owners.get(id) ?? [], () =>
        client.request(DELETE_FILES, { fileIds: [gid("MediaImage", id)] }),
      );
      if (!alone) continue;
      const errors = alone.fileDelete.userErrors;
      if (errors.length === 0 || errors.every((e) => e.code === "FILE_DOES_NOT_EXIST")) deleted(id);
      else
        for (const work of owners.get(id) ?? [])
          work.error ??= new RecordError(`Shopify: the old image was not deleted: ${userWords(errors)}`);
    }
  }
}

async function upload(ctx: Ctx, client: AdminClient, works: PictureWork[]): Promise<void> {
  const sending = works.filter((work) => live(work) && work.send !== "none" && work.send !== "poll");
  if (sending.length === 0) return;
  const answers = await uploadPictures(
    ctx.db,
    client,
    ctx.shop.id,
    sending.map((work) => work.picture),
    { signal: ctx.signal, onUpload: () => ctx.count("uploads") },
  );
  for (const work of sending) {
    const answer = answers.get(work.picture.id) ?? { error: new Error("the picture was not uploaded") };
    if ("changed" in answer) work.changed = true;
    else if ("error" in answer) {
      if (classifyError(answer.error).scope === "run") throw answer.error;
      work.error = answer.error;
    } else {
      work.staged = answer;
      work.uploaded = true;
    }
  }
}

const resourceOf = (work: PictureWork) =>
  work.staged && "resourceUrl" in work.staged ? work.staged.resourceUrl : null;

/** New bytes for media that keep their id: one fileUpdate per batch; a file refused alone is added anew or marked. */
async function replaceContent(client: AdminClient, works: PictureWork[]): Promise<void> {
  const replacing = works.filter((work) => live(work) && work.send === "replace" && resourceOf(work));
  for (let at = 0; at < replacing.length; at += FILES_PER_REQUEST) {
    const batch = replacing.slice(at, at + FILES_PER_REQUEST);
    const files = (list: PictureWork[]) =>
      list.map((work) => ({ id: gid("MediaImage", work.mediaId!), originalSource: resourceOf(work)! }));
    const answer = await guarded(batch, () => client.request(REPLACE_FILES, { files: files(batch) }));
    if (!answer) continue;
    if (answer.fileUpdate.userErrors.length === 0) {
      for (const work of batch) {
        work.status = "UPLOADED";
        work.holds = work.picture.contentHash;
      }
      continue;
    }
    // Refused as a whole for one file: each alone, so the others go on.
    for (const work of batch) {
      const alone = await guarded([work], () => client.request(REPLACE_FILES, { files: files([work]) }));
      if (!alone) continue;
      const errors = alone.fileUpdate.userErrors;
      if (errors.length === 0) {
        work.status = "UPLOADED";
        work.holds = work.picture.contentHash;
      } else if (errors.every((e) => e.code === "FILE_DOES_NOT_EXIST")) {
        // Deleted in Shopify meanwhile (a merchant): the bytes go as a new media instead.
        work.send = "add";
        work.mediaId = null;
        work.holds = null;
        work.status = null;
        work.attached = null;
        work.placed = null;
      } else if (errors.some((e) => e.code === "NON_READY_STATE"))
        work.error = new Error(
          `Shopify is still processing the image's earlier content (${userWords(errors)}); the next run sends it again`,
        );
      else work.error = new RecordError(`Shopify: ${userWords(errors)}`);
    }
  }
}

function addVariables(plan: ItemPlan, adding: PictureWork[]): AddMediaVariables {
  return {
    product: { id: gid("Product", plan.product!.shopifyId) },
    media: adding.map((work) => ({
      originalSource: resourceOf(work)!,
      mediaContentType: "IMAGE" as const,
      alt: plan.variantAlt.get(work.picture.variantCode) ?? plan.alt,
    })),
    added: adding.length,
  };
}

/** Shopify's answer for a product's new media: each work gets its media, in order, or the refusal. */
function settleAdd(adding: PictureWork[], answer: AddMediaData | { errors: string[] }): void {
  if ("errors" in answer) {
    for (const work of adding) work.error ??= new RecordError(`Shopify: ${answer.errors.join("; ")}`);
    return;
  }
  const { product, userErrors } = answer.productUpdate;
  if (userErrors.length > 0 || !product) {
    const words = userWords(userErrors) || "no product came back";
    for (const work of adding) work.error ??= new RecordError(`Shopify: ${words}`);
    return;
  }
  const made = product.media.nodes.slice(-adding.length);
  adding.forEach((work, index) => {
    const media = made[index];
    if (!media) {
      work.error ??= new RecordError("Shopify answered without the new media; the next run sends it again");
      return;
    }
    work.mediaId = numericId(media.id);
    work.holds = work.picture.contentHash;
    work.status = media.status;
    work.mediaErrors = media.mediaErrors;
    work.attached = null;
    work.placed = null;
  });
}

/** Each product's new media with productUpdate `media`: a request each, or one bulk mutation for many. */
async function addMedia(ctx: Ctx, client: AdminClient, plans: ItemPlan[]): Promise<void> {
  const units = plans.flatMap((plan) => {
    const adding = plan.pictures.filter(
      (work) => live(work) && (work.send === "add" || work.send === "readd") && resourceOf(work),
    );
    return adding.length > 0 ? [{ plan, adding }] : [];
  });
  if (units.length < BULK_FROM) {
    for (const { plan, adding } of units) {
      const answer = await guarded(adding, () => client.request(ADD_MEDIA, addVariables(plan, adding)));
      if (answer) settleAdd(adding, answer);
    }
    return;
  }
  ctx.count("bulkMutations");
  const everyWork = units.flatMap((unit) => unit.adding);
  const run = await guarded(everyWork, () =>
    runBulkMutation<AddMediaData, AddMediaVariables>(
      client,
      ADD_MEDIA,
      (function* () {
        for (const { plan, adding } of units) yield addVariables(plan, adding);
      })(),
      { signal: ctx.signal, clientIdentifier: `${IMAGE_TASK}:${ctx.run.id}` },
    ),
  );
  if (!run) return;
  const answered = new Set<number>();
  for await (const line of run.results()) {
    const unit = units[line.lineNumber];
    if (!unit || answered.has(line.lineNumber)) continue;
    answered.add(line.lineNumber);
    settleAdd(
      unit.adding,
      line.data?.productUpdate ? line.data : { errors: line.errors.length ? line.errors : ["no answer"] },
    );
  }
  for (const [index, unit] of units.entries())
    if (!answered.has(index))
      settleAdd(unit.adding, { errors: ["Shopify's bulk operation gave no result for it"] });
}

const pending = (work: PictureWork) =>
  live(work) &&
  work.mediaId !== null &&
  (work.status === null || work.status === "UPLOADED" || work.status === "PROCESSING");

/**
 * Reads the status of every media sent (or still processing since the last run), a request per
 * MEDIA_PER_READ, until each is READY or FAILED or the wait is over; a media Shopify no longer
 * has is marked, and the next run sends its picture again.
 */
async function waitForProcessing(ctx: Ctx, client: AdminClient, works: PictureWork[]): Promise<void> {
  const deadline = Date.now() + PROCESSING_WAIT_MS;
  let pause = FIRST_LOOK_MS;
  for (;;) {
    const waiting = works.filter(pending);
    if (waiting.length === 0 || Date.now() >= deadline || ctx.signal.aborted) return;
    await new Promise((resolve) => setTimeout(resolve, pause));
    pause = Math.min(LONGEST_LOOK_MS, pause * 2);
    for (let at = 0; at < waiting.length; at += MEDIA_PER_READ) {
      const batch = waiting.slice(at, at + MEDIA_PER_READ);
      const answer = await guarded(batch, () =>
        client.request(MEDIA_STATUS, { ids: batch.map((work) => gid("MediaImage", work.mediaId!)) }),
      );
      if (!answer) continue;
      batch.forEach((work, index) => {
        const node = answer.nodes[index];
        if (!node || !("status" in node)) {
          work.mediaId = null;
          work.holds = null;
          work.error = new Error(
            "the image is no longer in Shopify (deleted there); the next run sends it again",
          );
          return;
        }
        work.status = node.status;
        work.mediaErrors = node.mediaErrors;
      });
    }
  }
}

/**
 * Each variant's image: its first picture's media, once READY. Media of ours on a variant they
 * are no longer the image of are detached first (a variant shows one), then the new ones
 * appended: one request each for the product.
 */
async function setVariantImages(client: AdminClient, plan: ItemPlan): Promise<void> {
  const productId = gid("Product", plan.product!.shopifyId);
  const works = plan.pictures.filter((work) => live(work) && work.mediaId !== null);
  const detach = works.filter((work) => work.attached !== null && work.attached !== work.variantTarget);
  const append = works.filter(
    (work) => work.variantTarget !== null && work.attached !== work.variantTarget && work.status === "READY",
  );
  const pairs = (list: PictureWork[], variant: (work: PictureWork) => bigint) =>
    list.map((work) => ({
      variantId: gid("ProductVariant", variant(work)),
      mediaIds: [gid("MediaImage", work.mediaId!)],
    }));
  for (let at = 0; at < detach.length; at += VARIANT_MEDIA_PER_REQUEST) {
    const batch = detach.slice(at, at + VARIANT_MEDIA_PER_REQUEST);
    const answer = await guarded(batch, () =>
      client.request(DETACH_VARIANT_MEDIA, {
        productId,
        variantMedia: pairs(batch, (work) => work.attached!),
      }),
    );
    if (!answer) continue;
    const errors = answer.productVariantDetachMedia.userErrors;
    // Not attached (any more): as good as detached.
    if (errors.length === 0 || errors.every((e) => e.code === "MEDIA_IS_NOT_ATTACHED_TO_VARIANT"))
      for (const work of batch) {
        work.attached = null;
        work.moved = true;
      }
    else for (const work of batch) work.error ??= new RecordError(`Shopify: ${userWords(errors)}`);
  }
  const ready = append.filter(live);
  for (let at = 0; at < ready.length; at += VARIANT_MEDIA_PER_REQUEST) {
    const batch = ready.slice(at, at + VARIANT_MEDIA_PER_REQUEST);
    const answer = await guarded(batch, () =>
      client.request(APPEND_VARIANT_MEDIA, {
        productId,
        variantMedia: pairs(batch, (work) => work.variantTarget!),
      }),
    );
    if (!answer) continue;
    const errors = answer.productVariantAppendMedia.userErrors;
    if (errors.length === 0)
      for (const work of batch) {
        work.attached = work.variantTarget;
        work.moved = true;
      }
    else
      for (const work of batch)
        work.error ??= new RecordError(`Shopify: the image was not made the variant's: ${userWords(errors)}`);
  }
}

/**
 * The product's media in the item's order. Known: the media kept in the order they were last
 * set, then the new ones as appended; when that is not the item's order, every one of ours is
 * moved to its place in turn (so they lead, in order, whatever else the product holds).
 */
async function setOrder(client: AdminClient, plan: ItemPlan): Promise<void> {
  const placed = plan.pictures.filter((work) => work.mediaId !== null);
  const wanted = placed.map((work) => work.mediaId!);
  const kept = placed
    .filter((work) => work.placed !== null)
    .sort((a, b) => a.placed! - b.placed!)
    .map((work) => work.mediaId!);
  const added = placed.filter((work) => work.placed === null).map((work) => work.mediaId!);
  const known = [...kept, ...added];
  const setPlaces = (moved: boolean) =>
    placed.forEach((work, index) => {
      if (moved && work.placed !== null && known.indexOf(work.mediaId!) !== index) work.moved = true;
      work.placed = index + 1;
    });
  if (known.every((id, index) => id === wanted[index])) {
    setPlaces(false);
    return;
  }
  const answer = await guarded(placed, () =>
    client.request(REORDER_MEDIA, {
      id: gid("Product", plan.product!.shopifyId),
      moves: wanted.map((id, index) => ({ id: gid("MediaImage", id), newPosition: String(index) })),
    }),
  );
  if (!answer) return;
  const errors = answer.productReorderMedia.mediaUserErrors;
  if (errors.length > 0) {
    for (const work of placed)
      work.error ??= new RecordError(`Shopify: the images were not put in order: ${userWords(errors)}`);
    return;
  }
  setPlaces(true);
}

/** For settling: a work's failure as the merchant reads it. */
export function mediaErrorWords(work: PictureWork): string {
  const errors = work.mediaErrors.map(
    (error) => `${error.message}${error.details ? ` (${error.details})` : ""} [${error.code}]`,
  );
  return `Shopify could not process the image: ${errors.join("; ") || "it FAILED without a reason given"}`;
}
