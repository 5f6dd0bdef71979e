import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "smol-toml";

/**
 * What the simulated Shopify knows about the app from its configuration file, as Shopify does
 * from a deployed `shopify.app.toml`: the access scopes and the webhook subscriptions.
 */

export interface AppConfig {
  scopes: string;
  /** topic (e.g. orders/create) → path on the app (e.g. /webhooks/orders/create) */
  webhookPaths: Record<string, string>;
}

const DEFAULT_FILE = path.resolve(import.meta.dirname, "../shopify.app.toml");

export function readAppConfig(file = DEFAULT_FILE): AppConfig {
  const toml = parse(readFileSync(file, "utf8")) as {
    access_scopes?: { scopes?: string };
    webhooks?: { subscriptions?: { topics?: string[]; compliance_topics?: string[]; uri: string }[] };
  };
  const webhookPaths: Record<string, string> = {};
  for (const subscription of toml.webhooks?.subscriptions ?? []) {
    for (const topic of [...(subscription.topics ?? []), ...(subscription.compliance_topics ?? [])]) {
      webhookPaths[topic] = subscription.uri;
    }
  }
  return { scopes: toml.access_scopes?.scopes ?? "", webhookPaths };
}
