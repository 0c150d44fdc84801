// `npm run build`: dist/ for plain node. The library (dist/index.js) and the CLI
// (dist/cli.js) are bundled by esbuild as ESM for Node 20, with the server's wire schemas
// (../src/records.ts) inside; the type declarations come from tsc (tsconfig.build.json).
//
// A gate runs `record` as a whole process per scan, so the CLI is built for start-up:
// - code splitting, and each command's work imported when it runs (src/cli/main.ts), so
//   `record` loads neither the uploader nor node:http nor cli-progress;
// - minified, but identifiers kept: stack traces name the functions (measured: renaming
//   them saves no start-up time, only bytes);
// - every dependency stays an import from node_modules, except zod, which is bundled.
//   From node_modules zod loads as ~100 ESM files: measured on `record` (bench/scanner-cli.ts,
//   this machine's env), that is +0.05 s and +5 MB, 2.5-2.6x the start-up of `node -e 0`
//   and 63 MB, over the budget of 2.5x and 60 MB, against 2.0x and 58 MB bundled and
//   tree-shaken. zod stays a dependency: the type declarations of the wire records import it.
// Every output file sits directly in dist/: src/version.ts reads "../package.json".
import { readFileSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const BUNDLED = new Set(["zod"]);

const pkg = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8"));
const external = Object.keys(pkg.dependencies).filter((name) => !BUNDLED.has(name));

rmSync(new URL("./dist", import.meta.url), { recursive: true, force: true });
await build({
  absWorkingDir: fileURLToPath(new URL(".", import.meta.url)),
  entryPoints: { index: "src/index.ts", cli: "src/cli/main.ts" },
  outdir: "dist",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  external,
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: "linked",
  logLevel: "warning",
});
