import { randomUUID } from "node:crypto";
import prisma from "../../app/db.server";
import { Prisma, type Shop } from "../../app/generated/prisma/client";

/**
 * Staged Shopify records written straight into the staging tables, as the imports would leave
 * them, for tests of what comes after an import (processing, the lists, the tiles). The imports
 * themselves are tested against the simulator in test/sync; these factories skip them. Each
 * takes what the test cares about and fills the rest with plain defaults.
 */

let nextId = 7_000_000_000n;
/** A Shopify id (numeric part) no other factory call gives out in this test file. */
export const shopifyId = () => nextId++;

export interface StagedLine {
  variantId?: bigint;
  /** The variant's product in Shopify. */
  productId?: bigint;
  sku?: string;
  title: string;
  variantTitle?: string;
  quantity?: number;
  /** Unit price, default 25. */
  price?: string;
}

export interface StagedOrderOptions {
  name?: string;
  email?: string | null;
  customerShopifyId?: bigint | null;
  lines: StagedLine[];
  cancelled?: boolean;
}

/** The address every staged order bills and ships to. */
export const STAGED_ADDRESS = {
  name: "Grace Hopper",
  firstName: "Grace",
  lastName: "Hopper",
  company: null,
  address1: "1 Harbour Road",
  address2: null,
  city: "Arlington",
  zip: "22201",
  province: null,
  countryCodeV2: "US",
  phone: null,
};

/**
 * An order as the order import stages it (ShopifyOrder and its lines), paid, unfulfilled, in
 * euros, totalling its lines (no shipping, discount or tax), not yet processed.
 */
export async function insertStagedOrder(shop: Pick<Shop, "id">, options: StagedOrderOptions) {
  const id = shopifyId();
  const total = options.lines.reduce(
    (sum, line) => sum.plus(new Prisma.Decimal(line.price ?? "25").times(line.quantity ?? 1)),
    new Prisma.Decimal(0),
  );
  return prisma.shopifyOrder.create({
    data: {
      id: randomUUID(),
      shopId: shop.id,
      shopifyId: id,
      name: options.name ?? `#${id % 100_000n}`,
      email: options.email === undefined ? "grace@example.com" : options.email,
      customerShopifyId: options.customerShopifyId ?? null,
      currencyCode: "EUR",
      financialStatus: "PAID",
      fulfillmentStatus: "UNFULFILLED",
      cancelledAt: options.cancelled ? new Date() : null,
      subtotal: total,
      totalShipping: new Prisma.Decimal("0"),
      totalTax: new Prisma.Decimal("0"),
      totalDiscounts: new Prisma.Decimal("0"),
      totalPrice: total,
      currentTotalPrice: total,
      billingAddress: STAGED_ADDRESS,
      shippingAddress: STAGED_ADDRESS,
      shopifyCreatedAt: new Date(),
      shopifyUpdatedAt: new Date(),
      lines: {
        create: options.lines.map((line) => ({
          shopifyId: shopifyId(),
          variantShopifyId: line.variantId ?? null,
          productShopifyId: line.productId ?? null,
          sku: line.sku ?? null,
          title: line.title,
          variantTitle: line.variantTitle ?? null,
          quantity: line.quantity ?? 1,
          currentQuantity: line.quantity ?? 1,
          unitPrice: new Prisma.Decimal(line.price ?? "25"),
          discountAmount: new Prisma.Decimal("0"),
          taxAmount: new Prisma.Decimal("0"),
          taxLines: [],
        })),
      },
    },
  });
}

/**
 * A Shopify customer as an import stages it (ShopifyCustomer), not mapped to a back-office
 * customer unless `customerNo` says so.
 */
export async function insertStagedCustomer(
  shop: Pick<Shop, "id">,
  fields: Partial<Omit<Prisma.ShopifyCustomerUncheckedCreateInput, "id" | "shopId">> = {},
) {
  return prisma.shopifyCustomer.create({
    data: { id: randomUUID(), shopId: shop.id, shopifyId: shopifyId(), ...fields },
  });
}
