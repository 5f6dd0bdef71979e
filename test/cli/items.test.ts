import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { recordsByKey } from "../../app/sync/kit/outbound.server";
import { PRODUCT_TASK } from "../../app/sync/products/records.server";
import { catalogShop, FAILURE } from "../admin/catalog-shop";
import { queuedRuns } from "../kit/jobs";
import { cli } from "../support/cli";

/**
 * The CLI's `items` (the catalog as the products sync sees it) and `items add`. The first case
 * runs `npm run cli` as an operator would; the others run the command in this process, as
 * scripts/cli.ts does (a usage error while parsing exits 2, else the command's code).
 */

const ROOT = path.resolve(import.meta.dirname, "../..");

async function cliProcess(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      path.join(ROOT, "node_modules/.bin/tsx"),
      ["scripts/cli.ts", ...args],
      { cwd: ROOT, env: { ...process.env, LOG_LEVEL: "warn" } },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe("npm run cli -- items", { timeout: 90_000 }, () => {
  it("prints each item's variants, SKUs, prices, Shopify ids and sync state as JSON", async () => {
    const shop = await catalogShop();

    const ran = await cliProcess("items", "--shop", shop.domain, "--json");

    expect([ran.code, ran.stderr]).toEqual([0, ""]);
    const items = JSON.parse(ran.stdout) as Record<string, unknown>[];
    expect(items.map((item) => [item.itemNo, item.syncState])).toEqual([
      ["HAT", "error"],
      ["MUG", "not_added"],
      ["OLD", "not_added"],
      ["TEE", "synced"],
    ]);
    expect(items[0]).toMatchObject({ message: FAILURE, attempts: 1, productId: null });
    expect(items[1]).toMatchObject({
      variants: [
        { code: "BLUE", sku: "MUG-BLUE", price: "8.10", compareAtPrice: "9.00", variantId: null },
        { code: "RED", sku: "MUG-RED", price: "8.10", compareAtPrice: "9.00", variantId: null },
      ],
      salesPrices: [
        { priceGroup: null, variantCode: "RED", currencyCode: null, unitPrice: "11.00" },
        { priceGroup: "RETAIL", variantCode: null, currencyCode: null, unitPrice: "9.00" },
      ],
    });
    expect(items[3]).toMatchObject({
      productId: "1001",
      productStatus: "ACTIVE",
      message: null,
      variants: [
        {
          code: null,
          sku: "TEE",
          price: "25.00",
          compareAtPrice: null,
          variantId: "2001",
          inventoryItemId: "3001",
        },
      ],
    });
  });

  it("searches with --q and --state, and prints a line per variant without --json", async () => {
    const shop = await catalogShop();

    const found = await cli("items", "--shop", shop.domain, "--q", "mug-red", "--json");
    const failed = await cli("items", "--shop", shop.domain, "--state", "error", "--json");
    const text = await cli("items", "--shop", shop.domain, "--q", "mug");

    expect((JSON.parse(found.stdout) as { itemNo: string }[]).map((item) => item.itemNo)).toEqual(["MUG"]);
    expect((JSON.parse(failed.stdout) as { itemNo: string }[]).map((item) => item.itemNo)).toEqual(["HAT"]);
    const lines = text.stdout.split("\n");
    expect(lines[0]).toMatch(
      /^itemNo\s+variant\s+sku\s+price\s+compareAtPrice\s+productId\s+variantId\s+inventoryItemId\s+syncState\s+message$/,
    );
    expect(lines.slice(1).map((line) => line.trim().split(/\s+/))).toEqual([
      ["MUG", "BLUE", "MUG-BLUE", "8.10", "9.00", "not_added"],
      ["RED", "MUG-RED", "8.10", "9.00"],
    ]);
  });

  it("items add makes the items due and queues the products sync; refusals go to stderr with exit 1", async () => {
    const shop = await catalogShop();

    const added = await cli("items", "add", "--shop", shop.domain, "MUG", "TEE");

    expect(added).toEqual({
      code: 0,
      stdout:
        "Items MUG and TEE are waiting to be sent to Shopify. Syncing products is queued and starts at once; the job list shows its progress.",
      stderr: "",
    });
    const records = await recordsByKey(prisma, shop.id, PRODUCT_TASK, ["MUG", "TEE"]);
    expect([...records.values()].map((record) => record.state)).toEqual(["pending", "pending"]);
    expect(await queuedRuns(shop, "sync_products")).toHaveLength(1);

    const unknown = await cli("items", "add", "--shop", shop.domain, "NOPE");
    expect(unknown).toEqual({
      code: 1,
      stdout: "",
      stderr: "error: This shop has no item NOPE in the back office.",
    });

    await prisma.shopSettings.update({ where: { shopId: shop.id }, data: { syncItems: "from_shopify" } });
    const off = await cli("items", "add", "--shop", shop.domain, "MUG");
    expect(off.code).toBe(1);
    expect(off.stderr).toBe(
      'error: Items are not synced to Shopify: the setting "Sync items" is "From Shopify". Set it to "To Shopify" on the Settings page first.',
    );
  });

  it("says what is wrong with the arguments, exit 2", async () => {
    const shop = await catalogShop();
    const cases: [string[], RegExp][] = [
      [["items"], /--shop <domain> is required/],
      [["items", "remove", "--shop", shop.domain], /unexpected argument "remove"/],
      [["items", "add", "--shop", shop.domain], /items add needs the numbers of the items to add/],
      [["items", "add", "MUG", "--shop", shop.domain, "--q", "mug"], /--q and --state choose items to list/],
      [["items", "--shop", shop.domain, "--state", "broken"], /--state must be one of all, error/],
      [["items", "--shop", shop.domain, "--q", "x".repeat(101)], /--q is at most 100 characters/],
      [["items", "--shop", shop.domain, "--q"], /Option '--q <value>' argument missing/],
    ];
    for (const [argv, says] of cases) {
      const ran = await cli(...argv);
      expect([ran.code, says.test(ran.stderr), ran.stdout], argv.join(" ")).toEqual([2, true, ""]);
    }
  });
});

describe("npm run cli -- price", () => {
  it("sets a sales price in the back office, which the change feed carries to the export", async () => {
    const shop = await catalogShop();
    const before = await prisma.boChange.count({ where: { shopId: shop.id, entity: "item", key: "HAT" } });

    const set = await cli("price", "HAT", "--shop", shop.domain, "--price", "21.50", "--json");

    expect([set.code, set.stderr]).toEqual([0, ""]);
    expect(JSON.parse(set.stdout)).toMatchObject({ itemNo: "HAT", unitPrice: "21.50" });
    const prices = await prisma.boSalesPrice.findMany({ where: { shopId: shop.id, itemNo: "HAT" } });
    expect(prices.map((price) => price.unitPrice.toString())).toEqual(["21.5"]);
    expect(await prisma.boChange.count({ where: { shopId: shop.id, entity: "item", key: "HAT" } })).toBe(
      before + 1,
    );
  });

  it("refuses a missing or malformed price, an unknown item and an unknown group, changing nothing", async () => {
    const shop = await catalogShop();
    const count = () => prisma.boSalesPrice.count({ where: { shopId: shop.id } });
    const prices = await count();
    expect((await cli("price", "HAT", "--shop", shop.domain)).code).toBe(2);
    expect((await cli("price", "HAT", "--shop", shop.domain, "--price", "-3")).code).toBe(2);
    const unknown = await cli("price", "NOPE", "--shop", shop.domain, "--price", "3");
    expect([unknown.code, unknown.stderr]).toEqual([1, `error: no item NOPE in ${shop.domain}`]);
    const group = await cli("price", "HAT", "--shop", shop.domain, "--price", "3", "--group", "VIP");
    expect(group.code).toBe(1);
    expect(group.stderr).toMatch(/VIP/);
    expect(await count()).toBe(prices);
  });
});
