import { ZodError } from "zod";
import { describeError, RecordError, TerminalError } from "../errors.server";

/**
 * The one error policy: decides whether a failed job is retried or stops for good.
 *
 * Terminal (no retry, shown as failed at once): bad payloads, an uninstalled or unknown shop,
 * a missing session, and Admin API answers that a retry cannot change (401 unauthorized,
 * 402 shop frozen, 403 forbidden, 404 not found, 423 shop locked).
 * Retryable (backoff, then failed when attempts run out): throttling (THROTTLED, 429),
 * Shopify's 5xx, network errors, and anything we do not recognise.
 *
 * Scope, for loops over records (app/sync/kit/records.server.ts): a failure is about one
 * record when it is a RecordError (the back office refused it) or Shopify's 404 (that record
 * is gone), and the loop goes on; any other terminal failure (401, 402, 403, 423, an
 * uninstalled shop, a missing session) is about the run, since every record would fail the
 * same way, and stops it. Retryable failures are about the record: the next attempt or run
 * takes it again.
 *
 * The errors themselves (TerminalError, the back office's, describeError) live in the leaf
 * module app/errors.server.ts, which every layer may import; only the policy is here.
 */

const TERMINAL_STATUS = new Set([401, 402, 403, 404, 423]);

export interface ErrorVerdict {
  terminal: boolean;
  /** Whether the failure concerns the whole run (stop) or only the record at hand (go on). */
  scope: "run" | "record";
  message: string;
}

function httpStatusOf(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const candidate = error as { status?: unknown; response?: { code?: unknown; status?: unknown } };
  const status = candidate.response?.code ?? candidate.response?.status ?? candidate.status;
  return typeof status === "number" ? status : undefined;
}

export function classifyError(error: unknown): ErrorVerdict {
  const message = describeError(error);
  if (error instanceof RecordError) return { terminal: true, scope: "record", message };
  if (error instanceof TerminalError || error instanceof ZodError)
    return { terminal: true, scope: "run", message };
  const status = httpStatusOf(error);
  if (status === 404) return { terminal: true, scope: "record", message };
  if (status !== undefined && TERMINAL_STATUS.has(status)) return { terminal: true, scope: "run", message };
  return { terminal: false, scope: "record", message };
}
