import { describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { runInForeground } from "../../app/jobs/foreground.server";
import { loader } from "../../app/routes/app._index";
import { syncProductsTask } from "../../app/sync/products/task.server";
import { adminRequest, callRoute, dataOf } from "../support/admin";
import { installedShop } from "../support/shops";

describe("the home page", () => {
  it("answers a session token of the shop with that shop's counts", async () => {
    const shop = await installedShop();
    const result = await dataOf<{ status: Record<string, number> }>(
      await callRoute(loader, adminRequest(shop.domain, "/app")),
    );
    expect(result.status.unprocessedOrders).toBe(0);
  });

  it("names each recent run's task as the tasks page does", async () => {
    const shop = await installedShop();
    await runInForeground(prisma, syncProductsTask, { shop: shop.domain, trigger: "manual" });
    const result = await dataOf<{ runs: { task: string; trigger: string; status: string }[] }>(
      await callRoute(loader, adminRequest(shop.domain, "/app")),
    );
    expect(result.runs).toEqual([
      expect.objectContaining({ task: "Sync products and prices", trigger: "manual", status: "succeeded" }),
    ]);
  });
});
