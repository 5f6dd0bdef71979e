import { RecordError } from "../../errors.server";
import { classifyError } from "../../jobs/errors.server";
import type { SyncContext } from "../../jobs/sync-task.server";
import type { AdminClient } from "../../shopify/admin-client.server";
import { gid } from "../../shopify/ids.server";
import { contentHash } from "../kit/outbound.server";
import {
  collectStockChanges,
  dropUnfed,
  dueItems,
  findings,
  GONE,
  levelKey,
  levelRows,
  readAllItems,
  readItems,
  storeFindings,
  storeOutcomes,
  storeSent,
  storeTargets,
  type ItemRead,
  type LevelRow,
} from "./levels.server";
import { completeVariantLinks } from "../products/links.server";
import { readLocations } from "./locations.server";
import {
  INVENTORY_ACTIVATE,
  INVENTORY_SET_ON_HAND,
  QUANTITIES_PER_SET,
  type InventoryUserError,
} from "./operations.server";
import { FED, levelTargets, type LevelTarget } from "./targets.server";

/**
 * The inventory push (sync_inventory): Shopify's on hand at each level the back office feeds set
 * to the README's quantity model, sending only the differences.
 *
 * 1. Which levels: the items whose stock changed in the back office (its change feed, read into
 *    pending rows), those failed before, and linked variants not yet looked at; every linked item
 *    on a full reconcile (the nightly schedule) or the items of the filters.
 * 2. Targets are worked out (targets.server.ts) and compared with the on hand last known in
 *    Shopify: what we set last, or what was read. A level never read is read first (by id, or by
 *    one bulk query for many); a reconcile reads every level, so a level moved in Shopify behind
 *    our back is found (counted as drift) and set back.
 * 3. Differences go with inventorySetQuantities, 250 a call, each with `changeFromQuantity` = the
 *    quantity last known and an idempotency key per call (its run and content: a call repeated
 *    after a lost answer is the same call). Shopify refuses a call whose compare quantity is
 *    stale: those items are read again, their targets worked out again (a shipment may have
 *    reached Shopify meanwhile) and the call is made again; never a blind overwrite. A level
 *    Shopify does not have is activated with its on hand; an untracked item is skipped with the
 *    reason; a gone item is an error on its level. One level's failure does not stop the others.
 */

export interface PushOptions {
  itemNos: string[] | null;
  locationIds: bigint[] | null;
  /** Read every level in Shopify first (the nightly reconcile). */
  reconcile: boolean;
}

export const inventoryPush = {
  /**
   * More inventory items than this to read: one bulk query instead of reads by id (25 items a
   * read at about 830 requested points: 4 reads fit a full bucket; 500 items by id took 63 s of
   * waiting for points in bench:inventory, against 1.9 s for the bulk query).
   */
  bulkAbove: 100,
  /** Times a call is made again after Shopify found a compare quantity stale or a key in flight. */
  attempts: 4,
  /** Wait before sending again a call whose key Shopify was still working on. */
  concurrentWaitMs: 500,
};

const REASON = "correction";
const REFERENCE = "app://back-office-sync/inventory";
const STALE_CODES = new Set(["CHANGE_FROM_QUANTITY_STALE", "COMPARE_QUANTITY_STALE"]);

type Ctx = SyncContext<unknown>;

interface Entry {
  row: LevelRow;
  target: number;
  /** Shopify's on hand as last known: the compare quantity. */
  from: number;
}

class Failures {
  failed = 0;
  retryable = 0;
  readonly first: string[] = [];
  add(label: string, message: string, retryable: boolean) {
    this.failed += 1;
    if (retryable) this.retryable += 1;
    if (this.first.length < 10) this.first.push(`${label}: ${message}`);
  }
}

const label = (row: Pick<LevelRow, "itemNo" | "variantCode" | "locationId">) =>
  `${row.itemNo}${row.variantCode ? ` ${row.variantCode}` : ""} at location ${row.locationId}`;

export async function pushInventory(ctx: Ctx, client: AdminClient, options: PushOptions): Promise<void> {
  const { db, shop } = ctx;
  const known = await db.shopifyLocation.count({ where: { shopId: shop.id } });
  // A back-office change needs no new look at Shopify's locations (their webhooks ring this task).
  if (options.reconcile || ctx.run.trigger !== "back_office" || known === 0) {
    const read = await readLocations(db, client, shop.id);
    if (read.added + read.updated + read.deleted > 0) ctx.log.info(read, "Shopify locations read");
  }
  const fedAll = (
    await db.shopifyLocation.findMany({ where: { shopId: shop.id, ...FED }, select: { shopifyId: true } })
  ).map((location) => location.shopifyId);
  const fed = options.locationIds ? fedAll.filter((id) => options.locationIds!.includes(id)) : fedAll;
  await dropUnfed(db, shop.id, fedAll);
  const changed = await collectStockChanges(db, shop.id);
  if (fed.length === 0) {
    ctx.count("skippedNoLocation");
    ctx.log.info("no Shopify location takes its stock from the back office (Locations page): nothing to do");
    return;
  }

  // Variants met on orders are linked to items without their inventory item: asked for now
  // (100 a request; nothing to ask most runs), so every linked variant gets its stock.
  const completed = await completeVariantLinks(db, client, shop.id);
  if (completed > 0) ctx.count("variantLinksCompleted", completed);

  const itemNos = options.itemNos ?? (options.reconcile ? null : await dueItems(db, shop.id, fed));
  ctx.log.info(
    {
      changed: changed.length,
      items: itemNos?.length ?? "all",
      locations: fed.length,
      reconcile: options.reconcile,
    },
    "inventory push",
  );
  if (itemNos !== null && itemNos.length === 0) return;

  const targets = await levelTargets(db, shop.id, itemNos, fed);
  await storeTargets(db, shop.id, targets, { items: itemNos, locationIds: fed });
  let rows = await levelRows(db, shop.id, itemNos, fed);

  // Read what is not known (all of it on a reconcile).
  const toRead = options.reconcile
    ? rows
    : rows.filter((row) => row.state !== "skipped" && row.shopifyOnHand === null && !row.missing);
  if (toRead.length > 0) {
    const itemIds = [...new Set(toRead.map((row) => row.inventoryItemId))];
    const items =
      options.reconcile || itemIds.length > inventoryPush.bulkAbove
        ? await readEvery(ctx, client, new Set(itemIds))
        : await readItems(client, itemIds);
    ctx.count("levelsRead", toRead.length);
    const drift = await storeFindings(db, shop.id, findings(toRead, items));
    if (drift > 0) {
      ctx.count("drift", drift);
      ctx.log.info({ drift }, "levels found changed in Shopify since last known");
    }
    rows = await levelRows(db, shop.id, itemNos, fed);
  }

  const failures = new Failures();
  const byKey = new Map(targets.map((target) => [levelKey(target), target]));
  const plan = decide(rows, byKey);
  await storeOutcomes(db, shop.id, [
    ...plan.unchanged.map((row) => ({ ...row, state: "synced" as const, message: null })),
  ]);
  ctx.count("unchanged", plan.unchanged.length);
  ctx.count("skipped", plan.skipped.length);
  // Gone from Shopify: no retry can set it (the products sync drops the link).
  for (const row of plan.failed) failures.add(label(row), row.message ?? "failed", false);
  ctx.count("failed", plan.failed.length);

  const toSet: Entry[] = [...plan.set];
  for (const entry of plan.activate) {
    const next = await activate(ctx, client, entry, failures);
    if (next) toSet.push(next);
  }
  let done = 0;
  const total = toSet.length;
  for (let i = 0; i < toSet.length; i += QUANTITIES_PER_SET) {
    if (ctx.signal.aborted) throw new Error("the run was stopped");
    await sendBatch(ctx, client, toSet.slice(i, i + QUANTITIES_PER_SET), failures);
    done = Math.min(total, i + QUANTITIES_PER_SET);
    await ctx.progress(done, total);
  }

  if (failures.failed > 0) {
    const message = `${failures.failed} inventory level${failures.failed === 1 ? "" : "s"} not set: ${failures.first.join("; ")}${failures.failed > failures.first.length ? "; ..." : ""}`;
    if (failures.retryable === 0) throw new RecordError(message);
    throw new Error(message);
  }
}

/** The bulk read, keeping only the items asked about. */
async function readEvery(ctx: Ctx, client: AdminClient, wanted: Set<bigint>) {
  const items = new Map<bigint, ItemRead | null>();
  for await (const item of readAllItems(client, ctx.signal))
    if (wanted.has(item.inventoryItemId)) items.set(item.inventoryItemId, item);
  // An item the bulk read did not have is gone from Shopify.
  for (const id of wanted) if (!items.has(id)) items.set(id, null);
  return items;
}

interface Plan {
  unchanged: LevelRow[];
  skipped: LevelRow[];
  failed: LevelRow[];
  set: Entry[];
  activate: Entry[];
}

/** What each level needs, from its target and the on hand last known in Shopify. */
function decide(rows: LevelRow[], targets: Map<string, LevelTarget>): Plan {
  const plan: Plan = { unchanged: [], skipped: [], failed: [], set: [], activate: [] };
  for (const row of rows) {
    const target = targets.get(levelKey(row));
    if (!target) continue;
    if (row.state === "skipped") plan.skipped.push(row);
    else if (row.state === "error" && row.message === GONE) plan.failed.push(row);
    else if (row.missing) plan.activate.push({ row, target: target.onHand, from: 0 });
    else if (row.shopifyOnHand === null)
      continue; // not read (an item with more levels than read)
    else if (row.shopifyOnHand === target.onHand) plan.unchanged.push(row);
    else plan.set.push({ row, target: target.onHand, from: row.shopifyOnHand });
  }
  return plan;
}

/** Stocks a missing level with its target; answers a set still to make when it existed after all. */
async function activate(
  ctx: Ctx,
  client: AdminClient,
  entry: Entry,
  failures: Failures,
): Promise<Entry | null> {
  const { db, shop } = ctx;
  const { row } = entry;
  try {
    const variables = {
      inventoryItemId: gid("InventoryItem", row.inventoryItemId),
      locationId: gid("Location", row.locationId),
      onHand: entry.target,
    };
    const key = `bos-inv-activate-${ctx.run.id}-${contentHash(variables)}`;
    const { inventoryActivate } = await client.request(INVENTORY_ACTIVATE, { ...variables, key });
    const level = inventoryActivate.inventoryLevel;
    if (!level || inventoryActivate.userErrors.length > 0)
      throw new RecordError(
        `Shopify: ${inventoryActivate.userErrors.map((e) => e.message).join("; ") || "the level was not activated"}`,
      );
    const onHand = level.quantities.find((q) => q.name === "on_hand")?.quantity ?? 0;
    const read = {
      inventoryItemId: row.inventoryItemId,
      locationId: row.locationId,
      onHand,
      available: level.quantities.find((q) => q.name === "available")?.quantity ?? 0,
      committed: level.quantities.find((q) => q.name === "committed")?.quantity ?? 0,
    };
    await storeFindings(db, shop.id, [{ ...read, read, verdict: null }]);
    ctx.count("activated");
    if (onHand === entry.target) {
      await storeSent(db, shop.id, [{ ...read, quantity: onHand }]);
      ctx.count("sent");
      return null;
    }
    // The level was there already (activated by someone else): set it like any other.
    return { row, target: entry.target, from: onHand };
  } catch (error) {
    await fail(ctx, [entry], error, failures);
    return null;
  }
}

/** A level's failure: on its row and in the run's count; a failure about the run is thrown. */
async function fail(ctx: Ctx, entries: Entry[], error: unknown, failures: Failures): Promise<void> {
  const verdict = classifyError(error);
  if (verdict.scope === "run") throw error;
  await storeOutcomes(
    ctx.db,
    ctx.shop.id,
    entries.map((entry) => ({ ...entry.row, state: "error" as const, message: verdict.message })),
  );
  for (const entry of entries) {
    failures.add(label(entry.row), verdict.message, !verdict.terminal);
    ctx.count("failed");
  }
  ctx.log.warn({ levels: entries.length, error: verdict.message }, "inventory levels failed");
}

/** The index in the call's quantities a user error is about, if it names one. */
function entryIndex(error: InventoryUserError): number | null {
  const [input, list, index] = error.field ?? [];
  if (input !== "input" || list !== "quantities" || index === undefined) return null;
  const at = Number(index);
  return Number.isInteger(at) ? at : null;
}

/** One set call of up to 250 levels, made again as Shopify's answers require. */
async function sendBatch(ctx: Ctx, client: AdminClient, batch: Entry[], failures: Failures): Promise<void> {
  const { db, shop } = ctx;
  let entries = batch;
  for (let attempt = 1; entries.length > 0; attempt++) {
    const input = {
      name: "on_hand" as const,
      reason: REASON,
      referenceDocumentUri: REFERENCE,
      quantities: entries.map((entry) => ({
        inventoryItemId: gid("InventoryItem", entry.row.inventoryItemId),
        locationId: gid("Location", entry.row.locationId),
        quantity: entry.target,
        changeFromQuantity: entry.from,
      })),
    };
    // The same call (run and content) has the same key: Shopify applies it once.
    const key = `bos-inv-${ctx.run.id}-${contentHash(input)}`;
    let userErrors: InventoryUserError[];
    try {
      ({
        inventorySetQuantities: { userErrors },
      } = await client.request(INVENTORY_SET_ON_HAND, { key, input }));
    } catch (error) {
      await fail(ctx, entries, error, failures);
      return;
    }
    if (userErrors.length === 0) {
      await storeSent(
        db,
        shop.id,
        entries.map((entry) => ({ ...entry.row, quantity: entry.target })),
      );
      ctx.count("sent", entries.length);
      return;
    }
    if (attempt >= inventoryPush.attempts) {
      await fail(
        ctx,
        entries,
        new Error(
          `Shopify kept refusing the quantities (${attempt} tries): ${userErrors.map((e) => e.message).join("; ")}`,
        ),
        failures,
      );
      return;
    }
    if (userErrors.some((e) => e.code === "IDEMPOTENCY_CONCURRENT_REQUEST")) {
      // Shopify is still working on this very call: ask again, with the same key, in a moment.
      ctx.count("concurrentRetries");
      await new Promise((resolve) => setTimeout(resolve, inventoryPush.concurrentWaitMs * attempt));
      continue;
    }
    const general = userErrors.filter((e) => entryIndex(e) === null);
    if (general.length > 0) {
      await fail(
        ctx,
        entries,
        new RecordError(`Shopify: ${general.map((e) => e.message).join("; ")}`),
        failures,
      );
      return;
    }
    const stale = new Set<number>();
    const unstocked = new Set<number>();
    const refused = new Map<number, string>();
    for (const error of userErrors) {
      const at = entryIndex(error)!;
      if (STALE_CODES.has(error.code ?? "")) stale.add(at);
      else if (error.code === "ITEM_NOT_STOCKED_AT_LOCATION") unstocked.add(at);
      else refused.set(at, [refused.get(at), error.message].filter(Boolean).join("; "));
    }
    const again: Entry[] = [];
    for (const [at, message] of refused) {
      const entry = entries[at];
      if (entry && !stale.has(at)) await fail(ctx, [entry], new RecordError(`Shopify: ${message}`), failures);
    }
    // The level went away in Shopify since it was last seen (the item was unstocked there): stocked again.
    for (const at of unstocked) {
      const entry = entries[at];
      if (!entry || stale.has(at) || refused.has(at)) continue;
      const next = await activate(ctx, client, { ...entry, from: 0 }, failures);
      if (next) again.push(next);
    }
    const rest = entries.filter((_, at) => !stale.has(at) && !refused.has(at) && !unstocked.has(at));
    again.push(
      ...(await reread(
        ctx,
        client,
        entries.filter((_, at) => stale.has(at)),
      )),
    );
    if (stale.size > 0) ctx.count("staleRetries");
    entries = [...rest, ...again];
  }
}

/**
 * Levels Shopify found stale: read again, their targets worked out again, and what still
 * differs returned to be sent with the quantity Shopify has now.
 */
async function reread(ctx: Ctx, client: AdminClient, stale: Entry[]): Promise<Entry[]> {
  if (stale.length === 0) return [];
  const { db, shop } = ctx;
  const items = await readItems(
    client,
    stale.map((entry) => entry.row.inventoryItemId),
  );
  const rows = stale.map((entry) => entry.row);
  await storeFindings(db, shop.id, findings(rows, items));
  const itemNos = [...new Set(rows.map((row) => row.itemNo))];
  const locationIds = [...new Set(rows.map((row) => row.locationId))];
  const targets = new Map(
    (await levelTargets(db, shop.id, itemNos, locationIds)).map((target) => [levelKey(target), target]),
  );
  await storeTargets(db, shop.id, [...targets.values()], { items: itemNos, locationIds });
  const wanted = new Set(rows.map(levelKey));
  const fresh = (await levelRows(db, shop.id, itemNos, locationIds)).filter((row) =>
    wanted.has(levelKey(row)),
  );
  const plan = decide(fresh, targets);
  await storeOutcomes(
    db,
    shop.id,
    plan.unchanged.map((row) => ({ ...row, state: "synced" as const, message: null })),
  );
  ctx.count("unchanged", plan.unchanged.length);
  ctx.count("skipped", plan.skipped.length);
  // A level gone or missing after the read is left for the next run to activate or report.
  return plan.set;
}
