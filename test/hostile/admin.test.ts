import { readdirSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAppServer } from "../../server/app-server";
import { appServerBuild } from "../support/remix-build";
import prisma from "../../app/db.server";
import { TEST_API_SECRET } from "../support/env";
import { adminRequest, callRoute, sessionToken } from "../support/admin";
import { outcome, shopWithRecords, status, type ShopWithRecords } from "./admin-support";
import { printTallyAfterAll, tryInput } from "./tally";

import * as layout from "../../app/routes/app";
import * as home from "../../app/routes/app._index";
import * as companies from "../../app/routes/app.companies";
import * as customers from "../../app/routes/app.customers";
import * as inventory from "../../app/routes/app.inventory";
import * as items from "../../app/routes/app.items";
import * as locations from "../../app/routes/app.locations";
import * as orders from "../../app/routes/app.orders";
import * as products from "../../app/routes/app.products";
import * as runsLive from "../../app/routes/app.runs.live";
import * as runs from "../../app/routes/app.runs";
import * as settings from "../../app/routes/app.settings";
import * as shipments from "../../app/routes/app.shipments";
import * as tasks from "../../app/routes/app.tasks._index";
import * as task from "../../app/routes/app.tasks.$task._index";
import * as taskFilters from "../../app/routes/app.tasks.$task.filters";
import * as orderBlockApi from "../../app/routes/api.extensions.orders.$id";
import * as productBlockApi from "../../app/routes/api.extensions.products.$id";

/**
 * Hostile requests to the embedded admin, as App Bridge would send them but with a session
 * token that must not pass, or a token of one shop naming another shop's records. Every
 * loader and action under /app is tried; each request is one that the app takes with a good
 * token (the last test shows it), and the whole database is compared before and after each.
 */

printTallyAfterAll("test/hostile/admin.test.ts");

const ROW = {
  token: "session token expired, not yet valid, signed with another secret, alg none, for another app",
  tokenHttp: "the same tokens over HTTP to npm start's server (pages and their .data requests)",
  documentToken: "the same tokens on a page load (id_token in the address)",
  otherShop: "session token of shop A asking for shop B's record",
} as const;

type Handler = (args: never) => Promise<unknown>;

/** Every admin route module under /app, its address and the params Remix would give it. */
const ROUTES = [
  { name: "app (layout)", module: layout, path: "/app" },
  { name: "app._index", module: home, path: "/app" },
  { name: "app.companies", module: companies, path: "/app/companies" },
  { name: "app.customers", module: customers, path: "/app/customers" },
  { name: "app.inventory", module: inventory, path: "/app/inventory" },
  { name: "app.items", module: items, path: "/app/items" },
  { name: "app.locations", module: locations, path: "/app/locations" },
  { name: "app.orders", module: orders, path: "/app/orders" },
  { name: "app.products", module: products, path: "/app/products" },
  { name: "app.runs.live", module: runsLive, path: "/app/runs/live" },
  { name: "app.runs", module: runs, path: "/app/runs" },
  { name: "app.settings", module: settings, path: "/app/settings" },
  { name: "app.shipments", module: shipments, path: "/app/shipments" },
  { name: "app.tasks._index", module: tasks, path: "/app/tasks" },
  {
    name: "app.tasks.$task._index",
    module: task,
    path: "/app/tasks/sync_orders",
    params: { task: "sync_orders" },
  },
  {
    name: "app.tasks.$task.filters",
    module: taskFilters,
    path: "/app/tasks/sync_orders/filters",
    params: { task: "sync_orders" },
  },
] as const;

/**
 * The admin extensions' API (app/routes/api.*): the blocks on Shopify's order and product pages
 * call it with the same session token, so it is tried the same way, for one of the shop's orders
 * and products, with an action each takes from its own shop.
 */
function extensionRoutes(shop: ShopWithRecords) {
  const order = shop.orders.waiting.shopifyId.toString();
  return [
    {
      name: "api.extensions.orders.$id",
      module: orderBlockApi,
      path: `/api/extensions/orders/${order}`,
      params: { id: order },
      form: { intent: "process" },
    },
    {
      name: "api.extensions.products.$id",
      module: productBlockApi,
      path: `/api/extensions/products/${shop.product.id}`,
      params: { id: shop.product.id },
      form: { intent: "map", variantId: shop.product.variantId, itemNo: "TEE" },
    },
  ] as const;
}

/** A form each action takes from its own shop (with a good token): the hostile tries use it. */
function goodForm(
  name: string,
  shop: ShopWithRecords,
  queuedRunId: string,
): Record<string, string> | undefined {
  switch (name) {
    case "app.companies":
      return { intent: "create", companyId: shop.unmappedCompanyId, name: "Harbour Traders" };
    case "app.customers":
      return { intent: "create", customerId: shop.unmappedCustomerId, name: "Ada Lovelace" };
    case "app.inventory":
      return { intent: "retry", ...shop.failedLevel };
    case "app.items":
      return { intent: "retry", itemNo: shop.failedItemNo };
    case "app.locations":
      // Saved as it is (off, fed by nothing): the tries around it change nothing either way.
      return { intent: "save", id: shop.failedLevel.locationId, stockCalculation: "off", sources: "" };
    case "app.orders":
      return { intent: "confirm", order: shop.orders.changed.id };
    case "app.products":
      return {
        intent: "create",
        variantId: shop.variants.hat.variantId.toString(),
        description: "Wool hat",
        unitPrice: "19.50",
      };
    case "app.runs":
      return { intent: "cancel", runId: queuedRunId };
    case "app.settings":
      return {
        // Background syncs stay on: the actions after this one queue their runs, never call Shopify.
        allowBackgroundSyncs: "on",
        autoProcessOrders: "",
        customerMapping: "email_phone",
        productMapping: "item_no",
      };
    case "app.shipments":
      return { intent: "retry", shipmentId: shop.failedShipmentId };
    case "app.tasks._index":
      return { task: "sync_orders" };
    case "app.tasks.$task._index":
      return { intent: "schedule", enabled: "on", preset: "every60", category: "sync" };
    case "app.tasks.$task.filters":
      return { financialStatus: "paid" };
    default:
      return undefined;
  }
}

let mine: ShopWithRecords;
let theirs: ShopWithRecords;

beforeAll(async () => {
  mine = await shopWithRecords();
  theirs = await shopWithRecords();
  // Items go to Shopify, so the Items page's actions are taken (the settings form, tried after
  // it, sets the setting back to off).
  await prisma.shopSettings.updateMany({
    where: { shopId: { in: [mine.shop.id, theirs.shop.id] } },
    data: { syncItems: "to_shopify" },
  });
}, 120_000);

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const now = () => Math.floor(Date.now() / 1000);

/** Session tokens for `domain` that must not pass (Shopify allows 10 s of clock skew). */
function badTokens(domain: string): [string, string][] {
  const good = sessionToken(domain);
  const [, claims] = good.split(".");
  const payload = JSON.parse(Buffer.from(claims!, "base64url").toString()) as Record<string, unknown>;
  return [
    [
      "expired a minute ago",
      sessionToken(domain, TEST_API_SECRET, {
        claims: { exp: now() - 60, iat: now() - 120, nbf: now() - 120 },
      }),
    ],
    [
      // An hour ahead: a minute ahead came within the 10 s of skew while a loaded machine was
      // still trying the routes (CI of 5b067af, 50 s in).
      "not valid for another hour",
      sessionToken(domain, TEST_API_SECRET, {
        claims: { nbf: now() + 3600, iat: now() + 3600, exp: now() + 3660 },
      }),
    ],
    ["signed with another secret", sessionToken(domain, "not-the-app-secret")],
    ["alg none, unsigned", `${b64({ alg: "none", typ: "JWT" })}.${claims}.`],
    [
      "alg none, with the good signature",
      `${b64({ alg: "none", typ: "JWT" })}.${claims}.${good.split(".")[2]}`,
    ],
    ["for another app (aud)", sessionToken(domain, TEST_API_SECRET, { claims: { aud: "another-app-key" } })],
    [
      "claims changed after signing",
      `${good.split(".")[0]}.${b64({ ...payload, sub: "2" })}.${good.split(".")[2]}`,
    ],
    ["HS512 in the header", sessionToken(domain, TEST_API_SECRET, { header: { alg: "HS512" } })],
    ["not a JWT", "not-a-session-token"],
  ];
}

describe("the routes tried", () => {
  it("are every admin page there is: a new page is tried the day it lands", () => {
    const files = readdirSync(new URL("../../app/routes/", import.meta.url))
      .filter((file) => /^(app|api)(\.|\.tsx$)/.test(file))
      .map((file) => file.replace(/\.tsx$/, ""));
    const tried = new Set([
      ...ROUTES.map((route) => route.name.replace(" (layout)", "")),
      ...extensionRoutes(mine).map((route) => route.name),
    ]);
    expect(files.filter((file) => !tried.has(file))).toEqual([]);
  });
});

describe("a session token that must not pass", () => {
  it("is answered 401 by every loader and action of the admin, and nothing changes", async () => {
    const tokens = badTokens(mine.shop.domain);
    for (const route of ROUTES) {
      const params = "params" in route ? route.params : {};
      const handlers: [string, Handler, Record<string, string> | undefined][] = [
        ["loader", route.module.loader, undefined],
      ];
      if ("action" in route.module)
        handlers.push(["action", route.module.action, goodForm(route.name, mine, mine.queuedRunId)]);
      for (const [kind, handler, form] of handlers)
        for (const [label, token] of tokens)
          await tryInput(
            ROW.token,
            `${route.name} ${kind}: ${label}`,
            () =>
              outcome(
                callRoute(handler as never, adminRequest(mine.shop.domain, route.path, form, token), params),
              ),
            status,
            { answer: 401 },
          );
    }
  }, 180_000); // every route × every bad token: a few thousand requests

  it("is answered 401 by the admin extensions' API, loader and action, and nothing changes", async () => {
    const tokens = badTokens(mine.shop.domain);
    for (const route of extensionRoutes(mine))
      for (const [kind, handler, form] of [
        ["loader", route.module.loader, undefined],
        ["action", route.module.action, route.form],
      ] as const)
        for (const [label, token] of tokens)
          await tryInput(
            ROW.token,
            `${route.name} ${kind}: ${label}`,
            () =>
              outcome(
                callRoute(
                  handler as never,
                  adminRequest(mine.shop.domain, route.path, form, token),
                  route.params,
                ),
              ),
            status,
            { answer: 401 },
          );
  });

  it("on a page load, sends the browser to the bounce page for a fresh token (Shopify's flow), serving nothing and changing nothing", async () => {
    const tokens = badTokens(mine.shop.domain);
    for (const route of ROUTES) {
      const params = "params" in route ? route.params : {};
      for (const [label, token] of tokens) {
        const url = new URL(route.path, "http://127.0.0.1:3999");
        url.search = new URLSearchParams({
          embedded: "1",
          shop: mine.shop.domain,
          host: Buffer.from(`admin.shopify.com/store/${mine.shop.domain.split(".")[0]}`).toString(
            "base64url",
          ),
          id_token: token,
        }).toString();
        await tryInput(
          ROW.documentToken,
          `${route.name}: ${label}`,
          () => outcome(callRoute(route.module.loader as never, new Request(url), params)),
          (result) => `${result.status} ${new URL(result.location ?? "", url).pathname}`,
          { answer: "302 /auth/session-token" },
        );
      }
    }
  });
});

describe("npm start's server", () => {
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    server = createAppServer(await appServerBuild(), "production");
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 120_000);
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("answers 401 over HTTP, through Express and Remix, to every admin page and its data request, and to the extensions' API", async () => {
    const tokens = badTokens(mine.shop.domain);
    const paths: string[] = [...new Set(ROUTES.map((route) => route.path))];
    // The extensions' API has no data requests: its routes are resource routes.
    const api: string[] = extensionRoutes(mine).map((route) => route.path);
    for (const path of [...paths, ...api])
      for (const address of api.includes(path) ? [path] : [path, `${path}.data`])
        for (const [label, token] of tokens)
          await tryInput(
            ROW.tokenHttp,
            `HTTP ${address}: ${label}`,
            async () => {
              const response = await fetch(`${base}${address}?shop=${mine.shop.domain}`, {
                headers: {
                  authorization: `Bearer ${token}`,
                  // Not a bot: Shopify's library answers 410 to those before it looks at the token.
                  "user-agent":
                    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36",
                },
                redirect: "manual",
              });
              await response.arrayBuffer();
              return response.status;
            },
            String,
            { answer: "401" },
          );
  }, 180_000); // every route × every bad token: a few thousand requests
});

describe("a session token of one shop naming another shop's record", () => {
  it("is answered 404, by the record's id and with the other shop in the address, and neither shop changes", async () => {
    const requests: [string, Handler, string, Record<string, string> | undefined][] = [
      ["customer page", customers.loader, `/app/customers?customer=${theirs.unmappedCustomerId}`, undefined],
      [
        "map customer",
        customers.action,
        "/app/customers",
        { intent: "map", customerId: theirs.unmappedCustomerId, customerNo: mine.customer.no },
      ],
      [
        "create customer",
        customers.action,
        "/app/customers",
        { intent: "create", customerId: theirs.unmappedCustomerId, name: "Stranger" },
      ],
      [
        "retry their customer's export",
        customers.action,
        "/app/customers",
        { intent: "retry", customerNo: theirs.failedCustomerNo },
      ],
      [
        "add their customer to Shopify",
        customers.action,
        "/app/customers",
        { intent: "add", customerNos: theirs.failedCustomerNo },
      ],
      ["company page", companies.loader, `/app/companies?company=${theirs.unmappedCompanyId}`, undefined],
      [
        "map company",
        companies.action,
        "/app/companies",
        { intent: "map", companyId: theirs.unmappedCompanyId, customerNo: mine.customer.no },
      ],
      [
        "create business customer from company",
        companies.action,
        "/app/companies",
        { intent: "create", companyId: theirs.unmappedCompanyId, name: "Stranger Ltd" },
      ],
      [
        "retry company",
        companies.action,
        "/app/companies",
        { intent: "retry", companyId: theirs.failedCompanyId },
      ],
      ["variant page", products.loader, `/app/products?variant=${theirs.variants.hat.variantId}`, undefined],
      [
        "map variant",
        products.action,
        "/app/products",
        { intent: "map", variantId: theirs.variants.hat.variantId.toString(), itemNo: "TEE" },
      ],
      [
        "create item from variant",
        products.action,
        "/app/products",
        {
          intent: "create",
          variantId: theirs.variants.hat.variantId.toString(),
          description: "Wool hat",
          unitPrice: "19.50",
        },
      ],
      [
        "retry shipment",
        shipments.action,
        "/app/shipments",
        { intent: "retry", shipmentId: theirs.failedShipmentId },
      ],
      ["retry item", items.action, "/app/items", { intent: "retry", itemNo: theirs.failedItemNo }],
      ["add item to Shopify", items.action, "/app/items", { intent: "add", itemNos: theirs.failedItemNo }],
      ["pictures of their item", items.loader, `/app/items?pictures=${theirs.failedItemNo}`, undefined],
      [
        "retry their picture",
        items.action,
        "/app/items",
        { intent: "retryPicture", pictureId: theirs.failedPictureId },
      ],
      [
        "move their picture",
        items.action,
        "/app/items",
        { intent: "movePicture", pictureId: theirs.failedPictureId, position: "1" },
      ],
      [
        "remove their picture",
        items.action,
        "/app/items",
        { intent: "removePicture", pictureId: theirs.failedPictureId },
      ],
      [
        "retry inventory level",
        inventory.action,
        "/app/inventory",
        { intent: "retry", ...theirs.failedLevel },
      ],
      [
        "save their location",
        locations.action,
        "/app/locations",
        { intent: "save", id: theirs.failedLevel.locationId, stockCalculation: "off", sources: "" },
      ],
      [
        "inventory of their location",
        inventory.loader,
        `/app/inventory?location=${theirs.failedLevel.locationId}`,
        undefined,
      ],
      ["confirm order", orders.action, "/app/orders", { intent: "confirm", order: theirs.orders.changed.id }],
      ["adjust order", orders.action, "/app/orders", { intent: "adjust", order: theirs.orders.changed.id }],
      ["close order", orders.action, "/app/orders", { intent: "close", order: theirs.orders.cancelled.id }],
      ["retry run", runs.action, "/app/runs", { intent: "retry", runId: theirs.failedRunId }],
      [
        "order block of their order",
        orderBlockApi.loader,
        `/api/extensions/orders/${theirs.orders.waiting.shopifyId}`,
        undefined,
      ],
      [
        "Process now on their order",
        orderBlockApi.action,
        `/api/extensions/orders/${theirs.orders.waiting.shopifyId}`,
        { intent: "process" },
      ],
      [
        "Retry shipment of their order",
        orderBlockApi.action,
        `/api/extensions/orders/${theirs.failedShipmentOrderId}`,
        { intent: "retryShipment", shipmentId: theirs.failedShipmentId },
      ],
      [
        "product block of their product",
        productBlockApi.loader,
        `/api/extensions/products/${theirs.product.id}`,
        undefined,
      ],
      [
        "Map on their product",
        productBlockApi.action,
        `/api/extensions/products/${theirs.product.id}`,
        { intent: "map", variantId: theirs.product.variantId, itemNo: "TEE" },
      ],
      [
        "Create item on their product",
        productBlockApi.action,
        `/api/extensions/products/${theirs.product.id}`,
        { intent: "create", variantId: theirs.product.variantId, description: "Felt scarf", unitPrice: "12" },
      ],
      ["cancel run", runs.action, "/app/runs", { intent: "cancel", runId: theirs.queuedRunId }],
    ];
    for (const addressed of [mine.shop.domain, theirs.shop.domain])
      for (const [label, handler, path, form] of requests)
        await tryInput(
          ROW.otherShop,
          `${label}, address naming ${addressed === mine.shop.domain ? "my" : "their"} shop`,
          () =>
            outcome(
              callRoute(
                handler as never,
                adminRequest(addressed, path, form, sessionToken(mine.shop.domain)),
                // The API's routes take the record's id from the address, as Remix gives it.
                path.startsWith("/api/") ? { id: path.split("/").pop()! } : {},
              ),
            ),
          status,
          { answer: 404 },
        );
  });
});

describe("the requests above, with the shop's own token", () => {
  it("are answered 200: the refusals were for the token, not the request", async () => {
    for (const route of ROUTES) {
      const params = "params" in route ? route.params : {};
      const load = await outcome(
        callRoute(route.module.loader as never, adminRequest(mine.shop.domain, route.path), params),
      );
      expect(load.status, `${route.name} loader`).toBe(200);
      if (!("action" in route.module)) continue;
      const form = goodForm(route.name, mine, mine.queuedRunId);
      const act = await outcome(
        callRoute(route.module.action as never, adminRequest(mine.shop.domain, route.path, form), params),
      );
      expect([act.status, (act.body as { ok?: boolean }).ok], `${route.name} action`).toEqual([200, true]);
    }
    for (const route of extensionRoutes(mine)) {
      const load = await outcome(
        callRoute(route.module.loader as never, adminRequest(mine.shop.domain, route.path), route.params),
      );
      expect(load.status, `${route.name} loader`).toBe(200);
      const act = await outcome(
        callRoute(
          route.module.action as never,
          adminRequest(mine.shop.domain, route.path, route.form),
          route.params,
        ),
      );
      const message = (JSON.parse(String(act.body)) as { message?: unknown }).message;
      expect([act.status, typeof message], `${route.name} action`).toEqual([200, "string"]);
    }
  });
});
