/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-explicit-any -- GraphQL responses are untyped JSON here; the assertions check their shape. */
import { afterEach, describe, expect, it } from "vitest";
import { createSimulatorServer, listen } from "../../simulator/http/server.server";
import { bulkOperationsSettled } from "../../simulator/resolvers/bulk-operations.server";
import { executeLocal } from "../../simulator/resolvers/local-execute.server";
import { PRESETS, seedShop } from "../../simulator/seed/seed.server";
import { testSimulator } from "../../simulator/testing.server";
import { webhookSchemaErrors } from "../support/webhook-schemas";

/**
 * B2B catalogs as Shopify has them, for the catalog syncs: company-location and market catalogs,
 * their price lists (fixed and relative prices, the fixed-price mutations' userErrors) and
 * publications, read one by one and in bulk, no webhooks for any of them, and the control API a
 * test uses to act as the merchant in admin.
 */

const DOMAIN = "catalogs-test.myshopify.com";
const VARIANT = (id: number) => `gid://shopify/ProductVariant/${id}`;
const PRODUCT = (id: number) => `gid://shopify/Product/${id}`;

function setup(sizes: Partial<typeof PRESETS.empty> = {}) {
  const sim = testSimulator();
  const shop = sim.shop(DOMAIN);
  seedShop(shop, { ...PRESETS.empty, products: 3, variantsPerProduct: 2, ...sizes }, sim.clock.now());
  const sent: { topic: string; payload: any }[] = [];
  sim.emit = (target, topic, payload) => {
    if (target === shop) sent.push({ topic, payload: JSON.parse(JSON.stringify(payload)) });
  };
  const run = (query: string, variables: Record<string, unknown> = {}) =>
    executeLocal(sim, DOMAIN, query, variables);
  const gql = async (query: string, variables: Record<string, unknown> = {}): Promise<any> => {
    const response = await run(query, variables);
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    return response.data;
  };
  const variants = [...shop.variants.values()].sort((a, b) => a.id - b.id);
  const products = [...shop.products.values()].sort((a, b) => a.id - b.id);
  // Known prices, so relative prices can be named.
  variants.forEach((variant, index) => {
    variant.price = `${10 * (index + 1)}.00`;
    variant.compareAtPrice = index === 0 ? "15.00" : null;
  });
  return { sim, shop, run, gql, sent, variants, products };
}

type Gql = (query: string, variables?: Record<string, unknown>) => Promise<any>;

async function company(gql: Gql, name: string, extraLocation = false) {
  const data = await gql(
    `mutation($input: CompanyCreateInput!) { companyCreate(input: $input) {
      company { id locations(first: 5) { nodes { id } } } userErrors { field message } } }`,
    { input: { company: { name }, companyLocation: { name: `${name} HQ` } } },
  );
  expect(data.companyCreate.userErrors).toEqual([]);
  const created = data.companyCreate.company;
  const locations: string[] = created.locations.nodes.map((n: any) => n.id);
  if (extraLocation) {
    const more = await gql(
      `mutation($id: ID!) { companyLocationCreate(companyId: $id, input: { name: "Branch" }) {
        companyLocation { id } userErrors { field message } } }`,
      { id: created.id },
    );
    locations.push(more.companyLocationCreate.companyLocation.id);
  }
  return { id: created.id as string, locations };
}

const CATALOG_CREATE = `mutation($input: CatalogCreateInput!) { catalogCreate(input: $input) {
  catalog { __typename id title status ... on CompanyLocationCatalog { companyLocations(first: 5) { nodes { id } } }
    ... on MarketCatalog { markets(first: 5) { nodes { id name } } } priceList { id } publication { id } }
  userErrors { field message code } } }`;

const PRICE_LIST_CREATE = `mutation($input: PriceListCreateInput!) { priceListCreate(input: $input) {
  priceList { id name currency fixedPricesCount parent { adjustment { type value } settings { compareAtMode } } catalog { id } }
  userErrors { field message code } } }`;

const FIXED_ADD = `mutation($id: ID!, $prices: [PriceListPriceInput!]!) { priceListFixedPricesAdd(priceListId: $id, prices: $prices) {
  prices { variant { id } price { amount currencyCode } compareAtPrice { amount currencyCode } originType }
  userErrors { field message code } } }`;

const FIXED_DELETE = `mutation($id: ID!, $ids: [ID!]!) { priceListFixedPricesDelete(priceListId: $id, variantIds: $ids) {
  deletedFixedPriceVariantIds userErrors { field message code } } }`;

const FIXED_UPDATE = `mutation($id: ID!, $add: [PriceListPriceInput!]!, $delete: [ID!]!) {
  priceListFixedPricesUpdate(priceListId: $id, pricesToAdd: $add, variantIdsToDelete: $delete) {
    priceList { id fixedPricesCount } pricesAdded { variant { id } price { amount } }
    deletedFixedPriceVariantIds userErrors { field message code } } }`;

const PRICES = `query($id: ID!, $origin: PriceListPriceOriginType, $query: String) { priceList(id: $id) { fixedPricesCount
  prices(first: 50, originType: $origin, query: $query) { nodes { variant { id } price { amount currencyCode } compareAtPrice { amount currencyCode } originType } } } }`;

async function catalogFor(gql: Gql, locations: string[], title = "Acme catalog") {
  const data = await gql(CATALOG_CREATE, {
    input: { title, status: "ACTIVE", context: { companyLocationIds: locations } },
  });
  expect(data.catalogCreate.userErrors).toEqual([]);
  return data.catalogCreate.catalog;
}

async function priceListFor(gql: Gql, catalogId: string | null, overrides: Record<string, unknown> = {}) {
  const data = await gql(PRICE_LIST_CREATE, {
    input: {
      name: `Prices ${Math.random().toString(36).slice(2, 8)}`,
      currency: "USD",
      parent: { adjustment: { type: "PERCENTAGE_DECREASE", value: 10 } },
      ...(catalogId ? { catalogId } : {}),
      ...overrides,
    },
  });
  expect(data.priceListCreate.userErrors).toEqual([]);
  return data.priceListCreate.priceList;
}

describe("company location catalogs", () => {
  it("creates a catalog for company locations, readable by id, by type, by search and from each location", async () => {
    const { gql, sent } = setup();
    const acme = await company(gql, "Acme", true);
    const other = await company(gql, "Beta");
    const catalog = await catalogFor(gql, acme.locations);
    expect(catalog).toEqual({
      __typename: "CompanyLocationCatalog",
      id: expect.stringMatching(/^gid:\/\/shopify\/CompanyLocationCatalog\/\d+$/),
      title: "Acme catalog",
      status: "ACTIVE",
      companyLocations: { nodes: acme.locations.map((id) => ({ id })) },
      priceList: null,
      publication: null,
    });
    await catalogFor(gql, other.locations, "Beta wholesale");
    const numeric = (id: string) => id.split("/").pop();
    const read = await gql(
      `query($id: ID!, $loc: ID!, $byCompany: String, $byLocation: String) {
        catalog(id: $id) { id title }
        all: catalogs(first: 10, type: COMPANY_LOCATION, sortKey: TITLE) { nodes { title } }
        markets: catalogs(first: 5, type: MARKET) { nodes { id } }
        byWord: catalogs(first: 5, query: "title:wholesale") { nodes { title } }
        byCompany: catalogs(first: 5, query: $byCompany) { nodes { title } }
        byLocation: catalogs(first: 5, query: $byLocation) { nodes { title } }
        drafts: catalogs(first: 5, query: "status:draft") { nodes { title } }
        catalogsCount(type: COMPANY_LOCATION) { count precision }
        companyLocation(id: $loc) { catalogs(first: 5) { nodes { id } } catalogsCount { count } inCatalog(catalogId: $id) }
      }`,
      {
        id: catalog.id,
        loc: acme.locations[1],
        byCompany: `company_id:${numeric(acme.id)}`,
        byLocation: `company_location_id:${numeric(other.locations[0]!)}`,
      },
    );
    expect(read.catalog).toEqual({ id: catalog.id, title: "Acme catalog" });
    expect(read.all.nodes).toEqual([{ title: "Acme catalog" }, { title: "Beta wholesale" }]);
    expect(read.markets.nodes).toEqual([]);
    expect(read.byWord.nodes).toEqual([{ title: "Beta wholesale" }]);
    expect(read.byCompany.nodes).toEqual([{ title: "Acme catalog" }]);
    expect(read.byLocation.nodes).toEqual([{ title: "Beta wholesale" }]);
    expect(read.drafts.nodes).toEqual([]);
    expect(read.catalogsCount).toEqual({ count: 2, precision: "EXACT" });
    expect(read.companyLocation).toEqual({
      catalogs: { nodes: [{ id: catalog.id }] },
      catalogsCount: { count: 1 },
      inCatalog: true,
    });
    // Shopify has no catalogs/* topic: nothing beyond the companies' own webhooks.
    expect(sent.map((s) => s.topic).filter((t) => !/^(companies|company_|customers)/.test(t))).toEqual([]);
  });

  it("refuses a catalog as a live shop does, storing nothing", async () => {
    const { gql, shop } = setup();
    const acme = await company(gql, "Acme");
    const list = await priceListFor(gql, null);
    await gql(CATALOG_CREATE, {
      input: {
        title: "Holder",
        status: "ACTIVE",
        context: { companyLocationIds: acme.locations },
        priceListId: list.id,
      },
    });
    const before = shop.catalogs.size;
    const cases: [Record<string, unknown>, unknown[]][] = [
      [
        { title: " ", status: "ACTIVE", context: { companyLocationIds: acme.locations } },
        [{ field: ["input", "title"], message: "Title can't be blank", code: "BLANK" }],
      ],
      [
        { title: "X", status: "ACTIVE", context: {} },
        [
          {
            field: ["input", "context"],
            message: "Must provide exactly one context type.",
            code: "MUST_PROVIDE_EXACTLY_ONE_CONTEXT_TYPE",
          },
        ],
      ],
      [
        {
          title: "X",
          status: "ACTIVE",
          context: { companyLocationIds: acme.locations, marketIds: ["gid://shopify/Market/1"] },
        },
        [
          {
            field: ["input", "context"],
            message: "Must provide exactly one context type.",
            code: "MUST_PROVIDE_EXACTLY_ONE_CONTEXT_TYPE",
          },
        ],
      ],
      [
        {
          title: "X",
          status: "ACTIVE",
          context: { companyLocationIds: ["gid://shopify/CompanyLocation/9"] },
        },
        [
          {
            field: ["input", "context", "companyLocationIds", "0"],
            message: "A company location within the catalog does not exist.",
            code: "COMPANY_LOCATION_NOT_FOUND",
          },
        ],
      ],
      [
        { title: "X", status: "ACTIVE", context: { marketIds: ["gid://shopify/Market/9"] } },
        [
          {
            field: ["input", "context", "marketIds", "0"],
            message: "Market not found.",
            code: "MARKET_NOT_FOUND",
          },
        ],
      ],
      [
        {
          title: "X",
          status: "ACTIVE",
          context: { companyLocationIds: acme.locations },
          priceListId: "gid://shopify/PriceList/9",
        },
        [{ field: ["input", "priceListId"], message: "Price list not found.", code: "PRICE_LIST_NOT_FOUND" }],
      ],
      [
        {
          title: "X",
          status: "ACTIVE",
          context: { companyLocationIds: acme.locations },
          priceListId: list.id,
        },
        [{ field: ["input", "priceListId"], message: "Price list has already been taken", code: "TAKEN" }],
      ],
      [
        {
          title: "X",
          status: "ACTIVE",
          context: { companyLocationIds: acme.locations },
          publicationId: "gid://shopify/Publication/9",
        },
        [
          {
            field: ["input", "publicationId"],
            message: "Publication not found.",
            code: "PUBLICATION_NOT_FOUND",
          },
        ],
      ],
    ];
    for (const [input, userErrors] of cases) {
      const data = await gql(CATALOG_CREATE, { input });
      expect(data.catalogCreate, JSON.stringify(input)).toEqual({ catalog: null, userErrors });
    }
    expect(shop.catalogs.size).toBe(before);
  });

  it("updates a catalog's title, status, locations, price list and publication; unknown ids are CATALOG_NOT_FOUND", async () => {
    const { gql } = setup();
    const acme = await company(gql, "Acme", true);
    const catalog = await catalogFor(gql, [acme.locations[0]!]);
    const list = await priceListFor(gql, null);
    const publication = (
      await gql(`mutation { publicationCreate(input: {}) { publication { id } userErrors { field } } }`)
    ).publicationCreate.publication;
    const update = await gql(
      `mutation($id: ID!, $input: CatalogUpdateInput!) { catalogUpdate(id: $id, input: $input) {
        catalog { title status ... on CompanyLocationCatalog { companyLocations(first: 5) { nodes { id } } } priceList { id catalog { id } } publication { id catalog { id } } }
        userErrors { field message code } } }`,
      {
        id: catalog.id,
        input: {
          title: "Acme renamed",
          status: "ARCHIVED",
          context: { companyLocationIds: [acme.locations[1]] },
          priceListId: list.id,
          publicationId: publication.id,
        },
      },
    );
    expect(update.catalogUpdate).toEqual({
      catalog: {
        title: "Acme renamed",
        status: "ARCHIVED",
        companyLocations: { nodes: [{ id: acme.locations[1] }] },
        priceList: { id: list.id, catalog: { id: catalog.id } },
        publication: { id: publication.id, catalog: { id: catalog.id } },
      },
      userErrors: [],
    });
    const first = await gql(
      `query($id: ID!) { companyLocation(id: $id) { catalogs(first: 5) { nodes { id } } } }`,
      {
        id: acme.locations[0],
      },
    );
    expect(first.companyLocation.catalogs.nodes).toEqual([]);
    const missing = await gql(
      `mutation { catalogUpdate(id: "gid://shopify/CompanyLocationCatalog/1", input: { title: "Nope" }) { catalog { id } userErrors { field message code } } }`,
    );
    expect(missing.catalogUpdate).toEqual({
      catalog: null,
      userErrors: [{ field: ["id"], message: "Catalog does not exist", code: "CATALOG_NOT_FOUND" }],
    });
  });

  it("adds and removes company locations with catalogContextUpdate, refusing what a live shop refuses", async () => {
    const { gql } = setup({ markets: 1 });
    const acme = await company(gql, "Acme", true);
    const catalog = await catalogFor(gql, [acme.locations[0]!]);
    const CONTEXT = `mutation($id: ID!, $add: CatalogContextInput, $remove: CatalogContextInput) {
      catalogContextUpdate(catalogId: $id, contextsToAdd: $add, contextsToRemove: $remove) {
        catalog { ... on CompanyLocationCatalog { companyLocations(first: 5) { nodes { id } } } } userErrors { field message code } } }`;
    const moved = await gql(CONTEXT, {
      id: catalog.id,
      add: { companyLocationIds: [acme.locations[1]] },
      remove: { companyLocationIds: [acme.locations[0]] },
    });
    expect(moved.catalogContextUpdate).toEqual({
      catalog: { companyLocations: { nodes: [{ id: acme.locations[1] }] } },
      userErrors: [],
    });
    const none = await gql(CONTEXT, { id: catalog.id, add: null, remove: null });
    expect(none.catalogContextUpdate.userErrors).toEqual([
      {
        field: ["contextsToAdd"],
        message: "Must have `contexts_to_add` or `contexts_to_remove` argument.",
        code: "REQUIRES_CONTEXTS_TO_ADD_OR_REMOVE",
      },
    ]);
    const unknown = await gql(CONTEXT, {
      id: catalog.id,
      add: { companyLocationIds: ["gid://shopify/CompanyLocation/9"] },
      remove: { companyLocationIds: ["gid://shopify/CompanyLocation/8"] },
    });
    expect(unknown.catalogContextUpdate.userErrors).toEqual([
      {
        field: ["contextsToAdd", "companyLocationIds", "0"],
        message: "A company location within the catalog does not exist.",
        code: "COMPANY_LOCATION_NOT_FOUND",
      },
      {
        field: ["contextsToRemove", "companyLocationIds", "0"],
        message: "A company location within the catalog does not exist.",
        code: "COMPANY_LOCATION_NOT_FOUND",
      },
    ]);
    const market = (await gql(`{ catalogs(first: 1, type: MARKET) { nodes { id } } }`)).catalogs.nodes[0];
    const mismatch = await gql(CONTEXT, { id: market.id, add: { companyLocationIds: [acme.locations[0]] } });
    expect(mismatch.catalogContextUpdate.userErrors).toEqual([
      {
        field: ["contextsToAdd", "companyLocationIds"],
        message:
          "The arguments `contexts_to_add` and `contexts_to_remove` must match existing catalog context type.",
        code: "CONTEXT_DRIVER_MISMATCH",
      },
    ]);
    const gone = await gql(CONTEXT, {
      id: "gid://shopify/CompanyLocationCatalog/1",
      add: { companyLocationIds: [] },
    });
    expect(gone.catalogContextUpdate.userErrors).toEqual([
      { field: ["catalogId"], message: "Catalog does not exist", code: "CATALOG_NOT_FOUND" },
    ]);
  });

  it("deletes a catalog with its price list and publication, as a live shop does", async () => {
    const { gql, shop } = setup();
    const acme = await company(gql, "Acme");
    const catalog = await catalogFor(gql, acme.locations);
    const list = await priceListFor(gql, catalog.id);
    const publication = (
      await gql(
        `mutation($id: ID!) { publicationCreate(input: { catalogId: $id }) { publication { id } } }`,
        { id: catalog.id },
      )
    ).publicationCreate.publication;
    const deleted = await gql(
      `mutation($id: ID!) { catalogDelete(id: $id) { deletedId userErrors { field message code } } }`,
      {
        id: catalog.id,
      },
    );
    expect(deleted.catalogDelete).toEqual({ deletedId: catalog.id, userErrors: [] });
    const read = await gql(
      `query($c: ID!, $l: ID!, $p: ID!, $loc: ID!) { catalog(id: $c) { id } priceList(id: $l) { id } publication(id: $p) { id }
        companyLocation(id: $loc) { catalogs(first: 5) { nodes { id } } } }`,
      { c: catalog.id, l: list.id, p: publication.id, loc: acme.locations[0] },
    );
    expect(read).toEqual({
      catalog: null,
      priceList: null,
      publication: null,
      companyLocation: { catalogs: { nodes: [] } },
    });
    expect(shop.catalogs.size + shop.priceLists.size + shop.publications.size).toBe(0);
    const again = await gql(
      `mutation($id: ID!) { catalogDelete(id: $id) { deletedId userErrors { field message code } } }`,
      {
        id: catalog.id,
      },
    );
    expect(again.catalogDelete).toEqual({
      deletedId: null,
      userErrors: [{ field: ["id"], message: "Catalog does not exist", code: "CATALOG_NOT_FOUND" }],
    });
  });
});

describe("market catalogs", () => {
  it("seeds markets with their catalog, price list in the market's currency and a publication of every product", async () => {
    const { gql, products } = setup({ markets: 2 });
    const data = await gql(`{
      catalogs(first: 5, type: MARKET) { nodes { __typename id title status
        ... on MarketCatalog { markets(first: 5) { nodes { name handle status currencySettings { baseCurrency { currencyCode } } } } marketsCount { count } }
        priceList { currency parent { adjustment { type value } } }
        publication { autoPublish includedProductsCount { count } } } }
      companyCatalogs: catalogs(first: 5, type: COMPANY_LOCATION) { nodes { id } }
      markets(first: 5) { nodes { name catalogsCount { count } } }
    }`);
    expect(
      data.catalogs.nodes.map((c: any) => [c.__typename, c.title, c.status, c.priceList.currency]),
    ).toEqual([
      ["MarketCatalog", "Canada", "ACTIVE", "CAD"],
      ["MarketCatalog", "Europe", "ACTIVE", "EUR"],
    ]);
    expect(data.catalogs.nodes[0].markets.nodes).toEqual([
      {
        name: "Canada",
        handle: "canada",
        status: "ACTIVE",
        currencySettings: { baseCurrency: { currencyCode: "CAD" } },
      },
    ]);
    expect(data.catalogs.nodes[0].marketsCount).toEqual({ count: 1 });
    for (const catalog of data.catalogs.nodes)
      expect(catalog.publication).toEqual({
        autoPublish: true,
        includedProductsCount: { count: products.length },
      });
    expect(data.companyCatalogs.nodes).toEqual([]);
    expect(data.markets.nodes).toEqual([
      { name: "Canada", catalogsCount: { count: 1 } },
      { name: "Europe", catalogsCount: { count: 1 } },
    ]);
    // A market catalog's id names its type: it is no CompanyLocationCatalog.
    const id = data.catalogs.nodes[0].id.split("/").pop();
    const wrong = await gql(`query($id: ID!) { node(id: $id) { id } catalog(id: $id) { id } }`, {
      id: `gid://shopify/CompanyLocationCatalog/${id}`,
    });
    expect(wrong).toEqual({ node: null, catalog: null });
  });

  it("creates a market catalog for an existing market", async () => {
    const { gql } = setup({ markets: 1 });
    const market = (await gql(`{ markets(first: 1) { nodes { id name } } }`)).markets.nodes[0];
    const data = await gql(CATALOG_CREATE, {
      input: { title: "Canada B2C", status: "DRAFT", context: { marketIds: [market.id] } },
    });
    expect(data.catalogCreate).toMatchObject({
      catalog: {
        __typename: "MarketCatalog",
        title: "Canada B2C",
        status: "DRAFT",
        markets: { nodes: [market] },
      },
      userErrors: [],
    });
  });
});

describe("price lists", () => {
  it("creates, updates and deletes price lists with a live shop's checks and their order", async () => {
    const { gql, run } = setup();
    const acme = await company(gql, "Acme");
    const catalog = await catalogFor(gql, acme.locations);
    const list = await priceListFor(gql, catalog.id, {
      name: "Acme prices",
      parent: { adjustment: { type: "PERCENTAGE_DECREASE", value: 0 } },
    });
    expect(list).toMatchObject({
      name: "Acme prices",
      currency: "USD",
      fixedPricesCount: 0,
      parent: {
        adjustment: { type: "PERCENTAGE_DECREASE", value: 0 },
        settings: { compareAtMode: "ADJUSTED" },
      },
      catalog: { id: catalog.id },
    });
    const create = (input: Record<string, unknown>) =>
      gql(PRICE_LIST_CREATE, {
        input: {
          name: "Other",
          currency: "USD",
          parent: { adjustment: { type: "PERCENTAGE_DECREASE", value: 10 } },
          ...input,
        },
      });
    const invalidAdjustment = {
      field: ["input", "parent", "adjustment", "value"],
      message:
        "The adjustment value must be a positive value and not be greater than 100% for PERCENTAGE_DECREASE and not be greater than 1000% for PERCENTAGE_INCREASE.",
      code: "INVALID_ADJUSTMENT_VALUE",
    };
    for (const [input, error] of [
      [{ parent: { adjustment: { type: "PERCENTAGE_DECREASE", value: -10 } } }, invalidAdjustment],
      [{ parent: { adjustment: { type: "PERCENTAGE_DECREASE", value: 250 } } }, invalidAdjustment],
      [{ parent: { adjustment: { type: "PERCENTAGE_INCREASE", value: 5000 } } }, invalidAdjustment],
      [
        { name: "acme prices" },
        { field: ["input", "name"], message: "Name has already been taken", code: "TAKEN" },
      ],
      [
        { name: "L".repeat(256) },
        {
          field: ["input", "name"],
          message: "Name is too long (maximum is 255 characters)",
          code: "TOO_LONG",
        },
      ],
      // The catalog is checked before the name and the adjustment.
      [
        {
          name: "Acme prices",
          catalogId: "gid://shopify/CompanyLocationCatalog/9",
          parent: { adjustment: { type: "PERCENTAGE_DECREASE", value: 250 } },
        },
        { field: ["input", "catalogId"], message: "Catalog does not exist.", code: "CATALOG_DOES_NOT_EXIST" },
      ],
      [
        { catalogId: catalog.id },
        {
          field: ["input", "catalogId"],
          message: "Catalog has a price list already assigned.",
          code: "CATALOG_TAKEN",
        },
      ],
    ] as const) {
      const data = await create(input);
      expect(data.priceListCreate, JSON.stringify(input)).toEqual({ priceList: null, userErrors: [error] });
    }
    const wrongType = await run(PRICE_LIST_CREATE, {
      input: {
        name: "W",
        currency: "USD",
        parent: { adjustment: { type: "PERCENTAGE_DECREASE", value: 1 } },
        catalogId: "gid://shopify/CatalogMarket/9",
      },
    });
    expect(wrongType.errors?.[0]).toMatchObject({
      message: "Invalid id: gid://shopify/CatalogMarket/9",
      extensions: { code: "RESOURCE_NOT_FOUND" },
    });

    const UPDATE = `mutation($id: ID!, $input: PriceListUpdateInput!) { priceListUpdate(id: $id, input: $input) {
      priceList { name currency fixedPricesCount parent { adjustment { type value } settings { compareAtMode } } catalog { id } }
      userErrors { field message code } } }`;
    const variant = (await gql(`{ productVariants(first: 1) { nodes { id } } }`)).productVariants.nodes[0].id;
    await gql(FIXED_ADD, {
      id: list.id,
      prices: [{ variantId: variant, price: { amount: "5", currencyCode: "USD" } }],
    });
    // A refused adjustment answers the list unchanged.
    const badAdjustment = await gql(UPDATE, {
      id: list.id,
      input: { parent: { adjustment: { type: "PERCENTAGE_DECREASE", value: 250 } } },
    });
    expect(badAdjustment.priceListUpdate).toMatchObject({
      priceList: { parent: { adjustment: { type: "PERCENTAGE_DECREASE", value: 0 } }, fixedPricesCount: 1 },
      userErrors: [invalidAdjustment],
    });
    const same = await gql(UPDATE, {
      id: list.id,
      input: {
        currency: "USD",
        parent: {
          adjustment: { type: "PERCENTAGE_INCREASE", value: 15 },
          settings: { compareAtMode: "NULLIFY" },
        },
      },
    });
    expect(same.priceListUpdate.priceList).toMatchObject({
      fixedPricesCount: 1,
      parent: {
        adjustment: { type: "PERCENTAGE_INCREASE", value: 15 },
        settings: { compareAtMode: "NULLIFY" },
      },
    });
    // A new currency removes every fixed price.
    const cad = await gql(UPDATE, { id: list.id, input: { currency: "CAD" } });
    expect(cad.priceListUpdate.priceList).toMatchObject({ currency: "CAD", fixedPricesCount: 0 });
    const detached = await gql(UPDATE, { id: list.id, input: { catalogId: null } });
    expect(detached.priceListUpdate).toMatchObject({ priceList: { catalog: null }, userErrors: [] });
    expect(
      (await gql(`query($id: ID!) { catalog(id: $id) { priceList { id } } }`, { id: catalog.id })).catalog
        .priceList,
    ).toBeNull();

    const DELETE = `mutation($id: ID!) { priceListDelete(id: $id) { deletedId userErrors { field message code } } }`;
    expect((await gql(DELETE, { id: list.id })).priceListDelete).toEqual({
      deletedId: list.id,
      userErrors: [],
    });
    expect((await gql(DELETE, { id: list.id })).priceListDelete).toEqual({
      deletedId: null,
      userErrors: [{ field: ["id"], message: "Price list does not exist.", code: "PRICE_LIST_NOT_FOUND" }],
    });
  });

  it("prices every variant: fixed prices in the list's currency, the others relative to the adjustment in the shop's", async () => {
    const { gql, variants } = setup();
    const usd = await priceListFor(gql, null, {
      parent: { adjustment: { type: "PERCENTAGE_DECREASE", value: 10 } },
    });
    const add = await gql(FIXED_ADD, {
      id: usd.id,
      prices: [
        {
          variantId: VARIANT(variants[1]!.id),
          price: { amount: "12.5", currencyCode: "USD" },
          compareAtPrice: { amount: "18", currencyCode: "USD" },
        },
      ],
    });
    expect(add.priceListFixedPricesAdd).toEqual({
      prices: [
        {
          variant: { id: VARIANT(variants[1]!.id) },
          price: { amount: "12.5", currencyCode: "USD" },
          compareAtPrice: { amount: "18.0", currencyCode: "USD" },
          originType: "FIXED",
        },
      ],
      userErrors: [],
    });
    const all = (await gql(PRICES, { id: usd.id })).priceList;
    expect(all.fixedPricesCount).toBe(1);
    expect(all.prices.nodes.slice(0, 3)).toEqual([
      {
        variant: { id: VARIANT(variants[0]!.id) },
        price: { amount: "9.0", currencyCode: "USD" },
        compareAtPrice: { amount: "13.5", currencyCode: "USD" },
        originType: "RELATIVE",
      },
      {
        variant: { id: VARIANT(variants[1]!.id) },
        price: { amount: "12.5", currencyCode: "USD" },
        compareAtPrice: { amount: "18.0", currencyCode: "USD" },
        originType: "FIXED",
      },
      {
        variant: { id: VARIANT(variants[2]!.id) },
        price: { amount: "27.0", currencyCode: "USD" },
        compareAtPrice: null,
        originType: "RELATIVE",
      },
    ]);
    expect(all.prices.nodes).toHaveLength(variants.length);
    const fixed = (await gql(PRICES, { id: usd.id, origin: "FIXED" })).priceList.prices.nodes;
    expect(fixed.map((n: any) => n.variant.id)).toEqual([VARIANT(variants[1]!.id)]);
    const relative = (await gql(PRICES, { id: usd.id, origin: "RELATIVE" })).priceList.prices.nodes;
    expect(relative).toHaveLength(variants.length - 1);
    const one = (await gql(PRICES, { id: usd.id, query: `variant_id:${variants[2]!.id}` })).priceList.prices
      .nodes;
    expect(one.map((n: any) => n.price.amount)).toEqual(["27.0"]);

    // A list in another currency: fixed prices in it, relative ones in the shop's (no exchange rates).
    const eur = await priceListFor(gql, null, {
      currency: "EUR",
      parent: {
        adjustment: { type: "PERCENTAGE_INCREASE", value: 20 },
        settings: { compareAtMode: "NULLIFY" },
      },
    });
    await gql(FIXED_ADD, {
      id: eur.id,
      prices: [{ variantId: VARIANT(variants[2]!.id), price: { amount: "31", currencyCode: "EUR" } }],
    });
    const euro = (await gql(PRICES, { id: eur.id })).priceList.prices.nodes;
    expect(euro.slice(0, 3)).toEqual([
      {
        variant: { id: VARIANT(variants[0]!.id) },
        price: { amount: "12.0", currencyCode: "USD" },
        compareAtPrice: null,
        originType: "RELATIVE",
      },
      {
        variant: { id: VARIANT(variants[1]!.id) },
        price: { amount: "24.0", currencyCode: "USD" },
        compareAtPrice: null,
        originType: "RELATIVE",
      },
      {
        variant: { id: VARIANT(variants[2]!.id) },
        price: { amount: "31.0", currencyCode: "EUR" },
        compareAtPrice: null,
        originType: "FIXED",
      },
    ]);
  });

  it("refuses fixed prices as a live shop does: unknown list, unknown variants first, then each currency mismatch", async () => {
    const { gql, run, variants } = setup();
    const list = await priceListFor(gql, null, { currency: "CAD" });
    const price = (variant: number | string, currencyCode = "CAD", compareAt?: string) => ({
      variantId: typeof variant === "number" ? VARIANT(variant) : variant,
      price: { amount: "10", currencyCode },
      ...(compareAt ? { compareAtPrice: { amount: "12", currencyCode: compareAt } } : {}),
    });
    const missingList = await gql(FIXED_ADD, {
      id: "gid://shopify/PriceList/9",
      prices: [price(variants[0]!.id)],
    });
    expect(missingList.priceListFixedPricesAdd).toEqual({
      prices: null,
      userErrors: [
        { field: ["priceListId"], message: "Price list does not exist.", code: "PRICE_LIST_NOT_FOUND" },
      ],
    });
    const missingVariant = await gql(FIXED_ADD, {
      id: list.id,
      prices: [price(variants[0]!.id, "USD"), price(VARIANT(1), "USD")],
    });
    expect(missingVariant.priceListFixedPricesAdd).toEqual({
      prices: [],
      userErrors: [
        {
          field: ["prices", "1", "variantId"],
          message: "Product variant ID does not exist.",
          code: "VARIANT_NOT_FOUND",
        },
      ],
    });
    const mismatch = "The specified currency does not match the price list's currency.";
    const currencies = await gql(FIXED_ADD, {
      id: list.id,
      prices: [price(variants[0]!.id, "CAD", "USD"), price(variants[1]!.id, "USD", "USD")],
    });
    expect(currencies.priceListFixedPricesAdd).toEqual({
      prices: [],
      userErrors: [
        {
          field: ["prices", "0", "compareAtPrice", "currencyCode"],
          message: mismatch,
          code: "PRICE_LIST_CURRENCY_MISMATCH",
        },
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
    expect((await gql(PRICES, { id: list.id, origin: "FIXED" })).priceList.fixedPricesCount).toBe(0);
    // The same variant twice: the last price stays, answered once.
    const twice = await gql(FIXED_ADD, {
      id: list.id,
      prices: [
        price(variants[0]!.id),
        { ...price(variants[0]!.id), price: { amount: "11", currencyCode: "CAD" } },
      ],
    });
    expect(twice.priceListFixedPricesAdd.prices).toEqual([
      {
        variant: { id: VARIANT(variants[0]!.id) },
        price: { amount: "11.0", currencyCode: "CAD" },
        compareAtPrice: null,
        originType: "FIXED",
      },
    ]);
    // 250 at most in one call, as every Admin API list argument; more is refused whole.
    const tooMany = await run(FIXED_ADD, {
      id: list.id,
      prices: Array.from({ length: 251 }, () => price(variants[1]!.id)),
    });
    expect(tooMany.errors?.[0]).toMatchObject({
      message: "The input array size of 251 is greater than the maximum allowed of 250.",
      extensions: { code: "MAX_INPUT_SIZE_EXCEEDED" },
    });
    expect((await gql(PRICES, { id: list.id, origin: "FIXED" })).priceList.fixedPricesCount).toBe(1);
  });

  it("costs a fixed-price delete what a live shop charges", async () => {
    const { gql, run, variants } = setup();
    const list = await priceListFor(gql, null);
    // A live shop's document and cost (airhorns/shopify-draft-proxy,
    // fixtures/conformance/…/2026-04/markets/price-list-fixed-prices-validation.json): 10 and 10.
    const DELETE = `mutation($priceListId: ID!, $variantIds: [ID!]!) { priceListFixedPricesDelete(priceListId: $priceListId, variantIds: $variantIds) {
      deletedFixedPriceVariantIds userErrors { __typename field message code } } }`;
    const deleted = await run(DELETE, { priceListId: list.id, variantIds: [VARIANT(variants[0]!.id)] });
    expect(deleted.extensions.cost).toMatchObject({ requestedQueryCost: 10, actualQueryCost: 10 });
  });

  it("deletes fixed prices, telling a variant without one (PRICE_NOT_FIXED) from an unknown one", async () => {
    const { gql, variants } = setup();
    const list = await priceListFor(gql, null);
    await gql(FIXED_ADD, {
      id: list.id,
      prices: [{ variantId: VARIANT(variants[0]!.id), price: { amount: "8", currencyCode: "USD" } }],
    });
    const notFixed = await gql(FIXED_DELETE, {
      id: list.id,
      ids: [VARIANT(variants[0]!.id), VARIANT(variants[1]!.id)],
    });
    expect(notFixed.priceListFixedPricesDelete).toEqual({
      deletedFixedPriceVariantIds: [],
      userErrors: [
        { field: ["variantIds", "1"], message: "Only fixed prices can be deleted.", code: "PRICE_NOT_FIXED" },
      ],
    });
    const unknown = await gql(FIXED_DELETE, { id: list.id, ids: [VARIANT(1)] });
    expect(unknown.priceListFixedPricesDelete.userErrors).toEqual([
      {
        field: ["variantIds", "0"],
        message: "Product variant ID does not exist.",
        code: "VARIANT_NOT_FOUND",
      },
    ]);
    const missingList = await gql(FIXED_DELETE, {
      id: "gid://shopify/PriceList/9",
      ids: [VARIANT(variants[0]!.id)],
    });
    expect(missingList.priceListFixedPricesDelete.deletedFixedPriceVariantIds).toBeNull();
    const done = await gql(FIXED_DELETE, { id: list.id, ids: [VARIANT(variants[0]!.id)] });
    expect(done.priceListFixedPricesDelete).toEqual({
      deletedFixedPriceVariantIds: [VARIANT(variants[0]!.id)],
      userErrors: [],
    });
    const after = (await gql(PRICES, { id: list.id, query: `variant_id:${variants[0]!.id}` })).priceList;
    expect(after).toEqual({
      fixedPricesCount: 0,
      prices: {
        nodes: [
          {
            variant: { id: VARIANT(variants[0]!.id) },
            price: { amount: "9.0", currencyCode: "USD" },
            compareAtPrice: { amount: "13.5", currencyCode: "USD" },
            originType: "RELATIVE",
          },
        ],
      },
    });
  });

  it("adds and deletes in one priceListFixedPricesUpdate; refused, it answers the list as it is", async () => {
    const { gql, variants } = setup();
    const list = await priceListFor(gql, null);
    await gql(FIXED_ADD, {
      id: list.id,
      prices: [{ variantId: VARIANT(variants[0]!.id), price: { amount: "8", currencyCode: "USD" } }],
    });
    const refused = await gql(FIXED_UPDATE, {
      id: list.id,
      add: [{ variantId: VARIANT(variants[1]!.id), price: { amount: "7", currencyCode: "EUR" } }],
      delete: [VARIANT(variants[2]!.id)],
    });
    expect(refused.priceListFixedPricesUpdate).toEqual({
      priceList: { id: list.id, fixedPricesCount: 1 },
      pricesAdded: [],
      deletedFixedPriceVariantIds: [],
      userErrors: [
        {
          field: ["pricesToAdd", "0", "price", "currencyCode"],
          message: "The specified currency does not match the price list's currency.",
          code: "PRICE_LIST_CURRENCY_MISMATCH",
        },
        {
          field: ["variantIdsToDelete", "0"],
          message: "Only fixed prices can be deleted.",
          code: "PRICE_NOT_FIXED",
        },
      ],
    });
    const done = await gql(FIXED_UPDATE, {
      id: list.id,
      add: [{ variantId: VARIANT(variants[1]!.id), price: { amount: "7", currencyCode: "USD" } }],
      delete: [VARIANT(variants[0]!.id)],
    });
    expect(done.priceListFixedPricesUpdate).toEqual({
      priceList: { id: list.id, fixedPricesCount: 1 },
      pricesAdded: [{ variant: { id: VARIANT(variants[1]!.id) }, price: { amount: "7.0" } }],
      deletedFixedPriceVariantIds: [VARIANT(variants[0]!.id)],
      userErrors: [],
    });
    const missing = await gql(FIXED_UPDATE, { id: "gid://shopify/PriceList/9", add: [], delete: [] });
    expect(missing.priceListFixedPricesUpdate).toMatchObject({
      priceList: null,
      pricesAdded: null,
      deletedFixedPriceVariantIds: null,
    });
  });

  it("accepts a fixed price for a variant outside the catalog's publication (Shopify documents no error for it)", async () => {
    const { gql, variants, products } = setup();
    const acme = await company(gql, "Acme");
    const catalog = await catalogFor(gql, acme.locations);
    const list = await priceListFor(gql, catalog.id);
    // A publication of the first product only: the third product's variants are outside it.
    const publication = (
      await gql(
        `mutation($id: ID!) { publicationCreate(input: { catalogId: $id }) { publication { id } } }`,
        { id: catalog.id },
      )
    ).publicationCreate.publication;
    await gql(
      `mutation($id: ID!, $product: ID!) { publicationUpdate(id: $id, input: { publishablesToAdd: [$product] }) { userErrors { field } } }`,
      { id: publication.id, product: PRODUCT(products[0]!.id) },
    );
    const outside = variants.find((v) => v.productId === products[2]!.id)!;
    const data = await gql(FIXED_ADD, {
      id: list.id,
      prices: [{ variantId: VARIANT(outside.id), price: { amount: "9", currencyCode: "USD" } }],
    });
    expect(data.priceListFixedPricesAdd.userErrors).toEqual([]);
  });
});

describe("publications", () => {
  it("creates a catalog's publication, adds and removes its products, and publishes new products when autoPublish is on", async () => {
    const { gql, products } = setup();
    const acme = await company(gql, "Acme");
    const catalog = await catalogFor(gql, acme.locations);
    const empty = await gql(
      `mutation { publicationCreate(input: {}) { publication { id autoPublish supportsFuturePublishing catalog { id } } userErrors { field message code } } }`,
    );
    expect(empty.publicationCreate).toEqual({
      publication: {
        id: expect.stringMatching(/Publication\/\d+$/),
        autoPublish: false,
        supportsFuturePublishing: false,
        catalog: null,
      },
      userErrors: [],
    });
    const unknown = await gql(
      `mutation { publicationCreate(input: { catalogId: "gid://shopify/Catalog/999" }) { publication { id } userErrors { field message code } } }`,
    );
    expect(unknown.publicationCreate.userErrors).toEqual([
      {
        field: ["input", "catalogId"],
        message: "A catalog was not found for id= gid://shopify/Catalog/999.",
        code: "CATALOG_NOT_FOUND",
      },
    ]);
    const created = await gql(
      `mutation($id: ID!) { publicationCreate(input: { catalogId: $id, autoPublish: true }) { publication { id autoPublish catalog { id } } userErrors { field } } }`,
      { id: catalog.id },
    );
    const publication = created.publicationCreate.publication;
    expect(publication).toMatchObject({ autoPublish: true, catalog: { id: catalog.id } });
    const UPDATE = `mutation($id: ID!, $input: PublicationUpdateInput!) { publicationUpdate(id: $id, input: $input) {
      publication { id includedProductsCount { count } products(first: 10) { nodes { id } } } userErrors { field message code } } }`;
    const added = await gql(UPDATE, {
      id: publication.id,
      input: { publishablesToAdd: [PRODUCT(products[0]!.id), PRODUCT(products[1]!.id)] },
    });
    expect(added.publicationUpdate.publication).toMatchObject({
      includedProductsCount: { count: 2 },
      products: { nodes: [{ id: PRODUCT(products[0]!.id) }, { id: PRODUCT(products[1]!.id) }] },
    });
    const removed = await gql(UPDATE, {
      id: publication.id,
      input: { publishablesToRemove: [PRODUCT(products[0]!.id)] },
    });
    expect(removed.publicationUpdate.publication.products.nodes).toEqual([{ id: PRODUCT(products[1]!.id) }]);
    const invalid = await gql(UPDATE, { id: publication.id, input: { publishablesToAdd: [PRODUCT(9)] } });
    expect(invalid.publicationUpdate).toEqual({
      publication: null,
      userErrors: [
        {
          field: ["input", "publishablesToAdd", "0"],
          message: "Publishable ID not found.",
          code: "INVALID_PUBLISHABLE_ID",
        },
      ],
    });
    const tooMany = await gql(UPDATE, {
      id: publication.id,
      input: { publishablesToAdd: Array.from({ length: 51 }, (_, i) => PRODUCT(900 + i)) },
    });
    expect(tooMany.publicationUpdate.userErrors).toEqual([
      {
        field: ["input", "publishablesToAdd", "51"],
        message: "The limit for simultaneous publication updates has been exceeded.",
        code: "PUBLICATION_UPDATE_LIMIT_EXCEEDED",
      },
    ]);
    const missing = await gql(UPDATE, { id: "gid://shopify/Publication/9", input: { autoPublish: false } });
    expect(missing.publicationUpdate.userErrors).toEqual([
      { field: ["id"], message: "Publication was not found", code: "PUBLICATION_NOT_FOUND" },
    ]);
    // A product created now joins the publication (autoPublish).
    const product = await gql(
      `mutation { productCreate(product: { title: "New hat" }) { product { id } userErrors { field message } } }`,
    );
    const newId = product.productCreate.product.id;
    const read = await gql(
      `query($id: ID!, $p: ID!, $other: ID!) { publication(id: $id) { products(first: 10) { nodes { id } } }
        product(id: $p) { publishedOnPublication(publicationId: $id) }
        other: product(id: $other) { publishedOnPublication(publicationId: $id) }
        publishedProductsCount(publicationId: $id) { count }
        catalog(id: "${catalog.id}") { publication { id } } }`,
      { id: publication.id, p: newId, other: PRODUCT(products[0]!.id) },
    );
    expect(read.publication.products.nodes).toEqual([{ id: PRODUCT(products[1]!.id) }, { id: newId }]);
    expect(read.product.publishedOnPublication).toBe(true);
    expect(read.other.publishedOnPublication).toBe(false);
    expect(read.publishedProductsCount).toEqual({ count: 2 });
    expect(read.catalog.publication).toEqual({ id: publication.id });
  });

  it("publishes a product with publishablePublish and withdraws it with publishableUnpublish", async () => {
    const { gql, products } = setup();
    const created = await gql(
      `mutation { publicationCreate(input: { defaultState: ALL_PRODUCTS }) { publication { id includedProductsCount { count } } } }`,
    );
    const publication = created.publicationCreate.publication;
    expect(publication.includedProductsCount).toEqual({ count: products.length });
    const PUBLISH = (
      name: string,
    ) => `mutation($id: ID!, $input: [PublicationInput!]!) { ${name}(id: $id, input: $input) {
      publishable { ... on Product { id publishedOnPublication(publicationId: "${publication.id}") } } userErrors { field message } } }`;
    const off = await gql(PUBLISH("publishableUnpublish"), {
      id: PRODUCT(products[0]!.id),
      input: [{ publicationId: publication.id }],
    });
    expect(off.publishableUnpublish).toEqual({
      publishable: { id: PRODUCT(products[0]!.id), publishedOnPublication: false },
      userErrors: [],
    });
    const on = await gql(PUBLISH("publishablePublish"), {
      id: PRODUCT(products[0]!.id),
      input: [{ publicationId: publication.id }],
    });
    expect(on.publishablePublish.publishable.publishedOnPublication).toBe(true);
    const errors = await gql(PUBLISH("publishablePublish"), {
      id: PRODUCT(products[0]!.id),
      input: [
        { publicationId: publication.id },
        { publicationId: publication.id },
        { publicationId: "gid://shopify/Publication/9" },
        {},
      ],
    });
    expect(errors.publishablePublish.userErrors).toEqual([
      {
        field: ["input", "1", "publicationId"],
        message: "The same publication was specified more than once",
      },
      { field: ["input", "2", "publicationId"], message: "Publication does not exist or is not publishable" },
      { field: ["input", "3", "publicationId"], message: "PublicationId cannot be empty" },
    ]);
    const unknown = await gql(PUBLISH("publishablePublish"), {
      id: PRODUCT(9),
      input: [{ publicationId: publication.id }],
    });
    expect(unknown.publishablePublish).toEqual({
      publishable: null,
      userErrors: [{ field: ["id"], message: "Resource does not exist" }],
    });
  });
});

describe("bulk queries", () => {
  it("reads a price list's fixed prices in bulk, one line per price", async () => {
    const { gql, shop, variants } = setup();
    const list = await priceListFor(gql, null);
    await gql(FIXED_ADD, {
      id: list.id,
      prices: variants
        .slice(0, 4)
        .map((v, i) => ({ variantId: VARIANT(v.id), price: { amount: `${i + 1}.5`, currencyCode: "USD" } })),
    });
    const query = `{ priceList(id: "${list.id}") { id prices(originType: FIXED) { edges { node { variant { id } price { amount currencyCode } compareAtPrice { amount } } } } } }`;
    const started = await gql(
      `mutation($q: String!) { bulkOperationRunQuery(query: $q) { bulkOperation { id } userErrors { field message } } }`,
      { q: query },
    );
    expect(started.bulkOperationRunQuery.userErrors).toEqual([]);
    await bulkOperationsSettled(shop);
    const operation = [...shop.bulkOperations.values()][0]!;
    expect(operation.status).toBe("COMPLETED");
    const lines = operation
      .resultJsonl!.trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines).toEqual(
      variants.slice(0, 4).map((v, i) => ({
        variant: { id: VARIANT(v.id) },
        price: { amount: `${i + 1}.5`, currencyCode: "USD" },
        compareAtPrice: null,
      })),
    );
  });

  it("reads catalogs with their company locations and price lists' fixed prices in bulk, children after with __parentId", async () => {
    const { gql, shop, variants } = setup();
    const acme = await company(gql, "Acme");
    const beta = await company(gql, "Beta");
    const one = await catalogFor(gql, acme.locations, "One");
    const two = await catalogFor(gql, beta.locations, "Two");
    const listOne = await priceListFor(gql, one.id);
    await priceListFor(gql, two.id);
    await gql(FIXED_ADD, {
      id: listOne.id,
      prices: [{ variantId: VARIANT(variants[0]!.id), price: { amount: "3", currencyCode: "USD" } }],
    });
    const query = `{ catalogs(type: COMPANY_LOCATION) { edges { node { id title
      ... on CompanyLocationCatalog { companyLocations { edges { node { id } } } }
      priceList { id currency prices(originType: FIXED) { edges { node { variant { id } price { amount } } } } } } } } }`;
    await gql(`mutation($q: String!) { bulkOperationRunQuery(query: $q) { userErrors { field message } } }`, {
      q: query,
    });
    await bulkOperationsSettled(shop);
    const operation = [...shop.bulkOperations.values()][0]!;
    expect(operation.errorMessages ?? []).toEqual([]);
    const lines = operation
      .resultJsonl!.trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines).toEqual([
      { id: one.id, title: "One", priceList: { id: listOne.id, currency: "USD" } },
      { id: two.id, title: "Two", priceList: { id: expect.stringMatching(/PriceList/), currency: "USD" } },
      { id: acme.locations[0], __parentId: one.id },
      { variant: { id: VARIANT(variants[0]!.id) }, price: { amount: "3.0" }, __parentId: one.id },
      { id: beta.locations[0], __parentId: two.id },
    ]);
  });
});

const servers: ReturnType<typeof createSimulatorServer>[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

describe("control API: the merchant in admin", () => {
  async function http() {
    const env = setup();
    const server = createSimulatorServer(env.sim);
    servers.push(server);
    const base = `http://127.0.0.1:${await listen(server, 0)}/_sim/shops/${DOMAIN}`;
    const call = async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${base}/${path}`, {
        method,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const answer: any = await response.json();
      return { status: response.status, body: answer };
    };
    return { ...env, call };
  }

  it("creates a company's catalog with a price list, fixed prices and a publication, then changes prices behind the app's back", async () => {
    const { gql, call, variants, products, sent } = await http();
    const acme = await company(gql, "Acme", true);
    sent.length = 0;
    const created = await call("POST", "catalogs", {
      title: "Acme B2B",
      companyId: acme.id,
      priceList: {
        currency: "USD",
        adjustment: { type: "PERCENTAGE_DECREASE", value: 15 },
        fixedPrices: [{ variantId: variants[0]!.id, price: "7.25" }],
      },
      publication: { products: [products[0]!.id, products[1]!.id] },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      title: "Acme B2B",
      status: "ACTIVE",
      companyLocationIds: acme.locations,
      fixedPricesCount: 1,
    });
    const read = await gql(
      `query($id: ID!) { catalog(id: $id) { title priceList { parent { adjustment { type value } } prices(first: 2, originType: FIXED) { nodes { variant { id } price { amount } } } }
        publication { includedProductsCount { count } } } }`,
      { id: created.body.id },
    );
    expect(read.catalog).toEqual({
      title: "Acme B2B",
      priceList: {
        parent: { adjustment: { type: "PERCENTAGE_DECREASE", value: 15 } },
        prices: { nodes: [{ variant: { id: VARIANT(variants[0]!.id) }, price: { amount: "7.25" } }] },
      },
      publication: { includedProductsCount: { count: 2 } },
    });
    const listId = created.body.priceListId.split("/").pop();
    const changed = await call("POST", `price-lists/${listId}/prices`, {
      prices: [{ variantId: VARIANT(variants[1]!.id), price: "9.99", compareAtPrice: "12" }],
      remove: [variants[0]!.id],
    });
    expect(changed).toEqual({ status: 200, body: { id: created.body.priceListId, fixedPricesCount: 1 } });
    const prices = (await gql(PRICES, { id: created.body.priceListId, origin: "FIXED" })).priceList.prices
      .nodes;
    expect(prices).toEqual([
      {
        variant: { id: VARIANT(variants[1]!.id) },
        price: { amount: "9.99", currencyCode: "USD" },
        compareAtPrice: { amount: "12.0", currencyCode: "USD" },
        originType: "FIXED",
      },
    ]);
    const refused = await call("POST", `price-lists/${listId}/prices`, {
      prices: [{ variantId: 1, price: "1" }],
    });
    expect(refused).toEqual({
      status: 422,
      body: {
        userErrors: [
          {
            field: ["prices", "0", "variantId"],
            message: "Product variant ID does not exist.",
            code: "VARIANT_NOT_FOUND",
          },
        ],
      },
    });
    const adjusted = await call("POST", `price-lists/${listId}`, {
      adjustment: { type: "PERCENTAGE_INCREASE", value: 5 },
    });
    expect(adjusted.status).toBe(200);
    const publicationId = created.body.publicationId.split("/").pop();
    expect(
      (await call("POST", `publications/${publicationId}/products`, { remove: [products[1]!.id] })).body,
    ).toMatchObject({ products: 1 });
    const archived = await call("POST", `catalogs/${created.body.id.split("/").pop()}`, {
      status: "ARCHIVED",
    });
    expect(archived.body).toMatchObject({ status: "ARCHIVED" });
    const listed = await call("GET", "catalogs");
    expect(listed.body).toHaveLength(1);
    const deleted = await call("DELETE", `catalogs/${created.body.id.split("/").pop()}`);
    expect(deleted).toEqual({ status: 200, body: { deletedId: created.body.id } });
    expect(await gql(`{ catalogsCount { count } priceLists(first: 5) { nodes { id } } }`)).toEqual({
      catalogsCount: { count: 0 },
      priceLists: { nodes: [] },
    });
    // None of this is a webhook on Shopify.
    expect(sent).toEqual([]);
  });

  it("refuses a catalog for an unknown location with the API's userErrors, making nothing", async () => {
    const { call, shop } = await http();
    const refused = await call("POST", "catalogs", { title: "X", companyLocationIds: [123] });
    expect(refused).toEqual({
      status: 422,
      body: {
        userErrors: [
          {
            field: ["input", "context", "companyLocationIds", "0"],
            message: "A company location within the catalog does not exist.",
            code: "COMPANY_LOCATION_NOT_FOUND",
          },
        ],
      },
    });
    expect(shop.catalogs.size + shop.priceLists.size).toBe(0);
    expect((await call("POST", "catalogs", { title: 5 })).status).toBe(400);
  });

  it("sets up a market with its catalog and sends markets/create, whose payload matches Shopify's schema", async () => {
    const { call, gql, sent } = await http();
    const made = await call("POST", "markets", {
      name: "Switzerland",
      currency: "CHF",
      adjustment: { type: "PERCENTAGE_INCREASE", value: 8 },
    });
    expect(made.status).toBe(201);
    expect(made.body.catalog).toMatchObject({ title: "Switzerland", status: "ACTIVE" });
    const read = await gql(
      `{ catalogs(first: 5, type: MARKET) { nodes { title priceList { currency parent { adjustment { value } } } } } }`,
    );
    expect(read.catalogs.nodes).toEqual([
      { title: "Switzerland", priceList: { currency: "CHF", parent: { adjustment: { value: 8 } } } },
    ]);
    expect(sent.map((s) => s.topic)).toEqual(["markets/create"]);
    expect(sent[0]!.payload).toEqual({
      id: Number(made.body.id.split("/").pop()),
      name: "Switzerland",
      type: "region",
      status: "active",
    });
    expect(webhookSchemaErrors("markets/create", sent[0]!.payload)).toEqual([]);
  });
});
