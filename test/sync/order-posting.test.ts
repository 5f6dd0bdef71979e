import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listOrders } from "../../app/admin/orders.server";
import { PostingHeldError, postSalesOrder } from "../../app/backoffice/backoffice.server";
import { parseCommand, runCommand } from "../../app/cli/cli.server";
import prisma from "../../app/db.server";
import { runInForeground } from "../../app/jobs/foreground.server";
import { postSalesOrdersTask } from "../../app/sync/posting/task.server";
import { action as ordersAction } from "../../app/routes/app.orders";
import { shopStatus } from "../../app/status/status.server";
import { syncOrdersTask } from "../../app/sync/orders/task.server";
import { adminRequest, callRoute, dataOf, statusOf } from "../support/admin";
import { orderShop } from "../support/order-shop";
import { startSimulator, type RunningSimulator } from "../support/simulator";
import type { Store } from "../support/store";
import { documentOf, editLine, figures } from "./place-order";

/**
 * Posting follows Shopify's state: a cancelled order's document is never posted (it is
 * closed), and one whose order changed after processing waits, by hand or in batch posting,
 * until its document is adjusted or a person confirms the change, which is recorded with who
 * and when.
 */

let simulator: RunningSimulator;

beforeAll(async () => {
  simulator = await startSimulator(null);
  process.env.SHOPIFY_ADMIN_ORIGIN = simulator.url;
});
afterAll(() => simulator?.close());

const sync = (domain: string) => runInForeground(prisma, syncOrdersTask, { shop: domain, trigger: "manual" });
const batchPost = (domain: string) =>
  runInForeground(prisma, postSalesOrdersTask, {
    shop: domain,
    trigger: "manual",
    filters: { carrier: "UPS" },
  });

async function cli(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCommand(prisma, parseCommand(args), {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
  });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

async function act(domain: string, intent: string, order: string) {
  const result = await callRoute(ordersAction, adminRequest(domain, "/app/orders", { intent, order }));
  return {
    status: statusOf(result),
    body: await dataOf<{ ok: boolean; message?: string; error?: string }>(result),
  };
}

async function cancelInShopify(store: Store, orderId: string) {
  const { orderCancel } = await store.graphql<{ orderCancel: { userErrors: { message: string }[] } }>(
    `mutation TestCancel($id: ID!) {
      orderCancel(orderId: $id, reason: CUSTOMER, refund: true, restock: true) { userErrors { message } }
    }`,
    { id: orderId },
  );
  expect(orderCancel.userErrors).toEqual([]);
}

describe("when an order is cancelled and refunded in Shopify after its document was made", () => {
  it("its document cannot be posted, by a person or by batch posting, and a person closes it", async () => {
    const { shop, store, small } = await orderShop(simulator);
    const order = await store.placeOrder({ lines: [{ variantId: small.id, quantity: 2 }] });
    await sync(shop.domain);
    const { staged } = await documentOf(shop.id, order.name);
    await cancelInShopify(store, order.id);
    expect((await sync(shop.domain)).counts).toMatchObject({ changedAfterProcessing: 1 });

    const byHand = postSalesOrder(prisma, shop.id, staged.documentNo!, { ship: true, invoice: true });
    await expect(byHand).rejects.toThrow(PostingHeldError);
    await expect(byHand).rejects.toThrow(
      new RegExp(
        `^sales order ${staged.documentNo} is on hold: order ${order.name} was cancelled in Shopify: close this document instead of posting it$`,
      ),
    );
    const refused = await cli("post", staged.documentNo!, "--shop", shop.domain, "--ship", "--invoice");
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(
      `close it: npm run cli -- close ${staged.documentNo} --shop ${shop.domain}`,
    );

    const run = await batchPost(shop.domain);
    expect(run.status).toBe("succeeded");
    expect(run.counts).toMatchObject({ skipped: 1, skippedCancelled: 1 });
    expect(await prisma.boPostedShipment.count({ where: { shopId: shop.id } })).toBe(0);
    expect(await prisma.boPostedInvoice.count({ where: { shopId: shop.id } })).toBe(0);

    // The orders page says when, in the shop's time (Toronto: 11:20:29 is 16:20:29 UTC), from the
    // order's cancellation time; so does it for a hold the back office kept with a UTC time.
    await prisma.shop.update({ where: { id: shop.id }, data: { ianaTimezone: "America/Toronto" } });
    await prisma.shopifyOrder.update({
      where: { id: staged.id },
      data: { cancelledAt: new Date("2026-12-03T16:20:29Z") },
    });
    const inToronto = `order ${order.name} was cancelled in Shopify on 3 Dec 11:20:29: close this document instead of posting it`;
    const held = async () => {
      const toronto = await prisma.shop.findUniqueOrThrow({ where: { id: shop.id } });
      return (await listOrders(prisma, toronto, "processed")).rows.map((row) => row.onHold);
    };
    expect(await held()).toEqual([inToronto]);
    await prisma.boSalesHeader.updateMany({
      where: { shopId: shop.id, no: staged.documentNo! },
      data: {
        onHoldReason: `order ${order.name} was cancelled in Shopify on 2026-12-03 16:20 UTC: close this document instead of posting it`,
      },
    });
    expect(await held()).toEqual([inToronto]);
    // The migration takes the UTC time out of such a stored hold: what posting quotes has none.
    await prisma.$executeRawUnsafe(
      await readFile(
        path.resolve(
          import.meta.dirname,
          "../../prisma/migrations/20261212000000_cancelled_hold_words/migration.sql",
        ),
        "utf8",
      ),
    );
    expect(
      (await prisma.boSalesHeader.findFirstOrThrow({ where: { shopId: shop.id, no: staged.documentNo! } }))
        .onHoldReason,
    ).toBe(`order ${order.name} was cancelled in Shopify: close this document instead of posting it`);
    expect(await held()).toEqual([inToronto]);

    // Confirming is no way out for a cancelled order; closing is.
    expect(await act(shop.domain, "confirm", staged.id)).toMatchObject({ status: 409 });
    const closed = await act(shop.domain, "close", staged.id);
    expect(closed).toMatchObject({ status: 200, body: { ok: true } });
    const { header } = await documentOf(shop.id, order.name);
    expect(header).toMatchObject({ status: "closed", closedBy: "Shopify user 1", onHold: null });
    await expect(
      postSalesOrder(prisma, shop.id, staged.documentNo!, { ship: true, invoice: true }),
    ).rejects.toThrow(`sales order ${staged.documentNo} is closed: nothing can be posted from it`);
    expect((await shopStatus(prisma, shop.id)).ordersChangedAfterProcessing).toBe(0);
    const processed = await listOrders(prisma, shop, "processed");
    expect(processed.rows.map((row) => [row.name, row.documentStatus, row.confirmedBy])).toEqual([
      [order.name, "closed", "Shopify user 1"],
    ]);
  });
});

describe("when a line is removed in Shopify after its document was made", () => {
  it("the document waits until a person confirms the change, who is recorded, and a new change needs confirming again", async () => {
    const { shop, store, small, medium } = await orderShop(simulator);
    const order = await store.placeOrder({
      lines: [
        { variantId: small.id, quantity: 1 },
        { variantId: medium.id, quantity: 1 },
      ],
    });
    await sync(shop.domain);
    const { staged } = await documentOf(shop.id, order.name);
    await editLine(simulator, shop.domain, order.id, staged.lines[1]!.shopifyId, 0);
    await sync(shop.domain);

    const held = await batchPost(shop.domain);
    expect(held.status).toBe("succeeded");
    expect(held.counts).toMatchObject({ skipped: 1, skippedChanged: 1 });
    const refused = await cli("post", staged.documentNo!, "--shop", shop.domain, "--ship");
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(
      `is on hold: order ${order.name} changed in Shopify after this document was made (line removed: Merino Tee - M): adjust the document or confirm the change before posting it`,
    );
    expect(refused.err).toContain(`npm run cli -- confirm ${staged.documentNo} --shop ${shop.domain}`);
    const changed = await listOrders(prisma, shop, "changed");
    expect(changed.rows.map((row) => [row.name, row.actions])).toEqual([[order.name, ["confirm", "adjust"]]]);

    const confirmed = await act(shop.domain, "confirm", staged.id);
    expect(confirmed).toMatchObject({ status: 200, body: { ok: true } });
    const processed = await listOrders(prisma, shop, "processed");
    expect(processed.rows[0]).toMatchObject({
      name: order.name,
      confirmedBy: "Shopify user 1",
      onHold: null,
    });
    expect(new Date(processed.rows[0]!.confirmedAt!).getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect((await listOrders(prisma, shop, "changed")).rows).toEqual([]);
    // Confirmed is posted as it is: both lines, as the document was made.
    const posted = await batchPost(shop.domain);
    expect(posted.counts).toMatchObject({ shipments: 1, invoices: 1 });
    expect(posted.counts).not.toHaveProperty("skipped");

    // Another change after the confirmation: flagged and held again.
    const other = await store.placeOrder({ lines: [{ variantId: small.id, quantity: 3 }] });
    await sync(shop.domain);
    const second = (await documentOf(shop.id, other.name)).staged;
    await editLine(simulator, shop.domain, other.id, second.lines[0]!.shopifyId, 2);
    await sync(shop.domain);
    expect(await cli("confirm", second.documentNo!, "--shop", shop.domain)).toMatchObject({ code: 0 });
    expect((await documentOf(shop.id, other.name)).staged.changeConfirmedBy).toBe("cli");
    await editLine(simulator, shop.domain, other.id, second.lines[0]!.shopifyId, 1);
    await sync(shop.domain);
    const again = (await documentOf(shop.id, other.name)).staged;
    expect(again).toMatchObject({
      changeConfirmedBy: null,
      changes: ["quantity of Merino Tee - S down from 3 to 1"],
    });
    expect((await batchPost(shop.domain)).counts).toMatchObject({ skipped: 1, skippedChanged: 1 });
  });

  it("adjusting the document makes it the order as it stands, and it posts", async () => {
    const { shop, store, small, medium } = await orderShop(simulator);
    const order = await store.placeOrder({
      lines: [
        { variantId: small.id, quantity: 2 },
        { variantId: medium.id, quantity: 1 },
      ],
    });
    await sync(shop.domain);
    const { staged } = await documentOf(shop.id, order.name);
    await editLine(simulator, shop.domain, order.id, staged.lines[1]!.shopifyId, 0);
    await sync(shop.domain);

    const adjusted = await cli("adjust", staged.documentNo!, "--shop", shop.domain);
    expect(adjusted).toMatchObject({
      code: 0,
      out: `adjusted ${staged.documentNo} to ${order.name} as it stands in Shopify`,
    });

    const { header, staged: after } = await documentOf(shop.id, order.name);
    expect(after).toMatchObject({ changedAfterProcessing: false, changes: null });
    expect(header).toMatchObject({ onHold: null });
    // 2 × 25.00 and shipping 5.00: the removed line is gone.
    expect(figures(header!).lines.map((line) => [line.description, line.quantity, line.amount])).toEqual([
      ["Merino Tee - S", 2, "50.00"],
      ["Shipping: Standard", 1, "5.00"],
    ]);
    expect(header!.amountIncludingTax.toFixed(2)).toBe("55.00");
    expect((await batchPost(shop.domain)).counts).toMatchObject({ shipments: 1, invoices: 1 });
  });
});
