// `npm run worker`: runs the graphile-worker tasks in tasks/ until SIGINT/SIGTERM, then
// finishes the jobs in hand and exits.
//
// Losing the database (Postgres restarting, a failover) ends graphile-worker's pool: a query
// of its own failing with the connection refused or cut, or a job's completion it could not
// write, shuts the pool down ("the queue is in an inconsistent state"), and that shutdown may
// never finish. The process does not end with it: it starts a new pool once the database
// answers again without waiting for the old one, and the jobs and runs the old pool held are
// crash recovery's (app/jobs/recovery.server.ts), as a stopped worker's are. The same goes for
// a database lost while the process starts (its migrations, the first pool, its heartbeat
// row): it tries again until the database answers, rather than end there. Only what trying
// again cannot change ends it: a migration refused, a task file without its task.
import { parseArgs } from "node:util";
import type { LocalDatabase } from "../app/db/embedded.server";
import { MigrationError } from "../app/db/migrate.server";
import { describeError } from "../app/errors.server";
import { loadTasks, startWorker, type WorkerRunner } from "../app/jobs/worker.server";
import { log } from "../app/log.server";
import prisma from "../app/db.server";
import { readMissingShopTimeZones } from "../app/shops/shops.server";
import { prepareDatabase } from "./runtime";

const { values } = parseArgs({ options: { data: { type: "string" }, concurrency: { type: "string" } } });

let stopping = false;
let database: LocalDatabase | null = null;
let runner: WorkerRunner | null = null;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, "worker stopping: finishing jobs in hand");
  await runner?.stop().catch(() => undefined);
  await database?.stop();
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `attempt` until it succeeds, waiting longer after each failure (up to 10 s); null when the
 * process is told to stop meanwhile. An error `fatal` says trying again cannot change ends it.
 */
async function whenTheDatabaseAnswers<T>(
  attempt: () => Promise<T>,
  fatal: (error: unknown) => boolean = () => false,
): Promise<T | null> {
  for (let wait = 500; !stopping; wait = Math.min(wait * 2, 10_000)) {
    try {
      return await attempt();
    } catch (error) {
      if (fatal(error)) throw error;
      log.warn({ error: describeError(error) }, "the database does not answer yet; trying again");
    }
    await sleep(wait);
  }
  return null;
}

async function main(): Promise<void> {
  database = await whenTheDatabaseAnswers(
    () => prepareDatabase(values.data),
    (error) => error instanceof MigrationError,
  );
  if (!database) return;
  const connectionString = database.url;
  // Loaded once, before any pool: a task file without its task ends the process at once.
  const taskList = await loadTasks();
  const start = () =>
    startWorker({
      connectionString,
      concurrency: values.concurrency ? Number(values.concurrency) : undefined,
      noHandleSignals: true,
      taskList,
    });

  for (let restarted = false; !stopping; restarted = true) {
    const started = await whenTheDatabaseAnswers(start);
    if (!started) return;
    runner = started;
    if (restarted) log.warn({}, "worker pool started again");
    // Once a process: the shops recorded before time zones learn theirs from Shopify.
    else void readMissingShopTimeZones(prisma);
    // A pool that gives up may take long to finish, or never: the next one starts without it.
    const ended = await Promise.race([
      started.promise.then(
        () => null,
        (error: unknown) => error,
      ),
      started.lost.then((reason) => new Error(reason)),
    ]);
    if (stopping) return;
    log.error(
      { error: ended ? describeError(ended) : null },
      "the worker pool stopped by itself (the database lost?); starting a new one when the database answers",
    );
    await sleep(500);
  }
}

await main();
