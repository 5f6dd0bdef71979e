import { changesSince } from "../../backoffice/backoffice.server";
import type { Db } from "../../db.server";
import type { AdminClient } from "../../shopify/admin-client.server";
import { bulkRecords, runBulkQuery } from "../../shopify/bulk.server";
import { gid, numericId } from "../../shopify/ids.server";
import {
  INVENTORY_LEVELS_BULK,
  INVENTORY_LEVELS_BY_ITEM,
  ITEMS_PER_READ,
  LEVELS_PER_ITEM,
  type LevelNode,
} from "./operations.server";
import type { LevelTarget } from "./targets.server";

/**
 * The inventory sync's own rows (InventoryLevel), one per inventory item and Shopify location it
 * looks after, and reading Shopify's levels into them. Written in batches of plain SQL: a full
 * push handles tens of thousands of levels.
 */

/** The task whose feed cursor reads the back office's stock changes. */
export const INVENTORY_TASK = "sync_inventory";

export const UNTRACKED =
  "Shopify does not track this item's quantity (Track quantity is off on the variant): nothing is set until it is turned on";
export const GONE = "Shopify no longer has this inventory item (its variant was deleted)";

/** A level as Shopify has it. */
export interface LevelRead {
  inventoryItemId: bigint;
  locationId: bigint;
  onHand: number;
  available: number;
  committed: number;
}

/** An inventory item as read: whether Shopify tracks it, and its levels (all of them when `complete`). */
export interface ItemRead {
  inventoryItemId: bigint;
  tracked: boolean;
  levels: LevelRead[];
  complete: boolean;
}

function quantity(node: Pick<LevelNode, "quantities">, name: string): number {
  return node.quantities.find((q) => q.name === name)?.quantity ?? 0;
}

function levelOf(inventoryItemId: bigint, node: LevelNode): LevelRead {
  return {
    inventoryItemId,
    locationId: numericId(node.location.id),
    onHand: quantity(node, "on_hand"),
    available: quantity(node, "available"),
    committed: quantity(node, "committed"),
  };
}

/** These inventory items as Shopify has them now (an id Shopify no longer has maps to null). */
export async function readItems(client: AdminClient, ids: bigint[]): Promise<Map<bigint, ItemRead | null>> {
  const read = new Map<bigint, ItemRead | null>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += ITEMS_PER_READ) {
    const page = unique.slice(i, i + ITEMS_PER_READ);
    const { nodes } = await client.request(INVENTORY_LEVELS_BY_ITEM, {
      ids: page.map((id) => gid("InventoryItem", id)),
      levels: LEVELS_PER_ITEM,
    });
    page.forEach((id, index) => {
      const node = nodes[index];
      read.set(
        id,
        node?.id
          ? {
              inventoryItemId: id,
              tracked: node.tracked,
              levels: node.inventoryLevels.nodes.map((level) => levelOf(id, level)),
              complete: !node.inventoryLevels.pageInfo.hasNextPage,
            }
          : null,
      );
    });
  }
  return read;
}

/** Every inventory item of the shop with all its levels, by one bulk query streamed. */
export async function* readAllItems(client: AdminClient, signal?: AbortSignal): AsyncGenerator<ItemRead> {
  const operation = await runBulkQuery(client, INVENTORY_LEVELS_BULK, { signal });
  for await (const record of bulkRecords(operation.url, { signal, pageSize: 500 })) {
    const id = numericId(String(record.node.id));
    yield {
      inventoryItemId: id,
      tracked: record.node.tracked === true,
      levels: (record.children.get("InventoryLevel") ?? []).map((line) =>
        levelOf(id, line as unknown as LevelNode),
      ),
      complete: true,
    };
  }
}

const CHUNK = 2000;
/** New level rows in one run beyond which the table's planner statistics are taken again. */
const ANALYZE_ABOVE = 5000;

function chunks<T>(rows: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += CHUNK) out.push(rows.slice(i, i + CHUNK));
  return out;
}

const ids = (values: bigint[]) => values.map(String);

/**
 * Reads the back office's stock changes since the last read (items whose stock entries or own
 * sales orders changed) and makes those items' levels due, with the feed's cursor, in one
 * transaction: a change is either still in the feed or a pending level, never neither.
 */
export async function collectStockChanges(db: Db, shopId: string): Promise<string[]> {
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`select pg_advisory_xact_lock(hashtext(${`feed:${shopId}:${INVENTORY_TASK}`}))`;
    const cursor = await tx.syncFeedCursor.findUnique({
      where: { shopId_task: { shopId, task: INVENTORY_TASK } },
    });
    const { changes, snapshot } = await changesSince(tx, shopId, "stock", cursor?.snapshot ?? null);
    const itemNos = changes.map((change) => change.key);
    if (itemNos.length > 0)
      await tx.$executeRaw`
        update "InventoryLevel" set state = 'pending', "updatedAt" = now()
         where "shopId" = ${shopId}::uuid and "itemNo" = any(${itemNos}::text[]) and state <> 'pending'`;
    await tx.syncFeedCursor.upsert({
      where: { shopId_task: { shopId, task: INVENTORY_TASK } },
      create: { shopId, task: INVENTORY_TASK, snapshot },
      update: { snapshot },
    });
    return itemNos;
  });
}

/**
 * The items an incremental push looks at: those with levels due (pending, or failed before) at
 * these locations, and linked variants with no level row there yet (a new link, a location just
 * fed).
 */
export async function dueItems(db: Db, shopId: string, locationIds: bigint[]): Promise<string[]> {
  const rows = await db.$queryRaw<{ item_no: string }[]>`
    select distinct "itemNo" as item_no from "InventoryLevel"
     where "shopId" = ${shopId}::uuid and state in ('pending', 'error')
       and "locationId" = any(${ids(locationIds)}::text[]::bigint[])
    union
    select distinct m."itemNo" from "ShopifyVariantMap" m
      cross join unnest(${ids(locationIds)}::text[]::bigint[]) as f(location_id)
     where m."shopId" = ${shopId}::uuid and m."itemNo" is not null
       and m."inventoryItemShopifyId" is not null and m."goneAt" is null
       and not exists (
         select 1 from "InventoryLevel" l
          where l."shopId" = m."shopId" and l."inventoryItemId" = m."inventoryItemShopifyId"
            and l."locationId" = f.location_id)
     order by 1`;
  return rows.map((row) => row.item_no);
}

/**
 * Whether a linked variant has no level row yet at a Shopify location the back office feeds: a
 * products sync that made or completed links asks this before ringing the inventory sync.
 */
export async function linksWithoutLevels(db: Db, shopId: string): Promise<boolean> {
  const [row] = await db.$queryRaw<{ waiting: boolean }[]>`
    select exists (
      select 1 from "ShopifyVariantMap" m
        join "ShopifyLocation" f on f."shopId" = m."shopId" and f."stockCalculation" = 'back_office'
                                and f."deletedAt" is null and f."isActive"
       where m."shopId" = ${shopId}::uuid and m."itemNo" is not null
         and m."inventoryItemShopifyId" is not null and m."goneAt" is null
         and not exists (
           select 1 from "InventoryLevel" l
            where l."shopId" = m."shopId" and l."inventoryItemId" = m."inventoryItemShopifyId"
              and l."locationId" = f."shopifyId")) as waiting`;
  return row?.waiting === true;
}

/**
 * Writes the targets worked out (creating the rows of new levels, pending) and removes the rows
 * of these items that no longer have a target (a link gone, a location no longer fed). With
 * `items` null the run covered every item: rows of any other item go as well.
 */
export async function storeTargets(
  db: Db,
  shopId: string,
  targets: LevelTarget[],
  covered: { items: string[] | null; locationIds: bigint[] },
): Promise<void> {
  let created = 0;
  for (const part of chunks(targets)) {
    const [row] = await db.$queryRaw<{ created: bigint }[]>`
      with stored as (
        insert into "InventoryLevel" ("shopId", "inventoryItemId", "locationId", "itemNo", "variantCode",
                                      target, "targetParts", state, "updatedAt")
        select ${shopId}::uuid, t.item::bigint, t.location::bigint, t.item_no, t.variant, t.target, t.parts::jsonb,
               'pending', now()
          from unnest(${part.map((t) => String(t.inventoryItemId))}::text[],
                      ${part.map((t) => String(t.locationId))}::text[],
                      ${part.map((t) => t.itemNo)}::text[], ${part.map((t) => t.variantCode)}::text[],
                      ${part.map((t) => t.onHand)}::int[], ${part.map((t) => JSON.stringify(t.parts))}::text[])
               as t(item, location, item_no, variant, target, parts)
        on conflict ("shopId", "inventoryItemId", "locationId") do update
           set "itemNo" = excluded."itemNo", "variantCode" = excluded."variantCode",
               target = excluded.target, "targetParts" = excluded."targetParts", "updatedAt" = now()
         -- A target that did not change writes nothing (a reconcile of an unchanged store).
         where ("InventoryLevel"."itemNo", "InventoryLevel"."variantCode", "InventoryLevel".target,
                "InventoryLevel"."targetParts")
               is distinct from (excluded."itemNo", excluded."variantCode", excluded.target, excluded."targetParts")
        returning (xmax = 0) as created
      )
      select count(*) filter (where created) as created from stored`;
    created += Number(row?.created ?? 0);
  }
  // Many new rows (a first push): the planner's statistics, taken before they existed, would
  // make each batched update of this run (storeSent's 250 levels) scan every level of the shop
  // by a hash join instead of the primary key: 45 ms instead of 5 a batch at 50,000 levels,
  // 9 of the 35 s of bench:inventory's first push. Statistics only: results are the same.
  if (created > ANALYZE_ABOVE) await db.$executeRaw`analyze "InventoryLevel"`;
  // What has a target now, so the rows that do not can go.
  await db.$transaction(async (tx) => {
    await tx.$executeRaw`create temporary table inventory_kept (item bigint, location bigint) on commit drop`;
    for (const part of chunks(targets))
      await tx.$executeRaw`
        insert into inventory_kept
        select * from unnest(${part.map((t) => String(t.inventoryItemId))}::text[]::bigint[],
                             ${part.map((t) => String(t.locationId))}::text[]::bigint[])`;
    await tx.$executeRaw`
      delete from "InventoryLevel" l
       where l."shopId" = ${shopId}::uuid
         and (${covered.items}::text[] is null or l."itemNo" = any(${covered.items}::text[]))
         and (l."locationId" = any(${ids(covered.locationIds)}::text[]::bigint[]))
         and not exists (select 1 from inventory_kept k where k.item = l."inventoryItemId" and k.location = l."locationId")`;
  });
}

/** Removes the rows at Shopify locations the back office no longer feeds. */
export async function dropUnfed(db: Db, shopId: string, fed: bigint[]): Promise<number> {
  return db.$executeRaw`
    delete from "InventoryLevel"
     where "shopId" = ${shopId}::uuid and not ("locationId" = any(${ids(fed)}::text[]::bigint[]))`;
}

/** The rows the run decides on: these items' levels at these locations. */
export async function levelRows(db: Db, shopId: string, itemNos: string[] | null, locationIds: bigint[]) {
  return db.inventoryLevel.findMany({
    where: {
      shopId,
      locationId: { in: locationIds },
      ...(itemNos ? { itemNo: { in: itemNos } } : {}),
    },
    orderBy: [{ locationId: "asc" }, { inventoryItemId: "asc" }],
  });
}

export type LevelRow = Awaited<ReturnType<typeof levelRows>>[number];

/** The key of a level in maps. */
export const levelKey = (level: { inventoryItemId: bigint; locationId: bigint }) =>
  `${level.inventoryItemId}@${level.locationId}`;

/** What reading Shopify found for one of our rows. */
export interface LevelFinding {
  inventoryItemId: bigint;
  locationId: bigint;
  /** The level's quantities; null when Shopify has no level there (missing) or no item (gone). */
  read: LevelRead | null;
  /** skipped: not tracked; error: the item is gone; null: the level is there or can be activated. */
  verdict: { state: "skipped" | "error"; message: string } | null;
}

/** Our rows' findings from items read (rows of items not read are left out). */
export function findings(
  rows: Pick<LevelRow, "inventoryItemId" | "locationId">[],
  items: Map<bigint, ItemRead | null>,
): LevelFinding[] {
  const out: LevelFinding[] = [];
  for (const row of rows) {
    if (!items.has(row.inventoryItemId)) continue;
    const item = items.get(row.inventoryItemId);
    if (!item) {
      out.push({ ...pair(row), read: null, verdict: { state: "error", message: GONE } });
      continue;
    }
    const read = item.levels.find((level) => level.locationId === row.locationId) ?? null;
    if (!item.tracked) out.push({ ...pair(row), read, verdict: { state: "skipped", message: UNTRACKED } });
    // Not among the levels read, but the item has more than were read: activation finds it.
    else out.push({ ...pair(row), read, verdict: null });
  }
  return out;
}

const pair = (row: Pick<LevelRow, "inventoryItemId" | "locationId">) => ({
  inventoryItemId: row.inventoryItemId,
  locationId: row.locationId,
});

/**
 * Writes what was read: Shopify's quantities (and no level: missing), and the verdict of an
 * untracked or gone item. A level read again after being skipped as untracked, now tracked, is
 * due again. Returns how many levels had another on hand than last known (drift).
 */
export async function storeFindings(db: Db, shopId: string, found: LevelFinding[]): Promise<number> {
  let drift = 0;
  for (const part of chunks(found)) {
    const [row] = await db.$queryRaw<{ drift: bigint }[]>`
      with found as (
        select * from unnest(${part.map((f) => String(f.inventoryItemId))}::text[]::bigint[],
                             ${part.map((f) => String(f.locationId))}::text[]::bigint[],
                             ${part.map((f) => f.read?.onHand ?? null)}::int[],
                             ${part.map((f) => f.read?.available ?? null)}::int[],
                             ${part.map((f) => f.read?.committed ?? null)}::int[],
                             ${part.map((f) => f.verdict?.state ?? null)}::text[],
                             ${part.map((f) => f.verdict?.message ?? null)}::text[])
               as f(item, location, on_hand, available, committed, state, message)
      ), updated as (
        update "InventoryLevel" l
           set "shopifyOnHand" = f.on_hand, "shopifyAvailable" = f.available,
               "shopifyCommitted" = f.committed, "shopifyReadAt" = now(),
               missing = (f.on_hand is null and f.state is null),
               state = coalesce(f.state, case when old.state = 'skipped' then 'pending' else old.state end),
               message = case when f.state is not null then f.message
                              when old.state = 'skipped' then null else old.message end,
               "updatedAt" = now()
          from found f, "InventoryLevel" old
         where l."shopId" = ${shopId}::uuid and l."inventoryItemId" = f.item and l."locationId" = f.location
           and old."shopId" = l."shopId" and old."inventoryItemId" = l."inventoryItemId"
           and old."locationId" = l."locationId"
        returning (old."shopifyOnHand" is not null and old."shopifyOnHand" is distinct from f.on_hand) as moved
      )
      select count(*) filter (where moved) as drift from updated`;
    drift += Number(row?.drift ?? 0);
  }
  return drift;
}

/** Levels set in Shopify to these on hands: known now, synced. */
export async function storeSent(
  db: Db,
  shopId: string,
  sent: { inventoryItemId: bigint; locationId: bigint; quantity: number }[],
): Promise<void> {
  for (const part of chunks(sent))
    await db.$executeRaw`
      update "InventoryLevel" l
         set "shopifyAvailable" = l."shopifyAvailable" + (s.quantity - coalesce(l."shopifyOnHand", 0)),
             "shopifyOnHand" = s.quantity, "sentQuantity" = s.quantity, "sentAt" = now(),
             missing = false, state = 'synced', message = null, attempts = 0, "updatedAt" = now()
        from unnest(${part.map((s) => String(s.inventoryItemId))}::text[]::bigint[],
                    ${part.map((s) => String(s.locationId))}::text[]::bigint[],
                    ${part.map((s) => s.quantity)}::int[]) as s(item, location, quantity)
       where l."shopId" = ${shopId}::uuid and l."inventoryItemId" = s.item and l."locationId" = s.location`;
}

/** Levels' outcome without a set: synced (unchanged), skipped or error (attempts counted). */
export async function storeOutcomes(
  db: Db,
  shopId: string,
  outcomes: {
    inventoryItemId: bigint;
    locationId: bigint;
    state: "synced" | "skipped" | "error";
    message: string | null;
  }[],
): Promise<void> {
  for (const part of chunks(outcomes))
    await db.$executeRaw`
      update "InventoryLevel" l
         set state = o.state, message = o.message,
             attempts = case when o.state = 'error' then l.attempts + 1 when o.state = 'synced' then 0 else l.attempts end,
             "updatedAt" = now()
        from unnest(${part.map((o) => String(o.inventoryItemId))}::text[]::bigint[],
                    ${part.map((o) => String(o.locationId))}::text[]::bigint[],
                    ${part.map((o) => o.state)}::text[], ${part.map((o) => o.message)}::text[])
             as o(item, location, state, message)
       where l."shopId" = ${shopId}::uuid and l."inventoryItemId" = o.item and l."locationId" = o.location
         and (l.state, l.message) is distinct from (o.state, o.message)`;
}
