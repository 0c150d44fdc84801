// The docs page's static files (GET /docs, src/routes/docs.ts), copied from swagger-ui-dist
// into <out>/docs/assets/<its version>/: what the page loads and nothing else. The version
// in the path lets them be cached for good. Part of scripts/build-public.mjs.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { writeWithCompressed } from "./compress.mjs";

const FILES = ["swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png"];

export function buildDocsAssets(out) {
  const manifest = createRequire(import.meta.url).resolve("swagger-ui-dist/package.json");
  const { version } = JSON.parse(readFileSync(manifest, "utf8"));
  const assets = join(out, "docs", "assets");
  const dir = join(assets, version);

  rmSync(assets, { recursive: true, force: true }); // an older version's files
  mkdirSync(dir, { recursive: true });
  for (const name of FILES) {
    let bytes = readFileSync(join(dirname(manifest), name));
    if (!/\.(js|css)$/.test(name)) {
      writeFileSync(join(dir, name), bytes);
      continue;
    }
    // The source maps are not copied: no reference to them, or DevTools asks for a 404.
    bytes = Buffer.from(
      bytes.toString("utf8").replace(/\n?\/[*/]# sourceMappingURL=\S+(\s*\*\/)?\s*$/, "\n"),
    );
    // 1.7 MB of script: 0.4 MB as brotli.
    writeWithCompressed(join(dir, name), bytes);
  }
}
