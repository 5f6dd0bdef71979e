import type { ServerResponse } from "node:http";
import { GraphQLError } from "graphql";
import { z } from "zod";
import type { Simulator } from "../simulator.server";
import { gid, numericId, type ShopState } from "../state/shop-state.server";
import type { CatalogRecord, PriceListRecord } from "../state/records.server";
import { contextFor } from "../resolvers/local-execute.server";
import { catalogGid } from "../resolvers/b2b-catalog-views.server";
import { createCatalog, deleteCatalog, updateCatalog } from "../resolvers/b2b-catalogs.server";
import {
  applyPrices,
  createPriceList,
  deletions,
  priceErrors,
  updatePriceList,
  type PriceInput,
} from "../resolvers/b2b-price-lists.server";
import { createMarket } from "../resolvers/catalogs-markets.server";
import { changePublication, createPublication } from "../resolvers/catalogs-publications.server";
import type { UserError } from "../resolvers/context.server";
import { emitWebhook } from "../webhooks/emit.server";
import { HttpError, jsonBody, type RoutedRequest } from "./server.server";

/**
 * The control API's catalog routes: what a merchant does in Shopify admin (Products > Catalogs,
 * Settings > Markets), through the same code as the Admin API's mutations. Nothing here exists on
 * Shopify. Ids may be numbers, digits or GIDs. Shopify sends no webhook for catalogs, price lists
 * or publications, so none of these routes sends one, but for a new market (markets/create).
 *
 * - `POST /_sim/shops/<shop>/catalogs` `{"title", "status"?, "companyLocationIds"? | "companyId"?,
 *   "priceList"?: {"name"?, "currency"?, "adjustment"?: {"type", "value"}, "compareAtMode"?,
 *   "fixedPrices"?: [{"variantId", "price", "compareAtPrice"?}]} | null,
 *   "publication"?: {"products": "ALL" | [ids], "autoPublish"?}}`: a catalog for company
 *   locations (all of a company's with `companyId`), with a price list (the shop's currency, no
 *   adjustment, unless given; `null` for none) and, when given, a publication. 201 with the
 *   catalog's, price list's and publication's ids; 422 with `userErrors`, nothing made.
 * - `POST /_sim/shops/<shop>/catalogs/<id>` `{"title"?, "status"?, "companyLocationIds"?}` (the
 *   locations replace the catalog's); `DELETE …/catalogs/<id>` (its price list and publication go).
 * - `POST /_sim/shops/<shop>/price-lists/<id>` `{"currency"?, "adjustment"?, "compareAtMode"?}`
 *   (a new currency removes the fixed prices, as on Shopify).
 * - `POST /_sim/shops/<shop>/price-lists/<id>/prices` `{"prices"?: [{"variantId", "price",
 *   "compareAtPrice"?}], "remove"?: [variantIds]}`: fixed prices changed behind the app's back, in
 *   the list's currency, any number at once.
 * - `POST /_sim/shops/<shop>/publications/<id>/products` `{"add"?, "remove"?, "autoPublish"?}`.
 * - `POST /_sim/shops/<shop>/markets` `{"name", "currency", "status"?, "adjustment"?}`: a market
 *   with its market catalog, price list and publication of every product; markets/create sent.
 */

type Send = (response: ServerResponse, status: number, body: unknown) => void;

const id = z.union([z.string().min(1), z.number().int()]);
const amount = z.union([z.string().regex(/^-?\d+(\.\d+)?$/), z.number()]);
const adjustment = z
  .object({ type: z.enum(["PERCENTAGE_DECREASE", "PERCENTAGE_INCREASE"]), value: z.number() })
  .strict();
const status = z.enum(["ACTIVE", "DRAFT", "ARCHIVED"]);
const currency = z.string().regex(/^[A-Z]{3}$/);
const fixedPrice = z
  .object({ variantId: id, price: amount, compareAtPrice: amount.nullable().optional() })
  .strict();

const catalogBody = z
  .object({
    title: z.string(),
    status: status.default("ACTIVE"),
    companyLocationIds: z.array(id).max(1000).optional(),
    companyId: id.optional(),
    priceList: z
      .object({
        name: z.string().optional(),
        currency: currency.optional(),
        adjustment: adjustment.optional(),
        compareAtMode: z.enum(["ADJUSTED", "NULLIFY"]).optional(),
        fixedPrices: z.array(fixedPrice).max(100_000).optional(),
      })
      .strict()
      .nullable()
      .optional(),
    publication: z
      .object({
        products: z.union([z.literal("ALL"), z.array(id).max(100_000)]),
        autoPublish: z.boolean().optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
const catalogUpdateBody = z
  .object({
    title: z.string().optional(),
    status: status.optional(),
    companyLocationIds: z.array(id).optional(),
  })
  .strict();
const priceListBody = z
  .object({
    currency: currency.optional(),
    adjustment: adjustment.optional(),
    compareAtMode: z.enum(["ADJUSTED", "NULLIFY"]).optional(),
  })
  .strict();
const pricesBody = z
  .object({
    prices: z.array(fixedPrice).max(100_000).optional(),
    remove: z.array(id).max(100_000).optional(),
  })
  .strict();
const publicationBody = z
  .object({
    add: z.array(id).max(100_000).optional(),
    remove: z.array(id).max(100_000).optional(),
    autoPublish: z.boolean().optional(),
  })
  .strict();
const marketBody = z
  .object({
    name: z.string().min(1),
    currency,
    status: z.enum(["ACTIVE", "DRAFT"]).optional(),
    adjustment: adjustment.optional(),
  })
  .strict();

const toGid = (type: string, value: string | number) => gid(type, numericId(value, type) ?? 0);

function toPriceInputs(list: PriceListRecord, prices: z.infer<typeof fixedPrice>[]): PriceInput[] {
  return prices.map((p) => ({
    variantId: toGid("ProductVariant", p.variantId),
    price: { amount: p.price, currencyCode: list.currency },
    compareAtPrice:
      p.compareAtPrice == null ? null : { amount: p.compareAtPrice, currencyCode: list.currency },
  }));
}

function catalogJson(shop: ShopState, catalog: CatalogRecord) {
  return {
    id: catalogGid(catalog),
    title: catalog.title,
    status: catalog.status,
    companyLocationIds: catalog.companyLocationIds.map((l) => gid("CompanyLocation", l)),
    priceListId: catalog.priceListId === null ? null : gid("PriceList", catalog.priceListId),
    publicationId: catalog.publicationId == null ? null : gid("Publication", catalog.publicationId),
    fixedPricesCount:
      catalog.priceListId === null ? 0 : (shop.priceLists.get(catalog.priceListId)?.fixedPrices.size ?? 0),
  };
}

function uniqueName(shop: ShopState, name: string): string {
  const taken = (n: string) =>
    [...shop.priceLists.values()].some((l) => l.name.toLowerCase() === n.toLowerCase());
  let candidate = name;
  for (let n = 2; taken(candidate); n++) candidate = `${name} ${n}`;
  return candidate;
}

/** A merchant creates a catalog in admin; nothing stays when any part is refused. */
function merchantCatalog(shop: ShopState, body: z.infer<typeof catalogBody>, now: Date) {
  let locations = (body.companyLocationIds ?? []).map((l) => toGid("CompanyLocation", l));
  if (body.companyId !== undefined) {
    const company = shop.companies.get(numericId(body.companyId, "Company") ?? 0);
    if (!company) return { errors: [{ field: ["companyId"], message: "Company does not exist." }] };
    locations = [...locations, ...company.locationIds.map((l) => gid("CompanyLocation", l))];
  }
  const made = createCatalog(
    shop,
    { title: body.title, status: body.status, context: { companyLocationIds: locations } },
    now,
  );
  if (!made.catalog) return { errors: made.errors };
  const catalog = made.catalog;
  const refuse = (errors: UserError[]) => {
    deleteCatalog(shop, catalog);
    return { errors };
  };
  if (body.priceList !== null) {
    const spec = body.priceList ?? {};
    const list = createPriceList(
      shop,
      {
        name: uniqueName(shop, spec.name ?? body.title),
        currency: spec.currency ?? shop.currencyCode,
        parent: {
          adjustment: spec.adjustment ?? { type: "PERCENTAGE_DECREASE", value: 0 },
          settings: { compareAtMode: spec.compareAtMode ?? "ADJUSTED" },
        },
        catalogId: catalogGid(catalog),
      },
      now,
    );
    if (!list.list) return refuse(list.errors);
    const prices = toPriceInputs(list.list, spec.fixedPrices ?? []);
    const errors = priceErrors(shop, list.list, prices, "fixedPrices");
    if (errors.length > 0) return refuse(errors);
    applyPrices(shop, list.list, prices);
  }
  if (body.publication) {
    const publication = createPublication(
      shop,
      {
        catalogId: catalog.id,
        autoPublish: body.publication.autoPublish ?? false,
        allProducts: body.publication.products === "ALL",
      },
      now,
    );
    if (body.publication.products !== "ALL") {
      const products = body.publication.products.map((p) => toGid("Product", p));
      const errors = [];
      // Any number at once: a merchant's selection is not bound by the API's 50.
      for (let i = 0; i < products.length; i += 50)
        errors.push(...changePublication(shop, publication, { add: products.slice(i, i + 50) }, now));
      if (errors.length > 0) return refuse(errors);
    }
  }
  return { catalog, errors: [] as UserError[] };
}

/**
 * Handles a control route about catalogs, price lists, publications or markets; false when the
 * path is none of them (GET of a collection stays with the control API's listing).
 */
export function catalogControlRoute(
  sim: Simulator,
  domain: string,
  shop: ShopState,
  request: RoutedRequest,
  response: ServerResponse,
  send: Send,
): boolean {
  const parts = request.path.split("/").filter(Boolean).slice(3); // drop "_sim", "shops", <shop>
  const [resource, ref, verb, ...extra] = parts;
  const { method } = request;
  if (!["catalogs", "price-lists", "publications", "markets"].includes(resource ?? "")) return false;
  if (method === "GET") return false;
  const now = sim.clock.now();
  const answer = (errors: UserError[], status: number, body: () => unknown) =>
    send(response, errors.length > 0 ? 422 : status, errors.length > 0 ? { userErrors: errors } : body());
  const unknown = () => new HttpError(404, { error: `unknown control path ${method} ${request.path}` });
  if (extra.length > 0) throw unknown();
  try {
    if (resource === "catalogs" && method === "POST" && !ref) {
      const made = merchantCatalog(shop, jsonBody(catalogBody, request), now);
      answer(made.errors, 201, () => catalogJson(shop, made.catalog!));
      return true;
    }
    if (resource === "catalogs" && ref && !verb) {
      const catalog = shop.catalogs.get(
        numericId(ref, "CompanyLocationCatalog") ?? numericId(ref, "MarketCatalog") ?? 0,
      );
      if (!catalog) throw new HttpError(404, { error: `no catalog ${ref}` });
      if (method === "DELETE") {
        deleteCatalog(shop, catalog);
        send(response, 200, { deletedId: catalogGid(catalog) });
        return true;
      }
      if (method === "POST") {
        const body = jsonBody(catalogUpdateBody, request);
        const errors = updateCatalog(
          shop,
          catalog,
          {
            title: body.title,
            status: body.status,
            context: body.companyLocationIds
              ? { companyLocationIds: body.companyLocationIds.map((l) => toGid("CompanyLocation", l)) }
              : undefined,
          },
          now,
        );
        answer(errors, 200, () => catalogJson(shop, catalog));
        return true;
      }
    }
    if (resource === "price-lists" && ref && method === "POST") {
      const list = shop.priceLists.get(numericId(ref, "PriceList") ?? 0);
      if (!list) throw new HttpError(404, { error: `no price list ${ref}` });
      if (!verb) {
        const body = jsonBody(priceListBody, request);
        const { errors } = updatePriceList(
          shop,
          list,
          {
            currency: body.currency,
            parent:
              body.adjustment || body.compareAtMode
                ? {
                    adjustment: body.adjustment ??
                      list.adjustment ?? { type: "PERCENTAGE_DECREASE", value: 0 },
                    settings: { compareAtMode: body.compareAtMode },
                  }
                : undefined,
          },
          now,
        );
        answer(errors, 200, () => ({
          id: gid("PriceList", list.id),
          currency: list.currency,
          fixedPricesCount: list.fixedPrices.size,
        }));
        return true;
      }
      if (verb === "prices") {
        const body = jsonBody(pricesBody, request);
        const prices = toPriceInputs(list, body.prices ?? []);
        const removing = deletions(
          shop,
          list,
          (body.remove ?? []).map((v) => toGid("ProductVariant", v)),
          "remove",
        );
        const errors = [...priceErrors(shop, list, prices, "prices"), ...removing.errors];
        if (errors.length === 0) {
          for (const variantId of removing.ids) list.fixedPrices.delete(variantId);
          applyPrices(shop, list, prices);
          list.updatedAt = now;
        }
        answer(errors, 200, () => ({
          id: gid("PriceList", list.id),
          fixedPricesCount: list.fixedPrices.size,
        }));
        return true;
      }
    }
    if (resource === "publications" && ref && verb === "products" && method === "POST") {
      const publication = shop.publications.get(numericId(ref, "Publication") ?? 0);
      if (!publication) throw new HttpError(404, { error: `no publication ${ref}` });
      const body = jsonBody(publicationBody, request);
      const add = (body.add ?? []).map((p) => toGid("Product", p));
      const remove = (body.remove ?? []).map((p) => toGid("Product", p));
      const errors: UserError[] = [];
      for (let i = 0; i < Math.max(add.length, remove.length, 1); i += 50)
        errors.push(
          ...changePublication(
            shop,
            publication,
            { add: add.slice(i, i + 50), remove: remove.slice(i, i + 50), autoPublish: body.autoPublish },
            now,
          ),
        );
      answer(errors, 200, () => ({
        id: gid("Publication", publication.id),
        products: publication.products.size,
      }));
      return true;
    }
    if (resource === "markets" && !ref && method === "POST") {
      const body = jsonBody(marketBody, request);
      const made = createMarket(shop, body, now);
      if (made.market) emitWebhook(contextFor(sim, domain), "markets/create", made.market);
      answer(made.errors, 201, () => {
        const catalog = [...shop.catalogs.values()].find((c) => c.marketIds?.includes(made.market!.id));
        return { id: gid("Market", made.market!.id), catalog: catalog ? catalogJson(shop, catalog) : null };
      });
      return true;
    }
  } catch (error) {
    if (error instanceof GraphQLError) throw new HttpError(400, { error: error.message });
    throw error;
  }
  throw unknown();
}
