// The docs page's static files (GET /docs, src/routes/docs.ts), copied from swagger-ui-dist
// into <out>/docs/assets/<its version>/: what the page loads and nothing else. The version
// in the path lets them be cached for good. <out> is served as it is by Workers Static
// Assets (wrangler.toml [assets]) and by the Node server (src/node/docs-assets.ts), so
// both runtimes answer the same files; nothing is fetched at run time.
// Usage: node scripts/build-docs-assets.mjs [out]   (default dist/public; npm run build:docs)
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const FILES = ["swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png"];
const IMMUTABLE = "public, max-age=31536000, immutable";

const out = process.argv[2] ?? "dist/public";
const manifest = createRequire(import.meta.url).resolve("swagger-ui-dist/package.json");
const { version } = JSON.parse(readFileSync(manifest, "utf8"));
const assets = join(out, "docs", "assets");
const dir = join(assets, version);

rmSync(assets, { recursive: true, force: true }); // an older version's files
mkdirSync(dir, { recursive: true });
for (const name of FILES) {
  let bytes = readFileSync(join(dirname(manifest), name));
  if (/\.(js|css)$/.test(name)) {
    // The source maps are not copied: no reference to them, or DevTools asks for a 404.
    bytes = Buffer.from(
      bytes.toString("utf8").replace(/\n?\/[*/]# sourceMappingURL=\S+(\s*\*\/)?\s*$/, "\n"),
    );
    // Compressed beside the file for the Node server (1.7 MB of script: 0.4 MB as brotli);
    // Cloudflare compresses on its own, so .assetsignore keeps these off the Worker.
    writeFileSync(
      join(dir, `${name}.br`),
      brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 9 } }),
    );
    writeFileSync(join(dir, `${name}.gz`), gzipSync(bytes, { level: 9 }));
  }
  writeFileSync(join(dir, name), bytes);
}
writeFileSync(join(out, ".assetsignore"), "*.br\n*.gz\n");
// Workers Static Assets' headers (its default is revalidation on every use); the Node
// server sets the same ones itself.
writeFileSync(
  join(out, "_headers"),
  `/docs/assets/*\n  Cache-Control: ${IMMUTABLE}\n  X-Content-Type-Options: nosniff\n`,
);
