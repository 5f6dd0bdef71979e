import { createItem } from "../../app/backoffice/backoffice.server";
import prisma from "../../app/db.server";
import { installedShop } from "./shops";
import type { RunningSimulator } from "./simulator";
import { Store } from "./store";

/**
 * A shop installed with a token from the simulator, a product "Merino Tee" with two variants
 * (TEE-S, TEE-M) in Shopify, and, unless `items: false`, a back office whose items match
 * those SKUs: what the order-flow tests start from. With `stock`, each variant has that many on
 * hand in Shopify at the shop's location, as a shop whose storefront sells them (a checkout
 * claims the units, and cannot sell a variant out of stock); else none.
 */
export async function orderShop(
  simulator: RunningSimulator,
  options: { items?: boolean; stock?: number } = {},
) {
  const shop = await installedShop();
  const store = new Store(simulator, shop.domain);
  await prisma.session.update({
    where: { id: `offline_${shop.domain}` },
    data: { accessToken: store.token },
  });
  await store.graphql(`query TestLocations { locations(first: 1) { nodes { id } } }`);
  const product = await store.product("Merino Tee", [
    { sku: "TEE-S", price: "25.00", option: "S", onHand: options.stock },
    { sku: "TEE-M", price: "25.00", option: "M", onHand: options.stock },
  ]);
  if (options.items !== false) {
    await createItem(prisma, shop.id, { no: "TEE-S", description: "Merino Tee S", unitPrice: "25" });
    await createItem(prisma, shop.id, { no: "TEE-M", description: "Merino Tee M", unitPrice: "25" });
  }
  const [small, medium] = product.variants.nodes;
  return { shop, store, small: small!, medium: medium! };
}
