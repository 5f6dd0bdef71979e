import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { signSessionToken } from "../../simulator/http/oauth.server";
import { startAppServer, type AppServer } from "../../scripts/lib/app-server";
import { startSimulator, type RunningSimulator } from "../support/simulator";
import { sign } from "../support/webhooks";

/**
 * The app's real install path against the simulated Shopify: Shopify admin opens the
 * embedded app with a session token, the app exchanges it for an offline access token
 * (token exchange), records the shop, and from then on receives signed webhooks.
 */

const BROWSER =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";
let simulator: RunningSimulator;
let app: AppServer;
const shop = "install-test.myshopify.com";

beforeAll(async () => {
  simulator = await startSimulator(null);
  process.env.SHOPIFY_ADMIN_ORIGIN = simulator.url;
  app = await startAppServer();
  process.env.SHOPIFY_APP_URL = app.url;
  simulator.sim.options.appUrl = app.url;
  // Compile the server now, so the first test measures the install, not Vite.
  await app.warmUp();
}, 120_000);

afterAll(async () => {
  await app?.close();
  await simulator?.close();
});

async function waitFor<T>(probe: () => Promise<T | null | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("when a merchant installs the app from Shopify admin", () => {
  it("exchanges the session token for an offline token and records the shop with its settings and time zone", async () => {
    // The store's time zone, as its merchant set it in Shopify admin (before the app was there).
    const zone = await fetch(`${simulator.url}/_sim/shops/${shop}/timezone`, {
      method: "POST",
      body: JSON.stringify({ ianaTimezone: "America/Toronto" }),
    });
    expect(zone.status).toBe(200);
    const idToken = signSessionToken(simulator.sim, shop);
    const host = Buffer.from(`${shop}/admin`).toString("base64url");

    // As a browser in Shopify admin: the library turns bots away (410).
    const response = await fetch(`${app.url}/app?embedded=1&shop=${shop}&host=${host}&id_token=${idToken}`, {
      headers: { "user-agent": BROWSER },
    });

    const page = await response.text();
    expect(response.status, page.slice(0, 2000)).toBe(200);
    expect(page).toContain("Back office sync");
    const session = await prisma.session.findUniqueOrThrow({ where: { id: `offline_${shop}` } });
    expect(session.accessToken).toMatch(/^shpat_/);
    expect(simulator.sim.tokenValidFor(session.accessToken, shop)).toBe(true);
    expect(session.scope).toContain("read_orders");
    const recorded = await prisma.shop.findUniqueOrThrow({
      where: { domain: shop },
      include: { settings: true },
    });
    expect(recorded.uninstalledAt).toBeNull();
    expect(recorded.settings?.allowBackgroundSyncs).toBe(true);
    // Read from Shopify's `shop { ianaTimezone }` at install.
    expect(recorded.ianaTimezone).toBe("America/Toronto");
  });

  it("follows the shop's time zone when the merchant changes it (shop/update), and its schedules saved in the old one", async () => {
    const recorded = await prisma.shop.findUniqueOrThrow({ where: { domain: shop } });
    const saved = await prisma.schedule.create({
      data: {
        id: crypto.randomUUID(),
        shopId: recorded.id,
        task: "sync_zone_probe",
        cron: "0 6 * * *",
        timeZone: "America/Toronto",
        nextRunAt: new Date(),
      },
    });
    const delivered = () =>
      simulator.sim.webhooks.log.filter((d) => d.topic === "shop/update" && d.state === "delivered").length;
    const before = delivered();

    const changed = await fetch(`${simulator.url}/_sim/shops/${shop}/timezone`, {
      method: "POST",
      body: JSON.stringify({ ianaTimezone: "Europe/Paris" }),
    });

    expect(await changed.json()).toEqual({ ianaTimezone: "Europe/Paris", changed: true });
    await waitFor(() => Promise.resolve(delivered() > before));
    expect((await prisma.shop.findUniqueOrThrow({ where: { domain: shop } })).ianaTimezone).toBe(
      "Europe/Paris",
    );
    const moved = await prisma.schedule.findUniqueOrThrow({ where: { id: saved.id } });
    expect(moved.timeZone).toBe("Europe/Paris");
    expect(
      new Intl.DateTimeFormat("en-GB", {
        timeZone: "Europe/Paris",
        hour: "2-digit",
        minute: "2-digit",
      }).format(moved.nextRunAt!),
    ).toBe("06:00");
    // The same zone again is no change: Shopify sends nothing.
    const same = await fetch(`${simulator.url}/_sim/shops/${shop}/timezone`, {
      method: "POST",
      body: JSON.stringify({ ianaTimezone: "Europe/Paris" }),
    });
    expect(await same.json()).toEqual({ ianaTimezone: "Europe/Paris", changed: false });
    const refused = await fetch(`${simulator.url}/_sim/shops/${shop}/timezone`, {
      method: "POST",
      body: JSON.stringify({ ianaTimezone: "Mars/Olympus" }),
    });
    expect(refused.status).toBe(400);
    await prisma.schedule.delete({ where: { id: saved.id } });
  });

  it("refuses a session token signed with another secret", async () => {
    const forged = signSessionToken(
      { ...simulator.sim, options: { ...simulator.sim.options, apiSecret: "wrong" } } as typeof simulator.sim,
      "forged-shop.myshopify.com",
    );
    const response = await fetch(
      `${app.url}/app?embedded=1&shop=forged-shop.myshopify.com&id_token=${forged}`,
    );
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(await prisma.shop.findUnique({ where: { domain: "forged-shop.myshopify.com" } })).toBeNull();
  });

  it("then receives the simulator's signed webhooks, and a forged one is refused", async () => {
    const payload = {
      id: 1,
      shop_id: "gid://shopify/Shop/1",
      previous: ["read_orders"],
      current: ["read_orders", "read_products"],
      updated_at: new Date().toISOString(),
    };
    simulator.sim.emit(simulator.sim.shop(shop), "app/scopes_update", payload);

    const delivery = await waitFor(() =>
      Promise.resolve(
        simulator.sim.webhooks.log.find((d) => d.topic === "app/scopes_update" && d.state === "delivered"),
      ),
    );
    expect(delivery.lastStatus).toBe(200);
    const recorded = await prisma.webhookDelivery.findUniqueOrThrow({
      where: { webhookId: delivery.webhookId },
    });
    expect(recorded.topic).toBe("app/scopes_update");
    expect((await prisma.shop.findUniqueOrThrow({ where: { domain: shop } })).scopes).toBe(
      "read_orders,read_products",
    );

    const body = JSON.stringify({ ...payload, current: ["write_everything"] });
    const forged = await fetch(`${app.url}/webhooks/app/scopes_update`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-shopify-topic": "app/scopes_update",
        "x-shopify-hmac-sha256": sign(body, "not-the-secret"),
        "x-shopify-shop-domain": shop,
        "x-shopify-api-version": "2026-07",
        "x-shopify-webhook-id": "forged-1",
      },
      body,
    });
    expect(forged.status).toBe(401);
    expect((await prisma.shop.findUniqueOrThrow({ where: { domain: shop } })).scopes).toBe(
      "read_orders,read_products",
    );
  });
});
