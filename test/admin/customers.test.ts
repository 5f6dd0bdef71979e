import { describe, expect, it } from "vitest";
import { createCustomer, findCustomer } from "../../app/backoffice/backoffice.server";
import prisma from "../../app/db.server";
import { action, loader } from "../../app/routes/app.customers";
import { shopStatus } from "../../app/status/status.server";
import { stockedShop } from "../kit/backoffice";
import { processStaged, queuedRuns, runQueuedJobs } from "../kit/jobs";
import { insertStagedOrder, shopifyId } from "../kit/staged";
import { adminRequest, answer, callRoute } from "../support/admin";

/** A shop that does not create customers by itself, and an order from someone it does not know. */
async function strangerOrdered() {
  const { shop, customer } = await stockedShop();
  await prisma.shopSettings.update({ where: { shopId: shop.id }, data: { customerAutoCreate: false } });
  const order = await insertStagedOrder(shop, {
    name: "#G1",
    email: "grace@example.com",
    customerShopifyId: shopifyId(),
    lines: [{ variantId: shopifyId(), sku: "TEE", title: "Merino Tee" }],
  });
  await processStaged(shop);
  const list = await callRoute(loader, adminRequest(shop.domain, "/app/customers"));
  return { shop, ada: customer, order, id: list.rows[0]!.id };
}

const post = (domain: string, form: Record<string, string>) =>
  callRoute(action, adminRequest(domain, "/app/customers", form));

const orderOf = (id: string) => prisma.shopifyOrder.findUniqueOrThrow({ where: { id } });

describe("when an order comes from a customer the back office does not know", () => {
  it("the order waits with that reason and the Shopify customer is listed as unmapped", async () => {
    const { shop, order } = await strangerOrdered();

    const list = await callRoute(loader, adminRequest(shop.domain, "/app/customers"));

    expect(await orderOf(order.id)).toMatchObject({
      state: "error",
      error: "no back-office customer for grace@example.com",
    });
    expect(list.total).toBe(1);
    expect(list.rows[0]).toMatchObject({
      name: "Grace Hopper",
      email: "grace@example.com",
      blockedOrders: [{ name: "#G1" }],
    });
  });

  it("mapping it to an existing customer clears it, and the order is processed for that customer", async () => {
    const { shop, ada, order, id } = await strangerOrdered();

    const result = await answer(
      await post(shop.domain, { intent: "map", customerId: id, customerNo: ada.no }),
    );

    expect(result.status).toBe(200);
    expect(result.body.message).toContain(`Grace Hopper is now mapped to customer ${ada.no} (Ada Lovelace).`);
    expect(result.body.message).toContain("Their waiting orders: #G1.");
    expect((await shopStatus(prisma, shop.id)).unmappedCustomers).toBe(0);
    expect(await queuedRuns(shop, "process_orders")).toHaveLength(1);

    await runQueuedJobs();

    const processed = await orderOf(order.id);
    expect(processed.state).toBe("processed");
    const header = await prisma.boSalesHeader.findFirstOrThrow({
      where: { shopId: shop.id, no: processed.documentNo! },
    });
    expect(header.customerNo).toBe(ada.no);
  });

  it("creating a customer from it copies the Shopify details, maps it, and the order is processed", async () => {
    const { shop, order, id } = await strangerOrdered();

    const result = await answer(
      await post(shop.domain, { intent: "create", customerId: id, customerNo: "", name: "Grace Hopper" }),
    );
    await runQueuedJobs();

    expect(result.status).toBe(200);
    const row = await prisma.shopifyCustomer.findUniqueOrThrow({ where: { id } });
    expect(result.body.message).toContain(`Customer ${row.customerNo} (Grace Hopper) is created and mapped.`);
    expect(await findCustomer(prisma, shop.id, row.customerNo!)).toMatchObject({
      name: "Grace Hopper",
      email: "grace@example.com",
      city: "Arlington",
      countryCode: "US",
    });
    const processed = await orderOf(order.id);
    expect(processed.state).toBe("processed");
    const header = await prisma.boSalesHeader.findFirstOrThrow({
      where: { shopId: shop.id, no: processed.documentNo! },
    });
    expect(header.customerNo).toBe(row.customerNo);
  });

  it("later orders of a mapped customer go to the customer a person chose, whatever the e-mail says", async () => {
    const { shop, ada, id } = await strangerOrdered();
    await createCustomer(prisma, shop.id, {
      no: "C-GRACE",
      name: "Another Grace",
      email: "grace@example.com",
    });
    await post(shop.domain, { intent: "map", customerId: id, customerNo: ada.no });
    const row = await prisma.shopifyCustomer.findUniqueOrThrow({ where: { id } });

    const later = await insertStagedOrder(shop, {
      email: "grace@example.com",
      customerShopifyId: row.shopifyId,
      lines: [{ variantId: shopifyId(), sku: "TEE", title: "Merino Tee" }],
    });
    await processStaged(shop);

    const processed = await orderOf(later.id);
    const header = await prisma.boSalesHeader.findFirstOrThrow({
      where: { shopId: shop.id, no: processed.documentNo! },
    });
    expect(header.customerNo).toBe(ada.no);
  });

  it("refuses a customer that does not exist or is a template, and changes nothing", async () => {
    const { shop, id } = await strangerOrdered();
    await createCustomer(prisma, shop.id, { no: "TPL", name: "Retail template", isTemplate: true });

    const unknown = await answer(
      await post(shop.domain, { intent: "map", customerId: id, customerNo: "C-404" }),
    );
    const template = await answer(
      await post(shop.domain, { intent: "map", customerId: id, customerNo: "TPL" }),
    );
    const nameless = await answer(await post(shop.domain, { intent: "create", customerId: id, name: " " }));

    expect([unknown.status, unknown.body.error]).toEqual([
      404,
      "There is no customer C-404 in the back office.",
    ]);
    expect([template.status, template.body.error]).toEqual([
      400,
      "Customer TPL is a template, which is never sold to; choose another.",
    ]);
    expect([nameless.status, nameless.body.error]).toEqual([
      400,
      "invalid input: name: give the customer a name",
    ]);
    expect((await shopStatus(prisma, shop.id)).unmappedCustomers).toBe(1);
    expect(await prisma.boCustomer.count({ where: { shopId: shop.id } })).toBe(2);
    expect(await prisma.syncRun.count({ where: { shopId: shop.id } })).toBe(0);
  });
});
