import { z } from "zod";
import {
  findItem,
  findItemNos,
  itemsByNo,
  priceBook,
  type ItemWithVariants,
  type PriceBook,
  type SkuStrategy,
} from "../backoffice/backoffice.server";
import type { Db } from "../db.server";
import type {
  Shop,
  ShopifyProduct,
  ShopifyVariantMap,
  ShopSettings,
  SyncRecord,
} from "../generated/prisma/client";
import { collectChanges, recordsByKey, retryRecord } from "../sync/kit/outbound.server";
import { draftOf, skuFor } from "../sync/products/build.server";
import {
  itemNosOfSkus,
  linkedItemNos,
  productsOfItems,
  variantsOfProducts,
} from "../sync/products/links.server";
import { addItemsToShopify, NOT_ADDED, PRODUCT_FEED, PRODUCT_TASK } from "../sync/products/records.server";
import { soldWords, variantsSoldInShopify } from "../sync/products/export.server";
import { syncProductsTask } from "../sync/products/task.server";
import { startFollowUp, type FollowUp } from "./follow-up.server";
import { pageParam, pageWindow, type Paging } from "./paging";
import { Refusal } from "./refusal.server";
import { adminProductUrl } from "./shopify-admin.server";

/**
 * The back office's items as the products sync sees them (the Items page and the CLI's
 * `items`): each item with its variants and SKUs, its price and compare-at price as the export
 * sends them (priceOf in the shop card's context, through the export's own draft), its sales
 * prices, its Shopify product and variants, and its sync record's state with the message in
 * full. A person adds items to Shopify (the ones chosen, or every one a search finds) and
 * retries a failed one; either starts the products sync, as the shipments page does.
 */

/** Where an item stands with the export, as the merchant reads it. */
export const ITEM_STATE_WORDS = {
  not_added: "not added to Shopify",
  pending: "waiting to be sent",
  synced: "synced",
  error: "failed",
  skipped: "skipped",
  linked: "linked to a Shopify product, nothing sent yet",
  sold: "sold in Shopify already: its product and prices are Shopify's",
} as const;
export type ItemSyncState = keyof typeof ITEM_STATE_WORDS;

/** The list's state filter: every item, or those in one state. */
export const ITEM_VIEWS = ["all", "error", "pending", "synced", "not_added"] as const;
export type ItemView = (typeof ITEM_VIEWS)[number];

/** At most this many chosen items in one Add to Shopify (the rest: by search). */
export const MAX_CHOSEN = 500;

export interface ItemVariantRow {
  /** The variant's code; null for an item without variants (its one default variant). */
  code: string | null;
  title: string;
  sku: string | null;
  barcode: string | null;
  /** As the export sends them (null: the price could not be worked out, see priceProblem). */
  price: string | null;
  compareAtPrice: string | null;
  shopifyVariantId: string | null;
  inventoryItemId: string | null;
  /** Why the variant's last price update failed in Shopify. */
  priceMessage: string | null;
}

export interface SalesPriceRow {
  /** null: for all customers. */
  priceGroup: string | null;
  /** null: every variant. */
  variantCode: string | null;
  /** null: the shop's currency. */
  currencyCode: string | null;
  unitPrice: string;
}

export interface ItemRow {
  no: string;
  description: string;
  blocked: boolean;
  salesBlocked: boolean;
  unitPrice: string;
  variants: ItemVariantRow[];
  /** Why the export cannot price or build the item (a price group that does not exist...). */
  priceProblem: string | null;
  salesPrices: SalesPriceRow[];
  product: { id: string; title: string; status: string; adminUrl: string } | null;
  /** Without a product of its own: the Shopify variant it is sold as (met on an order...). */
  soldAs: { title: string; adminUrl: string | null } | null;
  state: ItemSyncState;
  /** The state in words (ITEM_STATE_WORDS). */
  stateWords: string;
  /** Shopify's message when failed (or the last failure's, while waiting), why when skipped. */
  message: string | null;
  attempts: number;
  sentAt: string | null;
}

export interface PriceContextInfo {
  syncItems: string;
  syncPrices: boolean;
  priceGroup: string | null;
  discountGroup: string | null;
  pricesIncludingTax: boolean;
  productMapping: string;
}

const text = (max: number) => z.string().trim().max(max, `at most ${max} characters`);

const itemNo = z
  .string({ message: "item is required" })
  .trim()
  .min(1, "item is required")
  .max(20, "an item number has at most 20 characters");

const view = z.enum(ITEM_VIEWS, { message: `state is one of ${ITEM_VIEWS.join(", ")}` }).default("all");

export const itemQuery = z.object({
  q: text(100).optional(),
  state: view,
  page: pageParam,
});
export type ItemQuery = z.output<typeof itemQuery>;

/** Item numbers, comma-separated (a form's chosen rows). */
const itemNoList = z
  .string({ message: "choose the items to add" })
  .max(MAX_CHOSEN * 21, `at most ${MAX_CHOSEN} items at a time; add the others by search`)
  .transform((value) => [
    ...new Set(
      value
        .split(",")
        .map((part) => part.trim())
        .filter(Boolean),
    ),
  ])
  .pipe(
    z
      .array(z.string().max(20, "an item number has at most 20 characters"))
      .min(1, "choose the items to add")
      .max(MAX_CHOSEN, `at most ${MAX_CHOSEN} items at a time; add the others by search`),
  );

export const itemAction = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("add"), itemNos: itemNoList }),
  z.object({ intent: z.literal("addMatching"), q: text(100).optional(), state: view }),
  z.object({ intent: z.literal("retry"), itemNo }),
]);
export type ItemAction = z.output<typeof itemAction>;

const money = (value: { toFixed: (digits: number) => string; decimalPlaces: () => number }) =>
  value.decimalPlaces() > 2 ? value.toFixed(4) : value.toFixed(2);

function soldAsOf(shop: Shop, links: ShopifyVariantMap[] | undefined): ItemRow["soldAs"] {
  const link = links?.find((each) => each.productShopifyId !== null) ?? links?.[0];
  if (!link) return null;
  return {
    title: link.title,
    adminUrl: link.productShopifyId === null ? null : adminProductUrl(shop.domain, link.productShopifyId),
  };
}

/**
 * An item Shopify sells through a product the export did not make is "sold" while the shop
 * card does not send its prices; when it does, it is in its record's state (linked until its
 * first change).
 */
function stateOf(
  record: SyncRecord | undefined,
  product: ShopifyProduct | undefined,
  sold: boolean,
  settings: Pick<ShopSettings, "syncItems" | "syncPrices">,
): ItemSyncState {
  const notAdded = record?.state === "skipped" && record.message === NOT_ADDED && record.shopifyId === null;
  if (sold && !product && !(settings.syncItems === "to_shopify" && settings.syncPrices)) return "sold";
  if (record && !notAdded) return record.state as ItemSyncState;
  return product || sold ? "linked" : "not_added";
}

async function shopSettings(db: Db, shop: Shop): Promise<ShopSettings> {
  return db.shopSettings.findUniqueOrThrow({ where: { shopId: shop.id } });
}

export function priceContextOf(settings: ShopSettings): PriceContextInfo {
  return {
    syncItems: settings.syncItems,
    syncPrices: settings.syncPrices,
    priceGroup: settings.priceGroup,
    discountGroup: settings.discountGroup,
    pricesIncludingTax: settings.pricesIncludingTax,
    productMapping: settings.productMapping,
  };
}

function salesPricesOf(book: PriceBook, no: string): SalesPriceRow[] {
  return (book.prices.get(no) ?? [])
    .map((price) => ({
      priceGroup: price.priceGroup || null,
      variantCode: price.variantCode || null,
      currencyCode: price.currencyCode || null,
      unitPrice: money(price.unitPrice),
    }))
    .sort(
      (a, b) =>
        (a.priceGroup ?? "").localeCompare(b.priceGroup ?? "") ||
        (a.variantCode ?? "").localeCompare(b.variantCode ?? "") ||
        (a.currencyCode ?? "").localeCompare(b.currencyCode ?? ""),
    );
}

/** The rows of these items (in this order; numbers of items that no longer exist are left out). */
export async function itemRows(
  db: Db,
  shop: Shop,
  settings: ShopSettings,
  nos: string[],
): Promise<ItemRow[]> {
  if (nos.length === 0) return [];
  const [items, book, records, products] = await Promise.all([
    itemsByNo(db, shop.id, nos),
    priceBook(db, shop.id, nos),
    recordsByKey(db, shop.id, PRODUCT_TASK, nos),
    productsOfItems(db, shop.id, nos),
  ]);
  const [links, sold] = await Promise.all([
    variantsOfProducts(
      db,
      shop.id,
      [...products.values()].map((product) => product.shopifyId),
    ),
    variantsSoldInShopify(
      db,
      shop.id,
      nos.filter((no) => !products.has(no)),
    ),
  ]);
  return nos.flatMap((no) => {
    const item = items.get(no);
    if (!item) return [];
    const product = products.get(no);
    const record = records.get(no);
    // The variants of its own product, else those Shopify sells it as (the first of each code).
    const byCode = new Map(
      (product ? (links.get(product.shopifyId) ?? []) : (sold.live.get(no) ?? []))
        .filter((link) => link.itemNo === no)
        .reverse()
        .map((link) => [link.variantCode ?? "", link]),
    );
    const { variants, problem } = variantRowsOf(item, settings, book);
    const state = stateOf(record, product, sold.live.has(no), settings);
    return [
      {
        no: item.no,
        description: item.description,
        blocked: item.blocked,
        salesBlocked: item.salesBlocked,
        unitPrice: money(item.unitPrice),
        variants: variants.map((variant) => {
          const link = byCode.get(variant.code ?? "");
          return {
            ...variant,
            shopifyVariantId: link ? link.variantShopifyId.toString() : null,
            inventoryItemId: link?.inventoryItemShopifyId?.toString() ?? null,
            priceMessage: link?.priceMessage ?? null,
          };
        }),
        priceProblem: problem,
        salesPrices: salesPricesOf(book, no),
        product: product
          ? {
              id: product.shopifyId.toString(),
              title: product.title,
              status: product.status,
              adminUrl: adminProductUrl(shop.domain, product.shopifyId),
            }
          : null,
        soldAs: soldAsOf(shop, sold.live.get(no)),
        state,
        stateWords: ITEM_STATE_WORDS[state],
        message:
          state === "sold"
            ? soldWords(sold.live.get(no)![0]!, settings)
            : state === "not_added" || state === "linked"
              ? null
              : (record?.message ?? null),
        attempts: record?.attempts ?? 0,
        sentAt: record?.sentAt?.toISOString() ?? null,
      },
    ];
  });
}

type VariantDraftRow = Omit<ItemVariantRow, "shopifyVariantId" | "inventoryItemId" | "priceMessage">;

/** The item's variants as the export's draft makes them, or (when it cannot) their SKUs alone. */
function variantRowsOf(
  item: ItemWithVariants,
  settings: ShopSettings,
  book: PriceBook,
): { variants: VariantDraftRow[]; problem: string | null } {
  const draft = draftOf(item, settings, book);
  if (!("problem" in draft))
    return {
      variants: draft.variants.map((variant) => ({
        code: variant.code,
        title: variant.title,
        sku: variant.sku,
        barcode: variant.barcode,
        price: variant.price,
        compareAtPrice: variant.compareAtPrice,
      })),
      problem: null,
    };
  const strategy = settings.productMapping as SkuStrategy;
  const rows = item.variants.length > 0 ? item.variants : [null];
  return {
    variants: rows.map((variant) => ({
      code: variant?.code ?? null,
      title: variant ? variant.description : item.description,
      sku: skuFor(strategy, item, variant),
      barcode: (variant ? variant.barcode : item.barcode) ?? null,
      price: null,
      compareAtPrice: null,
    })),
    problem: draft.problem,
  };
}

/** The numbers of the items the search and the state filter find, in number order. */
export async function matchingItemNos(
  db: Db,
  shop: Shop,
  filter: { q?: string | undefined; state: ItemView },
  options: { sellableOnly?: boolean } = {},
): Promise<string[]> {
  // The records' states are those after the back office's latest changes.
  await collectChanges(db, shop.id, PRODUCT_FEED);
  const q = filter.q?.trim() ?? "";
  const search = {
    text: q,
    alsoMatching: q ? await itemNosOfSkus(db, shop.id, q) : [],
    sellableOnly: options.sellableOnly ?? false,
  };
  if (filter.state === "all") return findItemNos(db, shop.id, search);
  if (filter.state === "not_added") {
    const [followed, linked] = await Promise.all([
      db.syncRecord.findMany({
        where: {
          shopId: shop.id,
          task: PRODUCT_TASK,
          NOT: { state: "skipped", message: NOT_ADDED, shopifyId: null },
        },
        select: { recordKey: true },
      }),
      linkedItemNos(db, shop.id),
    ]);
    return findItemNos(db, shop.id, {
      ...search,
      except: [...followed.map((record) => record.recordKey), ...linked],
    });
  }
  const inState = await db.syncRecord.findMany({
    where: { shopId: shop.id, task: PRODUCT_TASK, state: filter.state },
    select: { recordKey: true },
  });
  return findItemNos(db, shop.id, { ...search, only: inState.map((record) => record.recordKey) });
}

export interface ItemList extends Paging {
  q: string;
  state: ItemView;
  context: PriceContextInfo;
  rows: ItemRow[];
}

export async function listItemsPage(db: Db, shop: Shop, query: ItemQuery): Promise<ItemList> {
  const settings = await shopSettings(db, shop);
  const nos = await matchingItemNos(db, shop, query);
  const { paging, skip, take } = pageWindow(query.page, nos.length);
  return {
    ...paging,
    q: query.q ?? "",
    state: query.state,
    context: priceContextOf(settings),
    rows: await itemRows(db, shop, settings, nos.slice(skip, skip + take)),
  };
}

export interface ItemOutcome {
  message: string;
  followUp: FollowUp;
}

/** The export runs only when the shop card says the back office is the catalog's master. */
function requireToShopify(settings: ShopSettings): void {
  if (settings.syncItems === "to_shopify") return;
  const now = settings.syncItems === "from_shopify" ? "From Shopify" : "Off";
  throw new Refusal(
    `Items are not synced to Shopify: the setting "Sync items" is "${now}". Set it to "To Shopify" on the Settings page first.`,
    409,
  );
}

const names = (nos: string[]) =>
  nos.length === 1 ? nos[0]! : `${nos.slice(0, -1).join(", ")} and ${nos[nos.length - 1]!}`;

function addedWords(nos: string[]): string {
  if (nos.length === 1) return `Item ${nos[0]} is waiting to be sent to Shopify.`;
  if (nos.length <= 5) return `Items ${names(nos)} are waiting to be sent to Shopify.`;
  return `${nos.length} items are waiting to be sent to Shopify.`;
}

async function addChosen(db: Db, shop: Shop, settings: ShopSettings, nos: string[]): Promise<string> {
  const items = await itemsByNo(db, shop.id, nos);
  const missing = nos.filter((no) => !items.has(no));
  if (missing.length > 0)
    throw new Refusal(`This shop has no item ${names(missing)} in the back office.`, 404, {
      itemNos: `no item ${names(missing)} in the back office`,
    });
  requireToShopify(settings);
  // A blocked item is not created in Shopify (the export skips it); one already there is sent,
  // and its product goes to the status the shop card gives blocked items.
  const products = await productsOfItems(db, shop.id, nos);
  const blocked = nos.filter((no) => {
    const item = items.get(no)!;
    return (item.blocked || item.salesBlocked) && !products.has(no);
  });
  if (blocked.length > 0)
    throw new Refusal(
      `${blocked.length === 1 ? "Item" : "Items"} ${names(blocked)} ${blocked.length === 1 ? "is" : "are"} blocked in the back office, and a blocked item is not created in Shopify: unblock it first.`,
      409,
      { itemNos: `${names(blocked)} blocked` },
    );
  await addItemsToShopify(db, shop.id, nos);
  return addedWords(nos);
}

async function addMatching(
  db: Db,
  shop: Shop,
  settings: ShopSettings,
  filter: { q?: string | undefined; state: ItemView },
): Promise<string> {
  requireToShopify(settings);
  const all = await matchingItemNos(db, shop, filter);
  const sellable = await matchingItemNos(db, shop, filter, { sellableOnly: true });
  const leftOut = all.length - sellable.length;
  const search = filter.q ? ` “${filter.q}”` : "";
  if (sellable.length === 0)
    throw new Refusal(
      all.length === 0
        ? `Nothing to add: no item matches the search${search}.`
        : `Nothing to add: the ${all.length === 1 ? "item" : `${all.length} items`} matching the search${search} ${all.length === 1 ? "is" : "are"} blocked.`,
      409,
    );
  await addItemsToShopify(db, shop.id, sellable);
  return `${addedWords(sellable)}${leftOut > 0 ? ` ${leftOut} blocked ${leftOut === 1 ? "item was" : "items were"} left out.` : ""}`;
}

async function retry(db: Db, shop: Shop, settings: ShopSettings, no: string): Promise<string> {
  const item = await findItem(db, shop.id, no);
  if (!item)
    throw new Refusal(`This shop has no item ${no} in the back office.`, 404, { itemNo: "not found" });
  requireToShopify(settings);
  if (!(await retryRecord(db, shop.id, PRODUCT_TASK, item.no))) {
    const [record, products] = await Promise.all([
      recordsByKey(db, shop.id, PRODUCT_TASK, [item.no]),
      productsOfItems(db, shop.id, [item.no]),
    ]);
    const sold =
      !products.has(item.no) && (await variantsSoldInShopify(db, shop.id, [item.no])).live.has(item.no);
    const state = stateOf(record.get(item.no), products.get(item.no), sold, settings);
    throw new Refusal(
      `Item ${item.no} has not failed (it is ${ITEM_STATE_WORDS[state]}); only a failed item can be retried.`,
      409,
    );
  }
  return `Item ${item.no} is waiting to be sent to Shopify again.`;
}

/** Adds items to Shopify or retries a failed one, then starts the products sync. */
export async function actOnItems(db: Db, shop: Shop, input: ItemAction): Promise<ItemOutcome> {
  const settings = await shopSettings(db, shop);
  let message: string;
  if (input.intent === "add") message = await addChosen(db, shop, settings, input.itemNos);
  else if (input.intent === "addMatching") message = await addMatching(db, shop, settings, input);
  else message = await retry(db, shop, settings, input.itemNo);
  return { message, followUp: await startFollowUp(db, shop, syncProductsTask) };
}

/** Every item the search and the state filter find, as rows (the CLI), loaded a chunk at a time. */
export async function allItemRows(
  db: Db,
  shop: Shop,
  filter: { q?: string | undefined; state: ItemView },
): Promise<ItemRow[]> {
  const settings = await shopSettings(db, shop);
  const nos = await matchingItemNos(db, shop, filter);
  const rows: ItemRow[] = [];
  for (let at = 0; at < nos.length; at += MAX_CHOSEN)
    rows.push(...(await itemRows(db, shop, settings, nos.slice(at, at + MAX_CHOSEN))));
  return rows;
}
