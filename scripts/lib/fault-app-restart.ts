// Fault scenario "app-restart": `npm start`'s server (scripts/lib/app-process.ts) restarted
// during a webhook burst: orders placed four at a time as fast as the simulator takes them,
// each sending orders/create and orders/paid, while the server is SIGKILLed (a crash) and
// later SIGTERMed (a deploy: requests in hand finished), each time started again after a
// second. The simulator retries a failed delivery as Shopify does (same webhook id, backing
// off; the schedule compressed so the eight retries span about a minute). In the end every
// delivery must be delivered and recorded exactly once, and after the next scheduled
// reconcile no order may be missing: one staged order and one sales document each, no run
// left waiting, no job or queue locked.
import { freePort } from "../../app/db/embedded.server";
import {
  check,
  endState,
  enqueue,
  untilQuiet,
  startAppProcess,
  WorkerPool,
  type ScenarioResult,
} from "./faults";
import { undeliveredWhy, variedOrder } from "./fault-shopify";
import { freshDatabase, out, placeOrders, sleep, startHarnessSimulator, stockedShop } from "./harness";

export interface AppRestartOptions {
  orders: number;
  restarts: number;
  deadAfterMs: number;
  timeoutMs: number;
}

const PLACERS = 4;

export async function appRestart(options: AppRestartOptions): Promise<ScenarioResult> {
  const started = Date.now();
  const database = await freshDatabase("faults_app");
  // Shopify's retries (1 minute doubling to about 2 hours, 8 in all) at 1/200: 0.3 s to 34 s.
  const simulator = await startHarnessSimulator("plus", 9, { retryScale: 0.005 });
  const { default: prisma } = await import("../../app/db.server");
  const app = await startAppProcess(await freePort());
  simulator.sim.options.appUrl = app.url;
  out(
    `app restart  (database ${database.name}, app ${app.url}; ${options.orders} orders placed ${PLACERS} at a time, ${options.restarts} restarts)`,
  );
  const shop = await stockedShop(simulator, "faults-app");
  const workers = new WorkerPool({ WORKER_DEAD_AFTER_MS: String(options.deadAfterMs) });
  workers.start(2);

  // The burst, and the restarts within it: evenly spread, SIGKILL and SIGTERM in turn.
  const logFrom = simulator.sim.webhooks.log.length;
  const burstStarted = Date.now();
  const perPlacer = Math.ceil(options.orders / PLACERS);
  let placed = 0;
  const placing = Promise.all(
    Array.from({ length: PLACERS }, (_, p) => {
      const count = Math.min(perPlacer, options.orders - p * perPlacer);
      return placeOrders(
        simulator,
        shop,
        count,
        (s, i) => {
          placed++;
          return variedOrder(s, p * perPlacer + i);
        },
        { inProcess: true },
      );
    }),
  );
  const restarts: string[] = [];
  for (let r = 0; r < options.restarts; r++) {
    const at = ((r + 1) / (options.restarts + 1)) * options.orders;
    while (placed < at) await sleep(20);
    const signal = r % 2 === 0 ? "SIGKILL" : "SIGTERM";
    const down = Date.now();
    await app.restart(signal, 1000);
    restarts.push(
      `${signal} after ${Math.round(at)} orders, down ${((Date.now() - down) / 1000).toFixed(1)} s`,
    );
  }
  await placing;
  const burstSeconds = (Date.now() - burstStarted) / 1000;
  const settled = await simulator.sim.webhooks.idle(120_000);

  const deliveries = simulator.sim.webhooks.log.slice(logFrom);
  const retried = deliveries.filter((delivery) => delivery.attempts > 1);
  const undelivered = deliveries.filter((delivery) => delivery.state !== "delivered");
  const rows = await prisma.webhookDelivery.groupBy({
    by: ["webhookId"],
    where: { webhookId: { in: deliveries.map((delivery) => delivery.webhookId) } },
    _count: true,
  });
  const recordedOnce = rows.filter((row) => row._count === 1).length;
  const attemptsOf = retried.reduce((sum, delivery) => sum + delivery.attempts, 0);

  // Wait for the webhooks' runs, count what they staged, then the next reconcile.
  await untilQuiet(shop.shopId, options.timeoutMs / 2);
  const stagedBefore = await prisma.shopifyOrder.count({ where: { shopId: shop.shopId } });
  await enqueue(shop, "sync_orders", "schedule");
  await untilQuiet(shop.shopId, options.timeoutMs / 2);
  const staged = await prisma.shopifyOrder.findMany({
    where: { shopId: shop.shopId },
    select: { shopifyId: true },
  });
  const stagedIds = new Set(staged.map((order) => String(order.shopifyId)));
  const missing = [...simulator.sim.shop(shop.domain).orders.keys()].filter(
    (id) => !stagedIds.has(String(id)),
  );
  await workers.stopAll();
  await app.stop();

  const end = await endState(simulator, shop, options.orders, { posted: false });
  const checks = [
    check(
      `app server restarts: ${restarts.length} (${restarts.join("; ")}), burst ${burstSeconds.toFixed(1)} s`,
      restarts.length === options.restarts,
    ),
    check(
      `webhooks: ${deliveries.length} deliveries, ${retried.length} retried by Shopify (${attemptsOf} attempts in all; at least one needed, else the restarts missed the burst), ${undelivered.length} not delivered${settled ? "" : " (still retrying after 2 minutes)"}${undeliveredWhy(deliveries)}`,
      undelivered.length === 0 && settled && retried.length > 0,
    ),
    check(
      `webhooks recorded: ${rows.length} of ${deliveries.length}, ${recordedOnce} exactly once`,
      rows.length === deliveries.length && recordedOnce === deliveries.length,
    ),
    check(
      `orders staged: ${stagedBefore} after the webhooks' runs, ${staged.length} after the reconcile; missing ${missing.length}`,
      missing.length === 0 && staged.length === options.orders,
    ),
    ...end.checks,
  ];
  simulator.close();
  await database.drop();
  return {
    name: "app-restart",
    seconds: (Date.now() - started) / 1000,
    checks,
    figures: {
      kills: 0,
      restarts: restarts.length,
      faultsInjected: restarts.length,
      documentsExpected: options.orders,
      documentsFound: end.documents,
      fulfillmentsExpected: null,
      fulfillmentsFound: null,
      runsStuck: end.stuck,
      queuesLocked: end.queuesLocked,
    },
  };
}
