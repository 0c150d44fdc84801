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
<link rel="stylesheet" href="docs/docs.css">
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
  // Its default (agate) writes numbers at 3.45:1 on its dark ground; monokai's are all 4.5:1 or more.
  syntaxHighlight: { theme: "monokai" },
  // Where its own markup fails a keyboard or a screen reader (axe, and an audit by hand):
  // mended once it has drawn, and again whenever it draws more.
  onComplete: function () {
    // Its server picker has a label element with no words in it: a bare "combo box".
    var servers = document.getElementById("servers");
    if (servers) servers.setAttribute("aria-label", "Server");
    var mend = function () {
      // Its examples and answers scroll in boxes of their own (a long answer, up and down):
      // each takes the keyboard's focus, so a keyboard can scroll it too.
      document.querySelectorAll("pre.microlight:not([tabindex])").forEach(function (pre) {
        pre.setAttribute("tabindex", "0");
      });
      // The Authorize dialog's close button is an icon with no name.
      document.querySelectorAll(".close-modal:not([aria-label])").forEach(function (b) {
        b.setAttribute("aria-label", "Close");
      });
      // Its buttons are named otherwise than they read ("Logout" heard as "Remove
      // authorization"): a voice user says what they see.
      document.querySelectorAll(".auth-btn-wrapper button[aria-label]").forEach(function (b) {
        b.removeAttribute("aria-label");
      });
    };
    mend();
    new MutationObserver(mend).observe(document.body, { childList: true, subtree: true });
  },
});
`;

// Swagger UI's light theme, where its text falls below WCAG AA's 4.5:1 (axe, in
// test/browser/docs.test.ts): the method badges and its buttons (white or colour on light
// colours, 2-3.8:1) darkened, its grey notes deepened. Its dark mode (html.dark-mode) is
// left as it is. A long line of an example or a curl command wraps (!important: its
// highlighter styles it inline) rather than widening the page on a phone; the answers'
// "Links" column goes (the document has no links: it said "No links" on every row).
const CSS = `html:not(.dark-mode) .swagger-ui .opblock.opblock-get .opblock-summary-method { background: #0b5cad; }
html:not(.dark-mode) .swagger-ui .opblock.opblock-post .opblock-summary-method { background: #146c43; }
html:not(.dark-mode) .swagger-ui .opblock.opblock-put .opblock-summary-method { background: #9a4d00; }
html:not(.dark-mode) .swagger-ui .opblock.opblock-delete .opblock-summary-method { background: #b42318; }
html:not(.dark-mode) .swagger-ui .opblock.opblock-patch .opblock-summary-method { background: #0b6b5e; }
html:not(.dark-mode) .swagger-ui .btn.authorize { border-color: #146c43; color: #146c43; }
html:not(.dark-mode) .swagger-ui .btn.authorize svg { color: #146c43; fill: #146c43; }
html:not(.dark-mode) .swagger-ui .btn.execute { background-color: #0b5cad; border-color: #0b5cad; }
html:not(.dark-mode) .swagger-ui .btn.cancel { color: #b42318; border-color: #b42318; }
html:not(.dark-mode) .swagger-ui .download-contents { background: #4f5763; }
html:not(.dark-mode) .swagger-ui .info .url,
html:not(.dark-mode) .swagger-ui .info a { color: #0b5cad; }
html:not(.dark-mode) .swagger-ui .json-schema-2020-12-expand-deep-button { color: #4f5763; }
html:not(.dark-mode) .swagger-ui .json-schema-2020-12__constraint--string { background-color: #8a5a00; }
html:not(.dark-mode) .swagger-ui .json-schema-2020-12-keyword__value--warning { color: #b42318; border-color: #b42318; }
html:not(.dark-mode) .swagger-ui .json-schema-2020-12-keyword__name--extension,
html:not(.dark-mode) .swagger-ui .json-schema-2020-12-keyword__value--extension,
html:not(.dark-mode) .swagger-ui .json-schema-2020-12-json-viewer-extension-keyword .json-schema-2020-12-json-viewer__name,
html:not(.dark-mode) .swagger-ui .json-schema-2020-12-json-viewer-extension-keyword .json-schema-2020-12-json-viewer__value { color: #5f5f5f; }
html:not(.dark-mode) .swagger-ui .info .title small { background: #4f5763; }
html:not(.dark-mode) .swagger-ui .info .title small.version-stamp { background: #3d6600; }
html:not(.dark-mode) .swagger-ui .parameter__in,
html:not(.dark-mode) .swagger-ui .servers-title,
html:not(.dark-mode) .swagger-ui .info .base-url,
html:not(.dark-mode) .swagger-ui .prop-format,
html:not(.dark-mode) .swagger-ui .parameter__deprecated { color: #4f5763; }
.swagger-ui .responses-table .response-col_description { min-width: 0; }
.swagger-ui .responses-table .response-col_links { display: none; }
.swagger-ui .responses-table { width: 100%; table-layout: fixed; }
.swagger-ui .responses-table .response-col_status { width: 5em; }
.swagger-ui .highlight-code > pre.microlight { padding-bottom: 3em !important; }
.swagger-ui pre.microlight:focus-visible { outline: 3px solid #0b5cad; outline-offset: 2px; }
.swagger-ui pre.microlight,
.swagger-ui pre.microlight > code { white-space: pre-wrap !important; overflow-wrap: anywhere; }
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
    )
    .get("/docs/docs.css", (c) =>
      c.body(CSS, 200, { ...HEADERS, "Content-Type": "text/css; charset=utf-8" }),
    );
}
