import { createHash, randomUUID } from "node:crypto";
import { changesSince, type ChangeEntity } from "../../backoffice/backoffice.server";
import type { Db, Tx } from "../../db.server";
import type { SyncRecord } from "../../generated/prisma/client";

/**
 * Where an outbound sync (back office → Shopify) keeps its state, and how it knows what to send:
 *
 * - **One sync record per back-office record and task** (`SyncRecord`, the app's table): the
 *   record's key, what it became in Shopify (`shopifyId`), the hash of what was last sent, and
 *   its state with the message the merchant sees: `pending` (to send), `synced`, `error`
 *   (Shopify's message; the next run tries again, attempts counted) or `skipped` (why). Lists,
 *   tiles and retries read these rows, so nothing joins across the back office's boundary.
 * - **What is due comes from the back office's change feed** (`collectChanges`): the records
 *   changed since the sync's last read become `pending` (new ones are created; those the feed's
 *   `neverSent` rules out become `skipped` with the reason at once), in one
 *   transaction with the feed cursor (`SyncFeedCursor`), under a lock so two readers at once
 *   do not both take the same changes.
 * - **Change detection**: a due record whose content hashes (`contentHash`) to what was last
 *   sent is `unchanged` and sends nothing (`isUnchanged`).
 * - **A change during a send is not lost**: `markSent` and the others set the state only when
 *   the record has not changed again since the run read it (its `version`); otherwise it
 *   stays `pending` for the next run, which finds it sent or sends the newer content.
 */

export type SyncRecordState = "pending" | "synced" | "error" | "skipped";

export interface OutboundFeed {
  /** The task whose records these are (its manifest's name). */
  task: string;
  /** What it reads in the back office's change feed. */
  entity: ChangeEntity;
  /**
   * Records the sync will never send, known when they are collected (a shipment of an order
   * that is not Shopify's): each key's reason. They are collected `skipped` with it, so no
   * list or tile shows them as waiting for a run that has nothing to do.
   */
  neverSent?: (db: Tx, shopId: string, keys: string[]) => Promise<Map<string, string>>;
}

/** A stable hash of what a record sends: the same content, however its keys are ordered. */
export function contentHash(value: unknown): string {
  return createHash("sha256").update(canonicalJson(value)).digest("base64url").slice(0, 32);
}

function canonicalJson(value: unknown): string {
  if (value === undefined) return "null";
  if (typeof value === "bigint") return JSON.stringify(value.toString());
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** The record was sent before with this very content: nothing to send. */
export function isUnchanged(record: Pick<SyncRecord, "shopifyId" | "sentHash">, hash: string): boolean {
  return record.shopifyId !== null && record.sentHash === hash;
}

/**
 * Reads the back office's changes since this task's last read and makes each changed record
 * due: created `pending`, or set back to `pending` (attempts and Shopify's id kept). Returns
 * how many records it made due.
 */
export async function collectChanges(db: Db, shopId: string, feed: OutboundFeed): Promise<number> {
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`select pg_advisory_xact_lock(hashtext(${`feed:${shopId}:${feed.task}`}))`;
    const cursor = await tx.syncFeedCursor.findUnique({
      where: { shopId_task: { shopId, task: feed.task } },
    });
    const { changes, snapshot } = await changesSince(tx, shopId, feed.entity, cursor?.snapshot ?? null);
    if (changes.length > 0) {
      const keys = changes.map((c) => c.key);
      const skipped = (await feed.neverSent?.(tx, shopId, keys)) ?? new Map<string, string>();
      await tx.$executeRaw`
        insert into "SyncRecord" (id, "shopId", task, "recordKey", state, message, "changedAt", "updatedAt")
        select c.id, ${shopId}::uuid, ${feed.task}, c.key, case when c.reason is null then 'pending' else 'skipped' end,
               c.reason, c.at, now()
          from unnest(${changes.map(() => randomUUID())}::uuid[], ${keys}::text[],
                      ${changes.map((c) => c.at)}::timestamptz[],
                      ${keys.map((key) => skipped.get(key) ?? null)}::text[]) as c(id, key, at, reason)
        on conflict ("shopId", task, "recordKey")
        do update set state = excluded.state, message = coalesce(excluded.message, "SyncRecord".message),
                      version = "SyncRecord".version + 1, "updatedAt" = now(),
                      "changedAt" = greatest("SyncRecord"."changedAt", excluded."changedAt")`;
    }
    await tx.syncFeedCursor.upsert({
      where: { shopId_task: { shopId, task: feed.task } },
      create: { shopId, task: feed.task, snapshot },
      update: { snapshot },
    });
    return changes.length;
  });
}

/** Records to send: pending, and failed before (tried again by every run), oldest change first. */
export async function dueRecords(db: Db, shopId: string, task: string, limit: number): Promise<SyncRecord[]> {
  return db.syncRecord.findMany({
    where: { shopId, task, state: { in: ["pending", "error"] } },
    orderBy: [{ changedAt: "asc" }, { recordKey: "asc" }],
    take: Math.max(1, Math.min(limit, 1000)),
  });
}

type Read = Pick<SyncRecord, "id" | "version">;

/**
 * Sets the record's outcome, but its state only when it has not changed since `read` was
 * taken: a newer change keeps it pending (what was sent is recorded either way).
 */
async function settle(
  db: Db,
  read: Read,
  state: SyncRecordState,
  data: { shopifyId?: string; sentHash?: string; message: string | null; sentAt?: Date; failed?: boolean },
): Promise<void> {
  const sent = {
    // Shopify has it: no create is in flight any more (see SyncRecord.sendingKey).
    ...(data.shopifyId !== undefined ? { shopifyId: data.shopifyId, sendingKey: null } : {}),
    ...(data.sentHash !== undefined ? { sentHash: data.sentHash } : {}),
    ...(data.sentAt ? { sentAt: data.sentAt } : {}),
  };
  const { count } = await db.syncRecord.updateMany({
    where: { id: read.id, version: read.version },
    data: {
      ...sent,
      state,
      message: data.message,
      ...(data.failed ? { attempts: { increment: 1 } } : {}),
    },
  });
  if (count === 0 && Object.keys(sent).length > 0)
    await db.syncRecord.update({ where: { id: read.id }, data: sent });
}

/** Shopify has it now, as `shopifyId` (when it is a record of its own there), with the content whose hash is `sentHash`. */
export function markSent(db: Db, read: Read, sent: { shopifyId?: string; sentHash: string }): Promise<void> {
  return settle(db, read, "synced", { ...sent, message: null, sentAt: new Date() });
}

/** Nothing to send for it, and why (shown on the record). */
export function markSkipped(db: Db, read: Read, reason: string): Promise<void> {
  return settle(db, read, "skipped", { message: reason });
}

/** Shopify refused it, or it could not be sent: the message is shown, the next run tries again. */
export function markFailed(db: Db, read: Read, message: string): Promise<void> {
  return settle(db, read, "error", { message: message.trim() || "unknown error", failed: true });
}

/**
 * A failed record back to `pending` now (a person's retry); its message and attempts stay to
 * show what happened before. Returns false when it is not in error.
 */
export async function retryRecord(db: Db, shopId: string, task: string, recordKey: string): Promise<boolean> {
  const { count } = await db.syncRecord.updateMany({
    where: { shopId, task, recordKey, state: "error" },
    data: { state: "pending" },
  });
  return count === 1;
}

/** The task's records of these keys, by key. */
export async function recordsByKey(
  db: Db,
  shopId: string,
  task: string,
  keys: string[],
): Promise<Map<string, SyncRecord>> {
  if (keys.length === 0) return new Map();
  const records = await db.syncRecord.findMany({ where: { shopId, task, recordKey: { in: keys } } });
  return new Map(records.map((record) => [record.recordKey, record]));
}

/** The task's records in one state, oldest change first; `skip` and `take` page through them. */
export async function recordsInState(
  db: Db,
  shopId: string,
  task: string,
  state: SyncRecordState,
  page: { skip?: number; take?: number } = {},
): Promise<SyncRecord[]> {
  return db.syncRecord.findMany({
    where: { shopId, task, state },
    orderBy: [{ changedAt: "asc" }, { recordKey: "asc" }],
    ...(page.skip !== undefined ? { skip: page.skip } : {}),
    ...(page.take !== undefined ? { take: page.take } : {}),
  });
}

/** How many of the task's records are in the state. */
export function countInState(db: Db, shopId: string, task: string, state: SyncRecordState): Promise<number> {
  return db.syncRecord.count({ where: { shopId, task, state } });
}
