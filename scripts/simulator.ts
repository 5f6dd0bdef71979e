// `npm run simulator -- [options]`: a local Shopify (Admin GraphQL API 2026-07, OAuth,
// webhooks, control API under /_sim) for the demo, the tests and anyone without a store.
import path from "node:path";
import { parseArgs } from "node:util";
import { createSimulatorServer, listen } from "../simulator/http/server.server";
import { readAppConfig } from "../simulator/app-config.server";
import { isPreset, PRESETS, seedShop } from "../simulator/seed/seed.server";
import { Simulator } from "../simulator/simulator.server";
import type { Plan } from "../simulator/state/shop-state.server";
import { loadSimulatorState, saveSimulatorState } from "./demo-state";

const USAGE = `usage: npm run simulator -- [--port <p>] [--app-url <url>] [--api-key <key>] [--api-secret <secret>]
       [--access-token <token>] [--shop <name>] [--seed demo|empty|large] [--plan standard|advanced|plus]
       [--retry-scale <factor>] [--state <file>]`;

function fail(message: string): never {
  process.stderr.write(`error: ${message}\n${USAGE}\n`);
  process.exit(2);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      port: { type: "string", default: "4010" },
      "app-url": { type: "string" },
      "api-key": { type: "string", default: process.env.SHOPIFY_API_KEY ?? "local-dev-api-key" },
      "api-secret": { type: "string", default: process.env.SHOPIFY_API_SECRET ?? "local-dev-api-secret" },
      "access-token": { type: "string" },
      shop: { type: "string", default: "demo" },
      seed: { type: "string", default: "demo" },
      plan: { type: "string", default: "standard" },
      "retry-scale": { type: "string", default: "1" },
      state: { type: "string" },
    },
    strict: true,
  }));
} catch (error) {
  fail((error as Error).message);
}

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535)
  fail(`--port must be a port number, not ${values.port}`);
if (!isPreset(values.seed)) fail(`--seed must be one of ${Object.keys(PRESETS).join(", ")}`);
if (!["standard", "advanced", "plus"].includes(values.plan))
  fail("--plan must be standard, advanced or plus");
const retryScale = Number(values["retry-scale"]);
if (!(retryScale > 0)) fail("--retry-scale must be a positive number");
const appUrl = values["app-url"] ?? null;
if (appUrl) {
  try {
    new URL(appUrl);
  } catch {
    fail(`--app-url is not a URL: ${appUrl}`);
  }
}

const config = readAppConfig();
const sim = new Simulator({
  apiKey: values["api-key"],
  apiSecret: values["api-secret"],
  appUrl,
  accessToken: values["access-token"] ?? null,
  scopes: config.scopes,
  plan: values.plan as Plan,
  webhookPaths: config.webhookPaths,
  retryScale,
  seed: 1,
});
// --state: the shops as the last run left them (the file is then removed), written back on stop.
const stateFile = values.state ? path.resolve(values.state) : null;
let resumed: { shops: number; orders: number } | null = null;
try {
  resumed = stateFile ? loadSimulatorState(sim, stateFile) : null;
} catch (error) {
  fail((error as Error).message);
}
const known = sim.shops.has(Simulator.normaliseDomain(values.shop));
const shop = sim.shop(values.shop);
if (!known) seedShop(shop, PRESETS[values.seed], sim.clock.now());
const server = createSimulatorServer(sim);
const bound = await listen(server, port);
process.stdout.write(
  `Shopify simulator on http://127.0.0.1:${bound} (shop ${shop.domain}, ${
    known && resumed ? `resumed: ${resumed.orders} orders` : `seed ${values.seed}`
  }, plan ${values.plan})\n`,
);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  // No more retries; what is on its way to the app gets a moment to arrive.
  sim.webhooks.stop();
  await sim.webhooks.idle(3000);
  if (stateFile) {
    const saved = saveSimulatorState(sim, stateFile);
    process.stdout.write(`Simulator state saved to ${stateFile} (${saved.orders} orders)\n`);
  }
  server.close(() => process.exit(0));
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());
process.on("SIGHUP", () => void stop());
