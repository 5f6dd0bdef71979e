import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { enqueueSync } from "../../app/jobs/enqueue.server";
import { recordUninstall } from "../../app/shops/shops.server";
import { installedShop } from "../support/shops";
import { probeTask } from "../support/tasks";

const ROOT = path.resolve(import.meta.dirname, "../..");
const run = promisify(execFile);

/** Runs `npm run cli -- ...` as an operator would, against this test file's database. */
async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(
      path.join(ROOT, "node_modules/.bin/tsx"),
      ["scripts/cli.ts", ...args],
      {
        cwd: ROOT,
        env: { ...process.env, LOG_LEVEL: "warn" },
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

// Each command is a process of its own (tsx start-up): slow on a busy machine, not stuck.
describe("the operator CLI", { timeout: 90_000 }, () => {
  it("lists the shops, runs and status counts the app holds", async () => {
    const shop = await installedShop();
    const gone = await installedShop();
    await prisma.$transaction((tx) => recordUninstall(tx, gone.domain));
    await enqueueSync(prisma, probeTask, { shop: shop.domain, trigger: "manual", filters: { sleepMs: 5 } });
    await prisma.syncRun.create({
      data: {
        id: crypto.randomUUID(),
        shopId: shop.id,
        task: "probe",
        trigger: "schedule",
        category: "sync",
        status: "failed",
        error: "Shopify answered 403",
        interruptions: 1,
        note: "Attempt 1 was interrupted: worker pool-x stopped without finishing it",
      },
    });

    const shops = await cli("shops", "--json");
    expect(shops.code).toBe(0);
    expect(JSON.parse(shops.stdout)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ domain: shop.domain, state: "installed" }),
        expect.objectContaining({ domain: gone.domain, state: "uninstalled" }),
      ]),
    );

    const runs = await cli("runs", "--shop", shop.domain, "--json");
    expect(runs.code).toBe(0);
    const listed = JSON.parse(runs.stdout) as {
      task: string;
      trigger: string;
      status: string;
      filters: unknown;
      error: string | null;
    }[];
    expect(listed).toHaveLength(2);
    expect(listed).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          task: "probe",
          trigger: "manual",
          status: "queued",
          filters: { sleepMs: 5 },
        }),
        expect.objectContaining({
          trigger: "schedule",
          status: "failed",
          error: "Shopify answered 403",
          interruptions: 1,
          note: "Attempt 1 was interrupted: worker pool-x stopped without finishing it",
        }),
      ]),
    );

    const status = await cli("status", "--shop", shop.domain, "--json");
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({
      shop: shop.domain,
      synchronizationErrors: 1,
      unmappedCustomers: 0,
    });

    const text = await cli("runs", "--shop", shop.domain);
    expect(text.stdout).toMatch(/task\s+trigger\s+status\s+attempts\s+interrupted/);
  });

  it("says so clearly and exits non-zero for an unknown shop or a bad argument", async () => {
    const unknown = await cli("status", "--shop", "nobody.myshopify.com", "--json");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("unknown shop nobody.myshopify.com");
    expect(unknown.stdout).toBe("");

    const missing = await cli("runs");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("--shop <domain> is required");

    const bogus = await cli("frobnicate");
    expect(bogus.code).toBe(2);
    expect(bogus.stderr).toContain('unknown command "frobnicate"');

    const badOption = await cli("shops", "--colour");
    expect(badOption.code).toBe(2);
    expect(badOption.stderr).toMatch(/Unknown option '--colour'/);
  });
});
