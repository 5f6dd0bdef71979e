import { describe, expect, it } from "vitest";
import {
  createCustomer,
  createItem,
  saveDiscountGroup,
  savePriceGroup,
} from "../../app/backoffice/backoffice.server";
import prisma from "../../app/db.server";
import { action, loader } from "../../app/routes/app.settings";
import { adminRequest, callRoute, dataOf, settingsForm as form, statusOf } from "../support/admin";
import { queuedRuns } from "../kit/jobs";
import { installedShop } from "../support/shops";

describe("the settings page", () => {
  it("shows the shop's settings and saves a valid change", async () => {
    const shop = await installedShop();
    const retail = await createCustomer(prisma, shop.id, { name: "Retail template" });

    const shown = await dataOf<{ values: { allowBackgroundSyncs: boolean }; customers: { no: string }[] }>(
      await callRoute(loader, adminRequest(shop.domain, "/app/settings")),
    );
    expect(shown.values.allowBackgroundSyncs).toBe(true);
    expect(shown.customers.map((customer) => customer.no)).toEqual([retail.no]);

    const result = await callRoute(
      action,
      adminRequest(
        shop.domain,
        "/app/settings",
        form({
          allowBackgroundSyncs: "",
          customerMapping: "default",
          defaultCustomerNo: retail.no,
          customerTemplateNo: retail.no,
          productMapping: "barcode",
        }),
      ),
    );

    expect(statusOf(result)).toBe(200);
    const saved = await prisma.shopSettings.findUniqueOrThrow({ where: { shopId: shop.id } });
    expect(saved).toMatchObject({
      allowBackgroundSyncs: false,
      customerMapping: "default",
      defaultCustomerNo: retail.no,
      customerTemplateNo: retail.no,
      productMapping: "barcode",
      autoReleaseOrders: false,
    });
  });

  it("refuses invalid input with a message per field and saves nothing", async () => {
    const shop = await installedShop();
    const before = await prisma.shopSettings.findUniqueOrThrow({ where: { shopId: shop.id } });

    const result = await callRoute(
      action,
      adminRequest(
        shop.domain,
        "/app/settings",
        form({ allowBackgroundSyncs: "", customerMapping: "default", customerTemplateNo: "C-NOPE" }),
      ),
    );

    expect(statusOf(result)).toBe(400);
    const body = await dataOf<{ ok: boolean; errors: Record<string, string> }>(result);
    expect(body.errors.defaultCustomerNo).toMatch(/needs a default customer/);
    expect(body.errors.customerTemplateNo).toMatch(/no customer C-NOPE/);
    expect(await prisma.shopSettings.findUniqueOrThrow({ where: { shopId: shop.id } })).toEqual(before);

    const badChoice = await callRoute(
      action,
      adminRequest(shop.domain, "/app/settings", form({ productMapping: "by_magic" })),
    );
    expect(statusOf(badChoice)).toBe(400);
    expect((await dataOf<{ errors: Record<string, string> }>(badChoice)).errors.productMapping).toMatch(
      /choose how products/,
    );
  });

  it("saves the products sync's settings of the direction chosen, with its price context", async () => {
    const shop = await installedShop();
    await savePriceGroup(prisma, shop.id, { code: "RETAIL", description: "Retail" });
    await saveDiscountGroup(prisma, shop.id, { code: "VIP", description: "VIP" });
    const toShopify = await callRoute(
      action,
      adminRequest(
        shop.domain,
        "/app/settings",
        form({
          syncItems: "to_shopify",
          createdProductStatus: "DRAFT",
          blockedItemAction: "archive",
          priceGroup: "retail",
          discountGroup: "VIP",
          pricesIncludingTax: "on",
          inventoryPolicy: "CONTINUE",
        }),
      ),
    );
    expect(statusOf(toShopify)).toBe(200);
    expect(await prisma.shopSettings.findUniqueOrThrow({ where: { shopId: shop.id } })).toMatchObject({
      syncItems: "to_shopify",
      createdProductStatus: "DRAFT",
      blockedItemAction: "archive",
      syncPrices: true,
      priceGroup: "RETAIL",
      discountGroup: "VIP",
      pricesIncludingTax: true,
      trackInventory: true,
      inventoryPolicy: "CONTINUE",
    });

    await createItem(prisma, shop.id, { no: "TEMPLATE", description: "Template", unitPrice: "0" });
    const fromShopify = await callRoute(
      action,
      adminRequest(
        shop.domain,
        "/app/settings",
        form({
          syncItems: "from_shopify",
          productAutoCreate: "on",
          itemTemplateNo: "TEMPLATE",
          updateItemsFromShopify: "on",
        }),
      ),
    );
    expect(statusOf(fromShopify)).toBe(200);
    expect(await prisma.shopSettings.findUniqueOrThrow({ where: { shopId: shop.id } })).toMatchObject({
      syncItems: "from_shopify",
      productAutoCreate: true,
      itemTemplateNo: "TEMPLATE",
      updateItemsFromShopify: true,
    });
  });

  it("refuses the products sync's settings that do not fit the direction, or name what does not exist", async () => {
    const shop = await installedShop();
    const before = await prisma.shopSettings.findUniqueOrThrow({ where: { shopId: shop.id } });

    const result = await callRoute(
      action,
      adminRequest(
        shop.domain,
        "/app/settings",
        form({
          syncItems: "to_shopify",
          productAutoCreate: "on",
          updateItemsFromShopify: "on",
          priceGroup: "NOPE",
          discountGroup: "NONE",
          itemTemplateNo: "NO-ITEM",
        }),
      ),
    );

    expect(statusOf(result)).toBe(400);
    const { errors } = await dataOf<{ errors: Record<string, string> }>(result);
    expect(errors).toEqual({
      productAutoCreate:
        "with items synced to Shopify the back office is the master: items are not created from Shopify products",
      updateItemsFromShopify: "only when items are synced from Shopify",
      priceGroup: "no customer price group NOPE in the back office",
      discountGroup: "no customer discount group NONE in the back office",
      itemTemplateNo: "no item NO-ITEM in the back office",
    });
    const template = await callRoute(
      action,
      adminRequest(shop.domain, "/app/settings", form({ itemTemplateNo: "ANY" })),
    );
    expect((await dataOf<{ errors: Record<string, string> }>(template)).errors).toEqual({
      itemTemplateNo: "an item template is used only when items are created from Shopify products",
    });
    const status = await callRoute(
      action,
      adminRequest(
        shop.domain,
        "/app/settings",
        form({ syncItems: "sideways", createdProductStatus: "ARCHIVED" }),
      ),
    );
    expect(Object.keys((await dataOf<{ errors: Record<string, string> }>(status)).errors).sort()).toEqual([
      "createdProductStatus",
      "syncItems",
    ]);
    expect(await prisma.shopSettings.findUniqueOrThrow({ where: { shopId: shop.id } })).toEqual(before);
  });

  it("takes Sync images with the items' direction, refusing it whole with a message at the field otherwise", async () => {
    const shop = await installedShop();
    const before = await prisma.shopSettings.findUniqueOrThrow({ where: { shopId: shop.id } });
    const save = async (fields: Record<string, string>) => {
      const result = await callRoute(action, adminRequest(shop.domain, "/app/settings", form(fields)));
      return {
        status: statusOf(result),
        errors: (await dataOf<{ errors: Record<string, string> }>(result)).errors,
      };
    };

    expect(await save({ syncItems: "off", syncImages: "to_shopify" })).toEqual({
      status: 400,
      errors: {
        syncImages:
          'images go to Shopify only when items do: set "Sync items" to "To Shopify" too, or leave images off',
      },
    });
    expect((await save({ syncItems: "to_shopify", syncImages: "from_shopify" })).errors).toEqual({
      syncImages:
        'images come from Shopify only when items do: set "Sync items" to "From Shopify" too, or leave images off',
    });
    expect((await save({ syncItems: "from_shopify", syncImages: "from_shopify" })).errors).toEqual({
      syncImages: "images from Shopify are not available yet: choose off or to Shopify",
    });
    expect((await save({ syncImages: "sideways" })).errors).toEqual({
      syncImages: "choose off, to Shopify or from Shopify",
    });
    expect(await prisma.shopSettings.findUniqueOrThrow({ where: { shopId: shop.id } })).toEqual(before);

    expect(await save({ syncItems: "to_shopify", syncImages: "to_shopify" })).toEqual({
      status: 200,
      errors: {},
    });
    expect(await prisma.shopSettings.findUniqueOrThrow({ where: { shopId: shop.id } })).toMatchObject({
      syncItems: "to_shopify",
      syncImages: "to_shopify",
    });
    // Turned on: a run reads every picture change the back office has.
    expect(await queuedRuns(shop, "sync_images")).toHaveLength(1);
  });

  it("changes only the shop of the session, whatever shop the address names", async () => {
    const shopA = await installedShop();
    const shopB = await installedShop();

    await callRoute(
      action,
      adminRequest(shopA.domain, `/app/settings?shop=${shopB.domain}`, form({ allowBackgroundSyncs: "" })),
    );

    const [a, b] = await Promise.all([
      prisma.shopSettings.findUniqueOrThrow({ where: { shopId: shopA.id } }),
      prisma.shopSettings.findUniqueOrThrow({ where: { shopId: shopB.id } }),
    ]);
    expect(a.allowBackgroundSyncs).toBe(false);
    expect(b.allowBackgroundSyncs).toBe(true);
  });

  it("saves the customer and company rules, per-country lines included, and refuses a wrong line by its number", async () => {
    const shop = await installedShop();
    const template = await createCustomer(prisma, shop.id, {
      no: "TPL-DE",
      name: "German template",
      isTemplate: true,
    });
    const walkIn = await createCustomer(prisma, shop.id, { no: "C-DE", name: "Laufkundschaft" });
    const business = await createCustomer(prisma, shop.id, {
      no: "B2B-TPL",
      name: "Business template",
      isTemplate: true,
    });
    const countries = JSON.stringify([
      { countryCode: "de", templateNo: template.no, defaultCustomerNo: walkIn.no },
    ]);
    const saved = await callRoute(
      action,
      adminRequest(
        shop.domain,
        "/app/settings",
        form({
          customerImport: "all",
          customerUpdates: "from_shopify",
          customerNameFrom: "last_first",
          countryCustomers: countries,
          companyImport: "all",
          companyMapping: "tax_id",
          companyAutoCreate: "on",
          companyTemplateNo: business.no,
          companyLocationsAs: "customer",
          companyUpdates: "to_shopify",
        }),
      ),
    );
    expect(statusOf(saved)).toBe(200);
    expect(await prisma.shopSettings.findUniqueOrThrow({ where: { shopId: shop.id } })).toMatchObject({
      customerImport: "all",
      customerUpdates: "from_shopify",
      customerNameFrom: "last_first",
      countryCustomers: [{ countryCode: "DE", templateNo: "TPL-DE", defaultCustomerNo: "C-DE" }],
      companyImport: "all",
      companyMapping: "tax_id",
      companyAutoCreate: true,
      companyTemplateNo: "B2B-TPL",
      companyLocationsAs: "customer",
      companyUpdates: "to_shopify",
    });

    const before = await prisma.shopSettings.findUniqueOrThrow({ where: { shopId: shop.id } });
    const refusals: [Record<string, string>, string, string][] = [
      [
        { countryCustomers: JSON.stringify([{ countryCode: "FR", templateNo: walkIn.no }]) },
        "countryCustomers",
        "line 1 (FR): customer C-DE is not a template",
      ],
      [
        {
          countryCustomers: JSON.stringify([
            { countryCode: "DE", defaultCustomerNo: walkIn.no },
            { countryCode: "de", defaultCustomerNo: walkIn.no },
          ]),
        },
        "countryCustomers",
        "line 2 (DE): DE is on an earlier line already",
      ],
      [
        { countryCustomers: JSON.stringify([{ countryCode: "Germany", defaultCustomerNo: walkIn.no }]) },
        "countryCustomers",
        "line 1: a country is its two-letter code (DE, FR, US)",
      ],
      [
        { customerImport: "none", customerAutoCreate: "on" },
        "customerAutoCreate",
        "customers are created only when they are imported (with orders or all)",
      ],
      [
        { companyMapping: "default" },
        "defaultCompanyCustomerNo",
        "the default company strategy needs a default business customer",
      ],
      [
        { companyAutoCreate: "on", companyTemplateNo: walkIn.no },
        "companyTemplateNo",
        "customer C-DE is not a template",
      ],
    ];
    for (const [fields, field, message] of refusals) {
      const result = await callRoute(action, adminRequest(shop.domain, "/app/settings", form(fields)));
      expect(statusOf(result), field).toBe(400);
      const answer = await dataOf<{ errors: Record<string, string> }>(result);
      expect(answer.errors[field], JSON.stringify(fields)).toBe(message);
      expect(await prisma.shopSettings.findUniqueOrThrow({ where: { shopId: shop.id } })).toEqual(before);
    }
  });
});
