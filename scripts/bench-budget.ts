// `npm run bench:budget`: one shop's Admin API work in two job categories at once (a first
// import of new orders in "sync", a shipment sync of posted shipments in "shipments"), on the
// Standard plan (2,000 points, 100 restored a second), run twice on identical shops:
//   1. one worker process (concurrency 2) taking both categories;
//   2. two worker processes (concurrency 1 each), one job each.
// Prints, for each, the wall time from queueing to both runs ended and the THROTTLED answers
// the simulator gave. The workers share the shop's cost budget in Postgres
// (app/shopify/budget.server.ts), so two processes should pace themselves as one.
// Options: --orders <new orders to import> (default 120), --shipments <shipments> (default 60).
import { spawn, type ChildProcess } from "node:child_process";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { resolveDatabase } from "../app/db/embedded.server";
import { migrate } from "../app/db/migrate.server";
import { migrateWorkerSchema } from "../app/jobs/worker.server";
import { log } from "../app/log.server";
import { readAppConfig } from "../simulator/app-config.server";
import { createSimulatorServer, listen } from "../simulator/http/server.server";
import { Simulator } from "../simulator/simulator.server";

const { values } = parseArgs({
  options: {
    orders: { type: "string", default: "120" },
    shipments: { type: "string", default: "60" },
  },
});
const NEW_ORDERS = Number(values.orders);
const SHIPMENTS = Number(values.shipments);
const API_KEY = "bench-api-key";
const API_SECRET = "bench-api-secret";
const ROOT = path.resolve(import.meta.dirname, "..");

const out = (line: string) => process.stdout.write(`${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// A database of its own, migrated, before any app module reads DATABASE_URL.
const server = await resolveDatabase();
const database = `bench_budget_${Date.now().toString(36)}`;
async function admin(sql: string) {
  const client = new pg.Client({ connectionString: `${server.serverUrl}/postgres` });
  await client.connect();
  await client.query(sql);
  await client.end();
}
await admin(`create database "${database}"`);
const databaseUrl = `${server.serverUrl}/${database}`;
process.env.DATABASE_URL = databaseUrl;
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
  seed: 5,
});
const simServer = createSimulatorServer(sim);
// Counts what the simulator answers: THROTTLED (in a 200's body) and HTTP 429.
let throttled = 0;
simServer.prependListener("request", (_request: IncomingMessage, response: ServerResponse) => {
  const end = response.end.bind(response) as (...args: unknown[]) => ServerResponse;
  response.end = ((...args: unknown[]) => {
    const [chunk] = args;
    if (response.statusCode === 429) throttled++;
    else if ((typeof chunk === "string" || Buffer.isBuffer(chunk)) && chunk.includes('"THROTTLED"'))
      throttled++;
    return end(...args);
  }) as ServerResponse["end"];
});
const simUrl = `http://127.0.0.1:${await listen(simServer, 0)}`;
Object.assign(process.env, {
  SHOPIFY_API_KEY: API_KEY,
  SHOPIFY_API_SECRET: API_SECRET,
  SHOPIFY_ADMIN_ORIGIN: simUrl,
  SCOPES: config.scopes,
});

const { default: prisma } = await import("../app/db.server");
const { createItem, postSalesOrder } = await import("../app/backoffice/backoffice.server");
const { enqueueSync } = await import("../app/jobs/enqueue.server");
const { runInForeground } = await import("../app/jobs/foreground.server");
const { upsertSchedule } = await import("../app/jobs/schedules.server");
const { recordInstall } = await import("../app/shops/shops.server");
const { syncOrdersTask } = await import("../app/sync/orders/task.server");
const { syncShipmentsTask } = await import("../app/sync/shipments/task.server");

async function graphql<T>(domain: string, token: string, query: string, variables: object): Promise<T> {
  for (;;) {
    const response = await fetch(`${simUrl}/shops/${domain}/admin/api/2026-07/graphql.json`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-shopify-access-token": token },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as {
      data?: T;
      errors?: { message: string; extensions?: { code?: string } }[];
    };
    if (body.errors?.[0]?.extensions?.code === "THROTTLED") {
      await sleep(1000);
      continue;
    }
    if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join("; "));
    return body.data!;
  }
}

async function placeOrders(domain: string, token: string, variantId: string, count: number) {
  for (let i = 0; i < count; i++) {
    await graphql(
      domain,
      token,
      `
        mutation BenchOrderCreate($order: OrderCreateOrderInput!) {
          orderCreate(order: $order) {
            order {
              id
            }
            userErrors {
              message
            }
          }
        }
      `,
      {
        order: {
          email: `buyer${i}@example.com`,
          lineItems: [{ variantId, quantity: 1, requiresShipping: true }],
          financialStatus: "PAID",
        },
      },
    );
  }
}

/** Waits until the simulator's bucket for the shop is full again, so both phases start alike. */
async function bucketFull(domain: string) {
  const state = sim.shop(domain);
  for (;;) {
    const status = sim.bucket(state).tryTake(0).status;
    if (status.currentlyAvailable >= status.maximumAvailable) return;
    await sleep(250);
  }
}

/**
 * A shop with SHIPMENTS orders imported, shipped and posted with tracking (not yet sent to
 * Shopify), then NEW_ORDERS more placed in Shopify and not imported: the work to do.
 */
async function prepareShop(name: string) {
  const domain = `${name}.myshopify.com`;
  sim.shop(domain);
  const token = sim.issueToken(domain);
  const shop = await recordInstall(prisma, { domain, scopes: config.scopes });
  await prisma.session.upsert({
    where: { id: `offline_${domain}` },
    create: { id: `offline_${domain}`, shop: domain, state: "", isOnline: false, accessToken: token },
    update: { accessToken: token },
  });
  await prisma.schedule.updateMany({ where: { shopId: shop.id }, data: { enabled: false, nextRunAt: null } });
  await upsertSchedule(prisma, {
    shopId: shop.id,
    task: "sync_shipments",
    cron: "0 * * * *",
    enabled: false,
    category: "shipments",
  });
  const product = await graphql<{ productSet: { product: { variants: { nodes: { id: string }[] } } } }>(
    domain,
    token,
    `
      mutation BenchProduct($input: ProductSetInput!) {
        productSet(input: $input, synchronous: true) {
          product {
            variants(first: 1) {
              nodes {
                id
              }
            }
          }
          userErrors {
            message
          }
        }
      }
    `,
    {
      input: {
        title: "Bench Tee",
        status: "ACTIVE",
        productOptions: [{ name: "Size", values: [{ name: "M" }] }],
        variants: [
          {
            optionValues: [{ optionName: "Size", name: "M" }],
            price: "20.00",
            inventoryItem: { sku: "BENCH-M" },
          },
        ],
      },
    },
  );
  await createItem(prisma, shop.id, { no: "BENCH-M", description: "Bench Tee M", unitPrice: "20" });
  const variantId = product.productSet.product.variants.nodes[0]!.id;
  await placeOrders(domain, token, variantId, SHIPMENTS);
  await runInForeground(prisma, syncOrdersTask, { shop: domain, trigger: "manual" });
  const documents = await prisma.boSalesHeader.findMany({
    where: { shopId: shop.id },
    orderBy: { no: "asc" },
  });
  for (const [index, document] of documents.entries()) {
    await postSalesOrder(prisma, shop.id, document.no, {
      ship: true,
      invoice: true,
      carrier: "UPS",
      trackingNo: `1ZBENCH${name}${index}`,
    });
  }
  await placeOrders(domain, token, variantId, NEW_ORDERS);
  await bucketFull(domain);
  return { domain, shopId: shop.id };
}

function worker(concurrency: number): ChildProcess {
  return spawn(
    process.execPath,
    ["--import", "tsx", "scripts/worker.ts", "--concurrency", String(concurrency)],
    {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: "warn" },
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

/** Queues both runs, starts the workers, and waits for both runs to end. */
async function phase(label: string, shop: { domain: string; shopId: string }, workers: number[]) {
  // Workers first, idle until the runs are queued: their start-up is not the work.
  const children = workers.map(worker);
  for (;;) {
    if ((await prisma.workerProcess.count()) >= workers.length) break;
    await sleep(100);
  }
  const throttledBefore = throttled;
  const started = Date.now();
  const runs = [
    (await enqueueSync(prisma, syncOrdersTask, { shop: shop.domain, trigger: "manual" })).run,
    (await enqueueSync(prisma, syncShipmentsTask, { shop: shop.domain, trigger: "manual" })).run,
  ];
  let ended;
  for (;;) {
    ended = await prisma.syncRun.findMany({ where: { id: { in: runs.map((run) => run.id) } } });
    if (ended.every((run) => run.status === "succeeded" || run.status === "failed")) break;
    await sleep(100);
  }
  const seconds = (Date.now() - started) / 1000;
  await Promise.all(children.map(stop));
  out(`${label}: ${seconds.toFixed(1)} s, ${throttled - throttledBefore} THROTTLED answers`);
  for (const run of ended) {
    const from = ((run.startedAt!.getTime() - started) / 1000).toFixed(1);
    const to = ((run.finishedAt!.getTime() - started) / 1000).toFixed(1);
    out(`    ${run.task} ${run.status} from ${from} s to ${to} s ${JSON.stringify(run.counts)}`);
  }
  return {
    seconds,
    throttled: throttled - throttledBefore,
    ok: ended.every((run) => run.status === "succeeded"),
  };
}

out(
  `bench:budget  (simulator ${simUrl}, database ${database}; ${NEW_ORDERS} new orders + ${SHIPMENTS} shipments per phase, Standard plan)`,
);
const one = await prepareShop("budget-one");
const two = await prepareShop("budget-two");
const single = await phase("one worker, two categories (concurrency 2)", one, [2]);
const pair = await phase("two workers, one category each (concurrency 1 each)", two, [1, 1]);
out(
  `two workers vs one: ${(pair.seconds / single.seconds).toFixed(2)}× the time, ${pair.throttled} vs ${single.throttled} THROTTLED`,
);

sim.webhooks.stop();
simServer.close();
await prisma.$disconnect();
await admin(`drop database if exists "${database}" with (force)`);
await server.stop();
process.exit(single.ok && pair.ok ? 0 : 1);
