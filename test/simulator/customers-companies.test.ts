/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-explicit-any -- GraphQL responses are untyped JSON here; the assertions check their shape. */
import { describe, expect, it } from "vitest";
import { bulkOperationsSettled } from "../../simulator/resolvers/bulk-operations.server";
import { checkout } from "../../simulator/resolvers/orders-checkout.server";
import { ADDRESS, fixture, schemaErrors, type Fixture } from "./orders-helpers";

/**
 * What the customers and companies (B2B) syncs rely on: customerDelete and the customers/*
 * webhooks, e-mail and phone uniqueness, reading customers by `updated_at` and in bulk; the
 * company, location and contact mutations with their companies/*, company_locations/* and
 * company_contacts/* webhooks (every payload checked against the topic's schema), tax settings,
 * buyer experience and payment terms, and orders placed for a company location.
 */

// The B2B topics' schemas were inferred from one example with every field filled; Shopify sends
// null for what a record lacks (an external id, a note, a main contact, an address), as the same
// examples do for the fields they left empty ("address2": null, "buyer_experience_configuration": null).
const nullable = (schema: Record<string, any>) => {
  const widen = (node: any) => {
    if (!node || typeof node !== "object") return;
    if (node.type === "string" || node.type === "object") node.type = [node.type, "null"];
    for (const child of Object.values(node.properties ?? {})) widen(child);
  };
  for (const child of Object.values(schema.properties)) widen(child);
};

// customers/* was inferred from a customer with an address; the simulator's payload leaves out
// `default_address` for a customer without one (a company contact's new customer has none).
const addressless = (schema: Record<string, any>) => {
  schema.required = schema.required.filter((key: string) => key !== "default_address");
};

function expectValid(f: Fixture) {
  for (const { topic, payload } of f.sent) {
    const patch = /^compan/.test(topic) ? nullable : /^customers\//.test(topic) ? addressless : undefined;
    expect(schemaErrors(topic, payload, patch), topic).toEqual([]);
  }
}

const CUSTOMER_CREATE = `mutation($input: CustomerInput!) { customerCreate(input: $input) {
  customer { id email phone updatedAt } userErrors { field message } } }`;
const CUSTOMER_UPDATE = `mutation($input: CustomerInput!) { customerUpdate(input: $input) {
  customer { id email phone updatedAt } userErrors { field message } } }`;
const CUSTOMER_DELETE = `mutation($id: ID!) { customerDelete(input: { id: $id }) {
  deletedCustomerId shop { id } userErrors { field message } } }`;

async function customer(f: Fixture, input: Record<string, unknown>) {
  const data: any = await f.gql(CUSTOMER_CREATE, { input });
  expect(data.customerCreate.userErrors).toEqual([]);
  return data.customerCreate.customer;
}

describe("customers", () => {
  it("sends customers/create, /update and /delete, and deletes a customer without orders", async () => {
    const f = fixture();
    const ada = await customer(f, { email: "ada@example.com", firstName: "Ada", addresses: [ADDRESS] });
    await f.gql(CUSTOMER_UPDATE, { input: { id: ada.id, note: "VIP" } });
    const deleted: any = await f.gql(CUSTOMER_DELETE, { id: ada.id });
    expect(deleted.customerDelete).toMatchObject({ deletedCustomerId: ada.id, userErrors: [] });
    expect(deleted.customerDelete.shop.id).toMatch(/^gid:\/\/shopify\/Shop\//);
    expect(f.sent.map((s) => s.topic)).toEqual(["customers/create", "customers/update", "customers/delete"]);
    expect(f.sent[2]!.payload).toEqual({
      id: Number(ada.id.split("/").pop()),
      tax_exemptions: [],
      admin_graphql_api_id: ada.id,
    });
    expectValid(f);
    expect(
      ((await f.gql(`query($id: ID!) { customer(id: $id) { id } }`, { id: ada.id })) as any).customer,
    ).toBeNull();
    // Its e-mail is free again.
    await customer(f, { email: "ada@example.com" });
  });

  it("refuses to delete an unknown customer or one with orders, and changes nothing", async () => {
    const f = fixture();
    const unknown: any = await f.gql(CUSTOMER_DELETE, { id: "gid://shopify/Customer/1" });
    expect(unknown.customerDelete).toMatchObject({
      deletedCustomerId: null,
      userErrors: [{ field: ["id"], message: "Customer can't be found" }],
    });
    const ada = await customer(f, { email: "ada@example.com" });
    const placed: any = await f.gql(
      `mutation($order: OrderCreateOrderInput!) { orderCreate(order: $order) { userErrors { field message } } }`,
      {
        order: {
          customer: { toAssociate: { id: ada.id } },
          lineItems: [{ variantId: `gid://shopify/ProductVariant/${f.variants.mug}`, quantity: 1 }],
        },
      },
    );
    expect(placed.orderCreate.userErrors).toEqual([]);
    f.sent.length = 0;
    const withOrders: any = await f.gql(CUSTOMER_DELETE, { id: ada.id });
    expect(withOrders.customerDelete.userErrors).toEqual([
      { field: ["id"], message: "Customer can\u2019t be deleted because they have associated orders" },
    ]);
    expect(f.shop.customers.size).toBe(1);
    expect(f.sent).toEqual([]);
  });

  it("refuses an e-mail or phone another customer has, on create and update, changing nothing", async () => {
    const f = fixture();
    await customer(f, { email: "ada@example.com", phone: "+16135550100" });
    const grace = await customer(f, { email: "grace@example.com" });
    f.sent.length = 0;
    const both: any = await f.gql(CUSTOMER_CREATE, {
      input: { email: "ADA@example.com", phone: "613-555-0100" },
    });
    expect(both.customerCreate).toEqual({
      customer: null,
      userErrors: [
        { field: ["email"], message: "Email has already been taken" },
        { field: ["phone"], message: "Phone has already been taken" },
      ],
    });
    const update: any = await f.gql(CUSTOMER_UPDATE, {
      input: { id: grace.id, email: "ada@example.com", firstName: "Grace" },
    });
    expect(update.customerUpdate.userErrors).toEqual([
      { field: ["email"], message: "Email has already been taken" },
    ]);
    const phone: any = await f.gql(CUSTOMER_UPDATE, { input: { id: grace.id, phone: "+1 613 555 0100" } });
    expect(phone.customerUpdate.userErrors).toEqual([
      { field: ["phone"], message: "Phone has already been taken" },
    ]);
    expect(f.shop.customers.size).toBe(2);
    expect(f.shop.customers.get(Number(grace.id.split("/").pop()))).toMatchObject({
      email: "grace@example.com",
      firstName: null,
      phone: null,
    });
    expect(f.sent).toEqual([]);
  });

  it("reads what changed since a time by cursor, oldest change first", async () => {
    const f = fixture();
    const ids: string[] = [];
    for (let i = 1; i <= 4; i++) {
      ids.push((await customer(f, { email: `c${i}@example.com` })).id);
      f.advance(1000);
    }
    const since = (await f.gql<any>(`query($id: ID!) { customer(id: $id) { updatedAt } }`, { id: ids[1] }))
      .customer.updatedAt;
    f.advance(1000);
    await f.gql(CUSTOMER_UPDATE, { input: { id: ids[0], note: "changed" } });
    const READ = `query($q: String!, $after: String) { customers(first: 2, after: $after, query: $q, sortKey: UPDATED_AT) {
      pageInfo { hasNextPage endCursor } nodes { id } } }`;
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: any = await f.gql(READ, { q: `updated_at:>'${since}'`, after });
      seen.push(...page.customers.nodes.map((c: any) => c.id));
      if (!page.customers.pageInfo.hasNextPage) break;
      after = page.customers.pageInfo.endCursor;
    }
    expect(seen).toEqual([ids[2], ids[3], ids[0]]);
  });

  it("reads customers with their addresses in a bulk query", async () => {
    const f = fixture();
    const ada = await customer(f, {
      email: "ada@example.com",
      addresses: [ADDRESS, { ...ADDRESS, address1: "1 Second St" }],
    });
    await customer(f, { email: "grace@example.com" });
    const query = `{ customers { edges { node { id email updatedAt
      addresses { address1 city countryCodeV2 } defaultAddress { id address1 zip } } } } }`;
    const run: any = await f.gql(
      `mutation($query: String!) { bulkOperationRunQuery(query: $query) { bulkOperation { id } userErrors { field message } } }`,
      { query },
    );
    expect(run.bulkOperationRunQuery.userErrors).toEqual([]);
    await bulkOperationsSettled(f.shop);
    const operation = [...f.shop.bulkOperations.values()][0]!;
    expect(operation.status).toBe("COMPLETED");
    const lines = operation
      .resultJsonl!.trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      id: ada.id,
      email: "ada@example.com",
      addresses: [
        { address1: "12 Elgin St", city: "Ottawa", countryCodeV2: "CA" },
        { address1: "1 Second St" },
      ],
      defaultAddress: { address1: "12 Elgin St", zip: "K2P 1L4" },
    });
    expect(lines[1]).toMatchObject({ email: "grace@example.com", addresses: [], defaultAddress: null });
  });
});

const COMPANY_CREATE = `mutation($input: CompanyCreateInput!) { companyCreate(input: $input) {
  company { id name externalId updatedAt
    mainContact { id isMainContact title customer { id email companyContactProfiles { id } } }
    locations(first: 5) { nodes { id name
      billingAddress { id address1 } shippingAddress { id address1 city zoneCode countryCode }
      taxSettings { taxRegistrationId taxExempt taxExemptions }
      buyerExperienceConfiguration { checkoutToDraft editableShippingAddress
        paymentTermsTemplate { id name dueInDays paymentTermsType } deposit { __typename } } } } }
  userErrors { field message code } } }`;

const ACME = {
  company: { name: "Acme Supply", externalId: "ACME-1", note: "Net 30 buyer" },
  companyLocation: {
    name: "Ottawa depot",
    externalId: "ACME-1-OTT",
    phone: "+16135550199",
    shippingAddress: {
      address1: "1 Bank St",
      city: "Ottawa",
      zoneCode: "ON",
      countryCode: "CA",
      zip: "K1P 5J2",
      recipient: "Jo Buyer",
    },
    billingSameAsShipping: true,
    taxRegistrationId: "GST-123",
    taxExempt: true,
    taxExemptions: ["CA_BC_RESELLER_EXEMPTION"],
    buyerExperienceConfiguration: {
      paymentTermsTemplateId: "gid://shopify/PaymentTermsTemplate/4",
      checkoutToDraft: false,
    },
  },
  companyContact: { email: "jo@acme.example", firstName: "Jo", lastName: "Buyer", title: "Purchasing" },
};

async function acme(f: Fixture) {
  const data: any = await f.gql(COMPANY_CREATE, { input: ACME });
  expect(data.companyCreate.userErrors).toEqual([]);
  return data.companyCreate.company;
}

const ASSIGN_CONTACT = `mutation($company: ID!, $customer: ID!) { companyAssignCustomerAsContact(companyId: $company, customerId: $customer) {
  companyContact { id isMainContact customer { id } company { id } } userErrors { field message code } } }`;
const ASSIGN_MAIN = `mutation($company: ID!, $contact: ID!) { companyAssignMainContact(companyId: $company, companyContactId: $contact) {
  company { id mainContact { id } updatedAt } userErrors { field message code } } }`;
const ASSIGN_ADDRESS = `mutation($loc: ID!, $address: CompanyAddressInput!, $types: [CompanyAddressType!]!) {
  companyLocationAssignAddress(locationId: $loc, address: $address, addressTypes: $types) {
    addresses { id address1 city } userErrors { field message code } } }`;

describe("companies", () => {
  it("creates a company with its location and main contact, with tax settings and payment terms", async () => {
    const f = fixture();
    const company = await acme(f);
    const location = company.locations.nodes[0];
    expect(location).toMatchObject({
      name: "Ottawa depot",
      billingAddress: { address1: "1 Bank St" },
      shippingAddress: { address1: "1 Bank St", city: "Ottawa", zoneCode: "ON", countryCode: "CA" },
      taxSettings: {
        taxRegistrationId: "GST-123",
        taxExempt: true,
        taxExemptions: ["CA_BC_RESELLER_EXEMPTION"],
      },
      buyerExperienceConfiguration: {
        checkoutToDraft: false,
        editableShippingAddress: false,
        paymentTermsTemplate: {
          id: "gid://shopify/PaymentTermsTemplate/4",
          name: "Net 30",
          dueInDays: 30,
          paymentTermsType: "NET",
        },
        deposit: null,
      },
    });
    expect(company.mainContact).toMatchObject({ isMainContact: true, title: "Purchasing" });
    expect(company.mainContact.customer.companyContactProfiles).toEqual([{ id: company.mainContact.id }]);
    expect(f.sent.map((s) => s.topic)).toEqual([
      "companies/create",
      "company_locations/create",
      "customers/create",
      "company_contacts/create",
    ]);
    expectValid(f);
    expect(f.sent[0]!.payload).toMatchObject({
      name: "Acme Supply",
      external_id: "ACME-1",
      main_contact_admin_graphql_api_id: company.mainContact.id,
      admin_graphql_api_id: company.id,
    });
    expect(f.sent[1]!.payload).toMatchObject({
      name: "Ottawa depot",
      admin_graphql_api_id: location.id,
      tax_settings: {
        tax_registration_id: "GST-123",
        tax_exempt: true,
        tax_exemptions: ["CA_BC_RESELLER_EXEMPTION"],
      },
      tax_registration: { tax_id: "GST-123" },
      buyer_experience_configuration: {
        pay_now_only: false,
        payment_terms_template_admin_graphql_api_id: "gid://shopify/PaymentTermsTemplate/4",
      },
      shipping_address: { address1: "1 Bank St", zone_code: "ON", country: "Canada", recipient: "Jo Buyer" },
      company: { admin_graphql_api_id: company.id },
    });
    expect(f.sent[3]!.payload).toMatchObject({
      admin_graphql_api_id: company.mainContact.id,
      customer_admin_graphql_api_id: company.mainContact.customer.id,
      title: "Purchasing",
      company: { name: "Acme Supply" },
    });
    // A location without settings answers false and null for each, never a null configuration.
    const bare: any = await f.gql(COMPANY_CREATE, { input: { company: { name: "Solo Ltd" } } });
    expect(bare.companyCreate.company.locations.nodes[0]).toMatchObject({
      name: "Solo Ltd",
      taxSettings: { taxRegistrationId: null, taxExempt: false, taxExemptions: [] },
      buyerExperienceConfiguration: {
        checkoutToDraft: false,
        editableShippingAddress: false,
        paymentTermsTemplate: null,
      },
    });
    const templates: any = await f.gql(
      `{ paymentTermsTemplates(paymentTermsType: NET) { id name dueInDays } }`,
    );
    expect(templates.paymentTermsTemplates.map((t: any) => t.name)).toEqual([
      "Net 7",
      "Net 15",
      "Net 30",
      "Net 45",
      "Net 60",
      "Net 90",
    ]);
  });

  it("refuses a contact without an e-mail, a taken one and a billing address beside billingSameAsShipping", async () => {
    const f = fixture();
    await acme(f);
    f.sent.length = 0;
    const sizes = () => [f.shop.companies.size, f.shop.companyLocations.size, f.shop.customers.size];
    const before = sizes();
    const noEmail: any = await f.gql(COMPANY_CREATE, {
      input: { company: { name: "B" }, companyContact: { firstName: "No", lastName: "Mail" } },
    });
    expect(noEmail.companyCreate.userErrors).toEqual([
      {
        field: ["input", "companyContact"],
        message: "Either the attribute email or customer_id must be provided",
        code: "INVALID",
      },
    ]);
    const taken: any = await f.gql(COMPANY_CREATE, {
      input: { company: { name: "C" }, companyContact: { email: "JO@acme.example" } },
    });
    expect(taken.companyCreate.userErrors).toEqual([
      {
        field: ["input", "companyContact", "email"],
        message: "Email address has already been taken.",
        code: "TAKEN",
      },
    ]);
    const both: any = await f.gql(COMPANY_CREATE, {
      input: {
        company: { name: "D" },
        companyLocation: {
          billingSameAsShipping: true,
          billingAddress: { address1: "x", countryCode: "CA" },
        },
      },
    });
    expect(both.companyCreate.userErrors).toEqual([
      {
        field: ["input", "companyLocation", "billingAddress"],
        message: "Invalid input.",
        code: "INVALID_INPUT",
      },
      {
        field: ["input", "companyLocation", "shippingAddress"],
        message: "Invalid input.",
        code: "INVALID_INPUT",
      },
    ]);
    expect(sizes()).toEqual(before);
    expect(f.sent).toEqual([]);
  });

  it("adds locations, assigns their addresses keeping ids, and updates tax settings and payment terms", async () => {
    const f = fixture();
    const company = await acme(f);
    f.sent.length = 0;
    const created: any = await f.gql(
      `mutation($id: ID!) { companyLocationCreate(companyId: $id, input: {
        shippingAddress: { address1: "9 King St W", city: "Toronto", countryCode: CA } }) {
        companyLocation { id name shippingAddress { id } billingAddress { id } } userErrors { field message code } } }`,
      { id: company.id },
    );
    const location = created.companyLocationCreate.companyLocation;
    // An unnamed location is named after its shipping address.
    expect(location).toMatchObject({ name: "9 King St W", billingAddress: null });
    const billing: any = await f.gql(ASSIGN_ADDRESS, {
      loc: location.id,
      address: { address1: "1 Billing Way", city: "Toronto", countryCode: "CA" },
      types: ["BILLING"],
    });
    const billingId = billing.companyLocationAssignAddress.addresses[0].id;
    const both: any = await f.gql(ASSIGN_ADDRESS, {
      loc: location.id,
      address: { address1: "2 Moved Ave", city: "Toronto", countryCode: "CA" },
      types: ["BILLING", "SHIPPING"],
    });
    expect(both.companyLocationAssignAddress).toEqual({
      addresses: [
        { id: location.shippingAddress.id, address1: "2 Moved Ave", city: "Toronto" },
        { id: billingId, address1: "2 Moved Ave", city: "Toronto" },
      ].sort((a, b) => Number(a.id.split("/").pop()) - Number(b.id.split("/").pop())),
      userErrors: [],
    });
    const twice: any = await f.gql(ASSIGN_ADDRESS, {
      loc: location.id,
      address: { address1: "x" },
      types: ["BILLING", "BILLING"],
    });
    expect(twice.companyLocationAssignAddress).toEqual({
      addresses: null,
      userErrors: [{ field: null, message: "Invalid input.", code: "INVALID_INPUT" }],
    });
    const tax: any = await f.gql(
      `mutation($id: ID!) { companyLocationTaxSettingsUpdate(companyLocationId: $id, taxRegistrationId: "VAT-9",
        taxExempt: true, exemptionsToAssign: [CA_BC_RESELLER_EXEMPTION, CA_STATUS_CARD_EXEMPTION], exemptionsToRemove: [CA_STATUS_CARD_EXEMPTION]) {
        companyLocation { taxSettings { taxRegistrationId taxExempt taxExemptions } } userErrors { field message code } } }`,
      { id: location.id },
    );
    expect(tax.companyLocationTaxSettingsUpdate.companyLocation.taxSettings).toEqual({
      taxRegistrationId: "VAT-9",
      taxExempt: true,
      taxExemptions: ["CA_BC_RESELLER_EXEMPTION"],
    });
    const terms: any = await f.gql(
      `mutation($id: ID!) { companyLocationUpdate(companyLocationId: $id, input: { name: "Toronto",
        buyerExperienceConfiguration: { paymentTermsTemplateId: "gid://shopify/PaymentTermsTemplate/9" } }) {
        companyLocation { name buyerExperienceConfiguration { paymentTermsTemplate { name paymentTermsType dueInDays } } }
        userErrors { field message code } } }`,
      { id: location.id },
    );
    expect(terms.companyLocationUpdate.companyLocation).toEqual({
      name: "Toronto",
      buyerExperienceConfiguration: {
        paymentTermsTemplate: {
          name: "Due on fulfillment",
          paymentTermsType: "FULFILLMENT",
          dueInDays: null,
        },
      },
    });
    const deposit: any = await f.gql(
      `mutation($id: ID!) { companyLocationUpdate(companyLocationId: $id, input: {
        buyerExperienceConfiguration: { paymentTermsTemplateId: null, deposit: { percentage: 50 } } }) {
        companyLocation { id } userErrors { field message code } } }`,
      { id: location.id },
    );
    expect(deposit.companyLocationUpdate.userErrors).toEqual([
      {
        field: ["input", "buyerExperienceConfiguration", "deposit"],
        message: "Deposit requires a payment terms template.",
        code: "INVALID",
      },
    ]);
    expect(f.sent.map((s) => s.topic)).toEqual([
      "company_locations/create",
      "company_locations/update",
      "company_locations/update",
      "company_locations/update",
      "company_locations/update",
    ]);
    expectValid(f);
    expect(f.sent.at(-1)!.payload).toMatchObject({
      name: "Toronto",
      billing_address: { address1: "2 Moved Ave", admin_graphql_api_id: billingId },
      tax_settings: { tax_registration_id: "VAT-9" },
      buyer_experience_configuration: {
        payment_terms_template_admin_graphql_api_id: "gid://shopify/PaymentTermsTemplate/9",
      },
    });

    const removed: any = await f.gql(
      `mutation($id: ID!) { companyLocationDelete(companyLocationId: $id) { deletedCompanyLocationId userErrors { field message code } } }`,
      { id: location.id },
    );
    expect(removed.companyLocationDelete).toEqual({ deletedCompanyLocationId: location.id, userErrors: [] });
    expect(f.sent.at(-1)!.topic).toBe("company_locations/delete");
    expectValid(f);
    // A company keeps its last location.
    const last: any = await f.gql(
      `mutation($id: ID!) { companyLocationDelete(companyLocationId: $id) { deletedCompanyLocationId userErrors { field message code } } }`,
      { id: company.locations.nodes[0].id },
    );
    expect(last.companyLocationDelete.userErrors).toEqual([
      {
        field: ["companyLocationId"],
        message: "Failed to delete the company location.",
        code: "FAILED_TO_DELETE",
      },
    ]);
  });

  it("makes customers contacts, changes the main contact, and edits and deletes contacts", async () => {
    const f = fixture();
    const company = await acme(f);
    const sam = await customer(f, { email: "sam@example.com", firstName: "Sam" });
    const phoneOnly = await customer(f, { phone: "+16135550111" });
    f.sent.length = 0;
    const missing: any = await f.gql(ASSIGN_CONTACT, {
      company: company.id,
      customer: "gid://shopify/Customer/1",
    });
    expect(missing.companyAssignCustomerAsContact.userErrors).toEqual([
      { field: ["customerId"], message: "Customer does not exist.", code: "RESOURCE_NOT_FOUND" },
    ]);
    const noEmail: any = await f.gql(ASSIGN_CONTACT, { company: company.id, customer: phoneOnly.id });
    expect(noEmail.companyAssignCustomerAsContact.userErrors).toEqual([
      { field: ["companyId"], message: "Customer must have an email address.", code: "INVALID_INPUT" },
    ]);
    const assigned: any = await f.gql(ASSIGN_CONTACT, { company: company.id, customer: sam.id });
    const contact = assigned.companyAssignCustomerAsContact.companyContact;
    expect(contact).toMatchObject({
      isMainContact: false,
      customer: { id: sam.id },
      company: { id: company.id },
    });
    const again: any = await f.gql(ASSIGN_CONTACT, { company: company.id, customer: sam.id });
    expect(again.companyAssignCustomerAsContact.userErrors).toEqual([
      {
        field: ["companyId"],
        message: "Customer is already associated with a company contact.",
        code: "INVALID_INPUT",
      },
    ]);

    const main: any = await f.gql(ASSIGN_MAIN, { company: company.id, contact: contact.id });
    expect(main.companyAssignMainContact.company.mainContact).toEqual({ id: contact.id });
    const other: any = await f.gql(COMPANY_CREATE, { input: { company: { name: "Other" } } });
    const wrong: any = await f.gql(ASSIGN_MAIN, {
      company: other.companyCreate.company.id,
      contact: contact.id,
    });
    expect(wrong.companyAssignMainContact.userErrors).toEqual([
      {
        field: ["companyContactId"],
        message: "The company contact does not belong to the company.",
        code: "INVALID_INPUT",
      },
    ]);

    const made: any = await f.gql(
      `mutation($id: ID!) { companyContactCreate(companyId: $id, input: { email: "lee@acme.example", firstName: "Lee", title: "Approver" }) {
        companyContact { id title customer { email firstName } } userErrors { field message code } } }`,
      { id: company.id },
    );
    const lee = made.companyContactCreate.companyContact;
    expect(lee).toMatchObject({
      title: "Approver",
      customer: { email: "lee@acme.example", firstName: "Lee" },
    });
    const edited: any = await f.gql(
      `mutation($id: ID!) { companyContactUpdate(companyContactId: $id, input: { title: "Buyer", lastName: "Chen" }) {
        companyContact { title customer { lastName } } userErrors { field message code } } }`,
      { id: lee.id },
    );
    expect(edited.companyContactUpdate.companyContact).toEqual({
      title: "Buyer",
      customer: { lastName: "Chen" },
    });
    const gone: any = await f.gql(
      `mutation($id: ID!) { companyContactDelete(companyContactId: $id) { deletedCompanyContactId userErrors { field message code } } }`,
      { id: contact.id },
    );
    expect(gone.companyContactDelete).toEqual({ deletedCompanyContactId: contact.id, userErrors: [] });
    const read: any = await f.gql(
      `query($id: ID!) { company(id: $id) { mainContact { id } contactsCount { count } } }`,
      {
        id: company.id,
      },
    );
    expect(read.company).toEqual({ mainContact: null, contactsCount: { count: 2 } });
    // The deleted contact's customer stays a customer.
    expect(f.shop.customers.has(Number(sam.id.split("/").pop()))).toBe(true);

    expect(f.sent.map((s) => s.topic)).toEqual([
      "company_contacts/create",
      "companies/update",
      "companies/create",
      "company_locations/create",
      "customers/create",
      "company_contacts/create",
      "company_contacts/update",
      "customers/update",
      "company_contacts/delete",
    ]);
    expectValid(f);
    expect(f.sent[1]!.payload.main_contact_admin_graphql_api_id).toBe(contact.id);
  });

  it("reads the companies changed since a time, and deletes a company without orders", async () => {
    const f = fixture();
    const first = await acme(f);
    f.advance(1000);
    const second: any = await f.gql(COMPANY_CREATE, { input: { company: { name: "Beta Ltd" } } });
    f.advance(1000);
    await f.gql(
      `mutation($id: ID!) { companyUpdate(companyId: $id, input: { note: "changed" }) { userErrors { field } } }`,
      {
        id: first.id,
      },
    );
    const since = second.companyCreate.company.updatedAt;
    const read: any = await f.gql(
      `query($q: String!) { companies(first: 10, query: $q, sortKey: UPDATED_AT) { nodes { id name note } } }`,
      { q: `updated_at:>='${since}'` },
    );
    expect(read.companies.nodes).toEqual([
      { id: second.companyCreate.company.id, name: "Beta Ltd", note: null },
      { id: first.id, name: "Acme Supply", note: "changed" },
    ]);
    f.sent.length = 0;
    const deleted: any = await f.gql(
      `mutation($id: ID!) { companyDelete(id: $id) { deletedCompanyId userErrors { field message code } } }`,
      { id: first.id },
    );
    expect(deleted.companyDelete).toEqual({ deletedCompanyId: first.id, userErrors: [] });
    expect(f.sent.map((s) => s.topic)).toEqual(["companies/delete"]);
    expectValid(f);
    expect(f.shop.companyLocations.has(Number(first.locations.nodes[0].id.split("/").pop()))).toBe(false);
    const unknown: any = await f.gql(
      `mutation($id: ID!) { companyDelete(id: $id) { deletedCompanyId userErrors { field message code } } }`,
      { id: first.id },
    );
    expect(unknown.companyDelete.userErrors).toEqual([
      { field: ["id"], message: "Company does not exist.", code: "RESOURCE_NOT_FOUND" },
    ]);
  });
});

const B2B_ORDER = `mutation($order: OrderCreateOrderInput!) { orderCreate(order: $order) {
  order { id poNumber processedAt
    purchasingEntity { __typename ... on PurchasingCompany { company { id } location { id } contact { id } } }
    paymentTerms { paymentTermsName paymentTermsType dueInDays due overdue
      paymentSchedules(first: 1) { nodes { issuedAt dueAt completedAt balanceDue { amount } } } } }
  userErrors { field message code } } }`;

describe("orders for a company location", () => {
  it("places an order with the location's company, contact, PO number and payment terms", async () => {
    const f = fixture();
    const company = await acme(f);
    const location = company.locations.nodes[0];
    f.sent.length = 0;
    const data: any = await f.gql(B2B_ORDER, {
      order: {
        companyLocationId: location.id,
        poNumber: "PO-7781",
        customer: { toAssociate: { id: company.mainContact.customer.id } },
        shippingAddress: ADDRESS,
        billingAddress: ADDRESS,
        lineItems: [{ variantId: `gid://shopify/ProductVariant/${f.variants.mug}`, quantity: 4 }],
      },
    });
    expect(data.orderCreate.userErrors).toEqual([]);
    const order = data.orderCreate.order;
    const due = new Date(new Date(order.processedAt).getTime() + 30 * 86_400_000).toISOString();
    expect(order).toMatchObject({
      poNumber: "PO-7781",
      purchasingEntity: {
        __typename: "PurchasingCompany",
        company: { id: company.id },
        location: { id: location.id },
        contact: { id: company.mainContact.id },
      },
      paymentTerms: {
        paymentTermsName: "Net 30",
        paymentTermsType: "NET",
        dueInDays: 30,
        due: false,
        overdue: false,
        paymentSchedules: {
          nodes: [
            { issuedAt: order.processedAt, dueAt: due, completedAt: null, balanceDue: { amount: "50.0" } },
          ],
        },
      },
    });
    const created = f.sent.find((s) => s.topic === "orders/create")!;
    expect(created.payload).toMatchObject({
      po_number: "PO-7781",
      company: {
        id: Number(company.id.split("/").pop()),
        location_id: Number(location.id.split("/").pop()),
      },
    });
    // The embedded customer (the contact's) has no address: see `addressless`.
    expect(
      schemaErrors("orders/create", created.payload, (schema) => addressless(schema.properties.customer)),
    ).toEqual([]);

    // 31 days later the terms are overdue.
    f.advance(31 * 86_400_000);
    const later: any = await f.gql(`query($id: ID!) { order(id: $id) { paymentTerms { due overdue } } }`, {
      id: order.id,
    });
    expect(later.order.paymentTerms).toEqual({ due: true, overdue: true });
    const counts: any = await f.gql(
      `query($c: ID!, $l: ID!) { company(id: $c) { ordersCount { count } } companyLocation(id: $l) { ordersCount { count }
        orders(first: 5) { nodes { id } } } }`,
      { c: company.id, l: location.id },
    );
    expect(counts).toEqual({
      company: { ordersCount: { count: 1 } },
      companyLocation: { ordersCount: { count: 1 }, orders: { nodes: [{ id: order.id }] } },
    });
    const refused: any = await f.gql(
      `mutation($id: ID!) { companyDelete(id: $id) { deletedCompanyId userErrors { field message code } } }`,
      { id: company.id },
    );
    expect(refused.companyDelete.userErrors).toEqual([
      { field: ["id"], message: "Failed to delete the company.", code: "FAILED_TO_DELETE" },
    ]);
  });

  it("does the same through the checkout control route, and refuses an unknown location", async () => {
    const f = fixture();
    const company = await acme(f);
    const env = { shop: f.shop, emit: () => undefined, now: () => f.sim.clock.now() };
    const placed = checkout(
      f.shop,
      {
        order: {
          companyLocationId: company.locations.nodes[0].id,
          poNumber: "PO-1",
          email: "jo@acme.example",
          customer: { toAssociate: { email: "jo@acme.example" } },
          lineItems: [{ variantId: `gid://shopify/ProductVariant/${f.variants.mug}`, quantity: 1 }],
        },
      },
      env,
    );
    expect(placed.userErrors).toEqual([]);
    const read: any = await f.gql(
      `query($id: ID!) { order(id: $id) { poNumber purchasingEntity { ... on PurchasingCompany { contact { id } } }
        paymentTerms { paymentTermsName } } }`,
      { id: placed.order!.id },
    );
    expect(read.order).toEqual({
      poNumber: "PO-1",
      purchasingEntity: { contact: { id: company.mainContact.id } },
      paymentTerms: { paymentTermsName: "Net 30" },
    });
    const unknown: any = await f.gql(B2B_ORDER, {
      order: {
        companyLocationId: "gid://shopify/CompanyLocation/1",
        lineItems: [{ variantId: `gid://shopify/ProductVariant/${f.variants.mug}`, quantity: 1 }],
      },
    });
    expect(unknown.orderCreate.userErrors).toEqual([
      { field: ["order", "companyLocationId"], message: "Company location does not exist", code: "INVALID" },
    ]);
  });
});
