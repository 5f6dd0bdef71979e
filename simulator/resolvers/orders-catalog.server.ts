import { gid } from "../state/shop-state.server";
import type { LocationRecord, VariantRecord } from "../state/records.server";
import { catalogModule } from "./catalog.server";
import type { ResolverContext } from "./context.server";

/**
 * Products, variants and locations belong to the catalog module; orders show them through its
 * `node` resolver so both domains serve one view of them. Until (or where) the catalog module
 * does not resolve a type, a minimal view of the record stands in.
 */

function fromCatalog(type: string, id: number, context: ResolverContext): unknown {
  return catalogModule.node?.(type, id, context);
}

function fallbackVariant(variant: VariantRecord, context: ResolverContext) {
  return {
    __typename: "ProductVariant",
    id: gid("ProductVariant", variant.id),
    legacyResourceId: String(variant.id),
    title: variant.title,
    displayName: variant.title,
    sku: variant.sku,
    barcode: variant.barcode,
    price: variant.price,
    compareAtPrice: variant.compareAtPrice,
    position: variant.position,
    taxable: variant.taxable,
    selectedOptions: variant.selectedOptions,
    createdAt: variant.createdAt.toISOString(),
    updatedAt: variant.updatedAt.toISOString(),
    product: () => productRef(variant.productId, context),
  };
}

export function variantRef(id: number | null, context: ResolverContext): unknown {
  if (id === null) return null;
  const found = fromCatalog("ProductVariant", id, context);
  if (found !== undefined) return found;
  const variant = context.shop.variants.get(id);
  return variant ? fallbackVariant(variant, context) : null;
}

export function productRef(id: number | null, context: ResolverContext): unknown {
  if (id === null) return null;
  const found = fromCatalog("Product", id, context);
  if (found !== undefined) return found;
  const product = context.shop.products.get(id);
  if (!product) return null;
  return {
    __typename: "Product",
    id: gid("Product", product.id),
    legacyResourceId: String(product.id),
    title: product.title,
    handle: product.handle,
    vendor: product.vendor,
    productType: product.productType,
    status: product.status,
    tags: product.tags,
    createdAt: product.createdAt.toISOString(),
    updatedAt: product.updatedAt.toISOString(),
  };
}

export function locationRef(id: number | null, context: ResolverContext): unknown {
  if (id === null) return null;
  const found = fromCatalog("Location", id, context);
  if (found !== undefined) return found;
  const location = context.shop.locations.get(id);
  if (!location) return null;
  return {
    __typename: "Location",
    id: gid("Location", location.id),
    legacyResourceId: String(location.id),
    name: location.name,
    isActive: location.isActive,
    fulfillsOnlineOrders: location.fulfillsOnlineOrders,
  };
}

/** FulfillmentOrderAssignedLocation: a snapshot of the location's address plus the location. */
export function assignedLocationView(location: LocationRecord | undefined, id: number) {
  const address = location?.address ?? {};
  return {
    address1: address.address1 ?? null,
    address2: address.address2 ?? null,
    city: address.city ?? null,
    countryCode: address.countryCode ?? "US",
    name: location?.name ?? "",
    phone: address.phone ?? null,
    province: address.province ?? null,
    zip: address.zip ?? null,
    location: (_args: unknown, context: ResolverContext) => locationRef(id, context),
  };
}
