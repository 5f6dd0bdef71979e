import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createItem } from "../../app/backoffice/backoffice.server";
import prisma from "../../app/db.server";
import { settled, startAdminStack, statusOf, type AdminStack } from "../support/browser-stack";

/**
 * The embedded admin in a real browser (Playwright driving Debian's Chromium), opened as
 * Shopify admin opens it: the app's URL with a session token, App Bridge from the simulator.
 * One stack for the file (simulator, app, worker, browser, the installed shop); the steps run
 * in order and build on each other, as a merchant's session would. Each step leaves a
 * screenshot in test-output/screenshots/ (`npm run screenshots` copies them to docs/).
 */

let stack: AdminStack;

beforeAll(async () => {
  stack = await startAdminStack({ shop: "browser-admin" });
}, 90_000);

afterAll(async () => {
  await stack?.close();
});

// Any uncaught error, console error, failed request or error answer on the page fails the step.
afterEach(() => stack?.admin.expectNoProblems());

const TILES = [
  ["unprocessedOrders", "Unprocessed orders"],
  ["unmappedCustomers", "Unmapped customers"],
  ["unmappedProducts", "Unmapped products"],
  ["unprocessedShipments", "Unprocessed shipments"],
  ["shipmentErrors", "Shipment errors"],
  ["synchronizationErrors", "Synchronization errors"],
  ["ordersChangedAfterProcessing", "Orders changed after processing"],
] as const;

describe("the embedded admin in a browser", () => {
  it("shows the home page's tiles with the shop's real counts", async () => {
    const { admin, store, shopId } = stack;
    // The shop sells two things; the back office knows only one of them by its SKU.
    await createItem(prisma, shopId, { no: "MUG-1", description: "Enamel mug", unitPrice: "12" });
    const mug = await store.product("Enamel Mug", [{ sku: "MUG-1", price: "12.00" }]);
    const lamp = await store.product("Brass Lamp", [{ sku: "LAMP-9", price: "80.00" }]);
    // A customer places an order: Shopify's orders/create webhook rings the app's doorbell,
    // the worker imports it, and processing stops at the lamp nobody has mapped.
    await store.placeOrder({
      lines: [
        { variantId: mug.variants.nodes[0]!.id, quantity: 2 },
        { variantId: lamp.variants.nodes[0]!.id, quantity: 1 },
      ],
    });
    const runs = await settled(stack);
    expect(runs.map((run) => [run.task, run.trigger, run.status])).toContainEqual([
      "sync_orders",
      "webhook",
      "succeeded",
    ]);
    const status = await statusOf(shopId);
    expect(status.unprocessedOrders).toBe(1);
    expect(status.unmappedProducts).toBe(1);

    await admin.reload();

    for (const [key, label] of TILES) {
      // The tile: the heading's nearest enclosing box that holds a paragraph, the count.
      const tile = admin.page
        .getByRole("heading", { name: label, exact: true })
        .locator("xpath=ancestor::*[.//p][1]");
      const count = tile.locator("p").first();
      expect(await count.innerText(), label).toBe(String(status[key]));
    }
    await admin.screenshot("home");

    // The page is a live client app: the nav menu navigates without a reload, and the data
    // comes with App Bridge's session token.
    const before = admin.appRequests.length;
    await admin.navigate("Home", "/app");
    const fetched = admin.appRequests.slice(before);
    expect(fetched.filter((request) => request.type === "document")).toEqual([]);
    expect(fetched.filter((request) => request.url.includes(".data"))).not.toHaveLength(0);
    expect(fetched.filter((request) => request.type === "fetch" && !request.bearer)).toEqual([]);
  });

  it("opened without a session token, bounces through App Bridge for one and shows the page", async () => {
    const { admin } = stack;
    const before = admin.appRequests.length;

    await admin.open("/app", { token: false });

    const pages = admin.appRequests.slice(before).filter((request) => request.type === "document");
    expect(pages.map((request) => new URL(request.url).pathname)).toEqual([
      "/app",
      "/auth/session-token",
      "/app",
    ]);
    expect(new URL(pages[2]!.url).searchParams.has("id_token")).toBe(true);
    await admin.page.getByRole("heading", { name: "Unprocessed orders" }).waitFor();
  });
});
