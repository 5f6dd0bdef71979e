import { randomUUID } from "node:crypto";
import prisma from "../../app/db.server";
import { recordInstall } from "../../app/shops/shops.server";

let counter = 0;

/** A shop that has installed the app, with an offline session, as after OAuth. */
export async function installedShop(name = `shop-${++counter}-${randomUUID().slice(0, 6)}`) {
  const domain = `${name}.myshopify.com`;
  const shop = await recordInstall(prisma, { domain, scopes: "read_orders,write_orders" });
  await prisma.session.create({
    data: { id: `offline_${domain}`, shop: domain, state: "", isOnline: false, accessToken: "shpat_test" },
  });
  return shop;
}

/**
 * Turns off the schedules a shop starts with (the order sync every 15 minutes), for tests that
 * run real workers and schedule ticks and must not see it fire at a quarter hour.
 */
export async function withoutDefaultSchedules(shopId: string): Promise<void> {
  await prisma.schedule.updateMany({ where: { shopId }, data: { enabled: false, nextRunAt: null } });
}
