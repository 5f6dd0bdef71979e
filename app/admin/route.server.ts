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

/**
 * The shop and the person acting, for what is recorded with who did it: the staff member's
 * e-mail when the session is an online one, else their Shopify user id from the session token.
 */
export async function adminActor(request: Request): Promise<{ shop: Shop; user: string }> {
  const context = await authenticate.admin(request);
  const shop = await shopOfSession(prisma, context.session);
  const staff = context.session.onlineAccessInfo?.associated_user;
  const sub = "sessionToken" in context ? context.sessionToken?.sub : undefined;
  const user = staff?.email ?? (sub ? `Shopify user ${sub}` : "Shopify admin");
  return { shop, user };
}
