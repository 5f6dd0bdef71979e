import { describe, expect, it } from "vitest";
import {
  BackOfficeError,
  changesSince,
  createItem,
  findItem,
  priceBook,
  priceOf,
  saveDiscountGroup,
  savePriceGroup,
  setLineDiscount,
  setSalesPrice,
  updateItem,
} from "../../app/backoffice/backoffice.server";
import prisma from "../../app/db.server";
import { installedShop } from "../support/shops";

const changedItems = async (shopId: string, after: string | null) =>
  (await changesSince(prisma, shopId, "item", after)).changes.map((change) => change.key);
const snapshot = async (shopId: string) => (await changesSince(prisma, shopId, "item", null)).snapshot;

const shirt = {
  no: "SHIRT",
  description: "Oxford shirt",
  descriptionHtml: "<p>Woven <strong>cotton</strong></p>",
  vendor: "Mill & Co",
  productType: "Shirts",
  tags: ["cotton", " summer ", "cotton"],
  unitPrice: "49.00",
  unitCost: "18.50",
  weight: "0.35",
  barcode: "4006381333931",
  optionNames: ["Size", "Color"],
  variants: [
    { code: "S-WHITE", description: "S, white", options: ["S", "White"], barcode: "4006381333948" },
    { code: "M-WHITE", description: "M, white", options: ["M", "White"] },
  ],
};

describe("the item card", () => {
  it("keeps what a catalog needs, with up to three options whose values each variant gives", async () => {
    const shop = await installedShop();
    const before = await snapshot(shop.id);
    await createItem(prisma, shop.id, shirt);

    const item = await findItem(prisma, shop.id, "SHIRT");
    expect(item).toMatchObject({
      descriptionHtml: "<p>Woven <strong>cotton</strong></p>",
      vendor: "Mill & Co",
      productType: "Shirts",
      tags: ["cotton", "summer"],
      weightUnit: "KILOGRAMS",
      option1Name: "Size",
      option2Name: "Color",
      option3Name: null,
      salesBlocked: false,
    });
    expect([item!.unitCost.toFixed(2), item!.weight?.toFixed(2)]).toEqual(["18.50", "0.35"]);
    expect(item!.variants.map((v) => [v.code, v.option1, v.option2, v.option3])).toEqual([
      ["M-WHITE", "M", "White", null],
      ["S-WHITE", "S", "White", null],
    ]);
    expect(await changedItems(shop.id, before)).toEqual(["SHIRT"]);
  });

  it("refuses a card with a mistake, naming it, and writes nothing", async () => {
    const shop = await installedShop();
    const cases: [object, string][] = [
      [{ optionNames: ["Size", "Color", "Fit", "Sleeve"] }, "3 options at most"],
      [{ optionNames: ["Size", "size"] }, "option names must differ"],
      [
        { variants: [{ code: "S", description: "S", options: ["S"] }] },
        "variant S needs a value for each of the item's 2 option(s), got 1",
      ],
      [
        {
          variants: [
            { code: "A", description: "A", options: ["S", "White"] },
            { code: "B", description: "B", options: ["s", "white"] },
          ],
        },
        "variant B has the same option values as another variant (s / white)",
      ],
      [{ optionNames: [], variants: [{ code: "A", description: "A", options: ["S"] }] }, "no option names"],
      [{ tags: ["a,b"] }, "a tag cannot contain a comma"],
      [{ unitCost: "-1" }, "item unit cost cannot be negative"],
      [{ weight: "heavy" }, 'item weight is not a number: "heavy"'],
      [{ weightUnit: "STONES" }, 'unknown weight unit "STONES"'],
      [{ taxRatePct: "100" }, "item tax rate must be from 0 to below 100 percent"],
    ];
    for (const [change, message] of cases) {
      await expect(createItem(prisma, shop.id, { ...shirt, ...change })).rejects.toThrow(message);
    }
    expect(await prisma.boItem.count({ where: { shopId: shop.id } })).toBe(0);
    expect(await changedItems(shop.id, null)).toEqual([]);
  });

  it("changes only the fields given, keeps its option count while it has variants, and feeds each change", async () => {
    const shop = await installedShop();
    await createItem(prisma, shop.id, shirt);
    const before = await snapshot(shop.id);

    const changed = await updateItem(prisma, shop.id, "SHIRT", {
      unitPrice: "45.00",
      salesBlocked: true,
      optionNames: ["Size", "Colour"],
      weight: null,
    });

    expect(changed).toMatchObject({
      vendor: "Mill & Co",
      salesBlocked: true,
      option2Name: "Colour",
      weight: null,
    });
    expect(changed.unitPrice.toFixed(2)).toBe("45.00");
    await expect(updateItem(prisma, shop.id, "SHIRT", { optionNames: ["Size"] })).rejects.toThrow(
      "its option names can be renamed, not added or removed",
    );
    await expect(updateItem(prisma, shop.id, "SHIRT", { description: " " })).rejects.toThrow(
      "item description is required",
    );
    await expect(updateItem(prisma, shop.id, "NOPE", { vendor: "x" })).rejects.toThrow(
      "item NOPE does not exist",
    );
    expect((await findItem(prisma, shop.id, "SHIRT"))?.description).toBe("Oxford shirt");
    expect(await changedItems(shop.id, before)).toEqual(["SHIRT"]);
  });
});

describe("sales prices and line discounts", () => {
  it("give priceOf the prices of a group, a variant and a discount group, and feed the items they touch", async () => {
    const shop = await installedShop();
    await createItem(prisma, shop.id, { ...shirt, taxRatePct: "20" });
    await createItem(prisma, shop.id, { no: "MUG", description: "Mug", unitPrice: "10.00" });
    await savePriceGroup(prisma, shop.id, {
      code: "retail",
      description: "Retail",
      pricesIncludingTax: true,
    });
    await saveDiscountGroup(prisma, shop.id, { code: "vip", description: "VIP" });
    const before = await snapshot(shop.id);

    await setSalesPrice(prisma, shop.id, { itemNo: "SHIRT", variantCode: "S-WHITE", unitPrice: "44.00" });
    await setSalesPrice(prisma, shop.id, { itemNo: "SHIRT", priceGroup: "Retail", unitPrice: "48.00" });
    await setLineDiscount(prisma, shop.id, { discountGroup: "VIP", discountPct: "10" });

    expect((await changedItems(shop.id, before)).sort()).toEqual(["MUG", "SHIRT"]);
    const book = await priceBook(prisma, shop.id, ["SHIRT", "MUG"]);
    const item = (await findItem(prisma, shop.id, "SHIRT"))!;
    const p = (variant: string | null, context: Parameters<typeof priceOf>[2]) => {
      const result = priceOf(item, variant, context, book);
      return [result.price.toFixed(2), result.compareAtPrice?.toFixed(2) ?? null];
    };
    expect(p("S-WHITE", { pricesIncludingTax: false })).toEqual(["44.00", null]);
    expect(p("M-WHITE", { pricesIncludingTax: false })).toEqual(["49.00", null]);
    // RETAIL's 48.00 includes tax: 40.00 without.
    expect(p("M-WHITE", { priceGroup: "RETAIL", pricesIncludingTax: false })).toEqual(["40.00", null]);
    expect(p("M-WHITE", { priceGroup: "RETAIL", pricesIncludingTax: true })).toEqual(["48.00", null]);
    expect(p("S-WHITE", { discountGroup: "VIP", pricesIncludingTax: false })).toEqual(["39.60", "44.00"]);

    await setSalesPrice(prisma, shop.id, { itemNo: "SHIRT", variantCode: "S-WHITE", unitPrice: null });
    expect(await prisma.boSalesPrice.count({ where: { shopId: shop.id } })).toBe(1);
  });

  it("refuse what does not exist or does not fit, and change nothing", async () => {
    const shop = await installedShop();
    const other = await installedShop();
    await createItem(prisma, shop.id, shirt);
    await saveDiscountGroup(prisma, shop.id, { code: "VIP", description: "VIP" });
    await savePriceGroup(prisma, other.id, { code: "OTHER", description: "Another shop's" });
    const before = await snapshot(shop.id);
    const refusals: [() => Promise<unknown>, string][] = [
      [() => setSalesPrice(prisma, shop.id, { itemNo: "NOPE", unitPrice: "1" }), "item NOPE does not exist"],
      [
        () => setSalesPrice(prisma, shop.id, { itemNo: "SHIRT", variantCode: "XL", unitPrice: "1" }),
        "no variant XL",
      ],
      [
        () => setSalesPrice(prisma, shop.id, { itemNo: "SHIRT", priceGroup: "OTHER", unitPrice: "1" }),
        "customer price group OTHER does not exist",
      ],
      [() => setSalesPrice(prisma, shop.id, { itemNo: "SHIRT", unitPrice: "-1" }), "cannot be negative"],
      [
        () => setSalesPrice(prisma, shop.id, { itemNo: "SHIRT", currencyCode: "EURO", unitPrice: "1" }),
        "three letters",
      ],
      [() => setLineDiscount(prisma, shop.id, { discountGroup: "NONE", discountPct: "5" }), "does not exist"],
      [
        () => setLineDiscount(prisma, shop.id, { discountGroup: "VIP", discountPct: "101" }),
        "from 0 to 100 percent",
      ],
      [
        () =>
          setLineDiscount(prisma, shop.id, {
            discountGroup: "VIP",
            variantCode: "S-WHITE",
            discountPct: "5",
          }),
        "names its item",
      ],
      [() => savePriceGroup(prisma, shop.id, { code: "has space", description: "x" }), "1 to 20 letters"],
    ];
    // Each tried only when awaited: a refusal must never be left unhandled.
    for (const [attempt, message] of refusals) await expect(attempt()).rejects.toThrow(message);
    await expect(setSalesPrice(prisma, shop.id, { itemNo: "NOPE", unitPrice: "1" })).rejects.toBeInstanceOf(
      BackOfficeError,
    );
    expect(await prisma.boSalesPrice.count({ where: { shopId: shop.id } })).toBe(0);
    expect(await prisma.boLineDiscount.count({ where: { shopId: shop.id } })).toBe(0);
    expect(await changedItems(shop.id, before)).toEqual([]);
  });
});
