import type { ShopSettings } from "../../generated/prisma/client";
import type { SyncContext } from "../../jobs/sync-task.server";
import type { AdminClient } from "../../shopify/admin-client.server";
import type { ProductFilters } from "./filters.server";

/** To Shopify: items → products (being built). */
export function exportItems(
  _ctx: SyncContext<ProductFilters>,
  _client: AdminClient,
  _settings: ShopSettings,
): Promise<void> {
  return Promise.reject(new Error("exporting items is not built yet"));
}
