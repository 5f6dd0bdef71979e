import type { Db } from "../db.server";

/** What the CLI's commands share: their shape, argument checks and plain-text tables. */

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

export class UsageError extends Error {}

export type Values = Record<string, string | boolean | string[] | undefined>;

export interface Command {
  options: Record<string, { type: "string" | "boolean"; multiple?: boolean }>;
  /** How many positional arguments the command takes (default none); "any": it checks them itself. */
  positionals?: number | "any";
  run: (db: Db, values: Values, io: CliIo, positionals: string[]) => Promise<number | void>;
}

export function requireShop(values: Values): string {
  const shop = values.shop;
  if (typeof shop !== "string" || shop === "") throw new UsageError("--shop <domain> is required");
  return shop;
}

type Cell = string | number | null | undefined;

export function table(rows: Record<string, Cell>[], io: CliIo): void {
  if (rows.length === 0) {
    io.out("(none)");
    return;
  }
  const keys = Object.keys(rows[0] ?? {});
  const cells = rows.map((row) => keys.map((key) => (row[key] == null ? "" : String(row[key]))));
  const widths = keys.map((key, i) => Math.max(key.length, ...cells.map((cell) => (cell[i] ?? "").length)));
  io.out(keys.map((key, i) => key.padEnd(widths[i] ?? 0)).join("  "));
  for (const cell of cells)
    io.out(
      cell
        .map((value, i) => value.padEnd(widths[i] ?? 0))
        .join("  ")
        .trimEnd(),
    );
}
