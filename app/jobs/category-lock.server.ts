import pg from "pg";
import { pgPool, type Db } from "../db.server";
import { TerminalError } from "../errors.server";
import { log } from "../log.server";

/**
 * Tasks of one category never overlap for a shop, however started. Queued runs keep it by
 * graphile-worker's queue (one queue per shop and category, app/jobs/enqueue.server.ts); a
 * foreground run (the CLI's `--foreground`, the tasks page when background syncs are off)
 * bypasses the queue, so both take this lock for the run's whole length: a Postgres session
 * advisory lock on the shop and category, held on a connection of its own (a process that
 * dies releases it with its connection).
 *
 * - A queued run finding it held (a foreground run of the category is going) waits for it,
 *   still "queued"; a worker stopping ends the wait, and the run is taken again.
 * - A foreground run finding it held is refused at once with what holds it (CategoryBusy):
 *   a person asked for it, and waiting for a long import is not what they asked.
 *
 * If the lock's connection is lost mid-run (Postgres restarted), the run goes on without it:
 * ending a run half-way would be worse than the rare overlap, and the sync's records are safe
 * to write twice (they upsert by key).
 */

/** What holds a shop's category: the run that is running in it, when there is one. */
export interface CategoryHolder {
  category: string;
  task: string | null;
  runId: string | null;
  startedAt: Date | null;
}

export class CategoryBusy extends TerminalError {
  override name = "CategoryBusy";
  /** For a page to say it in its own words (the task's title, the shop's time). */
  readonly holder: CategoryHolder;
  constructor(message: string, holder: CategoryHolder) {
    super(message);
    this.holder = holder;
  }
}

export interface CategoryLock {
  release: () => Promise<void>;
}

/** How often a waiting run asks for the lock again. */
const WAIT_POLL_MS = 500;

const key = (shopId: string, category: string) => `category:${shopId}:${category}`;

/**
 * Takes the shop's category: waits for it (`wait`) or refuses with CategoryBusy. `db` reads
 * what holds it, for the refusal's words.
 */
export async function holdCategory(
  db: Db,
  run: { shopId: string; category: string },
  options: { wait: boolean; signal?: AbortSignal },
): Promise<CategoryLock> {
  const client = new pg.Client(pgPool().options);
  let lost = false;
  client.on("error", (error) => {
    lost = true;
    log.warn({ error: error.message, ...run }, "category lock: its connection was lost; the run goes on");
  });
  await client.connect();
  const release = async () => {
    if (!lost)
      await client
        .query("select pg_advisory_unlock(hashtextextended($1, 0))", [key(run.shopId, run.category)])
        .catch(() => undefined);
    await client.end().catch(() => undefined);
  };
  try {
    for (;;) {
      const answer = await client.query<{ taken: boolean }>(
        "select pg_try_advisory_lock(hashtextextended($1, 0)) as taken",
        [key(run.shopId, run.category)],
      );
      if (answer.rows[0]?.taken) return { release };
      if (!options.wait) throw await categoryBusy(db, run);
      if (options.signal?.aborted) throw new Error("the run was stopped while it waited for its category");
      await new Promise((resolve) => setTimeout(resolve, WAIT_POLL_MS));
    }
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
}

async function categoryBusy(db: Db, run: { shopId: string; category: string }): Promise<CategoryBusy> {
  const running = await db.syncRun.findFirst({
    where: { shopId: run.shopId, category: run.category, status: "running" },
    orderBy: { startedAt: "desc" },
  });
  const what = running
    ? `${running.task} (run ${running.id}, started ${running.startedAt?.toISOString() ?? "just now"})`
    : "another run";
  return new CategoryBusy(
    `${what} is running for this shop in the "${run.category}" category, whose runs never overlap: try again when it ends`,
    {
      category: run.category,
      task: running?.task ?? null,
      runId: running?.id ?? null,
      startedAt: running?.startedAt ?? null,
    },
  );
}
