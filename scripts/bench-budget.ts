// `npm run bench:budget`: one shop's Admin API work in two job categories at once (a first
// import of new orders in "sync", a shipment sync of posted shipments in "shipments"), on the
// Standard plan (2,000 points, 100 restored a second), run twice on identical shops:
//   1. one worker process (concurrency 2) taking both categories;
//   2. two worker processes (concurrency 1 each), one job each.
// Prints, for each, the wall time from queueing to both runs ended and the THROTTLED answers
// the simulator gave. The workers share the shop's cost budget in Postgres
// (app/shopify/budget.server.ts), so two processes should pace themselves as one.
// Options: --orders <new orders to import> (default 300), --shipments <shipments> (default 150).
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
  type StockedShop,
} from "./lib/harness";

const { values } = parseArgs({
  options: {
    orders: { type: "string", default: "300" },
    shipments: { type: "string", default: "150" },
  },
});
const NEW_ORDERS = Number(values.orders);
const SHIPMENTS = Number(values.shipments);

const database = await freshDatabase("bench_budget");
const simulator = await startHarnessSimulator("standard");

const { default: prisma } = await import("../app/db.server");
const { postSalesOrder } = await import("../app/backoffice/backoffice.server");
const { enqueueSync } = await import("../app/jobs/enqueue.server");
const { runInForeground } = await import("../app/jobs/foreground.server");
const { upsertSchedule } = await import("../app/jobs/schedules.server");
const { syncOrdersTask } = await import("../app/sync/orders/task.server");
const { syncShipmentsTask } = await import("../app/sync/shipments/task.server");

/** Waits until the simulator's bucket for the shop is full again, so both phases start alike. */
async function bucketFull(domain: string) {
  const state = simulator.sim.shop(domain);
  for (;;) {
    const status = simulator.sim.bucket(state).tryTake(0).status;
    if (status.currentlyAvailable >= status.maximumAvailable) return;
    await sleep(250);
  }
}

/**
 * A shop with SHIPMENTS orders imported, shipped and posted with tracking (not yet sent to
 * Shopify), then NEW_ORDERS more placed in Shopify and not imported: the work to do.
 */
async function prepareShop(name: string) {
  const shop = await stockedShop(simulator, name);
  await upsertSchedule(prisma, {
    shopId: shop.shopId,
    task: "sync_shipments",
    cron: "0 * * * *",
    enabled: false,
    category: "shipments",
  });
  await placeOrders(simulator, shop, SHIPMENTS);
  await runInForeground(prisma, syncOrdersTask, { shop: shop.domain, trigger: "manual" });
  const documents = await prisma.boSalesHeader.findMany({
    where: { shopId: shop.shopId },
    orderBy: { no: "asc" },
  });
  for (const [index, document] of documents.entries()) {
    await postSalesOrder(prisma, shop.shopId, document.no, {
      ship: true,
      invoice: true,
      carrier: "UPS",
      trackingNo: `1ZBENCH${name}${index}`,
    });
  }
  await placeOrders(simulator, shop, NEW_ORDERS);
  await bucketFull(shop.domain);
  return shop;
}

/** Queues both runs, starts the workers, and waits for both runs to end. */
async function phase(label: string, shop: StockedShop, workers: number[]) {
  // Workers first, idle until the runs are queued: their start-up is not the work.
  const children = workers.map((concurrency) => workerProcess(concurrency));
  while ((await prisma.workerProcess.count()) < workers.length) await sleep(100);
  const throttledBefore = simulator.throttled();
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
  await Promise.all(children.map((child) => stopProcess(child)));
  const throttled = simulator.throttled() - throttledBefore;
  out(`${label}: ${seconds.toFixed(1)} s, ${throttled} THROTTLED answers`);
  for (const run of ended) {
    const from = ((run.startedAt!.getTime() - started) / 1000).toFixed(1);
    const to = ((run.finishedAt!.getTime() - started) / 1000).toFixed(1);
    out(`    ${run.task} ${run.status} from ${from} s to ${to} s ${JSON.stringify(run.counts)}`);
  }
  return { seconds, throttled, ok: ended.every((run) => run.status === "succeeded") };
}

out(
  `bench:budget  (simulator ${simulator.url}, database ${database.name}; ${NEW_ORDERS} new orders + ${SHIPMENTS} shipments per phase, Standard plan)`,
);
const one = await prepareShop("budget-one");
const two = await prepareShop("budget-two");
const single = await phase("one worker, two categories (concurrency 2)", one, [2]);
const pair = await phase("two workers, one category each (concurrency 1 each)", two, [1, 1]);
out(
  `two workers vs one: ${(pair.seconds / single.seconds).toFixed(2)}× the time, ${pair.throttled} vs ${single.throttled} THROTTLED`,
);

simulator.close();
await database.drop();
process.exit(single.ok && pair.ok ? 0 : 1);
