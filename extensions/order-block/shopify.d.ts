import "@shopify/ui-extensions";

// The `shopify` global of the order details block (as Shopify CLI types each module of an extension).
declare module "./src/OrderBlock.tsx" {
  const shopify: import("@shopify/ui-extensions/admin.order-details.block.render").Api;
  const globalThis: { shopify: typeof shopify };
}
