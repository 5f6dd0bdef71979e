import {
  createItem,
  saveDiscountGroup,
  savePriceGroup,
  setLineDiscount,
  setSalesPrice,
} from "../../app/backoffice/backoffice.server";
import prisma from "../../app/db.server";
import { collectChanges, markFailed, markSent, recordsByKey } from "../../app/sync/kit/outbound.server";
import { linkProduct, linkVariants } from "../../app/sync/products/links.server";
import { addItemsToShopify, PRODUCT_FEED, PRODUCT_TASK } from "../../app/sync/products/records.server";
import { insertBlockedItem, stockedShop } from "../kit/backoffice";

/** A shop's catalog as the products sync leaves it, for the Items page and the CLI's items. */

export const FAILURE =
  "Shopify: variants.0.sku: SKU must be unique within the store; another product (Merino Hat, gid://shopify/Product/77) has HAT";

async function setItemRecord(
  shopId: string,
  itemNo: string,
  outcome: { failed: string } | { sent: bigint },
): Promise<void> {
  await addItemsToShopify(prisma, shopId, [itemNo]);
  const record = (await recordsByKey(prisma, shopId, PRODUCT_TASK, [itemNo])).get(itemNo)!;
  if ("failed" in outcome) await markFailed(prisma, record, outcome.failed);
  else
    await markSent(prisma, record, { shopifyId: `gid://shopify/Product/${outcome.sent}`, sentHash: "sent" });
}

/**
 * A shop whose items sync to Shopify: TEE in Shopify (synced, with its product, variant and
 * inventory item), MUG with variants, a price group, a sales price and a discount, never
 * added, HAT failed with Shopify's message, OLD blocked.
 */
export async function catalogShop() {
  const { shop } = await stockedShop();
  await prisma.shopSettings.update({
    where: { shopId: shop.id },
    data: {
      syncItems: "to_shopify",
      productMapping: "item_no",
      priceGroup: "RETAIL",
      discountGroup: "STAFF",
    },
  });
  await savePriceGroup(prisma, shop.id, { code: "RETAIL", description: "Retail" });
  await saveDiscountGroup(prisma, shop.id, { code: "STAFF", description: "Staff" });
  await setSalesPrice(prisma, shop.id, { itemNo: "MUG", priceGroup: "RETAIL", unitPrice: "9" });
  await setSalesPrice(prisma, shop.id, { itemNo: "MUG", variantCode: "RED", unitPrice: "11" });
  await setLineDiscount(prisma, shop.id, { discountGroup: "STAFF", itemNo: "MUG", discountPct: "10" });
  await createItem(prisma, shop.id, { no: "HAT", description: "Wool hat", unitPrice: "19.5" });
  await insertBlockedItem(shop.id, "OLD", "Old stock");
  // The export has read the back office's changes (each item collected as not added) ...
  await collectChanges(prisma, shop.id, PRODUCT_FEED);
  // ... then sent TEE, and Shopify refused HAT.
  await linkProduct(prisma, shop.id, {
    shopifyId: 1001n,
    title: "Merino Tee",
    status: "ACTIVE",
    itemNo: "TEE",
  });
  await linkVariants(prisma, shop.id, [
    {
      variantShopifyId: 2001n,
      productShopifyId: 1001n,
      inventoryItemShopifyId: 3001n,
      sku: "TEE",
      barcode: null,
      title: "Merino Tee",
      itemNo: "TEE",
      variantCode: null,
      linkedBy: "export",
      sentPriceHash: "sent",
    },
  ]);
  await setItemRecord(shop.id, "TEE", { sent: 1001n });
  await setItemRecord(shop.id, "HAT", { failed: FAILURE });
  return shop;
}
