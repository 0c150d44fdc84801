// GET /docs/assets/* on Node: the docs page's static files (src/routes/docs.ts), from the
// directory the build makes (scripts/build-docs-assets.mjs), which the Worker serves as
// Workers Static Assets: the same files, with the headers its _headers file gives them
// there. The path carries swagger-ui-dist's version, so a file never changes: cached for
// good. Served brotli- or gzip-compressed where the client takes it (built beside them).
import { existsSync } from "node:fs";
import { extname } from "node:path";
import { fileURLToPath } from "node:url";
import { serveStatic } from "@hono/node-server/serve-static";
import type { MiddlewareHandler } from "hono";
import type { Logger } from "../observability/logger.js";

// Beside the compiled server (dist/node -> dist/public), whatever the cwd; run from the
// sources (tsx, the tests), the last build's.
const compiled = extname(fileURLToPath(import.meta.url)) === ".js";
export const DOCS_ASSETS_DIR = fileURLToPath(
  new URL(compiled ? "../public" : "../../dist/public", import.meta.url),
);

export function docsAssets(logger: Logger, root = DOCS_ASSETS_DIR): MiddlewareHandler {
  if (!existsSync(root)) {
    logger.warn("no docs page assets (GET /docs/assets/* is a 404): `npm run build` makes them", {
      dir: root,
    });
    return (_c, next) => next();
  }
  const serve = serveStatic({
    root,
    precompressed: true,
    onFound: (_path, c) => {
      c.header("Cache-Control", "public, max-age=31536000, immutable");
      c.header("X-Content-Type-Options", "nosniff");
    },
  });
  // The compressed copies only as encodings of their file, as on Workers (.assetsignore).
  return (c, next) => (/\.(br|gz)$/.test(c.req.path) ? next() : serve(c, next));
}
