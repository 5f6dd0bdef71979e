import { randomUUID } from "node:crypto";
import type { Db, Tx } from "../../db.server";
import {
  createCustomer,
  createItem,
  findCustomer,
  findCustomerByAddress,
  findCustomerByEmailOrPhone,
  findItemForSku,
} from "../../backoffice/backoffice.server";
import type { ShopSettings, ShopifyOrder, ShopifyOrderLine } from "../../generated/prisma/client";

/**
 * Maps a staged order's customer and lines to back-office records with the strategies the
 * merchant chose. A line or customer that cannot be mapped is reported, never guessed.
 */

export class MappingError extends Error {
  readonly kind: "customer" | "product";
  constructor(kind: "customer" | "product", message: string) {
    super(message);
    this.kind = kind;
  }
}

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

function nameOf(address: Address | null, order: ShopifyOrder): string {
  const name =
    address?.company ||
    address?.name ||
    [address?.firstName, address?.lastName].filter(Boolean).join(" ") ||
    order.email ||
    order.name;
  return name.trim();
}

/**
 * The order's back-office customer. With the "default" strategy, always the default customer.
 * Otherwise the customer a person (or an earlier order) linked the Shopify customer to comes
 * first, then the shop's strategy (e-mail/phone or bill-to address), then auto-creation, then
 * the default customer as a fallback. What is learnt about a Shopify customer is kept on its
 * ShopifyCustomer row: linked when matched or created, unlinked when the order is blocked, so
 * that it shows on the unmapped customers list where a person can link it.
 */
export async function mapCustomer(db: Db | Tx, settings: ShopSettings, order: ShopifyOrder): Promise<string> {
  const billing = (order.billingAddress ?? order.shippingAddress) as Address | null;
  if (settings.customerMapping === "default") {
    if (!settings.defaultCustomerNo)
      throw new MappingError("customer", "the shop maps every order to a default customer, but none is set");
    return settings.defaultCustomerNo;
  }
  const known = order.customerShopifyId
    ? await db.shopifyCustomer.findUnique({
        where: { shopId_shopifyId: { shopId: order.shopId, shopifyId: order.customerShopifyId } },
      })
    : null;
  if (known?.customerNo) return known.customerNo;

  const matched = await matchCustomer(db, settings, order, billing);
  if (matched) {
    await rememberCustomer(db, order, billing, matched);
    return matched;
  }
  // The default customer stands in for this order only: the Shopify customer stays unlinked
  // (and off the unmapped list, since nothing is blocked), so a later match still wins.
  if (settings.defaultCustomerNo && (await findCustomer(db, order.shopId, settings.defaultCustomerNo))) {
    return settings.defaultCustomerNo;
  }
  await rememberCustomer(db, order, billing, null);
  throw new MappingError(
    "customer",
    `no back-office customer for ${order.email ?? order.phone ?? nameOf(billing, order)}`,
  );
}

async function matchCustomer(
  db: Db | Tx,
  settings: ShopSettings,
  order: ShopifyOrder,
  billing: Address | null,
): Promise<string | null> {
  const found =
    settings.customerMapping === "bill_to"
      ? billing
        ? await findCustomerByAddress(db, order.shopId, {
            name: nameOf(billing, order),
            address1: billing.address1 ?? "",
            zip: billing.zip ?? "",
            city: billing.city ?? "",
            countryCode: billing.countryCodeV2 ?? "",
          })
        : null
      : order.email || order.phone
        ? await findCustomerByEmailOrPhone(db, order.shopId, {
            email: order.email ?? undefined,
            phone: order.phone ?? undefined,
          })
        : null;
  if (found) return found.no;
  if (!settings.customerAutoCreate) return null;
  const created = await createCustomer(db, order.shopId, {
    name: nameOf(billing, order),
    email: order.email ?? undefined,
    phone: order.phone ?? billing?.phone ?? undefined,
    address1: billing?.address1 ?? undefined,
    city: billing?.city ?? undefined,
    zip: billing?.zip ?? undefined,
    countryCode: billing?.countryCodeV2 ?? undefined,
    templateNo: settings.customerTemplateNo ?? undefined,
  });
  return created.no;
}

/**
 * Records the order's Shopify customer and the back-office customer it maps to (null: none
 * yet). A customer Shopify asked us to redact keeps its erased fields; only the link changes.
 */
async function rememberCustomer(
  db: Db | Tx,
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
  await db.shopifyCustomer.upsert({
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
}

export interface MappedLine {
  line: ShopifyOrderLine;
  itemNo: string;
  variantCode: string | null;
}

/** Maps every line; throws one MappingError listing all the lines that cannot be mapped. */
export async function mapLines(
  db: Db | Tx,
  settings: ShopSettings,
  order: ShopifyOrder,
  lines: ShopifyOrderLine[],
): Promise<MappedLine[]> {
  const mapped: MappedLine[] = [];
  const missing: string[] = [];
  for (const line of lines) {
    let target = line.variantShopifyId
      ? await db.shopifyVariantMap.findUnique({
          where: {
            shopId_variantShopifyId: { shopId: order.shopId, variantShopifyId: line.variantShopifyId },
          },
        })
      : null;
    let itemNo = target?.itemNo ?? null;
    let variantCode = target?.variantCode ?? null;
    if (!itemNo) {
      const found = await findItemForSku(db, order.shopId, settings.productMapping as never, {
        sku: line.sku ?? "",
        barcode: line.barcode ?? undefined,
      });
      if (found) {
        itemNo = found.itemNo;
        variantCode = found.variantCode;
      } else if (settings.productAutoCreate && line.sku) {
        const created = await createItem(db, order.shopId, {
          no: line.sku,
          description: line.variantTitle ? `${line.title} - ${line.variantTitle}` : line.title,
          unitPrice: line.unitPrice.toString(),
          barcode: line.barcode ?? undefined,
        });
        itemNo = created.no;
        variantCode = null;
      }
    }
    if (line.variantShopifyId) {
      target = await db.shopifyVariantMap.upsert({
        where: { shopId_variantShopifyId: { shopId: order.shopId, variantShopifyId: line.variantShopifyId } },
        create: {
          shopId: order.shopId,
          variantShopifyId: line.variantShopifyId,
          productShopifyId: line.productShopifyId,
          sku: line.sku,
          barcode: line.barcode,
          title: line.variantTitle ? `${line.title} - ${line.variantTitle}` : line.title,
          itemNo,
          variantCode,
        },
        // Never unlinks: a person may have mapped the variant since it was read above.
        update: { sku: line.sku, barcode: line.barcode, ...(itemNo ? { itemNo, variantCode } : {}) },
      });
    }
    if (!itemNo) missing.push(line.sku ? `${line.title} (SKU ${line.sku})` : `${line.title} (no SKU)`);
    else mapped.push({ line, itemNo, variantCode });
  }
  if (missing.length > 0)
    throw new MappingError(
      "product",
      `unmapped product${missing.length > 1 ? "s" : ""}: ${missing.join(", ")}`,
    );
  return mapped;
}
