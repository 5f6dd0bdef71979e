import http from "node:http";
import path from "node:path";
import { createRequestHandler } from "@remix-run/express";
import type { ActionFunction, ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import { describeError } from "../app/errors.server";
import { log } from "../app/log.server";
import { MAX_WEBHOOK_BODY_BYTES } from "../app/webhooks/verify.server";

/**
 * The app's HTTP server in production (`npm start`): Remix behind Express, much as remix-serve
 * serves it (compression, Vite's hashed bundles cached for good, the rest of the client build
 * for an hour, every other request to Remix), with one difference: a POST to a webhook route goes straight to that route's action.
 *
 * Why: Shopify expects webhooks to be answered at once, and they come in bursts (a flash sale,
 * a bulk edit). Through Express and Remix's request handler, a webhook cost the app's process
 * about 4.5–5 ms of CPU, of which the HMAC check and the one SQL statement of the doorbell are
 * a tenth (bench:orders, 2026-11-30); the rest was middleware, route matching and the
 * request/response conversions that a webhook does not need. The fast path runs the same
 * action function the Remix route exports (the route module is the one place a webhook's
 * handling is written), so the Vite dev server, the tests and this server answer alike.
 */

const WEBHOOK_PREFIX = "webhooks/";

/**
 * The webhook routes of a build: URL path (`/webhooks/orders/create`) → the route's action.
 * Only routes with a fixed path (no `:param`, no splat) and an action are taken; anything else
 * is left to Remix.
 */
export function webhookActions(build: Pick<ServerBuild, "routes">): Map<string, ActionFunction> {
  const fullPath = (id: string | undefined): string => {
    const route = id ? build.routes[id] : undefined;
    if (!route) return "";
    const parent = fullPath(route.parentId);
    const own = route.path ?? "";
    return [parent, own].filter(Boolean).join("/");
  };
  const actions = new Map<string, ActionFunction>();
  for (const route of Object.values(build.routes)) {
    if (!route?.module.action || route.index) continue;
    const path = fullPath(route.id);
    if (!path.startsWith(WEBHOOK_PREFIX) || /[:*?]/.test(path)) continue;
    actions.set(`/${path}`, route.module.action);
  }
  return actions;
}

function requestHeaders(req: http.IncomingMessage): Headers {
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2)
    headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
  return headers;
}

/** The request's body, or null as soon as it is known to be over the limit (declared or sent). */
function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers["content-length"]) > limit) {
      resolve(null);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off("data", onData);
        chunks.length = 0;
        resolve(null);
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.on("end", () => resolve(Buffer.concat(chunks, size)));
    req.on("error", reject);
  });
}

async function writeResponse(res: http.ServerResponse, response: Response): Promise<void> {
  const body = Buffer.from(await response.arrayBuffer());
  const headers: http.OutgoingHttpHeaders = {};
  for (const [name, value] of response.headers) headers[name] = value;
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers["set-cookie"] = cookies;
  headers["content-length"] = body.length;
  res.writeHead(response.status, response.statusText || undefined, headers);
  res.end(body);
}

function answer(res: http.ServerResponse, status: number, message: string, close = false): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, {
    "content-type": "text/plain; charset=utf-8",
    "content-length": Buffer.byteLength(message),
    // The rest of the body is not read: the connection cannot carry another request.
    ...(close ? { connection: "close" } : {}),
  });
  res.end(message);
}

/**
 * A node:http handler for the build's webhook routes. Returns false (and touches nothing)
 * for any other request, which then goes to Remix. A Response the action throws (401 for a
 * bad HMAC, 400, 405) is answered as Remix would; any other error is logged and answered 500,
 * so Shopify delivers the webhook again.
 */
export function webhookFastPath(
  build: Pick<ServerBuild, "routes">,
  { maxBodyBytes = MAX_WEBHOOK_BODY_BYTES }: { maxBodyBytes?: number } = {},
): (req: http.IncomingMessage, res: http.ServerResponse) => boolean {
  const actions = webhookActions(build);
  return (req, res) => {
    if (req.method !== "POST" || !req.url) return false;
    const query = req.url.indexOf("?");
    const path = query === -1 ? req.url : req.url.slice(0, query);
    const action = actions.get(path);
    if (!action) return false;
    void (async () => {
      try {
        const body = await readBody(req, maxBodyBytes);
        if (!body) return answer(res, 413, "Payload Too Large", true);
        const request = new Request(`http://${req.headers.host ?? "localhost"}${req.url}`, {
          method: "POST",
          headers: requestHeaders(req),
          body: new Uint8Array(body),
        });
        let result: unknown;
        try {
          result = await action({ request, params: {}, context: {} });
        } catch (thrown) {
          if (!(thrown instanceof Response)) throw thrown;
          result = thrown;
        }
        if (!(result instanceof Response)) throw new Error(`the action of ${path} did not return a Response`);
        await writeResponse(res, result);
      } catch (error) {
        log.error({ path, error: describeError(error) }, "webhook failed");
        answer(res, 500, "Internal Server Error");
      }
    })();
    return true;
  };
}

/** The whole server: webhook fast path first, then Express serving assets and Remix. */
export function createAppServer(
  build: ServerBuild,
  mode = process.env.NODE_ENV ?? "production",
): http.Server {
  const app = express();
  app.disable("x-powered-by");
  app.use(compression());
  // Vite's hashed bundles never change under their name; anything else in the client build
  // (a favicon, robots.txt) may, so it is cached for an hour.
  app.use(
    path.posix.join(build.publicPath, "assets"),
    express.static(path.join(build.assetsBuildDirectory, "assets"), { immutable: true, maxAge: "1y" }),
  );
  app.use(build.publicPath, express.static(build.assetsBuildDirectory, { maxAge: "1h" }));
  const remix = createRequestHandler({ build, mode });
  // Remix's handler is async and passes its own errors to next(); Express 4 ignores the promise.
  app.all("*", (req, res, next) => void remix(req, res, next));
  const webhooks = webhookFastPath(build);
  return http.createServer((req, res) => {
    if (!webhooks(req, res)) app(req, res);
  });
}
