// A gate runs `record` as a whole process per scan, so the CLI (one bundled file,
// build.mjs) loads only what the command it runs needs (the budget itself is measured by bench/scanner-cli.ts, never asserted).
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ScanBuffer } from "../src/index.js";
import { type TempDir, tempDir } from "./support/buffers.js";
import { finished } from "./support/cli.js";
import { CLI_BIN, ROOT } from "./support/paths.js";

const PROBE = fileURLToPath(new URL("./support/loaded-modules.cjs", import.meta.url));

interface Loaded {
  builtins: string[];
  files: string[];
}

describe("what a command loads", () => {
  let dir: TempDir;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => dir.cleanup());

  async function loadedBy(args: string[]): Promise<Loaded & { code: number | null }> {
    const out = dir.path("loaded.json");
    const child = spawn(
      process.execPath,
      ["--require", PROBE, CLI_BIN, "--db", dir.path("gate.db"), ...args],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH, SCANNER_ID: "gate-a-01", LOADED_MODULES_OUT: out },
      },
    );
    const { code } = await finished(child);
    return { code, ...(JSON.parse(readFileSync(out, "utf8")) as Loaded) };
  }
  const packages = (files: string[]) =>
    new Set(files.flatMap((f) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(f)?.[1] ?? []));

  it("record: SQLite, but neither the uploader's HTTP nor commander's child_process", async () => {
    const record = await loadedBy(["record", "--event-id", "e1", "--ticket-id", "t1"]);
    expect(record.code).toBe(0);
    expect(packages(record.files)).toEqual(new Set(["better-sqlite3", "bindings", "file-uri-to-path"]));
    for (const heavy of ["http", "https", "child_process"]) expect(record.builtins).not.toContain(heavy);
  });

  it("sync: the uploader's HTTP (what record is spared)", async () => {
    // An empty outbox: nothing is sent, but the uploader is loaded to find that out.
    ScanBuffer.open({ path: dir.path("gate.db"), scannerId: "gate-a-01" }).close();
    const sync = await loadedBy(["sync", "--url", "http://127.0.0.1:9"]);
    expect(sync.code).toBe(0);
    expect(sync.builtins).toEqual(expect.arrayContaining(["http", "https"]));
  });

  it("--help: the CLI's own file alone, no package from node_modules", async () => {
    const help = await loadedBy(["--help"]);
    expect(help.code).toBe(0);
    expect(packages(help.files)).toEqual(new Set());
  });
});
