import type { Db, Tx } from "../db.server";
import { recordChange } from "./changes.server";
import { BackOfficeError } from "./errors.server";
import { inTransaction, optionalText, requiredText, toDecimal, type DecimalInput } from "./internal.server";
import { checkSkuStrategy, variantData, type NewVariant, type SkuStrategy } from "./items.server";

/**
 * What a sales channel that is the master of the catalog (Shopify, with "Sync items: from
 * Shopify") writes on items beside the card itself (createItem / updateItem): variants added
 * to an existing item or changed, and the item's base prices as the channel states them. And,
 * when no item answers a SKU, why not, in words for the merchant.
 */

/**
 * Creates the given variants of an item, or replaces the description, barcode and option values
 * of those that exist; the item's other variants stay. Each gives a value for each of the item's
 * options; two variants of the item may not have the same values. A change is put in the feed.
 */
export async function saveItemVariants(
  db: Db | Tx,
  shopId: string,
  itemNo: string,
  variants: NewVariant[],
): Promise<void> {
  if (variants.length === 0) return;
  await inTransaction(db, async (tx) => {
    const item = await tx.boItem.findUnique({
      where: { shopId_no: { shopId, no: itemNo } },
      include: { variants: true },
    });
    if (!item) throw new BackOfficeError(`item ${itemNo} does not exist`);
    const optionCount = [item.option1Name, item.option2Name, item.option3Name].filter(Boolean).length;
    // Each variant checked as on a new item (values, unique codes and combinations) ...
    const given = variantData(variants, optionCount);
    const codes = new Set(given.map((variant) => variant.code));
    // ... and against the variants the item keeps.
    if (optionCount > 0) {
      const combination = (v: { option1: string | null; option2: string | null; option3: string | null }) =>
        [v.option1, v.option2, v.option3].join("\u0000").toLowerCase();
      const taken = new Map<string, string>();
      for (const variant of [...item.variants.filter((v) => !codes.has(v.code)), ...given]) {
        const key = combination(variant);
        const other = taken.get(key);
        if (other)
          throw new BackOfficeError(
            `variants ${other} and ${variant.code} of item ${itemNo} would have the same option values (${[variant.option1, variant.option2, variant.option3].filter(Boolean).join(" / ")})`,
          );
        taken.set(key, variant.code);
      }
    }
    for (const variant of given) {
      const { code, ...data } = variant;
      await tx.boItemVariant.upsert({
        where: { shopId_itemNo_code: { shopId, itemNo, code } },
        create: { shopId, itemNo, code, ...data },
        update: data,
      });
    }
    await recordChange(tx, shopId, "item", itemNo);
  });
}

/**
 * Sets an item's base prices as a sales channel states them: the unit price, and for each
 * variant listed a sales price for all customers in the shop's currency (null: none, the unit
 * price applies). An item-wide sales price for all customers in the shop's currency would undercut
 * them (the lowest price wins), so it is removed; price groups' prices and other currencies stay.
 */
export async function setBasePrices(
  db: Db | Tx,
  shopId: string,
  itemNo: string,
  input: { unitPrice: DecimalInput; variantPrices: { code: string; unitPrice: DecimalInput | null }[] },
): Promise<void> {
  const unitPrice = toDecimal(input.unitPrice, "item unit price");
  if (unitPrice.isNegative())
    throw new BackOfficeError(`item unit price cannot be negative: ${unitPrice.toString()}`);
  const prices = input.variantPrices.map((entry) => {
    const price = entry.unitPrice === null ? null : toDecimal(entry.unitPrice, "sales price");
    if (price?.isNegative()) throw new BackOfficeError(`sales price cannot be negative: ${price.toString()}`);
    return { code: requiredText(entry.code, "variant code"), price };
  });
  await inTransaction(db, async (tx) => {
    const item = await tx.boItem.findUnique({
      where: { shopId_no: { shopId, no: itemNo } },
      include: { variants: { select: { code: true } } },
    });
    if (!item) throw new BackOfficeError(`item ${itemNo} does not exist`);
    const known = new Set(item.variants.map((variant) => variant.code));
    const unknown = prices.find((entry) => !known.has(entry.code));
    if (unknown) throw new BackOfficeError(`item ${itemNo} has no variant ${unknown.code}`);
    await tx.boItem.update({ where: { shopId_no: { shopId, no: itemNo } }, data: { unitPrice } });
    await tx.boSalesPrice.deleteMany({
      where: {
        shopId,
        itemNo,
        priceGroup: "",
        currencyCode: "",
        variantCode: {
          in: ["", ...prices.filter((entry) => entry.price === null).map((entry) => entry.code)],
        },
      },
    });
    for (const { code, price } of prices) {
      if (price === null) continue;
      const key = { shopId, itemNo, variantCode: code, priceGroup: "", currencyCode: "" };
      await tx.boSalesPrice.upsert({
        where: { shopId_itemNo_variantCode_priceGroup_currencyCode: key },
        create: { ...key, unitPrice: price },
        update: { unitPrice: price },
      });
    }
    await recordChange(tx, shopId, "item", itemNo);
  });
}

/**
 * Why findItemForSku finds no item for this SKU or barcode, when something has it: the item it
 * names is blocked, or several items (or variants) have it. Null when nothing has it at all.
 */
export async function whyNoItemForSku(
  db: Db | Tx,
  shopId: string,
  strategy: SkuStrategy,
  line: { sku?: string | null; barcode?: string | null },
): Promise<string | null> {
  checkSkuStrategy(strategy);
  const sku = optionalText(line.sku);
  const barcode = optionalText(line.barcode);
  const reasons: string[] = [];
  if (sku) {
    switch (strategy) {
      case "item_no":
        reasons.push(...(await blockedItem(db, shopId, sku)));
        break;
      case "item_no_variant_code": {
        const at = sku.lastIndexOf("-");
        if (at > 0 && at < sku.length - 1) reasons.push(...(await blockedItem(db, shopId, sku.slice(0, at))));
        reasons.push(...(await blockedItem(db, shopId, sku)));
        break;
      }
      case "variant_code":
        reasons.push(...(await byVariant(db, shopId, { code: sku }, `SKU ${sku} is the variant code`)));
        break;
      case "vendor_item_no":
        reasons.push(
          ...(await byItem(db, shopId, { vendorItemNo: sku }, `SKU ${sku} is the vendor item no.`)),
        );
        break;
      case "barcode":
        reasons.push(...(await byBarcode(db, shopId, sku, `SKU ${sku}`)));
        break;
    }
  }
  if (reasons.length === 0 && barcode)
    reasons.push(...(await byBarcode(db, shopId, barcode, `barcode ${barcode}`)));
  return reasons[0] ?? null;
}

async function blockedItem(db: Db | Tx, shopId: string, no: string): Promise<string[]> {
  const item = await db.boItem.findUnique({
    where: { shopId_no: { shopId, no } },
    select: { blocked: true },
  });
  return item?.blocked ? [`item ${no} is blocked`] : [];
}

async function byVariant(
  db: Db | Tx,
  shopId: string,
  where: { code?: string; barcode?: string },
  what: string,
): Promise<string[]> {
  const variants = await db.boItemVariant.findMany({
    where: { shopId, ...where },
    select: { itemNo: true, code: true, item: { select: { blocked: true } } },
    orderBy: [{ itemNo: "asc" }, { code: "asc" }],
    take: 5,
  });
  const open = variants.filter((variant) => !variant.item.blocked);
  if (open.length > 1)
    return [`${what} of several item variants (${open.map((v) => `${v.itemNo} ${v.code}`).join(", ")})`];
  if (open.length === 0 && variants.length > 0)
    return [`${what} of item ${variants[0]!.itemNo}'s variant ${variants[0]!.code}, and the item is blocked`];
  return [];
}

async function byItem(
  db: Db | Tx,
  shopId: string,
  where: { vendorItemNo?: string; barcode?: string },
  what: string,
): Promise<string[]> {
  const items = await db.boItem.findMany({
    where: { shopId, ...where },
    select: { no: true, blocked: true },
    orderBy: { no: "asc" },
    take: 5,
  });
  const open = items.filter((item) => !item.blocked);
  if (open.length > 1) return [`${what} of several items (${open.map((item) => item.no).join(", ")})`];
  if (open.length === 0 && items.length > 0) return [`${what} of item ${items[0]!.no}, which is blocked`];
  return [];
}

async function byBarcode(db: Db | Tx, shopId: string, barcode: string, what: string): Promise<string[]> {
  const variants = await byVariant(db, shopId, { barcode }, `${what} is the barcode`);
  if (variants.length > 0) return variants;
  return byItem(db, shopId, { barcode }, `${what} is the barcode`);
}
