/**
 * Addresses in the merchant's Shopify admin. The admin names a store by its handle: the
 * myshopify.com domain without its suffix.
 */

export function storeHandle(domain: string): string {
  return domain.replace(/\.myshopify\.com$/i, "");
}

export function adminOrderUrl(domain: string, orderShopifyId: bigint): string {
  return `https://admin.shopify.com/store/${storeHandle(domain)}/orders/${orderShopifyId}`;
}

export function adminCustomerUrl(domain: string, customerShopifyId: bigint): string {
  return `https://admin.shopify.com/store/${storeHandle(domain)}/customers/${customerShopifyId}`;
}

export function adminProductUrl(domain: string, productShopifyId: bigint): string {
  return `https://admin.shopify.com/store/${storeHandle(domain)}/products/${productShopifyId}`;
}
