import { parseArgs } from "node:util";
import type { Db } from "../db.server";
import { recentRuns, shopStatus } from "../status/status.server";
import { findShop, UnknownShopError } from "../shops/shops.server";
import { ZodError } from "zod";
import { describeError, TerminalError } from "../errors.server";
import { LEVEL_VIEWS } from "../admin/inventory-states";
import { ITEM_VIEWS } from "../admin/items.server";
import { COMPANY_VIEWS } from "../admin/companies.server";
import { CUSTOMER_STATES } from "./customers.server";
import { MORE_COMMANDS, TASKS } from "./commands.server";
import { requireShop, table, UsageError, type CliIo, type Command } from "./format.server";

/**
 * The operator CLI: `npm run cli -- <command> [options]`. Every command reads the same
 * database as the app and the worker. Exit codes: 0 done, 1 failed, 2 bad usage.
 */

export type { CliIo } from "./format.server";
export { UsageError } from "./format.server";

const USAGE = `usage: npm run cli -- <command> [options]

commands:
  shops [--json]                              installed shops (and uninstalled ones)
  runs --shop <domain> [--limit n] [--json]   recent sync runs of a shop
  status --shop <domain> [--json]             the counts behind the status tiles
  tasks [--markdown] [--json]                 every task: direction, category, doorbells, schedule
  sync <task> --shop <domain> [--filter key=value ...] [--wait | --foreground] [--json]
                                              queue a sync run (tasks: ${TASKS})
  orders --shop <domain> [--json]             imported Shopify orders and their sales documents
  documents --shop <domain> [--json]          sales documents, posted shipments and invoices
  post <document no> --shop <domain> [--ship] [--invoice] [--tracking <no> --carrier <name>] [--json]
                                              post a sales order (ship and/or invoice)
  confirm <document no> --shop <domain>       post it as it is although its Shopify order changed
  adjust <document no> --shop <domain>        make it the Shopify order as it stands (nothing posted yet)
  close <document no> --shop <domain>         close it, never to be posted (its order was cancelled)
  shipments --shop <domain> [--json]          posted shipments and their Shopify sync state
  items --shop <domain> [--q text] [--state s] [--json]
                                              items with variants, SKUs, prices, Shopify ids and sync state
                                              (--state: ${ITEM_VIEWS.join(", ")})
  items add --shop <domain> <item no> ...     add items to Shopify (Sync items must be "To Shopify")
  price <item no> --shop <domain> --price <amount> [--variant <code>] [--group <code>] [--json]
                                              set a sales price in the back office (quantity one); with
                                              Sync items "To Shopify" the product follows within seconds
  adjust <item no> --shop <domain> --location <code> --quantity <n> [--variant <code>] [--json]
                                              add n units to the back office's stock there (negative, as
                                              --quantity=-n: remove them), as an adjustment entry; with a
                                              Shopify location fed from the back office, Shopify follows
                                              within seconds
  pictures <item no> --shop <domain> [--json]
                                              the item's pictures in order: variant, file, type, size,
                                              sha256, Sync images state, Shopify's media and message
  picture add <item no> <file> --shop <domain> [--variant <code>] [--position n] [--json]
  picture replace <item no> <picture> <file> --shop <domain> [--variant <code>] [--json]
  picture move <item no> <picture> --position <n> --shop <domain> [--variant <code>] [--json]
  picture remove <item no> <picture> --shop <domain> [--variant <code>] [--json]
                                              change an item's pictures (a <picture> is its position,
                                              its id, or the file it was added from); with Sync images
                                              "To Shopify", Shopify follows within seconds
  companies --shop <domain> [--state s] [--json]
                                              Shopify companies with their locations, state and business
                                              customer (--state: ${COMPANY_VIEWS.join(", ")})
  customers --shop <domain> [--q text] [--state s] [--json]
                                              back-office customers with their Shopify customer and export
                                              state and message, then the Shopify customers not linked to
                                              one, with why (--state: ${CUSTOMER_STATES})
  inventory --shop <domain> [--q item] [--state s] [--location <id>] [--json]
                                              each item at each fed Shopify location: the back office's
                                              target, Shopify's quantities, last push and sync state
                                              (--state: ${LEVEL_VIEWS.join(", ")})

global options:
  --data <dir>   the data folder of the local Postgres (when DATABASE_URL is unset)`;

export const COMMANDS: Record<string, Command> = {
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
        interruptions: run.interruptions,
        note: run.note,
      }));
      if (values.json) io.out(JSON.stringify(rows, null, 2));
      else
        table(
          rows.map(({ id, task, trigger, status, attempts, interruptions, queuedAt, error }) => ({
            id: id.slice(0, 8),
            task,
            trigger,
            status,
            attempts,
            interrupted: interruptions,
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
  const command = COMMANDS[name] ?? MORE_COMMANDS[name];
  if (!command) throw new UsageError(`unknown command "${name}"`);
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      options: { ...command.options, data: { type: "string" } },
      allowPositionals: true,
      strict: true,
    });
    const wanted = command.positionals ?? 0;
    if (wanted !== "any" && positionals.length > wanted)
      throw new UsageError(`unexpected argument "${positionals[wanted]}"`);
    if (wanted !== "any" && positionals.length < wanted)
      throw new UsageError(`${name} needs ${wanted} argument${wanted > 1 ? "s" : ""}`);
    const dataDir = typeof values.data === "string" ? values.data : undefined;
    return { name, command, values, dataDir, positionals };
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
    return (await parsed.command.run(db, parsed.values, io, parsed.positionals)) ?? 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`error: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof UnknownShopError || error instanceof TerminalError || error instanceof ZodError) {
      io.err(`error: ${describeError(error)}`);
      return 1;
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
