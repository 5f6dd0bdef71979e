import { describe, expect, it } from "vitest";
import { z } from "zod";
import { BackOfficeError, PostingHeldError } from "../../app/backoffice/backoffice.server";
import { TerminalError } from "../../app/errors.server";
import { classifyError } from "../../app/jobs/errors.server";
import { AdminApiError } from "../../app/shopify/admin-client.server";

/** The one error policy: which failures a job retries and which stop it at once. */

const withStatus = (status: number) => new AdminApiError(`Shopify answered ${status}`, { status });

describe("classifyError", () => {
  it("stops at once on errors that say a retry cannot change them, the back office's included", () => {
    expect(classifyError(new TerminalError("shop x is uninstalled"))).toMatchObject({
      terminal: true,
      message: "shop x is uninstalled",
    });
    expect(classifyError(new BackOfficeError("item NOPE does not exist")).terminal).toBe(true);
    expect(classifyError(new PostingHeldError("CHANGED", "on hold")).terminal).toBe(true);
  });

  it("stops at once on input that does not parse, saying where", () => {
    const parsed = z.object({ first: z.number().max(250) }).safeParse({ first: 300 });
    expect(parsed.success).toBe(false);
    const verdict = classifyError(parsed.error);
    expect(verdict.terminal).toBe(true);
    expect(verdict.message).toMatch(/^invalid input: first: /);
  });

  it.each([401, 402, 403, 404, 423])("stops at once on Shopify's %i", (status) => {
    expect(classifyError(withStatus(status)).terminal).toBe(true);
    // The status as other clients carry it (graphile-worker, @shopify/shopify-api).
    expect(classifyError(Object.assign(new Error("x"), { response: { code: status } })).terminal).toBe(true);
    expect(classifyError(Object.assign(new Error("x"), { response: { status } })).terminal).toBe(true);
  });

  it.each([429, 500, 502, 503, 504])("retries Shopify's %i", (status) => {
    expect(classifyError(withStatus(status))).toMatchObject({
      terminal: false,
      message: `Shopify answered ${status}`,
    });
  });

  it("retries what it does not recognise: a plain error, a network error, something not an Error", () => {
    expect(classifyError(new Error("socket hang up"))).toMatchObject({
      terminal: false,
      message: "socket hang up",
    });
    expect(classifyError(Object.assign(new Error("fetch failed"), { status: "ECONNRESET" })).terminal).toBe(
      false,
    );
    expect(classifyError("boom")).toMatchObject({ terminal: false, message: "boom" });
    expect(classifyError(new Error(""))).toMatchObject({ terminal: false, message: "Error" });
  });

  it("retries a plain Error that gathers terminal failures: the policy reads the error, not its message", () => {
    expect(classifyError(new Error("2 of 2 documents failed: item NOPE does not exist")).terminal).toBe(
      false,
    );
  });
});
