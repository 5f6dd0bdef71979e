import type { ActionFunctionArgs } from "@remix-run/node";
import { redactShop } from "../shops/shops.server";
import { receiveWebhook } from "../webhooks/receive.server";

export const action = async ({ request }: ActionFunctionArgs) =>
  receiveWebhook(request, ({ tx, shop, webhookId }) => redactShop(tx, shop, webhookId));
