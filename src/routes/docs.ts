// GET /docs: the API's documentation, Swagger UI over GET /openapi.json. Public, like
// /health: the document describes the API's shape, never its data, and "Try it out" calls
// the API with the caller's own bearer token (Authorize). It works with no internet: the
// page loads nothing but its own origin. Swagger UI's files are copied from swagger-ui-dist
// by the build (scripts/docs-assets.mjs) under docs/assets/<its version>/ and served
// beside the app (Node: src/node/public-assets.ts; Workers: Static Assets, wrangler.toml), so
// they may be cached for good; this page and its init script are ours and answered here.
// Every URL is relative, so the page also loads behind a path prefix.
import { Hono } from "hono";
import swaggerUi from "swagger-ui-dist/package.json" with { type: "json" };
import type { AppDeps, AppEnv } from "../http/env.js";
import { operation } from "../http/operation.js";

const ASSETS = `docs/assets/${swaggerUi.version}`;

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Veritix Analytics API</title>
<link rel="icon" type="image/png" href="${ASSETS}/favicon-32x32.png">
<link rel="stylesheet" href="${ASSETS}/swagger-ui.css">
<script src="${ASSETS}/swagger-ui-bundle.js" defer></script>
<script src="docs/init.js" defer></script>
</head>
<body>
<div id="swagger-ui"></div>
<noscript>This page needs JavaScript. The API's description is <a href="openapi.json">openapi.json</a>.</noscript>
</body>
</html>
`;

// A script of its own, not inline: the page's CSP allows no inline script. validatorUrl:
// null: never the online validator (validator.swagger.io), whatever the layout.
const INIT = `"use strict";
window.ui = SwaggerUIBundle({
  url: "openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  persistAuthorization: true,
  displayRequestDuration: true,
  validatorUrl: null,
});
`;

/**
 * Nothing but this origin, no inline script or style (Swagger UI's React sets styles through
 * the DOM, which CSP allows). data: images: its icons are SVG data URIs in its CSS.
 */
const CSP = [
  "default-src 'self'",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

const HEADERS = {
  "Content-Security-Policy": CSP,
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  // Small, and it names the versioned assets: always revalidated, so a deploy shows at once.
  "Cache-Control": "no-cache",
};

export function docsRoutes(deps: AppDeps) {
  return new Hono<AppEnv>()
    .get(
      "/docs",
      operation(deps, {
        operationId: "getDocs",
        tag: "Service",
        access: "public",
        database: false,
      }),
      (c) => c.body(PAGE, 200, { ...HEADERS, "Content-Type": "text/html; charset=utf-8" }),
    )
    .get("/docs/init.js", (c) =>
      c.body(INIT, 200, { ...HEADERS, "Content-Type": "text/javascript; charset=utf-8" }),
    );
}
