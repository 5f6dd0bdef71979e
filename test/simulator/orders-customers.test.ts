/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-explicit-any -- GraphQL responses are untyped JSON here; the assertions check their shape. */
import { describe, expect, it } from "vitest";
import { fixture, schemaErrors } from "./orders-helpers";

/** Customers: creation rules, search, pagination, updates and their webhooks. */

const CREATE = `mutation C($input: CustomerInput!) { customerCreate(input: $input) {
  userErrors { field message }
  customer { id legacyResourceId email phone firstName lastName displayName note tags taxExempt state createdAt updatedAt
    defaultAddress { address1 city provinceCode countryCodeV2 }
    addresses { city } numberOfOrders amountSpent { amount currencyCode } defaultEmailAddress { emailAddress } }
} }`;

const SEARCH = `query S($query: String, $first: Int!, $after: String, $sortKey: CustomerSortKeys) {
  customers(first: $first, after: $after, query: $query, sortKey: $sortKey) {
    pageInfo { hasNextPage endCursor } nodes { id email }
  }
  customersCount(query: $query) { count }
}`;

describe("customers", () => {
  it("creates a customer with an address and sends customers/create", async () => {
    const f = fixture();
    const data = await f.gql(CREATE, {
      input: {
        email: "Ada@Example.com",
        phone: "613-555-0100",
        firstName: "Ada",
        lastName: "Lovelace",
        note: "VIP",
        tags: ["b2b", "vip", "vip"],
        addresses: [
          {
            address1: "12 Elgin St",
            city: "Ottawa",
            provinceCode: "ON",
            countryCode: "CA",
            zip: "K2P 1L4",
            phone: "+16135550100",
          },
        ],
      },
    });
    expect(data.customerCreate.userErrors).toEqual([]);
    expect(data.customerCreate.customer).toMatchObject({
      email: "ada@example.com",
      phone: "+16135550100",
      displayName: "Ada Lovelace",
      tags: ["b2b", "vip"],
      taxExempt: false,
      state: "DISABLED",
      defaultAddress: { address1: "12 Elgin St", city: "Ottawa", provinceCode: "ON", countryCodeV2: "CA" },
      addresses: [{ city: "Ottawa" }],
      numberOfOrders: "0",
      amountSpent: { amount: "0.0", currencyCode: "USD" },
      defaultEmailAddress: { emailAddress: "ada@example.com" },
    });
    expect(f.sent.map((s) => s.topic)).toEqual(["customers/create"]);
    expect(schemaErrors("customers/create", f.sent[0]!.payload)).toEqual([]);
  });

  it("refuses a taken email or phone, or a malformed one, and creates nothing", async () => {
    const f = fixture();
    await f.gql(CREATE, { input: { email: "ada@example.com", phone: "+16135550100" } });
    const taken = await f.gql(CREATE, { input: { email: "ADA@example.com", firstName: "Other" } });
    expect(taken.customerCreate).toEqual({
      customer: null,
      userErrors: [{ field: ["email"], message: "Email has already been taken" }],
    });
    const phone = await f.gql(CREATE, { input: { email: "b@example.com", phone: "+1 613 555 0100" } });
    expect(phone.customerCreate.userErrors).toEqual([
      { field: ["phone"], message: "Phone has already been taken" },
    ]);
    const invalid = await f.gql(CREATE, { input: { email: "not-an-email" } });
    expect(invalid.customerCreate.userErrors).toEqual([{ field: ["email"], message: "Email is invalid" }]);
    const blank = await f.gql(CREATE, { input: { note: "nobody" } });
    expect(blank.customerCreate.userErrors).toHaveLength(1);
    expect(f.shop.customers.size).toBe(1);
    expect(f.sent.map((s) => s.topic)).toEqual(["customers/create"]);
  });

  it("finds customers by exact email, phone, ids and dates, and pages through them", async () => {
    const f = fixture();
    const ids: string[] = [];
    for (let i = 1; i <= 5; i++) {
      const data = await f.gql(CREATE, { input: { email: `c${i}@example.com`, firstName: `C${i}` } });
      ids.push(data.customerCreate.customer.id);
      f.advance(1000);
    }
    const byEmail = await f.gql(SEARCH, { first: 10, query: "email:c3@example.com" });
    expect(byEmail.customers.nodes).toEqual([{ id: ids[2], email: "c3@example.com" }]);
    expect(byEmail.customersCount.count).toBe(1);
    // Exact, not a prefix: c3@example.co matches nothing.
    expect((await f.gql(SEARCH, { first: 10, query: "email:c3@example.co" })).customers.nodes).toEqual([]);
    expect(
      (await f.gql(SEARCH, { first: 10, query: `id:${ids[1]!.split("/").pop()}` })).customers.nodes,
    ).toHaveLength(1);

    const { customer } = await f.gql(`query { customer(id: "${ids[0]}") { createdAt } }`);
    const later = await f.gql(SEARCH, { first: 10, query: `created_at:>'${customer.createdAt}'` });
    expect(later.customers.nodes.map((c: any) => c.id)).toEqual(ids.slice(1));

    const pages: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: any = await f.gql(SEARCH, { first: 2, after, sortKey: "UPDATED_AT" });
      pages.push(...page.customers.nodes.map((c: any) => c.email));
      if (!page.customers.pageInfo.hasNextPage) break;
      after = page.customers.pageInfo.endCursor;
    }
    expect(pages).toEqual([
      "c1@example.com",
      "c2@example.com",
      "c3@example.com",
      "c4@example.com",
      "c5@example.com",
    ]);
  });

  it("updates a customer, checks uniqueness against the others, and sends customers/update", async () => {
    const f = fixture();
    const a = (await f.gql(CREATE, { input: { email: "a@example.com" } })).customerCreate.customer;
    await f.gql(CREATE, { input: { email: "b@example.com" } });
    f.advance(1000);
    const UPDATE = `mutation U($input: CustomerInput!) { customerUpdate(input: $input) {
      userErrors { field message } customer { email firstName tags updatedAt } } }`;
    const same = await f.gql(UPDATE, {
      input: { id: a.id, email: "a@example.com", firstName: "Ann", tags: ["x"] },
    });
    expect(same.customerUpdate.userErrors).toEqual([]);
    expect(same.customerUpdate.customer).toMatchObject({
      email: "a@example.com",
      firstName: "Ann",
      tags: ["x"],
    });
    expect(new Date(same.customerUpdate.customer.updatedAt).getTime()).toBeGreaterThan(
      new Date(a.updatedAt).getTime(),
    );
    const taken = await f.gql(UPDATE, { input: { id: a.id, email: "b@example.com" } });
    expect(taken.customerUpdate.userErrors).toEqual([
      { field: ["email"], message: "Email has already been taken" },
    ]);
    const missing = await f.gql(UPDATE, { input: { id: "gid://shopify/Customer/1", note: "x" } });
    expect(missing.customerUpdate.userErrors).toEqual([
      { field: ["id"], message: "Customer does not exist" },
    ]);
    expect(f.sent.map((s) => s.topic)).toEqual(["customers/create", "customers/create", "customers/update"]);
    expect((await f.gql(`query { customer(id: "${a.id}") { firstName } }`)).customer.firstName).toBe("Ann");
  });
});
