import { describe, expect, it } from "vitest";
import {
  createItem,
  findItemForSku,
  findItemsForSkus,
  whyNoItemForSku,
  type SkuLine,
  type SkuLookup,
  type SkuStrategy,
} from "../../app/backoffice/backoffice.server";
import prisma from "../../app/db.server";
import { installedShop } from "../support/shops";

/**
 * The product mapping's rules as the merchant meets them: which item (and variant) a Shopify
 * SKU or barcode is, or why none is. The import looks up a product's variants at once
 * (findItemsForSkus); an order line one by one (findItemForSku, whyNoItemForSku). Both must
 * give every answer of this table, whatever else is in the same call.
 */

async function catalogue() {
  const shop = await installedShop();
  const item = (no: string, card: Partial<Parameters<typeof createItem>[2]> = {}) =>
    createItem(prisma, shop.id, { no, description: no, unitPrice: "1", ...card });
  await item("ITEM-1000", {
    barcode: "5000000000001",
    vendorItemNo: "V-BIKE",
    variants: [
      { code: "RED", description: "Red", barcode: "5000000000018" },
      { code: "BLUE", description: "Blue" },
    ],
  });
  await item("OLD", {
    blocked: true,
    barcode: "999",
    vendorItemNo: "V-OLD",
    variants: [{ code: "GREY", description: "Grey", barcode: "777" }],
  });
  // Two items with one barcode, one vendor item no. and one variant code.
  await item("TWIN-A", {
    barcode: "888",
    vendorItemNo: "V-TWIN",
    variants: [{ code: "ONE", description: "One" }],
  });
  await item("TWIN-B", {
    barcode: "888",
    vendorItemNo: "V-TWIN",
    variants: [{ code: "ONE", description: "One" }],
  });
  // A barcode on an item and on another item's variant: the variant's is the answer.
  await item("BAR-ITEM", { barcode: "555" });
  await item("BAR-VAR", { variants: [{ code: "X", description: "X", barcode: "555" }] });
  // Dashes in item numbers: AB-12's variant L, and AB's variant 12.
  await item("AB", { variants: [{ code: "12", description: "12" }] });
  await item("AB-12", { variants: [{ code: "L", description: "L" }] });
  // A barcode of an open and a blocked item: the open one.
  await item("KEEP", { barcode: "444" });
  await item("GONE", { barcode: "444", blocked: true });
  return shop;
}

const found = (itemNo: string, variantCode: string | null = null): SkuLookup["match"] => ({
  itemNo,
  variantCode,
});

const CASES: { strategy: SkuStrategy; line: SkuLine; match: SkuLookup["match"]; why: string | null }[] = [
  // item_no
  { strategy: "item_no", line: { sku: "ITEM-1000" }, match: found("ITEM-1000"), why: null },
  { strategy: "item_no", line: { sku: " ITEM-1000 " }, match: found("ITEM-1000"), why: null },
  { strategy: "item_no", line: { sku: "ITEM-1000-RED" }, match: null, why: null },
  { strategy: "item_no", line: { sku: "OLD" }, match: null, why: "item OLD is blocked" },
  {
    strategy: "item_no",
    line: { sku: "OLD", barcode: "5000000000018" },
    match: found("ITEM-1000", "RED"),
    why: "item OLD is blocked",
  },
  // SKU before barcode.
  { strategy: "item_no", line: { sku: "ITEM-1000", barcode: "555" }, match: found("ITEM-1000"), why: null },
  // Barcode: a variant's before an item's; a blocked item never; two open items are none.
  {
    strategy: "item_no",
    line: { sku: "NOPE", barcode: "5000000000018" },
    match: found("ITEM-1000", "RED"),
    why: null,
  },
  { strategy: "item_no", line: { sku: "", barcode: "5000000000001" }, match: found("ITEM-1000"), why: null },
  { strategy: "item_no", line: { sku: "NOPE", barcode: "555" }, match: found("BAR-VAR", "X"), why: null },
  { strategy: "item_no", line: { barcode: "444" }, match: found("KEEP"), why: null },
  {
    strategy: "item_no",
    line: { sku: "NOPE", barcode: "999" },
    match: null,
    why: "barcode 999 is the barcode of item OLD, which is blocked",
  },
  {
    strategy: "item_no",
    line: { sku: "NOPE", barcode: "777" },
    match: null,
    why: "barcode 777 is the barcode of item OLD's variant GREY, and the item is blocked",
  },
  {
    strategy: "item_no",
    line: { sku: "NOPE", barcode: "888" },
    match: null,
    why: "barcode 888 is the barcode of several items (TWIN-A, TWIN-B)",
  },
  { strategy: "item_no", line: { sku: "NOPE", barcode: "000" }, match: null, why: null },
  { strategy: "item_no", line: {}, match: null, why: null },
  // variant_code
  { strategy: "variant_code", line: { sku: "RED" }, match: found("ITEM-1000", "RED"), why: null },
  {
    strategy: "variant_code",
    line: { sku: "ONE" },
    match: null,
    why: "SKU ONE is the variant code of several item variants (TWIN-A ONE, TWIN-B ONE)",
  },
  {
    strategy: "variant_code",
    line: { sku: "GREY" },
    match: null,
    why: "SKU GREY is the variant code of item OLD's variant GREY, and the item is blocked",
  },
  { strategy: "variant_code", line: { sku: "ITEM-1000" }, match: null, why: null },
  // item_no_variant_code: split at the last dash, then the whole SKU as the item number.
  {
    strategy: "item_no_variant_code",
    line: { sku: "ITEM-1000-RED" },
    match: found("ITEM-1000", "RED"),
    why: null,
  },
  { strategy: "item_no_variant_code", line: { sku: "AB-12-L" }, match: found("AB-12", "L"), why: null },
  { strategy: "item_no_variant_code", line: { sku: "AB-12" }, match: found("AB", "12"), why: null },
  { strategy: "item_no_variant_code", line: { sku: "AB-12-XL" }, match: null, why: null },
  { strategy: "item_no_variant_code", line: { sku: "ITEM-1000" }, match: found("ITEM-1000"), why: null },
  { strategy: "item_no_variant_code", line: { sku: "ITEM-1000-" }, match: null, why: null },
  { strategy: "item_no_variant_code", line: { sku: "OLD-GREY" }, match: null, why: "item OLD is blocked" },
  { strategy: "item_no_variant_code", line: { sku: "OLD" }, match: null, why: "item OLD is blocked" },
  // vendor_item_no
  { strategy: "vendor_item_no", line: { sku: "V-BIKE" }, match: found("ITEM-1000"), why: null },
  { strategy: "vendor_item_no", line: { sku: "ITEM-1000" }, match: null, why: null },
  {
    strategy: "vendor_item_no",
    line: { sku: "V-OLD" },
    match: null,
    why: "SKU V-OLD is the vendor item no. of item OLD, which is blocked",
  },
  {
    strategy: "vendor_item_no",
    line: { sku: "V-TWIN", barcode: "5000000000001" },
    match: found("ITEM-1000"),
    why: "SKU V-TWIN is the vendor item no. of several items (TWIN-A, TWIN-B)",
  },
  // barcode: the SKU is the barcode.
  { strategy: "barcode", line: { sku: "5000000000018" }, match: found("ITEM-1000", "RED"), why: null },
  { strategy: "barcode", line: { sku: "5000000000001" }, match: found("ITEM-1000"), why: null },
  { strategy: "barcode", line: { sku: "555" }, match: found("BAR-VAR", "X"), why: null },
  {
    strategy: "barcode",
    line: { sku: "888" },
    match: null,
    why: "SKU 888 is the barcode of several items (TWIN-A, TWIN-B)",
  },
  {
    strategy: "barcode",
    line: { sku: "777", barcode: "999" },
    match: null,
    why: "SKU 777 is the barcode of item OLD's variant GREY, and the item is blocked",
  },
];

describe("looking up items by SKU and barcode", () => {
  it("answers each line of the table by the product mapping's rules, one line at a time", async () => {
    const shop = await catalogue();
    for (const { strategy, line, match, why } of CASES) {
      const answer = {
        match: await findItemForSku(prisma, shop.id, strategy, line),
        why: await whyNoItemForSku(prisma, shop.id, strategy, line),
      };
      expect({ strategy, line, ...answer }).toEqual({ strategy, line, match, why });
    }
  });

  it("gives the same answers for many lines at once, in their order", async () => {
    const shop = await catalogue();
    for (const strategy of [
      "item_no",
      "variant_code",
      "item_no_variant_code",
      "vendor_item_no",
      "barcode",
    ] as const) {
      const cases = CASES.filter((entry) => entry.strategy === strategy);
      // Every line of the table under this strategy, twice and in reverse the second time.
      const lines = [...cases, ...[...cases].reverse()];
      const answers = await findItemsForSkus(
        prisma,
        shop.id,
        strategy,
        lines.map((entry) => entry.line),
      );
      expect(answers.map((answer, index) => ({ line: lines[index]!.line, ...answer }))).toEqual(
        lines.map(({ line, match, why }) => ({ line, match, why })),
      );
    }
  });

  it("reads nothing for lines without a SKU or barcode, and refuses an unknown mapping", async () => {
    const shop = await catalogue();
    expect(await findItemsForSkus(prisma, shop.id, "item_no", [])).toEqual([]);
    expect(await findItemsForSkus(prisma, shop.id, "item_no", [{ sku: " ", barcode: null }])).toEqual([
      { match: null, why: null },
    ]);
    await expect(findItemsForSkus(prisma, shop.id, "guess" as never, [])).rejects.toThrow(
      /unknown product mapping "guess"/,
    );
  });

  it("only finds items of the shop that asks", async () => {
    await catalogue();
    const other = await installedShop();
    expect(
      await findItemsForSkus(prisma, other.id, "item_no", [{ sku: "ITEM-1000", barcode: "5000000000018" }]),
    ).toEqual([{ match: null, why: null }]);
  });

  it("names the first five by number when many items have a barcode, and still finds the one open", async () => {
    const shop = await installedShop();
    for (const no of ["B1", "B2", "B3", "B4", "B5", "B6"])
      await createItem(prisma, shop.id, {
        no,
        description: no,
        unitPrice: "1",
        barcode: "123",
        blocked: true,
      });
    await createItem(prisma, shop.id, {
      no: "B7",
      description: "B7",
      unitPrice: "1",
      variants: [{ code: "V", description: "V", barcode: "321" }],
    });
    for (const no of ["C1", "C2", "C3", "C4", "C5", "C6"])
      await createItem(prisma, shop.id, {
        no,
        description: no,
        unitPrice: "1",
        blocked: true,
        variants: [{ code: "V", description: "V", barcode: "321" }],
      });
    await createItem(prisma, shop.id, { no: "B9", description: "B9", unitPrice: "1", barcode: "123" });
    const [byItems, byVariants] = await findItemsForSkus(prisma, shop.id, "barcode", [
      { sku: "123" },
      { sku: "321" },
    ]);
    // B9 is the one open item with 123; the first five by number are blocked ones.
    expect(byItems).toEqual({
      match: { itemNo: "B9", variantCode: null },
      why: "SKU 123 is the barcode of item B1, which is blocked",
    });
    expect(byVariants).toEqual({ match: { itemNo: "B7", variantCode: "V" }, why: null });
  });
});
