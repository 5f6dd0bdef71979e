// `npm run dev`: the app as a developer runs it. Finds or starts the database (the local
// Postgres in .data when DATABASE_URL is unset), migrates it, then runs the Remix dev server
// and a worker until Ctrl-C. Under `shopify app dev` the Shopify CLI supplies the app's
// credentials and tunnel URL in the environment; without it, local placeholders are used
// and the app serves, but only Shopify (or the simulator) can open its embedded pages.
// Ctrl-C stops the worker (the jobs in hand finish) and the dev server, and the local
// Postgres last (it runs in a process group of its own, so the terminal's SIGINT spares it).
import { spawn } from "node:child_process";
import path from "node:path";
import { parseArgs } from "node:util";
import { startWorker } from "../app/jobs/worker.server";
import { log } from "../app/log.server";
import prisma from "../app/db.server";
import { readMissingShopTimeZones } from "../app/shops/shops.server";
import { prepareDatabase } from "./runtime";

const { values } = parseArgs({ options: { data: { type: "string" }, port: { type: "string" } } });
const port = Number(values.port ?? process.env.PORT ?? 3000);
const database = await prepareDatabase(values.data);

process.env.SHOPIFY_API_KEY ??= "local-dev-api-key";
process.env.SHOPIFY_API_SECRET ??= "local-dev-api-secret";
process.env.SHOPIFY_APP_URL ??= `http://127.0.0.1:${port}`;
process.env.SCOPES ??= "read_orders,write_orders";

const runner = await startWorker({ connectionString: database.url, noHandleSignals: true });
// The shops recorded before time zones learn theirs from Shopify, in the background.
void readMissingShopTimeZones(prisma);
const app = spawn(
  path.resolve("node_modules/.bin/remix"),
  ["vite:dev", "--port", String(port), "--strictPort"],
  { stdio: "inherit", env: process.env },
);
const appExited = new Promise<void>((resolve) => app.on("exit", () => resolve()));
log.info(
  { url: `http://127.0.0.1:${port}`, database: database.url.replace(/:[^:@/]+@/, ":***@") },
  "app starting",
);

let stopping = false;
async function shutdown(reason: string, code = 0) {
  if (stopping) return;
  stopping = true;
  log.info({ reason }, "stopping");
  if (app.exitCode === null && app.signalCode === null) app.kill("SIGTERM");
  await runner.stop();
  await appExited;
  await prisma.$disconnect().catch(() => undefined);
  // Postgres last, when nothing is connected to it any more.
  await database.stop();
  process.exit(code);
}
app.on("exit", (code) => void shutdown("the app server exited", code ?? 1));
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const)
  process.on(signal, () => void shutdown(signal));
