import { createCustomer } from "../../app/backoffice/backoffice.server";
import prisma from "../../app/db.server";
import { addCustomersToShopify, CUSTOMER_TASK, customerFeed } from "../../app/sync/customers/records.server";
import { collectChanges, markFailed, markSent, recordsByKey } from "../../app/sync/kit/outbound.server";
import { stockedShop } from "../kit/backoffice";
import { insertStagedCustomer, shopifyId } from "../kit/staged";

/** A shop's customers as the customers export leaves them, for the Customers page and the CLI's customers. */

export const FAILURE = "Shopify: email: is invalid (the address bob@example has no domain)";

/**
 * A shop whose back office has four customers and a template: Ada never added to Shopify,
 * Bob failed with Shopify's message, Cat synced to a Shopify customer, Dan linked by the
 * import to a Shopify customer and never sent.
 */
export async function exportShop() {
  const { shop, customer: ada } = await stockedShop();
  await createCustomer(prisma, shop.id, { no: "C-BOB", name: "Bob Babbage", email: "bob@example" });
  await createCustomer(prisma, shop.id, { no: "C-CAT", name: "Cat Curie", phone: "+33 1 23 45 67 89" });
  await createCustomer(prisma, shop.id, { no: "C-DAN", name: "Dan Dijkstra", city: "Amsterdam" });
  await createCustomer(prisma, shop.id, { no: "TPL", name: "Retail template", isTemplate: true });
  await collectChanges(prisma, shop.id, customerFeed(false));
  await addCustomersToShopify(prisma, shop.id, ["C-BOB", "C-CAT"]);
  const records = await recordsByKey(prisma, shop.id, CUSTOMER_TASK, ["C-BOB", "C-CAT"]);
  await markFailed(prisma, records.get("C-BOB")!, FAILURE);
  const cat = shopifyId();
  await markSent(prisma, records.get("C-CAT")!, {
    shopifyId: `gid://shopify/Customer/${cat}`,
    sentHash: "sent",
  });
  await insertStagedCustomer(shop, {
    shopifyId: cat,
    customerNo: "C-CAT",
    syncState: "linked",
    message: "added to Shopify from the back office",
  });
  const dan = shopifyId();
  await insertStagedCustomer(shop, {
    shopifyId: dan,
    customerNo: "C-DAN",
    syncState: "linked",
    message: "linked by e-mail dan@example.com",
  });
  return { shop, ada, cat, dan };
}
