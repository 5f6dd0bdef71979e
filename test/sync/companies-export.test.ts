import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCustomer, saveShipToAddress, updateCustomer } from "../../app/backoffice/backoffice.server";
import prisma from "../../app/db.server";
import { externalIdOf } from "../../app/sync/companies/draft.server";
import { addCompaniesToShopify, COMPANY_TASK } from "../../app/sync/companies/records.server";
import { startSimulator, type RunningSimulator } from "../support/simulator";
import { companyShop, numeric } from "./companies-support";

/**
 * Sync companies, back office → Shopify, against the simulated Shopify and real Postgres: a
 * business customer a person adds becomes a company with its first location (address, tax
 * registration) and main contact (e-mail, contact name), its ship-to addresses further
 * locations; a second run sends nothing; with updates going to Shopify, a changed address goes
 * alone; Shopify's refusal is the record's message in full; the import does not take our own
 * company back as a change.
 */

let simulator: RunningSimulator;

beforeAll(async () => {
  simulator = await startSimulator(null);
  process.env.SHOPIFY_ADMIN_ORIGIN = simulator.url;
});
afterAll(() => simulator?.close());

interface ShopifyCompanyView {
  id: string;
  name: string;
  externalId: string | null;
  mainContact: { customer: { email: string; firstName: string | null; lastName: string | null } } | null;
  locations: {
    nodes: {
      id: string;
      name: string;
      shippingAddress: {
        address1: string;
        city: string | null;
        zip: string | null;
        countryCode: string;
      } | null;
      billingAddress: { address1: string } | null;
      taxSettings: { taxRegistrationId: string | null; taxExemptions: string[] };
    }[];
  };
}

async function exportShop(settings: Record<string, unknown> = {}) {
  const f = await companyShop(simulator, { companyImport: "with_orders", ...settings });
  await createCustomer(prisma, f.shop.id, {
    no: "B2B-100",
    name: "Harbour Traders",
    email: "pat@harbour.example",
    contactName: "Pat Quinn",
    address1: "12 Quay St",
    city: "Halifax",
    zip: "B3J 1A1",
    countryCode: "CA",
    taxRegistrationNo: "GST-555",
    taxExemptions: ["CA_BC_RESELLER_EXEMPTION"],
  });
  await saveShipToAddress(prisma, f.shop.id, "B2B-100", "DOCK", {
    name: "Harbour dock",
    address1: "1 Pier Rd",
    city: "Halifax",
    countryCode: "CA",
  });
  const company = async (id: string) =>
    (
      await f.gql<{ company: ShopifyCompanyView | null }>(
        `query TestCompany($id: ID!) { company(id: $id) { id name externalId
          mainContact { customer { email firstName lastName } }
          locations(first: 10) { nodes { id name shippingAddress { address1 city zip countryCode } billingAddress { address1 }
            taxSettings { taxRegistrationId taxExemptions } } } } }`,
        { id },
      )
    ).company;
  const record = () =>
    prisma.syncRecord.findUniqueOrThrow({
      where: { shopId_task_recordKey: { shopId: f.shop.id, task: COMPANY_TASK, recordKey: "B2B-100" } },
    });
  return { ...f, company, record };
}

describe("business customers to Shopify", () => {
  it("creates the company with its location and main contact, its ship-to address as a location, and a second run sends nothing", async () => {
    const f = await exportShop();
    await addCompaniesToShopify(prisma, f.shop.id, ["B2B-100"]);

    const run = await f.run();

    expect(run.status).toBe("succeeded");
    expect(run.counts).toMatchObject({ created: 1, mutationRequests: 2 });
    const record = await f.record();
    expect(record).toMatchObject({ state: "synced", message: null });
    const company = await f.company(record.shopifyId!);
    expect(company).toMatchObject({
      name: "Harbour Traders",
      externalId: "B2B-100",
      mainContact: { customer: { email: "pat@harbour.example", firstName: "Pat", lastName: "Quinn" } },
    });
    expect(
      company!.locations.nodes.map((l) => [l.name, l.shippingAddress?.address1, l.billingAddress?.address1]),
    ).toEqual([
      ["Harbour Traders", "12 Quay St", "12 Quay St"],
      ["Harbour dock", "1 Pier Rd", "1 Pier Rd"],
    ]);
    expect(company!.locations.nodes[0]!.taxSettings).toEqual({
      taxRegistrationId: "GST-555",
      taxExemptions: ["CA_BC_RESELLER_EXEMPTION"],
    });
    // The app keeps the company as Shopify has it, linked: the order flow finds its customer.
    const row = await f.companyRow(company!.id);
    expect(row).toMatchObject({ customerNo: "B2B-100", syncState: "linked" });
    const locations = await prisma.shopifyCompanyLocation.findMany({
      where: { shopId: f.shop.id, companyShopifyId: row.shopifyId },
      orderBy: { shopifyId: "asc" },
    });
    expect(locations.map((l) => [l.customerNo, l.shipToCode])).toEqual([
      ["B2B-100", null],
      ["B2B-100", "DOCK"],
    ]);

    const before = await f.snapshot();
    const again = await f.run();
    expect(again.status).toBe("succeeded");
    expect(again.counts).not.toHaveProperty("mutationRequests");
    // Its own company, woken by the webhooks of its writes, is no change to the import.
    const webhook = await f.run({}, "webhook");
    expect(webhook.counts).not.toHaveProperty("mutationRequests");
    expect(webhook.counts).not.toHaveProperty("imported");
    expect(await f.snapshot()).toEqual(before);
  });

  it("sends just the changed address when the back office updates Shopify's companies", async () => {
    const f = await exportShop({ companyUpdates: "to_shopify" });
    await addCompaniesToShopify(prisma, f.shop.id, ["B2B-100"]);
    await f.run();
    await updateCustomer(prisma, f.shop.id, "B2B-100", { address1: "40 Water St" });

    const run = await f.run();

    expect(run.status).toBe("succeeded");
    expect(run.counts).toMatchObject({ updated: 1, mutationRequests: 1 });
    const company = await f.company((await f.record()).shopifyId!);
    expect(company!.locations.nodes[0]!.shippingAddress?.address1).toBe("40 Water St");
    expect((await f.run()).counts).not.toHaveProperty("mutationRequests");
  });

  it("leaves a linked company alone when the shop card sends no updates to Shopify", async () => {
    const f = await exportShop();
    await addCompaniesToShopify(prisma, f.shop.id, ["B2B-100"]);
    await f.run();
    await updateCustomer(prisma, f.shop.id, "B2B-100", { name: "Harbour Traders Ltd" });

    const run = await f.run();

    expect(run.counts).not.toHaveProperty("mutationRequests");
    expect(await f.record()).toMatchObject({
      state: "skipped",
      message: expect.stringContaining(
        "the shop card does not send updates of companies to Shopify",
      ) as string,
    });
  });

  it("skips a customer whose e-mail another Shopify customer has, with Shopify's message, and collects others' changes as not added", async () => {
    const f = await exportShop();
    await f.gql(
      `mutation TestCustomer { customerCreate(input: { email: "pat@harbour.example" }) { userErrors { message } } }`,
      {},
    );
    await createCustomer(prisma, f.shop.id, { no: "B2C-1", name: "Walk-in", email: "walk@in.example" });
    await addCompaniesToShopify(prisma, f.shop.id, ["B2B-100"]);

    const run = await f.run();

    expect(run.status).toBe("succeeded");
    expect(await f.record()).toMatchObject({
      state: "skipped",
      message:
        "Shopify refused the company: input.companyContact.email: Email address has already been taken.",
    });
    const others = await prisma.syncRecord.findUniqueOrThrow({
      where: { shopId_task_recordKey: { shopId: f.shop.id, task: COMPANY_TASK, recordKey: "B2C-1" } },
    });
    expect(others).toMatchObject({ state: "skipped", message: "not added to Shopify as a company" });
    expect(await prisma.shopifyCompany.count({ where: { shopId: f.shop.id } })).toBe(0);
  });

  it("makes the locations Shopify refused at the create on the next run, though the shop card sends no updates", async () => {
    const f = await exportShop();
    // Another company's location has the external id the dock's location would get: Shopify
    // refuses that location, and makes the company with its first one.
    await f.gql(
      `mutation TestBlocker { companyCreate(input: { company: { name: "Blocker" },
        companyLocation: { name: "Blocker", externalId: "B2B-100/DOCK" } }) { company { id } userErrors { message } } }`,
      {},
    );
    await addCompaniesToShopify(prisma, f.shop.id, ["B2B-100"]);

    const first = await f.run();

    expect(first.counts).toMatchObject({ failed: 1 });
    expect(await f.record()).toMatchObject({
      state: "error",
      shopifyId: null,
      sendingKey: "B2B-100",
      message: expect.stringContaining("Shopify refused ship-to address DOCK as a location") as string,
    });
    const made = await prisma.shopifyCompany.findFirstOrThrow({
      where: { shopId: f.shop.id, customerNo: "B2B-100" },
    });
    const gid = `gid://shopify/Company/${made.shopifyId}`;
    expect((await f.company(gid))!.locations.nodes.map((l) => l.name)).toEqual(["Harbour Traders"]);
    // The cause is gone.
    const { companies } = await f.gql<{ companies: { nodes: { id: string; name: string }[] } }>(
      `query TestCompanies { companies(first: 10) { nodes { id name } } }`,
      {},
    );
    const blocker = companies.nodes.find((node) => node.name === "Blocker")!;
    await f.gql(`mutation TestDelete($id: ID!) { companyDelete(id: $id) { userErrors { message } } }`, {
      id: blocker.id,
    });

    const second = await f.run();

    // Only the location never made is sent: the name, address and contact are not updates to send.
    expect(second.status).toBe("succeeded");
    expect(second.counts).toMatchObject({ mutationRequests: 1 });
    expect((await f.company(gid))!.locations.nodes.map((l) => l.name)).toEqual([
      "Harbour Traders",
      "Harbour dock",
    ]);
    expect(await f.record()).toMatchObject({ state: "synced", shopifyId: gid, sendingKey: null });
    const locations = await prisma.shopifyCompanyLocation.findMany({
      where: { shopId: f.shop.id, companyShopifyId: made.shopifyId },
      orderBy: { shopifyId: "asc" },
    });
    expect(locations.map((l) => [l.customerNo, l.shipToCode])).toEqual([
      ["B2B-100", null],
      ["B2B-100", "DOCK"],
    ]);
    // Finished: a change now is an update, which the shop card does not send.
    await updateCustomer(prisma, f.shop.id, "B2B-100", { name: "Harbour Traders Ltd" });
    expect((await f.run()).counts).not.toHaveProperty("mutationRequests");
    expect((await f.record()).state).toBe("skipped");
  });

  it("gives a customer number Shopify takes as no external id an encoded one, so a lost answer makes no second company", async () => {
    const f = await exportShop();
    await createCustomer(prisma, f.shop.id, {
      no: "B2B 200",
      name: "Dockside Goods",
      address1: "3 Wharf Rd",
      city: "Halifax",
      countryCode: "CA",
    });
    await addCompaniesToShopify(prisma, f.shop.id, ["B2B 200"]);
    const record = () =>
      prisma.syncRecord.findUniqueOrThrow({
        where: { shopId_task_recordKey: { shopId: f.shop.id, task: COMPANY_TASK, recordKey: "B2B 200" } },
      });
    // Shopify makes the company, but its answers never arrive (a gateway timeout after the
    // work, on every try).
    simulator.sim.faults = {
      ...simulator.sim.faults,
      lostAnswerShare: 1,
      lostAnswerOperations: ["SyncCompanyCreate"],
    };
    try {
      expect((await f.run()).counts).toMatchObject({ failed: 1 });
    } finally {
      simulator.sim.faults = { ...simulator.sim.faults, lostAnswerShare: 0, lostAnswerOperations: [] };
    }
    expect(await record()).toMatchObject({ state: "error", shopifyId: null, sendingKey: "B2B%20200" });

    expect((await f.run()).status).toBe("succeeded");

    const { companies } = await f.gql<{ companies: { nodes: { id: string; externalId: string | null }[] } }>(
      `query TestCompanies { companies(first: 20) { nodes { id externalId } } }`,
      {},
    );
    expect(companies.nodes).toEqual([{ id: expect.any(String) as string, externalId: "B2B%20200" }]);
    expect(await record()).toMatchObject({
      state: "synced",
      shopifyId: companies.nodes[0]!.id,
      sendingKey: null,
    });
    expect(await f.companyRow(companies.nodes[0]!.id)).toMatchObject({
      customerNo: "B2B 200",
      syncState: "linked",
    });
  }, 60_000);

  it("finds the company a run that died had made, by its external id, instead of making another", async () => {
    const f = await exportShop();
    // A create got as far as Shopify, and no further: Shopify has the company, the app does not know it.
    await f.gql(
      `mutation TestCreate { companyCreate(input: { company: { name: "Harbour Traders", externalId: "B2B-100" },
        companyLocation: { name: "Harbour Traders" } }) { userErrors { message } } }`,
      {},
    );
    await addCompaniesToShopify(prisma, f.shop.id, ["B2B-100"]);
    await prisma.syncRecord.updateMany({
      where: { shopId: f.shop.id, task: COMPANY_TASK, recordKey: "B2B-100" },
      data: { sendingKey: "B2B-100" },
    });

    const run = await f.run();

    expect(run.status).toBe("succeeded");
    const companies = await f.gql<{ companies: { nodes: { id: string }[] } }>(
      `query TestCompanies { companies(first: 10) { nodes { id } } }`,
      {},
    );
    expect(companies.companies.nodes).toHaveLength(1);
    expect((await f.record()).shopifyId).toBe(companies.companies.nodes[0]!.id);
    expect(await f.companyRow(companies.companies.nodes[0]!.id)).toMatchObject({ customerNo: "B2B-100" });
    expect(numeric(companies.companies.nodes[0]!.id)).toBeGreaterThan(0n);
  });
});

describe("a company's external id", () => {
  it("is the customer number when Shopify takes it, else an encoded form, one per number", () => {
    expect(externalIdOf("B2B-100")).toBe("B2B-100");
    expect(externalIdOf("B2B 200")).toBe("B2B%20200");
    expect(externalIdOf("KUNDE-Ä1")).toBe("KUNDE-%C3%841");
    // A "%" of its own is encoded too: "50%25" and "50%" are two numbers, with two ids.
    expect(externalIdOf("50%25")).toBe("50%2525");
    expect(externalIdOf("50%")).toBe("50%25");
    const long = "X".repeat(70);
    expect(externalIdOf(long)).toMatch(/^%h[\w-]{43}$/);
    expect(externalIdOf(long)).not.toBe(externalIdOf("Y".repeat(70)));
    for (const no of ["B2B 200", "KUNDE-Ä1", long, 'a"b c'])
      expect(externalIdOf(no)).toMatch(/^[A-Za-z0-9!@#$%^&*(){}[\]\\/?<>_\-~,.;:'`"]{1,64}$/);
  });
});
