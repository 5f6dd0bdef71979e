import { randomUUID } from "node:crypto";
import prisma, { type Tx } from "../db.server";
import { log } from "../log.server";
import { authenticate } from "../shopify.server";

export interface WebhookDelivered<P> {
  tx: Tx;
  shop: string;
  topic: string;
  payload: P;
  webhookId: string;
}

/**
 * Every webhook route goes through here: verify the HMAC (401 and nothing changes when it is
 * wrong), record the delivery once, and run the topic's handler in the same transaction.
 * A repeat delivery (same webhook id, or the same event again for the topic) answers 200 and
 * changes nothing. Handlers only touch our database and queue jobs; never call Shopify.
 */
export async function receiveWebhook<P>(
  request: Request,
  handle: (delivery: WebhookDelivered<P>) => Promise<void>,
): Promise<Response> {
  const context = await authenticate.webhook(request);
  const topic = request.headers.get("x-shopify-topic") ?? String(context.topic);
  const eventId = request.headers.get("x-shopify-event-id");
  const triggeredAt = context.triggeredAt ? new Date(context.triggeredAt) : null;

  const fresh = await prisma.$transaction(async (tx) => {
    const shop = await tx.shop.findUnique({ where: { domain: context.shop }, select: { id: true } });
    const inserted = await tx.$queryRaw<{ id: string }[]>`
      insert into "WebhookDelivery" (id, "shopDomain", "shopId", topic, "webhookId", "eventId", "apiVersion", "triggeredAt")
      values (${randomUUID()}::uuid, ${context.shop}, ${shop?.id ?? null}::uuid, ${topic}, ${context.webhookId},
              ${eventId}, ${context.apiVersion}, ${triggeredAt && !Number.isNaN(triggeredAt.getTime()) ? triggeredAt : null})
      on conflict do nothing
      returning id`;
    if (inserted.length === 0) return false;
    await handle({
      tx,
      shop: context.shop,
      topic,
      payload: context.payload as P,
      webhookId: context.webhookId,
    });
    return true;
  });
  log.info(
    { shop: context.shop, topic, webhookId: context.webhookId, duplicate: !fresh },
    "webhook received",
  );
  return new Response(null, { status: 200 });
}
