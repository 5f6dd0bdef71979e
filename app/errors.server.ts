import { ZodError } from "zod";

/**
 * Errors every layer may raise and read: the back office, the Shopify client, the syncs and the
 * jobs. This module imports nothing of the app, so a lower layer (the back office, app/shopify)
 * can say "this cannot succeed as asked" without knowing about jobs; what is done about it
 * (retry or stop) is the job policy's decision, in app/jobs/errors.server.ts.
 */

/**
 * A failure that doing the same thing again cannot change: input refused (the back office's
 * errors extend it), an unknown or uninstalled shop, a missing session.
 */
export class TerminalError extends Error {
  override name = "TerminalError";
}

/**
 * A terminal failure about one record (the back office refused this document, Shopify no
 * longer has this order): that record cannot succeed as asked, but the run's other records
 * may, so a sync counts it as failed, records the message on the record and goes on.
 */
export class RecordError extends TerminalError {
  override name = "RecordError";
}

/** An error in words, for a run's record, a page or the CLI (zod issues with their paths). */
export function describeError(error: unknown): string {
  if (error instanceof ZodError) {
    return `invalid input: ${error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`).join("; ")}`;
  }
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
