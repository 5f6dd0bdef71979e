import type { ServerResponse } from "node:http";
import { GraphQLError } from "graphql";
import { z } from "zod";
import { isPreset, PRESETS, seedShop } from "../seed/seed.server";
import { Simulator } from "../simulator.server";
import { contextFor } from "../resolvers/local-execute.server";
import { changeOrderLineQuantity } from "../resolvers/orders-mutations.server";
import { checkout, CheckoutInputError, coerce } from "../resolvers/orders-checkout.server";
import {
  activateLocation,
  addLocation,
  deactivateLocation,
  deleteLocation,
  editLocation,
  type LocationInput,
} from "../resolvers/catalog-locations.server";
import { locationView } from "../resolvers/catalog-inventory-views.server";
import { isSellable, levelsOfItem } from "../resolvers/catalog-store.server";
import type { UserError } from "../resolvers/context.server";
import type { LocationRecord } from "../state/records.server";
import type { ShopState } from "../state/shop-state.server";
import { emitWebhook } from "../webhooks/emit.server";
import { appBridgeScript } from "./app-bridge.server";
import { catalogControlRoute } from "./catalogs.server";
import { paymentsControlRoute } from "./payments.server";
import { mediaSettingsRoute, productMediaRoute, shopMediaRoute } from "./media.server";
import { signSessionToken } from "./oauth.server";
import { HttpError, type RoutedRequest } from "./server.server";

/**
 * The control API under /_sim: seed and inspect shops, inject faults, replay or delay
 * webhooks, move time, and hand out session tokens as Shopify admin would. Only for tests, the
 * demo and benchmarks; nothing here exists on Shopify.
 */

type Send = (
  response: ServerResponse,
  status: number,
  body: unknown,
  headers?: Record<string, string>,
) => void;

const sizes = z
  .object({
    locations: z.number().int().min(1).max(50),
    products: z.number().int().min(0).max(50_000),
    variantsPerProduct: z.number().int().min(0).max(100),
    customers: z.number().int().min(0).max(100_000),
    companies: z.number().int().min(0).max(10_000),
    orders: z.number().int().min(0).max(100_000),
    payouts: z.number().int().min(0).max(10_000),
    markets: z.number().int().min(0).max(20),
  })
  .partial();

const seedBody = z
  .object({ preset: z.string().optional(), sizes: sizes.optional(), seed: z.number().int().optional() })
  .strict();
const share = z.number().min(0).max(1);
const requestFaults = z
  .object({
    throttledShare: share,
    http429Share: share,
    http5xxShare: share,
    delayShare: share,
    delayMs: z.number().int().min(0).max(60_000),
    lostAnswerShare: share,
    lostAnswerOperations: z.array(z.string().min(1)).max(50),
  })
  .partial()
  .strict();
const webhookFaults = z
  .object({ duplicateShare: share, lateShare: share, lateMs: z.number().int().min(0).max(86_400_000) })
  .partial()
  .strict();
const redeliver = z
  .object({ webhookId: z.string(), delayMs: z.number().int().min(0).max(86_400_000).default(0) })
  .strict();
const advance = z.object({ ms: z.number().int().min(0) }).strict();
const emitBody = z.object({ topic: z.string().regex(/^[a-z_]+\/[a-z_]+$/), payload: z.unknown() }).strict();
const lineQuantity = z.object({ quantity: z.number().int().min(0) }).strict();
const planBody = z.object({ plan: z.enum(["standard", "advanced", "plus"]) }).strict();
const timeZoneBody = z
  .object({
    ianaTimezone: z.string().refine((zone) => {
      try {
        new Intl.DateTimeFormat("en-US", { timeZone: zone });
        return true;
      } catch {
        return false;
      }
    }, "not an IANA time zone"),
  })
  .strict();

function json(request: RoutedRequest): unknown {
  try {
    return JSON.parse(request.body || "{}");
  } catch {
    throw new HttpError(400, { error: "body is not JSON" });
  }
}

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new HttpError(400, {
      error: result.error.issues
        .map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`)
        .join("; "),
    });
  }
  return result.data;
}

/** Records as JSON: dates as ISO strings, Maps as objects. */
function plain(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (_key, item: unknown): unknown =>
      item instanceof Map ? Object.fromEntries(item) : item,
    ),
  ) as unknown;
}

const COLLECTIONS = [
  "locations",
  "products",
  "variants",
  "inventoryItems",
  "inventoryLevels",
  "media",
  "customers",
  "orders",
  "fulfillmentOrders",
  "fulfillments",
  "companies",
  "companyLocations",
  "catalogs",
  "priceLists",
  "markets",
  "publications",
  "payouts",
  "balanceTransactions",
  "disputes",
  "bulkOperations",
  "webhookSubscriptions",
] as const;

export function handleControl(
  sim: Simulator,
  request: RoutedRequest,
  response: ServerResponse,
  send: Send,
): void {
  const { method, path } = request;
  const parts = path.split("/").filter(Boolean).slice(1); // drop "_sim"

  if (method === "GET" && parts[0] === "app-bridge.js") {
    response.writeHead(200, {
      "content-type": "text/javascript; charset=utf-8",
      "access-control-allow-origin": "*",
    });
    response.end(appBridgeScript());
    return;
  }
  if (method === "GET" && parts[0] === "health") {
    send(response, 200, { ok: true, shops: [...sim.shops.keys()], now: sim.clock.now().toISOString() });
    return;
  }
  if (method === "POST" && parts[0] === "faults") {
    sim.faults = { ...sim.faults, ...parse(requestFaults, json(request)) };
    send(response, 200, sim.faults);
    return;
  }
  if (parts[0] === "webhooks") {
    if (method === "POST" && parts[1] === "faults") {
      sim.webhooks.faults = { ...sim.webhooks.faults, ...parse(webhookFaults, json(request)) };
      send(response, 200, sim.webhooks.faults);
      return;
    }
    if (method === "GET" && parts[1] === "deliveries") {
      const shop = request.url.searchParams.get("shop");
      const topic = request.url.searchParams.get("topic");
      send(
        response,
        200,
        sim.webhooks.log.filter(
          (d) => (!shop || d.shop === Simulator.normaliseDomain(shop)) && (!topic || d.topic === topic),
        ),
      );
      return;
    }
    if (method === "POST" && parts[1] === "redeliver") {
      const body = parse(redeliver, json(request));
      const original = sim.webhooks.log.find((d) => d.webhookId === body.webhookId && d.duplicateOf === null);
      if (!original) throw new HttpError(404, { error: `no delivery ${body.webhookId}` });
      setTimeout(() => sim.webhooks.duplicate(original), body.delayMs);
      send(response, 202, { webhookId: original.webhookId, delayMs: body.delayMs });
      return;
    }
  }
  if (parts[0] === "media" && parts[1] === "settings" && !parts[2]) {
    mediaSettingsRoute(sim, request, response, send);
    return;
  }
  if (method === "POST" && parts[0] === "time" && parts[1] === "advance") {
    sim.clock.advance(parse(advance, json(request)).ms);
    send(response, 200, { now: sim.clock.now().toISOString() });
    return;
  }
  if (method === "GET" && parts[0] === "session-token") {
    const shop = request.url.searchParams.get("shop");
    if (!shop) throw new HttpError(400, { error: "shop is required" });
    const token = signSessionToken(
      sim,
      Simulator.normaliseDomain(shop),
      request.url.searchParams.get("user") ?? "1",
    );
    // Fetched by the fake App Bridge from the app's origin.
    send(response, 200, { token }, { "access-control-allow-origin": "*" });
    return;
  }
  if (method === "GET" && parts[0] === "bulk" && parts[1] && parts[2]) {
    const shop = sim.shops.get(Simulator.normaliseDomain(parts[1]));
    const id = Number(parts[2].replace(/\.jsonl$/, ""));
    const operation = shop?.bulkOperations.get(id);
    if (!operation?.resultJsonl && operation?.resultJsonl !== "")
      throw new HttpError(404, { error: "no such result" });
    response.writeHead(200, { "content-type": "application/jsonl" });
    response.end(operation.resultJsonl);
    return;
  }
  if (parts[0] === "shops" && parts[1]) {
    const domain = Simulator.normaliseDomain(decodeURIComponent(parts[1]));
    if (!Simulator.isValidDomain(domain)) throw new HttpError(400, { error: `invalid shop ${domain}` });
    const shop = sim.shop(domain);
    const action = parts[2];
    if (method === "POST" && action === "seed") {
      const body = parse(seedBody, json(request));
      if (body.preset !== undefined && !isPreset(body.preset))
        throw new HttpError(400, { error: `unknown preset ${body.preset}` });
      const base = PRESETS[body.preset && isPreset(body.preset) ? body.preset : "empty"];
      seedShop(shop, { ...base, ...body.sizes }, sim.clock.now(), body.seed ?? 1);
      send(response, 200, counts(shop));
      return;
    }
    if (action === "media" && method !== "GET") {
      shopMediaRoute(sim, shop, parts[3], request, response, send);
      return;
    }
    if (action === "products" && parts[3] && parts[4] === "media" && !parts[6]) {
      productMediaRoute(sim, shop, parts[3], parts[5], request, response, send);
      return;
    }
    if (method === "POST" && action === "plan") {
      shop.plan = parse(planBody, json(request)).plan;
      send(response, 200, { plan: shop.plan });
      return;
    }
    if (method === "POST" && action === "timezone") {
      // The merchant sets the store's time zone in Shopify admin (Settings > General): the
      // GraphQL shop answers it, and Shopify sends shop/update.
      const { ianaTimezone } = parse(timeZoneBody, json(request));
      const changed = shop.ianaTimezone !== ianaTimezone;
      shop.ianaTimezone = ianaTimezone;
      if (changed) emitWebhook(contextFor(sim, domain), "shop/update", { now: sim.clock.now() });
      send(response, 200, { ianaTimezone, changed });
      return;
    }
    if (method === "POST" && action === "webhooks") {
      const body = parse(emitBody, json(request));
      sim.emit(shop, body.topic, body.payload);
      send(response, 202, { topic: body.topic });
      return;
    }
    if (method === "POST" && action === "checkouts" && !parts[3]) {
      // A storefront checkout completes: an order as orderCreate would place it, with a tip.
      try {
        const result = checkout(shop, json(request), contextFor(sim, domain));
        send(response, result.order ? 201 : 422, result);
      } catch (error) {
        if (error instanceof CheckoutInputError) throw new HttpError(400, { error: error.message });
        throw error;
      }
      return;
    }
    if (action === "locations" && (method !== "GET" || parts[3])) {
      locationRoute(shop, method, parts.slice(3), request, response, send, contextFor(sim, domain));
      return;
    }
    if (method === "POST" && action === "orders" && parts[3] && parts[4] === "lines" && parts[5]) {
      // A merchant edits an order in Shopify admin: a line's quantity changes.
      const body = parse(lineQuantity, json(request));
      try {
        const order = changeOrderLineQuantity(
          shop,
          Number(parts[3]),
          Number(parts[5]),
          body.quantity,
          contextFor(sim, domain),
        );
        send(response, 200, { order: order.name, updatedAt: order.updatedAt.toISOString() });
      } catch (error) {
        throw new HttpError(404, { error: (error as Error).message });
      }
      return;
    }
    if (method === "POST" && action === "token") {
      // An Admin API token for the shop, for the demo's traffic and for benchmarks.
      send(response, 200, { token: sim.issueToken(domain) });
      return;
    }
    if (method === "POST" && action === "uninstall") {
      sim.revokeTokens(domain);
      emitWebhook(contextFor(sim, domain), "app/uninstalled", null);
      send(response, 202, { uninstalled: domain });
      return;
    }
    if (catalogControlRoute(sim, domain, shop, request, response, send)) return;
    if (paymentsControlRoute(sim, domain, shop, request, response, send)) return;
    if (method === "GET" && !action) {
      send(response, 200, { domain, plan: shop.plan, counts: counts(shop) });
      return;
    }
    if (method === "GET" && action === "stock" && !parts[3]) {
      // What Shopify admin's Inventory page shows, per variant and location, to look at by hand.
      send(response, 200, stockOf(shop, request.url.searchParams.get("sku")));
      return;
    }
    if (method === "GET" && action && (COLLECTIONS as readonly string[]).includes(action)) {
      const collection = shop[action as (typeof COLLECTIONS)[number]] as Map<unknown, unknown>;
      send(response, 200, plain([...collection.values()].slice(0, 1000)));
      return;
    }
  }
  throw new HttpError(404, { error: `unknown control path ${method} ${path}` });
}

/**
 * `GET /_sim/shops/<shop>/stock[?sku=<sku>]`: each variant (of that SKU) with its price, whether
 * its product is for sale (active or unlisted), its inventory policy, whether its item is
 * tracked, and its on hand, available and committed at each location stocking it, by location
 * name: what a storefront shows and the quantities an app reads through `inventoryLevels`, in
 * one readable list (the `inventoryLevels` collection has them as records keyed by ids). The
 * demo's customers choose from it, as shoppers from a storefront, outside the Admin API's limits.
 */
function stockOf(shop: ShopState, sku: string | null) {
  const rows = [];
  for (const variant of shop.variants.values()) {
    if (sku !== null && variant.sku !== sku) continue;
    const item = shop.inventoryItems.get(variant.inventoryItemId);
    const product = shop.products.get(variant.productId);
    rows.push({
      sku: variant.sku,
      variantId: variant.id,
      title: `${product?.title ?? "?"} - ${variant.title}`,
      price: variant.price,
      forSale: product !== undefined && isSellable(product),
      inventoryPolicy: variant.inventoryPolicy,
      tracked: item?.tracked ?? false,
      levels: levelsOfItem(shop, variant.inventoryItemId).map((level) => ({
        locationId: level.locationId,
        location: shop.locations.get(level.locationId)?.name ?? null,
        on_hand: level.quantities.on_hand,
        available: level.quantities.available,
        committed: level.quantities.committed,
      })),
    });
    if (rows.length >= 1000) break;
  }
  return rows;
}

const deactivateBody = z
  .object({ destinationLocationId: z.union([z.string(), z.number().int()]).nullable().optional() })
  .strict();

/**
 * A merchant managing locations in Shopify admin, through the same code as the Admin API's
 * location mutations (catalog-locations.server.ts), with the same webhooks:
 * `POST locations` (a LocationAddInput), `POST locations/<id>` (a LocationEditInput),
 * `POST locations/<id>/deactivate` (`{"destinationLocationId"?}`), `POST locations/<id>/activate`,
 * `DELETE locations/<id>`. Answers the location (201 when added) or 422 with `userErrors`.
 */
function locationRoute(
  shop: ReturnType<Simulator["shop"]>,
  method: string,
  rest: string[],
  request: RoutedRequest,
  response: ServerResponse,
  send: Send,
  env: ReturnType<typeof contextFor>,
): void {
  const [id, verb, ...extra] = rest;
  const answer = (outcome: { errors: UserError[]; location?: LocationRecord }, status = 200) =>
    send(
      response,
      outcome.errors.length > 0 ? 422 : status,
      outcome.errors.length > 0
        ? { location: null, userErrors: outcome.errors }
        : {
            location: outcome.location ? locationJson(shop, outcome.location) : null,
            userErrors: [],
          },
    );
  try {
    if (extra.length > 0)
      throw new HttpError(404, { error: `unknown control path ${method} ${request.path}` });
    if (method === "POST" && !id) {
      answer(addLocation(shop, coerce<LocationInput>(json(request), "LocationAddInput", "body"), env), 201);
    } else if (method === "POST" && id && !verb) {
      answer(editLocation(shop, id, coerce<LocationInput>(json(request), "LocationEditInput", "body"), env));
    } else if (method === "POST" && id && verb === "deactivate") {
      const body = parse(deactivateBody, json(request));
      answer(deactivateLocation(shop, id, body.destinationLocationId ?? null, env));
    } else if (method === "POST" && id && verb === "activate") {
      answer(activateLocation(shop, id, env));
    } else if (method === "DELETE" && id && !verb) {
      const { errors } = deleteLocation(shop, id, env);
      send(response, errors.length > 0 ? 422 : 200, {
        deletedLocationId: errors.length > 0 ? null : id,
        userErrors: errors,
      });
    } else {
      throw new HttpError(404, { error: `unknown control path ${method} ${request.path}` });
    }
  } catch (error) {
    if (error instanceof CheckoutInputError || error instanceof GraphQLError)
      throw new HttpError(400, { error: error.message });
    throw error;
  }
}

function locationJson(shop: ReturnType<Simulator["shop"]>, location: LocationRecord) {
  const view = locationView(shop, location);
  return {
    id: view.id,
    legacyResourceId: view.legacyResourceId,
    name: view.name,
    isActive: view.isActive,
    fulfillsOnlineOrders: view.fulfillsOnlineOrders,
    address: view.address,
  };
}

function counts(shop: ReturnType<Simulator["shop"]>): Record<string, number> {
  return Object.fromEntries(COLLECTIONS.map((name) => [name, (shop[name] as Map<unknown, unknown>).size]));
}
