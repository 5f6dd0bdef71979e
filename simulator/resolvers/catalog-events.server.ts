import type { InventoryLevelRecord } from "../state/records.server";
import { emitWebhook, type WebhookEnv } from "../webhooks/emit.server";

/**
 * What one mutation changed, so each product and inventory level gets one webhook per
 * mutation however many of its parts changed (sent through `emitWebhook` at the end): products/create for new products,
 * products/update for changed ones (variants added, removed or edited count as product
 * changes, per the topic's description), inventory_levels/connect per item newly stocked at a
 * location, inventory_levels/update per level whose quantities moved ("Occurs whenever an
 * inventory level is updated", the topic's description in shopify-webhook-schemas 2026-07),
 * inventory_levels/disconnect per level removed (an item no longer stocked at a location).
 * Order mutations use it for the levels their units move (orders-inventory.server.ts).
 */
export class CatalogChanges {
  private readonly created = new Set<number>();
  private readonly updated = new Set<number>();
  private readonly levels = new Map<string, InventoryLevelRecord>();
  private readonly connected = new Map<string, InventoryLevelRecord>();
  private readonly disconnected = new Map<string, { inventoryItemId: number; locationId: number }>();

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

  /** An item no longer stocked at a location, its level removed (inventory_levels/disconnect). */
  levelDisconnected(level: InventoryLevelRecord): void {
    const key = `${level.inventoryItemId}:${level.locationId}`;
    this.connected.delete(key);
    this.levels.delete(key);
    this.disconnected.set(key, { inventoryItemId: level.inventoryItemId, locationId: level.locationId });
  }

  /** Sends the webhooks; call once, after the mutation has succeeded. */
  emit(env: WebhookEnv): void {
    const { shop } = env;
    for (const id of this.created) {
      const product = shop.products.get(id);
      if (product) emitWebhook(env, "products/create", product);
    }
    for (const id of this.updated) {
      const product = shop.products.get(id);
      if (product) emitWebhook(env, "products/update", product);
    }
    for (const [key, subject] of this.disconnected) {
      if (!shop.inventoryLevels.has(key)) emitWebhook(env, "inventory_levels/disconnect", subject);
    }
    for (const [key, level] of this.connected) {
      if (shop.inventoryLevels.get(key) === level) emitWebhook(env, "inventory_levels/connect", level);
    }
    for (const [key, level] of this.levels) {
      if (shop.inventoryLevels.get(key) === level) emitWebhook(env, "inventory_levels/update", level);
    }
  }
}
