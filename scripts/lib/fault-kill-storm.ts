// Fault scenario "kill-storm": worker processes (crash recovery's detection interval set to
// seconds) import, process, post (with tracking) and send shipments back as fulfillments for a
// few hundred orders, while a killer SIGKILLs a worker holding a run at random moments and
// starts another in its place. In the end: exactly one sales document per order, every
// document posted, exactly one Shopify fulfillment per shipment, no run left queued or
// running, no job or queue locked.
import type { ChildProcess } from "node:child_process";
import { endState, random, runPipeline, WorkerPool, check, type ScenarioResult } from "./faults";
import {
  freshDatabase,
  out,
  placeOrders,
  sleep,
  startHarnessSimulator,
  stockedShop,
  stopProcess,
} from "./harness";

export interface KillStormOptions {
  orders: number;
  kills: number;
  deadAfterMs: number;
  timeoutMs: number;
}

export async function killStorm(options: KillStormOptions): Promise<ScenarioResult> {
  const started = Date.now();
  const database = await freshDatabase("faults");
  // Plus: the rate limit does not set the pace; the faults do.
  const simulator = await startHarnessSimulator("plus");
  const { default: prisma } = await import("../../app/db.server");
  out(
    `kill storm  (database ${database.name}; ${options.orders} orders, ${options.kills} SIGKILLs, detection interval ${options.deadAfterMs} ms)`,
  );

  const shop = await stockedShop(simulator, "faults-kill");
  await placeOrders(simulator, shop, options.orders);

  const workers = new WorkerPool({ WORKER_DEAD_AFTER_MS: String(options.deadAfterMs) });
  workers.start(2);

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
    return [...workers.live].filter((child) => child.pid !== undefined && pids.has(child.pid));
  }

  /** Whether the pipeline still has work: an order not yet sent back as a fulfillment. */
  const workLeft = async () =>
    (await prisma.syncRecord.count({
      where: { shopId: shop.shopId, task: "sync_shipments", state: "synced" },
    })) < options.orders;

  let kills = 0;
  /** Kills of a worker holding a run while the pipeline had work left: the ones that count. */
  let killsMidRun = 0;
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
    const candidates = busy.length > 0 ? busy : [...workers.live];
    const victim = candidates[Math.floor(Math.random() * candidates.length)];
    if (!victim) return;
    const midRun = busy.length > 0 && (await workLeft());
    kills++;
    if (midRun) killsMidRun++;
    await stopProcess(victim, "SIGKILL");
    workers.start();
  }

  const seconds = await runPipeline(shop, options.orders, {
    timeoutMs: options.timeoutMs,
    done: () => killsMidRun >= options.kills,
    tick: async () => {
      if (killsMidRun < options.kills) {
        // A moment into the run, so the kill lands anywhere in it.
        await sleep(random(100, 1500));
        await killOne();
      } else await sleep(250);
    },
  });
  await workers.stopAll();

  const end = await endState(simulator, shop, options.orders);
  const checks = [
    check(
      `SIGKILLs: ${kills} (${killsMidRun} of a worker in the middle of a run while orders were left to fulfil; ${options.kills} needed)`,
      killsMidRun >= options.kills,
    ),
    ...end.checks,
  ];
  simulator.close();
  await database.drop();
  out(`kill storm: pipeline ${seconds.toFixed(1)} s`);
  return {
    name: "kill-storm",
    seconds: (Date.now() - started) / 1000,
    checks,
    figures: {
      kills,
      restarts: 0,
      faultsInjected: kills,
      documentsExpected: options.orders,
      documentsFound: end.documents,
      fulfillmentsExpected: options.orders,
      fulfillmentsFound: end.fulfillments,
      runsStuck: end.stuck,
      queuesLocked: end.queuesLocked,
    },
  };
}
