import { describe, expect, it } from "vitest";
import { createItem } from "../../app/backoffice/backoffice.server";
import prisma from "../../app/db.server";
import { action as ordersAction, loader as ordersLoader } from "../../app/routes/app.orders";
import { action as shipmentsAction, loader as shipmentsLoader } from "../../app/routes/app.shipments";
import { shopStatus } from "../../app/status/status.server";
import { queuedRuns, runQueuedJobs } from "../kit/jobs";
import { shipmentRecords } from "../kit/outbound";
import { adminRequest, answer, callRoute } from "../support/admin";
import { busyShop } from "./busy-shop";

describe("when orders wait to be processed", () => {
  it("Process again queues processing once, and what was fixed meanwhile gets its document", async () => {
    const busy = await busyShop();
    await createItem(prisma, busy.shop.id, { no: "HAT", description: "Wool hat", unitPrice: "19.5" });

    const first = await answer(
      await callRoute(ordersAction, adminRequest(busy.shop.domain, "/app/orders", { intent: "process" })),
    );
    const second = await answer(
      await callRoute(ordersAction, adminRequest(busy.shop.domain, "/app/orders", { intent: "process" })),
    );

    expect(first.body.message).toBe(
      "Processing orders is queued and starts at once; the job list shows its progress.",
    );
    expect(second.body.message).toBe(
      "Processing orders was already queued and will include this; the job list shows its progress.",
    );
    expect(await queuedRuns(busy.shop, "process_orders")).toHaveLength(1);

    await runQueuedJobs();

    const list = await callRoute(ordersLoader, adminRequest(busy.shop.domain, "/app/orders"));
    // The hat is found by its SKU now, and the waiting order went through; the stranger still waits.
    expect(list.rows.map((row) => [row.name, row.reason])).toEqual([
      ["#U1", "no back-office customer for stranger@example.com"],
    ]);
    expect((await shopStatus(prisma, busy.shop.id)).unprocessedOrders).toBe(1);
  });

  it("an unknown action is refused and nothing is queued", async () => {
    const busy = await busyShop();

    const result = await answer(
      await callRoute(ordersAction, adminRequest(busy.shop.domain, "/app/orders", { intent: "acknowledge" })),
    );

    expect(result.status).toBe(400);
    expect(result.body.error).toContain("the actions here are process, confirm, adjust and close");
    expect(await prisma.syncRun.count({ where: { shopId: busy.shop.id } })).toBe(0);
  });
});

describe("when a shipment failed to reach Shopify", () => {
  it("shows Shopify's message; Retry puts it back to waiting and queues the shipment sync", async () => {
    const busy = await busyShop();
    const failedList = await callRoute(
      shipmentsLoader,
      adminRequest(busy.shop.domain, "/app/shipments?view=error"),
    );
    const failed = failedList.rows[0]!;
    expect(failed).toMatchObject({
      no: busy.shipments.failed,
      error: "order 123 no longer exists in Shopify",
      attempts: 1,
      shopifyOrderName: "#S2",
      carrier: "UPS",
      lines: ["1 × Merino Tee"],
    });

    const result = await answer(
      await callRoute(
        shipmentsAction,
        adminRequest(busy.shop.domain, "/app/shipments", { intent: "retry", shipmentId: failed.id }),
      ),
    );

    expect(result.status).toBe(200);
    expect(result.body.message).toBe(
      `Shipment ${failed.no} is waiting to be sent again. Sending shipments to Shopify is queued and starts at once; the job list shows its progress.`,
    );
    expect((await shipmentRecords(busy.shop.id))[failed.no]).toMatchObject({
      state: "pending",
      message: "order 123 no longer exists in Shopify",
      attempts: 1,
    });
    expect(await queuedRuns(busy.shop, "sync_shipments")).toHaveLength(1);
    expect(await shopStatus(prisma, busy.shop.id)).toMatchObject({
      shipmentErrors: 0,
      unprocessedShipments: 2,
    });
    const waiting = await callRoute(shipmentsLoader, adminRequest(busy.shop.domain, "/app/shipments"));
    expect(waiting.rows.map((row) => [row.no, row.error])).toEqual([
      [busy.shipments.pending, null],
      [failed.no, "order 123 no longer exists in Shopify"],
    ]);
  });

  it("refuses to retry a shipment that has not failed, and queues nothing", async () => {
    const busy = await busyShop();
    const synced = await prisma.boPostedShipment.findFirstOrThrow({
      where: { shopId: busy.shop.id, no: busy.shipments.synced },
    });

    const result = await answer(
      await callRoute(
        shipmentsAction,
        adminRequest(busy.shop.domain, "/app/shipments", { intent: "retry", shipmentId: synced.id }),
      ),
    );

    expect(result.status).toBe(409);
    expect(result.body.error).toBe(
      `Shipment ${synced.no} has not failed (it is synced); only a failed shipment can be retried.`,
    );
    expect((await shipmentRecords(busy.shop.id))[synced.no]).toMatchObject({ state: "synced" });
    expect(await queuedRuns(busy.shop, "sync_shipments")).toEqual([]);
  });
});
