import { randomUUID } from "node:crypto";
import {
  createCustomer,
  createCustomers,
  findCustomer,
  findCustomerByAddress,
  phoneKeyOf,
  updateCustomer,
  type Customer,
} from "../../backoffice/backoffice.server";
import type { Db, Tx } from "../../db.server";
import type { Prisma, ShopSettings, ShopifyCustomer } from "../../generated/prisma/client";
import type { SyncContext } from "../../jobs/sync-task.server";
import type { AdminClient } from "../../shopify/admin-client.server";
import { bulkRecords, runBulkQuery, type BulkRecord } from "../../shopify/bulk.server";
import { gid, numericId } from "../../shopify/ids.server";
import type { DataOf } from "../../shopify/operation.server";
import { CountedPages, ReadWindow } from "../kit/incremental.server";
import { RecordLoop, type RecordResult } from "../kit/records.server";
import {
  backOfficeFields,
  shopifySideOf,
  sideHash,
  exportHash,
  rowFieldsOf,
  type AddressFrom,
  type ShopifySide,
} from "./content.server";
import { searchTermsOf, type CustomerFilters } from "./filters.server";
import {
  CUSTOMERS_BY_ID,
  CUSTOMERS_COUNT,
  CUSTOMERS_PAGE,
  CUSTOMERS_PER_PAGE,
  SYNC_CUSTOMERS_BULK,
  type AddressNode,
  type CustomerNode,
} from "./operations.server";
import { CUSTOMER_TASK, markImported } from "./records.server";
import { findPersonCustomer, personMatcher } from "./match.server";
import { templateFor, withCustomerLock } from "./rules.server";

/**
 * From Shopify: customers become back-office customers, by the shop card's rules.
 *
 * - **Which customers a run reads**: what changed since the cursor (the sync kit's ReadWindow
 *   and CountedPages, `updated_at:>'…'` sorted by UPDATED_AT); the first run of all, when the
 *   store has more than `customerImport.bulkAbove` customers, reads them all by one bulk query,
 *   streamed. The request page's filters (changed since, e-mail, tag) read just those and leave
 *   the cursor. Customers in error are read again by id every run.
 * - **What becomes of one** (`importOne`): the same customer read again (our own write coming
 *   back, a reconcile) is unchanged and writes nothing. A linked customer updates its back-office
 *   customer only when Shopify updates the back office (shop card). With "all customers", an
 *   unlinked one is matched by the shop's strategy — by e-mail (exact, any case) or phone (its
 *   digits), never by a partial hit; by bill-to address — or created (when the shop card creates
 *   customers) from its default address, else its first address, else without one, saying
 *   which; else it is unmapped, with the reason, on the Customers page. With "with order import"
 *   only linked customers are followed: the others are met with their orders (and not stored).
 * - A customer that fails is marked "error" with the message; the others go on.
 */

export const customerImport = {
  /** More customers than this on the first run of all: one bulk query instead of pages. */
  bulkAbove: 1000,
  /** Customers written in one transaction. */
  batch: 25,
  /**
   * Batches written at the same time on a bulk read. One: each holds the shop's customer lock
   * (withCustomerLock) while it writes, so a second would only wait, holding its customers in
   * memory (20,000 customers: 47 s at 254 MB with one, 50 s at 297–306 MB with two).
   */
  concurrency: 1,
};

interface ImportRun {
  db: Db;
  shopId: string;
  settings: ShopSettings;
}

type Read = { node: CustomerNode };

/** The customer the shop's strategy finds for Shopify's side, and how, in words. */
async function findMatch(
  tx: Tx,
  run: ImportRun,
  side: ShopifySide,
): Promise<{ customerNo: string; how: string } | null> {
  const byAddress = async () => {
    const address = side.address;
    if (!address?.address1) return null;
    const found = await findCustomerByAddress(tx, run.shopId, {
      name: backOfficeFields(side, run.settings.customerNameFrom, 0n).name,
      address1: address.address1,
      zip: address.zip ?? "",
      city: address.city ?? "",
      countryCode: address.countryCode ?? "",
    });
    return found ? { customerNo: found.no, how: "linked by its address" } : null;
  };
  const byEmailOrPhone = async () => {
    if (!side.email && !side.phone) return null;
    const found = await findPersonCustomer(tx, run.shopId, { email: side.email, phone: side.phone });
    if (!found) return null;
    return {
      customerNo: found.customer.no,
      how: found.by === "email" ? `linked by e-mail ${side.email}` : `linked by phone ${side.phone}`,
    };
  };
  if (run.settings.customerMapping === "bill_to") return (await byAddress()) ?? (await byEmailOrPhone());
  // Never a second customer for an e-mail or phone the back office has, whatever the strategy.
  return byEmailOrPhone();
}

const ADDRESS_WORDS: Record<AddressFrom, string> = {
  default: "from its default address",
  any: "from its only address on file (it has no default address)",
  none: "without an address (it has none in Shopify)",
};

/** What the export would send of the back-office customer now: recorded as Shopify's (no echo). */
async function recordShopifyHas(
  tx: Tx,
  run: ImportRun,
  customerNo: string,
  node: CustomerNode,
  side: ShopifySide,
  matched = false,
) {
  const customer = await findCustomer(tx, run.shopId, customerNo);
  if (!customer) return;
  await markImported(tx, run.shopId, customerNo, node.id, sentHashOf(run, customer, side, matched));
}

/**
 * What the export is to take as sent of a customer the import just linked: what it would send
 * now (Shopify has it: no echo), unless the back office is the master of customers and the link
 * was found, not made: then nothing, so that the export sends what of the back office's card
 * differs from Shopify's (only that; nothing when they agree).
 */
function sentHashOf(run: ImportRun, customer: Customer, side: ShopifySide, matched: boolean): string | null {
  if (matched && run.settings.customerUpdates === "to_shopify") return null;
  return exportHash(customer, run.settings.customerNameFrom, side);
}

/**
 * Imports these customers in the caller's transaction, as importOne would one by one, in a
 * handful of statements for those the app meets for the first time (a first import): their
 * matches looked up together (by e-mail and phone), the customers to create made together, their
 * rows and export records written together. Customers the app knows already, those the
 * bill-to strategy matches, and any whose e-mail or phone another of the batch shares go through
 * importOne after them.
 */
async function importMany(tx: Tx, run: ImportRun, nodes: CustomerNode[]): Promise<RecordResult[]> {
  const { shopId, settings } = run;
  const results: (RecordResult | undefined)[] = nodes.map(() => undefined);
  const known = new Set(
    (
      await tx.shopifyCustomer.findMany({
        where: { shopId, shopifyId: { in: nodes.map((node) => numericId(node.id)) } },
        select: { shopifyId: true },
      })
    ).map((row) => row.shopifyId),
  );
  const one: number[] = [];
  const fresh: { index: number; node: CustomerNode; read: ReturnType<typeof shopifySideOf> }[] = [];
  const seen = new Set<string>();
  for (const [index, node] of nodes.entries()) {
    const read = shopifySideOf(node);
    const keys = [read.side.email?.toLowerCase(), phoneKeyOf(read.side.phone)].filter(Boolean) as string[];
    if (
      known.has(numericId(node.id)) ||
      settings.customerImport !== "all" ||
      settings.customerMapping === "bill_to" ||
      keys.some((key) => seen.has(key))
    )
      one.push(index);
    else fresh.push({ index, node, read });
    for (const key of keys) seen.add(key);
  }
  const personOf = await personMatcher(
    tx,
    shopId,
    fresh.map(({ read }) => read.side),
  );
  const rows: Prisma.ShopifyCustomerCreateManyInput[] = [];
  const linked: { customer: Customer; node: CustomerNode; side: ShopifySide; matched: boolean }[] = [];
  const toCreate: typeof fresh = [];
  for (const entry of fresh) {
    const { node, read } = entry;
    const { side } = read;
    const row = {
      id: randomUUID(),
      shopId,
      shopifyId: numericId(node.id),
      ...rowFieldsOf(node),
      contentHash: sideHash(side),
      shopifyUpdatedAt: new Date(node.updatedAt),
    };
    const found = personOf(side);
    if (found) {
      rows.push({
        ...row,
        customerNo: found.customer.no,
        syncState: "linked",
        message: found.by === "email" ? `linked by e-mail ${side.email}` : `linked by phone ${side.phone}`,
      });
      linked.push({ customer: found.customer, node, side, matched: true });
      results[entry.index] = { outcome: "sent", count: "linked" };
    } else if (!settings.customerAutoCreate) {
      const who =
        side.email ?? side.phone ?? backOfficeFields(side, settings.customerNameFrom, row.shopifyId).name;
      rows.push({
        ...row,
        syncState: "unmapped",
        message: `no back-office customer for ${who}, and the shop card does not create customers`,
      });
      results[entry.index] = { outcome: "skipped", count: "unmapped" };
    } else toCreate.push(entry);
  }
  const created = await createCustomers(
    tx,
    shopId,
    toCreate.map(({ node, read }) => {
      const fields = backOfficeFields(read.side, settings.customerNameFrom, numericId(node.id));
      return { ...fields, templateNo: templateFor(settings, fields.countryCode) ?? undefined };
    }),
  );
  for (const [i, { index, node, read }] of toCreate.entries()) {
    const customer = created[i]!;
    rows.push({
      id: randomUUID(),
      shopId,
      shopifyId: numericId(node.id),
      ...rowFieldsOf(node),
      contentHash: sideHash(read.side),
      shopifyUpdatedAt: new Date(node.updatedAt),
      customerNo: customer.no,
      syncState: "linked",
      message: `created ${ADDRESS_WORDS[read.addressFrom]}`,
    });
    linked.push({ customer, node, side: read.side, matched: false });
    results[index] = { outcome: "sent", count: "created" };
  }
  if (rows.length > 0) await tx.shopifyCustomer.createMany({ data: rows });
  if (linked.length > 0) {
    const keys = linked.map(({ customer }) => customer.no);
    await tx.$executeRaw`
      insert into "SyncRecord" (id, "shopId", task, "recordKey", state, "shopifyId", "sentHash", "changedAt", "updatedAt")
      select gen_random_uuid(), ${shopId}::uuid, ${CUSTOMER_TASK}, k.key,
             case when k.hash is null then 'pending' else 'synced' end, k.gid, k.hash, now(), now()
        from unnest(${keys}::text[], ${linked.map(({ node }) => node.id)}::text[],
                    ${linked.map(({ customer, side, matched }) => sentHashOf(run, customer, side, matched))}::text[]) as k(key, gid, hash)
      on conflict ("shopId", task, "recordKey")
      do update set "shopifyId" = excluded."shopifyId", "sentHash" = excluded."sentHash",
                    state = excluded.state, "updatedAt" = now()`;
  }
  for (const index of one) results[index] = await importOne(tx, run, nodes[index]!);
  return results.map((result) => result!);
}

/** Imports one Shopify customer (see above). */
async function importOne(tx: Tx, run: ImportRun, node: CustomerNode): Promise<RecordResult> {
  const { shopId, settings } = run;
  const shopifyId = numericId(node.id);
  const { side, addressFrom } = shopifySideOf(node);
  const hash = sideHash(side);
  const where = { shopId_shopifyId: { shopId, shopifyId } };
  const row = await tx.shopifyCustomer.findUnique({ where });
  if (row?.redactedAt) return { outcome: "skipped", count: "redacted" };
  const shopifyUpdatedAt = new Date(node.updatedAt);
  if (row && row.contentHash === hash && row.deletedAt === null && settled(row, settings))
    return { outcome: "unchanged" };
  const save = (data: Partial<ShopifyCustomer>) =>
    tx.shopifyCustomer.upsert({
      where,
      create: {
        id: randomUUID(),
        shopId,
        shopifyId,
        ...rowFieldsOf(node),
        contentHash: hash,
        shopifyUpdatedAt,
        ...data,
      },
      update: {
        ...rowFieldsOf(node),
        contentHash: hash,
        shopifyUpdatedAt,
        deletedAt: null,
        ...data,
      },
    });
  const linkedTo = row?.customerNo ? await findCustomer(tx, shopId, row.customerNo) : null;
  if (linkedTo) {
    if (settings.customerUpdates !== "from_shopify") {
      await save({ syncState: "linked" });
      return { outcome: "unchanged", count: "notUpdated" };
    }
    const before = linkedTo.updatedAt.getTime();
    const after = await updateCustomer(
      tx,
      shopId,
      linkedTo.no,
      backOfficeFields(side, settings.customerNameFrom, shopifyId),
    );
    await save({ syncState: "linked" });
    await recordShopifyHas(tx, run, linkedTo.no, node, side);
    return after.updatedAt.getTime() === before
      ? { outcome: "unchanged" }
      : { outcome: "sent", count: "updated" };
  }
  if (settings.customerImport !== "all") {
    // Met only with its orders: a row an order made is kept up to date, no other is stored.
    if (row) await save({});
    return { outcome: "skipped", count: "notImported" };
  }
  const match = await findMatch(tx, run, side);
  if (match) {
    await save({ customerNo: match.customerNo, syncState: "linked", message: match.how });
    await recordShopifyHas(tx, run, match.customerNo, node, side, true);
    return { outcome: "sent", count: "linked" };
  }
  if (!settings.customerAutoCreate) {
    const who = side.email ?? side.phone ?? backOfficeFields(side, settings.customerNameFrom, shopifyId).name;
    await save({
      customerNo: null,
      syncState: "unmapped",
      message: `no back-office customer for ${who}, and the shop card does not create customers`,
    });
    return { outcome: "skipped", count: "unmapped" };
  }
  const fields = backOfficeFields(side, settings.customerNameFrom, shopifyId);
  const created = await createCustomer(tx, shopId, {
    ...fields,
    templateNo: templateFor(settings, fields.countryCode) ?? undefined,
  });
  await save({
    customerNo: created.no,
    syncState: "linked",
    message: `created ${ADDRESS_WORDS[addressFrom]}`,
  });
  await recordShopifyHas(tx, run, created.no, node, side);
  return { outcome: "sent", count: "created" };
}

/** A row read as it is now needs nothing more: linked, or unmapped under the shop card of then. */
function settled(row: ShopifyCustomer, settings: ShopSettings): boolean {
  if (row.syncState === "linked") return row.customerNo !== null;
  if (row.syncState === "unmapped") return row.updatedAt >= settings.updatedAt;
  return row.syncState === "" && settings.customerImport !== "all";
}

/**
 * The customer's row in error, with the message (on the Customers page, read again by id next
 * run). A customer the app did not know yet gets its row, so that the failure shows.
 */
async function markFailed(db: Db, shopId: string, node: CustomerNode, message: string): Promise<void> {
  const shopifyId = numericId(node.id);
  // Postgres refuses NUL in text: Shopify's message or a field may hold one.
  message = message.replaceAll("\u0000", "");
  const { count } = await db.shopifyCustomer.updateMany({
    where: { shopId, shopifyId, redactedAt: null },
    data: { syncState: "error", message, contentHash: null },
  });
  if (count === 0)
    await db.shopifyCustomer.createMany({
      data: [
        {
          id: randomUUID(),
          shopId,
          shopifyId,
          ...withoutNul(rowFieldsOf(node)),
          syncState: "error",
          message,
        },
      ],
      skipDuplicates: true,
    });
}

function customerLoop(ctx: SyncContext<CustomerFilters>, run: ImportRun): RecordLoop<Read> {
  return new RecordLoop<Read>(ctx, {
    label: ({ node }) =>
      `${node.email ?? node.phone ?? [node.firstName, node.lastName].filter(Boolean).join(" ")} (${numericId(node.id)})`,
    // Under the shop's customer lock (see withCustomerLock), which order processing takes too.
    handle: ({ node }) => withCustomerLock(run.db, run.shopId, (tx) => importOne(tx, run, node)),
    handleMany: (reads) =>
      withCustomerLock(run.db, run.shopId, (tx) =>
        importMany(
          tx,
          run,
          reads.map(({ node }) => node),
        ),
      ),
    // A failure that cannot be written fails the run (its cursor stays): never a silent loss.
    onFailure: ({ node }, message) => markFailed(run.db, run.shopId, node, message),
  });
}

/** Customers of these pages, CUSTOMERS_PER_PAGE at a time, each batch in one transaction. */
async function importPages(
  ctx: SyncContext<CustomerFilters>,
  client: AdminClient,
  loop: RecordLoop<Read>,
  query: string,
  window: { startedAt: Date },
): Promise<CountedPages> {
  const pages = await CountedPages.start(
    async () => (await client.request(CUSTOMERS_COUNT, { query })).customersCount,
    window,
  );
  ctx.log.info({ query, total: pages.total }, "customers to import");
  let after: string | null = null;
  for (let more = pages.any; more;) {
    const page: DataOf<typeof CUSTOMERS_PAGE> = await client.request(CUSTOMERS_PAGE, {
      first: pages.pageSize(CUSTOMERS_PER_PAGE),
      after,
      query,
    });
    const nodes = page.customers.nodes;
    for (let i = 0; i < nodes.length; i += customerImport.batch)
      await loop.batch(nodes.slice(i, i + customerImport.batch).map((node) => ({ node })));
    pages.done += nodes.length;
    more = await pages.readOn(page.customers.pageInfo, nodes.length);
    after = page.customers.pageInfo.endCursor;
    await ctx.progress(Math.min(pages.done, pages.total), Math.max(pages.total, pages.done));
  }
  return pages;
}

/** A bulk line of a customer and its first address (a child line) as the pages read it. */
function nodeOfBulk(record: BulkRecord): CustomerNode {
  const node = record.node as unknown as Omit<CustomerNode, "addressesV2">;
  // A customer's addresses are MailingAddress objects (gid://shopify/MailingAddress/1?model_name=CustomerAddress).
  const addresses = (record.children.get("MailingAddress") ?? []) as unknown as AddressNode[];
  return { ...node, tags: node.tags ?? [], addressesV2: { nodes: addresses.slice(0, 1) } };
}

/** Every customer by one bulk query, a few batches written at a time. */
async function importByBulk(
  ctx: SyncContext<CustomerFilters>,
  client: AdminClient,
  loop: RecordLoop<Read>,
): Promise<void> {
  ctx.log.info("every customer by bulk query");
  const operation = await runBulkQuery(client, SYNC_CUSTOMERS_BULK, { signal: ctx.signal });
  ctx.count("bulkQueries");
  const total = Number(operation.rootObjectCount);
  const inFlight = new Set<Promise<void>>();
  let done = 0;
  let stop: { error: unknown } | null = null;
  const start = (reads: Read[]) => {
    const writing: Promise<void> = loop
      .batch(reads)
      .then(async () => {
        done += reads.length;
        await ctx.progress(done, total);
      })
      .catch((error: unknown) => {
        stop ??= { error };
      })
      .finally(() => inFlight.delete(writing));
    inFlight.add(writing);
  };
  let batch: Read[] = [];
  for await (const record of bulkRecords(operation.url, { signal: ctx.signal })) {
    batch.push({ node: nodeOfBulk(record) });
    if (batch.length < customerImport.batch) continue;
    start(batch);
    batch = [];
    if (inFlight.size >= customerImport.concurrency) await Promise.race(inFlight);
    if (stop) break;
  }
  if (!stop && batch.length > 0) start(batch);
  await Promise.all(inFlight);
  if (stop) throw (stop as { error: unknown }).error;
}

/** Customers in error, read again by id (those Shopify no longer has are marked deleted). */
async function retryFailed(ctx: SyncContext<CustomerFilters>, client: AdminClient, loop: RecordLoop<Read>) {
  const rows = await ctx.db.shopifyCustomer.findMany({
    where: { shopId: ctx.shop.id, syncState: "error", deletedAt: null, redactedAt: null },
    select: { shopifyId: true },
    orderBy: { shopifyId: "asc" },
    take: 500,
  });
  for (let i = 0; i < rows.length; i += CUSTOMERS_PER_PAGE) {
    const ids = rows.slice(i, i + CUSTOMERS_PER_PAGE).map((row) => gid("Customer", row.shopifyId));
    const { nodes } = await client.request(CUSTOMERS_BY_ID, { ids });
    const gone = ids.filter((_, index) => !nodes[index]?.id);
    if (gone.length > 0) {
      await ctx.db.shopifyCustomer.updateMany({
        where: { shopId: ctx.shop.id, shopifyId: { in: gone.map(numericId) } },
        data: { deletedAt: new Date(), syncState: "skipped", message: "deleted in Shopify" },
      });
      ctx.count("deleted", gone.length);
    }
    await loop.batch(
      nodes.filter((node): node is CustomerNode => Boolean(node?.id)).map((node) => ({ node })),
    );
  }
}

export async function importCustomers(
  ctx: SyncContext<CustomerFilters>,
  client: AdminClient,
  settings: ShopSettings,
): Promise<void> {
  const run: ImportRun = { db: ctx.db, shopId: ctx.shop.id, settings };
  const loop = customerLoop(ctx, run);
  const terms = searchTermsOf(ctx.filters);
  if (terms.length > 0) {
    await importPages(ctx, client, loop, terms.join(" "), { startedAt: new Date() });
    return;
  }
  const window = await ReadWindow.open(ctx.db, ctx.shop.id, CUSTOMER_TASK, ctx.run.trigger);
  if (!window.since && settings.customerImport === "all") {
    const { customersCount } = await client.request(CUSTOMERS_COUNT, { query: "" });
    if (customersCount.count > customerImport.bulkAbove || customersCount.precision !== "EXACT") {
      await importByBulk(ctx, client, loop);
      await window.commit(window.startedAt);
      await retryFailed(ctx, client, loop);
      return;
    }
  }
  const pages = await importPages(ctx, client, loop, window.searchTerm(""), window);
  await window.commit(pages.readUpTo);
  await retryFailed(ctx, client, loop);
}

/** A record's text fields without NUL characters (which Postgres refuses). */
function withoutNul<T extends Record<string, unknown>>(record: T): T {
  const clean = (value: unknown): unknown =>
    typeof value === "string"
      ? value.replaceAll("\u0000", "")
      : Array.isArray(value)
        ? value.map(clean)
        : value;
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, clean(value)])) as T;
}
