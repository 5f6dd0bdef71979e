import { randomUUID } from "node:crypto";
import type { Db, Tx } from "../db.server";
import { Prisma, type BoSalesHeader, type BoSalesLine } from "../generated/prisma/client";
import type { SalesDocumentType } from "./documents.server";
import { recordChange, recordChanges } from "./changes.server";
import { BackOfficeError, PostingHeldError } from "./errors.server";
import {
  inTransaction,
  LINE_NO_STEP,
  optionalText,
  requireQuantity,
  roundMoney,
  sum,
} from "./internal.server";
import { nextNo } from "./numbers.server";

/**
 * Posting: a sales order is shipped (posted shipment, stock entries, quantity shipped) and
 * invoiced (posted invoice, quantity invoiced), in parts or at once; a sales invoice is posted
 * whole. Each posting is one transaction that first locks the document's header, so two
 * postings of the same document run one after the other and the second sees what the first
 * did: nothing can be shipped or invoiced twice.
 */

export interface PostSalesOrderOptions {
  ship: boolean;
  invoice: boolean;
  /**
   * Quantities per line; lines left out are not shipped. Without it, everything outstanding.
   * With invoice alone, these are the quantities to invoice.
   */
  lines?: { lineNo: number; quantity: number }[];
  carrier?: string;
  trackingNo?: string;
  trackingUrl?: string;
  postingDate?: Date;
}

export interface PostingResult {
  shipmentNo?: string;
  invoiceNo?: string;
}

/** What one posting does to one line. */
interface LinePlan {
  line: BoSalesLine;
  ship: number;
  invoice: number;
}

export async function postSalesOrder(
  db: Db | Tx,
  shopId: string,
  no: string,
  options: PostSalesOrderOptions,
): Promise<PostingResult> {
  if (!options.ship && !options.invoice) throw new BackOfficeError("choose ship, invoice or both");
  const postedAt = postingDateOf(options.postingDate);
  return inTransaction(db, async (tx) => {
    const { header, lines } = await lockDocument(tx, shopId, "order", no);
    const chosen = chosenQuantities(lines, options.lines);
    const plans: LinePlan[] = [];
    for (const line of lines) {
      if (line.type !== "item") continue;
      const at = `sales order ${no} line ${line.lineNo} (${line.itemNo})`;
      const outstanding = line.quantity - line.quantityShipped;
      const ship = options.ship ? (chosen ? (chosen.get(line.lineNo) ?? 0) : outstanding) : 0;
      if (ship > outstanding)
        throw new BackOfficeError(`${at}: cannot ship ${ship}, only ${outstanding} left to ship`);
      const invoiceable = line.quantityShipped + ship - line.quantityInvoiced;
      const invoice = !options.invoice
        ? 0
        : options.ship || !chosen
          ? invoiceable
          : (chosen.get(line.lineNo) ?? 0);
      if (invoice > invoiceable)
        throw new BackOfficeError(
          `${at}: cannot invoice ${invoice}, only ${invoiceable} shipped and not yet invoiced`,
        );
      plans.push({ line, ship, invoice });
    }
    if (options.invoice) plans.push(...shippingCharges(lines, plans));
    return post(tx, header, plans, {
      postedAt,
      postedFrom: "order",
      carrier: optionalText(options.carrier),
      trackingNo: optionalText(options.trackingNo),
      trackingUrl: optionalText(options.trackingUrl),
    });
  });
}

/**
 * Posts a whole sales invoice: the invoice, and a shipment for its items that records the stock
 * movement. The shipment is marked as posted from an invoice: its order was fulfilled in Shopify
 * before it was imported, so the shipment sync has nothing to send for it.
 */
export async function postSalesInvoice(
  db: Db | Tx,
  shopId: string,
  no: string,
  options: { postingDate?: Date } = {},
): Promise<PostingResult> {
  const postedAt = postingDateOf(options.postingDate);
  return inTransaction(db, async (tx) => {
    const { header, lines } = await lockDocument(tx, shopId, "invoice", no);
    const plans: LinePlan[] = lines
      .filter((line) => line.type === "item")
      .map((line) => ({
        line,
        ship: line.quantity - line.quantityShipped,
        invoice: line.quantity - line.quantityInvoiced,
      }));
    plans.push(...shippingCharges(lines, plans));
    return post(tx, header, plans, {
      postedAt,
      postedFrom: "invoice",
      carrier: null,
      trackingNo: null,
      trackingUrl: null,
    });
  });
}

function postingDateOf(date: Date | undefined): Date {
  if (date === undefined) return new Date();
  if (!(date instanceof Date) || Number.isNaN(date.getTime()))
    throw new BackOfficeError("posting date is not a valid date");
  return date;
}

async function lockDocument(tx: Tx, shopId: string, documentType: SalesDocumentType, no: string) {
  const [locked] = await tx.$queryRaw<{ id: string }[]>`
    select id from "BoSalesHeader"
     where "shopId" = ${shopId}::uuid and "documentType" = ${documentType} and no = ${no}
     for update`;
  if (!locked) throw new BackOfficeError(`sales ${documentType} ${no} does not exist`);
  const header = await tx.boSalesHeader.findUniqueOrThrow({ where: { id: locked.id } });
  if (header.status === "posted")
    throw new BackOfficeError(`sales ${documentType} ${no}: nothing to post, it is fully posted`);
  if (header.status === "closed")
    throw new PostingHeldError(
      "CLOSED",
      `sales ${documentType} ${no} is closed: nothing can be posted from it`,
    );
  if (header.onHold)
    throw new PostingHeldError(
      header.onHold,
      `sales ${documentType} ${no} is on hold: ${header.onHoldReason ?? header.onHold}`,
    );
  const lines = await tx.boSalesLine.findMany({ where: { headerId: header.id }, orderBy: { lineNo: "asc" } });
  return { header, lines };
}

function chosenQuantities(
  lines: BoSalesLine[],
  chosen: PostSalesOrderOptions["lines"],
): Map<number, number> | null {
  if (!chosen) return null;
  const quantities = new Map<number, number>();
  for (const { lineNo, quantity } of chosen) {
    const line = lines.find((candidate) => candidate.lineNo === lineNo);
    if (!line) throw new BackOfficeError(`there is no line ${lineNo}`);
    if (line.type !== "item")
      throw new BackOfficeError(`line ${lineNo} is a ${line.type} line; only item lines take quantities`);
    if (quantities.has(lineNo)) throw new BackOfficeError(`line ${lineNo} is given twice`);
    quantities.set(lineNo, requireQuantity(quantity, `quantity for line ${lineNo}`, { positive: false }));
  }
  return quantities;
}

/**
 * Shipping charges are invoiced whole, once: with the first invoice that bills items, or on
 * their own when every item is already invoiced (or there are none), so a charge is never
 * billed before any goods.
 */
function shippingCharges(lines: BoSalesLine[], itemPlans: LinePlan[]): LinePlan[] {
  const billsItems = itemPlans.some((plan) => plan.invoice > 0);
  const itemsDone = itemPlans.every(
    (plan) => plan.line.quantityInvoiced + plan.invoice === plan.line.quantity,
  );
  if (!billsItems && !itemsDone) return [];
  return lines
    .filter((line) => line.type === "shipping" && line.quantityInvoiced < line.quantity)
    .map((line) => ({ line, ship: 0, invoice: line.quantity - line.quantityInvoiced }));
}

/**
 * The part of a line's amount (or tax) for quantities before..after of its quantity, rounded
 * so that the parts of a line invoiced in several goes add up to exactly its amount.
 */
function portion(total: Prisma.Decimal, before: number, after: number, quantity: number): Prisma.Decimal {
  const upTo = (count: number) =>
    count === 0
      ? new Prisma.Decimal(0)
      : count === quantity
        ? total
        : roundMoney(total.times(count).dividedBy(quantity));
  return upTo(after).minus(upTo(before));
}

async function post(
  tx: Tx,
  header: BoSalesHeader,
  plans: LinePlan[],
  shipment: {
    postedAt: Date;
    /** The sales document's type: an invoice's shipment was fulfilled in Shopify already. */
    postedFrom: "order" | "invoice";
    carrier: string | null;
    trackingNo: string | null;
    trackingUrl: string | null;
  },
): Promise<PostingResult> {
  const toShip = plans.filter((plan) => plan.ship > 0);
  const toInvoice = plans.filter((plan) => plan.invoice > 0);
  if (toShip.length === 0 && toInvoice.length === 0)
    throw new BackOfficeError(`sales ${header.documentType} ${header.no}: nothing to post`);
  const shopId = header.shopId;
  const postedAt = shipment.postedAt;
  const result: PostingResult = {};

  if (toShip.length > 0) {
    const no = await nextNo(tx, shopId, "SHIP");
    // Lines without a location ship from the shop's first location (blank when it has none).
    const fallback = await tx.boLocation.findFirst({ where: { shopId }, orderBy: { code: "asc" } });
    const shipped = toShip.map((plan, index) => ({
      lineNo: (index + 1) * LINE_NO_STEP,
      orderLineNo: plan.line.lineNo,
      itemNo: plan.line.itemNo!,
      variantCode: plan.line.variantCode ?? "",
      description: plan.line.description,
      locationCode: plan.line.locationCode ?? fallback?.code ?? "",
      quantity: plan.ship,
      shopifyLineId: plan.line.shopifyLineId,
    }));
    await tx.boPostedShipment.create({
      data: {
        id: randomUUID(),
        shopId,
        no,
        orderNo: header.no,
        shopifyOrderId: header.shopifyOrderId,
        customerNo: header.customerNo,
        postedAt,
        carrier: shipment.carrier,
        trackingNo: shipment.trackingNo,
        trackingUrl: shipment.trackingUrl,
        postedFrom: shipment.postedFrom,
        lines: { create: shipped },
      },
    });
    await recordChange(tx, shopId, "posted_shipment", no);
    // Non-stock items (gift cards, tips) are shipped, but no stock moves for them.
    const nonStock = new Set(
      (
        await tx.boItem.findMany({
          where: { shopId, no: { in: shipped.map((line) => line.itemNo) }, type: "non_stock" },
          select: { no: true },
        })
      ).map((item) => item.no),
    );
    const stocked = shipped.filter((line) => !nonStock.has(line.itemNo));
    await recordChanges(tx, shopId, "stock", [...new Set(stocked.map((line) => line.itemNo))]);
    await tx.boStockEntry.createMany({
      data: stocked.map((line) => ({
        id: randomUUID(),
        shopId,
        itemNo: line.itemNo,
        variantCode: line.variantCode,
        locationCode: line.locationCode,
        quantity: -line.quantity,
        entryType: "shipment",
        documentNo: no,
        postedAt,
      })),
    });
    result.shipmentNo = no;
  }

  if (toInvoice.length > 0) {
    const no = await nextNo(tx, shopId, "PINV");
    const invoiced = toInvoice.map((plan, index) => {
      const { line } = plan;
      const before = line.quantityInvoiced;
      const after = before + plan.invoice;
      return {
        lineNo: (index + 1) * LINE_NO_STEP,
        type: line.type,
        itemNo: line.itemNo,
        variantCode: line.variantCode,
        description: line.description,
        quantity: plan.invoice,
        unitPrice: line.unitPrice,
        amount: portion(line.amount, before, after, line.quantity),
        taxAmount: portion(line.taxAmount, before, after, line.quantity),
      };
    });
    const amount = sum(invoiced.map((line) => line.amount));
    await tx.boPostedInvoice.create({
      data: {
        id: randomUUID(),
        shopId,
        no,
        orderNo: header.no,
        shopifyOrderId: header.shopifyOrderId,
        shopifyOrderNo: header.shopifyOrderNo,
        customerNo: header.customerNo,
        postedAt,
        pricesIncludingTax: header.pricesIncludingTax,
        amount,
        amountIncludingTax: amount.plus(sum(invoiced.map((line) => line.taxAmount))),
        lines: { create: invoiced },
      },
    });
    result.invoiceNo = no;
  }

  for (const plan of plans) {
    if (plan.ship === 0 && plan.invoice === 0) continue;
    await tx.boSalesLine.update({
      where: { headerId_lineNo: { headerId: header.id, lineNo: plan.line.lineNo } },
      data: {
        quantityShipped: { increment: plan.ship },
        quantityInvoiced: { increment: plan.invoice },
      },
    });
  }
  const lines = await tx.boSalesLine.findMany({ where: { headerId: header.id } });
  const done = lines.every(
    (line) =>
      line.type === "comment" ||
      ((line.type !== "item" || line.quantityShipped === line.quantity) &&
        line.quantityInvoiced === line.quantity),
  );
  if (done) await tx.boSalesHeader.update({ where: { id: header.id }, data: { status: "posted" } });
  return result;
}
