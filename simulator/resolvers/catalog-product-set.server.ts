import type { MediaRecord, ProductRecord, VariantRecord } from "../state/records.server";
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
import { startedOperation } from "./catalog-operations.server";
import { applyFiles, checkFiles, fileKey, type FileSetInput } from "./catalog-media.server";
import {
  applyProductFields,
  checkProductFields,
  createProductRecord,
  type ProductFieldsInput,
} from "./catalog-products.server";
import { deleteVariant, newOption, productByHandle, slugify, variantsOf } from "./catalog-store.server";
import { productView } from "./catalog-views.server";

/**
 * productSet: create or update a product from a full description. List fields (options,
 * variants, files) replace what the product had; other fields change only when given.
 * Variants are matched by id, else by their option values, so a repeated sync keeps ids.
 * https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/productSet
 */

const MAX_OPTIONS = 3;
const MAX_VARIANTS = 2048;

interface OptionSetInput {
  id?: string | null;
  name?: string | null;
  position?: number | null;
  values?: { id?: string | null; name?: string | null }[] | null;
}

interface ProductSetInput extends ProductFieldsInput {
  id?: string | null;
  productOptions?: OptionSetInput[] | null;
  variants?: (VariantInput & { file?: FileSetInput | null })[] | null;
  files?: FileSetInput[] | null;
}

interface ProductSetArgs {
  input: ProductSetInput;
  identifier?: { id?: string | null; handle?: string | null; customId?: unknown } | null;
  synchronous?: boolean | null;
}

interface VariantPlan {
  existing: VariantRecord | null;
  values: string[] | null;
  fields: VariantFields;
  file: FileSetInput | null;
}

function parseOptions(inputs: OptionSetInput[], product: ProductRecord | undefined, errors: UserError[]) {
  const specs: (OptionSpec & { position: number })[] = [];
  const base = ["input", "productOptions"];
  if (inputs.length > MAX_OPTIONS) {
    errors.push(
      userError(base, `Can only specify a maximum of ${MAX_OPTIONS} options`, "OPTIONS_OVER_LIMIT"),
    );
  }
  inputs.forEach((input, index) => {
    const at = [...base, String(index)];
    const optionId = input.id ? parseGid(input.id, "ProductOption") : null;
    const existing = optionId === null ? undefined : product?.options.find((o) => o.id === optionId);
    if (input.id && !existing) {
      errors.push(userError([...at, "id"], "Option does not exist", "OPTION_DOES_NOT_EXIST"));
      return;
    }
    const name = input.name?.trim() || existing?.name || "";
    if (!name) errors.push(userError([...at, "name"], "Option name can't be blank", "INVALID_INPUT"));
    if (specs.some((spec) => spec.name.toLowerCase() === name.toLowerCase())) {
      errors.push(userError([...at, "name"], `Duplicated option name '${name}'`, "DUPLICATED_OPTION_NAME"));
    }
    const values: string[] = [];
    const valueIds: (number | null)[] = [];
    const valueInputs = input.values ?? existing?.values.map((value) => ({ id: null, name: value })) ?? [];
    valueInputs.forEach((value, valueIndex) => {
      const valueAt = [...at, "values", String(valueIndex)];
      const valueId = value.id ? parseGid(value.id, "ProductOptionValue") : null;
      const known = existing && valueId !== null ? (existing.valueIds ?? []).indexOf(valueId) : -1;
      if (value.id && known < 0) {
        errors.push(userError(valueAt, "Option value does not exist", "OPTION_VALUE_DOES_NOT_EXIST"));
        return;
      }
      const valueName = value.name?.trim() || (known >= 0 ? existing!.values[known] : "") || "";
      if (!valueName) {
        errors.push(userError(valueAt, "Option value name can't be blank", "INVALID_INPUT"));
        return;
      }
      if (values.includes(valueName)) {
        errors.push(userError(valueAt, `Duplicated option value '${valueName}'`, "DUPLICATED_OPTION_VALUE"));
        return;
      }
      values.push(valueName);
      // An existing value keeps its id unless it is given a new name without its id.
      const keptIndex = known >= 0 ? known : (existing?.values.indexOf(valueName) ?? -1);
      valueIds.push(keptIndex >= 0 ? (existing!.valueIds?.[keptIndex] ?? null) : null);
    });
    if (values.length === 0) {
      errors.push(
        userError([...at, "values"], `Option '${name}' needs at least one value`, "OPTION_VALUES_MISSING"),
      );
    }
    specs.push({ id: existing?.id ?? null, name, values, valueIds, position: input.position ?? index + 1 });
  });
  return specs.sort((a, b) => a.position - b.position);
}

function sameValues(variant: VariantRecord, options: OptionSpec[], values: string[]): boolean {
  return options.every(
    (option, index) =>
      variant.selectedOptions.find((s) => s.name.toLowerCase() === option.name.toLowerCase())?.value ===
      values[index],
  );
}

function findTarget(shop: ShopState, args: ProductSetArgs, errors: UserError[]) {
  const ref = args.identifier?.id ?? args.input.id ?? null;
  if (ref) {
    const id = parseGid(ref, "Product");
    const product = id === null ? undefined : shop.products.get(id);
    if (!product) {
      const field = args.identifier?.id ? ["identifier", "id"] : ["input", "id"];
      errors.push(userError(field, "Product does not exist", "PRODUCT_DOES_NOT_EXIST"));
    }
    return { product, upsertHandle: undefined };
  }
  const handle = args.identifier?.handle;
  if (handle) {
    const product = productByHandle(shop, slugify(handle));
    return { product, upsertHandle: product ? undefined : handle };
  }
  return { product: undefined, upsertHandle: undefined };
}

function planVariants(
  shop: ShopState,
  input: ProductSetInput,
  product: ProductRecord | undefined,
  options: OptionSpec[],
  errors: UserError[],
): VariantPlan[] {
  const inputs = input.variants ?? [];
  if (inputs.length > MAX_VARIANTS) {
    errors.push(
      userError(
        ["input", "variants"],
        `Can only specify a maximum of ${MAX_VARIANTS} variants`,
        "VARIANTS_OVER_LIMIT",
      ),
    );
  }
  const quantities = inventoryQuantityCount(inputs);
  if (quantities > MAX_INVENTORY_QUANTITIES) {
    errors.push(
      userError(
        ["input", "variants"],
        `Input contains ${quantities} inventory quantities, which exceeds the limit of ${MAX_INVENTORY_QUANTITIES}`,
        "INVENTORY_QUANTITIES_LIMIT_EXCEEDED",
      ),
    );
  }
  const fileKeys = new Set((input.files ?? []).map(fileKey));
  const current = product ? variantsOf(shop, product) : [];
  const plans = inputs.map((variant, index): VariantPlan => {
    refuseUnsupported(
      variant,
      ["metafields", "unitPriceMeasurement", "requiresComponents"],
      "ProductVariantSetInput",
    );
    const path = ["input", "variants", String(index)];
    let existing: VariantRecord | null = null;
    if (variant.id) {
      const id = parseGid(variant.id, "ProductVariant");
      existing = current.find((v) => v.id === id) ?? null;
      if (!existing) {
        errors.push(
          userError([...path, "id"], "Product variant does not exist", "PRODUCT_VARIANT_DOES_NOT_EXIST"),
        );
      }
    }
    const values = resolveOptionValues(
      options,
      variant.optionValues ?? [],
      [...path, "optionValues"],
      errors,
      {
        missingOption: "INVALID_VARIANT",
        unknownOption: "OPTION_DOES_NOT_EXIST",
        unknownValue: "OPTION_VALUE_DOES_NOT_EXIST",
      },
      false,
    );
    const fields = parseVariantFields(shop, variant, path, errors, {
      invalid: "INVALID_VARIANT",
      negativePrice: "INVALID_VARIANT",
      location: "INVALID_VARIANT",
      tooLong: "INVALID_VARIANT",
    });
    if (variant.file && !fileKeys.has(fileKey(variant.file))) {
      errors.push(
        userError(
          [...path, "file"],
          "The variant's file must also be in the product's files",
          "INVALID_VARIANT",
        ),
      );
    }
    return { existing, values, fields, file: variant.file ?? null };
  });
  const seen = new Set<string>();
  plans.forEach((plan, index) => {
    if (!plan.values) return;
    const key = plan.values.join("\u0000");
    if (seen.has(key)) {
      errors.push(
        userError(
          ["input", "variants", String(index)],
          `The variant '${plan.values.join(" / ")}' already exists.`,
          "INVALID_VARIANT",
        ),
      );
    }
    seen.add(key);
  });
  // Variants given without an id update the existing variant with the same option values.
  const claimed = new Set(plans.flatMap((plan) => (plan.existing ? [plan.existing.id] : [])));
  for (const plan of plans) {
    if (plan.existing || !plan.values) continue;
    const match = current.find((v) => !claimed.has(v.id) && sameValues(v, options, plan.values!));
    if (match) {
      plan.existing = match;
      claimed.add(match.id);
    }
  }
  // An existing variant's quantities can only be set where it is already stocked (field docs).
  plans.forEach((plan, index) => {
    const existing = plan.existing;
    if (!existing) return;
    plan.fields.inventoryQuantities?.forEach((quantity, q) => {
      if (shop.inventoryLevel(existing.inventoryItemId, quantity.locationId)) return;
      errors.push(
        userError(
          ["input", "variants", String(index), "inventoryQuantities", String(q), "locationId"],
          "The variant is not stocked at this location",
          "INVALID_VARIANT",
        ),
      );
    });
  });
  return plans;
}

export function productSet(args: ProductSetArgs, context: ResolverContext) {
  const { shop } = context;
  const input = args.input;
  refuseUnsupported(args.identifier, ["customId"], "ProductSetIdentifiers");
  refuseUnsupported(
    input,
    ["metafields", "collections", "claimOwnership", "combinedListingRole", "category"],
    "ProductSetInput",
  );
  const errors: UserError[] = [];
  const fail = (list: UserError[]) => ({ product: null, productSetOperation: null, userErrors: list });

  const { product: found, upsertHandle } = findTarget(shop, args, errors);
  if (errors.length > 0) return fail(errors);
  const handle = checkProductFields(
    shop,
    input,
    found,
    (name) => ["input", name],
    errors,
    { invalid: "INVALID_PRODUCT", handle: "HANDLE_NOT_UNIQUE" },
    upsertHandle,
  );
  const options = input.productOptions
    ? parseOptions(input.productOptions, found, errors)
    : optionSpecs(found);
  if (input.variants && !input.productOptions && !found) {
    errors.push(
      userError(
        ["input", "productOptions"],
        "Product options are required when variants are given",
        "PRODUCT_OPTIONS_INPUT_MISSING",
      ),
    );
  }
  if (input.productOptions && !input.variants) {
    errors.push(
      userError(
        ["input", "variants"],
        "Variants are required when product options are given",
        "VARIANTS_INPUT_MISSING",
      ),
    );
  }
  if (input.files) checkFiles(shop, found, input.files, errors);
  const plans = input.variants ? planVariants(shop, input, found, options, errors) : [];
  if (errors.length > 0) return fail(errors);

  const now = context.now();
  const changes = new CatalogChanges();
  const product = found ?? createProductRecord(shop, handle, now);
  if (found) changes.productUpdated(product.id);
  else changes.productCreated(product.id);
  applyProductFields(product, input, handle, now);
  if (input.productOptions) {
    product.options = options.map((spec) => {
      const option = newOption(shop, spec.name, spec.values);
      if (spec.id !== null) option.id = spec.id;
      option.valueIds = spec.valueIds.map((id, index) => id ?? option.valueIds![index]!);
      return option;
    });
  }
  const media = input.files ? applyFiles(context, product, input.files, now) : new Map<string, MediaRecord>();
  if (input.variants) {
    const kept = new Set(plans.flatMap((plan) => (plan.existing ? [plan.existing.id] : [])));
    for (const variant of variantsOf(shop, product))
      if (!kept.has(variant.id)) deleteVariant(shop, variant.id);
    const written = plans.map((plan) => {
      const fields = plan.file
        ? { ...plan.fields, mediaId: media.get(fileKey(plan.file))?.id ?? null }
        : plan.fields;
      return writeVariant(shop, product, plan.existing, plan.values, fields, now, changes);
    });
    written.forEach((variant, index) => {
      variant.position = index + 1;
    });
    product.variantIds = written.map((variant) => variant.id);
  } else if (!found) {
    product.options = [newOption(shop, "Title", ["Default Title"])];
    writeVariant(shop, product, null, ["Default Title"], { inventoryItem: {} }, now, changes);
  }
  changes.emit(context);

  if (args.synchronous === false) {
    return {
      product: null,
      productSetOperation: startedOperation(shop, "ProductSetOperation", product.id),
      userErrors: [],
    };
  }
  return { product: productView(shop, product), productSetOperation: null, userErrors: [] };
}
