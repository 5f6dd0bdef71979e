import { describe, expect, it } from "vitest";
import type { FulfillmentOrderNode } from "../../app/sync/shipments/operations.server";
import { allocate } from "../../app/sync/shipments/sync.server";

/**
 * Which fulfillment order lines a posted shipment fulfils: each shipment line by its Shopify
 * line, from the open fulfillment orders, never more than a line has left to fulfil.
 */

const line = (id: number) => `gid://shopify/LineItem/${id}`;

function fulfillmentOrder(
  id: string,
  location: string | null,
  items: { id: string; line: number; remaining: number }[],
  status = "OPEN",
): FulfillmentOrderNode {
  return {
    id,
    status,
    assignedLocation: { location: location ? { id: location } : null },
    lineItems: {
      nodes: items.map((item) => ({
        id: item.id,
        remainingQuantity: item.remaining,
        totalQuantity: item.remaining,
        lineItem: { id: line(item.line) },
      })),
    },
  };
}

describe("allocate", () => {
  it("takes each line from the fulfillment order that has it", () => {
    const east = fulfillmentOrder("FO1", "L-east", [
      { id: "FOL1", line: 11, remaining: 2 },
      { id: "FOL2", line: 12, remaining: 1 },
    ]);
    expect(
      allocate(
        [
          { shopifyLineId: 11n, quantity: 2 },
          { shopifyLineId: 12n, quantity: 1 },
        ],
        [east],
      ),
    ).toEqual([
      { fulfillmentOrderId: "FO1", locationId: "L-east", lineId: "FOL1", quantity: 2 },
      { fulfillmentOrderId: "FO1", locationId: "L-east", lineId: "FOL2", quantity: 1 },
    ]);
  });

  it("splits a line over fulfillment orders at several locations, in their order", () => {
    const east = fulfillmentOrder("FO1", "L-east", [{ id: "FOL1", line: 11, remaining: 1 }]);
    const west = fulfillmentOrder("FO2", "L-west", [{ id: "FOL2", line: 11, remaining: 5 }]);
    expect(allocate([{ shopifyLineId: 11n, quantity: 3 }], [east, west])).toEqual([
      { fulfillmentOrderId: "FO1", locationId: "L-east", lineId: "FOL1", quantity: 1 },
      { fulfillmentOrderId: "FO2", locationId: "L-west", lineId: "FOL2", quantity: 2 },
    ]);
  });

  it("never takes more than is left, even for two shipment lines of the same Shopify line", () => {
    const east = fulfillmentOrder("FO1", "L-east", [{ id: "FOL1", line: 11, remaining: 3 }]);
    expect(
      allocate(
        [
          { shopifyLineId: 11n, quantity: 2 },
          { shopifyLineId: 11n, quantity: 2 },
        ],
        [east],
      ),
    ).toEqual([
      { fulfillmentOrderId: "FO1", locationId: "L-east", lineId: "FOL1", quantity: 2 },
      { fulfillmentOrderId: "FO1", locationId: "L-east", lineId: "FOL1", quantity: 1 },
    ]);
  });

  it("uses open and in-progress fulfillment orders only", () => {
    const closed = fulfillmentOrder("FO1", "L-east", [{ id: "FOL1", line: 11, remaining: 5 }], "CLOSED");
    const onHold = fulfillmentOrder("FO2", "L-east", [{ id: "FOL2", line: 11, remaining: 5 }], "ON_HOLD");
    const started = fulfillmentOrder(
      "FO3",
      "L-west",
      [{ id: "FOL3", line: 11, remaining: 5 }],
      "IN_PROGRESS",
    );
    expect(allocate([{ shopifyLineId: 11n, quantity: 1 }], [closed, onHold, started])).toEqual([
      { fulfillmentOrderId: "FO3", locationId: "L-west", lineId: "FOL3", quantity: 1 },
    ]);
  });

  it("leaves out lines not from Shopify, lines Shopify has nothing left of, and unknown lines", () => {
    const east = fulfillmentOrder("FO1", null, [
      { id: "FOL1", line: 11, remaining: 0 },
      { id: "FOL2", line: 12, remaining: 1 },
    ]);
    expect(
      allocate(
        [
          { shopifyLineId: null, quantity: 1 },
          { shopifyLineId: 11n, quantity: 1 },
          { shopifyLineId: 99n, quantity: 1 },
          { shopifyLineId: 12n, quantity: 1 },
        ],
        [east],
      ),
    ).toEqual([{ fulfillmentOrderId: "FO1", locationId: "", lineId: "FOL2", quantity: 1 }]);
    expect(allocate([{ shopifyLineId: 11n, quantity: 1 }], [])).toEqual([]);
  });
});
