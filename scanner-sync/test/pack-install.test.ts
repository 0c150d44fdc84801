// The package is self-contained: its tarball (`npm pack`) installs into an empty folder
// outside the repository with its own dependencies and nothing of the server's, and the
// CLI and the library work from there, against a real server.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../test/support/server.js";
import {
  deviceEnv,
  installedPackages,
  installTarball,
  localPrebuilds,
  PACKAGE_DIR,
  packTarball,
  run,
} from "./support/pack.js";
import { ROOT } from "./support/paths.js";
import { AUTH_ENV, eventCounts, scannerToken } from "./support/tokens.js";

// A few seconds with the local prebuild; room for better-sqlite3 to compile SQLite from
// source (about 70 s here) if the prebuild does not match.
const INSTALL_TIMEOUT = 300_000;
const SERVER_PACKAGES = ["hono", "drizzle-orm", "pg", "@neondatabase/serverless", "wrangler"];

describe("the packed package, installed into an empty folder", () => {
  let root: string;
  let device: string;
  let server: TestServer | undefined;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "veritix-pack-"));
    device = join(root, "device");
    const tarball = await packTarball(root);
    await installTarball(device, tarball, deviceEnv(await localPrebuilds(join(root, "prebuilds"))));
  }, INSTALL_TIMEOUT);
  afterAll(async () => {
    await server?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  // --no: never fetch a package of that name from the registry if the bin were missing.
  const npx = (args: string[], env: Record<string, string> = {}) =>
    run("npx", ["--no", "--", "veritix-scanner", ...args], device, deviceEnv(env));

  it("holds its own dependencies and none of the server's", () => {
    const installed = installedPackages(device);
    // What dist/ imports from node_modules; commander and cli-progress are bundled into the CLI.
    for (const dep of ["@veritix/scanner-sync", "better-sqlite3", "uuidv7", "zod"]) {
      expect(installed).toContain(dep);
    }
    expect(SERVER_PACKAGES.filter((p) => installed.has(p))).toEqual([]);
  });

  it("runs the CLI with npx: --help, record, status --json, and sync to a real server", async () => {
    const help = await npx(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: veritix-scanner/);
    expect(help.stdout).toMatch(/record \[options\]/);

    server = await startTestServer("sqlite", AUTH_ENV);
    const event = "packed-device";
    const env = {
      SCANNER_DB: join(device, "scanner.db"),
      SCANNER_ID: "gate-packed-01",
      SYNC_URL: server.url,
      SYNC_TOKEN: await scannerToken("gate-packed-01"),
    };
    const scan = await npx(["record", "--event-id", event, "--ticket-id", "t-1", "--location", "North"], env);
    expect(scan.code).toBe(0);
    expect(JSON.parse(scan.stdout)).toMatchObject({ event_id: event, ticket_id: "t-1", is_valid: true });
    const refused = ["record", "--event-id", event, "--ticket-id", "t-2", "--invalid", "--reason", "expired"];
    expect((await npx(refused, env)).code).toBe(0);

    const before = await npx(["status", "--json"], env);
    expect(JSON.parse(before.stdout)).toMatchObject({ pending: 3, last_sync_at: null, dead_letters: 0 });

    const sync = await npx(["sync"], env);
    expect(sync.stderr).toBe("");
    expect(sync.code).toBe(0);
    expect(sync.stdout).toMatch(/synced 3 records in 1 batch: 3 accepted, 0 duplicates, 0 rejected/);
    expect(await eventCounts(server.url, event)).toMatchObject({
      scan_count: 2,
      valid_scan_count: 1,
      invalid_scan_count: 1,
      invalid_attempt_count: 1,
    });
    const after = await npx(["status", "--json"], env);
    expect(JSON.parse(after.stdout)).toMatchObject({ pending: 0, last_error: null });
  });

  it("gives a TypeScript program the library with its types", async () => {
    writeFileSync(
      join(device, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: { module: "nodenext", strict: true, noEmit: true, types: [] },
        files: ["consumer.mts"],
      }),
    );
    writeFileSync(
      join(device, "consumer.mts"),
      `import { APP_VERSION, ScanBuffer, type ScanItem } from "@veritix/scanner-sync";
const buffer = ScanBuffer.open({ path: "types.db", scannerId: "gate-types" });
const item: ScanItem = buffer.record({ event_id: "e", ticket_id: "t" });
const uuid: string = item.uuid;
// @ts-expect-error: the wire schema's types, not any
buffer.record({ event_id: 1, ticket_id: "t" });
export { APP_VERSION, uuid };
`,
    );
    const tsc = await run(join(ROOT, "node_modules/.bin/tsc"), ["-p", "."], device, deviceEnv());
    expect(tsc.stdout + tsc.stderr).toBe("");
    expect(tsc.code).toBe(0);
  });

  it("reports the version of its package.json", async () => {
    const { version } = JSON.parse(readFileSync(join(PACKAGE_DIR, "package.json"), "utf8"));
    expect((await npx(["--version"])).stdout.trim()).toBe(version);
  });
});
