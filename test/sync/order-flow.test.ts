import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createItem,
  findDocumentsByShopifyOrderNo,
  postSalesOrder,
} from "../../app/backoffice/backoffice.server";
import prisma from "../../app/db.server";
import { runInForeground } from "../../app/jobs/foreground.server";
import { listOrders } from "../../app/admin/orders.server";
import { upsertSchedule } from "../../app/jobs/schedules.server";
import { scopeOutsideRun } from "../../app/sync/kit/scope.server";
import { processOrders } from "../../app/sync/orders/process.server";
import { processOrdersTask, syncOrdersTask } from "../../app/sync/orders/task.server";
import { syncShipmentsTask } from "../../app/sync/shipments/task.server";
import { log } from "../../app/log.server";
import { shipmentRecords } from "../kit/outbound";
import { orderShop } from "../support/order-shop";
import { startSimulator, type RunningSimulator } from "../support/simulator";
import { Store } from "../support/store";
import { deliver, examplePayload } from "../support/webhooks";

/**
 * The order flow against the simulated Shopify and real Postgres: an order placed in the shop
 * becomes one sales document carrying its Shopify number, is shipped with tracking, and comes
 * back to Shopify as a fulfillment.
 */

let simulator: RunningSimulator;

beforeAll(async () => {
  simulator = await startSimulator(null);
  process.env.SHOPIFY_ADMIN_ORIGIN = simulator.url;
});
afterAll(() => simulator?.close());

const setup = (options: { items?: boolean } = {}) => orderShop(simulator, options);

const sync = (domain: string, filters: Record<string, string> = {}) =>
  runInForeground(prisma, syncOrdersTask, { shop: domain, trigger: "manual", filters });

describe("when an order is placed in the shop", () => {
  it("becomes exactly one sales order carrying its Shopify number", async () => {
    const { shop, store, small, medium } = await setup();
    const order = await store.placeOrder({
      lines: [
        { variantId: small.id, quantity: 2 },
        { variantId: medium.id, quantity: 1 },
      ],
    });

    const run = await sync(shop.domain);

    expect(run).toMatchObject({ status: "succeeded", counts: { imported: 1, processed: 1 } });
    const documents = await findDocumentsByShopifyOrderNo(prisma, shop.id, order.name);
    const salesDocs = documents.filter((doc) => "documentType" in doc);
    expect(salesDocs).toHaveLength(1);
    const staged = await prisma.shopifyOrder.findFirstOrThrow({
      where: { shopId: shop.id, name: order.name },
    });
    expect(staged).toMatchObject({ state: "processed", documentType: "sales_order" });
    const header = await prisma.boSalesHeader.findFirstOrThrow({
      where: { shopId: shop.id, no: staged.documentNo! },
      include: { lines: true },
    });
    expect(header.shopifyOrderNo).toBe(order.name);
    const items = header.lines
      .filter((line) => line.type === "item")
      .map((line) => [line.itemNo, line.quantity]);
    expect(items.sort()).toEqual([
      ["TEE-M", 1],
      ["TEE-S", 2],
    ]);
    expect(header.lines.some((line) => line.type === "shipping" && line.unitPrice.toString() === "5")).toBe(
      true,
    );
    const customer = await prisma.boCustomer.findFirstOrThrow({
      where: { shopId: shop.id, no: header.customerNo },
    });
    expect(customer.email).toBe("ada@example.com");
    expect(run.counts).toHaveProperty("requestedPoints");
  });

  it("the same webhook delivered twice and the sync run twice still give one document", async () => {
    const { shop, store, small } = await setup();
    const order = await store.placeOrder({ lines: [{ variantId: small.id, quantity: 1 }] });
    const payload = { ...examplePayload("orders/create"), id: Number(order.id.split("/").pop()) };

    expect(await deliver({ topic: "orders/create", shop: shop.domain, payload, webhookId: "wh-dup-1" })).toBe(
      200,
    );
    expect(await deliver({ topic: "orders/create", shop: shop.domain, payload, webhookId: "wh-dup-1" })).toBe(
      200,
    );
    expect(await deliver({ topic: "orders/updated", shop: shop.domain, payload })).toBe(200);
    // The doorbell queued one run for all three deliveries.
    expect(
      await prisma.syncRun.count({ where: { shopId: shop.id, task: "sync_orders", status: "queued" } }),
    ).toBe(1);

    await sync(shop.domain);
    await sync(shop.domain);

    expect(await prisma.boSalesHeader.count({ where: { shopId: shop.id, shopifyOrderNo: order.name } })).toBe(
      1,
    );
  });

  it("two workers processing at once still give one document", async () => {
    const { shop, store, small } = await setup();
    await prisma.shopSettings.update({ where: { shopId: shop.id }, data: { autoProcessOrders: false } });
    const order = await store.placeOrder({ lines: [{ variantId: small.id, quantity: 1 }] });
    await sync(shop.domain);

    const reports = await Promise.all([
      processOrders(scopeOutsideRun(prisma, shop, {}, log)),
      processOrders(scopeOutsideRun(prisma, shop, {}, log)),
      processOrders(scopeOutsideRun(prisma, shop, {}, log)),
    ]);

    expect(reports.reduce((sum, r) => sum + r.failed, 0)).toBe(0);
    expect(await prisma.boSalesHeader.count({ where: { shopId: shop.id, shopifyOrderNo: order.name } })).toBe(
      1,
    );
  });

  it("with an unmapped product stays unprocessed with that reason, and is processed once the product is mapped", async () => {
    const { shop, store, small } = await setup({ items: false });
    const order = await store.placeOrder({ lines: [{ variantId: small.id, quantity: 1 }] });

    await sync(shop.domain);

    const blocked = await prisma.shopifyOrder.findFirstOrThrow({
      where: { shopId: shop.id, name: order.name },
    });
    expect(blocked.state).toBe("error");
    expect(blocked.error).toContain("unmapped product: Merino Tee (SKU TEE-S)");
    expect(await prisma.shopifyVariantMap.count({ where: { shopId: shop.id, itemNo: null } })).toBe(1);

    await createItem(prisma, shop.id, { no: "TEE-S", description: "Merino Tee S", unitPrice: "25" });
    await runInForeground(prisma, processOrdersTask, { shop: shop.domain, trigger: "manual" });

    const processed = await prisma.shopifyOrder.findFirstOrThrow({
      where: { shopId: shop.id, name: order.name },
    });
    expect(processed).toMatchObject({ state: "processed", error: null });
    expect(await prisma.shopifyVariantMap.count({ where: { shopId: shop.id, itemNo: null } })).toBe(0);
  });

  it("a fully-paid filter leaves unpaid orders alone", async () => {
    const { shop, store, small } = await setup();
    const paid = await store.placeOrder({
      lines: [{ variantId: small.id, quantity: 1 }],
      financialStatus: "PAID",
    });
    const unpaid = await store.placeOrder({
      lines: [{ variantId: small.id, quantity: 1 }],
      financialStatus: "PENDING",
    });

    await sync(shop.domain, { financialStatus: "paid" });

    const names = (await prisma.boSalesHeader.findMany({ where: { shopId: shop.id } })).map(
      (h) => h.shopifyOrderNo,
    );
    expect(names).toContain(paid.name);
    expect(names).not.toContain(unpaid.name);
  });
});

describe("when the merchant processes only fully paid orders", () => {
  it("an unpaid order that comes in by webhook is imported and waits, with the reason, until it is paid", async () => {
    const { shop, store, small } = await setup();
    await upsertSchedule(prisma, {
      shopId: shop.id,
      task: "sync_orders",
      cron: "*/15 * * * *",
      enabled: true,
      filters: { financialStatus: "paid" },
    });
    const order = await store.placeOrder({
      lines: [{ variantId: small.id, quantity: 1 }],
      financialStatus: "PENDING",
    });
    // What a webhook's run does: no filters of its own, the stored ones for processing.
    const byWebhook = () =>
      runInForeground(prisma, syncOrdersTask, { shop: shop.domain, trigger: "webhook" });

    expect(await byWebhook()).toMatchObject({ status: "succeeded", counts: { imported: 1, skipped: 1 } });
    expect(await prisma.boSalesHeader.count({ where: { shopId: shop.id } })).toBe(0);
    const waiting = await listOrders(prisma, shop, "unprocessed");
    expect(waiting.rows.map((row) => [row.name, row.reason])).toEqual([
      [
        order.name,
        "The Sync orders filters leave this order out (Payment status: Fully paid): orders that come in by webhook are processed once they match them. Change them on the task's page, or use Process again.",
      ],
    ]);

    await store.graphql(
      `mutation TestMarkPaid($input: OrderMarkAsPaidInput!) { orderMarkAsPaid(input: $input) { userErrors { message } } }`,
      { input: { id: order.id } },
    );

    expect(await byWebhook()).toMatchObject({ status: "succeeded", counts: { updated: 1, processed: 1 } });
    expect(await prisma.boSalesHeader.count({ where: { shopId: shop.id, shopifyOrderNo: order.name } })).toBe(
      1,
    );
  });
});

describe("when a shipment is posted", () => {
  it("reaches Shopify as a fulfillment with its tracking number and the order shows fulfilled", async () => {
    const { shop, store, small } = await setup();
    const order = await store.placeOrder({ lines: [{ variantId: small.id, quantity: 2 }] });
    await sync(shop.domain);
    const staged = await prisma.shopifyOrder.findFirstOrThrow({
      where: { shopId: shop.id, name: order.name },
    });

    const posted = await postSalesOrder(prisma, shop.id, staged.documentNo!, {
      ship: true,
      invoice: true,
      carrier: "UPS",
      trackingNo: "1Z999AA10123456784",
      trackingUrl: "https://www.ups.com/track?tracknum=1Z999AA10123456784",
    });
    const run = await runInForeground(prisma, syncShipmentsTask, { shop: shop.domain, trigger: "manual" });

    const records = await shipmentRecords(shop.id);
    expect(Object.keys(records)).toEqual([posted.shipmentNo]);
    expect(records[posted.shipmentNo!]).toMatchObject({ state: "synced", message: null });
    expect(run).toMatchObject({ status: "succeeded", counts: { synced: 1 } });
    const inShopify = await store.order(order.id);
    expect(inShopify?.displayFulfillmentStatus).toBe("FULFILLED");
    expect(inShopify?.fulfillments.map((f) => f.id)).toEqual([records[posted.shipmentNo!]!.shopifyId]);
    expect(inShopify?.fulfillments[0]?.trackingInfo[0]).toMatchObject({
      company: "UPS",
      number: "1Z999AA10123456784",
    });
  });
});

describe("when an order changes in Shopify after it was processed", () => {
  it("is flagged with what changed and its sales document is left as it was", async () => {
    const { shop, store, small } = await setup();
    const order = await store.placeOrder({ lines: [{ variantId: small.id, quantity: 1 }] });
    await sync(shop.domain);
    const staged = await prisma.shopifyOrder.findFirstOrThrow({
      where: { shopId: shop.id, name: order.name },
      include: { lines: true },
    });
    const before = await prisma.boSalesLine.findMany({
      where: { header: { shopId: shop.id, no: staged.documentNo! } },
    });

    const orderId = order.id.split("/").pop();
    const lineId = staged.lines[0]!.shopifyId.toString();
    const edit = await fetch(`${simulator.url}/_sim/shops/${shop.domain}/orders/${orderId}/lines/${lineId}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ quantity: 3 }),
    });
    expect(edit.status).toBe(200);
    const run = await sync(shop.domain);

    expect(run.counts).toMatchObject({ changedAfterProcessing: 1 });
    const flagged = await prisma.shopifyOrder.findFirstOrThrow({ where: { id: staged.id } });
    expect(flagged.changedAfterProcessing).toBe(true);
    expect(flagged.changes).toEqual(["quantity of Merino Tee - S up from 1 to 3"]);
    expect(flagged.state).toBe("processed");
    const after = await prisma.boSalesLine.findMany({
      where: { header: { shopId: shop.id, no: staged.documentNo! } },
    });
    expect(after).toEqual(before);
  });
});

describe("when one shipment cannot reach Shopify", () => {
  it("marks that shipment with the reason and sends the others", async () => {
    const { shop, store, small } = await setup();
    const good = await store.placeOrder({ lines: [{ variantId: small.id, quantity: 1 }] });
    const gone = await store.placeOrder({ lines: [{ variantId: small.id, quantity: 1 }] });
    await sync(shop.domain);
    const [goodDoc, goneDoc] = await Promise.all(
      [good, gone].map((o) =>
        prisma.shopifyOrder.findFirstOrThrow({ where: { shopId: shop.id, name: o.name } }),
      ),
    );
    const goodShipment = await postSalesOrder(prisma, shop.id, goodDoc!.documentNo!, {
      ship: true,
      invoice: false,
      trackingNo: "TRK-GOOD",
      carrier: "DHL",
    });
    const goneShipment = await postSalesOrder(prisma, shop.id, goneDoc!.documentNo!, {
      ship: true,
      invoice: false,
      trackingNo: "TRK-GONE",
      carrier: "DHL",
    });
    // The second order was deleted in Shopify meanwhile: Shopify has no such order any more.
    simulator.sim.shop(shop.domain).orders.delete(Number(gone.id.split("/").pop()));

    const run = await runInForeground(prisma, syncShipmentsTask, { shop: shop.domain, trigger: "manual" });

    expect(run.counts).toMatchObject({ synced: 1, failed: 1 });
    const byNo = await shipmentRecords(shop.id);
    expect(byNo[goodShipment.shipmentNo!]?.state).toBe("synced");
    expect(byNo[goneShipment.shipmentNo!]).toMatchObject({ state: "error", attempts: 1 });
    expect(byNo[goneShipment.shipmentNo!]?.message).toMatch(/no longer exists in Shopify/);
  });

  it("when Shopify refuses its fulfillment, marks that shipment with Shopify's message and sends the others", async () => {
    const { shop, store, small } = await setup();
    const good = await store.placeOrder({ lines: [{ variantId: small.id, quantity: 1 }] });
    const raced = await store.placeOrder({ lines: [{ variantId: small.id, quantity: 2 }] });
    await sync(shop.domain);
    const documentOf = async (name: string) =>
      (await prisma.shopifyOrder.findFirstOrThrow({ where: { shopId: shop.id, name } })).documentNo!;
    const post = async (name: string, trackingNo: string) =>
      (
        await postSalesOrder(prisma, shop.id, await documentOf(name), {
          ship: true,
          invoice: false,
          trackingNo,
          carrier: "DHL",
        })
      ).shipmentNo!;
    const goodShipment = await post(good.name, "TRK-GOOD");
    const racedShipment = await post(raced.name, "TRK-RACED");

    // After the sync has read the raced order, the merchant fulfils one of its two units in
    // Shopify admin: our request for two is more than remains, and Shopify says so.
    let run: Awaited<ReturnType<typeof runInForeground>> | undefined;
    await withRace(
      raced.id,
      () => fulfilInShopify(store, raced.id, 1),
      async () => {
        run = await runInForeground(prisma, syncShipmentsTask, { shop: shop.domain, trigger: "manual" });
      },
    );

    expect(run?.counts).toMatchObject({ synced: 1, failed: 1 });
    const byNo = await shipmentRecords(shop.id);
    expect(byNo[goodShipment]).toMatchObject({ state: "synced", message: null });
    expect(byNo[racedShipment]).toMatchObject({
      state: "error",
      message: "Shopify: Invalid fulfillment order line item quantity requested.",
    });
    expect((await store.order(good.id))?.displayFulfillmentStatus).toBe("FULFILLED");
    expect((await store.order(raced.id))?.fulfillments).toHaveLength(1); // the merchant's only
  });
});

/** The merchant fulfils part of an order in Shopify admin, as another person would. */
async function fulfilInShopify(store: Store, orderId: string, quantity: number) {
  const { order } = await store.graphql<{
    order: { fulfillmentOrders: { nodes: { id: string; lineItems: { nodes: { id: string }[] } }[] } };
  }>(
    `query TestFulfillmentOrders($id: ID!) {
      order(id: $id) { fulfillmentOrders(first: 5) { nodes { id lineItems(first: 10) { nodes { id } } } } }
    }`,
    { id: orderId },
  );
  const fo = order.fulfillmentOrders.nodes[0]!;
  const { fulfillmentCreate } = await store.graphql<{
    fulfillmentCreate: { fulfillment: { id: string } | null; userErrors: { message: string }[] };
  }>(
    `mutation TestMerchantFulfil($fulfillment: FulfillmentInput!) {
      fulfillmentCreate(fulfillment: $fulfillment) { fulfillment { id } userErrors { field message } }
    }`,
    {
      fulfillment: {
        lineItemsByFulfillmentOrder: [
          {
            fulfillmentOrderId: fo.id,
            fulfillmentOrderLineItems: [{ id: fo.lineItems.nodes[0]!.id, quantity }],
          },
        ],
      },
    },
  );
  if (!fulfillmentCreate.fulfillment)
    throw new Error(fulfillmentCreate.userErrors.map((e) => e.message).join("; "));
}

/**
 * A proxy in front of the simulator that lets `between` run after the shipment sync has read
 * an order's fulfillment orders and before its fulfillmentCreate: what the app read is then
 * out of date, as when a merchant acts in Shopify admin at that moment.
 */
async function withRace(orderId: string, between: () => Promise<void>, run: () => Promise<void>) {
  const proxy = createServer((request, response) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks).toString("utf8");
      const upstream = await fetch(`${simulator.url}${request.url}`, {
        method: request.method,
        headers: {
          "content-type": "application/json",
          "x-shopify-access-token": String(request.headers["x-shopify-access-token"] ?? ""),
        },
        body: request.method === "POST" ? body : undefined,
      });
      const answer = await upstream.text();
      const sent = JSON.parse(body || "{}") as { query?: string; variables?: { id?: string } };
      if (sent.query?.includes("SyncShipmentTargets") && sent.variables?.id === orderId) await between();
      response.writeHead(upstream.status, { "content-type": "application/json" });
      response.end(answer);
    })();
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  const { port } = proxy.address() as AddressInfo;
  process.env.SHOPIFY_ADMIN_ORIGIN = `http://127.0.0.1:${port}`;
  try {
    await run();
  } finally {
    process.env.SHOPIFY_ADMIN_ORIGIN = simulator.url;
    await new Promise<void>((resolve) => proxy.close(() => resolve()));
  }
}

describe("when Shopify throttles and fails during a sync", () => {
  it("waits it out, and the result is the same as without", async () => {
    const { shop, store, small, medium } = await setup();
    const orders = [];
    for (let i = 0; i < 6; i++)
      orders.push(
        await store.placeOrder({ lines: [{ variantId: i % 2 ? small.id : medium.id, quantity: 1 + i }] }),
      );
    await fetch(`${simulator.url}/_sim/faults`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ throttledShare: 0.3, http5xxShare: 0.2, http429Share: 0.1 }),
    });
    try {
      const run = await sync(shop.domain);
      expect(run.status).toBe("succeeded");
    } finally {
      await fetch(`${simulator.url}/_sim/faults`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ throttledShare: 0, http5xxShare: 0, http429Share: 0 }),
      });
    }
    const documents = await prisma.boSalesHeader.findMany({
      where: { shopId: shop.id },
      include: { lines: true },
    });
    expect(documents.map((d) => d.shopifyOrderNo).sort()).toEqual(orders.map((o) => o.name).sort());
    for (const [i, order] of orders.entries()) {
      const doc = documents.find((d) => d.shopifyOrderNo === order.name)!;
      expect(doc.lines.find((l) => l.type === "item")?.quantity).toBe(1 + i);
    }
  });
});
