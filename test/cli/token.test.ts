// `npm run token -- scanner <id>` and `-- reader --event E` (node dist/cli/token.js):
// scanner tokens expire in 90 days and readers' in 30 unless --days (or --no-expiry, for a
// scanner) says otherwise, are signed with SCANNER_SIGNING_KEY, and are what the server
// accepts from that scanner, or from that events' reader.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syncBody, syncScan } from "../support/records.js";
import { type RouteApp, routeApp } from "../support/route-app.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { API_TOKENS, SIGNING_KEY } from "../support/tokens.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const DAY = 86_400;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** `key` null: SCANNER_SIGNING_KEY unset. */
function token(
  args: string[],
  key: string | null = SIGNING_KEY,
  more: Record<string, string | undefined> = {},
): Promise<Run> {
  // `more`'s undefined values unset a variable.
  const env: NodeJS.ProcessEnv = { ...process.env, ...more };
  for (const [k, v] of Object.entries(more)) if (v === undefined) delete env[k];
  if (key === null) delete env.SCANNER_SIGNING_KEY;
  else env.SCANNER_SIGNING_KEY = key;
  return new Promise((resolve) => {
    execFile("npm", ["run", "-s", "token", "--", ...args], { cwd: ROOT, env }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: unknown }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** The token alone on the last line, and its payload. */
function issued(run: Run) {
  expect(run).toMatchObject({ code: 0 });
  const jwt = run.stdout.trim().split("\n").at(-1) as string;
  expect(jwt).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  const payload = JSON.parse(Buffer.from(jwt.split(".")[1] as string, "base64url").toString("utf8"));
  return {
    jwt,
    payload: payload as {
      sub: string;
      role: string;
      iat: number;
      exp?: number;
      events?: string[];
      jti?: string;
    },
  };
}

// The app the issued tokens are tried on (in process), for the scanner and reader tokens.
let app: RouteApp;
beforeAll(async () => {
  app = await routeApp();
});
afterAll(async () => {
  await app?.close();
});

describe("npm run token -- scanner", () => {
  it("issues a token of that scanner expiring in 90 days, which the server takes for that scanner's uploads", async () => {
    const { jwt, payload } = issued(await token(["scanner", "gate-1"]));
    expect(payload).toMatchObject({ sub: "gate-1", role: "scanner" });
    expect(Math.abs(payload.iat - Date.now() / 1000)).toBeLessThan(60);
    // To the millisecond: a revocation tells tokens issued before it from those issued after.
    expect(Number.isInteger(payload.iat * 1000)).toBe(true);
    expect((payload.exp as number) - Math.floor(payload.iat)).toBe(90 * DAY);
    const upload = await app.call("POST", "/sync", {
      body: syncBody("gate-1", { scans: [syncScan("token-event")] }),
      as: { token: jwt },
    });
    expect(await upload.json()).toMatchObject({ accepted: 1 });
    const other = await app.call("POST", "/sync", { body: syncBody("gate-2"), as: { token: jwt } });
    expect(other.status).toBe(403);
  });

  it("--days 3: expires in 3 days", async () => {
    const { payload } = issued(await token(["scanner", "gate-1", "--days", "3"]));
    expect((payload.exp as number) - Math.floor(payload.iat)).toBe(3 * DAY);
  });

  it("--no-expiry: no exp at all (valid until the key rotates)", async () => {
    const { payload } = issued(await token(["scanner", "gate-1", "--no-expiry"]));
    expect(payload).toMatchObject({ sub: "gate-1" });
    expect(payload).not.toHaveProperty("exp");
  });

  it("--days with --no-expiry: refuses, exit non-zero, no token", async () => {
    const run = await token(["scanner", "gate-1", "--days", "3", "--no-expiry"]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/--days and --no-expiry/);
    expect(run.stdout).not.toMatch(/\w+\.\w+\.\w+/);
  });

  it("refuses without SCANNER_SIGNING_KEY, or with one under 32 characters", async () => {
    for (const key of [null, "x".repeat(31)]) {
      const run = await token(["scanner", "gate-1"], key);
      expect(run.code).not.toBe(0);
      expect(run.stderr).toContain("SCANNER_SIGNING_KEY");
    }
  });
});

describe("npm run token -- reader", () => {
  it("issues a reader token of those events, with an id, expiring in 30 days: it reads them and no other", async () => {
    const run = await token(["reader", "--event", "ev-a", "--event", "ev-b"]);
    const { jwt, payload } = issued(run);
    expect(payload).toMatchObject({ role: "reader", events: ["ev-a", "ev-b"], jti: expect.any(String) });
    expect((payload.exp as number) - Math.floor(payload.iat)).toBe(30 * DAY);
    expect(run.stdout).not.toContain(SIGNING_KEY);
    expect((await app.call("GET", "/stats?event_id=ev-b", { as: { token: jwt } })).status).toBe(200);
    expect((await app.call("GET", "/stats?event_id=ev-c", { as: { token: jwt } })).status).toBe(403);
    expect(
      (await app.call("POST", "/scans", { body: { ticket_id: "t", event_id: "ev-a" }, as: { token: jwt } }))
        .status,
    ).toBe(403);
  });

  it("--days 2: expires in 2 days; without an --event: refuses, no token", async () => {
    const { payload } = issued(await token(["reader", "--event", "ev-a", "--days", "2"]));
    expect((payload.exp as number) - Math.floor(payload.iat)).toBe(2 * DAY);
    const none = await token(["reader"]);
    expect(none.code).not.toBe(0);
    expect(none.stderr).toContain("--event");
    expect(none.stdout).not.toMatch(/\w+\.\w+\.\w+/);
  });
});

describe.each(["sqlite", "postgres"] as const)("npm run token -- revoke, on %s", (db) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(db, { API_TOKENS, SCANNER_SIGNING_KEY: SIGNING_KEY });
  });
  afterAll(async () => {
    await server?.stop();
  });
  const dbEnv = () =>
    db === "sqlite"
      ? { SQLITE_PATH: server.sqlitePath as string }
      : { DATABASE_URL: server.databaseUrl as string };
  const sync = (scanner: string, jwt: string) =>
    server.call("POST", "/sync", syncBody(scanner, { scans: [syncScan("revoke-cli")] }), {
      Authorization: `Bearer ${jwt}`,
    });

  it("revokes that scanner's tokens issued until now in the configured database: the running server refuses them, a new one works", async () => {
    const old = issued(await token(["scanner", "gate-lost"])).jwt;
    const kept = issued(await token(["scanner", "gate-kept"])).jwt;
    expect((await sync("gate-lost", old)).status).toBe(200);
    const run = await token(["revoke", "gate-lost"], null, dbEnv());
    expect(run).toMatchObject({ code: 0 });
    expect(run.stdout).toMatch(
      /scanner gate-lost revoked .*tokens issued before \d{4}-\d\d-\d\dT[\d:.]+Z are refused/,
    );
    expect(run.stderr).toBe("");
    expect((await sync("gate-lost", old)).status).toBe(401);
    expect((await sync("gate-kept", kept)).status).toBe(200);
    const fresh = issued(await token(["scanner", "gate-lost"])).jwt;
    expect((await sync("gate-lost", fresh)).status).toBe(200);
  });

  it("revokes a scanner never seen too, and notes that its id may be a typo", async () => {
    const run = await token(["revoke", "gate-typo"], null, dbEnv());
    expect(run).toMatchObject({ code: 0 });
    expect(run.stdout).toMatch(/scanner gate-typo revoked/);
    expect(run.stderr).toMatch(/no sync from scanner gate-typo has reached this database; .*check the id/);
  });

  it("refuses an invalid scanner id, and says why when the database cannot be reached (exit non-zero)", async () => {
    const bad = await token(["revoke", "x".repeat(200)], null, dbEnv());
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/invalid scanner id/);
    const unreachable =
      db === "sqlite"
        ? { SQLITE_PATH: `${server.sqlitePath}/under-a-file.db`, DATABASE_URL: undefined }
        : { DATABASE_URL: "postgres://postgres@127.0.0.1:1/none" };
    const down = await token(["revoke", "gate-lost"], null, unreachable);
    expect(down.code).not.toBe(0);
    expect(down.stderr).toMatch(/revoking gate-lost failed: /);
  });
});
