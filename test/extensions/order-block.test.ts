// @vitest-environment jsdom
import { afterEach, describe, expect, it } from "vitest";
import { createItem } from "../../app/backoffice/backoffice.server";
import { saveFilters } from "../../app/admin/tasks.server";
import prisma from "../../app/db.server";
import main from "../../extensions/order-block/src/OrderBlock";
import { busyShop } from "../admin/busy-shop";
import { shipmentRecords } from "../kit/outbound";
import { sessionToken } from "../support/admin";
import { blockText, button, elements, mountBlock, unmountBlock, waitForText } from "../support/extension-dom";

/**
 * The order details block as Shopify admin shows it on an order's page: rendered with Preact
 * into a DOM, its `shopify` global standing in for Shopify's, its `fetch` answered by the app's
 * real API routes against the test database.
 */

const TARGET = "admin.order-details.block.render";

afterEach(() => unmountBlock());

type Busy = Awaited<ReturnType<typeof busyShop>>;

async function showOrder(busy: Busy, name: string, options: { token?: string } = {}) {
  const order = await prisma.shopifyOrder.findFirstOrThrow({ where: { shopId: busy.shop.id, name } });
  const mounted = await mountBlock(main, {
    domain: busy.shop.domain,
    target: TARGET,
    selected: `gid://shopify/Order/${order.shopifyId}`,
    ...options,
  });
  return { order, ...mounted };
}

describe("the order block on a processed order", () => {
  it("shows its sales order, each shipment's tracking and whether it reached Shopify; Retry shipment sends a failed one again", async () => {
    const busy = await busyShop();
    const { order, calls } = await showOrder(busy, "#S2");

    await waitForText(`Sales order ${order.documentNo}`);
    expect(elements("s-badge").map((badge) => badge.textContent)).toEqual(["Processed", "failed"]);
    expect(blockText()).toContain(
      `Status: open. Customer ${busy.customer.no}, found ${order.customerFoundBy}.`,
    );
    expect(blockText()).toContain("Tracking: UPS 1Z-#S2");
    expect(blockText()).toContain("Shopify answered: order 123 no longer exists in Shopify");
    expect(elements("s-button", "Process now")).toEqual([]);
    expect(elements("s-link", "Open in the app")[0]?.getAttribute("href")).toBe(
      "app:app/orders?view=processed",
    );
    expect(calls).toEqual([
      { method: "GET", path: `/api/extensions/orders/${order.shopifyId}`, body: undefined, status: 200 },
    ]);

    const failed = await prisma.boPostedShipment.findFirstOrThrow({
      where: { shopId: busy.shop.id, no: busy.shipments.failed },
    });
    button("Retry shipment").click();

    await waitForText(`Shipment ${busy.shipments.failed} is waiting to be sent again.`);
    // The block reads the order again: the shipment waits to be sent, with nothing to retry.
    await waitForText(`${busy.shipments.failed} waiting to be sent Posted`);
    expect((await shipmentRecords(busy.shop.id))[busy.shipments.failed]).toMatchObject({ state: "pending" });
    expect(elements("s-button", "Retry shipment")).toEqual([]);
    expect(calls.map((call) => [call.method, call.body, call.status])).toEqual([
      ["GET", undefined, 200],
      ["POST", { intent: "retryShipment", shipmentId: failed.id }, 200],
      ["GET", undefined, 200],
    ]);
  });

  it("shows a shipment that reached Shopify as synced, with nothing to retry", async () => {
    const busy = await busyShop();
    await showOrder(busy, "#S3");

    await waitForText("Tracking: UPS 1Z-#S3");
    expect(elements("s-badge").map((badge) => badge.textContent)).toEqual(["Processed", "synced"]);
    expect(elements("s-button")).toEqual([]);
  });

  it("lists what changed in Shopify after processing", async () => {
    const busy = await busyShop();
    await showOrder(busy, "#C1");

    await waitForText("Changed in Shopify since it was processed: quantity of Merino Tee up from 1 to 2");
    expect(elements("s-list-item").map((item) => item.textContent)).toEqual([
      "quantity of Merino Tee up from 1 to 2",
    ]);
    expect(blockText()).toContain("Confirm or adjust its document on the app's Orders page.");
  });
});

describe("the order block on an order that waits", () => {
  it("says why, for each reason the Orders page gives: an unmapped product, an unmapped customer, the filters, the next run", async () => {
    const busy = await busyShop();
    const shown: Record<string, string> = {};
    for (const name of ["#P1", "#U1", "#W1"]) {
      const { order } = await showOrder(busy, name);
      await waitForText("Why it waits");
      const banner = elements("s-banner").find(
        (element) => element.getAttribute("heading") === "Why it waits",
      )!;
      shown[name] = `${elements("s-badge")[0]?.textContent} | ${banner.textContent}`;
      expect(button("Process now")).toBeDefined();
      expect(banner.getAttribute("tone")).toBe(order.state === "error" ? "critical" : "warning");
      unmountBlock();
    }
    const p1 = await prisma.shopifyOrder.findFirstOrThrow({ where: { shopId: busy.shop.id, name: "#P1" } });
    expect(shown).toEqual({
      "#P1": `Imported, held: processing could not make its sales document | ${p1.error}`,
      "#U1":
        "Imported, held: processing could not make its sales document | no back-office customer for stranger@example.com",
      "#W1": "Imported, waiting for its sales document | Imported; waiting for the next processing run.",
    });

    await saveFilters(prisma, busy.shop, "process_orders", { tag: "vip" });
    await showOrder(busy, "#W1");
    await waitForText(
      "The Process orders filters leave this order out (Tag: vip); change them on the task's page to process it.",
    );
  });

  it("Process now makes this order's sales document, and the block then shows it", async () => {
    const busy = await busyShop();
    await prisma.shopSettings.update({
      where: { shopId: busy.shop.id },
      data: { allowBackgroundSyncs: false },
    });
    await createItem(prisma, busy.shop.id, { no: "HAT", description: "Wool hat", unitPrice: "19.5" });
    const { order } = await showOrder(busy, "#P1");
    await waitForText("Why it waits: unmapped product: Wool Hat (SKU HAT)");

    button("Process now").click();

    await waitForText("#P1: Processing orders finished (processed: 1).");
    const processed = await prisma.shopifyOrder.findUniqueOrThrow({ where: { id: order.id } });
    await waitForText(`Sales order ${processed.documentNo}`);
    expect(processed.state).toBe("processed");
    expect(elements("s-badge").map((badge) => badge.textContent)).toEqual(["Processed"]);
    expect(elements("s-button", "Process now")).toEqual([]);
    expect(blockText()).not.toContain("Why it waits");
  });
});

describe("the order block when the app has nothing to show", () => {
  it("says an order the app never imported is not in the back office", async () => {
    const busy = await busyShop();
    await mountBlock(main, {
      domain: busy.shop.domain,
      target: TARGET,
      selected: "gid://shopify/Order/987654321987",
    });

    await waitForText("This order is not in the back office: it has not been imported.");
    expect(elements("s-admin-block")[0]?.getAttribute("collapsedSummary")).toBe("Not imported");
  });

  it("says so when the app refuses the session, and offers no action", async () => {
    const busy = await busyShop();
    await showOrder(busy, "#W1", { token: sessionToken(busy.shop.domain, "not-the-app-secret") });

    await waitForText("Shopify's session was not accepted by the app; reload the page.");
    expect(elements("s-banner")[0]?.getAttribute("tone")).toBe("critical");
    expect(elements("s-button")).toEqual([]);
  });
});
