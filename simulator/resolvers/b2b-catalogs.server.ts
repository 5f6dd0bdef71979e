import type { CatalogRecord } from "../state/records.server";
import { parseGid, type ShopState } from "../state/shop-state.server";
import { CATALOG_TYPES, catalogView } from "./b2b-catalog-views.server";
import { countOf } from "./connection.server";
import { connection, type ConnectionArgs } from "./connection.server";
import { userError, type FieldMap, type ResolverContext, type UserError } from "./context.server";
import { search, type SearchFields } from "./search.server";

/**
 * B2B catalogs: `catalogs`, `catalog`, `catalogsCount`, `catalogCreate`, `catalogContextUpdate`
 * (https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/catalogCreate and siblings).
 * The simulator has company-location catalogs only; it has no markets or app catalogs, so those
 * contexts are reported as not found.
 */

type CatalogsArgs = ConnectionArgs & { query?: string | null; sortKey?: string | null; type?: string | null };

interface ContextInput {
  companyLocationIds?: string[] | null;
  marketIds?: string[] | null;
}

const CATALOG_SEARCH = (shop: ShopState): SearchFields<CatalogRecord> => ({
  fields: {
    id: (c) => c.id,
    title: (c) => c.title,
    status: (c) => c.status.toLowerCase(),
    company_location_id: (c) => c.companyLocationIds.map(String),
    company_id: (c) =>
      c.companyLocationIds.map((id) => {
        const companyId = shop.companyLocations.get(id)?.companyId;
        return companyId === undefined ? null : String(companyId);
      }),
    type: () => "company_location",
  },
  defaultFields: ["title"],
});

export function findCatalog(shop: ShopState, id: unknown): CatalogRecord | undefined {
  for (const type of CATALOG_TYPES) {
    const numeric = parseGid(id, type);
    if (numeric !== null) return shop.catalogs.get(numeric);
  }
  return undefined;
}

function catalogsOfType(shop: ShopState, args: CatalogsArgs): CatalogRecord[] {
  if (args.type === "MARKET" || args.type === "APP") return [];
  let list = search(shop.catalogs.values(), args.query, CATALOG_SEARCH(shop));
  if (args.type === "NONE") list = list.filter((c) => c.companyLocationIds.length === 0);
  return list;
}

/** The company-location ids of a context input, or the errors that reject it. */
function contextLocations(
  shop: ShopState,
  context: ContextInput | null | undefined,
  field: string[],
): { ids: number[]; errors: UserError[] } {
  if (context?.marketIds && context.marketIds.length > 0) {
    if (context.companyLocationIds)
      return {
        ids: [],
        errors: [
          userError(field, "Must provide exactly one context type.", "MUST_PROVIDE_EXACTLY_ONE_CONTEXT_TYPE"),
        ],
      };
    return {
      ids: [],
      errors: [userError([...field, "marketIds"], "Market does not exist.", "MARKET_NOT_FOUND")],
    };
  }
  const ids: number[] = [];
  const errors: UserError[] = [];
  (context?.companyLocationIds ?? []).forEach((raw, index) => {
    const id = parseGid(raw, "CompanyLocation");
    if (id === null || !shop.companyLocations.has(id))
      errors.push(
        userError(
          [...field, "companyLocationIds", String(index)],
          "Company location does not exist.",
          "COMPANY_LOCATION_NOT_FOUND",
        ),
      );
    else if (!ids.includes(id)) ids.push(id);
  });
  return { ids, errors };
}

function attach(shop: ShopState, catalog: CatalogRecord, locationIds: number[]): void {
  for (const id of locationIds) {
    const location = shop.companyLocations.get(id);
    if (!location) continue;
    if (!catalog.companyLocationIds.includes(id)) catalog.companyLocationIds.push(id);
    if (!location.catalogIds.includes(catalog.id)) location.catalogIds.push(catalog.id);
  }
}

function detach(shop: ShopState, catalog: CatalogRecord, locationIds: number[]): void {
  catalog.companyLocationIds = catalog.companyLocationIds.filter((id) => !locationIds.includes(id));
  for (const id of locationIds) {
    const location = shop.companyLocations.get(id);
    if (location) location.catalogIds = location.catalogIds.filter((c) => c !== catalog.id);
  }
}

function catalogCreate(
  args: {
    input: {
      title: string;
      status: CatalogRecord["status"];
      context: ContextInput;
      priceListId?: string | null;
      publicationId?: string | null;
    };
  },
  context: ResolverContext,
) {
  const { shop } = context;
  const { input } = args;
  const errors: UserError[] = [];
  const title = input.title.trim();
  if (!title) errors.push(userError(["input", "title"], "Title can't be blank", "BLANK"));
  else if (title.length > 255)
    errors.push(userError(["input", "title"], "Title is too long (maximum is 255 characters)", "TOO_LONG"));
  if (!input.context.companyLocationIds && !input.context.marketIds?.length)
    errors.push(
      userError(
        ["input", "context"],
        "Must provide exactly one context type.",
        "MUST_PROVIDE_EXACTLY_ONE_CONTEXT_TYPE",
      ),
    );
  const located = contextLocations(shop, input.context, ["input", "context"]);
  errors.push(...located.errors);
  let priceListId: number | null = null;
  if (input.priceListId) {
    priceListId = parseGid(input.priceListId, "PriceList");
    const list = priceListId === null ? undefined : shop.priceLists.get(priceListId);
    if (!list)
      errors.push(userError(["input", "priceListId"], "Price list does not exist.", "PRICE_LIST_NOT_FOUND"));
    else if (list.catalogId !== null)
      errors.push(userError(["input", "priceListId"], "Price list has already been taken.", "TAKEN"));
  }
  if (input.publicationId)
    errors.push(
      userError(["input", "publicationId"], "Publication does not exist.", "PUBLICATION_NOT_FOUND"),
    );
  if (errors.length > 0) return { catalog: null, userErrors: errors };
  const now = context.now();
  const catalog: CatalogRecord = {
    id: shop.newId(),
    title,
    status: input.status,
    companyLocationIds: [],
    priceListId,
    createdAt: now,
    updatedAt: now,
  };
  shop.catalogs.set(catalog.id, catalog);
  attach(shop, catalog, located.ids);
  if (priceListId !== null) shop.priceLists.get(priceListId)!.catalogId = catalog.id;
  return { catalog: catalogView(shop, catalog), userErrors: [] };
}

function catalogContextUpdate(
  args: { catalogId: string; contextsToAdd?: ContextInput | null; contextsToRemove?: ContextInput | null },
  context: ResolverContext,
) {
  const { shop } = context;
  const catalog = findCatalog(shop, args.catalogId);
  if (!catalog)
    return {
      catalog: null,
      userErrors: [userError(["catalogId"], "Catalog does not exist.", "CATALOG_NOT_FOUND")],
    };
  if (!args.contextsToAdd && !args.contextsToRemove)
    return {
      catalog: null,
      userErrors: [
        userError(null, "Requires contexts to add or remove.", "REQUIRES_CONTEXTS_TO_ADD_OR_REMOVE"),
      ],
    };
  const adding = contextLocations(shop, args.contextsToAdd, ["contextsToAdd"]);
  const removing = contextLocations(shop, args.contextsToRemove, ["contextsToRemove"]);
  const errors = [...adding.errors, ...removing.errors];
  if (errors.length > 0) return { catalog: null, userErrors: errors };
  attach(shop, catalog, adding.ids);
  detach(shop, catalog, removing.ids);
  catalog.updatedAt = context.now();
  return { catalog: catalogView(shop, catalog), userErrors: [] };
}

export const catalogQueries: FieldMap = {
  catalogs: (args: CatalogsArgs, { shop }: ResolverContext) =>
    connection(
      catalogsOfType(shop, args),
      args,
      { key: args.sortKey === "TITLE" ? (c) => c.title : (c) => c.id, id: (c) => c.id },
      (c) => catalogView(shop, c),
    ),
  catalogsCount: (args: CatalogsArgs & { limit?: number | null }, { shop }: ResolverContext) =>
    countOf(catalogsOfType(shop, args).length, args.limit),
  catalog: (args: { id: string }, { shop }: ResolverContext) => {
    const catalog = findCatalog(shop, args.id);
    return catalog ? catalogView(shop, catalog) : null;
  },
};

export const catalogMutations: FieldMap = { catalogCreate, catalogContextUpdate };
