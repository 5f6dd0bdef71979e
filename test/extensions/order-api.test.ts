import { beforeAll, describe, expect, it } from "vitest";
import { createItem } from "../../app/backoffice/backoffice.server";
import prisma from "../../app/db.server";
import type { OrderBlock } from "../../app/admin/order-block.server";
import { saveFilters } from "../../app/admin/tasks.server";
import { queuedRuns, runQueuedJobs } from "../kit/jobs";
import { shipmentRecords } from "../kit/outbound";
import { busyShop } from "../admin/busy-shop";
import { sessionToken } from "../support/admin";
import { TEST_API_SECRET } from "../support/env";
import { EXTENSION_ORIGIN, extensionRequest, routeRequest } from "../support/extensions";

/**
 * The order details block's API, as the block calls it from Shopify's order page: the session
 * token Shopify adds, another origin, JSON. What it answers is read from the same records and
 * services as the Orders and Shipments pages.
 */

type Busy = Awaited<ReturnType<typeof busyShop>>;

const path = (id: bigint | string) => `/api/extensions/orders/${id}`;

async function get(domain: string, id: bigint | string, token?: string) {
  const response = await routeRequest(extensionRequest(domain, path(id), token ? { token } : {}));
  return {
    status: response.status,
    cors: response.headers.get("access-control-allow-origin"),
    body: await json(response),
  };
}

async function post(domain: string, id: bigint | string, body: unknown, token?: string) {
  const response = await routeRequest(
    extensionRequest(domain, path(id), { body, ...(token ? { token } : {}) }),
  );
  return { status: response.status, body: (await json(response)) as { message?: string; error?: string } };
}

async function json(response: Response): Promise<unknown> {
  const text = await response.text();
  return text ? (JSON.parse(text) as unknown) : null;
}

const orderOf = (busy: Busy, name: string) =>
  prisma.shopifyOrder.findFirstOrThrow({ where: { shopId: busy.shop.id, name } });

let busy: Busy;
let other: Busy;

beforeAll(async () => {
  busy = await busyShop();
  other = await busyShop();
}, 60_000);

describe("when the block asks where an order stands", () => {
  it("a processed and shipped order shows its sales order, each shipment's tracking and its sync state", async () => {
    const order = await orderOf(busy, "#S2");

    const { status, cors, body } = await get(busy.shop.domain, order.shopifyId);

    expect(status).toBe(200);
    expect(cors).toBe("*");
    const block = body as OrderBlock;
    expect(block).toMatchObject({
      order: {
        id: order.shopifyId.toString(),
        name: "#S2",
        customer: "ada@example.com",
        currencyCode: "EUR",
      },
      state: "processed",
      stateWords: "Processed",
      reason: null,
      document: {
        type: "sales_order",
        title: `Sales order ${order.documentNo}`,
        no: order.documentNo,
        customerNo: busy.customer.no,
      },
      canProcess: false,
      creditMemos: [],
      appUrl: "app:app/orders?view=processed",
      timeZone: "UTC",
    });
    expect(block.shipments).toEqual([
      expect.objectContaining({
        no: busy.shipments.failed,
        carrier: "UPS",
        trackingNo: "1Z-#S2",
        lines: ["1 × Merino Tee"],
        syncState: "error",
        syncWords: "failed",
        message: "order 123 no longer exists in Shopify",
        attempts: 1,
        canRetry: true,
      }),
    ]);
    const synced = (await get(busy.shop.domain, (await orderOf(busy, "#S3")).shopifyId)).body as OrderBlock;
    expect(synced.shipments.map((s) => [s.trackingNo, s.syncWords, s.canRetry])).toEqual([
      ["1Z-#S3", "synced", false],
    ]);
    const waiting = (await get(busy.shop.domain, (await orderOf(busy, "#S1")).shopifyId)).body as OrderBlock;
    expect(waiting.shipments.map((s) => [s.trackingNo, s.syncWords])).toEqual([
      ["1Z-#S1", "waiting to be sent"],
    ]);
  });

  it("a waiting order says why, in the Orders page's words: unmapped product, unmapped customer, filters, not yet run", async () => {
    const reasons: Record<string, string | null> = {};
    for (const name of ["#P1", "#U1", "#W1"]) {
      const block = (await get(busy.shop.domain, (await orderOf(busy, name)).shopifyId)).body as OrderBlock;
      expect([block.canProcess, block.document, block.appUrl]).toEqual([
        true,
        null,
        "app:app/orders?view=unprocessed",
      ]);
      reasons[name] = block.reason;
    }
    const p1 = await orderOf(busy, "#P1");
    expect(p1.error).toContain("HAT");
    expect(reasons).toEqual({
      "#P1": p1.error,
      "#U1": "no back-office customer for stranger@example.com",
      "#W1": "Imported; waiting for the next processing run.",
    });

    // As the merchant saves them on Process orders' request page.
    await saveFilters(prisma, busy.shop, "process_orders", { tag: "vip" });
    const filtered = (await get(busy.shop.domain, (await orderOf(busy, "#W1")).shopifyId)).body as OrderBlock;
    expect(filtered.reason).toBe(
      "The Process orders filters leave this order out (Tag: vip); change them on the task's page to process it.",
    );
    await saveFilters(prisma, busy.shop, "process_orders", {});
  });

  it("an order changed after processing lists what changed; a cancelled one says it gets no document", async () => {
    const changed = (await get(busy.shop.domain, busy.orders.changed.shopifyId)).body as OrderBlock;
    expect(changed).toMatchObject({
      state: "changed",
      stateWords: "Changed in Shopify after it was processed",
      changes: ["quantity of Merino Tee up from 1 to 2"],
      pageActions: ["confirm", "adjust"],
      appUrl: "app:app/orders?view=changed",
      canProcess: false,
    });
    const cancelled = (await get(busy.shop.domain, busy.orders.cancelled.shopifyId)).body as OrderBlock;
    expect(cancelled).toMatchObject({ state: "cancelled", canProcess: false, document: null });
  });
});

describe("when the request is not one the block may make", () => {
  it("answers 401 to an expired token and to one signed with another secret, readable across origins", async () => {
    const id = busy.orders.waiting.shopifyId;
    const now = Math.floor(Date.now() / 1000);
    const expired = sessionToken(busy.shop.domain, TEST_API_SECRET, {
      claims: { exp: now - 60, iat: now - 120, nbf: now - 120 },
    });
    for (const token of [expired, sessionToken(busy.shop.domain, "not-the-app-secret")]) {
      expect(await get(busy.shop.domain, id, token)).toMatchObject({ status: 401, cors: "*" });
      expect((await post(busy.shop.domain, id, { intent: "process" }, token)).status).toBe(401);
    }
    expect(await queuedRuns(busy.shop, "process_orders")).toEqual([]);
  });

  it("answers 404 to another shop's order and to an unknown one, 400 to an id that is not Shopify's", async () => {
    const theirs = other.orders.waiting.shopifyId;
    const mine = await get(busy.shop.domain, theirs);
    const unknown = await get(busy.shop.domain, 999_999_999_999n);
    expect(mine.status).toBe(404);
    expect([unknown.status, unknown.cors]).toEqual([404, "*"]);
    expect((unknown.body as { error: string }).error).toContain("has not been imported");
    // The same answer for both: nothing tells that the other shop has the order.
    expect(mine.body).toEqual(unknown.body);
    expect((await post(busy.shop.domain, theirs, { intent: "process" })).status).toBe(404);
    expect(
      (
        await post(busy.shop.domain, (await orderOf(other, "#S2")).shopifyId, {
          intent: "retryShipment",
          shipmentId: (
            await prisma.boPostedShipment.findFirstOrThrow({
              where: { shopId: other.shop.id, no: other.shipments.failed },
            })
          ).id,
        })
      ).status,
    ).toBe(404);

    // 9999999999999999999: 19 digits, but past the bigint an order id is stored as.
    for (const id of ["abc", "gid://shopify/Order/1", "-1", "1".repeat(20), "9999999999999999999"]) {
      const answer = await get(busy.shop.domain, encodeURIComponent(id));
      expect(answer.status, id).toBe(400);
      expect((answer.body as { error: string }).error, id).toContain(
        "the order must be a Shopify order id (digits)",
      );
    }
    expect(await queuedRuns(other.shop, "process_orders")).toEqual([]);
    expect((await shipmentRecords(other.shop.id))[other.shipments.failed]).toMatchObject({ state: "error" });
  });

  it("answers 400 to a body that is not JSON or names no action of the block, and changes nothing", async () => {
    const id = busy.orders.waiting.shopifyId;
    const notJson = await routeRequest(extensionRequest(busy.shop.domain, path(id), { rawBody: "{intent" }));
    expect([notJson.status, ((await json(notJson)) as { error: string }).error]).toEqual([
      400,
      "The request's body is not JSON.",
    ]);
    // A form whose body does not parse as one (multipart without its boundary).
    const badForm = await routeRequest(
      new Request(`http://127.0.0.1:3999${path(id)}`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${sessionToken(busy.shop.domain)}`,
          origin: EXTENSION_ORIGIN,
          "content-type": "multipart/form-data",
        },
        body: "intent=process",
      }),
    );
    expect([badForm.status, badForm.headers.get("access-control-allow-origin")]).toEqual([400, "*"]);
    expect(((await json(badForm)) as { error: string }).error).toBe("The request's body is not a form.");
    const unknown = await post(busy.shop.domain, id, { intent: "post" });
    expect([unknown.status, unknown.body.error]).toEqual([
      400,
      expect.stringContaining("the actions here are process and retryShipment"),
    ]);
    const noShipment = await post(busy.shop.domain, id, { intent: "retryShipment", shipmentId: "SH-1" });
    expect(noShipment.status).toBe(400);
    expect(await queuedRuns(busy.shop, "process_orders")).toEqual([]);
  });

  it("answers the browser's preflight with the CORS headers, before any token", async () => {
    const response = await routeRequest(
      new Request(`http://127.0.0.1:3999${path("1")}`, {
        method: "OPTIONS",
        headers: {
          origin: EXTENSION_ORIGIN,
          "access-control-request-method": "POST",
          "access-control-request-headers": "authorization, content-type",
        },
      }),
    );
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("access-control-allow-headers")).toContain("Authorization");
  });
});

describe("when a person acts from the block", () => {
  it("Process now processes this order only: its sales document is made, the other waiting orders wait", async () => {
    const shop = await busyShop();
    await createItem(prisma, shop.shop.id, { no: "HAT", description: "Wool hat", unitPrice: "19.5" });
    const blocked = shop.orders.blockedByProduct;

    const result = await post(shop.shop.domain, blocked.shopifyId, { intent: "process" });

    expect(result).toEqual({
      status: 200,
      body: {
        message: "#P1: Processing orders is queued and starts at once; the job list shows its progress.",
      },
    });
    const [run] = await queuedRuns(shop.shop, "process_orders");
    expect(run?.filters).toEqual({ orderIds: blocked.shopifyId.toString() });
    await runQueuedJobs();

    const block = (await get(shop.shop.domain, blocked.shopifyId)).body as OrderBlock;
    const processed = await prisma.shopifyOrder.findUniqueOrThrow({ where: { id: blocked.id } });
    expect(processed.state).toBe("processed");
    expect(block).toMatchObject({
      state: "processed",
      document: { no: processed.documentNo, status: "open" },
    });
    // #W1 waits as it did: Process now ran for #P1 alone.
    expect(
      (await prisma.shopifyOrder.findUniqueOrThrow({ where: { id: shop.orders.waiting.id } })).state,
    ).toBe("unprocessed");
  });

  it("with background syncs off, Process now processes the order at once and says what came of it", async () => {
    const shop = await busyShop();
    await prisma.shopSettings.update({
      where: { shopId: shop.shop.id },
      data: { allowBackgroundSyncs: false },
    });

    const result = await post(shop.shop.domain, shop.orders.waiting.shopifyId, { intent: "process" });

    expect(result).toEqual({
      status: 200,
      body: { message: "#W1: Processing orders finished (processed: 1)." },
    });
    expect((await get(shop.shop.domain, shop.orders.waiting.shopifyId)).body).toMatchObject({
      state: "processed",
    });
    const again = await post(shop.shop.domain, shop.orders.waiting.shopifyId, { intent: "process" });
    expect([again.status, again.body.error]).toEqual([
      409,
      expect.stringContaining("#W1 is processed already"),
    ]);
  });

  it("Retry shipment puts the failed shipment back to be sent and starts the shipment sync; a shipment of another order is not this order's", async () => {
    const shop = await busyShop();
    const order = await orderOf(shop, "#S2");
    const failed = await prisma.boPostedShipment.findFirstOrThrow({
      where: { shopId: shop.shop.id, no: shop.shipments.failed },
    });
    const pending = await prisma.boPostedShipment.findFirstOrThrow({
      where: { shopId: shop.shop.id, no: shop.shipments.pending },
    });

    const wrong = await post(shop.shop.domain, order.shopifyId, {
      intent: "retryShipment",
      shipmentId: pending.id,
    });
    expect(wrong.status).toBe(404);
    const result = await post(shop.shop.domain, order.shopifyId, {
      intent: "retryShipment",
      shipmentId: failed.id,
    });

    expect(result).toEqual({
      status: 200,
      body: {
        message: `Shipment ${failed.no} is waiting to be sent again. Sending shipments to Shopify is queued and starts at once; the job list shows its progress.`,
      },
    });
    expect((await shipmentRecords(shop.shop.id))[failed.no]).toMatchObject({ state: "pending" });
    expect(await queuedRuns(shop.shop, "sync_shipments")).toHaveLength(1);
    const block = (await get(shop.shop.domain, order.shopifyId)).body as OrderBlock;
    expect(block.shipments.map((s) => [s.syncWords, s.canRetry])).toEqual([["waiting to be sent", false]]);
  });
});
