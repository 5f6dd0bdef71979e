import { findCustomer, listShipToAddresses } from "../../backoffice/backoffice.server";
import type { Db } from "../../db.server";
import { RecordError } from "../../errors.server";
import type {
  ShopifyCompany,
  ShopifyCompanyContact,
  ShopifyCompanyLocation,
  ShopSettings,
  SyncRecord,
} from "../../generated/prisma/client";
import type { SyncContext } from "../../jobs/sync-task.server";
import type { AdminClient } from "../../shopify/admin-client.server";
import { gid, numericId } from "../../shopify/ids.server";
import {
  collectChanges,
  dueRecords,
  isUnchanged,
  markFailed,
  markSent,
  markSkipped,
} from "../kit/outbound.server";
import { RecordLoop, type RecordResult } from "../kit/records.server";
import {
  addressInputOfStored,
  companyDraftOf,
  draftHash,
  externalIdOf,
  sameAddress,
  type CompanyDraft,
} from "./draft.server";
import type { CompanyFilters } from "./filters.server";
import { stampCompany, writeCompanyRows } from "./link.server";
import {
  COMPANY_ASSIGN_MAIN_CONTACT,
  COMPANY_BY_EXTERNAL_ID,
  COMPANY_CONTACT_CREATE,
  COMPANY_CONTACT_UPDATE,
  COMPANY_CREATE,
  COMPANY_LOCATION_ASSIGN_ADDRESS,
  COMPANY_LOCATION_CREATE,
  COMPANY_LOCATION_TAX,
  COMPANY_UPDATE,
  type CompanyCreateVariables,
  type CompanyUserError,
} from "./operations.server";
import { companiesById, type CompanyRead, type StoredAddress } from "./read.server";
import { COMPANY_FEED, COMPANY_TASK } from "./records.server";

/**
 * To Shopify: business customers a person added (`addCompaniesToShopify`) become Shopify
 * companies, and the linked ones the back office changed update theirs when the shop card
 * sends updates to Shopify; only what changed since what was last sent (the draft's hash), and
 * of that only the parts that differ from the company as last read:
 *
 * - a new company goes with **companyCreate**: its first location (the customer's address and
 *   tax registration, billing the same as shipping) and its main contact (the customer's e-mail
 *   and contact name); each ship-to address becomes a further location (**companyLocationCreate**);
 * - a linked company gets **companyUpdate** (its name), **companyLocationAssignAddress** (an
 *   address that changed), **companyLocationTaxSettingsUpdate** (tax registration and
 *   exemptions), **companyContactUpdate** or **companyContactCreate** and
 *   **companyAssignMainContact** (the main contact), and new locations for new ship-to addresses;
 * - nothing changed: nothing is sent.
 *
 * After a write the company is read back whole and stored as Shopify has it, so the import,
 * woken by the webhooks of our own writes, finds it as applied (no echo). A new company's
 * external id is the customer number, written on its record before it is sent (sendingKey): a
 * run that dies after Shopify made the company finds it by that id instead of making a second.
 * Shopify's userErrors make the record failed (retried by the next run) with Shopify's messages
 * in full; an e-mail another Shopify customer has makes it skipped, with the message.
 */

export const companyExport = {
  /** Due records handled in one run (the next run takes the rest). */
  perRun: 1000,
};

function messages(errors: CompanyUserError[]): string {
  return errors
    .map((error) => (error.field?.length ? `${error.field.join(".")}: ${error.message}` : error.message))
    .join("; ");
}

/** Shopify refused a write: the record fails with its messages in full (skipped when an e-mail is taken). */
class RefusedByShopify extends RecordError {
  readonly skip: boolean;
  constructor(what: string, errors: CompanyUserError[]) {
    super(`Shopify refused ${what}: ${messages(errors)}`);
    this.skip = errors.some((error) => error.code === "TAKEN");
  }
}

interface ExportRun {
  db: Db;
  shopId: string;
  settings: ShopSettings;
  client: AdminClient;
}

export async function exportCompanies(
  ctx: SyncContext<CompanyFilters>,
  client: AdminClient,
  settings: ShopSettings,
): Promise<void> {
  const { db, shop } = ctx;
  await collectChanges(db, shop.id, COMPANY_FEED);
  const due = await dueRecords(db, shop.id, COMPANY_TASK, companyExport.perRun);
  if (due.length === 0) return;
  const run: ExportRun = { db, shopId: shop.id, settings, client };
  const loop = new RecordLoop<SyncRecord>(ctx, {
    label: (record) => `customer ${record.recordKey}`,
    handle: async (record) => {
      try {
        return await exportOne(run, record);
      } catch (error) {
        if (error instanceof RefusedByShopify && error.skip) {
          await markSkipped(db, record, error.message);
          return { outcome: "skipped", count: "refused" };
        }
        throw error;
      }
    },
    onFailure: (record, message) => markFailed(db, record, message),
    total: due.length,
  });
  await loop.each(due);
  ctx.log.info({ ...loop.summary, failures: undefined }, "business customers exported");
  loop.finish({ noun: "business customer", failed: "not sent to Shopify" });
}

async function skip(db: Db, record: SyncRecord, reason: string): Promise<RecordResult> {
  await markSkipped(db, record, reason);
  return "skipped";
}

async function exportOne(run: ExportRun, record: SyncRecord): Promise<RecordResult> {
  const { db, shopId, settings } = run;
  const customer = await findCustomer(db, shopId, record.recordKey);
  if (!customer) return skip(db, record, "the customer no longer exists in the back office");
  if (customer.isTemplate) return skip(db, record, "a customer template is never sent to Shopify");
  const draft = companyDraftOf(customer, await listShipToAddresses(db, shopId, customer.no));
  const hash = draftHash(draft);
  const companies = await db.shopifyCompany.findMany({
    where: { shopId, customerNo: customer.no, deletedAt: null },
    orderBy: { shopifyId: "asc" },
  });
  if (companies.length > 1)
    return skip(
      db,
      record,
      `linked to ${companies.length} Shopify companies (${companies.map((c) => c.name).join(", ")}): it is not sent, since which of them it is cannot be told`,
    );
  let company: ShopifyCompany | undefined = companies[0];
  if (company && isUnchanged(record, hash)) {
    await markSent(db, record, { shopifyId: gid("Company", company.shopifyId), sentHash: hash });
    return "unchanged";
  }
  // A create that got as far as Shopify is finished (its locations and contact), whatever the
  // shop card says of updates: it is the export's own company.
  const adopted = !company && record.sendingKey ? await adopt(run, record, record.sendingKey) : undefined;
  company ??= adopted;
  if (!company) return create(run, record, draft, hash);
  if (adopted || settings.companyUpdates === "to_shopify") return update(run, record, company, draft, hash);
  // The export's own create, not finished (its sendingKey stays until the record is sent): the
  // locations Shopify refused then are made now. Making what was never sent is no update.
  if (record.sendingKey !== null)
    return update(run, record, company, draft, hash, { newLocationsOnly: true });
  return skip(
    db,
    record,
    `linked to Shopify company ${company.name} (${company.shopifyId}); the shop card does not send updates of companies to Shopify`,
  );
}

function addressData(draft: CompanyDraft["main"]) {
  return draft.address ? { shippingAddress: draft.address, billingSameAsShipping: true } : {};
}

/** A company this record's create made, found by its external id (the run that made it died before it was recorded). */
async function adopt(
  run: ExportRun,
  record: SyncRecord,
  externalId: string,
): Promise<ShopifyCompany | undefined> {
  const { companies } = await run.client.request(COMPANY_BY_EXTERNAL_ID, {
    query: `external_id:"${externalId.replace(/["\\]/g, "\\$&")}"`,
  });
  const found = companies.nodes[0];
  if (!found) return undefined;
  const { companies: read } = await companiesById(run.client, [numericId(found.id)]);
  if (!read[0]) return undefined;
  return store(
    run,
    record.recordKey,
    read[0],
    new Map(),
    `found in Shopify by its external id ${externalId}`,
  );
}

/**
 * Stores the company as Shopify has it now, linked to the customer; `links` says which location
 * is which ship-to address (null: the customer's own address).
 */
async function store(
  run: ExportRun,
  customerNo: string,
  company: CompanyRead,
  links: Map<bigint, string | null>,
  message: string,
): Promise<ShopifyCompany> {
  const { db, shopId } = run;
  return db.$transaction(async (tx) => {
    await writeCompanyRows(tx, shopId, company);
    for (const [locationId, shipToCode] of links)
      await tx.shopifyCompanyLocation.update({
        where: { shopId_shopifyId: { shopId, shopifyId: locationId } },
        data: {
          customerNo,
          shipToCode,
          syncState: "linked",
          message: shipToCode
            ? `ship-to address ${shipToCode} of customer ${customerNo}`
            : `the address of customer ${customerNo}`,
        },
      });
    await stampCompany(tx, shopId, company, { syncState: "linked", message, customerNo });
    return tx.shopifyCompany.findUniqueOrThrow({
      where: { shopId_shopifyId: { shopId, shopifyId: company.id } },
    });
  });
}

async function readBack(run: ExportRun, companyId: bigint): Promise<CompanyRead> {
  const { companies } = await companiesById(run.client, [companyId]);
  if (!companies[0]) throw new Error(`Shopify company ${companyId} is gone right after it was written`);
  return companies[0];
}

async function create(
  run: ExportRun,
  record: SyncRecord,
  draft: CompanyDraft,
  hash: string,
): Promise<RecordResult> {
  const { db, client } = run;
  await db.syncRecord.update({ where: { id: record.id }, data: { sendingKey: draft.externalId } });
  const input: CompanyCreateVariables["input"] = {
    company: { name: draft.name, externalId: draft.externalId },
    companyLocation: {
      name: draft.main.name,
      ...addressData(draft.main),
      taxRegistrationId: draft.main.taxRegistrationId,
      ...(draft.main.taxExemptions.length > 0 ? { taxExemptions: draft.main.taxExemptions } : {}),
    },
    ...(draft.contact ? { companyContact: draft.contact } : {}),
  };
  const { companyCreate } = await client.request(COMPANY_CREATE, { input });
  if (!companyCreate.company) throw new RefusedByShopify("the company", companyCreate.userErrors);
  const companyId = numericId(companyCreate.company.id);
  const first = await readBack(run, companyId);
  const links = new Map<bigint, string | null>();
  if (first.locations[0]) links.set(first.locations[0].id, null);
  const refused: string[] = [];
  for (const shipTo of draft.shipTos) {
    const made = await createLocation(run, companyId, draft, shipTo);
    if ("id" in made) links.set(made.id, shipTo.code);
    else refused.push(made.error);
  }
  const company = draft.shipTos.length > 0 ? await readBack(run, companyId) : first;
  await store(run, draft.customerNo, company, links, `created in Shopify from customer ${draft.customerNo}`);
  if (refused.length > 0) throw new RecordError(refused.join("; "));
  await markSent(db, record, { shopifyId: gid("Company", companyId), sentHash: hash });
  return { outcome: "sent", count: "created" };
}

async function createLocation(
  run: ExportRun,
  companyId: bigint,
  draft: CompanyDraft,
  shipTo: CompanyDraft["shipTos"][number],
): Promise<{ id: bigint } | { error: string }> {
  const { companyLocationCreate } = await run.client.request(COMPANY_LOCATION_CREATE, {
    companyId: gid("Company", companyId),
    input: {
      name: shipTo.name,
      externalId: externalIdOf(`${draft.customerNo}/${shipTo.code}`),
      ...(shipTo.address ? { shippingAddress: shipTo.address, billingSameAsShipping: true } : {}),
    },
  });
  if (!companyLocationCreate.companyLocation)
    return {
      error: `Shopify refused ship-to address ${shipTo.code} as a location: ${messages(companyLocationCreate.userErrors)}`,
    };
  return { id: numericId(companyLocationCreate.companyLocation.id) };
}

const sameList = (a: string[], b: string[]) =>
  JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());

/**
 * Sends what differs between the draft and the company as last read. With `newLocationsOnly`
 * (the export's own create finished while the shop card sends no updates), only the ship-to
 * addresses that are no location yet are sent, as new locations.
 */
async function update(
  run: ExportRun,
  record: SyncRecord,
  company: ShopifyCompany,
  draft: CompanyDraft,
  hash: string,
  options: { newLocationsOnly?: boolean } = {},
): Promise<RecordResult> {
  const { db, shopId, client } = run;
  const [locations, contacts] = await Promise.all([
    db.shopifyCompanyLocation.findMany({
      where: { shopId, companyShopifyId: company.shopifyId, deletedAt: null },
      orderBy: { shopifyId: "asc" },
    }),
    db.shopifyCompanyContact.findMany({
      where: { shopId, companyShopifyId: company.shopifyId, deletedAt: null },
    }),
  ]);
  const companyGid = gid("Company", company.shopifyId);
  const refused: string[] = [];
  let sent = 0;
  const check = (what: string, errors: CompanyUserError[]) => {
    sent += 1;
    if (errors.length > 0) refused.push(`Shopify refused ${what}: ${messages(errors)}`);
  };

  if (!options.newLocationsOnly) await sendCompany(run, company, locations, contacts, draft, check);

  const links = new Map<bigint, string | null>();
  for (const shipTo of draft.shipTos) {
    const row = locations.find(
      (each) => each.customerNo === draft.customerNo && each.shipToCode === shipTo.code,
    );
    if (!row) {
      const made = await createLocation(run, company.shopifyId, draft, shipTo);
      sent += 1;
      if ("id" in made) links.set(made.id, shipTo.code);
      else refused.push(made.error);
      continue;
    }
    if (!options.newLocationsOnly && shipTo.address && !sameAddress(shipTo.address, stored(row))) {
      const { companyLocationAssignAddress } = await client.request(COMPANY_LOCATION_ASSIGN_ADDRESS, {
        locationId: gid("CompanyLocation", row.shopifyId),
        address: shipTo.address,
        addressTypes: ["SHIPPING"],
      });
      check(`the address of location ${row.name}`, companyLocationAssignAddress.userErrors);
    }
  }

  if (sent > 0)
    await store(
      run,
      draft.customerNo,
      await readBack(run, company.shopifyId),
      links,
      company.message ?? `linked to customer ${draft.customerNo}`,
    );
  if (refused.length > 0) throw new RecordError(refused.join("; "));
  await markSent(db, record, { shopifyId: companyGid, sentHash: hash });
  return sent > 0 ? { outcome: "sent", count: "updated" } : "unchanged";
}

const stored = (row: ShopifyCompanyLocation) => addressInputOfStored(row.address as StoredAddress | null);

/** The company's own parts that differ from the draft: its name, its main location's address and tax settings, its main contact. */
async function sendCompany(
  run: ExportRun,
  company: ShopifyCompany,
  locations: ShopifyCompanyLocation[],
  contacts: ShopifyCompanyContact[],
  draft: CompanyDraft,
  check: (what: string, errors: CompanyUserError[]) => void,
): Promise<void> {
  const companyGid = gid("Company", company.shopifyId);
  if (draft.name !== company.name) {
    const { companyUpdate } = await run.client.request(COMPANY_UPDATE, {
      companyId: companyGid,
      input: { name: draft.name },
    });
    check("the name", companyUpdate.userErrors);
  }

  // The customer's own address: the location the export made for it, or the first one when the
  // import linked it and it is no ship-to address of the customer.
  const first = locations[0];
  const main =
    locations.find((row) => row.customerNo === draft.customerNo && row.shipToCode === null) ??
    (first && first.shipToCode === null ? first : undefined);
  if (main && draft.main.address && !sameAddress(draft.main.address, stored(main))) {
    const { companyLocationAssignAddress } = await run.client.request(COMPANY_LOCATION_ASSIGN_ADDRESS, {
      locationId: gid("CompanyLocation", main.shopifyId),
      address: draft.main.address,
      addressTypes: ["BILLING", "SHIPPING"],
    });
    check(`the address of location ${main.name}`, companyLocationAssignAddress.userErrors);
  }
  const taxed = main ?? first;
  if (
    taxed &&
    ((draft.main.taxRegistrationId ?? null) !== (taxed.taxRegistrationId ?? null) ||
      !sameList(draft.main.taxExemptions, taxed.taxExemptions))
  ) {
    const { companyLocationTaxSettingsUpdate } = await run.client.request(COMPANY_LOCATION_TAX, {
      companyLocationId: gid("CompanyLocation", taxed.shopifyId),
      taxRegistrationId: draft.main.taxRegistrationId,
      exemptionsToAssign: draft.main.taxExemptions.filter((e) => !taxed.taxExemptions.includes(e)),
      exemptionsToRemove: taxed.taxExemptions.filter((e) => !draft.main.taxExemptions.includes(e)),
    });
    check(`the tax settings of location ${taxed.name}`, companyLocationTaxSettingsUpdate.userErrors);
  }

  await sendContact(run, company, contacts, draft, check);
}

/** The main contact: updated when its e-mail or name differ, or made (and made main) when there is none. */
async function sendContact(
  run: ExportRun,
  company: ShopifyCompany,
  contacts: ShopifyCompanyContact[],
  draft: CompanyDraft,
  check: (what: string, errors: CompanyUserError[]) => void,
): Promise<void> {
  const wanted = draft.contact;
  if (!wanted) return;
  const main =
    contacts.find((contact) => contact.shopifyId === company.mainContactShopifyId) ??
    contacts.find((contact) => contact.isMainContact);
  const input = { email: wanted.email, firstName: wanted.firstName, lastName: wanted.lastName };
  if (main) {
    if (main.redactedAt) return;
    const same =
      (main.email ?? "").toLowerCase() === wanted.email.toLowerCase() &&
      (main.firstName ?? null) === wanted.firstName &&
      (main.lastName ?? null) === wanted.lastName;
    if (same) return;
    const { companyContactUpdate } = await run.client.request(COMPANY_CONTACT_UPDATE, {
      companyContactId: gid("CompanyContact", main.shopifyId),
      input,
    });
    check("the main contact", companyContactUpdate.userErrors);
    return;
  }
  const { companyContactCreate } = await run.client.request(COMPANY_CONTACT_CREATE, {
    companyId: gid("Company", company.shopifyId),
    input,
  });
  check("the main contact", companyContactCreate.userErrors);
  if (!companyContactCreate.companyContact) return;
  const { companyAssignMainContact } = await run.client.request(COMPANY_ASSIGN_MAIN_CONTACT, {
    companyId: gid("Company", company.shopifyId),
    companyContactId: companyContactCreate.companyContact.id,
  });
  check("the main contact", companyAssignMainContact.userErrors);
}
