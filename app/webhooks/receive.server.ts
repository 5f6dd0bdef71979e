import { randomUUID } from "node:crypto";
import { ZodError } from "zod";
import prisma, { pgPool, type Tx } from "../db.server";
import type { SyncTaskDefinition } from "../jobs/sync-task.server";
import { jobKey, queuePrefix } from "../jobs/queues.server";
import { log } from "../log.server";
import { verifyWebhook, type VerifiedWebhook } from "./verify.server";

export interface WebhookDelivered<P> {
  tx: Tx;
  shop: string;
  topic: string;
  payload: P;
  webhookId: string;
}

const badRequest = () => new Response(null, { status: 400, statusText: "Bad Request" });

function parsePayload(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    throw badRequest();
  }
}

/**
 * Every webhook route but the doorbells goes through here: verify the HMAC (401 and nothing
 * changes when it is wrong), record the delivery once, and run the topic's handler in the
 * same transaction. A body that is not JSON, or not of the topic's shape (the handler's zod
 * schema), is 400 and records nothing. A repeat delivery (same webhook id, or the same event
 * again for the topic) answers 200 and changes nothing. Handlers only touch our database and
 * queue jobs; never call Shopify.
 */
export async function receiveWebhook<P>(
  request: Request,
  handle: (delivery: WebhookDelivered<P>) => Promise<void>,
): Promise<Response> {
  const webhook = await verifyWebhook(request);
  const payload = parsePayload(webhook.body) as P;

  const fresh = await prisma
    .$transaction(async (tx) => {
      const shop = await tx.shop.findUnique({ where: { domain: webhook.shop }, select: { id: true } });
      const inserted = await tx.$queryRaw<{ id: string }[]>`
      insert into "WebhookDelivery" (id, "shopDomain", "shopId", topic, "webhookId", "eventId", "apiVersion", "triggeredAt")
      values (${randomUUID()}::uuid, ${webhook.shop}, ${shop?.id ?? null}::uuid, ${webhook.topic}, ${webhook.webhookId},
              ${webhook.eventId}, ${webhook.apiVersion}, ${webhook.triggeredAt})
      on conflict do nothing
      returning id`;
      if (inserted.length === 0) return false;
      await handle({ tx, shop: webhook.shop, topic: webhook.topic, payload, webhookId: webhook.webhookId });
      return true;
    })
    .catch((error: unknown) => {
      // The handler's schema refused the payload: the transaction is rolled back, nothing recorded.
      if (error instanceof ZodError) throw badRequest();
      throw error;
    });
  log.info(
    { shop: webhook.shop, topic: webhook.topic, webhookId: webhook.webhookId, duplicate: !fresh },
    "webhook received",
  );
  return new Response(null, { status: 200 });
}

interface DoorbellRow {
  fresh: boolean;
  shop_served: boolean;
  run_id: string | null;
  coalesced: boolean;
}

/**
 * A webhook that only rings a task's doorbell (the order and fulfillment topics): verified as
 * above, then the delivery record and the shop's run with the task's job key (one waiting run
 * at most, in the shop's category for the task) are written by one SQL statement,
 * bos_webhook_doorbell (prisma/migrations/20261130100000_enqueue_functions): one round trip,
 * one transaction. Unknown and uninstalled shops get the record and nothing queued. The body
 * is never parsed (the sync reads the orders from the Admin API; parsing would cost more CPU
 * than the HMAC), so a signed body that is not JSON rings like any other.
 */
export async function receiveDoorbell<F>(request: Request, task: SyncTaskDefinition<F>): Promise<Response> {
  return ringDoorbell(await verifyWebhook(request), task);
}

/** The doorbell of a webhook its route verified already (products/delete reads its payload first). */
export async function ringDoorbell<F>(
  webhook: VerifiedWebhook,
  task: SyncTaskDefinition<F>,
): Promise<Response> {
  const filters = JSON.stringify(task.filters.parse({}));
  const { rows } = await pgPool().query<DoorbellRow>({
    name: "bos_webhook_doorbell",
    text: `select fresh, shop_served, run_id, coalesced
             from bos_webhook_doorbell($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11, $12)`,
    values: [
      webhook.shop,
      queuePrefix(webhook.shop),
      webhook.topic,
      webhook.webhookId,
      webhook.eventId,
      webhook.apiVersion,
      webhook.triggeredAt,
      task.name,
      task.category,
      filters,
      jobKey(task.name, webhook.shop),
      task.maxAttempts,
    ],
  });
  const result = rows[0];
  if (!result) throw new Error("bos_webhook_doorbell returned nothing");
  log.info(
    {
      shop: webhook.shop,
      topic: webhook.topic,
      webhookId: webhook.webhookId,
      duplicate: !result.fresh,
      ...(result.fresh && !result.shop_served ? { notQueued: "unknown or uninstalled shop" } : {}),
      ...(result.run_id ? { task: task.name, runId: result.run_id, coalesced: result.coalesced } : {}),
    },
    "webhook received",
  );
  return new Response(null, { status: 200 });
}
