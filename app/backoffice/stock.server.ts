import { randomUUID } from "node:crypto";
import type { Db, Tx } from "../db.server";
import type { BoLocation, BoStockEntry } from "../generated/prisma/client";
import { recordChanges } from "./changes.server";
import { BackOfficeError } from "./errors.server";
import { inTransaction, optionalText, requireQuantity, requiredText } from "./internal.server";
import { nextNo } from "./numbers.server";

/**
 * Locations and stock. Stock is never edited: every movement is an entry (an opening balance
 * or an adjustment here, shipments when posting), and the stock of an item is the sum of its
 * entries. Every entry records a "stock" change of its item in the change feed, in its
 * transaction, for the inventory sync.
 */

export async function ensureLocation(
  db: Db | Tx,
  shopId: string,
  input: { code: string; name: string; shopifyLocationId?: bigint | null },
): Promise<BoLocation> {
  const code = requiredText(input.code, "location code");
  const name = requiredText(input.name, "location name");
  return db.boLocation.upsert({
    where: { shopId_code: { shopId, code } },
    create: { shopId, code, name, shopifyLocationId: input.shopifyLocationId ?? null },
    // A link to a Shopify location is only replaced, never dropped, by a call that omits it.
    update: {
      name,
      ...(input.shopifyLocationId != null ? { shopifyLocationId: input.shopifyLocationId } : {}),
    },
  });
}

/** The shop's locations, by code. */
export async function listLocations(
  db: Db | Tx,
  shopId: string,
): Promise<Pick<BoLocation, "code" | "name">[]> {
  return db.boLocation.findMany({
    where: { shopId },
    orderBy: { code: "asc" },
    select: { code: true, name: true },
  });
}

export interface OpeningStockLine {
  itemNo: string;
  variantCode?: string | null;
  locationCode: string;
  quantity: number;
}

/** Records opening balances (entry type "opening") under one document number, all or nothing. */
export async function postOpeningStock(
  db: Db | Tx,
  shopId: string,
  lines: OpeningStockLine[],
  documentNo: string,
): Promise<BoStockEntry[]> {
  const document = requiredText(documentNo, "document no.");
  if (lines.length === 0) throw new BackOfficeError("opening stock needs at least one line");
  return inTransaction(db, async (tx) => {
    const entries = [];
    for (const [index, line] of lines.entries()) {
      const at = `opening stock line ${index + 1}`;
      const itemNo = requiredText(line.itemNo, `${at}: item no.`);
      const variantCode = optionalText(line.variantCode) ?? "";
      const locationCode = requiredText(line.locationCode, `${at}: location code`);
      const quantity = requireQuantity(line.quantity, `${at}: quantity`, { positive: true });
      const item = await tx.boItem.findUnique({ where: { shopId_no: { shopId, no: itemNo } } });
      if (!item) throw new BackOfficeError(`${at}: item ${itemNo} does not exist`);
      if (
        variantCode &&
        !(await tx.boItemVariant.findUnique({
          where: { shopId_itemNo_code: { shopId, itemNo, code: variantCode } },
        }))
      )
        throw new BackOfficeError(`${at}: item ${itemNo} has no variant ${variantCode}`);
      if (!(await tx.boLocation.findUnique({ where: { shopId_code: { shopId, code: locationCode } } })))
        throw new BackOfficeError(`${at}: location ${locationCode} does not exist`);
      entries.push({
        id: randomUUID(),
        shopId,
        itemNo,
        variantCode,
        locationCode,
        quantity,
        entryType: "opening",
        documentNo: document,
      });
    }
    await recordChanges(tx, shopId, "stock", [...new Set(entries.map((entry) => entry.itemNo))]);
    return tx.boStockEntry.createManyAndReturn({ data: entries });
  });
}

export interface StockAdjustment {
  itemNo: string;
  variantCode?: string | null;
  locationCode: string;
  /** Units added; negative to remove them. Never zero. */
  quantity: number;
  /** The adjustment's document number (taken from the ADJ number series when absent). */
  documentNo?: string;
}

/**
 * Adjusts an item's stock at a location by a quantity (an entry of type "adjustment"): a count
 * found more or fewer, breakage, a delivery booked outside purchasing. Refused whole when the
 * item, its variant or the location does not exist, or when it would leave less than nothing.
 */
export async function adjustStock(
  db: Db | Tx,
  shopId: string,
  input: StockAdjustment,
): Promise<BoStockEntry> {
  const itemNo = requiredText(input.itemNo, "item no.");
  const variantCode = optionalText(input.variantCode) ?? "";
  const locationCode = requiredText(input.locationCode, "location code");
  if (!Number.isInteger(input.quantity) || input.quantity === 0 || Math.abs(input.quantity) > 1_000_000_000)
    throw new BackOfficeError("quantity: a whole number of units to add (or, negative, to remove), not 0");
  return inTransaction(db, async (tx) => {
    const item = await tx.boItem.findUnique({ where: { shopId_no: { shopId, no: itemNo } } });
    if (!item) throw new BackOfficeError(`item ${itemNo} does not exist`);
    if (item.type === "non_stock")
      throw new BackOfficeError(`item ${itemNo} is a non-stock item: it has no stock`);
    if (
      variantCode &&
      !(await tx.boItemVariant.findUnique({
        where: { shopId_itemNo_code: { shopId, itemNo, code: variantCode } },
      }))
    )
      throw new BackOfficeError(`item ${itemNo} has no variant ${variantCode}`);
    const variants = await tx.boItemVariant.count({ where: { shopId, itemNo } });
    if (!variantCode && variants > 0)
      throw new BackOfficeError(`item ${itemNo} has variants: say which one (--variant)`);
    if (!(await tx.boLocation.findUnique({ where: { shopId_code: { shopId, code: locationCode } } })))
      throw new BackOfficeError(`location ${locationCode} does not exist`);
    // One adjustment of an item at a time, so two removals cannot both see the same stock.
    await tx.$executeRaw`select pg_advisory_xact_lock(hashtextextended(${`bo-stock:${shopId}:${itemNo}`}, 0))`;
    const now = await stockAt(tx, shopId, { itemNo, variantCode, locationCode });
    if (now + input.quantity < 0)
      throw new BackOfficeError(
        `${itemNo}${variantCode ? ` ${variantCode}` : ""} at ${locationCode}: ${now} on hand, ${-input.quantity} cannot be removed`,
      );
    const documentNo = optionalText(input.documentNo) ?? (await nextNo(tx, shopId, "ADJ"));
    await recordChanges(tx, shopId, "stock", [itemNo]);
    return tx.boStockEntry.create({
      data: {
        id: randomUUID(),
        shopId,
        itemNo,
        variantCode,
        locationCode,
        quantity: input.quantity,
        entryType: "adjustment",
        documentNo,
      },
    });
  });
}

/**
 * Stock of an item: at one location or all, of one variant or all. A variantCode of "" or
 * null means the item without a variant; leaving it out counts every variant.
 */
export async function stockAt(
  db: Db | Tx,
  shopId: string,
  query: { itemNo: string; variantCode?: string | null; locationCode?: string },
): Promise<number> {
  const result = await db.boStockEntry.aggregate({
    where: {
      shopId,
      itemNo: query.itemNo,
      ...(query.variantCode !== undefined ? { variantCode: query.variantCode ?? "" } : {}),
      ...(query.locationCode !== undefined ? { locationCode: query.locationCode } : {}),
    },
    _sum: { quantity: true },
  });
  return result._sum.quantity ?? 0;
}

/** An item variant's stock at a location, as the inventory sync needs it. */
export interface StockPosition {
  itemNo: string;
  /** "" for the item without a variant. */
  variantCode: string;
  locationCode: string;
  /** The sum of its stock entries. */
  onHand: number;
  /**
   * Units that open sales orders the back office took itself (no Shopify order) have promised
   * and not shipped yet. A line without a location counts at the shop's first location, where
   * posting ships it from.
   */
  reservedByOwnOrders: number;
}

/**
 * The stock positions of these items (every item when null) at every location, in one
 * statement: only positions with stock or reservations are returned.
 */
export async function stockPositions(
  db: Db | Tx,
  shopId: string,
  itemNos: string[] | null,
): Promise<StockPosition[]> {
  const rows = await db.$queryRaw<
    { item_no: string; variant_code: string; location_code: string; on_hand: bigint; reserved: bigint }[]
  >`
    with first_location as (
      select code from "BoLocation" where "shopId" = ${shopId}::uuid order by code limit 1
    ), stock as (
      select "itemNo" as item_no, "variantCode" as variant_code, "locationCode" as location_code,
             sum(quantity) as on_hand, 0::bigint as reserved
        from "BoStockEntry"
       where "shopId" = ${shopId}::uuid and (${itemNos}::text[] is null or "itemNo" = any(${itemNos}::text[]))
       group by 1, 2, 3
    ), reserved as (
      select l."itemNo" as item_no, coalesce(l."variantCode", '') as variant_code,
             coalesce(l."locationCode", (select code from first_location)) as location_code,
             0::bigint as on_hand, sum(greatest(l.quantity - l."quantityShipped", 0)) as reserved
        from "BoSalesLine" l
        join "BoSalesHeader" h on h.id = l."headerId"
       where h."shopId" = ${shopId}::uuid and h."documentType" = 'order' and h.status in ('open', 'released')
         and h."shopifyOrderId" is null and l.type = 'item' and l."itemNo" is not null
         and (${itemNos}::text[] is null or l."itemNo" = any(${itemNos}::text[]))
       group by 1, 2, 3
    )
    select item_no, variant_code, location_code, sum(on_hand)::bigint as on_hand, sum(reserved)::bigint as reserved
      from (select * from stock union all select * from reserved) p
     where location_code is not null
     group by 1, 2, 3
    having sum(on_hand) <> 0 or sum(reserved) <> 0
     order by 1, 2, 3`;
  return rows.map((row) => ({
    itemNo: row.item_no,
    variantCode: row.variant_code,
    locationCode: row.location_code,
    onHand: Number(row.on_hand),
    reservedByOwnOrders: Number(row.reserved),
  }));
}

/** The item lines of these posted shipments (by number), with the location each shipped from. */
export async function shipmentStockLines(
  db: Db | Tx,
  shopId: string,
  shipmentNos: string[],
): Promise<
  { shipmentNo: string; itemNo: string; variantCode: string; locationCode: string; quantity: number }[]
> {
  if (shipmentNos.length === 0) return [];
  const shipments = await db.boPostedShipment.findMany({
    where: { shopId, no: { in: shipmentNos } },
    select: {
      no: true,
      lines: { select: { itemNo: true, variantCode: true, locationCode: true, quantity: true } },
    },
  });
  return shipments.flatMap((shipment) =>
    shipment.lines.map((line) => ({ shipmentNo: shipment.no, ...line })),
  );
}
