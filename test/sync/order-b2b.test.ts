import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { listOrders } from "../../app/admin/orders.server";
import { createCustomer, saveShipToAddress } from "../../app/backoffice/backoffice.server";
import prisma from "../../app/db.server";
import { Prisma } from "../../app/generated/prisma/client";
import { runInForeground } from "../../app/jobs/foreground.server";
import { syncCompaniesTask } from "../../app/sync/companies/task.server";
import type * as Registry from "../../app/sync/index.server";
import { bulkImport } from "../../app/sync/orders/bulk-import.server";
import { processOrdersOfCompanies } from "../../app/sync/orders/company-orders.server";
import { processOrdersTask, syncOrdersTask } from "../../app/sync/orders/task.server";
import { orderShop } from "../support/order-shop";
import { startSimulator, type RunningSimulator } from "../support/simulator";
import { createCompany, DUE_ON_FULFILLMENT, placeB2bOrder, shopifyTerms } from "./place-b2b-order";
import { documentOf } from "./place-order";

/**
 * B2B orders, against the simulated Shopify and real Postgres: an order a company placed for
 * one of its locations is imported with its company, location, PO number and payment due date;
 * while the location maps to no business customer the order waits saying so (with rows for the
 * company and location for the companies sync to link), and the companies sync is queued; once
 * linked and processed again it becomes a sales document of that customer, with the location's
 * ship-to address, the PO number as external document no. and the due date, once. An order of
 * the same shop that no company placed is processed as before.
 */

// The companies sync is someone else's task: a stand-in registered under its name (or not),
// so that what processing queues can be seen without it.
const companies = vi.hoisted(() => ({ registered: true }));
vi.mock("../../app/sync/index.server", async (importOriginal) => {
  const real = await importOriginal<typeof Registry>();
  const { defineSyncTask } = await import("../../app/jobs/sync-task.server");
  const { z } = await import("zod");
  const standIn = defineSyncTask({
    name: "sync_companies",
    category: "customers",
    filters: z.object({}),
    run: () => Promise.resolve(),
  });
  return {
    ...real,
    findSyncTask: (name: string, tasks?: readonly Registry.AnySyncTask[]) =>
      name === "sync_companies"
        ? companies.registered
          ? (standIn as unknown as Registry.AnySyncTask)
          : undefined
        : real.findSyncTask(name, tasks),
  };
});

let simulator: RunningSimulator;
const minOrders = bulkImport.minOrders;

beforeAll(async () => {
  simulator = await startSimulator(null);
  process.env.SHOPIFY_ADMIN_ORIGIN = simulator.url;
});
afterAll(async () => {
  bulkImport.minOrders = minOrders;
  await simulator?.close();
});

const numeric = (gid: string) => BigInt(gid.split("/").pop()!);
const sync = (domain: string) => runInForeground(prisma, syncOrdersTask, { shop: domain, trigger: "manual" });
const processAgain = (domain: string) =>
  runInForeground(prisma, processOrdersTask, { shop: domain, trigger: "manual" });
const companyRuns = (shopId: string) =>
  prisma.syncRun.findMany({
    where: { shopId, task: "sync_companies" },
    select: { trigger: true, status: true },
  });

/** The order shop with Acme Supply (location Ottawa depot, Net 30), a B2B order and a B2C order. */
async function b2bShop(options: { paymentTermsTemplateId?: string | null } = {}) {
  const { shop, store, small, medium } = await orderShop(simulator);
  const acme = await createCompany(store, {
    name: "Acme Supply",
    location: "Ottawa depot",
    email: "jo@acme.example",
    paymentTermsTemplateId: options.paymentTermsTemplateId,
  });
  const b2b = await placeB2bOrder(store, acme, { variantId: small.id, quantity: 4, poNumber: "PO-7781" });
  const b2c = await store.placeOrder({ lines: [{ variantId: medium.id, quantity: 1 }] });
  return { shop, store, acme, b2b, b2c, small };
}

/**
 * What the companies sync (or a person) does for Acme: the business customer ACME, the location
 * as its ship-to address OTTAWA (the depot's address, as the back office has it), and the links.
 */
async function linkAcme(shopId: string, acme: { id: string; location: { id: string } }) {
  await createCustomer(prisma, shopId, { no: "ACME", name: "Acme Supply", countryCode: "CA" });
  await saveShipToAddress(prisma, shopId, "ACME", "ottawa", {
    name: "Ottawa depot",
    address1: "9 Depot Rd",
    city: "Ottawa",
    zip: "K1P 0A1",
    countryCode: "CA",
  });
  await prisma.shopifyCompany.update({
    where: { shopId_shopifyId: { shopId, shopifyId: numeric(acme.id) } },
    data: { customerNo: "ACME", syncState: "linked", message: null },
  });
  await prisma.shopifyCompanyLocation.update({
    where: { shopId_shopifyId: { shopId, shopifyId: numeric(acme.location.id) } },
    data: { customerNo: "ACME", shipToCode: "OTTAWA", syncState: "linked" },
  });
}

describe("when a company places an order for one of its locations", () => {
  it("is imported with its company, location, PO number and due date, and waits while the location is unmapped", async () => {
    const { shop, store, acme, b2b, b2c } = await b2bShop();

    const run = await sync(shop.domain);

    expect(run).toMatchObject({ status: "succeeded", counts: { imported: 2, processed: 1, failed: 1 } });
    const terms = await shopifyTerms(store, b2b.id);
    expect(terms.dueAt).not.toBeNull();
    const { staged } = await documentOf(shop.id, b2b.name);
    expect(staged).toMatchObject({
      companyShopifyId: numeric(acme.id),
      companyLocationShopifyId: numeric(acme.location.id),
      poNumber: "PO-7781",
      paymentDueAt: new Date(terms.dueAt!),
      state: "error",
      error: "company Acme Supply (location Ottawa depot) is not mapped to a business customer yet",
      documentNo: null,
    });
    // Net 30: due thirty days after Shopify processed it.
    expect(staged.paymentDueAt!.getTime() - terms.processedAt.getTime()).toBe(30 * 86_400_000);
    // The orders list shows the reason, as for an unmapped customer.
    const waiting = await listOrders(prisma, shop, "unprocessed");
    expect(waiting.rows.map((row) => [row.name, row.reason])).toEqual([
      [b2b.name, "company Acme Supply (location Ottawa depot) is not mapped to a business customer yet"],
    ]);
    // Rows for the companies sync to read and link.
    expect(
      await prisma.shopifyCompany.findMany({
        where: { shopId: shop.id },
        select: { shopifyId: true, name: true, syncState: true, message: true, customerNo: true },
      }),
    ).toEqual([
      {
        shopifyId: numeric(acme.id),
        name: "Acme Supply",
        syncState: "unmapped",
        message: "not read from Shopify yet",
        customerNo: null,
      },
    ]);
    expect(
      await prisma.shopifyCompanyLocation.findMany({
        where: { shopId: shop.id },
        select: { shopifyId: true, companyShopifyId: true, name: true, syncState: true, customerNo: true },
      }),
    ).toEqual([
      {
        shopifyId: numeric(acme.location.id),
        companyShopifyId: numeric(acme.id),
        name: "Ottawa depot",
        syncState: "unmapped",
        customerNo: null,
      },
    ]);
    // The companies sync is asked to read them, once.
    expect(await companyRuns(shop.id)).toEqual([{ trigger: "back_office", status: "queued" }]);

    // The order nobody's company placed is processed as before: no PO, no due date, no ship-to code.
    const other = await documentOf(shop.id, b2c.name);
    expect(other.staged).toMatchObject({
      companyShopifyId: null,
      companyLocationShopifyId: null,
      poNumber: null,
      paymentDueAt: null,
      state: "processed",
      customerFoundBy: "created from the order",
    });
    expect(other.header).toMatchObject({
      externalDocumentNo: null,
      dueDate: null,
      shipToCode: null,
      shipToName: "Ada Lovelace",
      shipToCity: "London",
    });
  });

  it("once its location is linked and the company's orders are processed again, it becomes the business customer's document, once", async () => {
    const { shop, store, acme, b2b } = await b2bShop();
    await prisma.shopSettings.update({ where: { shopId: shop.id }, data: { allowBackgroundSyncs: false } });
    await sync(shop.domain);
    expect((await documentOf(shop.id, b2b.name)).staged.state).toBe("error");

    // What the companies sync (or a person) does: the business customer, the location as its
    // ship-to address, and the links.
    await linkAcme(shop.id, acme);

    const followUp = await processOrdersOfCompanies(prisma, shop.id, [numeric(acme.id)]);

    expect(followUp.orders.map((order) => order.name)).toEqual([b2b.name]);
    expect(followUp.followUp).toMatchObject({
      mode: "foreground",
      task: "process_orders",
      status: "succeeded",
      counts: { processed: 1 },
    });
    const terms = await shopifyTerms(store, b2b.id);
    const { staged, header } = await documentOf(shop.id, b2b.name);
    expect(staged).toMatchObject({
      state: "processed",
      error: null,
      customerFoundBy: "the business customer of company location Ottawa depot (Acme Supply)",
    });
    // The location's ship-to code, and the order's own shipping address (the buyer's, at
    // checkout), not the ship-to address's.
    expect(header).toMatchObject({
      customerNo: "ACME",
      shipToCode: "OTTAWA",
      shipToName: "Jo Buyer",
      shipToAddress1: "1 Bank St",
      shipToCity: "Ottawa",
      shipToZip: "K1P 5J2",
      shipToCountry: "CA",
      externalDocumentNo: "PO-7781",
      dueDate: new Date(terms.dueAt!),
    });
    expect(header!.lines.map((line) => [line.type, line.itemNo, line.quantity])).toEqual([
      ["item", "TEE-S", 4],
    ]);

    // Processing again, or the follow-up again, makes no second document.
    expect((await processAgain(shop.domain)).status).toBe("succeeded");
    expect(await processOrdersOfCompanies(prisma, shop.id, [numeric(acme.id)])).toEqual({
      orders: [],
      followUp: null,
    });
    expect(
      await prisma.boSalesHeader.count({ where: { shopId: shop.id, shopifyOrderId: staged.shopifyId } }),
    ).toBe(1);
  });

  it("a location without a customer or ship-to of its own goes to its company's customer, shipped to the order's address", async () => {
    const { shop, store, small } = await orderShop(simulator);
    // Due on fulfillment: Shopify states no due date, so the customer's payment terms give it.
    const borealis = await createCompany(store, {
      name: "Borealis Trading",
      location: "Yellowknife",
      email: "buyer@borealis.example",
      paymentTermsTemplateId: DUE_ON_FULFILLMENT,
    });
    await createCustomer(prisma, shop.id, { no: "BOREALIS", name: "Borealis Trading", paymentTermsDays: 45 });
    // As the companies sync left them: the company linked; the location read with no name yet
    // and no customer of its own. The import fills the name and changes nothing else.
    await prisma.shopifyCompany.create({
      data: {
        id: randomUUID(),
        shopId: shop.id,
        shopifyId: numeric(borealis.id),
        name: "",
        customerNo: "BOREALIS",
        syncState: "linked",
      },
    });
    await prisma.shopifyCompanyLocation.create({
      data: {
        id: randomUUID(),
        shopId: shop.id,
        shopifyId: numeric(borealis.location.id),
        companyShopifyId: numeric(borealis.id),
        name: "Yellowknife (our name)",
        syncState: "linked",
      },
    });
    const order = await placeB2bOrder(store, borealis, { variantId: small.id, quantity: 2 });

    expect(await sync(shop.domain)).toMatchObject({ counts: { imported: 1, processed: 1 } });

    const { staged, header } = await documentOf(shop.id, order.name);
    expect(staged).toMatchObject({
      poNumber: null,
      paymentDueAt: null,
      customerFoundBy:
        "the business customer of company Borealis Trading (location Yellowknife (our name) has none of its own)",
    });
    expect(header).toMatchObject({
      customerNo: "BOREALIS",
      shipToCode: null,
      shipToName: "Jo Buyer",
      shipToAddress1: "1 Bank St",
      shipToCity: "Ottawa",
      externalDocumentNo: null,
      dueDate: new Date(staged.shopifyCreatedAt.getTime() + 45 * 86_400_000),
    });
    expect(
      await prisma.shopifyCompany.findFirstOrThrow({
        where: { shopId: shop.id },
        select: { name: true, customerNo: true, syncState: true, message: true },
      }),
    ).toEqual({ name: "Borealis Trading", customerNo: "BOREALIS", syncState: "linked", message: null });
    expect((await prisma.shopifyCompanyLocation.findFirstOrThrow({ where: { shopId: shop.id } })).name).toBe(
      "Yellowknife (our name)",
    );
    // Nothing was waiting: the companies sync was not asked.
    expect(await companyRuns(shop.id)).toEqual([]);
  });
});

describe("a B2B order's customer and ship-to address", () => {
  it("with a ship-to code and no shipping address of its own, is shipped to the ship-to address", async () => {
    const { shop, acme, b2b } = await b2bShop();
    await sync(shop.domain);
    await linkAcme(shop.id, acme);
    await prisma.shopifyOrder.updateMany({
      where: { shopId: shop.id, name: b2b.name },
      data: { shippingAddress: Prisma.DbNull },
    });

    expect((await processAgain(shop.domain)).counts).toMatchObject({ processed: 1 });

    expect((await documentOf(shop.id, b2b.name)).header).toMatchObject({
      customerNo: "ACME",
      shipToCode: "OTTAWA",
      shipToName: "Ottawa depot",
      shipToAddress1: "9 Depot Rd",
      shipToCity: "Ottawa",
      shipToZip: "K1P 0A1",
      shipToCountry: "CA",
    });
  });

  it("waits, naming the location, when locations are customers of their own and this one has none yet", async () => {
    const { shop, store, small } = await orderShop(simulator);
    await prisma.shopSettings.update({
      where: { shopId: shop.id },
      data: { companyLocationsAs: "customer" },
    });
    const borealis = await createCompany(store, {
      name: "Borealis Trading",
      location: "Yellowknife",
      email: "buyer@borealis.example",
    });
    await createCustomer(prisma, shop.id, { no: "BOREALIS", name: "Borealis Trading" });
    // The company linked; a location it has since, not linked yet (no customer of its own).
    await prisma.shopifyCompany.create({
      data: {
        id: randomUUID(),
        shopId: shop.id,
        shopifyId: numeric(borealis.id),
        name: "Borealis Trading",
        customerNo: "BOREALIS",
        syncState: "linked",
      },
    });
    const order = await placeB2bOrder(store, borealis, { variantId: small.id, quantity: 2 });

    expect(await sync(shop.domain)).toMatchObject({ counts: { imported: 1, failed: 1 } });

    const { staged, header } = await documentOf(shop.id, order.name);
    expect(staged).toMatchObject({
      state: "error",
      documentNo: null,
      error:
        "company location Yellowknife (Borealis Trading) is not mapped to a business customer of its own yet (the shop card makes each company location a customer)",
    });
    expect(header).toBeNull();
    // The companies sync is asked to read and link the location.
    expect(await companyRuns(shop.id)).toEqual([{ trigger: "back_office", status: "queued" }]);
  });
});

describe("the companies sync, run for a waiting order's company", () => {
  it("imports and links the company, and the order held for it becomes the business customer's document", async () => {
    const { shop, acme, b2b } = await b2bShop();
    await prisma.shopSettings.update({
      where: { shopId: shop.id },
      data: { allowBackgroundSyncs: false, companyAutoCreate: true },
    });
    await sync(shop.domain);
    expect((await documentOf(shop.id, b2b.name)).staged.state).toBe("error");

    const run = await runInForeground(prisma, syncCompaniesTask, { shop: shop.domain, trigger: "manual" });

    expect(run.status).toBe("succeeded");
    expect(run.counts).toMatchObject({ created: 1, heldOrdersReleased: 1 });
    const company = await prisma.shopifyCompany.findUniqueOrThrow({
      where: { shopId_shopifyId: { shopId: shop.id, shopifyId: numeric(acme.id) } },
    });
    const location = await prisma.shopifyCompanyLocation.findUniqueOrThrow({
      where: { shopId_shopifyId: { shopId: shop.id, shopifyId: numeric(acme.location.id) } },
    });
    expect(company).toMatchObject({ syncState: "linked", customerNo: expect.any(String) as string });
    expect(location).toMatchObject({
      customerNo: company.customerNo,
      shipToCode: expect.any(String) as string,
    });
    const { staged, header } = await documentOf(shop.id, b2b.name);
    expect(staged).toMatchObject({
      state: "processed",
      error: null,
      customerFoundBy: "the business customer of company location Ottawa depot (Acme Supply)",
    });
    expect(header).toMatchObject({
      customerNo: company.customerNo,
      shipToCode: location.shipToCode,
      externalDocumentNo: "PO-7781",
    });
    expect(
      await prisma.boCustomer.findUniqueOrThrow({
        where: { shopId_no: { shopId: shop.id, no: company.customerNo! } },
      }),
    ).toMatchObject({ name: "Acme Supply", email: "jo@acme.example" });
  });
});

describe("the companies sync, asked to read a waiting order's company", () => {
  it("is queued once per shop however many orders wait, and a later run joins the one waiting", async () => {
    const { shop, store, acme, small } = await b2bShop();
    await placeB2bOrder(store, acme, { variantId: small.id, quantity: 1, poNumber: "PO-7782" });

    expect(await sync(shop.domain)).toMatchObject({ counts: { imported: 3, failed: 2 } });
    await processAgain(shop.domain);

    expect(await companyRuns(shop.id)).toEqual([{ trigger: "back_office", status: "queued" }]);
  });

  it("is not queued when the shop imports no companies, when it has read the company already, or when the task does not exist", async () => {
    const none = await b2bShop();
    await prisma.shopSettings.update({ where: { shopId: none.shop.id }, data: { companyImport: "none" } });
    await sync(none.shop.domain);
    expect((await documentOf(none.shop.id, none.b2b.name)).staged.state).toBe("error");
    expect(await companyRuns(none.shop.id)).toEqual([]);

    // Read from Shopify (by the companies sync) and still unlinked: a person links it.
    const read = await b2bShop();
    await sync(read.shop.domain);
    await prisma.syncRun.deleteMany({ where: { shopId: read.shop.id, task: "sync_companies" } });
    const now = new Date();
    await prisma.shopifyCompany.updateMany({
      where: { shopId: read.shop.id },
      data: { shopifyUpdatedAt: now, message: "no business customer has its main contact's e-mail" },
    });
    await prisma.shopifyCompanyLocation.updateMany({
      where: { shopId: read.shop.id },
      data: { shopifyUpdatedAt: now },
    });
    await processAgain(read.shop.domain);
    expect((await documentOf(read.shop.id, read.b2b.name)).staged.state).toBe("error");
    expect(await companyRuns(read.shop.id)).toEqual([]);

    companies.registered = false;
    try {
      const missing = await b2bShop();
      await sync(missing.shop.domain);
      expect((await documentOf(missing.shop.id, missing.b2b.name)).staged.error).toBe(
        "company Acme Supply (location Ottawa depot) is not mapped to a business customer yet",
      );
      expect(await companyRuns(missing.shop.id)).toEqual([]);
    } finally {
      companies.registered = true;
    }
  });
});

describe("the first import by bulk query", () => {
  it("stages a B2B order's company, location, PO number and due date as the per-order path does", async () => {
    const { shop, store, acme, b2b, b2c } = await b2bShop();
    bulkImport.minOrders = 0;
    try {
      expect(await sync(shop.domain)).toMatchObject({ counts: { imported: 2, processed: 1 } });
    } finally {
      bulkImport.minOrders = minOrders;
    }
    const terms = await shopifyTerms(store, b2b.id);
    expect((await documentOf(shop.id, b2b.name)).staged).toMatchObject({
      companyShopifyId: numeric(acme.id),
      companyLocationShopifyId: numeric(acme.location.id),
      poNumber: "PO-7781",
      paymentDueAt: new Date(terms.dueAt!),
      error: "company Acme Supply (location Ottawa depot) is not mapped to a business customer yet",
    });
    expect((await documentOf(shop.id, b2c.name)).staged).toMatchObject({
      companyShopifyId: null,
      companyLocationShopifyId: null,
      paymentDueAt: null,
      state: "processed",
    });
    expect(await prisma.shopifyCompany.count({ where: { shopId: shop.id, name: "Acme Supply" } })).toBe(1);
    expect(
      await prisma.shopifyCompanyLocation.count({ where: { shopId: shop.id, name: "Ottawa depot" } }),
    ).toBe(1);
  });
});
