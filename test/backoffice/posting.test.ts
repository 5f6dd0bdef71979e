import { describe, expect, it } from "vitest";
import {
  BackOfficeError,
  createSalesDocument,
  getSalesDocument,
  changesSince,
  listShipments,
  postSalesInvoice,
  postSalesOrder,
  stockAt,
} from "../../app/backoffice/backoffice.server";
import prisma from "../../app/db.server";
import { itemLine, shippingLine, shopifyDocument, stockedShop } from "../kit/backoffice";

const invoiceOf = (shopId: string, no: string) =>
  prisma.boPostedInvoice.findUniqueOrThrow({
    where: { shopId_no: { shopId, no } },
    include: { lines: { orderBy: { lineNo: "asc" } } },
  });

const shipmentOf = (shopId: string, no: string) =>
  prisma.boPostedShipment.findUniqueOrThrow({
    where: { shopId_no: { shopId, no } },
    include: { lines: { orderBy: { lineNo: "asc" } } },
  });

describe("when a sales order is shipped in parts", () => {
  it("ships 1 of 3, then the rest: two shipments, stock down by 3, the order posted at the end", async () => {
    const { shop, customer } = await stockedShop();
    const order = await shopifyDocument(shop.id, customer.no, [
      itemLine("TEE", 3, "75.00", "15.00"),
      shippingLine("5.00", "1.00"),
    ]);

    const first = await postSalesOrder(prisma, shop.id, order.no, {
      ship: true,
      invoice: true,
      lines: [{ lineNo: 10000, quantity: 1 }],
      carrier: "UPS",
      trackingNo: "1Z001",
    });

    expect(first).toEqual({ shipmentNo: "SHIP00001", invoiceNo: "PINV00001" });
    let document = await getSalesDocument(prisma, shop.id, "order", order.no);
    expect(document?.status).toBe("open");
    expect(document?.lines.map((l) => [l.type, l.quantityShipped, l.quantityInvoiced])).toEqual([
      ["item", 1, 1],
      ["shipping", 0, 1],
    ]);
    expect(await stockAt(prisma, shop.id, { itemNo: "TEE", locationCode: "MAIN" })).toBe(9);
    const firstInvoice = await invoiceOf(shop.id, first.invoiceNo!);
    expect(firstInvoice.amount.toString()).toBe("30");
    expect(firstInvoice.amountIncludingTax.toString()).toBe("36");

    const rest = await postSalesOrder(prisma, shop.id, order.no, { ship: true, invoice: true });

    expect(rest).toEqual({ shipmentNo: "SHIP00002", invoiceNo: "PINV00002" });
    const shipments = await listShipments(prisma, shop.id);
    expect(shipments.map((s) => [s.no, s.lines.map((l) => [l.itemNo, l.quantity, l.locationCode])])).toEqual([
      ["SHIP00001", [["TEE", 1, "MAIN"]]],
      ["SHIP00002", [["TEE", 2, "MAIN"]]],
    ]);
    expect(shipments[0]).toMatchObject({ carrier: "UPS", trackingNo: "1Z001", orderNo: order.no });
    expect(await stockAt(prisma, shop.id, { itemNo: "TEE" })).toBe(7);
    const secondInvoice = await invoiceOf(shop.id, rest.invoiceNo!);
    expect(secondInvoice.amount.toString()).toBe("50");
    expect(secondInvoice.amountIncludingTax.toString()).toBe("60");
    expect(secondInvoice.lines.map((l) => l.type)).toEqual(["item"]);
    document = await getSalesDocument(prisma, shop.id, "order", order.no);
    expect(document?.status).toBe("posted");
    expect(document?.lines.map((l) => [l.quantityShipped, l.quantityInvoiced])).toEqual([
      [3, 3],
      [0, 1],
    ]);
    await expect(postSalesOrder(prisma, shop.id, order.no, { ship: true, invoice: true })).rejects.toThrow(
      "nothing to post",
    );
  });

  it("ships first and invoices later, the invoice billing what was shipped and the shipping charge", async () => {
    const { shop, customer } = await stockedShop();
    const order = await shopifyDocument(shop.id, customer.no, [
      itemLine("TEE", 2, "50.00", "10.00"),
      { ...itemLine("MUG", 1, "10.00", "2.00"), variantCode: "RED" },
      shippingLine("5.00"),
    ]);

    const shipped = await postSalesOrder(prisma, shop.id, order.no, { ship: true, invoice: false });
    expect(shipped).toEqual({ shipmentNo: "SHIP00001" });
    expect(await stockAt(prisma, shop.id, { itemNo: "MUG", variantCode: "RED" })).toBe(4);

    const invoiced = await postSalesOrder(prisma, shop.id, order.no, {
      ship: false,
      invoice: true,
      lines: [{ lineNo: 10000, quantity: 1 }],
    });

    expect(invoiced).toEqual({ invoiceNo: "PINV00001" });
    const invoice = await invoiceOf(shop.id, invoiced.invoiceNo!);
    expect(invoice.lines.map((l) => [l.type, l.quantity, l.amount.toString()])).toEqual([
      ["item", 1, "25"],
      ["shipping", 1, "5"],
    ]);
    expect(invoice.amountIncludingTax.toString()).toBe("35");
    await expect(
      postSalesOrder(prisma, shop.id, order.no, {
        ship: false,
        invoice: true,
        lines: [{ lineNo: 10000, quantity: 2 }],
      }),
    ).rejects.toThrow(/line 10000 \(TEE\): cannot invoice 2, only 1 shipped and not yet invoiced/);
    await postSalesOrder(prisma, shop.id, order.no, { ship: false, invoice: true });
    expect((await getSalesDocument(prisma, shop.id, "order", order.no))?.status).toBe("posted");
  });

  it("splits amounts and tax pro rata, so parts invoiced one by one add up to the line exactly", async () => {
    const { shop, customer } = await stockedShop();
    const order = await shopifyDocument(shop.id, customer.no, [itemLine("TEE", 3, "10.00", "1.00")]);

    const amounts: string[] = [];
    for (let part = 0; part < 3; part += 1) {
      const posted = await postSalesOrder(prisma, shop.id, order.no, {
        ship: true,
        invoice: true,
        lines: [{ lineNo: 10000, quantity: 1 }],
      });
      const invoice = await invoiceOf(shop.id, posted.invoiceNo!);
      amounts.push(`${invoice.amount.toFixed(2)}+${invoice.lines[0]!.taxAmount.toFixed(2)}`);
    }

    expect(amounts).toEqual(["3.33+0.33", "3.34+0.34", "3.33+0.33"]);
    const totals = await prisma.boPostedInvoice.aggregate({
      where: { shopId: shop.id },
      _sum: { amount: true, amountIncludingTax: true },
    });
    expect(totals._sum.amount?.toString()).toBe("10");
    expect(totals._sum.amountIncludingTax?.toString()).toBe("11");
  });
});

describe("when a posting asks for too much", () => {
  it("refuses to over-ship, naming the line, and changes nothing", async () => {
    const { shop, customer } = await stockedShop();
    const order = await shopifyDocument(shop.id, customer.no, [itemLine("TEE", 3, "75")]);

    await expect(
      postSalesOrder(prisma, shop.id, order.no, {
        ship: true,
        invoice: true,
        lines: [{ lineNo: 10000, quantity: 4 }],
      }),
    ).rejects.toThrow(`sales order ${order.no} line 10000 (TEE): cannot ship 4, only 3 left to ship`);

    expect(await prisma.boPostedShipment.count({ where: { shopId: shop.id } })).toBe(0);
    expect(await prisma.boPostedInvoice.count({ where: { shopId: shop.id } })).toBe(0);
    expect(await stockAt(prisma, shop.id, { itemNo: "TEE" })).toBe(10);
    const document = await getSalesDocument(prisma, shop.id, "order", order.no);
    expect(document?.lines[0]).toMatchObject({ quantityShipped: 0, quantityInvoiced: 0 });
    expect(await prisma.boNumberSeries.count({ where: { shopId: shop.id, code: "SHIP" } })).toBe(0);
  });

  it.each([
    [{ ship: false, invoice: false }, "choose ship, invoice or both"],
    [
      { ship: true, invoice: false, lines: [{ lineNo: 20000, quantity: 1 }] },
      "line 20000 is a shipping line",
    ],
    [{ ship: true, invoice: false, lines: [{ lineNo: 30000, quantity: 1 }] }, "there is no line 30000"],
    [{ ship: true, invoice: false, lines: [{ lineNo: 10000, quantity: 0 }] }, "nothing to post"],
    // Invoicing alone before anything is shipped has no goods to bill, so the charge waits too.
    [{ ship: false, invoice: true }, "nothing to post"],
  ])("refuses %j", async (options, message) => {
    const { shop, customer } = await stockedShop();
    const order = await shopifyDocument(shop.id, customer.no, [itemLine("TEE", 3, "75"), shippingLine("5")]);

    await expect(postSalesOrder(prisma, shop.id, order.no, options)).rejects.toThrow(message);
    await expect(postSalesOrder(prisma, shop.id, order.no, options)).rejects.toThrow(BackOfficeError);
  });

  it("refuses a document that does not exist", async () => {
    const { shop } = await stockedShop();
    await expect(postSalesOrder(prisma, shop.id, "SO404", { ship: true, invoice: true })).rejects.toThrow(
      "sales order SO404 does not exist",
    );
  });
});

describe("when the same order is posted twice at the same moment", () => {
  it("ships it exactly once", async () => {
    const { shop, customer } = await stockedShop();
    const order = await shopifyDocument(shop.id, customer.no, [itemLine("TEE", 3, "75"), shippingLine("5")]);

    const results = await Promise.allSettled([
      postSalesOrder(prisma, shop.id, order.no, { ship: true, invoice: true }),
      postSalesOrder(prisma, shop.id, order.no, { ship: true, invoice: true }),
      postSalesOrder(prisma, shop.id, order.no, { ship: true, invoice: false }),
    ]);

    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results) if (r.status === "rejected") expect(String(r.reason)).toMatch(/nothing to post/);
    expect(await prisma.boPostedShipment.count({ where: { shopId: shop.id } })).toBe(1);
    expect(await stockAt(prisma, shop.id, { itemNo: "TEE" })).toBe(7);
  });
});

describe("when a sales invoice for a fulfilled Shopify order is posted", () => {
  it("posts the invoice and a shipment that records the stock but has nothing to sync", async () => {
    const { shop, customer } = await stockedShop();
    const document = await shopifyDocument(
      shop.id,
      customer.no,
      [itemLine("TEE", 2, "50.00", "10.00"), shippingLine("4.95", "0.99")],
      { documentType: "invoice", name: "#2001" },
    );

    const posted = await postSalesInvoice(prisma, shop.id, document.no);

    expect(posted).toEqual({ shipmentNo: "SHIP00001", invoiceNo: "PINV00001" });
    const shipment = await shipmentOf(shop.id, posted.shipmentNo!);
    expect(shipment).toMatchObject({ postedFrom: "invoice", shopifyOrderId: document.shopifyOrderId });
    expect(shipment.lines.map((l) => [l.itemNo, l.quantity])).toEqual([["TEE", 2]]);
    const invoice = await invoiceOf(shop.id, posted.invoiceNo!);
    expect(invoice).toMatchObject({ shopifyOrderNo: "#2001", customerNo: customer.no });
    expect(invoice.amount.toString()).toBe("54.95");
    expect(invoice.amountIncludingTax.toString()).toBe("65.94");
    expect(await stockAt(prisma, shop.id, { itemNo: "TEE" })).toBe(8);
    expect((await getSalesDocument(prisma, shop.id, "invoice", document.no))?.status).toBe("posted");
    await expect(postSalesInvoice(prisma, shop.id, document.no)).rejects.toThrow("nothing to post");
    // In the change feed once, like any posted shipment (the shipment sync skips it).
    const { changes } = await changesSince(prisma, shop.id, "posted_shipment", null);
    expect(changes.map((change) => change.key)).toEqual([posted.shipmentNo]);
  });
});

describe("when shipments are posted", () => {
  it("puts each in the change feed once, in the posting's transaction, and only for its shop", async () => {
    const a = await stockedShop();
    const b = await stockedShop();
    const first = await shopifyDocument(a.shop.id, a.customer.no, [itemLine("TEE", 1, "25")]);
    const local = await createSalesDocument(prisma, a.shop.id, {
      documentType: "order",
      customerNo: a.customer.no,
      orderDate: new Date(),
      currencyCode: "EUR",
      lines: [itemLine("TEE", 1, "25")],
    });
    const before = await changesSince(prisma, a.shop.id, "posted_shipment", null);
    expect(before.changes).toEqual([]);

    const one = await postSalesOrder(prisma, a.shop.id, first.no, { ship: true, invoice: false });
    const two = await postSalesOrder(prisma, a.shop.id, local.no, { ship: true, invoice: true });
    // Invoicing what was shipped posts no shipment, so no change.
    await postSalesOrder(prisma, a.shop.id, first.no, { ship: false, invoice: true });
    // A posting whose transaction is rolled back (the caller's, here) leaves no change behind.
    const third = await shopifyDocument(a.shop.id, a.customer.no, [itemLine("TEE", 1, "25")]);
    await expect(
      prisma.$transaction(async (tx) => {
        await postSalesOrder(tx, a.shop.id, third.no, { ship: true, invoice: false });
        throw new Error("the caller changed its mind");
      }),
    ).rejects.toThrow("the caller changed its mind");
    expect(await prisma.boPostedShipment.count({ where: { shopId: a.shop.id } })).toBe(2);

    const after = await changesSince(prisma, a.shop.id, "posted_shipment", before.snapshot);
    expect(after.changes.map((change) => change.key)).toEqual([one.shipmentNo, two.shipmentNo]);
    expect(after.changes[0]!.at).toBeInstanceOf(Date);
    expect((await changesSince(prisma, a.shop.id, "posted_shipment", after.snapshot)).changes).toEqual([]);
    expect((await changesSince(prisma, b.shop.id, "posted_shipment", null)).changes).toEqual([]);
    expect(await shipmentOf(a.shop.id, one.shipmentNo!)).toMatchObject({ postedFrom: "order" });
  });
});
