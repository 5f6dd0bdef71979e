import {
  createCustomer,
  createItem,
  createSalesDocument,
  ensureLocation,
  postOpeningStock,
  type NewSalesLine,
} from "../../app/backoffice/backoffice.server";
import prisma from "../../app/db.server";
import { installedShop } from "../support/shops";

/**
 * Back-office records for tests, made by the back office's own functions (so they are what the
 * app would make): a stocked shop, sales lines, a document made from a Shopify order. Where the
 * back office has no function for something a person does in the ERP (blocking an item), the
 * row is written directly, which only tests may do (eslint.config.js).
 */

/** A shop with a warehouse, a customer and two items with stock, ready to take orders. */
export async function stockedShop() {
  const shop = await installedShop();
  await ensureLocation(prisma, shop.id, { code: "MAIN", name: "Main warehouse" });
  const customer = await createCustomer(prisma, shop.id, { name: "Ada Lovelace", email: "ada@example.com" });
  await createItem(prisma, shop.id, { no: "TEE", description: "Merino Tee", unitPrice: "25.00" });
  await createItem(prisma, shop.id, {
    no: "MUG",
    description: "Mug",
    unitPrice: "10.00",
    variants: [
      { code: "RED", description: "Red" },
      { code: "BLUE", description: "Blue" },
    ],
  });
  await postOpeningStock(
    prisma,
    shop.id,
    [
      { itemNo: "TEE", locationCode: "MAIN", quantity: 10 },
      { itemNo: "MUG", variantCode: "RED", locationCode: "MAIN", quantity: 5 },
    ],
    "OPEN-1",
  );
  return { shop, customer };
}

let nextShopifyOrderId = 5_000_000_000n;

export function itemLine(itemNo: string, quantity: number, amount: string, tax = "0"): NewSalesLine {
  return {
    type: "item",
    itemNo,
    description: itemNo,
    quantity,
    unitPrice: amount,
    discountAmount: "0",
    taxAmount: tax,
    amount,
  };
}

export function shippingLine(amount: string, tax = "0"): NewSalesLine {
  return {
    type: "shipping",
    description: "Shipping: Standard",
    quantity: 1,
    unitPrice: amount,
    discountAmount: "0",
    taxAmount: tax,
    amount,
  };
}

/** A sales document as made from a Shopify order named `name`. */
export async function shopifyDocument(
  shopId: string,
  customerNo: string,
  lines: NewSalesLine[],
  options: { documentType?: "order" | "invoice"; name?: string; shopifyOrderId?: bigint } = {},
) {
  const shopifyOrderId = options.shopifyOrderId ?? nextShopifyOrderId++;
  return createSalesDocument(prisma, shopId, {
    documentType: options.documentType ?? "order",
    customerNo,
    orderDate: new Date("2026-11-20T10:00:00Z"),
    currencyCode: "EUR",
    shopifyOrderId,
    shopifyOrderNo: options.name ?? `#${shopifyOrderId % 100_000n}`,
    lines,
  });
}

/** An item a person blocked in the back office: it may not be sold or mapped. */
export async function insertBlockedItem(shopId: string, no: string, description: string) {
  await createItem(prisma, shopId, { no, description, unitPrice: "0" });
  return prisma.boItem.update({ where: { shopId_no: { shopId, no } }, data: { blocked: true } });
}
