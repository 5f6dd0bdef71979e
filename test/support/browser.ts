import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from "playwright-core";

/**
 * Real-browser tests of the embedded admin: Playwright (playwright-core, which never downloads
 * a browser) driving Debian's Chromium, headless, with the network-quiet flags this machine
 * needs. The app is opened as Shopify admin opens it in its iframe: the app's URL with
 * `embedded=1`, `shop`, `host` and a fresh session token (`id_token`); App Bridge comes from
 * the simulator's stand-in (APP_BRIDGE_URL), which signs further session tokens and adds
 * them to the page's own fetches.
 */

const ROOT = path.resolve(import.meta.dirname, "../..");

/** Debian's Chromium (`apt-get install chromium`); CHROMIUM_PATH overrides it. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
/** What browser tests leave behind (gitignored); screenshots go to its `screenshots/`. */
export const TEST_OUTPUT_DIR = path.join(ROOT, "test-output");
export const SCREENSHOT_DIR = path.join(TEST_OUTPUT_DIR, "screenshots");

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

/**
 * Starts headless Chromium. Playwright gives each launch a fresh, temporary user-data dir (and
 * removes it on close). A missing Chromium fails loudly: browser tests are never skipped.
 */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `The browser tests need Debian's Chromium at ${CHROMIUM_PATH} and it is not there: ` +
        "install it with `apt-get install chromium` (.ci/run does), or point CHROMIUM_PATH at one. " +
        "Never a downloaded browser (no `npx playwright install`).",
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

/** Writes a full-page PNG of the page to test-output/screenshots/<name>.png; returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name.replace(/[^a-z0-9_-]+/gi, "-")}.png`);
  // Let toasts' and Polaris' transitions settle so the picture shows the page at rest.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 150))));
  await page.screenshot({ path: file, fullPage: true, animations: "disabled" });
  return file;
}

/** The session token Shopify admin would hand the app for the shop, from the simulator. */
export async function sessionTokenFor(simulatorUrl: string, shop: string): Promise<string> {
  const response = await fetch(`${simulatorUrl}/_sim/session-token?shop=${encodeURIComponent(shop)}`);
  if (!response.ok) throw new Error(`the simulator gave no session token: ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}

/** `host` as Shopify admin passes it: base64url of `<shop>/admin`. */
export function hostParam(shop: string): string {
  return Buffer.from(`${shop}/admin`).toString("base64url");
}

/** The query parameters Shopify admin adds to the app's URL in its iframe. */
const ADMIN_PARAMS = ["embedded", "shop", "host", "id_token", "locale", "hmac", "session", "timestamp"];

type RemixWindow = Window & {
  __remixRouter?: {
    state: {
      initialized: boolean;
      navigation: { state: string };
      revalidation: string;
      fetchers: Map<string, { state: string }>;
    };
  };
  shopify?: unknown;
};

/** In the page: App Bridge is there, Remix's router has loaded, React has hydrated the DOM. */
function HYDRATED(): boolean {
  const w = window as RemixWindow;
  const reactRoot = Object.keys(document).some((key) => key.startsWith("__reactContainer$"));
  const reactNodes = Object.keys(document.body).some((key) => key.startsWith("__reactFiber$"));
  return (
    Boolean(w.shopify) &&
    w.__remixRouter?.state.initialized === true &&
    w.__remixRouter.state.navigation.state === "idle" &&
    reactRoot &&
    reactNodes
  );
}

/** In the page: what of HYDRATED holds, to tell why a page did not hydrate. */
function PAGE_STATE(): string {
  const w = window as RemixWindow;
  return JSON.stringify({
    readyState: document.readyState,
    appBridge: Boolean(w.shopify),
    remixRouter: Boolean(w.__remixRouter),
    routerInitialized: w.__remixRouter?.state.initialized ?? null,
    reactRoot: Object.keys(document).some((key) => key.startsWith("__reactContainer$")),
    reactNodes: Object.keys(document.body).some((key) => key.startsWith("__reactFiber$")),
    title: document.title,
    text: document.body.innerText.slice(0, 300),
  });
}

/** In the page: no Remix navigation, submission, revalidation or fetcher is in flight. */
function IDLE(): boolean {
  const router = (window as RemixWindow).__remixRouter;
  if (!router) return false;
  const { navigation, revalidation, fetchers } = router.state;
  return (
    navigation.state === "idle" &&
    revalidation === "idle" &&
    [...fetchers.values()].every((fetcher) => fetcher.state === "idle")
  );
}

export interface AppRequest {
  method: string;
  url: string;
  /** The request carried `Authorization: Bearer <token>` (App Bridge's authenticated fetch). */
  bearer: boolean;
  /** Playwright's resource type: "document" for a page load, "fetch" for Remix's data requests. */
  type: string;
}

export interface EmbeddedAdminOptions {
  appUrl: string;
  simulatorUrl: string;
  /** The shop's domain, `<name>.myshopify.com`. */
  shop: string;
  viewport?: { width: number; height: number };
}

/**
 * One browser tab showing the embedded app for a shop, as Shopify admin shows it. It records
 * what would fail the page for a merchant — uncaught errors, console errors, failed requests
 * and error answers from the app or the simulator — in `problems`; `expectNoProblems()` (in an
 * `afterEach`) fails the test on any.
 */
export class EmbeddedAdmin {
  readonly page: Page;
  readonly context: BrowserContext;
  readonly options: EmbeddedAdminOptions;
  readonly problems: string[] = [];
  /** Every request the page made to the app, in order. */
  readonly appRequests: AppRequest[] = [];
  private tolerated: RegExp[] = [];

  private constructor(context: BrowserContext, page: Page, options: EmbeddedAdminOptions) {
    this.context = context;
    this.page = page;
    this.options = options;
    const appOrigin = new URL(options.appUrl).origin;
    const ownOrigins = new Set([appOrigin, new URL(options.simulatorUrl).origin]);
    const own = (url: string) => ownOrigins.has(new URL(url).origin);

    if (process.env.BROWSER_TEST_DEBUG) {
      page.on("console", (message) => process.stderr.write(`[page ${message.type()}] ${message.text()}\n`));
      page.on("response", (response) =>
        process.stderr.write(
          `[page] ${response.status()} ${response.request().method()} ${response.url()}\n`,
        ),
      );
      page.on("requestfailed", (request) =>
        process.stderr.write(
          `[page] failed ${request.method()} ${request.url()}: ${request.failure()?.errorText}\n`,
        ),
      );
    }
    page.on("pageerror", (error) => {
      const hint =
        /does not provide an export named|is not defined|Failed to fetch dynamically imported module/.test(
          error.message,
        )
          ? "\n(a package the pages import in the browser may be missing from BROWSER_DEPENDENCIES in scripts/lib/app-server.ts)"
          : "";
      this.problem(
        `page error: ${error.name}: ${error.message}${hint}${error.stack ? `\n${error.stack}` : ""}`,
      );
    });
    page.on("console", (message) => {
      if (message.type() !== "error") return;
      // Failed loads are reported below with their address and status.
      if (message.text().startsWith("Failed to load resource")) return;
      const where = message.location().url;
      this.problem(`console error: ${message.text()}${where ? ` (${where})` : ""}`);
    });
    page.on("request", (request) => {
      if (new URL(request.url()).origin !== appOrigin) return;
      this.appRequests.push({
        method: request.method(),
        url: request.url(),
        bearer: /^Bearer \S+/.test(request.headers()["authorization"] ?? ""),
        type: request.resourceType(),
      });
    });
    page.on("requestfailed", (request) => {
      const failure = request.failure()?.errorText ?? "failed";
      // A navigation that supersedes another cancels its requests; that is no fault.
      if (!own(request.url()) || failure === "net::ERR_ABORTED") return;
      this.problem(`request failed: ${request.method()} ${request.url()}: ${failure}`);
    });
    page.on("response", (response) => {
      if (own(response.url()) && response.status() >= 400)
        this.problem(`HTTP ${response.status()}: ${response.request().method()} ${response.url()}`);
    });
  }

  /** A new tab (its own cookies and storage) in the browser for the shop's admin. */
  static async create(browser: Browser, options: EmbeddedAdminOptions): Promise<EmbeddedAdmin> {
    // Headless Chromium says "HeadlessChrome", which the Shopify library turns away as a bot
    // (410); a merchant's browser says Chrome.
    const userAgent = `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${browser.version()} Safari/537.36`;
    const context = await browser.newContext({
      userAgent,
      viewport: options.viewport ?? { width: 1280, height: 800 },
      locale: "en-US",
      timezoneId: "UTC",
    });
    context.setDefaultTimeout(15_000);
    // In admin the app is an iframe, and browsers ask no icon for an iframe; the app has none.
    await context.route("**/favicon.ico", (route) => route.fulfill({ status: 204 }));
    const page = await context.newPage();
    return new EmbeddedAdmin(context, page, options);
  }

  /** The URL Shopify admin loads in its iframe for `path` of the app, with a fresh token. */
  async adminUrl(path = "/app", options: { token?: boolean } = {}): Promise<string> {
    const url = new URL(path, this.options.appUrl);
    for (const name of ADMIN_PARAMS) url.searchParams.delete(name);
    url.searchParams.set("embedded", "1");
    url.searchParams.set("host", hostParam(this.options.shop));
    if (options.token !== false)
      url.searchParams.set("id_token", await sessionTokenFor(this.options.simulatorUrl, this.options.shop));
    url.searchParams.set("locale", "en");
    url.searchParams.set("shop", this.options.shop);
    return url.toString();
  }

  /**
   * Opens `path` of the app as Shopify admin does, and waits until React has hydrated it.
   * With `token: false` the URL carries no session token, as when admin's has expired: the
   * app answers with its bounce page, where App Bridge gets a token and reloads the page.
   */
  async open(path = "/app", options: { token?: boolean } = {}): Promise<void> {
    // The first page of a cold dev server compiles the client modules on request.
    const response = await this.page.goto(await this.adminUrl(path, options), {
      waitUntil: "load",
      timeout: 60_000,
    });
    if (!response?.ok()) throw new Error(`opening ${path} answered ${response?.status()}`);
    if (options.token === false) await this.page.waitForURL((url) => url.searchParams.has("id_token"));
    await this.hydrated();
  }

  /**
   * Reloads the current page as Shopify admin does when the merchant reloads: it loads the
   * app's current path again with its own parameters and a new session token (the app's own
   * client-side URLs carry none of them).
   */
  async reload(): Promise<void> {
    const current = new URL(this.page.url());
    for (const name of ADMIN_PARAMS) current.searchParams.delete(name);
    await this.open(current.pathname + current.search);
  }

  /** The app's path (and query, without admin's parameters) now shown. */
  path(): string {
    const current = new URL(this.page.url());
    for (const name of ADMIN_PARAMS) current.searchParams.delete(name);
    return current.pathname + current.search;
  }

  /**
   * Waits until the page runs as a client app: Remix's router exists and has finished its
   * initial load, React has hydrated the document, and App Bridge's `shopify` global is there.
   */
  async hydrated(): Promise<void> {
    try {
      await this.page.waitForFunction(HYDRATED, undefined, { timeout: 30_000 });
    } catch (error) {
      const state = await this.page.evaluate(PAGE_STATE).catch(() => "unknown");
      throw new Error(
        `the page at ${this.page.url()} did not hydrate (${(error as Error).message}); page state: ${state}; problems:\n${this.problems.join("\n")}`,
      );
    }
  }

  /** Resolves when no Remix navigation, submission or revalidation is in flight. */
  async idle(): Promise<void> {
    await this.page.waitForFunction(IDLE);
  }

  /** The link of the app's nav menu (`<NavMenu>`) as the stand-in shows it. */
  navLink(label: string | RegExp): Locator {
    return this.page.locator("ui-nav-menu a[data-sim-chrome]").filter({ hasText: label });
  }

  /**
   * Goes to a page through the nav menu, as a merchant clicks in admin's sidebar, and checks
   * that it was a client-side navigation (no document load: the page's JS state survives).
   */
  async navigate(label: string | RegExp, expectedPath?: string): Promise<void> {
    await this.page.evaluate(() => {
      (window as unknown as { __simSamePage?: boolean }).__simSamePage = true;
    });
    const link = this.navLink(label);
    const href = (await link.getAttribute("href")) ?? "";
    await link.click();
    const target = expectedPath ?? new URL(href, this.options.appUrl).pathname;
    await this.page.waitForURL((url) => url.pathname === target);
    await this.idle();
    const samePage = await this.page.evaluate(
      () => (window as unknown as { __simSamePage?: boolean }).__simSamePage === true,
    );
    if (!samePage) throw new Error(`going to ${label} reloaded the page: it should be a client navigation`);
  }

  /** The save bar (`<SaveBar>`) while it shows. */
  saveBar(): Locator {
    return this.page.locator("ui-save-bar [role=region][aria-label='Save bar']");
  }

  /** A button of the shown save bar: "Save", "Discard". */
  saveBarButton(label: string | RegExp): Locator {
    return this.saveBar().locator("button[data-sim-chrome]").filter({ hasText: label });
  }

  /** Clicks Save in the save bar and waits until the bar has gone and the page is idle. */
  async save(): Promise<void> {
    await this.saveBarButton("Save").click();
    await this.saveBar().waitFor({ state: "detached" });
    await this.idle();
  }

  /** Clicks Discard in the save bar and waits until the bar has gone. */
  async discard(): Promise<void> {
    await this.saveBarButton("Discard").click();
    await this.saveBar().waitFor({ state: "detached" });
  }

  /** The header `<TitleBar>` draws. */
  titleBar(): Locator {
    return this.page.locator("ui-title-bar header");
  }

  /** Toasts shown with `shopify.toast.show()`. */
  toast(text?: string | RegExp): Locator {
    const toasts = this.page.locator("#sim-toasts .sim-toast");
    return text === undefined ? toasts : toasts.filter({ hasText: text });
  }

  /** Writes a full-page screenshot to test-output/screenshots/<name>.png. */
  screenshot(name: string): Promise<string> {
    return screenshot(this.page, name);
  }

  /** Problems matching the pattern are expected for the rest of the current test. */
  tolerate(pattern: RegExp): void {
    this.tolerated.push(pattern);
  }

  /** Fails (throws) when the page had a problem since the last call; then starts afresh. */
  expectNoProblems(): void {
    const problems = this.problems.splice(0);
    this.tolerated = [];
    if (problems.length > 0)
      throw new Error(`the page had ${problems.length} problem(s):\n${problems.join("\n")}`);
  }

  async close(): Promise<void> {
    await this.context.close();
  }

  private problem(text: string): void {
    if (this.tolerated.some((pattern) => pattern.test(text))) return;
    this.problems.push(text);
  }
}
