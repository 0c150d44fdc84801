// Faults on the way to a real server: connections cut mid-request and mid-answer, 500s
// and 429s with Retry-After, and a poison record among good ones. Counts stay exact.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../test/support/server.js";
import { ScanBuffer, Uploader } from "../src/index.js";
import { countItems, fill, smuggle, type TempDir, tempDir } from "./support/buffers.js";
import { runCli } from "./support/cli.js";
import { type Front, faultyFront, type TcpProxy, tcpProxy } from "./support/fronts.js";
import { AUTH_ENV, eventCounts, scannerToken } from "./support/tokens.js";

describe("faults between the gate and the server", () => {
  let server: TestServer;
  let dir: TempDir;
  let buffer: ScanBuffer;
  let front: Front | TcpProxy | undefined;
  beforeEach(async () => {
    server = await startTestServer("sqlite", AUTH_ENV);
    dir = tempDir();
    buffer = ScanBuffer.open({ path: dir.path("gate.db"), scannerId: "gate-f-01" });
  });
  afterEach(async () => {
    buffer.close();
    await front?.close();
    front = undefined;
    await server.stop();
    dir.cleanup();
  });

  it("delivers everything exactly once through a proxy that cuts connections after random bytes", async () => {
    const event = "cut-connections";
    const expected = fill(buffer, event, { scans: 3000, invalidEvery: 9, attempts: 100 });
    const proxy = await tcpProxy(server.port, { cutRate: 1 });
    front = proxy;
    const uploader = new Uploader({
      buffer,
      url: proxy.url,
      token: await scannerToken("gate-f-01"),
      batchSize: 100,
      maxRetries: 200,
      backoff: { baseMs: 1, capMs: 10 },
    });
    const result = await uploader.drain();
    expect(result.pending).toBe(0);
    expect(proxy.cuts.request).toBeGreaterThan(0);
    expect(proxy.cuts.response).toBeGreaterThan(0);
    // Answers lost after the server stored the batch come back as duplicates on the resend.
    expect(result.duplicates).toBeGreaterThan(0);
    expect(result.accepted + result.duplicates).toBe(3100);
    expect(await eventCounts(server.url, event)).toMatchObject(expected);
    expect(await eventCounts(server.url, event)).toEqual(await server.rawCounts(event));
  });

  it("rides out 500s and 429s, waiting at least what Retry-After asks", async () => {
    const event = "flaky-front";
    const expected = fill(buffer, event, { scans: 1000, attempts: 20 });
    const inAMoment = () => new Date(Date.now() + 3000).toUTCString();
    front = await faultyFront(server.url, (n) =>
      n % 3 === 1
        ? { status: 500 }
        : n % 3 === 2
          ? { status: 429, headers: { "Retry-After": n % 2 ? "2" : inAMoment() } }
          : null,
    );
    const delays: number[] = [];
    const uploader = new Uploader({
      buffer,
      url: front.url,
      token: await scannerToken("gate-f-01"),
      batchSize: 250,
      // One request at a time: which request meets which fault must not depend on
      // which of two overlapping requests reaches the front first.
      maxInFlight: 1,
      sleep: async (ms) => {
        delays.push(ms);
      },
    });
    expect(await uploader.drain()).toMatchObject({ sent: 1020, accepted: 1020, duplicates: 0, pending: 0 });
    expect(front.requests).toBe(15);
    const afterRateLimit = delays.filter((_, i) => i % 2 === 1);
    expect(afterRateLimit).toHaveLength(5);
    for (const d of afterRateLimit) expect(d).toBeGreaterThanOrEqual(1000);
    expect(await eventCounts(server.url, event)).toMatchObject(expected);
    expect(await eventCounts(server.url, event)).toEqual(await server.rawCounts(event));
  });

  it("dead-letters the records the server rejects while the rest upload (CLI)", async () => {
    const event = "poison";
    const before = fill(buffer, event, { scans: 75, attempts: 5 });
    const future = new Date(Date.now() + 3 * 86_400_000).toISOString();
    const poison = smuggle(dir.path("gate.db"), "scan", {
      ticket_id: "t-poison",
      event_id: event,
      scanner_id: "gate-f-01",
      scan_timestamp: future,
    });
    const badAttempt = smuggle(dir.path("gate.db"), "invalid_attempt", {
      attempt_type: "scan",
      reason: "",
      event_id: event,
    });
    const after = fill(buffer, event, { scans: 75, attempts: 5 });
    const expected = Object.fromEntries(
      Object.entries(before).map(([k, v]) => [k, v + after[k as keyof typeof after]]),
    );
    const env = {
      SCANNER_DB: dir.path("gate.db"),
      SYNC_URL: server.url,
      SYNC_TOKEN: await scannerToken("gate-f-01"),
    };
    const sync = await runCli(["sync"], env);
    expect(sync.code).toBe(0);
    expect(sync.stdout).toMatch(
      /synced 162 records in 1 batch: 160 accepted, 0 duplicates, 2 rejected; outbox empty/,
    );
    expect(sync.stderr).toMatch(/2 records rejected by the server: see `veritix-scanner dead-letters`/);

    const letters = (await runCli(["dead-letters", "--json"], env)).stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(letters.map((d) => [d.uuid, d.kind, d.issues[0].path])).toEqual([
      [poison, "scan", "scan_timestamp"],
      [badAttempt, "invalid_attempt", "reason"],
    ]);
    expect(letters[0].issues[0].message).toMatch(/24 hours in the future/);
    expect((await runCli(["dead-letters"], env)).stdout).toMatch(
      new RegExp(
        `scan ${poison} \\(ticket t-poison, event poison\\): scan_timestamp: must not be more than 24 hours`,
      ),
    );
    expect(buffer.status()).toMatchObject({ pending: 0, dead_letters: 2 });
    expect(countItems(dir.path("gate.db"), "uploaded")).toBe(160);
    expect(await eventCounts(server.url, event)).toMatchObject(expected);
    expect(await eventCounts(server.url, event)).toEqual(await server.rawCounts(event));
  });
});
