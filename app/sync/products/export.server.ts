import { itemsByNo, priceBook } from "../../backoffice/backoffice.server";
import type { Db, Tx } from "../../db.server";
import { RecordError } from "../../errors.server";
import type {
  ShopifyProduct,
  ShopifyVariantMap,
  ShopSettings,
  SyncRecord,
} from "../../generated/prisma/client";
import type { SyncContext } from "../../jobs/sync-task.server";
import type { AdminClient, Operation } from "../../shopify/admin-client.server";
import { runBulkMutation } from "../../shopify/bulk.server";
import { gid, numericId } from "../../shopify/ids.server";
import { collectChanges, markFailed, markSent, markSkipped } from "../kit/outbound.server";
import { RecordLoop, type RecordResult } from "../kit/records.server";
import { draftOf, type ProductDraft, type VariantDraft } from "./build.server";
import { listOf, type ProductFilters } from "./filters.server";
import {
  completeVariantLinks,
  linkProduct,
  linkVariants,
  type LinkedBy,
  productsOfItems,
  unlinkOtherVariants,
  variantsOfProducts,
} from "./links.server";
import {
  PRODUCT_SET,
  PRODUCT_STATUS,
  PRODUCT_VARIANTS_PAGE,
  VARIANT_PRICES,
  type ProductSetData,
  type ProductSetVariables,
  type ProductUserError,
  type VariantPricesData,
  type VariantPricesVariables,
  type WrittenProductNode,
  type WrittenVariantNode,
} from "./operations.server";
import { addItemsToShopify, PRODUCT_FEED, PRODUCT_TASK } from "./records.server";

/**
 * To Shopify: the items that changed since the last run (the back office's change feed) and
 * those a person added become products, sending only what changed since what was last sent:
 *
 * - a new product, or a change to its structure (title, description, vendor, type, tags,
 *   options, variants, SKUs, barcodes, cost, weight, blocked), goes with **productSet**, the
 *   product whole; its product, variants and inventory items are linked to the item;
 * - a change of prices alone goes with **productVariantsBulkUpdate**, just the variants whose
 *   price or compare-at price changed;
 * - nothing changed: nothing is sent.
 *
 * Many products at once (BULK_FROM or more of a kind) go as one **bulk mutation** each (the
 * bulk helper), whose result file is read line by line; a failed line marks its item alone,
 * and for prices its variant alone. Each item ends in one state on its sync record: synced,
 * error (Shopify's message, retried by the next run), or skipped with the reason.
 *
 * A product is created with a handle made from its title and item number, written on its sync
 * record before it is sent (sendingKey), and found by it again: a run that dies after Shopify
 * created the product and before it was linked updates that product the next time instead of
 * creating a second one, even when the item's title changed in between.
 */

/** From this many products to send of a kind, one bulk mutation instead of one request each. */
export const BULK_FROM = 20;

/** Due records read and planned at a time. */
const CHUNK = 250;

const STATUS_OF_ACTION: Record<string, string | null> = { none: null, draft: "DRAFT", archive: "ARCHIVED" };

type Settings = ShopSettings;

/** A draft once its product input is in the unit's variables. */
type SentDraft = Omit<ProductDraft, "input">;

interface SetUnit {
  kind: "set";
  record: SyncRecord;
  draft: SentDraft;
  /** Dropped once written to a bulk mutation's file: a big export holds each product once. */
  variables?: ProductSetVariables;
  product: ShopifyProduct | undefined;
  /** What the product's link says after the write: its status is the blocking's (see setUnit). */
  statusByBlock: boolean;
  answer?: ProductSetData | { errors: string[] };
}

/** A variant whose price changed, with its draft. */
interface ChangedPrice {
  link: ShopifyVariantMap;
  variant: VariantDraft;
}

interface PricesUnit {
  kind: "prices";
  record: SyncRecord;
  draft: ProductDraft;
  /** The product whose variants they are: the item's own, or one Shopify sells it as. */
  productShopifyId: bigint;
  /** The item's own product (made again whole when a variant is gone), or one Shopify sells it as. */
  own: boolean;
  changed: ChangedPrice[];
  /** The structure hash to record once sent (the draft's, unless the product is shared). */
  sentHash?: string;
  answer?: VariantPricesData | { errors: string[] };
}

interface SettleUnit {
  kind: "settle";
  record: SyncRecord;
  settle: (client: AdminClient) => Promise<RecordResult>;
}

type Unit = SetUnit | PricesUnit | SettleUnit;

export function handleOf(draft: Pick<ProductDraft, "itemNo" | "input">): string {
  const slug = `${draft.input.title} ${draft.itemNo}`
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return slug.slice(0, 255) || `item-${draft.itemNo}`;
}

function messages(errors: ProductUserError[] | { message: string; field?: string[] | null }[]): string {
  return errors
    .map((error) => (error.field?.length ? `${error.field.join(".")}: ${error.message}` : error.message))
    .join("; ");
}

/** Shopify's codes for a product, or a variant, that is no longer there (deleted in Shopify). */
const productGone = (error: { code?: string | null }) => error.code === "PRODUCT_DOES_NOT_EXIST";
const variantGone = (error: { code?: string | null }) => error.code === "PRODUCT_VARIANT_DOES_NOT_EXIST";

const DELETED_IN_SHOPIFY = " (the product was deleted in Shopify; the next run creates it again)";

/**
 * A product deleted in Shopify. The item's own: its link goes (and its variants' links), so the
 * next run creates the product again. One Shopify sold the item as (which the products sync
 * may never have read): its variant links are marked gone, and no product is made for the item
 * until a person adds it.
 */
async function forgetProduct(db: Db, shopId: string, shopifyId: bigint, own: boolean): Promise<void> {
  await db.shopifyProduct.updateMany({ where: { shopId, shopifyId }, data: { deletedAt: new Date() } });
  if (own) await db.shopifyVariantMap.deleteMany({ where: { shopId, productShopifyId: shopifyId } });
  else
    await db.shopifyVariantMap.updateMany({
      where: { shopId, productShopifyId: shopifyId, goneAt: null },
      data: { goneAt: new Date() },
    });
}

/** Option values as Shopify compares them: surrounding spaces dropped, any case. */
const valueKey = (values: string[]) => JSON.stringify(values.map((value) => value.trim().toLowerCase()));

/**
 * Each written variant's draft: by its SKU when one draft variant alone has it, else by its
 * option values as Shopify compares them (the default variant by being the one).
 */
function matchVariants(
  draft: SentDraft,
  written: WrittenVariantNode[],
): { node: WrittenVariantNode; variant: VariantDraft }[] {
  const bySku = new Map<string, VariantDraft | null>();
  for (const variant of draft.variants)
    if (variant.sku) bySku.set(variant.sku, bySku.has(variant.sku) ? null : variant);
  const byValues = new Map(
    draft.variants.map((variant) => [valueKey(variant.optionValues.map((value) => value.name)), variant]),
  );
  return written.flatMap((node) => {
    const variant =
      draft.variants.length === 1
        ? draft.variants[0]
        : ((node.sku ? bySku.get(node.sku) : undefined) ??
          byValues.get(valueKey(node.selectedOptions.map((option) => option.value))));
    return variant ? [{ node, variant }] : [];
  });
}

export async function exportItems(
  ctx: SyncContext<ProductFilters>,
  client: AdminClient,
  settings: Settings,
): Promise<void> {
  const { db, shop } = ctx;
  const chosen = listOf(ctx.filters.itemNos);
  if (chosen.length > 0) await addItemsToShopify(db, shop.id, chosen);
  await collectChanges(db, shop.id, PRODUCT_FEED);
  // Variants met on orders know their product and inventory item before their prices are sent.
  const completed = await completeVariantLinks(db, client, shop.id);
  if (completed > 0) ctx.count("variantLinksCompleted", completed);
  const due = await db.syncRecord.findMany({
    where: {
      shopId: shop.id,
      task: PRODUCT_TASK,
      state: { in: ["pending", "error"] },
      ...(chosen.length > 0 ? { recordKey: { in: chosen } } : {}),
    },
    orderBy: [{ changedAt: "asc" }, { recordKey: "asc" }],
  });
  const loop = new RecordLoop<Unit>(ctx, {
    label: (unit) => `item ${unit.record.recordKey}`,
    handle: (unit) => handle(db, client, settings, unit),
    onFailure: (unit, message) => markFailed(db, unit.record, message),
    total: due.length,
  });
  const sets: SetUnit[] = [];
  const prices: PricesUnit[] = [];
  for (let at = 0; at < due.length; at += CHUNK) {
    const units = await plan(db, shop.id, settings, ctx.filters.onlyPrices, due.slice(at, at + CHUNK));
    await rememberHandles(db, units);
    for (const unit of units) {
      if (unit.kind === "set") sets.push(unit);
      else if (unit.kind === "prices") prices.push(unit);
      else await loop.one(unit);
    }
  }
  await send(ctx, client, loop, sets, PRODUCT_SET, (unit) => {
    const variables = unit.variables!;
    unit.variables = undefined;
    return variables;
  });
  await send(ctx, client, loop, prices, VARIANT_PRICES, pricesVariables);
  ctx.log.info({ ...loop.summary, failures: undefined }, "items exported");
  // Items that failed fail the run, so the home page's Synchronization errors tile shows it
  // with the items named: retried with backoff when Shopify may take them later (a 503, a
  // timeout), else as it stands until the next run sends the items in error again.
  loop.finish({ noun: "item", failed: "not sent to Shopify" });
}

/** The handles of products about to be created, on their records before they are sent (SyncRecord.sendingKey). */
async function rememberHandles(db: Db, units: Unit[]): Promise<void> {
  const creates = units.flatMap((unit) => {
    if (unit.kind !== "set" || unit.product || unit.record.sendingKey) return [];
    const identifier = unit.variables?.identifier;
    return identifier && "handle" in identifier ? [{ id: unit.record.id, handle: identifier.handle }] : [];
  });
  if (creates.length === 0) return;
  await db.$executeRaw`
    update "SyncRecord" r set "sendingKey" = c.handle
      from unnest(${creates.map((c) => c.id)}::uuid[], ${creates.map((c) => c.handle)}::text[]) as c(id, handle)
     where r.id = c.id`;
}

function pricesVariables(unit: Pick<PricesUnit, "productShopifyId" | "changed">): VariantPricesVariables {
  return {
    productId: gid("Product", unit.productShopifyId),
    variants: unit.changed.map(({ link, variant }) => ({
      id: gid("ProductVariant", link.variantShopifyId),
      price: variant.price,
      compareAtPrice: variant.compareAtPrice,
    })),
  };
}

/**
 * Sends the units of one kind: one request each when few, else one bulk mutation whose lines
 * are read back one by one. Either way each unit's answer goes through the record loop.
 */
async function send<U extends SetUnit | PricesUnit, TData, TVariables>(
  ctx: SyncContext<ProductFilters>,
  client: AdminClient,
  loop: RecordLoop<Unit>,
  units: U[],
  mutation: Operation<TData, TVariables>,
  variables: (unit: U) => TVariables,
): Promise<void> {
  if (units.length === 0) return;
  if (units.length < BULK_FROM) {
    for (const unit of units) await loop.one(unit);
    return;
  }
  ctx.count("bulkMutations");
  function* lines() {
    for (const unit of units) yield variables(unit);
  }
  const run = await runBulkMutation<TData, TVariables>(client, mutation, lines(), {
    signal: ctx.signal,
    clientIdentifier: `${PRODUCT_TASK}:${ctx.run.id}`,
  });
  const answered = new Set<number>();
  for await (const line of run.results()) {
    const unit = units[line.lineNumber];
    if (!unit || answered.has(line.lineNumber)) continue;
    answered.add(line.lineNumber);
    // The payload (with its userErrors) when the line ran; the GraphQL errors when it did not.
    const payload = line.data ? Object.values(line.data)[0] : null;
    unit.answer = payload
      ? (line.data as U["answer"])
      : { errors: line.errors.length ? line.errors : ["no answer"] };
    await loop.one(unit);
  }
  // A line the result file does not have (the operation stopped early) is tried again next run.
  for (const [index, unit] of units.entries())
    if (!answered.has(index)) {
      unit.answer = { errors: ["Shopify's bulk operation gave no result for it"] };
      await loop.one(unit);
    }
}

/** What each due record needs: settled now (unchanged, skipped, a problem) or a product or prices to send. */
async function plan(
  db: Db,
  shopId: string,
  settings: Settings,
  onlyPrices: boolean,
  records: SyncRecord[],
): Promise<Unit[]> {
  const keys = records.map((record) => record.recordKey);
  const [items, book, products] = await Promise.all([
    itemsByNo(db, shopId, keys),
    priceBook(db, shopId, keys),
    productsOfItems(db, shopId, keys),
  ]);
  const links = await variantsOfProducts(
    db,
    shopId,
    [...products.values()].map((product) => product.shopifyId),
  );
  const sold = await variantsSoldInShopify(
    db,
    shopId,
    keys.filter((key) => !products.has(key)),
  );
  const action = STATUS_OF_ACTION[settings.blockedItemAction] ?? null;
  return records.map((record): Unit => {
    const item = items.get(record.recordKey);
    const product = products.get(record.recordKey);
    if (!item) return removedItem(db, record, product, action);
    const draft = draftOf(item, settings, book);
    if ("problem" in draft)
      return {
        kind: "settle",
        record,
        settle: () => Promise.reject(new RecordError(draft.problem)),
      };
    if (!product && draft.blocked)
      return settleWith(db, record, "skip", "the item is blocked: it is not created in Shopify");
    const soldAs = product ? undefined : sold.live.get(record.recordKey);
    if (soldAs) return soldPrices(db, record, draft, soldAs, settings, sold.owned);
    if (!product && sold.gone.has(record.recordKey))
      return settleWith(
        db,
        record,
        "skip",
        "the Shopify variant it was sold as no longer exists (deleted in Shopify): no product is made for it until a person adds it to Shopify",
      );
    const productLinks = (product ? (links.get(product.shopifyId) ?? []) : []).filter(
      (link) => link.itemNo === record.recordKey,
    );
    const byCode = new Map(productLinks.map((link) => [link.variantCode ?? "", link]));
    const linked = draft.variants.map((variant) => byCode.get(variant.code ?? ""));
    let structural =
      !product || record.sentHash !== draft.structureHash || linked.some((link) => link === undefined);
    // A product the import linked that also holds other items' variants is never sent whole
    // (productSet with this item's variants would delete theirs): its prices alone go.
    const others = product
      ? [
          ...new Set(
            (links.get(product.shopifyId) ?? []).flatMap((link) =>
              link.itemNo && link.itemNo !== record.recordKey ? [link.itemNo] : [],
            ),
          ),
        ]
      : [];
    if (structural && others.length > 0) {
      if (linked.some((link) => link === undefined))
        return settleWith(
          db,
          record,
          "skip",
          `its Shopify product also holds variants of ${others.length === 1 ? "item" : "items"} ${others.join(", ")}: the export sends its prices only, and a variant the product does not have is not added`,
        );
      structural = false;
    }
    if (structural && !onlyPrices) return setUnit(record, draft, product, settings, action, linked);
    if (structural)
      return settleWith(
        db,
        record,
        "keep",
        "only prices were asked for, and its product has changes to send",
      );
    const own = product!;
    // What the product has of the card: all of it, unless it is shared (then what was sent before).
    const sentHash = others.length > 0 ? (record.sentHash ?? "") : draft.structureHash;
    const changed = settings.syncPrices
      ? draft.variants.flatMap((variant, index) => {
          const link = linked[index]!;
          return link.sentPriceHash === variant.priceHash ? [] : [{ link, variant }];
        })
      : [];
    if (changed.length > 0)
      return { kind: "prices", record, draft, productShopifyId: own.shopifyId, own: true, changed, sentHash };
    return {
      kind: "settle",
      record,
      settle: async () => {
        await markSent(db, record, { shopifyId: gid("Product", own.shopifyId), sentHash });
        return "unchanged";
      },
    };
  });
}

export interface SoldInShopify {
  /** The live variant links of each item (not gone, not of a product deleted in Shopify). */
  live: Map<string, ShopifyVariantMap[]>;
  /** Items whose every link is gone: Shopify sold them, and deleted what it sold them as. */
  gone: Set<string>;
  /** Products linked to an item of their own (their items' export sends them whole). */
  owned: Map<bigint, string>;
}

/**
 * Items without a product of their own that Shopify sells already: the variants linked to them
 * (met on an order, or mapped by a person), by item. The export does not create a second
 * product for them; it sends their prices. An item Shopify sold only through variants that are
 * gone gets no product either, until a person adds it to Shopify.
 */
export async function variantsSoldInShopify(
  db: Db | Tx,
  shopId: string,
  itemNos: string[],
): Promise<SoldInShopify> {
  const sold: SoldInShopify = { live: new Map(), gone: new Set(), owned: new Map() };
  if (itemNos.length === 0) return sold;
  const links = await db.shopifyVariantMap.findMany({
    where: { shopId, itemNo: { in: itemNos } },
    orderBy: { variantShopifyId: "asc" },
  });
  const productIds = [
    ...new Set(links.flatMap((link) => (link.productShopifyId === null ? [] : [link.productShopifyId]))),
  ];
  const products = await db.shopifyProduct.findMany({
    where: { shopId, shopifyId: { in: productIds } },
    select: { shopifyId: true, deletedAt: true, itemNo: true },
  });
  const deleted = new Set(products.filter((row) => row.deletedAt !== null).map((row) => row.shopifyId));
  for (const row of products)
    if (row.deletedAt === null && row.itemNo !== null) sold.owned.set(row.shopifyId, row.itemNo);
  for (const link of links) {
    if (!link.itemNo) continue;
    const dead =
      link.goneAt !== null || (link.productShopifyId !== null && deleted.has(link.productShopifyId));
    if (dead) sold.gone.add(link.itemNo);
    else sold.live.set(link.itemNo, [...(sold.live.get(link.itemNo) ?? []), link]);
  }
  for (const itemNo of sold.live.keys()) sold.gone.delete(itemNo);
  return sold;
}

/**
 * How the item is sold in Shopify, in words (the first of its linked variants), and, when the
 * shop card does not send its prices, why.
 */
export function soldWords(
  link: ShopifyVariantMap,
  settings: Pick<Settings, "syncItems" | "syncPrices">,
): string {
  const how =
    link.linkedBy === "person"
      ? "mapped by a person"
      : link.linkedBy === "order"
        ? "met on an order"
        : `linked by the ${link.linkedBy}`;
  const why =
    settings.syncItems !== "to_shopify"
      ? "; Sync items is not To Shopify on the shop card, so its prices are Shopify's"
      : !settings.syncPrices
        ? "; Sync prices is off on the shop card, so its prices are Shopify's"
        : "";
  return `already sold in Shopify as "${link.title}" (variant ${link.variantShopifyId}${link.sku ? `, SKU ${link.sku}` : ""}, ${how}): the export does not create a second product for it${why}`;
}

/**
 * An item Shopify sells as variants of products the export did not make: with Sync prices on,
 * the prices of those variants (priceOf, as for the item's own product) go with
 * productVariantsBulkUpdate, only those that changed since they were last sent; the products
 * themselves stay Shopify's. With Sync prices off there is nothing to send.
 */
function soldPrices(
  db: Db,
  record: SyncRecord,
  draft: ProductDraft,
  links: ShopifyVariantMap[],
  settings: Settings,
  owned: Map<bigint, string>,
): Unit {
  const words = soldWords(links[0]!, settings);
  if (!settings.syncPrices) return settleWith(db, record, "skip", words);
  const byCode = new Map(draft.variants.map((variant) => [variant.code ?? "", variant]));
  // A variant of another item's own product takes its price with that product (its item's
  // export sends the product whole).
  const priced = links.flatMap((link) => {
    const variant = byCode.get(link.variantCode ?? "");
    const other = link.productShopifyId === null ? undefined : owned.get(link.productShopifyId);
    return variant && link.productShopifyId !== null && (other === undefined || other === record.recordKey)
      ? [{ link, variant }]
      : [];
  });
  if (priced.length === 0)
    return settleWith(
      db,
      record,
      "skip",
      `${words}; none of the variants it is sold as can take its price (not found in Shopify yet, not one of the item's variants, or a variant of another item's product), so no price was sent`,
    );
  const byProduct = new Map<bigint, ChangedPrice[]>();
  for (const price of priced)
    if (price.link.sentPriceHash !== price.variant.priceHash) {
      const productId = price.link.productShopifyId!;
      byProduct.set(productId, [...(byProduct.get(productId) ?? []), price]);
    }
  // Synced, but Shopify's product is not the item's: the record keeps no product id of it.
  const sent = { sentHash: draft.structureHash };
  if (byProduct.size === 0)
    return {
      kind: "settle",
      record,
      settle: async () => {
        await markSent(db, record, sent);
        return "unchanged";
      },
    };
  if (byProduct.size === 1) {
    const [productShopifyId, changed] = [...byProduct][0]!;
    return { kind: "prices", record, draft, productShopifyId, own: false, changed };
  }
  // Sold as variants of several products: a request for each (rare; no bulk line holds two).
  return {
    kind: "settle",
    record,
    settle: async (client) => {
      const refused: string[] = [];
      for (const [productShopifyId, changed] of byProduct) {
        const unit = { productShopifyId, own: false, changed };
        try {
          const answer = await client.request(VARIANT_PRICES, pricesVariables(unit));
          refused.push(...(await settlePrices(db, record.shopId, unit, answer)));
        } catch (error) {
          if (!(error instanceof RecordError)) throw error;
          refused.push(error.message);
        }
      }
      if (refused.length > 0) throw new RecordError(refused.join("; "));
      await markSent(db, record, sent);
      return { outcome: "sent", count: "pricesSent" };
    },
  };
}

function settleWith(db: Db, record: SyncRecord, how: "skip" | "keep", reason: string): SettleUnit {
  return {
    kind: "settle",
    record,
    settle: async () => {
      if (how === "skip") await markSkipped(db, record, reason);
      return { outcome: "skipped", count: how === "skip" ? "skipped" : "waitingForFullRun" };
    },
  };
}

/** An item no longer in the back office: its product goes to the shop card's status, or is left. */
function removedItem(
  db: Db,
  record: SyncRecord,
  product: ShopifyProduct | undefined,
  status: string | null,
): SettleUnit {
  if (!product) return settleWith(db, record, "skip", "the item is no longer in the back office");
  if (!status)
    return settleWith(
      db,
      record,
      "skip",
      "the item was removed from the back office; its product is left as it is",
    );
  return {
    kind: "settle",
    record,
    settle: (client) => setRemovedStatus(db, client, record, product, status),
  };
}

function setUnit(
  record: SyncRecord,
  draft: ProductDraft,
  product: ShopifyProduct | undefined,
  settings: Settings,
  blockedStatus: string | null,
  linked: (ShopifyVariantMap | undefined)[],
): SetUnit {
  // The status is set on creation, when the item is blocked, and when an unblocked item's
  // product still has the status the export gave it for the blocking; otherwise it is the
  // merchant's in Shopify (a draft they keep, a product imported as a draft).
  const statusByBlock =
    product !== undefined && draft.blocked && (blockedStatus !== null || product.statusByBlock);
  const status = !product
    ? settings.createdProductStatus
    : draft.blocked
      ? (blockedStatus ?? undefined)
      : product.statusByBlock && blockedStatus !== null && product.status === blockedStatus
        ? settings.createdProductStatus
        : undefined;
  const input = {
    ...draft.input,
    ...(status ? { status } : {}),
    variants: draft.input.variants.map((variant, index) => {
      const link = linked[index];
      return link ? { id: gid("ProductVariant", link.variantShopifyId), ...variant } : variant;
    }),
  };
  const { input: _input, ...sent } = draft;
  return {
    kind: "set",
    record,
    draft: sent,
    product,
    statusByBlock,
    variables: {
      input,
      // A product not linked yet is found by the handle it was first sent with: a run that died
      // after Shopify made it updates it, even if its title changed since.
      identifier: product
        ? { id: gid("Product", product.shopifyId) }
        : { handle: record.sendingKey ?? handleOf(draft) },
    },
  };
}

async function handle(db: Db, client: AdminClient, settings: Settings, unit: Unit): Promise<RecordResult> {
  switch (unit.kind) {
    case "settle":
      return unit.settle(client);
    case "set":
      return applySet(db, client, settings, unit);
    case "prices":
      return applyPrices(db, client, unit);
  }
}

async function setRemovedStatus(
  db: Db,
  client: AdminClient,
  record: SyncRecord,
  product: ShopifyProduct,
  status: string,
): Promise<RecordResult> {
  const { productUpdate } = await client.request(PRODUCT_STATUS, {
    product: { id: gid("Product", product.shopifyId), status },
  });
  if (!productUpdate.product || productUpdate.userErrors.length > 0)
    throw new RecordError(`Shopify: ${messages(productUpdate.userErrors) || "the product was not updated"}`);
  await linkProduct(db, record.shopId, {
    shopifyId: product.shopifyId,
    title: product.title,
    status: productUpdate.product.status,
    itemNo: product.itemNo,
    ownWriteAt: new Date(productUpdate.product.updatedAt),
    statusByBlock: true,
  });
  await markSkipped(
    db,
    record,
    `the item was removed from the back office; its product was set to ${status}`,
  );
  // Sent again whole should the item come back, which sets its status again.
  await db.syncRecord.update({ where: { id: record.id }, data: { sentHash: null } });
  return { outcome: "sent", count: "statusSet" };
}

/** Every variant of a written product: the first page came with the write, the rest are read. */
async function allVariants(client: AdminClient, product: WrittenProductNode): Promise<WrittenVariantNode[]> {
  const variants = [...product.variants.nodes];
  let page = product.variants.pageInfo;
  while (page.hasNextPage) {
    const more = await client.request(PRODUCT_VARIANTS_PAGE, { id: product.id, after: page.endCursor });
    if (!more.product) break;
    variants.push(...more.product.variants.nodes);
    page = more.product.variants.pageInfo;
  }
  return variants;
}

async function applySet(
  db: Db,
  client: AdminClient,
  settings: Settings,
  unit: SetUnit,
): Promise<RecordResult> {
  const answer = unit.answer ?? (await client.request(PRODUCT_SET, unit.variables));
  if ("errors" in answer) throw new RecordError(`Shopify: ${answer.errors.join("; ")}`);
  const { product, userErrors } = answer.productSet;
  if (userErrors.length > 0 || !product) {
    // The handle stays on the record: a product an earlier, unanswered try made with it
    // still exists (a refusal now says nothing about that one).
    const gone = userErrors.some(productGone) && unit.product !== undefined;
    if (gone) await forgetProduct(db, unit.record.shopId, unit.product!.shopifyId, true);
    // A variant deleted in Shopify (input.variants.<n>.id): its link goes, so the next run
    // sends that variant without an id and Shopify makes it again; the product stays.
    const goneVariants = userErrors.filter(variantGone).flatMap((error) => {
      const index = error.field?.[1] === "variants" ? Number(error.field[2]) : Number.NaN;
      const variant = Number.isInteger(index) ? unit.draft.variants[index] : undefined;
      return variant ? [variant.code ?? ""] : [];
    });
    if (goneVariants.length > 0 && unit.product && !gone)
      await db.shopifyVariantMap.deleteMany({
        where: {
          shopId: unit.record.shopId,
          productShopifyId: unit.product.shopifyId,
          OR: goneVariants.map((code) => (code ? { variantCode: code } : { variantCode: null })),
        },
      });
    throw new RecordError(
      `Shopify: ${messages(userErrors) || "no product came back"}${gone ? DELETED_IN_SHOPIFY : goneVariants.length > 0 ? " (deleted in Shopify; the next run makes the variant again)" : ""}`,
    );
  }
  const productId = numericId(product.id);
  const written = matchVariants(unit.draft, await allVariants(client, product));
  await db.$transaction(async (tx) => {
    await linkProduct(tx, unit.record.shopId, {
      shopifyId: productId,
      title: product.title,
      status: product.status,
      itemNo: unit.draft.itemNo,
      ownWriteAt: new Date(product.updatedAt),
      statusByBlock: unit.statusByBlock,
    });
    await linkVariants(
      tx,
      unit.record.shopId,
      written.map(({ node, variant }) => ({
        variantShopifyId: numericId(node.id),
        productShopifyId: productId,
        inventoryItemShopifyId: numericId(node.inventoryItem.id),
        sku: node.sku,
        barcode: node.barcode,
        title: variant.title,
        itemNo: unit.draft.itemNo,
        variantCode: variant.code,
        linkedBy: "export",
        sentPriceHash: settings.syncPrices ? variant.priceHash : null,
      })),
    );
    await unlinkOtherVariants(
      tx,
      unit.record.shopId,
      productId,
      written.map(({ node }) => numericId(node.id)),
    );
  });
  if (written.length !== unit.draft.variants.length)
    throw new RecordError(
      `Shopify answered with ${written.length} of the item's ${unit.draft.variants.length} variants linked; the next run sends it again`,
    );
  await markSent(db, unit.record, { shopifyId: product.id, sentHash: unit.draft.structureHash });
  return { outcome: "sent", count: unit.product ? "updated" : "created" };
}

async function applyPrices(db: Db, client: AdminClient, unit: PricesUnit): Promise<RecordResult> {
  const answer = unit.answer ?? (await client.request(VARIANT_PRICES, pricesVariables(unit)));
  const refused = await settlePrices(db, unit.record.shopId, unit, answer);
  if (refused.length > 0) throw new RecordError(refused.join("; "));
  // A product the item is only sold as is not the record's: it keeps no id of it.
  await markSent(db, unit.record, {
    ...(unit.own ? { shopifyId: gid("Product", unit.productShopifyId) } : {}),
    sentHash: unit.sentHash ?? unit.draft.structureHash,
  });
  return { outcome: "sent", count: "pricesSent" };
}

/**
 * Shopify's answer to a prices update of one product: the variants it took keep the price as
 * sent; each one it refused keeps its message (or loses its link, deleted in Shopify). Returns
 * the refusals in words; throws when the whole update was refused.
 */
async function settlePrices(
  db: Db,
  shopId: string,
  unit: Pick<PricesUnit, "productShopifyId" | "own" | "changed">,
  answer: VariantPricesData | { errors: string[] },
): Promise<string[]> {
  if ("errors" in answer) throw new RecordError(`Shopify: ${answer.errors.join("; ")}`);
  const { product, userErrors } = answer.productVariantsBulkUpdate;
  // Shopify names a refused variant by its place in the list (variants.<n>.price): that one
  // keeps its old sent price and gets the message; the others are sent.
  const failed = new Map<number, ProductUserError[]>();
  const general: ProductUserError[] = [];
  for (const error of userErrors) {
    const index = error.field?.[0] === "variants" ? Number(error.field[1]) : Number.NaN;
    if (Number.isInteger(index) && unit.changed[index]) {
      failed.set(index, [...(failed.get(index) ?? []), error]);
    } else general.push(error);
  }
  if (general.length > 0 || !product) {
    const gone = general.some(productGone);
    if (gone) await forgetProduct(db, shopId, unit.productShopifyId, unit.own);
    throw new RecordError(
      `Shopify: ${general.map((e) => e.message).join("; ") || "no product came back"}${gone ? DELETED_IN_SHOPIFY : ""}`,
    );
  }
  const sent = unit.changed.filter((_, index) => !failed.has(index));
  await db.$transaction(async (tx) => {
    await linkVariants(
      tx,
      shopId,
      sent.map(({ link, variant }) => ({
        variantShopifyId: link.variantShopifyId,
        productShopifyId: unit.productShopifyId,
        inventoryItemShopifyId: link.inventoryItemShopifyId,
        sku: link.sku,
        barcode: link.barcode,
        title: link.title,
        itemNo: link.itemNo,
        variantCode: link.variantCode,
        linkedBy: link.linkedBy as LinkedBy,
        sentPriceHash: variant.priceHash,
      })),
    );
    for (const [index, words] of failed) {
      const where = {
        shopId_variantShopifyId: { shopId, variantShopifyId: unit.changed[index]!.link.variantShopifyId },
      };
      // A variant deleted in Shopify loses its link: the next run sends the item's own product
      // whole, which makes the variant again; a variant of a product the item is only sold as
      // is marked gone, never sent to again. Any other refusal stays on the variant.
      if (words.some(variantGone) && unit.own) await tx.shopifyVariantMap.delete({ where });
      else if (words.some(variantGone))
        await tx.shopifyVariantMap.update({ where, data: { goneAt: new Date() } });
      else
        await tx.shopifyVariantMap.update({
          where,
          data: { priceMessage: words.map((e) => e.message).join("; ") },
        });
    }
    // Our own write, so the import knows its echo (a product Shopify sells the item as may
    // not be one the products sync has read).
    await tx.shopifyProduct.updateMany({
      where: { shopId, shopifyId: unit.productShopifyId },
      data: { ownWriteAt: new Date(product.updatedAt) },
    });
  });
  return [...failed].map(([index, words]) => {
    const { variant } = unit.changed[index]!;
    const label = `variant ${variant.code ?? variant.sku ?? index}`;
    return words.some(variantGone)
      ? `${label} no longer exists in Shopify${unit.own ? "; the next run sends the product whole again" : ": nothing is sent to it again"}`
      : `${label}: ${words.map((e) => e.message).join("; ")}`;
  });
}
