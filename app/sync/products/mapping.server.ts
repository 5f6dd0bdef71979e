import type { Db, Tx } from "../../db.server";
import { createItem, findItemForSku } from "../../backoffice/backoffice.server";
import type { ShopSettings, ShopifyOrder, ShopifyOrderLine } from "../../generated/prisma/client";
import { MappingError } from "../kit/mapping.server";

/**
 * Maps Shopify variants to back-office items and variants with the strategy the merchant chose
 * (SKU, barcode...; auto-create when allowed), and remembers the link (ShopifyVariantMap). A line
 * that cannot be mapped is reported, never guessed. Owned by the product sync's area: the order
 * processing uses it today, "Sync products" will too.
 */

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
