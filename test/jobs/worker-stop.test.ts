import { describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { enqueueSync } from "../../app/jobs/enqueue.server";
import { startWorker } from "../../app/jobs/worker.server";
import { installedShop } from "../support/shops";
import { probeTask, testTaskList } from "../support/tasks";

async function lockedRows() {
  const [row] = await prisma.$queryRaw<{ jobs: bigint; queues: bigint }[]>`
    select (select count(*) from graphile_worker._private_jobs) as jobs,
           (select count(*) from graphile_worker._private_job_queues where locked_at is not null) as queues`;
  return { jobs: Number(row!.jobs), lockedQueues: Number(row!.queues) };
}

describe("a worker stopped while it runs a sync (Ctrl-C on the demo, a deploy's SIGTERM)", () => {
  it("finishes the run and, when stop() resolves, has removed its job and unlocked the shop's queue", async () => {
    const runner = await startWorker({
      connectionString: process.env.DATABASE_URL!,
      taskList: testTaskList,
      crontab: "",
      pollInterval: 50,
      noHandleSignals: true,
    });
    const shop = await installedShop();
    const { run } = await enqueueSync(prisma, probeTask, {
      shop: shop.domain,
      trigger: "manual",
      filters: { sleepMs: "500" },
    });
    const deadline = Date.now() + 15_000;
    while ((await prisma.syncRun.findUniqueOrThrow({ where: { id: run.id } })).status !== "running") {
      if (Date.now() > deadline) throw new Error("the worker did not take the run");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }

    await runner.stop();

    // Nothing is waited for here: once stop() has resolved, the process may stop its database.
    expect(await prisma.syncRun.findUniqueOrThrow({ where: { id: run.id } })).toMatchObject({
      status: "succeeded",
    });
    expect(await lockedRows()).toEqual({ jobs: 0, lockedQueues: 0 });
  });
});
