import type { Db, Tx } from "../db.server";
import {
  Prisma,
  type BoCustomerPriceGroup,
  type BoItem,
  type BoLineDiscount,
  type BoSalesPrice,
} from "../generated/prisma/client";
import { recordChange, recordChanges } from "./changes.server";
import { BackOfficeError } from "./errors.server";
import {
  inTransaction,
  optionalText,
  requiredText,
  roundMoney,
  toDecimal,
  type DecimalInput,
} from "./internal.server";

/**
 * Prices: customer price groups with sales prices per item or variant (quantity one), customer
 * discount groups with line discounts, and the one price calculation, `priceOf`, that the
 * products sync (and later the catalog prices) use.
 *
 * The calculation, as Business Central's best price for quantity one:
 * - the candidates are the item's sales prices in the context's currency for all customers
 *   and for the context's price group, for the variant and for every variant; with none in the
 *   shop's currency, the item's unit price is the one candidate;
 * - each candidate is turned to the context's tax basis (with or without tax) by the item's tax
 *   rate: the all-customers prices and the unit price include tax when the item says so, a
 *   group's prices when the group says so; the lowest is the undiscounted price;
 * - the highest line discount of the context's discount group for the item or variant, or for
 *   every item, applies, unless the winning price's group allows no line discount;
 * - the price is the discounted one, rounded to cents half up; the compare-at price is the
 *   undiscounted one only when it is higher (never equal, never 0).
 */

export interface PriceContext {
  /** The customer price group whose prices count besides the all-customers ones. */
  priceGroup?: string | null;
  discountGroup?: string | null;
  /** null or absent: the shop's currency. */
  currencyCode?: string | null;
  /** Whether the price asked for includes tax. */
  pricesIncludingTax: boolean;
}

export interface Price {
  price: Prisma.Decimal;
  compareAtPrice: Prisma.Decimal | null;
  /** Where the undiscounted price came from, in words ("sales price of group RETAIL, variant RED"). */
  source: string;
  discountPct: Prisma.Decimal;
}

/** What priceOf needs of the item. */
export type PricedItem = Pick<BoItem, "no" | "unitPrice" | "priceIncludesTax" | "taxRatePct">;

/** The prices and discounts of some items, loaded at once (`priceBook`) for many priceOf calls. */
export interface PriceBook {
  groups: Map<string, Pick<BoCustomerPriceGroup, "code" | "pricesIncludingTax" | "allowLineDiscount">>;
  /** By item number. */
  prices: Map<string, BoSalesPrice[]>;
  /** By discount group; each with its item ("" for every item). */
  discounts: Map<string, BoLineDiscount[]>;
}

const HUNDRED = new Prisma.Decimal(100);

export function priceOf(
  item: PricedItem,
  variantCode: string | null,
  context: PriceContext,
  book: PriceBook,
): Price {
  const variant = variantCode ?? "";
  const currency = optionalText(context.currencyCode) ?? "";
  const group = optionalText(context.priceGroup)?.toUpperCase() ?? null;
  if (group && !book.groups.has(group))
    throw new BackOfficeError(`customer price group ${group} does not exist`);
  const rate = new Prisma.Decimal(item.taxRatePct);
  const toBasis = (amount: Prisma.Decimal, includesTax: boolean) => {
    if (includesTax === context.pricesIncludingTax) return amount;
    const factor = HUNDRED.plus(rate).dividedBy(HUNDRED);
    return includesTax ? amount.dividedBy(factor) : amount.times(factor);
  };

  const candidates = (book.prices.get(item.no) ?? []).filter(
    (price) =>
      price.currencyCode === currency &&
      (price.variantCode === "" || price.variantCode === variant) &&
      (price.priceGroup === "" || price.priceGroup === group),
  );
  let best: { amount: Prisma.Decimal; source: string; allowLineDiscount: boolean } | null = null;
  for (const price of candidates) {
    const priceGroup = price.priceGroup ? book.groups.get(price.priceGroup) : undefined;
    const amount = toBasis(
      new Prisma.Decimal(price.unitPrice),
      priceGroup ? priceGroup.pricesIncludingTax : item.priceIncludesTax,
    );
    if (best && !amount.lessThan(best.amount)) continue;
    best = {
      amount,
      source: `sales price ${price.priceGroup ? `of group ${price.priceGroup}` : "for all customers"}${price.variantCode ? `, variant ${price.variantCode}` : ""}${price.currencyCode ? ` in ${price.currencyCode}` : ""}`,
      allowLineDiscount: priceGroup ? priceGroup.allowLineDiscount : true,
    };
  }
  if (!best) {
    if (currency !== "")
      throw new BackOfficeError(
        `item ${item.no} has no sales price in ${currency}${variant ? ` (variant ${variant})` : ""}`,
      );
    best = {
      amount: toBasis(new Prisma.Decimal(item.unitPrice), item.priceIncludesTax),
      source: "the item's unit price",
      allowLineDiscount: true,
    };
  }

  const discountGroup = optionalText(context.discountGroup)?.toUpperCase();
  let discountPct = new Prisma.Decimal(0);
  if (discountGroup && best.allowLineDiscount) {
    for (const discount of book.discounts.get(discountGroup) ?? []) {
      const fits =
        (discount.itemNo === "" || discount.itemNo === item.no) &&
        (discount.variantCode === "" || discount.variantCode === variant);
      if (fits && discount.discountPct.greaterThan(discountPct))
        discountPct = new Prisma.Decimal(discount.discountPct);
    }
  }
  const undiscounted = roundMoney(best.amount);
  const price = roundMoney(best.amount.times(HUNDRED.minus(discountPct)).dividedBy(HUNDRED));
  return {
    price,
    compareAtPrice: undiscounted.greaterThan(price) && !undiscounted.isZero() ? undiscounted : null,
    source: best.source,
    discountPct,
  };
}

/** The price groups, and the sales prices and line discounts of these items, for priceOf. */
export async function priceBook(db: Db | Tx, shopId: string, itemNos: string[]): Promise<PriceBook> {
  const [groups, prices, discounts] = await Promise.all([
    db.boCustomerPriceGroup.findMany({ where: { shopId } }),
    db.boSalesPrice.findMany({ where: { shopId, itemNo: { in: itemNos } } }),
    db.boLineDiscount.findMany({ where: { shopId, itemNo: { in: ["", ...itemNos] } } }),
  ]);
  const book: PriceBook = {
    groups: new Map(groups.map((group) => [group.code, group])),
    prices: new Map(),
    discounts: new Map(),
  };
  for (const price of prices)
    book.prices.set(price.itemNo, [...(book.prices.get(price.itemNo) ?? []), price]);
  for (const discount of discounts)
    book.discounts.set(discount.discountGroup, [
      ...(book.discounts.get(discount.discountGroup) ?? []),
      discount,
    ]);
  return book;
}

/** Creates or changes a customer price group; its items' prices change, so they go in the change feed. */
export async function savePriceGroup(
  db: Db | Tx,
  shopId: string,
  input: { code: string; description: string; pricesIncludingTax?: boolean; allowLineDiscount?: boolean },
): Promise<BoCustomerPriceGroup> {
  const code = groupCode(input.code, "customer price group code");
  const data = {
    description: requiredText(input.description, "customer price group description"),
    pricesIncludingTax: input.pricesIncludingTax ?? false,
    allowLineDiscount: input.allowLineDiscount ?? true,
  };
  return inTransaction(db, async (tx) => {
    const group = await tx.boCustomerPriceGroup.upsert({
      where: { shopId_code: { shopId, code } },
      create: { shopId, code, ...data },
      update: data,
    });
    const priced = await tx.boSalesPrice.findMany({
      where: { shopId, priceGroup: code },
      select: { itemNo: true },
      distinct: ["itemNo"],
    });
    await recordChanges(
      tx,
      shopId,
      "item",
      priced.map((price) => price.itemNo),
    );
    return group;
  });
}

/** The shop's customer price group of this code, or null. */
export async function findPriceGroup(db: Db | Tx, shopId: string, code: string) {
  return db.boCustomerPriceGroup.findUnique({
    where: { shopId_code: { shopId, code: code.trim().toUpperCase() } },
  });
}

/** The shop's customer discount group of this code, or null. */
export async function findDiscountGroup(db: Db | Tx, shopId: string, code: string) {
  return db.boCustomerDiscountGroup.findUnique({
    where: { shopId_code: { shopId, code: code.trim().toUpperCase() } },
  });
}

/** Creates or changes a customer discount group (its description). */
export async function saveDiscountGroup(
  db: Db | Tx,
  shopId: string,
  input: { code: string; description: string },
) {
  const code = groupCode(input.code, "customer discount group code");
  const description = requiredText(input.description, "customer discount group description");
  return db.boCustomerDiscountGroup.upsert({
    where: { shopId_code: { shopId, code } },
    create: { shopId, code, description },
    update: { description },
  });
}

/**
 * Sets a sales price (quantity one) of an item or one of its variants, for all customers or a
 * price group, in the shop's currency or another; `unitPrice` null removes it.
 */
export async function setSalesPrice(
  db: Db | Tx,
  shopId: string,
  input: {
    itemNo: string;
    variantCode?: string | null;
    priceGroup?: string | null;
    currencyCode?: string | null;
    unitPrice: DecimalInput | null;
  },
): Promise<void> {
  const itemNo = requiredText(input.itemNo, "item number");
  const variantCode = optionalText(input.variantCode) ?? "";
  const priceGroup = optionalText(input.priceGroup)?.toUpperCase() ?? "";
  const currencyCode = optionalText(input.currencyCode)?.toUpperCase() ?? "";
  if (currencyCode && !/^[A-Z]{3}$/.test(currencyCode))
    throw new BackOfficeError(`currency code must be three letters (ISO 4217), got "${currencyCode}"`);
  const unitPrice = input.unitPrice === null ? null : toDecimal(input.unitPrice, "sales price");
  if (unitPrice?.isNegative())
    throw new BackOfficeError(`sales price cannot be negative: ${unitPrice.toString()}`);
  await inTransaction(db, async (tx) => {
    await requireItemVariant(tx, shopId, itemNo, variantCode);
    if (
      priceGroup &&
      !(await tx.boCustomerPriceGroup.findUnique({ where: { shopId_code: { shopId, code: priceGroup } } }))
    )
      throw new BackOfficeError(`customer price group ${priceGroup} does not exist`);
    const key = { shopId, itemNo, variantCode, priceGroup, currencyCode };
    if (unitPrice === null) await tx.boSalesPrice.deleteMany({ where: key });
    else
      await tx.boSalesPrice.upsert({
        where: { shopId_itemNo_variantCode_priceGroup_currencyCode: key },
        create: { ...key, unitPrice },
        update: { unitPrice },
      });
    await recordChange(tx, shopId, "item", itemNo);
  });
}

/**
 * Sets a discount group's line discount in percent on an item (or one variant), or on every
 * item (itemNo null); `discountPct` null removes it. The items it touches go in the change feed.
 */
export async function setLineDiscount(
  db: Db | Tx,
  shopId: string,
  input: {
    discountGroup: string;
    itemNo?: string | null;
    variantCode?: string | null;
    discountPct: DecimalInput | null;
  },
): Promise<void> {
  const discountGroup = requiredText(input.discountGroup, "customer discount group").toUpperCase();
  const itemNo = optionalText(input.itemNo) ?? "";
  const variantCode = optionalText(input.variantCode) ?? "";
  if (variantCode && !itemNo) throw new BackOfficeError("a line discount on a variant names its item");
  const discountPct = input.discountPct === null ? null : toDecimal(input.discountPct, "line discount");
  if (discountPct && (discountPct.isNegative() || discountPct.greaterThan(100)))
    throw new BackOfficeError(`line discount must be from 0 to 100 percent, got ${discountPct.toString()}`);
  await inTransaction(db, async (tx) => {
    if (
      !(await tx.boCustomerDiscountGroup.findUnique({
        where: { shopId_code: { shopId, code: discountGroup } },
      }))
    )
      throw new BackOfficeError(`customer discount group ${discountGroup} does not exist`);
    if (itemNo) await requireItemVariant(tx, shopId, itemNo, variantCode);
    const key = { shopId, discountGroup, itemNo, variantCode };
    if (discountPct === null) await tx.boLineDiscount.deleteMany({ where: key });
    else
      await tx.boLineDiscount.upsert({
        where: { shopId_discountGroup_itemNo_variantCode: key },
        create: { ...key, discountPct },
        update: { discountPct },
      });
    const touched = itemNo
      ? [itemNo]
      : (await tx.boItem.findMany({ where: { shopId }, select: { no: true } })).map((item) => item.no);
    await recordChanges(tx, shopId, "item", touched);
  });
}

/** The item exists, and so does its variant when one is named ("" for none). */
async function requireItemVariant(
  tx: Tx,
  shopId: string,
  itemNo: string,
  variantCode: string,
): Promise<void> {
  const item = await tx.boItem.findUnique({
    where: { shopId_no: { shopId, no: itemNo } },
    include: { variants: true },
  });
  if (!item) throw new BackOfficeError(`item ${itemNo} does not exist`);
  if (variantCode && !item.variants.some((variant) => variant.code === variantCode))
    throw new BackOfficeError(`item ${itemNo} has no variant ${variantCode}`);
}

function groupCode(value: string, field: string): string {
  const code = requiredText(value, field).toUpperCase();
  if (!/^[A-Z0-9_-]{1,20}$/.test(code))
    throw new BackOfficeError(`${field} is 1 to 20 letters, digits, - or _, got "${value}"`);
  return code;
}
