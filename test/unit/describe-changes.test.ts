import { describe, expect, it } from "vitest";
import { describeChanges, type OrderSnapshot } from "../../app/sync/orders/stage.server";

/** What changed in Shopify since an order's document was made, in the words the lists show. */

const tee = { id: "1", title: "Merino Tee - M", quantity: 2 };
const mug = { id: "2", title: "Mug", quantity: 1 };
const standard = { id: "10", title: "Standard", price: "5.00" };

const snapshot = (overrides: Partial<OrderSnapshot> = {}): OrderSnapshot => ({
  lines: [tee, mug],
  shipping: [standard],
  cancelled: false,
  total: "60.00",
  ...overrides,
});

describe("describeChanges", () => {
  it("finds nothing when the order is as it was", () => {
    expect(describeChanges(snapshot(), snapshot())).toEqual([]);
    // Lines and shipping in another order are the same order.
    expect(describeChanges(snapshot(), snapshot({ lines: [mug, tee], shipping: [{ ...standard }] }))).toEqual(
      [],
    );
  });

  it("says the order was cancelled, once, and not again when it stays cancelled", () => {
    expect(describeChanges(snapshot(), snapshot({ cancelled: true }))).toEqual([
      "order cancelled in Shopify",
    ]);
    expect(describeChanges(snapshot({ cancelled: true }), snapshot({ cancelled: true }))).toEqual([]);
  });

  it("names each line added, removed, or whose quantity went up or down", () => {
    const after = snapshot({
      lines: [
        { ...tee, quantity: 3 },
        { ...mug, quantity: 0 },
        { id: "3", title: "Poster", quantity: 1 },
        { id: "4", title: "Sticker", quantity: 0 },
      ],
    });
    expect(describeChanges(snapshot(), after)).toEqual([
      "quantity of Merino Tee - M up from 2 to 3",
      "line removed: Mug",
      "line added: Poster × 1",
    ]);
    expect(describeChanges(snapshot(), snapshot({ lines: [{ ...tee, quantity: 1 }] }))).toEqual([
      "quantity of Merino Tee - M down from 2 to 1",
      "line removed: Mug",
    ]);
  });

  it("says how the shipping changed, none included", () => {
    expect(describeChanges(snapshot(), snapshot({ shipping: [{ ...standard, price: "0.00" }] }))).toEqual([
      "shipping changed from Standard 5.00 to Standard 0.00",
    ]);
    expect(describeChanges(snapshot(), snapshot({ shipping: [] }))).toEqual([
      "shipping changed from Standard 5.00 to none",
    ]);
  });

  it("names a changed total only when nothing else explains it, and only when both sides kept one", () => {
    expect(describeChanges(snapshot(), snapshot({ total: "55.00" }))).toEqual([
      "total changed from 60.00 to 55.00",
    ]);
    expect(
      describeChanges(snapshot(), snapshot({ total: "75.00", lines: [{ ...tee, quantity: 3 }, mug] })),
    ).toEqual(["quantity of Merino Tee - M up from 2 to 3"]);
    expect(describeChanges(snapshot({ total: undefined }), snapshot({ total: "55.00" }))).toEqual([]);
  });
});
