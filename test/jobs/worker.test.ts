import type { Runner } from "graphile-worker";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { enqueueSync } from "../../app/jobs/enqueue.server";
import { startWorker } from "../../app/jobs/worker.server";
import { installedShop } from "../support/shops";
import { flakyTask, forbiddenTask, intervals, probeTask, testTaskList } from "../support/tasks";

let runner: Runner;

beforeAll(async () => {
  runner = await startWorker({
    connectionString: process.env.DATABASE_URL!,
    concurrency: 4,
    taskList: testTaskList,
    crontab: "",
    pollInterval: 100,
    noHandleSignals: true,
  });
});
afterAll(() => runner.stop());

async function finished(runId: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await prisma.syncRun.findUniqueOrThrow({ where: { id: runId } });
    if (run.status === "succeeded" || run.status === "failed") return run;
    if (Date.now() > deadline) throw new Error(`run ${runId} still ${run.status} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function jobCount(): Promise<number> {
  const [row] = await prisma.$queryRaw<{ count: bigint }[]>`select count(*) from graphile_worker.jobs`;
  return Number(row?.count ?? 0);
}

/**
 * The jobs left once graphile-worker has done with them: the run record says "succeeded" from
 * inside the job, a moment before the worker deletes the job's row, so wait that moment out.
 */
async function jobsLeft(timeoutMs = 5_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const count = await jobCount();
    if (count === 0 || Date.now() > deadline) return count;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Graphile retries after exp(attempts) seconds; pull the retry forward so tests stay short. */
async function retrySoon(): Promise<void> {
  await prisma.$executeRaw`update graphile_worker._private_jobs set run_at = now() where attempts > 0 and locked_at is null`;
}

describe("a sync queued through the enqueue helper", () => {
  it("runs in a real worker and leaves a succeeded run record after the job is gone", async () => {
    const shop = await installedShop();
    const { run } = await enqueueSync(prisma, probeTask, {
      shop: shop.domain,
      trigger: "manual",
      filters: { sleepMs: "10" },
    });
    expect(run).toMatchObject({
      status: "queued",
      trigger: "manual",
      category: "sync",
      filters: { sleepMs: 10 },
    });

    const done = await finished(run.id);

    expect(done).toMatchObject({
      status: "succeeded",
      attempts: 1,
      progress: 1,
      counts: { handled: 3 },
      error: null,
    });
    expect(done.startedAt).not.toBeNull();
    expect(done.finishedAt!.getTime()).toBeGreaterThanOrEqual(done.startedAt!.getTime());
    expect(await jobsLeft()).toBe(0);
  });

  it("refuses bad filters with a clear message and queues nothing", async () => {
    const shop = await installedShop();
    await expect(
      enqueueSync(prisma, probeTask, { shop: shop.domain, trigger: "manual", filters: { sleepMs: "soon" } }),
    ).rejects.toThrow(/sleepMs/);
    await expect(
      enqueueSync(prisma, probeTask, { shop: shop.domain, trigger: "manual", filters: { colour: "red" } }),
    ).rejects.toThrow(/colour/);
    expect(await prisma.syncRun.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("is retried after a retryable error and then succeeds", async () => {
    const shop = await installedShop();
    const { run } = await enqueueSync(prisma, flakyTask, { shop: shop.domain, trigger: "webhook" });
    // The first attempt has ended once the run is back to queued with its error (attempts is
    // already 1 while that attempt is still running).
    const deadline = Date.now() + 20_000;
    for (;;) {
      const current = await prisma.syncRun.findUniqueOrThrow({ where: { id: run.id } });
      if ((current.attempts >= 1 && current.status !== "running") || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const between = await prisma.syncRun.findUniqueOrThrow({ where: { id: run.id } });
    expect(between).toMatchObject({ status: "queued", error: "Shopify answered 503" });
    await retrySoon();

    expect(await finished(run.id)).toMatchObject({ status: "succeeded", attempts: 2, error: null });
  });

  it("stops at once on a terminal error and shows it", async () => {
    const shop = await installedShop();
    const { run } = await enqueueSync(prisma, forbiddenTask, { shop: shop.domain, trigger: "schedule" });

    const done = await finished(run.id);

    expect(done).toMatchObject({
      status: "failed",
      attempts: 1,
      error: "Shopify answered 403: access denied for orders",
    });
    expect(await jobsLeft()).toBe(0);
  });

  it("queued inside a transaction that rolls back leaves neither a run nor a job", async () => {
    const shop = await installedShop();
    await expect(
      prisma.$transaction(async (tx) => {
        await enqueueSync(tx, probeTask, {
          shop: shop.domain,
          trigger: "webhook",
          runAt: new Date(Date.now() + 60_000),
        });
        throw new Error("the webhook's transaction failed");
      }),
    ).rejects.toThrow("the webhook's transaction failed");

    expect(await prisma.syncRun.count({ where: { shopId: shop.id } })).toBe(0);
    const [row] = await prisma.$queryRaw<{ count: bigint }[]>`
      select count(*) from graphile_worker.jobs where queue_name like ${`shop:${shop.domain}:%`}`;
    expect(Number(row?.count)).toBe(0);
  });

  it("is absorbed by a waiting run with the same job key", async () => {
    const shop = await installedShop();
    const later = new Date(Date.now() + 60_000);
    const first = await enqueueSync(prisma, probeTask, {
      shop: shop.domain,
      trigger: "webhook",
      jobKey: true,
      runAt: later,
    });
    const second = await enqueueSync(prisma, probeTask, {
      shop: shop.domain,
      trigger: "webhook",
      jobKey: true,
      runAt: later,
    });

    expect(first.coalesced).toBe(false);
    expect(second).toMatchObject({ coalesced: true, run: { id: first.run.id } });
    expect(await prisma.syncRun.count({ where: { shopId: shop.id } })).toBe(1);
    const [row] = await prisma.$queryRaw<{ count: bigint }[]>`
      select count(*) from graphile_worker.jobs where queue_name like ${`shop:${shop.domain}:%`}`;
    expect(Number(row?.count)).toBe(1);
    await prisma.$executeRaw`delete from graphile_worker._private_jobs where id = ${BigInt(first.run.jobId!)}`;
  });
});

describe("jobs of one shop and category", () => {
  it("never overlap, while jobs of two shops run side by side", async () => {
    const a = await installedShop();
    const b = await installedShop();
    intervals.length = 0;
    const runs = [];
    for (let i = 0; i < 3; i++) {
      for (const shop of [a, b]) {
        runs.push(
          (
            await enqueueSync(prisma, probeTask, {
              shop: shop.domain,
              trigger: "manual",
              filters: { sleepMs: 300 },
            })
          ).run,
        );
      }
    }
    await Promise.all(runs.map((run) => finished(run.id)));

    const of = (domain: string) =>
      intervals.filter((i) => i.shop === domain).sort((x, y) => x.start - y.start);
    for (const shop of [a, b]) {
      const own = of(shop.domain);
      expect(own).toHaveLength(3);
      for (let i = 1; i < own.length; i++) expect(own[i]!.start).toBeGreaterThanOrEqual(own[i - 1]!.end);
    }
    const overlapping = of(a.domain).some((x) =>
      of(b.domain).some((y) => x.start < y.end && y.start < x.end),
    );
    expect(overlapping).toBe(true);
  });
});
