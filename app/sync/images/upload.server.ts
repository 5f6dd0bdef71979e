import { once } from "node:events";
import http from "node:http";
import https from "node:https";
import { pictureSlices, type ItemPicture } from "../../backoffice/backoffice.server";
import type { Db } from "../../db.server";
import { RecordError } from "../../errors.server";
import type { AdminClient } from "../../shopify/admin-client.server";
import { STAGE_IMAGES, STAGED_PER_REQUEST, type StagedTarget } from "./operations.server";

/**
 * A batch of pictures to Shopify's storage, the first step of Shopify's two-step upload
 * (https://shopify.dev/docs/apps/build/online-store/product-media): one stagedUploadsCreate per
 * STAGED_PER_REQUEST pictures (IMAGE targets, PUT), then each picture's bytes PUT to its signed
 * URL, streamed from Postgres a slice at a time with their length (a V4-signed URL takes no
 * chunked upload), a few at once. What comes back for each picture is the target's
 * `resourceUrl`, the originalSource of the media made from it; or why it could not be sent.
 */

/** Uploads at once (each holds a slice of its picture at most). */
const CONCURRENT_UPLOADS = 4;
const UPLOAD_TIMEOUT_MS = 120_000;

export type Staged =
  | { resourceUrl: string }
  /** The picture changed in the back office while it was read: the next run sends the new one. */
  | { changed: true }
  | { error: unknown };

export interface UploadOptions {
  signal: AbortSignal;
  /** Called once per picture whose bytes Shopify's storage took. */
  onUpload: () => void;
}

function refusal(words: string, errors: { field: string[] | null; message: string }[]): RecordError {
  return new RecordError(
    `Shopify: ${words}: ${errors.map((e) => (e.field?.length ? `${e.field.join(".")}: ${e.message}` : e.message)).join("; ")}`,
  );
}

/** Stages and uploads the pictures; every picture has an answer, by id. */
export async function uploadPictures(
  db: Db,
  client: AdminClient,
  shopId: string,
  pictures: ItemPicture[],
  options: UploadOptions,
): Promise<Map<string, Staged>> {
  const answers = new Map<string, Staged>();
  for (let at = 0; at < pictures.length; at += STAGED_PER_REQUEST) {
    const batch = pictures.slice(at, at + STAGED_PER_REQUEST);
    let targets: StagedTarget[];
    try {
      const { stagedUploadsCreate } = await client.request(STAGE_IMAGES, {
        input: batch.map((picture) => ({
          resource: "IMAGE" as const,
          filename: picture.filename,
          mimeType: picture.contentType,
          httpMethod: "PUT" as const,
          fileSize: String(picture.byteSize),
        })),
      });
      if (!stagedUploadsCreate.stagedTargets || stagedUploadsCreate.userErrors.length > 0)
        throw refusal("the upload targets were refused", stagedUploadsCreate.userErrors);
      targets = stagedUploadsCreate.stagedTargets;
    } catch (error) {
      for (const picture of batch) answers.set(picture.id, { error });
      continue;
    }
    let next = 0;
    const worker = async () => {
      while (next < batch.length) {
        const index = next++;
        const picture = batch[index]!;
        answers.set(picture.id, await uploadOne(db, shopId, picture, targets[index], options));
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENT_UPLOADS, batch.length) }, worker));
  }
  return answers;
}

async function uploadOne(
  db: Db,
  shopId: string,
  picture: ItemPicture,
  target: StagedTarget | undefined,
  options: UploadOptions,
): Promise<Staged> {
  if (!target?.url || !target.resourceUrl)
    return { error: new RecordError("Shopify gave no upload target for the picture") };
  const headers: Record<string, string> = { "content-type": picture.contentType };
  for (const { name, value } of target.parameters) {
    if (name === "content_type") headers["content-type"] = value;
    else if (name === "acl") headers["x-goog-acl"] = value;
  }
  let changed = false;
  async function* body() {
    try {
      yield* pictureSlices(db, shopId, picture);
    } catch (error) {
      changed = true;
      throw error;
    }
  }
  try {
    await put(target.url, headers, picture.byteSize, body(), options.signal);
  } catch (error) {
    if (changed) return { changed: true };
    return { error };
  }
  options.onUpload();
  return { resourceUrl: target.resourceUrl };
}

/**
 * A PUT of `size` bytes from `body`, written as they come (waiting while the socket is full).
 * Refused (4xx): a RecordError with the storage's answer; a 5xx, a timeout or a lost connection
 * is a plain Error, which the next attempt or run takes again.
 */
async function put(
  url: string,
  headers: Record<string, string>,
  size: number,
  body: AsyncIterable<Uint8Array>,
  signal: AbortSignal,
): Promise<void> {
  const target = new URL(url);
  const send = target.protocol === "https:" ? https.request : http.request;
  await new Promise<void>((resolve, reject) => {
    const request = send(
      target,
      {
        method: "PUT",
        headers: { ...headers, "content-length": String(size) },
        signal,
        timeout: UPLOAD_TIMEOUT_MS,
      },
      (response) => {
        const parts: Buffer[] = [];
        let kept = 0;
        response.on("data", (chunk: Buffer) => {
          if (kept < 2000) parts.push(chunk);
          kept += chunk.length;
        });
        response.on("error", reject);
        response.on("end", () => {
          const status = response.statusCode ?? 0;
          if (status >= 200 && status < 300) return resolve();
          const text = Buffer.concat(parts).toString("utf8").slice(0, 500);
          const message = `the image upload was answered ${status}${text ? `: ${text}` : ""}`;
          reject(
            status >= 400 && status < 500 && status !== 408 && status !== 429
              ? new RecordError(message)
              : new Error(message),
          );
        });
      },
    );
    request.on("timeout", () => request.destroy(new Error("the image upload timed out")));
    request.on("error", reject);
    void (async () => {
      for await (const slice of body) if (!request.write(slice)) await once(request, "drain");
      request.end();
    })().catch((error: unknown) => request.destroy(error as Error));
  });
}
