import type { ActionFunctionArgs } from "@remix-run/node";
import prisma from "../db.server";
import { recordReportedDeletion } from "../sync/products/import-deletions.server";
import { syncProductsTask } from "../sync/products/task.server";
import { ringDoorbell } from "../webhooks/receive.server";
import { verifyWebhook } from "../webhooks/verify.server";

/**
 * products/delete: a doorbell for sync_products like products/create and products/update
 * (verified first: 401 and nothing changes when the HMAC is wrong), and, unlike them, its
 * payload's one field is read: the deleted product's numeric id is recorded for the run to
 * verify with Shopify before it marks the product deleted. A signed body without a numeric id
 * rings like any doorbell and records no deletion. The id is taken from the raw text, not a
 * parsed number, which could round it.
 */
export const action = async ({ request }: ActionFunctionArgs) => {
  const webhook = await verifyWebhook(request);
  const id = /^\s*\{[^]*"id"\s*:\s*"?(\d{1,19})"?[^]*\}\s*$/.exec(webhook.body)?.[1];
  if (id) await recordReportedDeletion(prisma, webhook.shop, BigInt(id));
  return ringDoorbell(webhook, syncProductsTask);
};
