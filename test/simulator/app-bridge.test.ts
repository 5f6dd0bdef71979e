import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifySessionToken } from "../../simulator/http/oauth.server";
import { launchBrowser } from "../support/browser";
import { TEST_API_KEY } from "../support/env";
import { startSimulator, type RunningSimulator } from "../support/simulator";

/**
 * The simulator's App Bridge stand-in in a real browser, on a plain page that uses App
 * Bridge's elements the way App Bridge React 4 renders them (`<ui-nav-menu>` with links,
 * `<ui-title-bar title>` and `<ui-save-bar id>` with buttons), without the app around it.
 */

const SHOP = "bridge-test.myshopify.com";
let simulator: RunningSimulator;
let pageServer: Server;
let pageOrigin: string;
let browser: Browser;
/** The Authorization headers the page's own fetches brought to its server. */
const authorizations: (string | undefined)[] = [];

function html(simulatorUrl: string): string {
  return `<!doctype html><html><head><title>stand-in</title></head><body>
<script src="${simulatorUrl}/_sim/app-bridge.js" data-api-key="${TEST_API_KEY}"></script>
<script>
  window.seen = [];
  addEventListener("shopify:navigate", (event) => seen.push("navigate " + event.target.getAttribute("href")));
</script>
<ui-nav-menu>
  <a href="/app" rel="home">Home</a>
  <a href="/app/settings">Settings</a>
</ui-nav-menu>
<ui-title-bar title="Orders">
  <button variant="breadcrumb">Home</button>
  <button variant="primary" onclick="seen.push('title primary')">Sync now</button>
  <button onclick="seen.push('title secondary')">Export</button>
</ui-title-bar>
<ui-save-bar id="bar">
  <button variant="primary" id="save" onclick="seen.push('save')">Save</button>
  <button id="discard" onclick="seen.push('discard')">Discard</button>
</ui-save-bar>
<main>The app's page</main>
</body></html>`;
}

async function open(path = "/app/settings"): Promise<Page> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(`${pageOrigin}${path}?shop=${SHOP}&embedded=1`);
  await page.waitForFunction(() => "shopify" in window);
  expect(errors).toEqual([]);
  return page;
}

beforeAll(async () => {
  browser = await launchBrowser();
  simulator = await startSimulator(null);
  pageServer = createServer((request: IncomingMessage, response) => {
    if (request.url?.startsWith("/api")) {
      authorizations.push(request.headers.authorization);
      response.writeHead(200, { "content-type": "application/json" }).end("{}");
      return;
    }
    response.writeHead(200, { "content-type": "text/html" }).end(html(simulator.url));
  });
  await new Promise<void>((resolve) => pageServer.listen(0, "127.0.0.1", resolve));
  pageOrigin = `http://127.0.0.1:${(pageServer.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (pageServer) await new Promise((resolve) => pageServer.close(resolve));
  await simulator?.close();
});

describe("the App Bridge stand-in", () => {
  it("signs session tokens for the shop and adds them to the page's own requests only", async () => {
    const page = await open();
    const token = await page.evaluate(() =>
      (window as unknown as { shopify: { idToken(): Promise<string> } }).shopify.idToken(),
    );
    expect(verifySessionToken(simulator.sim, token)).toMatchObject({
      dest: `https://${SHOP}`,
      aud: TEST_API_KEY,
    });

    authorizations.length = 0;
    await page.evaluate(() => fetch("/api/ping").then((response) => response.json()));
    expect(authorizations).toEqual([`Bearer ${token}`]);
    await page.close();
  });

  it("draws the nav menu as links that ask the app to navigate, marking the current page", async () => {
    const page = await open("/app/settings");
    const links = page.locator("ui-nav-menu a[data-sim-chrome]");
    expect(await links.allInnerTexts()).toEqual(["Home", "Settings"]);
    expect(await links.nth(1).getAttribute("aria-current")).toBe("page");
    expect(await links.nth(0).getAttribute("aria-current")).toBeNull();

    await links.nth(0).click();

    // App Bridge's event, on the app's own <a>: the app's AppProvider navigates with Remix.
    expect(await page.evaluate(() => (window as unknown as { seen: string[] }).seen)).toEqual([
      "navigate /app",
    ]);
    expect(new URL(page.url()).pathname).toBe("/app/settings");
    await page.evaluate(() => history.pushState(null, "", "/app"));
    expect(await links.nth(0).getAttribute("aria-current")).toBe("page");
    await page.close();
  });

  it("draws the title bar with its title and buttons, the primary one last", async () => {
    const page = await open();
    const header = page.locator("ui-title-bar header");
    await expect.poll(() => header.locator("h1").innerText()).toBe("Orders");
    const buttons = header.locator(".actions button[data-sim-chrome]");
    expect(await buttons.allInnerTexts()).toEqual(["Export", "Sync now"]);

    await buttons.nth(1).click();
    await page.evaluate(() => document.querySelector("ui-title-bar")!.setAttribute("title", "Order 1001"));

    expect(await page.evaluate(() => (window as unknown as { seen: string[] }).seen)).toEqual([
      "title primary",
    ]);
    expect(await header.locator("h1").innerText()).toBe("Order 1001");
    await page.close();
  });

  it("shows the save bar while the app says so, with Discard and Save that reach the app's buttons", async () => {
    const page = await open();
    const bar = page.locator("ui-save-bar [role=region]");
    expect(await bar.count()).toBe(0);
    await page.evaluate(() => {
      const element = document.getElementById("bar")!;
      element.addEventListener("show", () => (window as unknown as { seen: string[] }).seen.push("shown"));
      element.addEventListener("hide", () => (window as unknown as { seen: string[] }).seen.push("hidden"));
    });

    await page.evaluate(() =>
      (document.getElementById("bar") as HTMLElement & { show(): Promise<void> }).show(),
    );

    await bar.waitFor();
    expect(await bar.innerText()).toContain("Unsaved changes");
    const buttons = bar.locator("button[data-sim-chrome]");
    expect(await buttons.allInnerTexts()).toEqual(["Discard", "Save"]);
    expect(
      await page.evaluate(() => (document.getElementById("bar") as unknown as { showing: boolean }).showing),
    ).toBe(true);
    await buttons.nth(1).click();
    await buttons.nth(0).click();

    // The app marks Save busy while it saves: the bar's copy follows.
    await page.evaluate(() => {
      document.getElementById("save")!.setAttribute("loading", "");
      (document.getElementById("discard") as HTMLButtonElement).disabled = true;
    });
    await expect.poll(() => buttons.nth(1).getAttribute("aria-busy")).toBe("true");
    expect(await buttons.nth(1).isDisabled()).toBe(true);
    expect(await buttons.nth(0).isDisabled()).toBe(true);

    await page.evaluate(() =>
      (
        window as unknown as { shopify: { saveBar: { hide(id: string): Promise<void> } } }
      ).shopify.saveBar.hide("bar"),
    );

    await bar.waitFor({ state: "detached" });
    expect(await page.evaluate(() => (window as unknown as { seen: string[] }).seen)).toEqual([
      "shown",
      "save",
      "discard",
      "hidden",
    ]);
    await page.close();
  });

  it("shows toasts", async () => {
    const page = await open();
    await page.evaluate(() =>
      (window as unknown as { shopify: { toast: { show(message: string): void } } }).shopify.toast.show(
        "Saved",
      ),
    );
    expect(await page.locator("#sim-toasts [role=status]").innerText()).toBe("Saved");
    await page.close();
  });
});
