import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addItemPicture,
  createItem,
  moveItemPicture,
  removeItemPicture,
  replaceItemPicture,
} from "../../app/backoffice/backoffice.server";
import prisma from "../../app/db.server";
import { runInForeground } from "../../app/jobs/foreground.server";
import { ringBackOffice } from "../../app/sync/backoffice-doorbell.server";
import { syncImagesTask } from "../../app/sync/images/task.server";
import { IMAGE_TASK, NOT_LINKED } from "../../app/sync/images/records.server";
import { addItemsToShopify } from "../../app/sync/products/records.server";
import { syncProductsTask } from "../../app/sync/products/task.server";
import { solidPng } from "../../simulator/resolvers/media-images.server";
import { installedShop } from "../support/shops";
import { startSimulator, type RunningSimulator } from "../support/simulator";
import { Store } from "../support/store";

/**
 * Item pictures → product and variant images against the simulated Shopify and real Postgres:
 * a picture added appears on its product (and its variant), in order; replacing one replaces
 * the product's media; removing one removes it; an unchanged picture is not sent again (a second
 * run uploads nothing and sends no mutation); an image Shopify fails to process is marked with
 * Shopify's message and sent again by a retry; many products at once go as one bulk mutation.
 */

let simulator: RunningSimulator;

beforeAll(async () => {
  simulator = await startSimulator(null);
  process.env.SHOPIFY_ADMIN_ORIGIN = simulator.url;
});
afterAll(() => simulator?.close());

interface MediaView {
  id: string;
  alt: string;
  status: string;
  mediaErrors: { code: string; message: string }[];
  image: { url: string; width: number; height: number } | null;
}

const RED = solidPng(30, 20, [220, 20, 20]);
const GREEN = solidPng(20, 20, [20, 200, 20]);
const BLUE = solidPng(10, 40, [20, 20, 220]);
const BLACK = solidPng(16, 16, [0, 0, 0]);

async function imagesShop() {
  const shop = await installedShop();
  const store = new Store(simulator, shop.domain);
  await prisma.session.update({
    where: { id: `offline_${shop.domain}` },
    data: { accessToken: store.token },
  });
  await prisma.shopSettings.update({
    where: { shopId: shop.id },
    data: { syncItems: "to_shopify", syncImages: "to_shopify", productMapping: "item_no_variant_code" },
  });
  const request = { shop: shop.domain, trigger: "manual" as const };
  const run = (filters: Record<string, unknown> = {}) =>
    runInForeground(prisma, syncImagesTask, { ...request, filters });
  const products = () => runInForeground(prisma, syncProductsTask, { ...request, filters: {} });
  /** The product's media in order, and each variant's media, as Shopify has them. */
  const shopify = async (itemNo: string) => {
    const link = await prisma.shopifyProduct.findFirstOrThrow({ where: { shopId: shop.id, itemNo } });
    const { product } = await store.graphql<{
      product: {
        media: { nodes: MediaView[] };
        variants: { nodes: { sku: string; media: { nodes: { id: string }[] } }[] };
      };
    }>(
      `query TestMedia($id: ID!) { product(id: $id) {
        media(first: 50) { nodes { id alt status mediaErrors { code message }
          ... on MediaImage { image { url width height } } } }
        variants(first: 20) { nodes { sku media(first: 5) { nodes { id } } } }
      } }`,
      { id: `gid://shopify/Product/${link.shopifyId}` },
    );
    return product;
  };
  /** The image's size as Shopify serves it: which picture it is. */
  const sizes = async (itemNo: string) =>
    (await shopify(itemNo)).media.nodes.map((media) =>
      media.image ? `${media.image.width}x${media.image.height}` : media.status,
    );
  const fetchImage = async (url: string) =>
    Buffer.from(await (await fetch(new URL(url, simulator.url))).arrayBuffer());
  return { shop, store, run, products, shopify, sizes, fetchImage };
}

async function teeOnShopify(env: Awaited<ReturnType<typeof imagesShop>>) {
  await createItem(prisma, env.shop.id, {
    no: "TEE",
    description: "Merino Tee",
    unitPrice: "40",
    optionNames: ["Color"],
    variants: [
      { code: "BLK", description: "Black", options: ["Black"] },
      { code: "WHT", description: "White", options: ["White"] },
    ],
  });
  await addItemsToShopify(prisma, env.shop.id, ["TEE"]);
  expect(await env.products()).toMatchObject({ status: "succeeded", counts: { created: 1 } });
}

const counts = (run: { counts: unknown }) => run.counts as Record<string, number>;

const mapOf = (shopId: string, pictureId: string) =>
  prisma.shopifyMediaMap.findUniqueOrThrow({ where: { shopId_pictureId: { shopId, pictureId } } });

describe("pictures of an item on Shopify", () => {
  it("appear on its product in order, a variant's on its variant; a second run sends nothing", async () => {
    const env = await imagesShop();
    await teeOnShopify(env);
    const front = await addItemPicture(prisma, env.shop.id, {
      itemNo: "TEE",
      filename: "front.png",
      content: RED,
    });
    await addItemPicture(prisma, env.shop.id, { itemNo: "TEE", filename: "back.png", content: GREEN });
    const black = await addItemPicture(prisma, env.shop.id, {
      itemNo: "TEE",
      variantCode: "BLK",
      filename: "black.png",
      content: BLACK,
    });

    const first = await env.run();

    expect(first).toMatchObject({ status: "succeeded", counts: { sent: 3, uploads: 3 } });
    // Staging the three uploads, the product's media, the black variant's image.
    expect(first.counts).toMatchObject({ mutationRequests: 3 });
    expect(counts(first).requestedPoints).toBeGreaterThan(0);
    expect(counts(first).actualPoints).toBeGreaterThan(0);
    expect(await env.sizes("TEE")).toEqual(["30x20", "20x20", "16x16"]);
    const product = await env.shopify("TEE");
    expect(product.media.nodes.map((media) => media.alt)).toEqual([
      "Merino Tee",
      "Merino Tee",
      "Merino Tee - Black",
    ]);
    const [, , blackMedia] = product.media.nodes;
    expect(
      product.variants.nodes.map((variant) => [variant.sku, variant.media.nodes.map((m) => m.id)]),
    ).toEqual([
      ["TEE-BLK", [blackMedia!.id]],
      ["TEE-WHT", []],
    ]);
    // Shopify serves the very bytes the back office holds.
    expect(await env.fetchImage(product.media.nodes[0]!.image!.url)).toEqual(RED);
    expect(await mapOf(env.shop.id, black.id)).toMatchObject({
      state: "synced",
      mediaStatus: "READY",
      position: 3,
      contentHash: black.contentHash,
    });
    expect(await mapOf(env.shop.id, front.id)).toMatchObject({ state: "synced", variantShopifyId: null });

    const second = await env.run();
    expect(second).toMatchObject({ status: "succeeded" });
    expect(counts(second).uploads ?? 0).toBe(0);
    expect(counts(second).mutationRequests ?? 0).toBe(0);

    // Named on the request page, the item is compared again: still nothing to send.
    const asked = await env.run({ itemNos: "TEE" });
    expect(asked.counts).toMatchObject({ unchanged: 3 });
    expect(counts(asked).uploads ?? 0).toBe(0);
    expect(counts(asked).mutationRequests ?? 0).toBe(0);
  });

  it("replaced, replace the product's media in place; moved, reorder it; removed, leave it", async () => {
    const env = await imagesShop();
    await teeOnShopify(env);
    const a = await addItemPicture(prisma, env.shop.id, { itemNo: "TEE", filename: "a.png", content: RED });
    const b = await addItemPicture(prisma, env.shop.id, { itemNo: "TEE", filename: "b.png", content: GREEN });
    await env.run();
    const before = await env.shopify("TEE");

    await replaceItemPicture(prisma, env.shop.id, a.id, { filename: "a.png", content: BLUE });
    const replaced = await env.run();
    expect(replaced).toMatchObject({ status: "succeeded", counts: { sent: 1, unchanged: 1, uploads: 1 } });
    const after = await env.shopify("TEE");
    // The same media, with the new image, still first.
    expect(after.media.nodes.map((m) => m.id)).toEqual(before.media.nodes.map((m) => m.id));
    expect(await env.sizes("TEE")).toEqual(["10x40", "20x20"]);

    await moveItemPicture(prisma, env.shop.id, b.id, 1);
    const moved = await env.run();
    expect(moved).toMatchObject({ status: "succeeded", counts: { updated: 2 } });
    expect(counts(moved).uploads ?? 0).toBe(0);
    expect(await env.sizes("TEE")).toEqual(["20x20", "10x40"]);

    const added = await addItemPicture(prisma, env.shop.id, {
      itemNo: "TEE",
      filename: "c.png",
      content: RED,
      position: 1,
    });
    expect((await env.run()).counts).toMatchObject({ sent: 1, uploads: 1 });
    expect(await env.sizes("TEE")).toEqual(["30x20", "20x20", "10x40"]);

    await removeItemPicture(prisma, env.shop.id, b.id);
    await removeItemPicture(prisma, env.shop.id, added.id);
    const removed = await env.run();
    expect(removed).toMatchObject({ status: "succeeded", counts: { removed: 2, unchanged: 1 } });
    expect(counts(removed).uploads ?? 0).toBe(0);
    expect(await env.sizes("TEE")).toEqual(["10x40"]);
    expect(await prisma.shopifyMediaMap.count({ where: { shopId: env.shop.id } })).toBe(1);
  });

  it("of a variant: its first picture is its image, through a replace and a new first picture", async () => {
    const env = await imagesShop();
    await teeOnShopify(env);
    const older = await addItemPicture(prisma, env.shop.id, {
      itemNo: "TEE",
      variantCode: "BLK",
      filename: "black.png",
      content: BLACK,
    });
    await env.run();
    const variantMedia = async () =>
      (await env.shopify("TEE")).variants.nodes.map((variant) => variant.media.nodes.map((m) => m.id));
    const [first] = (await env.shopify("TEE")).media.nodes;
    expect(await variantMedia()).toEqual([[first!.id], []]);

    // New bytes: the same media, still the variant's image, no variant request.
    await replaceItemPicture(prisma, env.shop.id, older.id, { filename: "black.png", content: BLUE });
    const replaced = await env.run();
    expect(replaced.counts).toMatchObject({ sent: 1, mutationRequests: 2 });
    expect(await variantMedia()).toEqual([[first!.id], []]);

    // A new first picture of the variant takes its place there; the older one stays on the product.
    await addItemPicture(prisma, env.shop.id, {
      itemNo: "TEE",
      variantCode: "BLK",
      filename: "black-front.png",
      content: GREEN,
      position: 1,
    });
    expect((await env.run()).status).toBe("succeeded");
    const product = await env.shopify("TEE");
    expect(await env.sizes("TEE")).toEqual(["20x20", "10x40"]);
    expect(await variantMedia()).toEqual([[product.media.nodes[0]!.id], []]);
    expect(await mapOf(env.shop.id, older.id)).toMatchObject({ variantShopifyId: null, position: 2 });
  });

  it("that Shopify fails to process are marked with Shopify's message, fail the run, and go on a retry", async () => {
    const env = await imagesShop();
    await teeOnShopify(env);
    const control = (path: string, body: unknown) =>
      fetch(`${simulator.url}/_sim/shops/${env.shop.domain}/${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const failing = await addItemPicture(prisma, env.shop.id, {
      itemNo: "TEE",
      filename: "first.png",
      content: RED,
    });
    await control("media/faults", { failNext: 1, code: "IMAGE_PROCESSING_FAILURE" });
    const other = await addItemPicture(prisma, env.shop.id, {
      itemNo: "TEE",
      filename: "second.png",
      content: GREEN,
    });

    const failed = await env.run();

    expect(failed.status).toBe("failed");
    expect(failed.counts).toMatchObject({ sent: 1, failed: 1 });
    const message =
      "Shopify could not process the image: Media could not be processed because the image could not be processed. [IMAGE_PROCESSING_FAILURE]";
    expect(failed.error).toContain(message);
    // The fault took the first media processed; the other went on.
    const maps = await prisma.shopifyMediaMap.findMany({
      where: { shopId: env.shop.id },
      orderBy: { position: "asc" },
    });
    expect(maps.map((m) => [m.pictureId, m.state, m.mediaStatus, m.message])).toEqual([
      [failing.id, "error", "FAILED", message],
      [other.id, "synced", "READY", null],
    ]);
    const record = await prisma.syncRecord.findUniqueOrThrow({
      where: { shopId_task_recordKey: { shopId: env.shop.id, task: IMAGE_TASK, recordKey: "TEE" } },
    });
    expect(record).toMatchObject({ state: "error", attempts: 1 });
    expect(record.message).toContain(`picture 1 (first.png): ${message}`);

    const retried = await env.run();

    // Its new media is appended, then put first again: the other picture moves back to second.
    expect(retried).toMatchObject({ status: "succeeded", counts: { sent: 1, updated: 1, uploads: 1 } });
    const product = await env.shopify("TEE");
    // The failed media is gone.
    expect(product.media.nodes.map((m) => m.status)).toEqual(["READY", "READY"]);
    expect(await env.sizes("TEE")).toEqual(["30x20", "20x20"]);
    expect(await mapOf(env.shop.id, failing.id)).toMatchObject({
      state: "synced",
      message: null,
      attempts: 1,
    });
  });

  it("of an item without a product wait for it, and go once the products sync made it", async () => {
    const env = await imagesShop();
    await createItem(prisma, env.shop.id, { no: "CAP", description: "Wool cap", unitPrice: "15" });
    const picture = await addItemPicture(prisma, env.shop.id, {
      itemNo: "CAP",
      filename: "cap.png",
      content: RED,
    });

    // Collected skipped, with the reason: nothing waits for a run that has nothing to do.
    const early = await env.run();
    expect(early).toMatchObject({ status: "succeeded", counts: {} });
    const record = await prisma.syncRecord.findUniqueOrThrow({
      where: { shopId_task_recordKey: { shopId: env.shop.id, task: IMAGE_TASK, recordKey: "CAP" } },
    });
    expect(record).toMatchObject({ state: "skipped", message: NOT_LINKED });

    await addItemsToShopify(prisma, env.shop.id, ["CAP"]);
    await env.products();
    // The products sync queued the images sync for the item that waited; run here.
    const queued = await prisma.syncRun.findMany({
      where: { shopId: env.shop.id, task: IMAGE_TASK, status: "queued" },
    });
    expect(queued).toHaveLength(1);
    const late = await env.run();
    expect(late).toMatchObject({ status: "succeeded", counts: { sent: 1, relinked: 1 } });
    expect(await env.sizes("CAP")).toEqual(["30x20"]);
    expect(await mapOf(env.shop.id, picture.id)).toMatchObject({ state: "synced" });
  });
});

describe("a picture changed in the back office", () => {
  it("rings the images sync: one waiting run per shop however many changes, none when images are off", async () => {
    const env = await imagesShop();
    await teeOnShopify(env);
    await addItemPicture(prisma, env.shop.id, { itemNo: "TEE", filename: "a.png", content: RED });
    await addItemPicture(prisma, env.shop.id, { itemNo: "TEE", filename: "b.png", content: GREEN });

    expect(await ringBackOffice(prisma, { shopId: env.shop.id, entity: "picture" })).toBe(1);
    expect(await ringBackOffice(prisma, { shopId: env.shop.id, entity: "picture" })).toBe(1);
    const waiting = await prisma.syncRun.findMany({
      where: { shopId: env.shop.id, task: IMAGE_TASK, status: "queued" },
    });
    expect(waiting.map((run) => run.trigger)).toEqual(["back_office"]);

    await prisma.shopSettings.update({ where: { shopId: env.shop.id }, data: { syncImages: "off" } });
    const other = await imagesShop();
    await prisma.shopSettings.update({ where: { shopId: other.shop.id }, data: { syncImages: "off" } });
    expect(await ringBackOffice(prisma, { shopId: other.shop.id, entity: "picture" })).toBe(0);
  });
});

describe("pictures of many products", () => {
  it("go as one bulk mutation, streamed from the database", async () => {
    const env = await imagesShop();
    const nos = Array.from({ length: 22 }, (_, i) => `PIC-${String(i + 1).padStart(2, "0")}`);
    for (const no of nos) {
      await createItem(prisma, env.shop.id, { no, description: `Picture item ${no}`, unitPrice: "5" });
      await addItemPicture(prisma, env.shop.id, {
        itemNo: no,
        filename: `${no}.png`,
        content: solidPng(8, 8, [1, 2, 3]),
      });
    }
    await addItemsToShopify(prisma, env.shop.id, nos);
    await env.products();

    const run = await env.run();

    // One staged upload target request, the bulk mutation's own staging and its start.
    expect(run).toMatchObject({
      status: "succeeded",
      counts: { sent: 22, uploads: 22, bulkMutations: 1, mutationRequests: 3 },
    });
    expect(await env.sizes("PIC-22")).toEqual(["8x8"]);
  });
});
