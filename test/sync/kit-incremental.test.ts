/* eslint-disable @typescript-eslint/require-await -- fakes of async interfaces, answered at once */
import { describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { CountedPages, ReadWindow, type Count } from "../../app/sync/kit/incremental.server";
import { installedShop } from "../support/shops";

const exact = (count: number): Count => ({ count, precision: "EXACT" });

/** A count function answering the given counts in turn (the last one again after that). */
function counts(...answers: Count[]) {
  let calls = 0;
  const count = async () => answers[Math.min(calls++, answers.length - 1)]!;
  return { count, calls: () => calls };
}

describe("counted pages", () => {
  it("ask for exactly what is left of the count, and recount once the counted ones are read", async () => {
    const source = counts(exact(3), exact(4));
    const startedAt = new Date(Date.now() - 1000);
    const pages = await CountedPages.start(source.count, { startedAt });
    expect(pages.pageSize(25)).toBe(3);

    pages.done = 3;
    // Shopify says there is more after the three counted: one changed while the run read.
    expect(await pages.readOn({ hasNextPage: true }, 3)).toBe(true);
    expect(source.calls()).toBe(2);
    expect(pages.pageSize(25)).toBe(1);

    pages.done = 4;
    expect(await pages.readOn({ hasNextPage: false }, 1)).toBe(false);
    // Read to the end after the recount: the next run reads from when the recount started.
    expect(pages.readUpTo.getTime()).toBeGreaterThan(startedAt.getTime());
  });

  it("leave the rest to the next run, from the window's start, when a recount finds nothing new", async () => {
    const source = counts(exact(2), exact(2));
    const startedAt = new Date(Date.now() - 1000);
    const pages = await CountedPages.start(source.count, { startedAt });
    pages.done = 2;
    expect(await pages.readOn({ hasNextPage: true }, 2)).toBe(false);
    expect(pages.readUpTo).toBe(startedAt);
  });

  it("recount at most five times, then leave the rest to the next run", async () => {
    let n = 1;
    const pages = await CountedPages.start(async () => exact(n++), { startedAt: new Date() });
    const startedAt = pages.readUpTo;
    let rounds = 0;
    for (;;) {
      pages.done += 1;
      rounds += 1;
      if (!(await pages.readOn({ hasNextPage: true }, 1))) break;
    }
    expect(pages.recounted).toBe(5);
    expect(rounds).toBe(6);
    expect(pages.readUpTo).toBe(startedAt);
  });

  it("past Shopify's count limit (AT_LEAST), read whole pages to the end", async () => {
    const pages = await CountedPages.start(async () => ({ count: 10_000, precision: "AT_LEAST" }), {
      startedAt: new Date(),
    });
    expect(pages.pageSize(25)).toBe(25);
    pages.done = 10_000;
    expect(await pages.readOn({ hasNextPage: true }, 25)).toBe(true);
    expect(await pages.readOn({ hasNextPage: false }, 10)).toBe(false);
  });

  it("have nothing to read when the count is 0", async () => {
    const pages = await CountedPages.start(async () => exact(0), { startedAt: new Date() });
    expect(pages.any).toBe(false);
  });
});

describe("a read window", () => {
  it("moves the cursor to where it read up to, held back before the oldest failure", async () => {
    const shop = await installedShop();
    const first = await ReadWindow.open(prisma, shop.id, "probe_sync", "manual");
    expect(first.since).toBeNull();
    expect(first.searchTerm("status:open")).toBe("status:open");
    const failedAt = new Date(first.startedAt.getTime() - 60_000);
    first.holdBefore(new Date(failedAt.getTime() + 5_000));
    first.holdBefore(failedAt);
    expect(await first.commit(first.startedAt)).toEqual(new Date(failedAt.getTime() - 1));

    const second = await ReadWindow.open(prisma, shop.id, "probe_sync", "webhook");
    expect(second.since).toEqual(new Date(failedAt.getTime() - 1));
    // Read back before the first run's start: what changed before it (less five seconds, for
    // whole-second times), by the first run's rule.
    expect(second.origin).toEqual(first.startedAt);
    const origin = new Date(first.startedAt.getTime() - 5_000).toISOString();
    expect(second.searchTerm("status:open")).toBe(
      `updated_at:>'${second.since!.toISOString()}' AND (status:open OR updated_at:>'${origin}')`,
    );
    expect(second.searchTerm("")).toBe(`updated_at:>'${second.since!.toISOString()}'`);
    await second.commit(second.startedAt);
    const rows = await prisma.syncCursor.findMany({ where: { shopId: shop.id }, orderBy: { task: "asc" } });
    expect(rows.map((row) => [row.task, row.cursor])).toEqual([
      ["probe_sync", second.startedAt],
      ["probe_sync#origin", first.startedAt],
    ]);

    const third = await ReadWindow.open(prisma, shop.id, "probe_sync", "webhook");
    expect(third.searchTerm("status:open")).toBe(`updated_at:>'${second.startedAt.toISOString()}'`);
  });

  it("when reconciling moves both its cursor and the reconcile cursor", async () => {
    const shop = await installedShop();
    const first = await ReadWindow.open(prisma, shop.id, "probe_sync", "manual");
    await first.commit(new Date(Date.now() - 5_000));
    const reconcile = await ReadWindow.open(prisma, shop.id, "probe_sync", "schedule");
    expect(reconcile.reconciling).toBe(true);
    await reconcile.commit(reconcile.startedAt);
    const rows = await prisma.syncCursor.findMany({ where: { shopId: shop.id }, orderBy: { task: "asc" } });
    expect(rows.map((row) => [row.task, row.cursor])).toEqual([
      ["probe_sync", reconcile.startedAt],
      ["probe_sync#origin", first.startedAt],
      ["probe_sync#reconcile", reconcile.startedAt],
    ]);
  });
});
