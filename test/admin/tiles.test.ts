import { describe, expect, it } from "vitest";
import { TILES, tileTone } from "../../app/admin/tiles";
import prisma from "../../app/db.server";
import { loader as customersLoader } from "../../app/routes/app.customers";
import { loader as ordersLoader } from "../../app/routes/app.orders";
import { loader as productsLoader } from "../../app/routes/app.products";
import { loader as shipmentsLoader } from "../../app/routes/app.shipments";
import { shopStatus } from "../../app/status/status.server";
import { adminRequest, callRoute } from "../support/admin";
import { busyShop } from "./busy-shop";

describe("the home page's tiles", () => {
  it("each open the list behind it; failed syncs open the job list", () => {
    expect(Object.fromEntries(TILES.map((tile) => [tile.key, tile.href]))).toEqual({
      unprocessedOrders: "/app/orders",
      unmappedCustomers: "/app/customers",
      unmappedCompanies: "/app/companies",
      unmappedProducts: "/app/products",
      unprocessedShipments: "/app/shipments",
      shipmentErrors: "/app/shipments?view=error",
      synchronizationErrors: "/app/runs?status=failed",
      ordersChangedAfterProcessing: "/app/orders?view=changed",
    });
  });

  it("are critical for errors, a warning or attention for work waiting, and success at zero", () => {
    const tones = (count: number) =>
      Object.fromEntries(TILES.map((tile) => [tile.key, tileTone(tile, count)]));
    expect(tones(3)).toEqual({
      unprocessedOrders: "attention",
      unmappedCustomers: "warning",
      unmappedCompanies: "warning",
      unmappedProducts: "warning",
      unprocessedShipments: "attention",
      shipmentErrors: "critical",
      synchronizationErrors: "critical",
      ordersChangedAfterProcessing: "warning",
    });
    expect(new Set(Object.values(tones(0)))).toEqual(new Set(["success"]));
  });
});

describe("when a shop has something on every tile", () => {
  it("each list shows exactly what its tile counts, and nothing of another shop", async () => {
    const busy = await busyShop();
    const other = await busyShop();
    const status = await shopStatus(prisma, busy.shop.id);
    const get = (path: string) => adminRequest(busy.shop.domain, path);

    const unprocessed = await callRoute(ordersLoader, get("/app/orders"));
    const changed = await callRoute(ordersLoader, get("/app/orders?view=changed"));
    const products = await callRoute(productsLoader, get("/app/products"));
    const customers = await callRoute(customersLoader, get("/app/customers"));
    const pending = await callRoute(shipmentsLoader, get("/app/shipments"));
    const failed = await callRoute(shipmentsLoader, get("/app/shipments?view=error"));

    expect(status).toMatchObject({
      unprocessedOrders: 3,
      ordersChangedAfterProcessing: 1,
      unmappedProducts: 1,
      unmappedCustomers: 1,
      unprocessedShipments: 1,
      shipmentErrors: 1,
    });
    expect([unprocessed.total, unprocessed.rows.length]).toEqual([3, 3]);
    expect(unprocessed.rows.map((row) => row.name).sort()).toEqual(["#P1", "#U1", "#W1"]);
    expect([changed.total, changed.rows.map((row) => row.name)]).toEqual([1, ["#C1"]]);
    expect([products.total, products.rows.map((row) => row.sku)]).toEqual([1, ["HAT"]]);
    expect([customers.total, customers.rows.map((row) => row.email)]).toEqual([1, ["stranger@example.com"]]);
    expect([pending.total, pending.rows.map((row) => row.no)]).toEqual([1, [busy.shipments.pending]]);
    expect([failed.total, failed.rows.map((row) => row.no)]).toEqual([1, [busy.shipments.failed]]);

    const otherIds = new Set(
      (
        await Promise.all([
          prisma.shopifyOrder.findMany({ where: { shopId: other.shop.id } }),
          prisma.shopifyCustomer.findMany({ where: { shopId: other.shop.id } }),
          prisma.boPostedShipment.findMany({ where: { shopId: other.shop.id } }),
        ])
      )
        .flat()
        .map((row) => row.id),
    );
    const shown = [...unprocessed.rows, ...changed.rows, ...customers.rows, ...pending.rows, ...failed.rows];
    expect(shown.filter((row) => otherIds.has(row.id))).toEqual([]);
  });

  it("says in full why each unprocessed order waits, and what changed on a processed one", async () => {
    const busy = await busyShop();
    const unprocessed = await callRoute(ordersLoader, adminRequest(busy.shop.domain, "/app/orders"));
    const changed = await callRoute(ordersLoader, adminRequest(busy.shop.domain, "/app/orders?view=changed"));

    const reasons = Object.fromEntries(unprocessed.rows.map((row) => [row.name, row.reason]));
    expect(reasons).toEqual({
      "#P1": "unmapped product: Wool Hat (SKU HAT)",
      "#U1": "no back-office customer for stranger@example.com",
      "#W1": "Imported; waiting for the next processing run.",
    });
    expect(unprocessed.rows.find((row) => row.name === "#P1")?.adminUrl).toBe(
      `https://admin.shopify.com/store/${busy.shop.domain.replace(".myshopify.com", "")}/orders/${busy.orders.blockedByProduct.shopifyId}`,
    );
    expect(changed.rows[0]).toMatchObject({
      name: "#C1",
      changes: ["quantity of Merino Tee up from 1 to 2"],
      documentType: "sales_order",
    });
  });

  it("lists each unmapped product and customer with the orders it holds up", async () => {
    const busy = await busyShop();
    const products = await callRoute(productsLoader, adminRequest(busy.shop.domain, "/app/products"));
    const customers = await callRoute(customersLoader, adminRequest(busy.shop.domain, "/app/customers"));

    expect(products.rows[0]).toMatchObject({
      variantId: busy.variants.hat.variantId.toString(),
      title: "Wool Hat",
      blockedOrders: [{ name: "#P1" }],
      lastUnitPrice: "19.50",
    });
    expect(customers.rows[0]).toMatchObject({
      name: "Grace Hopper",
      email: "stranger@example.com",
      address: "1 Harbour Road, 22201 Arlington, US",
      blockedOrders: [{ name: "#U1" }],
    });
  });
});
