import { describe, expect, it } from "vitest";
import { createCustomer, createItem, createSalesDocument } from "../../app/backoffice/backoffice.server";
import prisma from "../../app/db.server";
import { enqueueSync } from "../../app/jobs/enqueue.server";
import { executeRun } from "../../app/jobs/sync-task.server";
import { postSalesOrdersTask } from "../../app/sync/posting/task.server";
import { installedShop } from "../support/shops";

/**
 * Batch posting on the sync kit's record loop: each document on its own, and a run that the
 * back office refused for every document it failed is failed at once, not retried five times.
 */

async function shopWithOrders() {
  const shop = await installedShop();
  const customer = await createCustomer(prisma, shop.id, { name: "Ada Lovelace", email: "ada@example.com" });
  await createItem(prisma, shop.id, { no: "TEE", description: "Merino Tee", unitPrice: "25.00" });
  const document = (lines: Parameters<typeof createSalesDocument>[2]["lines"], id: bigint) =>
    createSalesDocument(prisma, shop.id, {
      documentType: "order",
      customerNo: customer.no,
      orderDate: new Date("2026-11-20T10:00:00Z"),
      currencyCode: "EUR",
      shopifyOrderId: id,
      shopifyOrderNo: `#${id}`,
      lines,
    });
  // Nothing on it ships: posted "ship only", the back office refuses it ("nothing to post").
  const shippingOnly = await document(
    [
      {
        type: "shipping",
        description: "Shipping: Standard",
        quantity: 1,
        unitPrice: "5.00",
        discountAmount: "0",
        taxAmount: "0",
        amount: "5.00",
      },
    ],
    7001n,
  );
  return { shop, shippingOnly, document };
}

/** A first attempt of the run, as the worker makes it (more attempts left). */
async function firstAttempt(domain: string, filters: Record<string, unknown>) {
  const { run } = await enqueueSync(prisma, postSalesOrdersTask, {
    shop: domain,
    trigger: "manual",
    filters,
  });
  return executeRun(postSalesOrdersTask, run, {
    attempts: 1,
    signal: new AbortController().signal,
    finalAttempt: false,
  });
}

describe("batch posting", () => {
  it("fails at once, naming the documents, when the back office refused every one it could not post", async () => {
    const { shop, shippingOnly } = await shopWithOrders();

    const ended = await firstAttempt(shop.domain, { ship: true, invoice: false });

    expect(ended).toMatchObject({ status: "failed", attempts: 1, counts: { failed: 1 } });
    expect(ended.error).toBe(
      `1 document not posted: ${shippingOnly.no}: sales order ${shippingOnly.no}: nothing to post`,
    );
  });

  it("posts the others and counts them when one is refused", async () => {
    const { shop, document } = await shopWithOrders();
    await document(
      [
        {
          type: "item",
          itemNo: "TEE",
          description: "Merino Tee",
          quantity: 1,
          unitPrice: "25.00",
          discountAmount: "0",
          taxAmount: "0",
          amount: "25.00",
        },
      ],
      7002n,
    );

    const ended = await firstAttempt(shop.domain, { ship: true, invoice: false });

    expect(ended).toMatchObject({ status: "failed", counts: { failed: 1, posted: 1, shipments: 1 } });
    // The shipment it posted rings the shipment sync, which sends it to Shopify now.
    const queued = await prisma.syncRun.findMany({ where: { shopId: shop.id, task: "sync_shipments" } });
    expect(queued.map((run) => [run.status, run.trigger, run.category])).toEqual([
      ["queued", "manual", "shipments"],
    ]);
  });

  it("rings no shipment sync when it ships nothing", async () => {
    const { shop } = await shopWithOrders();
    await firstAttempt(shop.domain, { ship: true, invoice: false });
    expect(await prisma.syncRun.count({ where: { shopId: shop.id, task: "sync_shipments" } })).toBe(0);
  });
});
