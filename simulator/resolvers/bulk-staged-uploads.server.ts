import { createHash, randomUUID } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { GraphQLError } from "graphql";
import type { Simulator } from "../simulator.server";
import type { ShopState } from "../state/shop-state.server";
import { userError, type ResolverContext, type UserError } from "./context.server";
import { MAX_IMAGE_BYTES } from "./media-images.server";

/**
 * `stagedUploadsCreate` and the upload target it names, for bulk mutation variables and for
 * images. Shopify answers with a Google Cloud Storage target; the shapes below are those of live
 * answers (2026-04 captures in the public repository airhorns/shopify-draft-proxy,
 * fixtures/conformance/.../media/staged-upload-targets-parity.json and
 * media-staged-uploads-create-default-http-method.json):
 *
 * - `httpMethod: POST` (a multipart form): `url` is the bucket's root; `parameters` are, in
 *   order, Content-Type, success_action_status "201", acl "private", key, x-goog-date,
 *   x-goog-credential, x-goog-algorithm, x-goog-signature and policy (base64 JSON whose conditions
 *   repeat those fields and, for IMAGE, `["content-length-range", 1, 20971520]`). An IMAGE's key
 *   is `tmp/<shop id>/products/<uuid>/<filename>` and its `resourceUrl` the bucket URL plus the
 *   key; BULK_MUTATION_VARIABLES has no resourceUrl and `bulkOperationRunMutation` takes the key
 *   as its `stagedUploadPath` (https://shopify.dev/docs/api/usage/bulk-operations/imports).
 * - `httpMethod: PUT`, the default (StagedUploadInput.httpMethod "Default: PUT", 2026-07
 *   schema): `url` is a V4 signed URL of the object itself (`tmp/<shop id>/files/<uuid>/<filename>`,
 *   X-Goog-Expires=604800, X-Goog-SignedHeaders=host) and `parameters` are content_type and acl.
 *
 * The simulator's bucket is its own `/_sim/staged-uploads/`: a POST there answers 201 with GCS's
 * XML when the form carries the issued fields and a file, 403 AccessDenied when the key, policy,
 * signature or a field the policy names does not match or the policy has expired, 400
 * EntityTooLarge / EntityTooSmall outside the policy's content-length-range, 400 when the form
 * has no file; a PUT to the signed URL answers 200 (GCS's PUT Object). Files are kept in memory
 * for the shop (not saved with its state), at most `stagedBytesPerShop` bytes per shop (the
 * simulator's own cap, 256 MiB unless set; beyond it an upload is refused as too large).
 * VIDEO, MODEL_3D, FILE and the other resources are not implemented.
 */

export const STAGED_UPLOAD_PATH = "/_sim/staged-uploads";
/** The simulator's cap on one staged file (its own; Shopify documents the limit per resource). */
export const MAX_STAGED_UPLOAD_BYTES = 100 * 1024 * 1024;
const BUCKET = "shopify-staged-uploads";
const DAY_MS = 86_400_000;
/** X-Goog-Expires of Shopify's PUT targets: 604800 seconds. */
const PUT_EXPIRES_S = 604_800;

interface StagedFile {
  domain: string;
  key: string;
  kind: "bulk" | "image";
  method: "POST" | "PUT";
  policy: string;
  signature: string;
  /** The form fields the policy requires to equal what was issued. */
  fields: Record<string, string>;
  maxBytes: number;
  mimeType: string;
  filename: string;
  /** The file's content once uploaded. */
  content: Buffer | null;
  createdAt: Date;
  expiresAt: Date;
}

interface Store {
  files: Map<string, StagedFile>;
  /** Bytes held per shop domain. */
  held: Map<string, number>;
  bytesPerShop: number;
}

const stores = new WeakMap<Simulator, Store>();

function store(sim: Simulator): Store {
  let found = stores.get(sim);
  if (!found) {
    found = { files: new Map(), held: new Map(), bytesPerShop: 256 * 1024 * 1024 };
    stores.set(sim, found);
  }
  return found;
}

/** The simulator's cap on the bytes of staged uploads it keeps per shop (control API). */
export function setStagedBytesPerShop(sim: Simulator, bytes: number): void {
  store(sim).bytesPerShop = bytes;
}

export function stagedBytesPerShop(sim: Simulator): number {
  return store(sim).bytesPerShop;
}

/** The uploaded content at a staged path of the shop, or null (never issued, not uploaded, another shop's). */
export function stagedFileContent(sim: Simulator, shop: ShopState, path: string): string | null {
  const file = store(sim).files.get(path);
  return file && file.domain === shop.domain && file.content ? file.content.toString("utf8") : null;
}

/**
 * What an image's `originalSource` names when it is a staged upload of the shop (its
 * resourceUrl): null when it is not one; `content: null` when it was issued but not uploaded.
 */
export function stagedImage(
  sim: Simulator,
  shop: ShopState,
  source: string,
): { content: Buffer | null; filename: string; mimeType: string } | null {
  let path: string;
  try {
    path = decodeURIComponent(new URL(source, sim.baseUrl).pathname);
  } catch {
    return null;
  }
  const prefix = `${STAGED_UPLOAD_PATH}/`;
  if (!path.startsWith(prefix)) return null;
  const file = store(sim).files.get(path.slice(prefix.length));
  if (!file || file.domain !== shop.domain || file.kind !== "image") return null;
  return { content: file.content, filename: file.filename, mimeType: file.mimeType };
}

/** Whether a request path is the staged upload bucket or an object in it. */
export function isStagedUploadPath(url: string): boolean {
  const path = url.split("?")[0]!.replace(/\/$/, "");
  return path === STAGED_UPLOAD_PATH || path.startsWith(`${STAGED_UPLOAD_PATH}/`);
}

interface StagedUploadInput {
  resource: string;
  filename: string;
  mimeType: string;
  httpMethod?: "POST" | "PUT" | null;
  fileSize?: string | null;
}

const gcsDate = (date: Date) =>
  date
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");

const IMAGE_RESOURCES = new Set(["IMAGE", "PRODUCT_IMAGE"]);

export function stagedUploadsCreate(args: { input: StagedUploadInput[] }, context: ResolverContext) {
  const { sim, shop } = context;
  const userErrors: UserError[] = [];
  const now = context.now();
  const shopId = shop.createdAt.getTime();
  const date = gcsDate(now);
  const credential = `merchant-assets@shopify-tiers.iam.gserviceaccount.com/${date.slice(0, 8)}/auto/storage/goog4_request`;
  const sign = (text: string) =>
    createHash("sha256").update(`${sim.options.apiSecret}\n${text}`).digest("hex");
  const bucketUrl = new URL(`${STAGED_UPLOAD_PATH}/`, sim.baseUrl).toString();
  const issued: StagedFile[] = [];

  const stagedTargets = args.input.map((input, index) => {
    const isImage = IMAGE_RESOURCES.has(input.resource);
    if (!isImage && input.resource !== "BULK_MUTATION_VARIABLES")
      throw new GraphQLError(
        `stagedUploadsCreate for ${input.resource} is not implemented by the simulator`,
        { extensions: { code: "SIMULATOR_NOT_IMPLEMENTED" } },
      );
    const method = input.httpMethod ?? "PUT";
    if (!isImage && method !== "POST") {
      userErrors.push(
        userError(
          ["input", String(index), "httpMethod"],
          "Bulk mutation variables must be uploaded with POST",
        ),
      );
      return null;
    }
    const folder = !isImage ? "bulk" : method === "POST" ? "products" : "files";
    const key = `tmp/${shopId}/${folder}/${randomUUID()}/${input.filename}`;
    const maxBytes = isImage ? MAX_IMAGE_BYTES : MAX_STAGED_UPLOAD_BYTES;
    const expiresAt = new Date(now.getTime() + (method === "PUT" ? PUT_EXPIRES_S * 1000 : DAY_MS));
    const fields: Record<string, string> = {
      "Content-Type": input.mimeType,
      success_action_status: "201",
      acl: "private",
      key,
      "x-goog-date": date,
      "x-goog-credential": credential,
      "x-goog-algorithm": "GOOG4-RSA-SHA256",
    };
    const conditions: unknown[] = [
      { "Content-Type": input.mimeType },
      { success_action_status: "201" },
      { acl: "private" },
      ...(isImage ? [["content-length-range", 1, maxBytes]] : []),
      { bucket: BUCKET },
      { key },
      { "x-goog-date": date },
      { "x-goog-credential": credential },
      { "x-goog-algorithm": "GOOG4-RSA-SHA256" },
    ];
    const policy = Buffer.from(
      JSON.stringify({ conditions, expiration: expiresAt.toISOString().replace(/\.\d{3}/, "") }),
    ).toString("base64");
    const signature = sign(method === "POST" ? policy : `PUT\n${key}\n${date}`);
    issued.push({
      domain: shop.domain,
      key,
      kind: isImage ? "image" : "bulk",
      method,
      policy,
      signature,
      fields,
      maxBytes,
      mimeType: input.mimeType,
      filename: input.filename,
      content: null,
      createdAt: now,
      expiresAt,
    });
    const objectUrl = new URL(`${STAGED_UPLOAD_PATH}/${key}`, sim.baseUrl);
    if (method === "PUT") {
      const signed = new URL(objectUrl);
      signed.search = new URLSearchParams({
        "X-Goog-Algorithm": "GOOG4-RSA-SHA256",
        "X-Goog-Credential": credential,
        "X-Goog-Date": date,
        "X-Goog-Expires": String(PUT_EXPIRES_S),
        "X-Goog-SignedHeaders": "host",
        "X-Goog-Signature": signature,
      }).toString();
      return {
        url: signed.toString(),
        resourceUrl: objectUrl.toString(),
        parameters: [
          { name: "content_type", value: input.mimeType },
          { name: "acl", value: "private" },
        ],
      };
    }
    return {
      url: bucketUrl,
      resourceUrl: isImage ? objectUrl.toString() : null,
      parameters: [
        ...Object.entries(fields).map(([name, value]) => ({ name, value })),
        { name: "x-goog-signature", value: signature },
        { name: "policy", value: policy },
      ],
    };
  });
  if (userErrors.length > 0) return { stagedTargets: null, userErrors };
  const { files } = store(sim);
  for (const file of issued) files.set(file.key, file);
  return { stagedTargets, userErrors };
}

export interface StagedAnswer {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

const xmlError = (status: number, code: string, message: string, details?: string): StagedAnswer => ({
  status,
  body: `<?xml version='1.0' encoding='UTF-8'?><Error><Code>${code}</Code><Message>${message}</Message>${
    details ? `<Details>${details}</Details>` : ""
  }</Error>`,
});

const TOO_LARGE =
  "Your proposed upload is larger than the maximum object size specified in your Policy Document.";

/** Drops the shop's expired files; the bytes it then holds. */
function held(sim: Simulator, domain: string, now: Date): number {
  const { files, held: bytes } = store(sim);
  let total = 0;
  for (const [key, file] of files) {
    if (file.domain !== domain) continue;
    if (file.expiresAt < now) files.delete(key);
    else total += file.content?.length ?? 0;
  }
  bytes.set(domain, total);
  return total;
}

/** Checks size and the shop's cap, then keeps the content. */
function keep(sim: Simulator, file: StagedFile, content: Buffer): StagedAnswer | null {
  if (content.length > file.maxBytes)
    return xmlError(400, "EntityTooLarge", TOO_LARGE, "Content-length exceeds upper bound on range");
  if (file.kind === "image" && content.length < 1)
    return xmlError(
      400,
      "EntityTooSmall",
      "Your proposed upload is smaller than the minimum object size specified in your Policy Document.",
      "Content-length is smaller than lower bound on range",
    );
  const { held: bytes, bytesPerShop } = store(sim);
  const previous = file.content?.length ?? 0;
  let total = bytes.get(file.domain) ?? 0;
  if (total - previous + content.length > bytesPerShop) total = held(sim, file.domain, sim.clock.now()); // recount without what has expired
  if (total - previous + content.length > bytesPerShop)
    return xmlError(
      400,
      "EntityTooLarge",
      TOO_LARGE,
      `The shop's staged uploads would exceed the simulator's limit of ${bytesPerShop} bytes`,
    );
  file.content = content;
  bytes.set(file.domain, total - previous + content.length);
  return null;
}

const etag = (content: Buffer) => `"${createHash("md5").update(content).digest("hex")}"`;

/** The upload: a multipart form with the issued fields then `file` (POST), or the bytes (PUT). */
export async function handleStagedUpload(
  sim: Simulator,
  method: string,
  url: string,
  headers: IncomingHttpHeaders,
  body: Buffer,
): Promise<StagedAnswer> {
  const target = new URL(url, "http://simulator.local");
  if (method === "PUT") return handlePut(sim, target, body);
  const type = String(headers["content-type"] ?? "");
  if (!type.startsWith("multipart/form-data"))
    return xmlError(400, "InvalidArgument", "POST requires a multipart/form-data body.");
  let form: FormData;
  try {
    form = await new Response(new Uint8Array(body), { headers: { "content-type": type } }).formData();
  } catch {
    return xmlError(400, "InvalidArgument", "The multipart form could not be read.");
  }
  const key = form.get("key");
  const file = typeof key === "string" ? store(sim).files.get(key) : undefined;
  if (
    !file ||
    file.method !== "POST" ||
    form.get("policy") !== file.policy ||
    form.get("x-goog-signature") !== file.signature
  )
    return xmlError(
      403,
      "AccessDenied",
      "Invalid argument: the policy, signature or key does not match what stagedUploadsCreate issued.",
    );
  if (file.expiresAt < sim.clock.now())
    return xmlError(403, "AccessDenied", "Invalid according to Policy: Policy expired.");
  for (const [name, value] of Object.entries(file.fields)) {
    if (form.get(name) !== value)
      return xmlError(
        403,
        "AccessDenied",
        `Invalid according to Policy: Policy Condition failed: ["eq", "$${name}", "${value}"]`,
      );
  }
  const part = form.get("file");
  if (part === null) return xmlError(400, "InvalidArgument", "The form has no file field.");
  const content = typeof part === "string" ? Buffer.from(part) : Buffer.from(await part.arrayBuffer());
  const refused = keep(sim, file, content);
  if (refused) return refused;
  const location = new URL(`${STAGED_UPLOAD_PATH}/${file.key}`, sim.baseUrl).toString();
  return {
    status: 201,
    body: `<?xml version='1.0' encoding='UTF-8'?><PostResponse><Location>${location}</Location><Bucket>${BUCKET}</Bucket><Key>${file.key}</Key><ETag>${etag(content)}</ETag></PostResponse>`,
  };
}

function handlePut(sim: Simulator, target: URL, body: Buffer): StagedAnswer {
  const key = decodeURIComponent(target.pathname).slice(`${STAGED_UPLOAD_PATH}/`.length);
  const file = store(sim).files.get(key);
  if (!file || file.method !== "PUT" || target.searchParams.get("X-Goog-Signature") !== file.signature)
    return xmlError(
      403,
      "SignatureDoesNotMatch",
      "Access denied.",
      "The signed URL does not match a target stagedUploadsCreate issued.",
    );
  if (file.expiresAt < sim.clock.now())
    return xmlError(400, "ExpiredToken", "Invalid argument.", "The signed URL has expired.");
  const refused = keep(sim, file, body);
  if (refused) return refused;
  return { status: 200, body: "", headers: { etag: etag(body) } };
}
