import { describe, expect, it } from "vitest";
import { createCustomer } from "../../app/backoffice/backoffice.server";
import prisma from "../../app/db.server";
import { action, loader } from "../../app/routes/app.settings";
import { adminRequest, callRoute, dataOf, statusOf } from "../support/admin";
import { installedShop } from "../support/shops";

/** The whole form as the page submits it: checkboxes "on" or blank. */
function form(overrides: Record<string, string> = {}) {
  return {
    allowBackgroundSyncs: "on",
    autoProcessOrders: "on",
    autoReleaseOrders: "",
    createInvoicesForFulfilled: "on",
    useShopifyOrderNo: "",
    customerMapping: "email_phone",
    customerAutoCreate: "on",
    customerTemplateNo: "",
    defaultCustomerNo: "",
    productMapping: "item_no",
    productAutoCreate: "",
    notifyCustomerOnShipment: "on",
    ...overrides,
  };
}

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
});
