import { z } from "zod";
import {
  findDocumentsByShopifyOrderNo,
  type PostedInvoice,
  type PostedShipment,
  type SalesDocument,
} from "../backoffice/backoffice.server";
import type { Db } from "../db.server";
import type { Shop, ShopifyOrder } from "../generated/prisma/client";
import { collectChanges, recordsByKey, type SyncRecordState } from "../sync/kit/outbound.server";
import { SHIPMENT_FEED } from "../sync/shipments/sync.server";
import { processOrdersTask } from "../sync/orders/task.server";
import { describeFollowUp, startFollowUp } from "./follow-up.server";
import {
  actionsOf,
  changesOf,
  customerOf,
  holdOf,
  processFilters,
  reasonOf,
  type OrderAction,
} from "./orders.server";
import { Refusal } from "./refusal.server";
import { actOnShipments, SHIPMENT_STATE_WORDS } from "./shipments.server";
import { formatInZone, shopTimeZone } from "./time-zone";

/**
 * The order details block on Shopify's order page (extensions/order-block): where one Shopify
 * order stands in the back office, read with the services the Orders and Shipments pages use
 * (the reason an order waits is the Orders page's, in the same words), and its two actions:
 * Process now (process_orders for this order only) and Retry shipment (the Shipments page's
 * retry). Only the session's shop's records: another shop's order is as unknown as a made-up id.
 */

/** A Shopify order id as the block sends it: the number at the end of its gid. */
export const shopifyOrderId = z
  .string({ message: "order is required" })
  .trim()
  .regex(/^\d{1,19}$/, "the order must be a Shopify order id (digits)")
  // Stored as a bigint: a larger number is no order of Shopify's (and no query to make).
  .refine(
    (value) => !/^\d{1,19}$/.test(value) || BigInt(value) < 2n ** 63n,
    "the order must be a Shopify order id (digits)",
  )
  .transform((value) => BigInt(value));

export const orderBlockAction = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("process") }),
    z.object({
      intent: z.literal("retryShipment"),
      shipmentId: z.uuid({ message: "shipment must be the id of one of this order's shipments" }),
    }),
  ],
  { message: "the actions here are process and retryShipment" },
);
export type OrderBlockAction = z.output<typeof orderBlockAction>;

/** Where the order stands: waiting (no document yet), held (processing failed on it), processed... */
export type OrderBlockState = "waiting" | "held" | "cancelled" | "processed" | "changed";

const STATE_WORDS: Record<OrderBlockState, string> = {
  waiting: "Imported, waiting for its sales document",
  held: "Imported, held: processing could not make its sales document",
  cancelled: "Cancelled in Shopify before it was processed: no sales document will be made",
  processed: "Processed",
  changed: "Changed in Shopify after it was processed",
};

export interface OrderBlockShipment {
  id: string;
  no: string;
  postedAt: string;
  carrier: string | null;
  trackingNo: string | null;
  trackingUrl: string | null;
  lines: string[];
  /** The shipment sync's state, and in words (the Shipments page's). */
  syncState: SyncRecordState;
  syncWords: string;
  /** Shopify's message: why it failed, or for a waiting one, why the last try failed. */
  message: string | null;
  attempts: number;
  canRetry: boolean;
}

export interface OrderBlockInvoice {
  no: string;
  postedAt: string;
  amount: string;
  amountIncludingTax: string;
}

export interface OrderBlockDocument {
  type: "sales_order" | "sales_invoice";
  /** "Sales order SO-1001" */
  title: string;
  no: string;
  /** open | released | posted | closed */
  status: string;
  /** Why posting waits, when it does. */
  onHold: string | null;
  customerNo: string;
  customerFoundBy: string | null;
}

export interface OrderBlock {
  order: {
    id: string;
    name: string;
    placedAt: string;
    importedAt: string;
    customer: string;
    total: string;
    currencyCode: string;
  };
  state: OrderBlockState;
  stateWords: string;
  /** Why it waits, in full (the Orders page's reason); null once processed. */
  reason: string | null;
  /** For an order changed after processing: each change in words. */
  changes: string[];
  /** Who confirmed the changes, and when. */
  confirmed: { by: string; at: string } | null;
  document: OrderBlockDocument | null;
  shipments: OrderBlockShipment[];
  invoices: OrderBlockInvoice[];
  /**
   * Credit memos posted from the order's refunds. The back office has none yet: always empty
   * until it does, and the block shows the list only when it has one.
   */
  creditMemos: { no: string; postedAt: string; amount: string }[];
  /** Process now: the order has no document and may be processed. */
  canProcess: boolean;
  /** What the Orders page offers for it (confirm, adjust, close), done there. */
  pageActions: OrderAction[];
  /** The app's page that lists the order, as an admin extension link (app: resolves against the app's URL). */
  appUrl: string;
  timeZone: string;
}

function stateOf(order: ShopifyOrder): OrderBlockState {
  if (order.state === "processed") return order.changedAfterProcessing ? "changed" : "processed";
  if (order.cancelledAt) return "cancelled";
  return order.state === "error" ? "held" : "waiting";
}

function viewOf(state: OrderBlockState): string {
  if (state === "changed") return "changed";
  return state === "processed" ? "processed" : "unprocessed";
}

async function requireOrder(db: Db, shop: Shop, id: bigint): Promise<ShopifyOrder> {
  const order = await db.shopifyOrder.findUnique({
    where: { shopId_shopifyId: { shopId: shop.id, shopifyId: id } },
  });
  if (!order)
    throw new Refusal(
      "This order is not in the back office: it has not been imported. Shopify's order webhooks start the order sync within seconds, and its schedule imports what they missed; if it stays like this, look at the Sync orders filters and the job list in the app.",
      404,
    );
  return order;
}

/** The shipments posted from the order, with where each stands with the shipment sync. */
async function shipmentsOf(db: Db, shop: Shop, posted: PostedShipment[], timeZone: string) {
  if (posted.length === 0) return [];
  // The records' states as the Shipments page reads them: after the back office's latest postings.
  await collectChanges(db, shop.id, SHIPMENT_FEED);
  const records = await recordsByKey(
    db,
    shop.id,
    SHIPMENT_FEED.task,
    posted.map((shipment) => shipment.no),
  );
  return posted.map((shipment): OrderBlockShipment => {
    const record = records.get(shipment.no);
    const syncState = (record?.state ?? "pending") as SyncRecordState;
    return {
      id: shipment.id,
      no: shipment.no,
      postedAt: formatInZone(shipment.postedAt, timeZone),
      carrier: shipment.carrier,
      trackingNo: shipment.trackingNo,
      trackingUrl: shipment.trackingUrl,
      lines: shipment.lines.map((line) => `${line.quantity} × ${line.description}`),
      syncState,
      syncWords: SHIPMENT_STATE_WORDS[syncState],
      message: record?.message ?? null,
      attempts: record?.attempts ?? 0,
      canRetry: syncState === "error",
    };
  });
}

function invoicesOf(posted: PostedInvoice[], timeZone: string): OrderBlockInvoice[] {
  return posted.map((invoice) => ({
    no: invoice.no,
    postedAt: formatInZone(invoice.postedAt, timeZone),
    amount: invoice.amount.toFixed(2),
    amountIncludingTax: invoice.amountIncludingTax.toFixed(2),
  }));
}

function documentOf(
  order: ShopifyOrder,
  header: SalesDocument | undefined,
  timeZone: string,
): OrderBlockDocument | null {
  if (!header || !order.documentNo) return null;
  const type = header.documentType === "invoice" ? "sales_invoice" : "sales_order";
  return {
    type,
    title: `${type === "sales_invoice" ? "Sales invoice" : "Sales order"} ${header.no}`,
    no: header.no,
    status: header.status,
    onHold: holdOf(order, header, timeZone),
    customerNo: header.customerNo,
    customerFoundBy: order.customerFoundBy,
  };
}

/**
 * The sales document made from the order, and the shipments and invoices posted from it: the
 * back office finds them by the order's name, and only what was made from this very order is
 * kept (a name can repeat).
 */
async function documentsOf(db: Db, shop: Shop, order: ShopifyOrder) {
  const found = await findDocumentsByShopifyOrderNo(db, shop.id, order.name);
  const header = found.find(
    (doc): doc is SalesDocument & { kind: "sales_document" } =>
      doc.kind === "sales_document" && doc.shopifyOrderId === order.shopifyId,
  );
  const fromOrder = (doc: { shopifyOrderId: bigint | null; orderNo: string | null }) =>
    doc.shopifyOrderId === order.shopifyId || (doc.shopifyOrderId === null && doc.orderNo === header?.no);
  return {
    header,
    shipments: found.filter(
      (doc): doc is PostedShipment & { kind: "posted_shipment" } =>
        doc.kind === "posted_shipment" && fromOrder(doc),
    ),
    invoices: found.filter(
      (doc): doc is PostedInvoice & { kind: "posted_invoice" } =>
        doc.kind === "posted_invoice" && fromOrder(doc),
    ),
  };
}

/** Where one Shopify order of the shop stands in the back office; 404 when the shop has no such order. */
export async function orderBlock(db: Db, shop: Shop, id: bigint): Promise<OrderBlock> {
  const order = await requireOrder(db, shop, id);
  const timeZone = shopTimeZone(shop);
  const state = stateOf(order);
  const waiting = state === "waiting" || state === "held";
  const [documents, settings, filters] = await Promise.all([
    documentsOf(db, shop, order),
    db.shopSettings.findUnique({ where: { shopId: shop.id } }),
    waiting ? processFilters(db, shop.id) : null,
  ]);
  const { header, shipments, invoices } = documents;
  return {
    order: {
      id: order.shopifyId.toString(),
      name: order.name,
      placedAt: formatInZone(order.shopifyCreatedAt, timeZone),
      importedAt: formatInZone(order.importedAt, timeZone),
      customer: customerOf(order),
      total: (order.currentTotalPrice ?? order.totalPrice).toFixed(2),
      currencyCode: order.currencyCode,
    },
    state,
    stateWords: STATE_WORDS[state],
    reason: filters ? reasonOf(order, settings, filters) : null,
    changes: state === "changed" ? changesOf(order) : [],
    confirmed:
      order.changeConfirmedBy && order.changeConfirmedAt
        ? { by: order.changeConfirmedBy, at: formatInZone(order.changeConfirmedAt, timeZone) }
        : null,
    document: documentOf(order, header, timeZone),
    shipments: await shipmentsOf(db, shop, shipments, timeZone),
    invoices: invoicesOf(invoices, timeZone),
    creditMemos: [],
    canProcess: waiting,
    pageActions: actionsOf(order, header),
    appUrl: `app:app/orders?view=${viewOf(state)}`,
    timeZone,
  };
}

/**
 * The block's actions on one order: Process now runs Process orders for this order alone (its
 * filters name just this order, whatever the task's request page says: a person picked it),
 * queued or here and now as the shop's settings say; Retry shipment is the Shipments page's
 * retry, for a shipment of this order.
 */
export async function actOnOrderBlock(
  db: Db,
  shop: Shop,
  id: bigint,
  input: OrderBlockAction,
): Promise<{ message: string }> {
  const order = await requireOrder(db, shop, id);
  if (input.intent === "process") {
    const state = stateOf(order);
    if (state !== "waiting" && state !== "held")
      throw new Refusal(
        state === "cancelled"
          ? `${order.name} was cancelled in Shopify before it was processed; no sales document is made for it.`
          : `${order.name} is processed already: its document is ${order.documentNo}.`,
        409,
      );
    const followUp = await startFollowUp(db, shop, processOrdersTask, {
      filters: { orderIds: order.shopifyId.toString() },
    });
    return { message: `${order.name}: ${describeFollowUp(followUp)}` };
  }
  const shipment = (await documentsOf(db, shop, order)).shipments.find((doc) => doc.id === input.shipmentId);
  if (!shipment) throw new Refusal(`${order.name} has no posted shipment ${input.shipmentId}.`, 404);
  return actOnShipments(db, shop, { intent: "retry", shipmentId: shipment.id });
}
