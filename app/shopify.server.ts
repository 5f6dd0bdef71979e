import "@shopify/shopify-app-remix/adapters/node";
import { ApiVersion, AppDistribution, LogSeverity, shopifyApp } from "@shopify/shopify-app-remix/server";
import prisma from "./db.server";
import { readShopTimeZone, recordInstall } from "./shops/shops.server";
import { installSimulatorSeam } from "./shopify/endpoint.server";
import { PrismaSessionStorage } from "./shopify/session-storage.server";

installSimulatorSeam();

/** The Admin API version the app is written against (and the simulator serves). */
export const API_VERSION = ApiVersion.July26;

const shopify = shopifyApp({
  apiKey: process.env.SHOPIFY_API_KEY,
  apiSecretKey: process.env.SHOPIFY_API_SECRET ?? "",
  apiVersion: API_VERSION,
  scopes: process.env.SCOPES?.split(","),
  appUrl: process.env.SHOPIFY_APP_URL ?? "",
  authPathPrefix: "/auth",
  logger: { level: process.env.NODE_ENV === "test" ? LogSeverity.Error : LogSeverity.Info },
  sessionStorage: new PrismaSessionStorage(prisma),
  distribution: AppDistribution.AppStore,
  // Expiring offline tokens stay off for now: authenticate.webhook would refresh an expired
  // token inline, and webhook routes must never call Shopify.
  future: { unstable_newEmbeddedAuthStrategy: true },
  hooks: {
    afterAuth: async ({ session }) => {
      const ianaTimezone = await readShopTimeZone(session);
      await recordInstall(prisma, { domain: session.shop, scopes: session.scope ?? "", ianaTimezone });
    },
  },
  ...(process.env.SHOP_CUSTOM_DOMAIN ? { customShopDomains: [process.env.SHOP_CUSTOM_DOMAIN] } : {}),
});

export default shopify;
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
export const authenticate = shopify.authenticate;
export const unauthenticated = shopify.unauthenticated;
export const login = shopify.login;
export const sessionStorage = shopify.sessionStorage;
