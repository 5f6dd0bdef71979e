import { randomBytes } from "node:crypto";
import { CostBucket } from "./graphql/throttle.server";
import { PRESETS, seedShop } from "./seed/seed.server";
import { seededRandom } from "./state/random.server";
import { SimClock } from "./state/clock.server";
import { setShopHost } from "./state/hosting.server";
import { ShopState, type Plan } from "./state/shop-state.server";
import { WebhookDispatcher } from "./webhooks/dispatcher.server";

/**
 * One simulated Shopify: any number of shops, the app's credentials, access tokens, the
 * clock, fault settings and the webhook dispatcher. Shops start empty when first used.
 */

export { seededRandom } from "./state/random.server";

export const SIM_API_VERSION = "2026-07";

export interface SimulatorOptions {
  apiKey: string;
  apiSecret: string;
  /** Where the app listens; webhook paths are appended to it. */
  appUrl: string | null;
  /** A token valid for every shop (in addition to the ones OAuth issues). */
  accessToken: string | null;
  /** The scopes the app is granted on install (the app's declared access scopes). */
  scopes: string;
  plan: Plan;
  /** Topic → path on the app, as the app declares them (shopify.app.toml). */
  webhookPaths: Record<string, string>;
  /** Compresses Shopify's webhook retry schedule (1 = real time). */
  retryScale: number;
  /** Seed of the random choices of fault injection, so runs repeat. */
  seed: number;
}

export interface RequestFaults {
  /** Shares (0..1) of Admin API requests answered with THROTTLED, HTTP 429 or HTTP 5xx. */
  throttledShare: number;
  http429Share: number;
  http5xxShare: number;
  /** Share of requests delayed by delayMs before being answered. */
  delayShare: number;
  delayMs: number;
  /**
   * Share of requests that are carried out but whose answer is lost (HTTP 504 Gateway Timeout
   * after the work is done, as when Shopify's edge gives up on a slow request): only those of
   * the operations named in lostAnswerOperations, or of every operation when it is empty.
   */
  lostAnswerShare: number;
  lostAnswerOperations: string[];
}

/** No faults at all: what a simulator starts with, and what a test puts back after its own. */
export function noFaults(): RequestFaults {
  return {
    throttledShare: 0,
    http429Share: 0,
    http5xxShare: 0,
    delayShare: 0,
    delayMs: 0,
    lostAnswerShare: 0,
    lostAnswerOperations: [],
  };
}

export class Simulator {
  readonly options: SimulatorOptions;
  readonly clock = new SimClock();
  readonly shops = new Map<string, ShopState>();
  /** Access tokens issued by OAuth: token → shop domain. */
  readonly tokens = new Map<string, string>();
  readonly webhooks: WebhookDispatcher;
  readonly random: () => number;
  private readonly buckets = new Map<string, CostBucket>();
  faults: RequestFaults = noFaults();
  /**
   * Where clients reach this simulator (`http://127.0.0.1:<port>`): set when its HTTP server
   * starts listening, unless set before. Files it hands out (bulk operation results, staged
   * upload targets) are absolute URLs on it, as Shopify's are.
   */
  publicUrl: string | null = null;

  constructor(options: SimulatorOptions) {
    this.options = options;
    this.random = seededRandom(options.seed);
    this.webhooks = new WebhookDispatcher(
      {
        apiSecret: options.apiSecret,
        apiVersion: SIM_API_VERSION,
        clock: this.clock,
        retryScale: options.retryScale,
      },
      seededRandom(options.seed + 1),
    );
  }

  /** The base of the absolute URLs the simulator hands out; a placeholder host when it has no server. */
  get baseUrl(): string {
    return this.publicUrl ?? "http://simulator.local";
  }

  static normaliseDomain(shop: string): string {
    const name = shop.trim().toLowerCase();
    return name.endsWith(".myshopify.com") ? name : `${name}.myshopify.com`;
  }

  static isValidDomain(domain: string): boolean {
    return /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/.test(domain);
  }

  shop(domain: string): ShopState {
    const key = Simulator.normaliseDomain(domain);
    let shop = this.shops.get(key);
    if (!shop) {
      shop = new ShopState(key, { plan: this.options.plan, createdAt: this.clock.now() });
      // Like a new Shopify store: empty but for its primary location.
      seedShop(shop, PRESETS.empty, this.clock.now());
      this.shops.set(key, shop);
    }
    // Shops restored from a saved state are set in `shops` directly: registered when used.
    setShopHost(shop, this);
    return shop;
  }

  /** The leaky bucket of this app on a shop, sized by the shop's plan. */
  bucket(shop: ShopState): CostBucket {
    let bucket = this.buckets.get(shop.domain);
    if (!bucket || bucket.plan !== shop.plan) {
      bucket = new CostBucket(shop.plan, () => this.clock.nowMs());
      this.buckets.set(shop.domain, bucket);
    }
    return bucket;
  }

  /** Revokes every token of a shop (uninstall). */
  revokeTokens(domain: string): void {
    for (const [token, owner] of this.tokens) if (owner === domain) this.tokens.delete(token);
  }

  issueToken(domain: string): string {
    const token = `shpat_${randomBytes(16).toString("hex")}`;
    this.tokens.set(token, Simulator.normaliseDomain(domain));
    return token;
  }

  /** Whether a token may call the Admin API of a shop. */
  tokenValidFor(token: string | null, domain: string): boolean {
    if (!token) return false;
    if (this.options.accessToken && token === this.options.accessToken) return true;
    return this.tokens.get(token) === domain;
  }

  /** The addresses a topic's webhooks go to for a shop. */
  webhookTargets(shop: ShopState, topic: string): string[] {
    const targets = new Set<string>();
    const path = this.options.webhookPaths[topic];
    if (path && this.options.appUrl) targets.add(new URL(path, this.options.appUrl).toString());
    const enumTopic = topic.replaceAll("/", "_").toUpperCase();
    for (const subscription of shop.webhookSubscriptions.values()) {
      if (subscription.topic === enumTopic) targets.add(subscription.callbackUrl);
    }
    return [...targets];
  }

  emit(shop: ShopState, topic: string, payload: unknown): void {
    const targets = this.webhookTargets(shop, topic);
    if (targets.length > 0) this.webhooks.send(shop.domain, topic, payload, targets);
  }
}
