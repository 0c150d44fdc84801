// The files the build makes for the app to serve as they are (scripts/build-public.mjs),
// which the Worker serves as Workers Static Assets: the same files, with the same headers
// (its _headers file; here the headers the dashboard's headers.json gives, and the docs
// assets'). GET /docs/assets/* (Swagger UI, its version in the path) and
// GET /dashboard/assets/* (named by content hash) never change: cached for good, served
// brotli- or gzip-compressed where the client takes it (built beside them). GET /dashboard
// is the dashboard's page, revalidated on every use (a 304 when unchanged), as is
// GET /dashboard-offline.js, its service worker.
import { existsSync } from "node:fs";
import { extname } from "node:path";
import { fileURLToPath } from "node:url";
import { serveStatic } from "@hono/node-server/serve-static";
import type { Hono, MiddlewareHandler } from "hono";
import { etag } from "hono/etag";
import dashboardHeaders from "../dashboard/headers.json" with { type: "json" };
import type { AppEnv } from "../http/env.js";
import type { Logger } from "../observability/logger.js";

// Beside the compiled server (dist/node -> dist/public), whatever the cwd; run from the
// sources (tsx, the tests), the last build's.
const compiled = extname(fileURLToPath(import.meta.url)) === ".js";
export const PUBLIC_DIR = fileURLToPath(
  new URL(compiled ? "../public" : "../../dist/public", import.meta.url),
);

const headers =
  (set: Record<string, string>) => (_path: string, c: { header(name: string, value: string): void }) => {
    for (const [name, value] of Object.entries(set)) c.header(name, value);
  };

export function publicAssets(app: Hono<AppEnv>, logger: Logger, root = PUBLIC_DIR): void {
  if (!existsSync(root)) {
    logger.warn("no built pages (GET /docs/assets/*, /dashboard are 404s): `npm run build` makes them", {
      dir: root,
    });
    return;
  }
  const assets = serveStatic({ root, precompressed: true, onFound: headers(dashboardHeaders.assets) });
  // The compressed copies only as encodings of their file, as on Workers (.assetsignore).
  const immutable: MiddlewareHandler<AppEnv> = (c, next) =>
    /\.(br|gz)$/.test(c.req.path) ? next() : assets(c, next);
  app.use("/docs/assets/*", immutable);
  app.use("/dashboard/assets/*", immutable);
  // Revalidated on every load (no-cache): an ETag makes that a 304, as on Workers.
  app.get(
    "/dashboard",
    etag(),
    serveStatic({
      root,
      path: "dashboard.html",
      precompressed: true,
      onFound: headers(dashboardHeaders.page),
    }),
  );
  // The page's service worker (src/dashboard/offline/worker.ts), revalidated as the page is.
  app.get(
    "/dashboard-offline.js",
    etag(),
    serveStatic({
      root,
      path: "dashboard-offline.js",
      precompressed: true,
      onFound: headers(dashboardHeaders.worker),
    }),
  );
  // As Workers Static Assets answer them: the page has one address (its links are relative).
  for (const alias of ["/dashboard/", "/dashboard.html"]) {
    app.get(alias, (c) => c.redirect(`/dashboard${new URL(c.req.url).search}`, 307));
  }
}
