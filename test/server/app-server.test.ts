import { readdirSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { ServerBuild } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { webhookActions, webhookFastPath } from "../../server/app-server";
import { installedShop } from "../support/shops";
import { declaredWebhooks, examplePayload, webhookRequest, type DeliveryOptions } from "../support/webhooks";

/**
 * `npm start` answers webhooks without going through Express and Remix: a POST to a webhook
 * route runs that route's action directly. These tests serve the app's real webhook route
 * modules over real HTTP, as the production server does, with everything else falling through
 * to a stand-in for Remix.
 */

type Routes = ServerBuild["routes"];
type RouteModule = Routes[string]["module"];

/** The route manifest Remix builds from app/routes for the webhook routes (flat routes under root). */
async function webhookRoutes(): Promise<Routes> {
  const dir = path.resolve(import.meta.dirname, "../../app/routes");
  const routes: Routes = { root: { id: "root", path: "", module: {} as RouteModule } };
  for (const file of readdirSync(dir).filter((name) => name.startsWith("webhooks."))) {
    const name = file.replace(/\.tsx?$/, "");
    routes[`routes/${name}`] = {
      id: `routes/${name}`,
      parentId: "root",
      path: name.replaceAll(".", "/"),
      module: (await import(path.join(dir, file))) as RouteModule,
    };
  }
  return routes;
}

const LIMIT = 64 * 1024;
let server: http.Server;
let base: string;
const fellThrough: string[] = [];

beforeAll(async () => {
  const routes = await webhookRoutes();
  const fast = webhookFastPath({ routes }, { maxBodyBytes: LIMIT });
  server = http.createServer((req, res) => {
    if (fast(req, res)) return;
    fellThrough.push(`${req.method} ${req.url}`);
    req.resume();
    res.writeHead(404).end("not a webhook");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Sends a webhook as Shopify does, over HTTP, to the fast-path server. */
async function send(options: DeliveryOptions, url?: string) {
  const request = webhookRequest(options);
  const target = url ?? new URL(request.url).pathname;
  return fetch(`${base}${target}`, { method: "POST", headers: request.headers, body: await request.text() });
}

describe("the production server's webhook fast path", () => {
  it("serves every webhook shopify.app.toml subscribes to", async () => {
    const actions = webhookActions({ routes: await webhookRoutes() });
    for (const webhook of declaredWebhooks()) expect(actions.has(webhook.uri), webhook.uri).toBe(true);
  });

  it("records an order webhook once and queues the shop's order sync, answering 200 each time", async () => {
    const shop = await installedShop();
    const delivery = {
      topic: "orders/create",
      shop: shop.domain,
      payload: examplePayload("orders/create"),
      webhookId: "fast-path-1",
    };

    const first = await send(delivery);
    const again = await send(delivery);

    expect([first.status, again.status]).toEqual([200, 200]);
    expect(await prisma.webhookDelivery.count({ where: { shopId: shop.id } })).toBe(1);
    const runs = await prisma.syncRun.findMany({ where: { shopId: shop.id } });
    expect(runs).toMatchObject([{ task: "sync_orders", trigger: "webhook", status: "queued" }]);
  });

  it("answers 401 to a wrong HMAC and records nothing", async () => {
    const shop = await installedShop();

    const response = await send({
      topic: "orders/create",
      shop: shop.domain,
      payload: examplePayload("orders/create"),
      secret: "not-the-app-secret",
    });

    expect(response.status).toBe(401);
    expect(await prisma.webhookDelivery.count({ where: { shopId: shop.id } })).toBe(0);
    expect(await prisma.syncRun.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("refuses a body over the limit with 413 and records nothing", async () => {
    const shop = await installedShop();
    const payload = { ...examplePayload("orders/create"), note: "x".repeat(LIMIT + 1) };

    const response = await send({ topic: "orders/create", shop: shop.domain, payload });

    expect(response.status).toBe(413);
    expect(await prisma.webhookDelivery.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("stops reading a body sent without a length as soon as it passes the limit: 413, nothing recorded", async () => {
    const shop = await installedShop();
    const request = webhookRequest({ topic: "orders/create", shop: shop.domain, payload: {} });
    const chunk = new TextEncoder().encode("x".repeat(16 * 1024));
    let sentChunks = 0;
    // Chunked: no Content-Length, and far more than the limit if the server kept reading.
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        sentChunks += 1;
        if (sentChunks > 1000) controller.close();
        else controller.enqueue(chunk);
      },
    });

    const response = await fetch(`${base}/webhooks/orders/create`, {
      method: "POST",
      headers: request.headers,
      body,
      duplex: "half",
    });

    expect(response.status).toBe(413);
    expect(sentChunks).toBeLessThan(1000);
    expect(await prisma.webhookDelivery.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("takes a webhook URL with a query string; leaves other requests to Remix", async () => {
    const shop = await installedShop();
    const delivery = { topic: "orders/paid", shop: shop.domain, payload: examplePayload("orders/paid") };

    expect((await send(delivery, "/webhooks/orders/paid?source=shopify")).status).toBe(200);
    expect(await prisma.webhookDelivery.count({ where: { shopId: shop.id } })).toBe(1);

    fellThrough.length = 0;
    expect((await fetch(`${base}/webhooks/orders/paid`)).status).toBe(404);
    expect((await fetch(`${base}/webhooks/nothing/here`, { method: "POST", body: "{}" })).status).toBe(404);
    expect((await fetch(`${base}/app/orders`, { method: "POST", body: "a=1" })).status).toBe(404);
    expect(fellThrough).toEqual([
      "GET /webhooks/orders/paid",
      "POST /webhooks/nothing/here",
      "POST /app/orders",
    ]);
  });
});

describe("which routes the fast path takes", () => {
  const action = () => Promise.resolve(new Response(null));
  const route = (id: string, fields: Partial<Routes[string]>, module: Partial<RouteModule> = { action }) => ({
    [id]: { id, module: module as RouteModule, ...fields },
  });

  it("joins nested paths, and leaves dynamic, index and action-less routes to Remix", () => {
    const routes: Routes = {
      ...route("root", { path: "" }, {}),
      ...route("routes/webhooks", { parentId: "root", path: "webhooks" }, {}),
      ...route("routes/webhooks.orders.create", { parentId: "routes/webhooks", path: "orders/create" }),
      ...route("routes/webhooks.$topic", { parentId: "routes/webhooks", path: ":topic" }),
      ...route("routes/webhooks._index", { parentId: "routes/webhooks", index: true }),
      ...route("routes/webhooks.loader-only", { parentId: "routes/webhooks", path: "loader-only" }, {}),
      ...route("routes/app.orders", { parentId: "root", path: "app/orders" }),
    };

    expect([...webhookActions({ routes }).keys()]).toEqual(["/webhooks/orders/create"]);
  });

  it("answers 500 when an action fails, so that Shopify delivers the webhook again", async () => {
    const routes: Routes = {
      ...route("root", { path: "" }, {}),
      ...route(
        "routes/webhooks.broken",
        { parentId: "root", path: "webhooks/broken" },
        { action: () => Promise.reject(new Error("database unreachable")) },
      ),
    };
    const fast = webhookFastPath({ routes });
    const broken = http.createServer((req, res) => {
      if (!fast(req, res)) res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => broken.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = broken.address() as AddressInfo;
      const response = await fetch(`http://127.0.0.1:${port}/webhooks/broken`, {
        method: "POST",
        body: "{}",
      });
      expect(response.status).toBe(500);
    } finally {
      await new Promise<void>((resolve) => broken.close(() => resolve()));
    }
  });
});
