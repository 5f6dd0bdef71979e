import type { Db } from "../../db.server";
import type { FollowUp } from "../../admin/follow-up.server";
import { tileWhere } from "../../status/status.server";
import { processOrdersTask } from "./task.server";

/**
 * What the companies sync (or the Unmapped companies list) calls once it has linked companies
 * to business customers: the orders waiting for those companies are processed again, through
 * the same follow-up as mapping a customer on the unmapped customers list (one waiting
 * process_orders run per shop; run here and now when the shop allows no background syncs).
 */

export interface CompanyOrdersFollowUp {
  /** The orders that were waiting for these companies, oldest first. */
  orders: { id: string; name: string }[];
  /** The processing run started for them; null when no order was waiting. */
  followUp: FollowUp | null;
}

export async function processOrdersOfCompanies(
  db: Db,
  shopId: string,
  companyShopIds: bigint[],
): Promise<CompanyOrdersFollowUp> {
  if (companyShopIds.length === 0) return { orders: [], followUp: null };
  const orders = await db.shopifyOrder.findMany({
    where: { ...tileWhere.unprocessedOrders(shopId), companyShopifyId: { in: companyShopIds } },
    select: { id: true, name: true },
    orderBy: { shopifyCreatedAt: "asc" },
  });
  if (orders.length === 0) return { orders, followUp: null };
  const shop = await db.shop.findUniqueOrThrow({ where: { id: shopId } });
  // Imported when called: the admin's follow-up reads the task list, which imports the sync
  // areas, the companies area (this function's caller) among them.
  const { startFollowUp } = await import("../../admin/follow-up.server");
  return { orders, followUp: await startFollowUp(db, shop, processOrdersTask) };
}
