import { describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { action as customersAction, loader as customersLoader } from "../../app/routes/app.customers";
import { loader as ordersLoader } from "../../app/routes/app.orders";
import { action as productsAction, loader as productsLoader } from "../../app/routes/app.products";
import { action as shipmentsAction } from "../../app/routes/app.shipments";
import { shopStatus } from "../../app/status/status.server";
import { adminRequest, answer, callRoute, outcomeOf } from "../support/admin";
import { busyShop } from "./busy-shop";

/** Everything of a shop the list pages could change, to compare before and after. */
async function snapshot(shopId: string) {
  const [status, variants, customers, shipments, items, backOfficeCustomers, runs] = await Promise.all([
    shopStatus(prisma, shopId),
    prisma.shopifyVariantMap.findMany({ where: { shopId }, orderBy: { variantShopifyId: "asc" } }),
    prisma.shopifyCustomer.findMany({ where: { shopId }, orderBy: { shopifyId: "asc" } }),
    prisma.boPostedShipment.findMany({ where: { shopId }, orderBy: { no: "asc" } }),
    prisma.boItem.count({ where: { shopId } }),
    prisma.boCustomer.count({ where: { shopId } }),
    prisma.syncRun.count({ where: { shopId } }),
  ]);
  return { status, variants, customers, shipments, items, backOfficeCustomers, runs };
}

describe("when a session of one shop names another shop's records", () => {
  it("mapping, creating from or retrying them is refused as not found, and neither shop changes", async () => {
    const mine = await busyShop();
    const theirs = await busyShop();
    const theirCustomer = await prisma.shopifyCustomer.findFirstOrThrow({
      where: { shopId: theirs.shop.id, customerNo: null, redactedAt: null },
    });
    const theirShipment = await prisma.boPostedShipment.findFirstOrThrow({
      where: { shopId: theirs.shop.id, no: theirs.shipments.failed },
    });
    const before = { mine: await snapshot(mine.shop.id), theirs: await snapshot(theirs.shop.id) };
    const asMine = (path: string, form: Record<string, string>) => adminRequest(mine.shop.domain, path, form);
    const theirVariant = theirs.variants.hat.variantId.toString();

    const answers = await Promise.all([
      callRoute(
        productsAction,
        asMine("/app/products", { intent: "map", variantId: theirVariant, itemNo: "TEE" }),
      ).then(answer),
      callRoute(
        productsAction,
        asMine("/app/products", {
          intent: "create",
          variantId: theirVariant,
          description: "Wool hat",
          unitPrice: "19.50",
        }),
      ).then(answer),
      callRoute(
        customersAction,
        asMine("/app/customers", {
          intent: "map",
          customerId: theirCustomer.id,
          customerNo: mine.customer.no,
        }),
      ).then(answer),
      callRoute(
        customersAction,
        asMine("/app/customers", { intent: "create", customerId: theirCustomer.id, name: "Stranger" }),
      ).then(answer),
      callRoute(
        shipmentsAction,
        asMine("/app/shipments", { intent: "retry", shipmentId: theirShipment.id }),
      ).then(answer),
    ]);

    expect(answers.map((result) => [result.status, result.body.ok])).toEqual(
      Array.from({ length: 5 }, () => [404, false]),
    );
    expect(answers[0].body.error).toBe(
      `This shop has no Shopify variant ${theirVariant} waiting to be mapped.`,
    );
    expect(answers[2].body.error).toBe(
      `This shop has no Shopify customer ${theirCustomer.id} waiting to be mapped.`,
    );
    expect(answers[4].body.error).toBe(`This shop has no posted shipment ${theirShipment.id}.`);
    expect(await snapshot(mine.shop.id)).toEqual(before.mine);
    expect(await snapshot(theirs.shop.id)).toEqual(before.theirs);
  });

  it("opening another shop's variant or customer is not found, and the lists show only the session's shop", async () => {
    const mine = await busyShop();
    const theirs = await busyShop();
    const theirCustomer = await prisma.shopifyCustomer.findFirstOrThrow({
      where: { shopId: theirs.shop.id, customerNo: null, redactedAt: null },
    });

    const variantPage = await outcomeOf(
      callRoute(
        productsLoader,
        adminRequest(mine.shop.domain, `/app/products?variant=${theirs.variants.hat.variantId}`),
      ),
    );
    const customerPage = await outcomeOf(
      callRoute(
        customersLoader,
        adminRequest(mine.shop.domain, `/app/customers?customer=${theirCustomer.id}`),
      ),
    );
    const orders = await callRoute(ordersLoader, adminRequest(mine.shop.domain, "/app/orders"));

    expect(variantPage).toEqual({
      status: 404,
      text: `This shop has no Shopify variant ${theirs.variants.hat.variantId} waiting to be mapped.`,
    });
    expect(customerPage.status).toBe(404);
    const mineIds = new Set(
      (await prisma.shopifyOrder.findMany({ where: { shopId: mine.shop.id } })).map((order) => order.id),
    );
    expect(orders.rows.every((row) => mineIds.has(row.id))).toBe(true);
    expect(
      orders.rows.every((row) => row.adminUrl.includes(`/store/${mine.shop.domain.split(".")[0]}/`)),
    ).toBe(true);
  });
});
