import {
  closeSalesDocument,
  getSalesDocument,
  replaceSalesLines,
  setSalesDocumentHold,
} from "../../backoffice/backoffice.server";
import type { Db } from "../../db.server";
import { Prisma, type Shop, type ShopifyOrder } from "../../generated/prisma/client";
import { MappingError } from "../kit/mapping.server";
import { AmountMismatchError, documentLines, stagedParts } from "./process.server";
import { NO_CONFIRMATION, snapshotOf } from "./stage.server";

/**
 * What a person does about an order that changed in Shopify after its document was made:
 * confirm the change (the document is posted as it is), adjust the document to the order as
 * it stands, or, for a cancelled order, close the document. Each is recorded with who did it
 * ("cli", or the admin's user) and when; the document's hold goes with it.
 */

/** A request the order's state does not allow (409), or an order that is not the shop's (404). */
export class OrderActionRefused extends Error {
  override name = "OrderActionRefused";
  readonly status: 404 | 409;
  constructor(message: string, status: 404 | 409 = 409) {
    super(message);
    this.status = status;
  }
}

const backOfficeType = (order: ShopifyOrder) =>
  order.documentType === "sales_invoice" ? "invoice" : "order";
const changesOf = (order: ShopifyOrder) => (Array.isArray(order.changes) ? order.changes.map(String) : []);

async function processedOrder(db: Db, shop: Shop, orderId: string): Promise<ShopifyOrder> {
  const order = await db.shopifyOrder.findFirst({ where: { id: orderId, shopId: shop.id } });
  if (!order) throw new OrderActionRefused("no such order in this shop", 404);
  if (order.state !== "processed" || !order.documentNo)
    throw new OrderActionRefused(`order ${order.name} has no sales document yet`);
  return order;
}

/** The order a Shopify-made document came from (for the CLI, which names documents). */
export async function orderOfDocument(db: Db, shop: Shop, documentNo: string): Promise<ShopifyOrder> {
  const order = await db.shopifyOrder.findFirst({
    where: { shopId: shop.id, documentNo, state: "processed" },
  });
  if (!order) throw new OrderActionRefused(`no sales document ${documentNo} made from a Shopify order`, 404);
  return order;
}

/**
 * A person confirms the changes as they stand: the document may be posted as it is. A
 * cancelled order's document is closed instead; a later, different change needs confirming
 * again (the import compares the changes with those confirmed).
 */
export async function confirmChanges(db: Db, shop: Shop, orderId: string, by: string): Promise<ShopifyOrder> {
  const order = await processedOrder(db, shop, orderId);
  if (order.cancelledAt)
    throw new OrderActionRefused(
      `order ${order.name} was cancelled in Shopify: its document cannot be posted; close it instead`,
    );
  if (!order.changedAfterProcessing)
    throw new OrderActionRefused(`order ${order.name} has not changed since its document was made`);
  return db.$transaction(async (tx) => {
    await setSalesDocumentHold(tx, shop.id, backOfficeType(order), order.documentNo!, null);
    return tx.shopifyOrder.update({
      where: { id: order.id },
      data: {
        confirmedChanges: changesOf(order),
        changeConfirmedBy: by,
        changeConfirmedAt: new Date(),
      },
    });
  });
}

/** Closes the document of an order Shopify cancelled: nothing more is posted from it. */
export async function closeDocument(db: Db, shop: Shop, orderId: string, by: string): Promise<ShopifyOrder> {
  const order = await processedOrder(db, shop, orderId);
  if (!order.cancelledAt)
    throw new OrderActionRefused(
      `order ${order.name} is not cancelled in Shopify; adjust its document or confirm the change instead`,
    );
  return db.$transaction(async (tx) => {
    await closeSalesDocument(tx, shop.id, backOfficeType(order), order.documentNo!, by);
    await setSalesDocumentHold(tx, shop.id, backOfficeType(order), order.documentNo!, null);
    return tx.shopifyOrder.update({
      where: { id: order.id },
      data: { confirmedChanges: changesOf(order), changeConfirmedBy: by, changeConfirmedAt: new Date() },
    });
  });
}

/**
 * Makes the document the order as it stands in Shopify now (what processing would make of it
 * today), while nothing of it is shipped or invoiced: the order is no longer flagged.
 */
export async function adjustDocument(db: Db, shop: Shop, orderId: string): Promise<ShopifyOrder> {
  const order = await processedOrder(db, shop, orderId);
  if (order.cancelledAt)
    throw new OrderActionRefused(`order ${order.name} was cancelled in Shopify: close its document instead`);
  const settings = await db.shopSettings.findUniqueOrThrow({ where: { shopId: shop.id } });
  const parts = await stagedParts(db, order.id);
  if (!parts.lines.some((line) => line.currentQuantity > 0))
    throw new OrderActionRefused(`order ${order.name} has no lines left in Shopify: nothing to adjust to`);
  const existing = await getSalesDocument(db, shop.id, backOfficeType(order), order.documentNo!);
  if (existing?.status === "closed")
    throw new OrderActionRefused(`sales ${existing.documentType} ${existing.no} is closed`);
  let content;
  try {
    content = await documentLines(db, settings, order, parts);
  } catch (error) {
    if (error instanceof MappingError || error instanceof AmountMismatchError)
      throw new OrderActionRefused(`order ${order.name} cannot be booked as it stands: ${error.message}`);
    throw error;
  }
  return db.$transaction(async (tx) => {
    await replaceSalesLines(tx, shop.id, backOfficeType(order), order.documentNo!, content);
    await setSalesDocumentHold(tx, shop.id, backOfficeType(order), order.documentNo!, null);
    return tx.shopifyOrder.update({
      where: { id: order.id },
      data: {
        processedSnapshot: snapshotOf({
          cancelledAt: order.cancelledAt,
          currentTotalPrice: order.currentTotalPrice,
          ...parts,
        }) as unknown as Prisma.InputJsonValue,
        changedAfterProcessing: false,
        changes: Prisma.DbNull,
        ...NO_CONFIRMATION,
      },
    });
  });
}
