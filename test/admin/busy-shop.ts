import { postSalesOrder } from "../../app/backoffice/backoffice.server";
import prisma from "../../app/db.server";
import { collectChanges, markFailed, markSent, recordsByKey } from "../../app/sync/kit/outbound.server";
import { SHIPMENT_FEED } from "../../app/sync/shipments/sync.server";
import { stockedShop } from "../kit/backoffice";
import { processStaged } from "../kit/jobs";
import { insertStagedCustomer, insertStagedOrder, shopifyId } from "../kit/staged";

/**
 * A shop with something on every tile, made the way the app makes it: orders staged and
 * processed by the real processing (which decides what is blocked and why), documents posted
 * by the back office, shipments marked by the shipment sync's own functions.
 */
export async function busyShop() {
  const { shop, customer } = await stockedShop();
  await prisma.shopSettings.update({ where: { shopId: shop.id }, data: { customerAutoCreate: false } });
  const tee = { variantId: shopifyId(), sku: "TEE", title: "Merino Tee" };
  const hat = { variantId: shopifyId(), sku: "HAT", title: "Wool Hat", price: "19.50" };
  const ada = shopifyId();
  const stranger = shopifyId();

  const shipped = await Promise.all(
    ["#S1", "#S2", "#S3"].map((name) =>
      insertStagedOrder(shop, { name, email: "ada@example.com", customerShopifyId: ada, lines: [tee] }),
    ),
  );
  const changed = await insertStagedOrder(shop, {
    name: "#C1",
    email: "ada@example.com",
    customerShopifyId: ada,
    lines: [tee],
  });
  const blockedByProduct = await insertStagedOrder(shop, {
    name: "#P1",
    email: "ada@example.com",
    customerShopifyId: ada,
    lines: [tee, hat],
  });
  const blockedByCustomer = await insertStagedOrder(shop, {
    name: "#U1",
    email: "stranger@example.com",
    customerShopifyId: stranger,
    lines: [tee],
  });
  const cancelled = await insertStagedOrder(shop, { name: "#X1", lines: [hat], cancelled: true });
  await processStaged(shop);
  // Imported after the last processing run: waiting, with no error.
  const waiting = await insertStagedOrder(shop, { name: "#W1", email: "ada@example.com", lines: [tee] });

  await prisma.shopifyOrder.update({
    where: { id: changed.id },
    data: { changedAfterProcessing: true, changes: ["quantity of Merino Tee up from 1 to 2"] },
  });
  // A customer Shopify asked us to erase: not on the list, whatever its link.
  await insertStagedCustomer(shop, { redactedAt: new Date() });

  const documents = await prisma.shopifyOrder.findMany({
    where: { id: { in: shipped.map((order) => order.id) } },
    orderBy: { name: "asc" },
  });
  const shipments = [];
  for (const order of documents) {
    const posted = await postSalesOrder(prisma, shop.id, order.documentNo!, {
      ship: true,
      invoice: false,
      carrier: "UPS",
      trackingNo: `1Z-${order.name}`,
    });
    shipments.push(posted.shipmentNo!);
  }
  const [pending, failed, synced] = shipments as [string, string, string];
  // As the shipment sync would leave them: one failed, one sent, one waiting.
  await collectChanges(prisma, shop.id, SHIPMENT_FEED);
  const records = await recordsByKey(prisma, shop.id, SHIPMENT_FEED.task, [failed, synced]);
  await markFailed(prisma, records.get(failed)!, "order 123 no longer exists in Shopify");
  await markSent(prisma, records.get(synced)!, {
    shopifyId: "gid://shopify/Fulfillment/1",
    sentHash: "sent",
  });

  return {
    shop,
    customer,
    variants: { tee, hat },
    customers: { ada, stranger },
    orders: { blockedByProduct, blockedByCustomer, cancelled, waiting, changed },
    shipments: { pending, failed, synced },
  };
}
