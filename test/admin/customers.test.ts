import { describe, expect, it } from "vitest";
import { createCustomer, findCustomer } from "../../app/backoffice/backoffice.server";
import prisma from "../../app/db.server";
import type { Shop } from "../../app/generated/prisma/client";
import { action, loader } from "../../app/routes/app.customers";
import { shopStatus } from "../../app/status/status.server";
import { addCustomersToShopify, CUSTOMER_TASK, NOT_ADDED } from "../../app/sync/customers/records.server";
import { markFailed, recordsByKey } from "../../app/sync/kit/outbound.server";
import { stockedShop } from "../kit/backoffice";
import { processStaged, queuedRuns, runQueuedJobs } from "../kit/jobs";
import { insertStagedCustomer, insertStagedOrder, shopifyId } from "../kit/staged";
import { adminRequest, answer, callRoute, outcomeOf } from "../support/admin";
import { exportShop, FAILURE } from "./customer-shop";

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
    expect(await prisma.shopifyCustomer.findUniqueOrThrow({ where: { id } })).toMatchObject({
      customerNo: ada.no,
      syncState: "linked",
      message: `mapped by a person to ${ada.no}`,
    });
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

describe("creating a customer from a Shopify customer", () => {
  it("takes the template of the customer's country and the address's second line and province, and says a person made the link", async () => {
    const { shop, id } = await strangerOrdered();
    await createCustomer(prisma, shop.id, {
      no: "TPL-US",
      name: "US retail",
      isTemplate: true,
      paymentTermsCode: "NET30",
      paymentTermsDays: 30,
    });
    await createCustomer(prisma, shop.id, { no: "TPL", name: "Retail", isTemplate: true });
    await prisma.shopSettings.update({
      where: { shopId: shop.id },
      data: {
        customerTemplateNo: "TPL",
        countryCustomers: [{ countryCode: "US", templateNo: "TPL-US", defaultCustomerNo: null }],
      },
    });
    await prisma.shopifyCustomer.update({ where: { id }, data: { address2: "Suite 4", province: "VA" } });

    const result = await answer(
      await post(shop.domain, {
        intent: "create",
        customerId: id,
        customerNo: "C-GRACE",
        name: "Grace Hopper",
      }),
    );

    expect(result.status).toBe(200);
    expect(await prisma.shopifyCustomer.findUniqueOrThrow({ where: { id } })).toMatchObject({
      customerNo: "C-GRACE",
      syncState: "linked",
      message: "created by a person",
    });
    expect(await findCustomer(prisma, shop.id, "C-GRACE")).toMatchObject({
      address1: "1 Harbour Road",
      address2: "Suite 4",
      county: "VA",
      countryCode: "US",
      paymentTermsCode: "NET30",
      paymentTermsDays: 30,
    });
  });
});

describe("the unmapped customers the customers sync leaves", () => {
  it("are listed with the sync's message in full, those deleted in Shopify left out of the list and the tile", async () => {
    const { shop, customer } = await stockedShop();
    const why = "no back-office customer for lin@example.com, and the shop card does not create customers";
    const failure = "customer name: at most 100 characters, and the one Shopify has is longer";
    await insertStagedCustomer(shop, {
      email: "lin@example.com",
      lastName: "Lin",
      syncState: "unmapped",
      message: why,
    });
    await insertStagedCustomer(shop, {
      email: "max@example.com",
      lastName: "Max",
      syncState: "error",
      message: failure,
    });
    await insertStagedCustomer(shop, {
      email: "gone@example.com",
      syncState: "skipped",
      message: "deleted in Shopify",
      deletedAt: new Date(),
    });
    await insertStagedCustomer(shop, {
      email: "ada@example.com",
      customerNo: customer.no,
      syncState: "linked",
    });

    const list = await callRoute(loader, adminRequest(shop.domain, "/app/customers"));

    expect(list.total).toBe(2);
    expect(list.rows.map((row) => [row.email, row.syncState, row.message])).toEqual([
      ["lin@example.com", "unmapped", why],
      ["max@example.com", "error", failure],
    ]);
    expect((await shopStatus(prisma, shop.id)).unmappedCustomers).toBe(2);
  });
});

const backOffice = async (shop: Shop, query = "") =>
  (await callRoute(loader, adminRequest(shop.domain, `/app/customers${query}`))).backOffice;

const actOn = async (shop: Shop, form: Record<string, string>) =>
  answer<{ ok: boolean; message?: string; error?: string; fields?: Record<string, string> }>(
    await callRoute(action, adminRequest(shop.domain, "/app/customers", form)),
  );

const recordOf = async (shopId: string, no: string) =>
  (await recordsByKey(prisma, shopId, CUSTOMER_TASK, [no])).get(no);

const QUEUED = "Syncing customers is queued and starts at once; the job list shows its progress.";

describe("the back-office customers", () => {
  it("are listed with their Shopify customer and the export's state and message in full, templates left out", async () => {
    const { shop, ada, cat, dan } = await exportShop();
    const admin = `https://admin.shopify.com/store/${shop.domain.replace(".myshopify.com", "")}/customers`;

    const list = await backOffice(shop);

    expect(list).toMatchObject({ total: 4, state: "all", search: "", errors: 1 });
    const byNo = Object.fromEntries(list.rows.map((row) => [row.no, row]));
    expect(Object.keys(byNo).sort()).toEqual(["C-BOB", "C-CAT", "C-DAN", ada.no].sort());
    expect(byNo[ada.no]).toMatchObject({ state: "not_added", message: null, shopify: null, attempts: 0 });
    expect(byNo["C-BOB"]).toMatchObject({
      state: "error",
      stateWords: "failed",
      message: FAILURE,
      attempts: 1,
      shopify: null,
    });
    expect(byNo["C-CAT"]).toMatchObject({
      state: "synced",
      message: null,
      shopify: {
        id: String(cat),
        adminUrl: `${admin}/${cat}`,
        importState: "linked",
        importMessage: "added to Shopify from the back office",
      },
    });
    expect(byNo["C-CAT"]!.sentAt).not.toBeNull();
    expect(byNo["C-DAN"]).toMatchObject({
      state: "linked",
      message: null,
      shopify: {
        id: String(dan),
        adminUrl: `${admin}/${dan}`,
        importMessage: "linked by e-mail dan@example.com",
      },
    });
    // The records match the database.
    expect((await recordOf(shop.id, ada.no))?.message).toBe(NOT_ADDED);
  });

  it("are found by number, name, e-mail or phone, and filtered by state", async () => {
    const { shop, ada } = await exportShop();
    const found = async (query: string) => (await backOffice(shop, query)).rows.map((row) => row.no);

    expect(await found("?search=babb")).toEqual(["C-BOB"]);
    expect(await found("?search=ada%40example")).toEqual([ada.no]);
    expect(await found("?search=%2B33")).toEqual(["C-CAT"]);
    expect(await found("?search=c-d")).toEqual(["C-DAN"]);
    expect(await found("?search=retail")).toEqual([]);
    expect(await found("?state=error")).toEqual(["C-BOB"]);
    expect(await found("?state=synced")).toEqual(["C-CAT"]);
    expect(await found("?state=linked")).toEqual(["C-DAN"]);
    expect(await found("?state=not_added")).toEqual([ada.no]);
    expect(await found("?state=pending")).toEqual([]);
    expect(await found("?state=error&search=cat")).toEqual([]);
  });

  it("Add to Shopify makes the chosen customers waiting and queues a run of Sync customers", async () => {
    const { shop, ada } = await exportShop();

    const result = await actOn(shop, { intent: "add", customerNos: `${ada.no},C-DAN` });

    expect(result.status).toBe(200);
    expect(result.body.message).toBe(
      `Customers ${ada.no} and C-DAN are waiting to be sent to Shopify. ${QUEUED}`,
    );
    expect(await recordOf(shop.id, ada.no)).toMatchObject({ state: "pending", message: null });
    expect(await recordOf(shop.id, "C-DAN")).toMatchObject({ state: "pending" });
    const runs = await queuedRuns(shop, "sync_customers");
    expect(runs.map((run) => run.trigger)).toEqual(["manual"]);
    const list = await backOffice(shop, "?state=pending");
    expect(list.rows.map((row) => [row.no, row.stateWords])).toEqual(
      [
        [ada.no, "waiting to be sent"],
        ["C-DAN", "waiting to be sent"],
      ].sort(),
    );
  });

  it("Retry puts a failed customer back to waiting, keeping its message, and queues the sync; one not failed is refused", async () => {
    const { shop } = await exportShop();

    const retried = await actOn(shop, { intent: "retry", customerNo: "C-BOB" });
    const again = await actOn(shop, { intent: "retry", customerNo: "C-BOB" });
    const synced = await actOn(shop, { intent: "retry", customerNo: "C-CAT" });

    expect([retried.status, retried.body.message]).toEqual([
      200,
      `Customer C-BOB is waiting to be sent to Shopify again. ${QUEUED}`,
    ]);
    expect(await recordOf(shop.id, "C-BOB")).toMatchObject({
      state: "pending",
      message: FAILURE,
      attempts: 1,
    });
    expect((await backOffice(shop)).rows.find((row) => row.no === "C-BOB")?.message).toBe(FAILURE);
    expect([again.status, again.body.error]).toEqual([
      409,
      "Customer C-BOB has not failed (it is waiting to be sent); only a failed customer can be retried.",
    ]);
    expect([synced.status, synced.body.error]).toEqual([
      409,
      "Customer C-CAT has not failed (it is synced); only a failed customer can be retried.",
    ]);
    expect(await queuedRuns(shop, "sync_customers")).toHaveLength(1);
  });

  it("Retry all errors puts every failed customer back to waiting, and says when there is none", async () => {
    const { shop, ada } = await exportShop();
    await addCustomersToShopify(prisma, shop.id, [ada.no]);
    await markFailed(prisma, (await recordOf(shop.id, ada.no))!, "Shopify: throttled");

    const all = await actOn(shop, { intent: "retryErrors" });
    const none = await actOn(shop, { intent: "retryErrors" });

    expect([all.status, all.body.message]).toEqual([
      200,
      `2 customers in error are waiting to be sent to Shopify again. ${QUEUED}`,
    ]);
    expect((await recordOf(shop.id, ada.no))?.state).toBe("pending");
    expect((await recordOf(shop.id, "C-BOB"))?.state).toBe("pending");
    expect((await backOffice(shop)).errors).toBe(0);
    expect([none.status, none.body.error]).toEqual([
      409,
      "No customer failed to reach Shopify: nothing to retry.",
    ]);
  });

  it("refuses another shop's customer, an unknown one or a template with 404 or 409, changing nothing", async () => {
    const mine = await exportShop();
    const theirs = await exportShop();
    await createCustomer(prisma, theirs.shop.id, { no: "C-THEIRS", name: "Their customer" });
    await addCustomersToShopify(prisma, theirs.shop.id, ["C-THEIRS"]);
    await markFailed(prisma, (await recordOf(theirs.shop.id, "C-THEIRS"))!, "Shopify: refused");

    const retry = await actOn(mine.shop, { intent: "retry", customerNo: "C-THEIRS" });
    const add = await actOn(mine.shop, { intent: "add", customerNos: "C-THEIRS" });
    const unknown = await actOn(mine.shop, { intent: "add", customerNos: "C-BOB,NOPE-404" });
    const template = await actOn(mine.shop, { intent: "add", customerNos: "TPL" });

    expect([retry.status, retry.body.error, retry.body.fields]).toEqual([
      404,
      "This shop has no customer C-THEIRS in the back office.",
      { customerNo: "not found" },
    ]);
    expect([add.status, add.body.fields]).toEqual([
      404,
      { customerNos: "no customer C-THEIRS in the back office" },
    ]);
    expect([unknown.status, unknown.body.error]).toEqual([
      404,
      "This shop has no customer NOPE-404 in the back office.",
    ]);
    expect([template.status, template.body.error]).toEqual([
      409,
      "Customer TPL is a template, and a template is never sent to Shopify.",
    ]);
    expect(await recordOf(mine.shop.id, "C-THEIRS")).toBeUndefined();
    expect(await recordOf(mine.shop.id, "C-BOB")).toMatchObject({ state: "error" });
    expect(await recordOf(theirs.shop.id, "C-THEIRS")).toMatchObject({ state: "error" });
    expect(await queuedRuns(mine.shop, "sync_customers")).toHaveLength(0);
    expect(await queuedRuns(theirs.shop, "sync_customers")).toHaveLength(0);
  });

  it("refuses a malformed form or address with 400 and a message at the field", async () => {
    const { shop } = await exportShop();

    const empty = await actOn(shop, { intent: "add", customerNos: " , " });
    const long = await actOn(shop, { intent: "retry", customerNo: "X".repeat(21) });
    const page = await outcomeOf(
      callRoute(loader, adminRequest(shop.domain, "/app/customers?state=everything")),
    );

    expect([empty.status, empty.body.fields]).toEqual([400, { customerNos: "choose the customers to add" }]);
    expect([long.status, long.body.fields]).toEqual([
      400,
      { customerNo: "a customer number has at most 20 characters" },
    ]);
    expect(page.status).toBe(400);
    expect(page.text).toContain("state is one of all, error, pending, synced, skipped, linked, not_added");
  });
});
