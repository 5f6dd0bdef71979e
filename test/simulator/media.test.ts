/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-explicit-any -- GraphQL and control API answers are untyped JSON here; the assertions check their shape. */
import { afterEach, describe, expect, it } from "vitest";
import { createSimulatorServer, listen } from "../../simulator/http/server.server";
import { bulkOperationsSettled } from "../../simulator/resolvers/bulk-operations.server";
import { solidPng } from "../../simulator/resolvers/media-images.server";
import { mediaSettled } from "../../simulator/resolvers/media-processing.server";
import { seedCatalog } from "../../simulator/seed/catalog.server";
import { seededRandom } from "../../simulator/simulator.server";
import { testSimulator } from "../../simulator/testing.server";
import { webhookSchemaErrors } from "../support/webhook-schemas";

/**
 * Product images on the simulator as the app meets them on Shopify: staged uploads to the
 * simulator's own bucket, media made from them by productSet / productUpdate, processed from
 * UPLOADED to READY (or FAILED with mediaErrors for bytes that are not an image), served at their
 * image URL; variant images; removing and reordering; the products/update webhooks; the control
 * API's merchant uploads, processing steps and faults; a bulk query over products and media.
 */

const DOMAIN = "media-test.myshopify.com";
const PNG = solidPng(3, 2, [200, 30, 30]);
const PNG_BLUE = solidPng(4, 4, [0, 0, 255]);

/** The smallest JPEG header the simulator reads a size from: SOI, APP0, SOF0 (height, width), EOI. */
function jpeg(width: number, height: number): Buffer {
  return Buffer.from([
    0xff,
    0xd8,
    0xff,
    0xe0,
    0x00,
    0x10,
    0x4a,
    0x46,
    0x49,
    0x46,
    0x00,
    0x01,
    0x01,
    0x00,
    0x00,
    0x01,
    0x00,
    0x01,
    0x00,
    0x00,
    0xff,
    0xc0,
    0x00,
    0x11,
    0x08,
    height >> 8,
    height & 255,
    width >> 8,
    width & 255,
    0x03,
    0x01,
    0x22,
    0x00,
    0x02,
    0x11,
    0x01,
    0x03,
    0x11,
    0x01,
    0xff,
    0xd9,
  ]);
}

function gif(width: number, height: number): Buffer {
  const bytes = Buffer.alloc(13);
  bytes.write("GIF89a", 0, "ascii");
  bytes.writeUInt16LE(width, 6);
  bytes.writeUInt16LE(height, 8);
  return bytes;
}

/** A lossless WEBP header: RIFF, WEBP, the VP8L chunk with its 14-bit width and height less one. */
function webp(width: number, height: number): Buffer {
  const bytes = Buffer.alloc(30);
  bytes.write("RIFF", 0, "ascii");
  bytes.writeUInt32LE(22, 4);
  bytes.write("WEBPVP8L", 8, "ascii");
  bytes.writeUInt32LE(10, 16);
  bytes[20] = 0x2f;
  bytes.writeUInt32LE(((width - 1) & 0x3fff) | (((height - 1) & 0x3fff) << 14), 21);
  return bytes;
}

const servers: ReturnType<typeof createSimulatorServer>[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

async function served() {
  const sim = testSimulator();
  const shop = sim.shop(DOMAIN);
  seedCatalog(shop, { locations: 1, products: 0, variantsPerProduct: 0 }, seededRandom(5), sim.clock.now());
  const sent: { topic: string; payload: any }[] = [];
  sim.emit = (target, topic, payload) => {
    if (target === shop) sent.push({ topic, payload: JSON.parse(JSON.stringify(payload)) });
  };
  const server = createSimulatorServer(sim);
  servers.push(server);
  const port = await listen(server, 0);
  const base = `http://127.0.0.1:${port}`;
  const raw = async (query: string, variables: Record<string, unknown> = {}): Promise<any> => {
    const response = await fetch(`${base}/shops/${DOMAIN}/admin/api/2026-07/graphql.json`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-shopify-access-token": "shpat_test_token" },
      body: JSON.stringify({ query, variables }),
    });
    return response.json();
  };
  const gql = async (query: string, variables: Record<string, unknown> = {}): Promise<any> => {
    const body = await raw(query, variables);
    expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
    return body.data;
  };
  const control = async (path: string, body?: unknown, method = "POST"): Promise<any> => {
    const response = await fetch(`${base}/_sim/${path}`, {
      method,
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  };
  const stage = async (
    filename = "front.png",
    mimeType = "image/png",
    httpMethod: string | null = "POST",
  ) => {
    const data = await gql(STAGE, {
      input: [{ resource: "IMAGE", filename, mimeType, ...(httpMethod ? { httpMethod } : {}) }],
    });
    expect(data.stagedUploadsCreate.userErrors).toEqual([]);
    return data.stagedUploadsCreate.stagedTargets[0] as Target;
  };
  const post = (target: Target, bytes: Uint8Array | null, change: Record<string, string> = {}) => {
    const form = new FormData();
    for (const { name, value } of target.parameters) form.append(name, change[name] ?? value);
    if (bytes) form.append("file", new Blob([new Uint8Array(bytes)]), "front.png");
    return fetch(target.url, { method: "POST", body: form });
  };
  /** Stages and uploads an image; its resourceUrl. */
  const upload = async (bytes: Uint8Array, filename = "front.png") => {
    const target = await stage(filename);
    expect((await post(target, bytes)).status).toBe(201);
    return target.resourceUrl;
  };
  const createProduct = async (title = "Trail Shirt", variants: string[] = []) => {
    const input: Record<string, unknown> = { title };
    if (variants.length > 0) {
      input.productOptions = [{ name: "Color", values: variants.map((name) => ({ name })) }];
      input.variants = variants.map((name) => ({ optionValues: [{ optionName: "Color", name }] }));
    }
    const data = await gql(SET, { input });
    expect(data.productSet.userErrors).toEqual([]);
    return data.productSet.product;
  };
  const media = async (productId: string) =>
    (await gql(PRODUCT_MEDIA, { id: productId })).product.media.nodes as any[];
  return { sim, shop, sent, base, raw, gql, control, stage, post, upload, createProduct, media };
}

interface Target {
  url: string;
  resourceUrl: string;
  parameters: { name: string; value: string }[];
}

const STAGE = `mutation Stage($input: [StagedUploadInput!]!) {
  stagedUploadsCreate(input: $input) { stagedTargets { url resourceUrl parameters { name value } } userErrors { field message } }
}`;

const MEDIA_FIELDS = `... on MediaImage {
  id alt status mimeType fileStatus
  mediaErrors { code message details }
  fileErrors { code message details }
  image { url width height altText }
  preview { status image { url } }
}`;

const SET = `mutation Set($input: ProductSetInput!, $identifier: ProductSetIdentifiers) {
  productSet(input: $input, identifier: $identifier, synchronous: true) {
    product { id variants(first: 10) { nodes { id title } } media(first: 20) { nodes { ${MEDIA_FIELDS} } } }
    userErrors { field message code }
  }
}`;

const PRODUCT_MEDIA = `query P($id: ID!) {
  product(id: $id) {
    media(first: 50) { nodes { ${MEDIA_FIELDS} } }
    variants(first: 10) { nodes { id media(first: 5) { nodes { id } } } }
  }
}`;

const APPEND = `mutation Append($productId: ID!, $variantMedia: [ProductVariantAppendMediaInput!]!) {
  productVariantAppendMedia(productId: $productId, variantMedia: $variantMedia) {
    product { id } productVariants { id media(first: 5) { nodes { id } } } userErrors { field message code }
  }
}`;

const DETACH = `mutation Detach($productId: ID!, $variantMedia: [ProductVariantDetachMediaInput!]!) {
  productVariantDetachMedia(productId: $productId, variantMedia: $variantMedia) {
    productVariants { id media(first: 5) { nodes { id } } } userErrors { field message code }
  }
}`;

const FILE_UPDATE = `mutation U($files: [FileUpdateInput!]!) {
  fileUpdate(files: $files) { files { id alt fileStatus } userErrors { field message code } }
}`;

const FILE_DELETE = `mutation D($fileIds: [ID!]!) {
  fileDelete(fileIds: $fileIds) { deletedFileIds userErrors { field message code } }
}`;

function policyOf(target: Target): any {
  const policy = target.parameters.find((p) => p.name === "policy")!.value;
  return JSON.parse(Buffer.from(policy, "base64").toString("utf8"));
}

describe("staged uploads of images", () => {
  it("issues a POST form target on the simulator and takes the upload as Google Cloud Storage does", async () => {
    const env = await served();
    const target = await env.stage();
    expect(target.url).toBe(`${env.base}/_sim/staged-uploads/`);
    const key = target.parameters.find((p) => p.name === "key")!.value;
    expect(key).toMatch(/^tmp\/\d+\/products\/[0-9a-f-]{36}\/front\.png$/);
    expect(target.resourceUrl).toBe(`${env.base}/_sim/staged-uploads/${key}`);
    expect(target.parameters.map((p) => p.name)).toEqual([
      "Content-Type",
      "success_action_status",
      "acl",
      "key",
      "x-goog-date",
      "x-goog-credential",
      "x-goog-algorithm",
      "x-goog-signature",
      "policy",
    ]);
    expect(policyOf(target).conditions).toContainEqual(["content-length-range", 1, 20971520]);

    const missingFile = await env.post(target, null);
    expect(missingFile.status).toBe(400);
    const wrongType = await env.post(target, PNG, { "Content-Type": "image/gif" });
    expect(wrongType.status).toBe(403);
    expect(await wrongType.text()).toContain("Policy Condition failed");
    const forged = await env.post(target, PNG, { "x-goog-signature": "0".repeat(64) });
    expect(forged.status).toBe(403);
    const empty = await env.post(target, new Uint8Array(0));
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain("<Code>EntityTooSmall</Code>");
    const tooLarge = await env.post(target, new Uint8Array(20 * 1024 * 1024 + 1));
    expect(tooLarge.status).toBe(400);
    expect(await tooLarge.text()).toContain("<Code>EntityTooLarge</Code>");

    const ok = await env.post(target, PNG);
    expect(ok.status).toBe(201);
    expect(await ok.text()).toContain(`<Key>${key}</Key>`);
  });

  it("issues a signed PUT URL when the input asks for no method (PUT is the default)", async () => {
    const env = await served();
    const target = await env.stage("side.jpg", "image/jpeg", null);
    const url = new URL(target.url);
    expect(url.pathname).toMatch(/^\/_sim\/staged-uploads\/tmp\/\d+\/files\/[0-9a-f-]{36}\/side\.jpg$/);
    expect(url.searchParams.get("X-Goog-Expires")).toBe("604800");
    expect(url.searchParams.get("X-Goog-SignedHeaders")).toBe("host");
    expect(target.resourceUrl).toBe(`${url.origin}${url.pathname}`);
    expect(target.parameters).toEqual([
      { name: "content_type", value: "image/jpeg" },
      { name: "acl", value: "private" },
    ]);
    const forged = new URL(target.url);
    forged.searchParams.set("X-Goog-Signature", "f".repeat(64));
    expect((await fetch(forged, { method: "PUT", body: new Uint8Array(jpeg(8, 6)) })).status).toBe(403);
    const put = await fetch(target.url, {
      method: "PUT",
      headers: { "content-type": "image/jpeg", "x-goog-acl": "private" },
      body: new Uint8Array(jpeg(8, 6)),
    });
    expect(put.status).toBe(200);

    // What was PUT is what the media is made of.
    const product = await env.createProduct();
    await env.gql(SET, {
      identifier: { id: product.id },
      input: { files: [{ originalSource: target.resourceUrl, contentType: "IMAGE" }] },
    });
    await mediaSettled(env.shop);
    const [media] = await env.media(product.id);
    expect(media).toMatchObject({ status: "READY", mimeType: "image/jpeg", image: { width: 8, height: 6 } });
  });

  it("refuses uploads beyond the shop's cap, which the control API sets, as too large", async () => {
    const env = await served();
    const set = await env.control("media/settings", { stagedBytesPerShop: 120 });
    expect(set).toMatchObject({ status: 200, body: { stagedBytesPerShop: 120 } });
    const first = await env.stage("a.png");
    expect((await env.post(first, new Uint8Array(100).fill(1))).status).toBe(201);
    const second = await env.stage("b.png");
    const refused = await env.post(second, new Uint8Array(100).fill(1));
    expect(refused.status).toBe(400);
    const text = await refused.text();
    expect(text).toContain("<Code>EntityTooLarge</Code>");
    expect(text).toContain("120 bytes");
    // Replacing the first file's content within the cap is fine.
    expect((await env.post(first, new Uint8Array(60).fill(2))).status).toBe(201);
    expect((await env.post(second, new Uint8Array(60).fill(3))).status).toBe(201);
  });
});

describe("product media from staged uploads", () => {
  it("goes UPLOADED, PROCESSING, READY step by step, then serves its image and sends products/update", async () => {
    const env = await served();
    await env.control("media/settings", { manualProcessing: true });
    const source = await env.upload(PNG, "front.png");
    const product = await env.createProduct();
    env.sent.length = 0;
    const set = await env.gql(SET, {
      identifier: { id: product.id },
      input: { files: [{ originalSource: source, alt: "Front", contentType: "IMAGE" }] },
    });
    const [answered] = set.productSet.product.media.nodes;
    expect(answered).toMatchObject({
      alt: "Front",
      status: "UPLOADED",
      fileStatus: "UPLOADED",
      mimeType: null,
      image: null,
      preview: { status: "UPLOADED", image: null },
      mediaErrors: [],
    });
    expect(env.sent.map((s) => s.topic)).toEqual(["products/update"]);

    expect((await env.control(`shops/${DOMAIN}/media/advance`)).body).toMatchObject({ PROCESSING: 1 });
    expect((await env.media(product.id))[0]).toMatchObject({ status: "PROCESSING", image: null });
    expect((await env.control(`shops/${DOMAIN}/media/advance`)).body).toMatchObject({ READY: 1 });

    const [ready] = await env.media(product.id);
    expect(ready).toMatchObject({
      id: answered.id,
      status: "READY",
      mimeType: "image/png",
      image: { width: 3, height: 2, altText: "Front" },
    });
    expect(ready.image.url).toMatch(
      new RegExp(`^${env.base}/_sim/cdn/${DOMAIN}/files/\\d+/front\\.png\\?v=\\d+$`),
    );
    expect(ready.preview).toEqual({ status: "READY", image: { url: ready.image.url } });
    const node = await env.gql(`query N($id: ID!) { node(id: $id) { ${MEDIA_FIELDS} } }`, { id: ready.id });
    expect(node.node).toEqual(ready);

    const image = await fetch(ready.image.url);
    expect(image.status).toBe(200);
    expect(image.headers.get("content-type")).toBe("image/png");
    expect(Buffer.from(await image.arrayBuffer()).equals(PNG)).toBe(true);

    const updates = env.sent.filter((s) => s.topic === "products/update");
    expect(updates).toHaveLength(2);
    const last = updates.at(-1)!.payload;
    expect(last.images).toMatchObject([{ src: ready.image.url, alt: "Front", width: 3, height: 2 }]);
    expect(last.media).toMatchObject([{ status: "ready", preview_image: { src: ready.image.url } }]);
    expect(webhookSchemaErrors("products/update", last)).toEqual([]);
  });

  it("processes by itself after a delay the control API sets, and an image's URL 404s until READY", async () => {
    const env = await served();
    await env.control("media/settings", { processingDelayMs: 80 });
    const source = await env.upload(PNG);
    const product = await env.createProduct();
    await env.gql(SET, { identifier: { id: product.id }, input: { files: [{ originalSource: source }] } });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const [processing] = await env.media(product.id);
    expect(processing.status).toBe("PROCESSING");
    const id = processing.id.split("/").pop();
    expect((await fetch(`${env.base}/_sim/cdn/${DOMAIN}/files/${id}/front.png`)).status).toBe(404);
    await mediaSettled(env.shop);
    expect((await env.media(product.id))[0].status).toBe("READY");
  });

  it("fails bytes that are not an image, a target never uploaded, and a fault, with Shopify's media errors", async () => {
    const env = await served();
    const text = await env.upload(Buffer.from("name,price\nshirt,10\n"), "prices.png");
    const never = (await env.stage("never.png")).resourceUrl;
    const good = await env.upload(PNG, "good.png");
    const product = await env.createProduct();
    await env.gql(SET, {
      identifier: { id: product.id },
      input: { files: [{ originalSource: text }, { originalSource: never }, { originalSource: good }] },
    });
    await mediaSettled(env.shop);
    const [notImage, notUploaded, fine] = await env.media(product.id);
    expect(notImage).toMatchObject({
      status: "FAILED",
      fileStatus: "FAILED",
      image: null,
      preview: { status: "FAILED", image: null },
      mediaErrors: [
        {
          code: "UNSUPPORTED_IMAGE_FILE_TYPE",
          message: "Media could not be created because the image is an unsupported file type.",
        },
      ],
    });
    expect(notImage.fileErrors).toEqual(notImage.mediaErrors);
    expect(notUploaded.mediaErrors[0].code).toBe("IMAGE_DOWNLOAD_FAILURE");
    expect(fine.status).toBe("READY");

    // The control API's fault fails the next processing only, with the code it names.
    const fault = await env.control(`shops/${DOMAIN}/media/faults`, { failNext: 1 });
    expect(fault.body).toMatchObject({ failNext: 1, code: "IMAGE_PROCESSING_FAILURE" });
    const again = await env.upload(PNG, "again.png");
    const later = await env.upload(PNG, "later.png");
    await env.gql(
      `mutation U($product: ProductUpdateInput!, $media: [CreateMediaInput!]) {
      productUpdate(product: $product, media: $media) { userErrors { field message } } }`,
      {
        product: { id: product.id },
        media: [
          { originalSource: again, mediaContentType: "IMAGE" },
          { originalSource: later, mediaContentType: "IMAGE" },
        ],
      },
    );
    await mediaSettled(env.shop);
    const all = await env.media(product.id);
    expect(all.slice(3).map((m) => [m.status, m.mediaErrors[0]?.code ?? null])).toEqual([
      ["FAILED", "IMAGE_PROCESSING_FAILURE"],
      ["READY", null],
    ]);
    expect(all[3].mediaErrors[0].message).toBe(
      "Media could not be processed because the image could not be processed.",
    );
  });

  it("keeps the order of productSet files, keeps files named by id, detaches those left out, and reorders", async () => {
    const env = await served();
    const [a, b, c] = [
      await env.upload(PNG, "a.png"),
      await env.upload(jpeg(5, 5), "b.jpg"),
      await env.upload(PNG_BLUE, "c.png"),
    ];
    const product = await env.createProduct();
    const first = await env.gql(SET, {
      identifier: { id: product.id },
      input: { files: [{ originalSource: a }, { originalSource: b }, { originalSource: c }] },
    });
    const ids = first.productSet.product.media.nodes.map((m: any) => m.id);
    await mediaSettled(env.shop);

    // Again with c and a by id (a new alt on a) and a new file: b is left out.
    const d = await env.upload(PNG, "d.png");
    const second = await env.gql(SET, {
      identifier: { id: product.id },
      input: { files: [{ id: ids[2] }, { id: ids[0], alt: "Renamed" }, { originalSource: d }] },
    });
    expect(second.productSet.userErrors).toEqual([]);
    const after = second.productSet.product.media.nodes;
    expect(after.slice(0, 2).map((m: any) => [m.id, m.alt, m.status])).toEqual([
      [ids[2], "", "READY"],
      [ids[0], "Renamed", "READY"],
    ]);
    expect(after[2].id).not.toBe(ids[1]);
    // b is no longer the product's but is still a file of the shop.
    const orphan = await env.gql(`query N($id: ID!) { node(id: $id) { ... on MediaImage { id status } } }`, {
      id: ids[1],
    });
    expect(orphan.node).toEqual({ id: ids[1], status: "READY" });

    const unknown = await env.gql(SET, {
      identifier: { id: product.id },
      input: { files: [{ id: "gid://shopify/MediaImage/1" }] },
    });
    expect(unknown.productSet.userErrors).toEqual([
      { field: ["input", "files", "0", "id"], message: "File does not exist", code: "INVALID_INPUT" },
    ]);

    const reorder = await env.gql(
      `mutation R($id: ID!, $moves: [MoveInput!]!) {
        productReorderMedia(id: $id, moves: $moves) { job { id done } mediaUserErrors { field message code } } }`,
      { id: product.id, moves: [{ id: after[2].id, newPosition: "0" }] },
    );
    expect(reorder.productReorderMedia.mediaUserErrors).toEqual([]);
    expect(reorder.productReorderMedia.job.done).toBe(false);
    const job = await env.gql(`query J($id: ID!) { job(id: $id) { id done } }`, {
      id: reorder.productReorderMedia.job.id,
    });
    expect(job.job.done).toBe(true);
    expect((await env.media(product.id)).map((m) => m.id)).toEqual([after[2].id, ids[2], ids[0]]);
  });

  it("copies an image the simulator already serves when it is given as a source", async () => {
    const env = await served();
    const product = await env.createProduct();
    await env.gql(SET, {
      identifier: { id: product.id },
      input: { files: [{ originalSource: await env.upload(PNG_BLUE, "blue.png") }] },
    });
    await mediaSettled(env.shop);
    const [blue] = await env.media(product.id);
    const other = await env.createProduct("Other Shirt");
    await env.gql(SET, {
      identifier: { id: other.id },
      input: { files: [{ originalSource: blue.image.url }] },
    });
    await mediaSettled(env.shop);
    const [copy] = await env.media(other.id);
    expect(copy).toMatchObject({ status: "READY", image: { width: 4, height: 4 } });
    const bytes = Buffer.from(await (await fetch(copy.image.url)).arrayBuffer());
    expect(bytes.equals(PNG_BLUE)).toBe(true);
  });
});

describe("variant images", () => {
  it("appends a READY media to a variant, refuses what Shopify refuses, and detaches it", async () => {
    const env = await served();
    const product = await env.createProduct("Cap", ["Black", "Olive"]);
    const [black, olive] = product.variants.nodes.map((v: any) => v.id);
    await env.control("media/settings", { manualProcessing: true });
    const set = await env.gql(SET, {
      identifier: { id: product.id },
      input: {
        files: [{ originalSource: await env.upload(PNG, "black.png") }],
        productOptions: [{ name: "Color", values: [{ name: "Black" }, { name: "Olive" }] }],
        variants: [
          { id: black, optionValues: [{ optionName: "Color", name: "Black" }] },
          { id: olive, optionValues: [{ optionName: "Color", name: "Olive" }] },
        ],
      },
    });
    const mediaId = set.productSet.product.media.nodes[0].id;
    const append = (variantMedia: unknown) => env.gql(APPEND, { productId: product.id, variantMedia });

    const notReady = await append([{ variantId: black, mediaIds: [mediaId] }]);
    expect(notReady.productVariantAppendMedia).toEqual({
      product: null,
      productVariants: null,
      userErrors: [
        {
          field: ["variantMedia", "0", "mediaIds"],
          message: "Non-ready media cannot be attached to variants.",
          code: "NON_READY_MEDIA",
        },
      ],
    });
    await env.control(`shops/${DOMAIN}/media/settle`);

    const refusals = [
      [[{ variantId: black, mediaIds: [mediaId, mediaId] }], "TOO_MANY_MEDIA_PER_INPUT_PAIR"],
      [[{ variantId: black, mediaIds: [] }], "BLANK"],
      [
        [
          { variantId: black, mediaIds: [mediaId] },
          { variantId: black, mediaIds: [mediaId] },
        ],
        "PRODUCT_VARIANT_SPECIFIED_MULTIPLE_TIMES",
      ],
      [
        [{ variantId: "gid://shopify/ProductVariant/1", mediaIds: [mediaId] }],
        "PRODUCT_VARIANT_DOES_NOT_EXIST_ON_PRODUCT",
      ],
      [[{ variantId: black, mediaIds: ["gid://shopify/MediaImage/1"] }], "MEDIA_DOES_NOT_EXIST_ON_PRODUCT"],
    ] as const;
    for (const [input, code] of refusals) {
      const answer = await append(input);
      expect(answer.productVariantAppendMedia.userErrors.map((e: any) => e.code)).toEqual([code]);
    }

    env.sent.length = 0;
    const appended = await append([{ variantId: black, mediaIds: [mediaId] }]);
    expect(appended.productVariantAppendMedia).toEqual({
      product: { id: product.id },
      productVariants: [{ id: black, media: { nodes: [{ id: mediaId }] } }],
      userErrors: [],
    });
    const update = env.sent.find((s) => s.topic === "products/update")!.payload;
    const blackPayload = update.variants.find((v: any) => `gid://shopify/ProductVariant/${v.id}` === black);
    expect(`gid://shopify/MediaImage/${blackPayload.image_id}`).toBe(mediaId);
    expect(update.images[0].variant_ids).toEqual([blackPayload.id]);

    const twice = await append([{ variantId: black, mediaIds: [mediaId] }]);
    expect(twice.productVariantAppendMedia.userErrors).toEqual([
      {
        field: ["variantMedia", "0", "variantId"],
        message: "The given variant already has attached media.",
        code: "PRODUCT_VARIANT_ALREADY_HAS_MEDIA",
      },
    ]);

    const detach = (variantMedia: unknown) => env.gql(DETACH, { productId: product.id, variantMedia });
    const notAttached = await detach([{ variantId: olive, mediaIds: [mediaId] }]);
    expect(notAttached.productVariantDetachMedia.userErrors[0].code).toBe("MEDIA_IS_NOT_ATTACHED_TO_VARIANT");
    const detached = await detach([{ variantId: black, mediaIds: [mediaId] }]);
    expect(detached.productVariantDetachMedia).toEqual({
      productVariants: [{ id: black, media: { nodes: [] } }],
      userErrors: [],
    });
  });
});

describe("fileUpdate and fileDelete", () => {
  async function productWithImage() {
    const env = await served();
    await env.control("media/settings", { manualProcessing: true });
    const settle = () => env.control(`shops/${DOMAIN}/media/settle`);
    const product = await env.createProduct("Cap", ["Black"]);
    const [black] = product.variants.nodes.map((v: any) => v.id);
    const set = await env.gql(SET, {
      identifier: { id: product.id },
      input: { files: [{ originalSource: await env.upload(PNG, "cap.png") }] },
    });
    const mediaId = set.productSet.product.media.nodes[0].id as string;
    return { env, product, black, mediaId, settle };
  }

  it("refuses a non-ready or unknown file, changes alt and content, and removes a product reference", async () => {
    const { env, product, black, mediaId, settle } = await productWithImage();
    const nonReady = await env.gql(FILE_UPDATE, { files: [{ id: mediaId, alt: "Too soon" }] });
    expect(nonReady.fileUpdate).toEqual({
      files: [],
      userErrors: [
        { field: ["files"], message: "Non-ready files cannot be updated.", code: "NON_READY_STATE" },
      ],
    });
    await settle();
    const missing = await env.gql(FILE_UPDATE, { files: [{ id: "gid://shopify/MediaImage/9" }] });
    expect(missing.fileUpdate.userErrors).toEqual([
      {
        field: ["files"],
        message: 'File id ["gid://shopify/MediaImage/9"] does not exist.',
        code: "FILE_DOES_NOT_EXIST",
      },
    ]);

    const [before] = await env.media(product.id);
    const renamed = await env.gql(FILE_UPDATE, {
      files: [{ id: mediaId, alt: "Cap, front", originalSource: await env.upload(PNG_BLUE, "cap-2.png") }],
    });
    expect(renamed.fileUpdate.files).toEqual([{ id: mediaId, alt: "Cap, front", fileStatus: "UPLOADED" }]);
    await settle();
    const [after] = await env.media(product.id);
    expect(after).toMatchObject({ id: mediaId, status: "READY", image: { width: 4, height: 4 } });
    expect(after.image.url).not.toBe(before.image.url);
    expect(Buffer.from(await (await fetch(after.image.url)).arrayBuffer()).equals(PNG_BLUE)).toBe(true);

    await env.gql(APPEND, {
      productId: product.id,
      variantMedia: [{ variantId: black, mediaIds: [mediaId] }],
    });
    env.sent.length = 0;
    const removed = await env.gql(FILE_UPDATE, {
      files: [{ id: mediaId, referencesToRemove: [product.id] }],
    });
    expect(removed.fileUpdate.userErrors).toEqual([]);
    const read = await env.gql(PRODUCT_MEDIA, { id: product.id });
    expect(read.product.media.nodes).toEqual([]);
    expect(read.product.variants.nodes[0].media.nodes).toEqual([]);
    expect(env.sent.map((s) => s.topic)).toEqual(["products/update"]);
    expect(env.sent[0]!.payload.images).toEqual([]);
  });

  it("deletes files from their product and answers Shopify's error for unknown ids", async () => {
    const { env, product, mediaId, settle } = await productWithImage();
    await settle();
    const missing = await env.gql(FILE_DELETE, {
      fileIds: ["gid://shopify/MediaImage/7", "gid://shopify/MediaImage/8"],
    });
    expect(missing.fileDelete).toEqual({
      deletedFileIds: null,
      userErrors: [
        {
          field: ["fileIds"],
          message: "File ids gid://shopify/MediaImage/7,gid://shopify/MediaImage/8 do not exist.",
          code: "FILE_DOES_NOT_EXIST",
        },
      ],
    });
    const [media] = await env.media(product.id);
    const deleted = await env.gql(FILE_DELETE, { fileIds: [mediaId] });
    expect(deleted.fileDelete).toEqual({ deletedFileIds: [mediaId], userErrors: [] });
    expect(await env.media(product.id)).toEqual([]);
    expect((await fetch(media.image.url)).status).toBe(404);
  });

  it("answers the deprecated productCreateMedia and productDeleteMedia as Shopify does", async () => {
    const env = await served();
    const product = await env.createProduct();
    const created = await env.gql(
      `mutation C($id: ID!, $media: [CreateMediaInput!]!) {
        productCreateMedia(productId: $id, media: $media) {
          media { ... on MediaImage { id status } } mediaUserErrors { field message code } } }`,
      {
        id: product.id,
        media: [
          { originalSource: await env.upload(PNG), mediaContentType: "IMAGE" },
          { originalSource: "not-a-url", mediaContentType: "IMAGE" },
        ],
      },
    );
    expect(created.productCreateMedia.media).toHaveLength(1);
    expect(created.productCreateMedia.mediaUserErrors).toEqual([
      { field: ["media", "1", "originalSource"], message: "Image URL is invalid", code: "INVALID" },
    ]);
    const id = created.productCreateMedia.media[0].id;
    const DELETE = `mutation D($id: ID!, $ids: [ID!]!) {
      productDeleteMedia(productId: $id, mediaIds: $ids) { deletedMediaIds deletedProductImageIds mediaUserErrors { field message code } } }`;
    const missing = await env.gql(DELETE, { id: product.id, ids: ["gid://shopify/MediaImage/5"] });
    expect(missing.productDeleteMedia).toEqual({
      deletedMediaIds: null,
      deletedProductImageIds: null,
      mediaUserErrors: [
        {
          field: ["mediaIds"],
          message: "Media id gid://shopify/MediaImage/5 does not exist",
          code: "MEDIA_DOES_NOT_EXIST",
        },
      ],
    });
    const deleted = await env.gql(DELETE, { id: product.id, ids: [id] });
    expect(deleted.productDeleteMedia.deletedMediaIds).toEqual([id]);
    expect(await env.media(product.id)).toEqual([]);
  });
});

describe("the control API's merchant images", () => {
  it("puts an image on a product (and a variant) as a merchant would, fails a non-image, and deletes", async () => {
    const env = await served();
    const product = await env.createProduct("Cap", ["Black"]);
    const [black] = product.variants.nodes.map((v: any) => v.id);
    const numeric = product.id.split("/").pop();
    env.sent.length = 0;
    const added = await fetch(
      `${env.base}/_sim/shops/${DOMAIN}/products/${numeric}/media?filename=cap.jpg&alt=Cap&variantId=${encodeURIComponent(black)}`,
      { method: "POST", headers: { "content-type": "image/jpeg" }, body: new Uint8Array(jpeg(40, 30)) },
    );
    expect(added.status).toBe(201);
    const { media } = await added.json();
    expect(media).toMatchObject({ productId: product.id, variantId: black, status: "UPLOADED", alt: "Cap" });
    expect(env.sent.map((s) => s.topic)).toEqual(["products/update"]);
    await mediaSettled(env.shop);
    const read = await env.gql(PRODUCT_MEDIA, { id: product.id });
    const [ready] = read.product.media.nodes;
    expect(ready).toMatchObject({
      id: media.id,
      status: "READY",
      mimeType: "image/jpeg",
      image: { width: 40, height: 30 },
    });
    expect(read.product.variants.nodes[0].media.nodes).toEqual([{ id: media.id }]);
    const image = await fetch(ready.image.url);
    expect(image.headers.get("content-type")).toBe("image/jpeg");
    expect(Buffer.from(await image.arrayBuffer()).equals(jpeg(40, 30))).toBe(true);
    expect(env.sent.filter((s) => s.topic === "products/update")).toHaveLength(2);

    const text = await fetch(
      `${env.base}/_sim/shops/${DOMAIN}/products/${numeric}/media?filename=notes.png`,
      {
        method: "POST",
        body: "just words",
      },
    );
    expect(text.status).toBe(201);
    await mediaSettled(env.shop);
    expect((await env.media(product.id))[1].mediaErrors[0].code).toBe("UNSUPPORTED_IMAGE_FILE_TYPE");

    const removed = await fetch(
      `${env.base}/_sim/shops/${DOMAIN}/products/${numeric}/media/${media.id.split("/").pop()}`,
      { method: "DELETE" },
    );
    expect(removed.status).toBe(200);
    expect((await env.media(product.id)).map((m) => m.id)).not.toContain(media.id);
    const unknown = await fetch(`${env.base}/_sim/shops/${DOMAIN}/products/1/media`, {
      method: "POST",
      body: new Uint8Array(PNG),
    });
    expect(unknown.status).toBe(404);
  });

  it("tells PNG, JPEG, GIF and WEBP images by their bytes, whatever their name says, and their size", async () => {
    const env = await served();
    const product = await env.createProduct();
    const numeric = product.id.split("/").pop();
    const images: [string, Buffer][] = [
      ["a.jpg", PNG],
      ["b.png", jpeg(640, 480)],
      ["c.webp", gif(12, 7)],
      ["d.gif", webp(300, 200)],
      ["e.png", Buffer.from("%PDF-1.7 not an image")],
    ];
    for (const [filename, bytes] of images) {
      const added = await fetch(
        `${env.base}/_sim/shops/${DOMAIN}/products/${numeric}/media?filename=${filename}`,
        {
          method: "POST",
          body: new Uint8Array(bytes),
        },
      );
      expect(added.status).toBe(201);
    }
    await mediaSettled(env.shop);
    const read = (await env.media(product.id)).map((m) => [
      m.status,
      m.mimeType,
      m.image ? [m.image.width, m.image.height] : null,
      m.mediaErrors.map((e: any) => e.code),
    ]);
    expect(read).toEqual([
      ["READY", "image/png", [3, 2], []],
      ["READY", "image/jpeg", [640, 480], []],
      ["READY", "image/gif", [12, 7], []],
      ["READY", "image/webp", [300, 200], []],
      ["FAILED", null, null, ["UNSUPPORTED_IMAGE_FILE_TYPE"]],
    ]);
  });
});

describe("reading product images in bulk", () => {
  it("runs a bulk query over products and their media, and seeded products' images are served", async () => {
    const env = await served();
    seedCatalog(
      env.shop,
      { locations: 1, products: 2, variantsPerProduct: 1 },
      seededRandom(9),
      env.sim.clock.now(),
    );
    const run = await env.gql(
      `mutation B($query: String!) { bulkOperationRunQuery(query: $query) { bulkOperation { id } userErrors { message } } }`,
      {
        query: `{ products { edges { node { id media { edges { node { ... on MediaImage { id status image { url width height } } } } } } } } }`,
      },
    );
    expect(run.bulkOperationRunQuery.userErrors).toEqual([]);
    await bulkOperationsSettled(env.shop);
    const operation = await env.gql(
      `query O($id: ID!) { node(id: $id) { ... on BulkOperation { status url } } }`,
      {
        id: run.bulkOperationRunQuery.bulkOperation.id,
      },
    );
    expect(operation.node.status).toBe("COMPLETED");
    const lines = (await (await fetch(operation.node.url)).text())
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    const products = lines.filter((line) => !line.__parentId);
    const media = lines.filter((line) => line.__parentId);
    expect(products).toHaveLength(2);
    expect(media).toHaveLength(2);
    for (const line of media) {
      expect(line).toMatchObject({ status: "READY", image: { width: 256, height: 256 } });
      expect(products.map((p) => p.id)).toContain(line.__parentId);
      const image = await fetch(line.image.url);
      expect(image.headers.get("content-type")).toBe("image/png");
      const bytes = Buffer.from(await image.arrayBuffer());
      expect(bytes.subarray(1, 4).toString()).toBe("PNG");
      expect(bytes.readUInt32BE(16)).toBe(256);
    }
  });
});
