import type { Db, Tx } from "../../db.server";
import {
  createSalesDocument,
  DuplicateDocumentError,
  releaseSalesOrder,
  type NewSalesDocument,
} from "../../backoffice/backoffice.server";
import type { Shop, ShopSettings, ShopifyOrder } from "../../generated/prisma/client";
import { Prisma } from "../../generated/prisma/client";
import { forEachRecord, type RecordSummary } from "../kit/records.server";
import type { RunScope } from "../kit/scope.server";
import { documentAmounts, totalMismatch } from "./amounts.server";
import { mapCompany, type CompanyRun } from "./b2b.server";
import { orderIdsOf, type ProcessFilters } from "./filters.server";
import { mapCustomer } from "../customers/mapping.server";
import { MappingError } from "../kit/mapping.server";
import { mapLines } from "../products/mapping.server";
import { NO_CONFIRMATION, snapshotOf } from "./stage.server";

/**
 * Turns staged orders into sales documents: a sales order, or a sales invoice when Shopify
 * shows the order fully fulfilled (if the shop wants that). Exactly one document per Shopify
 * order whatever happens: the staging row is locked while its document is made, the document
 * and the staging row's new state commit together, and the back office refuses a second
 * document for the same Shopify order (a repeat finds the first and records it).
 *
 * The document is the order as Shopify states it when it is processed (amounts.server.ts);
 * when what it comes to is not Shopify's current total to the cent, no document is made and
 * the order is held with the difference in words.
 */

/** An order whose document would not equal Shopify's figures: held, with the reason. */
export class AmountMismatchError extends Error {}

/** Whether a staged order passes the task's filters (checked again here, on what was staged). */
export function matchesFilters(order: ShopifyOrder, filters: ProcessFilters): boolean {
  const ids = orderIdsOf(filters);
  if (ids.length > 0 && !ids.includes(order.shopifyId)) return false;
  if (
    filters.financialStatus &&
    filters.financialStatus !== "any" &&
    order.financialStatus.toLowerCase() !== filters.financialStatus
  )
    return false;
  if (filters.fulfillmentStatus && filters.fulfillmentStatus !== "any") {
    const status = order.fulfillmentStatus.toUpperCase();
    const wanted = filters.fulfillmentStatus;
    const fulfilled = status === "FULFILLED";
    const partial = status === "PARTIALLY_FULFILLED";
    if (wanted === "fulfilled" || wanted === "shipped") {
      if (!fulfilled) return false;
    } else if (wanted === "partial") {
      if (!partial) return false;
    } else if (fulfilled || partial) return false;
  }
  if (filters.channel && order.sourceName !== filters.channel) return false;
  if (filters.tag && !order.tags.some((tag) => tag.toLowerCase() === filters.tag!.toLowerCase()))
    return false;
  if (filters.createdFrom && order.shopifyCreatedAt < new Date(filters.createdFrom)) return false;
  if (filters.createdTo && order.shopifyCreatedAt > new Date(filters.createdTo)) return false;
  return true;
}

/**
 * Processes the shop's unprocessed (and failed) orders that pass the scope's filters (those of
 * the order ids it names, when it names any), each on
 * its own (the sync kit's record loop): counted as processed, or failed with the reason on the
 * order where the orders list shows it. Orders the filters leave out are counted as skipped.
 */
export async function processOrders(scope: RunScope<ProcessFilters>): Promise<RecordSummary> {
  const { db, shop } = scope;
  const settings = await db.shopSettings.findUniqueOrThrow({ where: { shopId: shop.id } });
  const ids = orderIdsOf(scope.filters);
  const candidates = await db.shopifyOrder.findMany({
    where: {
      shopId: shop.id,
      state: { in: ["unprocessed", "error"] },
      cancelledAt: null,
      ...(ids.length > 0 ? { shopifyId: { in: ids } } : {}),
    },
    orderBy: { shopifyCreatedAt: "asc" },
  });
  const selected = candidates.filter((order) => matchesFilters(order, scope.filters));
  if (candidates.length > selected.length) scope.count("skipped", candidates.length - selected.length);
  const run: CompanyRun = { companiesQueued: false };
  return forEachRecord(scope, selected, {
    label: (order) => order.name,
    total: selected.length,
    handle: async (order) => {
      await processOne(db, settings, shop, order, run);
      return { outcome: "sent", count: "processed" };
    },
    onFailure: async (order, message) => {
      await db.shopifyOrder.updateMany({
        where: { id: order.id, state: { not: "processed" } },
        data: { state: "error", error: message },
      });
    },
  });
}

/** The staged order's lines and shipping lines, in Shopify's order. */
export async function stagedParts(db: Db | Tx, orderId: string) {
  const [lines, shippingLines] = await Promise.all([
    db.shopifyOrderLine.findMany({ where: { orderId }, orderBy: { shopifyId: "asc" } }),
    db.shopifyShippingLine.findMany({ where: { orderId }, orderBy: { shopifyId: "asc" } }),
  ]);
  return { lines, shippingLines };
}

/**
 * The back-office location for the sales lines fulfilled from each of the staged lines' Shopify
 * locations, as the Locations page sets it (ShopifyLocation.salesLocationCode); a location
 * without one is absent, and its lines get none (posting ships them from the shop's first).
 */
async function salesLocations(
  db: Db | Tx,
  shopId: string,
  lines: { locationShopifyId: bigint | null }[],
): Promise<Map<bigint, string>> {
  const ids = [
    ...new Set(lines.flatMap((line) => (line.locationShopifyId === null ? [] : [line.locationShopifyId]))),
  ];
  if (ids.length === 0) return new Map();
  const rows = await db.shopifyLocation.findMany({
    where: { shopId, shopifyId: { in: ids }, salesLocationCode: { not: null } },
    select: { shopifyId: true, salesLocationCode: true },
  });
  return new Map(rows.map((row) => [row.shopifyId, row.salesLocationCode!]));
}

/**
 * A staged order's document lines and money, its lines mapped to back-office items: checked
 * against Shopify's current total first (AmountMismatchError), then mapped (MappingError). An
 * item line fulfilled from a Shopify location with a sales location gets that location.
 */
export async function documentLines(
  db: Db | Tx,
  settings: ShopSettings,
  order: ShopifyOrder,
  parts: Awaited<ReturnType<typeof stagedParts>>,
): Promise<Pick<NewSalesDocument, "lines" | "pricesIncludingTax" | "presentment">> {
  const { lines, shippingLines } = parts;
  const amounts = documentAmounts(order, lines, shippingLines);
  const mismatch = totalMismatch(order, amounts);
  if (mismatch) throw new AmountMismatchError(mismatch);
  // The tip is a line Shopify's agreement names; a tip it does not name would be booked as a product.
  const tips = amounts.lines
    .filter((line) => line.kind === "tip")
    .reduce((total, line) => total.plus(line.unitPrice.times(line.quantity)), new Prisma.Decimal(0));
  if (!tips.equals(order.totalTip))
    throw new AmountMismatchError(
      `Shopify states a tip of ${order.totalTip.toFixed(2)} ${order.currencyCode}, but its order agreement names tip lines of ${tips.toFixed(2)}; nothing was booked`,
    );
  const open = amounts.lines
    .filter((line) => line.kind === "product")
    .map((amount) => lines.find((candidate) => candidate.shopifyId === amount.shopifyLineId)!);
  const mapped = await mapLines(db, settings, order, open);
  const itemOf = new Map<bigint, { itemNo: string; variantCode: string | null }>(
    mapped.map((entry) => [entry.line.shopifyId, entry]),
  );
  // Gift cards sold and tips go to the shop's non-stock items, never through product mapping.
  for (const line of amounts.lines) {
    if (line.kind !== "gift_card" && line.kind !== "tip") continue;
    const itemNo = line.kind === "tip" ? settings.tipItemNo : settings.giftCardItemNo;
    if (!itemNo)
      throw new MappingError(
        "setting",
        `the order ${line.kind === "tip" ? "has a tip" : `sells a gift card (${line.description})`}: name the back-office item ${line.kind === "tip" ? "tips" : "gift cards"} are booked to on the settings page`,
      );
    itemOf.set(line.shopifyLineId!, { itemNo, variantCode: null });
  }
  const locationOf = await salesLocations(db, order.shopId, lines);
  const stagedLocation = new Map(lines.map((line) => [line.shopifyId, line.locationShopifyId]));
  return {
    pricesIncludingTax: amounts.pricesIncludingTax,
    presentment: presentmentOf(order, amounts),
    lines: amounts.lines.map((line) => {
      const money = {
        description: line.description,
        quantity: line.quantity,
        unitPrice: line.unitPrice,
        discountAmount: line.discountAmount,
        taxAmount: line.taxAmount,
        amount: line.amount,
        shopifyLineId: line.shopifyLineId ?? undefined,
      };
      if (line.kind === "shipping") return { type: "shipping" as const, ...money };
      const item = itemOf.get(line.shopifyLineId!)!;
      const shopifyLocation = stagedLocation.get(line.shopifyLineId!) ?? null;
      const locationCode = shopifyLocation === null ? undefined : locationOf.get(shopifyLocation);
      return {
        type: "item" as const,
        itemNo: item.itemNo,
        variantCode: item.variantCode ?? undefined,
        ...(locationCode ? { locationCode } : {}),
        ...money,
      };
    }),
  };
}

async function processOne(
  db: Db,
  settings: ShopSettings,
  shop: Shop,
  order: ShopifyOrder,
  run: CompanyRun,
): Promise<void> {
  const parts = await stagedParts(db, order.id);
  const { lines, shippingLines } = parts;
  // Mapping first, outside the document's transaction: what it learns (unmapped variants,
  // customers created from orders) stays even when the order cannot be processed yet. The
  // money is checked before anything is learnt.
  const documentMoney = documentAmounts(order, lines, shippingLines);
  const mismatch = totalMismatch(order, documentMoney);
  if (mismatch) throw new AmountMismatchError(mismatch);
  // A B2B order goes to its company location's business customer; any other order (null) is
  // mapped by its customer.
  const company = await mapCompany(db, settings, shop, order, run);
  const customer = company ?? (await mapCustomer(db, settings, order));
  const content = await documentLines(db, settings, order, parts);
  const documentType =
    settings.createInvoicesForFulfilled && order.fulfillmentStatus === "FULFILLED" ? "invoice" : "order";
  const shipTo = (order.shippingAddress ?? order.billingAddress) as Record<string, string | null> | null;
  const shipping = order.shippingAddress as Record<string, string | null> | null;

  await db.$transaction(async (tx) => {
    const [locked] = await tx.$queryRaw<{ state: string }[]>`
      select state from "ShopifyOrder" where id = ${order.id}::uuid for update`;
    if (!locked || locked.state === "processed") return; // another worker made it meanwhile
    let document: { documentType: string; no: string };
    try {
      document = await createSalesDocument(tx, order.shopId, {
        documentType,
        no: settings.useShopifyOrderNo ? order.name.replace(/^#/, "") : undefined,
        customerNo: customer.customerNo,
        orderDate: order.shopifyCreatedAt,
        currencyCode: order.currencyCode,
        ...content,
        shopifyOrderId: order.shopifyId,
        shopifyOrderNo: order.name,
        externalDocumentNo: order.poNumber ?? undefined,
        dueDate: order.paymentDueAt ?? undefined,
        shipTo: company?.shipToCode
          ? b2bShipTo(company.shipToCode, shipping)
          : shipTo
            ? {
                name: shipTo.name ?? undefined,
                address1: shipTo.address1 ?? undefined,
                city: shipTo.city ?? undefined,
                zip: shipTo.zip ?? undefined,
                countryCode: shipTo.countryCodeV2 ?? undefined,
              }
            : undefined,
        release: false,
      });
    } catch (error) {
      if (!(error instanceof DuplicateDocumentError)) throw error;
      document = { documentType: error.documentType, no: error.documentNo };
    }
    await tx.shopifyOrder.update({
      where: { id: order.id },
      data: {
        state: "processed",
        error: null,
        documentType: document.documentType === "invoice" ? "sales_invoice" : "sales_order",
        documentNo: document.no,
        customerFoundBy: customer.how,
        processedAt: new Date(),
        processedSnapshot: snapshotOf({
          cancelledAt: order.cancelledAt,
          currentTotalPrice: order.currentTotalPrice,
          lines,
          shippingLines,
        }) as unknown as Prisma.InputJsonValue,
        changedAfterProcessing: false,
        changes: Prisma.DbNull,
        ...NO_CONFIRMATION,
      },
    });
    if (documentType === "order" && settings.autoReleaseOrders)
      await releaseSalesOrder(tx, order.shopId, document.no);
  });
}

/**
 * A B2B order's ship-to: the location's ship-to code, and where the goods go the order's own
 * shipping address when it has one (the buyer may have changed it at checkout), every field of
 * it, none filled in from the ship-to address (an empty field is given empty); the ship-to
 * address's fields only for an order without a shipping address.
 */
function b2bShipTo(code: string, shipping: Record<string, string | null> | null): NewSalesDocument["shipTo"] {
  if (!shipping) return { code };
  return {
    code,
    name: shipping.name ?? "",
    address1: shipping.address1 ?? "",
    city: shipping.city ?? "",
    zip: shipping.zip ?? "",
    countryCode: shipping.countryCodeV2 ?? "",
  };
}

/**
 * The document's totals in the currency the customer paid in, as Shopify states them: its
 * current total and tax in presentment money (the same as the shop's when the currencies agree).
 */
function presentmentOf(
  order: ShopifyOrder,
  amounts: ReturnType<typeof documentAmounts>,
): { currencyCode: string; amount: Prisma.Decimal; amountIncludingTax: Prisma.Decimal } {
  const currencyCode = order.presentmentCurrencyCode ?? order.currencyCode;
  if (currencyCode === order.currencyCode || order.presentmentTotalPrice === null)
    return { currencyCode, amount: amounts.amount, amountIncludingTax: amounts.amountIncludingTax };
  const total = order.presentmentTotalPrice;
  return { currencyCode, amount: total.minus(order.presentmentTotalTax ?? 0), amountIncludingTax: total };
}
