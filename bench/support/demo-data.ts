// The demo event (`npm run demo`: an evening of doors, 6,000 scans) in a SQLite file, put
// there by the compiled command itself, so the bench sees the data a new user sees.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { ROOT } from "./child-server.js";

export const DEMO_EVENT = "demo-2026-arena";

/** Runs `node dist/cli/demo.js` on `sqlitePath`; its summary's first lines. */
export async function loadDemo(sqlitePath: string): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [join(ROOT, "dist/cli/demo.js")], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: "", SQLITE_PATH: sqlitePath },
  });
  return stdout.split("\n").slice(1, 5).join(";").replace(/\s+/g, " ").trim();
}

export interface BuiltFile {
  path: string;
  raw: number;
  gzip9: number;
}

/** The built page (dist/public/dashboard.html) and the assets it names, gzip -9 each. */
export function builtDashboard(): BuiltFile[] {
  const dir = join(ROOT, "dist/public");
  const html = readFileSync(join(dir, "dashboard.html"));
  const assets = [...html.toString("utf8").matchAll(/(?:href|src)="(dashboard\/assets\/[^"]+)"/g)].map(
    (m) => m[1] as string,
  );
  return ["dashboard.html", ...assets].map((path) => {
    const bytes = readFileSync(join(dir, path));
    return { path, raw: bytes.length, gzip9: gzipSync(bytes, { level: 9 }).length };
  });
}
