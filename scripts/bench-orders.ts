// `npm run bench:orders`: the order pipeline's figures against the store simulator and real
// Postgres (a fresh database on DATABASE_URL's server, or on the local Postgres):
//   1. webhook acknowledgement latency under a burst of 200 webhooks/s;
//   2. webhook-to-sales-document latency at a steady 5 orders/s, with 5% of webhooks
//      delivered twice and 5% delivered late, and the orders lost or duplicated;
//   3. Admin API points requested and used per imported order, and what a scheduled
//      reconcile (the last hour, the first time) costs;
//   4. orders imported per minute at the Standard plan's rate limit (a first import of
//      500 open orders).
// Options: --burst-rate, --burst-seconds, --order-rate, --order-seconds, --throughput-orders,
// --ack-only (phase 1 alone). BENCH_APP_NODE_OPTIONS is passed to the app's process as
// NODE_OPTIONS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the webhook path).
import { execFileSync, spawn } from "node:child_process";
import { createHmac, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { freePort, resolveDatabase } from "../app/db/embedded.server";
import { migrate } from "../app/db/migrate.server";
import { migrateWorkerSchema } from "../app/jobs/worker.server";
import { log } from "../app/log.server";
import { readAppConfig } from "../simulator/app-config.server";
import { createSimulatorServer, listen } from "../simulator/http/server.server";
import { signSessionToken } from "../simulator/http/oauth.server";
import { PRESETS, seedShop } from "../simulator/seed/seed.server";
import { Simulator } from "../simulator/simulator.server";

const { values } = parseArgs({
  options: {
    "burst-rate": { type: "string", default: "200" },
    "burst-seconds": { type: "string", default: "3" },
    "order-rate": { type: "string", default: "5" },
    "order-seconds": { type: "string", default: "30" },
    "throughput-orders": { type: "string", default: "500" },
    // Only the acknowledgement burst (phase 1), for working on the webhook path.
    "ack-only": { type: "boolean", default: false },
  },
});
const BURST_RATE = Number(values["burst-rate"]);
const BURST_SECONDS = Number(values["burst-seconds"]);
const ORDER_RATE = Number(values["order-rate"]);
const ORDER_SECONDS = Number(values["order-seconds"]);
const THROUGHPUT_ORDERS = Number(values["throughput-orders"]);
const ACK_ONLY = values["ack-only"];

const API_KEY = "bench-api-key";
const API_SECRET = "bench-api-secret";

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
const ms = (value: number) => `${value.toFixed(1)} ms`;
const sleep = (time: number) => new Promise((resolve) => setTimeout(resolve, time));
const out = (line: string) => process.stdout.write(`${line}\n`);

// A database of its own, migrated, before any app module reads DATABASE_URL.
const server = await resolveDatabase();
const database = `bench_${Date.now().toString(36)}`;
{
  const client = new pg.Client({ connectionString: `${server.serverUrl}/postgres` });
  await client.connect();
  await client.query(`create database "${database}"`);
  await client.end();
}
const databaseUrl = `${server.serverUrl}/${database}`;
process.env.DATABASE_URL = databaseUrl;
// The worker's per-run lines would bury the figures: warnings and errors only, unless asked.
// (log.server was loaded by the imports above, before this line could set LOG_LEVEL.)
process.env.LOG_LEVEL ??= "warn";
log.level = process.env.LOG_LEVEL;
await migrate(databaseUrl);
await migrateWorkerSchema(databaseUrl);

const config = readAppConfig();
const sim = new Simulator({
  apiKey: API_KEY,
  apiSecret: API_SECRET,
  appUrl: null,
  accessToken: null,
  scopes: config.scopes,
  plan: "standard",
  webhookPaths: config.webhookPaths,
  retryScale: 0.001,
  seed: 11,
});
const simServer = createSimulatorServer(sim);
const simUrl = `http://127.0.0.1:${await listen(simServer, 0)}`;
Object.assign(process.env, {
  SHOPIFY_API_KEY: API_KEY,
  SHOPIFY_API_SECRET: API_SECRET,
  SHOPIFY_ADMIN_ORIGIN: simUrl,
  SCOPES: config.scopes,
});
// The app as it runs in production: built, served by `npm start` (scripts/start.ts) in a
// process of its own, so the load generator and the worker in this process do not share its
// event loop.
execFileSync(path.resolve("node_modules/.bin/remix"), ["vite:build"], { stdio: "ignore" });
const appPort = await freePort();
const appUrl = `http://127.0.0.1:${appPort}`;
process.env.SHOPIFY_APP_URL = appUrl;
// `node --import tsx` rather than the tsx CLI: one process, whose CPU the figures read.
const appProcess = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
  env: {
    ...process.env,
    PORT: String(appPort),
    HOST: "127.0.0.1",
    NODE_ENV: "production",
    LOG_LEVEL: "warn",
    NODE_OPTIONS: process.env.BENCH_APP_NODE_OPTIONS ?? "",
  },
  stdio: ["ignore", "ignore", "inherit"],
});
for (let tries = 0; ; tries++) {
  try {
    await fetch(`${appUrl}/`);
    break;
  } catch (error) {
    if (tries > 200) throw error;
    await sleep(100);
  }
}
const app = {
  url: appUrl,
  close: () =>
    new Promise<void>((resolve) => {
      appProcess.once("exit", () => resolve());
      appProcess.kill("SIGTERM");
    }),
};
sim.options.appUrl = app.url;

const { default: prisma } = await import("../app/db.server");
const { createItem } = await import("../app/backoffice/backoffice.server");
const { startWorker } = await import("../app/jobs/worker.server");
const { runInForeground } = await import("../app/jobs/foreground.server");
const { syncOrdersTask } = await import("../app/sync/orders/task.server");

async function install(domain: string): Promise<string> {
  const host = Buffer.from(`${domain}/admin`).toString("base64url");
  const response = await fetch(
    `${app.url}/app?embedded=1&shop=${domain}&host=${host}&id_token=${signSessionToken(sim, domain)}`,
    {
      headers: {
        "user-agent":
          "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
      },
    },
  );
  if (response.status !== 200) throw new Error(`install of ${domain} failed: ${response.status}`);
  const shop = await prisma.shop.findUniqueOrThrow({ where: { domain } });
  // The shop's default 15-minute order schedule could fire mid-phase and blur the figures; the
  // bench runs one scheduled reconcile itself, at a known point.
  await prisma.schedule.updateMany({ where: { shopId: shop.id }, data: { enabled: false, nextRunAt: null } });
  for (const variant of sim.shop(domain).variants.values()) {
    if (variant.sku)
      await createItem(prisma, shop.id, {
        no: variant.sku,
        description: variant.title,
        unitPrice: variant.price,
      });
  }
  return shop.id;
}

async function adminGraphql<T>(
  domain: string,
  token: string,
  query: string,
  variables: Record<string, unknown>,
): Promise<T> {
  const response = await fetch(`${simUrl}/shops/${domain}/admin/api/2026-07/graphql.json`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-shopify-access-token": token },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join("; "));
  return body.data!;
}

out(`bench:orders  (simulator ${simUrl}, app ${app.url}, database ${database})`);

async function finish(): Promise<never> {
  await app.close();
  sim.webhooks.stop();
  simServer.close();
  await prisma.$disconnect();
  {
    const client = new pg.Client({ connectionString: `${server.serverUrl}/postgres` });
    await client.connect();
    await client.query(`drop database if exists "${database}" with (force)`);
    await client.end();
  }
  await server.stop();
  process.exit(0);
}

// ---- 1. acknowledgement latency under a burst --------------------------------------------
const main = "bench.myshopify.com";
seedShop(
  sim.shop(main),
  { ...PRESETS.empty, locations: 1, products: 40, variantsPerProduct: 3 },
  sim.clock.now(),
);
const mainShopId = await install(main);
await prisma.shopSettings.update({ where: { shopId: mainShopId }, data: { autoProcessOrders: true } });

// Where the CPU went during the burst (Linux /proc; the machine may be shared): the app's
// process, this process (load generator and simulator), the Postgres backends of the bench
// database, and everything else on the machine.
const TICK_MS = 10; // USER_HZ is 100 on Linux
const ticksOf = (pid: number) => {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return Number(fields[11]) + Number(fields[12]); // utime + stime
  } catch {
    return 0;
  }
};
const machineTicks = () => {
  const [, ...values] = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/);
  // user nice system idle iowait irq softirq steal: busy is all but idle and iowait
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = values.map(Number);
  return user + nice + system + irq + softirq + steal;
};
async function cpuSnapshot() {
  const backends = await prisma.$queryRaw<{ pid: number }[]>`
    select pid from pg_stat_activity where datname = current_database()`;
  return {
    at: performance.now(),
    machine: machineTicks(),
    app: ticksOf(appProcess.pid!),
    bench: process.cpuUsage(),
    postgres: new Map(backends.map(({ pid }) => [pid, ticksOf(pid)])),
  };
}
async function cpuSince(before: Awaited<ReturnType<typeof cpuSnapshot>>) {
  const after = await cpuSnapshot();
  const wall = after.at - before.at;
  const share = (ms: number) => `${Math.round((100 * ms) / wall)}%`;
  const app = (after.app - before.app) * TICK_MS;
  const benchUsage = process.cpuUsage(before.bench);
  const bench = (benchUsage.user + benchUsage.system) / 1000;
  let postgres = 0;
  for (const [pid, ticks] of after.postgres) postgres += (ticks - (before.postgres.get(pid) ?? 0)) * TICK_MS;
  const machine = (after.machine - before.machine) * TICK_MS;
  return `CPU over ${(wall / 1000).toFixed(1)} s (${os.cpus().length} cores = ${os.cpus().length * 100}%): app ${share(app)}, load generator and simulator ${share(bench)}, Postgres backends ${share(postgres)}, rest of the machine ${share(Math.max(0, machine - app - bench - postgres))}`;
}

// The burst is sent with node:http over keep-alive connections rather than fetch: undici's
// fetch costs this process about 2 ms of CPU per request (node:http about 0.7 ms), CPU the
// app and Postgres need on the same two cores. Same requests, same HTTP, measured the same way:
// from the send to the end of the response.
const keepAlive = new http.Agent({ keepAlive: true });
function post(url: string, headers: Record<string, string>, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: "POST", headers, agent: keepAlive }, (response) => {
      response.resume();
      response.on("end", () => resolve(response.statusCode ?? 0));
      response.on("error", reject);
    });
    request.on("error", reject);
    request.end(body);
  });
}

const ackLatencies: number[] = [];
let ackFailures = 0;
const cpuBefore = await cpuSnapshot();
{
  const total = BURST_RATE * BURST_SECONDS;
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / BURST_RATE;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const body = JSON.stringify({
      id: 9_000_000 + i,
      admin_graphql_api_id: `gid://shopify/Order/${9_000_000 + i}`,
      updated_at: new Date().toISOString(),
    });
    const headers = {
      "content-type": "application/json",
      "content-length": String(Buffer.byteLength(body)),
      "x-shopify-topic": "orders/updated",
      "x-shopify-hmac-sha256": createHmac("sha256", API_SECRET).update(body).digest("base64"),
      "x-shopify-shop-domain": main,
      "x-shopify-api-version": "2026-07",
      "x-shopify-webhook-id": randomUUID(),
      "x-shopify-event-id": randomUUID(),
      "x-shopify-triggered-at": new Date().toISOString(),
    };
    const t0 = performance.now();
    inFlight.push(
      post(`${app.url}/webhooks/orders/updated`, headers, body).then((status) => {
        if (status !== 200) ackFailures += 1;
        ackLatencies.push(performance.now() - t0);
      }),
    );
  }
  await Promise.all(inFlight);
}
const ackCpu = await cpuSince(cpuBefore);
ackLatencies.sort((a, b) => a - b);
out(
  `webhook ack latency, ${BURST_RATE}/s for ${BURST_SECONDS} s (${ackLatencies.length} webhooks, ${ackFailures} not 200): p50 ${ms(percentile(ackLatencies, 50))}, p99 ${ms(percentile(ackLatencies, 99))}, max ${ms(ackLatencies.at(-1)!)}`,
);
out(`  ${ackCpu}`);
if (ACK_ONLY) await finish();
// The burst queued one coalesced order sync; let it run with the worker before phase 2.
await prisma.syncRun.deleteMany({ where: { shopId: mainShopId } });
await prisma.$executeRawUnsafe(`delete from graphile_worker._private_jobs`);

// ---- 2. webhook to sales document at a steady order rate --------------------------------
const runner = await startWorker({
  connectionString: databaseUrl,
  concurrency: 4,
  pollInterval: 100,
  noHandleSignals: true,
});
sim.webhooks.faults = { duplicateShare: 0.05, lateShare: 0.05, lateMs: 1500 };
const token = sim.issueToken(main);
const variants = [...sim.shop(main).variants.values()];
const placed = new Map<string, number>();
const seen = new Map<string, number>();
let stopPolling = false;
const poller = (async () => {
  while (!stopPolling) {
    const docs = await prisma.boSalesHeader.findMany({
      where: { shopId: mainShopId },
      select: { shopifyOrderNo: true },
    });
    const now = performance.now();
    for (const doc of docs)
      if (doc.shopifyOrderNo && !seen.has(doc.shopifyOrderNo)) seen.set(doc.shopifyOrderNo, now);
    await sleep(25);
  }
})();
{
  const total = ORDER_RATE * ORDER_SECONDS;
  const started = performance.now();
  const placing: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / ORDER_RATE;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const variant = variants[(i * 7) % variants.length]!;
    const t0 = performance.now();
    placing.push(
      adminGraphql<{ orderCreate: { order: { name: string } | null; userErrors: { message: string }[] } }>(
        main,
        token,
        `mutation BenchOrderCreate($order: OrderCreateOrderInput!) { orderCreate(order: $order) { order { name } userErrors { message } } }`,
        {
          order: {
            email: `buyer${i % 20}@example.com`,
            lineItems: [
              {
                variantId: `gid://shopify/ProductVariant/${variant.id}`,
                quantity: 1 + (i % 3),
                requiresShipping: true,
              },
            ],
            shippingLines: [
              { title: "Standard", priceSet: { shopMoney: { amount: "4.90", currencyCode: "USD" } } },
            ],
            financialStatus: "PAID",
          },
        },
      ).then((result) => {
        if (result.orderCreate.order) placed.set(result.orderCreate.order.name, t0);
      }),
    );
  }
  await Promise.all(placing);
}
const deadline = performance.now() + 60_000;
while (seen.size < placed.size && performance.now() < deadline) await sleep(100);
await sleep(3000); // late and duplicate deliveries land; nothing more may appear
stopPolling = true;
await poller;
const docLatencies = [...placed]
  .filter(([name]) => seen.has(name))
  .map(([name, t0]) => seen.get(name)! - t0)
  .sort((a, b) => a - b);
const [dupRow] = await prisma.$queryRaw<{ duplicated: bigint }[]>`
  select count(*) as duplicated from (select "shopifyOrderNo" from "BoSalesHeader" where "shopId" = ${mainShopId}::uuid group by 1 having count(*) > 1) d`;
const lost = [...placed.keys()].filter((name) => !seen.has(name)).length;
const deliveries = sim.webhooks.log.filter((d) => d.topic === "orders/create");
out(
  `webhook to sales document, ${ORDER_RATE} orders/s for ${ORDER_SECONDS} s (${placed.size} orders; ${deliveries.filter((d) => d.duplicateOf).length} duplicate deliveries): p50 ${ms(percentile(docLatencies, 50))}, p95 ${ms(percentile(docLatencies, 95))}, max ${ms(docLatencies.at(-1) ?? NaN)}`,
);
out(`orders lost: ${lost}, orders duplicated: ${Number(dupRow?.duplicated ?? 0)}`);

// ---- 3. Admin API points per imported order ---------------------------------------------
const runs = await prisma.syncRun.findMany({
  where: { shopId: mainShopId, task: "sync_orders", status: "succeeded" },
});
const sumOf = (key: string) =>
  runs.reduce((sum, run) => sum + Number((run.counts as Record<string, number>)[key] ?? 0), 0);
const imported = sumOf("imported");
out(
  `Admin API points per imported order: ${(sumOf("requestedPoints") / imported).toFixed(1)} requested, ${(sumOf("actualPoints") / imported).toFixed(1)} used (${imported} orders over ${runs.length} sync runs)`,
);
await runner.stop();
// A scheduled run after all that: it re-reads the last hour to catch what webhooks missed (none
// here), by id and update time, fetching whole only the orders changed since staged.
{
  const reconcile = await runInForeground(prisma, syncOrdersTask, { shop: main, trigger: "schedule" });
  const c = reconcile.counts as Record<string, number>;
  const listed = (c.unchanged ?? 0) + (c.imported ?? 0) + (c.updated ?? 0) + (c.changedAfterProcessing ?? 0);
  out(
    `  the first scheduled reconcile (the last hour): ${listed} orders listed, ${listed - (c.unchanged ?? 0)} read whole, ${c.requestedPoints ?? 0} points requested (${((c.requestedPoints ?? 0) / Math.max(1, listed)).toFixed(1)} per order in the window)`,
  );
}

// ---- 4. first import at the Standard plan's rate limit ----------------------------------
const big = "bench-large.myshopify.com";
seedShop(
  sim.shop(big),
  {
    ...PRESETS.empty,
    locations: 1,
    products: 50,
    variantsPerProduct: 2,
    customers: 200,
    orders: THROUGHPUT_ORDERS,
  },
  sim.clock.now(),
  5,
);
for (const order of sim.shop(big).orders.values()) order.closedAt = null; // all open: the first import takes open orders
const bigShopId = await install(big);
await prisma.shopSettings.update({ where: { shopId: bigShopId }, data: { autoProcessOrders: false } });
const t0 = performance.now();
const run = await runInForeground(prisma, syncOrdersTask, { shop: big, trigger: "manual" });
const seconds = (performance.now() - t0) / 1000;
const counts = run.counts as Record<string, number>;
const importedBig = counts.imported ?? 0;
out(
  `first import at the Standard rate limit: ${importedBig} orders in ${seconds.toFixed(1)} s = ${Math.round((importedBig / seconds) * 60)} orders/min (${((counts.requestedPoints ?? 0) / importedBig).toFixed(1)} requested, ${((counts.actualPoints ?? 0) / importedBig).toFixed(1)} used points per order; run ${run.status})`,
);

await finish();
