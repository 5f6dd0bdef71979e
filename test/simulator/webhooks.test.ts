import { createHmac } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { readAppConfig } from "../../simulator/app-config.server";
import { executeLocal } from "../../simulator/resolvers/local-execute.server";
import { testSimulator } from "../../simulator/testing.server";
import { contextFor } from "../../simulator/resolvers/local-execute.server";
import { emitWebhook } from "../../simulator/webhooks/emit.server";
import { webhookSchemaErrors } from "../support/webhook-schemas";

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

describe("the order webhooks of an edit, a refund and a cancellation", () => {
  it("reach the app on the topics shopify.app.toml declares, signed, and no others", async () => {
    const app = await receiver([]);
    const config = readAppConfig();
    const sim = testSimulator({ appUrl: app.url, webhookPaths: config.webhookPaths });
    const gql = async (query: string, variables: Record<string, unknown> = {}) => {
      const response = await executeLocal(sim, "declared", query, variables);
      expect(response.errors).toBeUndefined();
      return response.data as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    };
    const created = await gql(
      `mutation { orderCreate(order: { lineItems: [{ title: "Print", quantity: 2, priceSet: { shopMoney: { amount: "10.00", currencyCode: USD } } }],
        transactions: [{ kind: SALE, amountSet: { shopMoney: { amount: "20.00", currencyCode: USD } } }] }) { order { id lineItems(first: 1) { nodes { id } } } } }`,
    );
    /* eslint-disable @typescript-eslint/no-unsafe-member-access */
    const order = created.orderCreate.order as { id: string; lineItems: { nodes: { id: string }[] } };
    const line = order.lineItems.nodes[0]!.id;
    const begun = await gql(`mutation { orderEditBegin(id: "${order.id}") { calculatedOrder { id } } }`);
    const calculated = begun.orderEditBegin.calculatedOrder.id as string;
    /* eslint-enable @typescript-eslint/no-unsafe-member-access */
    await gql(
      `mutation { orderEditSetQuantity(id: "${calculated}", lineItemId: "${line.replace("LineItem", "CalculatedLineItem")}", quantity: 1) { userErrors { message } } }`,
    );
    await gql(`mutation { orderEditCommit(id: "${calculated}") { userErrors { message } } }`);
    await gql(
      `mutation { refundCreate(input: { orderId: "${order.id}", transactions: [{ orderId: "${order.id}", kind: REFUND, gateway: "manual", amount: "10.00" }] }) { userErrors { message } } }`,
    );
    await gql(
      `mutation { orderCancel(orderId: "${order.id}", reason: CUSTOMER, refund: true, restock: false) { orderCancelUserErrors { message } } }`,
    );
    expect(await sim.webhooks.idle()).toBe(true);

    const topics = app.received.map((delivery) => String(delivery.headers["x-shopify-topic"]));
    // Sent: orders/create, orders/paid, orders/edited, orders/updated (edit), refunds/create,
    // orders/updated (refund), refunds/create, orders/cancelled, orders/updated (cancel).
    // orders/edited and refunds/create are not declared, so they are not delivered.
    expect(topics).toEqual([
      "orders/create",
      "orders/paid",
      "orders/updated",
      "orders/updated",
      "orders/cancelled",
      "orders/updated",
    ]);
    for (const delivery of app.received) {
      const expected = createHmac("sha256", "test-api-secret").update(delivery.body).digest("base64");
      expect(delivery.headers["x-shopify-hmac-sha256"]).toBe(expected);
    }
    expect(sim.webhooks.log.map((delivery) => new URL(delivery.url).pathname)).toContain(
      "/webhooks/orders/cancelled",
    );
  });
});

describe("the store's time zone", () => {
  it("is what `shop { ianaTimezone }` answers, and its shop/update has the shape of Shopify's payload", async () => {
    const app = await receiver([]);
    const sim = testSimulator({ appUrl: app.url, webhookPaths: { "shop/update": "/webhooks/shop/update" } });
    const shop = sim.shop("zoned");
    const zone = async () =>
      ((await executeLocal(sim, "zoned", "{ shop { ianaTimezone } }")).data as { shop: unknown }).shop;
    expect(await zone()).toEqual({ ianaTimezone: "America/New_York" });

    // What the control API's POST /_sim/shops/<shop>/timezone does (test/app/install.test.ts).
    shop.ianaTimezone = "America/Toronto";
    emitWebhook(contextFor(sim, "zoned"), "shop/update", { now: sim.clock.now() });
    expect(await sim.webhooks.idle()).toBe(true);

    expect(await zone()).toEqual({ ianaTimezone: "America/Toronto" });
    expect(app.received).toHaveLength(1);
    const payload = JSON.parse(app.received[0]!.body) as Record<string, unknown>;
    expect(webhookSchemaErrors("shop/update", payload)).toEqual([]);
    expect(payload).toMatchObject({
      iana_timezone: "America/Toronto",
      myshopify_domain: "zoned.myshopify.com",
    });
    expect(payload.timezone).toMatch(/^\(GMT-0[45]:00\) America\/Toronto$/);
  });
});
