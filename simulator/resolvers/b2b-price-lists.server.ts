import type { CatalogRecord, PriceListRecord } from "../state/records.server";
import { parseGid, type ShopState } from "../state/shop-state.server";
import { findCatalog, invalidId, isCatalogGid } from "./b2b-catalogs.server";
import { priceListPriceView, priceListView, type PriceEntry } from "./b2b-catalog-views.server";
import { MAX_INPUT_SIZE, tooMany } from "./catalog-inventory.server";
import { connection, type ConnectionArgs } from "./connection.server";
import { userError, type FieldMap, type ResolverContext, type UserError } from "./context.server";
import { fromCents, toCents } from "./money.server";

/**
 * Price lists: `priceLists`, `priceList`, `priceListCreate`, `priceListUpdate`, `priceListDelete`
 * and the fixed-price mutations (https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/
 * priceListFixedPricesAdd and siblings). Messages, paths, payload shapes and the order of the
 * checks follow a live shop's answers (public captures against Admin 2026-04 in
 * airhorns/shopify-draft-proxy, fixtures/conformance/…/2026-04/markets/price-list-*.json):
 *
 * - fixed prices: unknown variants first ("Product variant ID does not exist.", VARIANT_NOT_FOUND)
 *   and, only when there are none, every price or compare-at price in another currency ("The
 *   specified currency does not match the price list's currency.", PRICE_LIST_CURRENCY_MISMATCH);
 *   on any error nothing changes and the lists of the payload are empty; an unknown price list
 *   makes them null. The same variant twice in one call keeps the last price, answered once.
 *   Deleting the fixed price of a variant that has none is PRICE_NOT_FIXED ("Only fixed prices
 *   can be deleted."). A variant outside the list's catalog's publication is accepted: Shopify
 *   documents no error for it (PriceListPriceUserErrorCode, 2026-07).
 * - priceListFixedPricesUpdate refused answers the price list as it is.
 * - priceListCreate checks the catalog before the name and the adjustment; an adjustment below 0,
 *   above 100% down or above 1000% up is INVALID_ADJUSTMENT_VALUE; priceListUpdate refusing an
 *   adjustment answers the list unchanged, refusing a name or catalog answers null; a new
 *   currency removes every fixed price (mutation reference and capture); `catalogId: null`
 *   detaches the catalog.
 *
 * List arguments hold at most 250 items, as everywhere in the Admin API
 * (https://shopify.dev/docs/api/usage/limits, "Input limits"); more is a top-level
 * MAX_INPUT_SIZE_EXCEEDED. Shopify documents no smaller batch for these mutations.
 */

interface MoneyInput {
  amount: string | number;
  currencyCode: string;
}

export interface PriceInput {
  variantId: string;
  price: MoneyInput;
  compareAtPrice?: MoneyInput | null;
}

type Adjustment = NonNullable<PriceListRecord["adjustment"]>;

interface ParentInput {
  adjustment: Adjustment;
  settings?: { compareAtMode?: "ADJUSTED" | "NULLIFY" | null } | null;
}

export interface PriceListInput {
  name?: string | null;
  currency?: string | null;
  parent?: ParentInput | null;
  catalogId?: string | null;
}

export function findPriceList(shop: ShopState, id: unknown): PriceListRecord | undefined {
  const numeric = parseGid(id, "PriceList");
  return numeric === null ? undefined : shop.priceLists.get(numeric);
}

const LIST_NOT_FOUND = (field: string[]) =>
  userError(field, "Price list does not exist.", "PRICE_LIST_NOT_FOUND");
const VARIANT_MISSING = (field: string[]) =>
  userError(field, "Product variant ID does not exist.", "VARIANT_NOT_FOUND");

/** Errors of fixed prices to set; empty when every variant exists and every currency matches. */
export function priceErrors(
  shop: ShopState,
  list: PriceListRecord,
  prices: PriceInput[],
  field: string,
): UserError[] {
  const missing = prices.flatMap((input, index) => {
    const id = parseGid(input.variantId, "ProductVariant");
    return id !== null && shop.variants.has(id) ? [] : [VARIANT_MISSING([field, String(index), "variantId"])];
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

/** Stores the fixed prices and returns what was set, one entry per variant (the last price given wins). */
export function applyPrices(shop: ShopState, list: PriceListRecord, prices: PriceInput[]): PriceEntry[] {
  const set = new Map<number, PriceEntry>();
  for (const input of prices) {
    const variantId = parseGid(input.variantId, "ProductVariant")!;
    const fixed = {
      price: fromCents(toCents(input.price.amount)),
      compareAtPrice: input.compareAtPrice ? fromCents(toCents(input.compareAtPrice.amount)) : null,
    };
    list.fixedPrices.set(variantId, fixed);
    set.delete(variantId);
    set.set(variantId, { variant: shop.variants.get(variantId)!, ...fixed, originType: "FIXED" });
  }
  return [...set.values()];
}

/** Variant ids with a fixed price on the list, or the errors naming the others. */
export function deletions(shop: ShopState, list: PriceListRecord, variantIds: string[], field: string) {
  const ids: number[] = [];
  const errors: UserError[] = [];
  variantIds.forEach((raw, index) => {
    const id = parseGid(raw, "ProductVariant");
    if (id === null || !shop.variants.has(id)) errors.push(VARIANT_MISSING([field, String(index)]));
    else if (!list.fixedPrices.has(id))
      errors.push(userError([field, String(index)], "Only fixed prices can be deleted.", "PRICE_NOT_FIXED"));
    else ids.push(id);
  });
  return { ids, errors };
}

function nameErrors(shop: ShopState, name: string, self: number | null): UserError[] {
  if (!name) return [userError(["input", "name"], "Name can't be blank", "BLANK")];
  if (name.length > 255)
    return [userError(["input", "name"], "Name is too long (maximum is 255 characters)", "TOO_LONG")];
  if ([...shop.priceLists.values()].some((l) => l.id !== self && l.name.toLowerCase() === name.toLowerCase()))
    return [userError(["input", "name"], "Name has already been taken", "TAKEN")];
  return [];
}

function adjustmentErrors(adjustment: Adjustment): UserError[] {
  const { type, value } = adjustment;
  const invalid = value < 0 || (type === "PERCENTAGE_DECREASE" ? value > 100 : value > 1000);
  return invalid
    ? [
        userError(
          ["input", "parent", "adjustment", "value"],
          "The adjustment value must be a positive value and not be greater than 100% for PERCENTAGE_DECREASE and not be greater than 1000% for PERCENTAGE_INCREASE.",
          "INVALID_ADJUSTMENT_VALUE",
        ),
      ]
    : [];
}

/** The catalog a `catalogId` names, or the error refusing it (a wrong-type id throws, as on Shopify). */
function catalogFor(
  shop: ShopState,
  raw: string,
  self: number | null,
): { catalog?: CatalogRecord; error?: UserError } {
  if (!isCatalogGid(raw)) throw invalidId(raw);
  const catalog = findCatalog(shop, raw);
  if (!catalog)
    return { error: userError(["input", "catalogId"], "Catalog does not exist.", "CATALOG_DOES_NOT_EXIST") };
  if (catalog.priceListId !== null && catalog.priceListId !== self)
    return {
      error: userError(["input", "catalogId"], "Catalog has a price list already assigned.", "CATALOG_TAKEN"),
    };
  return { catalog };
}

function setCatalog(shop: ShopState, list: PriceListRecord, catalogId: number | null): void {
  if (list.catalogId !== null && list.catalogId !== catalogId) {
    const old = shop.catalogs.get(list.catalogId);
    if (old) old.priceListId = null;
  }
  list.catalogId = catalogId;
  if (catalogId !== null) shop.catalogs.get(catalogId)!.priceListId = list.id;
}

/** priceListCreate's work, shared with the control API. */
export function createPriceList(
  shop: ShopState,
  input: PriceListInput & { name: string; currency: string; parent: ParentInput },
  now: Date,
): { list?: PriceListRecord; errors: UserError[] } {
  const linked = input.catalogId ? catalogFor(shop, input.catalogId, null) : {};
  if (linked.error) return { errors: [linked.error] };
  const name = input.name.trim();
  const errors = [...nameErrors(shop, name, null), ...adjustmentErrors(input.parent.adjustment)];
  if (errors.length > 0) return { errors };
  const list: PriceListRecord = {
    id: shop.newId(),
    name,
    currency: input.currency,
    catalogId: null,
    adjustment: { type: input.parent.adjustment.type, value: input.parent.adjustment.value },
    compareAtMode: input.parent.settings?.compareAtMode ?? "ADJUSTED",
    fixedPrices: new Map(),
    createdAt: now,
    updatedAt: now,
  };
  shop.priceLists.set(list.id, list);
  if (linked.catalog) setCatalog(shop, list, linked.catalog.id);
  return { list, errors: [] };
}

/** priceListUpdate's work: refused with the list (an adjustment) or without it (a name or catalog). */
export function updatePriceList(
  shop: ShopState,
  list: PriceListRecord,
  input: PriceListInput,
  now: Date,
): { errors: UserError[]; keepList: boolean } {
  let catalogId: number | null | undefined;
  if ("catalogId" in input) {
    if (input.catalogId === null || input.catalogId === undefined) catalogId = null;
    else {
      const linked = catalogFor(shop, input.catalogId, list.id);
      if (linked.error) return { errors: [linked.error], keepList: false };
      catalogId = linked.catalog!.id;
    }
  }
  const name = input.name?.trim();
  if (name !== undefined) {
    const errors = nameErrors(shop, name, list.id);
    if (errors.length > 0) return { errors, keepList: false };
  }
  if (input.parent) {
    const errors = adjustmentErrors(input.parent.adjustment);
    if (errors.length > 0) return { errors, keepList: true };
  }
  if (name !== undefined) list.name = name;
  if (input.currency && input.currency !== list.currency) {
    list.currency = input.currency;
    // "Changing the currency removes all fixed prices from the price list" (mutation reference).
    list.fixedPrices.clear();
  }
  if (input.parent) {
    list.adjustment = { type: input.parent.adjustment.type, value: input.parent.adjustment.value };
    if (input.parent.settings?.compareAtMode) list.compareAtMode = input.parent.settings.compareAtMode;
  }
  if (catalogId !== undefined) setCatalog(shop, list, catalogId);
  list.updatedAt = now;
  return { errors: [], keepList: true };
}

export function deletePriceList(shop: ShopState, list: PriceListRecord): void {
  setCatalog(shop, list, null);
  shop.priceLists.delete(list.id);
}

function priceListCreate(
  args: { input: PriceListInput & { name: string; currency: string; parent: ParentInput } },
  context: ResolverContext,
) {
  const { list, errors } = createPriceList(context.shop, args.input, context.now());
  return list
    ? { priceList: priceListView(context.shop, list), userErrors: [] }
    : { priceList: null, userErrors: errors };
}

function priceListUpdate(args: { id: string; input: PriceListInput }, context: ResolverContext) {
  const { shop } = context;
  const list = findPriceList(shop, args.id);
  if (!list) return { priceList: null, userErrors: [LIST_NOT_FOUND(["id"])] };
  const { errors, keepList } = updatePriceList(shop, list, args.input, context.now());
  return { priceList: keepList ? priceListView(shop, list) : null, userErrors: errors };
}

function priceListDelete(args: { id: string }, context: ResolverContext) {
  const list = findPriceList(context.shop, args.id);
  if (!list) return { deletedId: null, userErrors: [LIST_NOT_FOUND(["id"])] };
  deletePriceList(context.shop, list);
  return { deletedId: args.id, userErrors: [] };
}

function priceListFixedPricesAdd(
  args: { priceListId: string; prices: PriceInput[] },
  context: ResolverContext,
) {
  if (args.prices.length > MAX_INPUT_SIZE) throw tooMany(args.prices.length, ["prices"]);
  const { shop } = context;
  const list = findPriceList(shop, args.priceListId);
  if (!list) return { prices: null, userErrors: [LIST_NOT_FOUND(["priceListId"])] };
  const errors = priceErrors(shop, list, args.prices, "prices");
  if (errors.length > 0) return { prices: [], userErrors: errors };
  const prices = applyPrices(shop, list, args.prices).map((entry) => priceListPriceView(shop, list, entry));
  list.updatedAt = context.now();
  return { prices, userErrors: [] };
}

function priceListFixedPricesDelete(
  args: { priceListId: string; variantIds: string[] },
  context: ResolverContext,
) {
  if (args.variantIds.length > MAX_INPUT_SIZE) throw tooMany(args.variantIds.length, ["variantIds"]);
  const { shop } = context;
  const list = findPriceList(shop, args.priceListId);
  if (!list) return { deletedFixedPriceVariantIds: null, userErrors: [LIST_NOT_FOUND(["priceListId"])] };
  const { ids, errors } = deletions(shop, list, args.variantIds, "variantIds");
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
  if (!list)
    return {
      priceList: null,
      pricesAdded: null,
      deletedFixedPriceVariantIds: null,
      userErrors: [LIST_NOT_FOUND(["priceListId"])],
    };
  const removing = deletions(shop, list, args.variantIdsToDelete, "variantIdsToDelete");
  const errors = [...priceErrors(shop, list, args.pricesToAdd, "pricesToAdd"), ...removing.errors];
  if (errors.length > 0)
    return {
      priceList: priceListView(shop, list),
      pricesAdded: [],
      deletedFixedPriceVariantIds: [],
      userErrors: errors,
    };
  for (const id of removing.ids) list.fixedPrices.delete(id);
  const pricesAdded = applyPrices(shop, list, args.pricesToAdd).map((entry) =>
    priceListPriceView(shop, list, entry),
  );
  list.updatedAt = context.now();
  return {
    priceList: priceListView(shop, list),
    pricesAdded,
    deletedFixedPriceVariantIds: args.variantIdsToDelete,
    userErrors: [],
  };
}

export const priceListQueries: FieldMap = {
  priceLists: (args: ConnectionArgs & { sortKey?: string | null }, { shop }: ResolverContext) =>
    connection(
      shop.priceLists.values(),
      args,
      { key: args.sortKey === "NAME" ? (l) => l.name : (l) => l.id, id: (l) => l.id },
      (l) => priceListView(shop, l),
    ),
  priceList: (args: { id: string }, { shop }: ResolverContext) => {
    const list = findPriceList(shop, args.id);
    return list ? priceListView(shop, list) : null;
  },
};

export const priceListMutations: FieldMap = {
  priceListCreate,
  priceListUpdate,
  priceListDelete,
  priceListFixedPricesAdd,
  priceListFixedPricesDelete,
  priceListFixedPricesUpdate,
};
