import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { ShopCostBudget } from "../../app/shopify/budget.server";

/**
 * One cost budget per shop in Postgres: two processes (two ShopCostBudget handles, each with
 * its own learned costs, as two workers would have) draw on the same bucket. Sleeps are
 * recorded instead of slept, and stand in for the time passing.
 */

function handle(shop: string) {
  const waits: number[] = [];
  const budget = new ShopCostBudget(shop, {
    sleep: async (ms) => {
      waits.push(ms);
      // A short real pause instead of the wait asked for: the points come back when the
      // test settles a reservation, as an answer would.
      await new Promise((resolve) => setTimeout(resolve, 5));
    },
  });
  return { budget, waits };
}

const status = (available: number) => ({
  maximumAvailable: 1000,
  currentlyAvailable: available,
  restoreRate: 50,
});

describe("a shop's cost budget shared by two processes", () => {
  it("makes the second process wait for points the first one has reserved", async () => {
    const shop = `budget-${randomUUID()}.myshopify.com`;
    const first = handle(shop);
    const second = handle(shop);
    // Shopify said 250 points are left (of 1,000; a tenth, 100, stays in reserve).
    const opening = await first.budget.reserve(10);
    await first.budget.settle(opening, "Probe", 10, status(250));

    const held = await first.budget.reserve(150);
    expect(first.waits).toEqual([]);
    // 250 left (plus a few refilled since) less the first process's 150 in flight: 100. The
    // second process's 80 and the reserve's 100 make 180, so it waits about 80 / 50 s = 1.6 s.
    let granted = false;
    const pending = second.budget.reserve(80).then((reservation) => {
      granted = true;
      return reservation;
    });
    for (let i = 0; i < 100 && second.waits.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect(second.waits[0]).toBeGreaterThan(1300);
    expect(second.waits[0]).toBeLessThanOrEqual(1600);
    expect(granted).toBe(false);

    // The first request is answered: Shopify charged 30 and says 220 are left; the second goes.
    await first.budget.settle(held, "ImportOrders", 150, status(220));
    const reservation = await pending;
    expect(reservation.cost).toBe(80);
    const rows = await prisma.apiBudgetReservation.findMany({ where: { shopDomain: shop } });
    expect(rows.map((row) => row.cost)).toEqual([80]);
  });

  it("forgets the reservation of a process that died mid-request once it expires", async () => {
    const shop = `budget-${randomUUID()}.myshopify.com`;
    const survivor = handle(shop);
    const opening = await survivor.budget.reserve(10);
    await survivor.budget.settle(opening, "Probe", 10, status(200));
    // A process reserved 90 points and was killed before its answer; its hold has run out.
    await prisma.apiBudgetReservation.create({
      data: { id: randomUUID(), shopDomain: shop, cost: 90, expiresAt: new Date(Date.now() - 1000) },
    });
    await survivor.budget.reserve(90);
    expect(survivor.waits).toEqual([]);
    expect(await prisma.apiBudgetReservation.count({ where: { shopDomain: shop } })).toBe(1);
  });

  it("keeps each shop's bucket its own", async () => {
    const busy = handle(`budget-${randomUUID()}.myshopify.com`);
    const quiet = handle(`budget-${randomUUID()}.myshopify.com`);
    const opening = await busy.budget.reserve(10);
    await busy.budget.settle(opening, "Probe", 10, status(0));
    await quiet.budget.reserve(500);
    expect(quiet.waits).toEqual([]);
  });

  it("learns what an operation costs from its answers, per process", async () => {
    const shop = `budget-${randomUUID()}.myshopify.com`;
    const { budget } = handle(shop);
    expect(budget.expectedCost("ImportOrders")).toBe(10);
    const reservation = await budget.reserve(10);
    await budget.settle(reservation, "ImportOrders", 37, status(963));
    expect(budget.expectedCost("ImportOrders")).toBe(37);
    expect(budget.waitFor(37)).toBe(0);
    await budget.settle(null, "ImportOrders", 37, status(0));
    expect(budget.waitFor(37)).toBe(740);
  });
});
