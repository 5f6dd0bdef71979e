import { randomUUID } from "node:crypto";
import type { Db, Tx } from "../../db.server";
import type {
  Shop,
  ShopSettings,
  ShopifyCompany,
  ShopifyCompanyLocation,
  ShopifyOrder,
} from "../../generated/prisma/client";
import { enqueueSync } from "../../jobs/enqueue.server";
import { numericId } from "../../shopify/ids.server";
import { MappingError } from "../kit/mapping.server";
import type { B2bRead } from "./stage.server";

/**
 * B2B orders: an order a company placed for one of its locations (Order.purchasingEntity is a
 * PurchasingCompany) goes to the business customer the location maps to, as the companies sync
 * (`sync_companies`) or a person linked it on ShopifyCompanyLocation and ShopifyCompany. The
 * import records the company and location it meets (a stub when the app has no row for them
 * yet, which the companies sync reads by id and links); processing maps the order through them
 * before any customer mapping, and holds the order while they are not linked, as an unmapped
 * customer holds its order.
 */

export const COMPANIES_TASK = "sync_companies";
const NOT_READ = "not read from Shopify yet";

/**
 * Rows for the order's company and location when the app has none: unmapped stubs with
 * Shopify's names, for the companies sync to read and link. A row that exists is left as it is
 * (the companies sync or a person owns it), but for a name still empty.
 */
export async function recordOrderCompany(tx: Tx, shopId: string, b2b: B2bRead): Promise<void> {
  const companyId = numericId(b2b.company.id);
  const locationId = numericId(b2b.location.id);
  await tx.shopifyCompany.createMany({
    data: [
      {
        id: randomUUID(),
        shopId,
        shopifyId: companyId,
        name: b2b.company.name,
        syncState: "unmapped",
        message: NOT_READ,
      },
    ],
    skipDuplicates: true,
  });
  await tx.shopifyCompanyLocation.createMany({
    data: [
      {
        id: randomUUID(),
        shopId,
        shopifyId: locationId,
        companyShopifyId: companyId,
        name: b2b.location.name,
        syncState: "unmapped",
      },
    ],
    skipDuplicates: true,
  });
  if (b2b.company.name)
    await tx.shopifyCompany.updateMany({
      where: { shopId, shopifyId: companyId, name: "" },
      data: { name: b2b.company.name },
    });
  if (b2b.location.name)
    await tx.shopifyCompanyLocation.updateMany({
      where: { shopId, shopifyId: locationId, name: "" },
      data: { name: b2b.location.name },
    });
}

/** The back-office customer of a B2B order, and the ship-to address of it the location is. */
export interface CompanyMatch {
  customerNo: string;
  /** The customer's ship-to address the order goes to; null: the order's own shipping address. */
  shipToCode: string | null;
  /** How it was found, in words (kept on the order as customerFoundBy). */
  how: string;
}

/** What one processing run remembers between its orders: whether it queued the companies sync. */
export interface CompanyRun {
  companiesQueued: boolean;
}

const nameOf = (
  company: ShopifyCompany | null,
  location: ShopifyCompanyLocation | null,
  order: ShopifyOrder,
) => ({
  company: company?.name || `Shopify company ${company?.shopifyId ?? order.companyShopifyId}`,
  location: location?.name || `Shopify company location ${order.companyLocationShopifyId}`,
});

/**
 * The business customer of an order placed for a company location, or null for any other
 * order (it goes through the customer mapping). The location's own link comes first: its
 * customer, and the ship-to address of it the location is, when it is one. A location without
 * a customer and without a ship-to address goes to its company's customer, shipped to the
 * order's address, unless the shop card makes locations customers of their own: then it is not
 * linked yet, and the order waits. Otherwise the order waits (MappingError "company"), and the companies sync
 * is queued for the shop to read and link the company, unless the shop imports no companies.
 */
export async function mapCompany(
  db: Db | Tx,
  settings: ShopSettings,
  shop: Shop,
  order: ShopifyOrder,
  run: CompanyRun,
): Promise<CompanyMatch | null> {
  if (order.companyLocationShopifyId === null) return null;
  const location = await db.shopifyCompanyLocation.findUnique({
    where: { shopId_shopifyId: { shopId: order.shopId, shopifyId: order.companyLocationShopifyId } },
  });
  const companyId = location?.companyShopifyId ?? order.companyShopifyId;
  const company =
    companyId === null
      ? null
      : await db.shopifyCompany.findUnique({
          where: { shopId_shopifyId: { shopId: order.shopId, shopifyId: companyId } },
        });
  const names = nameOf(company, location, order);
  if (location?.customerNo)
    return {
      customerNo: location.customerNo,
      shipToCode: location.shipToCode,
      how: `the business customer of company location ${names.location} (${names.company})`,
    };
  // With locations as customers of their own, a location without one is not linked yet: billing
  // its company's customer would bill the wrong customer for good.
  const ownCustomers = settings.companyLocationsAs === "customer";
  if (company?.customerNo && !location?.shipToCode && !ownCustomers)
    return {
      customerNo: company.customerNo,
      shipToCode: null,
      how: `the business customer of company ${names.company} (location ${names.location} has none of its own)`,
    };
  await queueCompanyImport(db, settings, shop, company, location, run);
  if (company?.customerNo && ownCustomers)
    throw new MappingError(
      "company",
      `company location ${names.location} (${names.company}) is not mapped to a business customer of its own yet (the shop card makes each company location a customer)`,
    );
  throw new MappingError(
    "company",
    `company ${names.company} (location ${names.location}) is not mapped to a business customer yet`,
  );
}

/**
 * Queues the companies sync for the shop (one waiting run at most), so that it reads the
 * company and location and links them, when the shop imports companies, the task exists, and
 * they have not been read from Shopify yet: once read and still unlinked, another run would
 * find what the last one did, and a person links them on the Unmapped companies list (which
 * processes the order). Once per processing run.
 */
async function queueCompanyImport(
  db: Db | Tx,
  settings: ShopSettings,
  shop: Shop,
  company: ShopifyCompany | null,
  location: ShopifyCompanyLocation | null,
  run: CompanyRun,
): Promise<void> {
  if (run.companiesQueued || settings.companyImport === "none") return;
  if (company?.shopifyUpdatedAt && location?.shopifyUpdatedAt) return;
  // Looked up when needed, not imported: the task list imports the order area (and will the
  // companies area, which calls this area back).
  const { findSyncTask } = await import("../index.server");
  const task = findSyncTask(COMPANIES_TASK);
  if (!task) return;
  await enqueueSync(db, task, { shop: shop.domain, trigger: "back_office", jobKey: true });
  run.companiesQueued = true;
}
