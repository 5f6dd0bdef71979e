/**
 * Shopify's global ids (`gid://shopify/Order/123`), as the Admin API gives them, and the
 * numeric ids the app stores (bigint columns: what REST, webhooks and the admin's URLs use).
 */

/** The number of a global id: `gid://shopify/Order/123` (or with `?query`) → 123n. */
export function numericId(gid: string): bigint {
  const match = /\/(\d+)(?:\?.*)?$/.exec(gid);
  if (!match) throw new Error(`not a Shopify id: ${gid}`);
  return BigInt(match[1]!);
}

/** The global id of a resource by its number: ("Order", 123n) → `gid://shopify/Order/123`. */
export function gid(type: string, id: bigint | number | string): string {
  return `gid://shopify/${type}/${id}`;
}
