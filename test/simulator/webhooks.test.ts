import { createHmac } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { testSimulator } from "../../simulator/testing.server";

/** The simulator delivers webhooks as Shopify does: signed, with its headers, retried on failure. */

interface Received {
  headers: IncomingMessage["headers"];
  body: string;
}

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** A receiving app that answers with the given statuses in turn (then 200). */
async function receiver(statuses: number[]): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString("utf8") });
      response.writeHead(statuses.shift() ?? 200);
      response.end();
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

describe("a webhook from the simulator", () => {
  it("is signed with the app secret and carries Shopify's headers", async () => {
    const app = await receiver([]);
    const sim = testSimulator({
      appUrl: app.url,
      webhookPaths: { "orders/create": "/webhooks/orders/create" },
    });
    sim.emit(sim.shop("hooks"), "orders/create", { id: 1, name: "#1001" });
    expect(await sim.webhooks.idle()).toBe(true);

    expect(app.received).toHaveLength(1);
    const [delivery] = app.received;
    const expected = createHmac("sha256", "test-api-secret").update(delivery!.body).digest("base64");
    expect(delivery!.headers).toMatchObject({
      "x-shopify-hmac-sha256": expected,
      "x-shopify-topic": "orders/create",
      "x-shopify-shop-domain": "hooks.myshopify.com",
      "x-shopify-api-version": "2026-07",
    });
    expect(delivery!.headers["x-shopify-webhook-id"]).toBeTruthy();
    expect(delivery!.headers["x-shopify-event-id"]).toBeTruthy();
    expect(Date.parse(String(delivery!.headers["x-shopify-triggered-at"]))).not.toBeNaN();
  });

  it("is retried after non-2xx answers with the same webhook id and payload, until it is taken", async () => {
    const app = await receiver([500, 503]);
    const sim = testSimulator({
      appUrl: app.url,
      webhookPaths: { "orders/paid": "/webhooks/orders/paid" },
      retryScale: 0.0001,
    });
    sim.emit(sim.shop("retry"), "orders/paid", { id: 2 });
    expect(await sim.webhooks.idle()).toBe(true);

    expect(app.received).toHaveLength(3);
    expect(new Set(app.received.map((r) => r.headers["x-shopify-webhook-id"])).size).toBe(1);
    expect(new Set(app.received.map((r) => r.body)).size).toBe(1);
    expect(sim.webhooks.log[0]).toMatchObject({ state: "delivered", attempts: 3, lastStatus: 200 });
  });

  it("gives up after Shopify's 8 retries", async () => {
    const app = await receiver(Array.from({ length: 20 }, () => 500));
    const sim = testSimulator({
      appUrl: app.url,
      webhookPaths: { "orders/paid": "/webhooks/orders/paid" },
      retryScale: 0.00001,
    });
    sim.emit(sim.shop("giveup"), "orders/paid", { id: 3 });
    expect(await sim.webhooks.idle()).toBe(true);

    expect(app.received).toHaveLength(9);
    expect(sim.webhooks.log[0]).toMatchObject({ state: "failed", attempts: 9, lastStatus: 500 });
  });

  it("can be sent twice, or late, on purpose", async () => {
    const app = await receiver([]);
    const sim = testSimulator({
      appUrl: app.url,
      webhookPaths: { "orders/create": "/webhooks/orders/create" },
    });
    sim.webhooks.faults = { duplicateShare: 1, lateShare: 1, lateMs: 300 };
    const started = Date.now();
    sim.emit(sim.shop("faults"), "orders/create", { id: 4 });
    expect(await sim.webhooks.idle()).toBe(true);

    expect(app.received).toHaveLength(2);
    expect(app.received[0]!.headers["x-shopify-webhook-id"]).toBe(
      app.received[1]!.headers["x-shopify-webhook-id"],
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
  });
});
