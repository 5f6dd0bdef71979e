// `npm run bench:bulk`: the bulk-operation helper's figures against the store simulator and
// real Postgres (a fresh database on DATABASE_URL's server, or the local Postgres):
//   1. streaming a bulk result of --lines lines (default 100,000: products and their variants)
//      with the simulator in a process of its own, line by line and as records with their
//      nested objects: time and this process's peak RSS, which holds only what a worker holds
//      (first, before phase 2 puts a simulator in this process);
//   2. a first import of --orders open orders (default 10,000) by the order sync, which takes
//      the bulk path: wall time, Admin API points requested and used, orders imported (the
//      simulator in this process, as in bench:orders).
// The simulator sends bulk_operations/finish to a small server here that hands it to the app's
// route module, as Shopify would reach the app (the doorbell); polling stays the fallback.
import { spawn } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import { parseArgs } from "node:util";
import { freePort } from "../app/db/embedded.server";
import { readAppConfig } from "../simulator/app-config.server";
import { PRESETS, seedShop } from "../simulator/seed/seed.server";
import { API_KEY, API_SECRET, ROOT, freshDatabase, out, sleep, startHarnessSimulator } from "./lib/harness";

const { values } = parseArgs({
  options: {
    orders: { type: "string", default: "10000" },
    lines: { type: "string", default: "100000" },
    "skip-import": { type: "boolean", default: false },
    "skip-stream": { type: "boolean", default: false },
  },
});
const ORDERS = Number(values.orders);
const LINES = Number(values.lines);
const VARIANTS_PER_PRODUCT = 4;

const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
const load = () =>
  os
    .loadavg()
    .map((value) => value.toFixed(2))
    .join(" ");

/** The highest RSS of this process while `work` runs, sampled every 20 ms. */
async function peakRss<T>(work: () => Promise<T>): Promise<{ result: T; peak: number; seconds: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const started = performance.now();
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, peak, seconds: (performance.now() - started) / 1000 };
  } finally {
    clearInterval(timer);
  }
}

const database = await freshDatabase("bench_bulk");
const { default: prisma } = await import("../app/db.server");
const { recordInstall } = await import("../app/shops/shops.server");
const { bulkOperationFinished } = await import("../app/webhooks/bulk-operations.server");
const { runInForeground } = await import("../app/jobs/foreground.server");
const { syncOrdersTask } = await import("../app/sync/orders/task.server");
const { AdminClient } = await import("../app/shopify/admin-client.server");
const { bulkLines, bulkQuery, bulkRecords, runBulkQuery } = await import("../app/shopify/bulk.server");

// The app's bulk_operations/finish route, reachable over HTTP.
const webhookPath = readAppConfig().webhookPaths["bulk_operations/finish"]!;
const doorbells = { rung: 0 };
const appServer = http.createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.on("end", () => {
    void (async () => {
      if (request.url !== webhookPath) {
        response.writeHead(404).end();
        return;
      }
      const headers = new Headers();
      for (const [key, value] of Object.entries(request.headers))
        if (typeof value === "string") headers.set(key, value);
      const answer = await bulkOperationFinished({
        request: new Request(`http://app.local${request.url}`, {
          method: "POST",
          headers,
          body: Buffer.concat(chunks),
        }),
        params: {},
        context: {},
      }).catch((error: unknown) => (error instanceof Response ? error : new Response(null, { status: 500 })));
      if (answer.status === 200) doorbells.rung += 1;
      response.writeHead(answer.status).end();
    })();
  });
});
await new Promise<void>((resolve) => appServer.listen(0, "127.0.0.1", resolve));
const appUrl = `http://127.0.0.1:${(appServer.address() as AddressInfo).port}`;

async function install(domain: string, token: string): Promise<string> {
  const shop = await recordInstall(prisma, { domain, scopes: readAppConfig().scopes });
  await prisma.session.upsert({
    where: { id: `offline_${domain}` },
    create: { id: `offline_${domain}`, shop: domain, state: "", isOnline: false, accessToken: token },
    update: { accessToken: token },
  });
  await prisma.schedule.updateMany({ where: { shopId: shop.id }, data: { enabled: false, nextRunAt: null } });
  await prisma.shopSettings.update({ where: { shopId: shop.id }, data: { autoProcessOrders: false } });
  return shop.id;
}

out(`bench:bulk  (database ${database.name}; load average ${load()} on ${os.cpus().length} cores)`);

// ---- 1. streaming a 100,000-line bulk result ------------------------------------------------
if (!values["skip-stream"]) {
  const port = await freePort();
  const simUrl = `http://127.0.0.1:${port}`;
  const token = "shpat_bench_bulk_stream";
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "scripts/simulator.ts",
      "--port",
      String(port),
      "--seed",
      "empty",
      "--shop",
      "bench-bulk-stream",
      "--access-token",
      token,
      "--app-url",
      appUrl,
      "--api-key",
      API_KEY,
      "--api-secret",
      API_SECRET,
      "--plan",
      "plus",
    ],
    { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] },
  );
  try {
    for (let tries = 0; ; tries++) {
      try {
        if ((await fetch(`${simUrl}/_sim/health`)).ok) break;
      } catch (error) {
        if (tries > 300) throw error;
      }
      await sleep(100);
    }
    process.env.SHOPIFY_ADMIN_ORIGIN = simUrl;
    const domain = "bench-bulk-stream.myshopify.com";
    const products = Math.ceil(LINES / (1 + VARIANTS_PER_PRODUCT));
    const seeding = await fetch(`${simUrl}/_sim/shops/${domain}/seed`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ sizes: { products, variantsPerProduct: VARIANTS_PER_PRODUCT } }),
    });
    if (!seeding.ok) throw new Error(`seeding answered ${seeding.status}: ${await seeding.text()}`);
    await install(domain, token);
    const client = new AdminClient({ shop: domain, accessToken: token });
    const query = bulkQuery(
      "BenchBulkProducts",
      `query BenchBulkProducts {
        products { edges { node { id title handle vendor status createdAt variants { edges { node { id title sku price barcode } } } } } }
      }`,
    );
    const before = process.memoryUsage().rss;
    const ran = performance.now();
    const operation = await runBulkQuery(client, query);
    out(
      `bulk query of ${products} products with ${VARIANTS_PER_PRODUCT} variants each: ${operation.objectCount} lines, ${mb(Number(operation.fileSize))} of JSONL, run in ${((performance.now() - ran) / 1000).toFixed(1)} s (simulator process)`,
    );
    const streamed = await peakRss(async () => {
      let count = 0;
      for await (const line of bulkLines(operation.url)) if (line) count += 1;
      return count;
    });
    out(
      `  streamed line by line: ${streamed.result} lines in ${streamed.seconds.toFixed(1)} s; worker RSS ${mb(before)} before, peak ${mb(streamed.peak)}`,
    );
    const grouped = await peakRss(async () => {
      let records = 0;
      let children = 0;
      for await (const record of bulkRecords(operation.url)) {
        records += 1;
        children += record.children.get("ProductVariant")?.length ?? 0;
      }
      return { records, children };
    });
    out(
      `  as records with their nested objects (spooled in Postgres): ${grouped.result.records} products with ${grouped.result.children} variants in ${grouped.seconds.toFixed(1)} s; worker RSS peak ${mb(grouped.peak)} (load average now ${load()})`,
    );
  } finally {
    child.kill("SIGTERM");
  }
}

// ---- 2. a first import of a large store ---------------------------------------------------
if (!values["skip-import"]) {
  const simulator = await startHarnessSimulator("standard");
  simulator.sim.options.appUrl = appUrl;
  const domain = "bench-bulk-import.myshopify.com";
  const seeded = performance.now();
  seedShop(
    simulator.sim.shop(domain),
    { ...PRESETS.empty, locations: 1, products: 50, variantsPerProduct: 2, customers: 500, orders: ORDERS },
    simulator.sim.clock.now(),
    5,
  );
  for (const order of simulator.sim.shop(domain).orders.values()) order.closedAt = null; // all open
  out(`  seeded ${ORDERS} open orders in ${((performance.now() - seeded) / 1000).toFixed(1)} s`);
  await install(domain, simulator.sim.issueToken(domain));
  const { result: run, seconds } = await peakRss(() =>
    runInForeground(prisma, syncOrdersTask, { shop: domain, trigger: "manual" }),
  );
  const counts = run.counts as Record<string, number>;
  out(
    `first import of ${ORDERS} open orders: ${counts.imported ?? 0} imported in ${seconds.toFixed(1)} s (${Math.round(((counts.imported ?? 0) / seconds) * 60)} orders/min), ${counts.requestedPoints ?? 0} points requested, ${counts.actualPoints ?? 0} used, ${counts.failed ?? 0} failed; run ${run.status}; bulk_operations/finish doorbells ${doorbells.rung}; ${simulator.throttled()} THROTTLED (load average now ${load()})`,
  );
  simulator.close();
}

appServer.close();
await database.drop();
process.exit(0);
