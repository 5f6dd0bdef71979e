import type { Db, Tx } from "../db.server";
import { BackOfficeError } from "./errors.server";

/**
 * The back office's change feed: what changed in the records another system follows, for the
 * syncs that send them (an external ERP would offer its own change log here). A change is
 * written in the transaction that makes it, so it exists exactly when the change does.
 *
 * A reader keeps its place as the database snapshot of its last read, not as a sequence
 * number: two postings can commit in the other order than they took their numbers, and a
 * reader that had passed the later number would never see the earlier one. A snapshot says
 * which transactions had committed; the next read takes every change whose transaction was
 * not visible in it and is visible now, so a change committed late is read late, never
 * skipped, and a change is read once per reader. (Transaction ids restart in a new cluster:
 * after a restore by pg_dump, delete the readers' cursors, "SyncFeedCursor", so they read
 * every change again; what they had sent is recognised as unchanged.)
 */

/**
 * The records the feed carries, each by its back-office key: a posted shipment by its number,
 * an item by its number (its card, its variants or its sales prices and line discounts changed),
 * and an item's stock by the item's number (a stock entry of any kind, or the back office's own
 * sales orders promising more or fewer of its units), a customer by its number (created, or
 * its card or a ship-to address changed), and an item's pictures by the item's number (one was
 * added, replaced, moved or removed).
 */
export const CHANGE_ENTITIES = ["posted_shipment", "item", "stock", "customer", "picture"] as const;
export type ChangeEntity = (typeof CHANGE_ENTITIES)[number];

export interface Change {
  key: string;
  /** When it last changed (the latest of its changes since the last read). */
  at: Date;
}

/** Records a change to one record, in the caller's transaction. */
export async function recordChange(tx: Tx, shopId: string, entity: ChangeEntity, key: string): Promise<void> {
  await tx.$executeRaw`insert into "BoChange" ("shopId", entity, key) values (${shopId}::uuid, ${entity}, ${key})`;
}

/** Records a change to each of these records at once (a discount on every item). */
export async function recordChanges(
  tx: Tx,
  shopId: string,
  entity: ChangeEntity,
  keys: string[],
): Promise<void> {
  if (keys.length === 0) return;
  await tx.$executeRaw`
    insert into "BoChange" ("shopId", entity, key)
    select ${shopId}::uuid, ${entity}, key from unnest(${keys}::text[]) as k(key)`;
}

/**
 * The records of `entity` that changed since the snapshot `after` (all of them when null),
 * each once, oldest change first, and the snapshot to read from next time. One statement,
 * so the changes and the snapshot agree.
 */
export async function changesSince(
  db: Db | Tx,
  shopId: string,
  entity: ChangeEntity,
  after: string | null,
): Promise<{ changes: Change[]; snapshot: string }> {
  if (!CHANGE_ENTITIES.includes(entity))
    throw new BackOfficeError(`the change feed has no ${String(entity)}`);
  const rows = await db.$queryRaw<
    { snapshot: string; own: string | null; changes: { key: string; at: string }[] }[]
  >`
    select pg_current_snapshot()::text as snapshot, pg_current_xact_id_if_assigned()::text as own,
           coalesce((select json_agg(json_build_object('key', c.key, 'at', c.at) order by c.at, c.key)
                       from (select key, max(at) as at
                               from "BoChange"
                              where "shopId" = ${shopId}::uuid and entity = ${entity}
                                and (${after}::pg_snapshot is null
                                     or (xid >= pg_snapshot_xmin(${after}::pg_snapshot)::text::bigint
                                         and not pg_visible_in_snapshot(xid::text::xid8, ${after}::pg_snapshot)))
                              group by key) c), '[]'::json) as changes`;
  const row = rows[0];
  if (!row) throw new Error("the change feed answered nothing");
  // A transaction that has written sees its own changes, but its snapshot does not count
  // them as read: the next read would take them again. A reader reads before it writes.
  if (row.own !== null)
    throw new Error("the change feed is read before the reading transaction writes anything");
  return { snapshot: row.snapshot, changes: row.changes.map((c) => ({ key: c.key, at: new Date(c.at) })) };
}

/**
 * When each of these shops last changed a record of these entities: the time of its newest
 * change, none when it has none. One statement, one index entry per shop and entity however
 * long the feed: "newest" is the change of the newest transaction (the highest xid), and a
 * change's time is its transaction's start, so a transaction that started earlier but took
 * its id later than another may hide that one's later time (a long transaction's changes look
 * old by their time anyway).
 */
export async function newestChanges(
  db: Db | Tx,
  asks: readonly { shopId: string; entity: ChangeEntity }[],
): Promise<{ shopId: string; entity: ChangeEntity; at: Date }[]> {
  if (asks.length === 0) return [];
  const rows = await db.$queryRaw<{ shopId: string; entity: ChangeEntity; at: Date }[]>`
    select a."shopId"::text as "shopId", a.entity, newest.at
      from unnest(${asks.map((ask) => ask.shopId)}::uuid[], ${asks.map((ask) => ask.entity)}::text[])
           as a("shopId", entity)
      join lateral (select c.at
                      from "BoChange" c
                     where c."shopId" = a."shopId" and c.entity = a.entity
                     order by c.xid desc
                     limit 1) newest on true`;
  return rows.map((row) => ({ ...row, at: new Date(row.at) }));
}
