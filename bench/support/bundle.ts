// The Worker bundle as `wrangler deploy` builds it (minified), its gzip size, and what it
// is made of: esbuild's metafile (wrangler's --metafile), bytes in the output per package.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { wrangler } from "./wrangler.js";

export interface BundlePart {
  /** A package name, or "src" for the project's own code. */
  name: string;
  /** Minified bytes in the output. */
  bytes: number;
}

export interface WorkerBundle {
  minifiedBytes: number;
  gzipBytes: number;
  /** Largest first. */
  packages: BundlePart[];
  /**
   * Parts of packages, largest first: a package's first directory (two for a version
   * directory like zod's v4/), e.g. drizzle-orm/pg-core, zod/v4/core, src/store.
   */
  areas: BundlePart[];
}

interface Metafile {
  outputs: Record<string, { bytes: number; inputs: Record<string, { bytesInOutput: number }> }>;
}

// The last node_modules/ of the path: a nested copy counts as its own package.
const PACKAGE = /^(?:.*\/)?node_modules\/((?:@[^/]+\/)?[^/]+)\//;

/** Package name and path inside it; "src" for the project's own files. */
function split(path: string): { pkg: string; inside: string[] } {
  const m = PACKAGE.exec(path);
  if (m?.[1]) return { pkg: m[1], inside: path.slice(m.index + m[0].length).split("/") };
  if (path.startsWith("src/")) return { pkg: "src", inside: path.slice(4).split("/") };
  return { pkg: path, inside: [] };
}

function areaOf(path: string): string {
  const { pkg, inside } = split(path);
  const dirs = inside.slice(0, -1);
  const depth = /^v\d+$/.test(dirs[0] ?? "") ? 2 : 1;
  return [pkg, ...dirs.slice(0, depth)].join("/");
}

const largestFirst = (m: Map<string, number>): BundlePart[] =>
  [...m].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes);

/** `wrangler deploy --dry-run` of the top-level (production) config, minified as it deploys (wrangler.toml). */
export async function buildWorkerBundle(): Promise<WorkerBundle> {
  const outdir = mkdtempSync(join(tmpdir(), "veritix-bench-bundle-"));
  try {
    const metafile = join(outdir, "meta.json");
    await wrangler(["deploy", "--dry-run", "--env", "", "--outdir", outdir, "--metafile", metafile]);
    const code = readFileSync(join(outdir, "worker.js"));
    const meta = JSON.parse(readFileSync(metafile, "utf8")) as Metafile;
    const output = Object.entries(meta.outputs).find(([name]) => name.endsWith("worker.js"))?.[1];
    if (!output) throw new Error("wrangler's metafile has no worker.js output");
    const packages = new Map<string, number>();
    const areas = new Map<string, number>();
    for (const [path, input] of Object.entries(output.inputs)) {
      const name = split(path).pkg;
      packages.set(name, (packages.get(name) ?? 0) + input.bytesInOutput);
      const area = areaOf(path);
      areas.set(area, (areas.get(area) ?? 0) + input.bytesInOutput);
    }
    return {
      minifiedBytes: code.length,
      gzipBytes: gzipSync(code, { level: 9 }).length,
      packages: largestFirst(packages),
      areas: largestFirst(areas),
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
