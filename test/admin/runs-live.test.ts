import { describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { enqueueSync } from "../../app/jobs/enqueue.server";
import { loader, type LiveRuns } from "../../app/routes/app.runs.live";
import { syncOrdersTask } from "../../app/sync/orders/task.server";
import { adminRequest, callRoute, dataOf, statusOf } from "../support/admin";
import { installedShop } from "../support/shops";

/** /app/runs/live: what the job list and a foreground Run now poll, as JSON. */
describe("the live runs the pages poll", () => {
  it("answers the shop's runs for the job list's query as JSON, with the time of the answer", async () => {
    const shop = await installedShop();
    const other = await installedShop();
    const { run } = await enqueueSync(prisma, syncOrdersTask, { shop: shop.domain, trigger: "manual" });
    await enqueueSync(prisma, syncOrdersTask, { shop: other.domain, trigger: "manual" });
    const before = Date.now();

    const response = await callRoute(loader, adminRequest(shop.domain, "/app/runs/live?status=queued"));

    expect(response.headers.get("content-type")).toMatch(/application\/json/);
    const body = await dataOf<LiveRuns>(response);
    expect(body.runs.map((row) => [row.id, row.status, row.trigger])).toEqual([[run.id, "queued", "manual"]]);
    expect(body).toMatchObject({ total: 1, active: 1 });
    expect(body.at).toBeGreaterThanOrEqual(before);

    const running = await dataOf<LiveRuns>(
      await callRoute(loader, adminRequest(shop.domain, "/app/runs/live?status=running&trigger=manual")),
    );
    expect(running).toMatchObject({ runs: [], total: 0, active: 1 });
  });

  it("refuses an unknown status with 400 and a message", async () => {
    const shop = await installedShop();
    const response = await callRoute(loader, adminRequest(shop.domain, "/app/runs/live?status=lost"));
    expect(statusOf(response)).toBe(400);
    expect(await dataOf(response)).toEqual({ error: "Unknown task or status in the address." });
  });
});
