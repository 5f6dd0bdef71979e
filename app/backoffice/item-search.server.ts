import type { Db, Tx } from "../db.server";
import { Prisma } from "../generated/prisma/client";
import { optionalText } from "./internal.server";

/**
 * The items a person's search finds on a list of the whole catalog (the admin's Items page,
 * the CLI): blocked items included, by number. Only the numbers, so a catalog of many
 * thousand items is searched and counted in one query, and a page of it loaded afterwards.
 */

export interface ItemSearch {
  /**
   * Text (any case) in the number, description, vendor item number or barcode, in a variant's
   * code or barcode, or a SKU made of them: "<item or vendor item no>-<variant code>".
   */
  text?: string | null;
  /** Items the text also finds, matched outside the back office (a Shopify SKU). */
  alsoMatching?: string[];
  /** Only these items. */
  only?: string[];
  /** None of these items. */
  except?: string[];
  /** Leave out blocked and sales-blocked items. */
  sellableOnly?: boolean;
}

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;

/** The numbers of the items the search finds, in number order. */
export async function findItemNos(db: Db | Tx, shopId: string, search: ItemSearch = {}): Promise<string[]> {
  const conditions = [Prisma.sql`i."shopId" = ${shopId}::uuid`];
  if (search.only) conditions.push(Prisma.sql`i.no = any(${search.only}::text[])`);
  if (search.except && search.except.length > 0)
    conditions.push(Prisma.sql`not (i.no = any(${search.except}::text[]))`);
  if (search.sellableOnly) conditions.push(Prisma.sql`not i.blocked and not i."salesBlocked"`);
  const text = optionalText(search.text);
  if (text) {
    const pattern = likePattern(text);
    const matches = [
      Prisma.sql`i.no ilike ${pattern}`,
      Prisma.sql`i.description ilike ${pattern}`,
      Prisma.sql`i."vendorItemNo" ilike ${pattern}`,
      Prisma.sql`i.barcode ilike ${pattern}`,
      Prisma.sql`exists (select 1 from "BoItemVariant" v
                          where v."shopId" = i."shopId" and v."itemNo" = i.no
                            and (v.code ilike ${pattern} or v.barcode ilike ${pattern}))`,
    ];
    // A SKU of an item's variant, as the product mapping makes it: split at the last dash, so
    // item numbers may contain dashes themselves.
    const at = text.lastIndexOf("-");
    if (at > 0 && at < text.length - 1) {
      const head = text.slice(0, at).toLowerCase();
      const tail = text.slice(at + 1).toLowerCase();
      matches.push(
        Prisma.sql`((lower(i.no) = ${head} or lower(i."vendorItemNo") = ${head})
                    and exists (select 1 from "BoItemVariant" v
                                 where v."shopId" = i."shopId" and v."itemNo" = i.no and lower(v.code) = ${tail}))`,
      );
    }
    if (search.alsoMatching && search.alsoMatching.length > 0)
      matches.push(Prisma.sql`i.no = any(${search.alsoMatching}::text[])`);
    conditions.push(Prisma.sql`(${Prisma.join(matches, " or ")})`);
  }
  const rows = await db.$queryRaw<{ no: string }[]>`
    select i.no from "BoItem" i where ${Prisma.join(conditions, " and ")} order by i.no`;
  return rows.map((row) => row.no);
}
