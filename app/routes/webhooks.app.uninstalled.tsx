import type { ActionFunctionArgs } from "@remix-run/node";
import { recordUninstall } from "../shops/shops.server";
import { receiveWebhook } from "../webhooks/receive.server";

export const action = async ({ request }: ActionFunctionArgs) =>
  receiveWebhook(request, ({ tx, shop }) => recordUninstall(tx, shop));
