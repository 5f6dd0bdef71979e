import type { ShopState } from "../../state/shop-state.server";

/** `app/uninstalled`: the shop the app was removed from, as the REST Shop resource names it. */
export function appUninstalledPayload(shop: ShopState) {
  return {
    id: shop.createdAt.getTime(),
    name: shop.name,
    myshopify_domain: shop.domain,
    domain: shop.domain,
  };
}
