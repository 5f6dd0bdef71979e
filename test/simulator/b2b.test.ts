/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-explicit-any -- GraphQL responses are untyped JSON here; the assertions check their shape. */
import { describe, expect, it } from "vitest";
import { executeLocal } from "../../simulator/resolvers/local-execute.server";
import { seedB2b } from "../../simulator/seed/b2b.server";
import { seededRandom } from "../../simulator/simulator.server";
import type { ShopState } from "../../simulator/state/shop-state.server";
import { testSimulator } from "../../simulator/testing.server";

/**
 * The simulator's shop query, B2B companies, catalogs and price lists, Shopify Payments payouts
 * and webhook subscriptions: what a client sees after mutations, the userErrors of bad input
 * with nothing changed, search and pagination.
 */

function setup(plan: "standard" | "advanced" | "plus" = "standard") {
  const sim = testSimulator({ plan });
  const domain = "b2b-test.myshopify.com";
  const shop = sim.shop(domain);
  const run = (query: string, variables: Record<string, unknown> = {}) =>
    executeLocal(sim, domain, query, variables);
  const gql = async (query: string, variables: Record<string, unknown> = {}): Promise<any> => {
    const response = await run(query, variables);
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    return response.data;
  };
  return { sim, shop, domain, gql, run };
}

function addVariant(shop: ShopState, price: string, compareAtPrice: string | null = null): number {
  const now = new Date("2026-07-01T12:00:00Z");
  const productId = shop.newId();
  const id = shop.newId();
  shop.products.set(productId, {
    id: productId,
    title: `Product ${productId}`,
    handle: `product-${productId}`,
    descriptionHtml: "",
    vendor: "Acme",
    productType: "",
    status: "ACTIVE",
    tags: [],
    options: [],
    variantIds: [id],
    mediaIds: [],
    createdAt: now,
    updatedAt: now,
  });
  shop.variants.set(id, {
    id,
    productId,
    title: "Default Title",
    sku: `SKU-${id}`,
    barcode: null,
    price,
    compareAtPrice,
    position: 1,
    selectedOptions: [],
    inventoryItemId: shop.newId(),
    mediaId: null,
    taxable: true,
    createdAt: now,
    updatedAt: now,
  });
  return id;
}

const COMPANY_CREATE = `mutation Create($input: CompanyCreateInput!) {
  companyCreate(input: $input) {
    company {
      id name externalId note
      mainContact { id isMainContact title customer { email firstName } }
      locations(first: 5) { nodes { id name externalId
        shippingAddress { id address1 city zoneCode countryCode recipient companyName }
        billingAddress { id address1 } } }
    }
    userErrors { field message code }
  }
}`;

const ACME = {
  company: { name: "Acme Supply", externalId: "ACME-1", note: "Net 30" },
  companyLocation: {
    name: "Ottawa depot",
    externalId: "ACME-1-OTT",
    shippingAddress: {
      address1: "1 Bank St",
      city: "Ottawa",
      zoneCode: "ON",
      countryCode: "CA",
      zip: "K1P 5J2",
      recipient: "Jo Buyer",
    },
    billingSameAsShipping: true,
  },
  companyContact: { email: "jo@acme.example", firstName: "Jo", lastName: "Buyer", title: "Purchasing" },
};

async function createAcme(gql: (q: string, v?: Record<string, unknown>) => Promise<any>) {
  const data = await gql(COMPANY_CREATE, { input: ACME });
  expect(data.companyCreate.userErrors).toEqual([]);
  return data.companyCreate.company;
}

describe("shop", () => {
  it.each([
    ["standard", "Grow", false],
    ["advanced", "Advanced", false],
    ["plus", "Plus", true],
  ] as const)("describes a %s shop", async (plan, publicDisplayName, shopifyPlus) => {
    const { gql, domain } = setup(plan);
    const data = await gql(`{ shop { id name email myshopifyDomain currencyCode ianaTimezone createdAt
      plan { publicDisplayName partnerDevelopment shopifyPlus } primaryDomain { host url } } }`);
    expect(data.shop).toMatchObject({
      name: "b2b-test",
      myshopifyDomain: domain,
      currencyCode: "USD",
      ianaTimezone: "America/New_York",
      plan: { publicDisplayName, partnerDevelopment: false, shopifyPlus },
      primaryDomain: { host: domain, url: `https://${domain}` },
    });
    expect(data.shop.id).toMatch(/^gid:\/\/shopify\/Shop\/\d+$/);
    const again = await gql("{ shop { id } }");
    expect(again.shop.id).toBe(data.shop.id);
  });
});

describe("companies", () => {
  it("creates a company with its location and main contact, readable by id and search", async () => {
    const { gql, shop } = setup();
    const company = await createAcme(gql);
    expect(company).toMatchObject({ name: "Acme Supply", externalId: "ACME-1", note: "Net 30" });
    expect(company.mainContact).toMatchObject({
      isMainContact: true,
      title: "Purchasing",
      customer: { email: "jo@acme.example", firstName: "Jo" },
    });
    const location = company.locations.nodes[0];
    expect(location).toMatchObject({
      name: "Ottawa depot",
      externalId: "ACME-1-OTT",
      shippingAddress: {
        address1: "1 Bank St",
        city: "Ottawa",
        zoneCode: "ON",
        countryCode: "CA",
        recipient: "Jo Buyer",
        companyName: "Acme Supply",
      },
    });
    // Billing same as shipping copies the address into a CompanyAddress of its own, as a live
    // shop answers (a public capture of companyLocationCreate with billingSameAsShipping).
    expect(location.billingAddress).toMatchObject({ address1: "1 Bank St" });
    expect(location.billingAddress.id).not.toBe(location.shippingAddress.id);

    const read = await gql(
      `query($id: ID!, $loc: ID!) {
        company(id: $id) { id name locationsCount { count } }
        companyLocation(id: $loc) { id company { id } }
        byName: companies(first: 5, query: "name:Acme*") { nodes { id } }
        byExternal: companies(first: 5, query: "external_id:ACME-1") { nodes { id } }
        none: companies(first: 5, query: "external_id:OTHER") { nodes { id } }
        companyLocations(first: 5, query: "external_id:ACME-1-OTT") { nodes { id } }
      }`,
      { id: company.id, loc: location.id },
    );
    expect(read.company).toEqual({ id: company.id, name: "Acme Supply", locationsCount: { count: 1 } });
    expect(read.companyLocation).toEqual({ id: location.id, company: { id: company.id } });
    expect(read.byName.nodes).toEqual([{ id: company.id }]);
    expect(read.byExternal.nodes).toEqual([{ id: company.id }]);
    expect(read.none.nodes).toEqual([]);
    expect(read.companyLocations.nodes).toEqual([{ id: location.id }]);
    expect(shop.customers.size).toBe(1);
  });

  it("gives a company created without a location one named after it", async () => {
    const { gql } = setup();
    const data = await gql(COMPANY_CREATE, { input: { company: { name: "Solo Ltd" } } });
    expect(data.companyCreate.company.locations.nodes).toMatchObject([
      { name: "Solo Ltd", shippingAddress: null },
    ]);
    expect(data.companyCreate.company.mainContact).toBeNull();
  });

  it("rejects a blank name and a taken external id, and creates nothing", async () => {
    const { gql, shop } = setup();
    await createAcme(gql);
    const sizes = () => [shop.companies.size, shop.companyLocations.size, shop.customers.size];
    const before = sizes();
    const blank = await gql(COMPANY_CREATE, { input: { company: { name: " <b> </b> " } } });
    expect(blank.companyCreate).toEqual({
      company: null,
      userErrors: [{ field: ["input", "company", "name"], message: "Name can't be blank", code: "BLANK" }],
    });
    const taken = await gql(COMPANY_CREATE, { input: { company: { name: "Other", externalId: "ACME-1" } } });
    expect(taken.companyCreate.userErrors).toEqual([
      {
        field: ["input", "company", "externalId"],
        message: "External id has already been taken.",
        code: "TAKEN",
      },
    ]);
    expect(sizes()).toEqual(before);
  });

  it("updates a company and adds locations to it", async () => {
    const { gql } = setup();
    const company = await createAcme(gql);
    const update = await gql(
      `mutation($id: ID!) { companyUpdate(companyId: $id, input: { name: "Acme Wholesale", note: null }) {
        company { name note } userErrors { field message code } } }`,
      { id: company.id },
    );
    expect(update.companyUpdate).toEqual({ company: { name: "Acme Wholesale", note: null }, userErrors: [] });
    const add = await gql(
      `mutation($id: ID!) { companyLocationCreate(companyId: $id, input: { name: "Toronto", externalId: "ACME-1-TOR",
        billingAddress: { address1: "9 King St W", city: "Toronto", zoneCode: "ON", countryCode: CA } }) {
        companyLocation { name billingAddress { city } shippingAddress { city } company { name } }
        userErrors { field message code } } }`,
      { id: company.id },
    );
    expect(add.companyLocationCreate).toEqual({
      companyLocation: {
        name: "Toronto",
        billingAddress: { city: "Toronto" },
        shippingAddress: null,
        company: { name: "Acme Wholesale" },
      },
      userErrors: [],
    });
    const missing = await gql(
      `mutation { companyLocationCreate(companyId: "gid://shopify/Company/1", input: { name: "X" }) {
        companyLocation { id } userErrors { field message code } } }`,
    );
    expect(missing.companyLocationCreate.userErrors).toEqual([
      { field: ["companyId"], message: "Resource requested does not exist.", code: "RESOURCE_NOT_FOUND" },
    ]);
    const read = await gql(
      `query($id: ID!) { company(id: $id) { locations(first: 5, sortKey: NAME) { nodes { name } } } }`,
      {
        id: company.id,
      },
    );
    expect(read.company.locations.nodes).toEqual([{ name: "Ottawa depot" }, { name: "Toronto" }]);
  });
});

const PRICE_LIST_CREATE = `mutation($input: PriceListCreateInput!) {
  priceListCreate(input: $input) { priceList { id name currency parent { adjustment { type value } } catalog { id } }
    userErrors { field message code } }
}`;

const FIXED_ADD = `mutation($id: ID!, $prices: [PriceListPriceInput!]!) {
  priceListFixedPricesAdd(priceListId: $id, prices: $prices) {
    prices { variant { id } price { amount currencyCode } compareAtPrice { amount } originType }
    userErrors { field message code }
  }
}`;

const PRICES = `query($id: ID!) { priceList(id: $id) { fixedPricesCount
  prices(first: 10) { nodes { variant { id } price { amount currencyCode } compareAtPrice { amount } originType } } } }`;

async function catalogWithPriceList(gql: (q: string, v?: Record<string, unknown>) => Promise<any>) {
  const company = await createAcme(gql);
  const catalog = await gql(
    `mutation($loc: ID!) { catalogCreate(input: { title: "Acme catalog", status: ACTIVE, context: { companyLocationIds: [$loc] } }) {
      catalog { id title status ... on CompanyLocationCatalog { companyLocations(first: 5) { nodes { id } } } }
      userErrors { field message code } } }`,
    { loc: company.locations.nodes[0].id },
  );
  expect(catalog.catalogCreate.userErrors).toEqual([]);
  const list = await gql(PRICE_LIST_CREATE, {
    input: {
      name: "Acme prices",
      currency: "USD",
      parent: { adjustment: { type: "PERCENTAGE_DECREASE", value: 10 } },
      catalogId: catalog.catalogCreate.catalog.id,
    },
  });
  expect(list.priceListCreate.userErrors).toEqual([]);
  return { company, catalog: catalog.catalogCreate.catalog, priceList: list.priceListCreate.priceList };
}

describe("catalogs and price lists", () => {
  it("links a catalog to company locations and a price list", async () => {
    const { gql } = setup();
    const { company, catalog, priceList } = await catalogWithPriceList(gql);
    expect(catalog).toMatchObject({ title: "Acme catalog", status: "ACTIVE" });
    expect(catalog.companyLocations.nodes).toEqual([{ id: company.locations.nodes[0].id }]);
    expect(priceList).toEqual({
      id: expect.stringMatching(/PriceList\/\d+$/),
      name: "Acme prices",
      currency: "USD",
      parent: { adjustment: { type: "PERCENTAGE_DECREASE", value: 10 } },
      catalog: { id: catalog.id },
    });
    const read = await gql(
      `query($id: ID!, $loc: ID!) {
        catalog(id: $id) { __typename id priceList { id } }
        catalogs(first: 5, type: COMPANY_LOCATION) { nodes { __typename id } }
        markets: catalogs(first: 5, type: MARKET) { nodes { id } }
        companyLocation(id: $loc) { catalogs(first: 5) { nodes { id } } inCatalog(catalogId: $id) }
        priceLists(first: 5) { nodes { id } }
      }`,
      { id: catalog.id, loc: company.locations.nodes[0].id },
    );
    expect(read.catalog).toEqual({
      __typename: "CompanyLocationCatalog",
      id: catalog.id,
      priceList: { id: priceList.id },
    });
    expect(read.catalogs.nodes).toEqual([{ __typename: "CompanyLocationCatalog", id: catalog.id }]);
    expect(read.markets.nodes).toEqual([]);
    expect(read.companyLocation).toEqual({ catalogs: { nodes: [{ id: catalog.id }] }, inCatalog: true });
    expect(read.priceLists.nodes).toEqual([{ id: priceList.id }]);
  });

  it("adds fixed prices and prices other variants relative to the adjustment", async () => {
    const { gql, shop } = setup();
    const fixed = addVariant(shop, "20.00");
    const relative = addVariant(shop, "15.00", "30.00");
    const { priceList } = await catalogWithPriceList(gql);
    const add = await gql(FIXED_ADD, {
      id: priceList.id,
      prices: [
        {
          variantId: `gid://shopify/ProductVariant/${fixed}`,
          price: { amount: "12.5", currencyCode: "USD" },
          compareAtPrice: { amount: "18", currencyCode: "USD" },
        },
      ],
    });
    expect(add.priceListFixedPricesAdd).toEqual({
      prices: [
        {
          variant: { id: `gid://shopify/ProductVariant/${fixed}` },
          price: { amount: "12.5", currencyCode: "USD" },
          compareAtPrice: { amount: "18.0" },
          originType: "FIXED",
        },
      ],
      userErrors: [],
    });
    const read = await gql(PRICES, { id: priceList.id });
    expect(read.priceList.fixedPricesCount).toBe(1);
    expect(read.priceList.prices.nodes).toEqual([
      {
        variant: { id: `gid://shopify/ProductVariant/${fixed}` },
        price: { amount: "12.5", currencyCode: "USD" },
        compareAtPrice: { amount: "18.0" },
        originType: "FIXED",
      },
      {
        variant: { id: `gid://shopify/ProductVariant/${relative}` },
        price: { amount: "13.5", currencyCode: "USD" },
        compareAtPrice: { amount: "27.0" },
        originType: "RELATIVE",
      },
    ]);

    const del = await gql(
      `mutation($id: ID!, $ids: [ID!]!) { priceListFixedPricesDelete(priceListId: $id, variantIds: $ids) {
        deletedFixedPriceVariantIds userErrors { field message code } } }`,
      { id: priceList.id, ids: [`gid://shopify/ProductVariant/${fixed}`] },
    );
    expect(del.priceListFixedPricesDelete).toEqual({
      deletedFixedPriceVariantIds: [`gid://shopify/ProductVariant/${fixed}`],
      userErrors: [],
    });
    const after = await gql(PRICES, { id: priceList.id });
    expect(after.priceList.fixedPricesCount).toBe(0);
    expect(after.priceList.prices.nodes[0]).toMatchObject({
      price: { amount: "18.0" },
      originType: "RELATIVE",
    });
  });

  it("rejects prices in another currency and changes nothing", async () => {
    const { gql, shop } = setup();
    const a = addVariant(shop, "20.00");
    const b = addVariant(shop, "10.00");
    const { priceList } = await catalogWithPriceList(gql);
    const add = await gql(FIXED_ADD, {
      id: priceList.id,
      prices: [
        { variantId: `gid://shopify/ProductVariant/${a}`, price: { amount: "10", currencyCode: "USD" } },
        {
          variantId: `gid://shopify/ProductVariant/${b}`,
          price: { amount: "10", currencyCode: "CAD" },
          compareAtPrice: { amount: "12", currencyCode: "EUR" },
        },
      ],
    });
    const mismatch = "The specified currency does not match the price list's currency.";
    expect(add.priceListFixedPricesAdd).toEqual({
      prices: [],
      userErrors: [
        {
          field: ["prices", "1", "price", "currencyCode"],
          message: mismatch,
          code: "PRICE_LIST_CURRENCY_MISMATCH",
        },
        {
          field: ["prices", "1", "compareAtPrice", "currencyCode"],
          message: mismatch,
          code: "PRICE_LIST_CURRENCY_MISMATCH",
        },
      ],
    });
    const read = await gql(PRICES, { id: priceList.id });
    expect(read.priceList.fixedPricesCount).toBe(0);
    expect(read.priceList.prices.nodes.every((n: any) => n.originType === "RELATIVE")).toBe(true);
  });

  it("reports unknown variants before currencies", async () => {
    const { gql } = setup();
    const { priceList } = await catalogWithPriceList(gql);
    const add = await gql(FIXED_ADD, {
      id: priceList.id,
      prices: [{ variantId: "gid://shopify/ProductVariant/1", price: { amount: "10", currencyCode: "EUR" } }],
    });
    expect(add.priceListFixedPricesAdd).toEqual({
      prices: [],
      userErrors: [
        {
          field: ["prices", "0", "variantId"],
          message: "Product variant ID does not exist.",
          code: "VARIANT_NOT_FOUND",
        },
      ],
    });
  });

  it("refuses more than 250 prices in one call, changing nothing", async () => {
    const { gql, run, shop } = setup();
    const variant = addVariant(shop, "20.00");
    const { priceList } = await catalogWithPriceList(gql);
    const prices = Array.from({ length: 251 }, () => ({
      variantId: `gid://shopify/ProductVariant/${variant}`,
      price: { amount: "10", currencyCode: "USD" },
    }));
    const response = await run(FIXED_ADD, { id: priceList.id, prices });
    expect(response.errors?.[0]).toMatchObject({
      message: "The input array size of 251 is greater than the maximum allowed of 250.",
      extensions: { code: "MAX_INPUT_SIZE_EXCEEDED" },
    });
    expect(response.data?.priceListFixedPricesAdd ?? null).toBeNull();
    expect((await gql(PRICES, { id: priceList.id })).priceList.fixedPricesCount).toBe(0);
  });

  it("rejects a catalog for an unknown company location", async () => {
    const { gql, shop } = setup();
    const data = await gql(
      `mutation { catalogCreate(input: { title: "X", status: ACTIVE, context: { companyLocationIds: ["gid://shopify/CompanyLocation/1"] } }) {
        catalog { id } userErrors { field message code } } }`,
    );
    expect(data.catalogCreate.catalog).toBeNull();
    expect(data.catalogCreate.userErrors).toEqual([
      {
        field: ["input", "context", "companyLocationIds", "0"],
        message: "A company location within the catalog does not exist.",
        code: "COMPANY_LOCATION_NOT_FOUND",
      },
    ]);
    expect(shop.catalogs.size).toBe(0);
  });
});

function addPayouts(shop: ShopState, count: number) {
  const ids: number[] = [];
  for (let i = 0; i < count; i++) {
    const id = shop.newId();
    const issuedAt = new Date(Date.UTC(2026, 5, 1 + i, 12));
    shop.payouts.set(id, {
      id,
      status: i === count - 1 ? "SCHEDULED" : "PAID",
      issuedAt,
      net: `${100 + i}.00`,
      currencyCode: "USD",
      summary: {
        chargesGross: `${103 + i}.00`,
        chargesFee: "3.00",
        refundsGross: "0.00",
        refundsFee: "0.00",
        adjustmentsGross: "0.00",
        adjustmentsFee: "0.00",
      },
      balanceTransactionIds: [],
    });
    ids.push(id);
  }
  return ids;
}

describe("Shopify Payments", () => {
  it("pages through payouts oldest first and filters them", async () => {
    const { gql, shop } = setup();
    const ids = addPayouts(shop, 5);
    const PAGE = `query($after: String) { shopifyPaymentsAccount { payouts(first: 2, after: $after) {
      nodes { id legacyResourceId status issuedAt net { amount currencyCode } transactionType summary { chargesGross { amount } chargesFee { amount } } }
      pageInfo { hasNextPage endCursor } } } }`;
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 5; page++) {
      const data = await gql(PAGE, { after });
      const payouts = data.shopifyPaymentsAccount.payouts;
      for (const node of payouts.nodes as { legacyResourceId: string }[]) seen.push(node.legacyResourceId);
      if (!payouts.pageInfo.hasNextPage) break;
      after = payouts.pageInfo.endCursor;
    }
    expect(seen).toEqual(ids.map(String));
    const first = (await gql(PAGE, { after: null })).shopifyPaymentsAccount.payouts.nodes[0];
    expect(first).toMatchObject({
      status: "PAID",
      issuedAt: "2026-06-01T12:00:00.000Z",
      net: { amount: "100.0", currencyCode: "USD" },
      transactionType: "DEPOSIT",
      summary: { chargesGross: { amount: "103.0" }, chargesFee: { amount: "3.0" } },
    });
    const filtered = await gql(`{ shopifyPaymentsAccount {
      scheduled: payouts(first: 10, query: "status:scheduled") { nodes { legacyResourceId } }
      recent: payouts(first: 10, query: "issued_at:>=2026-06-04", reverse: true) { nodes { legacyResourceId } } } }`);
    expect(filtered.shopifyPaymentsAccount.scheduled.nodes).toEqual([{ legacyResourceId: String(ids[4]) }]);
    expect(filtered.shopifyPaymentsAccount.recent.nodes).toEqual([
      { legacyResourceId: String(ids[4]) },
      { legacyResourceId: String(ids[3]) },
    ]);
  });

  it("lists balance transactions with their payout, filtered by payout", async () => {
    const { gql, shop } = setup();
    const [payoutId] = addPayouts(shop, 1);
    const txId = shop.newId();
    shop.balanceTransactions.set(txId, {
      id: txId,
      type: "CHARGE",
      test: false,
      amount: "50.00",
      fee: "1.75",
      net: "48.25",
      currencyCode: "USD",
      orderId: null,
      orderTransactionId: 777,
      payoutId: payoutId!,
      transactionDate: new Date("2026-05-31T10:00:00Z"),
    });
    const pendingId = shop.newId();
    shop.balanceTransactions.set(pendingId, {
      ...shop.balanceTransactions.get(txId)!,
      id: pendingId,
      payoutId: null,
      orderTransactionId: null,
    });
    const data = await gql(
      `query($q: String) { shopifyPaymentsAccount { balance { amount currencyCode }
        balanceTransactions(first: 10, query: $q) { nodes { id type test amount { amount } fee { amount } net { amount }
          transactionDate associatedOrder { id } associatedPayout { id status } sourceOrderTransactionId sourceType } } } }`,
      { q: `payout_id:${payoutId}` },
    );
    expect(data.shopifyPaymentsAccount.balance).toEqual([{ amount: "48.25", currencyCode: "USD" }]);
    expect(data.shopifyPaymentsAccount.balanceTransactions.nodes).toEqual([
      {
        id: `gid://shopify/ShopifyPaymentsBalanceTransaction/${txId}`,
        type: "CHARGE",
        test: false,
        amount: { amount: "50.0" },
        fee: { amount: "1.75" },
        net: { amount: "48.25" },
        transactionDate: "2026-05-31T10:00:00.000Z",
        associatedOrder: null,
        associatedPayout: { id: `gid://shopify/ShopifyPaymentsPayout/${payoutId}`, status: "SCHEDULED" },
        sourceOrderTransactionId: "777",
        sourceType: "CHARGE",
      },
    ]);
  });
});

describe("webhook subscriptions", () => {
  const CREATE = `mutation($topic: WebhookSubscriptionTopic!, $sub: WebhookSubscriptionInput!) {
    webhookSubscriptionCreate(topic: $topic, webhookSubscription: $sub) {
      webhookSubscription { id topic uri format includeFields } userErrors { field message } } }`;

  it("creates, lists and deletes subscriptions that the dispatcher then targets", async () => {
    const { gql, sim, shop } = setup();
    const created = await gql(CREATE, {
      topic: "ORDERS_CREATE",
      sub: { uri: "https://app.example/webhooks", format: "JSON", includeFields: ["id"] },
    });
    expect(created.webhookSubscriptionCreate).toEqual({
      webhookSubscription: {
        id: expect.stringMatching(/WebhookSubscription\/\d+$/),
        topic: "ORDERS_CREATE",
        uri: "https://app.example/webhooks",
        format: "JSON",
        includeFields: ["id"],
      },
      userErrors: [],
    });
    await gql(CREATE, { topic: "PRODUCTS_UPDATE", sub: { callbackUrl: "https://app.example/products" } });
    expect(sim.webhookTargets(shop, "orders/create")).toEqual(["https://app.example/webhooks"]);

    const taken = await gql(CREATE, { topic: "ORDERS_CREATE", sub: { uri: "https://app.example/webhooks" } });
    expect(taken.webhookSubscriptionCreate).toEqual({
      webhookSubscription: null,
      userErrors: [
        { field: ["webhookSubscription", "uri"], message: "Address for this topic has already been taken" },
      ],
    });
    const invalid = await gql(CREATE, { topic: "ORDERS_CREATE", sub: { uri: "not a url" } });
    expect(invalid.webhookSubscriptionCreate.userErrors).toEqual([
      { field: ["webhookSubscription", "uri"], message: "Address is invalid" },
    ]);

    const list = await gql(`{ all: webhookSubscriptions(first: 10) { nodes { topic } }
      orders: webhookSubscriptions(first: 10, topics: [ORDERS_CREATE]) { nodes { id } } }`);
    expect(list.all.nodes).toEqual([{ topic: "ORDERS_CREATE" }, { topic: "PRODUCTS_UPDATE" }]);
    expect(list.orders.nodes).toEqual([{ id: created.webhookSubscriptionCreate.webhookSubscription.id }]);

    const id = created.webhookSubscriptionCreate.webhookSubscription.id;
    const deleted = await gql(
      `mutation($id: ID!) { webhookSubscriptionDelete(id: $id) { deletedWebhookSubscriptionId userErrors { field message } } }`,
      { id },
    );
    expect(deleted.webhookSubscriptionDelete).toEqual({ deletedWebhookSubscriptionId: id, userErrors: [] });
    expect(sim.webhookTargets(shop, "orders/create")).toEqual([]);
    const again = await gql(
      `mutation($id: ID!) { webhookSubscriptionDelete(id: $id) { deletedWebhookSubscriptionId userErrors { field message } } }`,
      { id },
    );
    expect(again.webhookSubscriptionDelete.userErrors).toEqual([
      { field: ["id"], message: "Webhook subscription does not exist" },
    ]);
  });
});

describe("seedB2b", () => {
  it("seeds the same companies, catalogs and payouts for the same seed, and sends nothing", async () => {
    const seeded = () => {
      const { sim, shop, gql } = setup();
      const sent: string[] = [];
      sim.emit = (_shop, topic) => sent.push(topic);
      for (let i = 0; i < 4; i++) addVariant(shop, `${10 + i}.00`);
      seedB2b(shop, { companies: 3, payouts: 4 }, seededRandom(7), new Date("2026-07-01T00:00:00Z"));
      return { shop, gql, sent };
    };
    const one = seeded();
    const two = seeded();
    expect(JSON.stringify([...one.shop.companies.values()])).toBe(
      JSON.stringify([...two.shop.companies.values()]),
    );
    expect(JSON.stringify([...one.shop.balanceTransactions.values()])).toBe(
      JSON.stringify([...two.shop.balanceTransactions.values()]),
    );
    expect(one.sent).toEqual([]);
    expect(one.shop.companies.size).toBe(3);
    expect(one.shop.catalogs.size).toBe(3);
    expect(one.shop.payouts.size).toBe(4);
    for (const company of one.shop.companies.values()) expect([1, 2]).toContain(company.locationIds.length);

    const data = await one.gql(`{
      catalogs(first: 5) { nodes { priceList { fixedPricesCount prices(first: 5, originType: FIXED) { nodes { price { amount } } } } } }
      shopifyPaymentsAccount { payouts(first: 10) { nodes { net { amount } } } balanceTransactions(first: 10, query: "payout_status:pending") { nodes { id } } }
    }`);
    const lists = data.catalogs.nodes.map((catalog: any) => catalog.priceList);
    expect(lists).toHaveLength(3);
    expect(
      lists.every(
        (list: any) => list.fixedPricesCount > 0 && list.prices.nodes.length === list.fixedPricesCount,
      ),
    ).toBe(true);
    expect(data.shopifyPaymentsAccount.payouts.nodes).toHaveLength(4);
    expect(data.shopifyPaymentsAccount.balanceTransactions.nodes).toHaveLength(2);
    // Each payout's net is the sum of its transactions' nets.
    for (const payout of one.shop.payouts.values()) {
      const nets = payout.balanceTransactionIds.map((id) =>
        Number(one.shop.balanceTransactions.get(id)!.net),
      );
      expect(nets.reduce((a, b) => a + b, 0)).toBeCloseTo(Number(payout.net), 2);
    }
  });
});
