import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createCustomer, findCustomer, updateCustomer } from "../../app/backoffice/backoffice.server";
import prisma from "../../app/db.server";
import { runInForeground } from "../../app/jobs/foreground.server";
import { customerImport } from "../../app/sync/customers/import.server";
import { addCustomersToShopify } from "../../app/sync/customers/records.server";
import { syncCustomersTask } from "../../app/sync/customers/task.server";
import { syncOrdersTask } from "../../app/sync/orders/task.server";
import { processStaged } from "../kit/jobs";
import { placeOrder } from "./place-order";
import { orderShop } from "../support/order-shop";
import { noFaults } from "../../simulator/simulator.server";
import { startSimulator, type RunningSimulator } from "../support/simulator";
import type { Store } from "../support/store";

/**
 * Sync customers against the simulated Shopify and real Postgres: every customer imported with
 * the right name and address (one without a default address, one without any); an e-mail that
 * only partly matches a back-office customer's does not map to it, an exact one (any case) does;
 * a second run writes nothing; Shopify's changes update the back office only when the shop card
 * says so; an added back-office customer is created in Shopify with its address and a second
 * run sends nothing; an e-mail Shopify has for another customer is a visible skipped record.
 */

let simulator: RunningSimulator;

beforeAll(async () => {
  simulator = await startSimulator(null);
  process.env.SHOPIFY_ADMIN_ORIGIN = simulator.url;
});
afterAll(() => simulator?.close());
afterEach(() => {
  simulator.sim.faults = noFaults();
});

const CREATE = `mutation TestCustomer($input: CustomerInput!) { customerCreate(input: $input) {
  customer { id } userErrors { field message } } }`;

async function shopifyCustomer(store: Store, input: Record<string, unknown>): Promise<string> {
  const data = await store.graphql<{
    customerCreate: { customer: { id: string }; userErrors: unknown[] };
  }>(CREATE, { input });
  expect(data.customerCreate.userErrors).toEqual([]);
  return data.customerCreate.customer.id;
}

const ADDRESS = {
  address1: "12 Analytical Row",
  city: "London",
  zip: "EC1A 1BB",
  countryCode: "GB",
};

/** A customers shop whose back office has the order shop's items (TEE-S, TEE-M), for orders. */
async function orderShopWithItems(settings: Record<string, unknown> = {}) {
  const { shop, store, small } = await orderShop(simulator);
  await prisma.shopSettings.update({
    where: { shopId: shop.id },
    data: { customerAutoCreate: true, autoProcessOrders: false, ...settings },
  });
  return { shop, store, small };
}

async function customersShop(settings: Record<string, unknown> = {}) {
  const { shop, store } = await orderShop(simulator, { items: false });
  await prisma.shopSettings.update({
    where: { shopId: shop.id },
    data: { customerImport: "all", customerAutoCreate: true, ...settings },
  });
  return { shop, store };
}

const run = (domain: string, filters: Record<string, unknown> = {}) =>
  runInForeground(prisma, syncCustomersTask, { shop: domain, trigger: "manual", filters });

async function linkOf(shopId: string, gid: string) {
  return prisma.shopifyCustomer.findUniqueOrThrow({
    where: { shopId_shopifyId: { shopId, shopifyId: BigInt(gid.split("/").pop()!) } },
  });
}

describe("importing every Shopify customer", () => {
  it("creates each from its default address, else any address, else none, and says which", async () => {
    const { shop, store } = await customersShop({ customerNameFrom: "last_first" });
    const ada = await shopifyCustomer(store, {
      email: "ada@example.com",
      firstName: "Ada",
      lastName: "Lovelace",
      addresses: [{ ...ADDRESS, company: "Analytical Engines" }],
    });
    const grace = await shopifyCustomer(store, {
      email: "grace@example.com",
      firstName: "Grace",
      lastName: "Hopper",
    });
    const alan = await shopifyCustomer(store, {
      phone: "+44 20 7946 0018",
      firstName: "Alan",
      lastName: "Turing",
      addresses: [{ address1: "1 Bletchley Park", city: "Milton Keynes", zip: "MK3 6EB", countryCode: "GB" }],
    });
    // A customer whose only address is not its default (as one imported into Shopify can be).
    const record = simulator.sim.shop(store.domain).customers.get(Number(alan.split("/").pop()))!;
    record.defaultAddressId = null;

    const first = await run(shop.domain);
    expect(first).toMatchObject({ status: "succeeded", counts: { created: 3 } });

    const adaLink = await linkOf(shop.id, ada);
    expect(adaLink).toMatchObject({ syncState: "linked", message: "created from its default address" });
    expect(await findCustomer(prisma, shop.id, adaLink.customerNo!)).toMatchObject({
      name: "Lovelace Ada",
      email: "ada@example.com",
      address1: "12 Analytical Row",
      city: "London",
      zip: "EC1A 1BB",
      countryCode: "GB",
    });
    const graceLink = await linkOf(shop.id, grace);
    expect(graceLink.message).toBe("created without an address (it has none in Shopify)");
    expect(await findCustomer(prisma, shop.id, graceLink.customerNo!)).toMatchObject({
      name: "Hopper Grace",
      address1: null,
    });
    const alanLink = await linkOf(shop.id, alan);
    expect(alanLink.message).toBe("created from its only address on file (it has no default address)");
    expect(await findCustomer(prisma, shop.id, alanLink.customerNo!)).toMatchObject({
      name: "Turing Alan",
      phone: "+442079460018",
      address1: "1 Bletchley Park",
      city: "Milton Keynes",
    });

    // Nothing changed: the next run writes nothing.
    const before = await prisma.boCustomer.findMany({ where: { shopId: shop.id }, orderBy: { no: "asc" } });
    const second = await run(shop.domain);
    expect(second.status).toBe("succeeded");
    expect(second.counts).not.toHaveProperty("created");
    expect(second.counts).not.toHaveProperty("mutationRequests");
    expect(await prisma.boCustomer.findMany({ where: { shopId: shop.id }, orderBy: { no: "asc" } })).toEqual(
      before,
    );
  });

  it("reads a large store's customers by one bulk query the first time, then by cursor", async () => {
    const { shop, store } = await customersShop();
    const ids = [];
    for (let i = 0; i < 4; i++)
      ids.push(
        await shopifyCustomer(store, {
          email: `bulk${i}@example.com`,
          firstName: `Bulk${i}`,
          lastName: "Buyer",
          ...(i % 2 === 0 ? { addresses: [ADDRESS] } : {}),
        }),
      );
    const bulkAbove = customerImport.bulkAbove;
    customerImport.bulkAbove = 2;
    try {
      expect(await run(shop.domain)).toMatchObject({
        status: "succeeded",
        counts: { bulkQueries: 1, created: 4 },
      });
    } finally {
      customerImport.bulkAbove = bulkAbove;
    }
    const links = await Promise.all(ids.map((id) => linkOf(shop.id, id)));
    expect(links.map((link) => link.message)).toEqual([
      "created from its default address",
      "created without an address (it has none in Shopify)",
      "created from its default address",
      "created without an address (it has none in Shopify)",
    ]);
    expect(await findCustomer(prisma, shop.id, links[0]!.customerNo!)).toMatchObject({ city: "London" });
    // The next run reads by cursor: nothing changed, nothing read whole.
    const next = await run(shop.domain);
    expect(next.counts).not.toHaveProperty("bulkQueries");
    expect(next.counts).not.toHaveProperty("created");
  });

  it("maps by the exact e-mail in any case, never by one that only partly matches", async () => {
    const { shop, store } = await customersShop();
    await createCustomer(prisma, shop.id, { no: "C-ADA", name: "Ada L.", email: "ADA@Example.com" });
    await createCustomer(prisma, shop.id, { no: "C-MADA", name: "Madame Ada", email: "mada@example.com.au" });
    const ada = await shopifyCustomer(store, { email: "ada@example.com", firstName: "Ada" });
    const partial = await shopifyCustomer(store, { email: "mada@example.com", firstName: "Mada" });

    expect(await run(shop.domain)).toMatchObject({ status: "succeeded", counts: { linked: 1, created: 1 } });
    expect(await linkOf(shop.id, ada)).toMatchObject({
      customerNo: "C-ADA",
      message: "linked by e-mail ada@example.com",
    });
    const other = await linkOf(shop.id, partial);
    expect(other.customerNo).not.toBe("C-MADA");
    expect(await findCustomer(prisma, shop.id, other.customerNo!)).toMatchObject({
      email: "mada@example.com",
    });
  });

  it("never links a person to a business customer with the same e-mail (a company's contact)", async () => {
    const { shop, store } = await customersShop();
    // The companies sync made business customer B-1 from a company whose main contact is Ada.
    await createCustomer(prisma, shop.id, {
      no: "B-1",
      name: "Analytical Engines",
      email: "ada@example.com",
    });
    await prisma.shopifyCompany.create({
      data: {
        id: randomUUID(),
        shopId: shop.id,
        shopifyId: 990001n,
        name: "Analytical Engines",
        customerNo: "B-1",
        syncState: "linked",
      },
    });
    const ada = await shopifyCustomer(store, {
      email: "ada@example.com",
      firstName: "Ada",
      lastName: "Lovelace",
    });
    expect(await run(shop.domain)).toMatchObject({ status: "succeeded", counts: { created: 1 } });
    const link = await linkOf(shop.id, ada);
    expect(link.customerNo).not.toBe("B-1");
    expect(await findCustomer(prisma, shop.id, link.customerNo!)).toMatchObject({
      name: "Ada Lovelace",
      email: "ada@example.com",
    });
    expect(await findCustomer(prisma, shop.id, "B-1")).toMatchObject({ name: "Analytical Engines" });
  });

  it("leaves a customer it cannot map unmapped, with the reason, when the shop card creates none", async () => {
    const { shop, store } = await customersShop({ customerAutoCreate: false });
    const id = await shopifyCustomer(store, { email: "nobody@example.com", lastName: "Nobody" });
    expect(await run(shop.domain)).toMatchObject({ status: "succeeded", counts: { unmapped: 1 } });
    expect(await linkOf(shop.id, id)).toMatchObject({
      customerNo: null,
      syncState: "unmapped",
      message: "no back-office customer for nobody@example.com, and the shop card does not create customers",
    });
    expect(await prisma.boCustomer.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("updates the back-office customer from Shopify only when the shop card says Shopify updates it", async () => {
    const { shop, store } = await customersShop();
    const id = await shopifyCustomer(store, {
      email: "ada@example.com",
      firstName: "Ada",
      lastName: "Lovelace",
      addresses: [ADDRESS],
    });
    await run(shop.domain);
    const { customerNo } = await linkOf(shop.id, id);
    const moved = `mutation TestMove($input: CustomerInput!) { customerUpdate(input: $input) { userErrors { message } } }`;
    await store.graphql(moved, { input: { id, lastName: "King" } });
    await run(shop.domain);
    expect((await findCustomer(prisma, shop.id, customerNo!))!.name).toBe("Ada Lovelace");

    await prisma.shopSettings.update({
      where: { shopId: shop.id },
      data: { customerUpdates: "from_shopify" },
    });
    await store.graphql(moved, { input: { id, firstName: "Augusta Ada" } });
    expect(await run(shop.domain)).toMatchObject({ status: "succeeded", counts: { updated: 1 } });
    expect((await findCustomer(prisma, shop.id, customerNo!))!.name).toBe("Augusta Ada King");
  });
});

describe("sending back-office customers to Shopify", () => {
  it("creates an added customer with its address, then sends nothing until it changes", async () => {
    const { shop, store } = await customersShop({
      customerImport: "with_orders",
      customerUpdates: "to_shopify",
    });
    await createCustomer(prisma, shop.id, {
      no: "C-100",
      name: "Ada Lovelace",
      email: "ada@example.com",
      phone: "+44 20 7946 0000",
      ...ADDRESS,
    });
    await addCustomersToShopify(prisma, shop.id, ["C-100"]);
    const first = await run(shop.domain);
    expect(first).toMatchObject({ status: "succeeded", counts: { created: 1, mutationRequests: 2 } });
    const record = await prisma.syncRecord.findUniqueOrThrow({
      where: { shopId_task_recordKey: { shopId: shop.id, task: "sync_customers", recordKey: "C-100" } },
    });
    expect(record).toMatchObject({ state: "synced", message: null });
    const read = await store.graphql<{ customer: unknown }>(
      `query TestRead($id: ID!) { customer(id: $id) { firstName lastName email phone
        defaultAddress { address1 city zip countryCodeV2 } } }`,
      { id: record.shopifyId },
    );
    expect(read.customer).toEqual({
      firstName: "Ada",
      lastName: "Lovelace",
      email: "ada@example.com",
      phone: "+442079460000",
      defaultAddress: { address1: "12 Analytical Row", city: "London", zip: "EC1A 1BB", countryCodeV2: "GB" },
    });

    // Its own write comes back (customers/create, customers/update): nothing changes anywhere.
    const second = await run(shop.domain);
    expect(second.status).toBe("succeeded");
    expect(second.counts).not.toHaveProperty("mutationRequests");

    // A change in the back office is sent, and only that.
    await updateCustomer(prisma, shop.id, "C-100", { city: "Cambridge" });
    const third = await run(shop.domain);
    // Only the address changed: one customerAddressUpdate, no customerUpdate.
    expect(third).toMatchObject({ status: "succeeded", counts: { updated: 1, mutationRequests: 1 } });
    const again = await store.graphql<{ customer: { defaultAddress: { city: string } } }>(
      `query TestRead($id: ID!) { customer(id: $id) { defaultAddress { city } } }`,
      { id: record.shopifyId },
    );
    expect(again.customer.defaultAddress.city).toBe("Cambridge");
  });

  it("skips a customer whose e-mail another Shopify customer has, saying so, and the run succeeds", async () => {
    const { shop, store } = await customersShop({ customerImport: "with_orders" });
    await shopifyCustomer(store, { email: "taken@example.com", lastName: "First" });
    await createCustomer(prisma, shop.id, { no: "C-200", name: "Second Taken", email: "Taken@example.com" });
    await createCustomer(prisma, shop.id, { no: "C-201", name: "Free Person", email: "free@example.com" });
    await addCustomersToShopify(prisma, shop.id, ["C-200", "C-201"]);
    const result = await run(shop.domain);
    expect(result).toMatchObject({ status: "succeeded", counts: { taken: 1, created: 1 } });
    expect(
      await prisma.syncRecord.findUniqueOrThrow({
        where: { shopId_task_recordKey: { shopId: shop.id, task: "sync_customers", recordKey: "C-200" } },
      }),
    ).toMatchObject({
      state: "skipped",
      message: "its e-mail is already used by another Shopify customer",
      shopifyId: null,
    });
  });

  it("sends nothing of a customer made from an order, then only its change, keeping what Shopify has", async () => {
    const { shop, store, small } = await orderShopWithItems({
      customerUpdates: "to_shopify",
      customerImport: "with_orders",
    });
    const id = await shopifyCustomer(store, {
      email: "ada@example.com",
      firstName: "Ada",
      lastName: "Lovelace",
      phone: "+44 20 7946 0001",
      addresses: [
        { ...ADDRESS, company: "Analytical Engines", address2: "Floor 2", phone: "+44 20 7946 0002" },
      ],
    });
    await placeOrder(store, {
      customerId: id,
      email: "ada@example.com",
      billingAddress: { ...ADDRESS, firstName: "Ada", lastName: "Lovelace", company: "Analytical Engines" },
      shippingAddress: { ...ADDRESS, firstName: "Ada", lastName: "Lovelace" },
      lineItems: [{ variantId: small.id, quantity: 1 }],
    });
    await runInForeground(prisma, syncOrdersTask, { shop: shop.domain, trigger: "manual" });
    await processStaged(shop);
    const link = await linkOf(shop.id, id);
    const customer = (await findCustomer(prisma, shop.id, link.customerNo!))!;
    expect(customer).toMatchObject({ name: "Analytical Engines", contactName: "Ada Lovelace" });
    const read = async () =>
      (
        await store.graphql<{ customer: Record<string, unknown> }>(
          `query TestRead($id: ID!) { customer(id: $id) { firstName lastName email phone
            defaultAddress { company address1 address2 city phone } } }`,
          { id },
        )
      ).customer;
    const before = await read();

    // The order's data is not sent over Shopify's.
    const first = await run(shop.domain);
    expect(first.status).toBe("succeeded");
    expect(first.counts).not.toHaveProperty("mutationRequests");
    expect(await read()).toEqual(before);

    // A change in the back office goes, and nothing of what the back office does not keep is blanked.
    await updateCustomer(prisma, shop.id, customer.no, { city: "Cambridge" });
    expect(await run(shop.domain)).toMatchObject({
      status: "succeeded",
      counts: { updated: 1, mutationRequests: 1 },
    });
    expect(await read()).toEqual({
      ...before,
      defaultAddress: { ...(before.defaultAddress as object), city: "Cambridge" },
    });
  });

  it("takes up its own customer when Shopify made it but the answer was lost, and makes no second one", async () => {
    const { shop, store } = await customersShop({ customerImport: "with_orders" });
    await createCustomer(prisma, shop.id, {
      no: "C-300",
      name: "Grace Hopper",
      email: "grace@example.com",
      ...ADDRESS,
    });
    await addCustomersToShopify(prisma, shop.id, ["C-300"]);
    simulator.sim.faults = {
      ...simulator.sim.faults,
      lostAnswerShare: 1,
      lostAnswerOperations: ["SyncCustomerCreate"],
    };
    const lost = await run(shop.domain);
    expect(lost.counts).toMatchObject({ failed: 1 });
    simulator.sim.faults = noFaults();
    expect(await run(shop.domain)).toMatchObject({ status: "succeeded", counts: { linkedExisting: 1 } });
    const found = await store.graphql<{ customers: { nodes: { id: string }[] } }>(
      `query TestFind { customers(first: 5, query: "email:grace@example.com") { nodes { id } } }`,
    );
    expect(found.customers.nodes).toHaveLength(1);
    expect(
      await prisma.syncRecord.findUniqueOrThrow({
        where: { shopId_task_recordKey: { shopId: shop.id, task: "sync_customers", recordKey: "C-300" } },
      }),
    ).toMatchObject({ state: "synced", shopifyId: found.customers.nodes[0]!.id });
  });
});
