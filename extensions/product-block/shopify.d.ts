import "@shopify/ui-extensions";

// The `shopify` global of the product details block (as Shopify CLI types each module of an extension).
declare module "./src/ProductBlock.tsx" {
  const shopify: import("@shopify/ui-extensions/admin.product-details.block.render").Api;
  const globalThis: { shopify: typeof shopify };
}
