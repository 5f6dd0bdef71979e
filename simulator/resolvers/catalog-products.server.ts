import type { ProductRecord } from "../state/records.server";
import { gid, parseGid, type ShopState } from "../state/shop-state.server";
import { emitWebhook } from "../webhooks/emit.server";
import { userError, type ResolverContext, type UserError } from "./context.server";
import { CatalogChanges } from "./catalog-events.server";
import { refuseUnsupported, writeVariant } from "./catalog-input.server";
import { startedOperation } from "./catalog-operations.server";
import { autoPublishProduct } from "./catalogs-publications.server";
import { addMedia, validateMedia, type CreateMediaInput } from "./catalog-media.server";
import {
  deleteProduct,
  isSellable,
  newOption,
  normalizeTags,
  productByHandle,
  slugify,
  uniqueHandle,
} from "./catalog-store.server";
import { productView } from "./catalog-views.server";
import { shopView } from "./shop-query.server";

/**
 * productCreate and productUpdate (2026-07 shapes: `product:` ProductCreateInput /
 * ProductUpdateInput), plus the product fields productSet shares with them.
 * https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/productCreate
 */

const MAX_OPTIONS = 3;

export interface ProductFieldsInput {
  title?: string | null;
  handle?: string | null;
  descriptionHtml?: string | null;
  vendor?: string | null;
  productType?: string | null;
  status?: ProductRecord["status"] | null;
  tags?: string[] | null;
}

const UNSUPPORTED_PRODUCT_FIELDS = [
  "metafields",
  "collectionsToJoin",
  "collectionsToLeave",
  "collections",
  "claimOwnership",
  "combinedListingRole",
  "category",
];

/**
 * Checks title and handle; returns the handle the product will have. `field` builds the
 * error path (productSet nests under "input", productCreate/Update do not).
 */
export function checkProductFields(
  shop: ShopState,
  input: ProductFieldsInput,
  existing: ProductRecord | undefined,
  field: (name: string) => string[],
  errors: UserError[],
  codes: { invalid?: string; handle?: string },
  fallbackHandle?: string,
): string {
  const title = input.title ?? existing?.title ?? "";
  if ((input.title !== undefined || !existing) && !title.trim()) {
    errors.push(userError(field("title"), "Title can't be blank", codes.invalid));
  }
  if (input.handle != null && input.handle.trim() !== "") {
    const handle = slugify(input.handle);
    const owner = productByHandle(shop, handle);
    if (owner && owner.id !== existing?.id) {
      errors.push(
        userError(
          field("handle"),
          `Handle '${handle}' already in use. Please provide a new handle.`,
          codes.handle,
        ),
      );
    }
    return handle;
  }
  if (existing) {
    // A new title does not move an existing product's handle (it would break its URL).
    return existing.handle;
  }
  return uniqueHandle(shop, fallbackHandle ? slugify(fallbackHandle) : slugify(title));
}

/** A new, empty product record (no options or variants yet), registered in the shop. */
export function createProductRecord(shop: ShopState, handle: string, now: Date): ProductRecord {
  const product: ProductRecord = {
    id: shop.newId(),
    title: "",
    handle,
    descriptionHtml: "",
    // Products created without a vendor get the shop's name, as in the admin.
    vendor: shop.name,
    productType: "",
    status: "ACTIVE",
    tags: [],
    options: [],
    variantIds: [],
    mediaIds: [],
    publishedAt: null,
    createdAt: now,
    updatedAt: now,
  };
  shop.products.set(product.id, product);
  autoPublishProduct(shop, product.id, now);
  return product;
}

/** Writes the scalar product fields given (absent ones stay as they are). */
export function applyProductFields(
  product: ProductRecord,
  input: ProductFieldsInput,
  handle: string,
  now: Date,
): void {
  if (input.title != null) product.title = input.title.trim();
  product.handle = handle;
  if (input.descriptionHtml != null) product.descriptionHtml = input.descriptionHtml;
  if (input.vendor != null) product.vendor = input.vendor.trim();
  if (input.productType != null) product.productType = input.productType.trim();
  if (input.status != null) product.status = input.status;
  if (input.tags != null) product.tags = normalizeTags(input.tags);
  if (isSellable(product)) product.publishedAt ??= now;
  product.updatedAt = now;
}

interface OptionCreateInput {
  name?: string | null;
  position?: number | null;
  values?: { name?: string | null }[] | null;
}

interface ProductCreateArgs {
  input?: unknown;
  product?: (ProductFieldsInput & { productOptions?: OptionCreateInput[] | null }) | null;
  media?: CreateMediaInput[] | null;
}

function refuseDeprecatedInput(args: { input?: unknown }, mutation: string): void {
  refuseUnsupported(args, ["input"], `${mutation}(input:) (deprecated ProductInput; use product:)`);
}

function checkCreateOptions(options: OptionCreateInput[], errors: UserError[]): void {
  if (options.length > MAX_OPTIONS) {
    errors.push(userError(["productOptions"], `Can only specify a maximum of ${MAX_OPTIONS} options`));
  }
  const names = new Set<string>();
  options.forEach((option, index) => {
    const name = option.name?.trim() ?? "";
    if (!name)
      errors.push(userError(["productOptions", String(index), "name"], "Option name can't be blank"));
    if (names.has(name.toLowerCase())) {
      errors.push(userError(["productOptions", String(index), "name"], `Option '${name}' already exists`));
    }
    names.add(name.toLowerCase());
    const values = (option.values ?? []).map((value) => value.name?.trim() ?? "");
    if (values.length === 0 || values.some((value) => !value)) {
      errors.push(
        userError(
          ["productOptions", String(index), "values"],
          `Option '${name}' must have at least one value`,
        ),
      );
    }
    if (new Set(values).size !== values.length) {
      errors.push(
        userError(["productOptions", String(index), "values"], `Option '${name}' has duplicate values`),
      );
    }
  });
}

/**
 * productCreate: the product with its options and one variant, made of each option's first
 * value (or "Default Title" without options), as the 2024-04+ product model does.
 */
export function productCreate(args: ProductCreateArgs, context: ResolverContext) {
  refuseDeprecatedInput(args, "productCreate");
  const input = args.product ?? {};
  refuseUnsupported(input, UNSUPPORTED_PRODUCT_FIELDS, "ProductCreateInput");
  const { shop } = context;
  const errors: UserError[] = [];
  const handle = checkProductFields(shop, input, undefined, (name) => [name], errors, {});
  const optionInputs = input.productOptions ?? [];
  checkCreateOptions(optionInputs, errors);
  errors.push(...validateMedia(args.media ?? [], ["media"]));
  if (errors.length > 0) return { product: null, userErrors: errors };

  const now = context.now();
  const changes = new CatalogChanges();
  const product = createProductRecord(shop, handle, now);
  applyProductFields(product, input, handle, now);
  const ordered = [...optionInputs].sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
  product.options =
    ordered.length > 0
      ? ordered.map((option) =>
          newOption(
            shop,
            option.name!.trim(),
            (option.values ?? []).map((value) => value.name!.trim()),
          ),
        )
      : [newOption(shop, "Title", ["Default Title"])];
  writeVariant(
    shop,
    product,
    null,
    product.options.map((option) => option.values[0]!),
    { inventoryItem: {} },
    now,
    changes,
  );
  addMedia(context, product, args.media ?? [], now);
  changes.productCreated(product.id);
  changes.emit(context);
  return { product: productView(shop, product), userErrors: [] };
}

interface ProductUpdateArgs {
  input?: unknown;
  product?: (ProductFieldsInput & { id?: string | null }) | null;
  identifier?: { id?: string | null; handle?: string | null; customId?: unknown } | null;
  media?: CreateMediaInput[] | null;
}

export function productUpdate(args: ProductUpdateArgs, context: ResolverContext) {
  refuseDeprecatedInput(args, "productUpdate");
  refuseUnsupported(args.identifier, ["customId"], "ProductUpdateIdentifiers");
  const input = args.product ?? {};
  refuseUnsupported(input, UNSUPPORTED_PRODUCT_FIELDS, "ProductUpdateInput");
  const { shop } = context;
  const ref = args.identifier?.id ?? input.id ?? null;
  let product: ProductRecord | undefined;
  if (ref) {
    const id = parseGid(ref, "Product");
    product = id === null ? undefined : shop.products.get(id);
  } else if (args.identifier?.handle) {
    product = productByHandle(shop, args.identifier.handle);
  }
  if (!product) return { product: null, userErrors: [userError(["id"], "Product does not exist")] };

  const errors: UserError[] = [];
  const handle = checkProductFields(shop, input, product, (name) => [name], errors, {});
  errors.push(...validateMedia(args.media ?? [], ["media"]));
  if (errors.length > 0) return { product: null, userErrors: errors };

  const now = context.now();
  applyProductFields(product, input, handle, now);
  addMedia(context, product, args.media ?? [], now);
  const changes = new CatalogChanges();
  changes.productUpdated(product.id);
  changes.emit(context);
  return { product: productView(shop, product), userErrors: [] };
}

interface ProductDeleteArgs {
  input: { id: string };
  synchronous?: boolean | null;
}

/**
 * productDelete: removes the product with its variants, inventory items and their levels, media
 * and options (deleteProduct), then sends products/delete. With `synchronous: false` it answers
 * a ProductDeleteOperation instead of the id (the deletion is done at once either way).
 * https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/productDelete
 */
export function productDelete(args: ProductDeleteArgs, context: ResolverContext) {
  const { shop } = context;
  const shopField = () => shopView(shop, context.now());
  const id = parseGid(args.input.id, "Product");
  const product = id === null ? undefined : shop.products.get(id);
  if (!product) {
    return {
      deletedProductId: null,
      productDeleteOperation: null,
      shop: shopField,
      userErrors: [userError(["id"], "Product does not exist")],
    };
  }
  deleteProduct(shop, product.id);
  emitWebhook(context, "products/delete", { id: product.id });
  if (args.synchronous === false) {
    return {
      deletedProductId: null,
      productDeleteOperation: startedOperation(shop, "ProductDeleteOperation", product.id),
      shop: shopField,
      userErrors: [],
    };
  }
  return {
    deletedProductId: gid("Product", product.id),
    productDeleteOperation: null,
    shop: shopField,
    userErrors: [],
  };
}
