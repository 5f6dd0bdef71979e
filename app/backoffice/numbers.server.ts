import type { Db, Tx } from "../db.server";
import { BackOfficeError } from "./errors.server";

/**
 * Number series: each hands out its code followed by a zero-padded counter ("SO00001"). A
 * series row is created on first use. The counter moves in one INSERT ... ON CONFLICT DO UPDATE
 * statement, which row-locks the series until the caller's transaction ends, so two
 * transactions never get the same number (and a rolled-back one gives its number back).
 */

export const NUMBER_SERIES = ["SO", "SI", "SHIP", "PINV", "CUST", "ITEM", "ADJ"] as const;
export type NumberSeriesCode = (typeof NUMBER_SERIES)[number];

const DEFAULT_WIDTH = 5;

export async function nextNo(tx: Db | Tx, shopId: string, series: NumberSeriesCode): Promise<string> {
  if (!(NUMBER_SERIES as readonly string[]).includes(series))
    throw new BackOfficeError(`unknown number series "${String(series)}"`);
  const [row] = await tx.$queryRaw<{ prefix: string; lastNo: number; width: number }[]>`
    insert into "BoNumberSeries" ("shopId", code, prefix, "lastNo", width)
    values (${shopId}::uuid, ${series}, ${series}, 1, ${DEFAULT_WIDTH})
    on conflict ("shopId", code) do update set "lastNo" = "BoNumberSeries"."lastNo" + 1
    returning prefix, "lastNo", width`;
  if (!row) throw new Error(`number series ${series} returned no row`);
  return `${row.prefix}${String(row.lastNo).padStart(row.width, "0")}`;
}

/** `count` numbers of the series at once, in order (one statement; see nextNo). */
export async function nextNos(
  tx: Db | Tx,
  shopId: string,
  series: NumberSeriesCode,
  count: number,
): Promise<string[]> {
  if (count <= 0) return [];
  if (!(NUMBER_SERIES as readonly string[]).includes(series))
    throw new BackOfficeError(`unknown number series "${String(series)}"`);
  const [row] = await tx.$queryRaw<{ prefix: string; lastNo: number; width: number }[]>`
    insert into "BoNumberSeries" ("shopId", code, prefix, "lastNo", width)
    values (${shopId}::uuid, ${series}, ${series}, ${count}, ${DEFAULT_WIDTH})
    on conflict ("shopId", code) do update set "lastNo" = "BoNumberSeries"."lastNo" + ${count}
    returning prefix, "lastNo", width`;
  if (!row) throw new Error(`number series ${series} returned no row`);
  const first = row.lastNo - count + 1;
  return Array.from(
    { length: count },
    (_, i) => `${row.prefix}${String(first + i).padStart(row.width, "0")}`,
  );
}
