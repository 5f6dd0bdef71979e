import { randomUUID } from "node:crypto";
import type { Db, Tx } from "../db.server";
import type { BoLocation, BoStockEntry } from "../generated/prisma/client";
import { BackOfficeError } from "./errors.server";
import { inTransaction, optionalText, requireQuantity, requiredText } from "./internal.server";

/**
 * Locations and stock. Stock is never edited: every movement is an entry (an opening balance
 * here, shipments when posting), and the stock of an item is the sum of its entries.
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
    return tx.boStockEntry.createManyAndReturn({ data: entries });
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
