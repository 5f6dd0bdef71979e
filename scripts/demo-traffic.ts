// The demo's customers: every few seconds one of them buys one to three variants of the demo
// shop, paid, through the simulator's storefront checkout (`POST /_sim/shops/<shop>/checkouts`),
// which claims the units as a storefront does: they move from available to committed at the
// location the order is fulfilled from, by each variant's inventory policy. A customer picks
// only what the storefront sells (its product for sale, and in stock at a location, or sold
// past its stock), never more units than one location has, so a sold-out variant is not tried.
// The storefront's catalog and stock come from the simulator's control API (`/_sim/.../stock`):
// shoppers do not spend the Admin API's rate limit, which the app's syncs share.

/** A variant as the simulator's `GET /_sim/shops/<shop>/stock` lists it. */
export interface DemoVariant {
  variantId: number;
  price: string;
  forSale: boolean;
  inventoryPolicy: "DENY" | "CONTINUE";
  tracked: boolean;
  levels: { available: number }[];
}

/** How many units of a variant a customer can buy now (one location fulfils a line); unlimited when sold past stock. */
export function buyable(variant: DemoVariant): number {
  if (!variant.forSale) return 0;
  if (variant.inventoryPolicy === "CONTINUE" || !variant.tracked) return Infinity;
  return Math.max(0, ...variant.levels.map((level) => level.available));
}

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

let count = 0;

/** Places the next demo customer's order; returns its name. */
export async function placeDemoOrder(simUrl: string, shop: string): Promise<string> {
  // Read each time: what is in stock changes with every order, shipment and stock sync.
  const listed = await fetch(`${simUrl}/_sim/shops/${shop}/stock`);
  if (!listed.ok) throw new Error(`the simulator answered ${listed.status} for the shop's stock`);
  const variants = ((await listed.json()) as DemoVariant[]).filter((variant) => buyable(variant) > 0);
  if (variants.length === 0) throw new Error("the demo shop has nothing in stock to sell");
  count += 1;
  const customer = CUSTOMERS[count % CUSTOMERS.length]!;
  const picked = new Map<number, { variant: DemoVariant; quantity: number }>();
  for (let i = 0; i < 1 + (count % 3); i++) {
    const variant = variants[(count * 7 + i * 13) % variants.length]!;
    if (picked.has(variant.variantId)) continue;
    picked.set(variant.variantId, { variant, quantity: Math.min(1 + (count % 2), buyable(variant)) });
  }
  const lines = [...picked.values()];
  const subtotal = lines.reduce((sum, line) => sum + Number(line.variant.price) * line.quantity, 0);
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
      variantId: `gid://shopify/ProductVariant/${line.variant.variantId}`,
      quantity: line.quantity,
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
  const response = await fetch(`${simUrl}/_sim/shops/${shop}/checkouts`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ order }),
  });
  const body = (await response.json()) as {
    order?: { name: string } | null;
    userErrors?: { message: string }[];
    error?: string;
  };
  if (!body.order)
    throw new Error(
      body.error ?? body.userErrors?.map((e) => e.message).join("; ") ?? `HTTP ${response.status}`,
    );
  return body.order.name;
}
