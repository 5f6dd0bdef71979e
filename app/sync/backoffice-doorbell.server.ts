import pg from "pg";
import { CHANGE_ENTITIES, newestChanges, type ChangeEntity } from "../backoffice/backoffice.server";
import prisma, { pgPool, type Db } from "../db.server";
import { enqueueSync } from "../jobs/enqueue.server";
import { log } from "../log.server";
import { backOfficeDoorbellTasks, SYNC_TASKS, type AnySyncTask } from "./index.server";

/**
 * The back office's doorbell, the other way round from Shopify's webhooks: every write to the
 * back office's change feed notifies `BACKOFFICE_CHANNEL` at commit (a trigger on "BoChange",
 * migration 20261206000000_product_links) with the shop and entity, and each worker process
 * listens. A change rings the tasks whose manifest follows the entity and whose shop wants it
 * (the products export when "Sync items" is "to Shopify"): one waiting run per shop and task
 * (the job key), which reads the feed and sends just what changed.
 *
 * A notification sent while no worker listened (all workers down, or the listening connection
 * lost) is gone, but the feed keeps the change. So each time the listener starts listening, and
 * again after every reconnect, it catches up (`catchUpBackOffice`): right after LISTEN, so a
 * change committed from then on is a notification and one committed before is in the feed, it
 * rings each task once for every installed shop that wants it and has a change of the task's
 * entities at or after the start of the task's last run there (any change when it never ran).
 * The same job key as a notification's run, so a run already waiting absorbs it. A connection
 * that died without a word (half-open: a NAT or a failover dropped it) would listen to nothing
 * forever: TCP keepalive and a `select 1` on it every 30 s find it, and it is replaced.
 */

export const BACKOFFICE_CHANNEL = "bos_backoffice_change";

/** The listening connection's name in pg_stat_activity. */
export const LISTENER_APPLICATION_NAME = "bos-backoffice-doorbell";

/** Delay before listening again after the connection was lost. */
const RECONNECT_MS = 1000;
/** Idle time before TCP keepalive probes the listening connection. */
const KEEPALIVE_DELAY_MS = 10_000;
/** How often the listening connection is asked `select 1`, and how long it has to answer. */
const CHECK_EVERY_MS = 30_000;
const CHECK_TIMEOUT_MS = 10_000;

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Whether some task follows the entity: a change of another (a posted shipment's) rings nothing. */
function followed(entity: ChangeEntity): boolean {
  return SYNC_TASKS.some((task) => task.manifest.backOfficeDoorbell?.entities.includes(entity));
}

/** Queues the runs one change notification asks for; returns how many it queued or joined. */
export async function ringBackOffice(
  db: Db,
  note: { shopId: string; entity: ChangeEntity },
): Promise<number> {
  // Every posting notifies its shipment and its stock, and every worker process hears both:
  // a change no task follows is answered without reading the shop and its settings.
  if (!followed(note.entity)) return 0;
  const shop = await db.shop.findUnique({ where: { id: note.shopId }, include: { settings: true } });
  if (!shop?.settings || shop.uninstalledAt) return 0;
  const tasks = backOfficeDoorbellTasks(note.entity, shop.settings);
  for (const task of tasks)
    await enqueueSync(db, task, { shop: shop.domain, trigger: "back_office", jobKey: true });
  return tasks.length;
}

/** What a catch-up did: the shops it rang, and the runs it queued or joined. */
export interface CatchUp {
  shops: number;
  runs: number;
}

/**
 * Rings, once, each task with a back-office doorbell for every installed shop that wants it and
 * whose feed has a change of the task's entities at or after the start of the task's last run
 * for the shop (any change when it never ran): the changes no notification may have told.
 * Three statements however many shops (the shops, their tasks' last runs, the back office's
 * newest changes), then one enqueue per run rung.
 */
export async function catchUpBackOffice(
  db: Db,
  tasks: readonly AnySyncTask[] = SYNC_TASKS,
): Promise<CatchUp> {
  const belled = tasks.filter((task) => task.manifest.backOfficeDoorbell !== undefined);
  if (belled.length === 0) return { shops: 0, runs: 0 };
  const shops = await db.shop.findMany({
    where: { uninstalledAt: null },
    select: { id: true, domain: true, settings: true },
  });
  const wanted = shops.flatMap((shop) =>
    belled.flatMap((task) => {
      const settings = shop.settings;
      return settings && task.manifest.backOfficeDoorbell!.wants(settings) ? [{ shop, task }] : [];
    }),
  );
  if (wanted.length === 0) return { shops: 0, runs: 0 };

  // The last run is the latest queued that started ("SyncRun" shopId+queuedAt, read backwards
  // to the first): a run queued earlier may have started later (it waited), and the earlier
  // start rings more, never less, than the latest would. Then the back office's newest change
  // of each shop and entity, one index entry each: asking it for any change after the run's
  // start would read every change of a shop that is up to date, the whole feed at each reconnect.
  const lastRuns = await db.$queryRaw<{ shopId: string; task: string; startedAt: Date }[]>`
    select w."shopId"::text as "shopId", w.task, last."startedAt"
      from unnest(${wanted.map((w) => w.shop.id)}::uuid[], ${wanted.map((w) => w.task.name)}::text[])
           as w("shopId", task)
      join lateral (select r."startedAt"
                      from "SyncRun" r
                     where r."shopId" = w."shopId" and r.task = w.task and r."startedAt" is not null
                     order by r."queuedAt" desc
                     limit 1) last on true`;
  const lastStart = new Map(lastRuns.map((run) => [`${run.shopId} ${run.task}`, new Date(run.startedAt)]));
  const asks = new Map<string, { shopId: string; entity: ChangeEntity }>();
  for (const { shop, task } of wanted)
    for (const entity of task.manifest.backOfficeDoorbell!.entities)
      asks.set(`${shop.id} ${entity}`, { shopId: shop.id, entity });
  const newest = await newestChanges(db, [...asks.values()]);
  const changedAt = new Map(newest.map((change) => [`${change.shopId} ${change.entity}`, change.at]));

  const rung = new Set<string>();
  let runs = 0;
  for (const { shop, task } of wanted) {
    const since = lastStart.get(`${shop.id} ${task.name}`);
    const due = task.manifest.backOfficeDoorbell!.entities.some((entity) => {
      const at = changedAt.get(`${shop.id} ${entity}`);
      return at !== undefined && (since === undefined || at >= since);
    });
    if (!due) continue;
    try {
      await enqueueSync(db, task, { shop: shop.domain, trigger: "back_office", jobKey: true });
      rung.add(shop.id);
      runs += 1;
    } catch (error) {
      log.warn(
        { error: message(error), shop: shop.domain, task: task.name },
        "back-office doorbell: the run for a missed change could not be queued",
      );
    }
  }
  return { shops: rung.size, runs };
}

function parse(payload: string | undefined): { shopId: string; entity: ChangeEntity } | null {
  try {
    const note = JSON.parse(payload ?? "") as { shopId?: unknown; entity?: unknown };
    if (typeof note.shopId !== "string" || !(CHANGE_ENTITIES as readonly unknown[]).includes(note.entity))
      return null;
    return { shopId: note.shopId, entity: note.entity as ChangeEntity };
  } catch {
    return null;
  }
}

export interface BackOfficeListener {
  close: () => Promise<void>;
}

export interface BackOfficeListenerOptions {
  /** Overrides of the listening connection's settings (the app's database by default). */
  connection?: pg.ClientConfig;
  reconnectMs?: number;
  checkEveryMs?: number;
  checkTimeoutMs?: number;
}

/**
 * Listens for back-office changes until closed, listening again when the connection is lost
 * or stops answering, and catching up on what it may have missed each time it listens.
 */
export function listenForBackOfficeChanges(
  db: Db = prisma,
  options: BackOfficeListenerOptions = {},
): BackOfficeListener {
  const reconnectMs = options.reconnectMs ?? RECONNECT_MS;
  const checkTimeoutMs = options.checkTimeoutMs ?? CHECK_TIMEOUT_MS;
  let closed = false;
  let connection: pg.Client | null = null;
  let timer: NodeJS.Timeout | undefined;
  let checking = false;
  // Notifications and catch-ups are handled one at a time, in order, so a burst queues one run.
  let queue = Promise.resolve();
  const handle = (work: () => Promise<void>) => {
    queue = queue.then(work, () => undefined);
  };

  const again = () => {
    connection = null;
    if (!closed) {
      timer = setTimeout(() => void connect(), reconnectMs);
      timer.unref();
    }
  };
  /** Gives up the listening connection (once) and listens again on a new one. */
  const lose = (client: pg.Client, why: string) => {
    if (closed || connection !== client) return;
    log.warn({ error: why }, "back-office doorbell: connection lost; listening again");
    // With a query hanging on it, end() destroys the socket rather than wait for the server.
    void client.end().catch(() => undefined);
    again();
  };
  const check = async (client: pg.Client) => {
    checking = true;
    let timeout: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        client.query("select 1"),
        new Promise((_, reject) => {
          timeout = setTimeout(
            () => reject(new Error(`no answer to select 1 in ${checkTimeoutMs} ms`)),
            checkTimeoutMs,
          );
          timeout.unref();
        }),
      ]);
    } catch (error) {
      lose(client, message(error));
    } finally {
      clearTimeout(timeout);
      checking = false;
    }
  };
  const checker = setInterval(() => {
    if (connection && !checking) void check(connection);
  }, options.checkEveryMs ?? CHECK_EVERY_MS);
  checker.unref();

  const connect = async () => {
    timer = undefined;
    const client = new pg.Client({
      ...pgPool().options,
      application_name: LISTENER_APPLICATION_NAME,
      ...options.connection,
      keepAlive: true,
      keepAliveInitialDelayMillis: KEEPALIVE_DELAY_MS,
    });
    client.on("error", (error) => lose(client, error.message));
    // A connection the server or the network closed without an error message ends alone.
    client.on("end", () => lose(client, "the connection ended"));
    client.on("notification", (notification) => {
      const note = parse(notification.payload);
      if (!note) return;
      handle(() =>
        ringBackOffice(db, note).then(
          () => undefined,
          (error: unknown) =>
            log.warn(
              { error: message(error), ...note },
              "back-office doorbell: the run could not be queued (the schedule will catch up)",
            ),
        ),
      );
    });
    try {
      await client.connect();
      await client.query(`listen ${BACKOFFICE_CHANNEL}`);
      if (closed) {
        await client.end().catch(() => undefined);
        return;
      }
      connection = client;
    } catch (error) {
      await client.end().catch(() => undefined);
      log.warn({ error: message(error) }, "back-office doorbell: cannot listen yet; trying again");
      again();
      return;
    }
    // Listening: what changes from now on is a notification; what changed before is in the feed.
    handle(async () => {
      try {
        const caught = await catchUpBackOffice(db);
        if (caught.shops > 0)
          log.info(caught, "back-office doorbell: caught up on changes made while no one listened");
      } catch (error) {
        log.warn(
          { error: message(error) },
          "back-office doorbell: could not catch up on missed changes (the next change rings its shop)",
        );
      }
    });
  };
  void connect();
  return {
    close: async () => {
      closed = true;
      clearTimeout(timer);
      clearInterval(checker);
      await connection?.end().catch(() => undefined);
      await queue;
    },
  };
}
