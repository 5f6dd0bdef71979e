// `npm start`'s server (server/app-server.ts) in a process of its own, for the fault suite to
// restart: the app's webhook routes (app/routes/webhooks.*.tsx, the route modules themselves)
// behind the server's webhook fast path, on PORT at 127.0.0.1, until SIGTERM (finishing the
// requests in hand, as scripts/start.ts does) or SIGKILL. Loaded from source, without
// `npm run build`: the fault suite sends webhooks only, and a build of the whole app would
// cost a minute of the suite's time. Any other request gets Remix's 404 of this build.
// Environment as for `npm start`: DATABASE_URL, SHOPIFY_API_KEY, SHOPIFY_API_SECRET, SCOPES.
import { readdirSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { log } from "../../app/log.server";
import { createAppServer } from "../../server/app-server";

const ROUTES = path.resolve(import.meta.dirname, "../../app/routes");

type Routes = ServerBuild["routes"];
type RouteModule = Routes[string]["module"];

/** The webhook routes, by Remix's flat-routes rule for their names: each dot a slash. */
async function webhookBuild(): Promise<ServerBuild> {
  const routes: Routes = {
    root: { id: "root", path: "", module: { default: () => null } },
  };
  for (const file of readdirSync(ROUTES).filter((name) => /^webhooks\.[a-z_.]+\.tsx$/.test(name))) {
    const id = `routes/${file.replace(/\.tsx$/, "")}`;
    routes[id] = {
      id,
      parentId: "root",
      path: file.replace(/\.tsx$/, "").replaceAll(".", "/"),
      module: (await import(pathToFileURL(path.join(ROUTES, file)).href)) as RouteModule,
    };
  }
  return {
    mode: "production",
    entry: {
      module: {
        default: () => new Response("Not Found", { status: 404 }),
      } as unknown as ServerBuild["entry"]["module"],
    },
    routes,
    assets: { entry: { module: "", imports: [] }, routes: {}, url: "", version: "faults" },
    publicPath: "/",
    assetsBuildDirectory: path.join(ROUTES, "../../build/no-client-assets"),
    future: { v3_singleFetch: true },
    isSpaMode: false,
  } as unknown as ServerBuild;
}

const port = Number(process.env.PORT);
const server = createAppServer(await webhookBuild(), "production");
server.listen(port, "127.0.0.1", () => log.info({ port }, "app serving"));
// The suite's process gone (killed at a timeout): this one goes too.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.exit(1);
}, 1000).unref();
process.once("SIGTERM", () => {
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 10_000).unref();
});
