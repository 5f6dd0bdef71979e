import { randomUUID } from "node:crypto";
import { setSalesDocumentHold, type HoldCode } from "../../backoffice/backoffice.server";
import type { Tx } from "../../db.server";
import { Prisma, type ShopifyOrder } from "../../generated/prisma/client";
import { numericId } from "../../shopify/ids.server";
import { recordOrderCompany } from "./b2b.server";
import type {
  AddressNode,
  OrderCurrentNode,
  OrderLineNode,
  OrderNode,
  OrderStampNode,
  ShippingLineNode,
} from "./operations.server";

/**
 * Writes one Shopify order into the staging tables, as Shopify states it: header, lines with
 * their tax lines and discounts, every shipping line with its tax lines, transactions, and
 * the figures after removed units when Shopify has them (ORDER_CURRENT). A processed order
 * keeps its document; when it changed in a way that matters, it is flagged with what changed
 * instead.
 */

/**
 * A B2B order's buyer as Shopify states it (Order.purchasingEntity's company and location, as
 * GIDs with their names) and the due date of the first of its payment terms' schedules.
 */
export interface B2bRead {
  company: { id: string; name: string };
  location: { id: string; name: string };
  paymentDueAt: string | null;
}

/** An order as read: the page's node, its lines and shipping lines in full, and ORDER_CURRENT when read. */
export interface OrderRead {
  node: OrderNode;
  lines: OrderLineNode[];
  shippingLines: ShippingLineNode[];
  current: (Omit<OrderCurrentNode, "lineItems"> & { unitPricesAfterDiscounts: Map<string, string> }) | null;
  /** The lines Shopify's agreement names as the tip (TIP sales). */
  tipLineIds: Set<string>;
  /** The Shopify location each line is fulfilled from, by line id (lines without one absent). */
  lineLocations: Map<string, bigint>;
  /** A B2B order's company, location and payment due date (null for any other order). */
  b2b: B2bRead | null;
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
  /** Shopify's current total (shop currency); absent in snapshots taken before it was kept. */
  total?: string;
}

export interface SnapshotSource {
  cancelledAt: Date | string | null;
  currentTotalPrice: Prisma.Decimal | string | null;
  lines: { shopifyId: bigint; title: string; variantTitle: string | null; currentQuantity: number }[];
  shippingLines: { shopifyId: bigint; title: string; price: Prisma.Decimal | string; removed: boolean }[];
}

export function snapshotOf(order: SnapshotSource): OrderSnapshot {
  return {
    lines: order.lines.map((line) => ({
      id: line.shopifyId.toString(),
      title: line.variantTitle ? `${line.title} - ${line.variantTitle}` : line.title,
      quantity: line.currentQuantity,
    })),
    shipping: order.shippingLines
      .filter((line) => !line.removed)
      .map((line) => ({
        id: line.shopifyId.toString(),
        title: line.title,
        price: money(line.price.toString()).toFixed(2),
      })),
    cancelled: order.cancelledAt !== null,
    ...(order.currentTotalPrice === null
      ? {}
      : { total: money(order.currentTotalPrice.toString()).toFixed(2) }),
  };
}

function sourceOf(read: OrderRead): SnapshotSource {
  return {
    cancelledAt: read.node.cancelledAt,
    currentTotalPrice: read.node.currentTotalPriceSet.shopMoney.amount,
    lines: read.lines.map((line) => ({
      shopifyId: numericId(line.id),
      title: line.title,
      variantTitle: line.variantTitle,
      currentQuantity: line.currentQuantity,
    })),
    shippingLines: read.shippingLines.map((line) => ({
      shopifyId: numericId(line.id),
      title: line.title,
      price: line.price,
      removed: line.isRemoved,
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
  // Money that moved without a line or shipping change (a discount added by an edit, a price).
  if (
    changes.length === 0 &&
    before.total !== undefined &&
    after.total !== undefined &&
    before.total !== after.total
  )
    changes.push(`total changed from ${before.total} to ${after.total}`);
  return changes;
}

export type StageOutcome = "new" | "updated" | "unchanged" | "changed_after_processing";

/** A confirmation no longer standing: the changes it covered are not the order's changes now. */
export const NO_CONFIRMATION = {
  confirmedChanges: Prisma.DbNull,
  changeConfirmedBy: null,
  changeConfirmedAt: null,
} as const;

const sameChanges = (confirmed: unknown, changes: string[]) =>
  Array.isArray(confirmed) && JSON.stringify(confirmed) === JSON.stringify(changes);

/**
 * A cancelled order's hold in words. The back office keeps it without a time (the instant is
 * the staged order's `cancelledAt`); a page gives `when`, that instant in the shop's time.
 */
export function cancelledHoldReason(name: string, when?: string): string {
  return `order ${name} was cancelled in Shopify${when ? ` on ${when}` : ""}: close this document instead of posting it`;
}

/**
 * The hold a processed order's document carries: a cancelled order's document is never to be
 * posted (close it); a changed one waits until it is adjusted or a person confirms the changes.
 */
export function holdFor(
  order: Pick<ShopifyOrder, "name" | "cancelledAt">,
  changes: string[],
  confirmed: boolean,
): { code: HoldCode; reason: string } | null {
  if (order.cancelledAt) return { code: "CANCELLED", reason: cancelledHoldReason(order.name) };
  if (changes.length === 0 || confirmed) return null;
  return {
    code: "CHANGED",
    reason: `order ${order.name} changed in Shopify after this document was made (${changes.join("; ")}): adjust the document or confirm the change before posting it`,
  };
}

/** Puts the order's document on the hold its state calls for, or takes it off. */
export async function applyHold(
  tx: Tx,
  order: Pick<ShopifyOrder, "shopId" | "name" | "cancelledAt" | "documentType" | "documentNo">,
  changes: string[],
  confirmed: boolean,
): Promise<void> {
  if (!order.documentNo) return;
  await setSalesDocumentHold(
    tx,
    order.shopId,
    order.documentType === "sales_invoice" ? "invoice" : "order",
    order.documentNo,
    holdFor(order, changes, confirmed),
  );
}

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

export async function stageOrder(tx: Tx, shopId: string, read: OrderRead): Promise<StageOutcome> {
  const { node, lines, current, b2b } = read;
  const shopifyId = numericId(node.id);
  const updatedAt = new Date(node.updatedAt);
  const existing = await tx.shopifyOrder.findUnique({ where: { shopId_shopifyId: { shopId, shopifyId } } });
  if (existing && stagedIsCurrent(existing, node)) return "unchanged";

  const header = {
    name: node.name,
    email: node.email,
    phone: node.phone,
    customerShopifyId: node.customer ? numericId(node.customer.id) : null,
    companyShopifyId: b2b ? numericId(b2b.company.id) : null,
    companyLocationShopifyId: b2b ? numericId(b2b.location.id) : null,
    poNumber: node.poNumber,
    paymentDueAt: b2b?.paymentDueAt ? new Date(b2b.paymentDueAt) : null,
    currencyCode: node.currencyCode,
    sourceName: node.sourceName,
    tags: node.tags,
    financialStatus: node.displayFinancialStatus ?? "PENDING",
    fulfillmentStatus: node.displayFulfillmentStatus,
    cancelledAt: node.cancelledAt ? new Date(node.cancelledAt) : null,
    closedAt: node.closedAt ? new Date(node.closedAt) : null,
    test: node.test,
    taxesIncluded: node.taxesIncluded,
    edited: node.edited,
    presentmentCurrencyCode: node.presentmentCurrencyCode,
    paymentGateways: node.paymentGatewayNames,
    subtotal: money(node.subtotalPrice),
    totalShipping: money(node.totalShippingPrice),
    totalTax: money(node.totalTax),
    totalDiscounts: money(node.totalDiscounts),
    totalPrice: money(node.totalPrice),
    totalTip: money(node.totalTipReceived.amount),
    currentTotalPrice: money(node.currentTotalPriceSet.shopMoney.amount),
    presentmentTotalPrice: money(node.currentTotalPriceSet.presentmentMoney.amount),
    currentSubtotal: current ? money(current.currentSubtotalPriceSet.shopMoney.amount) : null,
    currentShipping: current ? money(current.currentShippingPriceSet.shopMoney.amount) : null,
    currentTotalTax: current ? money(current.currentTotalTaxSet.shopMoney.amount) : null,
    presentmentTotalTax: current ? money(current.currentTotalTaxSet.presentmentMoney.amount) : null,
    currentTaxLines: current ? (current.currentTaxLines as unknown as Prisma.InputJsonValue) : Prisma.DbNull,
    billingAddress: address(node.billingAddress),
    shippingAddress: address(node.shippingAddress),
    shopifyCreatedAt: new Date(node.createdAt),
    shopifyUpdatedAt: updatedAt,
  };

  let outcome: StageOutcome = existing ? "updated" : "new";
  let flag = {};
  let hold: { changes: string[]; confirmed: boolean } | null = null;
  if (existing?.state === "processed" && existing.processedSnapshot) {
    // Against what the document was made from: changes add up, and a change undone clears.
    const changes = describeChanges(
      existing.processedSnapshot as unknown as OrderSnapshot,
      snapshotOf(sourceOf(read)),
    );
    if (changes.length > 0) outcome = "changed_after_processing";
    // A person's confirmation stands for the changes it saw; any other change needs another.
    const confirmed = changes.length > 0 && sameChanges(existing.confirmedChanges, changes);
    flag = {
      changedAfterProcessing: changes.length > 0,
      changes: changes.length > 0 ? changes : Prisma.DbNull,
      ...(confirmed ? {} : NO_CONFIRMATION),
    };
    hold = { changes, confirmed };
  }

  if (b2b) await recordOrderCompany(tx, shopId, b2b);
  const order = await tx.shopifyOrder.upsert({
    where: { shopId_shopifyId: { shopId, shopifyId } },
    create: { id: randomUUID(), shopId, shopifyId, ...header },
    update: {
      ...header,
      ...flag,
      ...(existing?.state === "error" ? { state: "unprocessed", error: null } : {}),
    },
  });
  if (hold) await applyHold(tx, order, hold.changes, hold.confirmed);

  await tx.shopifyOrderLine.deleteMany({ where: { orderId: order.id } });
  await tx.shopifyShippingLine.deleteMany({ where: { orderId: order.id } });
  await tx.shopifyOrderTransaction.deleteMany({ where: { orderId: order.id } });
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
      isGiftCard: line.isGiftCard,
      isTip: read.tipLineIds.has(line.id),
      unitPrice: money(line.originalUnitPrice),
      discountAmount: money(line.totalDiscount),
      taxAmount: sum(line.taxLines.map((tax) => tax.price)),
      taxLines: line.taxLines as unknown as Prisma.InputJsonValue,
      unitPriceAfterDiscounts:
        current?.unitPricesAfterDiscounts.has(line.id) === true
          ? money(current.unitPricesAfterDiscounts.get(line.id))
          : null,
      requiresShipping: line.requiresShipping,
      locationShopifyId: read.lineLocations.get(line.id) ?? null,
    })),
  });
  await tx.shopifyShippingLine.createMany({
    data: read.shippingLines.map((line) => ({
      orderId: order.id,
      shopifyId: numericId(line.id),
      title: line.title,
      code: line.code,
      removed: line.isRemoved,
      price: money(line.price),
      discountAmount: money(line.price).minus(money(line.discountedPrice.amount)),
      taxAmount: sum(line.taxLines.map((tax) => tax.price)),
      taxLines: line.taxLines as unknown as Prisma.InputJsonValue,
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
  return outcome;
}
