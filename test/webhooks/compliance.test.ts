import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { addItemPicture, createCustomer, createItem } from "../../app/backoffice/backoffice.server";
import prisma from "../../app/db.server";
import { enqueueSync } from "../../app/jobs/enqueue.server";
import { upsertSchedule } from "../../app/jobs/schedules.server";
import { insertStagedCustomer } from "../kit/staged";
import { installedShop } from "../support/shops";
import { probeTask } from "../support/tasks";
import { deliver, examplePayload } from "../support/webhooks";
import { ShopCostBudget } from "../../app/shopify/budget.server";
import { applyCompany } from "../../app/sync/companies/link.server";
import { contactOf, locationOf, type CompanyRead } from "../../app/sync/companies/read.server";
import { DEFAULT_SCHEDULES } from "../../app/sync/index.server";
import { solidPng } from "../../simulator/resolvers/media-images.server";

/** Fills every table a shop owns with something. */
async function populate(shop: { id: string; domain: string }) {
  await upsertSchedule(prisma, { shopId: shop.id, task: probeTask.name, cron: "0 3 * * *", enabled: true }, [
    probeTask,
  ]);
  await enqueueSync(prisma, probeTask, { shop: shop.domain, trigger: "manual" });
  // What an Admin API request leaves: the shop's cost budget, with a request in flight.
  await new ShopCostBudget(shop.domain).reserve(10);
  await insertStagedCustomer(shop, {
    shopifyId: 191167n,
    email: "john@example.com",
    phone: "555-625-1199",
    firstName: "John",
    lastName: "Smith",
    city: "Ottawa",
  });
  // What the customers sync keeps of John besides: his company, second address line, province,
  // tags and its words about him; and the companies sync: John as a company's main contact.
  await prisma.shopifyCustomer.update({
    where: { shopId_shopifyId: { shopId: shop.id, shopifyId: 191167n } },
    data: {
      company: "Smith Supplies",
      address2: "Suite 1199",
      province: "ON",
      tags: ["john-vip"],
      syncState: "linked",
      message: "linked by e-mail john@example.com",
      contentHash: "hash-of-john",
    },
  });
  await prisma.shopifyCompany.create({
    data: {
      id: randomUUID(),
      shopId: shop.id,
      shopifyId: 7701n,
      name: "Smith Supplies",
      mainContactShopifyId: 7702n,
    },
  });
  await prisma.shopifyCompanyLocation.create({
    data: { id: randomUUID(), shopId: shop.id, shopifyId: 7703n, companyShopifyId: 7701n, name: "Ottawa" },
  });
  await prisma.shopifyCompanyContact.create({
    data: {
      id: randomUUID(),
      shopId: shop.id,
      shopifyId: 7702n,
      companyShopifyId: 7701n,
      customerShopifyId: 191167n,
      isMainContact: true,
      title: "Buyer",
      email: "john@example.com",
      phone: "+15556251199",
      firstName: "John",
      lastName: "Smith",
    },
  });
  await insertStagedCustomer(shop, {
    shopifyId: 42n,
    email: "jane@example.com",
    firstName: "Jane",
    lastName: "Doe",
  });
  // A Shopify location fed from the back office and a level the inventory sync looks after.
  await prisma.shopifyLocation.create({
    data: {
      shopId: shop.id,
      shopifyId: 5501n,
      name: "Shop floor",
      isActive: true,
      fulfillsOnlineOrders: true,
      stockCalculation: "back_office",
      readAt: new Date(),
      sources: { create: [{ locationCode: "MAIN" }] },
    },
  });
  await prisma.inventoryLevel.create({
    data: { shopId: shop.id, inventoryItemId: 6601n, locationId: 5501n, itemNo: "TEE", target: 3 },
  });
  // An item's picture in the back office and where the images sync stands with it.
  await createItem(prisma, shop.id, { no: "TEE", description: "Merino Tee", unitPrice: "40" });
  const picture = await addItemPicture(prisma, shop.id, {
    itemNo: "TEE",
    filename: "tee.png",
    content: solidPng(2, 2, [1, 2, 3]),
  });
  await prisma.shopifyMediaMap.create({
    data: { shopId: shop.id, pictureId: picture.id, itemNo: "TEE", mediaShopifyId: 8801n, state: "synced" },
  });
  await deliver({
    topic: "app/scopes_update",
    shop: shop.domain,
    payload: examplePayload("app/scopes_update"),
  });
}

/**
 * Maple Hardware as the companies sync reads it from Shopify (read.server.ts), John (Shopify
 * customer 191167) its main contact as contact `contactId`; Shopify's answer for its location
 * has John's name and phone on the address, and a phone of the location's own.
 */
function mapleAsRead(contactId: bigint): CompanyRead {
  const answer = {
    id: "gid://shopify/CompanyLocation/7713",
    name: "Maple Hardware Ottawa",
    externalId: null,
    phone: "+1 555-625-1199",
    updatedAt: "2026-11-20T10:00:00Z",
    billingAddress: null,
    shippingAddress: {
      address1: "40 Elgin St",
      address2: null,
      city: "Ottawa",
      zip: "K1P 1C7",
      province: "Ontario",
      zoneCode: "ON",
      countryCode: "CA",
      firstName: "John",
      lastName: "Smith",
      recipient: "John Smith",
      phone: "+15556251199",
      companyName: "Maple Hardware",
    },
    taxSettings: { taxRegistrationId: null, taxExempt: false, taxExemptions: [] },
    buyerExperienceConfiguration: null,
  };
  const john = {
    id: `gid://shopify/CompanyContact/${contactId}`,
    isMainContact: true,
    title: "Buyer",
    updatedAt: "2026-11-20T10:00:00Z",
    customer: {
      id: "gid://shopify/Customer/191167",
      email: "john@example.com",
      phone: "+15556251199",
      firstName: "John",
      lastName: "Smith",
    },
  };
  return {
    id: 7711n,
    name: "Maple Hardware",
    externalId: null,
    note: null,
    updatedAt: new Date("2026-11-20T10:00:00Z"),
    mainContactId: contactId,
    locations: [locationOf(answer)],
    contacts: [contactOf(john, contactId)],
  };
}

/** Rows per shop-owned table for one shop. */
async function rowsOf(shopId: string, domain: string) {
  return {
    shop: await prisma.shop.count({ where: { id: shopId } }),
    settings: await prisma.shopSettings.count({ where: { shopId } }),
    sessions: await prisma.session.count({ where: { shop: domain } }),
    runs: await prisma.syncRun.count({ where: { shopId } }),
    schedules: await prisma.schedule.count({ where: { shopId } }),
    customers: await prisma.shopifyCustomer.count({ where: { shopId } }),
    companies: await prisma.shopifyCompany.count({ where: { shopId } }),
    companyLocations: await prisma.shopifyCompanyLocation.count({ where: { shopId } }),
    companyContacts: await prisma.shopifyCompanyContact.count({ where: { shopId } }),
    locations: await prisma.shopifyLocation.count({ where: { shopId } }),
    locationSources: await prisma.shopifyLocationSource.count({ where: { shopId } }),
    inventoryLevels: await prisma.inventoryLevel.count({ where: { shopId } }),
    pictures: await prisma.boItemPicture.count({ where: { shopId } }),
    mediaMaps: await prisma.shopifyMediaMap.count({ where: { shopId } }),
    dataRequests: await prisma.dataRequest.count({ where: { shopId } }),
    webhooks: await prisma.webhookDelivery.count({ where: { shopDomain: domain } }),
    budgets: await prisma.shopApiBudget.count({ where: { shopDomain: domain } }),
    reservations: await prisma.apiBudgetReservation.count({ where: { shopDomain: domain } }),
  };
}

describe("when Shopify asks us to redact a shop", () => {
  it("deletes every row the shop owns and nothing of another shop", async () => {
    const gone = await installedShop();
    const kept = await installedShop();
    await populate(gone);
    await populate(kept);
    const keptBefore = await rowsOf(kept.id, kept.domain);
    expect(keptBefore).toMatchObject({
      shop: 1,
      settings: 1,
      sessions: 1,
      runs: 1,
      schedules: DEFAULT_SCHEDULES.length + 1, // every task's default schedule and the one populate() adds
      customers: 2,
      companies: 1,
      companyLocations: 1,
      companyContacts: 1,
      locations: 1,
      locationSources: 1,
      inventoryLevels: 1,
      pictures: 1,
      mediaMaps: 1,
      webhooks: 1,
      budgets: 1,
      reservations: 1,
    });

    const webhookId = randomUUID();
    const payload = { ...examplePayload("shop/redact"), shop_domain: gone.domain };
    expect(await deliver({ topic: "shop/redact", shop: gone.domain, payload, webhookId })).toBe(200);

    expect(await rowsOf(gone.id, gone.domain)).toEqual({
      shop: 0,
      settings: 0,
      sessions: 0,
      runs: 0,
      schedules: 0,
      customers: 0,
      companies: 0,
      companyLocations: 0,
      companyContacts: 0,
      locations: 0,
      locationSources: 0,
      inventoryLevels: 0,
      pictures: 0,
      mediaMaps: 0,
      dataRequests: 0,
      webhooks: 1, // the record of this redaction alone: domain, topic and ids
      budgets: 0,
      reservations: 0,
    });
    expect(await rowsOf(kept.id, kept.domain)).toEqual(keptBefore);
    // A repeat delivery is recognised.
    expect(await deliver({ topic: "shop/redact", shop: gone.domain, payload, webhookId })).toBe(200);
    expect(await prisma.webhookDelivery.count({ where: { shopDomain: gone.domain } })).toBe(1);
  });
});

describe("when Shopify asks us to redact a customer", () => {
  it("erases that customer's personal data, in that shop only", async () => {
    const shop = await installedShop();
    const other = await installedShop();
    await populate(shop);
    await populate(other);
    const payload = { ...examplePayload("customers/redact"), shop_domain: shop.domain };
    // John as the main contact of a company the companies sync imported before the redact: a
    // company row with the sync's words, and a location whose address Shopify gave with his
    // name and phone on it.
    const settings = await prisma.shopSettings.findUniqueOrThrow({ where: { shopId: shop.id } });
    const link = { db: prisma, shopId: shop.id, settings: { ...settings, companyMapping: "email_phone" } };
    await createCustomer(prisma, shop.id, {
      no: "B-MAPLE",
      name: "Maple Hardware",
      email: "john@example.com",
    });
    expect((await applyCompany(link, mapleAsRead(7712n))).result).toMatchObject({ count: "linked" });
    const companyRows = async () => ({
      companies: await prisma.shopifyCompany.findMany({ where: { shopId: shop.id } }),
      locations: await prisma.shopifyCompanyLocation.findMany({ where: { shopId: shop.id } }),
      contacts: await prisma.shopifyCompanyContact.findMany({ where: { shopId: shop.id } }),
    });
    const maple = await prisma.shopifyCompany.findUniqueOrThrow({
      where: { shopId_shopifyId: { shopId: shop.id, shopifyId: 7711n } },
    });
    expect(maple.message).toBe("linked to customer B-MAPLE (Maple Hardware) by its main contact's e-mail");
    expect(
      (
        await prisma.shopifyCompanyLocation.findUniqueOrThrow({
          where: { shopId_shopifyId: { shopId: shop.id, shopifyId: 7713n } },
        })
      ).address,
    ).toEqual({
      company: "Maple Hardware",
      address1: "40 Elgin St",
      address2: null,
      city: "Ottawa",
      zip: "K1P 1C7",
      province: "ON",
      countryCode: "CA",
    });

    expect(await deliver({ topic: "customers/redact", shop: shop.domain, payload })).toBe(200);

    // Shopify still shows John on the company after the redact (as a new contact of it): the
    // next import keeps nothing of him either.
    await applyCompany(link, mapleAsRead(7714n));
    const again = await prisma.shopifyCompanyContact.findUniqueOrThrow({
      where: { shopId_shopifyId: { shopId: shop.id, shopifyId: 7714n } },
    });
    expect(again).toMatchObject({ customerShopifyId: 191167n, email: null, phone: null, firstName: null });
    expect(again.redactedAt).not.toBeNull();
    // Nothing of John anywhere in the company tables (the company "Smith Supplies" is a business's
    // name; the rows' own times are left out, whose milliseconds may read 625).
    const text = JSON.stringify(await companyRows(), (key, v: unknown) =>
      key === "id" || key === "shopId" || key === "contentHash" || /At$/.test(key)
        ? undefined
        : typeof v === "bigint"
          ? v.toString()
          : v,
    ).replaceAll("Smith Supplies", "");
    expect(text).not.toMatch(/john|smith|625|1199|buyer/i);

    const redacted = await prisma.shopifyCustomer.findFirstOrThrow({
      where: { shopId: shop.id, shopifyId: 191167n },
    });
    expect(redacted).toMatchObject({ email: null, phone: null, firstName: null, lastName: null, city: null });
    expect(redacted.redactedAt).not.toBeNull();
    // None of what we held about John is left, in his customer row or as a company's contact.
    const contact = await prisma.shopifyCompanyContact.findFirstOrThrow({
      where: { shopId: shop.id, customerShopifyId: 191167n },
    });
    expect(contact.redactedAt).not.toBeNull();
    for (const row of [redacted, contact]) {
      const { id: _id, shopId: _shop, ...fields } = row;
      expect(
        JSON.stringify(fields, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)),
      ).not.toMatch(/john|smith|625|1199|ottawa|vip|hash-of|buyer/i);
    }
    const otherCustomer = await prisma.shopifyCustomer.findFirstOrThrow({
      where: { shopId: shop.id, shopifyId: 42n },
    });
    expect(otherCustomer.email).toBe("jane@example.com");
    const sameIdOtherShop = await prisma.shopifyCustomer.findFirstOrThrow({
      where: { shopId: other.id, shopifyId: 191167n },
    });
    expect(sameIdOtherShop.email).toBe("john@example.com");
  });
});

describe("when a customer asks for their data", () => {
  it("compiles what we hold about them for the merchant", async () => {
    const shop = await installedShop();
    await populate(shop);
    const payload = { ...examplePayload("customers/data_request"), shop_domain: shop.domain };

    expect(await deliver({ topic: "customers/data_request", shop: shop.domain, payload })).toBe(200);

    const request = await prisma.dataRequest.findFirstOrThrow({ where: { shopId: shop.id } });
    expect(request.requestId).toBe(9999n);
    expect(request.data).toMatchObject({
      customers: [{ shopifyId: "191167", email: "john@example.com", firstName: "John", lastName: "Smith" }],
      companyContacts: [
        { shopifyId: "7702", email: "john@example.com", title: "Buyer", isMainContact: true },
      ],
    });
  });
});
