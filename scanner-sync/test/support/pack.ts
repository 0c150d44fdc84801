// The package as a gate device gets it: the tarball of `npm pack`, installed with npm into
// an empty folder outside the repository, and run from there with an env that points at
// nothing of the repository.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type CliResult, finished } from "./cli.js";
import { ROOT } from "./paths.js";

export const PACKAGE_DIR = join(ROOT, "scanner-sync");

/** The env of a device: no npm_* of the `npm test` around us, no node_modules/.bin of the repository. */
export function deviceEnv(env: Record<string, string> = {}): NodeJS.ProcessEnv {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(npm_|SCANNER_|SYNC_|INIT_CWD$|DEBUG$)/i.test(k)),
  );
  const path = (process.env.PATH ?? "")
    .split(":")
    .filter((p) => !p.startsWith(ROOT))
    .join(":");
  return { ...base, PATH: path, ...env };
}

export function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<CliResult> {
  return finished(spawn(cmd, args, { cwd, env, stdio: "pipe" }));
}

async function ok(what: string, result: Promise<CliResult>): Promise<CliResult> {
  const r = await result;
  if (r.code !== 0) throw new Error(`${what} exited ${r.code}:\n${r.stdout}\n${r.stderr}`);
  return r;
}

/**
 * `npm pack` of the built package. --ignore-scripts skips prepack's rebuild: `npm test`
 * has just built dist/, and a rebuild would rewrite it under the other test files that run
 * the CLI from it at the same time.
 */
export async function packTarball(dest: string): Promise<string> {
  for (const built of ["dist/cli.cjs", "dist/index.js", "dist/types/scanner-sync/src/index.d.ts"]) {
    if (!existsSync(join(PACKAGE_DIR, built))) throw new Error(`no ${built}: run \`npm run build\` first`);
  }
  const r = await ok(
    "npm pack",
    run("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", dest], PACKAGE_DIR, deviceEnv()),
  );
  const [packed] = JSON.parse(r.stdout) as { filename: string }[];
  if (!packed) throw new Error(`npm pack said nothing: ${r.stdout}`);
  return join(dest, packed.filename);
}

/**
 * better-sqlite3's installer (prebuild-install) first looks for a prebuilt binary, then
 * downloads one from GitHub, and compiles SQLite from source (about 70 s here) when both
 * fail. GitHub is out of reach here, so it is handed the binary that the repository's own
 * install made for the same better-sqlite3 version and Node ABI, as a local prebuild
 * (prebuild-install's `local_prebuilds` setting): the way a device gets it from GitHub,
 * without the compile. A version or ABI that does not match is not found, and it compiles.
 */
export async function localPrebuilds(dir: string): Promise<Record<string, string>> {
  const native = join(ROOT, "node_modules/better-sqlite3");
  const { version } = JSON.parse(readFileSync(join(native, "package.json"), "utf8")) as { version: string };
  const name = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
  mkdirSync(dir, { recursive: true });
  await ok(
    "tar",
    run("tar", ["-czf", join(dir, name), "build/Release/better_sqlite3.node"], native, deviceEnv()),
  );
  return { npm_config_better_sqlite3_local_prebuilds: dir };
}

/** `npm install <tarball>` into `dir`, a folder of its own (its package.json stops npm looking above it). */
export async function installTarball(dir: string, tarball: string, env: NodeJS.ProcessEnv): Promise<void> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), `${JSON.stringify({ name: "gate-device", private: true })}\n`);
  await ok(
    "npm install",
    run("npm", ["install", tarball, "--prefer-offline", "--no-audit", "--no-fund"], dir, env),
  );
}

/** Every package on disk under dir/node_modules, nested ones too. */
export function installedPackages(dir: string, found = new Set<string>()): Set<string> {
  const modules = join(dir, "node_modules");
  if (!existsSync(modules)) return found;
  for (const entry of readdirSync(modules)) {
    if (entry.startsWith(".")) continue;
    const names = entry.startsWith("@")
      ? readdirSync(join(modules, entry)).map((n) => `${entry}/${n}`)
      : [entry];
    for (const name of names) {
      found.add(name);
      installedPackages(join(modules, name), found);
    }
  }
  return found;
}
