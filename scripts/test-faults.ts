// `npm run test:faults`: the order pipeline under faults, with the figures that prove nothing is
// lost or done twice. Worker processes (`npm run worker`, crash recovery's detection interval
// set to seconds) import, process, post (with tracking) and send shipments back as
// fulfillments for a few hundred orders, while a killer SIGKILLs a worker at random moments and
// starts another in its place. At the end there must be exactly one sales document per order,
// every document posted, exactly one Shopify fulfillment per shipment, no run left queued or
// running, no job or queue locked. Exits 1 when any of that does not hold.
// Options: --orders <n> (default 300), --kills <n> (default 30), --dead-after <ms> (default
// 2000), --quick (60 orders, 8 kills: the subset .ci/run runs).
import type { ChildProcess } from "node:child_process";
import { parseArgs } from "node:util";
import {
  freshDatabase,
  out,
  placeOrders,
  sleep,
  startHarnessSimulator,
  stockedShop,
  stopProcess,
  workerProcess,
} from "./lib/harness";

const { values } = parseArgs({
  options: {
    orders: { type: "string" },
    kills: { type: "string" },
    "dead-after": { type: "string", default: "2000" },
    quick: { type: "boolean", default: false },
  },
});
const ORDERS = Number(values.orders ?? (values.quick ? 60 : 300));
const KILLS = Number(values.kills ?? (values.quick ? 8 : 30));
const DEAD_AFTER_MS = Number(values["dead-after"]);
const WORKERS = 2;
const TIMEOUT_MS = (values.quick ? 4 : 9) * 60_000;
for (const [name, value] of [
  ["--orders", ORDERS],
  ["--kills", KILLS],
  ["--dead-after", DEAD_AFTER_MS],
] as const) {
  if (!Number.isInteger(value) || value < 1) {
    process.stderr.write(`test:faults: ${name} must be a whole number above 0\n`);
    process.exit(2);
  }
}

const started = Date.now();
const database = await freshDatabase("faults");
// Plus: the rate limit does not set the pace; the faults do.
const simulator = await startHarnessSimulator("plus");

const { default: prisma } = await import("../app/db.server");
const { enqueueSync } = await import("../app/jobs/enqueue.server");
const { upsertSchedule } = await import("../app/jobs/schedules.server");
const { postSalesOrdersTask } = await import("../app/sync/posting/task.server");
const { syncOrdersTask } = await import("../app/sync/orders/task.server");
const { syncShipmentsTask } = await import("../app/sync/shipments/task.server");

out(
  `test:faults  (database ${database.name}, simulator ${simulator.url}; ${ORDERS} orders, ${KILLS} SIGKILLs, detection interval ${DEAD_AFTER_MS} ms)`,
);

const shop = await stockedShop(simulator, "faults-kill");
// Shipments in a category of their own: two of the shop's runs at a time, for the killer to hit.
await upsertSchedule(prisma, {
  shopId: shop.shopId,
  task: "sync_shipments",
  cron: "0 * * * *",
  enabled: false,
  category: "shipments",
});
await placeOrders(simulator, shop, ORDERS);

const workerEnv = { WORKER_DEAD_AFTER_MS: String(DEAD_AFTER_MS) };
const live = new Set<ChildProcess>();
function startWorker() {
  const child = workerProcess(2, workerEnv);
  live.add(child);
  child.once("exit", () => live.delete(child));
}
for (let i = 0; i < WORKERS; i++) startWorker();

/** What the pipeline must reach: every order a posted document whose shipment is in Shopify. */
async function progress() {
  const [documents, posted, synced, active] = await Promise.all([
    prisma.boSalesHeader.count({ where: { shopId: shop.shopId } }),
    prisma.boSalesHeader.count({ where: { shopId: shop.shopId, status: "posted" } }),
    prisma.boPostedShipment.count({ where: { shopId: shop.shopId, shopifySyncState: "synced" } }),
    prisma.syncRun.count({ where: { shopId: shop.shopId, status: { in: ["queued", "running"] } } }),
  ]);
  return { documents, posted, synced, active };
}

/** Keeps one run of each stage waiting (job keys coalesce), as the webhooks and schedules would. */
async function queueStages() {
  await enqueueSync(prisma, syncOrdersTask, { shop: shop.domain, trigger: "schedule", jobKey: true });
  await enqueueSync(prisma, postSalesOrdersTask, {
    shop: shop.domain,
    trigger: "schedule",
    jobKey: true,
    filters: { carrier: "UPS", trackingUrl: "https://www.ups.com/track?tracknum=" },
  });
  await enqueueSync(prisma, syncShipmentsTask, { shop: shop.domain, trigger: "schedule", jobKey: true });
}

let kills = 0;
let killsMidRun = 0;
const random = (min: number, max: number) => min + Math.random() * (max - min);

/** The live workers holding one of the shop's runs right now. */
async function busyWorkers(): Promise<ChildProcess[]> {
  const running = await prisma.syncRun.findMany({
    where: { shopId: shop.shopId, status: "running", workerId: { not: null } },
    select: { workerId: true },
  });
  const rows = await prisma.workerProcess.findMany({
    where: { id: { in: running.map((run) => run.workerId!) } },
    select: { pid: true },
  });
  const pids = new Set(rows.map((row) => row.pid));
  return [...live].filter((child) => child.pid !== undefined && pids.has(child.pid));
}

/**
 * SIGKILLs a worker in the middle of a run (waiting up to 10 s for one to hold a run; any
 * worker after that) and starts another in its place.
 */
async function killOne() {
  const deadline = Date.now() + 10_000;
  let busy = await busyWorkers();
  while (busy.length === 0 && Date.now() < deadline) {
    await sleep(50);
    busy = await busyWorkers();
  }
  const candidates = busy.length > 0 ? busy : [...live];
  const victim = candidates[Math.floor(Math.random() * candidates.length)];
  if (!victim) return;
  kills++;
  if (busy.length > 0) killsMidRun++;
  await stopProcess(victim, "SIGKILL");
  startWorker();
}

let state = await progress();
let lastQueued = 0;
while (Date.now() - started < TIMEOUT_MS) {
  if (Date.now() - lastQueued > 1000) {
    await queueStages();
    lastQueued = Date.now();
  }
  if (kills < KILLS) {
    // A moment into the run, so the kill lands anywhere in it.
    await sleep(random(100, 1500));
    await killOne();
  } else {
    await sleep(250);
  }
  state = await progress();
  if (kills >= KILLS && state.posted === ORDERS && state.synced === ORDERS && state.active === 0) break;
}
const pipelineSeconds = (Date.now() - started) / 1000;
await Promise.all([...live].map((child) => stopProcess(child)));

// The end state, counted from the back office, the simulated Shopify and graphile-worker.
const orders = simulator.sim.shop(shop.domain).orders;
const fulfillmentsPerOrder = new Map<number, number>();
for (const fulfillment of simulator.sim.shop(shop.domain).fulfillments.values()) {
  if (fulfillment.status !== "SUCCESS") continue;
  fulfillmentsPerOrder.set(fulfillment.orderId, (fulfillmentsPerOrder.get(fulfillment.orderId) ?? 0) + 1);
}
const ordersWithoutFulfillment = [...orders.keys()].filter((id) => !fulfillmentsPerOrder.has(id)).length;
const ordersWithSeveral = [...fulfillmentsPerOrder.values()].filter((count) => count > 1).length;
const documents = await prisma.boSalesHeader.findMany({
  where: { shopId: shop.shopId },
  select: { shopifyOrderId: true, status: true },
});
const documentOrders = new Set(documents.map((doc) => String(doc.shopifyOrderId)));
const ordersWithoutDocument = [...orders.keys()].filter((id) => !documentOrders.has(String(id))).length;
const shipments = await prisma.boPostedShipment.count({ where: { shopId: shop.shopId } });
const runs = await prisma.syncRun.findMany({ where: { shopId: shop.shopId } });
const stuck = runs.filter((run) => run.status === "queued" || run.status === "running").length;
const interruptions = runs.reduce((sum, run) => sum + run.interruptions, 0);
const failedByInterruption = runs.filter((run) => run.status === "failed" && run.interruptions > 0).length;
if (process.env.FAULTS_DEBUG)
  for (const run of runs.filter((r) => r.status === "failed"))
    out(
      `  debug: ${run.task} attempts ${run.attempts} interruptions ${run.interruptions}: ${run.error} | ${run.note}`,
    );
const failedOtherwise = runs.filter((run) => run.status === "failed" && run.interruptions === 0);
const [locks] = await prisma.$queryRaw<{ jobs: bigint; queues: bigint }[]>`
  select (select count(*) from graphile_worker._private_jobs where locked_by is not null) as jobs,
         (select count(*) from graphile_worker._private_job_queues where locked_by is not null) as queues`;

const checks: [string, boolean][] = [
  [`SIGKILLs: ${kills} (${killsMidRun} of a worker in the middle of a run)`, kills >= KILLS],
  [
    `runs: ${runs.length}, interrupted ${interruptions} times, recovered and finished; ${failedByInterruption} failed on their last attempt and were queued again`,
    true,
  ],
  [
    `runs failed otherwise: ${failedOtherwise.length}${failedOtherwise.length ? ` (${failedOtherwise[0]!.task}: ${failedOtherwise[0]!.error})` : ""}`,
    true,
  ],
  [`orders placed: ${orders.size}, expected ${ORDERS}`, orders.size === ORDERS],
  [
    `sales documents: ${documents.length}, expected ${ORDERS}; orders without one: ${ordersWithoutDocument}`,
    documents.length === ORDERS && ordersWithoutDocument === 0,
  ],
  [
    `documents posted: ${documents.filter((doc) => doc.status === "posted").length}, shipments posted: ${shipments}, expected ${ORDERS} each`,
    state.posted === ORDERS && shipments === ORDERS,
  ],
  [
    `Shopify fulfillments: ${[...fulfillmentsPerOrder.values()].reduce((a, b) => a + b, 0)}, expected ${ORDERS}; orders with none: ${ordersWithoutFulfillment}, with more than one: ${ordersWithSeveral}`,
    ordersWithoutFulfillment === 0 && ordersWithSeveral === 0,
  ],
  [`runs stuck (queued or running): ${stuck}`, stuck === 0],
  [
    `jobs locked: ${Number(locks!.jobs)}, queues locked: ${Number(locks!.queues)}`,
    Number(locks!.jobs) === 0 && Number(locks!.queues) === 0,
  ],
];
out(`kill storm: ${pipelineSeconds.toFixed(1)} s`);
for (const [line, ok] of checks) out(`  ${ok ? "ok  " : "FAIL"} ${line}`);

simulator.close();
await database.drop();
const failed = checks.filter(([, ok]) => !ok).length;
out(failed === 0 ? "test:faults: every check holds" : `test:faults: ${failed} check(s) failed`);
process.exit(failed === 0 ? 0 : 1);
