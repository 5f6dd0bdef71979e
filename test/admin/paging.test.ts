import { describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { LIST_PAGE_SIZE } from "../../app/admin/paging";
import { loader as ordersLoader } from "../../app/routes/app.orders";
import { shopStatus } from "../../app/status/status.server";
import { insertStagedOrder } from "../kit/staged";
import { adminRequest, callRoute, outcomeOf } from "../support/admin";
import { installedShop } from "../support/shops";

/**
 * A tile's list is as long as its count: past one page, Previous/Next (`?page=N`) show every
 * row once, oldest first, and the count stays the full one.
 */

async function shopWithWaitingOrders(count: number) {
  const shop = await installedShop();
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = `#P${String(i + 1).padStart(3, "0")}`;
    names.push(name);
    await insertStagedOrder(shop, { name, lines: [{ sku: "NOPE", title: "Unknown thing" }] });
  }
  return { shop, names };
}

const page = (domain: string, query: string) =>
  callRoute(ordersLoader, adminRequest(domain, `/app/orders${query}`));

describe("a list longer than a page", () => {
  it("shows every waiting order once across its pages, in order, with the full count", async () => {
    const total = LIST_PAGE_SIZE * 2 + 7;
    const { shop, names } = await shopWithWaitingOrders(total);

    const pages = [
      await page(shop.domain, ""),
      await page(shop.domain, "?page=2"),
      await page(shop.domain, "?page=3"),
    ];

    expect(pages.map((list) => list.rows.length)).toEqual([LIST_PAGE_SIZE, LIST_PAGE_SIZE, 7]);
    expect(pages.flatMap((list) => list.rows.map((row) => row.name))).toEqual(names);
    expect(pages.map((list) => [list.page, list.total])).toEqual([
      [1, total],
      [2, total],
      [3, total],
    ]);
    expect((await shopStatus(prisma, shop.id)).unprocessedOrders).toBe(total);
  });

  it("a page past the end shows the last page; a page that is not a number is refused", async () => {
    const { shop, names } = await shopWithWaitingOrders(LIST_PAGE_SIZE + 3);

    const past = await page(shop.domain, "?page=9");
    const refused = await outcomeOf(page(shop.domain, "?page=two"));

    expect(past.page).toBe(2);
    expect(past.rows.map((row) => row.name)).toEqual(names.slice(LIST_PAGE_SIZE));
    expect(refused.status).toBe(400);
    expect(refused.text).toContain("page must be a number");
  });
});
