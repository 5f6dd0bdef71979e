import { z } from "zod";
import {
  customerChoices as backOfficeCustomerChoices,
  findCustomer,
  findItem,
  itemChoices,
  SKU_STRATEGIES,
} from "../backoffice/backoffice.server";
import type { Db } from "../db.server";
import type { ShopSettings } from "../generated/prisma/client";

/**
 * The shop card: the settings a merchant edits on the settings page. The form is checked as a
 * whole; on any error nothing is saved and each message is tied to its field.
 */

export const CUSTOMER_MAPPINGS = ["email_phone", "bill_to", "default"] as const;

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

/** An optional item number: blank means none. */
const itemNo = z
  .string()
  .trim()
  .max(20, "at most 20 characters")
  .optional()
  .transform((value) => (value ? value : null));

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
  productMapping: z.enum(SKU_STRATEGIES, { message: "choose how products are matched to items" }),
  productAutoCreate: checkbox,
  giftCardItemNo: itemNo,
  tipItemNo: itemNo,
  notifyCustomerOnShipment: checkbox,
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
  const settings = await db.shopSettings.upsert({
    where: { shopId },
    create: { shopId, ...parsed.data },
    update: parsed.data,
  });
  return { ok: true, settings };
}

/** Back-office non-stock items to choose from (gift cards, tips). */
export async function nonStockItemChoices(db: Db, shopId: string) {
  return itemChoices(db, shopId, { type: "non_stock" });
}

/** Back-office customers to choose from (template and default customer). */
export async function customerChoices(db: Db, shopId: string) {
  return backOfficeCustomerChoices(db, shopId);
}
