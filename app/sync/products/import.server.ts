import type { ShopSettings } from "../../generated/prisma/client";
import type { SyncContext } from "../../jobs/sync-task.server";
import type { AdminClient } from "../../shopify/admin-client.server";
import type { ProductFilters } from "./filters.server";

/** From Shopify: products → items (being built). */
export function importProducts(
  _ctx: SyncContext<ProductFilters>,
  _client: AdminClient,
  _settings: ShopSettings,
): Promise<void> {
  return Promise.reject(new Error("importing products is not built yet"));
}
