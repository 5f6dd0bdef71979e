import { createHmac, randomUUID } from "node:crypto";
import type { SimClock } from "../state/clock.server";

/**
 * Sends webhooks as Shopify does: a POST of the REST-shaped JSON payload, signed with the app
 * secret (X-Shopify-Hmac-Sha256 = base64 HMAC-SHA256 of the raw body), with the Topic,
 * Shop-Domain, API-Version, Webhook-Id, Event-Id and Triggered-At headers.
 *
 * Delivery rules (Shopify changelog "Updates to webhook retry mechanism", 2024-09-10, and the
 * HTTPS delivery docs): a delivery fails on a non-2xx answer or no answer within 5 s; it is
 * then retried 8 times over about 4 hours with exponential backoff, with the same payload and
 * the same webhook id. `retryScale` compresses that schedule (0.001 turns 4 hours into 14 s).
 */

/** Delays before retries 1..8 in ms: doubling from one minute, about four hours in all. */
export const RETRY_DELAYS_MS = [1, 2, 4, 8, 16, 32, 64, 112].map((minutes) => minutes * 60_000);
const TIMEOUT_MS = 5_000;

export interface Delivery {
  webhookId: string;
  eventId: string;
  topic: string;
  shop: string;
  url: string;
  apiVersion: string;
  triggeredAt: string;
  body: string;
  attempts: number;
  /** delivered | retrying | failed | pending */
  state: "pending" | "retrying" | "delivered" | "failed";
  lastStatus: number | null;
  lastError: string | null;
  /** Extra copies sent on purpose by fault injection. */
  duplicateOf: string | null;
  /** How long fault injection held the first attempt back (0: sent at once). */
  heldMs: number;
}

export interface DispatcherOptions {
  apiSecret: string;
  apiVersion: string;
  clock: SimClock;
  retryScale: number;
}

export interface WebhookFaults {
  /** Share (0..1) of deliveries sent twice. */
  duplicateShare: number;
  /** Share (0..1) of deliveries held back by `lateMs` before the first attempt. */
  lateShare: number;
  lateMs: number;
}

export class WebhookDispatcher {
  private readonly options: DispatcherOptions;
  readonly log: Delivery[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<void>>();
  faults: WebhookFaults = { duplicateShare: 0, lateShare: 0, lateMs: 0 };
  private random: () => number;

  constructor(options: DispatcherOptions, random: () => number) {
    this.options = options;
    this.random = random;
  }

  sign(body: string): string {
    return createHmac("sha256", this.options.apiSecret).update(body, "utf8").digest("base64");
  }

  /** Sends one event's payload to each address. Returns the deliveries (one per address). */
  send(shop: string, topic: string, payload: unknown, urls: string[]): Delivery[] {
    const eventId = randomUUID();
    const triggeredAt = this.options.clock.now().toISOString();
    const body = JSON.stringify(payload);
    return urls.map((url) => {
      const delivery: Delivery = {
        webhookId: randomUUID(),
        eventId,
        topic,
        shop,
        url,
        apiVersion: this.options.apiVersion,
        triggeredAt,
        body,
        attempts: 0,
        state: "pending",
        lastStatus: null,
        lastError: null,
        duplicateOf: null,
        heldMs: 0,
      };
      this.log.push(delivery);
      const late = this.random() < this.faults.lateShare;
      if (late) delivery.heldMs = this.faults.lateMs;
      this.later(late ? this.faults.lateMs : 0, () => this.attempt(delivery));
      if (this.random() < this.faults.duplicateShare) {
        this.later(late ? 0 : 50, () => Promise.resolve(this.duplicate(delivery)));
      }
      return delivery;
    });
  }

  /** Sends a delivery again as Shopify sometimes does: same webhook id, same event id. */
  duplicate(original: Delivery): void {
    const copy: Delivery = {
      ...original,
      attempts: 0,
      state: "pending",
      lastStatus: null,
      lastError: null,
      duplicateOf: original.webhookId,
      heldMs: 0,
    };
    this.log.push(copy);
    this.track(this.attempt(copy));
  }

  private later(ms: number, run: () => Promise<void>): void {
    if (ms <= 0) {
      this.track(run());
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.track(run());
    }, ms);
    this.timers.add(timer);
  }

  private track(promise: Promise<void>): void {
    this.inFlight.add(promise);
    void promise.finally(() => this.inFlight.delete(promise));
  }

  private async attempt(delivery: Delivery): Promise<void> {
    delivery.attempts += 1;
    try {
      const response = await fetch(delivery.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-shopify-topic": delivery.topic,
          "x-shopify-hmac-sha256": this.sign(delivery.body),
          "x-shopify-shop-domain": delivery.shop,
          "x-shopify-api-version": delivery.apiVersion,
          "x-shopify-webhook-id": delivery.webhookId,
          "x-shopify-event-id": delivery.eventId,
          "x-shopify-triggered-at": delivery.triggeredAt,
        },
        body: delivery.body,
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      await response.arrayBuffer().catch(() => undefined);
      delivery.lastStatus = response.status;
      delivery.lastError = response.ok ? null : `HTTP ${response.status}`;
      if (response.ok) {
        delivery.state = "delivered";
        return;
      }
    } catch (error) {
      delivery.lastStatus = null;
      delivery.lastError = (error as Error).message;
    }
    const retry = delivery.attempts - 1; // attempts so far minus the first
    const delay = RETRY_DELAYS_MS[retry];
    if (delay === undefined) {
      delivery.state = "failed";
      return;
    }
    delivery.state = "retrying";
    this.later(Math.max(1, Math.round(delay * this.options.retryScale)), () => this.attempt(delivery));
  }

  /** Resolves when nothing is in flight and nothing is waiting (for tests and shutdown). */
  async idle(timeoutMs = 10_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.inFlight.size > 0 || this.timers.size > 0) {
      if (Date.now() > deadline) return false;
      await Promise.race([...this.inFlight, new Promise((resolve) => setTimeout(resolve, 20))]);
    }
    return true;
  }

  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
