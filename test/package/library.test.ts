// The root package as a library user gets it: `npm pack`, installed into an empty folder,
// and the README's library example, type-checked against the installed declarations and
// run with plain node from there. Compiled JavaScript and declarations only: no sources.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deviceEnv, installTarball, localPrebuilds, run } from "../../scanner-sync/test/support/pack.js";
import { startTestServer } from "../support/server.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const TSC = join(ROOT, "node_modules/typescript/bin/tsc");
const TOKEN = "library-test-admin-token-0123";

/** The first ts block of the README under `heading`. */
function readmeExample(heading: string): string {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf(heading));
  const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error(`README.md has no ts block under '${heading}'`);
  return block;
}

/** tsc --strict on one module of `dir`, against what is installed there: its complaints. */
async function typeCheck(dir: string, file: string): Promise<string> {
  const tsc = await run(
    process.execPath,
    [
      TSC,
      "--noEmit",
      "--strict",
      "--module",
      "nodenext",
      "--moduleResolution",
      "nodenext",
      "--target",
      "es2022",
      "--skipLibCheck",
      "--types",
      "node",
      "--typeRoots",
      join(ROOT, "node_modules/@types"),
      file,
    ],
    dir,
    deviceEnv(),
  );
  return tsc.stdout + tsc.stderr;
}

describe("the packed root package", () => {
  const dir = mkdtempSync(join(tmpdir(), "veritix-library-"));
  const app = join(dir, "app");
  let files: string[] = [];

  beforeAll(async () => {
    // --ignore-scripts: `npm test` has just built dist/ (prepack would rebuild it under the
    // tests that run the server from it at the same time).
    const packed = await run(
      "npm",
      ["pack", "--json", "--ignore-scripts", "--pack-destination", dir],
      ROOT,
      deviceEnv(),
    );
    if (packed.code !== 0) throw new Error(`npm pack: ${packed.stderr}`);
    const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
    if (!info) throw new Error(`npm pack said nothing: ${packed.stdout}`);
    files = info.files.map((f) => f.path);
    await installTarball(app, join(dir, info.filename), {
      ...deviceEnv(),
      ...(await localPrebuilds(join(dir, "prebuilds"))),
    });
  }, 240_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("holds the compiled library with its declarations and the migrations, no sources", () => {
    expect(files).toEqual(
      expect.arrayContaining([
        "dist/index.js",
        "dist/index.d.ts",
        "dist/server.js",
        "dist/store/sqlite/embedded/thread-entry.js",
        "drizzle/sqlite/0000_init.sql",
        "drizzle/pg/0000_init.sql",
      ]),
    );
    expect(
      files.filter(
        (f) => /^(src|test|bench|scanner-sync)\//.test(f) || (f.endsWith(".ts") && !f.endsWith(".d.ts")),
      ),
    ).toEqual([]);
  });

  it("runs the README's library example, type-checked against the installed declarations", async () => {
    const code = `${readmeExample("## Using the service as a library")}\nconsole.log(JSON.stringify(stats));\n`;
    writeFileSync(join(app, "example.mts"), code);
    expect(await typeCheck(app, "example.mts")).toBe("");
    // The example has no type syntax: as a module, plain node runs it.
    writeFileSync(join(app, "example.mjs"), code);
    const ran = await run(process.execPath, ["example.mjs"], app, deviceEnv());
    expect(ran.stderr).toBe("");
    expect(ran.code).toBe(0);
    const stats = JSON.parse(ran.stdout.trim().split("\n").at(-1) as string);
    expect(stats).toMatchObject({
      event_id: "event_456",
      scan_count: 1,
      valid_scan_count: 1,
      transfer_count: 1,
      successful_transfer_count: 1,
      invalid_attempt_count: 1,
    });
  });

  it("runs the README's typed-client example against a real server, type-checked against the installed package", async () => {
    const server = await startTestServer("sqlite", { API_TOKENS: `admin:${TOKEN}` });
    try {
      const example = readmeExample("### The API as code").replace("http://127.0.0.1:8787", server.url);
      const code = `${example}\nconsole.log(JSON.stringify(stats));\n`;
      writeFileSync(join(app, "client.mts"), code);
      expect(await typeCheck(app, "client.mts")).toBe("");
      writeFileSync(join(app, "client.mjs"), code);
      const ran = await run(process.execPath, ["client.mjs"], app, { ...deviceEnv(), VERITIX_TOKEN: TOKEN });
      expect(ran.stderr).toBe("");
      expect(ran.code).toBe(0);
      const [id, stats] = ran.stdout.trim().split("\n");
      expect(Number(id)).toBeGreaterThan(0);
      expect(JSON.parse(stats as string)).toMatchObject({ event_id: "event_456", scan_count: 1 });
    } finally {
      await server.stop();
    }
  });
});
