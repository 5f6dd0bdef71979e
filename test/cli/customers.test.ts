import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { CUSTOMER_TASK } from "../../app/sync/customers/records.server";
import { exportShop, FAILURE } from "../admin/customer-shop";
import { insertStagedCustomer } from "../kit/staged";
import { cli } from "../support/cli";

/**
 * The CLI's `customers`: each back-office customer with its Shopify customer and the export's
 * state and message, then the Shopify customers not linked to one, with why. The first case
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

const UNMAPPED = "no back-office customer for lin@example.com, and the shop card does not create customers";
const IMPORT_FAILED = "customer name: the back office refused it";

/** The export shop, with an unmapped Shopify customer, one deleted in Shopify, and Dan's import failed. */
async function customersShop() {
  const made = await exportShop();
  const lin = await insertStagedCustomer(made.shop, {
    email: "lin@example.com",
    firstName: "Lin",
    lastName: "Lee",
    syncState: "unmapped",
    message: UNMAPPED,
  });
  await insertStagedCustomer(made.shop, {
    email: "gone@example.com",
    syncState: "skipped",
    message: "deleted in Shopify",
    deletedAt: new Date(),
  });
  await prisma.shopifyCustomer.updateMany({
    where: { shopId: made.shop.id, shopifyId: made.dan },
    data: { syncState: "error", message: IMPORT_FAILED },
  });
  return { ...made, lin };
}

type Json = {
  shop: string;
  customers: Record<string, unknown>[];
  unmapped: Record<string, unknown>[];
};

describe("npm run cli -- customers", { timeout: 90_000 }, () => {
  it("prints each back-office customer's Shopify customer and export state, and the unmapped Shopify customers, as the database has them", async () => {
    const { shop, ada, cat, dan, lin } = await customersShop();
    const admin = `https://admin.shopify.com/store/${shop.domain.replace(".myshopify.com", "")}/customers`;

    const ran = await cliProcess("customers", "--shop", shop.domain, "--json");

    expect([ran.code, ran.stderr]).toEqual([0, ""]);
    const out = JSON.parse(ran.stdout) as Json;
    expect(out.shop).toBe(shop.domain);
    // Every back-office customer but the template, by number, each as its record in the database says.
    const customers = await prisma.boCustomer.findMany({
      where: { shopId: shop.id, isTemplate: false },
      orderBy: { no: "asc" },
    });
    expect(out.customers.map((row) => row.customerNo)).toEqual(customers.map((customer) => customer.no));
    const records = new Map(
      (await prisma.syncRecord.findMany({ where: { shopId: shop.id, task: CUSTOMER_TASK } })).map(
        (record) => [record.recordKey, record],
      ),
    );
    const byNo = Object.fromEntries(out.customers.map((row) => [row.customerNo as string, row]));
    for (const customer of customers)
      expect(byNo[customer.no], customer.no).toMatchObject({
        name: customer.name,
        email: customer.email,
        phone: customer.phone,
        attempts: records.get(customer.no)?.attempts ?? 0,
        sentAt: records.get(customer.no)?.sentAt?.toISOString() ?? null,
      });
    expect(byNo[ada.no]).toMatchObject({ syncState: "not_added", message: null, shopifyCustomerId: null });
    expect(byNo["C-BOB"]).toMatchObject({ syncState: "error", message: FAILURE, attempts: 1 });
    expect(records.get("C-BOB")?.message).toBe(FAILURE);
    expect(byNo["C-CAT"]).toMatchObject({
      syncState: "synced",
      shopifyCustomerId: String(cat),
      shopifyAdminUrl: `${admin}/${cat}`,
      importState: "linked",
    });
    expect(records.get("C-CAT")?.shopifyId).toBe(`gid://shopify/Customer/${cat}`);
    expect(byNo["C-DAN"]).toMatchObject({
      syncState: "linked",
      shopifyCustomerId: String(dan),
      importState: "error",
      importMessage: IMPORT_FAILED,
    });
    // The Shopify customers not linked (the one deleted in Shopify left out), with why.
    expect(out.unmapped).toEqual([
      {
        shopifyCustomerId: lin.shopifyId.toString(),
        name: "Lin Lee",
        email: "lin@example.com",
        phone: null,
        adminUrl: `${admin}/${lin.shopifyId}`,
        syncState: "unmapped",
        message: UNMAPPED,
        ordersWaiting: [],
      },
    ]);
    const unlinked = await prisma.shopifyCustomer.count({
      where: { shopId: shop.id, customerNo: null, deletedAt: null, redactedAt: null },
    });
    expect(out.unmapped).toHaveLength(unlinked);
  });

  it("finds customers with --q and --state, and prints tables without --json", async () => {
    const { shop } = await customersShop();

    const found = await cli("customers", "--shop", shop.domain, "--q", "babbage", "--json");
    const failed = await cli("customers", "--shop", shop.domain, "--state", "error", "--json");
    const linked = await cli("customers", "--shop", shop.domain, "--state", "linked", "--json");
    const text = await cli("customers", "--shop", shop.domain);

    const nos = (ran: { stdout: string }) =>
      (JSON.parse(ran.stdout) as Json).customers.map((row) => row.customerNo);
    expect(nos(found)).toEqual(["C-BOB"]);
    expect(nos(failed)).toEqual(["C-BOB"]);
    expect(nos(linked)).toEqual(["C-DAN"]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("Back-office customers:");
    expect(text.stdout).toContain(FAILURE);
    expect(text.stdout).toContain(`import: ${IMPORT_FAILED}`);
    expect(text.stdout).toContain("Unmapped Shopify customers:");
    expect(text.stdout).toContain(UNMAPPED);
  });

  it("refuses a state it does not know and a search too long, changing nothing", async () => {
    const { shop } = await customersShop();

    const state = await cli("customers", "--shop", shop.domain, "--state", "exploded");
    const long = await cli("customers", "--shop", shop.domain, "--q", "x".repeat(101));
    const unknown = await cli("customers", "--shop", "nobody-here.myshopify.com");

    expect([state.code, state.stderr]).toEqual([
      2,
      expect.stringMatching(/--state: state is one of all, error/),
    ]);
    expect([long.code, long.stderr]).toEqual([2, expect.stringMatching(/--q: at most 100 characters/)]);
    expect([unknown.code, unknown.stderr]).toEqual([1, expect.stringMatching(/unknown shop/)]);
  });
});
