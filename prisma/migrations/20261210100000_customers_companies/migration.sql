-- The customers and companies (B2B) syncs: their shop card settings, what the app keeps of
-- Shopify's customers, companies, company locations and contacts, business customers' ship-to
-- addresses, tax and payment terms, and B2B orders' company, PO number and due date.
ALTER TABLE "ShopSettings"
    ADD COLUMN "customerImport" TEXT NOT NULL DEFAULT 'with_orders',
    ADD COLUMN "customerUpdates" TEXT NOT NULL DEFAULT 'none',
    ADD COLUMN "customerNameFrom" TEXT NOT NULL DEFAULT 'company',
    ADD COLUMN "countryCustomers" JSONB NOT NULL DEFAULT '[]',
    ADD COLUMN "companyImport" TEXT NOT NULL DEFAULT 'with_orders',
    ADD COLUMN "companyMapping" TEXT NOT NULL DEFAULT 'email_phone',
    ADD COLUMN "defaultCompanyCustomerNo" TEXT,
    ADD COLUMN "companyAutoCreate" BOOLEAN NOT NULL DEFAULT false,
    ADD COLUMN "companyTemplateNo" TEXT,
    ADD COLUMN "companyLocationsAs" TEXT NOT NULL DEFAULT 'ship_to',
    ADD COLUMN "companyUpdates" TEXT NOT NULL DEFAULT 'none';

ALTER TABLE "ShopifyCustomer"
    ADD COLUMN "company" TEXT,
    ADD COLUMN "address2" TEXT,
    ADD COLUMN "province" TEXT,
    ADD COLUMN "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    ADD COLUMN "addressFrom" TEXT,
    ADD COLUMN "defaultAddressId" TEXT,
    ADD COLUMN "syncState" TEXT NOT NULL DEFAULT '',
    ADD COLUMN "message" TEXT,
    ADD COLUMN "contentHash" TEXT,
    ADD COLUMN "shopifyUpdatedAt" TIMESTAMPTZ(3),
    ADD COLUMN "deletedAt" TIMESTAMPTZ(3);
CREATE INDEX "ShopifyCustomer_shopId_customerNo_idx" ON "ShopifyCustomer"("shopId", "customerNo");
CREATE INDEX "ShopifyCustomer_shopId_syncState_idx" ON "ShopifyCustomer"("shopId", "syncState");

CREATE TABLE "ShopifyCompany" (
    "id" UUID NOT NULL,
    "shopId" UUID NOT NULL,
    "shopifyId" BIGINT NOT NULL,
    "name" TEXT NOT NULL,
    "externalId" TEXT,
    "note" TEXT,
    "mainContactShopifyId" BIGINT,
    "customerNo" TEXT,
    "syncState" TEXT NOT NULL DEFAULT 'unmapped',
    "message" TEXT,
    "contentHash" TEXT,
    "shopifyUpdatedAt" TIMESTAMPTZ(3),
    "deletedAt" TIMESTAMPTZ(3),
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ShopifyCompany_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "ShopifyCompany_shopId_shopifyId_key" ON "ShopifyCompany"("shopId", "shopifyId");
CREATE INDEX "ShopifyCompany_shopId_syncState_idx" ON "ShopifyCompany"("shopId", "syncState");
ALTER TABLE "ShopifyCompany" ADD CONSTRAINT "ShopifyCompany_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "ShopifyCompanyLocation" (
    "id" UUID NOT NULL,
    "shopId" UUID NOT NULL,
    "shopifyId" BIGINT NOT NULL,
    "companyShopifyId" BIGINT NOT NULL,
    "name" TEXT NOT NULL,
    "externalId" TEXT,
    "address" JSONB,
    "taxRegistrationId" TEXT,
    "taxExempt" BOOLEAN NOT NULL DEFAULT false,
    "taxExemptions" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "paymentTermsName" TEXT,
    "paymentTermsDueInDays" INTEGER,
    "customerNo" TEXT,
    "shipToCode" TEXT,
    "syncState" TEXT NOT NULL DEFAULT 'unmapped',
    "message" TEXT,
    "contentHash" TEXT,
    "shopifyUpdatedAt" TIMESTAMPTZ(3),
    "deletedAt" TIMESTAMPTZ(3),
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ShopifyCompanyLocation_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "ShopifyCompanyLocation_shopId_shopifyId_key" ON "ShopifyCompanyLocation"("shopId", "shopifyId");
CREATE INDEX "ShopifyCompanyLocation_shopId_companyShopifyId_idx" ON "ShopifyCompanyLocation"("shopId", "companyShopifyId");
ALTER TABLE "ShopifyCompanyLocation" ADD CONSTRAINT "ShopifyCompanyLocation_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "ShopifyCompanyContact" (
    "id" UUID NOT NULL,
    "shopId" UUID NOT NULL,
    "shopifyId" BIGINT NOT NULL,
    "companyShopifyId" BIGINT NOT NULL,
    "customerShopifyId" BIGINT,
    "isMainContact" BOOLEAN NOT NULL DEFAULT false,
    "title" TEXT,
    "email" TEXT,
    "phone" TEXT,
    "firstName" TEXT,
    "lastName" TEXT,
    "deletedAt" TIMESTAMPTZ(3),
    "redactedAt" TIMESTAMPTZ(3),
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ShopifyCompanyContact_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "ShopifyCompanyContact_shopId_shopifyId_key" ON "ShopifyCompanyContact"("shopId", "shopifyId");
CREATE INDEX "ShopifyCompanyContact_shopId_companyShopifyId_idx" ON "ShopifyCompanyContact"("shopId", "companyShopifyId");
CREATE INDEX "ShopifyCompanyContact_shopId_customerShopifyId_idx" ON "ShopifyCompanyContact"("shopId", "customerShopifyId");
ALTER TABLE "ShopifyCompanyContact" ADD CONSTRAINT "ShopifyCompanyContact_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "BoCustomer"
    ADD COLUMN "address2" TEXT,
    ADD COLUMN "county" TEXT,
    ADD COLUMN "contactName" TEXT,
    ADD COLUMN "taxRegistrationNo" TEXT,
    ADD COLUMN "taxExemptions" TEXT[] DEFAULT ARRAY[]::TEXT[],
    ADD COLUMN "paymentTermsCode" TEXT,
    ADD COLUMN "paymentTermsDays" INTEGER,
    ADD COLUMN "emailKey" TEXT,
    ADD COLUMN "phoneKey" TEXT;
-- A customer is found by its exact e-mail (any case) or its phone's digits through these.
UPDATE "BoCustomer" SET "emailKey" = lower(btrim(email)),
                        "phoneKey" = nullif(regexp_replace(coalesce(phone, ''), '\D', '', 'g'), '');
CREATE INDEX "BoCustomer_shopId_emailKey_idx" ON "BoCustomer"("shopId", "emailKey");
CREATE INDEX "BoCustomer_shopId_phoneKey_idx" ON "BoCustomer"("shopId", "phoneKey");

CREATE TABLE "BoShipToAddress" (
    "shopId" UUID NOT NULL,
    "customerNo" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "address1" TEXT,
    "address2" TEXT,
    "city" TEXT,
    "zip" TEXT,
    "county" TEXT,
    "countryCode" TEXT,
    "phone" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "BoShipToAddress_pkey" PRIMARY KEY ("shopId","customerNo","code")
);
ALTER TABLE "BoShipToAddress" ADD CONSTRAINT "BoShipToAddress_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "BoSalesHeader"
    ADD COLUMN "shipToCode" TEXT,
    ADD COLUMN "externalDocumentNo" TEXT,
    ADD COLUMN "dueDate" TIMESTAMPTZ(3);

ALTER TABLE "ShopifyOrder"
    ADD COLUMN "companyShopifyId" BIGINT,
    ADD COLUMN "companyLocationShopifyId" BIGINT,
    ADD COLUMN "poNumber" TEXT,
    ADD COLUMN "paymentDueAt" TIMESTAMPTZ(3);
