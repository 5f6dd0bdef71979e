import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { upsertSchedule } from "../../app/jobs/schedules.server";
import { recordUninstall } from "../../app/shops/shops.server";
import { installedShop } from "../support/shops";
import { deliver, examplePayload, routeFor, webhookRequest } from "../support/webhooks";

/**
 * Order and fulfillment webhooks ring the shop's sync_orders doorbell: one SQL statement
 * records the delivery and queues (or finds) the shop's waiting run with its job.
 */

const ORDER_TOPICS = ["orders/create", "orders/updated", "orders/paid", "orders/cancelled"] as const;

function ring(shop: string, options: { topic?: string; webhookId?: string; eventId?: string } = {}) {
  const topic = options.topic ?? "orders/updated";
  return deliver({ ...options, topic, shop, payload: examplePayload(topic) });
}

async function runsOf(shopId: string) {
  return prisma.syncRun.findMany({ where: { shopId, task: "sync_orders" }, orderBy: { queuedAt: "asc" } });
}

async function jobsOf(domain: string) {
  return prisma.$queryRaw<{ id: bigint; queue_name: string; key: string | null; payload: unknown }[]>`
    select j.id, q.queue_name, j.key, j.payload
      from graphile_worker._private_jobs j
      join graphile_worker._private_job_queues q on q.id = j.job_queue_id
      join graphile_worker._private_tasks t on t.id = j.task_id
     where t.identifier = 'sync_orders' and q.queue_name like ${`shop:${domain}:%`} order by j.id`;
}

describe("when order webhooks arrive in a burst", () => {
  it("each is recorded once and they queue one waiting run, written with its job", async () => {
    const shop = await installedShop();

    const statuses = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        ring(shop.domain, { topic: ORDER_TOPICS[i % ORDER_TOPICS.length] }),
      ),
    );

    expect(statuses).toEqual(Array(12).fill(200));
    expect(await prisma.webhookDelivery.count({ where: { shopId: shop.id } })).toBe(12);
    const runs = await runsOf(shop.id);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({
      trigger: "webhook",
      status: "queued",
      category: "orders",
      jobKey: `sync_orders:${shop.domain}`,
      filters: {},
    });
    const jobs = await jobsOf(shop.domain);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({
      queue_name: `shop:${shop.domain}:orders`,
      // The run's key is ours (SyncRun.jobKey); graphile-worker's job carries none.
      key: null,
      payload: { shop: shop.domain, runId: runs[0]!.id },
    });
    expect(runs[0]!.jobId).toBe(jobs[0]!.id.toString());
  });

  it("a run a worker has already taken does not absorb the next one, so that change is not lost", async () => {
    const shop = await installedShop();
    expect(await ring(shop.domain)).toBe(200);
    const [taken] = await runsOf(shop.id);
    await prisma.$executeRaw`
      update graphile_worker._private_jobs set locked_at = now(), locked_by = 'a-worker'
       where id = ${BigInt(taken!.jobId!)}`;

    expect(await ring(shop.domain)).toBe(200);
    expect(await ring(shop.domain)).toBe(200);

    const runs = await runsOf(shop.id);
    expect(runs).toHaveLength(2);
    const jobs = await jobsOf(shop.domain);
    expect(jobs.map((job) => job.id.toString()).sort()).toEqual(runs.map((run) => run.jobId).sort());
    expect(jobs.find((job) => job.id.toString() === runs[1]!.jobId)?.payload).toMatchObject({
      runId: runs[1]!.id,
    });
    // The taken run keeps its retries: the key is ours, graphile-worker's job has none to clear.
    const [takenJob] = await prisma.$queryRaw<
      { attempts: number; max_attempts: number; key: string | null }[]
    >`
      select attempts, max_attempts, key from graphile_worker._private_jobs where id = ${BigInt(taken!.jobId!)}`;
    expect(takenJob).toEqual({ attempts: 0, max_attempts: 5, key: null });
  });
});

describe("when the shop runs its order sync in a category of its own", () => {
  it("the doorbell queues the run in that category's queue", async () => {
    const shop = await installedShop();
    await upsertSchedule(prisma, {
      shopId: shop.id,
      task: "sync_orders",
      cron: "0 * * * *",
      enabled: false,
      category: "orders",
    });

    expect(await ring(shop.domain)).toBe(200);

    const [run] = await runsOf(shop.id);
    expect(run?.category).toBe("orders");
    expect((await jobsOf(shop.domain)).map((job) => job.queue_name)).toEqual([`shop:${shop.domain}:orders`]);
  });
});

describe("when an order webhook is delivered again", () => {
  it("under the same webhook id, or as the same event under another id, it changes nothing", async () => {
    const shop = await installedShop();
    const webhookId = randomUUID();
    const eventId = randomUUID();
    expect(await ring(shop.domain, { webhookId, eventId })).toBe(200);
    const [first] = await runsOf(shop.id);
    await prisma.$executeRaw`delete from graphile_worker._private_jobs where id = ${BigInt(first!.jobId!)}`;
    await prisma.syncRun.deleteMany({ where: { shopId: shop.id } });

    expect(await ring(shop.domain, { webhookId })).toBe(200);
    expect(await ring(shop.domain, { eventId })).toBe(200);

    expect(await prisma.webhookDelivery.count({ where: { shopId: shop.id } })).toBe(1);
    expect(await runsOf(shop.id)).toHaveLength(0);
  });
});

describe("when an order webhook comes for a shop we do not serve", () => {
  it("is recorded for an unknown shop and queues nothing", async () => {
    const domain = `unknown-${randomUUID().slice(0, 8)}.myshopify.com`;

    expect(await ring(domain)).toBe(200);

    expect(await prisma.webhookDelivery.findMany({ where: { shopDomain: domain } })).toMatchObject([
      { shopId: null, topic: "orders/updated" },
    ]);
    expect(await jobsOf(domain)).toHaveLength(0);
  });

  it("is recorded for an uninstalled shop and queues nothing", async () => {
    const shop = await installedShop();
    await prisma.$transaction((tx) => recordUninstall(tx, shop.domain));

    expect(await ring(shop.domain)).toBe(200);

    expect(await prisma.webhookDelivery.count({ where: { shopId: shop.id } })).toBe(1);
    expect(await runsOf(shop.id)).toHaveLength(0);
    expect(await jobsOf(shop.domain)).toHaveLength(0);
  });
});

describe("when the order sync cannot be queued", () => {
  it("the delivery is not recorded either, so Shopify's retry is taken as new", async () => {
    const shop = await installedShop();
    // A category graphile-worker refuses (its queue names are at most 128 characters).
    await prisma.schedule.update({
      where: { shopId_task: { shopId: shop.id, task: "sync_orders" } },
      data: { category: "x".repeat(130) },
    });
    const webhookId = randomUUID();

    await expect(ring(shop.domain, { webhookId })).rejects.toThrow();
    expect(await prisma.webhookDelivery.count({ where: { webhookId } })).toBe(0);
    expect(await runsOf(shop.id)).toHaveLength(0);

    await prisma.schedule.update({
      where: { shopId_task: { shopId: shop.id, task: "sync_orders" } },
      data: { category: "sync" },
    });
    expect(await ring(shop.domain, { webhookId })).toBe(200);
    expect(await prisma.webhookDelivery.count({ where: { webhookId } })).toBe(1);
    expect(await runsOf(shop.id)).toHaveLength(1);
  });
});

describe("when an order webhook is not Shopify's", () => {
  it("is refused (405 unless POST, 400 without Shopify's headers, 401 when forged) and records nothing", async () => {
    const shop = await installedShop();
    const payload = examplePayload("orders/updated");
    const signed = webhookRequest({ topic: "orders/updated", shop: shop.domain, payload });
    const withoutId = new Headers(signed.headers);
    withoutId.delete("x-shopify-webhook-id");
    const route = await routeFor("/webhooks/orders/updated");
    const statusOf = (request: Request) =>
      route.action({ request }).then(
        (response) => response.status,
        (thrown: unknown) => {
          if (thrown instanceof Response) return thrown.status;
          throw thrown;
        },
      );

    const statuses = [
      await statusOf(new Request(signed.url, { method: "PUT", headers: signed.headers, body: "{}" })),
      await statusOf(
        new Request(signed.url, { method: "POST", headers: withoutId, body: await signed.text() }),
      ),
      await deliver({ topic: "orders/updated", shop: shop.domain, payload, secret: "not-the-app-secret" }),
    ];

    expect(statuses).toEqual([405, 400, 401]);
    expect(await prisma.webhookDelivery.count({ where: { shopDomain: shop.domain } })).toBe(0);
    expect(await runsOf(shop.id)).toHaveLength(0);
  });
});
