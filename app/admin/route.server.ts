import { data } from "@remix-run/node";
import prisma from "../db.server";
import type { Shop } from "../generated/prisma/client";
import { authenticate } from "../shopify.server";
import { shopOfSession } from "../shops/shops.server";
import { AdminInputError } from "./tasks.server";

/**
 * What every admin route does first: authenticate the request (session token or session
 * cookie) and find the shop it is for. Every service call then takes this shop: nothing a
 * page reads or writes can belong to another shop.
 */
export async function adminShop(request: Request): Promise<Shop> {
  const { session } = await authenticate.admin(request);
  return shopOfSession(prisma, session);
}

export interface ActionFailure {
  ok: false;
  error: string;
  fields: Record<string, string>;
}

/** A refused input as the page shows it: the message, per-field messages, and its status. */
export function refused(error: unknown) {
  if (!(error instanceof AdminInputError)) throw error;
  const body: ActionFailure = { ok: false, error: error.message, fields: error.fields };
  return data(body, { status: error.status });
}
