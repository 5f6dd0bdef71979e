import { randomUUID } from "node:crypto";
import type { Db, Tx } from "../db.server";
import type { Shop } from "../generated/prisma/client";
import { Prisma } from "../generated/prisma/client";
import { log } from "../log.server";
import { queuePrefix } from "../jobs/queues.server";
import { addDefaultSchedules, nextRun } from "../jobs/schedules.server";
import { isTimeZone } from "../admin/time-zone";
import { AdminClient } from "../shopify/admin-client.server";
import { SHOP_TIME_ZONE } from "./operations.server";

/**
 * A shop's life: install, uninstall, reinstall, and the privacy-law requests.
 */

export class UnknownShopError extends Error {
  constructor(domain: string) {
    super(`unknown shop ${domain}: it has never installed the app`);
  }
}

export async function findShop(db: Db | Tx, domain: string): Promise<Shop> {
  const shop = await db.shop.findUnique({ where: { domain } });
  if (!shop) throw new UnknownShopError(domain);
  return shop;
}

/**
 * The shop of an authenticated admin request. Remix runs a page's loaders in parallel, so a
 * page loader can see the new session before the layout's afterAuth has recorded the install;
 * a valid session means the shop is installed, so it is recorded here too (idempotently).
 */
export async function shopOfSession(db: Db, session: { shop: string; scope?: string }): Promise<Shop> {
  const shop = await db.shop.findUnique({ where: { domain: session.shop } });
  if (shop && !shop.uninstalledAt) return shop;
  return recordInstall(db, { domain: session.shop, scopes: session.scope ?? "" });
}

/**
 * After OAuth: the shop is installed (again). Settings and schedules kept from before return.
 * On the first install the shop gets its tasks' default schedules (the manifests' `schedule`:
 * the order sync every 15 minutes, so an order whose webhook never came is imported without
 * the merchant setting anything up, the product sync hourly); a reinstall adds those it lacks.
 * A merchant's change, or turning one off, is kept, across reinstalls too.
 */
export async function recordInstall(
  db: Db,
  input: {
    domain: string;
    scopes: string;
    /** Shopify's `shop { ianaTimezone }` when it was read (readShopTimeZone); else kept as it is. */
    ianaTimezone?: string | null;
  },
): Promise<Shop> {
  const zone =
    input.ianaTimezone && isTimeZone(input.ianaTimezone) ? { ianaTimezone: input.ianaTimezone } : {};
  return db.$transaction(async (tx) => {
    const shop = await tx.shop.upsert({
      where: { domain: input.domain },
      create: {
        id: randomUUID(),
        domain: input.domain,
        scopes: input.scopes,
        installedAt: new Date(),
        ...zone,
      },
      update: { scopes: input.scopes, uninstalledAt: null, installedAt: new Date(), ...zone },
    });
    await tx.shopSettings.upsert({ where: { shopId: shop.id }, create: { shopId: shop.id }, update: {} });
    await addDefaultSchedules(tx, { shopId: shop.id });
    log.info({ shop: shop.domain }, "shop installed");
    return shop;
  });
}

/**
 * The shop's time zone from Shopify (`shop { ianaTimezone }`), at install: one cheap query,
 * tried twice at most so that an install is not held up; null when Shopify does not answer or
 * names a zone this runtime does not know (the shop is then shown in UTC until shop/update
 * or the next install tells it).
 */
export async function readShopTimeZone(
  session: { shop: string; accessToken?: string },
  options: { fetch?: typeof fetch } = {},
): Promise<string | null> {
  if (!session.accessToken) return null;
  try {
    const client = new AdminClient({
      shop: session.shop,
      accessToken: session.accessToken,
      maxAttempts: 2,
      ...options,
    });
    const { shop } = await client.request(SHOP_TIME_ZONE, {});
    if (typeof shop.ianaTimezone === "string" && isTimeZone(shop.ianaTimezone)) return shop.ianaTimezone;
    log.warn({ shop: session.shop, ianaTimezone: shop.ianaTimezone }, "shop's time zone unknown here: UTC");
  } catch (error) {
    log.warn({ shop: session.shop, error: (error as Error).message }, "shop's time zone not read: UTC");
  }
  return null;
}

/**
 * Shops recorded before the app kept time zones (or whose install could not read it) are shown
 * in UTC until shop/update or a reinstall says their zone. When a worker process starts, it
 * asks Shopify once for each installed shop still without one (`shop { ianaTimezone }` with
 * the shop's offline token, as the install does), one shop after the other, in the background.
 * A zone recorded meanwhile (shop/update, an install) is kept. A shop Shopify does not answer
 * for stays in UTC until the next start. Its schedules keep their zone (UTC): they fire at the
 * instants they did, shown in shop time. Never throws: a lost database is only logged.
 */
export async function readMissingShopTimeZones(
  db: Db,
  options: { fetch?: typeof fetch } = {},
): Promise<{ asked: number; recorded: number }> {
  let asked = 0;
  let recorded = 0;
  try {
    const shops = await db.shop.findMany({
      where: { ianaTimezone: null, uninstalledAt: null },
      select: { id: true, domain: true },
      orderBy: { installedAt: "asc" },
    });
    for (const shop of shops) {
      const session = await db.session.findUnique({ where: { id: `offline_${shop.domain}` } });
      if (!session?.accessToken) continue;
      asked++;
      const ianaTimezone = await readShopTimeZone(
        { shop: shop.domain, accessToken: session.accessToken },
        options,
      );
      if (!ianaTimezone) continue;
      const { count } = await db.shop.updateMany({
        where: { id: shop.id, ianaTimezone: null },
        data: { ianaTimezone },
      });
      recorded += count;
    }
    if (asked > 0) log.info({ asked, recorded }, "time zones read for the shops recorded without one");
  } catch (error) {
    log.warn({ error: (error as Error).message }, "time zones of the shops without one not read");
  }
  return { asked, recorded };
}

/**
 * shop/update: the shop's time zone as the webhook states it (`iana_timezone`). A null or
 * unknown zone changes nothing (Shopify's own example payload has null): the zone we have stays.
 * The schedules saved in the shop's old zone move to the new one ("daily at 06:00" stays 06:00
 * shop time, next run recomputed); those in another zone (UTC, from before time zones) stay.
 */
export async function recordShopUpdate(tx: Tx, domain: string, ianaTimezone: string | null): Promise<void> {
  if (ianaTimezone === null) return;
  if (!isTimeZone(ianaTimezone)) {
    log.warn({ shop: domain, ianaTimezone }, "shop/update names a time zone unknown here: kept the old one");
    return;
  }
  const shop = await tx.shop.findUnique({ where: { domain } });
  if (!shop || shop.ianaTimezone === ianaTimezone) return;
  await tx.shop.update({ where: { id: shop.id }, data: { ianaTimezone } });
  if (shop.ianaTimezone === null) return;
  const moved = await tx.schedule.findMany({ where: { shopId: shop.id, timeZone: shop.ianaTimezone } });
  const now = new Date();
  for (const schedule of moved)
    await tx.schedule.update({
      where: { id: schedule.id },
      data: {
        timeZone: ianaTimezone,
        nextRunAt: schedule.enabled ? nextRun(schedule.cron, now, ianaTimezone) : null,
      },
    });
  log.info(
    { shop: domain, from: shop.ianaTimezone, to: ianaTimezone, schedules: moved.length },
    "shop's time zone changed",
  );
}

/**
 * app/uninstalled: the shop is marked uninstalled, its sessions are dropped, its waiting jobs
 * are cancelled and its schedules stop firing (they are kept for a reinstall).
 */
export async function recordUninstall(tx: Tx, domain: string): Promise<void> {
  await tx.session.deleteMany({ where: { shop: domain } });
  const shop = await tx.shop.findUnique({ where: { domain } });
  if (!shop) return;
  await tx.shop.update({ where: { id: shop.id }, data: { uninstalledAt: new Date() } });
  // Waiting jobs of the shop go; a job that is running finishes and finds the shop gone.
  const removed = await tx.$queryRaw<{ id: bigint }[]>`
    delete from graphile_worker._private_jobs j
     using graphile_worker._private_job_queues q
     where j.job_queue_id = q.id and q.queue_name like ${`${queuePrefix(domain)}%`}
       and j.locked_at is null
     returning j.id`;
  await tx.syncRun.updateMany({
    where: { shopId: shop.id, status: "queued" },
    data: { status: "cancelled", error: "the shop uninstalled the app", finishedAt: new Date() },
  });
  log.info({ shop: domain, cancelledJobs: removed.length }, "shop uninstalled");
}

export async function recordScopesUpdate(tx: Tx, domain: string, scopes: string[]): Promise<void> {
  const scope = scopes.join(",");
  await tx.shop.updateMany({ where: { domain }, data: { scopes: scope } });
  await tx.session.updateMany({ where: { shop: domain }, data: { scope } });
}

/**
 * shop/redact (48 hours after uninstall): every row the shop owns goes. Only the record of
 * this delivery stays (domain, topic, ids: no personal data), so a repeat is recognised.
 */
export async function redactShop(tx: Tx, domain: string, keepWebhookId: string): Promise<void> {
  await tx.session.deleteMany({ where: { shop: domain } });
  // Keyed by domain like sessions (the budget has no shop row behind it): its reservations go with it.
  await tx.shopApiBudget.deleteMany({ where: { shopDomain: domain } });
  await tx.webhookDelivery.updateMany({ where: { webhookId: keepWebhookId }, data: { shopId: null } });
  // Every shop-owned table references Shop with ON DELETE CASCADE.
  await tx.shop.deleteMany({ where: { domain } });
  await tx.webhookDelivery.deleteMany({ where: { shopDomain: domain, webhookId: { not: keepWebhookId } } });
  log.info({ shop: domain }, "shop redacted");
}

/** customers/redact: the customer's personal data is erased; ids stay so links do not break. */
export async function redactCustomer(
  tx: Tx,
  domain: string,
  request: { customerId: bigint; orderIds: bigint[] },
): Promise<number> {
  const shop = await tx.shop.findUnique({ where: { domain } });
  if (!shop) return 0;
  const erased = await tx.shopifyCustomer.updateMany({
    where: { shopId: shop.id, shopifyId: request.customerId },
    data: {
      email: null,
      phone: null,
      firstName: null,
      lastName: null,
      company: null,
      address1: null,
      address2: null,
      city: null,
      zip: null,
      province: null,
      countryCode: null,
      tags: [],
      // The sync's words may name the person ("linked by e-mail ..."), and the hash is of their data.
      message: null,
      contentHash: null,
      redactedAt: new Date(),
    },
  });
  // The same person as a company's contact (B2B).
  const contacts = await tx.shopifyCompanyContact.updateMany({
    where: { shopId: shop.id, customerShopifyId: request.customerId },
    data: { email: null, phone: null, firstName: null, lastName: null, title: null, redactedAt: new Date() },
  });
  await tx.dataRequest.deleteMany({ where: { shopId: shop.id, shopifyCustomerId: request.customerId } });
  log.info({ shop: domain, erased: erased.count, contacts: contacts.count }, "customer redacted");
  return erased.count + contacts.count;
}

/**
 * customers/data_request: what we hold about the customer is compiled and kept for the
 * merchant, who answers the customer.
 */
export async function recordDataRequest(
  tx: Tx,
  domain: string,
  request: { requestId: bigint; customerId: bigint },
): Promise<void> {
  const shop = await tx.shop.findUnique({ where: { domain } });
  if (!shop) return;
  const customers = await tx.shopifyCustomer.findMany({
    where: { shopId: shop.id, shopifyId: request.customerId },
    omit: { id: true, shopId: true },
  });
  const companyContacts = await tx.shopifyCompanyContact.findMany({
    where: { shopId: shop.id, customerShopifyId: request.customerId },
    omit: { id: true, shopId: true },
  });
  const data = JSON.parse(
    JSON.stringify({ customers, companyContacts }, (_key, value: unknown) =>
      typeof value === "bigint" ? value.toString() : value,
    ),
  ) as Prisma.InputJsonValue;
  await tx.dataRequest.upsert({
    where: { shopId_requestId: { shopId: shop.id, requestId: request.requestId } },
    create: {
      id: randomUUID(),
      shopId: shop.id,
      requestId: request.requestId,
      shopifyCustomerId: request.customerId,
      data,
    },
    update: { data },
  });
}
