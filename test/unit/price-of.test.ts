import { describe, expect, it } from "vitest";
import { priceOf, type PriceBook, type PricedItem } from "../../app/backoffice/backoffice.server";
import { Prisma } from "../../app/generated/prisma/client";

/** The one price calculation, on prices given by hand (test/backoffice/pricing.test.ts loads them). */

const d = (value: string) => new Prisma.Decimal(value);
const item = (over: Partial<PricedItem> = {}): PricedItem => ({
  no: "TEE",
  unitPrice: d("25.00"),
  priceIncludesTax: false,
  taxRatePct: d("20"),
  ...over,
});
const price = (
  unitPrice: string,
  over: { variantCode?: string; priceGroup?: string; currencyCode?: string } = {},
) => ({
  shopId: "s",
  itemNo: "TEE",
  variantCode: over.variantCode ?? "",
  priceGroup: over.priceGroup ?? "",
  currencyCode: over.currencyCode ?? "",
  unitPrice: d(unitPrice),
});
const book = (over: Partial<PriceBook> = {}): PriceBook => ({
  groups: new Map([
    ["RETAIL", { code: "RETAIL", pricesIncludingTax: true, allowLineDiscount: true }],
    ["NET", { code: "NET", pricesIncludingTax: false, allowLineDiscount: false }],
  ]),
  prices: new Map(),
  discounts: new Map(),
  ...over,
});
const text = (p: ReturnType<typeof priceOf>) => [
  p.price.toFixed(2),
  p.compareAtPrice?.toFixed(2) ?? null,
  p.source,
];

describe("priceOf", () => {
  it("is the item's unit price when no sales price applies, with no compare-at price", () => {
    expect(text(priceOf(item(), null, { pricesIncludingTax: false }, book()))).toEqual([
      "25.00",
      null,
      "the item's unit price",
    ]);
  });

  it("turns a price to the basis asked for by the item's tax rate, rounded to cents half up", () => {
    expect(priceOf(item(), null, { pricesIncludingTax: true }, book()).price.toFixed(2)).toBe("30.00");
    const gross = item({ unitPrice: d("9.99"), priceIncludesTax: true });
    // 9.99 / 1.2 = 8.325 → 8.33
    expect(priceOf(gross, null, { pricesIncludingTax: false }, book()).price.toFixed(2)).toBe("8.33");
    expect(priceOf(gross, null, { pricesIncludingTax: true }, book()).price.toFixed(2)).toBe("9.99");
  });

  it("takes the lowest of the sales prices that apply: all customers, the group, the variant", () => {
    const prices = new Map([
      [
        "TEE",
        [
          price("24.00"),
          price("22.00", { variantCode: "RED" }),
          price("21.00", { variantCode: "BLUE" }),
          price("26.40", { priceGroup: "RETAIL" }), // incl. tax: 22.00 without
          price("19.00", { priceGroup: "NET", variantCode: "RED" }),
        ],
      ],
    ]);
    const b = book({ prices });
    expect(text(priceOf(item(), "RED", { pricesIncludingTax: false }, b))).toEqual([
      "22.00",
      null,
      "sales price for all customers, variant RED",
    ]);
    expect(priceOf(item(), null, { pricesIncludingTax: false }, b).price.toFixed(2)).toBe("24.00");
    expect(text(priceOf(item(), "RED", { priceGroup: "net", pricesIncludingTax: false }, b))).toEqual([
      "19.00",
      null,
      "sales price of group NET, variant RED",
    ]);
    // RETAIL's 26.40 includes tax: 22.00 without, below the all-customers 24.00.
    expect(
      priceOf(item(), null, { priceGroup: "RETAIL", pricesIncludingTax: false }, b).price.toFixed(2),
    ).toBe("22.00");
  });

  it("applies the discount group's best line discount, the undiscounted price becoming the compare-at price", () => {
    const discounts = new Map([
      [
        "VIP",
        [
          { shopId: "s", discountGroup: "VIP", itemNo: "", variantCode: "", discountPct: d("5") },
          { shopId: "s", discountGroup: "VIP", itemNo: "TEE", variantCode: "RED", discountPct: d("10") },
          { shopId: "s", discountGroup: "VIP", itemNo: "MUG", variantCode: "", discountPct: d("50") },
        ],
      ],
    ]);
    const b = book({ discounts, prices: new Map([["TEE", [price("19.00", { priceGroup: "NET" })]]]) });
    expect(text(priceOf(item(), "RED", { discountGroup: "VIP", pricesIncludingTax: false }, b))).toEqual([
      "22.50",
      "25.00",
      "the item's unit price",
    ]);
    expect(
      priceOf(item(), "BLUE", { discountGroup: "VIP", pricesIncludingTax: false }, b).price.toFixed(2),
    ).toBe("23.75");
    // NET allows no line discount on its prices.
    expect(
      text(priceOf(item(), "RED", { priceGroup: "NET", discountGroup: "VIP", pricesIncludingTax: false }, b)),
    ).toEqual(["19.00", null, "sales price of group NET"]);
  });

  it("never gives a compare-at price equal to the price or of 0", () => {
    const free = item({ unitPrice: d("0") });
    const discounts = new Map([
      ["ALL", [{ shopId: "s", discountGroup: "ALL", itemNo: "", variantCode: "", discountPct: d("100") }]],
    ]);
    expect(
      priceOf(free, null, { discountGroup: "ALL", pricesIncludingTax: false }, book({ discounts })),
    ).toMatchObject({
      compareAtPrice: null,
    });
    const tiny = item({ unitPrice: d("0.004") });
    const p = priceOf(tiny, null, { discountGroup: "ALL", pricesIncludingTax: false }, book({ discounts }));
    expect([p.price.toFixed(2), p.compareAtPrice]).toEqual(["0.00", null]);
    const half = new Map([
      ["H", [{ shopId: "s", discountGroup: "H", itemNo: "", variantCode: "", discountPct: d("0.01") }]],
    ]);
    // 0.01% of 1.00 rounds away: price and undiscounted are equal, so no compare-at price.
    expect(
      priceOf(
        item({ unitPrice: d("1.00") }),
        null,
        { discountGroup: "H", pricesIncludingTax: false },
        book({ discounts: half }),
      ).compareAtPrice,
    ).toBeNull();
  });

  it("in another currency takes that currency's prices only, and says when there is none", () => {
    const b = book({ prices: new Map([["TEE", [price("28.00", { currencyCode: "USD" }), price("24.00")]]]) });
    expect(text(priceOf(item(), null, { currencyCode: "USD", pricesIncludingTax: false }, b))).toEqual([
      "28.00",
      null,
      "sales price for all customers in USD",
    ]);
    expect(() => priceOf(item(), null, { currencyCode: "GBP", pricesIncludingTax: false }, b)).toThrow(
      "item TEE has no sales price in GBP",
    );
    expect(() => priceOf(item(), null, { priceGroup: "NOPE", pricesIncludingTax: false }, b)).toThrow(
      "customer price group NOPE does not exist",
    );
  });
});
