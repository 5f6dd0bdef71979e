import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  addItemPicture,
  BackOfficeError,
  changesSince,
  createItem,
  MAX_PICTURE_BYTES,
  moveItemPicture,
  pictureSlices,
  picturesOfItems,
  removeItemPicture,
  replaceItemPicture,
} from "../../app/backoffice/backoffice.server";
import prisma from "../../app/db.server";
import { solidPng } from "../../simulator/resolvers/media-images.server";
import { installedShop } from "../support/shops";

/**
 * Item pictures in the back office: kept whole in Postgres with their type, sha256 and place,
 * written from a stream and read back in slices, and every change in the change feed.
 */

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

async function teeShop() {
  const shop = await installedShop();
  await createItem(prisma, shop.id, {
    no: "TEE",
    description: "Merino Tee",
    unitPrice: "40",
    optionNames: ["Color"],
    variants: [
      { code: "BLK", description: "Black", options: ["Black"] },
      { code: "WHT", description: "White", options: ["White"] },
    ],
  });
  return shop;
}

async function* inChunks(bytes: Uint8Array, size: number) {
  for (let at = 0; at < bytes.length; at += size) yield await Promise.resolve(bytes.subarray(at, at + size));
}

async function bytesOf(shopId: string, picture: { id: string; contentHash: string; byteSize: number }) {
  const parts: Uint8Array[] = [];
  for await (const slice of pictureSlices(prisma, shopId, picture, 100)) parts.push(slice);
  return Buffer.concat(parts);
}

describe("an item's pictures", () => {
  it("are kept in order with their type, size and sha256, a variant's by its code, and read back as written", async () => {
    const shop = await teeShop();
    const front = solidPng(40, 30, [10, 20, 30]);
    const black = solidPng(12, 12, [0, 0, 0]);

    const first = await addItemPicture(prisma, shop.id, {
      itemNo: "TEE",
      filename: "front.PNG",
      content: front,
    });
    // Written from a stream of small chunks, as the CLI reads a file.
    const second = await addItemPicture(prisma, shop.id, {
      itemNo: "TEE",
      variantCode: "BLK",
      filename: "C:\\photos\\black tee.jpeg",
      content: inChunks(black, 7),
    });
    const third = await addItemPicture(prisma, shop.id, {
      itemNo: "TEE",
      filename: "back.png",
      content: front,
      position: 1,
    });

    const pictures = (await picturesOfItems(prisma, shop.id, ["TEE"])).get("TEE")!;
    expect(pictures.map((p) => [p.id, p.position, p.variantCode, p.filename])).toEqual([
      [third.id, 1, "", "back.png"],
      [first.id, 2, "", "front.png"],
      [second.id, 3, "BLK", "black tee.png"],
    ]);
    expect(second).toMatchObject({
      contentType: "image/png",
      byteSize: black.length,
      contentHash: sha256(black),
    });
    expect(await bytesOf(shop.id, second)).toEqual(black);
  });

  it("are replaced in place, moved and removed, the others closing up, each change in the feed", async () => {
    const shop = await teeShop();
    const { snapshot } = await changesSince(prisma, shop.id, "picture", null);
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
    const c = await addItemPicture(prisma, shop.id, {
      itemNo: "TEE",
      filename: "c.png",
      content: solidPng(2, 2, [3, 3, 3]),
    });
    const newer = solidPng(5, 5, [9, 9, 9]);

    const replaced = await replaceItemPicture(prisma, shop.id, b.id, { filename: "b2.png", content: newer });
    expect(replaced).toMatchObject({ id: b.id, position: 2, contentHash: sha256(newer), filename: "b2.png" });
    await moveItemPicture(prisma, shop.id, c.id, 1);
    await removeItemPicture(prisma, shop.id, a.id);

    const pictures = (await picturesOfItems(prisma, shop.id, ["TEE"])).get("TEE")!;
    expect(pictures.map((p) => [p.filename, p.position])).toEqual([
      ["c.png", 1],
      ["b2.png", 2],
    ]);
    const { changes } = await changesSince(prisma, shop.id, "picture", snapshot);
    expect(changes.map((change) => change.key)).toEqual(["TEE"]);
  });

  it("refuse what Shopify would not take, and change nothing", async () => {
    const shop = await teeShop();
    const png = solidPng(2, 2, [1, 2, 3]);
    const refusals: [string, () => Promise<unknown>][] = [
      [
        "the file is not a PNG, JPEG, GIF or WEBP image",
        () =>
          addItemPicture(prisma, shop.id, {
            itemNo: "TEE",
            filename: "notes.png",
            content: Buffer.from("hello"),
          }),
      ],
      [
        "the picture is empty",
        () =>
          addItemPicture(prisma, shop.id, { itemNo: "TEE", filename: "x.png", content: new Uint8Array() }),
      ],
      [
        "item NOPE does not exist",
        () => addItemPicture(prisma, shop.id, { itemNo: "NOPE", filename: "x.png", content: png }),
      ],
      [
        "item TEE has no variant RED",
        () =>
          addItemPicture(prisma, shop.id, {
            itemNo: "TEE",
            variantCode: "RED",
            filename: "x.png",
            content: png,
          }),
      ],
      [
        "a picture is at most 20 MB",
        () =>
          addItemPicture(prisma, shop.id, {
            itemNo: "TEE",
            filename: "huge.png",
            content: inChunks(Buffer.concat([png, Buffer.alloc(MAX_PICTURE_BYTES)]), 4 * 1024 * 1024),
          }),
      ],
    ];
    for (const [message, attempt] of refusals) {
      const error = await attempt().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(BackOfficeError);
      expect((error as Error).message).toContain(message);
    }
    expect(await prisma.boItemPicture.count({ where: { shopId: shop.id } })).toBe(0);
    expect((await changesSince(prisma, shop.id, "picture", null)).changes).toEqual([]);
  });

  it("stop being read once replaced: a reader never mixes two contents", async () => {
    const shop = await teeShop();
    const picture = await addItemPicture(prisma, shop.id, {
      itemNo: "TEE",
      filename: "a.png",
      content: solidPng(30, 30, [1, 2, 3]),
    });
    const reader = pictureSlices(prisma, shop.id, picture, 50);
    await reader.next();
    await replaceItemPicture(prisma, shop.id, picture.id, {
      filename: "a.png",
      content: solidPng(3, 3, [0, 0, 0]),
    });
    await expect(reader.next()).rejects.toThrow("replaced or removed while it was read");
  });
});
