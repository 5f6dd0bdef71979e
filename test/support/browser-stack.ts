import type { Browser } from "playwright-core";
import type { Runner } from "graphile-worker";
import prisma from "../../app/db.server";
import { startWorker } from "../../app/jobs/worker.server";
import { shopStatus, type ShopStatus } from "../../app/status/status.server";
import { startAppServer, type AppServer } from "../../scripts/lib/app-server";
import { EmbeddedAdmin, launchBrowser } from "./browser";
import { startSimulator, type RunningSimulator } from "./simulator";
import { Store } from "./store";

/**
 * Everything a browser test of the embedded admin runs against, started once per test file:
 * the store simulator with the shop, the app over HTTP (Vite serving the client modules, so
 * the pages hydrate), a graphile-worker runner on the test database (queued runs finish),
 * Chromium, and a tab that has installed the app on the shop the real way: Shopify admin
 * opens the embedded URL with a session token and the app exchanges it for an offline token.
 */

export interface AdminStack {
  simulator: RunningSimulator;
  app: AppServer;
  worker: Runner;
  browser: Browser;
  /** The tab showing the embedded app (installed on the shop). */
  admin: EmbeddedAdmin;
  /** The shop's domain. */
  domain: string;
  /** The shop's id in the app's database. */
  shopId: string;
  /** The simulated shop through the Admin API, as a merchant's other tools would use it. */
  store: Store;
  close: () => Promise<void>;
}

export interface AdminStackOptions {
  /** The shop's name (without .myshopify.com). */
  shop?: string;
  /**
   * The worker's crontab. By default none: the minute tick that fires the shops' schedules
   * stays off, so only what the test starts runs. Pass `CRONTAB` from worker.server for it.
   */
  crontab?: string;
  /** The shop's time zone in Shopify (the simulator's default is America/New_York), read at install. */
  timeZone?: string;
}

export async function startAdminStack(options: AdminStackOptions = {}): Promise<AdminStack> {
  const domain = `${options.shop ?? "browser-test"}.myshopify.com`;
  const started: { close: () => Promise<unknown> }[] = [];
  const close = async () => {
    for (const item of started.reverse()) await item.close().catch(() => undefined);
  };
  try {
    // Chromium first: when it is missing the test fails at once, with the reason.
    const browser = await launchBrowser();
    started.push({ close: () => browser.close() });

    const simulator = await startSimulator(null);
    started.push(simulator);
    process.env.SHOPIFY_ADMIN_ORIGIN = simulator.url;
    process.env.APP_BRIDGE_URL = `${simulator.url}/_sim/app-bridge.js`;

    const appStarted = Date.now();
    const app = await startAppServer(0, { browser: true });
    if (process.env.BROWSER_TEST_DEBUG)
      process.stderr.write(`[stack] app server up in ${Date.now() - appStarted} ms\n`);
    started.push(app);
    process.env.SHOPIFY_APP_URL = app.url;
    simulator.sim.options.appUrl = app.url;
    // The routes compile now, with the app's URL known, and not on the first page.
    await app.warmUp();

    const worker = await startWorker({
      connectionString: process.env.DATABASE_URL!,
      noHandleSignals: true,
      concurrency: 2,
      pollInterval: 200,
      crontab: options.crontab ?? "",
    });
    started.push({ close: () => worker.stop() });

    const simulated = simulator.sim.shop(domain);
    if (options.timeZone) simulated.ianaTimezone = options.timeZone;
    const store = new Store(simulator, domain);

    const admin = await EmbeddedAdmin.create(browser, {
      appUrl: app.url,
      simulatorUrl: simulator.url,
      shop: domain,
    });
    started.push(admin);
    // The install: the first opening of the app from admin exchanges the session token.
    const openStarted = Date.now();
    await admin.open("/app");
    if (process.env.BROWSER_TEST_DEBUG)
      process.stderr.write(`[stack] installed and hydrated in ${Date.now() - openStarted} ms\n`);
    const shop = await prisma.shop.findUniqueOrThrow({ where: { domain } });

    return { simulator, app, worker, browser, admin, domain, shopId: shop.id, store, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Polls until the probe returns something truthy (or throws when the time is up). */
export async function waitUntil<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Waits until everything started for the shop has finished: the simulator has delivered its
 * webhooks (each rings the app's doorbell, which queues a run), then the shop has no run
 * queued or running and the worker holds no job. Returns the shop's runs, oldest first.
 */
export async function settled(
  stack: Pick<AdminStack, "simulator" | "domain" | "shopId">,
  timeoutMs = 20_000,
) {
  const { simulator, domain, shopId } = stack;
  const deadline = Date.now() + timeoutMs;
  await waitUntil(
    "the simulator to deliver the shop's webhooks",
    () =>
      Promise.resolve(
        simulator.sim.webhooks.log.every(
          (delivery) =>
            delivery.shop !== domain || delivery.state === "delivered" || delivery.state === "failed",
        ),
      ),
    timeoutMs,
  );
  return waitUntil(
    "the worker to finish the shop's runs",
    async () => {
      const open = await prisma.syncRun.count({ where: { shopId, status: { in: ["queued", "running"] } } });
      // Jobs being worked or due; a job that failed for good, or waits for a later time, is not.
      const [jobs] = await prisma.$queryRaw<{ count: bigint }[]>`
        select count(*) from graphile_worker.jobs
         where locked_at is not null or (attempts < max_attempts and run_at <= now())`;
      if (open > 0 || Number(jobs?.count ?? 0) > 0) return null;
      return prisma.syncRun.findMany({ where: { shopId }, orderBy: { queuedAt: "asc" } });
    },
    Math.max(deadline - Date.now(), 1000),
  );
}

/** Waits until a run of the task queued after `since` has finished (succeeded or failed). */
export async function finishedRun(
  shopId: string,
  task: string,
  since: Date,
  trigger?: string,
  timeoutMs = 20_000,
) {
  return waitUntil(
    `a ${task} run to finish`,
    () =>
      prisma.syncRun.findFirst({
        where: {
          shopId,
          task,
          ...(trigger ? { trigger } : {}),
          queuedAt: { gte: since },
          status: { in: ["succeeded", "failed"] },
        },
        orderBy: { queuedAt: "desc" },
      }),
    timeoutMs,
  );
}

/** The counts behind the home page's tiles, from the database. */
export function shopStatusOf(shopId: string): Promise<ShopStatus> {
  return shopStatus(prisma, shopId);
}
