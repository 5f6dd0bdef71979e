import { describe, expect, it } from "vitest";
import { choice, date, describeFilterValues, filterSpec, flag, text } from "../../app/sync/kit/filters";
import { orderFilterSpec } from "../../app/sync/orders/filters.server";

/** Filters as the job list, the task page and the orders' reasons put them to a merchant. */
describe("a task's filters in words", () => {
  const { fields } = orderFilterSpec;

  it("names each field by its label and each choice by its option, never by its key", () => {
    expect(
      describeFilterValues(fields, {
        financialStatus: "partially_paid",
        fulfillmentStatus: "unfulfilled",
        tag: "vip",
        channel: "pos",
      }),
    ).toBe("Payment status: Partially paid, Fulfillment status: Unfulfilled, Tag: vip, Sales channel: pos");
  });

  it("writes dates as a person reads them, with the offset a time was given in", () => {
    expect(
      describeFilterValues(fields, { createdFrom: "2026-12-01", createdTo: "2026-12-31T17:30:00-05:00" }),
    ).toBe("Created from: 1 Dec 2026, Created to: 31 Dec 2026 17:30 (-05:00)");
    expect(describeFilterValues(fields, { createdFrom: "2026-03-08T06:00:00Z" })).toBe(
      "Created from: 8 Mar 2026 06:00 (UTC)",
    );
  });

  it("says none when nothing narrows the run: blanks, 'any' and switches at their default", () => {
    const spec = filterSpec({
      status: choice("Status", [["open", "Open"]], { anyValue: true }),
      ship: flag("Send shipments", true),
      note: text("Note"),
      since: date("Changed since"),
    });
    expect(describeFilterValues(spec.fields, {})).toBe("none");
    expect(describeFilterValues(spec.fields, { status: "any", ship: true, note: "", since: undefined })).toBe(
      "none",
    );
    expect(describeFilterValues(spec.fields, { ship: false })).toBe("Send shipments: no");
    expect(describeFilterValues(spec.fields, { ship: "false" })).toBe("Send shipments: no");
  });

  it("shows a key no field declares any more, and a value no option offers, as they are", () => {
    expect(describeFilterValues(fields, { itemNos: ["A-1", "B-2"], financialStatus: "disputed" })).toBe(
      "Item nos: A-1, B-2, Payment status: disputed",
    );
  });
});
