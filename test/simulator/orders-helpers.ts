/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-return -- GraphQL responses are untyped JSON here; the assertions check their shape. */
import { expect } from "vitest";
import { executeLocal } from "../../simulator/resolvers/local-execute.server";
import type { ShopState } from "../../simulator/state/shop-state.server";
import type { Simulator } from "../../simulator/simulator.server";
import { testSimulator } from "../../simulator/testing.server";
import { webhookSchemaErrors } from "../support/webhook-schemas";

/**
 * Helpers of the order-domain simulator tests: a shop with a few locations, products and
 * variants put straight into its state (the catalog resolvers are another module's), a GraphQL
 * runner that fails on errors, and a webhook recorder that checks every payload against the
 * topic's JSON schema of shopify-webhook-schemas 2026-07.
 */

export interface Sent {
  topic: string;
  payload: Record<string, unknown>;
}

/** The payload's problems against its topic's schema (test/support/webhook-schemas.ts). */
export const schemaErrors = webhookSchemaErrors;

export interface Fixture {
  sim: Simulator;
  shop: ShopState;
  domain: string;
  sent: Sent[];
  locations: { east: number; west: number };
  variants: { shirt: number; mug: number; poster: number };
  gql: <T = Record<string, any>>(query: string, variables?: Record<string, unknown>) => Promise<T>;
  advance: (ms: number) => void;
}

export function fixture(): Fixture {
  const sim = testSimulator();
  const domain = "orders-test.myshopify.com";
  const shop = sim.shop(domain);
  const sent: Sent[] = [];
  sim.emit = (target, topic, payload) => {
    if (target === shop)
      sent.push({ topic, payload: JSON.parse(JSON.stringify(payload)) as Record<string, unknown> });
  };
  const now = sim.clock.now();
  const location = (name: string, city: string) => {
    const id = shop.newId();
    shop.locations.set(id, {
      id,
      name,
      address: { address1: "1 Depot Rd", city, provinceCode: "ON", countryCode: "CA", zip: "K1A 0A1" },
      isActive: true,
      fulfillsOnlineOrders: true,
      createdAt: now,
      updatedAt: now,
    });
    return id;
  };
  const east = location("East warehouse", "Ottawa");
  const west = location("West warehouse", "Vancouver");
  const variant = (productTitle: string, title: string, sku: string, price: string, stockedAt: number[]) => {
    const productId = shop.newId();
    const variantId = shop.newId();
    const itemId = shop.newId();
    shop.products.set(productId, {
      id: productId,
      title: productTitle,
      handle: productTitle.toLowerCase().replace(/\W+/g, "-"),
      descriptionHtml: "",
      vendor: "Acme",
      productType: "",
      status: "ACTIVE",
      tags: [],
      options: [],
      variantIds: [variantId],
      mediaIds: [],
      createdAt: now,
      updatedAt: now,
    });
    shop.variants.set(variantId, {
      id: variantId,
      productId,
      title,
      sku,
      barcode: null,
      price,
      compareAtPrice: null,
      position: 1,
      selectedOptions: [],
      inventoryItemId: itemId,
      mediaId: null,
      taxable: true,
      createdAt: now,
      updatedAt: now,
    });
    shop.inventoryItems.set(itemId, {
      id: itemId,
      variantId,
      sku,
      tracked: true,
      requiresShipping: true,
      unitCost: null,
      createdAt: now,
      updatedAt: now,
    });
    for (const locationId of stockedAt)
      shop.inventoryLevels.set(`${itemId}:${locationId}`, {
        id: shop.newId(),
        inventoryItemId: itemId,
        locationId,
        quantities: {
          available: 50,
          on_hand: 50,
          committed: 0,
          incoming: 0,
          reserved: 0,
          damaged: 0,
          safety_stock: 0,
          quality_control: 0,
        },
        updatedAt: now,
      });
    return variantId;
  };
  const variants = {
    shirt: variant("Cotton shirt", "Medium", "SHIRT-M", "25.00", [east]),
    mug: variant("Enamel mug", "Default Title", "MUG-1", "12.50", [east]),
    poster: variant("Art poster", "Large", "POSTER-L", "40.00", [west]),
  };
  const gql = async <T>(query: string, variables: Record<string, unknown> = {}): Promise<T> => {
    const response = await executeLocal(sim, domain, query, variables);
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    return response.data as T;
  };
  return {
    sim,
    shop,
    domain,
    sent,
    locations: { east, west },
    variants,
    gql,
    advance: (ms) => sim.clock.advance(ms),
  };
}

export const ADDRESS = {
  firstName: "Ada",
  lastName: "Lovelace",
  address1: "12 Elgin St",
  city: "Ottawa",
  provinceCode: "ON",
  countryCode: "CA",
  zip: "K2P 1L4",
  phone: "+16135550100",
};

export const ORDER_CREATE = `mutation Create($order: OrderCreateOrderInput!, $options: OrderCreateOptionsInput) {
  orderCreate(order: $order, options: $options) {
    userErrors { field message code }
    order { id name updatedAt displayFinancialStatus displayFulfillmentStatus
      lineItems(first: 10) { nodes { id } }
      fulfillmentOrders(first: 5) { nodes { id status assignedLocation { location { id } }
        lineItems(first: 10) { nodes { id totalQuantity remainingQuantity lineItem { id } } } } } }
  }
}`;

export function money(amount: string) {
  return { shopMoney: { amount, currencyCode: "USD" } };
}

/** A customer with an address: order payloads embed it, and their schema requires both. */
export const ADA = {
  toUpsert: {
    email: "ada@example.com",
    firstName: "Ada",
    lastName: "Lovelace",
    addresses: [
      {
        address1: "12 Elgin St",
        city: "Ottawa",
        province: "Ontario",
        country: "Canada",
        zip: "K2P 1L4",
        phone: "+16135550100",
        firstName: "Ada",
        lastName: "Lovelace",
      },
    ],
  },
};

export function orderInput(f: Fixture, extra: Record<string, unknown> = {}) {
  return {
    email: "ada@example.com",
    lineItems: [
      { variantId: `gid://shopify/ProductVariant/${f.variants.shirt}`, quantity: 2 },
      { variantId: `gid://shopify/ProductVariant/${f.variants.mug}`, quantity: 1 },
    ],
    shippingAddress: ADDRESS,
    billingAddress: ADDRESS,
    transactions: [{ kind: "SALE", status: "SUCCESS", gateway: "manual", amountSet: money("62.50") }],
    ...extra,
  };
}

export async function createOrder(f: Fixture, extra: Record<string, unknown> = {}) {
  const data = await f.gql(ORDER_CREATE, { order: orderInput(f, extra) });
  expect(data.orderCreate.userErrors).toEqual([]);
  return data.orderCreate.order;
}
