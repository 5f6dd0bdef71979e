import type { Db } from "../../db.server";

/**
 * The incremental reader every sync from Shopify uses: where a run reads from, how it counts
 * and pages what changed, and where the next run starts. Taken out of the order import, which
 * is its first user (app/sync/orders/import.server.ts).
 *
 * - **The cursor is taken before the read**: a run reads what changed after its cursor, and the
 *   next run's cursor is the time this one started reading (or its last count, below). Writing
 *   a record twice is harmless (every sync's write is idempotent), so nothing is lost that
 *   Shopify had indexed by then.
 * - **Reconcile window**: runs started by a webhook or a person read from the cursor (cheap). A
 *   scheduled run reads again from where the previous scheduled run started, less
 *   RECONCILE_MARGIN_MS, so that a record whose change reached Shopify's search late, whose
 *   timestamp Shopify keeps in whole seconds or by a clock a little off ours, or whose webhook
 *   never came, is picked up by the next schedule at the latest; the first scheduled run reads
 *   the last RECONCILE_FIRST_MS, and none reads back more than RECONCILE_MAX_MS.
 * - **The first run's rule holds before it**: the first run of all reads by its own rule (the
 *   order import: the open orders, whenever they changed), and its start is kept as the sync's
 *   origin. A read reaching back before the origin (a reconcile, or a failure held back) takes
 *   what changed before it only where the first rule takes it: an order cancelled or archived
 *   an hour before the app was installed is not imported by the first scheduled run.
 * - **A failed record holds the cursor back**: the next run reads from before it, so it is
 *   tried again; the others go on.
 * - **Recount**: Shopify charges a connection by its `first`, so a run asks for exactly as many
 *   as were counted; records that change while it reads sort after the counted ones, and when
 *   Shopify says there are more, the run counts again (1 point) and reads exactly the new ones
 *   rather than a whole page for one, up to MAX_RECOUNTS times.
 */

const RECONCILE_MARGIN_MS = 10 * 60_000;
const RECONCILE_FIRST_MS = 60 * 60_000;
const RECONCILE_MAX_MS = 24 * 60 * 60_000;
const MAX_RECOUNTS = 5;
/** Before the origin by this much, every change is taken still: whole seconds, a clock a little off. */
const ORIGIN_MARGIN_MS = 5_000;

/** Where a run reads from (exclusive); null for the first run of all (the caller's first read). */
export function readFrom(
  trigger: string,
  cursor: Date | null,
  reconcileCursor: Date | null,
  now = new Date(),
): { since: Date | null; reconciling: boolean } {
  if (!cursor) return { since: null, reconciling: false };
  if (trigger !== "schedule") return { since: cursor, reconciling: false };
  const from = reconcileCursor
    ? Math.min(cursor.getTime(), reconcileCursor.getTime()) - RECONCILE_MARGIN_MS
    : cursor.getTime() - RECONCILE_FIRST_MS;
  return { since: new Date(Math.max(from, now.getTime() - RECONCILE_MAX_MS)), reconciling: true };
}

/** The cursor row of scheduled runs: where the last one started reading. */
export const reconcileKey = (key: string) => `${key}#reconcile`;

/** The cursor row holding when the first run of all started reading. */
export const originKey = (key: string) => `${key}#origin`;

/** A run's place in what changed: where it reads from, and where the next run will. */
export class ReadWindow {
  /** Exclusive; null on the first run of all. */
  readonly since: Date | null;
  readonly reconciling: boolean;
  /** Taken before anything was read. */
  readonly startedAt: Date;
  /** When the first run of all started reading; null before it, or for a cursor older than origins. */
  readonly origin: Date | null;
  private oldestFailure: Date | null = null;
  private readonly db: Db;
  private readonly shopId: string;
  private readonly key: string;

  private constructor(
    db: Db,
    shopId: string,
    key: string,
    read: { since: Date | null; reconciling: boolean; startedAt: Date; origin: Date | null },
  ) {
    this.db = db;
    this.shopId = shopId;
    this.key = key;
    this.since = read.since;
    this.reconciling = read.reconciling;
    this.startedAt = read.startedAt;
    this.origin = read.origin;
  }

  /**
   * Opens the window of a run of the sync whose cursor rows are `key` (and `key#reconcile`),
   * started by `trigger`.
   */
  static async open(db: Db, shopId: string, key: string, trigger: string): Promise<ReadWindow> {
    const [cursor, reconcileCursor, origin] = await Promise.all(
      [key, reconcileKey(key), originKey(key)].map((task) =>
        db.syncCursor.findUnique({ where: { shopId_task: { shopId, task } } }),
      ),
    );
    const startedAt = new Date();
    const { since, reconciling } = readFrom(
      trigger,
      cursor?.cursor ?? null,
      reconcileCursor?.cursor ?? null,
      startedAt,
    );
    return new ReadWindow(db, shopId, key, {
      since,
      reconciling,
      startedAt,
      origin: cursor ? (origin?.cursor ?? null) : null,
    });
  }

  /**
   * `updated_at:>'…'` for Shopify's search, or `first` (the first run's rule, "" for every
   * record) on the first run of all. Reaching back before the origin, what changed before it
   * is taken by the first rule only.
   */
  searchTerm(first: string): string {
    if (!this.since) return first;
    const changed = `updated_at:>'${this.since.toISOString()}'`;
    if (!first || !this.origin || this.since.getTime() >= this.origin.getTime() - ORIGIN_MARGIN_MS)
      return changed;
    const origin = new Date(this.origin.getTime() - ORIGIN_MARGIN_MS);
    return `${changed} AND (${first} OR updated_at:>'${origin.toISOString()}')`;
  }

  /** A record updated at this time failed: the next run must read it again. */
  holdBefore(updatedAt: Date): void {
    if (!this.oldestFailure || updatedAt < this.oldestFailure) this.oldestFailure = updatedAt;
  }

  /**
   * Moves the cursor to `readUpTo` (before the oldest failure, if any). A reconcile read
   * everything since the cursor too, so it moves both rows. The first run of all keeps its
   * start as the origin.
   */
  async commit(readUpTo: Date): Promise<Date> {
    const failedAt = this.oldestFailure;
    const next = failedAt ? new Date(Math.min(readUpTo.getTime(), failedAt.getTime() - 1)) : readUpTo;
    if (!this.since)
      await this.db.syncCursor.upsert({
        where: { shopId_task: { shopId: this.shopId, task: originKey(this.key) } },
        create: { shopId: this.shopId, task: originKey(this.key), cursor: this.startedAt },
        update: { cursor: this.startedAt },
      });
    for (const task of this.reconciling ? [this.key, reconcileKey(this.key)] : [this.key])
      await this.db.syncCursor.upsert({
        where: { shopId_task: { shopId: this.shopId, task } },
        create: { shopId: this.shopId, task, cursor: next },
        update: { cursor: next },
      });
    return next;
  }
}

export interface Count {
  count: number;
  /** EXACT, or AT_LEAST past Shopify's count limit. */
  precision: string;
}

/**
 * Pages through a counted list: asks for no more than are left of the count, and counts again
 * when the counted ones are read and Shopify says there are more (see above). `readUpTo` is
 * where the next run reads from: when the list was read to its end after the last count, what
 * changed since sorts after what was read, so the last count's start; else (left for later) the
 * window's start.
 */
export class CountedPages {
  total: number;
  done = 0;
  private exact: boolean;
  private recounts = 0;
  private countedAt: Date;
  private readToEnd: boolean;
  private readonly count: () => Promise<Count>;
  private readonly startedAt: Date;

  private constructor(count: () => Promise<Count>, first: Count, startedAt: Date) {
    this.count = count;
    this.startedAt = startedAt;
    this.countedAt = startedAt;
    this.total = first.count;
    this.exact = first.precision === "EXACT";
    this.readToEnd = first.count === 0;
  }

  /** Counts once (the run's first count, at the window's start). */
  static async start(count: () => Promise<Count>, window: { startedAt: Date }): Promise<CountedPages> {
    return new CountedPages(count, await count(), window.startedAt);
  }

  /** Whether there is anything to read at all. */
  get any(): boolean {
    return this.total > 0;
  }

  /** How many to ask for: as many as are left of an exact count, never more than `largest`. */
  pageSize(largest: number): number {
    return this.exact ? Math.max(1, Math.min(largest, this.total - this.done)) : largest;
  }

  /** Records `returned` read; whether to read on (recounting when the counted ones are read). */
  async readOn(pageInfo: { hasNextPage: boolean }, returned: number): Promise<boolean> {
    if (!pageInfo.hasNextPage || returned === 0) {
      this.readToEnd = true;
      return false;
    }
    if (!this.exact || this.done < this.total) return true;
    if (this.recounts < MAX_RECOUNTS) {
      this.recounts += 1;
      const startedAt = new Date();
      const again = await this.count();
      this.countedAt = startedAt;
      this.total = Math.max(again.count, this.done);
      this.exact = again.precision === "EXACT";
      if (!this.exact || this.done < this.total) return true;
    }
    return false;
  }

  get recounted(): number {
    return this.recounts;
  }

  get readUpTo(): Date {
    return this.readToEnd ? this.countedAt : this.startedAt;
  }
}
