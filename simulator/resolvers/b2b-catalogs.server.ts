import { GraphQLError } from "graphql";
import type { CatalogRecord } from "../state/records.server";
import { parseGid, type ShopState } from "../state/shop-state.server";
import { CATALOG_TYPES, catalogGid, catalogKind, catalogView } from "./b2b-catalog-views.server";
import { countOf } from "./connection.server";
import { connection, type ConnectionArgs } from "./connection.server";
import { userError, type FieldMap, type ResolverContext, type UserError } from "./context.server";
import { search, type SearchFields } from "./search.server";

/**
 * Catalogs: `catalogs`, `catalog`, `catalogsCount`, `catalogCreate`, `catalogUpdate`,
 * `catalogDelete`, `catalogContextUpdate`
 * (https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/catalogCreate and siblings),
 * for company-location catalogs and market catalogs; the simulator has no app catalogs.
 *
 * Messages, field paths and the order of the checks are those a live shop answers (public
 * captures against Admin 2026-04 in airhorns/shopify-draft-proxy,
 * fixtures/conformance/…/2026-04/markets/catalog-*.json, catalog-context-update-lifecycle.json,
 * catalog-relation-validation.json, delete-cascades-parity.json): "Catalog does not exist" without
 * a full stop, "Price list not found.", "Price list has already been taken", "Publication not
 * found.", "Market not found.", "A company location within the catalog does not exist.". A live
 * shop deletes a catalog's price list and publication with it, even without
 * `deleteDependentResources` (both read null, and deleting them again answers "does not exist").
 * Shopify sends no webhook about catalogs, price lists or publications (the 2026-07
 * WebhookSubscriptionTopic enum has no such topic).
 */

type CatalogsArgs = ConnectionArgs & { query?: string | null; sortKey?: string | null; type?: string | null };

export interface ContextInput {
  companyLocationIds?: string[] | null;
  marketIds?: string[] | null;
}

export interface CatalogInput {
  title?: string | null;
  status?: CatalogRecord["status"] | null;
  context?: ContextInput | null;
  priceListId?: string | null;
  publicationId?: string | null;
}

/** Title words and the whole title: `title:word` finds the catalogs whose title has that word. */
const words = (text: string) => [text, ...text.split(/\s+/).filter(Boolean)];

const CATALOG_SEARCH = (shop: ShopState): SearchFields<CatalogRecord> => ({
  fields: {
    id: (c) => c.id,
    title: (c) => words(c.title),
    status: (c) => c.status.toLowerCase(),
    company_location_id: (c) => c.companyLocationIds.map(String),
    company_id: (c) =>
      c.companyLocationIds.map((id) => {
        const companyId = shop.companyLocations.get(id)?.companyId;
        return companyId === undefined ? null : String(companyId);
      }),
    market_id: (c) => (c.marketIds ?? []).map(String),
  },
  defaultFields: ["title"],
});

/** The catalog a GID names: of its concrete type, or of either through `Catalog`. */
export function findCatalog(shop: ShopState, id: unknown): CatalogRecord | undefined {
  for (const type of CATALOG_TYPES) {
    const numeric = parseGid(id, type);
    if (numeric === null) continue;
    const catalog = shop.catalogs.get(numeric);
    if (!catalog || type === "Catalog") return catalog;
    const kind = type === "MarketCatalog" ? "MARKET" : "COMPANY_LOCATION";
    return catalogKind(catalog) === kind ? catalog : undefined;
  }
  return undefined;
}

/** A catalog id argument of another resource's type is a top-level error on a live shop. */
export function invalidId(id: string): GraphQLError {
  return new GraphQLError(`Invalid id: ${id}`, { extensions: { code: "RESOURCE_NOT_FOUND" } });
}

export function isCatalogGid(id: unknown): boolean {
  return CATALOG_TYPES.some((type) => parseGid(id, type) !== null);
}

function catalogsOfType(shop: ShopState, args: CatalogsArgs): CatalogRecord[] {
  if (args.type === "APP") return [];
  let list = search(shop.catalogs.values(), args.query, CATALOG_SEARCH(shop));
  if (args.type === "COMPANY_LOCATION" || args.type === "MARKET")
    list = list.filter((c) => catalogKind(c) === args.type);
  if (args.type === "NONE")
    list = list.filter((c) => c.companyLocationIds.length === 0 && (c.marketIds ?? []).length === 0);
  return list;
}

const SORT: Record<string, { key: (c: CatalogRecord) => string | number; id: (c: CatalogRecord) => number }> =
  {
    // The TITLE sort's cursor carries the lower-cased title (live capture, catalogs-connection-read.json).
    TITLE: { key: (c) => c.title.toLowerCase(), id: (c) => c.id },
    TYPE: { key: (c) => catalogKind(c), id: (c) => c.id },
    ID: { key: (c) => c.id, id: (c) => c.id },
  };

const NOT_FOUND = (field: string[]) => userError(field, "Catalog does not exist", "CATALOG_NOT_FOUND");
const EXACTLY_ONE = (field: string[]) =>
  userError(field, "Must provide exactly one context type.", "MUST_PROVIDE_EXACTLY_ONE_CONTEXT_TYPE");

/** The company locations or markets a context names, or the errors that reject it. */
export function resolveContext(
  shop: ShopState,
  context: ContextInput,
  field: string[],
): { kind: "COMPANY_LOCATION" | "MARKET"; ids: number[]; errors: UserError[] } {
  const kind = context.marketIds != null ? "MARKET" : "COMPANY_LOCATION";
  const raw = (kind === "MARKET" ? context.marketIds : context.companyLocationIds) ?? [];
  const ids: number[] = [];
  const errors: UserError[] = [];
  raw.forEach((value, index) => {
    const path = [...field, kind === "MARKET" ? "marketIds" : "companyLocationIds", String(index)];
    const id = parseGid(value, kind === "MARKET" ? "Market" : "CompanyLocation");
    const exists = id !== null && (kind === "MARKET" ? shop.markets.has(id) : shop.companyLocations.has(id));
    if (!exists)
      errors.push(
        kind === "MARKET"
          ? userError(path, "Market not found.", "MARKET_NOT_FOUND")
          : userError(
              path,
              "A company location within the catalog does not exist.",
              "COMPANY_LOCATION_NOT_FOUND",
            ),
      );
    else if (!ids.includes(id)) ids.push(id);
  });
  return { kind, ids, errors };
}

function hasOneContextType(context: ContextInput | null | undefined): boolean {
  return (context?.companyLocationIds != null) !== (context?.marketIds != null);
}

function attach(
  shop: ShopState,
  catalog: CatalogRecord,
  kind: "COMPANY_LOCATION" | "MARKET",
  ids: number[],
): void {
  if (kind === "MARKET") {
    const marketIds = (catalog.marketIds ??= []);
    for (const id of ids) if (!marketIds.includes(id)) marketIds.push(id);
    return;
  }
  for (const id of ids) {
    const location = shop.companyLocations.get(id);
    if (!location) continue;
    if (!catalog.companyLocationIds.includes(id)) catalog.companyLocationIds.push(id);
    if (!location.catalogIds.includes(catalog.id)) location.catalogIds.push(catalog.id);
  }
}

function detach(
  shop: ShopState,
  catalog: CatalogRecord,
  kind: "COMPANY_LOCATION" | "MARKET",
  ids: number[],
): void {
  if (kind === "MARKET") {
    catalog.marketIds = (catalog.marketIds ?? []).filter((id) => !ids.includes(id));
    return;
  }
  catalog.companyLocationIds = catalog.companyLocationIds.filter((id) => !ids.includes(id));
  for (const id of ids) {
    const location = shop.companyLocations.get(id);
    if (location) location.catalogIds = location.catalogIds.filter((c) => c !== catalog.id);
  }
}

function currentContext(catalog: CatalogRecord): number[] {
  return catalogKind(catalog) === "MARKET" ? [...(catalog.marketIds ?? [])] : [...catalog.companyLocationIds];
}

function titleErrors(title: string, field: string[]): UserError[] {
  if (!title) return [userError(field, "Title can't be blank", "BLANK")];
  if (title.length > 255)
    return [userError(field, "Title is too long (maximum is 255 characters)", "TOO_LONG")];
  return [];
}

/** The price list and publication an input links, or the errors that refuse them. */
function relationErrors(
  shop: ShopState,
  input: CatalogInput,
  catalogId: number | null,
): { priceListId?: number; publicationId?: number; errors: UserError[] } {
  const errors: UserError[] = [];
  const out: { priceListId?: number; publicationId?: number; errors: UserError[] } = { errors };
  if (input.priceListId) {
    const id = parseGid(input.priceListId, "PriceList");
    const list = id === null ? undefined : shop.priceLists.get(id);
    if (!list)
      errors.push(userError(["input", "priceListId"], "Price list not found.", "PRICE_LIST_NOT_FOUND"));
    else if (list.catalogId !== null && list.catalogId !== catalogId)
      errors.push(userError(["input", "priceListId"], "Price list has already been taken", "TAKEN"));
    else out.priceListId = list.id;
  }
  if (input.publicationId) {
    const id = parseGid(input.publicationId, "Publication");
    const publication = id === null ? undefined : shop.publications.get(id);
    if (!publication)
      errors.push(userError(["input", "publicationId"], "Publication not found.", "PUBLICATION_NOT_FOUND"));
    else if (publication.catalogId !== null && publication.catalogId !== catalogId)
      errors.push(userError(["input", "publicationId"], "Publication has already been taken", "TAKEN"));
    else out.publicationId = publication.id;
  }
  return out;
}

/** Makes the price list or publication the catalog's, letting go of the one it had. */
export function linkPriceList(shop: ShopState, catalog: CatalogRecord, priceListId: number | null): void {
  if (catalog.priceListId !== null && catalog.priceListId !== priceListId) {
    const old = shop.priceLists.get(catalog.priceListId);
    if (old) old.catalogId = null;
  }
  catalog.priceListId = priceListId;
  if (priceListId !== null) shop.priceLists.get(priceListId)!.catalogId = catalog.id;
}

export function linkPublication(shop: ShopState, catalog: CatalogRecord, publicationId: number | null): void {
  if (catalog.publicationId != null && catalog.publicationId !== publicationId) {
    const old = shop.publications.get(catalog.publicationId);
    if (old) old.catalogId = null;
  }
  catalog.publicationId = publicationId;
  if (publicationId !== null) shop.publications.get(publicationId)!.catalogId = catalog.id;
}

/** catalogCreate's work, shared with the control API (a merchant creating a catalog in admin). */
export function createCatalog(
  shop: ShopState,
  input: CatalogInput & { title: string; status: CatalogRecord["status"]; context: ContextInput },
  now: Date,
): { catalog?: CatalogRecord; errors: UserError[] } {
  const title = input.title.trim();
  const errors = titleErrors(title, ["input", "title"]);
  if (!hasOneContextType(input.context)) {
    errors.push(EXACTLY_ONE(["input", "context"]));
    return { errors };
  }
  const context = resolveContext(shop, input.context, ["input", "context"]);
  errors.push(...context.errors);
  const relations = relationErrors(shop, input, null);
  errors.push(...relations.errors);
  if (errors.length > 0) return { errors };
  const catalog: CatalogRecord = {
    id: shop.newId(),
    title,
    status: input.status,
    kind: context.kind,
    companyLocationIds: [],
    marketIds: [],
    priceListId: null,
    publicationId: null,
    createdAt: now,
    updatedAt: now,
  };
  shop.catalogs.set(catalog.id, catalog);
  attach(shop, catalog, context.kind, context.ids);
  if (relations.priceListId !== undefined) linkPriceList(shop, catalog, relations.priceListId);
  if (relations.publicationId !== undefined) linkPublication(shop, catalog, relations.publicationId);
  return { catalog, errors: [] };
}

/** catalogUpdate's work: title, status, a context that replaces the one it had, price list, publication. */
export function updateCatalog(
  shop: ShopState,
  catalog: CatalogRecord,
  input: CatalogInput,
  now: Date,
): UserError[] {
  const errors: UserError[] = [];
  const title = input.title?.trim();
  if (input.title != null) errors.push(...titleErrors(title!, ["input", "title"]));
  let context: ReturnType<typeof resolveContext> | undefined;
  if (input.context) {
    if (!hasOneContextType(input.context)) errors.push(EXACTLY_ONE(["input", "context"]));
    else {
      context = resolveContext(shop, input.context, ["input", "context"]);
      if (context.kind !== catalogKind(catalog))
        errors.push(
          userError(
            ["input", "context"],
            "Cannot change context to specified type.",
            "INVALID_CONTEXT_CHANGE",
          ),
        );
      errors.push(...context.errors);
    }
  }
  const relations = relationErrors(shop, input, catalog.id);
  errors.push(...relations.errors);
  if (errors.length > 0) return errors;
  if (title !== undefined) catalog.title = title;
  if (input.status) catalog.status = input.status;
  if (context) {
    detach(shop, catalog, context.kind, currentContext(catalog));
    attach(shop, catalog, context.kind, context.ids);
  }
  if (relations.priceListId !== undefined) linkPriceList(shop, catalog, relations.priceListId);
  if (relations.publicationId !== undefined) linkPublication(shop, catalog, relations.publicationId);
  catalog.updatedAt = now;
  return [];
}

/** catalogDelete's work: the catalog, its price list and its publication go; its contexts lose it. */
export function deleteCatalog(shop: ShopState, catalog: CatalogRecord): void {
  detach(shop, catalog, catalogKind(catalog), currentContext(catalog));
  if (catalog.priceListId !== null) shop.priceLists.delete(catalog.priceListId);
  if (catalog.publicationId != null) shop.publications.delete(catalog.publicationId);
  shop.catalogs.delete(catalog.id);
}

function catalogCreate(
  args: { input: CatalogInput & { title: string; status: CatalogRecord["status"]; context: ContextInput } },
  context: ResolverContext,
) {
  const { catalog, errors } = createCatalog(context.shop, args.input, context.now());
  return catalog
    ? { catalog: catalogView(context.shop, catalog), userErrors: [] }
    : { catalog: null, userErrors: errors };
}

function catalogUpdate(args: { id: string; input: CatalogInput }, context: ResolverContext) {
  const catalog = findCatalog(context.shop, args.id);
  if (!catalog) return { catalog: null, userErrors: [NOT_FOUND(["id"])] };
  const errors = updateCatalog(context.shop, catalog, args.input, context.now());
  return errors.length > 0
    ? { catalog: null, userErrors: errors }
    : { catalog: catalogView(context.shop, catalog), userErrors: [] };
}

function catalogDelete(
  args: { id: string; deleteDependentResources?: boolean | null },
  context: ResolverContext,
) {
  const catalog = findCatalog(context.shop, args.id);
  if (!catalog) return { deletedId: null, userErrors: [NOT_FOUND(["id"])] };
  const deletedId = catalogGid(catalog);
  deleteCatalog(context.shop, catalog);
  return { deletedId, userErrors: [] };
}

function catalogContextUpdate(
  args: { catalogId: string; contextsToAdd?: ContextInput | null; contextsToRemove?: ContextInput | null },
  context: ResolverContext,
) {
  const { shop } = context;
  const catalog = findCatalog(shop, args.catalogId);
  const refuse = (userErrors: UserError[]) => ({ catalog: null, userErrors });
  if (!catalog) return refuse([NOT_FOUND(["catalogId"])]);
  if (!args.contextsToAdd && !args.contextsToRemove)
    return refuse([
      userError(
        ["contextsToAdd"],
        "Must have `contexts_to_add` or `contexts_to_remove` argument.",
        "REQUIRES_CONTEXTS_TO_ADD_OR_REMOVE",
      ),
    ]);
  const kind = catalogKind(catalog);
  const wrongDriver = kind === "MARKET" ? "companyLocationIds" : "marketIds";
  for (const [name, input] of [
    ["contextsToAdd", args.contextsToAdd],
    ["contextsToRemove", args.contextsToRemove],
  ] as const)
    if (input?.[wrongDriver] != null)
      return refuse([
        userError(
          [name, wrongDriver],
          "The arguments `contexts_to_add` and `contexts_to_remove` must match existing catalog context type.",
          "CONTEXT_DRIVER_MISMATCH",
        ),
      ]);
  const adding = args.contextsToAdd ? resolveContext(shop, args.contextsToAdd, ["contextsToAdd"]) : undefined;
  const removing = args.contextsToRemove
    ? resolveContext(shop, args.contextsToRemove, ["contextsToRemove"])
    : undefined;
  const errors = [...(adding?.errors ?? []), ...(removing?.errors ?? [])];
  if (errors.length > 0) return refuse(errors);
  if (adding) attach(shop, catalog, kind, adding.ids);
  if (removing) detach(shop, catalog, kind, removing.ids);
  catalog.updatedAt = context.now();
  return { catalog: catalogView(shop, catalog), userErrors: [] };
}

export const catalogQueries: FieldMap = {
  catalogs: (args: CatalogsArgs, { shop }: ResolverContext) =>
    connection(catalogsOfType(shop, args), args, SORT[args.sortKey ?? "ID"] ?? SORT.ID!, (c) =>
      catalogView(shop, c),
    ),
  catalogsCount: (args: CatalogsArgs & { limit?: number | null }, { shop }: ResolverContext) =>
    countOf(catalogsOfType(shop, args).length, args.limit),
  catalog: (args: { id: string }, { shop }: ResolverContext) => {
    const catalog = findCatalog(shop, args.id);
    return catalog ? catalogView(shop, catalog) : null;
  },
};

export const catalogMutations: FieldMap = {
  catalogCreate,
  catalogUpdate,
  catalogDelete,
  catalogContextUpdate,
};
