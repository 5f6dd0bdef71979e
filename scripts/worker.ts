// `npm run worker`: runs the graphile-worker tasks in tasks/ until SIGINT/SIGTERM, then
// finishes the jobs in hand and exits.
//
// Losing the database (Postgres restarting, a failover) ends graphile-worker's pool: a query
// of its own failing with the connection refused or cut, or a job's completion it could not
// write, shuts the pool down ("the queue is in an inconsistent state"), and that shutdown may
// never finish. The process does not end with it: it starts a new pool once the database
// answers again without waiting for the old one, and the jobs and runs the old pool held are
// crash recovery's (app/jobs/recovery.server.ts), as a stopped worker's are.
import { parseArgs } from "node:util";
import { describeError } from "../app/errors.server";
import { startWorker, type WorkerRunner } from "../app/jobs/worker.server";
import { log } from "../app/log.server";
import { prepareDatabase } from "./runtime";

const { values } = parseArgs({ options: { data: { type: "string" }, concurrency: { type: "string" } } });
const database = await prepareDatabase(values.data);
const start = () =>
  startWorker({
    connectionString: database.url,
    concurrency: values.concurrency ? Number(values.concurrency) : undefined,
    noHandleSignals: true,
  });
let runner: WorkerRunner = await start();

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, "worker stopping: finishing jobs in hand");
  await runner.stop().catch(() => undefined);
  await database.stop();
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
for (;;) {
  // A pool that gives up may take long to finish, or never: the next one starts without it.
  const ended = await Promise.race([
    runner.promise.then(
      () => null,
      (error: unknown) => error,
    ),
    runner.lost.then((reason) => new Error(reason)),
  ]);
  if (stopping) break;
  log.error(
    { error: ended ? describeError(ended) : null },
    "the worker pool stopped by itself (the database lost?); starting a new one when the database answers",
  );
  for (let wait = 500; !stopping; wait = Math.min(wait * 2, 10_000)) {
    await sleep(wait);
    if (stopping) break;
    try {
      runner = await start();
      log.warn({}, "worker pool started again");
      break;
    } catch (error) {
      log.warn({ error: describeError(error) }, "the database does not answer yet; trying again");
    }
  }
  if (stopping) break;
}
