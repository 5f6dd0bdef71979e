import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { BULK_FINISH_CHANNEL } from "../shopify/bulk.server";
import { receiveWebhook } from "./receive.server";

/**
 * `bulk_operations/finish` is the bulk helper's doorbell: verified and recorded like every
 * webhook, then a NOTIFY on BULK_FINISH_CHANNEL (sent by Postgres when the delivery's
 * transaction commits) wakes the worker waiting for that operation, which reads the operation
 * itself (`bulkOperation(id:)`). Nothing is queued: the run that started the operation is
 * waiting for it; when no one is (the worker died), the run's retry starts again.
 */
const payload = z.object({
  admin_graphql_api_id: z.string().regex(/^gid:\/\/shopify\/BulkOperation\/\d+$/),
  status: z.string(),
  type: z.string(),
  error_code: z.string().nullable().optional(),
});

export const bulkOperationFinished = async ({ request }: ActionFunctionArgs) =>
  receiveWebhook<unknown>(request, async ({ tx, shop, payload: body }) => {
    const finished = payload.parse(body);
    const note = JSON.stringify({ shop, id: finished.admin_graphql_api_id, status: finished.status });
    await tx.$executeRaw`select pg_notify(${BULK_FINISH_CHANNEL}, ${note})`;
  });
