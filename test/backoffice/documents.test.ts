import { describe, expect, it } from "vitest";
import {
  BackOfficeError,
  createCustomer,
  createItem,
  createSalesDocument,
  DuplicateDocumentError,
  findDocumentsByShopifyOrderNo,
  getSalesDocument,
  listSalesDocuments,
  postSalesOrder,
  releaseSalesOrder,
  reopenSalesOrder,
  type NewSalesDocument,
} from "../../app/backoffice/backoffice.server";
import prisma from "../../app/db.server";
import { itemLine, shippingLine, shopifyDocument, stockedShop } from "../kit/backoffice";

function order(customerNo: string, overrides: Partial<NewSalesDocument> = {}): NewSalesDocument {
  return {
    documentType: "order",
    customerNo,
    orderDate: new Date("2026-11-20T10:00:00Z"),
    currencyCode: "eur",
    lines: [itemLine("TEE", 2, "50.00", "10.00")],
    ...overrides,
  };
}

describe("when a sales document is made", () => {
  it("numbers it from its series and totals its lines exactly", async () => {
    const { shop, customer } = await stockedShop();

    const document = await createSalesDocument(
      prisma,
      shop.id,
      order(customer.no, {
        shipTo: { name: "Ada", city: "London", countryCode: "gb" },
        lines: [
          itemLine("TEE", 2, "50.10", "10.02"),
          { ...itemLine("MUG", 1, "0.20", "0.04"), variantCode: "RED" },
          shippingLine("0.10", "0.02"),
          { type: "comment", description: "Gift wrap, please" },
        ],
      }),
    );

    expect(document).toMatchObject({
      no: "SO00001",
      status: "open",
      currencyCode: "EUR",
      shipToCountry: "GB",
    });
    expect(document.amount.toString()).toBe("50.4");
    expect(document.amountIncludingTax.toString()).toBe("60.48");
    expect(document.lines.map((l) => [l.lineNo, l.type, l.quantity])).toEqual([
      [10000, "item", 2],
      [20000, "item", 1],
      [30000, "shipping", 1],
      [40000, "comment", 0],
    ]);
    const invoice = await createSalesDocument(
      prisma,
      shop.id,
      order(customer.no, { documentType: "invoice" }),
    );
    expect(invoice.no).toBe("SI00001");
  });

  it("takes a number given by the caller, but never one already used", async () => {
    const { shop, customer } = await stockedShop();
    await createSalesDocument(prisma, shop.id, order(customer.no, { no: "1001", release: true }));

    await expect(createSalesDocument(prisma, shop.id, order(customer.no, { no: "1001" }))).rejects.toThrow(
      "sales order 1001 already exists",
    );
    expect(await getSalesDocument(prisma, shop.id, "order", "1001")).toMatchObject({ status: "released" });
    expect(await listSalesDocuments(prisma, shop.id)).toHaveLength(1);
  });

  it("skips a series number someone has already used by hand", async () => {
    const { shop, customer } = await stockedShop();
    await createSalesDocument(prisma, shop.id, order(customer.no, { no: "SO00001" }));

    const next = await createSalesDocument(prisma, shop.id, order(customer.no));

    expect(next.no).toBe("SO00002");
  });

  it.each([
    ["an unknown customer", { customerNo: "NOBODY" }, "customer NOBODY does not exist"],
    ["an unknown item", { lines: [itemLine("BIKE", 1, "1")] }, "line 10000: item BIKE does not exist"],
    [
      "an unknown variant",
      { lines: [{ ...itemLine("MUG", 1, "1"), variantCode: "PINK" }] },
      "line 10000: item MUG has no variant PINK",
    ],
    [
      "a zero quantity",
      { lines: [itemLine("TEE", 0, "0")] },
      "line 10000 (TEE) must be a whole number above 0",
    ],
    ["a fractional quantity", { lines: [itemLine("TEE", 1.5, "1")] }, "must be a whole number above 0"],
    [
      "an amount that is not a number",
      { lines: [{ ...itemLine("TEE", 1, "1"), amount: "1,5" }] },
      'amount is not a number: "1,5"',
    ],
    ["no lines", { lines: [] }, "needs at least one line"],
    [
      "an item line without an item",
      { lines: [{ type: "item" as const, description: "?", quantity: 1 }] },
      "line 10000: item no. is required",
    ],
  ])("refuses %s and creates nothing", async (_case, overrides, message) => {
    const { shop, customer } = await stockedShop();

    await expect(createSalesDocument(prisma, shop.id, order(customer.no, overrides))).rejects.toThrow(
      message,
    );
    expect(await prisma.boSalesHeader.count({ where: { shopId: shop.id } })).toBe(0);
    expect(await prisma.boNumberSeries.count({ where: { shopId: shop.id, code: "SO" } })).toBe(0);
  });

  it("refuses a blocked item, and a template as customer", async () => {
    const { shop, customer } = await stockedShop();
    await createItem(prisma, shop.id, { no: "OLD", description: "Old", unitPrice: "1" });
    await prisma.boItem.update({
      where: { shopId_no: { shopId: shop.id, no: "OLD" } },
      data: { blocked: true },
    });
    await createCustomer(prisma, shop.id, { no: "TPL", name: "Template", isTemplate: true });

    await expect(
      createSalesDocument(prisma, shop.id, order(customer.no, { lines: [itemLine("OLD", 1, "1")] })),
    ).rejects.toThrow("item OLD is blocked");
    await expect(createSalesDocument(prisma, shop.id, order("TPL"))).rejects.toThrow(
      "customer TPL is a template and cannot be sold to",
    );
  });
});

describe("when a Shopify order already has a document", () => {
  it("a second document throws DuplicateDocumentError naming the first, and one document remains", async () => {
    const { shop, customer } = await stockedShop();
    const first = await shopifyDocument(shop.id, customer.no, [itemLine("TEE", 1, "25")], {
      shopifyOrderId: 777n,
    });

    const second = shopifyDocument(shop.id, customer.no, [itemLine("TEE", 1, "25")], {
      documentType: "invoice",
      shopifyOrderId: 777n,
    });

    await expect(second).rejects.toThrow(DuplicateDocumentError);
    await expect(second).rejects.toMatchObject({ documentType: "order", documentNo: first.no });
    expect(await prisma.boSalesHeader.count({ where: { shopId: shop.id } })).toBe(1);
  });

  it("inside the caller's transaction, the duplicate can be treated as success and the work committed", async () => {
    const { shop, customer } = await stockedShop();
    await shopifyDocument(shop.id, customer.no, [itemLine("TEE", 1, "25")], { shopifyOrderId: 778n });

    const recorded = await prisma.$transaction(async (tx) => {
      try {
        await createSalesDocument(tx, shop.id, { ...order(customer.no), shopifyOrderId: 778n });
        return "made";
      } catch (error) {
        if (!(error instanceof DuplicateDocumentError)) throw error;
        // The transaction is still usable after the duplicate was refused.
        await tx.boLocation.create({ data: { shopId: shop.id, code: "AFTER", name: "After" } });
        return error.documentNo;
      }
    });

    expect(recorded).toBe("SO00001");
    expect(await prisma.boLocation.count({ where: { shopId: shop.id, code: "AFTER" } })).toBe(1);
  });

  it("two documents made at the same moment for one Shopify order give exactly one", async () => {
    const { shop, customer } = await stockedShop();

    const results = await Promise.allSettled(
      [1, 2, 3].map(() =>
        shopifyDocument(shop.id, customer.no, [itemLine("TEE", 1, "25")], { shopifyOrderId: 779n }),
      ),
    );

    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results)
      if (r.status === "rejected") expect(r.reason).toBeInstanceOf(DuplicateDocumentError);
    expect(await prisma.boSalesHeader.count({ where: { shopId: shop.id } })).toBe(1);
  });
});

describe("when a sales order is released and reopened", () => {
  it("moves between open and released, but a posted order stays posted", async () => {
    const { shop, customer } = await stockedShop();
    const document = await createSalesDocument(prisma, shop.id, order(customer.no));

    expect((await releaseSalesOrder(prisma, shop.id, document.no)).status).toBe("released");
    expect((await listSalesDocuments(prisma, shop.id, { status: "released" })).map((d) => d.no)).toEqual([
      document.no,
    ]);
    expect((await reopenSalesOrder(prisma, shop.id, document.no)).status).toBe("open");
    await postSalesOrder(prisma, shop.id, document.no, { ship: true, invoice: true });

    await expect(reopenSalesOrder(prisma, shop.id, document.no)).rejects.toThrow(
      `sales order ${document.no} is fully posted and cannot be reopened`,
    );
    await expect(releaseSalesOrder(prisma, shop.id, "SO99999")).rejects.toThrow(BackOfficeError);
  });
});

describe("when documents are looked up by Shopify order number", () => {
  it("finds the sales order and the shipment and invoice posted from it", async () => {
    const { shop, customer } = await stockedShop();
    const document = await shopifyDocument(shop.id, customer.no, [itemLine("TEE", 2, "50")], {
      name: "#1001",
    });
    await shopifyDocument(shop.id, customer.no, [itemLine("TEE", 1, "25")], { name: "#1002" });
    const posted = await postSalesOrder(prisma, shop.id, document.no, { ship: true, invoice: true });

    const found = await findDocumentsByShopifyOrderNo(prisma, shop.id, "#1001");

    expect(found.map((doc) => [doc.kind, doc.no])).toEqual([
      ["sales_document", document.no],
      ["posted_shipment", posted.shipmentNo],
      ["posted_invoice", posted.invoiceNo],
    ]);
    expect(found.filter((doc) => "documentType" in doc)).toHaveLength(1);
    expect(found[0]!.kind === "sales_document" && found[0]!.lines).toHaveLength(1);
    expect((await findDocumentsByShopifyOrderNo(prisma, shop.id, "1001")).length).toBe(3);
    expect(await findDocumentsByShopifyOrderNo(prisma, shop.id, "#9999")).toEqual([]);
  });
});

describe("when two shops use the same numbers", () => {
  it("keeps their items, documents and postings apart", async () => {
    const a = await stockedShop();
    const b = await stockedShop();
    await prisma.boItem.update({
      where: { shopId_no: { shopId: b.shop.id, no: "TEE" } },
      data: { description: "Shop B tee" },
    });
    const docA = await shopifyDocument(a.shop.id, a.customer.no, [itemLine("TEE", 1, "25")], {
      name: "#1001",
    });
    const docB = await shopifyDocument(b.shop.id, b.customer.no, [itemLine("TEE", 3, "75")], {
      name: "#1001",
    });
    expect(docA.no).toBe(docB.no);

    await postSalesOrder(prisma, a.shop.id, docA.no, { ship: true, invoice: true });

    const foundB = await findDocumentsByShopifyOrderNo(prisma, b.shop.id, "#1001");
    expect(foundB.map((doc) => doc.kind)).toEqual(["sales_document"]);
    expect(foundB[0]!.shopId).toBe(b.shop.id);
    expect((await getSalesDocument(prisma, b.shop.id, "order", docB.no))?.status).toBe("open");
    expect((await listSalesDocuments(prisma, a.shop.id)).map((d) => d.shopId)).toEqual([a.shop.id]);
    await createCustomer(prisma, b.shop.id, { no: "B-ONLY", name: "Shop B's customer" });
    await expect(createSalesDocument(prisma, a.shop.id, order("B-ONLY"))).rejects.toThrow(
      "customer B-ONLY does not exist",
    );
  });
});
