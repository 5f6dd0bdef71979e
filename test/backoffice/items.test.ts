import { describe, expect, it } from "vitest";
import {
  BackOfficeError,
  createItem,
  findItem,
  findItemForSku,
  listItems,
  nextNo,
} from "../../app/backoffice/backoffice.server";
import prisma from "../../app/db.server";
import { TerminalError } from "../../app/errors.server";
import { installedShop } from "../support/shops";

describe("when documents are numbered", () => {
  it("hands out sequential numbers, none twice, to 20 callers at the same moment", async () => {
    const shop = await installedShop();

    const numbers = await Promise.all(Array.from({ length: 20 }, () => nextNo(prisma, shop.id, "SO")));

    expect(new Set(numbers).size).toBe(20);
    expect([...numbers].sort()).toEqual(
      Array.from({ length: 20 }, (_, i) => `SO${String(i + 1).padStart(5, "0")}`),
    );
  });

  it("keeps each series and each shop counting on its own", async () => {
    const shop = await installedShop();
    const other = await installedShop();

    await nextNo(prisma, shop.id, "SO");
    expect(await nextNo(prisma, shop.id, "SO")).toBe("SO00002");
    expect(await nextNo(prisma, shop.id, "SHIP")).toBe("SHIP00001");
    expect(await nextNo(prisma, other.id, "SO")).toBe("SO00001");
  });

  it("gives a number back when the transaction that took it rolls back", async () => {
    const shop = await installedShop();
    await expect(
      prisma.$transaction(async (tx) => {
        await nextNo(tx, shop.id, "PINV");
        throw new Error("posting failed");
      }),
    ).rejects.toThrow("posting failed");

    expect(await nextNo(prisma, shop.id, "PINV")).toBe("PINV00001");
  });
});

describe("when items are created", () => {
  it("numbers an item from the ITEM series when none is given, with its variants", async () => {
    const shop = await installedShop();

    const item = await createItem(prisma, shop.id, {
      description: "Mug",
      unitPrice: "9.95",
      variants: [{ code: "RED", description: "Red", barcode: "400-RED" }],
    });

    expect(item.no).toBe("ITEM00001");
    expect(item.unitPrice.toString()).toBe("9.95");
    const found = await findItem(prisma, shop.id, "ITEM00001");
    expect(found?.variants.map((v) => [v.code, v.barcode])).toEqual([["RED", "400-RED"]]);
  });

  it("refuses an item number that is taken, as a terminal back-office error", async () => {
    const shop = await installedShop();
    await createItem(prisma, shop.id, { no: "TEE", description: "Tee", unitPrice: "25" });

    const again = createItem(prisma, shop.id, { no: "TEE", description: "Other tee", unitPrice: "30" });

    await expect(again).rejects.toThrow(BackOfficeError);
    await expect(again).rejects.toThrow(TerminalError);
    await expect(again).rejects.toThrow("item TEE already exists");
    expect((await listItems(prisma, shop.id)).map((i) => i.description)).toEqual(["Tee"]);
  });

  it("refuses a price that is not a number and creates nothing", async () => {
    const shop = await installedShop();

    await expect(
      createItem(prisma, shop.id, { no: "X", description: "X", unitPrice: "twelve" }),
    ).rejects.toThrow('item unit price is not a number: "twelve"');
    expect(await listItems(prisma, shop.id)).toEqual([]);
  });
});

describe("when a Shopify SKU is mapped to an item", () => {
  async function catalogue() {
    const shop = await installedShop();
    await createItem(prisma, shop.id, {
      no: "ITEM-1000",
      description: "Bicycle",
      unitPrice: "500",
      vendorItemNo: "V-BIKE",
      barcode: "5000000000001",
      variants: [
        { code: "RED", description: "Red", barcode: "5000000000018" },
        { code: "BLUE", description: "Blue" },
      ],
    });
    await createItem(prisma, shop.id, {
      no: "ITEM-2000",
      description: "Helmet",
      unitPrice: "50",
      variants: [{ code: "LARGE-GREEN", description: "Large green" }],
    });
    await createItem(prisma, shop.id, {
      no: "OLD",
      description: "Old stock",
      unitPrice: "1",
      barcode: "999",
    });
    await prisma.boItem.update({
      where: { shopId_no: { shopId: shop.id, no: "OLD" } },
      data: { blocked: true },
    });
    return shop;
  }

  it("item_no: the SKU is the item number", async () => {
    const shop = await catalogue();
    expect(await findItemForSku(prisma, shop.id, "item_no", { sku: "ITEM-1000" })).toEqual({
      itemNo: "ITEM-1000",
      variantCode: null,
    });
    expect(await findItemForSku(prisma, shop.id, "item_no", { sku: "ITEM-9999" })).toBeNull();
  });

  it("variant_code: the SKU is a variant code unique across items", async () => {
    const shop = await catalogue();
    expect(await findItemForSku(prisma, shop.id, "variant_code", { sku: "LARGE-GREEN" })).toEqual({
      itemNo: "ITEM-2000",
      variantCode: "LARGE-GREEN",
    });
  });

  it("variant_code: a code two items share is not guessed", async () => {
    const shop = await catalogue();
    await createItem(prisma, shop.id, {
      no: "ITEM-3000",
      description: "Bell",
      unitPrice: "5",
      variants: [{ code: "RED", description: "Red" }],
    });
    expect(await findItemForSku(prisma, shop.id, "variant_code", { sku: "RED" })).toBeNull();
  });

  it("item_no_variant_code: splits at the last dash, or takes the whole SKU as the item", async () => {
    const shop = await catalogue();
    expect(await findItemForSku(prisma, shop.id, "item_no_variant_code", { sku: "ITEM-1000-RED" })).toEqual({
      itemNo: "ITEM-1000",
      variantCode: "RED",
    });
    expect(await findItemForSku(prisma, shop.id, "item_no_variant_code", { sku: "ITEM-1000" })).toEqual({
      itemNo: "ITEM-1000",
      variantCode: null,
    });
    expect(
      await findItemForSku(prisma, shop.id, "item_no_variant_code", { sku: "ITEM-1000-PINK" }),
    ).toBeNull();
  });

  it("vendor_item_no: the SKU is the vendor's item number", async () => {
    const shop = await catalogue();
    expect(await findItemForSku(prisma, shop.id, "vendor_item_no", { sku: "V-BIKE" })).toEqual({
      itemNo: "ITEM-1000",
      variantCode: null,
    });
    expect(await findItemForSku(prisma, shop.id, "vendor_item_no", { sku: "ITEM-1000" })).toBeNull();
  });

  it("barcode: the SKU is an item's or a variant's barcode", async () => {
    const shop = await catalogue();
    expect(await findItemForSku(prisma, shop.id, "barcode", { sku: "5000000000018" })).toEqual({
      itemNo: "ITEM-1000",
      variantCode: "RED",
    });
    expect(await findItemForSku(prisma, shop.id, "barcode", { sku: "5000000000001" })).toEqual({
      itemNo: "ITEM-1000",
      variantCode: null,
    });
  });

  it("falls back to the Shopify barcode when the SKU finds nothing, whatever the strategy", async () => {
    const shop = await catalogue();
    for (const strategy of ["item_no", "variant_code", "item_no_variant_code", "vendor_item_no"] as const) {
      expect(
        await findItemForSku(prisma, shop.id, strategy, { sku: "UNKNOWN", barcode: "5000000000018" }),
      ).toEqual({ itemNo: "ITEM-1000", variantCode: "RED" });
    }
    expect(await findItemForSku(prisma, shop.id, "item_no", { sku: "", barcode: "5000000000001" })).toEqual({
      itemNo: "ITEM-1000",
      variantCode: null,
    });
  });

  it("never maps to a blocked item, by SKU or barcode", async () => {
    const shop = await catalogue();
    expect(await findItemForSku(prisma, shop.id, "item_no", { sku: "OLD" })).toBeNull();
    expect(await findItemForSku(prisma, shop.id, "item_no", { sku: "NOPE", barcode: "999" })).toBeNull();
  });

  it("refuses a strategy it does not know", async () => {
    const shop = await catalogue();
    await expect(findItemForSku(prisma, shop.id, "guess" as never, { sku: "ITEM-1000" })).rejects.toThrow(
      /unknown product mapping "guess"/,
    );
  });

  it("only finds items of the shop that asks", async () => {
    const shop = await catalogue();
    const other = await installedShop();
    expect(await findItemForSku(prisma, other.id, "item_no", { sku: "ITEM-1000" })).toBeNull();
    expect(await findItemForSku(prisma, other.id, "barcode", { sku: "5000000000018" })).toBeNull();
    expect(await findItemForSku(prisma, shop.id, "item_no", { sku: "ITEM-1000" })).not.toBeNull();
  });
});
