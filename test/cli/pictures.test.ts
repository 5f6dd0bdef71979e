import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createItem } from "../../app/backoffice/backoffice.server";
import prisma from "../../app/db.server";
import { runInForeground } from "../../app/jobs/foreground.server";
import { IMAGE_TASK } from "../../app/sync/images/records.server";
import { addItemsToShopify } from "../../app/sync/products/records.server";
import { syncProductsTask } from "../../app/sync/products/task.server";
import { solidPng } from "../../simulator/resolvers/media-images.server";
import { queuedRuns } from "../kit/jobs";
import { cli } from "../support/cli";
import { installedShop } from "../support/shops";
import { startSimulator, type RunningSimulator } from "../support/simulator";
import { Store } from "../support/store";

/**
 * The CLI's `picture add|replace|move|remove` and `pictures`, run in this process as
 * scripts/cli.ts runs them, and `sync sync_images` sending what they changed to the simulated
 * Shopify.
 */

let simulator: RunningSimulator;
let folder: string;

beforeAll(async () => {
  simulator = await startSimulator(null);
  process.env.SHOPIFY_ADMIN_ORIGIN = simulator.url;
  folder = await mkdtemp(path.join(tmpdir(), "bos-pictures-"));
});
afterAll(async () => {
  await simulator?.close();
  await rm(folder, { recursive: true, force: true });
});

async function file(name: string, bytes: Uint8Array): Promise<string> {
  const full = path.join(folder, name);
  await writeFile(full, bytes);
  return full;
}

async function teeShop() {
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
  await createItem(prisma, shop.id, {
    no: "TEE",
    description: "Merino Tee",
    unitPrice: "40",
    optionNames: ["Color"],
    variants: [{ code: "BLK", description: "Black", options: ["Black"] }],
  });
  await addItemsToShopify(prisma, shop.id, ["TEE"]);
  await runInForeground(prisma, syncProductsTask, { shop: shop.domain, trigger: "manual", filters: {} });
  return { shop, store };
}

const QUEUED = "Syncing images is queued and starts at once; the job list shows its progress.";

describe("npm run cli -- picture", { timeout: 60_000 }, () => {
  it("adds, lists, replaces, moves and removes an item's pictures, and sync sync_images sends them", async () => {
    const { shop, store } = await teeShop();
    const front = await file("front.png", solidPng(30, 20, [200, 0, 0]));
    const black = await file("black.png", solidPng(16, 16, [0, 0, 0]));

    const added = await cli("picture", "add", "TEE", front, "--shop", shop.domain);
    expect(added).toEqual({ code: 0, stdout: `front.png is picture 1 of TEE. ${QUEUED}`, stderr: "" });
    expect(
      (await cli("picture", "add", "TEE", black, "--variant", "BLK", "--shop", shop.domain)).stdout,
    ).toMatch(/^black\.png is picture 2 of TEE \(variant BLK\)\./);
    expect(await queuedRuns(shop, IMAGE_TASK)).toHaveLength(1);

    const listed = await cli("pictures", "TEE", "--shop", shop.domain);
    expect(listed.code).toBe(0);
    const lines = listed.stdout.split("\n");
    expect(lines[0]).toMatch(/^position\s+variant\s+file\s+type\s+size\s+sha256\s+state/);
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^1\s+front\.png\s+image\/png\s+\d+ B\s+[0-9a-f]{12}\s+waiting to be sent$/);
    expect(lines[2]).toMatch(/^2\s+BLK\s+black\.png\s+image\/png/);

    const synced = await cli("sync", "sync_images", "--shop", shop.domain, "--foreground", "--json");
    expect(synced.code).toBe(0);
    expect(JSON.parse(synced.stdout)).toMatchObject({
      status: "succeeded",
      counts: { sent: 2, uploads: 2, mutationRequests: 3 },
    });
    const pictures = JSON.parse((await cli("pictures", "TEE", "--shop", shop.domain, "--json")).stdout) as {
      filename: string;
      state: string;
      mediaId: string | null;
    }[];
    expect(pictures.map((p) => [p.filename, p.state, p.mediaId !== null])).toEqual([
      ["front.png", "synced", true],
      ["black.png", "synced", true],
    ]);

    // Named by the file it was added from, by its position, by its id.
    const green = await file("green.png", solidPng(8, 8, [0, 200, 0]));
    expect((await cli("picture", "replace", "TEE", front, green, "--shop", shop.domain)).stdout).toMatch(
      /^picture 1 of TEE is replaced by green\.png\./,
    );
    expect((await cli("picture", "move", "TEE", "2", "--position", "1", "--shop", shop.domain)).code).toBe(0);
    expect((await cli("picture", "remove", "TEE", pictures[0]!.filename, "--shop", shop.domain)).code).toBe(
      1,
    );
    expect((await cli("sync", "sync_images", "--shop", shop.domain, "--foreground")).code).toBe(0);
    const { products } = await store.graphql<{
      products: { nodes: { media: { nodes: { image: { width: number } | null }[] } }[] };
    }>(
      `query TestMedia { products(first: 1) { nodes { media(first: 10) { nodes { ... on MediaImage { image { width } } } } } } }`,
    );
    expect(products.nodes[0]!.media.nodes.map((m) => m.image?.width)).toEqual([16, 8]);

    expect((await cli("picture", "remove", "TEE", green, "--shop", shop.domain)).stdout).toMatch(
      /^green\.png \(picture 2 of TEE\) is removed\./,
    );
    expect((await cli("picture", "remove", "TEE", "1", "--variant", "BLK", "--shop", shop.domain)).code).toBe(
      0,
    );
    expect(JSON.parse((await cli("pictures", "TEE", "--shop", shop.domain, "--json")).stdout)).toEqual([]);
  });

  it("says what is wrong: a file that is not an image, an unknown item or picture, a bad command", async () => {
    const { shop } = await teeShop();
    const notes = await file("notes.png", Buffer.from("not a picture"));

    expect(await cli("picture", "add", "TEE", notes, "--shop", shop.domain)).toMatchObject({
      code: 1,
      stderr: "error: the file is not a PNG, JPEG, GIF or WEBP image",
    });
    expect(await cli("picture", "add", "NOPE", notes, "--shop", shop.domain)).toMatchObject({
      code: 1,
      stderr: `error: This shop has no item NOPE in the back office.`,
    });
    expect(
      (await cli("picture", "add", "TEE", path.join(folder, "missing.png"), "--shop", shop.domain)).stderr,
    ).toBe(`error: no file ${path.join(folder, "missing.png")}`);
    expect((await cli("picture", "remove", "TEE", "3", "--shop", shop.domain)).stderr).toMatch(
      /^error: TEE has no picture 3 /,
    );
    expect((await cli("picture", "paint", "TEE", "--shop", shop.domain)).code).toBe(2);
    expect((await cli("picture", "add", "TEE", "--shop", shop.domain)).stderr).toMatch(
      /^error: picture add takes <item no> <file>/,
    );
    expect(await prisma.boItemPicture.count({ where: { shopId: shop.id } })).toBe(0);
  });
});
