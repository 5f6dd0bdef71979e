import { describe, expect, it } from "vitest";
import {
  closeSalesDocument,
  createItem,
  findCustomerByAddress,
  createCustomer,
  getSalesDocument,
  PostingHeldError,
  postSalesOrder,
  replaceSalesLines,
  setSalesDocumentHold,
} from "../../app/backoffice/backoffice.server";
import prisma from "../../app/db.server";
import { itemLine, shippingLine, shopifyDocument, stockedShop } from "../kit/backoffice";

/**
 * The back office's side of posting following Shopify: a document on hold or closed is never
 * posted, a document's lines are replaced only while nothing of it is posted, non-stock items
 * ship without moving stock; every refusal changes nothing.
 */

describe("when a sales document is on hold", () => {
  it("posting is refused with the reason until the hold comes off", async () => {
    const { shop, customer } = await stockedShop();
    const document = await shopifyDocument(shop.id, customer.no, [itemLine("TEE", 1, "25.00")]);
    await setSalesDocumentHold(prisma, shop.id, "order", document.no, {
      code: "CHANGED",
      reason: "order #1001 changed in Shopify",
    });

    const refused = postSalesOrder(prisma, shop.id, document.no, { ship: true, invoice: true });
    await expect(refused).rejects.toThrow(PostingHeldError);
    await expect(refused).rejects.toThrow(
      `sales order ${document.no} is on hold: order #1001 changed in Shopify`,
    );
    expect(await prisma.boPostedShipment.count({ where: { shopId: shop.id } })).toBe(0);
    await expect(
      setSalesDocumentHold(prisma, shop.id, "order", document.no, { code: "MAYBE" as never, reason: "x" }),
    ).rejects.toThrow('unknown hold code "MAYBE"; use CANCELLED or CHANGED');

    await setSalesDocumentHold(prisma, shop.id, "order", document.no, null);
    const posted = await postSalesOrder(prisma, shop.id, document.no, { ship: true, invoice: true });
    expect([typeof posted.shipmentNo, typeof posted.invoiceNo]).toEqual(["string", "string"]);
  });
});

describe("when a sales document is closed", () => {
  it("nothing more is posted from it, and a posted one cannot be closed", async () => {
    const { shop, customer } = await stockedShop();
    const open = await shopifyDocument(shop.id, customer.no, [itemLine("TEE", 1, "25.00")]);
    const posted = await shopifyDocument(shop.id, customer.no, [itemLine("TEE", 1, "25.00")]);
    await postSalesOrder(prisma, shop.id, posted.no, { ship: true, invoice: true });

    expect(await closeSalesDocument(prisma, shop.id, "order", open.no, "cli")).toMatchObject({
      status: "closed",
      closedBy: "cli",
    });
    await expect(postSalesOrder(prisma, shop.id, open.no, { ship: true, invoice: false })).rejects.toThrow(
      `sales order ${open.no} is closed: nothing can be posted from it`,
    );
    await expect(closeSalesDocument(prisma, shop.id, "order", posted.no, "cli")).rejects.toThrow(
      `sales order ${posted.no} is fully posted and cannot be closed`,
    );
    expect((await getSalesDocument(prisma, shop.id, "order", posted.no))?.status).toBe("posted");
  });
});

describe("when a document's lines are replaced", () => {
  it("takes the new lines and totals while nothing is posted, and refuses once something is", async () => {
    const { shop, customer } = await stockedShop();
    const document = await shopifyDocument(shop.id, customer.no, [
      itemLine("TEE", 3, "75.00", "15.00"),
      shippingLine("5.00"),
    ]);

    const replaced = await replaceSalesLines(prisma, shop.id, "order", document.no, {
      pricesIncludingTax: true,
      lines: [{ ...itemLine("TEE", 1, "20.83", "4.17"), unitPrice: "25.00" }, shippingLine("5.00")],
    });
    expect(replaced).toMatchObject({ pricesIncludingTax: true, no: document.no, customerNo: customer.no });
    expect([replaced.amount.toFixed(2), replaced.amountIncludingTax.toFixed(2)]).toEqual(["25.83", "30.00"]);
    expect(replaced.lines.map((line) => [line.type, line.quantity])).toEqual([
      ["item", 1],
      ["shipping", 1],
    ]);

    await postSalesOrder(prisma, shop.id, document.no, { ship: true, invoice: false });
    await expect(
      replaceSalesLines(prisma, shop.id, "order", document.no, { lines: [itemLine("TEE", 2, "50.00")] }),
    ).rejects.toThrow(
      `sales order ${document.no} is partly shipped or invoiced; its lines can no longer be replaced`,
    );
    expect((await getSalesDocument(prisma, shop.id, "order", document.no))?.lines).toHaveLength(2);
  });
});

describe("a non-stock item", () => {
  it("ships and invoices without a stock entry", async () => {
    const { shop, customer } = await stockedShop();
    await createItem(prisma, shop.id, {
      no: "GIFT",
      description: "Gift cards",
      unitPrice: "0",
      type: "non_stock",
    });
    const document = await shopifyDocument(shop.id, customer.no, [
      itemLine("GIFT", 1, "50.00"),
      itemLine("TEE", 1, "25.00"),
    ]);
    const before = await prisma.boStockEntry.count({ where: { shopId: shop.id } });

    await postSalesOrder(prisma, shop.id, document.no, { ship: true, invoice: true });

    const entries = await prisma.boStockEntry.findMany({ where: { shopId: shop.id, entryType: "shipment" } });
    expect(entries.map((entry) => [entry.itemNo, entry.quantity])).toEqual([["TEE", -1]]);
    expect(await prisma.boStockEntry.count({ where: { shopId: shop.id } })).toBe(before + 1);
    await expect(
      createItem(prisma, shop.id, {
        no: "SVC",
        description: "Service",
        unitPrice: "0",
        type: "service" as never,
      }),
    ).rejects.toThrow('unknown item type "service"; use inventory or non_stock');
  });
});

describe("finding a customer by an address without a name", () => {
  it("matches street, zip, city and country", async () => {
    const { shop } = await stockedShop();
    const walkIn = await createCustomer(prisma, shop.id, {
      name: "#1001",
      address1: "12 Market Street",
      zip: "LS1 6DT",
      city: "Leeds",
      countryCode: "GB",
    });
    const address = {
      name: "",
      address1: "12 market street",
      zip: "LS16DT",
      city: "LEEDS",
      countryCode: "gb",
    };

    expect((await findCustomerByAddress(prisma, shop.id, address))?.no).toBe(walkIn.no);
    expect(await findCustomerByAddress(prisma, shop.id, { ...address, zip: "LS1 1AA" })).toBeNull();
    expect(await findCustomerByAddress(prisma, shop.id, { ...address, name: "Someone Else" })).toBeNull();
  });
});
