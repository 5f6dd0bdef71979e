import type { z } from "zod";
import { BackOfficeError } from "../backoffice/backoffice.server";
import prisma from "../db.server";
import { describeError } from "../errors.server";
import type { Shop } from "../generated/prisma/client";
import { log } from "../log.server";
import { authenticate } from "../shopify.server";
import { shopOfSession } from "../shops/shops.server";
import { fieldMessages, Refusal } from "./refusal.server";

/**
 * How the admin extensions' API routes (app/routes/api.extensions.*) answer the blocks on
 * Shopify's own pages. The blocks run on Shopify's extension host, another origin: their
 * `fetch` to the app carries the session token as `Authorization: Bearer`, and the browser asks
 * first with an OPTIONS preflight. `authenticate.admin` answers the preflight (204 with the
 * CORS headers), answers a token that does not pass with 401 (CORS headers set, so the block
 * can read it), and returns `cors`, which every answer here goes through.
 *
 * An answer is JSON: what the service returned, or `{ error, fields }` with the refusal's
 * status (400 malformed, 404 not this shop's or unknown, 409 not in a state that allows it).
 * Anything else that fails is logged and answered 500 in the same shape, CORS headers set: a
 * bare 500 without them is unreadable across origins, and the block could only say that the
 * app was not reached.
 */

export interface ExtensionRefusal {
  error: string;
  fields: Record<string, string>;
}

export async function extensionAnswer(
  request: Request,
  handle: (shop: Shop) => Promise<unknown>,
): Promise<Response> {
  const { session, cors } = await authenticate.admin(request);
  try {
    return cors(Response.json(await handle(await shopOfSession(prisma, session))));
  } catch (error) {
    if (error instanceof Response) return cors(error);
    if (error instanceof Refusal)
      return cors(Response.json({ error: error.message, fields: error.fields }, { status: error.status }));
    if (error instanceof BackOfficeError)
      return cors(Response.json({ error: error.message, fields: {} }, { status: 400 }));
    log.error(
      { err: error, shop: session.shop, method: request.method, path: new URL(request.url).pathname },
      "admin extension request failed",
    );
    return cors(
      Response.json(
        {
          error: "The app failed on this request. Try again; if it keeps failing, the app's logs say why.",
          fields: {},
        },
        { status: 500 },
      ),
    );
  }
}

/** Parses a route parameter or a body with the schema; a mismatch is a 400 with a message per field. */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new Refusal(describeError(parsed.error), 400, fieldMessages(parsed.error));
  return parsed.data;
}

/**
 * An action's body: the JSON object the blocks send, or a form (as the admin's pages post).
 * Anything else is a 400.
 */
export async function bodyOf(request: Request): Promise<Record<string, unknown>> {
  const type = request.headers.get("content-type") ?? "";
  if (type.includes("application/json")) {
    let body: unknown;
    try {
      body = await request.json();
    } catch {
      throw new Refusal("The request's body is not JSON.", 400);
    }
    if (typeof body !== "object" || body === null || Array.isArray(body))
      throw new Refusal("The request's body must be a JSON object.", 400);
    return body as Record<string, unknown>;
  }
  if (type.includes("application/x-www-form-urlencoded") || type.includes("multipart/form-data")) {
    try {
      return Object.fromEntries(await request.formData());
    } catch {
      throw new Refusal("The request's body is not a form.", 400);
    }
  }
  throw new Refusal("Send the action as JSON (Content-Type: application/json).", 400);
}
