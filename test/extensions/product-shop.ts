import prisma from "../../app/db.server";
import { collectChanges, markFailed, recordsByKey } from "../../app/sync/kit/outbound.server";
import { addItemsToShopify, PRODUCT_FEED, PRODUCT_TASK } from "../../app/sync/products/records.server";
import { stockedShop } from "../kit/backoffice";
import { processStaged } from "../kit/jobs";
import { insertStagedOrder, shopifyId } from "../kit/staged";

/**
 * A shop with one Shopify product, "Merino Tee & Hat", of two variants met on an order: the tee
 * (SKU TEE, found as item TEE by processing) and the hat (SKU HAT, no such item: unmapped, and
 * order #H1 waits for it). The product is item TEE's in Shopify; the products import failed on it
 * when the shop imported products, and Shopify refused the last export of item TEE: what the
 * product block shows, made by the app's own functions.
 */
export async function productShop() {
  const { shop, customer } = await stockedShop();
  const productId = shopifyId();
  const tee = { variantId: shopifyId(), productId, sku: "TEE", title: "Merino Tee" };
  const hat = { variantId: shopifyId(), productId, sku: "HAT", title: "Wool Hat", price: "19.50" };
  const order = await insertStagedOrder(shop, { name: "#H1", email: "ada@example.com", lines: [tee, hat] });
  await processStaged(shop);
  await prisma.shopifyProduct.create({
    data: {
      shopId: shop.id,
      shopifyId: productId,
      title: "Merino Tee & Hat",
      status: "ACTIVE",
      itemNo: "TEE",
      importState: "error",
      importMessage:
        "Shopify answered 502 Bad Gateway while reading the product's variants; the next run reads it again",
      importAttempts: 2,
      importedAt: new Date("2026-12-01T09:30:00Z"),
    },
  });
  await prisma.shopSettings.update({ where: { shopId: shop.id }, data: { syncItems: "to_shopify" } });
  await collectChanges(prisma, shop.id, PRODUCT_FEED);
  await addItemsToShopify(prisma, shop.id, ["TEE"]);
  const record = (await recordsByKey(prisma, shop.id, PRODUCT_TASK, ["TEE"])).get("TEE")!;
  await markFailed(prisma, record, "Shopify: title: can't be blank");
  return { shop, customer, productId, variants: { tee, hat }, order };
}
