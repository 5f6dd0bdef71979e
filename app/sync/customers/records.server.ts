import { randomUUID } from "node:crypto";
import type { Db, Tx } from "../../db.server";
import type { OutboundFeed } from "../kit/outbound.server";

/**
 * The customers export's state: one sync record per back-office customer (task sync_customers,
 * key the customer number) with its Shopify customer's gid, the hash of what was last sent, and
 * its state and message (on the Customers page). A customer is sent when a person added it
 * ("Add to Shopify") or, when the back office updates Shopify's customers, when it is linked to
 * one; the other customers' changes are collected as skipped with the reason.
 */

export const CUSTOMER_TASK = "sync_customers";
export const NOT_ADDED = "not added to Shopify: use Add to Shopify on the Customers page";
export const NOT_UPDATED =
  "linked to a Shopify customer, but the shop card does not let the back office update Shopify's customers";

async function followed(db: Db | Tx, shopId: string, keys: string[], updates: boolean): Promise<Set<string>> {
  const [linked, records] = await Promise.all([
    updates
      ? db.shopifyCustomer.findMany({
          where: { shopId, customerNo: { in: keys }, deletedAt: null },
          select: { customerNo: true },
          distinct: ["customerNo"],
        })
      : Promise.resolve([]),
    db.syncRecord.findMany({
      where: { shopId, task: CUSTOMER_TASK, recordKey: { in: keys } },
      select: { recordKey: true, state: true, message: true, shopifyId: true },
    }),
  ]);
  const keep = new Set(linked.map((row) => row.customerNo!));
  for (const record of records) {
    const neverAdded =
      record.state === "skipped" && (record.message === NOT_ADDED || record.message === NOT_UPDATED);
    // Sent before (it has a Shopify customer): its changes go only while updates do.
    if (record.shopifyId !== null ? updates : !neverAdded) keep.add(record.recordKey);
  }
  return keep;
}

/** The feed of back-office customer changes, for a shop whose settings say whether updates go. */
export function customerFeed(updatesShopify: boolean): OutboundFeed {
  return {
    task: CUSTOMER_TASK,
    entity: "customer",
    neverSent: async (tx, shopId, keys) => {
      const keep = await followed(tx, shopId, keys, updatesShopify);
      const linked = updatesShopify
        ? new Set<string>()
        : new Set(
            (
              await tx.shopifyCustomer.findMany({
                where: { shopId, customerNo: { in: keys } },
                select: { customerNo: true },
              })
            ).map((row) => row.customerNo!),
          );
      return new Map(
        keys.filter((key) => !keep.has(key)).map((key) => [key, linked.has(key) ? NOT_UPDATED : NOT_ADDED]),
      );
    },
  };
}

/**
 * A person's "Add to Shopify": the customers become due for the export (created pending, or set
 * back to pending), whatever state they were in. Returns how many.
 */
export async function addCustomersToShopify(
  db: Db | Tx,
  shopId: string,
  customerNos: string[],
): Promise<number> {
  const keys = [...new Set(customerNos)];
  if (keys.length === 0) return 0;
  return db.$executeRaw`
    insert into "SyncRecord" (id, "shopId", task, "recordKey", state, "changedAt", "updatedAt")
    select gen_random_uuid(), ${shopId}::uuid, ${CUSTOMER_TASK}, key, 'pending', now(), now()
      from unnest(${keys}::text[]) as k(key)
    on conflict ("shopId", task, "recordKey")
    do update set state = 'pending', message = null, version = "SyncRecord".version + 1,
                  "changedAt" = now(), "updatedAt" = now()`;
}

/**
 * The import wrote this back-office customer from its Shopify customer: Shopify has what the
 * export would send of it now (`sentHash`), so the export sends nothing until the back office
 * changes it again (no echo).
 */
export async function markImported(
  db: Db | Tx,
  shopId: string,
  customerNo: string,
  shopifyGid: string,
  sentHash: string | null,
): Promise<void> {
  // No hash: the export compares the customer with Shopify's and sends what differs.
  const state = sentHash === null ? "pending" : "synced";
  await db.syncRecord.upsert({
    where: { shopId_task_recordKey: { shopId, task: CUSTOMER_TASK, recordKey: customerNo } },
    create: {
      id: randomUUID(),
      shopId,
      task: CUSTOMER_TASK,
      recordKey: customerNo,
      state,
      shopifyId: shopifyGid,
      sentHash,
      changedAt: new Date(),
    },
    update: { shopifyId: shopifyGid, sentHash, state },
  });
}

/** As markImported, for a customer the export has no record of yet (an existing one is left). */
export async function markImportedIfNew(
  db: Db | Tx,
  shopId: string,
  customerNo: string,
  shopifyGid: string,
  sentHash: string,
): Promise<void> {
  await db.syncRecord.createMany({
    data: [
      {
        id: randomUUID(),
        shopId,
        task: CUSTOMER_TASK,
        recordKey: customerNo,
        state: "synced",
        shopifyId: shopifyGid,
        sentHash,
        changedAt: new Date(),
      },
    ],
    skipDuplicates: true,
  });
}
