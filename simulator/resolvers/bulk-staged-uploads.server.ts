import { createHash, randomUUID } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { GraphQLError } from "graphql";
import type { Simulator } from "../simulator.server";
import type { ShopState } from "../state/shop-state.server";
import { userError, type ResolverContext, type UserError } from "./context.server";

/**
 * `stagedUploadsCreate` for bulk mutation variables, and the upload target it names
 * (https://shopify.dev/docs/api/usage/bulk-operations/imports, "Upload the file"). Shopify
 * answers with a Google Cloud Storage form: `url` and the `parameters` (key, Content-Type,
 * success_action_status, acl, policy and the x-goog-* signature fields) that a multipart POST
 * must send before the file; `resourceUrl` is null for BULK_MUTATION_VARIABLES, and
 * `bulkOperationRunMutation` takes the `key` parameter as its `stagedUploadPath`. The simulator's
 * target is its own `POST /_sim/staged-uploads`: it answers 201 with GCS's XML when the form
 * carries the parameters it issued and a file, 400 or 403 otherwise, and keeps the file in
 * memory for the shop (not saved with the shop's state). Other resources (images, videos,
 * files) are not implemented.
 */

export const STAGED_UPLOAD_PATH = "/_sim/staged-uploads";
/** The simulator's cap on one staged file (its own; Shopify documents the limit per resource). */
export const MAX_STAGED_UPLOAD_BYTES = 100 * 1024 * 1024;

interface StagedFile {
  domain: string;
  key: string;
  policy: string;
  signature: string;
  mimeType: string;
  /** The file's content once uploaded. */
  content: string | null;
  createdAt: Date;
}

const staged = new WeakMap<Simulator, Map<string, StagedFile>>();

function files(sim: Simulator): Map<string, StagedFile> {
  let map = staged.get(sim);
  if (!map) staged.set(sim, (map = new Map<string, StagedFile>()));
  return map;
}

/** The uploaded content at a staged path of the shop, or null (never issued, not uploaded, another shop's). */
export function stagedFileContent(sim: Simulator, shop: ShopState, path: string): string | null {
  const file = files(sim).get(path);
  return file && file.domain === shop.domain ? file.content : null;
}

export function isStagedUploadPath(url: string): boolean {
  return url.split("?")[0]!.replace(/\/$/, "") === STAGED_UPLOAD_PATH;
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

export function stagedUploadsCreate(args: { input: StagedUploadInput[] }, context: ResolverContext) {
  const { sim, shop } = context;
  const userErrors: UserError[] = [];
  const stagedTargets = args.input.map((input, index) => {
    if (input.resource !== "BULK_MUTATION_VARIABLES")
      throw new GraphQLError(
        `stagedUploadsCreate for ${input.resource} is not implemented by the simulator`,
        {
          extensions: { code: "SIMULATOR_NOT_IMPLEMENTED" },
        },
      );
    if ((input.httpMethod ?? "PUT") !== "POST") {
      userErrors.push(
        userError(
          ["input", String(index), "httpMethod"],
          "Bulk mutation variables must be uploaded with POST",
        ),
      );
      return null;
    }
    const now = context.now();
    const key = `tmp/${shop.createdAt.getTime()}/bulk/${randomUUID()}/${input.filename}`;
    const policy = Buffer.from(
      JSON.stringify({
        conditions: [{ key }, { "Content-Type": input.mimeType }, { success_action_status: "201" }],
        expiration: new Date(now.getTime() + 7 * 86_400_000).toISOString(),
      }),
    ).toString("base64");
    const signature = createHash("sha256").update(`${sim.options.apiSecret}\n${policy}`).digest("hex");
    files(sim).set(key, {
      domain: shop.domain,
      key,
      policy,
      signature,
      mimeType: input.mimeType,
      content: null,
      createdAt: now,
    });
    const date = gcsDate(now);
    return {
      url: new URL(`${STAGED_UPLOAD_PATH}/`, sim.baseUrl).toString(),
      resourceUrl: null,
      parameters: [
        { name: "Content-Type", value: input.mimeType },
        { name: "success_action_status", value: "201" },
        { name: "acl", value: "private" },
        { name: "key", value: key },
        { name: "x-goog-date", value: date },
        {
          name: "x-goog-credential",
          value: `merchant-assets@shopify-tiers.iam.gserviceaccount.com/${date.slice(0, 8)}/auto/storage/goog4_request`,
        },
        { name: "x-goog-algorithm", value: "GOOG4-RSA-SHA256" },
        { name: "x-goog-signature", value: signature },
        { name: "policy", value: policy },
      ],
    };
  });
  return { stagedTargets: userErrors.length > 0 ? null : stagedTargets, userErrors };
}

const xmlError = (status: number, code: string, message: string) => ({
  status,
  body: `<?xml version='1.0' encoding='UTF-8'?><Error><Code>${code}</Code><Message>${message}</Message></Error>`,
});

/** The upload: a multipart form with the issued parameters, then `file`. */
export async function handleStagedUpload(
  sim: Simulator,
  headers: IncomingHttpHeaders,
  body: Buffer,
): Promise<{ status: number; body: string }> {
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
  const file = typeof key === "string" ? files(sim).get(key) : undefined;
  if (!file || form.get("policy") !== file.policy || form.get("x-goog-signature") !== file.signature)
    return xmlError(
      403,
      "AccessDenied",
      "Invalid argument: the policy, signature or key does not match what stagedUploadsCreate issued.",
    );
  const content = form.get("file");
  if (content === null) return xmlError(400, "InvalidArgument", "The form has no file field.");
  file.content = typeof content === "string" ? content : await content.text();
  const location = new URL(`${STAGED_UPLOAD_PATH}/${file.key}`, sim.baseUrl).toString();
  return {
    status: 201,
    body: `<?xml version='1.0' encoding='UTF-8'?><PostResponse><Location>${location}</Location><Bucket>shopify-staged-uploads</Bucket><Key>${file.key}</Key><ETag>"${createHash("md5").update(file.content).digest("hex")}"</ETag></PostResponse>`,
  };
}
