import type { Db } from "../../db.server";
import type { ShopSettings } from "../../generated/prisma/client";
import type { SyncContext } from "../../jobs/sync-task.server";
import type { AdminClient } from "../../shopify/admin-client.server";
import { bulkRecords, runBulkQuery } from "../../shopify/bulk.server";
import { gid, numericId } from "../../shopify/ids.server";
import type { DataOf } from "../../shopify/operation.server";
import { CountedPages, ReadWindow } from "../kit/incremental.server";
import { RecordLoop } from "../kit/records.server";
import { processOrdersOfCompanies } from "../orders/company-orders.server";
import { filtered, searchOf, type CompanyFilters } from "./filters.server";
import { applyCompany, isAsApplied, markCompanyFailed, type LinkRun } from "./link.server";
import {
  COMPANIES_BULK,
  COMPANIES_COUNT,
  COMPANIES_EXIST,
  COMPANY_STAMPS,
  LOCATION_STAMPS,
  STAMPS_PER_PAGE,
  type CompanyStamp,
} from "./operations.server";
import { companiesByIdInTurn, companiesFromRows, companyOfBulk, type CompanyRead } from "./read.server";
import { COMPANY_TASK } from "./records.server";

/**
 * From Shopify: companies with their locations and contacts become rows of the app
 * (ShopifyCompany, ShopifyCompanyLocation, ShopifyCompanyContact) linked to business customers
 * (link.server.ts says how), by the shop card's company import:
 *
 * - **none**: nothing is read.
 * - **all**: every company. The first run of all reads the whole list (one bulk query, streamed,
 *   for a store with more than `companyImport.bulkAbove` companies); later runs read what
 *   changed since the cursor (the sync kit's ReadWindow): the companies changed (stamps by
 *   `updated_at`, counted; `companiesCount` counts every company, an upper bound) and the
 *   companies whose locations changed (a location's address, tax settings or payment terms
 *   move its own update time, not its company's), whole only those not applied as Shopify has
 *   them.
 * - **with_orders**: only the companies the app knows (met on orders, stubs the order import
 *   made, or linked): the same changes by cursor, kept to those.
 *
 * Every run also reads by id the companies never read (the order import's stubs) and those in
 * error, and judges again, from their rows, the unmapped ones judged before the shop card last
 * changed (every unmapped one on a scheduled run: a customer made since may match). The first
 * scheduled run of a day checks that the companies the app knows still exist (1 point each),
 * and marks those Shopify deleted. The request page's filters read just the companies they match, whatever the
 * cursor says, and the cursor does not move.
 *
 * A company that fails is marked "error" with the message (on the Companies page) and is read
 * again by the next run; the others go on. Once companies are linked, the orders held for them
 * are processed again.
 */

export const companyImport = {
  /** More companies than this on a first run: one bulk query instead of pages. */
  bulkAbove: 250,
  /** Companies read by id (never read, or in error) in one run at most; the next run takes the rest. */
  byIdPerRun: 1000,
};

type Work = { company: CompanyRead; fromRows?: boolean };

interface ImportState {
  run: LinkRun;
  loop: RecordLoop<Work>;
  /** Companies handled in this run, not to be read twice. */
  handled: Set<bigint>;
  /** Companies linked to a customer in this run. */
  linked: Set<bigint>;
}

const label = (work: Work) => `${work.company.name} (${work.company.id})`;

function openImport(ctx: SyncContext<CompanyFilters>, settings: ShopSettings): ImportState {
  const run: LinkRun = { db: ctx.db, shopId: ctx.shop.id, settings };
  const handled = new Set<bigint>();
  const linked = new Set<bigint>();
  const loop = new RecordLoop<Work>(ctx, {
    label,
    handle: async (work) => {
      handled.add(work.company.id);
      if (!work.fromRows && (await asApplied(ctx.db, ctx.shop.id, settings, work.company)))
        return "unchanged";
      const applied = await applyCompany(run, work.company, { fromRows: work.fromRows });
      if (applied.linked) linked.add(work.company.id);
      return applied.result;
    },
    onFailure: (work, message) =>
      markCompanyFailed(ctx.db, ctx.shop.id, work.company, message).catch((error: unknown) => {
        ctx.log.warn(
          { company: label(work), error: String(error) },
          "the company's failure could not be recorded",
        );
      }),
  });
  return { run, loop, handled, linked };
}

/**
 * Whether the company was applied as Shopify has it now, and judged since the shop card last
 * changed: nothing to do (its update times are brought up to date, our own writes' among them).
 */
async function asApplied(
  db: Db,
  shopId: string,
  settings: ShopSettings,
  company: CompanyRead,
): Promise<boolean> {
  const row = await db.shopifyCompany.findUnique({
    where: { shopId_shopifyId: { shopId, shopifyId: company.id } },
  });
  if (!row || row.deletedAt || !isAsApplied(row, company)) return false;
  const settled =
    row.syncState === "linked" || (row.syncState === "unmapped" && row.updatedAt >= settings.updatedAt);
  if (!settled) return false;
  if (row.shopifyUpdatedAt?.getTime() !== company.updatedAt.getTime())
    await db.shopifyCompany.update({ where: { id: row.id }, data: { shopifyUpdatedAt: company.updatedAt } });
  for (const location of company.locations)
    await db.shopifyCompanyLocation.updateMany({
      where: { shopId, shopifyId: location.id, NOT: { shopifyUpdatedAt: location.updatedAt } },
      data: { shopifyUpdatedAt: location.updatedAt },
    });
  return true;
}

export async function importCompanies(
  ctx: SyncContext<CompanyFilters>,
  client: AdminClient,
  settings: ShopSettings,
): Promise<void> {
  if (settings.companyImport === "none") {
    ctx.log.info("the shop card imports no companies");
    return;
  }
  const state = openImport(ctx, settings);
  if (filtered(ctx.filters)) await importMatching(ctx, client, settings, state);
  else {
    const window = await ReadWindow.open(ctx.db, ctx.shop.id, COMPANY_TASK, ctx.run.trigger);
    if (window.since) await importChanged(ctx, client, settings, state, window);
    else if (settings.companyImport === "all") await importEverything(ctx, client, state, window);
    // With order import, the first run has nothing to catch up on: the known companies below.
    else await window.commit(window.startedAt);
    await importByIds(ctx, client, state, await dueByIds(ctx, state));
    await judgeAgain(ctx, settings, state);
    if (ctx.run.trigger === "schedule" && (await deletionsDue(ctx))) await verifyDeletions(ctx, client);
  }
  ctx.log.info({ ...state.loop.summary, failures: undefined }, "companies imported");
  await processHeldOrders(ctx, [...state.linked]);
}

/** The ids of the companies the app knows (with order import: the only ones it reads). */
async function knownIds(ctx: SyncContext<CompanyFilters>): Promise<Set<bigint>> {
  const rows = await ctx.db.shopifyCompany.findMany({
    where: { shopId: ctx.shop.id, deletedAt: null },
    select: { shopifyId: true },
  });
  return new Set(rows.map((row) => row.shopifyId));
}

/** Of these stamps, the companies to read whole: not applied at this update time, or in error, or never read. */
async function stampsToRead(
  ctx: SyncContext<CompanyFilters>,
  state: ImportState,
  stamps: CompanyStamp[],
  known: Set<bigint> | null,
): Promise<bigint[]> {
  const ids = stamps.map((stamp) => numericId(stamp.id)).filter((id) => !state.handled.has(id));
  const rows = await ctx.db.shopifyCompany.findMany({
    where: { shopId: ctx.shop.id, shopifyId: { in: ids } },
    select: { shopifyId: true, shopifyUpdatedAt: true, syncState: true, contentHash: true, deletedAt: true },
  });
  const byId = new Map(rows.map((row) => [row.shopifyId, row]));
  const read: bigint[] = [];
  let unchanged = 0;
  for (const stamp of stamps) {
    const id = numericId(stamp.id);
    if (state.handled.has(id) || (known && !known.has(id))) continue;
    const row = byId.get(id);
    if (
      row &&
      !row.deletedAt &&
      row.contentHash !== null &&
      row.syncState !== "error" &&
      row.shopifyUpdatedAt?.getTime() === new Date(stamp.updatedAt).getTime()
    )
      unchanged += 1;
    else read.push(id);
  }
  if (unchanged > 0) ctx.count("unchanged", unchanged);
  return read;
}

async function markDeleted(ctx: SyncContext<CompanyFilters>, ids: bigint[]): Promise<void> {
  if (ids.length === 0) return;
  const now = new Date();
  const where = { shopId: ctx.shop.id, deletedAt: null };
  const { count } = await ctx.db.shopifyCompany.updateMany({
    where: { ...where, shopifyId: { in: ids } },
    data: { deletedAt: now, message: "deleted in Shopify" },
  });
  await ctx.db.shopifyCompanyLocation.updateMany({
    where: { ...where, companyShopifyId: { in: ids } },
    data: { deletedAt: now },
  });
  await ctx.db.shopifyCompanyContact.updateMany({
    where: { ...where, companyShopifyId: { in: ids } },
    data: { deletedAt: now },
  });
  if (count > 0) ctx.count("deleted", count);
}

/** Whole companies by id through the record loop; those Shopify lacks are marked deleted. */
async function importByIds(
  ctx: SyncContext<CompanyFilters>,
  client: AdminClient,
  state: ImportState,
  ids: bigint[],
): Promise<void> {
  const todo = ids.filter((id) => !state.handled.has(id));
  if (todo.length === 0) return;
  for (const id of todo) state.handled.add(id);
  const works = async function* () {
    for await (const company of companiesByIdInTurn(client, todo, (missing) => markDeleted(ctx, missing)))
      yield { company };
  };
  await state.loop.each(works());
}

/** What changed since the window's cursor: companies, and companies whose locations changed. */
async function importChanged(
  ctx: SyncContext<CompanyFilters>,
  client: AdminClient,
  settings: ShopSettings,
  state: ImportState,
  window: ReadWindow,
): Promise<void> {
  const query = window.searchTerm("");
  const known = settings.companyImport === "all" ? null : await knownIds(ctx);
  if (known?.size === 0) {
    await window.commit(window.startedAt);
    return;
  }
  const pages = await CountedPages.start(async () => {
    const { companiesCount } = await client.request(COMPANIES_COUNT);
    return companiesCount ?? { count: 0, precision: "EXACT" };
  }, window);
  ctx.log.info({ query, atMost: pages.total, reconciling: window.reconciling }, "companies changed");
  let after: string | null = null;
  for (let more = pages.any; more;) {
    const page: DataOf<typeof COMPANY_STAMPS> = await client.request(COMPANY_STAMPS, {
      first: pages.pageSize(STAMPS_PER_PAGE),
      after,
      query,
    });
    const stamps = page.companies.nodes;
    await importByIds(ctx, client, state, await stampsToRead(ctx, state, stamps, known));
    pages.done += stamps.length;
    more = await pages.readOn(page.companies.pageInfo, stamps.length);
    after = page.companies.pageInfo.endCursor;
  }
  if (pages.any)
    await importByIds(ctx, client, state, await locationsChanged(ctx, client, state, query, known));
  await window.commit(new Date(Math.min(pages.readUpTo.getTime(), window.startedAt.getTime())));
}

/** The companies whose locations changed since the cursor and are not applied at that update time. */
async function locationsChanged(
  ctx: SyncContext<CompanyFilters>,
  client: AdminClient,
  state: ImportState,
  query: string,
  known: Set<bigint> | null,
): Promise<bigint[]> {
  const companies = new Set<bigint>();
  let after: string | null = null;
  // Small first: a run with little to read asks for little.
  for (let first = 50; ; first = STAMPS_PER_PAGE) {
    const page: DataOf<typeof LOCATION_STAMPS> = await client.request(LOCATION_STAMPS, {
      first,
      after,
      query,
    });
    const stamps = page.companyLocations.nodes;
    const rows = await ctx.db.shopifyCompanyLocation.findMany({
      where: { shopId: ctx.shop.id, shopifyId: { in: stamps.map((stamp) => numericId(stamp.id)) } },
      select: { shopifyId: true, shopifyUpdatedAt: true, deletedAt: true },
    });
    const byId = new Map(rows.map((row) => [row.shopifyId, row]));
    for (const stamp of stamps) {
      const company = numericId(stamp.company.id);
      if (state.handled.has(company) || (known && !known.has(company))) continue;
      const row = byId.get(numericId(stamp.id));
      if (row && !row.deletedAt && row.shopifyUpdatedAt?.getTime() === new Date(stamp.updatedAt).getTime())
        continue;
      companies.add(company);
    }
    if (!page.companyLocations.pageInfo.hasNextPage || stamps.length === 0) break;
    after = page.companyLocations.pageInfo.endCursor;
  }
  return [...companies];
}

/**
 * The first run of all (import "all"): every company, by one bulk query for a large store,
 * else by pages. The cursor is the time taken before the read.
 */
async function importEverything(
  ctx: SyncContext<CompanyFilters>,
  client: AdminClient,
  state: ImportState,
  window: ReadWindow,
): Promise<void> {
  const { companiesCount } = await client.request(COMPANIES_COUNT);
  const total = companiesCount?.count ?? 0;
  if (total > companyImport.bulkAbove) {
    ctx.log.info({ total }, "every company by bulk query");
    ctx.count("bulkQueries");
    const operation = await runBulkQuery(client, COMPANIES_BULK, { signal: ctx.signal });
    const all = Number(operation.rootObjectCount);
    let done = 0;
    for await (const record of bulkRecords(operation.url, { signal: ctx.signal })) {
      const company = companyOfBulk(record);
      state.handled.add(company.id);
      await state.loop.one({ company });
      done += 1;
      await ctx.progress(done, all);
    }
  } else if (total > 0) {
    let after: string | null = null;
    for (;;) {
      const page: DataOf<typeof COMPANY_STAMPS> = await client.request(COMPANY_STAMPS, {
        first: Math.max(1, Math.min(STAMPS_PER_PAGE, total)),
        after,
        query: null,
      });
      await importByIds(ctx, client, state, await stampsToRead(ctx, state, page.companies.nodes, null));
      if (!page.companies.pageInfo.hasNextPage || page.companies.nodes.length === 0) break;
      after = page.companies.pageInfo.endCursor;
    }
  }
  await window.commit(window.startedAt);
}

/** The request page's companies: those its filters match (of the known ones, with order import), read whole. */
async function importMatching(
  ctx: SyncContext<CompanyFilters>,
  client: AdminClient,
  settings: ShopSettings,
  state: ImportState,
): Promise<void> {
  const query = searchOf(ctx.filters);
  const known = settings.companyImport === "all" ? null : await knownIds(ctx);
  ctx.log.info({ query }, "companies matching the request page's filters");
  let after: string | null = null;
  for (;;) {
    const page: DataOf<typeof COMPANY_STAMPS> = await client.request(COMPANY_STAMPS, {
      first: STAMPS_PER_PAGE,
      after,
      query,
    });
    const ids = page.companies.nodes
      .map((stamp) => numericId(stamp.id))
      .filter((id) => !known || known.has(id));
    // Read again whatever their stamps say: the person asked for them.
    await ctx.db.shopifyCompany.updateMany({
      where: { shopId: ctx.shop.id, shopifyId: { in: ids } },
      data: { contentHash: null },
    });
    await importByIds(ctx, client, state, ids);
    if (!page.companies.pageInfo.hasNextPage || page.companies.nodes.length === 0) break;
    after = page.companies.pageInfo.endCursor;
  }
}

/** Companies to read by id: never read from Shopify (the order import's stubs), or in error. */
async function dueByIds(ctx: SyncContext<CompanyFilters>, state: ImportState): Promise<bigint[]> {
  const rows = await ctx.db.shopifyCompany.findMany({
    where: {
      shopId: ctx.shop.id,
      deletedAt: null,
      OR: [{ contentHash: null }, { syncState: "error" }],
      shopifyId: { notIn: [...state.handled] },
    },
    select: { shopifyId: true },
    orderBy: { shopifyId: "asc" },
    take: companyImport.byIdPerRun,
  });
  return rows.map((row) => row.shopifyId);
}

/**
 * Unmapped companies judged again from their rows (no Shopify read): those judged before the
 * shop card last changed, and on a scheduled run every one (a customer made since may match).
 */
async function judgeAgain(
  ctx: SyncContext<CompanyFilters>,
  settings: ShopSettings,
  state: ImportState,
): Promise<void> {
  const rows = await ctx.db.shopifyCompany.findMany({
    where: {
      shopId: ctx.shop.id,
      deletedAt: null,
      syncState: "unmapped",
      contentHash: { not: null },
      shopifyId: { notIn: [...state.handled] },
      ...(ctx.run.trigger === "schedule" ? {} : { updatedAt: { lt: settings.updatedAt } }),
    },
    select: { shopifyId: true },
    orderBy: { shopifyId: "asc" },
  });
  if (rows.length === 0) return;
  ctx.log.info({ companies: rows.length }, "unmapped companies judged again");
  for (let at = 0; at < rows.length; at += 100) {
    const ids = rows.slice(at, at + 100).map((row) => row.shopifyId);
    for (const company of await companiesFromRows(ctx.db, ctx.shop.id, ids)) {
      state.handled.add(company.id);
      await state.loop.one({ company, fromRows: true });
    }
  }
}

/** The cursor row of the last deletion check, and how often one is made. */
const DELETIONS_KEY = `${COMPANY_TASK}#deletions`;
const DELETIONS_EVERY_MS = 24 * 60 * 60_000;

/**
 * Whether a scheduled run checks deletions now: once a day (a point per known company), since
 * companies/delete rings a run anyway and the check is for what a webhook missed.
 */
async function deletionsDue(ctx: SyncContext<CompanyFilters>): Promise<boolean> {
  const last = await ctx.db.syncCursor.findUnique({
    where: { shopId_task: { shopId: ctx.shop.id, task: DELETIONS_KEY } },
  });
  return !last || Date.now() - last.cursor.getTime() >= DELETIONS_EVERY_MS;
}

/** Scheduled runs, once a day: the companies the app knows that Shopify no longer has are marked deleted. */
async function verifyDeletions(ctx: SyncContext<CompanyFilters>, client: AdminClient): Promise<void> {
  const checkedAt = new Date();
  const ids = [...(await knownIds(ctx))];
  const gone: bigint[] = [];
  for (let at = 0; at < ids.length; at += STAMPS_PER_PAGE) {
    const chunk = ids.slice(at, at + STAMPS_PER_PAGE);
    const { nodes } = await client.request(COMPANIES_EXIST, { ids: chunk.map((id) => gid("Company", id)) });
    nodes.forEach((node, index) => {
      if (!node?.id) gone.push(chunk[index]!);
    });
  }
  await markDeleted(ctx, gone);
  await ctx.db.syncCursor.upsert({
    where: { shopId_task: { shopId: ctx.shop.id, task: DELETIONS_KEY } },
    create: { shopId: ctx.shop.id, task: DELETIONS_KEY, cursor: checkedAt },
    update: { cursor: checkedAt },
  });
}

/** The orders held for the companies linked in this run are processed again (the order area's follow-up). */
async function processHeldOrders(ctx: SyncContext<CompanyFilters>, companyIds: bigint[]): Promise<void> {
  if (companyIds.length === 0) return;
  const { orders, followUp } = await processOrdersOfCompanies(ctx.db, ctx.shop.id, companyIds);
  if (orders.length === 0) return;
  ctx.count("heldOrdersReleased", orders.length);
  ctx.log.info(
    { orders: orders.map((order) => order.name), run: followUp?.runId },
    "orders held for the companies linked are processed again",
  );
}
