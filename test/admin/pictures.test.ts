import { describe, expect, it } from "vitest";
import { addItemPicture, createItem } from "../../app/backoffice/backoffice.server";
import prisma from "../../app/db.server";
import type { Shop } from "../../app/generated/prisma/client";
import { action, loader } from "../../app/routes/app.items";
import { markFailed, recordsByKey } from "../../app/sync/kit/outbound.server";
import { linkProduct } from "../../app/sync/products/links.server";
import { IMAGE_TASK, imagesDue } from "../../app/sync/images/records.server";
import { solidPng } from "../../simulator/resolvers/media-images.server";
import { queuedRuns } from "../kit/jobs";
import { adminRequest, answer, callRoute, outcomeOf, sessionToken } from "../support/admin";
import { installedShop } from "../support/shops";

/**
 * The Items page's pictures section: an item's pictures in order with their variant, file,
 * type, size, where the images sync stands with each and Shopify's message in full; a picture
 * added by upload, replaced, moved, removed, and retried after Shopify failed on it, each
 * starting the images sync; and what the page refuses, with a message at the field.
 */

const FAILED =
  "Shopify could not process the image: Media could not be processed because the image could not be processed. (The image's header could not be read.) [IMAGE_PROCESSING_FAILURE]";
const QUEUED = "Syncing images is queued and starts at once; the job list shows its progress.";

type Answer = { ok: boolean; message?: string; error?: string; fields?: Record<string, string> };

/** The page's upload form, posted as the browser does (multipart, the file as it is). */
function upload(shop: Shop, fields: Record<string, string>, file?: { name: string; bytes: Uint8Array }) {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  if (file) form.append("file", new File([new Uint8Array(file.bytes)], file.name, { type: "image/png" }));
  const url = new URL("/app/items", "http://127.0.0.1:3999");
  url.searchParams.set("shop", shop.domain);
  return new Request(url, {
    method: "POST",
    headers: { authorization: `Bearer ${sessionToken(shop.domain)}` },
    body: form,
  });
}

const post = async (request: Request) => answer<Answer>(await callRoute(action, request));
const act = (shop: Shop, form: Record<string, string>) => post(adminRequest(shop.domain, "/app/items", form));
const page = (shop: Shop, query: string) =>
  callRoute(loader, adminRequest(shop.domain, `/app/items${query}`));

async function teeShop(syncImages = "to_shopify") {
  const shop = await installedShop();
  await prisma.shopSettings.update({
    where: { shopId: shop.id },
    data: { syncItems: "to_shopify", syncImages },
  });
  await createItem(prisma, shop.id, {
    no: "TEE",
    description: "Merino Tee",
    unitPrice: "40",
    optionNames: ["Color"],
    variants: [{ code: "BLK", description: "Black", options: ["Black"] }],
  });
  await linkProduct(prisma, shop.id, {
    shopifyId: 5001n,
    title: "Merino Tee",
    status: "ACTIVE",
    itemNo: "TEE",
  });
  return shop;
}

/** What the images sync leaves when Shopify failed on the picture. */
async function failedOnShopify(shop: Shop, picture: { id: string; contentHash: string }) {
  await prisma.shopifyMediaMap.create({
    data: {
      shopId: shop.id,
      pictureId: picture.id,
      itemNo: "TEE",
      productShopifyId: 5001n,
      mediaShopifyId: 7001n,
      contentHash: picture.contentHash,
      position: 1,
      mediaStatus: "FAILED",
      state: "error",
      message: FAILED,
      attempts: 1,
    },
  });
  await imagesDue(prisma, shop.id, ["TEE"]);
  const record = (await recordsByKey(prisma, shop.id, IMAGE_TASK, ["TEE"])).get("TEE")!;
  await markFailed(prisma, record, `1 picture not sent: picture 1 (front.png): ${FAILED}`);
}

describe("the Items page's pictures", () => {
  it("are added by upload, in order, a variant's by its code, each queuing the images sync", async () => {
    const shop = await teeShop();

    const first = await post(
      upload(
        shop,
        { intent: "addPicture", itemNo: "TEE" },
        { name: "front.png", bytes: solidPng(4, 4, [1, 2, 3]) },
      ),
    );
    const second = await post(
      upload(
        shop,
        { intent: "addPicture", itemNo: "TEE", variantCode: "BLK", position: "1" },
        { name: "black.png", bytes: solidPng(2, 2, [0, 0, 0]) },
      ),
    );

    expect(first).toEqual({
      status: 200,
      body: { ok: true, message: `front.png is picture 1 of TEE. ${QUEUED}` },
    });
    expect(second.body.message).toBe(
      "black.png is picture 1 of TEE (variant BLK). Syncing images was already queued and will include this; the job list shows its progress.",
    );
    expect(await queuedRuns(shop, IMAGE_TASK)).toHaveLength(1);

    const shown = await page(shop, "?pictures=TEE");
    expect(shown.pictures).toEqual({ TEE: { count: 2, failed: 0 } });
    expect(shown.section).toMatchObject({
      itemNo: "TEE",
      description: "Merino Tee",
      variants: [{ code: "BLK", description: "Black" }],
      syncImages: "to_shopify",
    });
    expect(
      shown.section!.pictures.map((p) => [
        p.position,
        p.variantCode,
        p.filename,
        p.contentType,
        p.stateWords,
      ]),
    ).toEqual([
      [1, "BLK", "black.png", "image/png", "waiting to be sent"],
      [2, null, "front.png", "image/png", "waiting to be sent"],
    ]);
    expect(shown.section!.pictures[1]!.size).toMatch(/^\d+ B$/);
  });

  it("show Shopify's message in full for a picture it failed on, which Retry sends again", async () => {
    const shop = await teeShop();
    const picture = await addItemPicture(prisma, shop.id, {
      itemNo: "TEE",
      filename: "front.png",
      content: solidPng(4, 4, [1, 2, 3]),
    });
    await failedOnShopify(shop, picture);

    const shown = await page(shop, "?pictures=TEE");
    expect(shown.pictures.TEE).toEqual({ count: 1, failed: 1 });
    expect(shown.section!.pictures[0]).toMatchObject({
      state: "error",
      stateWords: "failed",
      message: FAILED,
      attempts: 1,
      mediaId: "7001",
      mediaStatus: "FAILED",
    });

    const retried = await act(shop, { intent: "retryPicture", pictureId: picture.id });
    expect(retried).toEqual({
      status: 200,
      body: { ok: true, message: `picture 1 of TEE is waiting to be sent to Shopify again. ${QUEUED}` },
    });
    const map = await prisma.shopifyMediaMap.findUniqueOrThrow({
      where: { shopId_pictureId: { shopId: shop.id, pictureId: picture.id } },
    });
    // Due again; what happened last time stays to be read.
    expect(map).toMatchObject({ state: "pending", message: FAILED, attempts: 1 });
    expect((await recordsByKey(prisma, shop.id, IMAGE_TASK, ["TEE"])).get("TEE")).toMatchObject({
      state: "pending",
    });

    const again = await act(shop, { intent: "retryPicture", pictureId: picture.id });
    expect(again.status).toBe(409);
    expect(again.body.error).toBe("picture 1 of TEE has not failed; only a failed picture can be retried.");
  });

  it("are replaced, moved and removed", async () => {
    const shop = await teeShop();
    const a = await addItemPicture(prisma, shop.id, {
      itemNo: "TEE",
      filename: "a.png",
      content: solidPng(2, 2, [1, 1, 1]),
    });
    const b = await addItemPicture(prisma, shop.id, {
      itemNo: "TEE",
      filename: "b.png",
      content: solidPng(2, 2, [2, 2, 2]),
    });
    const newer = solidPng(9, 9, [9, 9, 9]);

    const replaced = await post(
      upload(shop, { intent: "replacePicture", pictureId: a.id }, { name: "a-new.png", bytes: newer }),
    );
    expect(replaced.body.message).toBe(`picture 1 of TEE is replaced by a-new.png. ${QUEUED}`);
    expect((await act(shop, { intent: "movePicture", pictureId: b.id, position: "1" })).body.ok).toBe(true);
    const removed = await act(shop, { intent: "removePicture", pictureId: a.id });
    expect(removed.body.message).toMatch(/^a-new\.png \(picture 2 of TEE\) is removed\. /);

    const shown = await page(shop, "?pictures=TEE");
    expect(shown.section!.pictures.map((p) => [p.id, p.position, p.filename])).toEqual([[b.id, 1, "b.png"]]);
  });

  it("stay in the back office while Sync images is not to Shopify, and Retry is refused", async () => {
    const shop = await teeShop("off");
    const added = await post(
      upload(
        shop,
        { intent: "addPicture", itemNo: "TEE" },
        { name: "a.png", bytes: solidPng(2, 2, [1, 1, 1]) },
      ),
    );
    expect(added.body.message).toBe(
      'a.png is picture 1 of TEE. Sync images is not "To Shopify": it stays in the back office.',
    );
    expect(await queuedRuns(shop, IMAGE_TASK)).toEqual([]);
    const picture = (await prisma.boItemPicture.findFirstOrThrow({ where: { shopId: shop.id } })).id;
    expect((await page(shop, "?pictures=TEE")).section!.pictures[0]!.stateWords).toBe(
      "not sent: Sync images is off",
    );
    const retry = await act(shop, { intent: "retryPicture", pictureId: picture });
    expect(retry.status).toBe(409);
    expect(retry.body.error).toContain('the setting "Sync images" is "Off"');
  });

  it("refuse a wrong upload with a message at its field, and change nothing", async () => {
    const shop = await teeShop();
    const other = await teeShop();
    const theirs = await addItemPicture(prisma, other.id, {
      itemNo: "TEE",
      filename: "x.png",
      content: solidPng(2, 2, [1, 1, 1]),
    });
    const png = { name: "p.png", bytes: solidPng(2, 2, [5, 5, 5]) };
    const cases: [Request, number, string, string][] = [
      [upload(shop, { intent: "addPicture", itemNo: "TEE" }), 400, "file", "choose a picture file to upload"],
      [
        upload(
          shop,
          { intent: "addPicture", itemNo: "TEE" },
          { name: "notes.png", bytes: Buffer.from("not an image") },
        ),
        400,
        "file",
        "the file is not a PNG, JPEG, GIF or WEBP image",
      ],
      [
        upload(shop, { intent: "addPicture", itemNo: "TEE", variantCode: "RED" }, png),
        400,
        "file",
        "item TEE has no variant RED",
      ],
      [upload(shop, { intent: "addPicture", itemNo: "NOPE" }, png), 404, "itemNo", "not found"],
      [
        upload(shop, { intent: "addPicture", itemNo: "TEE", position: "0" }, png),
        400,
        "position",
        "a position is a whole number from 1",
      ],
      [upload(shop, { intent: "replacePicture", pictureId: theirs.id }, png), 404, "pictureId", "not found"],
      [
        upload(shop, { intent: "removePicture", pictureId: "not-an-id" }),
        400,
        "pictureId",
        "choose a picture",
      ],
    ];
    for (const [request, status, field, message] of cases) {
      const result = await post(request);
      expect(result.status, message).toBe(status);
      expect(result.body.fields?.[field]).toBe(message);
    }
    // An upload larger than a picture may be is refused before it is read.
    const huge = adminRequest(shop.domain, "/app/items", { intent: "addPicture", itemNo: "TEE" });
    const tooLarge = new Request(huge, {
      headers: { ...Object.fromEntries(huge.headers), "content-length": String(30 * 1024 * 1024) },
    });
    const refused = await post(tooLarge);
    expect(refused.status).toBe(400);
    expect(refused.body.fields).toEqual({ file: "at most 20 MB" });
    expect(await prisma.boItemPicture.count({ where: { shopId: shop.id } })).toBe(0);
    expect((await prisma.boItemPicture.findUniqueOrThrow({ where: { id: theirs.id } })).filename).toBe(
      "x.png",
    );

    expect(await outcomeOf(page(shop, "?pictures=NOPE"))).toEqual({
      status: 404,
      text: "This shop has no item NOPE in the back office.",
    });
  });
});
