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

export async function mapCustomer(db: Db | Tx, settings: ShopSettings, order: ShopifyOrder): Promise<string> {
  const billing = (order.billingAddress ?? order.shippingAddress) as Address | null;
  if (settings.customerMapping === "default") {
    if (!settings.defaultCustomerNo)
      throw new MappingError("customer", "the shop maps every order to a default customer, but none is set");
    return settings.defaultCustomerNo;
  }
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
  if (settings.customerAutoCreate) {
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
  if (settings.defaultCustomerNo && (await findCustomer(db, order.shopId, settings.defaultCustomerNo))) {
    return settings.defaultCustomerNo;
  }
  throw new MappingError(
    "customer",
    `no back-office customer for ${order.email ?? order.phone ?? nameOf(billing, order)}`,
  );
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
        update: { sku: line.sku, barcode: line.barcode, itemNo, variantCode },
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
