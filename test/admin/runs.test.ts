import { describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { enqueueSync } from "../../app/jobs/enqueue.server";
import { syncOrdersTask } from "../../app/sync/orders/task.server";
import { action, loader } from "../../app/routes/app.runs";
import { adminRequest, callRoute, dataOf, statusOf } from "../support/admin";
import { installedShop } from "../support/shops";

async function jobExists(jobId: string | null) {
  const rows = await prisma.$queryRaw<
    unknown[]
  >`select 1 from graphile_worker.jobs where id = ${jobId}::bigint`;
  return rows.length > 0;
}

async function failedRun(shopId: string, task = "sync_orders") {
  return prisma.syncRun.create({
    data: {
      id: crypto.randomUUID(),
      shopId,
      task,
      trigger: "schedule",
      category: "sync",
      status: "failed",
      filters: { financialStatus: "paid" },
      error: "Shopify answered 503 five times",
      finishedAt: new Date(),
    },
  });
}

describe("the job list", () => {
  it("shows the shop's runs, filtered by task and status, with the error in full", async () => {
    const shop = await installedShop();
    const other = await installedShop();
    await failedRun(shop.id);
    await failedRun(other.id);
    await enqueueSync(prisma, syncOrdersTask, { shop: shop.domain, trigger: "manual" });

    const all = await dataOf<{
      runs: { status: string; error: string | null }[];
      total: number;
      active: number;
    }>(await callRoute(loader, adminRequest(shop.domain, "/app/runs")));
    expect(all.total).toBe(2);
    expect(all.active).toBe(1);

    const failed = await dataOf<{ runs: { status: string; error: string | null }[] }>(
      await callRoute(loader, adminRequest(shop.domain, "/app/runs?status=failed&task=sync_orders")),
    );
    expect(failed.runs).toEqual([
      expect.objectContaining({ status: "failed", error: "Shopify answered 503 five times" }),
    ]);
  });

  it("cancels a waiting run: its job is gone and the run ends cancelled", async () => {
    const shop = await installedShop();
    const { run } = await enqueueSync(prisma, syncOrdersTask, { shop: shop.domain, trigger: "manual" });
    expect(await jobExists(run.jobId)).toBe(true);

    const result = await callRoute(
      action,
      adminRequest(shop.domain, "/app/runs", { intent: "cancel", runId: run.id }),
    );

    expect(statusOf(result)).toBe(200);
    expect(await jobExists(run.jobId)).toBe(false);
    expect(await prisma.syncRun.findUniqueOrThrow({ where: { id: run.id } })).toMatchObject({
      status: "cancelled",
    });
  });

  it("will not cancel a run a worker has taken", async () => {
    const shop = await installedShop();
    const { run } = await enqueueSync(prisma, syncOrdersTask, { shop: shop.domain, trigger: "manual" });
    await prisma.$executeRaw`update graphile_worker._private_jobs set locked_at = now(), locked_by = 'w1'
      where id = ${run.jobId}::bigint`;

    const result = await callRoute(
      action,
      adminRequest(shop.domain, "/app/runs", { intent: "cancel", runId: run.id }),
    );

    expect(statusOf(result)).toBe(409);
    expect(await jobExists(run.jobId)).toBe(true);
    expect((await prisma.syncRun.findUniqueOrThrow({ where: { id: run.id } })).status).toBe("queued");
  });

  it("retries a failed run as a new run with the same filters", async () => {
    const shop = await installedShop();
    const failed = await failedRun(shop.id);

    const result = await dataOf<{ ok: boolean; run: { id: string; status: string } }>(
      await callRoute(action, adminRequest(shop.domain, "/app/runs", { intent: "retry", runId: failed.id })),
    );

    expect(result.ok).toBe(true);
    expect(result.run.id).not.toBe(failed.id);
    const retry = await prisma.syncRun.findUniqueOrThrow({ where: { id: result.run.id } });
    expect(retry).toMatchObject({
      task: "sync_orders",
      trigger: "manual",
      status: "queued",
      filters: { financialStatus: "paid" },
    });
    expect(await jobExists(retry.jobId)).toBe(true);
  });

  it("refuses to retry or cancel another shop's run, and changes nothing", async () => {
    const shopA = await installedShop();
    const shopB = await installedShop();
    const failedB = await failedRun(shopB.id);
    const { run: queuedB } = await enqueueSync(prisma, syncOrdersTask, {
      shop: shopB.domain,
      trigger: "manual",
    });

    const retry = await callRoute(
      action,
      adminRequest(shopA.domain, "/app/runs", { intent: "retry", runId: failedB.id }),
    );
    const cancel = await callRoute(
      action,
      adminRequest(shopA.domain, "/app/runs", { intent: "cancel", runId: queuedB.id }),
    );

    expect(statusOf(retry)).toBe(404);
    expect(statusOf(cancel)).toBe(404);
    expect(await prisma.syncRun.count({ where: { shopId: shopA.id } })).toBe(0);
    expect((await prisma.syncRun.findUniqueOrThrow({ where: { id: queuedB.id } })).status).toBe("queued");
    expect(await jobExists(queuedB.jobId)).toBe(true);
    const listed = await dataOf<{ total: number }>(
      await callRoute(loader, adminRequest(shopA.domain, "/app/runs")),
    );
    expect(listed.total).toBe(0);
  });
});
