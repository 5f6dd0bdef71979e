import type { InventoryLevelRecord } from "../state/records.server";
import { emitWebhook } from "../webhooks/emit.server";
import type { ResolverContext } from "./context.server";

/**
 * What one mutation changed, so each product and inventory level gets one webhook per
 * mutation however many of its parts changed (sent through `emitWebhook` at the end): products/create for new products,
 * products/update for changed ones (variants added, removed or edited count as product
 * changes, per the topic's description), inventory_levels/connect per item newly stocked at a
 * location, inventory_levels/update per level whose quantities moved.
 */
export class CatalogChanges {
  private readonly created = new Set<number>();
  private readonly updated = new Set<number>();
  private readonly levels = new Map<string, InventoryLevelRecord>();
  private readonly connected = new Map<string, InventoryLevelRecord>();

  productCreated(productId: number): void {
    this.created.add(productId);
  }

  productUpdated(productId: number): void {
    if (!this.created.has(productId)) this.updated.add(productId);
  }

  levelChanged(level: InventoryLevelRecord): void {
    this.levels.set(`${level.inventoryItemId}:${level.locationId}`, level);
  }

  /** An item newly stocked at a location (inventory_levels/connect). */
  levelConnected(level: InventoryLevelRecord): void {
    this.connected.set(`${level.inventoryItemId}:${level.locationId}`, level);
  }

  /** Sends the webhooks; call once, after the mutation has succeeded. */
  emit(context: ResolverContext): void {
    const { shop } = context;
    for (const id of this.created) {
      const product = shop.products.get(id);
      if (product) emitWebhook(context, "products/create", product);
    }
    for (const id of this.updated) {
      const product = shop.products.get(id);
      if (product) emitWebhook(context, "products/update", product);
    }
    for (const [key, level] of this.connected) {
      if (shop.inventoryLevels.get(key) === level) emitWebhook(context, "inventory_levels/connect", level);
    }
    for (const [key, level] of this.levels) {
      if (shop.inventoryLevels.get(key) === level) emitWebhook(context, "inventory_levels/update", level);
    }
  }
}
