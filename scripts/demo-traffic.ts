// The demo's customers: every few seconds one of them buys one to three variants of the demo
// shop, paid, through the simulator's Admin API (orderCreate), as a storefront checkout would.

import { operation } from "../app/shopify/operation.server";

export const VARIANTS_QUERY = operation<{ productVariants: { nodes: { id: string; price: string }[] } }>(
  "DemoTrafficVariants",
  `query DemoTrafficVariants { productVariants(first: 100) { nodes { id price } } }`,
);
export const ORDER_CREATE = operation<{
  orderCreate: { order: { name: string } | null; userErrors: { message: string }[] };
}>(
  "DemoTrafficOrderCreate",
  `mutation DemoTrafficOrderCreate($order: OrderCreateOrderInput!) {
    orderCreate(order: $order) { order { id name } userErrors { field message } }
  }`,
);

const CUSTOMERS = [
  {
    firstName: "Ava",
    lastName: "Martin",
    email: "ava.martin@example.com",
    city: "Portland",
    zip: "97201",
    provinceCode: "OR",
  },
  {
    firstName: "Noah",
    lastName: "Lee",
    email: "noah.lee@example.com",
    city: "Austin",
    zip: "73301",
    provinceCode: "TX",
  },
  {
    firstName: "Mia",
    lastName: "Garcia",
    email: "mia.garcia@example.com",
    city: "Denver",
    zip: "80202",
    provinceCode: "CO",
  },
  {
    firstName: "Liam",
    lastName: "Chen",
    email: "liam.chen@example.com",
    city: "Seattle",
    zip: "98101",
    provinceCode: "WA",
  },
];

let token: string | undefined;
let variants: { id: string; price: string }[] | undefined;
let count = 0;

async function admin<T>(
  simUrl: string,
  shop: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<T> {
  const response = await fetch(`${simUrl}/shops/${shop}/admin/api/2026-07/graphql.json`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-shopify-access-token": token! },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
  if (!response.ok || body.errors?.length)
    throw new Error(body.errors?.map((e) => e.message).join("; ") ?? `HTTP ${response.status}`);
  return body.data!;
}

export async function placeDemoOrder(simUrl: string, shop: string, accessToken?: string): Promise<string> {
  if (!token) {
    token =
      accessToken ??
      (
        (await (await fetch(`${simUrl}/_sim/shops/${shop}/token`, { method: "POST" })).json()) as {
          token: string;
        }
      ).token;
  }
  variants ??= (
    await admin<{ productVariants: { nodes: { id: string; price: string }[] } }>(
      simUrl,
      shop,
      VARIANTS_QUERY.query,
    )
  ).productVariants.nodes;
  if (variants.length === 0) throw new Error("the demo shop has no variants to sell");
  count += 1;
  const customer = CUSTOMERS[count % CUSTOMERS.length]!;
  const lines = Array.from(
    { length: 1 + (count % 3) },
    (_, i) => variants![(count * 7 + i * 13) % variants!.length]!,
  );
  const subtotal = lines.reduce((sum, line) => sum + Number(line.price), 0);
  const shipping = 5.9;
  const address = {
    firstName: customer.firstName,
    lastName: customer.lastName,
    address1: `${100 + count} Main Street`,
    city: customer.city,
    zip: customer.zip,
    provinceCode: customer.provinceCode,
    countryCode: "US",
  };
  const order = {
    email: customer.email,
    customer: {
      toUpsert: { email: customer.email, firstName: customer.firstName, lastName: customer.lastName },
    },
    billingAddress: address,
    shippingAddress: address,
    lineItems: lines.map((line) => ({
      variantId: line.id,
      quantity: 1 + (count % 2),
      requiresShipping: true,
    })),
    shippingLines: [
      {
        title: "Standard",
        code: "STANDARD",
        priceSet: { shopMoney: { amount: shipping.toFixed(2), currencyCode: "USD" } },
      },
    ],
    financialStatus: "PAID",
    transactions: [
      {
        kind: "SALE",
        status: "SUCCESS",
        gateway: "shopify_payments",
        amountSet: { shopMoney: { amount: (subtotal + shipping).toFixed(2), currencyCode: "USD" } },
      },
    ],
    sourceName: "web",
  };
  const result = await admin<{
    orderCreate: { order: { name: string } | null; userErrors: { message: string }[] };
  }>(simUrl, shop, ORDER_CREATE.query, { order });
  if (!result.orderCreate.order)
    throw new Error(result.orderCreate.userErrors.map((e) => e.message).join("; "));
  return result.orderCreate.order.name;
}
