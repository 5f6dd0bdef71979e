import { randomUUID } from "node:crypto";
import type { Db, Tx } from "../../db.server";
import { createCustomer, findCustomer, findCustomerByAddress } from "../../backoffice/backoffice.server";
import type { ShopSettings, ShopifyOrder } from "../../generated/prisma/client";
import { MappingError } from "../kit/mapping.server";
import { exportHash, sideOfRow } from "./content.server";
import { findPersonCustomer } from "./match.server";
import { markImportedIfNew } from "./records.server";
import { composeName, defaultCustomerFor, templateFor, withCustomerLock } from "./rules.server";
import { gid } from "../../shopify/ids.server";

/**
 * Maps a staged order's Shopify customer to a back-office customer with the strategy the
 * merchant chose, and remembers the link (ShopifyCustomer). A customer that cannot be mapped is
 * reported, never guessed. Owned by the customer sync's area: the order processing uses it
 * today, "Sync customers" will too.
 */

interface Address {
  name?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  company?: string | null;
  address1?: string | null;
  city?: string | null;
  zip?: string | null;
  countryCodeV2?: string | null;
  phone?: string | null;
}

/** The new customer's name by the shop card's rule, else what the address or order has. */
function nameOf(settings: ShopSettings, address: Address | null, order: ShopifyOrder): string {
  return (
    composeName(settings.customerNameFrom, address ?? {}) ||
    addressName(address) ||
    order.email ||
    order.name
  ).trim();
}

/** The name an address carries itself: company, name, or first and last name. */
function addressName(address: Address | null): string {
  return (
    address?.company ||
    address?.name ||
    [address?.firstName, address?.lastName].filter(Boolean).join(" ") ||
    ""
  ).trim();
}

/** How the order's back-office customer was found, in words, with its number. */
export interface CustomerMatch {
  customerNo: string;
  /** e.g. "by e-mail ada@example.com", "by bill-to address", "the default customer". */
  how: string;
}

const byEmailOrPhone = async (db: Db | Tx, order: ShopifyOrder): Promise<CustomerMatch | null> => {
  const found = await findPersonCustomer(db, order.shopId, { email: order.email, phone: order.phone });
  if (!found) return null;
  return {
    customerNo: found.customer.no,
    how: found.by === "email" ? `by e-mail ${order.email}` : `by phone ${order.phone}`,
  };
};

const byAddress = async (db: Db | Tx, order: ShopifyOrder, billing: Address | null) => {
  if (!billing?.address1) return null;
  const found = await findCustomerByAddress(db, order.shopId, {
    name: addressName(billing),
    address1: billing.address1,
    zip: billing.zip ?? "",
    city: billing.city ?? "",
    countryCode: billing.countryCodeV2 ?? "",
  });
  return found ? { customerNo: found.no, how: "by bill-to address" } : null;
};

/**
 * The order's back-office customer, and how it was found. With the "default" strategy, always
 * the default customer. Otherwise the customer a person (or an earlier order) linked the
 * Shopify customer to comes first, then the shop's strategy: by e-mail or phone when the order
 * has them (a guest order without either, by its bill-to address), or by bill-to address.
 * Before a customer is created, the order's e-mail and address are looked up whatever the
 * strategy, so that no order (a guest's least of all) makes a second customer for an e-mail or
 * an address the back office already has. An order with nothing to recognise its customer by
 * goes to the default customer when there is one. What is learnt about a Shopify customer is
 * kept on its ShopifyCustomer row: linked when matched or created, unlinked when the order is
 * blocked, so that it shows on the unmapped customers list where a person can link it.
 */
export async function mapCustomer(
  db: Db | Tx,
  settings: ShopSettings,
  order: ShopifyOrder,
): Promise<CustomerMatch> {
  const billing = (order.billingAddress ?? order.shippingAddress) as Address | null;
  const country = billing?.countryCodeV2 ?? null;
  const defaultNo = defaultCustomerFor(settings, country);
  const defaultWords =
    defaultNo && defaultNo !== settings.defaultCustomerNo
      ? `the default customer for ${country}`
      : "the default customer";
  if (settings.customerMapping === "default") {
    if (!defaultNo)
      throw new MappingError("customer", "the shop maps every order to a default customer, but none is set");
    return { customerNo: defaultNo, how: `${defaultWords} (the shop's rule for every order)` };
  }
  const known = order.customerShopifyId
    ? await db.shopifyCustomer.findUnique({
        where: { shopId_shopifyId: { shopId: order.shopId, shopifyId: order.customerShopifyId } },
      })
    : null;
  if (known?.customerNo) return { customerNo: known.customerNo, how: "linked to its Shopify customer" };

  // Found or made under the shop's customer lock, with the link: never two customers of one person.
  const matched = await withCustomerLock(db, order.shopId, async (tx) => {
    const found = await matchCustomer(tx, settings, order, billing);
    if (found) await rememberCustomer(tx, settings, order, billing, found.customerNo);
    return found;
  });
  if (matched) return matched;
  // The default customer stands in for this order only: the Shopify customer stays unlinked
  // (and off the unmapped list, since nothing is blocked), so a later match still wins.
  if (defaultNo && (await findCustomer(db, order.shopId, defaultNo))) {
    const nothing = !order.email && !order.phone && !billing?.address1;
    return {
      customerNo: defaultNo,
      how: `${defaultWords} (${nothing ? "the order has no e-mail, phone or address" : "no customer matched"})`,
    };
  }
  await rememberCustomer(db, settings, order, billing, null);
  throw new MappingError(
    "customer",
    `no back-office customer for ${order.email ?? order.phone ?? nameOf(settings, billing, order)}`,
  );
}

async function matchCustomer(
  db: Db | Tx,
  settings: ShopSettings,
  order: ShopifyOrder,
  billing: Address | null,
): Promise<CustomerMatch | null> {
  const recognisable = Boolean(order.email || order.phone || billing?.address1);
  const found =
    settings.customerMapping === "bill_to"
      ? await byAddress(db, order, billing)
      : order.email || order.phone
        ? await byEmailOrPhone(db, order)
        : await byAddress(db, order, billing);
  if (found) return found;
  // "none": customers are never made in the back office from Shopify's.
  if (!settings.customerAutoCreate || settings.customerImport === "none") return null;
  // Never a second customer for what the back office already knows, whatever the rule.
  const already = (await byEmailOrPhone(db, order)) ?? (await byAddress(db, order, billing));
  if (already) return { ...already, how: `${already.how} (none created: the back office has it)` };
  // A customer with nothing to be known by again would be a new one for every such order.
  if (!recognisable && defaultCustomerFor(settings, billing?.countryCodeV2)) return null;
  const name = nameOf(settings, billing, order);
  const person = [billing?.firstName, billing?.lastName].filter(Boolean).join(" ").trim();
  const created = await createCustomer(db, order.shopId, {
    name,
    // The person at a customer named after its company, as the customers sync keeps it.
    contactName: billing?.company && name === billing.company.trim() && person ? person : undefined,
    email: order.email ?? undefined,
    phone: order.phone ?? billing?.phone ?? undefined,
    address1: billing?.address1 ?? undefined,
    city: billing?.city ?? undefined,
    zip: billing?.zip ?? undefined,
    countryCode: billing?.countryCodeV2 ?? undefined,
    templateNo: templateFor(settings, billing?.countryCodeV2) ?? undefined,
  });
  return { customerNo: created.no, how: "created from the order" };
}

/**
 * Records the order's Shopify customer and the back-office customer it maps to (null: none
 * yet). A customer Shopify asked us to redact keeps its erased fields; only the link changes.
 */
async function rememberCustomer(
  db: Db | Tx,
  settings: ShopSettings,
  order: ShopifyOrder,
  billing: Address | null,
  customerNo: string | null,
): Promise<void> {
  if (!order.customerShopifyId) return;
  const where = { shopId_shopifyId: { shopId: order.shopId, shopifyId: order.customerShopifyId } };
  const personal = {
    email: order.email,
    phone: order.phone ?? billing?.phone ?? null,
    firstName: billing?.firstName ?? null,
    lastName: billing?.lastName ?? null,
    address1: billing?.address1 ?? null,
    city: billing?.city ?? null,
    zip: billing?.zip ?? null,
    countryCode: billing?.countryCodeV2 ?? null,
  };
  // Never unlinks: a person may have mapped the customer since it was read.
  const link = customerNo ? { customerNo } : {};
  const existing = await db.shopifyCustomer.findUnique({ where });
  if (existing?.redactedAt) {
    if (customerNo) await db.shopifyCustomer.update({ where, data: link });
    return;
  }
  const row = await db.shopifyCustomer.upsert({
    where,
    create: {
      id: randomUUID(),
      shopId: order.shopId,
      shopifyId: order.customerShopifyId,
      ...personal,
      customerNo,
    },
    update: { ...personal, ...link },
  });
  // The customer made or found from the order is as Shopify has it, as far as the export knows:
  // it sends nothing of it until the back office changes it (never the order's data over Shopify's).
  const customer = row.customerNo ? await findCustomer(db, order.shopId, row.customerNo) : null;
  if (customer)
    await markImportedIfNew(
      db,
      order.shopId,
      customer.no,
      gid("Customer", row.shopifyId),
      exportHash(customer, settings.customerNameFrom, sideOfRow(row)),
    );
}
