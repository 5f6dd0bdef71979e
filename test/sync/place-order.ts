import { expect } from "vitest";
import prisma from "../../app/db.server";
import type { RunningSimulator } from "../support/simulator";
import type { Store } from "../support/store";

/**
 * Orders placed in the simulated shop with orderCreate's full input (taxes, discount codes,
 * several shipping lines, currencies, gift cards), as a storefront checkout records them, and
 * the figures of the documents they become.
 */

export const ADDRESS = {
  firstName: "Ada",
  lastName: "Lovelace",
  address1: "1 Analytical Way",
  city: "London",
  zip: "N1 1AA",
  countryCode: "GB",
};

export const usd = (amount: string, currencyCode = "USD") => ({ shopMoney: { amount, currencyCode } });

/** A MoneyBagInput: the shop's money, and the customer's when the order is in another currency. */
type MoneyBag = ReturnType<typeof usd> & { presentmentMoney?: { amount: string; currencyCode: string } };

export interface LineInput {
  variantId?: string;
  title?: string;
  sku?: string;
  quantity: number;
  priceSet?: MoneyBag;
  taxLines?: { title: string; rate: string; priceSet?: MoneyBag }[];
  giftCard?: boolean;
  requiresShipping?: boolean;
}

/** orderCreate with what a checkout sends; lines ship unless told otherwise. Returns id and name. */
export async function placeOrder(
  store: Store,
  order: Record<string, unknown> & { lineItems: LineInput[] },
): Promise<{ id: string; name: string }> {
  const result = await store.graphql<{
    orderCreate: { order: { id: string; name: string } | null; userErrors: { message: string }[] };
  }>(
    `mutation TestMoneyOrderCreate($order: OrderCreateOrderInput!) {
      orderCreate(order: $order) { order { id name } userErrors { field message } }
    }`,
    {
      order: {
        email: "ada@example.com",
        billingAddress: ADDRESS,
        shippingAddress: ADDRESS,
        financialStatus: "PAID",
        ...order,
        lineItems: order.lineItems.map((line) => ({ requiresShipping: true, ...line })),
      },
    },
  );
  if (!result.orderCreate.order)
    throw new Error(result.orderCreate.userErrors.map((e) => e.message).join("; "));
  return result.orderCreate.order;
}

/** Sets a line's quantity through the simulator's shortcut for an edit in Shopify admin. */
export async function editLine(
  simulator: RunningSimulator,
  shop: string,
  orderId: string,
  lineId: bigint,
  quantity: number,
) {
  const response = await fetch(
    `${simulator.url}/_sim/shops/${shop}/orders/${orderId.split("/").pop()}/lines/${lineId}`,
    { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ quantity }) },
  );
  expect(response.status).toBe(200);
}

/** The document made from the order, with its lines in order, and the staged order. */
export async function documentOf(shopId: string, name: string) {
  const staged = await prisma.shopifyOrder.findFirstOrThrow({
    where: { shopId, name },
    include: { lines: { orderBy: { shopifyId: "asc" } } },
  });
  const header = staged.documentNo
    ? await prisma.boSalesHeader.findFirst({
        where: { shopId, shopifyOrderId: staged.shopifyId },
        include: { lines: { orderBy: { lineNo: "asc" } } },
      })
    : null;
  return { staged, header };
}

/** A document's figures as plain strings, for comparing with figures worked out by hand. */
export function figures(header: NonNullable<Awaited<ReturnType<typeof documentOf>>["header"]>) {
  return {
    pricesIncludingTax: header.pricesIncludingTax,
    amount: header.amount.toFixed(2),
    tax: header.amountIncludingTax.minus(header.amount).toFixed(2),
    total: header.amountIncludingTax.toFixed(2),
    lines: header.lines.map((line) => ({
      type: line.type,
      description: line.description,
      quantity: line.quantity,
      unitPrice: line.unitPrice.toFixed(2),
      discount: line.discountAmount.toFixed(2),
      tax: line.taxAmount.toFixed(2),
      amount: line.amount.toFixed(2),
    })),
  };
}

/**
 * A storefront checkout with a tip, through the simulator's checkout (orderCreate's input has
 * no tip: a checkout records it as a line item of its own, the TIP sale of the order's agreement).
 */
export async function checkoutWithTip(
  simulator: RunningSimulator,
  shop: string,
  order: Record<string, unknown> & { lineItems: LineInput[] },
  tip: ReturnType<typeof usd>,
): Promise<{ id: string; name: string }> {
  const response = await fetch(`${simulator.url}/_sim/shops/${shop}/checkouts`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      order: {
        email: "ada@example.com",
        billingAddress: ADDRESS,
        shippingAddress: ADDRESS,
        financialStatus: "PAID",
        ...order,
        lineItems: order.lineItems.map((line) => ({ requiresShipping: true, ...line })),
      },
      tip,
    }),
  });
  const body = (await response.json()) as {
    order: { id: string; name: string } | null;
    userErrors?: { message: string }[];
    error?: string;
  };
  if (!body.order) throw new Error(body.error ?? body.userErrors?.map((e) => e.message).join("; "));
  return body.order;
}
