import pg from "pg";
import { CHANGE_ENTITIES, type ChangeEntity } from "../backoffice/backoffice.server";
import prisma, { pgPool, type Db } from "../db.server";
import { enqueueSync } from "../jobs/enqueue.server";
import { log } from "../log.server";
import { backOfficeDoorbellTasks } from "./index.server";

/**
 * The back office's doorbell, the other way round from Shopify's webhooks: every write to the
 * back office's change feed notifies `BACKOFFICE_CHANNEL` at commit (a trigger on "BoChange",
 * migration 20261206000000_product_links) with the shop and entity, and each worker process
 * listens. A change rings the tasks whose manifest follows the entity and whose shop wants it
 * (the products export when "Sync items" is "to Shopify"): one waiting run per shop and task
 * (the job key), which reads the feed and sends just what changed. A notification missed while
 * no worker listened is caught by the next run or the schedule: the feed keeps the change.
 */

export const BACKOFFICE_CHANNEL = "bos_backoffice_change";

/** Delay before listening again after the connection was lost. */
const RECONNECT_MS = 1000;

/** Queues the runs one change notification asks for; returns how many it queued or joined. */
export async function ringBackOffice(
  db: Db,
  note: { shopId: string; entity: ChangeEntity },
): Promise<number> {
  const shop = await db.shop.findUnique({ where: { id: note.shopId }, include: { settings: true } });
  if (!shop?.settings || shop.uninstalledAt) return 0;
  const tasks = backOfficeDoorbellTasks(note.entity, shop.settings);
  for (const task of tasks)
    await enqueueSync(db, task, { shop: shop.domain, trigger: "back_office", jobKey: true });
  return tasks.length;
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

/** Listens for back-office changes until closed, listening again when the connection is lost. */
export function listenForBackOfficeChanges(db: Db = prisma): BackOfficeListener {
  let closed = false;
  let connection: pg.Client | null = null;
  let timer: NodeJS.Timeout | undefined;
  // Notifications are handled one at a time, in order, so a burst queues one run.
  let queue = Promise.resolve();

  const again = () => {
    connection = null;
    if (!closed) timer = setTimeout(() => void connect(), RECONNECT_MS);
  };
  const connect = async () => {
    const client = new pg.Client(pgPool().options);
    client.on("error", (error) => {
      log.warn({ error: error.message }, "back-office doorbell: connection lost; listening again");
      void client.end().catch(() => undefined);
      if (connection === client) again();
    });
    client.on("notification", (message) => {
      const note = parse(message.payload);
      if (!note) return;
      queue = queue.then(
        () =>
          ringBackOffice(db, note).then(
            () => undefined,
            (error: unknown) =>
              log.warn(
                { error: error instanceof Error ? error.message : String(error), ...note },
                "back-office doorbell: the run could not be queued (the schedule will catch up)",
              ),
          ),
        () => undefined,
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
      log.warn(
        { error: error instanceof Error ? error.message : String(error) },
        "back-office doorbell: cannot listen yet; trying again",
      );
      again();
    }
  };
  void connect();
  return {
    close: async () => {
      closed = true;
      clearTimeout(timer);
      await connection?.end().catch(() => undefined);
      await queue;
    },
  };
}
