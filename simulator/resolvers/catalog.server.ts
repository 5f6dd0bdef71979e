import type { ResolverModule } from "./context.server";
import { inventoryAdjustQuantities } from "./catalog-inventory-adjust.server";
import {
  inventoryActivate,
  inventoryDeactivate,
  inventoryItemUpdate,
  inventorySetQuantities,
} from "./catalog-inventory.server";
import { locationMutations } from "./catalog-locations.server";
import {
  job,
  productCreateMedia,
  productDeleteMedia,
  productReorderMedia,
  productUpdateMedia,
} from "./catalog-media.server";
import {
  fileDelete,
  fileUpdate,
  productVariantAppendMedia,
  productVariantDetachMedia,
} from "./catalog-media-files.server";
import { productOperation } from "./catalog-operations.server";
import { productSet } from "./catalog-product-set.server";
import { productCreate, productDelete, productUpdate } from "./catalog-products.server";
import { catalogQuery } from "./catalog-query.server";
import { productVariantsBulkCreate, productVariantsBulkUpdate } from "./catalog-variants.server";
import { inventoryItemView, inventoryLevelView, locationView } from "./catalog-inventory-views.server";
import { mediaView, productView, variantView } from "./catalog-views.server";

/** Locations, products, variants, media (and the files mutations on them), inventory items and levels. */
export const catalogModule: ResolverModule = {
  query: { ...catalogQuery, productOperation, job },
  mutation: {
    productSet,
    productCreate,
    productUpdate,
    productDelete,
    productCreateMedia,
    productDeleteMedia,
    productUpdateMedia,
    productReorderMedia,
    productVariantAppendMedia,
    productVariantDetachMedia,
    fileUpdate,
    fileDelete,
    productVariantsBulkCreate,
    productVariantsBulkUpdate,
    inventorySetQuantities,
    inventoryAdjustQuantities,
    inventoryActivate,
    inventoryDeactivate,
    inventoryItemUpdate,
    ...locationMutations,
  },
  node(type, id, { shop }) {
    switch (type) {
      case "Location": {
        const location = shop.locations.get(id);
        return location ? locationView(shop, location) : null;
      }
      case "Product": {
        const product = shop.products.get(id);
        return product ? productView(shop, product) : null;
      }
      case "ProductVariant": {
        const variant = shop.variants.get(id);
        return variant ? variantView(shop, variant) : null;
      }
      case "InventoryItem": {
        const item = shop.inventoryItems.get(id);
        return item ? inventoryItemView(shop, item) : null;
      }
      case "InventoryLevel": {
        for (const level of shop.inventoryLevels.values()) {
          if (level.id === id) return inventoryLevelView(shop, level);
        }
        return null;
      }
      case "MediaImage": {
        const media = shop.media.get(id);
        return media ? mediaView(shop, media) : null;
      }
      default:
        return undefined;
    }
  },
};
