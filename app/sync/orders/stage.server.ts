import { randomUUID } from "node:crypto";
import type { Tx } from "../../db.server";
import { Prisma } from "../../generated/prisma/client";
import type { AddressNode, OrderLineNode, OrderNode, OrderStampNode } from "./operations.server";

/**
 * Writes one Shopify order into the staging tables, as Shopify states it: header, lines with
 * their tax lines and discounts, shipping lines, transactions and fulfillment orders. A
 * processed order keeps its document; when it changed in a way that matters, it is flagged
 * with what changed instead.
 */

export function numericId(gid: string): bigint {
  const match = /\/(\d+)(?:\?.*)?$/.exec(gid);
  if (!match) throw new Error(`not a Shopify id: ${gid}`);
  return BigInt(match[1]!);
}

const money = (value: string | null | undefined) => new Prisma.Decimal(value ?? "0");

function sum(values: (string | null | undefined)[]): Prisma.Decimal {
  return values.reduce((total, value) => total.plus(money(value)), new Prisma.Decimal(0));
}

function address(node: AddressNode | null): Prisma.InputJsonValue | typeof Prisma.DbNull {
  return node ? (node as unknown as Prisma.InputJsonValue) : Prisma.DbNull;
}

/** What a processed document depends on; compared on every later import of the order. */
export interface OrderSnapshot {
  lines: { id: string; title: string; quantity: number }[];
  shipping: { id: string; title: string; price: string }[];
  cancelled: boolean;
}

export interface SnapshotSource {
  cancelledAt: Date | string | null;
  lines: { shopifyId: bigint; title: string; variantTitle: string | null; currentQuantity: number }[];
  shippingLines: { shopifyId: bigint; title: string; price: Prisma.Decimal | string }[];
}

export function snapshotOf(order: SnapshotSource): OrderSnapshot {
  return {
    lines: order.lines.map((line) => ({
      id: line.shopifyId.toString(),
      title: line.variantTitle ? `${line.title} - ${line.variantTitle}` : line.title,
      quantity: line.currentQuantity,
    })),
    shipping: order.shippingLines.map((line) => ({
      id: line.shopifyId.toString(),
      title: line.title,
      price: money(line.price.toString()).toFixed(2),
    })),
    cancelled: order.cancelledAt !== null,
  };
}

function sourceOf(node: OrderNode, lines: OrderLineNode[]): SnapshotSource {
  return {
    cancelledAt: node.cancelledAt,
    lines: lines.map((line) => ({
      shopifyId: numericId(line.id),
      title: line.title,
      variantTitle: line.variantTitle,
      currentQuantity: line.currentQuantity,
    })),
    shippingLines: node.shippingLines.nodes.map((line) => ({
      shopifyId: numericId(line.id),
      title: line.title,
      price: line.price,
    })),
  };
}

/** What changed between the snapshot a document was made from and the order now, in words. */
export function describeChanges(before: OrderSnapshot, after: OrderSnapshot): string[] {
  const changes: string[] = [];
  if (!before.cancelled && after.cancelled) changes.push("order cancelled in Shopify");
  for (const line of after.lines) {
    const old = before.lines.find((candidate) => candidate.id === line.id);
    if (!old && line.quantity > 0) changes.push(`line added: ${line.title} × ${line.quantity}`);
    else if (old && old.quantity !== line.quantity) {
      changes.push(
        line.quantity === 0
          ? `line removed: ${line.title}`
          : `quantity of ${line.title} ${line.quantity > old.quantity ? "up" : "down"} from ${old.quantity} to ${line.quantity}`,
      );
    }
  }
  for (const old of before.lines) {
    if (old.quantity > 0 && !after.lines.some((line) => line.id === old.id))
      changes.push(`line removed: ${old.title}`);
  }
  const shippingBefore = before.shipping
    .map((s) => `${s.title} ${s.price}`)
    .sort()
    .join(", ");
  const shippingAfter = after.shipping
    .map((s) => `${s.title} ${s.price}`)
    .sort()
    .join(", ");
  if (shippingBefore !== shippingAfter)
    changes.push(`shipping changed from ${shippingBefore || "none"} to ${shippingAfter || "none"}`);
  return changes;
}

export type StageOutcome = "new" | "updated" | "unchanged" | "changed_after_processing";

/** The staged fields stagedIsCurrent compares, to read no more than those. */
export const STAGED_STAMP = {
  shopifyUpdatedAt: true,
  financialStatus: true,
  fulfillmentStatus: true,
  cancelledAt: true,
  closedAt: true,
  totalPrice: true,
  tags: true,
} as const satisfies Prisma.ShopifyOrderSelect;

type StagedStamp = Prisma.ShopifyOrderGetPayload<{ select: typeof STAGED_STAMP }>;

const time = (value: Date | string | null) => (value === null ? null : new Date(value).getTime());

/**
 * Whether the staged copy is as Shopify has the order now. A later update time says no. An
 * equal one is not enough: Shopify keeps update times in whole seconds, so an order read early
 * in a second and changed later in it (paid, fulfilled, cancelled, edited) shows the same
 * time; its status, dates, total and tags tell.
 */
export function stagedIsCurrent(staged: StagedStamp, stamp: Omit<OrderStampNode, "id">): boolean {
  const updatedAt = new Date(stamp.updatedAt).getTime();
  if (staged.shopifyUpdatedAt.getTime() > updatedAt) return true; // a later copy than this read
  return (
    staged.shopifyUpdatedAt.getTime() === updatedAt &&
    staged.financialStatus === (stamp.displayFinancialStatus ?? "PENDING") &&
    staged.fulfillmentStatus === stamp.displayFulfillmentStatus &&
    time(staged.cancelledAt) === time(stamp.cancelledAt) &&
    time(staged.closedAt) === time(stamp.closedAt) &&
    staged.totalPrice.equals(money(stamp.totalPrice)) &&
    [...staged.tags].sort().join("\n") === [...stamp.tags].sort().join("\n")
  );
}

export async function stageOrder(
  tx: Tx,
  shopId: string,
  node: OrderNode,
  lines: OrderLineNode[],
): Promise<StageOutcome> {
  const shopifyId = numericId(node.id);
  const updatedAt = new Date(node.updatedAt);
  const existing = await tx.shopifyOrder.findUnique({ where: { shopId_shopifyId: { shopId, shopifyId } } });
  if (existing && stagedIsCurrent(existing, node)) return "unchanged";

  const header = {
    name: node.name,
    email: node.email,
    phone: node.phone,
    customerShopifyId: node.customer ? numericId(node.customer.id) : null,
    currencyCode: node.currencyCode,
    sourceName: node.sourceName,
    tags: node.tags,
    financialStatus: node.displayFinancialStatus ?? "PENDING",
    fulfillmentStatus: node.displayFulfillmentStatus,
    cancelledAt: node.cancelledAt ? new Date(node.cancelledAt) : null,
    closedAt: node.closedAt ? new Date(node.closedAt) : null,
    test: node.test,
    taxesIncluded: node.taxesIncluded,
    subtotal: money(node.subtotalPrice),
    totalShipping: money(node.totalShippingPrice),
    totalTax: money(node.totalTax),
    totalDiscounts: money(node.totalDiscounts),
    totalPrice: money(node.totalPrice),
    billingAddress: address(node.billingAddress),
    shippingAddress: address(node.shippingAddress),
    shopifyCreatedAt: new Date(node.createdAt),
    shopifyUpdatedAt: updatedAt,
  };

  let outcome: StageOutcome = existing ? "updated" : "new";
  let flag = {};
  if (existing?.state === "processed" && existing.processedSnapshot) {
    // Against what the document was made from: changes add up, and a change undone clears.
    const changes = describeChanges(
      existing.processedSnapshot as unknown as OrderSnapshot,
      snapshotOf(sourceOf(node, lines)),
    );
    if (changes.length > 0) outcome = "changed_after_processing";
    flag = {
      changedAfterProcessing: changes.length > 0,
      changes: changes.length > 0 ? changes : Prisma.DbNull,
    };
  }

  const order = await tx.shopifyOrder.upsert({
    where: { shopId_shopifyId: { shopId, shopifyId } },
    create: { id: randomUUID(), shopId, shopifyId, ...header },
    update: {
      ...header,
      ...flag,
      ...(existing?.state === "error" ? { state: "unprocessed", error: null } : {}),
    },
  });

  await tx.shopifyOrderLine.deleteMany({ where: { orderId: order.id } });
  await tx.shopifyShippingLine.deleteMany({ where: { orderId: order.id } });
  await tx.shopifyOrderTransaction.deleteMany({ where: { orderId: order.id } });
  await tx.shopifyFulfillmentOrder.deleteMany({ where: { orderId: order.id } });
  await tx.shopifyOrderLine.createMany({
    data: lines.map((line) => ({
      orderId: order.id,
      shopifyId: numericId(line.id),
      productShopifyId: null,
      variantShopifyId: line.variant ? numericId(line.variant.id) : null,
      sku: line.sku,
      barcode: line.variant?.barcode ?? null,
      title: line.title,
      variantTitle: line.variantTitle,
      vendor: line.vendor,
      quantity: line.quantity,
      currentQuantity: line.currentQuantity,
      unitPrice: money(line.originalUnitPrice),
      discountAmount: money(line.totalDiscount),
      taxAmount: sum(line.taxLines.map((tax) => tax.price)),
      taxLines: line.taxLines as unknown as Prisma.InputJsonValue,
      requiresShipping: line.requiresShipping,
    })),
  });
  await tx.shopifyShippingLine.createMany({
    data: node.shippingLines.nodes.map((line) => ({
      orderId: order.id,
      shopifyId: numericId(line.id),
      title: line.title,
      code: line.code,
      price: money(line.price),
      discountAmount: money(line.price).minus(money(line.discountedPrice.amount)),
      taxAmount: sum(line.taxLines.map((tax) => tax.price)),
    })),
  });
  await tx.shopifyOrderTransaction.createMany({
    data: node.transactions.map((transaction) => ({
      orderId: order.id,
      shopifyId: numericId(transaction.id),
      kind: transaction.kind,
      status: transaction.status,
      gateway: transaction.gateway,
      amount: money(transaction.amount),
      processedAt: new Date(transaction.processedAt ?? node.processedAt),
    })),
  });
  await tx.shopifyFulfillmentOrder.createMany({
    data: node.fulfillmentOrders.nodes.map((fo) => ({
      orderId: order.id,
      shopifyId: numericId(fo.id),
      status: fo.status,
      locationShopifyId: null,
      lineItems: [],
    })),
  });
  return outcome;
}
