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

/** An error in words, for a run's record, a page or the CLI (zod issues with their paths). */
export function describeError(error: unknown): string {
  if (error instanceof ZodError) {
    return `invalid input: ${error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`).join("; ")}`;
  }
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
