import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import * as orderApi from "../../app/routes/api.extensions.orders.$id";
import * as productApi from "../../app/routes/api.extensions.products.$id";
import { sessionToken } from "./admin";

/**
 * Requests to the app's admin-extension API as Shopify's extension host sends them: from its
 * own origin, with the session token as `Authorization: Bearer` (Shopify adds it to a block's
 * `fetch` to the app), JSON bodies; and a `fetch` that answers a block's requests from the
 * app's real route modules, as Remix would route them, against the test database.
 */

/** Where admin extensions run: another origin than the app's. */
export const EXTENSION_ORIGIN = "https://extensions.shopifycdn.com";

const APP_URL = "http://127.0.0.1:3999";

export function extensionRequest(
  domain: string,
  path: string,
  options: { body?: unknown; rawBody?: string; token?: string; method?: string } = {},
): Request {
  const headers = new Headers({
    authorization: `Bearer ${options.token ?? sessionToken(domain)}`,
    origin: EXTENSION_ORIGIN,
  });
  const hasBody = options.body !== undefined || options.rawBody !== undefined;
  if (hasBody) headers.set("content-type", "application/json");
  return new Request(new URL(path, APP_URL), {
    method: options.method ?? (hasBody ? "POST" : "GET"),
    headers,
    ...(hasBody ? { body: options.rawBody ?? JSON.stringify(options.body) } : {}),
  });
}

type Handler = (args: LoaderFunctionArgs & ActionFunctionArgs) => Promise<Response>;

/** The API's routes, as Remix matches them: the address pattern, the module, its params. */
const ROUTES: [RegExp, { loader: Handler; action: Handler }][] = [
  [/^\/api\/extensions\/orders\/([^/]+)$/, orderApi],
  [/^\/api\/extensions\/products\/([^/]+)$/, productApi],
];

/** What Remix does with a request to one of the API's addresses: loader for GET, action else. */
export async function routeRequest(request: Request): Promise<Response> {
  const path = new URL(request.url).pathname;
  for (const [pattern, module] of ROUTES) {
    const match = pattern.exec(path);
    if (!match) continue;
    const handler = request.method === "GET" || request.method === "HEAD" ? module.loader : module.action;
    try {
      return await handler({ request, params: { id: decodeURIComponent(match[1]!) }, context: {} });
    } catch (thrown) {
      if (thrown instanceof Response) return thrown;
      throw thrown;
    }
  }
  return new Response("Not Found", { status: 404 });
}

/**
 * The `fetch` a block gets inside Shopify admin, for `domain`'s admin: a relative address is
 * the app's, and Shopify adds the session token (`token` replaces it: one that must not pass).
 * Answered by the app's route modules; every call is kept, for the tests to read.
 */
export function adminExtensionFetch(domain: string, options: { token?: string } = {}) {
  const calls: { method: string; path: string; body: unknown; status: number }[] = [];
  const fetch = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const path = typeof input === "string" ? input : input instanceof URL ? input.pathname : input.url;
    if (!path.startsWith("/")) throw new Error(`a block's fetch went to ${path}: only the app's own API`);
    const body = typeof init.body === "string" ? (JSON.parse(init.body) as unknown) : undefined;
    const request = extensionRequest(domain, path, {
      ...(body !== undefined ? { body } : {}),
      ...(options.token ? { token: options.token } : {}),
      method: init.method ?? "GET",
    });
    const response = await routeRequest(request);
    calls.push({ method: request.method, path, body, status: response.status });
    return response;
  };
  return { fetch, calls };
}
