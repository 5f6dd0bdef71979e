import path from "node:path";
import { UNSAFE_flatRoutes as flatRoutes } from "@remix-run/dev";
import type { ServerBuild } from "@remix-run/node";

/**
 * The app as `remix vite:build` would build it for the server, assembled in the test process
 * from the real files: the route manifest from app/routes by Remix's own flat-routes rules,
 * each route's module, app/root.tsx and app/entry.server.tsx. With it, a test can serve the app
 * through Remix's request handler, or through `npm start`'s server (server/app-server.ts), and
 * see what a request to any URL gets, without a build step. Only the client assets are absent
 * (pages render without their scripts).
 */

const APP = path.resolve(import.meta.dirname, "../../app");

type Routes = ServerBuild["routes"];
type RouteModule = Routes[string]["module"];
type AssetRoutes = ServerBuild["assets"]["routes"];

export async function appServerBuild(): Promise<ServerBuild> {
  const manifest = flatRoutes(APP, ["**/.*", "**/*.test.*"]);
  const routes: Routes = {
    root: { id: "root", path: "", module: (await import(path.join(APP, "root.tsx"))) as RouteModule },
  };
  for (const route of Object.values(manifest)) {
    routes[route.id] = {
      id: route.id,
      parentId: route.parentId ?? "root",
      path: route.path,
      index: route.index,
      caseSensitive: route.caseSensitive,
      module: (await import(path.join(APP, route.file))) as RouteModule,
    };
  }
  const assetRoutes: AssetRoutes = {};
  for (const route of Object.values(routes)) {
    if (!route) continue;
    assetRoutes[route.id] = {
      id: route.id,
      parentId: route.parentId,
      path: route.path,
      index: route.index,
      caseSensitive: route.caseSensitive,
      module: `/assets/${route.id}.js`,
      hasAction: !!route.module.action,
      hasLoader: !!route.module.loader,
      hasClientAction: false,
      hasClientLoader: false,
      hasErrorBoundary: !!route.module.ErrorBoundary,
    };
  }
  return {
    mode: "production",
    entry: { module: (await import(path.join(APP, "entry.server.tsx"))) as ServerBuild["entry"]["module"] },
    routes,
    assets: {
      entry: { module: "/assets/entry.client.js", imports: [] },
      routes: assetRoutes,
      url: "/assets/manifest.js",
      version: "test",
    },
    publicPath: "/",
    // No client build: Express finds no file there and hands every request on to Remix.
    assetsBuildDirectory: path.join(APP, "../build/no-client-assets"),
    future: {
      v3_fetcherPersist: true,
      v3_relativeSplatPath: true,
      v3_throwAbortReason: true,
      v3_lazyRouteDiscovery: true,
      v3_singleFetch: true,
      v3_routeConfig: false,
    },
    isSpaMode: false,
  } as ServerBuild;
}
