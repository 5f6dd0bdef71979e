import type { Db, Tx } from "../db.server";
import type { BoCustomer } from "../generated/prisma/client";
import { BackOfficeError } from "./errors.server";
import { inTransaction, isUniqueViolation, optionalText, requiredText } from "./internal.server";
import { nextNo } from "./numbers.server";

/** Customers, and the lookups that find the customer of a Shopify order. */

export interface NewCustomer {
  /** Taken from the CUST number series when absent. */
  no?: string;
  name: string;
  email?: string;
  phone?: string;
  address1?: string;
  city?: string;
  zip?: string;
  countryCode?: string;
  /** A template customer whose fields fill the ones this input leaves empty. */
  templateNo?: string;
  /** Makes the new customer a template: copied for others, never sold to. */
  isTemplate?: boolean;
}

// E-mail and phone are not copied: they identify one person, and a template's would make every
// customer made from it look like the same person to findCustomerByEmailOrPhone.
const COPIED_FROM_TEMPLATE = ["address1", "city", "zip", "countryCode"] as const;

export async function createCustomer(db: Db | Tx, shopId: string, input: NewCustomer): Promise<BoCustomer> {
  const name = requiredText(input.name, "customer name");
  const fields = {
    email: optionalText(input.email),
    phone: optionalText(input.phone),
    address1: optionalText(input.address1),
    city: optionalText(input.city),
    zip: optionalText(input.zip),
    countryCode: optionalText(input.countryCode)?.toUpperCase() ?? null,
  };
  return inTransaction(db, async (tx) => {
    const templateNo = optionalText(input.templateNo);
    if (templateNo) {
      const template = await tx.boCustomer.findUnique({ where: { shopId_no: { shopId, no: templateNo } } });
      if (!template) throw new BackOfficeError(`customer template ${templateNo} does not exist`);
      if (!template.isTemplate) throw new BackOfficeError(`customer ${templateNo} is not a template`);
      for (const field of COPIED_FROM_TEMPLATE) fields[field] ??= template[field];
    }
    const no = optionalText(input.no) ?? (await nextNo(tx, shopId, "CUST"));
    if (await tx.boCustomer.findUnique({ where: { shopId_no: { shopId, no } } }))
      throw new BackOfficeError(`customer ${no} already exists`);
    try {
      return await tx.boCustomer.create({
        data: { shopId, no, name, ...fields, isTemplate: input.isTemplate ?? false },
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new BackOfficeError(`customer ${no} already exists`);
      throw error;
    }
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
  const email = optionalText(query.email);
  if (email) {
    const found = await db.boCustomer.findFirst({
      where: { shopId, isTemplate: false, email: { equals: email, mode: "insensitive" } },
      orderBy: { no: "asc" },
    });
    if (found) return found;
  }
  const digits = query.phone?.replace(/\D/g, "") ?? "";
  if (digits) {
    const [row] = await db.$queryRaw<{ no: string }[]>`
      select no from "BoCustomer"
       where "shopId" = ${shopId}::uuid and not "isTemplate"
         and regexp_replace(phone, '\\D', '', 'g') = ${digits}
       order by no limit 1`;
    if (row) return findCustomer(db, shopId, row.no);
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
