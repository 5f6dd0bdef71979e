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
