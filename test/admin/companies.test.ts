import { describe, expect, it } from "vitest";
import { createCustomer, listShipToAddresses } from "../../app/backoffice/backoffice.server";
import prisma from "../../app/db.server";
import { action, loader } from "../../app/routes/app.companies";
import { shopStatus } from "../../app/status/status.server";
import { queuedRuns } from "../kit/jobs";
import { insertStagedOrder } from "../kit/staged";
import { adminRequest, answer, callRoute, outcomeOf } from "../support/admin";
import { cli } from "../support/cli";
import { installedShop } from "../support/shops";
import { companyRead, storedCompany, UNMAPPED_REASON, unmappedCompany } from "./company-shop";

/**
 * The Companies page: the Unmapped companies tile counts what its first view lists (companies
 * still in Shopify and linked to no business customer), each company with its locations and its
 * state and message in full; a person maps one to an existing business customer or creates one
 * (its locations become ship-to addresses, and the orders it held up are processed again), or
 * retries one in error. The CLI's `companies` lists the same rows.
 */

const post = (domain: string, form: Record<string, string>) =>
  callRoute(action, adminRequest(domain, "/app/companies", form));

async function companiesShop() {
  const shop = await installedShop();
  const harbour = await unmappedCompany(shop);
  const gone = await storedCompany(shop, companyRead("Old Mill"), {
    syncState: "unmapped",
    message: "unmapped: it has no main contact",
    deleted: true,
  });
  const failed = await storedCompany(shop, companyRead("Beta Builders"), {
    syncState: "error",
    message: "customer template GONE-TPL does not exist",
  });
  await createCustomer(prisma, shop.id, { no: "C-ACME", name: "Acme" });
  const linked = await storedCompany(shop, companyRead("Acme Supply"), {
    syncState: "linked",
    message: "linked to customer C-ACME (Acme) by its main contact's e-mail",
    customerNo: "C-ACME",
  });
  const stub = await prisma.shopifyCompany.create({
    data: {
      id: crypto.randomUUID(),
      shopId: shop.id,
      shopifyId: 99_000_001n,
      name: "Zed Corp",
      syncState: "unmapped",
      message: "not read from Shopify yet",
    },
  });
  return { shop, harbour, gone, failed, linked, stub };
}

describe("the Unmapped companies tile and its list", () => {
  it("count and list the same companies, each with its locations, state and message in full, and nothing of another shop", async () => {
    const { shop, harbour, stub } = await companiesShop();
    await companiesShop();

    const status = await shopStatus(prisma, shop.id);
    const list = await callRoute(loader, adminRequest(shop.domain, "/app/companies"));

    expect(status.unmappedCompanies).toBe(2);
    expect([list.total, list.view]).toEqual([2, "unmapped"]);
    expect(list.rows.map((row) => row.id)).toEqual([harbour.id, stub.id]);
    expect(list.rows[0]).toMatchObject({
      name: "Harbour Traders",
      stateWords: "not linked to a business customer",
      message: UNMAPPED_REASON,
      mainContact: { name: "Pat Quinn", email: "harbour.traders@example.com" },
      adminUrl: `https://admin.shopify.com/store/${shop.domain.replace(".myshopify.com", "")}/companies/${harbour.shopifyId}`,
      locations: [
        {
          name: "Harbour Traders HQ",
          address: "1 Dock St, B3J 1A1 Halifax, NS, CA",
          paymentTerms: "Net 30 (30 days)",
          customerNo: null,
        },
        { name: "Harbour Traders yard", address: "9 Shore Rd, Dartmouth, CA", paymentTerms: null },
      ],
    });
    expect(list.rows[1]).toMatchObject({
      name: "Zed Corp",
      message: "not read from Shopify yet",
      locations: [],
    });
  });

  it("has views for companies in error, linked ones and all of them", async () => {
    const { shop, failed, linked } = await companiesShop();
    const view = (name: string) =>
      callRoute(loader, adminRequest(shop.domain, `/app/companies?view=${name}`));

    const errors = await view("error");
    const linkedList = await view("linked");
    const all = await view("all");

    expect(errors.rows.map((row) => [row.id, row.stateWords, row.message])).toEqual([
      [failed.id, "failed", "customer template GONE-TPL does not exist"],
    ]);
    expect(linkedList.rows.map((row) => [row.id, row.customerNo, row.customerName])).toEqual([
      [linked.id, "C-ACME", "Acme"],
    ]);
    expect(all.total).toBe(5);
    expect(all.rows.find((row) => row.name === "Old Mill")).toMatchObject({
      deleted: true,
      stateWords: "deleted in Shopify",
    });
    expect(
      (await outcomeOf(callRoute(loader, adminRequest(shop.domain, "/app/companies?view=everything"))))
        .status,
    ).toBe(400);
  });
});

describe("mapping a company", () => {
  it("links it to an existing business customer, its locations as ship-to addresses, and processes the orders it held up", async () => {
    const { shop, harbour } = await companiesShop();
    await createCustomer(prisma, shop.id, { no: "C-HARB", name: "Harbour", email: "harbour@example.com" });
    const order = await insertStagedOrder(shop, { name: "#B1", lines: [{ title: "Crate" }] });
    await prisma.shopifyOrder.update({
      where: { id: order.id },
      data: {
        companyShopifyId: harbour.shopifyId,
        state: "error",
        error: "company Harbour Traders is not mapped",
      },
    });

    const result = await answer(
      await post(shop.domain, { intent: "map", companyId: harbour.id, customerNo: "C-HARB" }),
    );

    expect(result.status).toBe(200);
    expect(result.body.message).toContain("Harbour Traders is now linked to customer C-HARB (Harbour).");
    expect(result.body.message).toContain("Their waiting orders: #B1.");
    expect(await prisma.shopifyCompany.findUniqueOrThrow({ where: { id: harbour.id } })).toMatchObject({
      customerNo: "C-HARB",
      syncState: "linked",
      message: "linked to customer C-HARB (Harbour) by a person",
    });
    const shipTos = await listShipToAddresses(prisma, shop.id, "C-HARB");
    expect(shipTos.map((s) => s.name).sort()).toEqual(["Harbour Traders HQ", "Harbour Traders yard"]);
    expect((await shopStatus(prisma, shop.id)).unmappedCompanies).toBe(1);
    expect(await queuedRuns(shop, "process_orders")).toHaveLength(1);

    const again = await answer(
      await post(shop.domain, { intent: "map", companyId: harbour.id, customerNo: "C-ACME" }),
    );
    expect([again.status, again.body.error]).toEqual([
      409,
      "Harbour Traders is already linked to customer C-HARB.",
    ]);
  });

  it("creates a business customer from it on the company template", async () => {
    const { shop, harbour } = await companiesShop();
    await createCustomer(prisma, shop.id, {
      no: "B2B-TPL",
      name: "Template",
      isTemplate: true,
      paymentTermsCode: "Net 14",
      paymentTermsDays: 14,
    });
    await prisma.shopSettings.update({
      where: { shopId: shop.id },
      data: { companyAutoCreate: true, companyTemplateNo: "B2B-TPL" },
    });

    const result = await answer(
      await post(shop.domain, {
        intent: "create",
        companyId: harbour.id,
        customerNo: "C-NEW",
        name: "Harbour Traders Inc",
      }),
    );

    expect(result.status).toBe(200);
    expect(result.body.message).toContain(
      "Business customer C-NEW (Harbour Traders Inc) is created and linked",
    );
    const customer = await prisma.boCustomer.findUniqueOrThrow({
      where: { shopId_no: { shopId: shop.id, no: "C-NEW" } },
    });
    expect(customer).toMatchObject({
      name: "Harbour Traders Inc",
      email: "harbour.traders@example.com",
      contactName: "Pat Quinn",
      address1: "1 Dock St",
      city: "Halifax",
      // The company's first location has payment terms of its own; the template's are the fallback.
      paymentTermsCode: "Net 30",
      paymentTermsDays: 30,
    });
    expect(await listShipToAddresses(prisma, shop.id, "C-NEW")).toHaveLength(2);
  });

  it("retries a company in error (the companies sync reads it again), and refuses one that is not", async () => {
    const { shop, failed, harbour } = await companiesShop();

    const retried = await answer(await post(shop.domain, { intent: "retry", companyId: failed.id }));
    const refused = await answer(await post(shop.domain, { intent: "retry", companyId: harbour.id }));

    expect(retried.status).toBe(200);
    expect(retried.body.message).toContain("Beta Builders is read from Shopify again.");
    expect(await queuedRuns(shop, "sync_companies")).toHaveLength(1);
    expect([refused.status, refused.body.error]).toEqual([
      409,
      "Harbour Traders is not in error: there is nothing to retry.",
    ]);
  });

  it("refuses another shop's company, and changes nothing", async () => {
    const mine = await companiesShop();
    const theirs = await companiesShop();
    await createCustomer(prisma, mine.shop.id, { no: "C-MINE", name: "Mine" });

    const map = await answer(
      await post(mine.shop.domain, { intent: "map", companyId: theirs.harbour.id, customerNo: "C-MINE" }),
    );
    const page = await outcomeOf(
      callRoute(loader, adminRequest(mine.shop.domain, `/app/companies?company=${theirs.harbour.id}`)),
    );

    expect(map.status).toBe(404);
    expect(page.status).toBe(404);
    expect(await prisma.shopifyCompany.findUniqueOrThrow({ where: { id: theirs.harbour.id } })).toMatchObject(
      {
        syncState: "unmapped",
        customerNo: null,
      },
    );
  });
});

describe("npm run cli -- companies", () => {
  it("lists the companies with their locations, state and customer, as JSON", async () => {
    const { shop } = await companiesShop();

    const ran = await cli("companies", "--shop", shop.domain, "--json");
    const unmapped = await cli("companies", "--shop", shop.domain, "--state", "unmapped");
    const wrong = await cli("companies", "--shop", shop.domain, "--state", "exploded");

    expect([ran.code, ran.stderr]).toEqual([0, ""]);
    const rows = JSON.parse(ran.stdout) as {
      name: string;
      state: string;
      customerNo: string | null;
      locations: unknown[];
    }[];
    expect(rows.map((row) => [row.name, row.state, row.customerNo, row.locations.length])).toEqual([
      ["Acme Supply", "linked", "C-ACME", 2],
      ["Beta Builders", "error", null, 2],
      ["Harbour Traders", "unmapped", null, 2],
      ["Old Mill", "unmapped", null, 0],
      ["Zed Corp", "unmapped", null, 0],
    ]);
    expect(unmapped.code).toBe(0);
    expect(unmapped.stdout).toContain("Harbour Traders HQ");
    expect(unmapped.stdout).not.toContain("Acme Supply");
    expect([wrong.code, wrong.stderr]).toEqual([
      2,
      expect.stringContaining("--state must be one of unmapped, error, linked, all") as string,
    ]);
  });
});
