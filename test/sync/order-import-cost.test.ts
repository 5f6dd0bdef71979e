import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { runInForeground } from "../../app/jobs/foreground.server";
import { readFrom } from "../../app/sync/kit/incremental.server";
import { syncOrdersTask } from "../../app/sync/orders/task.server";
import { orderShop } from "../support/order-shop";
import { startSimulator, type RunningSimulator } from "../support/simulator";
import { createCompany, placeB2bOrder } from "./place-b2b-order";

/**
 * What the order import spends of the shop's Admin API budget (the target: at most 40
 * requested points per imported order), read from the run's own counts, with the app talking to
 * the simulator through a recording proxy that can act between two of its requests.
 */

interface Sent {
  operation: string;
  variables: Record<string, unknown>;
}

let simulator: RunningSimulator;
let proxy: http.Server;
const sent: Sent[] = [];
/** Runs once, after the named operation was answered by Shopify and before the app sees it. */
let afterOperation: { operation: string; run: () => Promise<void> } | null = null;

beforeAll(async () => {
  simulator = await startSimulator(null);
  proxy = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      void (async () => {
        const body = Buffer.concat(chunks);
        const headers = Object.fromEntries(
          Object.entries(req.headers).filter(([name]) => !["host", "content-length"].includes(name)),
        ) as Record<string, string>;
        const answer = await fetch(`${simulator.url}${req.url}`, {
          method: req.method,
          headers,
          body: req.method === "GET" ? undefined : body,
        });
        const text = await answer.text();
        const request =
          req.method === "POST"
            ? (JSON.parse(body.toString() || "{}") as { query?: string; variables?: object })
            : {};
        const operation = /\b(?:query|mutation)\s+(\w+)/.exec(request.query ?? "")?.[1];
        if (operation) {
          sent.push({ operation, variables: (request.variables ?? {}) as Record<string, unknown> });
          if (afterOperation?.operation === operation) {
            const hook = afterOperation;
            afterOperation = null;
            await hook.run();
          }
        }
        res.writeHead(answer.status, {
          "content-type": answer.headers.get("content-type") ?? "application/json",
        });
        res.end(text);
      })();
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  process.env.SHOPIFY_ADMIN_ORIGIN = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => proxy.close(() => resolve()));
  await simulator?.close();
});
beforeEach(() => {
  sent.length = 0;
  afterOperation = null;
});

const sync = (domain: string, trigger: "manual" | "schedule" = "manual") =>
  runInForeground(prisma, syncOrdersTask, { shop: domain, trigger });
const counts = (run: { counts: unknown }) => run.counts as Record<string, number>;
const operations = () => sent.map((request) => request.operation);

describe("an order import's Admin API points", () => {
  it("an order placed while a run reads is read by the same run after a count, not with a page of 25", async () => {
    const { shop, store, small, medium } = await orderShop(simulator);
    const first = await store.placeOrder({ lines: [{ variantId: small.id, quantity: 1 }] });
    let second: { name: string } | undefined;
    afterOperation = {
      operation: "SyncOrdersCount",
      run: async () => {
        second = await store.placeOrder({ lines: [{ variantId: medium.id, quantity: 2 }] });
      },
    };

    const run = await sync(shop.domain);

    expect(second).toBeDefined();
    expect(counts(run)).toMatchObject({ imported: 2, processed: 2 });
    // Counted 1, read 1; Shopify said there was more: counted again (1 point), read exactly 1.
    expect(operations()).toEqual(["SyncOrdersCount", "SyncOrdersPage", "SyncOrdersCount", "SyncOrdersPage"]);
    expect(
      sent.filter((request) => request.operation === "SyncOrdersPage").map((r) => r.variables.first),
    ).toEqual([1, 1]);
    expect(counts(run).requestedPoints).toBeLessThanOrEqual(2 * 40);
    const documents = await prisma.boSalesHeader.findMany({ where: { shopId: shop.id } });
    expect(documents.map((doc) => doc.shopifyOrderNo).sort()).toEqual([first.name, second!.name].sort());

    sent.length = 0;
    const next = await sync(shop.domain);

    expect(counts(next).imported ?? 0).toBe(0);
    expect(counts(next).requestedPoints).toBeLessThanOrEqual(1);
  });

  it("a scheduled run re-reads its window by id and update time, and fetches whole only what changed", async () => {
    const { shop, store, small } = await orderShop(simulator);
    const orders = [];
    for (let i = 0; i < 5; i++)
      orders.push(await store.placeOrder({ lines: [{ variantId: small.id, quantity: 1 + i }] }));
    expect(counts(await sync(shop.domain))).toMatchObject({ imported: 5 });
    // An order whose webhook never came, and an edit of one already imported.
    const missed = await store.placeOrder({ lines: [{ variantId: small.id, quantity: 7 }] });
    await store.graphql(
      `mutation TestOrderUpdate($input: OrderInput!) { orderUpdate(input: $input) { userErrors { message } } }`,
      {
        input: { id: orders[2]!.id, tags: ["gift"] },
      },
    );
    sent.length = 0;

    const run = await sync(shop.domain, "schedule");

    expect(run.status).toBe("succeeded");
    expect(counts(run)).toMatchObject({ imported: 1, updated: 1, unchanged: 4 });
    const fetched = sent.filter((request) => request.operation === "SyncOrdersById");
    expect(fetched.flatMap((request) => request.variables.ids as string[]).sort()).toEqual(
      [orders[2]!.id, missed.id].sort(),
    );
    expect(operations()).not.toContain("SyncOrdersPage");
    // Two orders at the import's price, plus a point for each of the six listed.
    expect(counts(run).requestedPoints).toBeLessThanOrEqual(2 * 40 + 6);
    const tagged = await prisma.shopifyOrder.findFirstOrThrow({
      where: { shopId: shop.id, name: orders[2]!.name },
    });
    expect(tagged.tags).toEqual(["gift"]);
    expect(
      await prisma.boSalesHeader.count({ where: { shopId: shop.id, shopifyOrderNo: missed.name } }),
    ).toBe(1);

    sent.length = 0;
    const again = await sync(shop.domain, "schedule");

    expect(counts(again)).toMatchObject({ unchanged: 6 });
    expect(counts(again).imported ?? 0).toBe(0);
    expect(operations()).toEqual(["SyncOrdersCount", "SyncOrderStamps"]);
    expect(counts(again).requestedPoints).toBeLessThanOrEqual(1 + 2 + 6);
  });

  it("an order with more lines than the page holds is staged whole, asking for no more lines than it can have", async () => {
    const { shop, store } = await orderShop(simulator);
    const socks = await store.product(
      "Wool Socks",
      Array.from({ length: 8 }, (_, i) => ({ sku: `SOCK-${i}`, price: "9.00", option: `S${i}` })),
    );
    // 8 lines, 9 units: the page brings 4 lines (4 units), so at most 5 lines are left.
    const order = await store.placeOrder({
      lines: socks.variants.nodes.map((variant, i) => ({ variantId: variant.id, quantity: i === 6 ? 2 : 1 })),
    });

    const run = await sync(shop.domain);

    expect(counts(run)).toMatchObject({ imported: 1 });
    const staged = await prisma.shopifyOrder.findFirstOrThrow({
      where: { shopId: shop.id, name: order.name },
      include: { lines: true },
    });
    expect(staged.lines.map((line) => line.sku).sort()).toEqual(
      socks.variants.nodes.map((v) => v.sku).sort(),
    );
    const linePages = sent.filter((request) => request.operation === "SyncOrderLines");
    expect(linePages.map((request) => request.variables.first)).toEqual([5]);
    // The page's 40 and 5 lines at about 3 points, not a page of 50 lines (153 points).
    expect(counts(run).requestedPoints).toBeLessThanOrEqual(40 + 3 + 5 * 3);
  });

  it("an order edited before it is read costs one more request, for what remains of it", async () => {
    const { shop, store, small, medium } = await orderShop(simulator);
    const order = await store.placeOrder({
      lines: [
        { variantId: small.id, quantity: 1 },
        { variantId: medium.id, quantity: 3 },
      ],
    });
    const [, second] = (
      await store.graphql<{ order: { lineItems: { nodes: { id: string }[] } } }>(
        `query TestLines($id: ID!) { order(id: $id) { lineItems(first: 5) { nodes { id } } } }`,
        { id: order.id },
      )
    ).order.lineItems.nodes;
    const edit = await fetch(
      `${simulator.url}/_sim/shops/${shop.domain}/orders/${order.id.split("/").pop()}/lines/${second!.id.split("/").pop()}`,
      {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ quantity: 1 }),
      },
    );
    expect(edit.status).toBe(200);

    const run = await sync(shop.domain);

    expect(counts(run)).toMatchObject({ imported: 1, processed: 1 });
    expect(operations()).toEqual(["SyncOrdersCount", "SyncOrdersPage", "SyncOrderCurrent"]);
    // The current figures of the lines up to the last edited one: two lines.
    expect(sent.find((request) => request.operation === "SyncOrderCurrent")?.variables.lines).toBe(2);
    // The page's 40; the order's current totals and tax lines (9), its lines' connection (2) and
    // two lines' unit prices after discounts (3 each).
    expect(counts(run).requestedPoints).toBeLessThanOrEqual(40 + 9 + 2 + 2 * 3);
  });

  it("a B2B order costs one more request, for its company, location and payment due date", async () => {
    const { shop, store, small } = await orderShop(simulator);
    const acme = await createCompany(store, {
      name: "Acme Supply",
      location: "Ottawa depot",
      email: "jo@acme.example",
    });
    await placeB2bOrder(store, acme, { variantId: small.id, quantity: 1, poNumber: "PO-1" });

    const run = await sync(shop.domain);

    expect(counts(run)).toMatchObject({ imported: 1 });
    expect(operations()).toEqual(["SyncOrdersCount", "SyncOrdersPage", "SyncOrderPurchasing"]);
    // The count and the page (40, as for any order), then the order (1), its purchasing entity
    // (1) with company and location (2), and its payment terms (1) with one schedule (3).
    expect(counts(run).requestedPoints).toBe(40 + 8);
  });

  it("a scheduled run fetches again an order whose status moved within the second it was read", async () => {
    const { shop, store, small } = await orderShop(simulator);
    const order = await store.placeOrder({ lines: [{ variantId: small.id, quantity: 1 }] });
    await sync(shop.domain);
    // Shopify keeps update times in whole seconds: an order read early in a second and paid
    // later in it shows the same update time. Here, the copy read before the payment.
    const where = { shopId_shopifyId: { shopId: shop.id, shopifyId: BigInt(order.id.split("/").pop()!) } };
    await prisma.shopifyOrder.update({ where, data: { financialStatus: "PENDING" } });
    sent.length = 0;

    const run = await sync(shop.domain, "schedule");

    expect(counts(run)).toMatchObject({ updated: 1 });
    const fetched = sent.filter((request) => request.operation === "SyncOrdersById");
    expect(fetched.flatMap((request) => request.variables.ids as string[])).toEqual([order.id]);
    expect((await prisma.shopifyOrder.findUniqueOrThrow({ where })).financialStatus).toBe("PAID");
  });

  it("a scheduled run takes an order archived since the first import, not one archived before it", async () => {
    const { shop, store, small } = await orderShop(simulator);
    const archive = async (id: string) => {
      const { orderClose } = await store.graphql<{ orderClose: { userErrors: { message: string }[] } }>(
        `mutation TestClose($input: OrderCloseInput!) { orderClose(input: $input) { userErrors { message } } }`,
        { input: { id } },
      );
      expect(orderClose.userErrors).toEqual([]);
    };
    const open = await store.placeOrder({ lines: [{ variantId: small.id, quantity: 1 }] });
    const before = await store.placeOrder({ lines: [{ variantId: small.id, quantity: 2 }] });
    await archive(before.id);
    // Archived a minute before the app's first import (what Shopify's update time then says).
    const record = simulator.sim.shops.get(shop.domain)!.orders.get(Number(before.id.split("/").pop()))!;
    record.updatedAt = new Date(Date.now() - 60_000);
    expect(counts(await sync(shop.domain))).toMatchObject({ imported: 1 });
    // Placed and archived between two runs: a sale the back office must have.
    const since = await store.placeOrder({ lines: [{ variantId: small.id, quantity: 3 }] });
    await archive(since.id);
    sent.length = 0;

    const run = await sync(shop.domain, "schedule");

    // The reconcile reads the hour before the cursor, the first import's rule before its start.
    const query = sent.find((request) => request.operation === "SyncOrdersCount")!.variables.query as string;
    expect(query).toMatch(/^updated_at:>'[^']+' AND \(status:open OR updated_at:>'[^']+'\)$/);
    expect(counts(run)).toMatchObject({ imported: 1 });
    const imported = await prisma.shopifyOrder.findMany({
      where: { shopId: shop.id },
      orderBy: { name: "asc" },
    });
    expect(imported.map((order) => order.name)).toEqual([open.name, since.name]);

    sent.length = 0;
    const next = await sync(shop.domain, "schedule");
    expect(counts(next).imported ?? 0).toBe(0);
    expect(await prisma.shopifyOrder.count({ where: { shopId: shop.id } })).toBe(2);
  });

  it("a scheduled run reads from where the previous one started, less ten minutes", async () => {
    const { shop, store, small } = await orderShop(simulator);
    await store.placeOrder({ lines: [{ variantId: small.id, quantity: 1 }] });
    await sync(shop.domain);
    const cursorOf = async (task: string) =>
      (await prisma.syncCursor.findUniqueOrThrow({ where: { shopId_task: { shopId: shop.id, task } } }))
        .cursor;
    const readFromOf = () => {
      const query = sent.find((request) => request.operation === "SyncOrdersCount")!.variables
        .query as string;
      return new Date(/updated_at:>'([^']+)'/.exec(query)![1]!);
    };
    const afterManual = await cursorOf("sync_orders");

    sent.length = 0;
    await sync(shop.domain, "schedule");
    // The first scheduled run: the last hour before the cursor.
    expect(readFromOf()).toEqual(new Date(afterManual.getTime() - 60 * 60_000));
    const afterFirst = await cursorOf("sync_orders#reconcile");
    expect(await cursorOf("sync_orders")).toEqual(afterFirst);

    sent.length = 0;
    await sync(shop.domain, "schedule");
    expect(readFromOf()).toEqual(new Date(afterFirst.getTime() - 10 * 60_000));
  });
});

describe("where a run reads from", () => {
  const at = (minutes: number) => new Date(Date.UTC(2026, 11, 1, 12, minutes));

  it("a webhook's or a person's run from the cursor; a scheduled one from the earlier cursor less ten minutes", () => {
    const soon = at(120);
    expect(readFrom("webhook", null, null, soon)).toEqual({ since: null, reconciling: false });
    expect(readFrom("webhook", at(30), at(0), soon)).toEqual({ since: at(30), reconciling: false });
    expect(readFrom("manual", at(30), at(0), soon)).toEqual({ since: at(30), reconciling: false });
    expect(readFrom("schedule", at(90), null, soon)).toEqual({ since: at(30), reconciling: true });
    expect(readFrom("schedule", at(45), at(30), soon)).toEqual({ since: at(20), reconciling: true });
    // An order that failed holds the main cursor back: the reconcile reads from there.
    expect(readFrom("schedule", at(25), at(40), soon)).toEqual({ since: at(15), reconciling: true });
    // But a day back at most (the schedule was off for long, or the failure is old).
    const days = new Date(Date.UTC(2026, 11, 5, 12, 0));
    expect(readFrom("schedule", at(25), at(40), days)).toEqual({
      since: new Date(Date.UTC(2026, 11, 4, 12, 0)),
      reconciling: true,
    });
    expect(readFrom("webhook", at(25), at(40), days)).toEqual({ since: at(25), reconciling: false });
  });
});
