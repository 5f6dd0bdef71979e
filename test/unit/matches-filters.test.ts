import { describe, expect, it } from "vitest";
import type { ShopifyOrder } from "../../app/generated/prisma/client";
import { processFilterSpec } from "../../app/sync/orders/filters.server";
import { matchesFilters } from "../../app/sync/orders/process.server";

/** Whether a staged order passes the order tasks' filters, checked on what was staged. */

const order = (overrides: Partial<ShopifyOrder> = {}) =>
  ({
    financialStatus: "PAID",
    fulfillmentStatus: "UNFULFILLED",
    sourceName: "web",
    tags: ["Wholesale", "vip"],
    shopifyCreatedAt: new Date("2026-11-15T12:00:00Z"),
    ...overrides,
  }) as ShopifyOrder;

const matches = (filters: Record<string, string>, overrides: Partial<ShopifyOrder> = {}) =>
  matchesFilters(order(overrides), filters);

describe("matchesFilters", () => {
  it("lets every order through without filters, or with 'any'", () => {
    expect(matches({})).toBe(true);
    expect(matches({ financialStatus: "any", fulfillmentStatus: "any" })).toBe(true);
  });

  it("compares the payment status without regard to case", () => {
    expect(matches({ financialStatus: "paid" })).toBe(true);
    expect(matches({ financialStatus: "pending" })).toBe(false);
    expect(
      matches({ financialStatus: "partially_refunded" }, { financialStatus: "PARTIALLY_REFUNDED" }),
    ).toBe(true);
  });

  it("reads fulfilled and shipped as fully fulfilled, partial as partly, the others as not fulfilled at all", () => {
    const statuses = ["UNFULFILLED", "PARTIALLY_FULFILLED", "FULFILLED"] as const;
    const passing = (wanted: string) =>
      statuses.filter((fulfillmentStatus) => matches({ fulfillmentStatus: wanted }, { fulfillmentStatus }));
    expect(passing("fulfilled")).toEqual(["FULFILLED"]);
    expect(passing("shipped")).toEqual(["FULFILLED"]);
    expect(passing("partial")).toEqual(["PARTIALLY_FULFILLED"]);
    expect(passing("unfulfilled")).toEqual(["UNFULFILLED"]);
    expect(passing("unshipped")).toEqual(["UNFULFILLED"]);
  });

  it("takes the channel as Shopify's source name, exactly", () => {
    expect(matches({ channel: "web" })).toBe(true);
    expect(matches({ channel: "pos" })).toBe(false);
    expect(matches({ channel: "web" }, { sourceName: null })).toBe(false);
  });

  it("wants one whole tag, in any case", () => {
    expect(matches({ tag: "wholesale" })).toBe(true);
    expect(matches({ tag: "VIP" })).toBe(true);
    expect(matches({ tag: "whole" })).toBe(false);
    expect(matches({ tag: "vip" }, { tags: [] })).toBe(false);
  });

  it("keeps the creation dates' bounds inclusive", () => {
    expect(matches({ createdFrom: "2026-11-15T12:00:00Z", createdTo: "2026-11-15T12:00:00Z" })).toBe(true);
    expect(matches({ createdFrom: "2026-11-16" })).toBe(false);
    expect(matches({ createdTo: "2026-11-14" })).toBe(false);
    expect(matches({ createdFrom: "2026-11-01", createdTo: "2026-11-30" })).toBe(true);
  });

  it("keeps to the Shopify order ids Process orders names (the order block's Process now), when it names any", () => {
    expect(matches({ orderIds: "1001" }, { shopifyId: 1001n })).toBe(true);
    expect(matches({ orderIds: "1002, 1001" }, { shopifyId: 1001n })).toBe(true);
    expect(matches({ orderIds: "1002" }, { shopifyId: 1001n })).toBe(false);
    expect(matches({}, { shopifyId: 1001n })).toBe(true);
  });

  it("takes on Process orders' request page only order ids Shopify could have (they are stored as bigints)", () => {
    const orderIds = (value: string) => processFilterSpec.schema.safeParse({ orderIds: value }).success;
    expect(orderIds("1001, 9223372036854775807")).toBe(true);
    expect(orderIds("1001, 9223372036854775808")).toBe(false);
    expect(orderIds("#1001")).toBe(false);
  });

  it("needs every filter to pass", () => {
    expect(matches({ financialStatus: "paid", channel: "web", tag: "vip" })).toBe(true);
    expect(matches({ financialStatus: "paid", channel: "web", tag: "retail" })).toBe(false);
  });
});
