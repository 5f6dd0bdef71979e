import { describe, expect, it } from "vitest";
import { loader } from "../../app/routes/app._index";
import { adminRequest, callRoute, dataOf } from "../support/admin";
import { installedShop } from "../support/shops";

describe("the home page", () => {
  it("answers a session token of the shop with that shop's counts", async () => {
    const shop = await installedShop();
    const result = await dataOf<{ status: Record<string, number> }>(
      await callRoute(loader, adminRequest(shop.domain, "/app")),
    );
    expect(result.status.unprocessedOrders).toBe(0);
  });
});
