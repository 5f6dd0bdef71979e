-- The order flow: shop settings for order import and mapping, the back office (items,
-- locations, stock, customers, sales documents, posted shipments and invoices), and the
-- staging of Shopify orders.

ALTER TABLE "ShopSettings"
    ADD COLUMN "autoProcessOrders" BOOLEAN NOT NULL DEFAULT true,
    ADD COLUMN "autoReleaseOrders" BOOLEAN NOT NULL DEFAULT false,
    ADD COLUMN "createInvoicesForFulfilled" BOOLEAN NOT NULL DEFAULT true,
    ADD COLUMN "useShopifyOrderNo" BOOLEAN NOT NULL DEFAULT false,
    ADD COLUMN "customerMapping" TEXT NOT NULL DEFAULT 'email_phone',
    ADD COLUMN "customerAutoCreate" BOOLEAN NOT NULL DEFAULT true,
    ADD COLUMN "customerTemplateNo" TEXT,
    ADD COLUMN "defaultCustomerNo" TEXT,
    ADD COLUMN "productMapping" TEXT NOT NULL DEFAULT 'item_no',
    ADD COLUMN "productAutoCreate" BOOLEAN NOT NULL DEFAULT false,
    ADD COLUMN "notifyCustomerOnShipment" BOOLEAN NOT NULL DEFAULT true;

CREATE TABLE "BoNumberSeries" (
    "shopId" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "lastNo" INTEGER NOT NULL DEFAULT 0,
    "width" INTEGER NOT NULL DEFAULT 5,
    CONSTRAINT "BoNumberSeries_pkey" PRIMARY KEY ("shopId", "code"),
    CONSTRAINT "BoNumberSeries_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE "BoItem" (
    "shopId" UUID NOT NULL,
    "no" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "unitPrice" DECIMAL(18,4) NOT NULL DEFAULT 0,
    "vendorItemNo" TEXT,
    "barcode" TEXT,
    "blocked" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "BoItem_pkey" PRIMARY KEY ("shopId", "no"),
    CONSTRAINT "BoItem_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "BoItem_shopId_vendorItemNo_idx" ON "BoItem"("shopId", "vendorItemNo");
CREATE INDEX "BoItem_shopId_barcode_idx" ON "BoItem"("shopId", "barcode");

CREATE TABLE "BoItemVariant" (
    "shopId" UUID NOT NULL,
    "itemNo" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "barcode" TEXT,
    CONSTRAINT "BoItemVariant_pkey" PRIMARY KEY ("shopId", "itemNo", "code"),
    CONSTRAINT "BoItemVariant_shopId_itemNo_fkey" FOREIGN KEY ("shopId", "itemNo") REFERENCES "BoItem"("shopId", "no") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "BoItemVariant_shopId_code_idx" ON "BoItemVariant"("shopId", "code");
CREATE INDEX "BoItemVariant_shopId_barcode_idx" ON "BoItemVariant"("shopId", "barcode");

CREATE TABLE "BoLocation" (
    "shopId" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "shopifyLocationId" BIGINT,
    CONSTRAINT "BoLocation_pkey" PRIMARY KEY ("shopId", "code"),
    CONSTRAINT "BoLocation_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE "BoStockEntry" (
    "id" UUID NOT NULL,
    "shopId" UUID NOT NULL,
    "itemNo" TEXT NOT NULL,
    "variantCode" TEXT NOT NULL DEFAULT '',
    "locationCode" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "entryType" TEXT NOT NULL,
    "documentNo" TEXT NOT NULL,
    "postedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "BoStockEntry_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "BoStockEntry_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "BoStockEntry_shopId_itemNo_variantCode_locationCode_idx" ON "BoStockEntry"("shopId", "itemNo", "variantCode", "locationCode");

CREATE TABLE "BoCustomer" (
    "shopId" UUID NOT NULL,
    "no" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT,
    "phone" TEXT,
    "address1" TEXT,
    "city" TEXT,
    "zip" TEXT,
    "countryCode" TEXT,
    "isTemplate" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "BoCustomer_pkey" PRIMARY KEY ("shopId", "no"),
    CONSTRAINT "BoCustomer_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "BoCustomer_shopId_email_idx" ON "BoCustomer"("shopId", "email");
CREATE INDEX "BoCustomer_shopId_phone_idx" ON "BoCustomer"("shopId", "phone");

CREATE TABLE "BoSalesHeader" (
    "id" UUID NOT NULL,
    "shopId" UUID NOT NULL,
    "documentType" TEXT NOT NULL,
    "no" TEXT NOT NULL,
    "customerNo" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "orderDate" TIMESTAMPTZ(3) NOT NULL,
    "currencyCode" TEXT NOT NULL,
    "shopifyOrderId" BIGINT,
    "shopifyOrderNo" TEXT,
    "shipToName" TEXT,
    "shipToAddress1" TEXT,
    "shipToCity" TEXT,
    "shipToZip" TEXT,
    "shipToCountry" TEXT,
    "amount" DECIMAL(18,4) NOT NULL DEFAULT 0,
    "amountIncludingTax" DECIMAL(18,4) NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "BoSalesHeader_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "BoSalesHeader_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "BoSalesHeader_shopId_shopifyOrderNo_idx" ON "BoSalesHeader"("shopId", "shopifyOrderNo");
CREATE UNIQUE INDEX "BoSalesHeader_shopId_documentType_no_key" ON "BoSalesHeader"("shopId", "documentType", "no");
CREATE UNIQUE INDEX "BoSalesHeader_shopId_shopifyOrderId_key" ON "BoSalesHeader"("shopId", "shopifyOrderId");

CREATE TABLE "BoSalesLine" (
    "headerId" UUID NOT NULL,
    "lineNo" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "itemNo" TEXT,
    "variantCode" TEXT,
    "description" TEXT NOT NULL,
    "locationCode" TEXT,
    "quantity" INTEGER NOT NULL DEFAULT 0,
    "unitPrice" DECIMAL(18,4) NOT NULL DEFAULT 0,
    "discountAmount" DECIMAL(18,4) NOT NULL DEFAULT 0,
    "taxAmount" DECIMAL(18,4) NOT NULL DEFAULT 0,
    "amount" DECIMAL(18,4) NOT NULL DEFAULT 0,
    "quantityShipped" INTEGER NOT NULL DEFAULT 0,
    "quantityInvoiced" INTEGER NOT NULL DEFAULT 0,
    "shopifyLineId" BIGINT,
    CONSTRAINT "BoSalesLine_pkey" PRIMARY KEY ("headerId", "lineNo"),
    CONSTRAINT "BoSalesLine_headerId_fkey" FOREIGN KEY ("headerId") REFERENCES "BoSalesHeader"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE "BoPostedShipment" (
    "id" UUID NOT NULL,
    "shopId" UUID NOT NULL,
    "no" TEXT NOT NULL,
    "orderNo" TEXT NOT NULL,
    "shopifyOrderId" BIGINT,
    "customerNo" TEXT NOT NULL,
    "postedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "carrier" TEXT,
    "trackingNo" TEXT,
    "trackingUrl" TEXT,
    "shopifySyncState" TEXT NOT NULL DEFAULT 'pending',
    "shopifyFulfillmentId" TEXT,
    "shopifySyncError" TEXT,
    "shopifySyncAttempts" INTEGER NOT NULL DEFAULT 0,
    "shopifySyncedAt" TIMESTAMPTZ(3),
    CONSTRAINT "BoPostedShipment_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "BoPostedShipment_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "BoPostedShipment_shopId_shopifySyncState_idx" ON "BoPostedShipment"("shopId", "shopifySyncState");
CREATE UNIQUE INDEX "BoPostedShipment_shopId_no_key" ON "BoPostedShipment"("shopId", "no");

CREATE TABLE "BoPostedShipmentLine" (
    "shipmentId" UUID NOT NULL,
    "lineNo" INTEGER NOT NULL,
    "orderLineNo" INTEGER NOT NULL,
    "itemNo" TEXT NOT NULL,
    "variantCode" TEXT NOT NULL DEFAULT '',
    "description" TEXT NOT NULL,
    "locationCode" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "shopifyLineId" BIGINT,
    CONSTRAINT "BoPostedShipmentLine_pkey" PRIMARY KEY ("shipmentId", "lineNo"),
    CONSTRAINT "BoPostedShipmentLine_shipmentId_fkey" FOREIGN KEY ("shipmentId") REFERENCES "BoPostedShipment"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE "BoPostedInvoice" (
    "id" UUID NOT NULL,
    "shopId" UUID NOT NULL,
    "no" TEXT NOT NULL,
    "orderNo" TEXT,
    "shopifyOrderId" BIGINT,
    "shopifyOrderNo" TEXT,
    "customerNo" TEXT NOT NULL,
    "postedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "amount" DECIMAL(18,4) NOT NULL,
    "amountIncludingTax" DECIMAL(18,4) NOT NULL,
    CONSTRAINT "BoPostedInvoice_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "BoPostedInvoice_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "BoPostedInvoice_shopId_no_key" ON "BoPostedInvoice"("shopId", "no");

CREATE TABLE "BoPostedInvoiceLine" (
    "invoiceId" UUID NOT NULL,
    "lineNo" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "itemNo" TEXT,
    "variantCode" TEXT,
    "description" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "unitPrice" DECIMAL(18,4) NOT NULL,
    "amount" DECIMAL(18,4) NOT NULL,
    "taxAmount" DECIMAL(18,4) NOT NULL,
    CONSTRAINT "BoPostedInvoiceLine_pkey" PRIMARY KEY ("invoiceId", "lineNo"),
    CONSTRAINT "BoPostedInvoiceLine_invoiceId_fkey" FOREIGN KEY ("invoiceId") REFERENCES "BoPostedInvoice"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE "SyncCursor" (
    "shopId" UUID NOT NULL,
    "task" TEXT NOT NULL,
    "cursor" TIMESTAMPTZ(3) NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "SyncCursor_pkey" PRIMARY KEY ("shopId", "task"),
    CONSTRAINT "SyncCursor_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE "ShopifyOrder" (
    "id" UUID NOT NULL,
    "shopId" UUID NOT NULL,
    "shopifyId" BIGINT NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT,
    "phone" TEXT,
    "customerShopifyId" BIGINT,
    "currencyCode" TEXT NOT NULL,
    "sourceName" TEXT,
    "tags" TEXT[],
    "financialStatus" TEXT NOT NULL,
    "fulfillmentStatus" TEXT NOT NULL,
    "cancelledAt" TIMESTAMPTZ(3),
    "closedAt" TIMESTAMPTZ(3),
    "test" BOOLEAN NOT NULL DEFAULT false,
    "taxesIncluded" BOOLEAN NOT NULL DEFAULT false,
    "subtotal" DECIMAL(18,4) NOT NULL,
    "totalShipping" DECIMAL(18,4) NOT NULL,
    "totalTax" DECIMAL(18,4) NOT NULL,
    "totalDiscounts" DECIMAL(18,4) NOT NULL,
    "totalPrice" DECIMAL(18,4) NOT NULL,
    "billingAddress" JSONB,
    "shippingAddress" JSONB,
    "shopifyCreatedAt" TIMESTAMPTZ(3) NOT NULL,
    "shopifyUpdatedAt" TIMESTAMPTZ(3) NOT NULL,
    "importedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "state" TEXT NOT NULL DEFAULT 'unprocessed',
    "error" TEXT,
    "documentType" TEXT,
    "documentNo" TEXT,
    "processedAt" TIMESTAMPTZ(3),
    "processedSnapshot" JSONB,
    "changedAfterProcessing" BOOLEAN NOT NULL DEFAULT false,
    "changes" JSONB,
    CONSTRAINT "ShopifyOrder_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "ShopifyOrder_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "ShopifyOrder_shopId_state_idx" ON "ShopifyOrder"("shopId", "state");
CREATE INDEX "ShopifyOrder_shopId_name_idx" ON "ShopifyOrder"("shopId", "name");
CREATE UNIQUE INDEX "ShopifyOrder_shopId_shopifyId_key" ON "ShopifyOrder"("shopId", "shopifyId");

CREATE TABLE "ShopifyOrderLine" (
    "orderId" UUID NOT NULL,
    "shopifyId" BIGINT NOT NULL,
    "productShopifyId" BIGINT,
    "variantShopifyId" BIGINT,
    "sku" TEXT,
    "barcode" TEXT,
    "title" TEXT NOT NULL,
    "variantTitle" TEXT,
    "vendor" TEXT,
    "quantity" INTEGER NOT NULL,
    "currentQuantity" INTEGER NOT NULL,
    "unitPrice" DECIMAL(18,4) NOT NULL,
    "discountAmount" DECIMAL(18,4) NOT NULL,
    "taxAmount" DECIMAL(18,4) NOT NULL,
    "taxLines" JSONB NOT NULL,
    "requiresShipping" BOOLEAN NOT NULL DEFAULT true,
    "itemNo" TEXT,
    "variantCode" TEXT,
    CONSTRAINT "ShopifyOrderLine_pkey" PRIMARY KEY ("orderId", "shopifyId"),
    CONSTRAINT "ShopifyOrderLine_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "ShopifyOrder"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE "ShopifyShippingLine" (
    "orderId" UUID NOT NULL,
    "shopifyId" BIGINT NOT NULL,
    "title" TEXT NOT NULL,
    "code" TEXT,
    "price" DECIMAL(18,4) NOT NULL,
    "discountAmount" DECIMAL(18,4) NOT NULL,
    "taxAmount" DECIMAL(18,4) NOT NULL,
    CONSTRAINT "ShopifyShippingLine_pkey" PRIMARY KEY ("orderId", "shopifyId"),
    CONSTRAINT "ShopifyShippingLine_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "ShopifyOrder"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE "ShopifyOrderTransaction" (
    "orderId" UUID NOT NULL,
    "shopifyId" BIGINT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "gateway" TEXT NOT NULL,
    "amount" DECIMAL(18,4) NOT NULL,
    "processedAt" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "ShopifyOrderTransaction_pkey" PRIMARY KEY ("orderId", "shopifyId"),
    CONSTRAINT "ShopifyOrderTransaction_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "ShopifyOrder"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE "ShopifyFulfillmentOrder" (
    "orderId" UUID NOT NULL,
    "shopifyId" BIGINT NOT NULL,
    "status" TEXT NOT NULL,
    "locationShopifyId" BIGINT,
    "lineItems" JSONB NOT NULL,
    CONSTRAINT "ShopifyFulfillmentOrder_pkey" PRIMARY KEY ("orderId", "shopifyId"),
    CONSTRAINT "ShopifyFulfillmentOrder_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "ShopifyOrder"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE "ShopifyVariantMap" (
    "shopId" UUID NOT NULL,
    "variantShopifyId" BIGINT NOT NULL,
    "productShopifyId" BIGINT,
    "sku" TEXT,
    "barcode" TEXT,
    "title" TEXT NOT NULL,
    "itemNo" TEXT,
    "variantCode" TEXT,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "ShopifyVariantMap_pkey" PRIMARY KEY ("shopId", "variantShopifyId"),
    CONSTRAINT "ShopifyVariantMap_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "ShopifyVariantMap_shopId_itemNo_idx" ON "ShopifyVariantMap"("shopId", "itemNo");

