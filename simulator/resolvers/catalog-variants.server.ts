import type { ProductRecord, VariantRecord } from "../state/records.server";
import { parseGid, type ShopState } from "../state/shop-state.server";
import { userError, type ResolverContext, type UserError } from "./context.server";
import { CatalogChanges } from "./catalog-events.server";
import {
  inventoryQuantityCount,
  MAX_INVENTORY_QUANTITIES,
  optionSpecs,
  parseVariantFields,
  refuseUnsupported,
  resolveOptionValues,
  writeVariant,
  type OptionSpec,
  type VariantFields,
  type VariantInput,
} from "./catalog-input.server";
import { addMedia, mediaByIdOrUrl, validateMedia, type CreateMediaInput } from "./catalog-media.server";
import {
  deleteVariant,
  isDefaultVariantOnly,
  optionValueId,
  renumberVariants,
  variantsOf,
} from "./catalog-store.server";
import { productView, variantView } from "./catalog-views.server";

/**
 * productVariantsBulkCreate and productVariantsBulkUpdate.
 * https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/productVariantsBulkCreate
 * https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/productVariantsBulkUpdate
 */

const MAX_VARIANTS = 2048;
const UNSUPPORTED_VARIANT_FIELDS = [
  "metafields",
  "quantityAdjustments",
  "unitPriceMeasurement",
  "requiresComponents",
];

interface BulkArgs {
  productId: string;
  variants: VariantInput[];
  media?: CreateMediaInput[] | null;
  strategy?: "DEFAULT" | "PRESERVE_STANDALONE_VARIANT" | "REMOVE_STANDALONE_VARIANT" | null;
  allowPartialUpdates?: boolean | null;
}

interface Plan {
  index: number;
  existing: VariantRecord | null;
  values: string[] | null;
  fields: VariantFields;
  errors: UserError[];
}

function findProduct(shop: ShopState, productId: string): ProductRecord | undefined {
  const id = parseGid(productId, "Product");
  return id === null ? undefined : shop.products.get(id);
}

function valuesKey(values: readonly string[]): string {
  return values.join("\u0000");
}

function keyOf(variant: VariantRecord, options: OptionSpec[]): string {
  return valuesKey(
    options.map(
      (option) =>
        variant.selectedOptions.find((s) => s.name.toLowerCase() === option.name.toLowerCase())?.value ?? "",
    ),
  );
}

/** Writes option specs (possibly with new values) back to the product. */
function applyOptions(shop: ShopState, product: ProductRecord, options: OptionSpec[]): void {
  product.options.forEach((option, index) => {
    const spec = options[index]!;
    option.values = [...spec.values];
    option.valueIds = spec.values.map((_, valueIndex) => spec.valueIds[valueIndex] ?? shop.newId());
    optionValueId(shop, option, 0);
  });
}

function mediaRef(plan: Plan): { ref: string | null; field: string } | null {
  const src = plan.fields.mediaSrc?.[0];
  if (src) return { ref: src, field: "mediaSrc" };
  if (plan.fields.mediaId === undefined) return null;
  const id = plan.fields.mediaId;
  return { ref: id === null ? null : `gid://shopify/MediaImage/${id}`, field: "mediaId" };
}

/** Checks that a variant's mediaId/mediaSrc names the product's media (or media added with it). */
function checkMedia(shop: ShopState, product: ProductRecord, plan: Plan, pendingUrls: Set<string>): void {
  const named = mediaRef(plan);
  if (!named?.ref) return;
  if (mediaByIdOrUrl(shop, product, named.ref) || pendingUrls.has(named.ref)) return;
  plan.errors.push(
    userError(
      ["variants", String(plan.index), named.field],
      "Media does not exist on the product",
      "INVALID_INPUT",
    ),
  );
}

/** Links a checked variant to its media, once new media exist. */
function linkMedia(shop: ShopState, product: ProductRecord, plan: Plan): void {
  const named = mediaRef(plan);
  if (!named) return;
  plan.fields.mediaId = named.ref ? (mediaByIdOrUrl(shop, product, named.ref)?.id ?? null) : null;
}

function failed(errors: UserError[]) {
  return { product: null, productVariants: null, userErrors: errors };
}

export function productVariantsBulkCreate(args: BulkArgs, context: ResolverContext) {
  const { shop } = context;
  const product = findProduct(shop, args.productId);
  if (!product) return failed([userError(["productId"], "Product does not exist", "PRODUCT_DOES_NOT_EXIST")]);
  const errors: UserError[] = [];
  const quantities = inventoryQuantityCount(args.variants);
  if (quantities > MAX_INVENTORY_QUANTITIES) {
    return failed([
      userError(
        ["variants"],
        `Input contains ${quantities} inventory quantities, which exceeds the limit of ${MAX_INVENTORY_QUANTITIES}`,
        "INVENTORY_QUANTITIES_LIMIT_EXCEEDED",
      ),
    ]);
  }
  errors.push(...validateMedia(args.media ?? [], ["media"]));
  const strategy = args.strategy ?? "DEFAULT";
  const current = variantsOf(shop, product);
  // DEFAULT drops a lone "Default Title" variant; REMOVE_STANDALONE_VARIANT drops any lone variant.
  const dropStandalone =
    current.length === 1 &&
    (strategy === "REMOVE_STANDALONE_VARIANT" ||
      (strategy === "DEFAULT" && isDefaultVariantOnly(shop, product)));
  const options = optionSpecs(product);
  if (dropStandalone && isDefaultVariantOnly(shop, product)) {
    options[0]!.values = [];
    options[0]!.valueIds = [];
  }
  const taken = new Set(dropStandalone ? [] : current.map((v) => keyOf(v, options)));
  const codes = {
    invalid: "INVALID_INPUT",
    negativePrice: "GREATER_THAN_OR_EQUAL_TO",
    location: "TRACKED_VARIANT_LOCATION_NOT_FOUND",
    // ProductVariantsBulkCreateUserErrorCode has no TOO_LONG in 2026-07.
    tooLong: "INVALID_INPUT",
  };
  const plans: Plan[] = args.variants.map((input, index) => {
    refuseUnsupported(input, UNSUPPORTED_VARIANT_FIELDS, "ProductVariantsBulkInput");
    const path = ["variants", String(index)];
    const planErrors: UserError[] = [];
    if (input.id)
      planErrors.push(
        userError([...path, "id"], "id cannot be specified when creating a variant", "INVALID_INPUT"),
      );
    if ((input.optionValues ?? []).length > options.length) {
      planErrors.push(
        userError(
          [...path, "optionValues"],
          "Option values provided for unknown options",
          "OPTION_VALUES_FOR_NUMBER_OF_UNKNOWN_OPTIONS",
        ),
      );
    }
    const values = resolveOptionValues(
      options,
      input.optionValues ?? [],
      [...path, "optionValues"],
      planErrors,
      {
        missingOption: "NEED_TO_ADD_OPTION_VALUES",
        unknownOption: "INVALID_INPUT",
        unknownValue: "INVALID_INPUT",
      },
      true,
    );
    const fields = parseVariantFields(shop, input, path, planErrors, codes);
    if (values) {
      if (taken.has(valuesKey(values))) {
        planErrors.push(
          userError(path, `The variant '${values.join(" / ")}' already exists.`, "VARIANT_ALREADY_EXISTS"),
        );
      }
      taken.add(valuesKey(values));
    }
    return { index, existing: null, values, fields, errors: planErrors };
  });
  const pendingUrls = new Set((args.media ?? []).map((media) => media.originalSource));
  for (const plan of plans) checkMedia(shop, product, plan, pendingUrls);
  const remaining = current.length - (dropStandalone ? 1 : 0);
  if (remaining + plans.length > MAX_VARIANTS) {
    errors.push(
      userError(["variants"], `Products can have at most ${MAX_VARIANTS} variants`, "INVALID_INPUT"),
    );
  }
  errors.push(...plans.flatMap((plan) => plan.errors));
  if (errors.length > 0) return failed(errors);

  const now = context.now();
  const changes = new CatalogChanges();
  addMedia(context, product, args.media ?? [], now);
  for (const plan of plans) linkMedia(shop, product, plan);
  if (dropStandalone) deleteVariant(shop, current[0]!.id);
  applyOptions(shop, product, options);
  const variants = plans.map((plan) =>
    writeVariant(shop, product, null, plan.values, plan.fields, now, changes),
  );
  renumberVariants(shop, product);
  product.updatedAt = now;
  changes.productUpdated(product.id);
  changes.emit(context);
  return {
    product: productView(shop, product),
    productVariants: variants.map((variant) => variantView(shop, variant)),
    userErrors: [],
  };
}

export function productVariantsBulkUpdate(args: BulkArgs, context: ResolverContext) {
  const { shop } = context;
  const product = findProduct(shop, args.productId);
  if (!product) return failed([userError(["productId"], "Product does not exist", "PRODUCT_DOES_NOT_EXIST")]);
  const errors = validateMedia(args.media ?? [], ["media"]);
  const current = variantsOf(shop, product);
  const options = optionSpecs(product);
  const codes = {
    invalid: "INVALID_INPUT",
    negativePrice: "GREATER_THAN_OR_EQUAL_TO",
    location: "INVALID_INPUT",
    tooLong: "TOO_LONG",
  };
  const plans: Plan[] = args.variants.map((input, index) => {
    refuseUnsupported(input, UNSUPPORTED_VARIANT_FIELDS, "ProductVariantsBulkInput");
    const path = ["variants", String(index)];
    const planErrors: UserError[] = [];
    let existing: VariantRecord | null = null;
    if (!input.id) {
      planErrors.push(
        userError([...path, "id"], "Product variant is missing ID attribute", "PRODUCT_VARIANT_ID_MISSING"),
      );
    } else {
      const id = parseGid(input.id, "ProductVariant");
      existing = current.find((v) => v.id === id) ?? null;
      if (!existing) {
        planErrors.push(
          userError([...path, "id"], "Product variant does not exist", "PRODUCT_VARIANT_DOES_NOT_EXIST"),
        );
      }
    }
    if (input.inventoryQuantities) {
      planErrors.push(
        userError(
          [...path, "inventoryQuantities"],
          "Inventory quantities can only be provided during create. To update inventory for existing variants, use inventoryAdjustQuantities.",
          "NO_INVENTORY_QUANTITIES_ON_VARIANTS_UPDATE",
        ),
      );
    }
    const values = input.optionValues
      ? resolveOptionValues(
          options,
          input.optionValues,
          [...path, "optionValues"],
          planErrors,
          {
            missingOption: "NEED_TO_ADD_OPTION_VALUES",
            unknownOption: "OPTION_DOES_NOT_EXIST",
            unknownValue: "OPTION_VALUE_DOES_NOT_EXIST",
          },
          true,
        )
      : null;
    const fields = parseVariantFields(shop, { ...input, inventoryQuantities: null }, path, planErrors, codes);
    return { index, existing, values, fields, errors: planErrors };
  });
  // Option values after the update must still be unique across the product's variants.
  const finalKeys = new Map<number, string>(current.map((v) => [v.id, keyOf(v, options)]));
  for (const plan of plans) {
    if (plan.existing && plan.values && plan.errors.length === 0)
      finalKeys.set(plan.existing.id, valuesKey(plan.values));
  }
  for (const plan of plans) {
    if (!plan.existing || !plan.values || plan.errors.length > 0) continue;
    const key = valuesKey(plan.values);
    const clash = [...finalKeys].some(([id, other]) => id !== plan.existing!.id && other === key);
    if (clash) {
      plan.errors.push(
        userError(
          ["variants", String(plan.index)],
          `The variant '${plan.values.join(" / ")}' already exists.`,
          "VARIANT_ALREADY_EXISTS",
        ),
      );
    }
  }
  const pendingUrls = new Set((args.media ?? []).map((media) => media.originalSource));
  for (const plan of plans) if (plan.errors.length === 0) checkMedia(shop, product, plan, pendingUrls);
  const planErrors = plans.flatMap((plan) => plan.errors);
  const partial = args.allowPartialUpdates === true;
  if (errors.length > 0 || (planErrors.length > 0 && !partial)) return failed([...errors, ...planErrors]);

  const now = context.now();
  const changes = new CatalogChanges();
  addMedia(context, product, args.media ?? [], now);
  applyOptions(shop, product, options);
  const updated = plans
    .filter((plan) => plan.errors.length === 0)
    .map((plan) => {
      linkMedia(shop, product, plan);
      return plan;
    })
    .map((plan) => writeVariant(shop, product, plan.existing, plan.values, plan.fields, now, changes));
  if (updated.length > 0) {
    product.updatedAt = now;
    changes.productUpdated(product.id);
  }
  changes.emit(context);
  return {
    product: productView(shop, product),
    productVariants: updated.map((variant) => variantView(shop, variant)),
    userErrors: planErrors,
  };
}
