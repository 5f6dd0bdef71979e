import type { Db, Tx } from "../db.server";
import { Prisma, type BoCustomer } from "../generated/prisma/client";
import { optionalText } from "./internal.server";

/**
 * The customers a person's search finds on a list of every customer (the admin's Customers
 * page, the CLI): number, name, e-mail or phone containing the text (any case), templates never
 * (they are not sold to, nor sent to Shopify), by number. Counted and paged in the database, so
 * a back office of many thousand customers is listed a page at a time.
 */

export interface CustomerSearch {
  /** Text (any case) in the number, name, e-mail or phone. */
  text?: string | null;
  /** Only these customers. */
  only?: string[];
  /** None of these customers. */
  except?: string[];
}

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;

function conditionsOf(shopId: string, search: CustomerSearch): Prisma.Sql {
  const conditions = [Prisma.sql`c."shopId" = ${shopId}::uuid`, Prisma.sql`not c."isTemplate"`];
  if (search.only) conditions.push(Prisma.sql`c.no = any(${search.only}::text[])`);
  if (search.except && search.except.length > 0)
    conditions.push(Prisma.sql`not (c.no = any(${search.except}::text[]))`);
  const text = optionalText(search.text);
  if (text) {
    const pattern = likePattern(text);
    conditions.push(
      Prisma.sql`(c.no ilike ${pattern} or c.name ilike ${pattern}
                  or c.email ilike ${pattern} or c.phone ilike ${pattern})`,
    );
  }
  return Prisma.join(conditions, " and ");
}

/** The customers the search finds: how many in all, and those of one page, by number. */
export async function findCustomerPage(
  db: Db | Tx,
  shopId: string,
  search: CustomerSearch,
  page: { skip: number; take: number },
): Promise<{ total: number; customers: BoCustomer[] }> {
  const where = conditionsOf(shopId, search);
  const [counted] = await db.$queryRaw<{ count: bigint }[]>`
    select count(*) from "BoCustomer" c where ${where}`;
  const total = Number(counted?.count ?? 0);
  if (total === 0 || page.take <= 0) return { total, customers: [] };
  const rows = await db.$queryRaw<{ no: string }[]>`
    select c.no from "BoCustomer" c where ${where}
     order by c.no offset ${Math.max(0, page.skip)} limit ${Math.min(page.take, 1000)}`;
  const nos = rows.map((row) => row.no);
  const customers = await db.boCustomer.findMany({
    where: { shopId, no: { in: nos } },
    orderBy: { no: "asc" },
  });
  return { total, customers };
}
