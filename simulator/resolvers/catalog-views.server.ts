import type { MediaRecord, ProductRecord, VariantRecord } from "../state/records.server";
import { publicUrl } from "../state/hosting.server";
import { gid, type ShopState } from "../state/shop-state.server";
import {
  connection,
  countOf as count,
  encodeCursor,
  type ConnectionArgs,
  type SortValue,
} from "./connection.server";
import { iso, money } from "./context.server";
import { decimal } from "./money.server";
import { inventoryItemView } from "./catalog-inventory-views.server";
import { isPublishedOn } from "./catalogs-publications.server";
import {
  availableTotal,
  isDefaultVariantOnly,
  isSellable,
  mediaOf,
  optionValueId,
  plainText,
  variantInventory,
  variantsOf,
} from "./catalog-store.server";

/**
 * Products, variants and media as the Admin API's objects. Relations and connections are
 * functions so they are only built when a query selects them.
 */

type Args = ConnectionArgs & { query?: string | null; sortKey?: string | null };

/** The image of a READY media (Image): served by the simulator when it holds the bytes. */
export function imageView(shop: ShopState, media: MediaRecord) {
  const url = publicUrl(shop, media.url);
  return {
    __typename: "Image",
    id: gid("ProductImage", media.id),
    altText: media.alt || null,
    url: () => url,
    src: url,
    originalSrc: url,
    transformedSrc: () => url,
    width: media.width,
    height: media.height,
    thumbhash: null,
  };
}

/**
 * A MediaImage: `image` and `preview.image` only once READY (MediaImage.image "Returns `null`
 * until `status` is `READY`", 2026-07 schema), `mimeType` once processed, `mediaErrors` (and the
 * Files API's `fileErrors`, same codes) when FAILED.
 */
export function mediaView(shop: ShopState, media: MediaRecord) {
  const ready = media.status === "READY";
  const image = () => (ready ? imageView(shop, media) : null);
  const errors = (media.errors ?? []).map((error) => ({
    code: error.code,
    message: error.message,
    details: error.details,
  }));
  return {
    __typename: "MediaImage",
    id: gid("MediaImage", media.id),
    alt: media.alt,
    mediaContentType: "IMAGE",
    status: media.status,
    fileStatus: media.status,
    mimeType: ready ? media.mimeType : null,
    image,
    preview: () => ({ status: media.status, image: image() }),
    originalSource: () => ({ url: publicUrl(shop, media.url), fileSize: media.fileSize ?? null }),
    mediaErrors: errors,
    mediaWarnings: [],
    fileErrors: errors,
    createdAt: iso(media.createdAt),
    updatedAt: iso(media.updatedAt),
  };
}

function optionViews(shop: ShopState, product: ProductRecord) {
  const variants = variantsOf(shop, product);
  return product.options.map((option, position) => {
    const used = (value: string) => variants.some((v) => v.selectedOptions[position]?.value === value);
    return {
      id: gid("ProductOption", option.id),
      name: option.name,
      position: position + 1,
      values: option.values.filter(used),
      linkedMetafield: null,
      optionValues: option.values.map((value, index) => ({
        id: gid("ProductOptionValue", optionValueId(shop, option, index)),
        name: value,
        hasVariants: used(value),
        linkedMetafieldValue: null,
        swatch: null,
      })),
    };
  });
}

const VARIANT_SORT: Record<string, (variant: VariantRecord) => SortValue> = {
  ID: (v) => v.id,
  POSITION: (v) => v.position,
  SKU: (v) => v.sku ?? "",
  TITLE: (v) => v.title,
  NAME: (v) => v.title,
};

/** A variant's value under a `ProductVariantSortKeys` key (unknown keys sort by position). */
export function variantSortKey(sortKey: string): (variant: VariantRecord) => SortValue {
  return VARIANT_SORT[sortKey] ?? VARIANT_SORT.POSITION!;
}

/** Media in a product's own order (`POSITION`), or by id. */
function mediaOrder(media: MediaRecord[], sortKey?: string | null) {
  const positions = new Map(media.map((m, index) => [m.id, index]));
  return {
    key: sortKey === "ID" ? (m: MediaRecord) => m.id : (m: MediaRecord) => positions.get(m.id) ?? 0,
    id: (m: MediaRecord) => m.id,
  };
}

export function productView(shop: ShopState, product: ProductRecord) {
  const variants = () => variantsOf(shop, product);
  const media = () => mediaOf(shop, product);
  const prices = () => variants().map((v) => Number(v.price));
  const priceRange = () => {
    const list = prices();
    const min = list.length ? Math.min(...list) : 0;
    const max = list.length ? Math.max(...list) : 0;
    return {
      minVariantPrice: money(decimal(min), shop.currencyCode),
      maxVariantPrice: money(decimal(max), shop.currencyCode),
    };
  };
  const firstImage = () => media().find((m) => m.status === "READY");
  return {
    __typename: "Product",
    id: gid("Product", product.id),
    legacyResourceId: String(product.id),
    title: product.title,
    handle: product.handle,
    descriptionHtml: product.descriptionHtml,
    bodyHtml: product.descriptionHtml,
    description: (args: { truncateAt?: number | null }) => {
      const text = plainText(product.descriptionHtml);
      return args.truncateAt != null && text.length > args.truncateAt
        ? `${text.slice(0, Math.max(0, args.truncateAt - 3))}...`
        : text;
    },
    vendor: product.vendor,
    productType: product.productType,
    status: product.status,
    tags: [...product.tags],
    createdAt: iso(product.createdAt),
    updatedAt: iso(product.updatedAt),
    publishedAt: iso(product.publishedAt ?? null),
    templateSuffix: null,
    giftCardTemplateSuffix: null,
    isGiftCard: false,
    requiresSellingPlan: false,
    hasVariantsThatRequiresComponents: false,
    combinedListingRole: null,
    category: null,
    onlineStoreUrl: null,
    seo: { title: null, description: null },
    defaultCursor: encodeCursor(product.id),
    publishedOnPublication: (args: { publicationId: string }) =>
      isPublishedOn(shop, product.id, args.publicationId),
    options: (args: { first?: number | null }) =>
      optionViews(shop, product).slice(0, args.first ?? undefined),
    hasOnlyDefaultVariant: () => isDefaultVariantOnly(shop, product),
    hasOutOfStockVariants: () => variants().some((v) => variantInventory(shop, v) <= 0),
    tracksInventory: () =>
      variants().some((v) => shop.inventoryItems.get(v.inventoryItemId)?.tracked === true),
    totalInventory: () => variants().reduce((sum, v) => sum + availableTotal(shop, v.inventoryItemId), 0),
    totalVariants: () => variants().length,
    variantsCount: () => count(variants().length),
    variants: (args: Args) =>
      connection(
        variants(),
        args,
        { key: variantSortKey(args.sortKey ?? "POSITION"), id: (v) => v.id },
        (v) => variantView(shop, v),
      ),
    priceRangeV2: priceRange,
    priceRange: priceRange,
    compareAtPriceRange: () => {
      const list = variants()
        .map((v) => v.compareAtPrice)
        .filter((p): p is string => p !== null)
        .map(Number);
      if (list.length === 0) return null;
      return {
        minVariantCompareAtPrice: money(decimal(Math.min(...list)), shop.currencyCode),
        maxVariantCompareAtPrice: money(decimal(Math.max(...list)), shop.currencyCode),
      };
    },
    mediaCount: () => count(media().length),
    media: (args: Args) =>
      connection(media(), args, mediaOrder(media(), args.sortKey), (m) => mediaView(shop, m)),
    featuredMedia: () => {
      const first = media()[0];
      return first ? mediaView(shop, first) : null;
    },
    featuredImage: () => {
      const first = firstImage();
      return first ? imageView(shop, first) : null;
    },
    images: (args: Args) =>
      connection(
        media().filter((m) => m.status === "READY"),
        args,
        mediaOrder(media()),
        (m) => imageView(shop, m),
      ),
  };
}

export function variantView(shop: ShopState, variant: VariantRecord) {
  const product = shop.products.get(variant.productId);
  const item = shop.inventoryItems.get(variant.inventoryItemId);
  const quantity = () => variantInventory(shop, variant);
  const policy = variant.inventoryPolicy ?? "DENY";
  const media = () => {
    const record = variant.mediaId === null ? undefined : shop.media.get(variant.mediaId);
    return record ? [record] : [];
  };
  return {
    __typename: "ProductVariant",
    id: gid("ProductVariant", variant.id),
    legacyResourceId: String(variant.id),
    title: variant.title,
    displayName: `${product?.title ?? ""} - ${variant.title}`,
    sku: variant.sku,
    barcode: variant.barcode,
    price: variant.price,
    compareAtPrice: variant.compareAtPrice,
    position: variant.position,
    taxable: variant.taxable,
    taxCode: null,
    inventoryPolicy: policy,
    showUnitPrice: false,
    unitPrice: null,
    unitPriceMeasurement: null,
    requiresComponents: false,
    defaultCursor: encodeCursor(variant.id),
    createdAt: iso(variant.createdAt),
    updatedAt: iso(variant.updatedAt),
    selectedOptions: variant.selectedOptions.map((selected, position) => {
      const option = product?.options[position];
      const index = option ? option.values.indexOf(selected.value) : -1;
      return {
        name: selected.name,
        value: selected.value,
        optionValue: {
          id: gid("ProductOptionValue", option && index >= 0 ? optionValueId(shop, option, index) : 0),
          name: selected.value,
          hasVariants: true,
          linkedMetafieldValue: null,
          swatch: null,
        },
      };
    }),
    inventoryQuantity: quantity,
    sellableOnlineQuantity: quantity,
    availableForSale: () =>
      product !== undefined &&
      isSellable(product) &&
      (policy === "CONTINUE" || item?.tracked === false || quantity() > 0),
    product: () => (product ? productView(shop, product) : null),
    inventoryItem: () => (item ? inventoryItemView(shop, item) : null),
    image: () => {
      const record = media()[0];
      return record && record.status === "READY" ? imageView(shop, record) : null;
    },
    media: (args: Args) => connection(media(), args, mediaOrder(media()), (m) => mediaView(shop, m)),
  };
}
