import type { ActionFunctionArgs } from "@remix-run/node";
import { redactCustomer } from "../shops/shops.server";
import { customerRedactPayload } from "../webhooks/compliance.server";
import { receiveWebhook } from "../webhooks/receive.server";

export const action = async ({ request }: ActionFunctionArgs) =>
  receiveWebhook(request, async ({ tx, shop, payload }) => {
    const body = customerRedactPayload.parse(payload);
    await redactCustomer(tx, shop, { customerId: body.customer.id, orderIds: body.orders_to_redact });
  });
