// `npm run worker`: runs the graphile-worker tasks in tasks/ until SIGINT/SIGTERM, then
// finishes the jobs in hand and exits.
import { parseArgs } from "node:util";
import { startWorker } from "../app/jobs/worker.server";
import { log } from "../app/log.server";
import { prepareDatabase } from "./runtime";

const { values } = parseArgs({ options: { data: { type: "string" }, concurrency: { type: "string" } } });
const database = await prepareDatabase(values.data);
const runner = await startWorker({
  connectionString: database.url,
  concurrency: values.concurrency ? Number(values.concurrency) : undefined,
  noHandleSignals: true,
});

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, "worker stopping: finishing jobs in hand");
  await runner.stop();
  await database.stop();
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
await runner.promise;
