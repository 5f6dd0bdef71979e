import { randomUUID } from "node:crypto";
import { findCustomer, type Customer } from "../../backoffice/backoffice.server";
import { RecordError } from "../../errors.server";
import type { ShopSettings, ShopifyCustomer, SyncRecord } from "../../generated/prisma/client";
import type { SyncContext } from "../../jobs/sync-task.server";
import type { AdminClient } from "../../shopify/admin-client.server";
import { gid, numericId } from "../../shopify/ids.server";
import {
  collectChanges,
  contentHash,
  dueRecords,
  markFailed,
  markSent,
  markSkipped,
} from "../kit/outbound.server";
import { RecordLoop, type RecordResult } from "../kit/records.server";
import {
  addressInputOf,
  customerInputOf,
  shopifySideOf,
  sideHash,
  rowFieldsOf,
  sideOfBackOffice,
  sideOfRow,
  type ShopifySide,
} from "./content.server";
import { customerNosOf, type CustomerFilters } from "./filters.server";
import {
  CUSTOMER_ADDRESS_CREATE,
  CUSTOMER_ADDRESS_UPDATE,
  CUSTOMER_CREATE,
  CUSTOMER_UPDATE,
  CUSTOMERS_BY_ID,
  CUSTOMERS_PAGE,
  type CustomerNode,
  type CustomerUserError,
} from "./operations.server";
import { CUSTOMER_TASK, customerFeed, NOT_UPDATED } from "./records.server";

/**
 * To Shopify: back-office customers a person added ("Add to Shopify") are created
 * (`customerCreate`, then its address as the default with `customerAddressCreate`); linked
 * customers that changed are updated when the shop card lets the back office update Shopify
 * (`customerUpdate`, and `customerAddressUpdate` when the address differs from Shopify's default
 * address). What is due comes from the back office's change feed (app/sync/kit/outbound.server.ts);
 * a customer whose content hashes to what was last sent sends nothing. An e-mail or phone another
 * Shopify customer has is a skipped record saying so (Shopify refuses a second one), not a
 * failure; Shopify's other refusals are the record's error, in full, retried by the next run.
 */

/** Due records handled by one run at most (the rest wait for the next, queued at once). */
const PER_RUN = 5000;

/** What the export compares: the customer and the address it would send. */
const hashOf = (side: ShopifySide) =>
  contentHash({ customer: customerInputOf(side), address: addressInputOf(side) });

const messages = (errors: CustomerUserError[]) => errors.map((error) => error.message).join("; ");

/** Shopify's refusal of an e-mail or phone another customer has, in words; null for any other. */
function takenReason(errors: CustomerUserError[]): string | null {
  const taken = errors.find((error) => /has already been taken/i.test(error.message));
  if (!taken) return null;
  const field = taken.field?.at(-1);
  // The message names no one: the e-mail or phone is another person's in Shopify.
  if (field === "phone") return "its phone is already used by another Shopify customer";
  return "its e-mail is already used by another Shopify customer";
}

const isGone = (errors: CustomerUserError[]) =>
  errors.some((error) => /does not exist|can't be found|not found/i.test(error.message));

interface Due {
  record: SyncRecord;
}

export async function exportCustomers(
  ctx: SyncContext<CustomerFilters>,
  client: AdminClient,
  settings: ShopSettings,
): Promise<{ left: boolean }> {
  const shopId = ctx.shop.id;
  const updates = settings.customerUpdates === "to_shopify";
  const collected = await collectChanges(ctx.db, shopId, customerFeed(updates));
  if (collected > 0) ctx.log.info({ customers: collected }, "back-office customers changed");
  const only = new Set(customerNosOf(ctx.filters));
  const seen = new Set<string>();
  const loop = new RecordLoop<Due>(ctx, {
    label: ({ record }) => record.recordKey,
    handle: ({ record }) => exportOne(ctx, client, settings, record),
    onFailure: ({ record }, message) => markFailed(ctx.db, record, message),
  });
  for (;;) {
    const due = (await dueRecords(ctx.db, shopId, CUSTOMER_TASK, 1000)).filter(
      (record) => !seen.has(record.id) && (only.size === 0 || only.has(record.recordKey)),
    );
    if (due.length === 0) return { left: false };
    for (const record of due) {
      if (seen.size >= PER_RUN) return { left: true };
      seen.add(record.id);
      await loop.one({ record });
    }
  }
}

/** The Shopify customer a back-office customer is linked to, if any, and what we know of it. */
async function linkedShopifyCustomer(
  ctx: SyncContext<CustomerFilters>,
  record: SyncRecord,
  customerNo: string,
) {
  const where = record.shopifyId
    ? { shopId: ctx.shop.id, shopifyId: numericId(record.shopifyId) }
    : { shopId: ctx.shop.id, customerNo, deletedAt: null };
  return ctx.db.shopifyCustomer.findFirst({ where, orderBy: { shopifyId: "asc" } });
}

async function exportOne(
  ctx: SyncContext<CustomerFilters>,
  client: AdminClient,
  settings: ShopSettings,
  record: SyncRecord,
): Promise<RecordResult> {
  const customer = await findCustomer(ctx.db, ctx.shop.id, record.recordKey);
  if (!customer) {
    await markSkipped(ctx.db, record, "the customer no longer exists in the back office");
    return "skipped";
  }
  if (customer.isTemplate) {
    await markSkipped(ctx.db, record, "a customer template is never sent to Shopify");
    return "skipped";
  }
  const row = await linkedShopifyCustomer(ctx, record, customer.no);
  const shopifyGid = record.shopifyId ?? (row && !row.deletedAt ? gid("Customer", row.shopifyId) : null);
  if (shopifyGid && settings.customerUpdates !== "to_shopify") {
    await markSkipped(ctx.db, record, NOT_UPDATED);
    return "skipped";
  }
  const usable = (r: ShopifyCustomer | null) => (r && !r.deletedAt && r.redactedAt === null ? r : null);
  let known = usable(row);
  let side = sideOfBackOffice(customer, settings.customerNameFrom, known && sideOfRow(known));
  let hash = hashOf(side);
  // Sent before as it is: nothing to do.
  if (shopifyGid && record.sentHash === hash) {
    await markSent(ctx.db, record, { shopifyId: shopifyGid, sentHash: hash });
    return "unchanged";
  }
  if (!shopifyGid) return createInShopify(ctx, client, record, customer, side, hash);
  // A link an order made knows the order's copy of the customer, not Shopify's: read it first,
  // so that only what differs is written and nothing Shopify has is blanked.
  if (known && known.contentHash === null) {
    const { nodes } = await client.request(CUSTOMERS_BY_ID, { ids: [shopifyGid] });
    const node = nodes[0];
    if (node?.id) {
      await linkRow(ctx, customer.no, node, null);
      known = usable(await linkedShopifyCustomer(ctx, record, customer.no));
      side = sideOfBackOffice(customer, settings.customerNameFrom, known && sideOfRow(known));
      hash = hashOf(side);
    }
  }
  // Shopify has it so already, in substance.
  if (known?.contentHash && known.contentHash === sideHash(side)) {
    await markSent(ctx.db, record, { shopifyId: shopifyGid, sentHash: hash });
    return "unchanged";
  }
  return updateInShopify(ctx, client, record, customer, side, shopifyGid, hash, known);
}

async function createInShopify(
  ctx: SyncContext<CustomerFilters>,
  client: AdminClient,
  record: SyncRecord,
  customer: Customer,
  side: ShopifySide,
  hash: string,
): Promise<RecordResult> {
  const { customerCreate } = await client.request(CUSTOMER_CREATE, { input: customerInputOf(side) });
  if (!customerCreate.customer) {
    const taken = takenReason(customerCreate.userErrors);
    if (taken) {
      // Our own create whose answer was lost (or the same person, unlinked): take it up.
      const ours = await sameUnlinkedCustomer(ctx, client, side);
      if (ours) {
        await ctx.db.syncRecord.update({ where: { id: record.id }, data: { shopifyId: ours.id } });
        await linkRow(ctx, customer.no, ours, "linked to the Shopify customer with its e-mail and name");
        const node = await writeAddress(ctx, client, ours, side);
        await linkRow(ctx, customer.no, node, null);
        await markSent(ctx.db, record, { shopifyId: node.id, sentHash: hash });
        return { outcome: "sent", count: "linkedExisting" };
      }
      await markSkipped(ctx.db, record, taken);
      return { outcome: "skipped", count: "taken" };
    }
    throw new RecordError(
      `Shopify: ${messages(customerCreate.userErrors) || "the customer was not created"}`,
    );
  }
  let node = customerCreate.customer;
  // Shopify has the customer now: a failure from here on updates it, never makes a second one.
  await ctx.db.syncRecord.update({ where: { id: record.id }, data: { shopifyId: node.id } });
  await linkRow(ctx, customer.no, node, "added to Shopify from the back office");
  node = await writeAddress(ctx, client, node, side);
  await linkRow(ctx, customer.no, node, "added to Shopify from the back office");
  await markSent(ctx.db, record, { shopifyId: node.id, sentHash: hash });
  return { outcome: "sent", count: "created" };
}

async function updateInShopify(
  ctx: SyncContext<CustomerFilters>,
  client: AdminClient,
  record: SyncRecord,
  customer: Customer,
  side: ShopifySide,
  shopifyGid: string,
  hash: string,
  row: ShopifyCustomer | null,
): Promise<RecordResult> {
  // Only the part that differs from Shopify's as last known is written: an address change alone
  // is one customerAddressUpdate.
  const known = row && !row.deletedAt && row.contentHash ? sideOfRow(row) : null;
  let node: CustomerNode | null = known && sameCustomer(known, side) ? nodeOfRow(row!, shopifyGid) : null;
  if (!node) {
    const { customerUpdate } = await client.request(CUSTOMER_UPDATE, {
      input: customerInputOf(side, shopifyGid),
    });
    if (!customerUpdate.customer) {
      const errors = customerUpdate.userErrors;
      const taken = takenReason(errors);
      if (taken) {
        await markSkipped(ctx.db, record, taken);
        return { outcome: "skipped", count: "taken" };
      }
      if (isGone(errors)) {
        await ctx.db.shopifyCustomer.updateMany({
          where: { shopId: ctx.shop.id, shopifyId: numericId(shopifyGid) },
          data: { deletedAt: new Date(), syncState: "skipped", message: "deleted in Shopify" },
        });
        await ctx.db.syncRecord.update({
          where: { id: record.id },
          data: { shopifyId: null, sentHash: null },
        });
        await markSkipped(
          ctx.db,
          record,
          "its Shopify customer was deleted in Shopify: Add to Shopify creates a new one",
        );
        return { outcome: "skipped", count: "deletedInShopify" };
      }
      throw new RecordError(`Shopify: ${messages(errors) || "the customer was not updated"}`);
    }
    node = customerUpdate.customer;
  }
  node = await writeAddress(ctx, client, node, side);
  await linkRow(ctx, customer.no, node, null);
  await markSent(ctx.db, record, { shopifyId: node.id, sentHash: hash });
  return { outcome: "sent", count: "updated" };
}

/** The customer as its row last knew it, in the shape Shopify answers (its address the default). */
function nodeOfRow(row: ShopifyCustomer, id: string): CustomerNode {
  const side = sideOfRow(row);
  return {
    id,
    firstName: side.firstName,
    lastName: side.lastName,
    email: side.email,
    phone: side.phone,
    tags: row.tags,
    updatedAt: (row.shopifyUpdatedAt ?? new Date()).toISOString(),
    defaultAddress:
      side.address && row.defaultAddressId && row.addressFrom === "default"
        ? {
            id: row.defaultAddressId,
            firstName: side.firstName,
            lastName: side.lastName,
            company: side.address.company,
            address1: side.address.address1,
            address2: side.address.address2,
            city: side.address.city,
            zip: side.address.zip,
            province: side.address.province,
            provinceCode: side.address.province,
            countryCodeV2: side.address.countryCode,
            phone: null,
          }
        : null,
    addressesV2: { nodes: [] },
  };
}

const digitsOf = (value: string | null) => value?.replace(/\D/g, "") ?? "";

/** Names, e-mail and phone the same (e-mail in any case, phone by its digits). */
function sameCustomer(a: ShopifySide, b: ShopifySide): boolean {
  return (
    (a.firstName ?? "") === (b.firstName ?? "") &&
    (a.lastName ?? "") === (b.lastName ?? "") &&
    (a.email ?? "").toLowerCase() === (b.email ?? "").toLowerCase() &&
    digitsOf(a.phone) === digitsOf(b.phone)
  );
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The customer's address as its default in Shopify, when it differs from Shopify's; the customer as it is then. */
async function writeAddress(
  ctx: SyncContext<CustomerFilters>,
  client: AdminClient,
  node: CustomerNode,
  side: ShopifySide,
): Promise<CustomerNode> {
  const address = addressInputOf(side);
  if (!address || !side.address) return node;
  const current = node.defaultAddress;
  const theirs = shopifySideOf({ ...node, addressesV2: { nodes: [] } }).side.address;
  if (current && same({ ...theirs, phone: null }, { ...side.address, phone: null })) return node;
  const written = current
    ? (await client.request(CUSTOMER_ADDRESS_UPDATE, { customerId: node.id, addressId: current.id, address }))
        .customerAddressUpdate
    : (await client.request(CUSTOMER_ADDRESS_CREATE, { customerId: node.id, address })).customerAddressCreate;
  if (!written.address)
    throw new RecordError(
      `Shopify refused the customer's address: ${messages(written.userErrors) || "no reason given"}`,
    );
  return { ...node, defaultAddress: written.address };
}

/**
 * The Shopify customer that has this side's e-mail (else phone) exactly and the same names, and
 * that no back-office customer is linked to: a create of ours whose answer was lost, or the same
 * person. Null for anyone else.
 */
async function sameUnlinkedCustomer(
  ctx: SyncContext<CustomerFilters>,
  client: AdminClient,
  side: ShopifySide,
): Promise<CustomerNode | null> {
  const term = side.email ? `email:"${side.email}"` : side.phone ? `phone:"${side.phone}"` : null;
  if (!term || /["\\]/.test(side.email ?? side.phone ?? "")) return null;
  const { customers } = await client.request(CUSTOMERS_PAGE, { first: 5, after: null, query: term });
  const found = customers.nodes.find((node) => sameCustomer(shopifySideOf(node).side, side));
  if (!found) return null;
  const linked = await ctx.db.shopifyCustomer.findFirst({
    where: { shopId: ctx.shop.id, shopifyId: numericId(found.id), customerNo: { not: null } },
  });
  return linked ? null : found;
}

/** Links the Shopify customer to the back-office customer, with Shopify's side as it is now (no echo). */
async function linkRow(
  ctx: SyncContext<CustomerFilters>,
  customerNo: string,
  node: CustomerNode,
  message: string | null,
): Promise<void> {
  const shopId = ctx.shop.id;
  const shopifyId = numericId(node.id);
  const { side } = shopifySideOf(node);
  const fields = {
    ...rowFieldsOf(node),
    customerNo,
    syncState: "linked",
    contentHash: sideHash(side),
    shopifyUpdatedAt: new Date(node.updatedAt),
    deletedAt: null,
  };
  const where = { shopId_shopifyId: { shopId, shopifyId } };
  const existing = await ctx.db.shopifyCustomer.findUnique({ where, select: { redactedAt: true } });
  if (existing?.redactedAt) {
    // Shopify asked us to erase this person: the link is kept, nothing personal is stored again.
    await ctx.db.shopifyCustomer.update({
      where,
      data: { customerNo, syncState: "linked", deletedAt: null },
    });
    return;
  }
  await ctx.db.shopifyCustomer.upsert({
    where,
    create: { id: randomUUID(), shopId, shopifyId, ...fields, message },
    update: { ...fields, ...(message ? { message } : {}) },
  });
}
