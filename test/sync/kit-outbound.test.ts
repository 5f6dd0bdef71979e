import { describe, expect, it } from "vitest";
import {
  changesSince,
  createSalesDocument,
  postSalesInvoice,
  postSalesOrder,
} from "../../app/backoffice/backoffice.server";
import prisma from "../../app/db.server";
import type { AdminClient } from "../../app/shopify/admin-client.server";
import { scopeOutsideRun } from "../../app/sync/kit/scope.server";
import { SHIPMENT_FEED, syncShipments } from "../../app/sync/shipments/sync.server";
import { shopStatus } from "../../app/status/status.server";
import {
  collectChanges,
  contentHash,
  countInState,
  dueRecords,
  isUnchanged,
  markFailed,
  markSent,
  markSkipped,
  recordsByKey,
  retryRecord,
  type OutboundFeed,
} from "../../app/sync/kit/outbound.server";
import { itemLine, shopifyDocument, stockedShop } from "../kit/backoffice";

/**
 * The outbound half of the sync kit: sync records made due by the back office's change feed,
 * their outcomes, and change detection. The shipment sync is its first user
 * (test/sync/order-flow.test.ts sends real shipments through it).
 */

const FEED: OutboundFeed = { task: "sync_shipments", entity: "posted_shipment" };

/** A change written straight to the feed, as the back office's posting writes it. */
const change = (shopId: string, key: string, db: Pick<typeof prisma, "$executeRaw"> = prisma) =>
  db.$executeRaw`insert into "BoChange" ("shopId", entity, key) values (${shopId}::uuid, 'posted_shipment', ${key})`;

async function shopWithShipments(count: number) {
  const { shop, customer } = await stockedShop();
  const nos: string[] = [];
  for (let i = 0; i < count; i++) {
    const document = await shopifyDocument(shop.id, customer.no, [itemLine("TEE", 1, "25")]);
    const posted = await postSalesOrder(prisma, shop.id, document.no, { ship: true, invoice: false });
    nos.push(posted.shipmentNo!);
  }
  return { shop, nos };
}

/** No Shopify at all: these records are decided without asking it. */
const noShopify = {
  request: () => Promise.reject(new Error("Shopify was asked")),
} as unknown as AdminClient;

const due = async (shopId: string) =>
  (await dueRecords(prisma, shopId, FEED.task, 100)).map((r) => r.recordKey);

describe("the outbound sync records", () => {
  it("make each posted shipment due once, oldest first, and record what became of each", async () => {
    const { shop, nos } = await shopWithShipments(3);
    const [a, b, c] = nos as [string, string, string];

    expect(await collectChanges(prisma, shop.id, FEED)).toBe(3);
    expect(await collectChanges(prisma, shop.id, FEED)).toBe(0);
    expect(await due(shop.id)).toEqual([a, b, c]);

    const records = await recordsByKey(prisma, shop.id, FEED.task, nos);
    await markFailed(prisma, records.get(a)!, "Shopify: fulfillment order is closed");
    await markFailed(prisma, records.get(a)!, "Shopify: still closed");
    await markSent(prisma, records.get(b)!, { shopifyId: "gid://shopify/Fulfillment/1", sentHash: "h1" });
    await markSkipped(prisma, records.get(c)!, "not a Shopify order");

    const after = await recordsByKey(prisma, shop.id, FEED.task, nos);
    expect(after.get(a)).toMatchObject({ state: "error", message: "Shopify: still closed", attempts: 2 });
    expect(after.get(b)).toMatchObject({
      state: "synced",
      shopifyId: "gid://shopify/Fulfillment/1",
      message: null,
    });
    expect(after.get(b)!.sentAt).toBeInstanceOf(Date);
    expect(after.get(c)).toMatchObject({ state: "skipped", message: "not a Shopify order" });
    // A failed record is tried again by every run; sent and skipped ones are done.
    expect(await due(shop.id)).toEqual([a]);
    expect(await countInState(prisma, shop.id, FEED.task, "error")).toBe(1);

    // A person's retry: pending again, with what happened before still shown.
    expect(await retryRecord(prisma, shop.id, FEED.task, a)).toBe(true);
    expect(await retryRecord(prisma, shop.id, FEED.task, b)).toBe(false);
    expect((await recordsByKey(prisma, shop.id, FEED.task, [a])).get(a)).toMatchObject({
      state: "pending",
      message: "Shopify: still closed",
      attempts: 2,
    });
  });

  it("make a record due again when it changes, keeping what it became in Shopify", async () => {
    const { shop, nos } = await shopWithShipments(1);
    const [a] = nos as [string];
    await collectChanges(prisma, shop.id, FEED);
    const read = (await recordsByKey(prisma, shop.id, FEED.task, [a])).get(a)!;
    await markSent(prisma, read, { shopifyId: "gid://shopify/Fulfillment/7", sentHash: "h1" });
    expect(await due(shop.id)).toEqual([]);

    await change(shop.id, a);
    expect(await collectChanges(prisma, shop.id, FEED)).toBe(1);

    const again = (await recordsByKey(prisma, shop.id, FEED.task, [a])).get(a)!;
    expect(again).toMatchObject({
      state: "pending",
      shopifyId: "gid://shopify/Fulfillment/7",
      sentHash: "h1",
    });
    expect(again.changedAt.getTime()).toBeGreaterThanOrEqual(read.changedAt.getTime());
    expect(again.version).toBe(read.version + 1);
    expect(isUnchanged(again, "h1")).toBe(true);
    expect(isUnchanged(again, "h2")).toBe(false);
  });

  it("keep a record pending when it changed while it was being sent, with what was sent recorded", async () => {
    const { shop, nos } = await shopWithShipments(1);
    const [a] = nos as [string];
    await collectChanges(prisma, shop.id, FEED);
    const read = (await recordsByKey(prisma, shop.id, FEED.task, [a])).get(a)!;
    // The back office changes it after the run read it, before the run's answer is written.
    await change(shop.id, a);
    await collectChanges(prisma, shop.id, FEED);

    await markSent(prisma, read, { shopifyId: "gid://shopify/Fulfillment/9", sentHash: "old" });

    expect((await recordsByKey(prisma, shop.id, FEED.task, [a])).get(a)).toMatchObject({
      state: "pending",
      shopifyId: "gid://shopify/Fulfillment/9",
      sentHash: "old",
    });
    expect(await due(shop.id)).toEqual([a]);
  });

  it("read a change whose transaction commits after a later one's: late, never skipped", async () => {
    const { shop } = await stockedShop();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let written!: () => void;
    const wrote = new Promise<void>((resolve) => (written = resolve));
    // Transaction A takes the earlier sequence number and stays open...
    const slow = prisma.$transaction(async (tx) => {
      await change(shop.id, "SHIP-EARLY", tx);
      written();
      await held;
    });
    await wrote;
    // ...while B, numbered after it, commits first and is read.
    await change(shop.id, "SHIP-LATE");
    expect(await collectChanges(prisma, shop.id, FEED)).toBe(1);
    expect(await due(shop.id)).toEqual(["SHIP-LATE"]);

    release();
    await slow;
    // A took its number first: a cursor on the numbers would have passed it.
    const seqs = await prisma.$queryRaw<{ key: string; seq: bigint }[]>`
      select key, seq from "BoChange" where "shopId" = ${shop.id}::uuid and entity = 'posted_shipment' order by seq`;
    expect(seqs.map((row) => row.key)).toEqual(["SHIP-EARLY", "SHIP-LATE"]);
    expect(await collectChanges(prisma, shop.id, FEED)).toBe(1);
    // Due in the order they changed: A began first.
    expect(await due(shop.id)).toEqual(["SHIP-EARLY", "SHIP-LATE"]);
    expect(await collectChanges(prisma, shop.id, FEED)).toBe(0);
  });

  it("take each change once when two readers collect at the same moment", async () => {
    const { shop } = await stockedShop();
    for (let i = 0; i < 20; i++) await change(shop.id, `SHIP${i}`);
    const counts = await Promise.all([1, 2, 3, 4].map(() => collectChanges(prisma, shop.id, FEED)));
    expect(counts.reduce((sum, n) => sum + n, 0)).toBe(20);
    expect(await countInState(prisma, shop.id, FEED.task, "pending")).toBe(20);
  });

  it("never read another shop's changes", async () => {
    const a = await shopWithShipments(2);
    const b = await stockedShop();
    expect(await collectChanges(prisma, b.shop.id, FEED)).toBe(0);
    expect(await due(b.shop.id)).toEqual([]);
    expect(await collectChanges(prisma, a.shop.id, FEED)).toBe(2);
    const aRecords = await recordsByKey(prisma, a.shop.id, FEED.task, a.nos);
    expect(await retryRecord(prisma, b.shop.id, FEED.task, a.nos[0]!)).toBe(false);
    expect((await recordsByKey(prisma, b.shop.id, FEED.task, a.nos)).size).toBe(0);
    expect(aRecords.size).toBe(2);
  });
});

describe("the shipment sync's records", () => {
  it("are collected skipped, with the reason, for shipments that will never be fulfillments", async () => {
    const { shop, customer } = await stockedShop();
    const local = await createSalesDocument(prisma, shop.id, {
      documentType: "order",
      customerNo: customer.no,
      orderDate: new Date(),
      currencyCode: "EUR",
      lines: [itemLine("TEE", 1, "25")],
    });
    const localShipment = (await postSalesOrder(prisma, shop.id, local.no, { ship: true, invoice: true }))
      .shipmentNo!;
    const invoice = await shopifyDocument(shop.id, customer.no, [itemLine("TEE", 1, "25")], {
      documentType: "invoice",
    });
    const invoiceShipment = (await postSalesInvoice(prisma, shop.id, invoice.no)).shipmentNo!;
    const shopifyOrder = await shopifyDocument(shop.id, customer.no, [itemLine("TEE", 1, "25")]);
    const toSend = (await postSalesOrder(prisma, shop.id, shopifyOrder.no, { ship: true, invoice: false }))
      .shipmentNo!;

    // The home page's tiles read the feed first: only the Shopify order's shipment waits.
    expect(await shopStatus(prisma, shop.id)).toMatchObject({ unprocessedShipments: 1, shipmentErrors: 0 });
    const records = await recordsByKey(prisma, shop.id, FEED.task, [localShipment, invoiceShipment, toSend]);
    expect(records.get(localShipment)).toMatchObject({ state: "skipped", message: "not a Shopify order" });
    expect(records.get(invoiceShipment)).toMatchObject({
      state: "skipped",
      message: "posted from a sales invoice: the order was fulfilled in Shopify before it was imported",
    });
    expect(records.get(toSend)).toMatchObject({ state: "pending", message: null });
    expect(await due(shop.id)).toEqual([toSend]);
  });

  it("never send a shipment Shopify already has again, and say when one changed after it was sent", async () => {
    const { shop, nos } = await shopWithShipments(2);
    const [same, changed] = nos as [string, string];
    await collectChanges(prisma, shop.id, SHIPMENT_FEED);
    const records = await recordsByKey(prisma, shop.id, FEED.task, nos);
    // Sent before: one with the content it has now, one with other content.
    await prisma.syncRecord.update({
      where: { id: records.get(changed)!.id },
      data: { shopifyId: "gid://shopify/Fulfillment/2", sentHash: "what was sent then" },
    });
    await prisma.syncRecord.update({
      where: { id: records.get(same)!.id },
      data: { shopifyId: "gid://shopify/Fulfillment/1", sentHash: null },
    });
    // And a change for a shipment the back office does not have.
    await change(shop.id, "SHIP-NONE");

    const summary = await syncShipments(scopeOutsideRun(prisma, shop, {}), noShopify);

    expect(summary).toMatchObject({ sent: 0, unchanged: 1, skipped: 1, failed: 1 });
    const after = await recordsByKey(prisma, shop.id, FEED.task, [same, changed, "SHIP-NONE"]);
    expect(after.get(same)).toMatchObject({ state: "synced", shopifyId: "gid://shopify/Fulfillment/1" });
    expect(after.get(same)!.sentHash).not.toBeNull();
    expect(after.get(changed)).toMatchObject({ state: "error", shopifyId: "gid://shopify/Fulfillment/2" });
    expect(after.get(changed)!.message).toMatch(
      /changed after it was sent to Shopify as gid:\/\/shopify\/Fulfillment\/2/,
    );
    expect(after.get("SHIP-NONE")).toMatchObject({
      state: "skipped",
      message: "the posted shipment is no longer in the back office",
    });
  });
});

describe("the change feed", () => {
  it("is not read by a transaction that has written (it would take its own changes twice)", async () => {
    const { shop } = await stockedShop();
    await expect(
      prisma.$transaction(async (tx) => {
        await change(shop.id, "SHIP-OWN", tx);
        await changesSince(tx, shop.id, "posted_shipment", null);
      }),
    ).rejects.toThrow("the change feed is read before the reading transaction writes anything");
  });
});

describe("contentHash", () => {
  it("is the same for the same content in any key order, and differs when anything differs", () => {
    const one = contentHash({ carrier: "UPS", lines: [[1n, 2]], trackingNo: "1Z" });
    expect(contentHash({ trackingNo: "1Z", lines: [[1n, 2]], carrier: "UPS" })).toBe(one);
    expect(contentHash({ carrier: "UPS", lines: [[1n, 3]], trackingNo: "1Z" })).not.toBe(one);
    expect(contentHash({ carrier: "UPS", lines: [[1n, 2]], trackingNo: "1z" })).not.toBe(one);
    expect(contentHash({ carrier: "UPS", lines: [[1n, 2]], trackingNo: "1Z", url: undefined })).toBe(one);
    expect(contentHash({ carrier: "UPS", lines: [[1n, 2]], trackingNo: "1Z", url: null })).not.toBe(one);
    expect(contentHash(["a", "b"])).not.toBe(contentHash(["b", "a"]));
  });
});
