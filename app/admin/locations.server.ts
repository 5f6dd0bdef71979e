import { z } from "zod";
import { listLocations as backOfficeLocations } from "../backoffice/backoffice.server";
import type { Db } from "../db.server";
import type { Shop } from "../generated/prisma/client";
import { adminClientFor } from "../shopify/admin-client.server";
import { enqueueSync } from "../jobs/enqueue.server";
import { readLocations, refreshSyncInventory, type LocationsRead } from "../sync/inventory/locations.server";
import { syncInventoryTask } from "../sync/inventory/task.server";
import { STOCK_CALCULATIONS, type StockCalculation } from "./location-words";
import { Refusal } from "./refusal.server";

/**
 * The Locations page: each Shopify location as last read, and how the back office feeds it —
 * the back-office locations whose stock it gets (one or several), its stock calculation (off:
 * the inventory sync leaves it alone; back office: the README's quantity model), and the
 * back-office location order processing puts on sales lines fulfilled from it. A save is
 * refused whole, with a message per field; everything takes the shop from the session.
 */

export interface LocationRow {
  id: string;
  name: string;
  address: string;
  isActive: boolean;
  isPrimary: boolean;
  fulfillsOnlineOrders: boolean;
  deleted: boolean;
  stockCalculation: StockCalculation;
  sources: string[];
  salesLocationCode: string | null;
  readAt: string;
}

export interface LocationsPage {
  locations: LocationRow[];
  /** The back office's locations to choose from. */
  backOffice: { code: string; name: string }[];
}

export async function listLocations(db: Db, shop: Shop): Promise<LocationsPage> {
  const [rows, backOffice] = await Promise.all([
    db.shopifyLocation.findMany({
      where: { shopId: shop.id },
      include: { sources: { orderBy: { locationCode: "asc" } } },
      orderBy: [{ deletedAt: { sort: "desc", nulls: "first" } }, { isPrimary: "desc" }, { name: "asc" }],
    }),
    backOfficeLocations(db, shop.id),
  ]);
  return {
    locations: rows.map((row) => ({
      id: row.shopifyId.toString(),
      name: row.name,
      address: row.address,
      isActive: row.isActive,
      isPrimary: row.isPrimary,
      fulfillsOnlineOrders: row.fulfillsOnlineOrders,
      deleted: row.deletedAt !== null,
      stockCalculation: row.stockCalculation as StockCalculation,
      sources: row.sources.map((source) => source.locationCode),
      salesLocationCode: row.salesLocationCode,
      readAt: row.readAt.toISOString(),
    })),
    backOffice,
  };
}

const code = z.string().trim().min(1).max(20);

/** A location's form: `sources` is the back-office codes, comma-separated (the page's checkboxes join them). */
export const locationForm = z.object({
  intent: z.literal("save"),
  id: z.string().regex(/^\d{1,20}$/, "not a Shopify location id"),
  stockCalculation: z.enum(STOCK_CALCULATIONS, { message: "choose off or from the back office" }),
  sources: z
    .string()
    .max(2000)
    .default("")
    .transform((text) => [
      ...new Set(
        text
          .split(",")
          .map((part) => part.trim())
          .filter(Boolean),
      ),
    ])
    .pipe(z.array(code).max(50, "at most 50 back-office locations")),
  salesLocationCode: z
    .string()
    .trim()
    .max(20)
    .default("")
    .transform((text) => text || null),
});
export type LocationForm = z.output<typeof locationForm>;

export const locationAction = z.discriminatedUnion("intent", [
  locationForm,
  z.object({ intent: z.literal("refresh") }),
]);
export type LocationAction = z.output<typeof locationAction>;

/** Saves how the back office feeds one Shopify location of the shop. */
export async function saveLocation(db: Db, shop: Shop, input: LocationForm): Promise<string> {
  const shopifyId = BigInt(input.id);
  const location = await db.shopifyLocation.findUnique({
    where: { shopId_shopifyId: { shopId: shop.id, shopifyId } },
  });
  if (!location) throw new Refusal("This shop has no such Shopify location.", 404, { id: "not found" });
  const known = new Set((await backOfficeLocations(db, shop.id)).map((row) => row.code));
  const fields: Record<string, string> = {};
  const unknown = input.sources.filter((source) => !known.has(source));
  if (unknown.length > 0) fields.sources = `no back-office location ${unknown.join(", ")}`;
  else if (input.stockCalculation === "back_office" && input.sources.length === 0)
    fields.sources = "choose the back-office locations whose stock feeds it";
  if (input.stockCalculation === "back_office" && location.deletedAt)
    fields.stockCalculation = "the location was deleted in Shopify";
  if (input.salesLocationCode && !known.has(input.salesLocationCode))
    fields.salesLocationCode = `no back-office location ${input.salesLocationCode}`;
  if (Object.keys(fields).length > 0)
    throw new Refusal(`${location.name} was not saved: ${Object.values(fields).join("; ")}.`, 400, fields);
  const feeds = await db.$transaction(async (tx) => {
    await tx.shopifyLocation.update({
      where: { shopId_shopifyId: { shopId: shop.id, shopifyId } },
      data: { stockCalculation: input.stockCalculation, salesLocationCode: input.salesLocationCode },
    });
    await tx.shopifyLocationSource.deleteMany({ where: { shopId: shop.id, shopifyLocationId: shopifyId } });
    if (input.sources.length > 0)
      await tx.shopifyLocationSource.createMany({
        data: input.sources.map((locationCode) => ({
          shopId: shop.id,
          shopifyLocationId: shopifyId,
          locationCode,
        })),
      });
    // Every level there is worked out again: the sources or the calculation may have changed.
    await tx.inventoryLevel.updateMany({
      where: { shopId: shop.id, locationId: shopifyId },
      data: { state: "pending" },
    });
    const on = await refreshSyncInventory(tx, shop.id);
    if (on && input.stockCalculation === "back_office")
      await enqueueSync(tx, syncInventoryTask, {
        shop: shop.domain,
        trigger: "manual",
        // Its levels are pending or new: the next incremental run takes them.
        jobKey: true,
      });
    return on && input.stockCalculation === "back_office";
  });
  return feeds
    ? `${location.name} saved. Sync inventory sets its stock from the back office now.`
    : `${location.name} saved.`;
}

/** Reads the shop's locations from Shopify again, now. */
export async function refreshLocations(db: Db, shop: Shop): Promise<string> {
  const read: LocationsRead = await readLocations(db, await adminClientFor(shop.domain), shop.id);
  const parts = [
    read.added > 0 ? `${read.added} new` : null,
    read.updated > 0 ? `${read.updated} changed` : null,
    read.deleted > 0 ? `${read.deleted} deleted in Shopify` : null,
  ].filter(Boolean);
  return `Locations read from Shopify${parts.length > 0 ? `: ${parts.join(", ")}` : ": nothing changed"}.`;
}

export async function actOnLocations(db: Db, shop: Shop, input: LocationAction): Promise<string> {
  return input.intent === "refresh" ? refreshLocations(db, shop) : saveLocation(db, shop, input);
}
