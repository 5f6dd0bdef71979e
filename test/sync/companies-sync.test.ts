import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createCustomer, listShipToAddresses } from "../../app/backoffice/backoffice.server";
import prisma from "../../app/db.server";
import { companyImport } from "../../app/sync/companies/import.server";
import { businessCustomerNos } from "../../app/sync/companies/records.server";
import { shipToCodeFor } from "../../app/sync/companies/link.server";
import { insertStagedCustomer } from "../kit/staged";
import { startSimulator, type RunningSimulator } from "../support/simulator";
import { companyShop, NET_30, numeric, type CompanySpec } from "./companies-support";

/**
 * Sync companies, Shopify → back office, against the simulated Shopify and real Postgres:
 * companies with several locations and contacts come in (locations as ship-to addresses, or as
 * customers of their own), mapped by their main contact's e-mail or by a location's tax id, or
 * created as business customers on the company template; a company that cannot be linked says
 * why; one that fails is marked with its error and the others go on; a second run with nothing
 * changed writes nothing; a location changed in Shopify is read again by its own update time;
 * a large store's first import is one bulk query; with order import only the companies the app
 * knows are read.
 */

let simulator: RunningSimulator;

beforeAll(async () => {
  simulator = await startSimulator(null);
  process.env.SHOPIFY_ADMIN_ORIGIN = simulator.url;
});
afterAll(() => simulator?.close());
const bulkAbove = companyImport.bulkAbove;
afterEach(() => {
  companyImport.bulkAbove = bulkAbove;
});

const ACME: CompanySpec = {
  name: "Acme Supply",
  externalId: "ACME-1",
  location: {
    name: "Ottawa depot",
    address1: "1 Bank St",
    city: "Ottawa",
    zip: "K1P 5J2",
    zoneCode: "ON",
    countryCode: "CA",
    phone: "+16135550199",
    taxRegistrationId: "GST-123",
    taxExemptions: ["CA_BC_RESELLER_EXEMPTION"],
    paymentTermsTemplateId: NET_30,
  },
  contact: { email: "jo@acme.example", firstName: "Jo", lastName: "Buyer" },
  moreLocations: [{ name: "Toronto yard", address1: "9 King St W", city: "Toronto", countryCode: "CA" }],
  moreContacts: [{ email: "lee@acme.example", firstName: "Lee", lastName: "Chen" }],
};

const BETA: CompanySpec = {
  name: "Beta Builders",
  location: {
    name: "Head office",
    address1: "5 Main St",
    city: "Halifax",
    zip: "B3H 1A1",
    countryCode: "CA",
    taxRegistrationId: "VAT-77",
  },
  contact: { email: "sam@beta.example", firstName: "Sam", lastName: "Stone" },
  moreLocations: [{ name: "Dartmouth site", address1: "2 Shore Rd", city: "Dartmouth", countryCode: "CA" }],
};

describe("companies from Shopify, locations as ship-to addresses", () => {
  it("come in with their locations and contacts, linked by the main contact's e-mail", async () => {
    const f = await companyShop(simulator, { companyMapping: "email_phone", companyLocationsAs: "ship_to" });
    await createCustomer(prisma, f.shop.id, {
      no: "C-ACME",
      name: "Acme (old name)",
      email: "JO@acme.example",
    });
    const acme = await f.company(ACME);

    const run = await f.run();

    expect(run.status).toBe("succeeded");
    expect(run.counts).toMatchObject({ linked: 1 });
    const { companies, locations, contacts } = await f.rows();
    expect(companies).toHaveLength(1);
    expect(companies[0]).toMatchObject({
      shopifyId: numeric(acme.id),
      name: "Acme Supply",
      externalId: "ACME-1",
      customerNo: "C-ACME",
      syncState: "linked",
      // The words name no e-mail: a customers/redact does not erase a company's row.
      message: "linked to customer C-ACME (Acme (old name)) by its main contact's e-mail",
      mainContactShopifyId: numeric(acme.mainContactId!),
    });
    const [ottawa, toronto] = acme.locationIds.map(numeric);
    expect(locations.map((row) => [row.shopifyId, row.name, row.customerNo, row.shipToCode])).toEqual([
      [ottawa, "Ottawa depot", "C-ACME", shipToCodeFor(ottawa!, new Set())],
      [toronto, "Toronto yard", "C-ACME", shipToCodeFor(toronto!, new Set())],
    ]);
    expect(locations[0]).toMatchObject({
      taxRegistrationId: "GST-123",
      taxExempt: true,
      taxExemptions: ["CA_BC_RESELLER_EXEMPTION"],
      paymentTermsName: "Net 30",
      paymentTermsDueInDays: 30,
    });
    // The business's address alone: no person's name nor phone (the location's phone included).
    expect(locations[0]!.address).toEqual({
      company: "Acme Supply",
      address1: "1 Bank St",
      address2: null,
      city: "Ottawa",
      zip: "K1P 5J2",
      province: "ON",
      countryCode: "CA",
    });
    expect(contacts.map((row) => [row.email, row.isMainContact, row.firstName])).toEqual([
      ["jo@acme.example", true, "Jo"],
      ["lee@acme.example", false, "Lee"],
    ]);
    const shipTos = await listShipToAddresses(prisma, f.shop.id, "C-ACME");
    expect(shipTos.map((s) => [s.code, s.name, s.address1, s.city, s.county, s.countryCode])).toEqual(
      [
        [locations[0]!.shipToCode, "Ottawa depot", "1 Bank St", "Ottawa", "ON", "CA"],
        [locations[1]!.shipToCode, "Toronto yard", "9 King St W", "Toronto", null, "CA"],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    expect(shipTos.every((s) => s.code.length <= 10)).toBe(true);
    // Updates go nowhere by default: the customer keeps its own name.
    const customer = await prisma.boCustomer.findUniqueOrThrow({
      where: { shopId_no: { shopId: f.shop.id, no: "C-ACME" } },
    });
    expect(customer.name).toBe("Acme (old name)");
  });

  it("writes nothing on a second run with nothing changed, and sends no mutation", async () => {
    const f = await companyShop(simulator, { companyMapping: "email_phone" });
    await createCustomer(prisma, f.shop.id, { no: "C-ACME", name: "Acme", email: "jo@acme.example" });
    await f.company(ACME);
    await f.company(BETA);
    expect((await f.run()).status).toBe("succeeded");
    const before = await f.snapshot();

    const again = await f.run();

    expect(again.status).toBe("succeeded");
    expect(again.counts).not.toHaveProperty("mutationRequests");
    expect(again.counts).not.toHaveProperty("linked");
    expect(again.counts).not.toHaveProperty("imported");
    expect(await f.snapshot()).toEqual(before);
    // A scheduled run reconciles and judges Beta (unmapped) again: still nothing to write.
    const scheduled = await f.run({}, "schedule");
    expect(scheduled.status).toBe("succeeded");
    expect(await f.snapshot()).toEqual(before);
  });

  it("reads a company again when one of its locations changes in Shopify, and updates the customer when Shopify updates the back office", async () => {
    const f = await companyShop(simulator, { companyMapping: "email_phone", companyUpdates: "from_shopify" });
    await createCustomer(prisma, f.shop.id, { no: "C-ACME", name: "Acme", email: "jo@acme.example" });
    const acme = await f.company(ACME);
    await f.run();
    const customer = () =>
      prisma.boCustomer.findUniqueOrThrow({ where: { shopId_no: { shopId: f.shop.id, no: "C-ACME" } } });
    // Linked now, with Shopify updating the back office: the customer took the company's fields.
    expect(await customer()).toMatchObject({
      name: "Acme Supply",
      contactName: "Jo Buyer",
      address1: "1 Bank St",
      taxRegistrationNo: "GST-123",
      paymentTermsCode: "Net 30",
      paymentTermsDays: 30,
    });
    simulator.sim.clock.advance(2000);
    await f.gql(
      `mutation TestTax($id: ID!) { companyLocationTaxSettingsUpdate(companyLocationId: $id, taxRegistrationId: "GST-999") {
        userErrors { message } } }`,
      { id: acme.locationIds[0] },
    );
    await f.gql(
      `mutation TestAddress($id: ID!) { companyLocationAssignAddress(locationId: $id, addressTypes: [SHIPPING],
        address: { address1: "77 Lake Rd", city: "Toronto", countryCode: CA }) { userErrors { message } } }`,
      { id: acme.locationIds[1] },
    );

    const run = await f.run();

    expect(run.status).toBe("succeeded");
    expect(run.counts).toMatchObject({ updated: 1 });
    expect((await customer()).taxRegistrationNo).toBe("GST-999");
    const toronto = await prisma.shopifyCompanyLocation.findUniqueOrThrow({
      where: { shopId_shopifyId: { shopId: f.shop.id, shopifyId: numeric(acme.locationIds[1]!) } },
    });
    const shipTo = (await listShipToAddresses(prisma, f.shop.id, "C-ACME")).find(
      (address) => address.code === toronto.shipToCode,
    );
    expect(shipTo).toMatchObject({ address1: "77 Lake Rd", city: "Toronto" });
  });

  it("leaves a company it cannot link unmapped, with the reason", async () => {
    const f = await companyShop(simulator, { companyMapping: "email_phone", companyAutoCreate: false });
    const beta = await f.company(BETA);

    const run = await f.run();

    expect(run.counts).toMatchObject({ unmapped: 1 });
    expect(await f.companyRow(beta.id)).toMatchObject({
      syncState: "unmapped",
      customerNo: null,
      message:
        "unmapped: no back-office customer has its main contact's e-mail; map it to a business customer or create one on the Companies page, or turn on auto-create on the shop card",
    });
  });
});

describe("a company whose main contact is a person's customer in the back office", () => {
  /**
   * Acme, whose main contact Jo is also an ordinary Shopify customer the customers sync made a
   * person's customer of (C-JO, linked by a ShopifyCustomer row).
   */
  async function personShop(settings: Parameters<typeof companyShop>[1]) {
    const f = await companyShop(simulator, { companyMapping: "email_phone", ...settings });
    const acme = await f.company(ACME);
    const { company } = await f.gql<{ company: { mainContact: { customer: { id: string } } } }>(
      `query TestMainContact($id: ID!) { company(id: $id) { mainContact { customer { id } } } }`,
      { id: acme.id },
    );
    await createCustomer(prisma, f.shop.id, { no: "C-JO", name: "Jo Buyer", email: "jo@acme.example" });
    await insertStagedCustomer(f.shop, {
      shopifyId: numeric(company.mainContact.customer.id),
      email: "jo@acme.example",
      firstName: "Jo",
      lastName: "Buyer",
      customerNo: "C-JO",
      syncState: "linked",
    });
    return { ...f, acme };
  }

  it("gets a business customer of its own (auto-create), never the person's", async () => {
    const f = await personShop({ companyAutoCreate: true });

    const run = await f.run();

    expect(run.status).toBe("succeeded");
    expect(run.counts).toMatchObject({ created: 1 });
    const row = await f.companyRow(f.acme.id);
    expect(row).toMatchObject({
      syncState: "linked",
      message: expect.stringContaining("created from the company") as string,
    });
    expect(row.customerNo).not.toBe("C-JO");
    const business = await prisma.boCustomer.findUniqueOrThrow({
      where: { shopId_no: { shopId: f.shop.id, no: row.customerNo! } },
    });
    expect(business).toMatchObject({ name: "Acme Supply", email: "jo@acme.example", address1: "1 Bank St" });
    // The person's customer is as it was: no company's name, address or ship-to addresses.
    expect(
      await prisma.boCustomer.findUniqueOrThrow({ where: { shopId_no: { shopId: f.shop.id, no: "C-JO" } } }),
    ).toMatchObject({ name: "Jo Buyer", address1: null });
    expect(await listShipToAddresses(prisma, f.shop.id, "C-JO")).toEqual([]);
    expect((await f.rows()).locations.every((location) => location.customerNo === row.customerNo)).toBe(true);
    // What the customers sync asks, not to take the business customer for a person.
    expect(await businessCustomerNos(prisma, f.shop.id, ["C-JO", row.customerNo!, "NOBODY"])).toEqual(
      new Set([row.customerNo]),
    );
  });

  it("stays unmapped without auto-create, saying the e-mail is a person's customer's, and takes a business customer of the same e-mail once there is one", async () => {
    const f = await personShop({ companyAutoCreate: false });

    expect((await f.run()).counts).toMatchObject({ unmapped: 1 });
    const row = await f.companyRow(f.acme.id);
    expect(row).toMatchObject({
      syncState: "unmapped",
      customerNo: null,
      message:
        "unmapped: its main contact's e-mail belongs to a person's customer (C-JO, linked to a Shopify customer as a person), not a business customer; map it to a business customer or create one on the Companies page, or turn on auto-create on the shop card",
    });
    expect(row.message).not.toMatch(/jo@acme/);

    // A business customer with the same e-mail (a higher number than the person's): the next
    // scheduled run, judging the unmapped companies again, links it.
    await createCustomer(prisma, f.shop.id, {
      no: "C-JO2",
      name: "Acme Supply Ltd",
      email: "Jo@Acme.example",
    });
    expect((await f.run({}, "schedule")).counts).toMatchObject({ linked: 1 });
    expect(await f.companyRow(f.acme.id)).toMatchObject({
      syncState: "linked",
      customerNo: "C-JO2",
      message: "linked to customer C-JO2 (Acme Supply Ltd) by its main contact's e-mail",
    });
  });
});

describe("companies from Shopify, by tax id, locations as customers of their own", () => {
  it("links by a location's tax id, and creates the other locations' customers on the template", async () => {
    const f = await companyShop(simulator, {
      companyMapping: "tax_id",
      companyLocationsAs: "customer",
      companyAutoCreate: true,
      companyTemplateNo: "B2B-TPL",
    });
    await createCustomer(prisma, f.shop.id, {
      no: "B2B-TPL",
      name: "Business template",
      isTemplate: true,
      paymentTermsCode: "Net 14",
      paymentTermsDays: 14,
    });
    await createCustomer(prisma, f.shop.id, { no: "C-BETA", name: "Beta", taxRegistrationNo: "vat 77" });
    const beta = await f.company(BETA);

    const run = await f.run();

    expect(run.status).toBe("succeeded");
    expect(await f.companyRow(beta.id)).toMatchObject({
      customerNo: "C-BETA",
      syncState: "linked",
      message: "linked to customer C-BETA (Beta) by the tax registration id VAT-77",
    });
    const { locations } = await f.rows();
    // The head office has the company's tax id: the company's customer. The other location is a
    // customer of its own, made on the template (its payment terms, the location's address).
    expect(locations[0]).toMatchObject({ customerNo: "C-BETA", shipToCode: null, syncState: "linked" });
    expect(locations[1]).toMatchObject({ shipToCode: null, syncState: "linked" });
    const own = await prisma.boCustomer.findUniqueOrThrow({
      where: { shopId_no: { shopId: f.shop.id, no: locations[1]!.customerNo! } },
    });
    expect(own).toMatchObject({
      name: "Beta Builders, Dartmouth site",
      address1: "2 Shore Rd",
      city: "Dartmouth",
      countryCode: "CA",
      contactName: "Sam Stone",
      paymentTermsCode: "Net 14",
      paymentTermsDays: 14,
      isTemplate: false,
    });
    expect(await prisma.boShipToAddress.count({ where: { shopId: f.shop.id } })).toBe(0);
  });

  it("creates a business customer from a company nothing matches, on the company template", async () => {
    const f = await companyShop(simulator, {
      companyMapping: "email_phone",
      companyAutoCreate: true,
      companyTemplateNo: "B2B-TPL",
    });
    await createCustomer(prisma, f.shop.id, {
      no: "B2B-TPL",
      name: "Business template",
      isTemplate: true,
      city: "Template city",
    });
    const acme = await f.company(ACME);

    const run = await f.run();

    expect(run.counts).toMatchObject({ created: 1 });
    const row = await f.companyRow(acme.id);
    expect(row).toMatchObject({
      syncState: "linked",
      message: `linked to customer ${row.customerNo} (Acme Supply) created from the company on template B2B-TPL`,
    });
    const customer = await prisma.boCustomer.findUniqueOrThrow({
      where: { shopId_no: { shopId: f.shop.id, no: row.customerNo! } },
    });
    expect(customer).toMatchObject({
      name: "Acme Supply",
      email: "jo@acme.example",
      contactName: "Jo Buyer",
      address1: "1 Bank St",
      city: "Ottawa",
      zip: "K1P 5J2",
      county: "ON",
      countryCode: "CA",
      taxRegistrationNo: "GST-123",
      taxExemptions: ["CA_BC_RESELLER_EXEMPTION"],
      paymentTermsCode: "Net 30",
      paymentTermsDays: 30,
    });
    expect(await listShipToAddresses(prisma, f.shop.id, customer.no)).toHaveLength(2);
  });
});

describe("a company that fails", () => {
  it("is marked with its error while the others go on, and is read again once the cause is gone", async () => {
    const f = await companyShop(simulator, {
      companyMapping: "email_phone",
      companyAutoCreate: true,
      companyTemplateNo: "GONE-TPL",
    });
    // Acme and Gamma map to customers; Beta would be created, on a template that is gone.
    await createCustomer(prisma, f.shop.id, { no: "C-ACME", name: "Acme", email: "jo@acme.example" });
    await createCustomer(prisma, f.shop.id, { no: "C-GAMMA", name: "Gamma", email: "ann@gamma.example" });
    const acme = await f.company(ACME);
    const beta = await f.company(BETA);
    const gamma = await f.company({
      name: "Gamma Goods",
      location: { name: "Gamma HQ", address1: "3 Elm St", city: "Moncton", countryCode: "CA" },
      contact: { email: "ann@gamma.example", firstName: "Ann" },
    });

    const run = await f.run();

    expect(run.status).toBe("succeeded");
    expect(run.counts).toMatchObject({ linked: 2, failed: 1 });
    expect(await f.companyRow(acme.id)).toMatchObject({ syncState: "linked", customerNo: "C-ACME" });
    expect(await f.companyRow(gamma.id)).toMatchObject({ syncState: "linked", customerNo: "C-GAMMA" });
    expect(await f.companyRow(beta.id)).toMatchObject({
      syncState: "error",
      customerNo: null,
      message: "customer template GONE-TPL does not exist",
    });
    // Its rows are there as read, for the list to show it with its locations.
    expect(
      await prisma.shopifyCompanyLocation.count({
        where: { shopId: f.shop.id, companyShopifyId: numeric(beta.id) },
      }),
    ).toBe(2);

    await prisma.shopSettings.update({ where: { shopId: f.shop.id }, data: { companyTemplateNo: null } });
    const retried = await f.run();

    expect(retried.counts).toMatchObject({ created: 1 });
    expect(await f.companyRow(beta.id)).toMatchObject({ syncState: "linked" });
  });
});

describe("which companies are read", () => {
  it("with order import, only those the app knows (an order's stub), by id", async () => {
    const f = await companyShop(simulator, { companyImport: "with_orders", companyMapping: "email_phone" });
    await createCustomer(prisma, f.shop.id, { no: "C-ACME", name: "Acme", email: "jo@acme.example" });
    const acme = await f.company(ACME);
    await f.company(BETA);
    // The stub the order import makes for a company met on a B2B order.
    await prisma.shopifyCompany.create({
      data: {
        id: crypto.randomUUID(),
        shopId: f.shop.id,
        shopifyId: numeric(acme.id),
        name: "Acme Supply",
        syncState: "unmapped",
        message: "not read from Shopify yet",
      },
    });

    const run = await f.run();

    expect(run.status).toBe("succeeded");
    const { companies } = await f.rows();
    expect(companies.map((row) => [row.name, row.syncState, row.customerNo])).toEqual([
      ["Acme Supply", "linked", "C-ACME"],
    ]);
    // A change to a company the app does not know is not read either.
    const again = await f.run();
    expect((await f.rows()).companies).toHaveLength(1);
    expect(again.counts).not.toHaveProperty("linked");
  });

  it("reads a large store's companies by one bulk query the first time", async () => {
    companyImport.bulkAbove = 1;
    const f = await companyShop(simulator, { companyMapping: "email_phone" });
    await createCustomer(prisma, f.shop.id, { no: "C-ACME", name: "Acme", email: "jo@acme.example" });
    await f.company(ACME);
    await f.company(BETA);

    const run = await f.run();

    expect(run.status).toBe("succeeded");
    expect(run.counts).toMatchObject({ bulkQueries: 1, linked: 1, unmapped: 1 });
    const { companies, locations, contacts } = await f.rows();
    expect(companies.map((row) => row.name)).toEqual(["Acme Supply", "Beta Builders"]);
    expect(locations).toHaveLength(4);
    expect(contacts).toHaveLength(3);
    expect(companies[0]!.contentHash).not.toBeNull();
  });

  it("reads the companies the request page's filters name, whatever the cursor says", async () => {
    const f = await companyShop(simulator, { companyMapping: "email_phone" });
    await f.company(ACME);
    await f.company(BETA);
    await f.run();
    const cursor = await prisma.syncCursor.findMany({ where: { shopId: f.shop.id } });

    const run = await f.run({ companyName: "beta" });

    expect(run.status).toBe("succeeded");
    expect(run.counts).toMatchObject({ unmapped: 1 });
    expect(await prisma.syncCursor.findMany({ where: { shopId: f.shop.id } })).toEqual(cursor);
  });

  it("marks the companies Shopify deleted, on the first scheduled run of a day", async () => {
    const f = await companyShop(simulator, { companyMapping: "email_phone" });
    const beta = await f.company(BETA);
    await f.run();
    await f.gql(`mutation TestDelete($id: ID!) { companyDelete(id: $id) { userErrors { message } } }`, {
      id: beta.id,
    });

    const run = await f.run({}, "schedule");

    expect(run.counts).toMatchObject({ deleted: 1 });
    expect((await f.companyRow(beta.id)).deletedAt).not.toBeNull();
    // The check is daily: the next scheduled run asks Shopify nothing about known companies.
    const next = await f.run({}, "schedule");
    const points = (counts: unknown) => (counts as Record<string, number>).requestedPoints ?? 0;
    expect(points(next.counts)).toBeLessThan(points(run.counts));
    expect(next.counts).not.toHaveProperty("deleted");
  });
});
