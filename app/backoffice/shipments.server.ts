import type { Db, Tx } from "../db.server";
import type { PostedShipment } from "./documents.server";

/**
 * Posted shipments: what left the warehouse, with carrier and tracking. Back-office facts only;
 * whether and how a shipment reached Shopify is the shipment sync's (its sync records, on the
 * app's side). Each posting of a shipment is in the change feed (changes.server.ts).
 */

const withLines = { lines: { orderBy: { lineNo: "asc" } } } as const;
const oldestFirst = [{ postedAt: "asc" }, { no: "asc" }] as const;

/** Posted shipments, oldest first; `skip` and `take` page through them. */
export async function listShipments(
  db: Db | Tx,
  shopId: string,
  page: { skip?: number; take?: number } = {},
): Promise<PostedShipment[]> {
  return db.boPostedShipment.findMany({
    where: { shopId },
    include: withLines,
    orderBy: [...oldestFirst],
    ...(page.skip !== undefined ? { skip: page.skip } : {}),
    ...(page.take !== undefined ? { take: page.take } : {}),
  });
}

/** How many posted shipments the shop has. */
export async function countShipments(db: Db | Tx, shopId: string): Promise<number> {
  return db.boPostedShipment.count({ where: { shopId } });
}

/** The shop's posted shipments of these numbers, with their lines, by number (unknown ones left out). */
export async function shipmentsByNo(
  db: Db | Tx,
  shopId: string,
  nos: string[],
): Promise<Map<string, PostedShipment>> {
  if (nos.length === 0) return new Map();
  const shipments = await db.boPostedShipment.findMany({
    where: { shopId, no: { in: nos } },
    include: withLines,
  });
  return new Map(shipments.map((shipment) => [shipment.no, shipment]));
}

/** One posted shipment of the shop by its id, with its lines; null when the shop has none such. */
export async function findShipment(db: Db | Tx, shopId: string, id: string): Promise<PostedShipment | null> {
  return db.boPostedShipment.findFirst({ where: { id, shopId }, include: withLines });
}
