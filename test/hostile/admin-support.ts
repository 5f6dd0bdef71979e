import { randomBytes } from "node:crypto";
import { addItemPicture, createCustomer, createItem } from "../../app/backoffice/backoffice.server";
import prisma from "../../app/db.server";
import { enqueueSync } from "../../app/jobs/enqueue.server";
import { collectChanges, markFailed, recordsByKey } from "../../app/sync/kit/outbound.server";
import { addItemsToShopify, PRODUCT_FEED, PRODUCT_TASK } from "../../app/sync/products/records.server";
import { addCustomersToShopify, CUSTOMER_TASK, customerFeed } from "../../app/sync/customers/records.server";
import { syncOrdersTask } from "../../app/sync/orders/task.server";
import { busyShop } from "../admin/busy-shop";
import { companyRead, storedCompany, unmappedCompany } from "../admin/company-shop";
import { dataOf, statusOf } from "../support/admin";
import { solidPng } from "../../simulator/resolvers/media-images.server";

/** What the hostile admin tests share: how an answer is read, and a shop with a record of each kind. */

/** What a loader or action answered: its status and body, whether returned or thrown. */
export interface Outcome {
  status: number;
  location: string | null;
  body: unknown;
}

export async function outcome(call: Promise<unknown>): Promise<Outcome> {
  let result: unknown;
  try {
    result = await call;
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown;
    result = thrown;
  }
  if (result instanceof Response) {
    const text = await result.text();
    return { status: result.status, location: result.headers.get("location"), body: text };
  }
  return { status: statusOf(result), location: null, body: await dataOf(result) };
}

export const status = (result: Outcome) => result.status;

/** A Shopify id no other shop of the run has (48 random bits). */
const nextId = () => BigInt(`0x${randomBytes(6).toString("hex")}`) + 1n;

/**
 * A shop with something on every list (busyShop), plus an unmapped customer, a failed
 * shipment, a queued run, a failed run picked out by id, and an item and a customer of its own
 * (numbers no other shop has) that failed to reach Shopify.
 */
export async function shopWithRecords() {
  const busy = await busyShop();
  const unmapped = await prisma.shopifyCustomer.findFirstOrThrow({
    where: { shopId: busy.shop.id, customerNo: null, redactedAt: null },
  });
  const failed = await prisma.boPostedShipment.findFirstOrThrow({
    where: { shopId: busy.shop.id, no: busy.shipments.failed },
  });
  const { run: queued } = await enqueueSync(prisma, syncOrdersTask, {
    shop: busy.shop.domain,
    trigger: "manual",
    filters: {},
  });
  const failedItemNo = `ERR-${randomBytes(4).toString("hex").toUpperCase()}`;
  await createItem(prisma, busy.shop.id, { no: failedItemNo, description: "Felt slippers", unitPrice: "30" });
  await collectChanges(prisma, busy.shop.id, PRODUCT_FEED);
  await addItemsToShopify(prisma, busy.shop.id, [failedItemNo]);
  const itemRecord = (await recordsByKey(prisma, busy.shop.id, PRODUCT_TASK, [failedItemNo])).get(
    failedItemNo,
  )!;
  await markFailed(prisma, itemRecord, "Shopify: title: can't be blank");
  // A picture of that item Shopify failed to process (the images sync's media map).
  const failedPicture = await addItemPicture(prisma, busy.shop.id, {
    itemNo: failedItemNo,
    filename: "slippers.png",
    content: solidPng(2, 2, [120, 60, 30]),
  });
  await prisma.shopifyMediaMap.create({
    data: {
      shopId: busy.shop.id,
      pictureId: failedPicture.id,
      itemNo: failedItemNo,
      mediaStatus: "FAILED",
      state: "error",
      message:
        "Shopify could not process the image: Media could not be processed because the image could not be processed. [IMAGE_PROCESSING_FAILURE]",
      attempts: 1,
    },
  });
  const failedCustomerNo = `C-ERR-${randomBytes(4).toString("hex").toUpperCase()}`;
  await createCustomer(prisma, busy.shop.id, { no: failedCustomerNo, name: "Fiona Failed" });
  await collectChanges(prisma, busy.shop.id, customerFeed(false));
  await addCustomersToShopify(prisma, busy.shop.id, [failedCustomerNo]);
  const customerRecord = (await recordsByKey(prisma, busy.shop.id, CUSTOMER_TASK, [failedCustomerNo])).get(
    failedCustomerNo,
  )!;
  await markFailed(prisma, customerRecord, "Shopify: phone: is invalid");
  // A Shopify location fed from the back office, and a level there that Shopify refused (ids of
  // this shop only: another shop's token naming them finds nothing).
  const failedLevel = { inventoryItemId: nextId(), locationId: nextId() };
  await prisma.shopifyLocation.create({
    data: {
      shopId: busy.shop.id,
      shopifyId: failedLevel.locationId,
      name: "Harbour warehouse",
      isActive: true,
      fulfillsOnlineOrders: true,
      stockCalculation: "back_office",
      readAt: new Date(),
    },
  });
  await prisma.inventoryLevel.create({
    data: {
      shopId: busy.shop.id,
      ...failedLevel,
      itemNo: failedItemNo,
      target: 3,
      targetParts: { onHand: 3, reservedByOwnOrders: 0, shippedNotFulfilled: 0 },
      state: "error",
      message: "Shopify: inventorySetQuantities: The specified location could not be found.",
      attempts: 1,
    },
  });
  // A Shopify company waiting to be mapped, and one the companies sync failed on.
  const unmappedCompanyRow = await unmappedCompany(busy.shop);
  const failedCompany = await storedCompany(busy.shop, companyRead("Beta Builders"), {
    syncState: "error",
    message: "customer template GONE-TPL does not exist",
  });
  // A Shopify product the products import failed on, with a variant met on an order that maps
  // to no item (the product block's; ids of this shop only).
  const product = { id: nextId(), variantId: nextId() };
  await prisma.shopifyProduct.create({
    data: {
      shopId: busy.shop.id,
      shopifyId: product.id,
      title: "Felt scarf",
      status: "ACTIVE",
      importState: "error",
      importMessage: "Shopify answered 502",
      importAttempts: 1,
    },
  });
  await prisma.shopifyVariantMap.create({
    data: {
      shopId: busy.shop.id,
      variantShopifyId: product.variantId,
      productShopifyId: product.id,
      sku: "SCARF",
      title: "Felt scarf",
    },
  });
  const failedShipmentOrder = await prisma.shopifyOrder.findFirstOrThrow({
    where: { shopId: busy.shop.id, documentNo: failed.orderNo },
  });
  const failedRun = await prisma.syncRun.create({
    data: {
      id: crypto.randomUUID(),
      shopId: busy.shop.id,
      task: "sync_orders",
      trigger: "schedule",
      category: "sync",
      status: "failed",
      error: "Shopify answered 403",
    },
  });
  return {
    ...busy,
    unmappedCustomerId: unmapped.id,
    unmappedCompanyId: unmappedCompanyRow.id,
    failedCompanyId: failedCompany.id,
    failedShipmentId: failed.id,
    failedShipmentOrderId: failedShipmentOrder.shopifyId.toString(),
    product: { id: product.id.toString(), variantId: product.variantId.toString() },
    queuedRunId: queued.id,
    failedRunId: failedRun.id,
    failedItemNo,
    failedPictureId: failedPicture.id,
    failedCustomerNo,
    failedLevel: {
      inventoryItemId: failedLevel.inventoryItemId.toString(),
      locationId: failedLevel.locationId.toString(),
    },
  };
}

export type ShopWithRecords = Awaited<ReturnType<typeof shopWithRecords>>;
