import { describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { installedShop } from "../support/shops";
import { declaredWebhooks, deliver, examplePayload } from "../support/webhooks";

const declared = declaredWebhooks();

describe("the webhooks shopify.app.toml declares", () => {
  it("include the lifecycle, shop, order, fulfillment, product, location, customer, company and bulk-operation topics and the three mandatory compliance topics", () => {
    expect(declared.map((webhook) => webhook.topic).sort()).toEqual(
      [
        "app/scopes_update",
        "app/uninstalled",
        "bulk_operations/finish",
        "companies/create",
        "companies/delete",
        "companies/update",
        "company_locations/create",
        "company_locations/delete",
        "company_locations/update",
        "customers/create",
        "customers/data_request",
        "customers/redact",
        "customers/update",
        "fulfillments/create",
        "fulfillments/update",
        "locations/activate",
        "locations/create",
        "locations/deactivate",
        "locations/delete",
        "locations/update",
        "orders/cancelled",
        "orders/create",
        "orders/paid",
        "orders/updated",
        "products/create",
        "products/delete",
        "products/update",
        "shop/redact",
        "shop/update",
      ].sort(),
    );
    expect(
      declared
        .filter((webhook) => webhook.compliance)
        .map((webhook) => webhook.topic)
        .sort(),
    ).toEqual(["customers/data_request", "customers/redact", "shop/redact"]);
  });

  describe.each(declared)("$topic", ({ topic, uri }) => {
    it("accepts Shopify's example payload signed with the app secret and records it once", async () => {
      const shop = await installedShop();
      const payload = { ...examplePayload(topic), shop_domain: shop.domain };
      const webhookId = `wh-${topic}-${shop.id}`;

      expect(await deliver({ topic, uri, shop: shop.domain, payload, webhookId })).toBe(200);
      const recorded = await prisma.webhookDelivery.findMany({ where: { webhookId } });
      expect(recorded).toHaveLength(1);
      expect(recorded[0]).toMatchObject({ topic, shopDomain: shop.domain });
    });

    it("refuses a forged delivery with 401 and changes nothing", async () => {
      const shop = await installedShop();
      const payload = { ...examplePayload(topic), shop_domain: shop.domain };
      const before = await prisma.shop.findUniqueOrThrow({ where: { id: shop.id } });

      const forged = await deliver({ topic, uri, shop: shop.domain, payload, secret: "not-the-app-secret" });
      const tampered = await deliver({
        topic,
        uri,
        shop: shop.domain,
        payload,
        hmac: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
      });

      expect([forged, tampered]).toEqual([401, 401]);
      expect(await prisma.webhookDelivery.count({ where: { shopDomain: shop.domain } })).toBe(0);
      expect(await prisma.shop.findUnique({ where: { id: shop.id } })).toEqual(before);
      expect(await prisma.session.count({ where: { shop: shop.domain } })).toBe(1);
    });
  });
});
