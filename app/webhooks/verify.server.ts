import { createHmac, timingSafeEqual } from "node:crypto";

/** A webhook whose HMAC matched the app secret, with Shopify's headers and the raw body. */
export interface VerifiedWebhook {
  shop: string;
  topic: string;
  webhookId: string;
  apiVersion: string;
  eventId: string | null;
  triggeredAt: Date | null;
  body: string;
}

/** Shopify's webhook payloads are small; an order with hundreds of lines is well under this. */
export const MAX_WEBHOOK_BODY_BYTES = 5 * 1024 * 1024;

const REQUIRED = {
  topic: "x-shopify-topic",
  shop: "x-shopify-shop-domain",
  apiVersion: "x-shopify-api-version",
  webhookId: "x-shopify-webhook-id",
} as const;

/** The raw body, or null as soon as it is known to be over the limit (declared or sent). */
async function readBody(request: Request, limit: number): Promise<Buffer | null> {
  if (Number(request.headers.get("content-length")) > limit) return null;
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks, size);
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
}

/**
 * Verifies a webhook the way `authenticate.webhook` does (405 unless POST; 400 without a body
 * or one of Shopify's headers; 401 when the HMAC of the raw body is missing or does not
 * match), without loading the shop's offline session, which no webhook handler uses: on the
 * hot path that was a database round trip per delivery. A body over the limit is 413 here as
 * in `npm start`'s server, which refuses it before reading it. Throws the Response to answer.
 */
export async function verifyWebhook(
  request: Request,
  secret = process.env.SHOPIFY_API_SECRET,
  maxBodyBytes = MAX_WEBHOOK_BODY_BYTES,
): Promise<VerifiedWebhook> {
  if (!secret) throw new Error("SHOPIFY_API_SECRET is not set: webhooks cannot be verified");
  if (request.method !== "POST") throw new Response(null, { status: 405, statusText: "Method not allowed" });
  const headers = Object.fromEntries(
    Object.entries(REQUIRED).map(([field, name]) => [field, request.headers.get(name)]),
  ) as Record<keyof typeof REQUIRED, string | null>;
  // The HMAC is over the bytes Shopify sent, before any decoding.
  const raw = await readBody(request, maxBodyBytes);
  if (!raw) throw new Response(null, { status: 413, statusText: "Payload Too Large" });
  if (raw.length === 0 || Object.values(headers).some((value) => !value)) {
    throw new Response(null, { status: 400, statusText: "Bad Request" });
  }
  // No HMAC is as unauthorized as a wrong one (authenticate.webhook answers 400 to it).
  const expected = createHmac("sha256", secret).update(raw).digest();
  const given = Buffer.from(request.headers.get("x-shopify-hmac-sha256") ?? "", "base64");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new Response(null, { status: 401, statusText: "Unauthorized" });
  }
  const triggeredAt = new Date(request.headers.get("x-shopify-triggered-at") ?? Number.NaN);
  return {
    shop: headers.shop!,
    topic: headers.topic!,
    webhookId: headers.webhookId!,
    apiVersion: headers.apiVersion!,
    eventId: request.headers.get("x-shopify-event-id"),
    triggeredAt: Number.isNaN(triggeredAt.getTime()) ? null : triggeredAt,
    body: raw.toString("utf8"),
  };
}
