-- Documents as Shopify states the order when it is processed: prices including tax, every
-- shipping line with its tax lines, the figures after removed units, the presentment currency,
-- gift-card lines and tips. Staged fulfillment orders are no longer read (the shipment sync
-- reads them as they stand when it needs them).

ALTER TABLE "ShopifyOrder" ADD COLUMN "edited" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "ShopifyOrder" ADD COLUMN "presentmentCurrencyCode" TEXT;
ALTER TABLE "ShopifyOrder" ADD COLUMN "paymentGateways" TEXT[] DEFAULT ARRAY[]::TEXT[];
ALTER TABLE "ShopifyOrder" ADD COLUMN "totalTip" DECIMAL(18,4) NOT NULL DEFAULT 0;
ALTER TABLE "ShopifyOrder" ADD COLUMN "currentTotalPrice" DECIMAL(18,4);
ALTER TABLE "ShopifyOrder" ADD COLUMN "presentmentTotalPrice" DECIMAL(18,4);
ALTER TABLE "ShopifyOrder" ADD COLUMN "currentSubtotal" DECIMAL(18,4);
ALTER TABLE "ShopifyOrder" ADD COLUMN "currentShipping" DECIMAL(18,4);
ALTER TABLE "ShopifyOrder" ADD COLUMN "currentTotalTax" DECIMAL(18,4);
ALTER TABLE "ShopifyOrder" ADD COLUMN "presentmentTotalTax" DECIMAL(18,4);
ALTER TABLE "ShopifyOrder" ADD COLUMN "currentTaxLines" JSONB;

ALTER TABLE "ShopifyOrderLine" ADD COLUMN "isGiftCard" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "ShopifyOrderLine" ADD COLUMN "unitPriceAfterDiscounts" DECIMAL(18,4);

ALTER TABLE "ShopifyShippingLine" ADD COLUMN "removed" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "ShopifyShippingLine" ADD COLUMN "taxLines" JSONB NOT NULL DEFAULT '[]';

DROP TABLE "ShopifyFulfillmentOrder";

ALTER TABLE "BoSalesHeader" ADD COLUMN "pricesIncludingTax" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "BoSalesHeader" ADD COLUMN "presentmentCurrencyCode" TEXT;
ALTER TABLE "BoSalesHeader" ADD COLUMN "presentmentAmount" DECIMAL(18,4);
ALTER TABLE "BoSalesHeader" ADD COLUMN "presentmentAmountIncludingTax" DECIMAL(18,4);

ALTER TABLE "BoPostedInvoice" ADD COLUMN "pricesIncludingTax" BOOLEAN NOT NULL DEFAULT false;
