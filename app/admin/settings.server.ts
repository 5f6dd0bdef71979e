import { enqueueSync } from "../jobs/enqueue.server";
import { followedItemsDueAgain } from "../sync/products/records.server";
import { syncProductsTask } from "../sync/products/task.server";
import { syncImagesTask } from "../sync/images/task.server";
import { z } from "zod";
import {
  customerChoices as backOfficeCustomerChoices,
  findCustomer,
  findDiscountGroup,
  findItem,
  findPriceGroup,
  itemChoices,
  SKU_STRATEGIES,
} from "../backoffice/backoffice.server";
import type { Db } from "../db.server";
import type { ShopSettings } from "../generated/prisma/client";
import { countryCustomerSchema, type CountryCustomer } from "../sync/customers/rules.server";

/**
 * The shop card: the settings a merchant edits on the settings page. The form is checked as a
 * whole; on any error nothing is saved and each message is tied to its field.
 */

export const CUSTOMER_MAPPINGS = ["email_phone", "bill_to", "default"] as const;
/** Which Shopify customers become back-office customers: none, those of imported orders, all. */
export const CUSTOMER_IMPORTS = ["none", "with_orders", "all"] as const;
/** Which side updates the other's linked records (customers, companies): never both. */
export const UPDATE_DIRECTIONS = ["none", "from_shopify", "to_shopify"] as const;
export const CUSTOMER_NAMES = ["company", "first_last", "last_first"] as const;
export const COMPANY_MAPPINGS = ["email_phone", "tax_id", "default"] as const;
export const COMPANY_LOCATIONS_AS = ["ship_to", "customer"] as const;
/** The products sync's direction: who is the master of the catalog. */
export const SYNC_ITEMS = ["off", "to_shopify", "from_shopify"] as const;
export const CREATED_PRODUCT_STATUSES = ["ACTIVE", "DRAFT", "UNLISTED"] as const;
export const BLOCKED_ITEM_ACTIONS = ["none", "draft", "archive"] as const;
export const INVENTORY_POLICIES = ["DENY", "CONTINUE"] as const;
/** The images sync's direction: it follows the products sync's (the catalog's master is its images'). */
export const SYNC_IMAGES = ["off", "to_shopify", "from_shopify"] as const;

/** A checkbox in an HTML form: present ("on"/"true") or absent. */
const checkbox = z
  .union([z.literal("on"), z.literal("true"), z.literal("false"), z.literal("")])
  .optional()
  .transform((value) => value === "on" || value === "true");

/** An optional customer number: blank means none. */
const customerNo = z
  .string()
  .trim()
  .max(20, "at most 20 characters")
  .optional()
  .transform((value) => (value ? value : null));

/** An optional group code: blank means none. */
const groupCode = z
  .string()
  .trim()
  .max(20, "at most 20 characters")
  .optional()
  .transform((value) => (value ? value.toUpperCase() : null));

/** An optional item number: blank means none. */
const itemNo = z
  .string()
  .trim()
  .max(20, "at most 20 characters")
  .optional()
  .transform((value) => (value ? value : null));

/** The per-country lines as the page sends them: a JSON list (blank: none). */
const countryCustomers = z
  .string()
  .max(20_000, "at most 20000 characters")
  .optional()
  .transform((text, ctx): CountryCustomer[] => {
    if (!text?.trim()) return [];
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      ctx.addIssue({ code: "custom", message: "the per-country lines could not be read" });
      return z.NEVER;
    }
    const parsed = z.array(countryCustomerSchema).max(250, "at most 250 countries").safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const row = typeof issue.path[0] === "number" ? `line ${issue.path[0] + 1}: ` : "";
      ctx.addIssue({ code: "custom", message: `${row}${issue.message}` });
      return z.NEVER;
    }
    return parsed.data;
  });

export const settingsForm = z.object({
  allowBackgroundSyncs: checkbox,
  autoProcessOrders: checkbox,
  autoReleaseOrders: checkbox,
  createInvoicesForFulfilled: checkbox,
  useShopifyOrderNo: checkbox,
  customerMapping: z.enum(CUSTOMER_MAPPINGS, { message: "choose how customers are found" }),
  customerAutoCreate: checkbox,
  customerTemplateNo: customerNo,
  defaultCustomerNo: customerNo,
  customerImport: z
    .enum(CUSTOMER_IMPORTS, { message: "choose none, with order import or all customers" })
    .default("with_orders"),
  customerUpdates: z
    .enum(UPDATE_DIRECTIONS, { message: "choose none, from Shopify or to Shopify" })
    .default("none"),
  customerNameFrom: z
    .enum(CUSTOMER_NAMES, { message: "choose company name, first and last name or last and first name" })
    .default("company"),
  countryCustomers,
  companyImport: z
    .enum(CUSTOMER_IMPORTS, { message: "choose none, with order import or all companies" })
    .default("with_orders"),
  companyMapping: z
    .enum(COMPANY_MAPPINGS, {
      message: "choose the main contact's e-mail or phone, tax id or a default company",
    })
    .default("email_phone"),
  defaultCompanyCustomerNo: customerNo,
  companyAutoCreate: checkbox,
  companyTemplateNo: customerNo,
  companyLocationsAs: z
    .enum(COMPANY_LOCATIONS_AS, { message: "choose ship-to addresses or customers of their own" })
    .default("ship_to"),
  companyUpdates: z
    .enum(UPDATE_DIRECTIONS, { message: "choose none, from Shopify or to Shopify" })
    .default("none"),
  productMapping: z.enum(SKU_STRATEGIES, { message: "choose how products are matched to items" }),
  productAutoCreate: checkbox,
  giftCardItemNo: itemNo,
  tipItemNo: itemNo,
  notifyCustomerOnShipment: checkbox,
  syncItems: z.enum(SYNC_ITEMS, { message: "choose off, to Shopify or from Shopify" }).default("off"),
  createdProductStatus: z
    .enum(CREATED_PRODUCT_STATUSES, { message: "choose active, draft or unlisted" })
    .default("ACTIVE"),
  blockedItemAction: z
    .enum(BLOCKED_ITEM_ACTIONS, { message: "choose nothing, draft or archive" })
    .default("draft"),
  syncPrices: checkbox,
  priceGroup: groupCode,
  discountGroup: groupCode,
  pricesIncludingTax: checkbox,
  trackInventory: checkbox,
  inventoryPolicy: z.enum(INVENTORY_POLICIES, { message: "choose deny or continue" }).default("DENY"),
  itemTemplateNo: itemNo,
  updateItemsFromShopify: checkbox,
  syncImages: z.enum(SYNC_IMAGES, { message: "choose off, to Shopify or from Shopify" }).default("off"),
});

export type SettingsInput = z.output<typeof settingsForm>;
export type FieldErrors = Partial<Record<keyof SettingsInput | "form", string>>;

export type SaveResult = { ok: true; settings: ShopSettings } | { ok: false; errors: FieldErrors };

export async function loadSettings(db: Db, shopId: string): Promise<ShopSettings> {
  return db.shopSettings.upsert({ where: { shopId }, create: { shopId }, update: {} });
}

/** Checks that hold between fields and against the back office (customers must exist). */
async function crossCheck(db: Db, shopId: string, input: SettingsInput): Promise<FieldErrors> {
  const errors: FieldErrors = {};
  if (input.customerMapping === "default" && !input.defaultCustomerNo)
    errors.defaultCustomerNo = "the default customer strategy needs a default customer";
  if (input.customerTemplateNo && !(await findCustomer(db, shopId, input.customerTemplateNo)))
    errors.customerTemplateNo = `no customer ${input.customerTemplateNo} in the back office`;
  if (input.defaultCustomerNo && !(await findCustomer(db, shopId, input.defaultCustomerNo)))
    errors.defaultCustomerNo = `no customer ${input.defaultCustomerNo} in the back office`;
  if (input.customerImport === "none" && input.customerAutoCreate)
    errors.customerAutoCreate = "customers are created only when they are imported (with orders or all)";
  const countryError = await checkCountryCustomers(db, shopId, input.countryCustomers);
  if (countryError) errors.countryCustomers = countryError;
  // Companies (B2B).
  if (input.companyMapping === "default" && !input.defaultCompanyCustomerNo)
    errors.defaultCompanyCustomerNo = "the default company strategy needs a default business customer";
  if (input.defaultCompanyCustomerNo) {
    const found = await findCustomer(db, shopId, input.defaultCompanyCustomerNo);
    if (!found)
      errors.defaultCompanyCustomerNo = `no customer ${input.defaultCompanyCustomerNo} in the back office`;
    else if (found.isTemplate)
      errors.defaultCompanyCustomerNo = `customer ${found.no} is a template: it is never sold to`;
  }
  if (input.companyImport === "none" && input.companyAutoCreate)
    errors.companyAutoCreate =
      "business customers are created only when companies are imported (with orders or all)";
  if (input.companyTemplateNo && !input.companyAutoCreate)
    errors.companyTemplateNo = "a template is used only when business customers are created from companies";
  else if (input.companyTemplateNo) {
    const found = await findCustomer(db, shopId, input.companyTemplateNo);
    if (!found) errors.companyTemplateNo = `no customer ${input.companyTemplateNo} in the back office`;
    else if (!found.isTemplate) errors.companyTemplateNo = `customer ${found.no} is not a template`;
  }
  // The products sync: settings of the direction the merchant did not choose cannot be on.
  if (input.syncItems === "to_shopify" && input.productAutoCreate)
    errors.productAutoCreate =
      "with items synced to Shopify the back office is the master: items are not created from Shopify products";
  if (input.syncItems !== "from_shopify" && input.updateItemsFromShopify)
    errors.updateItemsFromShopify = "only when items are synced from Shopify";
  if (input.itemTemplateNo && !input.productAutoCreate)
    errors.itemTemplateNo = "an item template is used only when items are created from Shopify products";
  else if (input.itemTemplateNo) {
    const template = await findItem(db, shopId, input.itemTemplateNo);
    if (!template) errors.itemTemplateNo = `no item ${input.itemTemplateNo} in the back office`;
  }
  // Images follow the items: the side that is the master of the catalog is its images' too.
  if (input.syncImages === "to_shopify" && input.syncItems !== "to_shopify")
    errors.syncImages =
      'images go to Shopify only when items do: set "Sync items" to "To Shopify" too, or leave images off';
  if (input.syncImages === "from_shopify" && input.syncItems !== "from_shopify")
    errors.syncImages =
      'images come from Shopify only when items do: set "Sync items" to "From Shopify" too, or leave images off';
  else if (input.syncImages === "from_shopify")
    errors.syncImages = "images from Shopify are not available yet: choose off or to Shopify";
  if (input.priceGroup && !(await findPriceGroup(db, shopId, input.priceGroup)))
    errors.priceGroup = `no customer price group ${input.priceGroup} in the back office`;
  if (input.discountGroup && !(await findDiscountGroup(db, shopId, input.discountGroup)))
    errors.discountGroup = `no customer discount group ${input.discountGroup} in the back office`;
  for (const field of ["giftCardItemNo", "tipItemNo"] as const) {
    const no = input[field];
    if (!no) continue;
    const item = await findItem(db, shopId, no);
    if (!item) errors[field] = `no item ${no} in the back office`;
    else if (item.type !== "non_stock")
      errors[field] =
        `item ${no} is a stock item; ${field === "tipItemNo" ? "tips" : "gift cards"} are booked to a non-stock item`;
    else if (item.blocked) errors[field] = `item ${no} is blocked`;
  }
  return errors;
}

/** The per-country lines' first fault, in words naming the line, or null. */
async function checkCountryCustomers(
  db: Db,
  shopId: string,
  lines: readonly CountryCustomer[],
): Promise<string | null> {
  const seen = new Set<string>();
  for (const [index, line] of lines.entries()) {
    const at = `line ${index + 1} (${line.countryCode})`;
    if (seen.has(line.countryCode)) return `${at}: ${line.countryCode} is on an earlier line already`;
    seen.add(line.countryCode);
    if (!line.templateNo && !line.defaultCustomerNo)
      return `${at}: give a customer template, a default customer or both`;
    if (line.templateNo) {
      const template = await findCustomer(db, shopId, line.templateNo);
      if (!template) return `${at}: no customer ${line.templateNo} in the back office`;
      if (!template.isTemplate) return `${at}: customer ${line.templateNo} is not a template`;
    }
    if (line.defaultCustomerNo) {
      const customer = await findCustomer(db, shopId, line.defaultCustomerNo);
      if (!customer) return `${at}: no customer ${line.defaultCustomerNo} in the back office`;
      if (customer.isTemplate)
        return `${at}: customer ${line.defaultCustomerNo} is a template: it is never sold to`;
    }
  }
  return null;
}

export async function saveSettings(db: Db, shopId: string, form: unknown): Promise<SaveResult> {
  const parsed = settingsForm.safeParse(form);
  if (!parsed.success) {
    const errors: FieldErrors = {};
    for (const issue of parsed.error.issues) {
      const field = (issue.path[0] as keyof SettingsInput | undefined) ?? "form";
      errors[field] ??= issue.message;
    }
    return { ok: false, errors };
  }
  const errors = await crossCheck(db, shopId, parsed.data);
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const before = await db.shopSettings.findUnique({ where: { shopId } });
  const settings = await db.shopSettings.upsert({
    where: { shopId },
    create: { shopId, ...parsed.data },
    update: parsed.data,
  });
  if (
    settings.syncItems === "to_shopify" &&
    before &&
    EXPORT_FIELDS.some((key) => before[key] !== settings[key])
  )
    await exportEverythingAgain(db, shopId);
  if (settings.syncImages === "to_shopify" && before?.syncImages !== "to_shopify")
    await sendImagesNow(db, shopId);
  return { ok: true, settings };
}

/** The shop card's fields that change what the products export sends for every item. */
const EXPORT_FIELDS = [
  "syncItems",
  "productMapping",
  "syncPrices",
  "priceGroup",
  "discountGroup",
  "pricesIncludingTax",
  "trackInventory",
  "inventoryPolicy",
] as const satisfies readonly (keyof ShopSettings)[];

/**
 * Every item the export follows is due again, and the export is queued: each is compared with
 * what was sent under the new settings, so only what they change is sent.
 */
async function exportEverythingAgain(db: Db, shopId: string): Promise<void> {
  await followedItemsDueAgain(db, shopId);
  const shop = await db.shop.findUniqueOrThrow({ where: { id: shopId } });
  await enqueueSync(db, syncProductsTask, { shop: shop.domain, trigger: "manual", jobKey: true });
}

/**
 * Images turned to Shopify: a run is queued, which reads every picture change the feed holds
 * since its last run (all of them the first time), so pictures added meanwhile go too.
 */
async function sendImagesNow(db: Db, shopId: string): Promise<void> {
  const shop = await db.shop.findUniqueOrThrow({ where: { id: shopId } });
  await enqueueSync(db, syncImagesTask, { shop: shop.domain, trigger: "manual", jobKey: true });
}

/** Back-office non-stock items to choose from (gift cards, tips). */
export async function nonStockItemChoices(db: Db, shopId: string) {
  return itemChoices(db, shopId, { type: "non_stock" });
}

/** Back-office customers to choose from (template and default customer). */
export async function customerChoices(db: Db, shopId: string) {
  return backOfficeCustomerChoices(db, shopId);
}
