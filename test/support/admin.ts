import { createHmac, randomBytes } from "node:crypto";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { TEST_API_KEY, TEST_API_SECRET } from "./env";

/**
 * Requests to the embedded admin's routes as App Bridge sends them from inside Shopify admin:
 * a fetch with `Authorization: Bearer <session token>` for the shop, signed with the app
 * secret. The shop needs an offline session (installedShop() makes one).
 */

const b64 = (value: string) => Buffer.from(value).toString("base64url");

export interface TokenOptions {
  /** Claims to add or replace (`exp`, `nbf`, `aud`, `dest`...). */
  claims?: Record<string, unknown>;
  /** The JWT header's fields to add or replace (`alg`). */
  header?: Record<string, unknown>;
}

export function sessionToken(domain: string, secret = TEST_API_SECRET, options: TokenOptions = {}): string {
  const now = Math.floor(Date.now() / 1000);
  const header = b64(JSON.stringify({ alg: "HS256", typ: "JWT", ...options.header }));
  const body = b64(
    JSON.stringify({
      iss: `https://${domain}/admin`,
      dest: `https://${domain}`,
      aud: TEST_API_KEY,
      sub: "1",
      exp: now + 60,
      nbf: now - 5,
      iat: now,
      jti: randomBytes(8).toString("hex"),
      sid: randomBytes(8).toString("hex"),
      ...options.claims,
    }),
  );
  const signature = createHmac("sha256", secret).update(`${header}.${body}`).digest("base64url");
  return `${header}.${body}.${signature}`;
}

/**
 * A request to `path` of the app as shop `domain`'s admin; `form` makes it a POST. `token`
 * replaces the session token (a forged or expired one).
 */
export function adminRequest(
  domain: string,
  path: string,
  form?: Record<string, string | string[]>,
  token = sessionToken(domain),
) {
  const url = new URL(path, "http://127.0.0.1:3999");
  url.searchParams.set("shop", domain);
  const headers = new Headers({ authorization: `Bearer ${token}` });
  if (!form) return new Request(url, { headers });
  const body = new URLSearchParams();
  for (const [key, value] of Object.entries(form))
    for (const item of Array.isArray(value) ? value : [value]) body.append(key, item);
  return new Request(url, { method: "POST", headers, body });
}

type Args = LoaderFunctionArgs & ActionFunctionArgs;

/** Calls a route's loader or action with the request, as Remix would. */
export async function callRoute<T>(
  handler: (args: Args) => Promise<T>,
  request: Request,
  params: Record<string, string> = {},
): Promise<T> {
  return handler({ request, params, context: {} });
}

/** What a loader or action returned: plain data, `data(body, init)`, or a Response. */
export async function dataOf<T = unknown>(result: unknown): Promise<T> {
  if (result instanceof Response) return (await result.json()) as T;
  if (isDataWithInit(result)) return result.data as T;
  return result as T;
}

/** The HTTP status a loader or action answered with. */
export function statusOf(result: unknown): number {
  if (result instanceof Response) return result.status;
  if (isDataWithInit(result)) return result.init?.status ?? 200;
  return 200;
}

/** What an action answered: its status and body, whether plain data, data() or a Response. */
export async function answer<T = { ok: boolean; message?: string; error?: string }>(
  result: unknown,
): Promise<{ status: number; body: T }> {
  return { status: statusOf(result), body: await dataOf<T>(result) };
}

/**
 * What a loader or action came to when it may throw a Response (a refused page): the status and
 * the text of the Response it threw, or the status of what it returned (text "").
 */
export async function outcomeOf(call: Promise<unknown>): Promise<{ status: number; text: string }> {
  try {
    return { status: statusOf(await call), text: "" };
  } catch (error) {
    if (error instanceof Response) return { status: error.status, text: await error.text() };
    throw error;
  }
}

function isDataWithInit(value: unknown): value is { data: unknown; init: ResponseInit | null } {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as { type?: unknown }).type === "DataWithResponseInit"
  );
}

/** The settings page's whole form as the page submits it: checkboxes "on" or blank. */
export function settingsForm(overrides: Record<string, string> = {}) {
  return {
    allowBackgroundSyncs: "on",
    autoProcessOrders: "on",
    autoReleaseOrders: "",
    createInvoicesForFulfilled: "on",
    useShopifyOrderNo: "",
    customerMapping: "email_phone",
    customerAutoCreate: "on",
    customerTemplateNo: "",
    defaultCustomerNo: "",
    productMapping: "item_no",
    productAutoCreate: "",
    notifyCustomerOnShipment: "on",
    syncItems: "off",
    createdProductStatus: "ACTIVE",
    blockedItemAction: "draft",
    syncPrices: "on",
    priceGroup: "",
    discountGroup: "",
    pricesIncludingTax: "",
    trackInventory: "on",
    inventoryPolicy: "DENY",
    itemTemplateNo: "",
    updateItemsFromShopify: "",
    ...overrides,
  };
}
