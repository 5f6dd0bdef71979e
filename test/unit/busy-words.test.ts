import { describe, expect, it } from "vitest";
import { busyInWords } from "../../app/admin/tasks.server";
import type { Shop } from "../../app/generated/prisma/client";

const toronto = { ianaTimezone: "America/Toronto" } as Shop;

describe("a run a person asked for while its job category is busy", () => {
  it("names the task that holds it by its title, since when in the shop's time, and the category in words", () => {
    const words = busyInWords(
      { category: "orders", task: "sync_orders", runId: "r1", startedAt: new Date("2026-12-04T18:20:05Z") },
      toronto,
    );
    expect(words).toBe(
      'Sync orders (started 4 Dec 13:20:05) is running for this shop, and tasks of the job category "Orders" never run at the same time: try again when it ends',
    );
    expect(words).not.toMatch(/sync_orders|r1|UTC|Z\b/);
  });

  it("says another task when the holder is not a run it can name", () => {
    expect(busyInWords({ category: "night-batch", task: null, runId: null, startedAt: null }, toronto)).toBe(
      'Another task is running for this shop, and tasks of the job category "night-batch" never run at the same time: try again when it ends',
    );
  });
});
