// What the fault suite's scenarios share (scripts/test-faults.ts): their result and figures,
// worker processes that can be killed and replaced, `npm start`'s server in a process that can
// be restarted, the driver that keeps the order pipeline's stages queued as webhooks and
// schedules would, the end state counted in the back office, the simulated Shopify and
// graphile-worker, and a canonical dump of a shop's back office for comparing two runs by
// content. App modules are imported lazily, once DATABASE_URL points at the scenario's database.
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { inspect } from "node:util";
import type { SyncTaskDefinition, Trigger } from "../../app/jobs/sync-task.server";
import { ROOT, sleep, stopProcess, workerProcess, type HarnessSimulator, type StockedShop } from "./harness";

export interface Check {
  line: string;
  ok: boolean;
}

/** The figures every scenario reports; null where a figure is not part of the scenario. */
export interface Figures {
  kills: number;
  restarts: number;
  faultsInjected: number;
  documentsExpected: number;
  documentsFound: number;
  fulfillmentsExpected: number | null;
  fulfillmentsFound: number | null;
  runsStuck: number;
  queuesLocked: number;
}

export interface ScenarioResult {
  name: string;
  seconds: number;
  checks: Check[];
  figures: Figures;
}

export const check = (line: string, ok: boolean): Check => ({ line, ok });
export const random = (min: number, max: number) => min + Math.random() * (max - min);

/**
 * Runs `fn` until it succeeds, for the driver's own queries while Postgres restarts: a
 * connection refused or cut is waited out (up to `timeoutMs`), anything else is thrown.
 */
export async function patiently<T>(fn: () => Promise<T>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (error) {
      if (Date.now() > deadline || !isConnectionError(error)) throw error;
      await sleep(200);
    }
  }
}

export function isConnectionError(error: unknown): boolean {
  return /ECONNREFUSED|ECONNRESET|EPIPE|terminat|shutting down|starting up|Connection|connect|57P0[123]|08\d\d\d|P1001|P1017|P2024|P2028/i.test(
    inspect(error, { depth: 4 }),
  );
}

/** Worker processes (`npm run worker`, concurrency 2) that the scenario may kill and replace. */
export class WorkerPool {
  readonly live = new Set<ChildProcess>();
  private readonly env: Record<string, string>;
  private readonly options: { quiet?: boolean };
  constructor(env: Record<string, string>, options: { quiet?: boolean } = {}) {
    this.env = env;
    this.options = options;
  }

  start(count = 1): void {
    for (let i = 0; i < count; i++) {
      const child = workerProcess(2, this.env, this.options);
      this.live.add(child);
      child.once("exit", () => this.live.delete(child));
    }
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.live].map((child) => stopProcess(child)));
  }
}

export interface AppProcess {
  url: string;
  child: () => ChildProcess;
  /** Stops the server (SIGTERM: requests in hand are finished; SIGKILL: a crash) and starts it again. */
  restart: (signal: NodeJS.Signals, downMs: number) => Promise<void>;
  stop: () => Promise<void>;
}

/** Answers once the app's webhook route answers (400 to a POST without Shopify's headers). */
async function waitForApp(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(`${url}/webhooks/orders/create`, { method: "POST", body: "{}" });
      await response.arrayBuffer();
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the app server at ${url} did not answer within a minute`);
    await sleep(100);
  }
}

/** `npm start`'s server with the webhook routes (scripts/lib/app-process.ts) on a fixed port. */
export async function startAppProcess(port: number): Promise<AppProcess> {
  const url = `http://127.0.0.1:${port}`;
  const spawnApp = () =>
    spawn(process.execPath, ["--import", "tsx", "scripts/lib/app-process.ts"], {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: String(port),
        SHOPIFY_APP_URL: url,
        NODE_ENV: "production",
        LOG_LEVEL: process.env.APP_LOG_LEVEL ?? "error",
      },
      stdio: ["ignore", "ignore", "inherit"],
    });
  let child = spawnApp();
  await waitForApp(url);
  return {
    url,
    child: () => child,
    restart: async (signal, downMs) => {
      await stopProcess(child, signal);
      await sleep(downMs);
      child = spawnApp();
      await waitForApp(url);
    },
    stop: () => stopProcess(child),
  };
}

/** The pipeline's progress in one shop: every order a posted document whose shipment is in Shopify. */
export async function progress(shopId: string) {
  const { default: prisma } = await import("../../app/db.server");
  const [documents, posted, synced, active] = await Promise.all([
    prisma.boSalesHeader.count({ where: { shopId } }),
    prisma.boSalesHeader.count({ where: { shopId, status: "posted" } }),
    prisma.syncRecord.count({ where: { shopId, task: "sync_shipments", state: "synced" } }),
    prisma.syncRun.count({ where: { shopId, status: { in: ["queued", "running"] } } }),
  ]);
  return { documents, posted, synced, active };
}

/** Waits (up to timeoutMs) until the shop has no run queued or running. */
export async function untilQuiet(shopId: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && (await patiently(() => progress(shopId))).active > 0)
    await new Promise((resolve) => setTimeout(resolve, 250));
}

export type Stage = "import" | "post" | "ship";

/** A sync task's definition, by name (app/sync/index.server.ts lists them all). */
export async function syncTask(name: string): Promise<SyncTaskDefinition<unknown>> {
  const { SYNC_TASKS } = await import("../../app/sync/index.server");
  const task = SYNC_TASKS.find((candidate) => candidate.name === name);
  if (!task) throw new Error(`the app has no sync task ${name}`);
  return task;
}

/** Queues a run of a task for the shop, coalescing with one that is waiting (its job key). */
export async function enqueue(shop: StockedShop, name: string, trigger: Trigger, filters?: unknown) {
  const { default: prisma } = await import("../../app/db.server");
  const { enqueueSync } = await import("../../app/jobs/enqueue.server");
  return enqueueSync(prisma, await syncTask(name), { shop: shop.domain, trigger, jobKey: true, filters });
}

/**
 * Keeps one run of each stage waiting (job keys coalesce), as the webhooks and schedules
 * would: the order sync as a scheduled run (a reconcile), posting with tracking, shipments.
 */
export async function queueStages(shop: StockedShop, stages: Stage[] = ["import", "post", "ship"]) {
  if (stages.includes("import")) await enqueue(shop, "sync_orders", "schedule");
  if (stages.includes("post"))
    await enqueue(shop, "post_sales_orders", "schedule", {
      carrier: "UPS",
      trackingUrl: "https://www.ups.com/track?tracknum=",
    });
  if (stages.includes("ship")) await enqueue(shop, "sync_shipments", "schedule");
}

/**
 * Drives the pipeline of one shop until every order's document is posted and its shipment is
 * in Shopify (and `done` says so), queueing the stages every second and calling `tick` between
 * looks; then stops queueing and waits for the runs still queued to end (or the time is up).
 * Returns the seconds it took.
 */
export async function runPipeline(
  shop: StockedShop,
  orders: number,
  options: {
    timeoutMs: number;
    tick?: () => Promise<void>;
    done?: () => boolean;
    /** The stages to keep queued (all three unless said). */
    stages?: () => Stage[];
    /** Whether the shipments must reach Shopify too (true unless said). */
    ship?: boolean;
  },
): Promise<number> {
  const started = Date.now();
  let lastQueued = 0;
  let complete = false;
  while (Date.now() - started < options.timeoutMs) {
    if (!complete && Date.now() - lastQueued > 1000) {
      await patiently(() => queueStages(shop, options.stages?.()));
      lastQueued = Date.now();
    }
    if (options.tick) await options.tick();
    else await sleep(250);
    const state = await patiently(() => progress(shop.shopId));
    const shipped = options.ship === false || state.synced === orders;
    if ((options.done?.() ?? true) && state.posted === orders && shipped) complete = true;
    if (complete && state.active === 0) break;
  }
  return (Date.now() - started) / 1000;
}

export interface EndState {
  checks: Check[];
  documents: number;
  fulfillments: number;
  stuck: number;
  queuesLocked: number;
}

/**
 * The end state of one shop, counted in the back office, the simulated Shopify and
 * graphile-worker: one document per order, every document posted (when `posted`), one Shopify
 * fulfillment per shipment, no run waiting or running, nothing locked.
 */
export async function endState(
  simulator: HarnessSimulator,
  shop: StockedShop,
  expected: number,
  { posted = true, fulfilled = posted }: { posted?: boolean; fulfilled?: boolean } = {},
): Promise<EndState> {
  const { default: prisma } = await import("../../app/db.server");
  const orders = simulator.sim.shop(shop.domain).orders;
  const fulfillmentsPerOrder = new Map<number, number>();
  for (const fulfillment of simulator.sim.shop(shop.domain).fulfillments.values()) {
    if (fulfillment.status !== "SUCCESS") continue;
    fulfillmentsPerOrder.set(fulfillment.orderId, (fulfillmentsPerOrder.get(fulfillment.orderId) ?? 0) + 1);
  }
  const fulfillments = [...fulfillmentsPerOrder.values()].reduce((a, b) => a + b, 0);
  const ordersWithoutFulfillment = [...orders.keys()].filter((id) => !fulfillmentsPerOrder.has(id)).length;
  const ordersWithSeveral = [...fulfillmentsPerOrder.values()].filter((count) => count > 1).length;
  const documents = await prisma.boSalesHeader.findMany({
    where: { shopId: shop.shopId },
    select: { shopifyOrderId: true, status: true },
  });
  const documentOrders = new Set(documents.map((doc) => String(doc.shopifyOrderId)));
  const ordersWithoutDocument = [...orders.keys()].filter((id) => !documentOrders.has(String(id))).length;
  const shipments = await prisma.boPostedShipment.count({ where: { shopId: shop.shopId } });
  const postedDocuments = documents.filter((doc) => doc.status === "posted").length;
  const runs = await prisma.syncRun.findMany({ where: { shopId: shop.shopId } });
  const stuck = runs.filter((run) => run.status === "queued" || run.status === "running").length;
  const interruptions = runs.reduce((sum, run) => sum + run.interruptions, 0);
  const failed = runs.filter((run) => run.status === "failed");
  if (process.env.FAULTS_DEBUG)
    for (const run of failed)
      process.stdout.write(
        `  debug: ${run.task} attempts ${run.attempts} interruptions ${run.interruptions}: ${run.error} | ${run.note}\n`,
      );
  const { queuePrefix } = await import("../../app/jobs/queues.server");
  // The shop's queues and their jobs (another shop of the scenario may still be running).
  const queues = `${queuePrefix(shop.domain)}%`;
  const [locks] = await prisma.$queryRaw<{ jobs: bigint; queues: bigint }[]>`
    select (select count(*) from graphile_worker._private_jobs j
              join graphile_worker._private_job_queues q on q.id = j.job_queue_id
             where j.locked_by is not null and q.queue_name like ${queues}) as jobs,
           (select count(*) from graphile_worker._private_job_queues
             where locked_by is not null and queue_name like ${queues}) as queues`;
  const jobsLocked = Number(locks!.jobs);
  const queuesLocked = Number(locks!.queues);
  // A failed run is allowed (its attempts ran out while workers were killed) only when a later
  // run of the same task succeeded: that run did what the failed one had left.
  const unfollowed = failed.filter(
    (run) =>
      !runs.some(
        (later) => later.task === run.task && later.status === "succeeded" && later.queuedAt > run.queuedAt,
      ),
  );
  const checks: Check[] = [
    check(
      `runs: ${runs.length}, interrupted ${interruptions} times; failed ${failed.length} (${failed.filter((run) => run.interruptions > 0).length} on their last attempt after interruptions), ${unfollowed.length} of them not followed by a run of their stage that succeeded${failed.length ? `; first: ${failed[0]!.task}: ${failed[0]!.error}` : ""}`,
      unfollowed.length === 0,
    ),
    check(`orders placed: ${orders.size}, expected ${expected}`, orders.size === expected),
    check(
      `sales documents: ${documents.length}, expected ${expected}; orders without one: ${ordersWithoutDocument}`,
      documents.length === expected && ordersWithoutDocument === 0,
    ),
  ];
  if (posted)
    checks.push(
      check(
        `documents posted: ${postedDocuments}, shipments posted: ${shipments}, expected ${expected} each`,
        postedDocuments === expected && shipments === expected,
      ),
    );
  if (fulfilled)
    checks.push(
      check(
        `Shopify fulfillments: ${fulfillments}, expected ${expected}; orders with none: ${ordersWithoutFulfillment}, with more than one: ${ordersWithSeveral}`,
        ordersWithoutFulfillment === 0 && ordersWithSeveral === 0 && fulfillments === expected,
      ),
    );
  checks.push(
    check(`runs stuck (queued or running): ${stuck}`, stuck === 0),
    check(
      `jobs locked: ${jobsLocked}, queues locked: ${queuesLocked}`,
      jobsLocked === 0 && queuesLocked === 0,
    ),
  );
  return { checks, documents: documents.length, fulfillments, stuck, queuesLocked };
}

const text = (value: { toString(): string } | null | undefined) =>
  value === null || value === undefined ? null : value.toString();

/**
 * A shop's back office as content, one entry per Shopify order (keyed by its name, #1001...):
 * the sales document and its lines, its customer (by what the customer is, not its number),
 * posted shipments and invoices with their lines, and the Shopify fulfillments of the order,
 * with the tracking number compared to the shipment's rather than printed; plus the customers
 * and the stock ledger's totals. Generated ids, numbers and timestamps are left out, so two
 * runs over the same orders compare equal when they did the same work.
 */
export async function canonicalState(
  simulator: HarnessSimulator,
  shop: StockedShop,
): Promise<Map<string, string>> {
  const { default: prisma } = await import("../../app/db.server");
  const shopId = shop.shopId;
  const sim = simulator.sim.shop(shop.domain);
  const [headers, customers, shipments, invoices, stock, shipmentRecords] = await Promise.all([
    prisma.boSalesHeader.findMany({ where: { shopId }, include: { lines: { orderBy: { lineNo: "asc" } } } }),
    prisma.boCustomer.findMany({ where: { shopId } }),
    prisma.boPostedShipment.findMany({
      where: { shopId },
      include: { lines: { orderBy: { lineNo: "asc" } } },
    }),
    prisma.boPostedInvoice.findMany({
      where: { shopId },
      include: { lines: { orderBy: { lineNo: "asc" } } },
    }),
    prisma.boStockEntry.groupBy({
      by: ["itemNo", "variantCode", "locationCode", "entryType"],
      where: { shopId },
      _sum: { quantity: true },
      _count: true,
    }),
    prisma.syncRecord.findMany({ where: { shopId, task: "sync_shipments" } }),
  ]);
  const recordOf = new Map(shipmentRecords.map((record) => [record.recordKey, record]));
  const customerOf = new Map(customers.map((c) => [c.no, c]));
  const describeCustomer = (no: string) => {
    const c = customerOf.get(no);
    return c
      ? [c.name, c.email, c.phone, c.address1, c.city, c.zip, c.countryCode, c.isTemplate].map(text)
      : ["missing", no];
  };
  const shopifyLineIndex = new Map<string, number>();
  const orderName = new Map<string, string>();
  for (const order of sim.orders.values()) {
    orderName.set(String(order.id), order.name);
    order.lineItems.forEach((line, index) => shopifyLineIndex.set(String(line.id), index));
  }
  const lineRef = (id: bigint | number | null) =>
    id === null ? null : (shopifyLineIndex.get(String(id)) ?? "?");
  const entries = new Map<string, unknown[]>();
  const entry = (key: string) => {
    let list = entries.get(key);
    if (!list) entries.set(key, (list = []));
    return list;
  };
  for (const header of headers) {
    entry(header.shopifyOrderNo ?? `no order: ${header.no}`).push([
      "document",
      header.documentType,
      header.status,
      header.onHold,
      describeCustomer(header.customerNo),
      header.currencyCode,
      header.shipToName,
      header.shipToAddress1,
      header.shipToCity,
      header.shipToZip,
      header.shipToCountry,
      header.pricesIncludingTax,
      text(header.amount),
      text(header.amountIncludingTax),
      text(header.presentmentCurrencyCode),
      text(header.presentmentAmount),
      text(header.presentmentAmountIncludingTax),
      header.lines.map((line) => [
        line.lineNo,
        line.type,
        line.itemNo,
        line.variantCode,
        line.description,
        line.locationCode,
        line.quantity,
        text(line.unitPrice),
        text(line.discountAmount),
        text(line.taxAmount),
        text(line.amount),
        line.quantityShipped,
        line.quantityInvoiced,
        lineRef(line.shopifyLineId),
      ]),
    ]);
  }
  const trackingOf = new Map<string, string | null>();
  for (const shipment of shipments) {
    const key = orderName.get(String(shipment.shopifyOrderId)) ?? `no order: ${shipment.no}`;
    trackingOf.set(key, shipment.trackingNo);
    entry(key).push([
      "shipment",
      describeCustomer(shipment.customerNo),
      shipment.carrier,
      shipment.trackingNo === null ? null : "tracking number",
      shipment.trackingUrl?.replace(shipment.trackingNo ?? "\u0000", "<tracking number>") ?? null,
      recordOf.get(shipment.no)?.state ?? null,
      recordOf.get(shipment.no)?.message ?? null,
      recordOf.get(shipment.no)?.shopifyId ? "fulfillment" : null,
      shipment.lines.map((line) => [
        line.lineNo,
        line.orderLineNo,
        line.itemNo,
        line.variantCode,
        line.description,
        line.locationCode,
        line.quantity,
        lineRef(line.shopifyLineId),
      ]),
    ]);
  }
  for (const invoice of invoices) {
    entry(invoice.shopifyOrderNo ?? `no order: ${invoice.no}`).push([
      "invoice",
      describeCustomer(invoice.customerNo),
      invoice.pricesIncludingTax,
      text(invoice.amount),
      text(invoice.amountIncludingTax),
      invoice.lines.map((line) => [
        line.lineNo,
        line.type,
        line.itemNo,
        line.variantCode,
        line.description,
        line.quantity,
        text(line.unitPrice),
        text(line.amount),
        text(line.taxAmount),
      ]),
    ]);
  }
  for (const fulfillment of sim.fulfillments.values()) {
    const key = orderName.get(String(fulfillment.orderId)) ?? `unknown order ${fulfillment.orderId}`;
    entry(key).push([
      "fulfillment",
      fulfillment.status,
      fulfillment.trackingInfo.map((info) => [
        info.company,
        info.number === trackingOf.get(key) ? "the shipment's tracking number" : info.number,
        info.url?.replace(info.number ?? "\u0000", "<tracking number>") ?? null,
      ]),
      fulfillment.lineItems.map((line) => [lineRef(line.lineItemId), line.quantity]).sort(),
    ]);
  }
  for (const customer of customers)
    entry(`customer ${customer.email ?? customer.name}`).push(describeCustomer(customer.no));
  for (const row of stock)
    entry(`stock ${row.itemNo}/${row.variantCode}/${row.locationCode}/${row.entryType}`).push([
      row._sum.quantity,
      row._count,
    ]);
  const state = new Map<string, string>();
  for (const [key, list] of entries)
    state.set(key, JSON.stringify(list.map((item) => JSON.stringify(item)).sort()));
  return state;
}

/** Keys whose content differs between two canonical states (either side missing counts). */
export function differences(a: Map<string, string>, b: Map<string, string>): string[] {
  const keys = new Set([...a.keys(), ...b.keys()]);
  return [...keys].filter((key) => a.get(key) !== b.get(key)).sort();
}

export function digest(state: Map<string, string>): string {
  const hash = createHash("sha256");
  for (const key of [...state.keys()].sort()) hash.update(`${key}\u0000${state.get(key)}\n`);
  return hash.digest("hex").slice(0, 12);
}
