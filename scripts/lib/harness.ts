// What the benchmarks and the fault suite share: a fresh migrated database, the store
// simulator in this process (counting the THROTTLED answers it gives), a stocked shop with the
// app installed, orders placed as a storefront would, and worker processes (`npm run worker`).
// App modules are imported only once DATABASE_URL points at the fresh database.
import { spawn, type ChildProcess } from "node:child_process";
import { openSync } from "node:fs";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import path from "node:path";
import { resolveDatabase, type LocalDatabase } from "../../app/db/embedded.server";
import { migrate } from "../../app/db/migrate.server";
import { migrateWorkerSchema } from "../../app/jobs/worker.server";
import { log } from "../../app/log.server";
import { readAppConfig } from "../../simulator/app-config.server";
import { runAdminRequest } from "../../simulator/http/graphql-endpoint.server";
import { createSimulatorServer, listen } from "../../simulator/http/server.server";
import { Simulator } from "../../simulator/simulator.server";
import { adminQuery } from "../../test/support/pg-admin";

export const ROOT = path.resolve(import.meta.dirname, "../..");
export const API_KEY = "harness-api-key";
export const API_SECRET = "harness-api-secret";

export const out = (line: string) => process.stdout.write(`${line}\n`);
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * What a scenario must undo however it ends (its database, its own Postgres server and data
 * folder): run by `cleanUp()` after the scenario, when it throws, and on SIGTERM (a scenario
 * stopped at its time limit), so nothing is left on the machine's Postgres or disk.
 */
const cleanups: (() => Promise<void>)[] = [];

export function onCleanUp(undo: () => Promise<void>): void {
  cleanups.unshift(undo);
}

export async function cleanUp(): Promise<void> {
  while (cleanups.length > 0) {
    const undo = cleanups.shift()!;
    await undo().catch((error: unknown) => out(`clean-up failed: ${String(error)}`));
  }
}

export interface FreshDatabase {
  name: string;
  url: string;
  server: LocalDatabase;
  drop: () => Promise<void>;
}

/**
 * A database of its own on DATABASE_URL's server (or the local Postgres), migrated, and set as
 * this process's DATABASE_URL. Logs drop to warnings unless LOG_LEVEL says otherwise.
 */
export async function freshDatabase(prefix: string): Promise<FreshDatabase> {
  const server = await resolveDatabase();
  const name = `${prefix}_${Date.now().toString(36)}`;
  await adminQuery(server.serverUrl, `create database "${name}"`);
  const url = `${server.serverUrl}/${name}`;
  process.env.DATABASE_URL = url;
  process.env.LOG_LEVEL ??= "warn";
  log.level = process.env.LOG_LEVEL;
  let dropped = false;
  const drop = async () => {
    if (dropped) return;
    dropped = true;
    const { default: prisma } = await import("../../app/db.server");
    await prisma.$disconnect();
    await adminQuery(server.serverUrl, `drop database if exists "${name}" with (force)`);
    await server.stop();
  };
  onCleanUp(drop);
  await migrate(url);
  await migrateWorkerSchema(url);
  return {
    name,
    url,
    server,
    drop,
  };
}

export interface HarnessSimulator {
  sim: Simulator;
  url: string;
  server: Server;
  /** THROTTLED answers and HTTP 429s the simulator has given so far. */
  throttled: () => number;
  /** Admin API answers so far: all, THROTTLED, 429 and 5xx. */
  answers: () => { requests: number; throttled: number; http429: number; http5xx: number };
  close: () => void;
}

/** The store simulator on a free port; the app's Admin API client is pointed at it. */
export async function startHarnessSimulator(
  plan: "standard" | "advanced" | "plus",
  seed = 5,
  { retryScale = 0.001 }: { retryScale?: number } = {},
): Promise<HarnessSimulator> {
  const config = readAppConfig();
  const sim = new Simulator({
    apiKey: API_KEY,
    apiSecret: API_SECRET,
    appUrl: null,
    accessToken: null,
    scopes: config.scopes,
    plan,
    webhookPaths: config.webhookPaths,
    retryScale,
    seed,
  });
  const server = createSimulatorServer(sim);
  const answers = { requests: 0, throttled: 0, http429: 0, http5xx: 0 };
  server.prependListener("request", (request: IncomingMessage, response: ServerResponse) => {
    if (!request.url?.endsWith("/graphql.json")) return;
    const end = response.end.bind(response) as (...args: unknown[]) => ServerResponse;
    response.end = ((...args: unknown[]) => {
      const [chunk] = args;
      answers.requests++;
      if (response.statusCode === 429) answers.http429++;
      else if (response.statusCode >= 500) answers.http5xx++;
      else if ((typeof chunk === "string" || Buffer.isBuffer(chunk)) && chunk.includes('"THROTTLED"'))
        answers.throttled++;
      return end(...args);
    }) as ServerResponse["end"];
  });
  const url = `http://127.0.0.1:${await listen(server, 0)}`;
  Object.assign(process.env, {
    SHOPIFY_API_KEY: API_KEY,
    SHOPIFY_API_SECRET: API_SECRET,
    SHOPIFY_ADMIN_ORIGIN: url,
    SCOPES: config.scopes,
  });
  return {
    sim,
    url,
    server,
    throttled: () => answers.throttled + answers.http429,
    answers: () => ({ ...answers }),
    close: () => {
      sim.webhooks.stop();
      server.close();
    },
  };
}

/**
 * Admin GraphQL as a merchant's tools would call it, waiting out THROTTLED answers, 429s and
 * 5xx (the fault suite injects them; the simulator answers them before running anything).
 */
export async function graphql<T>(
  simulator: HarnessSimulator,
  domain: string,
  token: string,
  query: string,
  variables: object,
): Promise<T> {
  for (;;) {
    const response = await fetch(`${simulator.url}/shops/${domain}/admin/api/2026-07/graphql.json`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-shopify-access-token": token },
      body: JSON.stringify({ query, variables }),
    });
    if (response.status === 429 || response.status >= 500) {
      await response.arrayBuffer();
      await sleep(response.status === 429 ? 1000 : 100);
      continue;
    }
    const answer = dataOf<T>(await response.json());
    if (answer.throttled) {
      await sleep(1000);
      continue;
    }
    return answer.data;
  }
}

/** A GraphQL answer's data; throttled (to wait and ask again), or its errors thrown. */
function dataOf<T>(raw: unknown): { throttled: true } | { throttled: false; data: T } {
  const body = raw as { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
  if (body.errors?.[0]?.extensions?.code === "THROTTLED") return { throttled: true };
  if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join("; "));
  return { throttled: false, data: body.data! };
}

export interface StockedShop {
  domain: string;
  shopId: string;
  token: string;
  variantId: string;
}

/**
 * A shop with the app installed (offline token from the simulator), its default schedules off
 * (the caller queues what it measures), one product "Harness Tee" (SKU HARNESS-M) and the
 * back-office item of that SKU.
 */
export async function stockedShop(simulator: HarnessSimulator, name: string): Promise<StockedShop> {
  const { default: prisma } = await import("../../app/db.server");
  const { createItem } = await import("../../app/backoffice/backoffice.server");
  const { recordInstall } = await import("../../app/shops/shops.server");
  const domain = `${name}.myshopify.com`;
  simulator.sim.shop(domain);
  const token = simulator.sim.issueToken(domain);
  const shop = await recordInstall(prisma, { domain, scopes: readAppConfig().scopes });
  await prisma.session.upsert({
    where: { id: `offline_${domain}` },
    create: { id: `offline_${domain}`, shop: domain, state: "", isOnline: false, accessToken: token },
    update: { accessToken: token },
  });
  await prisma.schedule.updateMany({ where: { shopId: shop.id }, data: { enabled: false, nextRunAt: null } });
  const product = await graphql<{ productSet: { product: { variants: { nodes: { id: string }[] } } } }>(
    simulator,
    domain,
    token,
    `
      mutation HarnessProduct($input: ProductSetInput!) {
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
        title: "Harness Tee",
        status: "ACTIVE",
        productOptions: [{ name: "Size", values: [{ name: "M" }] }],
        variants: [
          {
            optionValues: [{ optionName: "Size", name: "M" }],
            price: "20.00",
            inventoryItem: { sku: "HARNESS-M" },
          },
        ],
      },
    },
  );
  await createItem(prisma, shop.id, { no: "HARNESS-M", description: "Harness Tee M", unitPrice: "20" });
  return { domain, shopId: shop.id, token, variantId: product.productSet.product.variants.nodes[0]!.id };
}

/** The order input of placeOrders: by default, one unit for buyer<i>. */
export type OrderInput = (shop: StockedShop, i: number) => Record<string, unknown>;

const oneUnit: OrderInput = (shop, i) => ({
  email: `buyer${i}@example.com`,
  lineItems: [{ variantId: shop.variantId, quantity: 1, requiresShipping: true }],
  financialStatus: "PAID",
});

/**
 * Admin GraphQL run inside the simulator, past its HTTP layer and so past the faults it
 * injects there, waiting out THROTTLED answers: how the fault suite places orders, which come
 * from checkouts and not through the app's Admin API.
 */
export async function graphqlInProcess<T>(
  simulator: HarnessSimulator,
  domain: string,
  query: string,
  variables: object,
): Promise<T> {
  for (;;) {
    const answer = dataOf<T>(
      await runAdminRequest(simulator.sim, simulator.sim.shop(domain), { query, variables }),
    );
    if (answer.throttled) {
      await sleep(1000);
      continue;
    }
    return answer.data;
  }
}

/**
 * Paid orders placed through orderCreate (one unit each by default), over HTTP or, with
 * `inProcess`, inside the simulator; returns their ids.
 */
export async function placeOrders(
  simulator: HarnessSimulator,
  shop: StockedShop,
  count: number,
  input: OrderInput = oneUnit,
  { inProcess = false, paceMs = 0 }: { inProcess?: boolean; paceMs?: number } = {},
) {
  const ids: string[] = [];
  const run = <T>(query: string, variables: object) =>
    inProcess
      ? graphqlInProcess<T>(simulator, shop.domain, query, variables)
      : graphql<T>(simulator, shop.domain, shop.token, query, variables);
  for (let i = 0; i < count; i++) {
    const result = await run<{ orderCreate: { order: { id: string } | null } }>(
      `
        mutation HarnessOrderCreate($order: OrderCreateOrderInput!) {
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
      { order: input(shop, i) },
    );
    if (result.orderCreate.order) ids.push(result.orderCreate.order.id);
    // In process, an order is CPU only: a pause lets the simulator answer the app meanwhile.
    if (inProcess || paceMs > 0) await sleep(paceMs);
  }
  return ids;
}

/** `npm run worker` as a process of its own, on this process's database and simulator. */
/**
 * The V8 flags `npm run worker` runs with (package.json's "worker" script says the same): the
 * heap grows by half of what survives a collection instead of V8's default of up to four
 * times, so the worker's RSS follows what it holds (a 10,000-product import: about 250 MB
 * instead of 410); and WebAssembly (Prisma's query compiler) stays compiled by V8's baseline
 * compiler (`--liftoff-only`): its optimizing tier-up, a few seconds after the first query,
 * took 60–80 MB at its peak (an idle worker's VmHWM 230 MB, 150 MB without). The price is CPU:
 * a first import of 20,000 customers took 54.6–57.6 s of worker CPU with it, 48.2–52.1 s
 * without (2026-12-03, three and four runs). WORKER_NODE_FLAGS="" runs the benches without them, to compare. Like the
 * script, the worker runs with at most two glibc malloc arenas (MALLOC_ARENA_MAX=2, unless the
 * environment says otherwise): each thread's arena of 64 MB, mostly resident, made the peak RSS
 * vary by 90 MB from run to run.
 */
export const WORKER_NODE_FLAGS = (process.env.WORKER_NODE_FLAGS ?? "--heap-growing-percent=50 --liftoff-only")
  .split(" ")
  .filter(Boolean);

export function workerProcess(
  concurrency: number,
  env: Record<string, string> = {},
  { quiet = false }: { quiet?: boolean } = {},
): ChildProcess {
  return spawn(
    process.execPath,
    [...WORKER_NODE_FLAGS, "--import", "tsx", "scripts/worker.ts", "--concurrency", String(concurrency)],
    {
      cwd: ROOT,
      env: {
        MALLOC_ARENA_MAX: "2",
        ...process.env,
        LOG_LEVEL: process.env.WORKER_LOG_LEVEL ?? "error",
        ...env,
      },
      // WORKER_LOG_DIR: each worker's log (stderr) in a file of its own there, to see why a run stalled.
      stdio: [
        "ignore",
        "ignore",
        process.env.WORKER_LOG_DIR
          ? openSync(
              path.join(
                process.env.WORKER_LOG_DIR,
                `worker-${Date.now()}-${Math.random().toString(36).slice(2, 8)}.log`,
              ),
              "a",
            )
          : quiet
            ? "ignore"
            : "inherit",
      ],
    },
  );
}

/** SIGTERM (the worker finishes what it has in hand) and waits for the exit. */
export function stopProcess(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill(signal);
  });
}
