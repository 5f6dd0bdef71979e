import { GraphQLError } from "graphql";
import type { PriceListRecord } from "../state/records.server";
import { parseGid, type ShopState } from "../state/shop-state.server";
import { findCatalog } from "./b2b-catalogs.server";
import { priceListPriceView, priceListView, type PriceEntry } from "./b2b-catalog-views.server";
import { connection, type ConnectionArgs } from "./connection.server";
import { userError, type FieldMap, type ResolverContext, type UserError } from "./context.server";
import { fromCents, toCents } from "./money.server";

/**
 * Price lists: `priceLists`, `priceList`, `priceListCreate` and the fixed-price mutations
 * (https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/priceListFixedPricesAdd and
 * siblings). Fixed-price validation follows Shopify's answers: unknown variants are reported
 * first ("Product variant ID does not exist.", VARIANT_NOT_FOUND) and, when there are none,
 * every price or compare-at price in another currency ("The specified currency does not match
 * the price list's currency.", PRICE_LIST_CURRENCY_MISMATCH). On any error nothing changes and
 * `prices` is an empty list. List arguments hold at most 250 items, as everywhere in the Admin
 * API (https://shopify.dev/docs/api/usage/limits): more is a top-level MAX_INPUT_SIZE_EXCEEDED.
 */

const MAX_INPUT_SIZE = 250;

interface MoneyInput {
  amount: string | number;
  currencyCode: string;
}

interface PriceInput {
  variantId: string;
  price: MoneyInput;
  compareAtPrice?: MoneyInput | null;
}

interface PriceListCreateInput {
  name: string;
  currency: string;
  parent: { adjustment: { type: "PERCENTAGE_DECREASE" | "PERCENTAGE_INCREASE"; value: number } };
  catalogId?: string | null;
}

function tooMany(length: number, path: string[]): GraphQLError {
  return new GraphQLError(
    `The input array size of ${length} is greater than the maximum allowed of ${MAX_INPUT_SIZE}.`,
    { extensions: { code: "MAX_INPUT_SIZE_EXCEEDED", argumentPath: path } },
  );
}

function findPriceList(shop: ShopState, id: unknown): PriceListRecord | undefined {
  const numeric = parseGid(id, "PriceList");
  return numeric === null ? undefined : shop.priceLists.get(numeric);
}

const LIST_NOT_FOUND = (field: string[]) =>
  userError(field, "Price list does not exist.", "PRICE_LIST_NOT_FOUND");

/** Errors of fixed prices to add; empty when every variant exists and every currency matches. */
function priceErrors(
  shop: ShopState,
  list: PriceListRecord,
  prices: PriceInput[],
  field: string,
): UserError[] {
  const missing = prices.flatMap((input, index) => {
    const id = parseGid(input.variantId, "ProductVariant");
    return id !== null && shop.variants.has(id)
      ? []
      : [
          userError(
            [field, String(index), "variantId"],
            "Product variant ID does not exist.",
            "VARIANT_NOT_FOUND",
          ),
        ];
  });
  if (missing.length > 0) return missing;
  const mismatch = (path: string[]) =>
    userError(
      path,
      "The specified currency does not match the price list's currency.",
      "PRICE_LIST_CURRENCY_MISMATCH",
    );
  return prices.flatMap((input, index) => {
    const errors: UserError[] = [];
    if (input.price.currencyCode !== list.currency)
      errors.push(mismatch([field, String(index), "price", "currencyCode"]));
    if (input.compareAtPrice && input.compareAtPrice.currencyCode !== list.currency)
      errors.push(mismatch([field, String(index), "compareAtPrice", "currencyCode"]));
    return errors;
  });
}

/** Stores the fixed prices and returns their views. Call only after `priceErrors` found none. */
function applyPrices(shop: ShopState, list: PriceListRecord, prices: PriceInput[]) {
  const added: PriceEntry[] = [];
  for (const input of prices) {
    const variantId = parseGid(input.variantId, "ProductVariant")!;
    const fixed = {
      price: fromCents(toCents(input.price.amount)),
      compareAtPrice: input.compareAtPrice ? fromCents(toCents(input.compareAtPrice.amount)) : null,
    };
    list.fixedPrices.set(variantId, fixed);
    added.push({ variant: shop.variants.get(variantId)!, ...fixed, originType: "FIXED" });
  }
  return added.map((entry) => priceListPriceView(shop, list, entry));
}

/** Variant ids with a fixed price on the list, or the errors naming those without one. */
function deletions(list: PriceListRecord, variantIds: string[], field: string) {
  const ids: number[] = [];
  const errors: UserError[] = [];
  variantIds.forEach((raw, index) => {
    const id = parseGid(raw, "ProductVariant");
    if (id === null || !list.fixedPrices.has(id))
      errors.push(
        userError(
          [field, String(index)],
          "A fixed price for the specified product variant doesn't exist.",
          "VARIANT_NOT_FOUND",
        ),
      );
    else ids.push(id);
  });
  return { ids, errors };
}

function priceListCreate(args: { input: PriceListCreateInput }, context: ResolverContext) {
  const { shop } = context;
  const { input } = args;
  const errors: UserError[] = [];
  const name = input.name.trim();
  if (!name) errors.push(userError(["input", "name"], "Name can't be blank", "BLANK"));
  else if ([...shop.priceLists.values()].some((list) => list.name.toLowerCase() === name.toLowerCase()))
    errors.push(userError(["input", "name"], "Name has already been taken", "TAKEN"));
  const { type, value } = input.parent.adjustment;
  const valueField = ["input", "parent", "adjustment", "value"];
  if (value < 0)
    errors.push(
      userError(
        valueField,
        "Adjustment value must be greater than or equal to 0",
        "INVALID_ADJUSTMENT_MIN_VALUE",
      ),
    );
  else if (type === "PERCENTAGE_DECREASE" && value > 100)
    errors.push(
      userError(
        valueField,
        "Adjustment value must be less than or equal to 100",
        "INVALID_ADJUSTMENT_MAX_VALUE",
      ),
    );
  const catalog = input.catalogId ? findCatalog(shop, input.catalogId) : undefined;
  if (input.catalogId && !catalog)
    errors.push(userError(["input", "catalogId"], "Catalog does not exist.", "CATALOG_DOES_NOT_EXIST"));
  else if (catalog && catalog.priceListId !== null)
    errors.push(userError(["input", "catalogId"], "Catalog has already been taken.", "CATALOG_TAKEN"));
  if (errors.length > 0) return { priceList: null, userErrors: errors };
  const now = context.now();
  const list: PriceListRecord = {
    id: shop.newId(),
    name,
    currency: input.currency,
    catalogId: catalog?.id ?? null,
    adjustment: { type, value },
    fixedPrices: new Map(),
    createdAt: now,
    updatedAt: now,
  };
  shop.priceLists.set(list.id, list);
  if (catalog) catalog.priceListId = list.id;
  return { priceList: priceListView(shop, list), userErrors: [] };
}

function priceListFixedPricesAdd(
  args: { priceListId: string; prices: PriceInput[] },
  context: ResolverContext,
) {
  if (args.prices.length > MAX_INPUT_SIZE) throw tooMany(args.prices.length, ["prices"]);
  const { shop } = context;
  const list = findPriceList(shop, args.priceListId);
  if (!list) return { prices: [], userErrors: [LIST_NOT_FOUND(["priceListId"])] };
  const errors = priceErrors(shop, list, args.prices, "prices");
  if (errors.length > 0) return { prices: [], userErrors: errors };
  const prices = applyPrices(shop, list, args.prices);
  list.updatedAt = context.now();
  return { prices, userErrors: [] };
}

function priceListFixedPricesDelete(
  args: { priceListId: string; variantIds: string[] },
  context: ResolverContext,
) {
  if (args.variantIds.length > MAX_INPUT_SIZE) throw tooMany(args.variantIds.length, ["variantIds"]);
  const list = findPriceList(context.shop, args.priceListId);
  if (!list) return { deletedFixedPriceVariantIds: [], userErrors: [LIST_NOT_FOUND(["priceListId"])] };
  const { ids, errors } = deletions(list, args.variantIds, "variantIds");
  if (errors.length > 0) return { deletedFixedPriceVariantIds: [], userErrors: errors };
  for (const id of ids) list.fixedPrices.delete(id);
  list.updatedAt = context.now();
  return { deletedFixedPriceVariantIds: args.variantIds, userErrors: [] };
}

function priceListFixedPricesUpdate(
  args: { priceListId: string; pricesToAdd: PriceInput[]; variantIdsToDelete: string[] },
  context: ResolverContext,
) {
  if (args.pricesToAdd.length > MAX_INPUT_SIZE) throw tooMany(args.pricesToAdd.length, ["pricesToAdd"]);
  if (args.variantIdsToDelete.length > MAX_INPUT_SIZE)
    throw tooMany(args.variantIdsToDelete.length, ["variantIdsToDelete"]);
  const { shop } = context;
  const list = findPriceList(shop, args.priceListId);
  const failed = (userErrors: UserError[]) => ({
    priceList: null,
    pricesAdded: [],
    deletedFixedPriceVariantIds: [],
    userErrors,
  });
  if (!list) return failed([LIST_NOT_FOUND(["priceListId"])]);
  const removing = deletions(list, args.variantIdsToDelete, "variantIdsToDelete");
  const errors = [...priceErrors(shop, list, args.pricesToAdd, "pricesToAdd"), ...removing.errors];
  if (errors.length > 0) return failed(errors);
  for (const id of removing.ids) list.fixedPrices.delete(id);
  const pricesAdded = applyPrices(shop, list, args.pricesToAdd);
  list.updatedAt = context.now();
  return {
    priceList: priceListView(shop, list),
    pricesAdded,
    deletedFixedPriceVariantIds: args.variantIdsToDelete,
    userErrors: [],
  };
}

export const priceListQueries: FieldMap = {
  priceLists: (args: ConnectionArgs & { sortKey?: string | null }, { shop }: ResolverContext) => {
    return connection(
      shop.priceLists.values(),
      args,
      { key: args.sortKey === "NAME" ? (l) => l.name : (l) => l.id, id: (l) => l.id },
      (l) => priceListView(shop, l),
    );
  },
  priceList: (args: { id: string }, { shop }: ResolverContext) => {
    const list = findPriceList(shop, args.id);
    return list ? priceListView(shop, list) : null;
  },
};

export const priceListMutations: FieldMap = {
  priceListCreate,
  priceListFixedPricesAdd,
  priceListFixedPricesDelete,
  priceListFixedPricesUpdate,
};
