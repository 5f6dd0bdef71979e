import type { PublicationRecord } from "../state/catalog-records.server";
import { gid, parseGid, type ShopState } from "../state/shop-state.server";
import { catalogKind, publicationView } from "./b2b-catalog-views.server";
import { findCatalog, invalidId, linkPublication } from "./b2b-catalogs.server";
import { productView } from "./catalog-views.server";
import { connection, countOf, type ConnectionArgs } from "./connection.server";
import { userError, type FieldMap, type ResolverContext, type UserError } from "./context.server";
import { shopView } from "./shop-query.server";

/**
 * Catalogs' publications: `publicationCreate`, `publicationUpdate`, `publicationDelete`,
 * `publishablePublish`, `publishableUnpublish`, and `publication`, `publications`,
 * `publicationsCount`, `publishedProductsCount`
 * (https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/publicationCreate and siblings).
 * A publication holds products (a catalog publication can only contain products:
 * PublicationUserErrorCode.UNSUPPORTED_PUBLISHABLE_TYPE); `autoPublish` adds the products created
 * afterwards; `defaultState: ALL_PRODUCTS` starts it with every product. Sales channels' own
 * publications (Online Store, Point of Sale) are not modelled.
 *
 * Messages and paths are a live shop's (public captures against Admin 2026-04 in
 * airhorns/shopify-draft-proxy: fixtures/conformance/…/2026-04/products/publication-mutation-
 * contract.json, …/2025-01/store-properties/publishable-input-validation.json,
 * …/2026-04/store-properties/publishable-resource-existence-current-channel.json): "Publication
 * was not found", "A catalog was not found for id= <id>.", "Publishable ID not found."; more than
 * 50 publishables in one publicationUpdate (the documented maximum) is
 * PUBLICATION_UPDATE_LIMIT_EXCEEDED at the index one past the last allowed; a variant id is a
 * top-level "Invalid id" (RESOURCE_NOT_FOUND).
 */

export const MAX_PUBLISHABLES = 50;

type PublicationsArgs = ConnectionArgs & { catalogType?: string | null };

export function findPublication(shop: ShopState, id: unknown): PublicationRecord | undefined {
  const numeric = parseGid(id, "Publication");
  return numeric === null ? undefined : shop.publications.get(numeric);
}

const NOT_FOUND = (field: string[]) => userError(field, "Publication was not found", "PUBLICATION_NOT_FOUND");

/** Adds a newly created product to every publication that publishes new products automatically. */
export function autoPublishProduct(shop: ShopState, productId: number, now: Date): void {
  for (const publication of shop.publications.values())
    if (publication.autoPublish && !publication.products.has(productId))
      publication.products.set(productId, now);
}

/** Product.publishedOnPublication: whether the product is in that publication. */
export function isPublishedOn(shop: ShopState, productId: number, publicationId: unknown): boolean {
  return findPublication(shop, publicationId)?.products.has(productId) ?? false;
}

/** A new publication (of a catalog when given one), with every product when `allProducts`. */
export function createPublication(
  shop: ShopState,
  options: { catalogId: number | null; autoPublish: boolean; allProducts: boolean },
  now: Date,
): PublicationRecord {
  const publication: PublicationRecord = {
    id: shop.newId(),
    catalogId: null,
    autoPublish: options.autoPublish,
    products: new Map(options.allProducts ? [...shop.products.keys()].map((id) => [id, now] as const) : []),
    createdAt: now,
    updatedAt: now,
  };
  shop.publications.set(publication.id, publication);
  const catalog = options.catalogId === null ? undefined : shop.catalogs.get(options.catalogId);
  if (catalog) linkPublication(shop, catalog, publication.id);
  return publication;
}

/** The product ids of publishables to add or remove, or the errors refusing them. */
function publishables(
  shop: ShopState,
  ids: string[],
  field: string[],
): { ids: number[]; errors: UserError[] } {
  if (ids.length > MAX_PUBLISHABLES)
    return {
      ids: [],
      errors: [
        userError(
          [...field, String(ids.length)],
          "The limit for simultaneous publication updates has been exceeded.",
          "PUBLICATION_UPDATE_LIMIT_EXCEEDED",
        ),
      ],
    };
  const out: number[] = [];
  const errors: UserError[] = [];
  ids.forEach((raw, index) => {
    const id = parseGid(raw, "Product");
    if (id === null) throw invalidId(raw);
    if (!shop.products.has(id))
      errors.push(
        userError([...field, String(index)], "Publishable ID not found.", "INVALID_PUBLISHABLE_ID"),
      );
    else out.push(id);
  });
  return { ids: out, errors };
}

/** Publishes or withdraws products, as publicationUpdate and a merchant in admin do. */
export function changePublication(
  shop: ShopState,
  publication: PublicationRecord,
  change: { add?: string[] | null; remove?: string[] | null; autoPublish?: boolean | null },
  now: Date,
): UserError[] {
  const adding = publishables(shop, change.add ?? [], ["input", "publishablesToAdd"]);
  const removing = publishables(shop, change.remove ?? [], ["input", "publishablesToRemove"]);
  const errors = [...adding.errors, ...removing.errors];
  if (errors.length > 0) return errors;
  for (const id of adding.ids) if (!publication.products.has(id)) publication.products.set(id, now);
  for (const id of removing.ids) publication.products.delete(id);
  if (change.autoPublish != null) publication.autoPublish = change.autoPublish;
  publication.updatedAt = now;
  return [];
}

function publicationCreate(
  args: { input: { catalogId?: string | null; autoPublish?: boolean | null; defaultState?: string | null } },
  context: ResolverContext,
) {
  const { shop } = context;
  const { input } = args;
  let catalogId: number | null = null;
  if (input.catalogId) {
    const catalog = findCatalog(shop, input.catalogId);
    if (!catalog)
      return {
        publication: null,
        userErrors: [
          userError(
            ["input", "catalogId"],
            `A catalog was not found for id= ${input.catalogId}.`,
            "CATALOG_NOT_FOUND",
          ),
        ],
      };
    if (catalog.publicationId != null)
      return {
        publication: null,
        userErrors: [userError(["input", "catalogId"], "Catalog has already been taken", "TAKEN")],
      };
    catalogId = catalog.id;
  }
  const publication = createPublication(
    shop,
    {
      catalogId,
      autoPublish: input.autoPublish ?? false,
      allProducts: input.defaultState === "ALL_PRODUCTS",
    },
    context.now(),
  );
  return { publication: publicationView(shop, publication), userErrors: [] };
}

function publicationUpdate(
  args: {
    id: string;
    input: {
      autoPublish?: boolean | null;
      publishablesToAdd?: string[] | null;
      publishablesToRemove?: string[] | null;
    };
  },
  context: ResolverContext,
) {
  const { shop } = context;
  const publication = findPublication(shop, args.id);
  if (!publication) return { publication: null, userErrors: [NOT_FOUND(["id"])] };
  const errors = changePublication(
    shop,
    publication,
    {
      add: args.input.publishablesToAdd,
      remove: args.input.publishablesToRemove,
      autoPublish: args.input.autoPublish,
    },
    context.now(),
  );
  return errors.length > 0
    ? { publication: null, userErrors: errors }
    : { publication: publicationView(shop, publication), userErrors: [] };
}

export function deletePublication(shop: ShopState, publication: PublicationRecord): void {
  const catalog = publication.catalogId === null ? undefined : shop.catalogs.get(publication.catalogId);
  if (catalog) linkPublication(shop, catalog, null);
  shop.publications.delete(publication.id);
}

function publicationDelete(args: { id: string }, context: ResolverContext) {
  const publication = findPublication(context.shop, args.id);
  if (!publication) return { deletedId: null, userErrors: [NOT_FOUND(["id"])] };
  deletePublication(context.shop, publication);
  return { deletedId: gid("Publication", publication.id), userErrors: [] };
}

interface PublicationInput {
  publicationId?: string | null;
  channelId?: string | null;
  publishDate?: string | null;
}

/** publishablePublish / publishableUnpublish: a product to or from catalog publications. */
function publishing(publish: boolean) {
  return (args: { id: string; input: PublicationInput[] }, context: ResolverContext) => {
    const { shop } = context;
    const productId = parseGid(args.id, "Product");
    const product = productId === null ? undefined : shop.products.get(productId);
    const payload = (userErrors: UserError[]) => ({
      publishable: product ? productView(shop, product) : null,
      shop: shopView(shop, context.now()),
      userErrors,
    });
    if (!product) return payload([userError(["id"], "Resource does not exist")]);
    const targets: PublicationRecord[] = [];
    const errors: UserError[] = [];
    const seen = new Set<string>();
    args.input.forEach((entry, index) => {
      const field = ["input", String(index), "publicationId"];
      if (!entry.publicationId) {
        errors.push(userError(field, "PublicationId cannot be empty"));
        return;
      }
      if (entry.publishDate && new Date(entry.publishDate).getUTCFullYear() < 1970)
        errors.push(
          userError(
            ["input", String(index), "publishDate"],
            "Publish date must be a date after the year 1969",
          ),
        );
      if (seen.has(entry.publicationId)) {
        errors.push(userError(field, "The same publication was specified more than once"));
        return;
      }
      seen.add(entry.publicationId);
      const publication = findPublication(shop, entry.publicationId);
      if (!publication) errors.push(userError(field, "Publication does not exist or is not publishable"));
      else targets.push(publication);
    });
    if (errors.length > 0) return payload(errors);
    const now = context.now();
    for (const publication of targets) {
      if (publish && !publication.products.has(product.id)) publication.products.set(product.id, now);
      if (!publish) publication.products.delete(product.id);
      publication.updatedAt = now;
    }
    return payload([]);
  };
}

function publicationsOfType(shop: ShopState, catalogType: string | null | undefined): PublicationRecord[] {
  return [...shop.publications.values()].filter((publication) => {
    if (!catalogType) return true;
    const catalog = publication.catalogId === null ? undefined : shop.catalogs.get(publication.catalogId);
    if (catalogType === "NONE") return !catalog;
    return catalog !== undefined && catalogKind(catalog) === catalogType;
  });
}

export const publicationQueries: FieldMap = {
  publication: (args: { id: string }, { shop }: ResolverContext) => {
    const publication = findPublication(shop, args.id);
    return publication ? publicationView(shop, publication) : null;
  },
  publications: (args: PublicationsArgs, { shop }: ResolverContext) =>
    connection(
      publicationsOfType(shop, args.catalogType),
      args,
      (p) => p.id,
      (p) => publicationView(shop, p),
    ),
  publicationsCount: (
    args: { catalogType?: string | null; limit?: number | null },
    { shop }: ResolverContext,
  ) => countOf(publicationsOfType(shop, args.catalogType).length, args.limit),
  publishedProductsCount: (
    args: { publicationId: string; limit?: number | null },
    { shop }: ResolverContext,
  ) => {
    const publication = findPublication(shop, args.publicationId);
    const count = publication
      ? [...publication.products.keys()].filter((id) => shop.products.has(id)).length
      : 0;
    return countOf(count, args.limit);
  },
};

export const publicationMutations: FieldMap = {
  publicationCreate,
  publicationUpdate,
  publicationDelete,
  publishablePublish: publishing(true),
  publishableUnpublish: publishing(false),
};
