import { randomUUID } from "node:crypto";
import {
  createCustomer,
  findCustomer,
  findCustomerByEmailOrPhone,
  findCustomerPage,
  findCustomerByTaxRegistrationNo,
  listShipToAddresses,
  saveShipToAddress,
  updateCustomer,
  type Customer,
  type CustomerFields,
  type ShipToInput,
} from "../../backoffice/backoffice.server";
import type { Db, Tx } from "../../db.server";
import type { ShopifyCompany, ShopifyCompanyLocation, ShopSettings } from "../../generated/prisma/client";
import type { RecordResult } from "../kit/records.server";
import {
  companyHash,
  firstLocation,
  locationHash,
  mainContact,
  personName,
  type CompanyRead,
  type LocationRead,
  type StoredAddress,
} from "./read.server";
import { rememberLinked } from "./records.server";

/**
 * A Shopify company in the back office: its rows (ShopifyCompany, ShopifyCompanyLocation,
 * ShopifyCompanyContact, as Shopify has them) and what it is linked to, by the shop card:
 *
 * - **The company's customer**: the one it is linked to already; else the one the company
 *   mapping finds (its main contact's exact e-mail or phone, never a person's customer: one a
 *   Shopify customer is linked to as a person; a location's tax registration id; the default
 *   company customer); else, with auto-create, a business customer made from it
 *   (its name, its first location's address, tax registration, exemptions and payment terms,
 *   its main contact's name, e-mail and phone, on the company template); else it is
 *   "unmapped", with the reason.
 * - **Its locations**: each a ship-to address of the company's customer (a code made from the
 *   location's id, at most 10 characters, kept on the location's row) or, per the shop card,
 *   a customer of its own (its tax settings and payment terms), kept on the location's row.
 * - **Updates**: a linked company whose content changed since it was last applied (its hash of
 *   Shopify's side) updates its customer, ship-to addresses and location customers only when
 *   the shop card has Shopify update the back office; new locations are linked either way.
 *
 * One company is one transaction: it is linked whole or not at all. A company whose link fails
 * keeps its rows as read (`markCompanyFailed`) with syncState "error" and the message.
 */

export interface LinkRun {
  /** The client (each company in a transaction of its own), or a caller's transaction. */
  db: Db | Tx;
  shopId: string;
  settings: ShopSettings;
}

export interface Applied {
  result: RecordResult;
  /** Linked to a customer now (its orders held for the company can go on). */
  linked: boolean;
}

const fromShopify = (settings: ShopSettings) => settings.companyUpdates === "from_shopify";

/** A business customer's fields from a company: its first location and its main contact. */
export function customerFieldsOf(company: CompanyRead): CustomerFields & { name: string } {
  const location = firstLocation(company);
  const contact = mainContact(company);
  return {
    name: company.name,
    contactName: personName(contact) || null,
    email: contact?.email ?? null,
    phone: contact?.phone ?? null,
    ...addressFields(location),
    ...termsOf(location),
  };
}

function addressFields(location: LocationRead | undefined) {
  const address = location?.address;
  return {
    address1: address?.address1 ?? null,
    address2: address?.address2 ?? null,
    city: address?.city ?? null,
    zip: address?.zip ?? null,
    county: address?.province ?? null,
    countryCode: address?.countryCode ?? null,
  };
}

function termsOf(location: LocationRead | undefined) {
  return {
    taxRegistrationNo: location?.taxRegistrationId ?? null,
    taxExemptions: location?.taxExemptions ?? [],
    paymentTermsCode: location?.paymentTermsName ?? null,
    paymentTermsDays: location?.paymentTermsDueInDays ?? null,
  };
}

/** A location's own customer (customer mode): the location's address, tax settings and payment terms. */
export function locationCustomerFieldsOf(
  company: CompanyRead,
  location: LocationRead,
): CustomerFields & { name: string } {
  const contact = mainContact(company);
  return {
    name: `${company.name}, ${location.name}`,
    contactName: personName(contact) || null,
    email: null,
    phone: null,
    ...addressFields(location),
    ...termsOf(location),
  };
}

export function shipToOf(location: LocationRead): ShipToInput {
  const address = location.address;
  return {
    name: location.name,
    address1: address?.address1 ?? null,
    address2: address?.address2 ?? null,
    city: address?.city ?? null,
    zip: address?.zip ?? null,
    county: address?.province ?? null,
    countryCode: address?.countryCode ?? null,
    phone: null,
  };
}

/**
 * The ship-to code of a location: "L" and its Shopify id in base 36, upper case (at most 10
 * characters for ids below 36⁹, about 10¹⁴), the same every time; when a code the customer
 * already has (a person's) is in the way, the last character is replaced by a digit.
 */
export function shipToCodeFor(locationId: bigint, taken: Set<string>): string {
  const base = locationId.toString(36).toUpperCase();
  const code = (base.length <= 9 ? `L${base}` : base.slice(-10)).toUpperCase();
  if (!taken.has(code)) return code;
  for (let digit = 1; digit <= 9; digit++) {
    const other = `${code.slice(0, 9)}${digit}`;
    if (!taken.has(other)) return other;
  }
  throw new Error(`no free ship-to code for company location ${locationId}`);
}

type Found = { customer: Customer; how: string } | { reason: string };

/** The business customer the shop card's company mapping finds for a company, or why none. */
export async function findCompanyCustomer(
  tx: Db | Tx,
  shopId: string,
  settings: ShopSettings,
  company: CompanyRead,
): Promise<Found> {
  if (settings.companyMapping === "default") {
    const no = settings.defaultCompanyCustomerNo;
    if (!no) return { reason: "the company mapping is a default company, and the shop card names none" };
    const customer = await findCustomer(tx, shopId, no);
    if (!customer) return { reason: `the default company customer ${no} does not exist in the back office` };
    return { customer, how: "as the shop card's default company customer" };
  }
  if (settings.companyMapping === "tax_id") {
    const ids = company.locations.flatMap((location) =>
      location.taxRegistrationId ? [location.taxRegistrationId] : [],
    );
    for (const id of ids) {
      const customer = await findCustomerByTaxRegistrationNo(tx, shopId, id);
      if (customer) return { customer, how: `by the tax registration id ${id}` };
    }
    return {
      reason: ids.length
        ? `no back-office customer has the tax registration id ${[...new Set(ids)].join(" or ")}`
        : "none of its locations has a tax registration id (the company mapping is by tax id)",
    };
  }
  const contact = mainContact(company);
  if (!contact) return { reason: "it has no main contact (the company mapping is by its e-mail or phone)" };
  if (!contact.email && !contact.phone)
    return { reason: "its main contact has neither an e-mail nor a phone" };
  // The words name the e-mail or phone, never the address or number: they are kept on the
  // company's row, which a customers/redact does not erase.
  const persons: { what: string; no: string }[] = [];
  for (const what of ["e-mail", "phone"] as const) {
    const value = what === "e-mail" ? contact.email : contact.phone;
    if (!value) continue;
    const match = await businessMatch(tx, shopId, what === "e-mail" ? { email: value } : { phone: value });
    if (match.customer) return { customer: match.customer, how: `by its main contact's ${what}` };
    if (match.person) persons.push({ what, no: match.person.no });
  }
  if (persons.length > 0) {
    const nos = [...new Set(persons.map((person) => person.no))];
    const what = persons.map((person) => person.what).join(" and ");
    return {
      reason: `its main contact's ${what} ${persons.length > 1 ? "belong" : "belongs"} to a person's customer (${nos.join(", ")}, linked to a Shopify customer as a person), not a business customer`,
    };
  }
  const asked = [contact.email && "e-mail", contact.phone && "phone"].filter(Boolean).join(" or ");
  return { reason: `no back-office customer has its main contact's ${asked}` };
}

/** The back-office customers of these numbers a Shopify customer is linked to as a person (ShopifyCustomer.customerNo). */
async function personCustomerNos(tx: Db | Tx, shopId: string, customerNos: string[]): Promise<Set<string>> {
  if (customerNos.length === 0) return new Set();
  const rows = await tx.shopifyCustomer.findMany({
    where: { shopId, customerNo: { in: customerNos } },
    select: { customerNo: true },
  });
  return new Set(rows.map((row) => row.customerNo!));
}

/**
 * The customer with this exact e-mail (or phone) a company may be linked to: the lowest
 * numbered that is no person's customer. A person's customer is never a company's (the
 * customers sync may have made it for the main contact as a shopper); `person` is the one in
 * the way when no other has that e-mail (or, for a phone, when the first has it).
 */
async function businessMatch(
  tx: Db | Tx,
  shopId: string,
  query: { email: string } | { phone: string },
): Promise<{ customer: Customer | null; person: Customer | null }> {
  const first = await findCustomerByEmailOrPhone(tx, shopId, query);
  if (!first) return { customer: null, person: null };
  if ((await personCustomerNos(tx, shopId, [first.no])).size === 0) return { customer: first, person: null };
  if (!("email" in query)) return { customer: null, person: first };
  // Another customer of the same e-mail (any case) may be the business's.
  const { customers } = await findCustomerPage(
    tx,
    shopId,
    { text: query.email.trim(), except: [first.no] },
    { skip: 0, take: 50 },
  );
  const same = customers.filter((customer) => customer.emailKey === first.emailKey);
  const persons = await personCustomerNos(
    tx,
    shopId,
    same.map((customer) => customer.no),
  );
  return { customer: same.find((customer) => !persons.has(customer.no)) ?? null, person: first };
}

const UNMAPPED_HINT =
  "map it to a business customer or create one on the Companies page, or turn on auto-create on the shop card";

/**
 * Writes the company's rows as read: the company (keeping its link and state), each location
 * (its address without a person's name or phone: StoredAddress) and contact, and marks those
 * no longer there deleted. Personal fields of a contact whose person a customers/redact erased
 * (its own row erased, or any contact or customer row of the same Shopify customer) are not
 * written again, and a new contact row of that person is made erased.
 */
export async function writeCompanyRows(tx: Db | Tx, shopId: string, company: CompanyRead): Promise<void> {
  const data = {
    name: company.name,
    externalId: company.externalId,
    note: company.note,
    mainContactShopifyId: company.mainContactId,
    deletedAt: null,
  };
  await tx.shopifyCompany.upsert({
    where: { shopId_shopifyId: { shopId, shopifyId: company.id } },
    create: { id: randomUUID(), shopId, shopifyId: company.id, ...data, syncState: "unmapped" },
    update: data,
  });
  for (const location of company.locations) {
    const fields = {
      companyShopifyId: company.id,
      name: location.name,
      externalId: location.externalId,
      address: location.address === null ? undefined : storedAddressJson(location.address),
      taxRegistrationId: location.taxRegistrationId,
      taxExempt: location.taxExempt,
      taxExemptions: location.taxExemptions,
      paymentTermsName: location.paymentTermsName,
      paymentTermsDueInDays: location.paymentTermsDueInDays,
      deletedAt: null,
    };
    await tx.shopifyCompanyLocation.upsert({
      where: { shopId_shopifyId: { shopId, shopifyId: location.id } },
      create: { id: randomUUID(), shopId, shopifyId: location.id, ...fields },
      update: fields,
    });
  }
  const now = new Date();
  await tx.shopifyCompanyLocation.updateMany({
    where: {
      shopId,
      companyShopifyId: company.id,
      deletedAt: null,
      shopifyId: { notIn: company.locations.map((location) => location.id) },
    },
    data: { deletedAt: now },
  });
  const redacted = await redactedContacts(tx, shopId, company.contacts);
  for (const contact of company.contacts) {
    const erased = redacted.people.has(contact.id);
    const personal = erased
      ? {
          email: null,
          phone: null,
          firstName: null,
          lastName: null,
          title: null,
          ...(redacted.rows.has(contact.id) ? {} : { redactedAt: now }),
        }
      : {
          email: contact.email,
          phone: contact.phone,
          firstName: contact.firstName,
          lastName: contact.lastName,
          title: contact.title,
        };
    const fields = {
      companyShopifyId: company.id,
      customerShopifyId: contact.customerId,
      isMainContact: contact.isMainContact,
      deletedAt: null,
      ...personal,
    };
    await tx.shopifyCompanyContact.upsert({
      where: { shopId_shopifyId: { shopId, shopifyId: contact.id } },
      create: { id: randomUUID(), shopId, shopifyId: contact.id, ...fields },
      update: fields,
    });
  }
  await tx.shopifyCompanyContact.updateMany({
    where: {
      shopId,
      companyShopifyId: company.id,
      deletedAt: null,
      shopifyId: { notIn: company.contacts.map((contact) => contact.id) },
    },
    data: { deletedAt: now },
  });
}

/** The address as a location's row keeps it: the business's address, nothing of a person. */
function storedAddressJson(address: StoredAddress) {
  return {
    company: address.company,
    address1: address.address1,
    address2: address.address2,
    city: address.city,
    zip: address.zip,
    province: address.province,
    countryCode: address.countryCode,
  };
}

/**
 * The contacts (by id) whose person a customers/redact erased (`people`): the contact's own
 * row, or a contact or customer row of the same Shopify customer, redacted (the same person may
 * come back as another company's contact, or as a new contact of this one); and of those, the
 * ones whose own row is redacted already (`rows`).
 */
async function redactedContacts(
  tx: Db | Tx,
  shopId: string,
  contacts: CompanyRead["contacts"],
): Promise<{ people: Set<bigint>; rows: Set<bigint> }> {
  if (contacts.length === 0) return { people: new Set(), rows: new Set() };
  const customerIds = contacts.flatMap((contact) =>
    contact.customerId === null ? [] : [contact.customerId],
  );
  const [contactRows, customerRows] = await Promise.all([
    tx.shopifyCompanyContact.findMany({
      where: {
        shopId,
        redactedAt: { not: null },
        OR: [
          { shopifyId: { in: contacts.map((contact) => contact.id) } },
          ...(customerIds.length > 0 ? [{ customerShopifyId: { in: customerIds } }] : []),
        ],
      },
      select: { shopifyId: true, customerShopifyId: true },
    }),
    customerIds.length === 0
      ? []
      : tx.shopifyCustomer.findMany({
          where: { shopId, shopifyId: { in: customerIds }, redactedAt: { not: null } },
          select: { shopifyId: true },
        }),
  ]);
  const ids = new Set(contactRows.map((row) => row.shopifyId));
  const people = new Set([
    ...contactRows.flatMap((row) => (row.customerShopifyId === null ? [] : [row.customerShopifyId])),
    ...customerRows.map((row) => row.shopifyId),
  ]);
  const erased = contacts
    .filter(
      (contact) => ids.has(contact.id) || (contact.customerId !== null && people.has(contact.customerId)),
    )
    .map((contact) => contact.id);
  return { people: new Set(erased), rows: ids };
}

/** Shopify's side is applied as it is now: the hash and update times that tell the next read it is unchanged. */
export async function stampCompany(
  tx: Db | Tx,
  shopId: string,
  company: CompanyRead,
  state: { syncState: string; message: string | null; customerNo?: string | null },
): Promise<void> {
  await tx.shopifyCompany.update({
    where: { shopId_shopifyId: { shopId, shopifyId: company.id } },
    data: {
      ...state,
      contentHash: companyHash(company),
      shopifyUpdatedAt: company.updatedAt,
    },
  });
  for (const location of company.locations)
    await tx.shopifyCompanyLocation.update({
      where: { shopId_shopifyId: { shopId, shopifyId: location.id } },
      data: { shopifyUpdatedAt: location.updatedAt },
    });
}

/** Whether Shopify's side is as last applied, by the hash. */
export function isAsApplied(
  row: Pick<ShopifyCompany, "contentHash"> | null | undefined,
  company: CompanyRead,
) {
  return row?.contentHash != null && row.contentHash === companyHash(company);
}

interface LinkChoice {
  /** A person's choice: link to this customer, whatever the mapping says. */
  customerNo?: string;
  /** Judged again from the stored rows (the mapping rules changed): the hash and stamps are kept. */
  fromRows?: boolean;
}

/**
 * Writes the company's rows and links it (see above), in one transaction. Returns what became
 * of it for the run's counts.
 */
export async function applyCompany(
  run: LinkRun,
  company: CompanyRead,
  choice: LinkChoice = {},
): Promise<Applied> {
  const { db, shopId, settings } = run;
  return inOwnTransaction(db, async (tx) => {
    const before = await tx.shopifyCompany.findUnique({
      where: { shopId_shopifyId: { shopId, shopifyId: company.id } },
    });
    // Judged again from its rows, nothing of Shopify's side is new.
    const changed = !choice.fromRows && !isAsApplied(before, company);
    if (!choice.fromRows) await writeCompanyRows(tx, shopId, company);
    const linkedBefore = before?.customerNo ? await findCustomer(tx, shopId, before.customerNo) : null;

    let customer: Customer | null = null;
    let how: string;
    let count: string;
    if (choice.customerNo) {
      customer = await findCustomer(tx, shopId, choice.customerNo);
      if (!customer) throw new Error(`there is no customer ${choice.customerNo} in the back office`);
      how = "by a person";
      count = "linked";
    } else if (linkedBefore && !linkedBefore.isTemplate) {
      customer = linkedBefore;
      how = "";
      count = changed ? "imported" : "unchanged";
    } else {
      const found = await findCompanyCustomer(tx, shopId, settings, company);
      if ("customer" in found) {
        customer = found.customer;
        how = found.how;
        count = "linked";
      } else if (settings.companyAutoCreate) {
        customer = await createCustomer(tx, shopId, {
          ...customerFieldsOf(company),
          templateNo: settings.companyTemplateNo ?? undefined,
        });
        how = settings.companyTemplateNo
          ? `created from the company on template ${settings.companyTemplateNo}`
          : "created from the company";
        count = "created";
      } else {
        const message = `unmapped: ${found.reason}; ${UNMAPPED_HINT}`;
        // Judged again as before: nothing to write.
        if (choice.fromRows && before?.syncState === "unmapped" && before.message === message)
          return { result: { outcome: "unchanged", count: "stillUnmapped" }, linked: false };
        if (choice.fromRows)
          await tx.shopifyCompany.update({
            where: { shopId_shopifyId: { shopId, shopifyId: company.id } },
            data: { syncState: "unmapped", message, customerNo: null },
          });
        else await stampCompany(tx, shopId, company, { syncState: "unmapped", message, customerNo: null });
        await tx.shopifyCompanyLocation.updateMany({
          where: { shopId, companyShopifyId: company.id, customerNo: null, deletedAt: null },
          data: { syncState: "unmapped", message: "its company is unmapped" },
        });
        return { result: { outcome: "skipped", count: "unmapped" }, linked: false };
      }
    }

    // A linked company whose content changed updates its customer when Shopify updates the
    // back office (never the default company customer, which many companies share).
    const update =
      fromShopify(settings) &&
      (changed || count === "linked") &&
      count !== "created" &&
      customer.no !== settings.defaultCompanyCustomerNo;
    if (update) {
      customer = await updateCustomer(tx, shopId, customer.no, customerFieldsOf(company));
      if (count === "imported") count = "updated";
    }
    // A company never read from Shopify (an order's stub) has no locations to link yet.
    const stub = choice.fromRows && before?.contentHash == null;
    const locations = stub
      ? { added: 0 }
      : await linkLocations(tx, run, company, customer.no, { update, changed });
    if (locations.added > 0 && count === "unchanged") count = "imported";

    const message =
      count === "linked" || count === "created" || !before?.message || before.syncState !== "linked"
        ? `linked to customer ${customer.no} (${customer.name})${how ? ` ${how}` : ""}`
        : before.message;
    if (choice.fromRows)
      await tx.shopifyCompany.update({
        where: { shopId_shopifyId: { shopId, shopifyId: company.id } },
        data: { syncState: "linked", message, customerNo: customer.no },
      });
    else await stampCompany(tx, shopId, company, { syncState: "linked", message, customerNo: customer.no });
    await rememberLinked(tx, shopId, customer.no, company.id);
    const outcome = count === "unchanged" ? "unchanged" : "sent";
    return {
      result: { outcome, count },
      linked: before?.syncState !== "linked" || before.customerNo !== customer.no,
    };
  });
}

/** `fn` in a transaction of its own for a client, in the caller's for a transaction. */
function inOwnTransaction<T>(db: Db | Tx, fn: (tx: Tx) => Promise<T>): Promise<T> {
  if ("$connect" in db) return db.$transaction(fn, { maxWait: 10_000, timeout: 30_000 });
  return fn(db);
}

/**
 * Links each location of a linked company (see above); returns how many were linked anew.
 * A location the export made for the customer's own address (its row has the customer and no
 * ship-to code) stays as it is.
 */
async function linkLocations(
  tx: Tx,
  run: LinkRun,
  company: CompanyRead,
  customerNo: string,
  options: { update: boolean; changed: boolean },
): Promise<{ added: number }> {
  const { shopId, settings } = run;
  const rows = new Map(
    (
      await tx.shopifyCompanyLocation.findMany({
        where: { shopId, shopifyId: { in: company.locations.map((location) => location.id) } },
      })
    ).map((row) => [row.shopifyId, row]),
  );
  let added = 0;
  if (settings.companyLocationsAs === "customer") {
    for (const location of company.locations) {
      const row = rows.get(location.id);
      const linked = await linkLocationCustomer(tx, run, company, location, row, customerNo, options);
      if (linked) added += 1;
    }
    return { added };
  }
  const existing = await listShipToAddresses(tx, shopId, customerNo);
  const ours = new Set(
    [...rows.values()].flatMap((row) =>
      row.customerNo === customerNo && row.shipToCode ? [row.shipToCode] : [],
    ),
  );
  const taken = new Set(existing.map((address) => address.code).filter((code) => !ours.has(code)));
  for (const location of company.locations) {
    const row = rows.get(location.id);
    const hash = locationHash(location);
    if (row?.customerNo === customerNo && row.shipToCode === null) {
      // The customer's own address (a company the export made): nothing of its own to link.
      await tx.shopifyCompanyLocation.update({
        where: { id: row.id },
        data: { syncState: "linked", message: `the address of customer ${customerNo}`, contentHash: hash },
      });
      continue;
    }
    if (row?.customerNo === customerNo && row.shipToCode) {
      if (options.update && row.contentHash !== hash)
        await saveShipToAddress(tx, shopId, customerNo, row.shipToCode, shipToOf(location));
      await tx.shopifyCompanyLocation.update({
        where: { id: row.id },
        data: { syncState: "linked", contentHash: hash },
      });
      continue;
    }
    const code = shipToCodeFor(location.id, taken);
    taken.add(code);
    await saveShipToAddress(tx, shopId, customerNo, code, shipToOf(location));
    await tx.shopifyCompanyLocation.update({
      where: { shopId_shopifyId: { shopId, shopifyId: location.id } },
      data: {
        customerNo,
        shipToCode: code,
        syncState: "linked",
        message: `ship-to address ${code} of customer ${customerNo}`,
        contentHash: hash,
      },
    });
    added += 1;
  }
  return { added };
}

/** A location as a customer of its own (customer mode); whether it was linked anew. */
async function linkLocationCustomer(
  tx: Tx,
  run: LinkRun,
  company: CompanyRead,
  location: LocationRead,
  row: ShopifyCompanyLocation | undefined,
  companyCustomerNo: string,
  options: { update: boolean },
): Promise<boolean> {
  const { shopId, settings } = run;
  const hash = locationHash(location);
  const current = row?.customerNo ? await findCustomer(tx, shopId, row.customerNo) : null;
  if (current) {
    const own = current.no !== companyCustomerNo;
    if (own && options.update && row!.contentHash !== hash)
      await updateCustomer(tx, shopId, current.no, locationCustomerFieldsOf(company, location));
    await tx.shopifyCompanyLocation.update({
      where: { id: row!.id },
      data: { syncState: "linked", contentHash: hash },
    });
    return false;
  }
  let customer: Customer | null = null;
  let message: string;
  if (settings.companyMapping === "tax_id" && location.taxRegistrationId)
    customer = await findCustomerByTaxRegistrationNo(tx, shopId, location.taxRegistrationId);
  if (customer) message = `customer ${customer.no} by its tax registration id ${location.taxRegistrationId}`;
  else if (settings.companyAutoCreate) {
    customer = await createCustomer(tx, shopId, {
      ...locationCustomerFieldsOf(company, location),
      templateNo: settings.companyTemplateNo ?? undefined,
    });
    message = `customer ${customer.no} created from the location`;
  } else {
    customer = await findCustomer(tx, shopId, companyCustomerNo);
    message = `no customer of its own (auto-create is off): billed and shipped as its company's customer ${companyCustomerNo}`;
  }
  await tx.shopifyCompanyLocation.update({
    where: { shopId_shopifyId: { shopId, shopifyId: location.id } },
    data: { customerNo: customer!.no, shipToCode: null, syncState: "linked", message, contentHash: hash },
  });
  return true;
}

/**
 * A company that could not be linked: its rows as read (when the read is Shopify's), state
 * "error" with the message in full but for e-mail addresses (a row's words keep none: a
 * customers/redact does not erase them); its link and hash stay, so the next run tries it again.
 */
export async function markCompanyFailed(
  db: Db,
  shopId: string,
  company: CompanyRead,
  error: string,
): Promise<void> {
  const message = withoutEmails(error);
  try {
    await db.$transaction(async (tx) => {
      await writeCompanyRows(tx, shopId, company);
      await tx.shopifyCompany.update({
        where: { shopId_shopifyId: { shopId, shopifyId: company.id } },
        data: { syncState: "error", message },
      });
    });
  } catch {
    // The rows themselves were refused (the failure may be theirs): the company alone, marked.
    await db.shopifyCompany.upsert({
      where: { shopId_shopifyId: { shopId, shopifyId: company.id } },
      create: {
        id: randomUUID(),
        shopId,
        shopifyId: company.id,
        name: printable(company.name) || `Shopify company ${company.id}`,
        syncState: "error",
        message,
      },
      update: { syncState: "error", message },
    });
  }
}

/** The text with each e-mail address replaced by "(an e-mail address)". */
function withoutEmails(text: string): string {
  return text.replace(/[^\s@<>()"',;:]+@[^\s@<>()"',;:]+\.[^\s@<>()"',;:]+/g, "(an e-mail address)");
}

/** Text Postgres takes: without NUL characters (nor other control characters but tabs and line breaks). */
function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "").trim();
}
