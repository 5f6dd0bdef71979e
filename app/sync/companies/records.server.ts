import { randomUUID } from "node:crypto";
import { findCustomer, listShipToAddresses } from "../../backoffice/backoffice.server";
import type { Db, Tx } from "../../db.server";
import type { SyncRecord } from "../../generated/prisma/client";
import { gid } from "../../shopify/ids.server";
import { collectChanges, recordsByKey, type OutboundFeed } from "../kit/outbound.server";
import { companyDraftOf, draftHash } from "./draft.server";

/**
 * The export's state: one sync record per business customer (task sync_companies, key the
 * customer number) with its Shopify company's gid, the hash of the draft last sent (or read:
 * see rememberLinked) and its state and message. A customer is exported once a person added it
 * (`addCompaniesToShopify`) or it is linked to a Shopify company (made by the export, or linked
 * by the import); the other customers' changes are collected as skipped with NOT_ADDED, so no
 * list shows them as waiting.
 */

export const COMPANY_TASK = "sync_companies";
export const NOT_ADDED = "not added to Shopify as a company";

/** Customers of these numbers the export follows: linked to a company, or added by a person. */
async function followed(db: Db | Tx, shopId: string, keys: string[]): Promise<Set<string>> {
  const [linked, records] = await Promise.all([
    db.shopifyCompany.findMany({
      where: { shopId, customerNo: { in: keys }, deletedAt: null },
      select: { customerNo: true },
    }),
    db.syncRecord.findMany({
      where: { shopId, task: COMPANY_TASK, recordKey: { in: keys } },
      select: { recordKey: true, state: true, message: true, shopifyId: true },
    }),
  ]);
  const keep = new Set(linked.map((row) => row.customerNo!));
  for (const record of records)
    if (record.shopifyId !== null || !(record.state === "skipped" && record.message === NOT_ADDED))
      keep.add(record.recordKey);
  return keep;
}

export const COMPANY_FEED = {
  task: COMPANY_TASK,
  entity: "customer",
  neverSent: async (tx, shopId, keys) => {
    const keep = await followed(tx, shopId, keys);
    return new Map(keys.filter((key) => !keep.has(key)).map((key) => [key, NOT_ADDED]));
  },
} as const satisfies OutboundFeed;

/**
 * A person's "Add to Shopify" for business customers: each becomes due for the export (created
 * pending, or set back to pending), whatever state it was in; the next run creates its company,
 * or, when it has one, updates it (if the shop card sends updates to Shopify). Returns how many
 * it added.
 */
export async function addCompaniesToShopify(
  db: Db | Tx,
  shopId: string,
  customerNos: string[],
): Promise<number> {
  const keys = [...new Set(customerNos.map((no) => no.trim()).filter(Boolean))];
  if (keys.length === 0) return 0;
  return db.$executeRaw`
    insert into "SyncRecord" (id, "shopId", task, "recordKey", state, "changedAt", "updatedAt")
    select gen_random_uuid(), ${shopId}::uuid, ${COMPANY_TASK}, key, 'pending', now(), now()
      from unnest(${keys}::text[]) as k(key)
    on conflict ("shopId", task, "recordKey")
    do update set state = 'pending', message = null, version = "SyncRecord".version + 1,
                  "changedAt" = now(), "updatedAt" = now()`;
}

/**
 * The import linked (or made) this customer for a Shopify company: the export's record says
 * the company is Shopify's and the customer as it stands is what Shopify has, so the import's
 * own writes to the customer are not sent back (no echo). In the caller's transaction.
 */
export async function rememberLinked(
  tx: Tx,
  shopId: string,
  customerNo: string,
  companyShopifyId: bigint,
): Promise<void> {
  const customer = await findCustomer(tx, shopId, customerNo);
  if (!customer) return;
  const sentHash = draftHash(companyDraftOf(customer, await listShipToAddresses(tx, shopId, customerNo)));
  const shopifyId = gid("Company", companyShopifyId);
  await tx.syncRecord.upsert({
    where: { shopId_task_recordKey: { shopId, task: COMPANY_TASK, recordKey: customerNo } },
    create: {
      id: randomUUID(),
      shopId,
      task: COMPANY_TASK,
      recordKey: customerNo,
      state: "synced",
      shopifyId,
      sentHash,
      changedAt: new Date(),
    },
    update: { state: "synced", shopifyId, sentHash, message: null, sendingKey: null },
  });
}

/** The export's record of each of these customers, by number, after reading the back office's changes. */
export async function companySyncRecords(
  db: Db,
  shopId: string,
  customerNos: string[],
): Promise<Map<string, SyncRecord>> {
  await collectChanges(db, shopId, COMPANY_FEED);
  return recordsByKey(db, shopId, COMPANY_TASK, customerNos);
}

/**
 * Which of these back-office customers are business customers: a Shopify company's or company
 * location's (ShopifyCompany.customerNo, ShopifyCompanyLocation.customerNo; deleted ones too, the
 * customer stays the business's). The customers sync asks it so as never to take a business
 * customer for a person, as the companies sync never takes a person's for a company.
 */
export async function businessCustomerNos(
  db: Db | Tx,
  shopId: string,
  customerNos: string[],
): Promise<Set<string>> {
  const nos = [...new Set(customerNos.filter(Boolean))];
  if (nos.length === 0) return new Set();
  const where = { shopId, customerNo: { in: nos } };
  const [companies, locations] = await Promise.all([
    db.shopifyCompany.findMany({ where, select: { customerNo: true }, distinct: ["customerNo"] }),
    db.shopifyCompanyLocation.findMany({ where, select: { customerNo: true }, distinct: ["customerNo"] }),
  ]);
  return new Set([...companies, ...locations].map((row) => row.customerNo!));
}
