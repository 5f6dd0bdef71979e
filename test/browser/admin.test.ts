import { randomUUID } from "node:crypto";
import type { Request, Route } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  createCustomer,
  createItem,
  ensureLocation,
  postOpeningStock,
} from "../../app/backoffice/backoffice.server";
import { describeCounts } from "../../app/components/runs";
import { LIST_PAGE_SIZE } from "../../app/admin/paging";
import prisma from "../../app/db.server";
import { insertStagedOrder } from "../kit/staged";
import {
  finishedRun,
  settled,
  shopStatusOf,
  waitUntil,
  startAdminStack,
  type AdminStack,
} from "../support/browser-stack";

/**
 * The embedded admin in a real browser (Playwright driving Debian's Chromium), opened as
 * Shopify admin opens it: the app's URL with a session token, App Bridge from the simulator.
 * One stack for the file (simulator, app, worker, browser, the installed shop); the steps run
 * in order and build on each other, as a merchant's session would. Each step leaves a
 * screenshot in test-output/screenshots/ (`npm run screenshots` copies them to docs/).
 */

let stack: AdminStack;

beforeAll(async () => {
  // A shop whose clock is not UTC's: the app reads its zone from Shopify at install.
  stack = await startAdminStack({ shop: "browser-admin", timeZone: "America/Toronto" });
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
    const status = await shopStatusOf(shopId);
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

  it("has an icon: the page names it, and the old /favicon.ico address leads to it (no 404)", async () => {
    const { admin } = stack;
    await admin.open("/app");
    const href = await admin.page.locator('link[rel="icon"]').getAttribute("href");
    expect(href).toBe("/favicon.svg");
    const icon = await fetch(new URL(href!, stack.app.url));
    expect(icon.status).toBe(200);
    expect(icon.headers.get("content-type")).toContain("image/svg+xml");
    const old = await fetch(new URL("/favicon.ico", stack.app.url), { redirect: "manual" });
    expect([old.status, old.headers.get("location")]).toEqual([301, "/favicon.svg"]);
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
  it("keeps the orders task's fully paid filter and hourly schedule across a reload", async () => {
    const { admin, shopId } = stack;
    await admin.navigate("Tasks and schedules", "/app/tasks");
    await admin.page.getByRole("link", { name: "Sync orders", exact: true }).click();
    await admin.page.waitForURL(/\/app\/tasks\/sync_orders/);
    await admin.idle();
    // The shop starts with the order sync every 15 minutes; the merchant wants it hourly.
    expect(await admin.page.getByLabel("How often").inputValue()).toBe("every15");

    await admin.page.getByLabel("Run on a schedule").check({ force: true });
    await admin.page.getByLabel("How often").selectOption("every60");
    await admin.page.getByRole("button", { name: "Save schedule" }).click();
    await admin.toast("Schedule saved").waitFor();

    await admin.page.getByRole("link", { name: "Edit filters" }).click();
    await admin.page.waitForURL(/\/app\/tasks\/sync_orders\/filters/);
    await admin.page.getByLabel("Payment status").selectOption({ label: "Fully paid" });
    await admin.page.getByRole("button", { name: "Save filters" }).click();
    await admin.toast("Filters saved").waitFor();

    await admin.reload();
    expect(await admin.page.getByLabel("Payment status").inputValue()).toBe("paid");
    await admin.screenshot("task-filters");

    await admin.open("/app/tasks/sync_orders");
    expect(await admin.page.getByLabel("Run on a schedule").isChecked()).toBe(true);
    expect(await admin.page.getByLabel("How often").inputValue()).toBe("every60");
    expect(await admin.page.getByTestId("filters-summary").innerText()).toBe("Payment status: Fully paid");
    await admin.screenshot("task");

    const stored = await prisma.schedule.findUniqueOrThrow({
      where: { shopId_task: { shopId, task: "sync_orders" } },
    });
    expect(stored).toMatchObject({
      cron: "0 * * * *",
      enabled: true,
      filters: { financialStatus: "paid" },
    });

    await admin.navigate("Tasks and schedules", "/app/tasks");
    const row = admin.page.getByRole("row").filter({ hasText: "Sync orders" }).first();
    expect(await row.innerText()).toContain("Every hour");
    await admin.screenshot("tasks");
  });

  it("with background syncs on, Run now queues the sync and the job list shows it finish", async () => {
    const { admin, shopId } = stack;
    await settled(stack);
    const since = new Date();

    await admin.open("/app/tasks/sync_orders");
    await admin.page.getByRole("button", { name: "Run now" }).click();
    await admin.toast("Sync orders: queued").waitFor();

    await admin.navigate("Job list", "/app/runs");
    const manual = admin.page
      .getByRole("row")
      .filter({ hasText: "Sync orders" })
      .filter({ hasText: "By hand" })
      .first();
    await manual.waitFor();
    expect(await manual.innerText()).toContain("Payment status: Fully paid");
    // The run finishes in the worker (given time: the rest of the suite loads the machine), and
    // the list, which refreshes itself while the run waits and runs, shows it without a reload.
    const run = await finishedRun(shopId, "sync_orders", since, "manual", 60_000);
    await manual.filter({ hasText: "succeeded" }).waitFor({ timeout: 15_000 });
    expect(run).toMatchObject({
      trigger: "manual",
      status: "succeeded",
      filters: { financialStatus: "paid" },
    });
    await admin.screenshot("runs");
  });

  it("in a shop in Toronto, saves a daily 06:00 schedule as 06:00 there and names the zone; runs read in words", async () => {
    const { admin, shopId } = stack;
    expect((await prisma.shop.findUniqueOrThrow({ where: { id: shopId } })).ianaTimezone).toBe(
      "America/Toronto",
    );
    await admin.open("/app/tasks/post_sales_invoices");
    await admin.page.getByText("Times in America/Toronto").waitFor();
    await admin.page.getByLabel("Run on a schedule").check({ force: true });
    await admin.page.getByLabel("How often").selectOption("daily");
    await admin.page.getByLabel("Time of day (shop time)").fill("06:00");
    await admin.page.getByRole("button", { name: "Save schedule" }).click();
    await admin.toast("Schedule saved").waitFor();

    const saved = await prisma.schedule.findUniqueOrThrow({
      where: { shopId_task: { shopId, task: "post_sales_invoices" } },
    });
    expect(saved).toMatchObject({ cron: "0 6 * * *", timeZone: "America/Toronto", enabled: true });
    const torontoClock = new Intl.DateTimeFormat("en-GB", {
      timeZone: "America/Toronto",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    expect(torontoClock.format(saved.nextRunAt!)).toBe("06:00");

    await admin.navigate("Tasks and schedules", "/app/tasks");
    // Read once the table is there (counts and texts do not wait for it).
    const invoices = admin.page.getByRole("row").filter({ hasText: "Batch post sales invoices" }).first();
    await invoices.getByRole("cell").first().waitFor();
    expect(await admin.page.getByText("Times in America/Toronto").count()).toBe(1);
    const cells = (await invoices.getByRole("cell").allInnerTexts()).map((cell) => cell.trim());
    expect(cells).toContain("Daily at 06:00");
    expect(
      cells.some((cell) => / 06:00:00$/.test(cell)),
      cells.join(" | "),
    ).toBe(true); // its next run
    expect(cells).toContain("Orders");
    await admin.screenshot("tasks-toronto");

    // The job list: the person's run of the order sync (the step above) in words.
    await admin.navigate("Job list", "/app/runs");
    const manual = admin.page
      .getByRole("row")
      .filter({ hasText: "Sync orders" })
      .filter({ hasText: "By hand" })
      .first();
    await manual.waitFor();
    expect(await manual.innerText()).toContain("Filters: Payment status: Fully paid · Job category: Orders");
    const webhook = admin.page.getByRole("row").filter({ hasText: "Shopify webhook" }).first();
    expect(await webhook.innerText()).toContain("Sync orders");
    const page = await admin.page.locator("body").innerText();
    for (const code of ["sync_orders", "financialStatus", "UTC"]) expect(page, code).not.toContain(code);
    expect(page).toContain("Times in America/Toronto");
  });

  it("with background syncs off, Run now runs on the page, shows its progress and then the result", async () => {
    const { admin, shopId } = stack;
    await admin.navigate("Settings", "/app/settings");
    await admin.page.getByLabel("Allow background syncs").uncheck({ force: true });
    await admin.saveBar().waitFor();
    await admin.screenshot("settings");
    await admin.save();
    await admin.toast("Settings saved").waitFor();
    expect((await prisma.shopSettings.findUniqueOrThrow({ where: { shopId } })).allowBackgroundSyncs).toBe(
      false,
    );

    await admin.open("/app/tasks/sync_orders");
    await admin.page.getByText("Background syncs are off").waitFor();
    // The person's runs: the shop's order schedule may fire in between, in the background.
    const manual = { shopId, trigger: "manual" };
    const before = await prisma.syncRun.count({ where: manual });

    // A slow connection, on purpose: Shopify takes 1.2 s an answer, so the run lasts, and each
    // of the page's progress polls takes 0.7 s, longer than its interval (0.5 s). The page must
    // neither cut a poll short (an aborted request, which Remix logged as a console error,
    // "AbortError: signal is aborted without reason", when it came as the answer was read)
    // nor go without showing progress.
    const aborted: string[] = [];
    const onFailed = (request: Request) => {
      if (new URL(request.url()).origin === new URL(stack.app.url).origin) aborted.push(request.url());
    };
    admin.page.on("requestfailed", onFailed);
    const isPoll = (url: URL) =>
      url.pathname.startsWith("/app/runs") && url.searchParams.get("status") === "running";
    const slowPoll = async (route: Route) => {
      await new Promise((resolve) => setTimeout(resolve, 700));
      await route.continue().catch(() => undefined); // the page may have cancelled it meanwhile
    };
    await admin.page.route(isPoll, slowPoll);
    stack.simulator.sim.faults = { ...stack.simulator.sim.faults, delayShare: 1, delayMs: 1200 };
    try {
      await admin.page.getByRole("button", { name: "Run now" }).click();
      // While it runs, the page shows the run's progress from the run record.
      await admin.page.locator("progress").first().waitFor({ timeout: 20_000 });

      const result = admin.page.getByTestId("foreground-result");
      await result.waitFor({ timeout: 30_000 });
    } finally {
      stack.simulator.sim.faults = { ...stack.simulator.sim.faults, delayShare: 0, delayMs: 0 };
      await admin.page.unroute(isPoll, slowPoll);
      admin.page.off("requestfailed", onFailed);
    }
    expect(aborted).toEqual([]);
    const result = admin.page.getByTestId("foreground-result");
    await admin.page.getByText("Sync orders succeeded").waitFor();
    await admin.screenshot("task-foreground");
    const runs = await prisma.syncRun.findMany({ where: manual, orderBy: { queuedAt: "desc" } });
    expect(runs).toHaveLength(before + 1);
    expect(runs[0]).toMatchObject({
      task: "sync_orders",
      trigger: "manual",
      status: "succeeded",
      jobId: null,
    });
    // The page shows what the run did, as the run record has it.
    expect(await result.innerText()).toContain(describeCounts(runs[0]!.counts as Record<string, number>));
  }, 90_000);

  it("lists the items with the prices the export sends; Add to Shopify on a chosen one sends it", async () => {
    const { admin, shopId } = stack;
    await createItem(prisma, shopId, { no: "CUP-1", description: "Enamel cup", unitPrice: "8" });
    await admin.navigate("Items", "/app/items");
    // The mug is sold in Shopify already (its orders were imported above): no second product.
    const mug = admin.page.getByRole("row").filter({ hasText: "MUG-1" });
    expect(await mug.innerText()).toContain("12.00");
    expect(await mug.innerText()).toContain("sold in Shopify already: its product and prices are Shopify's");
    expect(await mug.innerText()).toContain("sold as Enamel Mug - S0");
    const row = admin.page.getByRole("row").filter({ hasText: "CUP-1" });
    expect(await row.innerText()).toContain("8.00");
    expect(await row.innerText()).toContain("not added to Shopify");

    await prisma.shopSettings.update({ where: { shopId }, data: { syncItems: "to_shopify" } });
    await admin.reload();
    await row.getByText("Enamel cup", { exact: true }).click();
    await admin.page.getByRole("button", { name: "Add to Shopify" }).click();
    // Background syncs are off (the step above): the export runs on the page.
    await admin.page.getByText("Item CUP-1 is waiting to be sent to Shopify.", { exact: false }).waitFor();
    await row.getByText("synced", { exact: true }).waitFor();
    expect(await row.getByRole("link", { name: "Open in Shopify admin" }).count()).toBe(1);
    await admin.screenshot("items");
  });

  it("feeds a Shopify location from the back office on the Locations page; the Inventory page shows the stock sent", async () => {
    const { admin, shopId } = stack;
    await ensureLocation(prisma, shopId, { code: "MAIN", name: "Main warehouse" });
    await postOpeningStock(
      prisma,
      shopId,
      [{ itemNo: "MUG-1", locationCode: "MAIN", quantity: 9 }],
      "OPEN-B",
    );
    await admin.navigate("Locations", "/app/locations");
    await admin.page.getByRole("button", { name: "Read locations from Shopify" }).click();
    await admin.page.getByText("Locations read from Shopify", { exact: false }).waitFor();
    const primary = admin.page.locator("form").filter({ hasText: "Primary" });
    await primary.getByLabel("Stock calculation").selectOption("back_office");
    await primary.getByRole("checkbox", { name: "MAIN · Main warehouse" }).check();
    await primary.getByRole("button", { name: "Save" }).click();
    await admin.page
      .getByText("Sync inventory sets its stock from the back office now.", { exact: false })
      .waitFor();
    await admin.screenshot("locations");

    // The save queued Sync inventory; the worker sends the mug's 9 units.
    await waitUntil("the mug's stock to reach Shopify", () =>
      prisma.inventoryLevel.findFirst({ where: { shopId, itemNo: "MUG-1", state: "synced" } }),
    );
    await admin.navigate("Inventory", "/app/inventory");
    const row = admin.page.getByRole("row").filter({ hasText: "MUG-1" });
    await row.getByText("In sync", { exact: false }).waitFor();
    expect(await row.innerText()).toContain("9");
    await admin.screenshot("inventory");
  });

  it("adds a back-office customer to Shopify from the Customers page; the Companies page lists an unmapped company", async () => {
    const { admin, shopId, simulator, domain } = stack;
    await createCustomer(prisma, shopId, {
      no: "C-WEB",
      name: "Grace Hopper",
      email: "grace.web@example.com",
      city: "Arlington",
      countryCode: "US",
    });
    await admin.navigate("Customers", "/app/customers");
    const row = admin.page.getByRole("row").filter({ hasText: "C-WEB" });
    await row.getByText("not added to Shopify").waitFor();
    await row.getByRole("button", { name: "Add to Shopify" }).click();
    // Sync customers runs (on the page or in the worker, per the shop card); the list then shows it synced.
    await waitUntil("the customer to be sent", () =>
      prisma.syncRecord.findFirst({
        where: { shopId, task: "sync_customers", recordKey: "C-WEB", state: "synced" },
      }),
    );
    await admin.open("/app/customers");
    await admin.page
      .getByRole("row")
      .filter({ hasText: "C-WEB" })
      .getByText("synced", { exact: true })
      .waitFor();
    const made = [...simulator.sim.shop(domain).customers.values()].filter(
      (c) => c.email === "grace.web@example.com",
    );
    expect(made).toHaveLength(1);
    expect(made[0]).toMatchObject({ firstName: "Grace", lastName: "Hopper" });
    await admin.screenshot("customers");

    await prisma.shopifyCompany.create({
      data: {
        id: randomUUID(),
        shopId,
        shopifyId: 880001n,
        name: "Borealis Trading",
        syncState: "unmapped",
        message: "not read from Shopify yet",
      },
    });
    await admin.navigate("Companies", "/app/companies");
    const company = admin.page.getByRole("row").filter({ hasText: "Borealis Trading" });
    await company.first().getByText("not read from Shopify yet").first().waitFor();
    await admin.screenshot("companies");
  });

  it("a list longer than a page pages with Previous and Next, keeping the full count", async () => {
    const { admin, shopId } = stack;
    const shop = await prisma.shop.findUniqueOrThrow({ where: { id: shopId } });
    const waiting = (await shopStatusOf(shopId)).unprocessedOrders;
    // Orders as the import stages them, waiting on a product nobody has mapped.
    for (let i = 0; i < LIST_PAGE_SIZE + 5; i++)
      await insertStagedOrder(shop, {
        name: `#W${String(i + 1).padStart(3, "0")}`,
        lines: [{ sku: "NOPE", title: "Thing" }],
      });
    const total = waiting + LIST_PAGE_SIZE + 5;

    await admin.open("/app/orders");
    await admin.page.getByText(`Showing 1–${LIST_PAGE_SIZE} of ${total}, oldest first.`).waitFor();
    await admin.page.getByRole("button", { name: "Next" }).click();

    await admin.page.getByText(`Showing ${LIST_PAGE_SIZE + 1}–${total} of ${total}, oldest first.`).waitFor();
    expect(admin.path()).toBe("/app/orders?page=2");
    await admin.page.getByText(`#W${String(LIST_PAGE_SIZE + 5).padStart(3, "0")}`).waitFor();
    expect(await admin.page.getByText(`${total} orders`).count()).toBeGreaterThan(0);
    await admin.screenshot("orders-page-2");
    await admin.page.getByRole("button", { name: "Previous" }).click();
    await admin.page.getByText(`Showing 1–${LIST_PAGE_SIZE} of ${total}, oldest first.`).waitFor();
  });
});
