import type { Runner } from "graphile-worker";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { CategoryBusy } from "../../app/jobs/category-lock.server";
import { enqueueSync } from "../../app/jobs/enqueue.server";
import { runInForeground } from "../../app/jobs/foreground.server";
import { startWorker } from "../../app/jobs/worker.server";
import { installedShop } from "../support/shops";
import { intervals, probeTask, testTaskList } from "../support/tasks";

// A foreground run bypasses graphile-worker's per-shop queue; the category lock keeps it and
// the queued runs of the same shop and category from overlapping.

let runner: Runner;

beforeAll(async () => {
  runner = await startWorker({
    connectionString: process.env.DATABASE_URL!,
    concurrency: 2,
    taskList: testTaskList,
    crontab: "",
    pollInterval: 50,
    noHandleSignals: true,
  });
});
afterAll(() => runner.stop());

async function until<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs = 20_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe("runs of one shop and category, queued or in the foreground", () => {
  it("refuse a foreground run while a queued run of the category runs, recording nothing for it", async () => {
    const shop = await installedShop();
    const { run } = await enqueueSync(prisma, probeTask, {
      shop: shop.domain,
      trigger: "manual",
      filters: { sleepMs: "1500" },
    });
    await until("the queued run is running", async () => {
      const row = await prisma.syncRun.findUniqueOrThrow({ where: { id: run.id } });
      return row.status === "running";
    });
    const before = await prisma.syncRun.count({ where: { shopId: shop.id } });

    const refused = await runInForeground(prisma, probeTask, { shop: shop.domain, trigger: "manual" }).catch(
      (error: unknown) => error,
    );

    expect(refused).toBeInstanceOf(CategoryBusy);
    expect((refused as Error).message).toContain(`probe (run ${run.id}`);
    // What a page words it from.
    expect((refused as CategoryBusy).holder).toMatchObject({ task: "probe", runId: run.id });
    expect((refused as CategoryBusy).holder.startedAt).toBeInstanceOf(Date);
    expect(await prisma.syncRun.count({ where: { shopId: shop.id } })).toBe(before);
    // Another shop's foreground run of the same category is not held up.
    const other = await installedShop();
    const elsewhere = await runInForeground(prisma, probeTask, { shop: other.domain, trigger: "manual" });
    expect(elsewhere.status).toBe("succeeded");
    await until("the queued run ends", async () => {
      const row = await prisma.syncRun.findUniqueOrThrow({ where: { id: run.id } });
      return row.status === "succeeded";
    });
  });

  it("make a queued run wait for a foreground run of the category, then run it", async () => {
    const shop = await installedShop();
    const foreground = runInForeground(prisma, probeTask, {
      shop: shop.domain,
      trigger: "manual",
      filters: { sleepMs: "1500" },
    });
    await until("the foreground run is running", () =>
      prisma.syncRun.findFirst({ where: { shopId: shop.id, status: "running" } }),
    );
    const { run: queued } = await enqueueSync(prisma, probeTask, { shop: shop.domain, trigger: "manual" });

    const done = await foreground;
    const after = await until("the queued run ends", async () => {
      const row = await prisma.syncRun.findUniqueOrThrow({ where: { id: queued.id } });
      return row.status === "succeeded" ? row : null;
    });

    expect(done.status).toBe("succeeded");
    const ran = (id: string) => intervals.find((interval) => interval.runId === id)!;
    // The queued run started only once the foreground run had ended.
    expect(ran(queued.id).start).toBeGreaterThanOrEqual(ran(done.id).end);
    expect(after.attempts).toBe(1);
  });
});
