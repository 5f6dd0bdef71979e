import { beforeAll, describe, it } from "vitest";
import { parseCommand, runCommand, usage, UsageError } from "../../app/cli/cli.server";
import prisma from "../../app/db.server";
import { installedShop } from "../support/shops";
import { printTallyAfterAll, tryInput } from "./tally";

/**
 * The operator CLI given arguments out of range or unknown: each is a clear error on stderr
 * (naming what was wrong), an exit code other than 0, and nothing changed in the database.
 * The commands run in this process the way scripts/cli.ts runs them (a usage error while
 * parsing exits 2, else the command's code); test/cli/cli.test.ts runs the real process.
 */

printTallyAfterAll("test/hostile/cli.test.ts");

const ROW = "CLI arguments out of range or unknown";

interface Ran {
  code: number;
  out: string;
  err: string;
}

async function cli(argv: string[]): Promise<Ran> {
  const out: string[] = [];
  const err: string[] = [];
  let parsed;
  try {
    parsed = parseCommand(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return { code: 2, out: "", err: usage(error.message) };
  }
  const code = await runCommand(prisma, parsed, {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
  });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

let shop: string;

beforeAll(async () => {
  shop = (await installedShop()).domain;
});

describe("the operator CLI given a wrong argument", () => {
  it("says what is wrong on stderr, exits non-zero and changes nothing", async () => {
    const unknownShop = "nobody-here.myshopify.com";
    // [arguments, what the error must say]
    const cases: [string[], RegExp][] = [
      [[], /usage: npm run cli/],
      [["frobnicate"], /unknown command "frobnicate"/],
      [["shops", "--colour"], /Unknown option '--colour'/],
      [["shops", "extra"], /unexpected argument "extra"/],
      [["runs"], /--shop <domain> is required/],
      [["runs", "--shop", ""], /--shop <domain> is required/],
      [["runs", "--shop"], /Option '--shop <value>' argument missing/],
      [["runs", "--shop", unknownShop], /unknown shop nobody-here\.myshopify\.com/],
      [["status", "--shop", unknownShop], /unknown shop nobody-here\.myshopify\.com/],
      [["runs", "--shop", "SHOP", "--limit", "0"], /--limit must be 1 to 1000/],
      [["runs", "--shop", "SHOP", "--limit", "1001"], /--limit must be 1 to 1000/],
      [["runs", "--shop", "SHOP", "--limit", "ten"], /--limit must be 1 to 1000/],
      [["runs", "--shop", "SHOP", "--limit", "2.5"], /--limit must be 1 to 1000/],
      [["runs", "--shop", "SHOP", "--limit", "-3"], /Option '--limit' argument is ambiguous/],
      [["runs", "--shop", "SHOP", "--json=yes"], /Option '--json' does not take an argument/],
      [["sync", "--shop", "SHOP"], /sync needs 1 argument/],
      [["sync", "no_such_task", "--shop", "SHOP"], /unknown task "no_such_task"/],
      [["sync", "sync_orders", "extra", "--shop", "SHOP"], /unexpected argument "extra"/],
      [
        ["sync", "sync_orders", "--shop", "SHOP", "--filter", "financialStatus"],
        /filters are written key=value/,
      ],
      [["sync", "sync_orders", "--shop", "SHOP", "--filter", "financialStatus=bogus"], /financialStatus/],
      [["sync", "sync_orders", "--shop", "SHOP", "--filter", "colour=red"], /Unrecognized key: "colour"/],
      [["sync", "sync_orders", "--shop", "SHOP", "--filter", "createdFrom=yesterday"], /createdFrom/],
      [["sync", "sync_orders", "--shop", unknownShop], /unknown shop nobody-here\.myshopify\.com/],
      [["post", "--shop", "SHOP", "--ship"], /post needs 1 argument/],
      [["post", "SO99999", "--shop", "SHOP"], /say what to post: --ship, --invoice or both/],
      [["post", "SO99999", "--shop", "SHOP", "--invoice", "--tracking", "1Z"], /--tracking goes with --ship/],
      [
        ["post", "SO99999", "--shop", "SHOP", "--ship", "--tracking"],
        /Option '--tracking <value>' argument missing/,
      ],
      [["post", "SO99999", "--shop", "SHOP", "--ship"], /no sales order SO99999/],
      [["confirm", "SO99999", "--shop", "SHOP"], /no sales document SO99999/],
      [["adjust", "SO99999", "--shop", "SHOP"], /no sales document SO99999/],
      [["close", "SO99999", "--shop", "SHOP"], /sales order SO99999 does not exist/],
      [
        ["adjust", "NOPE-404", "--shop", "SHOP", "--location", "MAIN", "--quantity", "3"],
        /item NOPE-404 does not exist/,
      ],
      [
        ["adjust", "NOPE-404", "--shop", "SHOP", "--location", "MAIN", "--quantity", "lots"],
        /--quantity is the units/,
      ],
      [["adjust", "NOPE-404", "--shop", "SHOP", "--quantity", "3"], /--location is the back-office location/],
      [
        ["adjust", "NOPE-404", "--shop", "SHOP", "--location", "MAIN", "--quantity", "-3"],
        /argument is ambiguous/,
      ],
      [["confirm", "--shop", "SHOP"], /confirm needs 1 argument/],
      [["orders", "--shop", unknownShop], /unknown shop/],
      [["documents", "--shop", unknownShop], /unknown shop/],
      [["shipments", "--shop", unknownShop], /unknown shop/],
      [["items", "--shop", unknownShop], /unknown shop/],
      [["companies", "--shop", unknownShop], /unknown shop/],
      [["companies"], /--shop <domain> is required/],
      [["companies", "--shop", "SHOP", "--state", "exploded"], /--state must be one of/],
      [["items", "remove", "--shop", "SHOP"], /unexpected argument "remove"/],
      [["items", "--shop", "SHOP", "--state", "exploded"], /--state must be one of/],
      [["items", "add", "--shop", "SHOP"], /items add needs the numbers of the items to add/],
      [["items", "add", "NOPE-404", "--shop", "SHOP"], /no item NOPE-404 in the back office/],
      [["pictures", "NOPE-404", "--shop", "SHOP"], /no item NOPE-404 in the back office/],
      [["pictures", "--shop", "SHOP"], /pictures needs 1 argument/],
      [["picture", "paint", "X", "--shop", "SHOP"], /picture needs one of add, replace, move, remove/],
      [
        ["picture", "add", "NOPE-404", "/no/such/file.png", "--shop", "SHOP"],
        /no file \/no\/such\/file\.png/,
      ],
      [["picture", "add", "X", "--shop", "SHOP"], /picture add takes <item no> <file>/],
      [["picture", "add", "X", "a.png", "--position", "0", "--shop", "SHOP"], /--position is a place/],
      [["picture", "move", "NOPE-404", "1", "--shop", "SHOP"], /picture move needs --position/],
      [["picture", "remove", "NOPE-404", "1", "--shop", "SHOP"], /no item NOPE-404/],
      [["picture", "add", "X", "a.png", "--shop", unknownShop], /unknown shop/],
      [["customers", "--shop", unknownShop], /unknown shop/],
      [["customers", "--shop", "SHOP", "--state", "exploded"], /--state: state is one of/],
      [["customers", "--shop", "SHOP", "--q", "x".repeat(101)], /--q: at most 100 characters/],
      [["customers", "extra", "--shop", "SHOP"], /unexpected argument "extra"/],
    ];
    for (const [template, says] of cases) {
      const argv = template.map((arg) => (arg === "SHOP" ? shop : arg));
      await tryInput(
        ROW,
        argv.join(" ") || "(no arguments)",
        () => cli(argv),
        (ran) =>
          ran.code !== 0 && says.test(ran.err) && ran.out === ""
            ? "a clear error, exit ≠ 0"
            : `exit ${ran.code}, stderr ${JSON.stringify(ran.err.slice(0, 200))}, stdout ${JSON.stringify(ran.out.slice(0, 100))}`,
        { answer: "a clear error, exit ≠ 0" },
      );
    }
  });
});
