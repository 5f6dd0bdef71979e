import type { ShopState } from "../state/shop-state.server";
import type { CustomerRecord, OrderRecord } from "../state/records.server";
import { addressFromInput } from "../resolvers/addresses.server";
import { CatalogChanges } from "../resolvers/catalog-events.server";
import { applyFulfillment } from "../resolvers/fulfillments-mutations.server";
import { buildOrder, type LineItemInput, type OrderCreateInput } from "../resolvers/orders-create.server";
import { financialStatusFor, orderTotals } from "../resolvers/orders-money.server";
import { fromCents } from "../resolvers/money.server";

/**
 * Deterministic customers and orders for a seeded shop: the same sizes, random source and
 * `now` give the same records and ids. Orders use the shop's variants when it has any (custom
 * line items otherwise) and spread over the 30 days before `now`, mostly paid, some pending,
 * partially paid or authorized, some fulfilled, some partially. No webhooks are sent.
 */

const FIRST = [
  "Ava",
  "Liam",
  "Mia",
  "Noah",
  "Emma",
  "Lucas",
  "Zoe",
  "Ethan",
  "Chloe",
  "Owen",
  "Isla",
  "Leo",
  "Nora",
  "Eli",
  "Ruby",
  "Jack",
];
const LAST = [
  "Tremblay",
  "Smith",
  "Nguyen",
  "Garcia",
  "Martin",
  "Brown",
  "Roy",
  "Wilson",
  "Lee",
  "Taylor",
  "Gagnon",
  "Walker",
  "Clark",
  "Young",
];
const PLACES = [
  { city: "Ottawa", provinceCode: "ON", countryCode: "CA", zip: "K2P 1L4" },
  { city: "Montreal", provinceCode: "QC", countryCode: "CA", zip: "H2X 1Y4" },
  { city: "Toronto", provinceCode: "ON", countryCode: "CA", zip: "M5V 2T6" },
  { city: "Brooklyn", provinceCode: "NY", countryCode: "US", zip: "11201" },
  { city: "Austin", provinceCode: "TX", countryCode: "US", zip: "78701" },
  { city: "Portland", provinceCode: "OR", countryCode: "US", zip: "97205" },
];
const STREETS = ["Elgin St", "Bank St", "Main St", "Maple Ave", "King St W", "Oak Rd", "Pine St"];
const CUSTOM_ITEMS = [
  "Gift wrap",
  "Custom engraving",
  "Canvas tote",
  "Enamel mug",
  "Sticker pack",
  "Wool socks",
];
const DAY = 86_400_000;

function pick<T>(random: () => number, list: readonly T[]): T {
  return list[Math.floor(random() * list.length)]!;
}

function seedCustomer(shop: ShopState, index: number, random: () => number, now: Date): CustomerRecord {
  const firstName = pick(random, FIRST);
  const lastName = pick(random, LAST);
  const place = pick(random, PLACES);
  const createdAt = new Date(now.getTime() - Math.floor((30 + random() * 60) * DAY));
  const id = shop.newId();
  const addressId = shop.newId();
  const phone = random() < 0.5 ? `+1613555${String(1000 + index).slice(-4)}` : null;
  return {
    id,
    email: `${firstName}.${lastName}.${index + 1}@example.com`.toLowerCase(),
    phone,
    firstName,
    lastName,
    note: random() < 0.2 ? "Prefers email contact" : null,
    tags: random() < 0.3 ? ["vip"] : [],
    taxExempt: false,
    state: "DISABLED",
    addresses: [
      {
        id: addressId,
        ...addressFromInput({
          firstName,
          lastName,
          address1: `${1 + Math.floor(random() * 900)} ${pick(random, STREETS)}`,
          city: place.city,
          provinceCode: place.provinceCode,
          countryCode: place.countryCode,
          zip: place.zip,
          phone,
        }),
      },
    ],
    defaultAddressId: addressId,
    createdAt,
    updatedAt: createdAt,
  };
}

function lineInputs(shop: ShopState, random: () => number): LineItemInput[] {
  const variants = [...shop.variants.values()];
  const count = 1 + Math.floor(random() * 3);
  return Array.from({ length: count }, () => {
    const quantity = 1 + Math.floor(random() * 3);
    if (variants.length > 0)
      return { variantId: `gid://shopify/ProductVariant/${pick(random, variants).id}`, quantity };
    const price = (5 + Math.floor(random() * 60)).toFixed(2);
    return {
      title: pick(random, CUSTOM_ITEMS),
      quantity,
      priceSet: { shopMoney: { amount: price, currencyCode: shop.currencyCode } },
    };
  });
}

/** Applies a seeded order's payment state: mostly paid, some pending, partially paid or authorized. */
function pay(shop: ShopState, order: OrderRecord, roll: number, at: Date): void {
  const total = orderTotals(order).total;
  const add = (kind: "SALE" | "AUTHORIZATION", cents: number) =>
    order.transactions.push({
      id: shop.newId(),
      kind,
      status: "SUCCESS",
      gateway: "shopify_payments",
      amount: fromCents(cents),
      parentId: null,
      test: false,
      createdAt: at,
      processedAt: at,
    });
  if (roll < 0.75) add("SALE", total);
  else if (roll < 0.83) add("SALE", Math.round(total / 2));
  else if (roll < 0.9) add("AUTHORIZATION", total);
  order.displayFinancialStatus = financialStatusFor(order);
}

export function seedOrders(
  shop: ShopState,
  sizes: { customers: number; orders: number },
  random: () => number,
  now: Date,
): void {
  const customers = Array.from({ length: sizes.customers }, (_, i) => seedCustomer(shop, i, random, now));
  for (const customer of customers) shop.customers.set(customer.id, customer);
  // Creation times first, oldest first, so order numbers follow time as in a real shop.
  const times = Array.from(
    { length: sizes.orders },
    () => now.getTime() - Math.floor(random() * 30 * DAY),
  ).sort((a, b) => a - b);
  for (const time of times) {
    const createdAt = new Date(time);
    const customer = customers.length > 0 && random() < 0.85 ? pick(random, customers) : null;
    const address = customer?.addresses[0];
    const input: OrderCreateInput = {
      lineItems: lineInputs(shop, random),
      customer: customer ? { toAssociate: { id: `gid://shopify/Customer/${customer.id}` } } : null,
      email: customer ? null : `guest.${time % 100_000}@example.com`,
      shippingAddress: address ?? null,
      billingAddress: address ?? null,
      shippingLines:
        random() < 0.7
          ? [
              {
                title: "Standard",
                code: "STANDARD",
                priceSet: {
                  shopMoney: {
                    amount: (5 + Math.floor(random() * 10)).toFixed(2),
                    currencyCode: shop.currencyCode,
                  },
                },
              },
            ]
          : [],
      taxLines: random() < 0.5 ? [{ title: "Sales tax", rate: "0.08" }] : [],
      tags: random() < 0.2 ? ["wholesale"] : [],
      sourceName: pick(random, ["web", "web", "web", "pos", "shopify_draft_order"]),
      processedAt: createdAt.toISOString(),
    };
    const { built } = buildOrder(shop, input, createdAt);
    if (!built) continue;
    const { order } = built;
    shop.nextOrderNumber = order.number + 1;
    shop.orders.set(order.id, order);
    for (const fo of built.fulfillmentOrders) shop.fulfillmentOrders.set(fo.id, fo);
    pay(shop, order, random(), createdAt);

    // Paid orders: some fulfilled, some partially (the first fulfillment order line, in part).
    const fulfil = random();
    const paid = order.displayFinancialStatus === "PAID";
    const at = new Date(Math.min(now.getTime(), time + Math.floor((2 + random() * 46) * 3_600_000)));
    if (paid && fulfil < 0.55) {
      const partial = fulfil >= 0.4;
      for (const fo of built.fulfillmentOrders) {
        const lines = partial ? fo.lineItems.slice(0, 1) : fo.lineItems;
        const picks = lines.map((line) => ({
          fulfillmentOrder: fo,
          lineId: line.id,
          quantity: partial ? Math.max(1, line.remainingQuantity - 1) : line.remainingQuantity,
        }));
        const tracking = [{ company: "UPS", number: `1Z${String(order.id).padStart(16, "0")}`, url: null }];
        // Seeded orders claim no inventory, so their fulfillments move none (no webhooks either).
        applyFulfillment(shop, order, picks, {
          tracking,
          notifyCustomer: false,
          now: at,
          inventory: new CatalogChanges(),
        });
        if (partial) break;
      }
    } else if (order.displayFinancialStatus === "PENDING" && fulfil > 0.9) {
      order.cancelledAt = at;
      order.cancelReason = "CUSTOMER";
      order.closedAt = at;
      for (const line of order.lineItems) line.currentQuantity = 0;
      for (const fo of built.fulfillmentOrders) {
        fo.status = "CLOSED";
        for (const line of fo.lineItems) line.remainingQuantity = 0;
      }
    }
    order.updatedAt = order.fulfillmentIds.length > 0 || order.cancelledAt ? at : createdAt;
  }
}
