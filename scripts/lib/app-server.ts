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
  /**
   * Compiles the app's server side now rather than on the first request. The app reads its
   * environment (SHOPIFY_APP_URL...) as it loads: set it first.
   */
  warmUp: () => Promise<void>;
  close: () => Promise<void>;
}

export interface AppServerOptions {
  /**
   * Serve the pages' client modules for a real browser (hydration, client navigation). The
   * browser's dependencies are pre-bundled once at start-up, from a fixed list, so no request
   * finds Vite re-bundling mid-page.
   */
  browser?: boolean;
}

/**
 * What the pages import in the browser from node_modules, pre-bundled for it (CommonJS ones
 * like React cannot be served as they are). Added to the lists of vite.config.ts and the Remix
 * plugin; a page importing another package needs it here, else the browser test fails on it.
 */
export const BROWSER_DEPENDENCIES = [
  "react",
  "react/jsx-runtime",
  "react/jsx-dev-runtime",
  "react-dom",
  "react-dom/client",
  "@remix-run/react",
  "@shopify/polaris",
  "@shopify/app-bridge-react",
  "@shopify/shopify-app-remix/react",
  // Routes' ErrorBoundary uses its `boundary`, so it reaches the browser too.
  "@shopify/shopify-app-remix/server",
];

/** Starts the app on a free port. The environment (DATABASE_URL, SHOPIFY_*) must be set first. */
export async function startAppServer(port = 0, options: AppServerOptions = {}): Promise<AppServer> {
  let origin = "";
  // Vite is created after the server, which it may need for its websocket; no request comes
  // in before listen().
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
  const vite: ViteDevServer = await createViteServer({
    root: ROOT,
    configFile: path.join(ROOT, "vite.config.ts"),
    // In the browser, Vite's client script (which Remix adds in development) opens a
    // websocket: on this server, not on Vite's default port 24678, where nothing listens (or
    // another dev server does). No file watching, so nothing reloads the page mid-test.
    server: options.browser
      ? { middlewareMode: true, hmr: { server }, watch: null }
      : { middlewareMode: true, hmr: false },
    appType: "custom",
    logLevel: "error",
    // No dependency discovery while serving: it would re-bundle mid-request when it finds a
    // new dependency and fail that request. Server rendering needs no pre-bundling at all; a
    // browser gets its dependencies pre-bundled from the fixed list, before the first page.
    optimizeDeps: { noDiscovery: true, include: options.browser ? BROWSER_DEPENDENCIES : [] },
    // A cache of its own, so test files starting app servers at once do not share one.
    ...(options.browser ? { cacheDir: path.join(ROOT, "node_modules/.vite-browser-test") } : {}),
  });
  if (options.browser) {
    // Pre-bundle now, not on the first page: a cold bundling of Polaris and React takes a
    // while, and a page waiting on it would time out.
    const optimizer = vite.environments.client.depsOptimizer;
    await optimizer?.init();
    const pending = Object.values(optimizer?.metadata.discovered ?? {}).map((dep) => dep.processing);
    await Promise.all(pending.filter((processing) => processing !== undefined));
  }
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const bound = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${bound}`;
  return {
    url: origin,
    port: bound,
    warmUp: async () => {
      await vite.ssrLoadModule("virtual:remix/server-build");
    },
    close: async () => {
      // Vite first: it closes its websocket clients, which would keep the server open.
      await vite.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
