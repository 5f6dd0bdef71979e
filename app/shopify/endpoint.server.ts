import { abstractFetch, setAbstractFetchFunc } from "@shopify/shopify-api/runtime";

/**
 * Where a shop's Admin API lives. In production that is `https://<shop>.myshopify.com`. When
 * SHOPIFY_ADMIN_ORIGIN is set (the demo and the tests, pointing at the store simulator), the
 * same requests go to `<origin>/shops/<shop>.myshopify.com/...` instead: the simulator serves
 * every shop under that prefix because a fetch client cannot choose its Host header.
 * Nothing else about the requests changes.
 */

export function adminOrigin(): string | null {
  return process.env.SHOPIFY_ADMIN_ORIGIN?.replace(/\/$/, "") || null;
}

export function shopUrl(shop: string, path: string, origin = adminOrigin()): string {
  return origin ? `${origin}/shops/${shop}${path}` : `https://${shop}${path}`;
}

/** Rewrites a URL aimed at a shop's myshopify.com host to the simulator, when one is set. */
export function redirectToSimulator(url: string, origin = adminOrigin()): string {
  if (!origin) return url;
  const parsed = new URL(url);
  if (parsed.protocol !== "https:" || !parsed.hostname.endsWith(".myshopify.com")) return url;
  return shopUrl(parsed.hostname, `${parsed.pathname}${parsed.search}`, origin);
}

/**
 * Points @shopify/shopify-api's HTTP (token exchange, OAuth, its Admin clients) at the
 * simulator when SHOPIFY_ADMIN_ORIGIN is set, through the library's replaceable fetch.
 */
export function installSimulatorSeam(): void {
  if (!adminOrigin()) return;
  const original = abstractFetch;
  setAbstractFetchFunc((input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.toString() : input.url;
    return original(redirectToSimulator(url), init);
  });
}
