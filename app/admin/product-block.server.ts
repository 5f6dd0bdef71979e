import { z } from "zod";
import type { Db } from "../db.server";
import type { Shop, ShopifyProduct, ShopifyVariantMap } from "../generated/prisma/client";
import { collectChanges } from "../sync/kit/outbound.server";
import { variantsOfProducts } from "../sync/products/links.server";
import { PRODUCT_FEED } from "../sync/products/records.server";
import { withFollowUp } from "./follow-up.server";
import { itemRows } from "./items.server";
import {
  createItemAction,
  mapProduct,
  mapVariantAction,
  productMappingPanel,
  type ProductAction,
} from "./products.server";
import { Refusal } from "./refusal.server";
import { formatInZone, shopTimeZone } from "./time-zone";

/**
 * The product details block on Shopify's product page (extensions/product-block): the item each
 * of the product's variants maps to, or that it is unmapped (with the orders it holds up, the
 * items its SKU finds and the item automatic creation would make), and the last import and
 * export of the product with the error in full. Its actions are the Products page's: Map to an
 * existing item, Create item, and Import again. Only the session's shop's records.
 */

export const shopifyProductId = z
  .string({ message: "product is required" })
  .trim()
  .regex(/^\d{1,19}$/, "the product must be a Shopify product id (digits)")
  // Stored as a bigint: a larger number is no product of Shopify's (and no query to make).
  .refine(
    (value) => !/^\d{1,19}$/.test(value) || BigInt(value) < 2n ** 63n,
    "the product must be a Shopify product id (digits)",
  )
  .transform((value) => BigInt(value));

/** The block's actions: the Products page's, for this product (its id comes from the address). */
export const productBlockAction = z.discriminatedUnion(
  "intent",
  [mapVariantAction, createItemAction, z.object({ intent: z.literal("retryImport") })],
  { message: "the actions here are map, create and retryImport" },
);
export type ProductBlockAction = z.output<typeof productBlockAction>;

const LINKED_BY_WORDS: Record<string, string> = {
  order: "found by its SKU when it was met on an order",
  export: "the export made it from the item",
  import: "the import made the item from it",
  person: "mapped by a person",
};

const IMPORT_WORDS: Record<string, string> = {
  imported: "imported",
  unmapped: "not imported: no item could be made of it",
  error: "failed; the next run tries again",
};

export interface ProductBlockVariant {
  variantId: string;
  title: string;
  sku: string | null;
  barcode: string | null;
  itemNo: string | null;
  variantCode: string | null;
  /** How the link was made, in words; null while unmapped. */
  linkedBy: string | null;
  /** Unmapped: the orders waiting for it, the items its SKU finds, and the item Create item proposes. */
  waitingOrders: string[];
  candidates: { itemNo: string; variantCode: string | null; description: string }[];
  proposal: { itemNo: string; description: string; unitPrice: string } | null;
}

export interface ProductBlockSync {
  /** imported | unmapped | error (import); the Items page's states (export). */
  state: string;
  words: string;
  /** The message in full: why it failed, or why it was not imported. */
  message: string | null;
  attempts: number;
  at: string | null;
}

export interface ProductBlock {
  product: { id: string; title: string; status: string | null; deleted: boolean; itemNo: string | null };
  variants: ProductBlockVariant[];
  /** The products import's last read of it (Sync items: from Shopify), or null when it never read it. */
  import: ProductBlockSync | null;
  /** The export of each item the product's variants map to (Sync items: to Shopify). */
  exports: (ProductBlockSync & { itemNo: string; description: string })[];
  canRetryImport: boolean;
  appUrl: string;
  timeZone: string;
}

async function productRecords(db: Db, shop: Shop, id: bigint) {
  const [product, variants] = await Promise.all([
    db.shopifyProduct.findUnique({ where: { shopId_shopifyId: { shopId: shop.id, shopifyId: id } } }),
    variantsOfProducts(db, shop.id, [id]).then((byProduct) => byProduct.get(id) ?? []),
  ]);
  if (!product && variants.length === 0)
    throw new Refusal(
      "The back office does not know this product yet: none of its variants was on an order, and the products import has not read it.",
      404,
    );
  return { product, variants };
}

async function variantRow(db: Db, shop: Shop, row: ShopifyVariantMap): Promise<ProductBlockVariant> {
  const base = {
    variantId: row.variantShopifyId.toString(),
    title: row.title,
    sku: row.sku,
    barcode: row.barcode,
    itemNo: row.itemNo,
    variantCode: row.variantCode,
  };
  if (row.itemNo)
    return {
      ...base,
      linkedBy: LINKED_BY_WORDS[row.linkedBy] ?? row.linkedBy,
      waitingOrders: [],
      candidates: [],
      proposal: null,
    };
  const panel = await productMappingPanel(db, shop, row.variantShopifyId);
  if (panel.mapped) return { ...base, linkedBy: null, waitingOrders: [], candidates: [], proposal: null };
  return {
    ...base,
    linkedBy: null,
    waitingOrders: panel.variant.blockedOrders.map((order) => order.name),
    candidates: panel.items.slice(0, 5).flatMap((item) => [
      { itemNo: item.no, variantCode: null, description: item.description },
      ...item.variants.map((variant) => ({
        itemNo: item.no,
        variantCode: variant.code,
        description: `${item.description}, ${variant.description}`,
      })),
    ]),
    proposal: {
      itemNo: panel.proposal.itemNo,
      description: panel.proposal.description,
      unitPrice: panel.proposal.unitPrice,
    },
  };
}

function importOf(product: ShopifyProduct | null, timeZone: string): ProductBlockSync | null {
  if (!product?.importState) return null;
  return {
    state: product.importState,
    words: IMPORT_WORDS[product.importState] ?? product.importState,
    message: product.importMessage,
    attempts: product.importAttempts,
    at: product.importedAt ? formatInZone(product.importedAt, timeZone) : null,
  };
}

/** The items the product is linked to: the product's own item, then each variant's. */
function itemNosOf(product: ShopifyProduct | null, variants: ShopifyVariantMap[]): string[] {
  return [
    ...new Set([product?.itemNo, ...variants.map((variant) => variant.itemNo)].filter((no) => !!no)),
  ] as string[];
}

/** Where one Shopify product of the shop stands in the back office; 404 when the shop knows no such product. */
export async function productBlock(db: Db, shop: Shop, id: bigint): Promise<ProductBlock> {
  const { product, variants } = await productRecords(db, shop, id);
  const timeZone = shopTimeZone(shop);
  const settings = await db.shopSettings.findUniqueOrThrow({ where: { shopId: shop.id } });
  // The export's records as the Items page reads them: after the back office's latest changes.
  await collectChanges(db, shop.id, PRODUCT_FEED);
  const sorted = [...variants].sort(
    (a, b) => a.title.localeCompare(b.title) || Number(a.variantShopifyId - b.variantShopifyId),
  );
  const [rows, items] = await Promise.all([
    Promise.all(sorted.map((variant) => variantRow(db, shop, variant))),
    itemRows(db, shop, settings, itemNosOf(product, variants)),
  ]);
  const imported = importOf(product, timeZone);
  return {
    product: {
      id: id.toString(),
      title: product?.title ?? variants[0]!.title,
      status: product?.status ?? null,
      deleted: product?.deletedAt != null,
      itemNo: product?.itemNo ?? null,
    },
    variants: rows,
    import: imported,
    exports: items.map((item) => ({
      itemNo: item.no,
      description: item.description,
      state: item.state,
      words: item.stateWords,
      message: item.message ?? item.priceProblem,
      attempts: item.attempts,
      at: item.sentAt ? formatInZone(new Date(item.sentAt), timeZone) : null,
    })),
    canRetryImport:
      imported !== null && imported.state !== "imported" && settings.syncItems === "from_shopify",
    appUrl: "app:app/products",
    timeZone,
  };
}

/**
 * The block's actions on one product, through the Products page's service: Map a variant of
 * this product to an existing item, Create an item from it (either then processes the orders it
 * held up), or import the product again.
 */
export async function actOnProductBlock(
  db: Db,
  shop: Shop,
  id: bigint,
  input: ProductBlockAction,
): Promise<{ message: string }> {
  const { variants } = await productRecords(db, shop, id);
  let action: ProductAction;
  if (input.intent === "retryImport") action = { intent: "retryImport", productId: id };
  else {
    if (!variants.some((variant) => variant.variantShopifyId === input.variantId))
      throw new Refusal(`This product has no variant ${input.variantId} in the back office.`, 404);
    action = input;
  }
  return { message: withFollowUp(await mapProduct(db, shop, action)) };
}
