import { describe, expect, it } from "vitest";
import {
  BackOfficeError,
  createCustomer,
  createSalesDocument,
  saveShipToAddress,
  type NewSalesDocument,
} from "../../app/backoffice/backoffice.server";
import prisma from "../../app/db.server";
import { itemLine, stockedShop } from "../kit/backoffice";

/**
 * A sales document's ship-to code, external document no. (a buyer's PO number) and due date:
 * a ship-to code must be one of the customer's ship-to addresses, whose address it takes; the
 * due date is the one given, else the order date plus the customer's payment terms days.
 */

const ORDER_DATE = new Date("2026-11-20T10:00:00Z");

function order(customerNo: string, overrides: Partial<NewSalesDocument> = {}): NewSalesDocument {
  return {
    documentType: "order",
    customerNo,
    orderDate: ORDER_DATE,
    currencyCode: "CAD",
    lines: [itemLine("TEE", 1, "25.00")],
    ...overrides,
  };
}

async function businessShop() {
  const { shop } = await stockedShop();
  const acme = await createCustomer(prisma, shop.id, {
    no: "ACME",
    name: "Acme Supply",
    paymentTermsDays: 30,
  });
  await saveShipToAddress(prisma, shop.id, "ACME", "OTTAWA", {
    name: "Ottawa depot",
    address1: "1 Bank St",
    city: "Ottawa",
    zip: "K1P 5J2",
    countryCode: "CA",
  });
  return { shop, acme };
}

describe("when a sales document names a ship-to code, a PO number and a due date", () => {
  it("takes the ship-to address's fields, and keeps the PO number and due date", async () => {
    const { shop } = await businessShop();
    const due = new Date("2026-12-31T00:00:00Z");

    const document = await createSalesDocument(
      prisma,
      shop.id,
      order("ACME", { shipTo: { code: "ottawa" }, externalDocumentNo: "  PO-7781 ", dueDate: due }),
    );

    expect(document).toMatchObject({
      shipToCode: "OTTAWA",
      shipToName: "Ottawa depot",
      shipToAddress1: "1 Bank St",
      shipToCity: "Ottawa",
      shipToZip: "K1P 5J2",
      shipToCountry: "CA",
      externalDocumentNo: "PO-7781",
      dueDate: due,
    });
  });

  it("is due the customer's payment terms days after the order date when no due date is given", async () => {
    const { shop, acme } = await businessShop();
    const plain = await createCustomer(prisma, shop.id, { name: "Walk-in" });

    const onTerms = await createSalesDocument(prisma, shop.id, order(acme.no));
    const atOnce = await createSalesDocument(prisma, shop.id, order(plain.no));

    expect(onTerms.dueDate).toEqual(new Date("2026-12-20T10:00:00Z"));
    expect(onTerms).toMatchObject({ shipToCode: null, externalDocumentNo: null });
    expect(atOnce.dueDate).toBeNull();
  });

  it("refuses another customer's or an unknown ship-to code, and a due date that is not a date", async () => {
    const { shop } = await businessShop();
    const other = await createCustomer(prisma, shop.id, { name: "Other Co" });

    await expect(
      createSalesDocument(prisma, shop.id, order(other.no, { shipTo: { code: "OTTAWA" } })),
    ).rejects.toThrow(new BackOfficeError(`customer ${other.no} has no ship-to address OTTAWA`));
    await expect(
      createSalesDocument(prisma, shop.id, order("ACME", { shipTo: { code: "NOPE" } })),
    ).rejects.toThrow("customer ACME has no ship-to address NOPE");
    await expect(
      createSalesDocument(prisma, shop.id, order("ACME", { dueDate: new Date("not a date") })),
    ).rejects.toThrow("due date is not a valid date");
    expect(await prisma.boSalesHeader.count({ where: { shopId: shop.id } })).toBe(0);
  });
});
