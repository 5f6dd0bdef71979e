import type { Db, Tx } from "../db.server";
import { recordChange } from "./changes.server";
import { BackOfficeError } from "./errors.server";
import { inTransaction, requiredText, toDecimal, type DecimalInput } from "./internal.server";
import {
  findItemsForSkus,
  variantData,
  type NewVariant,
  type SkuLine,
  type SkuStrategy,
} from "./items.server";

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
 * (The rules are findItemsForSkus's, which answers this for many lines at once.)
 */
export async function whyNoItemForSku(
  db: Db | Tx,
  shopId: string,
  strategy: SkuStrategy,
  line: SkuLine,
): Promise<string | null> {
  const [lookup] = await findItemsForSkus(db, shopId, strategy, [line]);
  return lookup!.why;
}
