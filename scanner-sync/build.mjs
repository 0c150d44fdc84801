// `npm run build`: dist/ for plain node, bundled by esbuild with the server's wire schemas
// (../src/records.ts) inside; the type declarations come from tsc (tsconfig.build.json).
//
// - The library, dist/index.js: ESM, its dependencies imports from node_modules but zod
//   (bundled and tree-shaken: from node_modules it loads as ~100 ESM files).
// - The CLI, dist/cli.cjs: one CommonJS file with everything in it but better-sqlite3
//   (native). A gate runs `record` as a whole process per scan, so start-up is most of its
//   cost. Measured on `record` (bench/scanner-cli.ts; PATH-only env, node -e 0 = 66 ms):
//   ESM split into lazily imported chunks 167 ms (2.5x); one CommonJS file 146 ms (2.2x):
//   Node 20's ESM loader costs more than parsing the code `record` does not run (V8 only
//   pre-parses it; each command's modules are still initialised only when it runs).
//   Minified, but identifiers kept: stack traces name the functions.
// Every output file sits directly in dist/: src/version.ts reads "../package.json".
import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

/**
 * commander loads node:child_process (and with it node:net) when it loads, for
 * executable subcommands, which this CLI does not have: ~10 ms of every `record`. Inside
 * the bundle, its require of it gets a stand-in that loads the real module on first use.
 */
const lazyChildProcess = {
  name: "lazy-child-process",
  setup(b) {
    b.onResolve({ filter: /^node:child_process$/ }, (args) =>
      args.importer.includes("node_modules/commander/")
        ? { path: "child_process", namespace: "lazy" }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "lazy" }, () => ({
      contents:
        'const load = () => process.getBuiltinModule("node:child_process");\n' +
        "module.exports = new Proxy({}, { get: (_, key) => load()[key] });",
      loader: "js",
    }));
  },
};

const common = {
  absWorkingDir: fileURLToPath(new URL(".", import.meta.url)),
  bundle: true,
  platform: "node",
  target: "node20",
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: "linked",
  logLevel: "warning",
};

rmSync(new URL("./dist", import.meta.url), { recursive: true, force: true });
await build({
  ...common,
  entryPoints: { index: "src/index.ts" },
  outdir: "dist",
  format: "esm",
  external: ["better-sqlite3", "uuidv7"],
});
await build({
  ...common,
  entryPoints: { cli: "src/cli/main.ts" },
  outExtension: { ".js": ".cjs" },
  outdir: "dist",
  format: "cjs",
  external: ["better-sqlite3"],
  // import.meta.url of the sources, in a CommonJS file.
  define: { "import.meta.url": "__import_meta_url" },
  banner: { js: 'const __import_meta_url = require("node:url").pathToFileURL(__filename).href;' },
  plugins: [lazyChildProcess],
});
