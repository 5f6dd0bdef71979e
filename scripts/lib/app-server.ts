import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { Readable } from "node:stream";
import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import { createServer as createViteServer, type ViteDevServer } from "vite";

/**
 * The Remix app served over real HTTP for tests that need it reachable (webhooks sent by the
 * simulator, a browser): Vite compiles the app as `remix vite:dev` does, and a small node
 * server hands each request to Remix's request handler.
 */

const ROOT = path.resolve(import.meta.dirname, "../..");

function toRequest(incoming: IncomingMessage, origin: string): Request {
  const headers = new Headers();
  for (const [key, value] of Object.entries(incoming.headers)) {
    if (Array.isArray(value)) value.forEach((item) => headers.append(key, item));
    else if (value !== undefined) headers.set(key, value);
  }
  const hasBody = incoming.method !== "GET" && incoming.method !== "HEAD";
  return new Request(new URL(incoming.url ?? "/", origin), {
    method: incoming.method,
    headers,
    body: hasBody ? (Readable.toWeb(incoming) as ReadableStream) : undefined,
    // Node's fetch needs this for a streamed body.
    duplex: hasBody ? "half" : undefined,
  });
}

async function send(response: Response, outgoing: ServerResponse): Promise<void> {
  outgoing.statusCode = response.status;
  response.headers.forEach((value, key) => outgoing.appendHeader(key, value));
  if (response.body) {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) outgoing.write(chunk);
  }
  outgoing.end();
}

export interface AppServer {
  url: string;
  port: number;
  close: () => Promise<void>;
}

/** Starts the app on a free port. The environment (DATABASE_URL, SHOPIFY_*) must be set first. */
export async function startAppServer(port = 0): Promise<AppServer> {
  const vite: ViteDevServer = await createViteServer({
    root: ROOT,
    configFile: path.join(ROOT, "vite.config.ts"),
    server: { middlewareMode: true, hmr: false },
    appType: "custom",
    logLevel: "error",
    // Only server rendering happens here: no browser-dependency optimisation, which would
    // otherwise re-bundle mid-request when it discovers a dependency and fail that request.
    optimizeDeps: { noDiscovery: true, include: [] },
  });
  let origin = "";
  const server: Server = createHttpServer((incoming, outgoing) => {
    vite.middlewares(incoming, outgoing, () => {
      void (async () => {
        try {
          const build = (await vite.ssrLoadModule("virtual:remix/server-build")) as ServerBuild;
          const handler = createRequestHandler(build, "development");
          await send(await handler(toRequest(incoming, origin)), outgoing);
        } catch (error) {
          vite.ssrFixStacktrace(error as Error);
          outgoing.statusCode = 500;
          outgoing.end(String((error as Error).stack ?? error));
        }
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const bound = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${bound}`;
  return {
    url: origin,
    port: bound,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await vite.close();
    },
  };
}
