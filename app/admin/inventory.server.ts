import { z } from "zod";
import type { Db, Tx } from "../db.server";
import { describeError } from "../errors.server";
import type { InventoryLevel, Prisma, Shop } from "../generated/prisma/client";
import { enqueueSync } from "../jobs/enqueue.server";
import { findSyncTask, type AnySyncTask } from "../sync/index.server";
import { INVENTORY_TASK } from "../sync/inventory/levels.server";
import { describeFollowUp } from "./follow-up.server";
import {
  LEVEL_STATE_WORDS,
  LEVEL_STATES,
  LEVEL_VIEWS,
  type LevelState,
  type LevelView,
} from "./inventory-states";
import { pageParam, pageWindow, type Paging } from "./paging";
import { Refusal } from "./refusal.server";

/**
 * The Inventory page: each level the inventory sync looks after (an item, or one of its
 * variants, at a Shopify location the back office feeds), with what the back office says
 * Shopify's on hand should be and the terms it comes from, Shopify's quantities as last known,
 * the last push, and the level's state with Shopify's message in full. A person retries a level
 * in error, or every one; either queues a run of the inventory sync for those items. Everything
 * takes the shop from the session.
 */

/** Item numbers longer than this, comma-separated, do not fit the task's filter: the run takes all. */
const ITEM_NOS_FILTER_MAX = 250;

export interface TargetParts {
  onHand: number;
  reservedByOwnOrders: number;
  shippedNotFulfilled: number;
}

export interface LevelRow {
  /** `inventoryItemId:locationId`, the row's key on the page. */
  id: string;
  inventoryItemId: string;
  locationId: string;
  /** The Shopify location's name as last read; null when the app has no such location. */
  locationName: string | null;
  locationDeleted: boolean;
  itemNo: string;
  /** null for the item without a variant. */
  variantCode: string | null;
  /** What the back office says Shopify's on hand should be; null: not worked out yet. */
  target: number | null;
  targetParts: TargetParts | null;
  /** The terms in words: "on hand 12 − own orders 2 + shipped not yet fulfilled 1". */
  targetWords: string | null;
  /** Shopify's quantities as last read or set; null where not known. */
  shopify: { onHand: number | null; committed: number | null; available: number | null };
  shopifyReadAt: string | null;
  /** Shopify has no level for it at the location yet (the next push activates it). */
  missing: boolean;
  state: LevelState;
  stateWords: string;
  message: string | null;
  attempts: number;
  sentQuantity: number | null;
  sentAt: string | null;
}

export interface LocationOption {
  id: string;
  name: string;
  deleted: boolean;
}

export interface LastRun {
  id: string;
  status: string;
  error: string | null;
  queuedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface InventoryList extends Paging {
  q: string;
  state: LevelView;
  /** The location filter: a Shopify location id, or "" for every location. */
  location: string;
  /** The shop's levels per state, whatever the filters. */
  counts: Record<LevelState, number>;
  lastRun: LastRun | null;
  locations: LocationOption[];
  rows: LevelRow[];
}

const MAX_BIGINT = 2n ** 63n - 1n;

/** A Shopify numeric id as a form or an address sends it. */
const shopifyId = (what: string) =>
  z
    .string({ message: `${what} is required` })
    .trim()
    .refine((value) => /^\d{1,19}$/.test(value) && BigInt(value) <= MAX_BIGINT, `not a Shopify ${what} id`);

export const inventoryQuery = z.object({
  q: z.string().trim().max(100, "at most 100 characters").optional(),
  state: z.enum(LEVEL_VIEWS, { message: `state is one of ${LEVEL_VIEWS.join(", ")}` }).default("any"),
  location: z.union([z.literal(""), shopifyId("location")]).default(""),
  page: pageParam,
});
export type InventoryQuery = z.output<typeof inventoryQuery>;

export const inventoryAction = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("retry"),
    inventoryItemId: shopifyId("inventory item"),
    locationId: shopifyId("location"),
  }),
  z.object({ intent: z.literal("retryErrors") }),
]);
export type InventoryAction = z.output<typeof inventoryAction>;

function partsOf(value: Prisma.JsonValue | null): TargetParts | null {
  if (!value || typeof value !== "object" || Array.isArray(value)) return null;
  const { onHand, reservedByOwnOrders, shippedNotFulfilled } = value as Record<string, unknown>;
  if (
    typeof onHand !== "number" ||
    typeof reservedByOwnOrders !== "number" ||
    typeof shippedNotFulfilled !== "number"
  )
    return null;
  return { onHand, reservedByOwnOrders, shippedNotFulfilled };
}

/** "on hand 12 − own orders 2 + shipped not yet fulfilled 1" (and why, when the sum is below 0). */
export function targetWords(parts: TargetParts, target: number | null): string {
  const words = `on hand ${parts.onHand} − own orders ${parts.reservedByOwnOrders} + shipped not yet fulfilled ${parts.shippedNotFulfilled}`;
  const sum = parts.onHand - parts.reservedByOwnOrders + parts.shippedNotFulfilled;
  return sum < 0 && target === 0 ? `${words} (never below 0)` : words;
}

function rowOf(level: InventoryLevel, locations: Map<bigint, { name: string; deleted: boolean }>): LevelRow {
  const location = locations.get(level.locationId);
  const parts = partsOf(level.targetParts);
  const state = (LEVEL_STATES as readonly string[]).includes(level.state)
    ? (level.state as LevelState)
    : "pending";
  return {
    id: `${level.inventoryItemId}:${level.locationId}`,
    inventoryItemId: level.inventoryItemId.toString(),
    locationId: level.locationId.toString(),
    locationName: location?.name ?? null,
    locationDeleted: location?.deleted ?? false,
    itemNo: level.itemNo,
    variantCode: level.variantCode || null,
    target: level.target,
    targetParts: parts,
    targetWords: parts ? targetWords(parts, level.target) : null,
    shopify: {
      onHand: level.shopifyOnHand,
      committed: level.shopifyCommitted,
      available: level.shopifyAvailable,
    },
    shopifyReadAt: level.shopifyReadAt?.toISOString() ?? null,
    missing: level.missing,
    state,
    stateWords: LEVEL_STATE_WORDS[state],
    message: level.message,
    attempts: level.attempts,
    sentQuantity: level.sentQuantity,
    sentAt: level.sentAt?.toISOString() ?? null,
  };
}

async function shopLocations(db: Db, shop: Shop) {
  const rows = await db.shopifyLocation.findMany({
    where: { shopId: shop.id },
    select: { shopifyId: true, name: true, deletedAt: true },
    orderBy: [{ deletedAt: { sort: "desc", nulls: "first" } }, { isPrimary: "desc" }, { name: "asc" }],
  });
  return rows.map((row) => ({ shopifyId: row.shopifyId, name: row.name, deleted: row.deletedAt !== null }));
}

async function stateCounts(db: Db, shop: Shop): Promise<Record<LevelState, number>> {
  const groups = await db.inventoryLevel.groupBy({
    by: ["state"],
    where: { shopId: shop.id },
    _count: { _all: true },
  });
  const counts: Record<LevelState, number> = { pending: 0, synced: 0, error: 0, skipped: 0 };
  for (const group of groups)
    if (group.state in counts) counts[group.state as LevelState] = group._count._all;
  return counts;
}

async function lastRunOf(db: Db, shop: Shop): Promise<LastRun | null> {
  const run = await db.syncRun.findFirst({
    where: { shopId: shop.id, task: INVENTORY_TASK },
    orderBy: { queuedAt: "desc" },
  });
  if (!run) return null;
  return {
    id: run.id,
    status: run.status,
    error: run.error,
    queuedAt: run.queuedAt.toISOString(),
    startedAt: run.startedAt?.toISOString() ?? null,
    finishedAt: run.finishedAt?.toISOString() ?? null,
  };
}

export async function listInventoryPage(db: Db, shop: Shop, query: InventoryQuery): Promise<InventoryList> {
  const locations = await shopLocations(db, shop);
  const locationId = query.location ? BigInt(query.location) : null;
  if (
    locationId !== null &&
    !locations.some((location) => location.shopifyId === locationId) &&
    (await db.inventoryLevel.count({ where: { shopId: shop.id, locationId } })) === 0
  )
    throw new Refusal(`This shop has no Shopify location ${query.location}.`, 404);
  const q = query.q ?? "";
  const where: Prisma.InventoryLevelWhereInput = {
    shopId: shop.id,
    ...(query.state === "any" ? {} : { state: query.state }),
    ...(locationId === null ? {} : { locationId }),
    ...(q ? { itemNo: { contains: q, mode: "insensitive" } } : {}),
  };
  const [total, counts, lastRun] = await Promise.all([
    db.inventoryLevel.count({ where }),
    stateCounts(db, shop),
    lastRunOf(db, shop),
  ]);
  const { paging, skip, take } = pageWindow(query.page, total);
  const levels = await db.inventoryLevel.findMany({
    where,
    orderBy: [{ itemNo: "asc" }, { variantCode: "asc" }, { locationId: "asc" }],
    skip,
    take,
  });
  const byId = new Map(locations.map((location) => [location.shopifyId, location]));
  return {
    ...paging,
    q,
    state: query.state,
    location: query.location,
    counts,
    lastRun,
    locations: locations.map((location) => ({
      id: location.shopifyId.toString(),
      name: location.name,
      deleted: location.deleted,
    })),
    rows: levels.map((level) => rowOf(level, byId)),
  };
}

/** The inventory sync, or a refusal while the app does not have it. */
function inventoryTask(): AnySyncTask {
  const task = findSyncTask(INVENTORY_TASK);
  if (!task) throw new Refusal("Sync inventory is not available yet: nothing was retried.", 409);
  return task;
}

function levelLabel(level: Pick<InventoryLevel, "itemNo" | "variantCode">, locationName: string): string {
  return `Item ${level.itemNo}${level.variantCode ? ` (variant ${level.variantCode})` : ""} at ${locationName}`;
}

/** Queues the inventory sync for these items (every item due when they do not fit its filter). */
async function queueRun(tx: Tx, shop: Shop, task: AnySyncTask, itemNos: string[]) {
  const list = [...new Set(itemNos)].sort().join(",");
  try {
    const { run, coalesced } = await enqueueSync(tx, task, {
      shop: shop.domain,
      trigger: "manual",
      filters: list.length <= ITEM_NOS_FILTER_MAX ? { itemNos: list } : {},
    });
    return describeFollowUp({ mode: "background", task: task.name, runId: run.id, coalesced });
  } catch (error) {
    if (error instanceof z.ZodError) throw new Refusal(describeError(error));
    throw error;
  }
}

async function retryLevel(
  db: Db,
  shop: Shop,
  input: Extract<InventoryAction, { intent: "retry" }>,
): Promise<string> {
  const key = {
    shopId: shop.id,
    inventoryItemId: BigInt(input.inventoryItemId),
    locationId: BigInt(input.locationId),
  };
  const level = await db.inventoryLevel.findUnique({ where: { shopId_inventoryItemId_locationId: key } });
  if (!level)
    throw new Refusal("This shop has no such inventory level.", 404, { inventoryItemId: "not found" });
  const location = await db.shopifyLocation.findUnique({
    where: { shopId_shopifyId: { shopId: shop.id, shopifyId: level.locationId } },
    select: { name: true },
  });
  const label = levelLabel(level, location?.name ?? `location ${level.locationId}`);
  const refuse = (state: string) =>
    new Refusal(
      `${label} is not in error (it is ${(LEVEL_STATE_WORDS[state as LevelState] ?? state).toLowerCase()}); only a level in error can be retried.`,
      409,
    );
  if (level.state !== "error") throw refuse(level.state);
  const task = inventoryTask();
  const followUp = await db.$transaction(async (tx) => {
    const { count } = await tx.inventoryLevel.updateMany({
      where: { ...key, state: "error" },
      data: { state: "pending" },
    });
    // Taken meanwhile by a run, or retried by someone else.
    if (count !== 1) throw refuse("pending");
    return queueRun(tx, shop, task, [level.itemNo]);
  });
  return `${label} is waiting to be sent to Shopify again. ${followUp}`;
}

async function retryErrors(db: Db, shop: Shop): Promise<string> {
  const task = inventoryTask();
  const { levels, items, followUp } = await db.$transaction(async (tx) => {
    // One statement: the levels it puts back to waiting are exactly those whose items the run gets.
    const failed = await tx.$queryRaw<{ itemNo: string }[]>`
      update "InventoryLevel" set state = 'pending', "updatedAt" = now()
       where "shopId" = ${shop.id}::uuid and state = 'error'
      returning "itemNo"`;
    if (failed.length === 0) throw new Refusal("No level is in error: nothing to retry.", 409);
    const itemNos = failed.map((level) => level.itemNo);
    return {
      levels: failed.length,
      items: new Set(itemNos).size,
      followUp: await queueRun(tx, shop, task, itemNos),
    };
  });
  const what =
    levels === 1
      ? "The level in error is"
      : `${levels} levels${items > 1 ? ` of ${items} items` : ""} in error are`;
  return `${what} waiting to be sent to Shopify again. ${followUp}`;
}

/** Retries a level in error, or every one, then queues the inventory sync for their items. */
export async function actOnInventory(db: Db, shop: Shop, input: InventoryAction): Promise<string> {
  return input.intent === "retry" ? retryLevel(db, shop, input) : retryErrors(db, shop);
}
