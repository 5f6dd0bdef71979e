import { recordChanges } from "./changes.server";
import { randomUUID } from "node:crypto";
import type { Db, Tx } from "../db.server";
import type {
  BoPostedInvoice,
  BoPostedInvoiceLine,
  BoPostedShipment,
  BoPostedShipmentLine,
  BoSalesHeader,
  BoSalesLine,
} from "../generated/prisma/client";
import { BackOfficeError, DuplicateDocumentError } from "./errors.server";
import {
  inTransaction,
  isUniqueViolation,
  LINE_NO_STEP,
  optionalText,
  requireQuantity,
  requiredText,
  sum,
  toDecimal,
  type DecimalInput,
} from "./internal.server";
import { nextNo } from "./numbers.server";

/** Sales orders and sales invoices: making, releasing, reopening and finding them. */

export type SalesDocumentType = "order" | "invoice";
export type SalesDocumentStatus = "open" | "released" | "posted" | "closed";
export type SalesLineType = "item" | "shipping" | "comment";
/** A sales document's header alone, as lists that do not need its lines read it. */
export type SalesHeader = BoSalesHeader;
export type SalesDocument = BoSalesHeader & { lines: BoSalesLine[] };
export type PostedShipment = BoPostedShipment & { lines: BoPostedShipmentLine[] };
export type PostedInvoice = BoPostedInvoice & { lines: BoPostedInvoiceLine[] };

export interface NewSalesLine {
  type: SalesLineType;
  itemNo?: string;
  variantCode?: string;
  description: string;
  locationCode?: string;
  /** Item lines: above 0. Shipping lines count as 1 when 0 or absent; comment lines as 0. */
  quantity?: number;
  /** Unit price and discount include tax when the document's prices do (pricesIncludingTax). */
  unitPrice?: DecimalInput;
  discountAmount?: DecimalInput;
  taxAmount?: DecimalInput;
  /** The line's amount after discount, before tax. */
  amount?: DecimalInput;
  shopifyLineId?: bigint;
}

export interface NewSalesDocument {
  documentType: SalesDocumentType;
  /** Taken from the SO or SI number series when absent; must be unused when given. */
  no?: string;
  customerNo: string;
  orderDate: Date;
  currencyCode: string;
  /**
   * Unit prices and discounts include tax (Business Central's "Prices Including VAT"): each
   * line's amount is still before tax, what is left of its price after its tax.
   */
  pricesIncludingTax?: boolean;
  /** The currency the customer paid in and the document's totals in it, kept beside the shop's. */
  presentment?: { currencyCode: string; amount: DecimalInput; amountIncludingTax: DecimalInput };
  shopifyOrderId?: bigint;
  shopifyOrderNo?: string;
  /**
   * Where the goods go. With `code`, one of the customer's ship-to addresses: it must exist, and
   * its address fills the fields not given.
   */
  shipTo?: {
    code?: string;
    name?: string;
    address1?: string;
    city?: string;
    zip?: string;
    countryCode?: string;
  };
  /** The buyer's reference for the order, e.g. its purchase order number (External Document No.). */
  externalDocumentNo?: string;
  /** When payment is due; when absent, the order date plus the customer's payment terms days, if any. */
  dueDate?: Date;
  release?: boolean;
  lines: NewSalesLine[];
}

const DOCUMENT_TYPES: readonly string[] = ["order", "invoice"];
/** Hold codes: the Shopify order was cancelled, or changed after the document was made. */
export const HOLD_CODES = ["CANCELLED", "CHANGED"] as const;
export type HoldCode = (typeof HOLD_CODES)[number];
const LINE_TYPES: readonly string[] = ["item", "shipping", "comment"];
const DAY_MS = 86_400_000;

const withLines = { lines: { orderBy: { lineNo: "asc" } } } as const;

/**
 * Makes a sales order or invoice with its lines. At most one document per Shopify order: a
 * second one throws DuplicateDocumentError naming the first, without aborting the caller's
 * transaction (the check waits for any other transaction making a document for the same order).
 */
/** A document's lines and totals, checked: what making a document and replacing its lines share. */
function documentMoney(input: Pick<NewSalesDocument, "lines" | "presentment">) {
  if (input.lines.length === 0) throw new BackOfficeError("a sales document needs at least one line");
  const lines = input.lines.map((line, index) => normaliseLine(line, (index + 1) * LINE_NO_STEP));
  const amount = sum(lines.map((line) => line.amount));
  const amountIncludingTax = amount.plus(sum(lines.map((line) => line.taxAmount)));
  const presentment = input.presentment
    ? {
        presentmentCurrencyCode: requiredText(
          input.presentment.currencyCode,
          "presentment currency code",
        ).toUpperCase(),
        presentmentAmount: toDecimal(input.presentment.amount, "presentment amount"),
        presentmentAmountIncludingTax: toDecimal(
          input.presentment.amountIncludingTax,
          "presentment amount including tax",
        ),
      }
    : {};
  return { lines, amount, amountIncludingTax, presentment };
}

export async function createSalesDocument(
  tx: Db | Tx,
  shopId: string,
  input: NewSalesDocument,
): Promise<SalesDocument> {
  if (!DOCUMENT_TYPES.includes(input.documentType))
    throw new BackOfficeError(`unknown document type "${String(input.documentType)}"; use order or invoice`);
  if (!(input.orderDate instanceof Date) || Number.isNaN(input.orderDate.getTime()))
    throw new BackOfficeError("order date is not a valid date");
  if (
    input.dueDate !== undefined &&
    (!(input.dueDate instanceof Date) || Number.isNaN(input.dueDate.getTime()))
  )
    throw new BackOfficeError("due date is not a valid date");
  const shipToCode = optionalText(input.shipTo?.code)?.toUpperCase() ?? null;
  const currencyCode = requiredText(input.currencyCode, "currency code").toUpperCase();
  const customerNo = requiredText(input.customerNo, "customer no.");
  const { lines, amount, amountIncludingTax, presentment } = documentMoney(input);

  return inTransaction(tx, async (tx) => {
    if (input.shopifyOrderId !== undefined) {
      // Serialises documents for one Shopify order until the transaction ends, so the check
      // below sees a document another transaction has just committed.
      await tx.$executeRaw`
        select pg_advisory_xact_lock(hashtextextended(${`bo-sales:${shopId}:${input.shopifyOrderId}`}, 0))`;
      const existing = await tx.boSalesHeader.findUnique({
        where: { shopId_shopifyOrderId: { shopId, shopifyOrderId: input.shopifyOrderId } },
      });
      if (existing) throw new DuplicateDocumentError({ ...existing, shopifyOrderId: input.shopifyOrderId });
    }

    const customer = await tx.boCustomer.findUnique({ where: { shopId_no: { shopId, no: customerNo } } });
    if (!customer) throw new BackOfficeError(`customer ${customerNo} does not exist`);
    if (customer.isTemplate)
      throw new BackOfficeError(`customer ${customerNo} is a template and cannot be sold to`);
    const shipTo = shipToCode
      ? await tx.boShipToAddress.findUnique({
          where: { shopId_customerNo_code: { shopId, customerNo, code: shipToCode } },
        })
      : null;
    if (shipToCode && !shipTo)
      throw new BackOfficeError(`customer ${customerNo} has no ship-to address ${shipToCode}`);
    const dueDate =
      input.dueDate ??
      (customer.paymentTermsDays === null
        ? null
        : new Date(input.orderDate.getTime() + customer.paymentTermsDays * DAY_MS));
    for (const line of lines) await validateLine(tx, shopId, line);

    const given = optionalText(input.no);
    const no = given ?? (await unusedNo(tx, shopId, input.documentType));
    if (given && (await documentExists(tx, shopId, input.documentType, given)))
      throw new BackOfficeError(`sales ${input.documentType} ${given} already exists`);

    if (input.documentType === "order" && input.shopifyOrderId === undefined)
      await ownOrderStockChanged(tx, shopId, lines);
    try {
      return await tx.boSalesHeader.create({
        data: {
          id: randomUUID(),
          shopId,
          documentType: input.documentType,
          no,
          customerNo,
          status: input.release ? "released" : "open",
          orderDate: input.orderDate,
          currencyCode,
          shopifyOrderId: input.shopifyOrderId ?? null,
          shopifyOrderNo: optionalText(input.shopifyOrderNo),
          shipToCode,
          shipToName: optionalText(input.shipTo?.name ?? shipTo?.name),
          shipToAddress1: optionalText(input.shipTo?.address1 ?? shipTo?.address1),
          shipToCity: optionalText(input.shipTo?.city ?? shipTo?.city),
          shipToZip: optionalText(input.shipTo?.zip ?? shipTo?.zip),
          shipToCountry:
            optionalText(input.shipTo?.countryCode ?? shipTo?.countryCode)?.toUpperCase() ?? null,
          externalDocumentNo: optionalText(input.externalDocumentNo),
          dueDate,
          pricesIncludingTax: input.pricesIncludingTax === true,
          amount,
          amountIncludingTax,
          ...presentment,
          lines: { create: lines },
        },
        include: withLines,
      });
    } catch (error) {
      // Only reached when a document was written without the lock above.
      if (isUniqueViolation(error) && input.shopifyOrderId !== undefined) {
        const existing = await tx.boSalesHeader.findUnique({
          where: { shopId_shopifyOrderId: { shopId, shopifyOrderId: input.shopifyOrderId } },
        });
        if (existing) throw new DuplicateDocumentError({ ...existing, shopifyOrderId: input.shopifyOrderId });
      }
      if (isUniqueViolation(error))
        throw new BackOfficeError(`sales ${input.documentType} ${no} already exists`);
      throw error;
    }
  });
}

/**
 * A sales order the back office took itself (no Shopify order) promises units Shopify does not
 * know of: its items' stock, as the inventory sync counts it, changed.
 */
async function ownOrderStockChanged(
  tx: Tx,
  shopId: string,
  lines: { type: string; itemNo: string | null }[],
) {
  const items = [
    ...new Set(lines.flatMap((line) => (line.type === "item" && line.itemNo ? [line.itemNo] : []))),
  ];
  await recordChanges(tx, shopId, "stock", items);
}

type NormalisedLine = ReturnType<typeof normaliseLine>;

function normaliseLine(line: NewSalesLine, lineNo: number) {
  const at = `line ${lineNo}`;
  if (!LINE_TYPES.includes(line.type))
    throw new BackOfficeError(
      `${at}: unknown line type "${String(line.type)}"; use item, shipping or comment`,
    );
  const money = {
    unitPrice: toDecimal(line.unitPrice, `${at}: unit price`),
    discountAmount: toDecimal(line.discountAmount, `${at}: discount amount`),
    taxAmount: toDecimal(line.taxAmount, `${at}: tax amount`),
    amount: toDecimal(line.amount, `${at}: amount`),
  };
  const base = {
    lineNo,
    type: line.type,
    description: requiredText(line.description, `${at}: description`),
    shopifyLineId: line.shopifyLineId ?? null,
  };
  if (line.type === "comment") {
    if (Object.values(money).some((value) => !value.isZero()))
      throw new BackOfficeError(`${at}: a comment line carries no amounts`);
    return { ...base, ...money, itemNo: null, variantCode: null, locationCode: null, quantity: 0 };
  }
  if (line.type === "shipping") {
    const quantity = line.quantity
      ? requireQuantity(line.quantity, `${at}: quantity`, { positive: true })
      : 1;
    return { ...base, ...money, itemNo: null, variantCode: null, locationCode: null, quantity };
  }
  return {
    ...base,
    ...money,
    itemNo: requiredText(line.itemNo, `${at}: item no.`),
    variantCode: optionalText(line.variantCode),
    locationCode: optionalText(line.locationCode),
    quantity: requireQuantity(line.quantity ?? 0, `${at} (${line.itemNo})`, { positive: true }),
  };
}

async function validateLine(tx: Tx, shopId: string, line: NormalisedLine): Promise<void> {
  if (line.type !== "item" || !line.itemNo) return;
  const at = `line ${line.lineNo}`;
  const item = await tx.boItem.findUnique({ where: { shopId_no: { shopId, no: line.itemNo } } });
  if (!item) throw new BackOfficeError(`${at}: item ${line.itemNo} does not exist`);
  if (item.blocked) throw new BackOfficeError(`${at}: item ${line.itemNo} is blocked`);
  if (
    line.variantCode &&
    !(await tx.boItemVariant.findUnique({
      where: { shopId_itemNo_code: { shopId, itemNo: line.itemNo, code: line.variantCode } },
    }))
  )
    throw new BackOfficeError(`${at}: item ${line.itemNo} has no variant ${line.variantCode}`);
  if (
    line.locationCode &&
    !(await tx.boLocation.findUnique({ where: { shopId_code: { shopId, code: line.locationCode } } }))
  )
    throw new BackOfficeError(`${at}: location ${line.locationCode} does not exist`);
}

async function documentExists(tx: Tx, shopId: string, documentType: string, no: string) {
  return (
    (await tx.boSalesHeader.findUnique({
      where: { shopId_documentType_no: { shopId, documentType, no } },
      select: { id: true },
    })) !== null
  );
}

/** The next series number not already taken by a document numbered by hand. */
async function unusedNo(tx: Tx, shopId: string, documentType: SalesDocumentType): Promise<string> {
  for (;;) {
    const no = await nextNo(tx, shopId, documentType === "order" ? "SO" : "SI");
    if (!(await documentExists(tx, shopId, documentType, no))) return no;
  }
}

export async function getSalesDocument(
  db: Db | Tx,
  shopId: string,
  documentType: SalesDocumentType,
  no: string,
): Promise<SalesDocument | null> {
  return db.boSalesHeader.findUnique({
    where: { shopId_documentType_no: { shopId, documentType, no } },
    include: withLines,
  });
}

export async function listSalesDocuments(
  db: Db | Tx,
  shopId: string,
  filter: { documentType?: SalesDocumentType; status?: SalesDocumentStatus } = {},
): Promise<SalesDocument[]> {
  return db.boSalesHeader.findMany({
    where: {
      shopId,
      ...(filter.documentType ? { documentType: filter.documentType } : {}),
      ...(filter.status ? { status: filter.status } : {}),
    },
    include: withLines,
    orderBy: [{ createdAt: "asc" }, { no: "asc" }],
  });
}

/** The shop's posted invoices with their lines, by number. */
export async function listPostedInvoices(db: Db | Tx, shopId: string): Promise<PostedInvoice[]> {
  return db.boPostedInvoice.findMany({
    where: { shopId },
    include: { lines: { orderBy: { lineNo: "asc" } } },
    orderBy: { no: "asc" },
  });
}

/** The headers (no lines) of the documents made from these Shopify orders, by Shopify order id. */
export async function salesHeadersOfShopifyOrders(
  db: Db | Tx,
  shopId: string,
  shopifyOrderIds: bigint[],
): Promise<Map<bigint, SalesHeader>> {
  const headers = await db.boSalesHeader.findMany({
    where: { shopId, shopifyOrderId: { in: shopifyOrderIds } },
  });
  return new Map(headers.map((header) => [header.shopifyOrderId!, header]));
}

/** Released orders are ready to ship; Business Central's release, without approvals. */
export async function releaseSalesOrder(db: Db | Tx, shopId: string, no: string): Promise<SalesDocument> {
  return setStatus(db, shopId, no, "released");
}

/** Back to open, so the order can be changed; a posted order cannot be reopened. */
export async function reopenSalesOrder(db: Db | Tx, shopId: string, no: string): Promise<SalesDocument> {
  return setStatus(db, shopId, no, "open");
}

/** Locks a document's header for a change; throws when there is no such document. */
async function lockHeader(tx: Tx, shopId: string, documentType: SalesDocumentType, no: string) {
  const [header] = await tx.$queryRaw<
    { id: string; status: string; documentType: string; shopifyOrderId: bigint | null }[]
  >`
    select id, status, "documentType", "shopifyOrderId" from "BoSalesHeader"
     where "shopId" = ${shopId}::uuid and "documentType" = ${documentType} and no = ${no}
     for update`;
  if (!header) throw new BackOfficeError(`sales ${documentType} ${no} does not exist`);
  return header;
}

/**
 * Puts a document on hold (a code and the reason in words) or, with null, takes it off:
 * posting refuses a document on hold. Idempotent; a posted or closed document keeps its state.
 */
export async function setSalesDocumentHold(
  db: Db | Tx,
  shopId: string,
  documentType: SalesDocumentType,
  no: string,
  hold: { code: HoldCode; reason: string } | null,
): Promise<void> {
  if (hold && !HOLD_CODES.includes(hold.code))
    throw new BackOfficeError(`unknown hold code "${String(hold.code)}"; use ${HOLD_CODES.join(" or ")}`);
  await inTransaction(db, async (tx) => {
    const header = await lockHeader(tx, shopId, documentType, no);
    await tx.boSalesHeader.update({
      where: { id: header.id },
      data: hold
        ? { onHold: hold.code, onHoldReason: requiredText(hold.reason, "hold reason") }
        : { onHold: null, onHoldReason: null },
    });
  });
}

/**
 * Closes a document that is not to be posted (its order was cancelled): what was posted from
 * it stays; nothing more can be. Documents are never deleted. `by` says who closed it.
 */
export async function closeSalesDocument(
  db: Db | Tx,
  shopId: string,
  documentType: SalesDocumentType,
  no: string,
  by: string,
): Promise<SalesDocument> {
  return inTransaction(db, async (tx) => {
    const header = await lockHeader(tx, shopId, documentType, no);
    if (header.status === "posted")
      throw new BackOfficeError(`sales ${documentType} ${no} is fully posted and cannot be closed`);
    if (header.status === "closed")
      throw new BackOfficeError(`sales ${documentType} ${no} is already closed`);
    if (header.documentType === "order" && header.shopifyOrderId === null)
      await ownOrderStockChanged(
        tx,
        shopId,
        await tx.boSalesLine.findMany({ where: { headerId: header.id } }),
      );
    return tx.boSalesHeader.update({
      where: { id: header.id },
      data: { status: "closed", closedAt: new Date(), closedBy: requiredText(by, "who closes it") },
      include: withLines,
    });
  });
}

/**
 * Replaces a document's lines and totals (the document adjusted to its order as it stands),
 * while nothing of it is shipped or invoiced. Header, number, customer and status stay.
 */
export async function replaceSalesLines(
  db: Db | Tx,
  shopId: string,
  documentType: SalesDocumentType,
  no: string,
  input: Pick<NewSalesDocument, "lines" | "presentment" | "pricesIncludingTax">,
): Promise<SalesDocument> {
  const { lines, amount, amountIncludingTax, presentment } = documentMoney(input);
  return inTransaction(db, async (tx) => {
    const header = await lockHeader(tx, shopId, documentType, no);
    if (header.status === "posted" || header.status === "closed")
      throw new BackOfficeError(`sales ${documentType} ${no} is ${header.status} and cannot be changed`);
    const posted = await tx.boSalesLine.count({
      where: { headerId: header.id, OR: [{ quantityShipped: { gt: 0 } }, { quantityInvoiced: { gt: 0 } }] },
    });
    if (posted > 0)
      throw new BackOfficeError(
        `sales ${documentType} ${no} is partly shipped or invoiced; its lines can no longer be replaced`,
      );
    for (const line of lines) await validateLine(tx, shopId, line);
    if (header.documentType === "order" && header.shopifyOrderId === null)
      await ownOrderStockChanged(tx, shopId, [
        ...(await tx.boSalesLine.findMany({ where: { headerId: header.id } })),
        ...lines,
      ]);
    await tx.boSalesLine.deleteMany({ where: { headerId: header.id } });
    return tx.boSalesHeader.update({
      where: { id: header.id },
      data: {
        pricesIncludingTax: input.pricesIncludingTax === true,
        amount,
        amountIncludingTax,
        ...presentment,
        lines: { create: lines },
      },
      include: withLines,
    });
  });
}

async function setStatus(db: Db | Tx, shopId: string, no: string, status: "open" | "released") {
  return inTransaction(db, async (tx) => {
    const [header] = await tx.$queryRaw<{ id: string; status: string }[]>`
      select id, status from "BoSalesHeader"
       where "shopId" = ${shopId}::uuid and "documentType" = 'order' and no = ${no}
       for update`;
    if (!header) throw new BackOfficeError(`sales order ${no} does not exist`);
    if (header.status === "posted" || header.status === "closed")
      throw new BackOfficeError(
        `sales order ${no} is ${header.status === "posted" ? "fully posted" : "closed"} and cannot be ${status === "open" ? "reopened" : "released"}`,
      );
    return tx.boSalesHeader.update({ where: { id: header.id }, data: { status }, include: withLines });
  });
}

export type FoundDocument =
  | (SalesDocument & { kind: "sales_document" })
  | (PostedShipment & { kind: "posted_shipment" })
  | (PostedInvoice & { kind: "posted_invoice" });

/**
 * Everything made from one Shopify order, found by its name ("#1001", or "1001"): the sales
 * document, and the shipments and invoices posted from it. Each carries `kind`; only sales
 * documents have a documentType.
 */
export async function findDocumentsByShopifyOrderNo(
  db: Db | Tx,
  shopId: string,
  shopifyOrderNo: string,
): Promise<FoundDocument[]> {
  const name = shopifyOrderNo.trim();
  if (!name) return [];
  const names = name.startsWith("#") ? [name] : [name, `#${name}`];
  const headers = await db.boSalesHeader.findMany({
    where: { shopId, shopifyOrderNo: { in: names } },
    include: withLines,
    orderBy: [{ createdAt: "asc" }, { no: "asc" }],
  });
  const orderIds = headers.flatMap((h) => (h.shopifyOrderId === null ? [] : [h.shopifyOrderId]));
  const orderNos = headers.filter((h) => h.documentType === "order").map((h) => h.no);
  const shipments = await db.boPostedShipment.findMany({
    where: {
      shopId,
      OR: [{ shopifyOrderId: { in: orderIds } }, { shopifyOrderId: null, orderNo: { in: orderNos } }],
    },
    include: withLines,
    orderBy: [{ postedAt: "asc" }, { no: "asc" }],
  });
  const invoices = await db.boPostedInvoice.findMany({
    where: { shopId, OR: [{ shopifyOrderNo: { in: names } }, { shopifyOrderId: { in: orderIds } }] },
    include: withLines,
    orderBy: [{ postedAt: "asc" }, { no: "asc" }],
  });
  return [
    ...headers.map((doc) => ({ ...doc, kind: "sales_document" as const })),
    ...shipments.map((doc) => ({ ...doc, kind: "posted_shipment" as const })),
    ...invoices.map((doc) => ({ ...doc, kind: "posted_invoice" as const })),
  ];
}
