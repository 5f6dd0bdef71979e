import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { postSalesOrder } from "../../app/backoffice/backoffice.server";
import prisma from "../../app/db.server";
import { enqueueSync } from "../../app/jobs/enqueue.server";
import { runInForeground } from "../../app/jobs/foreground.server";
import { recoverStoppedWorkers } from "../../app/jobs/recovery.server";
import { syncOrdersTask } from "../../app/sync/orders/task.server";
import { syncShipmentsTask } from "../../app/sync/shipments/task.server";
import { shipmentRecords, syncedShipments } from "../kit/outbound";
import { orderShop } from "../support/order-shop";
import { withoutDefaultSchedules } from "../support/shops";
import { startSimulator, type RunningSimulator } from "../support/simulator";
import { TEST_API_KEY, TEST_API_SECRET } from "../support/env";

/**
 * Crash recovery with real worker processes (`npm run worker`'s script, the tasks of tasks/):
 * a worker SIGKILLed in the middle of a run leaves that run `running` and the shop's queue
 * locked; another worker finds it stopped within the detection interval, queues the run again
 * and it finishes, with nothing done twice.
 */

const DEAD_AFTER_MS = 2_000;
const ROOT = path.resolve(import.meta.dirname, "../..");

let simulator: RunningSimulator;
beforeAll(async () => {
  simulator = await startSimulator(null);
  process.env.SHOPIFY_ADMIN_ORIGIN = simulator.url;
});
afterAll(() => simulator?.close());

const children: ChildProcess[] = [];
afterEach(async () => {
  simulator.sim.faults = { ...simulator.sim.faults, delayShare: 0, delayMs: 0 };
  await Promise.all(children.splice(0).map(stopChild));
});

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

/** `npm run worker` as its own process, on this test file's database and simulator. */
function workerProcess(): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/worker.ts", "--concurrency", "2"], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: "test",
      WORKER_DEAD_AFTER_MS: String(DEAD_AFTER_MS),
      SHOPIFY_ADMIN_ORIGIN: simulator.url,
      SHOPIFY_API_KEY: TEST_API_KEY,
      SHOPIFY_API_SECRET: TEST_API_SECRET,
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  child.once("exit", (code) => {
    // DEBUG_WORKERS=1 shows what a worker logged (LOG_LEVEL=warn) when it ended.
    if (process.env.DEBUG_WORKERS) process.stderr.write(`worker exited ${code}: ${stderr}\n`);
  });
  children.push(child);
  return child;
}

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false>,
  timeoutMs = 45_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}

/** The shop's locked queues once graphile-worker has written the last completion (a moment after the run record). */
async function lockedQueuesSettled(domain: string) {
  return until(
    "the finished job's queue to be unlocked",
    async () => ((await lockedQueues(domain)).length === 0 ? [] : null),
    10_000,
  ).catch(() => lockedQueues(domain));
}

async function lockedQueues(domain: string) {
  return prisma.$queryRaw<{ queue_name: string; locked_by: string }[]>`
    select queue_name, locked_by from graphile_worker._private_job_queues
     where queue_name like ${`shop:${domain}:%`} and locked_by is not null`;
}

async function setupShop() {
  const setup = await orderShop(simulator);
  await withoutDefaultSchedules(setup.shop.id);
  return setup;
}

describe("when a worker is SIGKILLed while it imports a shop's orders", () => {
  it("another worker requeues the run within the detection interval, and each order becomes one document", async () => {
    const { shop, store, small } = await setupShop();
    const orders = [];
    for (let i = 0; i < 6; i++)
      orders.push(await store.placeOrder({ lines: [{ variantId: small.id, quantity: 1 + (i % 2) }] }));
    // Every Admin API answer takes a second, so the worker is mid-run when it is killed.
    simulator.sim.faults = { ...simulator.sim.faults, delayShare: 1, delayMs: 1_000 };
    const { run } = await enqueueSync(prisma, syncOrdersTask, {
      shop: shop.domain,
      trigger: "manual",
      jobKey: true,
    });

    const first = workerProcess();
    const taken = await until("the first worker to take the run", async () => {
      const current = await prisma.syncRun.findUniqueOrThrow({ where: { id: run.id } });
      return current.status === "running" && current.workerId ? current : null;
    });
    await kill(first);

    // What graphile-worker alone leaves: the run running, the queue locked by the dead pool.
    expect(await prisma.syncRun.findUniqueOrThrow({ where: { id: run.id } })).toMatchObject({
      status: "running",
    });
    expect(await lockedQueues(shop.domain)).toEqual([
      { queue_name: `shop:${shop.domain}:orders`, locked_by: taken.workerId },
    ]);

    simulator.sim.faults = { ...simulator.sim.faults, delayShare: 0, delayMs: 0 };
    const killedAt = Date.now();
    workerProcess();
    const requeued = await until("the run to be requeued", async () => {
      const current = await prisma.syncRun.findUniqueOrThrow({ where: { id: run.id } });
      return current.interruptions > 0 ? Date.now() : null;
    });
    // Stale after DEAD_AFTER_MS without a beat; looked for four times per interval; plus the
    // second worker's start-up (a process with tsx) which the clock also counts here.
    expect(requeued - killedAt).toBeLessThan(DEAD_AFTER_MS + 15_000);

    const ended = await until("the run to finish", async () => {
      const current = await prisma.syncRun.findUniqueOrThrow({ where: { id: run.id } });
      return ["succeeded", "failed"].includes(current.status) ? current : null;
    });
    expect(ended).toMatchObject({ status: "succeeded", attempts: 2, interruptions: 1, error: null });
    expect(ended.note).toContain(`Attempt 1 was interrupted: worker ${taken.workerId}`);
    expect(ended.note).toContain("unlocked and queued again");
    expect(ended.counts).toMatchObject({ imported: 6, processed: 6 });
    expect(await lockedQueuesSettled(shop.domain)).toEqual([]);
    expect(await prisma.workerProcess.count({ where: { id: taken.workerId! } })).toBe(0);

    const documents = await prisma.boSalesHeader.findMany({ where: { shopId: shop.id } });
    expect(documents.map((doc) => doc.shopifyOrderNo).sort()).toEqual(
      orders.map((order) => order.name).sort(),
    );
  }, 90_000);
});

describe("when a worker is SIGKILLed between fulfillments of a shipment sync", () => {
  it("the run finishes on another worker and Shopify has exactly one fulfillment per shipment", async () => {
    const { shop, store, small } = await setupShop();
    const orders = [];
    for (let i = 0; i < 4; i++)
      orders.push(await store.placeOrder({ lines: [{ variantId: small.id, quantity: 1 }] }));
    await runInForeground(prisma, syncOrdersTask, { shop: shop.domain, trigger: "manual" });
    const staged = await prisma.shopifyOrder.findMany({
      where: { shopId: shop.id },
      orderBy: { name: "asc" },
    });
    for (const [index, order] of staged.entries()) {
      await postSalesOrder(prisma, shop.id, order.documentNo!, {
        ship: true,
        invoice: false,
        carrier: "UPS",
        trackingNo: `1ZKILL${index}`,
      });
    }
    simulator.sim.faults = { ...simulator.sim.faults, delayShare: 1, delayMs: 400 };
    const { run } = await enqueueSync(prisma, syncShipmentsTask, {
      shop: shop.domain,
      trigger: "manual",
      jobKey: true,
    });

    const first = workerProcess();
    await until("the first shipment to reach Shopify", async () =>
      (await syncedShipments(shop.id)) > 0 ? true : null,
    );
    await kill(first);
    expect((await prisma.syncRun.findUniqueOrThrow({ where: { id: run.id } })).status).toBe("running");

    workerProcess();
    const ended = await until("the run to finish", async () => {
      const current = await prisma.syncRun.findUniqueOrThrow({ where: { id: run.id } });
      return ["succeeded", "failed"].includes(current.status) ? current : null;
    });
    expect(ended).toMatchObject({ status: "succeeded", interruptions: 1 });
    const records = await shipmentRecords(shop.id);
    expect(Object.values(records).map((r) => r.state)).toEqual(["synced", "synced", "synced", "synced"]);
    expect(await prisma.boPostedShipment.count({ where: { shopId: shop.id } })).toBe(4);
    for (const order of orders) {
      const inShopify = await store.order(order.id);
      expect(inShopify?.fulfillments).toHaveLength(1);
    }
    expect(await lockedQueuesSettled(shop.domain)).toEqual([]);
  }, 90_000);
});

describe("a recovery pass", () => {
  /** A run whose job a worker took, as graphile-worker records it, and that worker's row. */
  async function takenBy(workerId: string, options: { attemptsLeft: boolean; seenAgoMs: number | null }) {
    const { shop } = await setupShop();
    const { run } = await enqueueSync(prisma, syncOrdersTask, { shop: shop.domain, trigger: "manual" });
    await prisma.$executeRaw`
      update graphile_worker._private_jobs
         set locked_by = ${workerId}, locked_at = now() - interval '1 hour',
             attempts = case when ${options.attemptsLeft} then 1 else max_attempts end
       where id = ${BigInt(run.jobId!)}`;
    await prisma.$executeRaw`
      update graphile_worker._private_job_queues set locked_by = ${workerId}, locked_at = now() - interval '1 hour'
       where queue_name = ${`shop:${shop.domain}:orders`}`;
    await prisma.syncRun.update({
      where: { id: run.id },
      data: { status: "running", workerId, attempts: options.attemptsLeft ? 1 : 5, startedAt: new Date() },
    });
    if (options.seenAgoMs !== null)
      await prisma.workerProcess.create({
        data: {
          id: workerId,
          kind: "worker",
          host: "gone",
          pid: 1,
          seenAt: new Date(Date.now() - options.seenAgoMs),
        },
      });
    return { shop, run };
  }

  it("leaves a worker that beat within the interval alone", async () => {
    const { shop, run } = await takenBy("pool-alive", { attemptsLeft: true, seenAgoMs: 100 });
    expect(await recoverStoppedWorkers(prisma, 60_000)).toEqual([]);
    expect((await prisma.syncRun.findUniqueOrThrow({ where: { id: run.id } })).status).toBe("running");
    expect(await lockedQueues(shop.domain)).toHaveLength(1);
  });

  it("judges a process by its own interval when it is longer than the sweeping worker's", async () => {
    const { run } = await takenBy("pool-patient", { attemptsLeft: true, seenAgoMs: 10_000 });
    // That process beats every 15 s (a minute's interval); a worker of 2 s leaves it alone.
    expect(await recoverStoppedWorkers(prisma, 2_000)).toEqual([]);
    expect((await prisma.syncRun.findUniqueOrThrow({ where: { id: run.id } })).status).toBe("running");
    await prisma.workerProcess.update({ where: { id: "pool-patient" }, data: { deadAfterMs: 5_000 } });
    expect(await recoverStoppedWorkers(prisma, 2_000)).toContainEqual({
      workerId: "pool-patient",
      runId: run.id,
      outcome: "requeued",
    });
  });

  it("fails a run whose last attempt was interrupted, and frees its queue", async () => {
    const { shop, run } = await takenBy("pool-last", { attemptsLeft: false, seenAgoMs: 120_000 });
    const recovered = await recoverStoppedWorkers(prisma, 60_000);
    expect(recovered).toContainEqual({ workerId: "pool-last", runId: run.id, outcome: "failed" });
    const after = await prisma.syncRun.findUniqueOrThrow({ where: { id: run.id } });
    expect(after).toMatchObject({ status: "failed", interruptions: 1 });
    expect(after.error).toContain("stopped without finishing it");
    expect(after.note).toContain("host gone, pid 1");
    expect(await lockedQueues(shop.domain)).toEqual([]);
    const [jobs] = await prisma.$queryRaw<{ count: bigint }[]>`
      select count(*) from graphile_worker._private_jobs where id = ${BigInt(run.jobId!)}`;
    expect(Number(jobs!.count)).toBe(0);
  });

  it("unlocks a lock older than the interval held by a worker that never had a heartbeat row", async () => {
    const { shop, run } = await takenBy("pool-before-heartbeats", { attemptsLeft: true, seenAgoMs: null });
    await recoverStoppedWorkers(prisma, 60_000);
    expect(await prisma.syncRun.findUniqueOrThrow({ where: { id: run.id } })).toMatchObject({
      status: "queued",
      interruptions: 1,
    });
    expect(await lockedQueues(shop.domain)).toEqual([]);
  });

  it("fails a foreground run whose process stopped", async () => {
    const { shop } = await setupShop();
    const run = await prisma.syncRun.create({
      data: {
        id: crypto.randomUUID(),
        shopId: shop.id,
        task: "sync_orders",
        trigger: "manual",
        category: "sync",
        status: "running",
        workerId: "fg-gone",
        startedAt: new Date(),
      },
    });
    await prisma.workerProcess.create({
      data: {
        id: "fg-gone",
        kind: "foreground",
        host: "gone",
        pid: 2,
        seenAt: new Date(Date.now() - 120_000),
      },
    });
    await recoverStoppedWorkers(prisma, 60_000);
    const after = await prisma.syncRun.findUniqueOrThrow({ where: { id: run.id } });
    expect(after).toMatchObject({ status: "failed", interruptions: 1 });
    expect(after.error).toContain("run it again");
  });
});
