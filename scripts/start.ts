// `npm start`: serves the production build (`npm run build` first) with server/app-server.ts
// on PORT (3000) and HOST (all interfaces), until SIGINT/SIGTERM. Configuration comes from the
// environment, as on any host: DATABASE_URL, SHOPIFY_API_KEY, SHOPIFY_API_SECRET,
// SHOPIFY_APP_URL, SCOPES. Run `npm run worker` beside it for the background jobs.
import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { installGlobals, type ServerBuild } from "@remix-run/node";
import { log } from "../app/log.server";
import { createAppServer } from "../server/app-server";

process.env.NODE_ENV ??= "production";
const buildPath = path.resolve(process.argv[2] ?? "build/server/index.js");
if (!existsSync(buildPath)) {
  log.fatal({ buildPath }, "no server build here: run `npm run build` first");
  process.exit(1);
}
const build = (await import(pathToFileURL(buildPath).href)) as ServerBuild;
installGlobals({ nativeFetch: build.future.v3_singleFetch });

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST;
const server = createAppServer(build);
server.keepAliveTimeout = 65_000; // longer than the usual load balancer's idle timeout
server.listen(port, host, () => log.info({ url: `http://${host ?? "localhost"}:${port}` }, "app serving"));

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    log.info({ signal }, "app stopping: finishing requests in hand");
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    // A client holding its connection open does not keep the process past this.
    setTimeout(() => process.exit(0), 10_000).unref();
  });
}
