import type { Db, Tx } from "../db.server";
import type { BoCustomer, BoShipToAddress } from "../generated/prisma/client";
import { recordChange, recordChanges } from "./changes.server";
import { BackOfficeError } from "./errors.server";
import { inTransaction, isUniqueViolation, optionalText, requiredText } from "./internal.server";
import { nextNo, nextNos } from "./numbers.server";

/**
 * Customers, and the lookups that find the customer of a Shopify order. Every customer created
 * or changed records a "customer" change in the change feed (for the customers export).
 */

/** A back-office customer as the rest of the app sees it. */
export type Customer = BoCustomer;

/** A customer's fields that a person or a sync may set (blank clears an optional one). */
export interface CustomerFields {
  email?: string | null;
  phone?: string | null;
  address1?: string | null;
  address2?: string | null;
  city?: string | null;
  zip?: string | null;
  county?: string | null;
  countryCode?: string | null;
  contactName?: string | null;
  taxRegistrationNo?: string | null;
  taxExemptions?: string[];
  paymentTermsCode?: string | null;
  paymentTermsDays?: number | null;
}

export interface NewCustomer extends CustomerFields {
  /** Taken from the CUST number series when absent. */
  no?: string;
  name: string;
  /** A template customer whose fields fill the ones this input leaves empty. */
  templateNo?: string;
  /** Makes the new customer a template: copied for others, never sold to. */
  isTemplate?: boolean;
}

// E-mail and phone are not copied: they identify one person, and a template's would make every
// customer made from it look like the same person to findCustomerByEmailOrPhone.
const COPIED_FROM_TEMPLATE = [
  "address1",
  "city",
  "zip",
  "countryCode",
  "paymentTermsCode",
  "paymentTermsDays",
] as const;

const TEXT_FIELDS = [
  "email",
  "phone",
  "address1",
  "address2",
  "city",
  "zip",
  "county",
  "contactName",
  "taxRegistrationNo",
  "paymentTermsCode",
] as const;

/** A phone's digits, the way phones are compared ("+1 (555) 010-2000" is 15550102000); null for none. */
function phoneKey(phone: string | null | undefined): string | null {
  return phone?.replace(/\D/g, "") || null;
}

/** The fields given, checked and trimmed (blank: none); those left out are left out. */
function customerData(input: CustomerFields) {
  const data: Partial<
    Record<(typeof TEXT_FIELDS)[number] | "countryCode" | "emailKey" | "phoneKey", string | null> & {
      taxExemptions: string[];
      paymentTermsDays: number | null;
    }
  > = {};
  for (const field of TEXT_FIELDS) if (input[field] !== undefined) data[field] = optionalText(input[field]);
  // What findCustomerByEmailOrPhone looks up (exactly, by index).
  if (data.email !== undefined) data.emailKey = data.email?.toLowerCase() ?? null;
  if (data.phone !== undefined) data.phoneKey = phoneKey(data.phone);
  if (input.countryCode !== undefined)
    data.countryCode = optionalText(input.countryCode)?.toUpperCase() ?? null;
  if (input.taxExemptions !== undefined) data.taxExemptions = [...new Set(input.taxExemptions)].sort();
  if (input.paymentTermsDays !== undefined) {
    const days = input.paymentTermsDays;
    if (days !== null && (!Number.isInteger(days) || days < 0 || days > 3650))
      throw new BackOfficeError(
        `payment terms days must be a whole number of days from 0 to 3650, not ${days}`,
      );
    data.paymentTermsDays = days;
  }
  return data;
}

export async function createCustomer(db: Db | Tx, shopId: string, input: NewCustomer): Promise<BoCustomer> {
  const name = requiredText(input.name, "customer name");
  const fields = {
    email: null,
    phone: null,
    emailKey: null,
    phoneKey: null,
    address1: null,
    city: null,
    zip: null,
    countryCode: null,
    paymentTermsCode: null,
    paymentTermsDays: null,
    ...customerData(input),
  };
  return inTransaction(db, async (tx) => {
    const templateNo = optionalText(input.templateNo);
    if (templateNo) {
      const template = await tx.boCustomer.findUnique({ where: { shopId_no: { shopId, no: templateNo } } });
      if (!template) throw new BackOfficeError(`customer template ${templateNo} does not exist`);
      if (!template.isTemplate) throw new BackOfficeError(`customer ${templateNo} is not a template`);
      for (const field of COPIED_FROM_TEMPLATE)
        (fields as Record<string, unknown>)[field] ??= template[field];
    }
    const no = optionalText(input.no) ?? (await nextNo(tx, shopId, "CUST"));
    if (await tx.boCustomer.findUnique({ where: { shopId_no: { shopId, no } } }))
      throw new BackOfficeError(`customer ${no} already exists`);
    try {
      const created = await tx.boCustomer.create({
        data: { shopId, no, name, ...fields, isTemplate: input.isTemplate ?? false },
      });
      if (!created.isTemplate) await recordChange(tx, shopId, "customer", no);
      return created;
    } catch (error) {
      if (isUniqueViolation(error)) throw new BackOfficeError(`customer ${no} already exists`);
      throw error;
    }
  });
}

/**
 * Creates these customers together, numbered from the CUST series in their order (an import of
 * many at once: a handful of statements, however many customers). Each is made as
 * createCustomer makes one, without a number of its own; all or none.
 */
export async function createCustomers(
  db: Db | Tx,
  shopId: string,
  inputs: Omit<NewCustomer, "no" | "isTemplate">[],
): Promise<BoCustomer[]> {
  if (inputs.length === 0) return [];
  const rows = inputs.map(
    (input): { name: string; templateNo: string | null; fields: Record<string, unknown> } => ({
      name: requiredText(input.name, "customer name"),
      templateNo: optionalText(input.templateNo),
      fields: {
        email: null,
        phone: null,
        emailKey: null,
        phoneKey: null,
        address1: null,
        city: null,
        zip: null,
        countryCode: null,
        paymentTermsCode: null,
        paymentTermsDays: null,
        ...customerData(input),
      },
    }),
  );
  return inTransaction(db, async (tx) => {
    const templateNos = [...new Set(rows.flatMap((row) => (row.templateNo ? [row.templateNo] : [])))];
    const templates = new Map(
      (await tx.boCustomer.findMany({ where: { shopId, no: { in: templateNos } } })).map((t) => [t.no, t]),
    );
    for (const no of templateNos) {
      const template = templates.get(no);
      if (!template) throw new BackOfficeError(`customer template ${no} does not exist`);
      if (!template.isTemplate) throw new BackOfficeError(`customer ${no} is not a template`);
    }
    const numbers = await nextNos(tx, shopId, "CUST", rows.length);
    const data = rows.map((row, i) => {
      const template = row.templateNo ? templates.get(row.templateNo) : undefined;
      if (template) for (const field of COPIED_FROM_TEMPLATE) row.fields[field] ??= template[field];
      return { shopId, no: numbers[i]!, name: row.name, ...row.fields, isTemplate: false } as BoCustomer;
    });
    try {
      const created = await tx.boCustomer.createManyAndReturn({ data });
      await recordChanges(tx, shopId, "customer", numbers);
      const byNo = new Map(created.map((customer) => [customer.no, customer]));
      return numbers.map((no) => byNo.get(no)!);
    } catch (error) {
      if (isUniqueViolation(error))
        throw new BackOfficeError(`customers ${numbers[0]} to ${numbers.at(-1)} are taken already`);
      throw error;
    }
  });
}

/**
 * The customers (not templates) with these e-mails (any case) or phones (by digits): every one of
 * each e-mail and phone, lowest number first (findCustomerByEmailOrPhone takes the first).
 */
export async function customersByEmailOrPhone(
  db: Db | Tx,
  shopId: string,
  query: { emails: string[]; phones: string[] },
): Promise<{ byEmail: Map<string, BoCustomer[]>; byPhone: Map<string, BoCustomer[]> }> {
  const emails = [...new Set(query.emails.map((email) => email.trim().toLowerCase()).filter(Boolean))];
  const phones = [
    ...new Set(query.phones.map((phone) => phoneKey(phone)).filter((p): p is string => p !== null)),
  ];
  const found =
    emails.length + phones.length === 0
      ? []
      : await db.boCustomer.findMany({
          where: {
            shopId,
            isTemplate: false,
            OR: [
              ...(emails.length > 0 ? [{ emailKey: { in: emails } }] : []),
              ...(phones.length > 0 ? [{ phoneKey: { in: phones } }] : []),
            ],
          },
          orderBy: { no: "asc" },
        });
  const byEmail = new Map<string, BoCustomer[]>();
  const byPhone = new Map<string, BoCustomer[]>();
  const add = (map: Map<string, BoCustomer[]>, key: string | null, customer: BoCustomer) => {
    if (key) map.set(key, [...(map.get(key) ?? []), customer]);
  };
  for (const customer of found) {
    add(byEmail, customer.emailKey, customer);
    add(byPhone, customer.phoneKey, customer);
  }
  return { byEmail, byPhone };
}

/** The key a phone is compared by (its digits), for callers holding customersByEmailOrPhone's maps. */
export function phoneKeyOf(phone: string | null | undefined): string | null {
  return phoneKey(phone);
}

/**
 * Changes a customer's name or fields (those left out stay as they are). A change that leaves
 * every field as it was writes nothing and records no change. Returns the customer as it is.
 */
export async function updateCustomer(
  db: Db | Tx,
  shopId: string,
  no: string,
  input: CustomerFields & { name?: string },
): Promise<BoCustomer> {
  const data: Record<string, unknown> = customerData(input);
  if (input.name !== undefined) data.name = requiredText(input.name, "customer name");
  return inTransaction(db, async (tx) => {
    const [current] = await tx.$queryRaw<BoCustomer[]>`
      select * from "BoCustomer" where "shopId" = ${shopId}::uuid and no = ${no} for update`;
    if (!current) throw new BackOfficeError(`customer ${no} does not exist`);
    const changed = Object.entries(data).filter(
      ([key, value]) => JSON.stringify(value) !== JSON.stringify(current[key as keyof BoCustomer]),
    );
    if (changed.length === 0) return current;
    const updated = await tx.boCustomer.update({
      where: { shopId_no: { shopId, no } },
      data: Object.fromEntries(changed),
    });
    if (!updated.isTemplate) await recordChange(tx, shopId, "customer", no);
    return updated;
  });
}

/** The customer's ship-to addresses, by code. */
export async function listShipToAddresses(
  db: Db | Tx,
  shopId: string,
  customerNo: string,
): Promise<BoShipToAddress[]> {
  return db.boShipToAddress.findMany({ where: { shopId, customerNo }, orderBy: { code: "asc" } });
}

export interface ShipToInput {
  name: string;
  address1?: string | null;
  address2?: string | null;
  city?: string | null;
  zip?: string | null;
  county?: string | null;
  countryCode?: string | null;
  phone?: string | null;
}

/**
 * Creates or changes a customer's ship-to address `code` (at most 10 characters, kept upper
 * case). The customer must exist. Records a change of the customer when the address changed.
 */
export async function saveShipToAddress(
  db: Db | Tx,
  shopId: string,
  customerNo: string,
  code: string,
  input: ShipToInput,
): Promise<BoShipToAddress> {
  const key = requiredText(code, "ship-to code").toUpperCase();
  if (key.length > 10) throw new BackOfficeError(`ship-to code ${key} is longer than 10 characters`);
  const fields = {
    name: requiredText(input.name, "ship-to name"),
    address1: optionalText(input.address1),
    address2: optionalText(input.address2),
    city: optionalText(input.city),
    zip: optionalText(input.zip),
    county: optionalText(input.county),
    countryCode: optionalText(input.countryCode)?.toUpperCase() ?? null,
    phone: optionalText(input.phone),
  };
  return inTransaction(db, async (tx) => {
    if (!(await tx.boCustomer.findUnique({ where: { shopId_no: { shopId, no: customerNo } } })))
      throw new BackOfficeError(`customer ${customerNo} does not exist`);
    const where = { shopId_customerNo_code: { shopId, customerNo, code: key } };
    const current = await tx.boShipToAddress.findUnique({ where });
    if (current && Object.entries(fields).every(([k, v]) => current[k as keyof typeof fields] === v))
      return current;
    const saved = await tx.boShipToAddress.upsert({
      where,
      create: { shopId, customerNo, code: key, ...fields },
      update: fields,
    });
    await recordChange(tx, shopId, "customer", customerNo);
    return saved;
  });
}

export async function findCustomer(db: Db | Tx, shopId: string, no: string): Promise<BoCustomer | null> {
  return db.boCustomer.findUnique({ where: { shopId_no: { shopId, no } } });
}

/**
 * Customers a person may pick from: number, name, e-mail or phone containing the query (any
 * case). Templates are never offered: they are not sold to. An empty query lists the first
 * customers by number.
 */
/** Customers to choose from in a setting (the template and the default customer), by number. */
export async function customerChoices(
  db: Db | Tx,
  shopId: string,
  take = 500,
): Promise<{ no: string; name: string }[]> {
  return db.boCustomer.findMany({
    where: { shopId },
    select: { no: true, name: true },
    orderBy: { no: "asc" },
    take,
  });
}

export async function searchCustomers(
  db: Db | Tx,
  shopId: string,
  query: string,
  take = 20,
): Promise<BoCustomer[]> {
  const text = optionalText(query);
  const contains = text ? { contains: text, mode: "insensitive" as const } : undefined;
  return db.boCustomer.findMany({
    where: {
      shopId,
      isTemplate: false,
      ...(contains
        ? {
            OR: [{ no: contains }, { name: contains }, { email: contains }, { phone: contains }],
          }
        : {}),
    },
    orderBy: { no: "asc" },
    take: Math.max(1, Math.min(take, 100)),
  });
}

/**
 * The customer with this e-mail (any case) or, failing that, this phone number (digits
 * compared, so "+1 (555) 010-2000" finds "15550102000"). Templates are never found; with
 * several matches the lowest number wins, as a person picking from a list would.
 */
export async function findCustomerByEmailOrPhone(
  db: Db | Tx,
  shopId: string,
  query: { email?: string | null; phone?: string | null },
): Promise<BoCustomer | null> {
  const email = optionalText(query.email)?.toLowerCase();
  if (email) {
    const found = await db.boCustomer.findFirst({
      where: { shopId, isTemplate: false, emailKey: email },
      orderBy: { no: "asc" },
    });
    if (found) return found;
  }
  const digits = phoneKey(query.phone);
  if (digits) {
    const found = await db.boCustomer.findFirst({
      where: { shopId, isTemplate: false, phoneKey: digits },
      orderBy: { no: "asc" },
    });
    if (found) return found;
  }
  return null;
}

/**
 * The customer at exactly this address: name, street, zip, city and country equal once case
 * and spaces are ignored (an address without a name: street, zip, city and country). Templates
 * are never found; with several, the lowest number.
 */
export async function findCustomerByAddress(
  db: Db | Tx,
  shopId: string,
  query: { name: string; address1: string; zip: string; city: string; countryCode: string },
): Promise<BoCustomer | null> {
  const key = (value: string | null | undefined) => (value ?? "").replace(/\s+/g, "").toLowerCase();
  if (!key(query.address1)) return null;
  const name = key(query.name);
  const [row] = await db.$queryRaw<{ no: string }[]>`
    select no from "BoCustomer"
     where "shopId" = ${shopId}::uuid and not "isTemplate"
       and (${name}::text = '' or lower(regexp_replace(name, '\\s', '', 'g')) = ${name})
       and lower(regexp_replace(coalesce(address1, ''), '\\s', '', 'g')) = ${key(query.address1)}
       and lower(regexp_replace(coalesce(zip, ''), '\\s', '', 'g')) = ${key(query.zip)}
       and lower(regexp_replace(coalesce(city, ''), '\\s', '', 'g')) = ${key(query.city)}
       and lower(regexp_replace(coalesce("countryCode", ''), '\\s', '', 'g')) = ${key(query.countryCode)}
     order by no limit 1`;
  return row ? findCustomer(db, shopId, row.no) : null;
}

/**
 * The business customer whose tax registration number is this one (a Shopify company
 * location's tax registration id), compared without case, spaces, dots and dashes ("de 123.456"
 * finds "DE123456"), never by a partial match. Templates are never found; with several, the
 * lowest number, as a person picking from a list would.
 */
export async function findCustomerByTaxRegistrationNo(
  db: Db | Tx,
  shopId: string,
  taxRegistrationNo: string | null | undefined,
): Promise<BoCustomer | null> {
  const key = (taxRegistrationNo ?? "").replace(/[\s.-]/g, "").toUpperCase();
  if (!key) return null;
  const [row] = await db.$queryRaw<{ no: string }[]>`
    select no from "BoCustomer"
     where "shopId" = ${shopId}::uuid and not "isTemplate"
       and upper(regexp_replace(coalesce("taxRegistrationNo", ''), '[\\s.-]', '', 'g')) = ${key}
     order by no limit 1`;
  return row ? findCustomer(db, shopId, row.no) : null;
}
