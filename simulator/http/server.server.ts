import type { z } from "zod";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Simulator, SIM_API_VERSION, type RequestFaults } from "../simulator.server";
import {
  handleStagedUpload,
  isStagedUploadPath,
  MAX_STAGED_UPLOAD_BYTES,
} from "../resolvers/bulk-staged-uploads.server";
import { CDN_PATH, MAX_IMAGE_BYTES } from "../resolvers/media-images.server";
import { handleControl } from "./control.server";
import { serveCdn } from "./media.server";
import { runAdminRequest } from "./graphql-endpoint.server";
import { accessToken, authorize, OAuthError } from "./oauth.server";

/**
 * The simulator's HTTP face. A request names its shop as on Shopify, by the Host header
 * `<name>.myshopify.com`, or (for clients that cannot set Host) by a path prefix
 * `/shops/<name>.myshopify.com/`. `/_sim/...` is the control API for tests and the demo.
 */

const GRAPHQL_PATH = `/admin/api/${SIM_API_VERSION}/graphql.json`;
const MAX_BODY_BYTES = 5 * 1024 * 1024;

export interface RoutedRequest {
  method: string;
  path: string;
  url: URL;
  shop: string | null;
  headers: IncomingMessage["headers"];
  body: string;
  /** The body as received (a merchant's image for the control API). */
  bytes: Buffer;
}

export class HttpError extends Error {
  readonly status: number;
  readonly body: unknown;
  constructor(status: number, body: unknown) {
    super(typeof body === "string" ? body : JSON.stringify(body));
    this.status = status;
    this.body = body;
  }
}

/** A control API request's JSON body checked with `schema`; anything else is a 400 that says what is wrong. */
export function jsonBody<T>(schema: z.ZodType<T>, request: RoutedRequest): T {
  let value: unknown;
  try {
    value = JSON.parse(request.body || "{}");
  } catch {
    throw new HttpError(400, { error: "body is not JSON" });
  }
  const result = schema.safeParse(value);
  if (!result.success)
    throw new HttpError(400, {
      error: result.error.issues
        .map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`)
        .join("; "),
    });
  return result.data;
}

function readBytes(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        reject(new HttpError(413, { errors: "Request body too large" }));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on("end", () => resolve(Buffer.concat(chunks)));
    request.on("error", reject);
  });
}

export function route(request: IncomingMessage, bytes: Buffer): RoutedRequest {
  const url = new URL(request.url ?? "/", "http://simulator.local");
  let path = url.pathname;
  let shop: string | null = null;
  const prefixed = /^\/shops\/([^/]+)(\/.*)$/.exec(path);
  if (prefixed) {
    shop = Simulator.normaliseDomain(decodeURIComponent(prefixed[1]!));
    path = prefixed[2]!;
  } else {
    const host = (request.headers.host ?? "").split(":")[0]!.toLowerCase();
    if (host.endsWith(".myshopify.com")) shop = host;
  }
  if (shop && !Simulator.isValidDomain(shop))
    throw new HttpError(400, { errors: `Invalid shop domain ${shop}` });
  return {
    method: request.method ?? "GET",
    path,
    url,
    shop,
    headers: request.headers,
    body: bytes.toString("utf8"),
    bytes,
  };
}

function send(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  response.writeHead(status, {
    "content-type":
      typeof body === "string" ? "text/plain; charset=utf-8" : "application/json; charset=utf-8",
    ...headers,
  });
  response.end(text);
}

function parseForm(request: RoutedRequest): Record<string, string> {
  const type = String(request.headers["content-type"] ?? "");
  if (type.includes("application/json")) return JSON.parse(request.body || "{}") as Record<string, string>;
  return Object.fromEntries(new URLSearchParams(request.body));
}

async function handleAdmin(sim: Simulator, request: RoutedRequest, response: ServerResponse): Promise<void> {
  const domain = request.shop;
  if (!domain) throw new HttpError(404, { errors: "Not Found" });
  const shop = sim.shop(domain);

  if (request.path === "/admin/oauth/authorize" && request.method === "GET") {
    const location = authorize(sim, domain, request.url);
    response.writeHead(302, { location });
    response.end();
    return;
  }
  if (request.path === "/admin/oauth/access_token" && request.method === "POST") {
    send(response, 200, accessToken(sim, domain, parseForm(request), sim.options.scopes));
    return;
  }
  if (request.path.startsWith("/admin/api/") && request.path.endsWith("/graphql.json")) {
    if (request.path !== GRAPHQL_PATH) throw new HttpError(404, { errors: "Not Found" });
    if (request.method !== "POST") throw new HttpError(405, { errors: "Method Not Allowed" });
    const token = (request.headers["x-shopify-access-token"] as string | undefined) ?? null;
    if (!sim.tokenValidFor(token, domain)) {
      throw new HttpError(401, {
        errors: "[API] Invalid API key or access token (unrecognized login or wrong password)",
      });
    }
    const faults = sim.faults;
    if (faults.delayShare > 0 && sim.random() < faults.delayShare) {
      await new Promise((resolve) => setTimeout(resolve, faults.delayMs));
    }
    if (faults.http5xxShare > 0 && sim.random() < faults.http5xxShare) {
      throw new HttpError(503, { errors: "Service Unavailable" });
    }
    if (faults.http429Share > 0 && sim.random() < faults.http429Share) {
      send(
        response,
        429,
        {
          errors:
            "Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.",
        },
        { "retry-after": "2.0" },
      );
      return;
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(request.body || "{}") as Record<string, unknown>;
    } catch {
      throw new HttpError(400, { errors: "Invalid JSON in request body" });
    }
    if (faults.throttledShare > 0 && sim.random() < faults.throttledShare) {
      const status = sim.bucket(shop).status();
      send(response, 200, {
        errors: [
          {
            message: "Throttled",
            extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" },
          },
        ],
        extensions: { cost: { requestedQueryCost: 0, actualQueryCost: null, throttleStatus: status } },
      });
      return;
    }
    const answer = await runAdminRequest(sim, shop, body);
    if (faults.lostAnswerShare > 0 && losesAnswer(faults, body) && sim.random() < faults.lostAnswerShare) {
      throw new HttpError(504, { errors: "Gateway Timeout" });
    }
    send(response, 200, answer);
    return;
  }
  throw new HttpError(404, { errors: "Not Found" });
}

/** Whether the lost-answer fault applies to this request's operation (by its name). */
function losesAnswer(faults: RequestFaults, body: Record<string, unknown>): boolean {
  if (faults.lostAnswerOperations.length === 0) return true;
  const named =
    typeof body.operationName === "string"
      ? body.operationName
      : typeof body.query === "string"
        ? /^\s*(?:query|mutation)\s+(\w+)/.exec(body.query)?.[1]
        : undefined;
  return named !== undefined && faults.lostAnswerOperations.includes(named);
}

export function createSimulatorServer(sim: Simulator): Server {
  const server = createServer((request, response) => {
    void (async () => {
      try {
        const method = request.method ?? "GET";
        if ((method === "POST" || method === "PUT") && isStagedUploadPath(request.url ?? "/")) {
          // A staged upload: a multipart form (or the file itself) as large as a bulk mutation's variables.
          const body = await readBytes(request, MAX_STAGED_UPLOAD_BYTES);
          const answer = await handleStagedUpload(sim, method, request.url ?? "/", request.headers, body);
          response.writeHead(answer.status, {
            "content-type": "application/xml; charset=utf-8",
            ...answer.headers,
          });
          response.end(answer.body);
          return;
        }
        if ((method === "GET" || method === "HEAD") && (request.url ?? "").startsWith(`${CDN_PATH}/`)) {
          serveCdn(sim, request, response);
          return;
        }
        // A merchant's image through the control API may be as large as an image Shopify takes.
        const isImage = /^\/_sim\/shops\/[^/]+\/products\/[^/]+\/media/.test(request.url ?? "");
        const routed = route(request, await readBytes(request, isImage ? MAX_IMAGE_BYTES : MAX_BODY_BYTES));
        if (routed.path.startsWith("/_sim/") || routed.path === "/_sim") {
          handleControl(sim, routed, response, send);
          return;
        }
        await handleAdmin(sim, routed, response);
      } catch (error) {
        if (error instanceof HttpError) send(response, error.status, error.body);
        else if (error instanceof OAuthError)
          send(response, error.status, { error: error.code, error_description: error.message });
        else send(response, 500, { errors: `Simulator error: ${(error as Error).message}` });
      }
    })();
  });
  server.on("listening", () => {
    const address = server.address() as AddressInfo;
    const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
    sim.publicUrl ??= `http://${host === "0.0.0.0" || host === "[::]" ? "127.0.0.1" : host}:${address.port}`;
  });
  return server;
}

export async function listen(server: Server, port: number, host = "127.0.0.1"): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  return (server.address() as AddressInfo).port;
}
