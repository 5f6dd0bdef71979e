import type { ActionFunctionArgs } from "@remix-run/node";
import { recordDataRequest } from "../shops/shops.server";
import { customerDataRequestPayload } from "../webhooks/compliance.server";
import { receiveWebhook } from "../webhooks/receive.server";

export const action = async ({ request }: ActionFunctionArgs) =>
  receiveWebhook(request, async ({ tx, shop, payload }) => {
    const body = customerDataRequestPayload.parse(payload);
    await recordDataRequest(tx, shop, { requestId: body.data_request.id, customerId: body.customer.id });
  });
