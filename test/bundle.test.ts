// The Worker bundle as `wrangler deploy` builds it: it builds, and nothing Node-only
// (native SQLite, node-postgres, prom-client, the Node server, fs) or build-time only
// (the OpenAPI generator) got into it.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const NODE_ONLY_PACKAGES = [
  "better-sqlite3",
  "pg",
  "pg-pool",
  "pg-protocol",
  "prom-client",
  "@hono/node-server",
  // Build time only: the OpenAPI generator (the Worker serves the generated document).
  "zod-openapi",
];
const NODE_ONLY_SOURCES = [
  "src/index.ts",
  "src/node/",
  "src/store/sqlite/embedded/",
  "src/store/pg/node-pg.ts",
  "src/store/migrations.ts",
  "src/observability/prometheus.ts",
  "src/http/openapi.ts",
  "src/cli/",
  // Served as a static asset on Workers (the build copies it to dist/public).
  "src/openapi.json",
  // The dashboard runs in the browser; the Worker serves its built files as static assets.
  "src/dashboard/",
  // What the document says and the answers' schemas: read by the document's generator only.
  "src/http/operation-docs.ts",
  "src/responses.ts",
];

describe("Worker bundle", () => {
  const outdir = mkdtempSync(join(tmpdir(), "veritix-bundle-"));
  let code = "";
  /** The modules esbuild put in, from its `// path` markers of the unminified output. */
  let modules: string[] = [];

  beforeAll(async () => {
    // Unminified (wrangler.toml minifies a deploy): the same modules, with their markers.
    const args = ["wrangler", "deploy", "--dry-run", "--env", "", "--no-minify", "--outdir", outdir];
    await promisify(execFile)("npx", args, {
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" },
    });
    code = readFileSync(join(outdir, "worker.js"), "utf8");
    modules = [...code.matchAll(/^\/\/ ((?:node_modules|src)\/\S+)$/gm)].map((m) => m[1] as string);
  }, 120_000);

  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it("builds from src/worker.ts with the app, both stores and both database drivers", () => {
    for (const expected of [
      "src/worker.ts",
      "src/app.ts",
      "src/store/sqlite/d1.ts",
      "src/store/pg/neon.ts",
      "node_modules/@neondatabase/serverless/index.mjs",
    ]) {
      expect(modules).toContain(expected);
    }
  });

  it("contains no Node-only package or module", () => {
    const packageOf = (path: string) => /^node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path)?.[1];
    const packages = new Set(modules.map(packageOf).filter(Boolean));
    for (const pkg of NODE_ONLY_PACKAGES) expect(packages).not.toContain(pkg);
    for (const source of NODE_ONLY_SOURCES) expect(modules.filter((m) => m.startsWith(source))).toEqual([]);
    expect(modules.filter((m) => m.endsWith(".docs.ts"))).toEqual([]);
    // No import left for the runtime to resolve (node:fs and friends, or a bare package).
    expect(code).not.toMatch(/^import .* from ["'](?!cloudflare:)[^"']+["'];?$/m);
    expect(code).not.toMatch(/\brequire\(["'](node:)?(fs|net|tls|better-sqlite3|pg|prom-client)["']\)/);
  });
});
