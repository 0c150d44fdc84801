// The dashboard's files (GET /dashboard, src/dashboard/): its script and style bundled by
// esbuild (uPlot included: nothing is fetched at run time) as
// <out>/dashboard/assets/<name>-<content hash>.<ext>, so they may be cached for good, and
// the page itself as <out>/dashboard.html, naming them, and its service worker as
// <out>/dashboard-offline.js (beside the page, so that its scope may be the page's address),
// knowing the page's files. Part of scripts/build-public.mjs.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { basename, join } from "node:path";
import { build } from "esbuild";
import { writeWithCompressed } from "./compress.mjs";

const src = (name) => new URL(`../src/dashboard/${name}`, import.meta.url);

/** What the page's bundle and its worker's share: browsers of the last few years, phones included, nothing polyfilled. */
const BUNDLE = {
  bundle: true,
  minify: true,
  target: ["chrome109", "edge109", "firefox115", "safari15.6"],
  write: false,
  legalComments: "none",
  logLevel: "warning",
};

export async function buildDashboard(out) {
  const assets = join(out, "dashboard", "assets");
  rmSync(assets, { recursive: true, force: true }); // an older build's files
  mkdirSync(assets, { recursive: true });

  const result = await build({
    ...BUNDLE,
    entryPoints: { app: src("main.ts").pathname, style: src("style.css").pathname },
    format: "esm",
    entryNames: "[name]-[hash]",
    outdir: assets,
  });

  const built = {};
  for (const file of result.outputFiles) {
    built[basename(file.path).replace(/-[A-Z0-9]+\./, ".")] = basename(file.path);
    writeWithCompressed(file.path, file.contents);
  }
  if (!built["app.js"] || !built["style.css"]) throw new Error(`unexpected outputs: ${Object.keys(built)}`);

  // Relative URLs: the page also works behind a path prefix.
  const files = [`dashboard/assets/${built["style.css"]}`, `dashboard/assets/${built["app.js"]}`];
  const page = readFileSync(src("page.html"), "utf8")
    .replace("%STYLE%", files[0])
    .replace("%SCRIPT%", files[1]);
  writeWithCompressed(join(out, "dashboard.html"), Buffer.from(page));

  // A new page or new files make a new worker, which the browser installs in place of the
  // old. The worker checks the page it caches against this (offline/worker.ts, versionOf).
  const version = createHash("sha256").update(page).digest("hex").slice(0, 16);
  const worker = await build({
    ...BUNDLE,
    entryPoints: [src("offline/worker.ts").pathname],
    format: "iife",
    define: {
      DASHBOARD_FILES: JSON.stringify(["dashboard", ...files]),
      DASHBOARD_VERSION: JSON.stringify(version),
    },
  });
  writeWithCompressed(join(out, "dashboard-offline.js"), worker.outputFiles[0].contents);
}
