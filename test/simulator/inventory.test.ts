/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-explicit-any -- GraphQL responses are untyped JSON here; the assertions check their shape. */
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { createSimulatorServer } from "../../simulator/http/server.server";
import { executeLocal } from "../../simulator/resolvers/local-execute.server";
import type { InventoryLevelRecord } from "../../simulator/state/records.server";
import { ADDRESS, fixture, money, ORDER_CREATE, schemaErrors, type Fixture } from "./orders-helpers";

/**
 * What the inventory sync needs of the simulator: units move between Shopify's quantity states
 * as orders are placed, fulfilled, cancelled and refunded (orders-inventory.server.ts), locations
 * are added, edited, deactivated and deleted (catalog-locations.server.ts), and each change sends
 * its webhook in Shopify's REST shape: inventory_levels/update, /connect and /disconnect,
 * locations/create, /update, /activate, /deactivate and /delete.
 */

const gid = (type: string, id: number) => `gid://shopify/${type}/${id}`;

function levelOf(f: Fixture, variant: number, location: number): InventoryLevelRecord {
  return f.shop.inventoryLevel(f.shop.variants.get(variant)!.inventoryItemId, location)!;
}

const quantities = (level: InventoryLevelRecord) => ({
  available: level.quantities.available,
  committed: level.quantities.committed,
  on_hand: level.quantities.on_hand,
});

/** The inventory_levels/update payloads sent, as (item, location, available), each checked against its schema. */
function levelUpdates(f: Fixture) {
  return f.sent
    .filter((s) => s.topic === "inventory_levels/update")
    .map((s) => {
      expect(schemaErrors("inventory_levels/update", s.payload)).toEqual([]);
      return {
        inventory_item_id: s.payload.inventory_item_id,
        location_id: s.payload.location_id,
        available: s.payload.available,
      };
    });
}

function itemOf(f: Fixture, variant: number) {
  return f.shop.variants.get(variant)!.inventoryItemId;
}

async function place(
  f: Fixture,
  lines: { variant: number; quantity: number }[],
  inventoryBehaviour: string | null = "DECREMENT_OBEYING_POLICY",
  extra: Record<string, unknown> = {},
) {
  const data = await f.gql(ORDER_CREATE, {
    order: {
      email: "ada@example.com",
      shippingAddress: ADDRESS,
      billingAddress: ADDRESS,
      lineItems: lines.map((line) => ({
        variantId: gid("ProductVariant", line.variant),
        quantity: line.quantity,
        requiresShipping: true,
      })),
      transactions: [{ kind: "SALE", status: "SUCCESS", gateway: "manual", amountSet: money("100.00") }],
      ...extra,
    },
    ...(inventoryBehaviour ? { options: { inventoryBehaviour } } : {}),
  });
  return data.orderCreate;
}

const FULFILL = `mutation Fulfill($fulfillment: FulfillmentInput!) {
  fulfillmentCreate(fulfillment: $fulfillment) { userErrors { field message } fulfillment { id location { id } } }
}`;

async function fulfil(f: Fixture, fulfillmentOrderId: string, lines?: { id: string; quantity: number }[]) {
  const data = await f.gql(FULFILL, {
    fulfillment: {
      lineItemsByFulfillmentOrder: [
        { fulfillmentOrderId, ...(lines ? { fulfillmentOrderLineItems: lines } : {}) },
      ],
    },
  });
  expect(data.fulfillmentCreate.userErrors).toEqual([]);
  return data.fulfillmentCreate.fulfillment;
}

const CANCEL = `mutation Cancel($id: ID!, $restock: Boolean!, $refund: Boolean) {
  orderCancel(orderId: $id, reason: CUSTOMER, restock: $restock, refund: $refund) { orderCancelUserErrors { message } }
}`;

const REFUND = `mutation Refund($input: RefundInput!) {
  refundCreate(input: $input) { userErrors { field message } refund { id } }
}`;

describe("order placement", () => {
  it("moves the claimed units from available to committed at the fulfillment order's location", async () => {
    const f = fixture();
    const placed = await place(f, [
      { variant: f.variants.shirt, quantity: 2 },
      { variant: f.variants.mug, quantity: 1 },
      { variant: f.variants.poster, quantity: 3 },
    ]);
    expect(placed.userErrors).toEqual([]);
    // The shirt and mug are stocked at the east warehouse, the poster at the west one.
    expect(quantities(levelOf(f, f.variants.shirt, f.locations.east))).toEqual({
      available: 48,
      committed: 2,
      on_hand: 50,
    });
    expect(quantities(levelOf(f, f.variants.mug, f.locations.east))).toEqual({
      available: 49,
      committed: 1,
      on_hand: 50,
    });
    expect(quantities(levelOf(f, f.variants.poster, f.locations.west))).toEqual({
      available: 47,
      committed: 3,
      on_hand: 50,
    });
    expect(f.sent.map((s) => s.topic)).toEqual([
      "orders/create",
      "inventory_levels/update",
      "inventory_levels/update",
      "inventory_levels/update",
    ]);
    expect(levelUpdates(f)).toEqual([
      { inventory_item_id: itemOf(f, f.variants.shirt), location_id: f.locations.east, available: 48 },
      { inventory_item_id: itemOf(f, f.variants.mug), location_id: f.locations.east, available: 49 },
      { inventory_item_id: itemOf(f, f.variants.poster), location_id: f.locations.west, available: 47 },
    ]);
  });

  it("claims nothing with BYPASS (orderCreate's default) nor for an untracked item", async () => {
    const f = fixture();
    await place(f, [{ variant: f.variants.shirt, quantity: 2 }], null);
    f.shop.inventoryItems.get(itemOf(f, f.variants.mug))!.tracked = false;
    await place(f, [{ variant: f.variants.mug, quantity: 1 }]);
    expect(quantities(levelOf(f, f.variants.shirt, f.locations.east))).toEqual({
      available: 50,
      committed: 0,
      on_hand: 50,
    });
    expect(quantities(levelOf(f, f.variants.mug, f.locations.east))).toMatchObject({ available: 50 });
    expect(levelUpdates(f)).toEqual([]);
  });

  it("obeys the variant's inventory policy: a CONTINUE variant sells past its stock, a DENY one does not", async () => {
    const f = fixture();
    const refused = await place(f, [
      { variant: f.variants.shirt, quantity: 30 },
      { variant: f.variants.shirt, quantity: 30 },
    ]);
    expect(refused.userErrors[0]).toMatchObject({ code: "INVENTORY_CLAIM_FAILED" });
    expect(levelOf(f, f.variants.shirt, f.locations.east).quantities.available).toBe(50);
    f.shop.variants.get(f.variants.shirt)!.inventoryPolicy = "CONTINUE";
    const oversold = await place(f, [{ variant: f.variants.shirt, quantity: 60 }]);
    expect(oversold.userErrors).toEqual([]);
    expect(quantities(levelOf(f, f.variants.shirt, f.locations.east))).toEqual({
      available: -10,
      committed: 60,
      on_hand: 50,
    });
  });
});

describe("fulfillmentCreate", () => {
  it("takes the fulfilled units out of committed and on hand; available does not move", async () => {
    const f = fixture();
    const placed = await place(f, [
      { variant: f.variants.shirt, quantity: 3 },
      { variant: f.variants.mug, quantity: 1 },
    ]);
    const fo = placed.order.fulfillmentOrders.nodes[0];
    const shirtLine = fo.lineItems.nodes.find((line: any) => line.totalQuantity === 3);
    f.sent.length = 0;
    const first = await fulfil(f, fo.id, [{ id: shirtLine.id, quantity: 2 }]);
    expect(first.location.id).toBe(gid("Location", f.locations.east));
    const shirt = levelOf(f, f.variants.shirt, f.locations.east);
    expect(quantities(shirt)).toEqual({ available: 47, committed: 1, on_hand: 48 });
    expect(quantities(levelOf(f, f.variants.mug, f.locations.east))).toEqual({
      available: 49,
      committed: 1,
      on_hand: 50,
    });
    expect(f.sent.map((s) => s.topic)).toEqual([
      "fulfillments/create",
      "orders/partially_fulfilled",
      "orders/updated",
      "inventory_levels/update",
    ]);
    expect(levelUpdates(f)).toEqual([
      { inventory_item_id: itemOf(f, f.variants.shirt), location_id: f.locations.east, available: 47 },
    ]);

    await fulfil(f, fo.id);
    expect(quantities(shirt)).toEqual({ available: 47, committed: 0, on_hand: 47 });
    expect(quantities(levelOf(f, f.variants.mug, f.locations.east))).toEqual({
      available: 49,
      committed: 0,
      on_hand: 49,
    });
  });

  it("moves nothing for an order that claimed no inventory or an untracked item", async () => {
    const f = fixture();
    const bypass = await place(f, [{ variant: f.variants.shirt, quantity: 2 }], null);
    await fulfil(f, bypass.order.fulfillmentOrders.nodes[0].id);
    expect(quantities(levelOf(f, f.variants.shirt, f.locations.east))).toEqual({
      available: 50,
      committed: 0,
      on_hand: 50,
    });
    expect(levelUpdates(f)).toEqual([]);
  });

  it("an order created fulfilled claims and fulfils at once: on hand and available down, nothing committed", async () => {
    const f = fixture();
    const placed = await place(f, [{ variant: f.variants.mug, quantity: 2 }], "DECREMENT_IGNORING_POLICY", {
      fulfillmentStatus: "FULFILLED",
    });
    expect(placed.userErrors).toEqual([]);
    expect(quantities(levelOf(f, f.variants.mug, f.locations.east))).toEqual({
      available: 48,
      committed: 0,
      on_hand: 48,
    });
    // One webhook per level and mutation, with the state after it.
    expect(levelUpdates(f)).toEqual([
      { inventory_item_id: itemOf(f, f.variants.mug), location_id: f.locations.east, available: 48 },
    ]);
  });
});

describe("orderCancel", () => {
  it("with restock gives the committed units back to available", async () => {
    const f = fixture();
    const placed = await place(f, [{ variant: f.variants.shirt, quantity: 3 }]);
    f.sent.length = 0;
    const data = await f.gql(CANCEL, { id: placed.order.id, restock: true });
    expect(data.orderCancel.orderCancelUserErrors).toEqual([]);
    expect(quantities(levelOf(f, f.variants.shirt, f.locations.east))).toEqual({
      available: 50,
      committed: 0,
      on_hand: 50,
    });
    expect(f.sent.map((s) => s.topic)).toEqual([
      "orders/cancelled",
      "orders/updated",
      "inventory_levels/update",
    ]);
    expect(levelUpdates(f)[0]).toMatchObject({ available: 50 });
  });

  it("without restock takes the committed units out of committed and on hand, not back to available", async () => {
    const f = fixture();
    const placed = await place(f, [{ variant: f.variants.shirt, quantity: 3 }]);
    await f.gql(CANCEL, { id: placed.order.id, restock: false });
    expect(quantities(levelOf(f, f.variants.shirt, f.locations.east))).toEqual({
      available: 47,
      committed: 0,
      on_hand: 47,
    });
  });

  it("with a refund and restock restocks once, through the refund", async () => {
    const f = fixture();
    const placed = await place(f, [{ variant: f.variants.shirt, quantity: 3 }]);
    await f.gql(CANCEL, { id: placed.order.id, restock: true, refund: true });
    expect(quantities(levelOf(f, f.variants.shirt, f.locations.east))).toEqual({
      available: 50,
      committed: 0,
      on_hand: 50,
    });
    expect(f.sent.map((s) => s.topic).slice(-4)).toEqual([
      "refunds/create",
      "orders/cancelled",
      "orders/updated",
      "inventory_levels/update",
    ]);
  });
});

describe("refundCreate", () => {
  it("restocks returned fulfilled units into available and on hand where they were fulfilled, or where asked", async () => {
    const f = fixture();
    const placed = await place(f, [{ variant: f.variants.shirt, quantity: 3 }]);
    const line = placed.order.lineItems.nodes[0].id;
    await fulfil(f, placed.order.fulfillmentOrders.nodes[0].id);
    const shirt = levelOf(f, f.variants.shirt, f.locations.east);
    expect(quantities(shirt)).toEqual({ available: 47, committed: 0, on_hand: 47 });
    f.sent.length = 0;
    const returned = await f.gql(REFUND, {
      input: {
        orderId: placed.order.id,
        refundLineItems: [{ lineItemId: line, quantity: 2, restockType: "RETURN" }],
      },
    });
    expect(returned.refundCreate.userErrors).toEqual([]);
    expect(quantities(shirt)).toEqual({ available: 49, committed: 0, on_hand: 49 });
    expect(f.sent.map((s) => s.topic)).toEqual([
      "refunds/create",
      "orders/updated",
      "inventory_levels/update",
    ]);
    // Kept by the customer: nothing comes back.
    await f.gql(REFUND, {
      input: {
        orderId: placed.order.id,
        refundLineItems: [{ lineItemId: line, quantity: 1, restockType: "NO_RESTOCK" }],
      },
    });
    expect(quantities(shirt)).toEqual({ available: 49, committed: 0, on_hand: 49 });
  });

  it("restocks at the refund line's location, and refuses an unknown one", async () => {
    const f = fixture();
    // The shirt stocked at the west warehouse too.
    const item = itemOf(f, f.variants.shirt);
    f.shop.inventoryLevels.set(`${item}:${f.locations.west}`, {
      ...structuredClone(levelOf(f, f.variants.shirt, f.locations.east)),
      id: f.shop.newId(),
      locationId: f.locations.west,
    });
    const placed = await place(f, [{ variant: f.variants.shirt, quantity: 1 }]);
    const line = placed.order.lineItems.nodes[0].id;
    await fulfil(f, placed.order.fulfillmentOrders.nodes[0].id);
    const unknown = await f.gql(REFUND, {
      input: {
        orderId: placed.order.id,
        refundLineItems: [
          { lineItemId: line, quantity: 1, restockType: "RETURN", locationId: gid("Location", 999) },
        ],
      },
    });
    expect(unknown.refundCreate.userErrors[0].field).toEqual(["refundLineItems", "0", "locationId"]);
    await f.gql(REFUND, {
      input: {
        orderId: placed.order.id,
        refundLineItems: [
          {
            lineItemId: line,
            quantity: 1,
            restockType: "RETURN",
            locationId: gid("Location", f.locations.west),
          },
        ],
      },
    });
    expect(quantities(levelOf(f, f.variants.shirt, f.locations.west))).toEqual({
      available: 51,
      committed: 0,
      on_hand: 51,
    });
    expect(quantities(levelOf(f, f.variants.shirt, f.locations.east))).toEqual({
      available: 49,
      committed: 0,
      on_hand: 49,
    });
  });
});

describe("an order edit removing units", () => {
  it("restocked gives them back to available; not restocked takes them out of committed and on hand", async () => {
    const f = fixture();
    const placed = await place(f, [{ variant: f.variants.shirt, quantity: 4 }]);
    const line = placed.order.lineItems.nodes[0].id;
    const edit = async (quantity: number, restock: boolean) => {
      const begun = await f.gql(
        `mutation { orderEditBegin(id: "${placed.order.id}") { calculatedOrder { id } } }`,
      );
      const calculated = begun.orderEditBegin.calculatedOrder.id;
      await f.gql(
        `mutation { orderEditSetQuantity(id: "${calculated}", lineItemId: "${line.replace("LineItem", "CalculatedLineItem")}", quantity: ${quantity}, restock: ${restock}) { userErrors { message } } }`,
      );
      const committed = await f.gql(
        `mutation { orderEditCommit(id: "${calculated}") { userErrors { message } } }`,
      );
      expect(committed.orderEditCommit.userErrors).toEqual([]);
    };
    await edit(3, true);
    const shirt = levelOf(f, f.variants.shirt, f.locations.east);
    expect(quantities(shirt)).toEqual({ available: 47, committed: 3, on_hand: 50 });
    await edit(2, false);
    expect(quantities(shirt)).toEqual({ available: 47, committed: 2, on_hand: 49 });
    expect(f.sent.map((s) => s.topic).slice(-3)).toEqual([
      "orders/edited",
      "orders/updated",
      "inventory_levels/update",
    ]);
  });
});

const LOCATION_ADD = `mutation Add($input: LocationAddInput!) {
  locationAdd(input: $input) {
    location { id name isActive fulfillsOnlineOrders address { address1 city provinceCode countryCode } }
    userErrors { field message code }
  }
}`;

// The schemas were inferred from one example with every field filled; Shopify's REST Location
// has null for a field the location lacks ("address2": null, "phone": null).
const nullableLocation = (schema: Record<string, any>) => {
  for (const key of ["address1", "address2", "city", "zip", "province", "phone", "province_code"])
    schema.properties[key].type = ["string", "null"];
};

describe("locations", () => {
  async function addDepot(f: Fixture, extra: Record<string, unknown> = {}) {
    const data = await f.gql(LOCATION_ADD, {
      input: {
        name: "North depot",
        address: {
          address1: "9 Quay St",
          city: "Toronto",
          provinceCode: "ON",
          countryCode: "CA",
          zip: "M5J 1A1",
        },
        ...extra,
      },
    });
    return data.locationAdd;
  }

  it("locationAdd adds an active location fulfilling online orders and sends locations/create", async () => {
    const f = fixture();
    const added = await addDepot(f);
    expect(added).toEqual({
      location: {
        id: expect.stringMatching(/^gid:\/\/shopify\/Location\/\d+$/),
        name: "North depot",
        isActive: true,
        fulfillsOnlineOrders: true,
        address: { address1: "9 Quay St", city: "Toronto", provinceCode: "ON", countryCode: "CA" },
      },
      userErrors: [],
    });
    const id = Number(added.location.id.split("/").pop());
    expect(f.sent.map((s) => s.topic)).toEqual(["locations/create"]);
    const payload = f.sent[0]!.payload;
    expect(schemaErrors("locations/create", payload, nullableLocation)).toEqual([]);
    expect(payload).toMatchObject({
      id,
      name: "North depot",
      address1: "9 Quay St",
      address2: null,
      city: "Toronto",
      zip: "M5J 1A1",
      province: "Ontario",
      country: "CA",
      country_code: "CA",
      country_name: "Canada",
      province_code: "ON",
      phone: null,
      legacy: false,
      active: true,
      admin_graphql_api_id: `gid://shopify/Location/${id}`,
    });
    expect(payload.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d-0[45]:00$/);

    const blank = await f.gql(LOCATION_ADD, { input: { name: " ", address: { countryCode: "CA" } } });
    expect(blank.locationAdd).toEqual({
      location: null,
      userErrors: [{ field: ["input", "name"], message: "Name can't be blank", code: "BLANK" }],
    });
    const taken = await addDepot(f);
    expect(taken.userErrors[0]).toMatchObject({ field: ["input", "name"], code: "TAKEN" });
    expect(f.sent).toHaveLength(1);
  });

  it("locationEdit changes name, address and online fulfillment, and sends locations/update", async () => {
    const f = fixture();
    const added = await addDepot(f);
    f.advance(1000);
    const data = await f.gql(
      `mutation Edit($id: ID!, $input: LocationEditInput!) { locationEdit(id: $id, input: $input) {
        location { name fulfillsOnlineOrders address { city province provinceCode } } userErrors { field message code } } }`,
      {
        id: added.location.id,
        input: {
          name: "North depot 2",
          address: { city: "Montreal", provinceCode: "QC" },
          fulfillsOnlineOrders: false,
        },
      },
    );
    expect(data.locationEdit).toEqual({
      location: {
        name: "North depot 2",
        fulfillsOnlineOrders: false,
        address: { city: "Montreal", province: "Quebec", provinceCode: "QC" },
      },
      userErrors: [],
    });
    const update = f.sent.at(-1)!;
    expect(update.topic).toBe("locations/update");
    expect(schemaErrors("locations/update", update.payload, nullableLocation)).toEqual([]);
    expect(update.payload).toMatchObject({ name: "North depot 2", city: "Montreal", province_code: "QC" });
    expect(update.payload.updated_at).not.toBe(update.payload.created_at);

    const missing = await f.gql(
      `mutation { locationEdit(id: "gid://shopify/Location/1", input: { name: "X" }) { userErrors { field code } } }`,
    );
    expect(missing.locationEdit.userErrors).toEqual([{ field: ["id"], code: "NOT_FOUND" }]);
  });

  it("inventoryActivate stocks an item at a new location (connect, then update for its quantity)", async () => {
    const f = fixture();
    const added = await addDepot(f);
    f.sent.length = 0;
    const data = await f.gql(
      `mutation A($item: ID!, $loc: ID!) {
        inventoryActivate(inventoryItemId: $item, locationId: $loc, available: 5) @idempotent(key: "activate-depot") {
          inventoryLevel { quantities(names: ["available", "on_hand", "committed"]) { name quantity } }
          userErrors { field message } } }`,
      { item: gid("InventoryItem", itemOf(f, f.variants.mug)), loc: added.location.id },
    );
    expect(data.inventoryActivate).toEqual({
      inventoryLevel: {
        quantities: [
          { name: "available", quantity: 5 },
          { name: "on_hand", quantity: 5 },
          { name: "committed", quantity: 0 },
        ],
      },
      userErrors: [],
    });
    expect(f.sent.map((s) => s.topic)).toEqual(["inventory_levels/connect", "inventory_levels/update"]);
    expect(schemaErrors("inventory_levels/connect", f.sent[0]!.payload)).toEqual([]);
    expect(f.sent[0]!.payload).toMatchObject({
      inventory_item_id: itemOf(f, f.variants.mug),
      location_id: Number(added.location.id.split("/").pop()),
      available: 5,
    });
  });

  it("locationDeactivate moves inventory and pending orders to the destination; locationDelete then removes it", async () => {
    const f = fixture();
    // The west warehouse stocks the poster (50) and has an open order of 3 committed there.
    const placed = await place(f, [{ variant: f.variants.poster, quantity: 3 }]);
    const west = gid("Location", f.locations.west);
    const east = gid("Location", f.locations.east);
    const DEACTIVATE = `mutation D($id: ID!, $to: ID, $key: String!) {
      locationDeactivate(locationId: $id, destinationLocationId: $to) @idempotent(key: $key) {
        location { isActive deactivatedAt } locationDeactivateUserErrors { field message code } } }`;
    const refused = await f.gql(DEACTIVATE, { id: west, key: "d1" });
    expect(refused.locationDeactivate).toEqual({
      location: null,
      locationDeactivateUserErrors: [
        {
          field: ["locationId"],
          message:
            "Location could not be deactivated without specifying where to relocate inventory at the location.",
          code: "HAS_ACTIVE_INVENTORY_ERROR",
        },
      ],
    });
    const same = await f.gql(DEACTIVATE, { id: west, to: west, key: "d2" });
    expect(same.locationDeactivate.locationDeactivateUserErrors[0].code).toBe(
      "DESTINATION_LOCATION_IS_THE_SAME_LOCATION",
    );
    f.sent.length = 0;
    const done = await f.gql(DEACTIVATE, { id: west, to: east, key: "d3" });
    expect(done.locationDeactivate).toEqual({
      location: { isActive: false, deactivatedAt: expect.any(String) },
      locationDeactivateUserErrors: [],
    });
    const poster = itemOf(f, f.variants.poster);
    expect(f.shop.inventoryLevel(poster, f.locations.west)).toBeUndefined();
    expect(quantities(levelOf(f, f.variants.poster, f.locations.east))).toEqual({
      available: 47,
      committed: 3,
      on_hand: 50,
    });
    expect(f.sent.map((s) => s.topic)).toEqual([
      "locations/deactivate",
      "locations/update",
      "inventory_levels/disconnect",
      "inventory_levels/connect",
      "inventory_levels/update",
    ]);
    expect(f.sent[0]!.payload).toMatchObject({ id: f.locations.west, active: false });
    expect(schemaErrors("locations/deactivate", f.sent[0]!.payload, nullableLocation)).toEqual([]);
    expect(f.sent[2]!.payload).toEqual({ inventory_item_id: poster, location_id: f.locations.west });
    expect(schemaErrors("inventory_levels/disconnect", f.sent[2]!.payload)).toEqual([]);
    // The pending order now ships from the east warehouse, and its fulfillment takes the units there.
    const fo = placed.order.fulfillmentOrders.nodes[0];
    const fulfilled = await fulfil(f, fo.id);
    expect(fulfilled.location.id).toBe(east);
    expect(quantities(levelOf(f, f.variants.poster, f.locations.east))).toEqual({
      available: 47,
      committed: 0,
      on_hand: 47,
    });
    // Repeating the key answers the first result without deactivating anything again.
    const repeated = await f.gql(DEACTIVATE, { id: west, to: east, key: "d3" });
    expect(repeated.locationDeactivate.locationDeactivateUserErrors).toEqual([]);

    const DELETE = `mutation Del($id: ID!) { locationDelete(locationId: $id) {
      deletedLocationId locationDeleteUserErrors { field message code } } }`;
    const activeOne = await f.gql(DELETE, { id: east });
    expect(activeOne.locationDelete).toEqual({
      deletedLocationId: null,
      locationDeleteUserErrors: [
        {
          field: ["locationId"],
          message: "The location cannot be deleted while it is active.",
          code: "LOCATION_IS_ACTIVE",
        },
      ],
    });
    f.sent.length = 0;
    const deleted = await f.gql(DELETE, { id: west });
    expect(deleted.locationDelete).toEqual({ deletedLocationId: west, locationDeleteUserErrors: [] });
    expect(f.shop.locations.has(f.locations.west)).toBe(false);
    expect(f.sent).toEqual([{ topic: "locations/delete", payload: { id: f.locations.west } }]);
    expect(schemaErrors("locations/delete", f.sent[0]!.payload)).toEqual([]);
  });

  it("locationActivate reactivates a location and sends locations/activate and locations/update", async () => {
    const f = fixture();
    const west = gid("Location", f.locations.west);
    const item = itemOf(f, f.variants.poster);
    f.shop.inventoryLevels.delete(`${item}:${f.locations.west}`);
    await f.gql(
      `mutation { locationDeactivate(locationId: "${west}") @idempotent(key: "off") { locationDeactivateUserErrors { code } } }`,
    );
    f.sent.length = 0;
    const data = await f.gql(
      `mutation { locationActivate(locationId: "${west}") @idempotent(key: "on") {
        location { isActive } locationActivateUserErrors { code } } }`,
    );
    expect(data.locationActivate).toEqual({ location: { isActive: true }, locationActivateUserErrors: [] });
    expect(f.sent.map((s) => s.topic)).toEqual(["locations/activate", "locations/update"]);
    expect(f.sent[0]!.payload).toMatchObject({ active: true });
  });
});

describe("inventoryDeactivate", () => {
  const DEACTIVATE = `mutation D($id: ID!) { inventoryDeactivate(inventoryLevelId: $id) { userErrors { field message } } }`;
  const levelGid = (level: InventoryLevelRecord) =>
    `gid://shopify/InventoryLevel/${level.id}?inventory_item_id=${level.inventoryItemId}`;

  it("removes the level and sends inventory_levels/disconnect; refuses a level with committed units", async () => {
    const f = fixture();
    await place(f, [{ variant: f.variants.shirt, quantity: 1 }]);
    const shirt = levelOf(f, f.variants.shirt, f.locations.east);
    const refused = await f.gql(DEACTIVATE, { id: levelGid(shirt) });
    expect(refused.inventoryDeactivate.userErrors).toHaveLength(1);
    expect(f.shop.inventoryLevel(shirt.inventoryItemId, f.locations.east)).toBe(shirt);
    const mug = levelOf(f, f.variants.mug, f.locations.east);
    f.sent.length = 0;
    const done = await f.gql(DEACTIVATE, { id: levelGid(mug) });
    expect(done.inventoryDeactivate.userErrors).toEqual([]);
    expect(f.shop.inventoryLevel(mug.inventoryItemId, f.locations.east)).toBeUndefined();
    expect(f.sent).toEqual([
      {
        topic: "inventory_levels/disconnect",
        payload: { inventory_item_id: mug.inventoryItemId, location_id: f.locations.east },
      },
    ]);
  });
});

describe("subscriptions and the control API", () => {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
  });

  it("API subscriptions to the location and inventory level topics receive them", async () => {
    const f = fixture();
    for (const topic of [
      "LOCATIONS_CREATE",
      "LOCATIONS_DELETE",
      "INVENTORY_LEVELS_UPDATE",
      "INVENTORY_LEVELS_DISCONNECT",
    ]) {
      const response = await executeLocal(
        f.sim,
        f.domain,
        `mutation($topic: WebhookSubscriptionTopic!) { webhookSubscriptionCreate(topic: $topic,
          webhookSubscription: { uri: "https://app.example/inventory" }) { userErrors { message } } }`,
        { topic },
      );
      expect(response.errors).toBeUndefined();
    }
    for (const topic of [
      "locations/create",
      "locations/delete",
      "inventory_levels/update",
      "inventory_levels/disconnect",
    ])
      expect(f.sim.webhookTargets(f.shop, topic)).toEqual(["https://app.example/inventory"]);
  });

  it("adds, edits, deactivates, activates and deletes a location as a merchant in admin does", async () => {
    const f = fixture();
    const server = createSimulatorServer(f.sim);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/_sim/shops/${f.domain}/locations`;
    const call = async (path: string, method: string, body?: unknown) => {
      const response = await fetch(`${base}${path}`, {
        method,
        headers: { "content-type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const json: any = await response.json();
      return { status: response.status, body: json };
    };
    const added = await call("", "POST", { name: "Pop-up", address: { countryCode: "CA", city: "Ottawa" } });
    expect(added.status).toBe(201);
    expect(added.body.location).toMatchObject({ name: "Pop-up", isActive: true });
    const id = added.body.location.legacyResourceId;
    expect((await call(`/${id}`, "POST", { name: "Pop-up shop" })).body.location.name).toBe("Pop-up shop");
    expect((await call(`/${id}`, "POST", { nickname: "x" })).status).toBe(400);
    expect((await call(`/${id}/deactivate`, "POST", {})).body.location.isActive).toBe(false);
    expect((await call(`/${id}/activate`, "POST")).body.location.isActive).toBe(true);
    const refused = await call(`/${id}`, "DELETE");
    expect(refused).toMatchObject({ status: 422, body: { userErrors: [{ code: "LOCATION_IS_ACTIVE" }] } });
    await call(`/${id}/deactivate`, "POST", {});
    expect((await call(`/${id}`, "DELETE")).status).toBe(200);
    expect(f.sent.map((s) => s.topic)).toEqual([
      "locations/create",
      "locations/update",
      "locations/deactivate",
      "locations/update",
      "locations/activate",
      "locations/update",
      "locations/deactivate",
      "locations/update",
      "locations/delete",
    ]);
    // The collection listing is still the control API's GET.
    const listed = await fetch(base);
    expect(((await listed.json()) as unknown[]).length).toBe(f.shop.locations.size);
  });

  it("a storefront checkout claims stock by the variant's policy, unlike orderCreate's BYPASS, and /stock shows it", async () => {
    const f = fixture();
    const server = createSimulatorServer(f.sim);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/_sim/shops/${f.domain}`;
    const checkout = async (quantity: number, options?: unknown) => {
      const response = await fetch(`${base}/checkouts`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          order: {
            email: "ada@example.com",
            shippingAddress: ADDRESS,
            lineItems: [
              { variantId: gid("ProductVariant", f.variants.shirt), quantity, requiresShipping: true },
            ],
          },
          ...(options === undefined ? {} : { options }),
        }),
      });
      return { status: response.status, body: (await response.json()) as Record<string, any> };
    };
    const shirt = () => quantities(levelOf(f, f.variants.shirt, f.locations.east));

    // No options: DECREMENT_OBEYING_POLICY, as a storefront (orderCreate with none claims nothing).
    expect((await checkout(2)).status).toBe(201);
    expect(shirt()).toEqual({ available: 48, committed: 2, on_hand: 50 });
    expect(levelUpdates(f)).toEqual([
      { inventory_item_id: itemOf(f, f.variants.shirt), location_id: f.locations.east, available: 48 },
    ]);
    // A DENY variant without enough available cannot be bought; nothing is placed.
    const orders = f.shop.orders.size;
    const refused = await checkout(49);
    expect(refused.status).toBe(422);
    expect(refused.body.userErrors[0]).toMatchObject({ code: "INVENTORY_CLAIM_FAILED" });
    expect(f.shop.orders.size).toBe(orders);
    expect(shirt()).toEqual({ available: 48, committed: 2, on_hand: 50 });
    // A CONTINUE variant sells past its stock.
    f.shop.variants.get(f.variants.shirt)!.inventoryPolicy = "CONTINUE";
    expect((await checkout(49)).status).toBe(201);
    expect(shirt()).toEqual({ available: -1, committed: 51, on_hand: 50 });
    // The body may still say otherwise (a test placing an order that claims nothing).
    expect((await checkout(1, { inventoryBehaviour: "BYPASS" })).status).toBe(201);
    expect(shirt()).toEqual({ available: -1, committed: 51, on_hand: 50 });

    const stock = await (
      await fetch(`${base}/stock?sku=${f.shop.variants.get(f.variants.shirt)!.sku}`)
    ).json();
    expect(stock).toEqual([
      expect.objectContaining({
        variantId: f.variants.shirt,
        inventoryPolicy: "CONTINUE",
        tracked: true,
        levels: [
          {
            locationId: f.locations.east,
            location: "East warehouse",
            on_hand: 50,
            available: -1,
            committed: 51,
          },
        ],
      }),
    ]);
  });
});
