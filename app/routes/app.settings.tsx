import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { SaveBar, useAppBridge } from "@shopify/app-bridge-react";
import {
  Banner,
  BlockStack,
  Button,
  Card,
  Checkbox,
  FormLayout,
  InlineError,
  InlineStack,
  Layout,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useCallback, useEffect, useMemo, useState } from "react";
import {
  customerChoices,
  loadSettings,
  nonStockItemChoices,
  saveSettings,
  type FieldErrors,
} from "../admin/settings.server";
import prisma from "../db.server";
import { adminShop } from "../admin/route.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const shop = await adminShop(request);
  const [settings, customers, items] = await Promise.all([
    loadSettings(prisma, shop.id),
    customerChoices(prisma, shop.id),
    nonStockItemChoices(prisma, shop.id),
  ]);
  const { shopId: _shopId, updatedAt: _updatedAt, ...values } = settings;
  return { values, customers, items };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const shop = await adminShop(request);
  const result = await saveSettings(prisma, shop.id, Object.fromEntries(await request.formData()));
  if (!result.ok) return data({ ok: false as const, errors: result.errors }, { status: 400 });
  return { ok: true as const, errors: {} as FieldErrors };
};

type Values = ReturnType<typeof useLoaderData<typeof loader>>["values"];

const CUSTOMER_MAPPING_OPTIONS = [
  { label: "By email or phone (exact match)", value: "email_phone" },
  { label: "By bill-to address", value: "bill_to" },
  { label: "Always the default customer", value: "default" },
];

const CUSTOMER_IMPORT_OPTIONS = [
  { label: "None: customers are only looked up, never created", value: "none" },
  { label: "With order import: customers of imported orders", value: "with_orders" },
  { label: "All customers (the Sync customers task)", value: "all" },
];

const UPDATE_OPTIONS = [
  { label: "Neither side updates the other", value: "none" },
  { label: "Shopify updates the back office", value: "from_shopify" },
  { label: "The back office updates Shopify", value: "to_shopify" },
];

const CUSTOMER_NAME_OPTIONS = [
  { label: "Company name (else first and last name)", value: "company" },
  { label: "First and last name", value: "first_last" },
  { label: "Last and first name", value: "last_first" },
];

const COMPANY_IMPORT_OPTIONS = [
  { label: "None: B2B orders wait until a person maps their company", value: "none" },
  { label: "With order import: companies of imported orders", value: "with_orders" },
  { label: "All companies (the Sync companies task)", value: "all" },
];

const COMPANY_MAPPING_OPTIONS = [
  { label: "By the main contact's email or phone (exact match)", value: "email_phone" },
  { label: "By tax registration id", value: "tax_id" },
  { label: "Always the default business customer", value: "default" },
];

const COMPANY_LOCATIONS_OPTIONS = [
  { label: "Ship-to addresses of the company's customer", value: "ship_to" },
  { label: "Customers of their own", value: "customer" },
];

interface CountryLine {
  countryCode: string;
  templateNo: string | null;
  defaultCustomerNo: string | null;
}

const SYNC_ITEMS_OPTIONS = [
  { label: "Off: products are only met through orders", value: "off" },
  {
    label: "To Shopify: the back office is the master, items create and update products",
    value: "to_shopify",
  },
  { label: "From Shopify: Shopify is the master, products create and update items", value: "from_shopify" },
];

const SYNC_IMAGES_OPTIONS = [
  { label: "Off: pictures stay in the back office", value: "off" },
  {
    label: "To Shopify: item pictures become product and variant images (with Sync items To Shopify)",
    value: "to_shopify",
  },
  {
    label:
      "From Shopify: product images become item pictures (with Sync items From Shopify; not available yet)",
    value: "from_shopify",
  },
];

const CREATED_PRODUCT_STATUS_OPTIONS = [
  { label: "Active", value: "ACTIVE" },
  { label: "Draft", value: "DRAFT" },
  { label: "Unlisted", value: "UNLISTED" },
];

const BLOCKED_ITEM_ACTION_OPTIONS = [
  { label: "Leave the product as it is", value: "none" },
  { label: "Set the product to draft", value: "draft" },
  { label: "Archive the product", value: "archive" },
];

const INVENTORY_POLICY_OPTIONS = [
  { label: "Stop selling when out of stock", value: "DENY" },
  { label: "Continue selling when out of stock", value: "CONTINUE" },
];

const PRODUCT_MAPPING_OPTIONS = [
  { label: "SKU is the item number", value: "item_no" },
  { label: "SKU is the variant code", value: "variant_code" },
  { label: "SKU is item number and variant code", value: "item_no_variant_code" },
  { label: "SKU is the vendor item number", value: "vendor_item_no" },
  { label: "SKU is the barcode", value: "barcode" },
];

/**
 * Settings that stop making sense when another one changes are cleared with it, since the card
 * refuses them and they would be hidden: auto-created items when the back office becomes the
 * master, updates from Shopify unless Shopify is, the item template without auto-creation.
 */
function clearedBy(key: keyof Values, value: unknown): Partial<Values> {
  if (key === "syncItems")
    return {
      ...(value === "to_shopify"
        ? { productAutoCreate: false, itemTemplateNo: null, updateItemsFromShopify: false }
        : value === "from_shopify"
          ? {}
          : { updateItemsFromShopify: false }),
      // Images follow the items' direction: another direction turns them off.
      syncImages: "off",
    };
  if (key === "productAutoCreate" && value === false) return { itemTemplateNo: null };
  if (key === "customerImport" && value === "none") return { customerAutoCreate: false };
  if (key === "companyImport" && value === "none")
    return { companyAutoCreate: false, companyTemplateNo: null };
  if (key === "companyAutoCreate" && value === false) return { companyTemplateNo: null };
  return {};
}

function toForm(values: Values): Record<string, string> {
  const form: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    if (typeof value === "boolean") form[key] = value ? "on" : "";
    else if (typeof value === "string" || value === null) form[key] = value ?? "";
    else form[key] = JSON.stringify(value);
  }
  return form;
}

export default function Settings() {
  const { values, customers, items } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const shopify = useAppBridge();
  const [draft, setDraft] = useState<Values>(values);
  const saving = navigation.state === "submitting";
  const errors: FieldErrors = result && !result.ok ? result.errors : {};
  const dirty = useMemo(() => JSON.stringify(draft) !== JSON.stringify(values), [draft, values]);

  // After a save (or when another tab changed them) the saved values are the new baseline.
  useEffect(() => setDraft(values), [values]);
  useEffect(() => {
    if (result?.ok && navigation.state === "idle") shopify.toast.show("Settings saved");
  }, [result, navigation.state, shopify]);

  const set = useCallback(<K extends keyof Values>(key: K, value: Values[K]) => {
    setDraft((current) => ({ ...current, [key]: value, ...clearedBy(key, value) }));
  }, []);
  const save = () => submit(toForm(draft), { method: "post" });
  const discard = () => setDraft(values);

  const countryLines = (Array.isArray(draft.countryCustomers)
    ? draft.countryCustomers
    : []) as unknown as CountryLine[];
  const setCountryLines = (lines: CountryLine[]) =>
    set("countryCustomers", lines as unknown as Values["countryCustomers"]);
  const customerOptions = [
    { label: "None", value: "" },
    ...customers.map((customer) => ({ label: `${customer.no} · ${customer.name}`, value: customer.no })),
  ];
  const itemOptions = [
    { label: "None", value: "" },
    ...items.map((item) => ({ label: `${item.no} · ${item.description}`, value: item.no })),
  ];
  const check = (key: keyof Values, label: string, helpText?: string) => (
    <Checkbox
      label={label}
      helpText={helpText}
      checked={Boolean(draft[key])}
      onChange={(checked) => set(key, checked as never)}
      error={errors[key as keyof FieldErrors]}
    />
  );

  return (
    <Page title="Settings" backAction={{ content: "Home", url: "/app" }}>
      <SaveBar id="settings-save-bar" open={dirty || saving}>
        <button variant="primary" onClick={save} disabled={saving} loading={saving ? "" : undefined}>
          Save
        </button>
        <button onClick={discard} disabled={saving}>
          Discard
        </button>
      </SaveBar>
      <form
        data-testid="settings-form"
        onSubmit={(event) => {
          event.preventDefault();
          save();
        }}
      >
        <Layout>
          {Object.keys(errors).length > 0 && (
            <Layout.Section>
              <Banner tone="critical" title="Nothing was saved">
                <p>Correct the fields marked below, then save again.</p>
              </Banner>
            </Layout.Section>
          )}
          <Layout.AnnotatedSection
            title="Running syncs"
            description="Background syncs are queued and run by the worker; the page does not wait. Turn them off to run syncs in the foreground and watch them, for first set-up and troubleshooting."
          >
            <Card>
              {check(
                "allowBackgroundSyncs",
                "Allow background syncs",
                "Run now queues the sync and returns at once; the job list shows its progress.",
              )}
            </Card>
          </Layout.AnnotatedSection>
          <Layout.AnnotatedSection
            title="Order import"
            description="What happens to orders after they are imported from Shopify."
          >
            <Card>
              <FormLayout>
                {check("autoProcessOrders", "Create sales documents right after import")}
                {check("autoReleaseOrders", "Release the sales orders at once")}
                {check(
                  "createInvoicesForFulfilled",
                  "Create sales invoices for orders Shopify shows fulfilled",
                )}
                {check("useShopifyOrderNo", "Use the Shopify order number as the document number")}
              </FormLayout>
            </Card>
          </Layout.AnnotatedSection>
          <Layout.AnnotatedSection
            title="Customers"
            description="How a Shopify order's customer is found in the back office, and what happens when none is."
          >
            <Card>
              <FormLayout>
                <Select
                  label="Customer mapping"
                  options={CUSTOMER_MAPPING_OPTIONS}
                  value={draft.customerMapping}
                  onChange={(value) => set("customerMapping", value)}
                  error={errors.customerMapping}
                />
                {draft.customerImport !== "none" &&
                  check("customerAutoCreate", "Create a customer when none is found")}
                <Select
                  label="Customer template"
                  helpText="New customers copy its payment terms and price group."
                  options={customerOptions}
                  value={draft.customerTemplateNo ?? ""}
                  onChange={(value) => set("customerTemplateNo", value || null)}
                  error={errors.customerTemplateNo}
                />
                <Select
                  label="Default customer"
                  helpText="Used for every order with the default strategy, and when no customer is found otherwise."
                  options={customerOptions}
                  value={draft.defaultCustomerNo ?? ""}
                  onChange={(value) => set("defaultCustomerNo", value || null)}
                  error={errors.defaultCustomerNo}
                />
                <Select
                  label="Customer import"
                  options={CUSTOMER_IMPORT_OPTIONS}
                  value={draft.customerImport}
                  onChange={(value) => set("customerImport", value)}
                  error={errors.customerImport}
                />
                <Select
                  label="Updates of linked customers"
                  helpText="One side is the master of a customer's name, e-mail, phone and address once both have it."
                  options={UPDATE_OPTIONS}
                  value={draft.customerUpdates}
                  onChange={(value) => set("customerUpdates", value)}
                  error={errors.customerUpdates}
                />
                <Select
                  label="Back-office name from"
                  options={CUSTOMER_NAME_OPTIONS}
                  value={draft.customerNameFrom}
                  onChange={(value) => set("customerNameFrom", value)}
                  error={errors.customerNameFrom}
                />
                <BlockStack gap="200">
                  <Text as="h3" variant="headingSm">
                    Per country
                  </Text>
                  <Text as="p" tone="subdued">
                    A customer whose address is in one of these countries takes its template and default
                    customer; the others take the ones above.
                  </Text>
                  {countryLines.map((line, index) => (
                    <InlineStack key={index} gap="200" blockAlign="end" wrap={false}>
                      <TextField
                        label="Country"
                        autoComplete="off"
                        maxLength={2}
                        value={line.countryCode}
                        onChange={(value) =>
                          setCountryLines(
                            countryLines.map((l, i) =>
                              i === index ? { ...l, countryCode: value.toUpperCase() } : l,
                            ),
                          )
                        }
                      />
                      <Select
                        label="Template"
                        options={customerOptions}
                        value={line.templateNo ?? ""}
                        onChange={(value) =>
                          setCountryLines(
                            countryLines.map((l, i) =>
                              i === index ? { ...l, templateNo: value || null } : l,
                            ),
                          )
                        }
                      />
                      <Select
                        label="Default customer"
                        options={customerOptions}
                        value={line.defaultCustomerNo ?? ""}
                        onChange={(value) =>
                          setCountryLines(
                            countryLines.map((l, i) =>
                              i === index ? { ...l, defaultCustomerNo: value || null } : l,
                            ),
                          )
                        }
                      />
                      <Button onClick={() => setCountryLines(countryLines.filter((_, i) => i !== index))}>
                        Remove
                      </Button>
                    </InlineStack>
                  ))}
                  {errors.countryCustomers && (
                    <InlineError message={errors.countryCustomers} fieldID="countryCustomers" />
                  )}
                  <InlineStack>
                    <Button
                      onClick={() =>
                        setCountryLines([
                          ...countryLines,
                          { countryCode: "", templateNo: null, defaultCustomerNo: null },
                        ])
                      }
                    >
                      Add a country
                    </Button>
                  </InlineStack>
                </BlockStack>
              </FormLayout>
            </Card>
          </Layout.AnnotatedSection>
          <Layout.AnnotatedSection
            title="Companies (B2B)"
            description="How a Shopify company and its locations become business customers, and what a B2B order waits for."
          >
            <Card>
              <FormLayout>
                <Select
                  label="Company import"
                  options={COMPANY_IMPORT_OPTIONS}
                  value={draft.companyImport}
                  onChange={(value) => set("companyImport", value)}
                  error={errors.companyImport}
                />
                <Select
                  label="Company mapping"
                  options={COMPANY_MAPPING_OPTIONS}
                  value={draft.companyMapping}
                  onChange={(value) => set("companyMapping", value)}
                  error={errors.companyMapping}
                />
                <Select
                  label="Default business customer"
                  helpText="Used for every company with the default strategy."
                  options={customerOptions}
                  value={draft.defaultCompanyCustomerNo ?? ""}
                  onChange={(value) => set("defaultCompanyCustomerNo", value || null)}
                  error={errors.defaultCompanyCustomerNo}
                />
                {draft.companyImport !== "none" &&
                  check("companyAutoCreate", "Create a business customer when none is found")}
                {draft.companyImport !== "none" && draft.companyAutoCreate && (
                  <Select
                    label="Business customer template"
                    options={customerOptions}
                    value={draft.companyTemplateNo ?? ""}
                    onChange={(value) => set("companyTemplateNo", value || null)}
                    error={errors.companyTemplateNo}
                  />
                )}
                <Select
                  label="Each company location becomes"
                  options={COMPANY_LOCATIONS_OPTIONS}
                  value={draft.companyLocationsAs}
                  onChange={(value) => set("companyLocationsAs", value)}
                  error={errors.companyLocationsAs}
                />
                <Select
                  label="Updates of linked companies"
                  options={UPDATE_OPTIONS}
                  value={draft.companyUpdates}
                  onChange={(value) => set("companyUpdates", value)}
                  error={errors.companyUpdates}
                />
              </FormLayout>
            </Card>
          </Layout.AnnotatedSection>
          <Layout.AnnotatedSection
            title="Products"
            description="How a Shopify variant's SKU is read to find the back-office item. The barcode is always tried last."
          >
            <Card>
              <FormLayout>
                <Select
                  label="Product mapping"
                  options={PRODUCT_MAPPING_OPTIONS}
                  value={draft.productMapping}
                  onChange={(value) => set("productMapping", value)}
                  error={errors.productMapping}
                />
                {draft.syncItems !== "to_shopify" &&
                  check("productAutoCreate", "Create an item when none is found")}
                {draft.syncItems !== "to_shopify" && draft.productAutoCreate && (
                  <TextField
                    label="Item template"
                    helpText="The item whose card is copied for items created from Shopify products (blank: none)."
                    autoComplete="off"
                    value={draft.itemTemplateNo ?? ""}
                    onChange={(value) => set("itemTemplateNo", value || null)}
                    error={errors.itemTemplateNo}
                  />
                )}
              </FormLayout>
            </Card>
          </Layout.AnnotatedSection>
          <Layout.AnnotatedSection
            title="Products and prices"
            description="Which side is the master of the catalog, and how the other follows (the Sync products and prices task)."
          >
            <Card>
              <FormLayout>
                <Select
                  label="Sync items"
                  options={SYNC_ITEMS_OPTIONS}
                  value={draft.syncItems}
                  onChange={(value) => set("syncItems", value)}
                  error={errors.syncItems}
                />
                {draft.syncItems === "to_shopify" && (
                  <>
                    <Select
                      label="Status of created products"
                      options={CREATED_PRODUCT_STATUS_OPTIONS}
                      value={draft.createdProductStatus}
                      onChange={(value) => set("createdProductStatus", value)}
                      error={errors.createdProductStatus}
                    />
                    <Select
                      label="When an item is blocked or removed"
                      options={BLOCKED_ITEM_ACTION_OPTIONS}
                      value={draft.blockedItemAction}
                      onChange={(value) => set("blockedItemAction", value)}
                      error={errors.blockedItemAction}
                    />
                    {check("syncPrices", "Send prices with the products")}
                    {draft.syncPrices && (
                      <>
                        <TextField
                          label="Customer price group"
                          helpText="Whose prices Shopify shows, besides the prices for all customers (blank: none)."
                          autoComplete="off"
                          value={draft.priceGroup ?? ""}
                          onChange={(value) => set("priceGroup", value || null)}
                          error={errors.priceGroup}
                        />
                        <TextField
                          label="Customer discount group"
                          helpText="Its line discount makes the price; the undiscounted price becomes the compare-at price (blank: none)."
                          autoComplete="off"
                          value={draft.discountGroup ?? ""}
                          onChange={(value) => set("discountGroup", value || null)}
                          error={errors.discountGroup}
                        />
                        {check("pricesIncludingTax", "Prices in Shopify include tax")}
                      </>
                    )}
                    {check("trackInventory", "Shopify tracks the stock of the products it creates")}
                    <Select
                      label="When out of stock"
                      options={INVENTORY_POLICY_OPTIONS}
                      value={draft.inventoryPolicy}
                      onChange={(value) => set("inventoryPolicy", value)}
                      error={errors.inventoryPolicy}
                    />
                  </>
                )}
                {draft.syncItems === "from_shopify" &&
                  check("updateItemsFromShopify", "A product's later changes in Shopify update its item")}
                <Select
                  label="Sync images"
                  helpText="Images follow the items: the side that is the master of the catalog is its images' too (the Sync images task)."
                  options={SYNC_IMAGES_OPTIONS}
                  value={draft.syncImages}
                  onChange={(value) => set("syncImages", value)}
                  error={errors.syncImages}
                />
              </FormLayout>
            </Card>
          </Layout.AnnotatedSection>
          <Layout.AnnotatedSection
            title="Gift cards and tips"
            description="Shopify tells gift cards sold and tips from products itself; they are booked to these back-office non-stock items, never mapped by SKU. Until one is named, an order with a gift card or a tip waits, saying so."
          >
            <Card>
              <FormLayout>
                <Select
                  label="Gift cards sold"
                  options={itemOptions}
                  value={draft.giftCardItemNo ?? ""}
                  onChange={(value) => set("giftCardItemNo", value || null)}
                  error={errors.giftCardItemNo}
                />
                <Select
                  label="Tips"
                  options={itemOptions}
                  value={draft.tipItemNo ?? ""}
                  onChange={(value) => set("tipItemNo", value || null)}
                  error={errors.tipItemNo}
                />
              </FormLayout>
            </Card>
          </Layout.AnnotatedSection>
          <Layout.AnnotatedSection
            title="Shipments"
            description="Posted shipments go to Shopify as fulfillments with their tracking."
          >
            <Card>
              {check("notifyCustomerOnShipment", "Let Shopify email the customer when a shipment is sent")}
            </Card>
          </Layout.AnnotatedSection>
          <Layout.Section>
            <BlockStack gap="200">
              <Text as="p" tone="subdued">
                {dirty
                  ? "Unsaved changes: save or discard them in the bar at the top."
                  : "All changes saved."}
              </Text>
            </BlockStack>
          </Layout.Section>
        </Layout>
      </form>
    </Page>
  );
}
