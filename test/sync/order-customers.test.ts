import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listOrders } from "../../app/admin/orders.server";
import { createCustomer } from "../../app/backoffice/backoffice.server";
import prisma from "../../app/db.server";
import { runInForeground } from "../../app/jobs/foreground.server";
import { syncOrdersTask } from "../../app/sync/orders/task.server";
import { orderShop } from "../support/order-shop";
import { startSimulator, type RunningSimulator } from "../support/simulator";
import { documentOf, placeOrder } from "./place-order";

/**
 * Guest orders (no Shopify customer) follow the shop's customer mapping like any order, and
 * never make a second back-office customer for an e-mail or an address it already has; the
 * orders list says how each order's customer was found.
 */

let simulator: RunningSimulator;

beforeAll(async () => {
  simulator = await startSimulator(null);
  process.env.SHOPIFY_ADMIN_ORIGIN = simulator.url;
});
afterAll(() => simulator?.close());

const sync = (domain: string) => runInForeground(prisma, syncOrdersTask, { shop: domain, trigger: "manual" });

const WALK_IN = {
  firstName: "Walk",
  lastName: "In",
  address1: "12 Market Street",
  city: "Leeds",
  zip: "LS1 6DT",
  countryCode: "GB",
};

async function customerOf(shopId: string, name: string) {
  const { staged, header } = await documentOf(shopId, name);
  return {
    customerNo: header?.customerNo,
    how: staged.customerFoundBy,
    customerShopifyId: staged.customerShopifyId,
  };
}

describe("when guest orders come from the same address without an e-mail or phone", () => {
  it("the first makes a customer and the second finds it by its bill-to address", async () => {
    const { shop, store, small } = await orderShop(simulator);
    const guest = { email: undefined, billingAddress: WALK_IN, shippingAddress: WALK_IN };
    const first = await placeOrder(store, { ...guest, lineItems: [{ variantId: small.id, quantity: 1 }] });
    const second = await placeOrder(store, { ...guest, lineItems: [{ variantId: small.id, quantity: 2 }] });

    await sync(shop.domain);

    const [one, two] = [await customerOf(shop.id, first.name), await customerOf(shop.id, second.name)];
    expect(one).toMatchObject({ how: "created from the order", customerShopifyId: null });
    expect(two).toEqual({ ...one, how: "by bill-to address" });
    expect(await prisma.boCustomer.count({ where: { shopId: shop.id } })).toBe(1);
    const rows = (await listOrders(prisma, shop, "processed")).rows;
    expect(rows.map((row) => [row.name, row.customerNo, row.customerFoundBy]).sort()).toEqual(
      [
        [first.name, one.customerNo, "created from the order"],
        [second.name, one.customerNo, "by bill-to address"],
      ].sort(),
    );
  });
});

describe("when a guest order's e-mail belongs to a back-office customer the shop's rule does not find", () => {
  it("that customer is taken instead of a second one", async () => {
    const { shop, store, small } = await orderShop(simulator);
    await prisma.shopSettings.update({ where: { shopId: shop.id }, data: { customerMapping: "bill_to" } });
    const known = await createCustomer(prisma, shop.id, {
      name: "Ada Lovelace",
      email: "ada@example.com",
      address1: "5 Old Address Lane",
      city: "Bath",
      zip: "BA1 1AA",
      countryCode: "GB",
    });
    // By bill-to address nobody is found (Ada has moved), but her e-mail is known.
    const order = await placeOrder(store, { lineItems: [{ variantId: small.id, quantity: 1 }] });

    await sync(shop.domain);

    expect(await customerOf(shop.id, order.name)).toMatchObject({
      customerNo: known.no,
      how: "by e-mail ada@example.com (none created: the back office has it)",
    });
    expect(await prisma.boCustomer.count({ where: { shopId: shop.id } })).toBe(1);
  });
});

describe("when a guest order has nothing to know its customer by", () => {
  it("goes to the default customer rather than making a customer no order will find again", async () => {
    const { shop, store, small } = await orderShop(simulator);
    const counter = await createCustomer(prisma, shop.id, { no: "POS", name: "Counter sales" });
    await prisma.shopSettings.update({ where: { shopId: shop.id }, data: { defaultCustomerNo: counter.no } });
    const order = await placeOrder(store, {
      email: undefined,
      billingAddress: undefined,
      shippingAddress: undefined,
      lineItems: [{ variantId: small.id, quantity: 1, requiresShipping: false }],
    });

    await sync(shop.domain);

    expect(await customerOf(shop.id, order.name)).toMatchObject({
      customerNo: "POS",
      how: "the default customer (the order has no e-mail, phone or address)",
    });
    expect(await prisma.boCustomer.count({ where: { shopId: shop.id } })).toBe(1);
  });
});
