import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { recordScopesUpdate } from "../shops/shops.server";
import { receiveWebhook } from "../webhooks/receive.server";

const payload = z.object({ current: z.array(z.string()) });

export const action = async ({ request }: ActionFunctionArgs) =>
  receiveWebhook(request, ({ tx, shop, payload: body }) =>
    recordScopesUpdate(tx, shop, payload.parse(body).current),
  );
