import { describe, expect, it } from "vitest";
import { checkLargest, operation } from "../../app/shopify/operation.server";

/** An operation is priced at the largest page it declares; a request above it is refused. */

const PAGE = operation<unknown, { first: number; ids: string[]; after: string | null }>(
  "TestLargestPage",
  `query TestLargestPage($first: Int!, $ids: [ID!]!, $after: String) { shop { id } }`,
  { largest: { first: 250, ids: 25 } },
);

const ids = (n: number) => Array.from({ length: n }, (_, i) => `gid://shopify/Order/${i + 1}`);

describe("checkLargest", () => {
  it("lets a request at or below each declared largest through", () => {
    expect(() => checkLargest(PAGE, { first: 250, ids: [], after: null })).not.toThrow();
    expect(() => checkLargest(PAGE, { first: 1, ids: ids(25), after: "x" })).not.toThrow();
  });

  it("refuses a page size or a list above what the operation declares, naming it", () => {
    expect(() => checkLargest(PAGE, { first: 251, ids: [], after: null })).toThrow(
      "TestLargestPage: $first is 251, above the largest the operation declares (250)",
    );
    expect(() => checkLargest(PAGE, { first: 1, ids: ids(26), after: null })).toThrow(/\$ids is 26/);
  });

  it("checks nothing for an operation that declares nothing", () => {
    const plain = operation<unknown, { first: number }>(
      "TestNoLargest",
      `query TestNoLargest { shop { id } }`,
    );
    expect(() => checkLargest(plain, { first: 10_000 })).not.toThrow();
    expect(() => checkLargest(PAGE, undefined)).not.toThrow();
  });
});
