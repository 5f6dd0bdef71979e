import prisma from "../db.server";
import type { Shop } from "../generated/prisma/client";
import { authenticate } from "../shopify.server";
import { shopOfSession } from "../shops/shops.server";

/**
 * What every admin route does first: authenticate the request (session token or session
 * cookie) and find the shop it is for. Every service call then takes this shop: nothing a
 * page reads or writes can belong to another shop.
 */
export async function adminShop(request: Request): Promise<Shop> {
  const { session } = await authenticate.admin(request);
  return shopOfSession(prisma, session);
}
