// `npm run demo`: the whole loop on one machine with no Shopify account. Starts the local
// Postgres (or uses DATABASE_URL), migrates, starts the store simulator with a seeded demo
// shop, the app and a worker; installs the app on the shop through the real install path
// (session token -> token exchange); queues the initial syncs; then places an order in the
// simulated shop every few seconds so the pipeline can be watched.
//
// A second run with the same data folder resumes: the simulator keeps its shop in the data
// folder (scripts/demo-state.ts). Ctrl-C stops everything in order: the terminal's SIGINT
// reaches only this process (the simulator, the app and Postgres run in process groups of
// their own), which stops the worker (the jobs in hand finish), then the simulator (it saves
// the shop) and the app, and Postgres last, once nothing is connected to it.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import type { Runner } from "graphile-worker";
import { dataDirFrom } from "../app/db/embedded.server";
import { startWorker } from "../app/jobs/worker.server";
import { log } from "../app/log.server";
import { readAppConfig } from "../simulator/app-config.server";
import { placeDemoOrder } from "./demo-traffic";
import { prepareDatabase } from "./runtime";

const USAGE = `usage: npm run demo -- [--port <app port>] [--sim-port <simulator port>] [--shop <name>]
       [--sim-access-token <token>] [--no-traffic] [--data <dir>] [--order-interval <seconds>]`;

let values;
try {
  ({ values } = parseArgs({
    options: {
      port: { type: "string", default: "3000" },
      "sim-port": { type: "string", default: "4010" },
      shop: { type: "string", default: "demo" },
      "sim-access-token": { type: "string" },
      "no-traffic": { type: "boolean", default: false },
      data: { type: "string" },
      "order-interval": { type: "string", default: "5" },
    },
    strict: true,
  }));
} catch (error) {
  process.stderr.write(`error: ${(error as Error).message}\n${USAGE}\n`);
  process.exit(2);
}

const appPort = Number(values.port);
const simPort = Number(values["sim-port"]);
const interval = Number(values["order-interval"]);
for (const [flag, port] of [
  ["--port", appPort],
  ["--sim-port", simPort],
] as const) {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    process.stderr.write(`error: ${flag} must be a port number\n${USAGE}\n`);
    process.exit(2);
  }
}
if (!(interval > 0)) {
  process.stderr.write(`error: --order-interval must be a positive number of seconds\n`);
  process.exit(2);
}
const shop = values.shop.endsWith(".myshopify.com") ? values.shop : `${values.shop}.myshopify.com`;
const appUrl = `http://127.0.0.1:${appPort}`;
const simUrl = `http://127.0.0.1:${simPort}`;
const apiKey = process.env.SHOPIFY_API_KEY ?? "demo-api-key";
const apiSecret = process.env.SHOPIFY_API_SECRET ?? "demo-api-secret";
const dataDir = dataDirFrom(values.data);
const stateFile = path.join(dataDir, "simulator-state.v8");

const database = await prepareDatabase(values.data);
const children: { name: string; child: ChildProcess; exited: Promise<void> }[] = [];
const bin = (name: string) => path.resolve("node_modules/.bin", name);
let stopping = false;
let runner: Runner | undefined;
let traffic: NodeJS.Timeout | undefined;
let placing: Promise<unknown> | undefined;

/** Signals a child's whole process group (whatever processes it started itself). */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals) {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

function startChild(name: string, command: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  // Detached: a process group of its own, so that the terminal's Ctrl-C reaches only the demo,
  // which stops the children in its order.
  const child = spawn(command, args, { stdio: ["ignore", "inherit", "inherit"], env, detached: true });
  const exited = new Promise<void>((resolve) => {
    child.on("exit", (code, signal) => {
      resolve();
      if (!stopping) void shutdown(`${name} exited (${signal ?? code})`, 1);
    });
    child.on("error", (error) => {
      resolve();
      if (!stopping) void shutdown(`${name} could not start (${error.message})`, 1);
    });
  });
  children.push({ name, child, exited });
  return child;
}

// Should this process end another way (an uncaught error), its children go with it.
process.on("exit", () => {
  for (const { child } of children) signalGroup(child, "SIGTERM");
});

async function waitForHttp(url: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (stopping) throw new Error("stopping");
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.status < 500) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not come up`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function stopChild(name: string, timeoutMs: number): Promise<void> {
  const entry = children.find((item) => item.name === name);
  if (!entry) return;
  signalGroup(entry.child, "SIGTERM");
  const timer = setTimeout(() => signalGroup(entry.child, "SIGKILL"), timeoutMs);
  await entry.exited;
  clearTimeout(timer);
}

async function shutdown(reason: string, code = 0) {
  if (stopping) return;
  stopping = true;
  log.info({ reason }, "demo stopping");
  if (traffic) clearInterval(traffic);
  await placing?.catch(() => undefined);
  // The worker first, while the simulator and the app still answer: the jobs in hand finish.
  await runner?.stop().catch((error: unknown) => log.error({ err: error }, "worker stop failed"));
  // The simulator next (it delivers what is on its way to the app, then saves the shop), then the app.
  await stopChild("simulator", 10_000);
  await stopChild("app", 10_000);
  const { default: prisma } = await import("../app/db.server");
  await prisma.$disconnect().catch(() => undefined);
  // Postgres last, when nothing is connected to it any more.
  await database.stop();
  process.exit(code);
}
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const)
  process.on(signal, () => void shutdown(signal === "SIGINT" ? "Ctrl-C" : signal));

const simArgs = [
  "scripts/simulator.ts",
  "--port",
  String(simPort),
  "--app-url",
  appUrl,
  "--api-key",
  apiKey,
  "--api-secret",
  apiSecret,
  "--shop",
  shop,
  "--seed",
  "demo",
  "--state",
  stateFile,
];
if (values["sim-access-token"]) simArgs.push("--access-token", values["sim-access-token"]);
// Whether the simulator will find the shop the last demo saved (it removes the file as it reads it).
const savedShop = existsSync(stateFile);
// Node with tsx's loader rather than the tsx command, whose wrapper kills a child that takes
// more than 60 ms to acknowledge a signal (a busy event loop), before it has saved the shop.
startChild("simulator", process.execPath, ["--import", "tsx", ...simArgs], process.env);

const appEnv: NodeJS.ProcessEnv = {
  ...process.env,
  DATABASE_URL: database.url,
  SHOPIFY_API_KEY: apiKey,
  SHOPIFY_API_SECRET: apiSecret,
  SHOPIFY_APP_URL: appUrl,
  SCOPES: readAppConfig().scopes,
  SHOPIFY_ADMIN_ORIGIN: simUrl,
  APP_BRIDGE_URL: `${simUrl}/_sim/app-bridge.js`,
};
Object.assign(process.env, appEnv);
startChild("app", bin("remix"), ["vite:dev", "--port", String(appPort), "--strictPort"], appEnv);

/**
 * What the app's database knows of the shop, against the simulated shop that started:
 * - "new": nothing (first demo, or a fresh data folder);
 * - "resumed": the shop the last demo saved, whose token the app holds;
 * - "cleared": the app knew a shop the simulator does not have (the last demo did not stop
 *   cleanly, so its shop was not saved): the app's data for it is removed, as if never
 *   installed, so that the demo starts afresh instead of failing with Shopify's 401.
 */
async function reconcileShop(): Promise<"new" | "resumed" | "cleared"> {
  const { default: prisma } = await import("../app/db.server");
  const [known, session] = await Promise.all([
    prisma.shop.findUnique({ where: { domain: shop } }),
    prisma.session.findUnique({ where: { id: `offline_${shop}` } }),
  ]);
  if (!known && !session) return "new";
  if (savedShop && session?.accessToken) {
    const answer = await fetch(`${simUrl}/shops/${shop}/admin/api/2026-07/graphql.json`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-shopify-access-token": session.accessToken },
      body: JSON.stringify({ query: "{ shop { id } }" }),
    });
    if (answer.ok) return "resumed";
  }
  const { forgetShop } = await import("./demo-state");
  await forgetShop(prisma, shop);
  return "cleared";
}

try {
  await waitForHttp(`${simUrl}/_sim/health`);
  const start = await reconcileShop();
  if (start === "resumed")
    process.stdout.write(
      `Resuming the demo in ${dataDir}: the shop and the app's data as the last demo left them.\n`,
    );
  if (start === "cleared")
    process.stdout.write(
      `Starting the demo afresh: the last one in ${dataDir} did not stop cleanly, so its simulated shop was not saved, and the app's data for ${shop} was cleared.\n`,
    );
  // The worker once the app's data matches the shop (a schedule must not fire for a stale one).
  runner = await startWorker({ connectionString: database.url, noHandleSignals: true });
  if (stopping) await runner.stop();

  await waitForHttp(`${appUrl}/`);
  // Shopify admin opens the embedded app with a session token; the app exchanges it.
  const { token } = (await (await fetch(`${simUrl}/_sim/session-token?shop=${shop}`)).json()) as {
    token: string;
  };
  const host = Buffer.from(`${shop}/admin`).toString("base64url");
  const install = await fetch(`${appUrl}/app?embedded=1&shop=${shop}&host=${host}&id_token=${token}`, {
    headers: {
      "user-agent":
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
    },
  });
  if (install.status !== 200) throw new Error(`install failed: the app answered ${install.status}`);
  log.info({ shop }, "app installed on the simulated shop");

  const { queueInitialSyncs } = await import("./demo-initial-syncs");
  const { stock } = await queueInitialSyncs(shop, { setUp: start !== "resumed" });

  const dataFlag = values.data ? ` --data ${values.data}` : "";
  process.stdout.write(`\nAdmin: ${appUrl}/app?embedded=1&shop=${shop}&host=${host}\n`);
  process.stdout.write(`Simulator: ${simUrl}  (control API under /_sim)\n`);
  process.stdout.write(`CLI: npm run cli -- status --shop ${shop}${dataFlag}\n`);
  process.stdout.write(
    stock
      ? `Stock: npm run cli -- adjust ${stock.itemNo} --variant ${stock.variantCode} --shop ${shop} --location ${stock.locationCode} --quantity 5${dataFlag}\n` +
          `       then, within seconds, ${stock.sku}'s on hand at "${stock.locationName}" in the simulated shop is 5 more: ${simUrl}/_sim/shops/${shop}/stock?sku=${stock.sku}\n\n`
      : `Stock: no Shopify location takes its stock from the back office's MAIN location (Admin: Locations)\n\n`,
  );

  if (!values["no-traffic"]) {
    traffic = setInterval(() => {
      if (placing || stopping) return;
      placing = placeDemoOrder(simUrl, shop)
        .then((name) => log.info({ shop, order: name }, "demo order placed"))
        .catch((error: unknown) => log.warn({ error: (error as Error).message }, "demo order failed"))
        .finally(() => (placing = undefined));
    }, interval * 1000);
  }
} catch (error) {
  if (!stopping) {
    log.error({ error: (error as Error).message }, "demo could not start");
    await shutdown("start-up failed", 1);
  }
}
