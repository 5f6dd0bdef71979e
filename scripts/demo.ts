// `npm run demo`: the whole loop on one machine with no Shopify account. Starts the local
// Postgres (or uses DATABASE_URL), migrates, starts the store simulator with a seeded demo
// shop, the app and a worker; installs the app on the shop through the real install path
// (session token -> token exchange); queues the initial syncs; then places an order in the
// simulated shop every few seconds so the pipeline can be watched. Ctrl-C stops everything.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { parseArgs } from "node:util";
import { startWorker } from "../app/jobs/worker.server";
import { log } from "../app/log.server";
import { readAppConfig } from "../simulator/app-config.server";
import { prepareDatabase } from "./runtime";
import { placeDemoOrder } from "./demo-traffic";

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

const database = await prepareDatabase(values.data);
const children: ChildProcess[] = [];
const bin = (name: string) => path.resolve("node_modules/.bin", name);

function startChild(name: string, command: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(command, args, { stdio: ["ignore", "inherit", "inherit"], env });
  child.on("exit", (code, signal) => {
    if (!stopping) void shutdown(`${name} exited (${signal ?? code})`, 1);
  });
  children.push(child);
  return child;
}

async function waitForHttp(url: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
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
];
if (values["sim-access-token"]) simArgs.push("--access-token", values["sim-access-token"]);
startChild("simulator", bin("tsx"), simArgs, process.env);

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
const runner = await startWorker({ connectionString: database.url, noHandleSignals: true });

let stopping = false;
let traffic: NodeJS.Timeout | undefined;
async function shutdown(reason: string, code = 0) {
  if (stopping) return;
  stopping = true;
  log.info({ reason }, "demo stopping");
  if (traffic) clearInterval(traffic);
  for (const child of children) child.kill("SIGTERM");
  await runner.stop();
  await database.stop();
  process.exit(code);
}
process.on("SIGINT", () => void shutdown("Ctrl-C"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));

try {
  await waitForHttp(`${simUrl}/_sim/health`);
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
  await queueInitialSyncs(shop);

  process.stdout.write(`\nAdmin: ${appUrl}/app?embedded=1&shop=${shop}&host=${host}\n`);
  process.stdout.write(`Simulator: ${simUrl}  (control API under /_sim)\n`);
  process.stdout.write(
    `CLI: npm run cli -- status --shop ${shop}${values.data ? ` --data ${values.data}` : ""}\n\n`,
  );

  if (!values["no-traffic"]) {
    let placing = false;
    traffic = setInterval(() => {
      if (placing) return;
      placing = true;
      placeDemoOrder(simUrl, shop, values["sim-access-token"])
        .then((name) => log.info({ shop, order: name }, "demo order placed"))
        .catch((error: unknown) => log.warn({ error: (error as Error).message }, "demo order failed"))
        .finally(() => (placing = false));
    }, interval * 1000);
  }
} catch (error) {
  log.error({ error: (error as Error).message }, "demo could not start");
  await shutdown("start-up failed", 1);
}
