import type { ShopState } from "./shop-state.server";

/**
 * Where a shop's simulator is reached, for the absolute URLs of what it hosts (images). Paths are
 * stored relative ("/_sim/cdn/..."), as the simulator may start listening, or listen on another
 * port, after a record was made (a shop seeded before the server starts, a saved demo state
 * restored); they are made absolute when answered. The Simulator registers each shop it hands out.
 */

export interface Host {
  readonly baseUrl: string;
}

const hosts = new WeakMap<ShopState, Host>();

/** A placeholder base for shops no simulator has handed out (records built by hand in tests). */
const NO_HOST = "http://simulator.local";

export function setShopHost(shop: ShopState, host: Host): void {
  if (hosts.get(shop) !== host) hosts.set(shop, host);
}

/** `url` as clients see it: a path on the simulator becomes absolute; other URLs stay as they are. */
export function publicUrl(shop: ShopState, url: string): string {
  if (!url.startsWith("/")) return url;
  return new URL(url, hosts.get(shop)?.baseUrl ?? NO_HOST).toString();
}
