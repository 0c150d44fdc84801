// Tokens at POST /sync: each refusal stops the run after one request (no spinning), says
// what is wrong, and keeps every record.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../test/support/server.js";
import { ScanBuffer, SyncFatal, Uploader } from "../src/index.js";
import { fill, type TempDir, tempDir } from "./support/buffers.js";
import { runCli } from "./support/cli.js";
import { type Front, faultyFront } from "./support/fronts.js";
import { AUTH_ENV, eventCounts, INGEST, READER, scannerToken } from "./support/tokens.js";

describe("scanner tokens at POST /sync", () => {
  let server: TestServer;
  let front: Front;
  let dir: TempDir;
  let buffer: ScanBuffer;
  const event = "auth-checks";
  beforeAll(async () => {
    server = await startTestServer("sqlite", AUTH_ENV);
    front = await faultyFront(server.url, () => null);
    dir = tempDir();
    buffer = ScanBuffer.open({ path: dir.path("gate.db"), scannerId: "gate-a-01" });
    fill(buffer, event, { scans: 5 });
  });
  afterAll(async () => {
    buffer?.close();
    await front?.close();
    await server?.stop();
    dir?.cleanup();
  });

  const refusals: [string, () => Promise<string | undefined>, number, RegExp][] = [
    [
      "no token",
      async () => undefined,
      401,
      /401 unauthorized: missing bearer token.*pass --token or set SYNC_TOKEN/,
    ],
    [
      "another scanner's token",
      () => scannerToken("gate-b-02"),
      403,
      /403 forbidden: this token belongs to scanner gate-b-02, not gate-a-01/,
    ],
    [
      "a reader token",
      async () => READER,
      403,
      /403 forbidden: this token's role \(reader\) may not POST \/sync/,
    ],
    [
      "an expired token",
      () => scannerToken("gate-a-01", undefined, { ttlSeconds: 60, now: new Date(Date.now() - 3_600_000) }),
      401,
      /401 unauthorized: invalid token.*wrong, expired or revoked/,
    ],
    [
      "a token signed with a rotated-out secret",
      () => scannerToken("gate-a-01", "the-old-signing-key-0123456789abcdef"),
      401,
      /401 unauthorized: invalid token/,
    ],
  ];
  for (const [what, token, status, message] of refusals) {
    it(`stops at once with ${what} (${status}), keeping the records`, async () => {
      const before = front.requests;
      const run = new Uploader({ buffer, url: front.url, token: await token() }).drain();
      await expect(run).rejects.toThrow(SyncFatal);
      await expect(run).rejects.toMatchObject({ status, message: expect.stringMatching(message) });
      expect(front.requests - before).toBe(1);
      expect(buffer.status()).toMatchObject({
        pending: 5,
        last_error: { message: expect.stringMatching(message) },
      });
    });
  }

  it("the CLI says so and exits 1 on a refused token", async () => {
    const expired = await scannerToken("gate-a-01", undefined, {
      ttlSeconds: 1,
      now: new Date(Date.now() - 60_000),
    });
    const r = await runCli(["sync"], {
      SCANNER_DB: dir.path("gate.db"),
      SYNC_URL: front.url,
      SYNC_TOKEN: expired,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^veritix-scanner: the server refused the token \(401 unauthorized: invalid token/,
    );
    expect(buffer.status().pending).toBe(5);
  });

  it("uploads with the scanner's own token, or an ingest token, counted once", async () => {
    expect(
      await new Uploader({ buffer, url: front.url, token: await scannerToken("gate-a-01") }).drain(),
    ).toMatchObject({
      accepted: 5,
      pending: 0,
    });
    fill(buffer, event, { scans: 2 });
    expect(await new Uploader({ buffer, url: front.url, token: INGEST }).drain()).toMatchObject({
      accepted: 2,
    });
    expect(await eventCounts(server.url, event)).toMatchObject({ scan_count: 7 });
    expect(await eventCounts(server.url, event)).toEqual(await server.rawCounts(event));
  });
});
