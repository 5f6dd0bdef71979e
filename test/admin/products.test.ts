import { describe, expect, it } from "vitest";
import { createItem, findItem } from "../../app/backoffice/backoffice.server";
import prisma from "../../app/db.server";
import { action, loader } from "../../app/routes/app.products";
import { shopStatus } from "../../app/status/status.server";
import { insertBlockedItem, stockedShop } from "../kit/backoffice";
import { processStaged, queuedRuns, runQueuedJobs } from "../kit/jobs";
import { insertStagedOrder, shopifyId } from "../kit/staged";
import { adminRequest, answer, callRoute, outcomeOf } from "../support/admin";

/** A shop whose order #H1 waits for a hat the back office does not know. */
async function hatNobodyMapped() {
  const { shop } = await stockedShop();
  const hat = {
    variantId: shopifyId(),
    sku: "HAT-01",
    title: "Wool Hat",
    variantTitle: "Grey",
    price: "19.50",
  };
  const order = await insertStagedOrder(shop, {
    name: "#H1",
    email: "ada@example.com",
    lines: [{ variantId: shopifyId(), sku: "TEE", title: "Merino Tee" }, hat],
  });
  await processStaged(shop);
  const blocked = await prisma.shopifyOrder.findUniqueOrThrow({ where: { id: order.id } });
  expect(blocked).toMatchObject({ state: "error", error: "unmapped product: Wool Hat (SKU HAT-01)" });
  return { shop, order, hat, variant: hat.variantId.toString() };
}

const post = (domain: string, form: Record<string, string>) =>
  callRoute(action, adminRequest(domain, "/app/products", form));

const orderOf = (id: string) => prisma.shopifyOrder.findUniqueOrThrow({ where: { id } });

describe("when a product is unmapped", () => {
  it("the mapping panel proposes items found by its SKU, and an item made from the variant", async () => {
    const { shop, variant } = await hatNobodyMapped();
    await createItem(prisma, shop.id, { no: "HAT-01-OLD", description: "Old wool hat", unitPrice: "15" });

    const page = await callRoute(loader, adminRequest(shop.domain, `/app/products?variant=${variant}`));

    expect(page.panel).toMatchObject({
      mapped: false,
      query: "HAT-01",
      items: [{ no: "HAT-01-OLD" }],
      proposal: { itemNo: "HAT-01", description: "Wool Hat - Grey", unitPrice: "19.50", barcode: "" },
      variant: { blockedOrders: [{ name: "#H1" }] },
    });
  });

  it("mapping it to an existing item's variant clears it from the list, and the order it held up is processed", async () => {
    const { shop, order, variant } = await hatNobodyMapped();
    await createItem(prisma, shop.id, {
      no: "HAT",
      description: "Wool hat",
      unitPrice: "19.5",
      variants: [{ code: "GREY", description: "Grey" }],
    });

    const result = await answer(
      await post(shop.domain, { intent: "map", variantId: variant, itemNo: "HAT", variantCode: "GREY" }),
    );

    expect(result.status).toBe(200);
    expect(result.body.message).toContain("Wool Hat - Grey is now mapped to item HAT (variant GREY).");
    expect(result.body.message).toContain("Orders waiting for it: #H1.");
    expect(result.body.message).toContain("Processing orders is queued");
    const page = await callRoute(loader, adminRequest(shop.domain, "/app/products"));
    expect([page.total, page.rows]).toEqual([0, []]);
    expect((await shopStatus(prisma, shop.id)).unmappedProducts).toBe(0);
    expect(await queuedRuns(shop, "process_orders")).toHaveLength(1);

    await runQueuedJobs();

    const processed = await orderOf(order.id);
    expect(processed).toMatchObject({ state: "processed", error: null });
    const lines = await prisma.boSalesLine.findMany({
      where: { header: { shopId: shop.id, no: processed.documentNo! }, type: "item" },
      orderBy: { lineNo: "asc" },
    });
    expect(lines.map((line) => [line.itemNo, line.variantCode])).toEqual([
      ["TEE", null],
      ["HAT", "GREY"],
    ]);
  });

  it("creating an item from it maps it, and the order it held up is processed", async () => {
    const { shop, order, variant } = await hatNobodyMapped();

    const result = await answer(
      await post(shop.domain, {
        intent: "create",
        variantId: variant,
        itemNo: "HAT-01",
        description: "Wool Hat - Grey",
        unitPrice: "19.50",
        barcode: "4006381333931",
        vendorItemNo: "",
      }),
    );

    expect(result.status).toBe(200);
    expect(result.body.message).toContain(
      "Item HAT-01 (Wool Hat - Grey) is created and Wool Hat - Grey is mapped to it.",
    );
    expect(await findItem(prisma, shop.id, "HAT-01")).toMatchObject({
      description: "Wool Hat - Grey",
      barcode: "4006381333931",
    });
    expect((await findItem(prisma, shop.id, "HAT-01"))?.unitPrice.toString()).toBe("19.5");

    await runQueuedJobs();

    expect(await orderOf(order.id)).toMatchObject({ state: "processed" });
    expect((await shopStatus(prisma, shop.id)).unprocessedOrders).toBe(0);
  });

  it("with background syncs off, the order is processed at once and the page says how it went", async () => {
    const { shop, order, variant } = await hatNobodyMapped();
    await prisma.shopSettings.update({ where: { shopId: shop.id }, data: { allowBackgroundSyncs: false } });
    await createItem(prisma, shop.id, { no: "HAT", description: "Wool hat", unitPrice: "19.5" });

    const result = await answer(
      await post(shop.domain, { intent: "map", variantId: variant, itemNo: "HAT" }),
    );

    expect(result.body.message).toContain("Processing orders finished (processed: 1).");
    expect(await orderOf(order.id)).toMatchObject({ state: "processed" });
    expect(await queuedRuns(shop, "process_orders")).toEqual([]);
  });

  it("refuses an item the back office does not have, or a blocked one, and changes nothing", async () => {
    const { shop, variant } = await hatNobodyMapped();
    await insertBlockedItem(shop.id, "OLD-HAT", "Retired hat");

    const unknown = await answer(
      await post(shop.domain, { intent: "map", variantId: variant, itemNo: "NOPE" }),
    );
    const blocked = await answer(
      await post(shop.domain, { intent: "map", variantId: variant, itemNo: "OLD-HAT" }),
    );
    const noVariant = await answer(
      await post(shop.domain, { intent: "map", variantId: variant, itemNo: "TEE", variantCode: "XL" }),
    );
    const taken = await answer(
      await post(shop.domain, {
        intent: "create",
        variantId: variant,
        itemNo: "TEE",
        description: "Wool hat",
        unitPrice: "19.50",
      }),
    );

    expect([unknown.status, unknown.body.error]).toEqual([404, "There is no item NOPE in the back office."]);
    expect([blocked.status, blocked.body.error]).toEqual([
      400,
      "Item OLD-HAT is blocked; unblock it or choose another.",
    ]);
    expect([noVariant.status, noVariant.body.error]).toEqual([404, "Item TEE has no variant XL."]);
    expect([taken.status, taken.body.error]).toEqual([400, "item TEE already exists"]);
    expect((await shopStatus(prisma, shop.id)).unmappedProducts).toBe(1);
    expect(await prisma.syncRun.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("refuses a malformed form with the field at fault", async () => {
    const { shop, variant } = await hatNobodyMapped();

    const noItem = await answer(await post(shop.domain, { intent: "map", variantId: variant, itemNo: "" }));
    const badId = await answer(
      await post(shop.domain, { intent: "map", variantId: "gid://x", itemNo: "TEE" }),
    );
    const badPrice = await answer(
      await post(shop.domain, {
        intent: "create",
        variantId: variant,
        description: "Hat",
        unitPrice: "cheap",
      }),
    );
    const badPage = await outcomeOf(
      callRoute(loader, adminRequest(shop.domain, "/app/products?variant=abc")),
    );

    expect([noItem.status, noItem.body.error]).toEqual([400, "invalid input: itemNo: choose an item"]);
    expect(badId.status).toBe(400);
    expect(badId.body.error).toContain("variant must be a Shopify variant id");
    expect(badPrice.status).toBe(400);
    expect(badPrice.body.error).toContain("give the unit price as a number");
    expect(badPage.status).toBe(400);
    expect((await shopStatus(prisma, shop.id)).unmappedProducts).toBe(1);
  });

  it("a second mapping to another item is refused; the first stands", async () => {
    const { shop, variant } = await hatNobodyMapped();
    await createItem(prisma, shop.id, { no: "HAT", description: "Wool hat", unitPrice: "19.5" });
    await post(shop.domain, { intent: "map", variantId: variant, itemNo: "HAT" });

    const again = await answer(await post(shop.domain, { intent: "map", variantId: variant, itemNo: "TEE" }));
    const panel = await callRoute(loader, adminRequest(shop.domain, `/app/products?variant=${variant}`));

    expect([again.status, again.body.error]).toEqual([409, "Wool Hat - Grey is already mapped to item HAT."]);
    expect(panel.panel).toEqual({ mapped: true, message: "Wool Hat - Grey is already mapped to item HAT." });
    const map = await prisma.shopifyVariantMap.findFirstOrThrow({
      where: { shopId: shop.id, sku: "HAT-01" },
    });
    expect(map.itemNo).toBe("HAT");
  });
});
