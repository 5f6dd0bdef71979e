import { data } from "@remix-run/node";
import { z } from "zod";
import { BackOfficeError } from "../backoffice/backoffice.server";
import { describeError } from "../errors.server";

/**
 * How the list pages refuse a request: a malformed form (400), a record that is not the shop's
 * or does not exist (404), a request the record's state does not allow (409), or one the back
 * office refuses (400). A refused request has changed nothing.
 */

export class Refusal extends Error {
  override name = "Refusal";
  readonly status: number;
  /** Messages tied to the form's fields, shown beside each. */
  readonly fields: Record<string, string>;
  constructor(message: string, status: 400 | 404 | 409 = 400, fields: Record<string, string> = {}) {
    super(message);
    this.status = status;
    this.fields = fields;
  }
}

export interface Refused {
  ok: false;
  error: string;
  fields: Record<string, string>;
}

/** The first message of each field a schema refused (`form` for the form as a whole). */
export function fieldMessages(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) fields[String(issue.path[0] ?? "form")] ??= issue.message;
  return fields;
}

/** Parses a form (or search parameters) with the schema; a mismatch is a 400 with a message per field. */
export function parseInput<S extends z.ZodType>(schema: S, input: FormData | URLSearchParams): z.output<S> {
  const parsed = schema.safeParse(Object.fromEntries(input));
  if (!parsed.success) throw new Refusal(describeError(parsed.error), 400, fieldMessages(parsed.error));
  return parsed.data;
}

/** A refusal as the page's action answer, with its status; anything else is rethrown. */
export function refused(error: unknown) {
  if (error instanceof Refusal)
    return data<Refused>({ ok: false, error: error.message, fields: error.fields }, { status: error.status });
  if (error instanceof BackOfficeError)
    return data<Refused>({ ok: false, error: error.message, fields: {} }, { status: 400 });
  throw error;
}

/** For loaders: a refusal becomes the thrown Response the route's error boundary shows. */
export function refusedPage(error: unknown): never {
  if (error instanceof Refusal) throw new Response(error.message, { status: error.status });
  throw error;
}
