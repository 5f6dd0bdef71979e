import { parseArgs } from "node:util";
import type { Db } from "../db.server";
import { recentRuns, shopStatus } from "../status/status.server";
import { findShop, UnknownShopError } from "../shops/shops.server";

/**
 * The operator CLI: `npm run cli -- <command> [options]`. Every command reads the same
 * database as the app and the worker. Exit codes: 0 done, 1 failed, 2 bad usage.
 */

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

export class UsageError extends Error {}

const USAGE = `usage: npm run cli -- <command> [options]

commands:
  shops [--json]                              installed shops (and uninstalled ones)
  runs --shop <domain> [--limit n] [--json]   recent sync runs of a shop
  status --shop <domain> [--json]             the counts behind the status tiles

global options:
  --data <dir>   the data folder of the local Postgres (when DATABASE_URL is unset)`;

interface Command {
  options: Record<string, { type: "string" | "boolean" }>;
  run: (db: Db, values: Record<string, string | boolean | undefined>, io: CliIo) => Promise<void>;
}

function requireShop(values: Record<string, string | boolean | undefined>): string {
  const shop = values.shop;
  if (typeof shop !== "string" || shop === "") throw new UsageError("--shop <domain> is required");
  return shop;
}

type Cell = string | number | null | undefined;

function table(rows: Record<string, Cell>[], io: CliIo): void {
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

const COMMANDS: Record<string, Command> = {
  shops: {
    options: { json: { type: "boolean" } },
    async run(db, values, io) {
      const shops = await db.shop.findMany({ orderBy: { domain: "asc" } });
      const rows = shops.map((shop) => ({
        domain: shop.domain,
        state: shop.uninstalledAt ? "uninstalled" : "installed",
        installedAt: shop.installedAt.toISOString(),
        uninstalledAt: shop.uninstalledAt?.toISOString() ?? null,
      }));
      if (values.json) io.out(JSON.stringify(rows, null, 2));
      else table(rows, io);
    },
  },
  runs: {
    options: { shop: { type: "string" }, json: { type: "boolean" }, limit: { type: "string" } },
    async run(db, values, io) {
      const shop = await findShop(db, requireShop(values));
      const limit = values.limit === undefined ? 50 : Number(values.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
        throw new UsageError("--limit must be 1 to 1000");
      const runs = await recentRuns(db, shop.id, limit);
      const rows = runs.map((run) => ({
        id: run.id,
        task: run.task,
        trigger: run.trigger,
        status: run.status,
        attempts: run.attempts,
        progress: run.progress,
        counts: run.counts,
        filters: run.filters,
        queuedAt: run.queuedAt.toISOString(),
        startedAt: run.startedAt?.toISOString() ?? null,
        finishedAt: run.finishedAt?.toISOString() ?? null,
        error: run.error,
      }));
      if (values.json) io.out(JSON.stringify(rows, null, 2));
      else
        table(
          rows.map(({ id, task, trigger, status, attempts, queuedAt, error }) => ({
            id: id.slice(0, 8),
            task,
            trigger,
            status,
            attempts,
            queuedAt,
            error,
          })),
          io,
        );
    },
  },
  status: {
    options: { shop: { type: "string" }, json: { type: "boolean" } },
    async run(db, values, io) {
      const shop = await findShop(db, requireShop(values));
      const status = await shopStatus(db, shop.id);
      if (values.json) io.out(JSON.stringify({ shop: shop.domain, ...status }, null, 2));
      else
        table(
          Object.entries(status).map(([tile, count]: [string, number]) => ({ tile, count })),
          io,
        );
    },
  },
};

/** Parses the command line; throws UsageError for anything it cannot take. */
export function parseCommand(argv: string[]) {
  const [name, ...rest] = argv;
  if (!name || name === "help" || name === "--help") throw new UsageError("");
  const command = COMMANDS[name];
  if (!command) throw new UsageError(`unknown command "${name}"`);
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      options: { ...command.options, data: { type: "string" } },
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const dataDir = typeof values.data === "string" ? values.data : undefined;
    return { name, command, values, dataDir };
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`${name}: ${(error as Error).message}`);
  }
}

export async function runCommand(
  db: Db,
  parsed: ReturnType<typeof parseCommand>,
  io: CliIo,
): Promise<number> {
  try {
    await parsed.command.run(db, parsed.values, io);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`error: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof UnknownShopError) {
      io.err(`error: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

export function usage(message: string): string {
  return message ? `error: ${message}\n\n${USAGE}` : USAGE;
}
