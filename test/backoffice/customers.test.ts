import { describe, expect, it } from "vitest";
import {
  BackOfficeError,
  createCustomer,
  createItem,
  ensureLocation,
  findCustomer,
  findCustomerByAddress,
  findCustomerByEmailOrPhone,
  postOpeningStock,
  stockAt,
  updateCustomer,
} from "../../app/backoffice/backoffice.server";
import prisma from "../../app/db.server";
import { installedShop } from "../support/shops";

describe("when customers are created", () => {
  it("numbers them from the CUST series and fills empty fields from a template", async () => {
    const shop = await installedShop();
    await createCustomer(prisma, shop.id, {
      no: "WEB-TEMPLATE",
      name: "Web shop customers",
      city: "Copenhagen",
      countryCode: "DK",
      email: "template@example.com",
      isTemplate: true,
    });

    const customer = await createCustomer(prisma, shop.id, {
      name: "Grace Hopper",
      email: "grace@example.com",
      city: "Arlington",
      templateNo: "WEB-TEMPLATE",
    });

    expect(customer).toMatchObject({
      no: "CUST00001",
      name: "Grace Hopper",
      email: "grace@example.com",
      city: "Arlington",
      countryCode: "DK",
      isTemplate: false,
    });
  });

  it("refuses a template that is an ordinary customer, and creates nothing", async () => {
    const shop = await installedShop();
    await createCustomer(prisma, shop.id, { no: "C1", name: "Ada" });

    await expect(createCustomer(prisma, shop.id, { name: "Grace", templateNo: "C1" })).rejects.toThrow(
      "customer C1 is not a template",
    );
    await expect(createCustomer(prisma, shop.id, { name: "Grace", templateNo: "NONE" })).rejects.toThrow(
      BackOfficeError,
    );
    expect(await prisma.boCustomer.count({ where: { shopId: shop.id } })).toBe(1);
  });

  it("refuses a customer number that is taken", async () => {
    const shop = await installedShop();
    await createCustomer(prisma, shop.id, { no: "C1", name: "Ada" });
    await expect(createCustomer(prisma, shop.id, { no: "C1", name: "Grace" })).rejects.toThrow(
      "customer C1 already exists",
    );
    expect((await findCustomer(prisma, shop.id, "C1"))?.name).toBe("Ada");
  });
});

describe("when the customer of an order is looked up", () => {
  async function customers() {
    const shop = await installedShop();
    await createCustomer(prisma, shop.id, {
      no: "T",
      name: "Template",
      email: "ada@example.com",
      phone: "+1 555 010 2000",
      isTemplate: true,
    });
    await createCustomer(prisma, shop.id, {
      no: "C1",
      name: "Ada Lovelace",
      email: "Ada@Example.com",
      address1: "12 St James's Square",
      zip: "SW1Y 4JH",
      city: "London",
      countryCode: "GB",
    });
    await createCustomer(prisma, shop.id, { no: "C2", name: "Grace Hopper", phone: "+1 (555) 010-2000" });
    return shop;
  }

  it("finds by e-mail whatever its case", async () => {
    const shop = await customers();
    expect((await findCustomerByEmailOrPhone(prisma, shop.id, { email: "ADA@example.COM" }))?.no).toBe("C1");
  });

  it("finds by phone comparing digits only", async () => {
    const shop = await customers();
    expect((await findCustomerByEmailOrPhone(prisma, shop.id, { phone: "15550102000" }))?.no).toBe("C2");
    expect(
      (
        await findCustomerByEmailOrPhone(prisma, shop.id, {
          email: "nobody@example.com",
          phone: "1-555-010-2000",
        })
      )?.no,
    ).toBe("C2");
  });

  it("never finds a template and finds nothing for unknown details", async () => {
    const shop = await customers();
    await updateCustomer(prisma, shop.id, "C1", { email: "other@example.com" });
    expect(await findCustomerByEmailOrPhone(prisma, shop.id, { email: "ada@example.com" })).toBeNull();
    expect(await findCustomerByEmailOrPhone(prisma, shop.id, { phone: "0000" })).toBeNull();
    expect(await findCustomerByEmailOrPhone(prisma, shop.id, {})).toBeNull();
  });

  it("finds by address ignoring case and spaces, and only on an exact match", async () => {
    const shop = await customers();
    const address = {
      name: "ada  lovelace",
      address1: "12 st james's square",
      zip: "SW1Y4JH",
      city: "LONDON",
      countryCode: "gb",
    };
    expect((await findCustomerByAddress(prisma, shop.id, address))?.no).toBe("C1");
    expect(await findCustomerByAddress(prisma, shop.id, { ...address, zip: "SW1Y 4JJ" })).toBeNull();
  });

  it("does not find another shop's customers", async () => {
    await customers();
    const other = await installedShop();
    expect(await findCustomerByEmailOrPhone(prisma, other.id, { email: "ada@example.com" })).toBeNull();
  });
});

describe("when opening stock is recorded", () => {
  it("adds entries that stock sums per item, variant and location", async () => {
    const shop = await installedShop();
    await ensureLocation(prisma, shop.id, { code: "MAIN", name: "Main" });
    await ensureLocation(prisma, shop.id, { code: "SHOP", name: "Store", shopifyLocationId: 123n });
    await createItem(prisma, shop.id, {
      no: "MUG",
      description: "Mug",
      unitPrice: "10",
      variants: [{ code: "RED", description: "Red" }],
    });

    await postOpeningStock(
      prisma,
      shop.id,
      [
        { itemNo: "MUG", variantCode: "RED", locationCode: "MAIN", quantity: 5 },
        { itemNo: "MUG", variantCode: "RED", locationCode: "SHOP", quantity: 2 },
        { itemNo: "MUG", locationCode: "MAIN", quantity: 1 },
      ],
      "OPEN-1",
    );

    expect(await stockAt(prisma, shop.id, { itemNo: "MUG" })).toBe(8);
    expect(await stockAt(prisma, shop.id, { itemNo: "MUG", variantCode: "RED" })).toBe(7);
    expect(await stockAt(prisma, shop.id, { itemNo: "MUG", variantCode: "RED", locationCode: "SHOP" })).toBe(
      2,
    );
    expect(await stockAt(prisma, shop.id, { itemNo: "MUG", variantCode: null, locationCode: "MAIN" })).toBe(
      1,
    );
    const location = await ensureLocation(prisma, shop.id, { code: "SHOP", name: "Flagship store" });
    expect(location).toMatchObject({ name: "Flagship store", shopifyLocationId: 123n });
  });

  it("records nothing when one line names an unknown location", async () => {
    const shop = await installedShop();
    await ensureLocation(prisma, shop.id, { code: "MAIN", name: "Main" });
    await createItem(prisma, shop.id, { no: "TEE", description: "Tee", unitPrice: "25" });

    await expect(
      postOpeningStock(
        prisma,
        shop.id,
        [
          { itemNo: "TEE", locationCode: "MAIN", quantity: 5 },
          { itemNo: "TEE", locationCode: "ATTIC", quantity: 5 },
        ],
        "OPEN-1",
      ),
    ).rejects.toThrow("opening stock line 2: location ATTIC does not exist");
    expect(await stockAt(prisma, shop.id, { itemNo: "TEE" })).toBe(0);
  });
});
