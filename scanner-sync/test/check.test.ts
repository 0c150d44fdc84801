// The admission check (`check`, checkAdmission): the server's answer when it gives one in
// time, with this gate's scans it cannot know yet; this gate's own scans when it cannot
// answer (down, silent, 503, a captive portal); an error, never a local answer, when it
// refuses the token. Gate A uploads scans the server knows; gate B asks.

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, expectTypeOf, it } from "vitest";
import type * as z from "zod";
import type { admission } from "../../src/responses.js";
import { startTestServer, type TestServer } from "../../test/support/server.js";
import { checkAdmission, ScanBuffer, type ScanRecordInput, SyncFatal, Uploader } from "../src/index.js";
import type { AdmissionAnswer } from "../src/upload/admission.js";
import { type TempDir, tempDir } from "./support/buffers.js";
import { type CliResult, runCli } from "./support/cli.js";
import { faultyFront, silentFront } from "./support/fronts.js";
import { freePort } from "./support/server-process.js";
import { AUTH_ENV, INGEST, scannerToken } from "./support/tokens.js";

const EVENT = "admission-checks";
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
const scan = (ticket_id: string, at: string, extra: Partial<ScanRecordInput> = {}): ScanRecordInput => ({
  event_id: EVENT,
  ticket_id,
  scan_timestamp: at,
  ...extra,
});

/** The one JSON line `check` prints (on stderr, at most the note of a device with no buffer yet). */
function answerOf(r: CliResult) {
  expect(r.stderr).toMatch(/^(note: no buffer at \S+: answering without this device's scans\n)?$/);
  expect(r.stdout.endsWith("\n") && !r.stdout.trimEnd().includes("\n")).toBe(true);
  return JSON.parse(r.stdout);
}

describe("the admission check", () => {
  let dir: TempDir;
  const gateB = () => dir.path("gate-b.db");
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => dir.cleanup());

  /** Scans recorded on a gate's own buffer (pending until it syncs). */
  function recordOn(path: string, scannerId: string, scans: ScanRecordInput[]) {
    const buffer = ScanBuffer.open({ path, scannerId });
    try {
      buffer.transaction(() => {
        for (const s of scans) buffer.record(s);
      });
    } finally {
      buffer.close();
    }
  }
  const recordHere = (...scans: ScanRecordInput[]) => recordOn(gateB(), "gate-b-01", scans);

  async function check(url: string, ticket: string, opts: { token?: string; args?: string[] } = {}) {
    const env = {
      SCANNER_DB: gateB(),
      SCANNER_ID: "gate-b-01",
      SYNC_URL: url,
      SYNC_TOKEN: opts.token ?? (await scannerToken("gate-b-01")),
    };
    return runCli(["check", "--event-id", EVENT, "--ticket-id", ticket, ...(opts.args ?? [])], env);
  }

  it("reads the server's answer as the server's schema writes it", () => {
    expectTypeOf<AdmissionAnswer>().toEqualTypeOf<z.output<typeof admission>>();
  });

  describe("with the server up", () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer("sqlite", AUTH_ENV);
    });
    afterAll(async () => {
      await server?.stop();
    });

    /** Gate A's scans, uploaded: what the server knows and gate B does not. */
    async function uploadedByGateA(...scans: ScanRecordInput[]) {
      const path = dir.path("gate-a.db");
      recordOn(path, "gate-a-01", scans);
      const buffer = ScanBuffer.open({ path, create: false });
      try {
        const token = await scannerToken("gate-a-01");
        expect(await new Uploader({ buffer, url: server.url, token }).drain()).toMatchObject({
          accepted: scans.length,
          pending: 0,
        });
      } finally {
        buffer.close();
      }
    }

    it("a ticket admitted at another gate: source server, its first valid scan, exit 10", async () => {
      const [refused, first, second] = [minutesAgo(40), minutesAgo(30), minutesAgo(20)];
      await uploadedByGateA(
        scan("up-1", second, { location: "North Gate" }),
        scan("up-1", first, { location: "South Gate" }),
        scan("up-1", refused, { is_valid: false, location: "East Gate" }),
      );
      const r = await check(server.url, "up-1");
      expect(answerOf(r)).toEqual({
        source: "server",
        admitted: true,
        valid_scans: 2,
        first_entry: { scan_timestamp: first, scanner_id: "gate-a-01", location: "South Gate" },
        pending_here: 0,
      });
      expect(r.code).toBe(10);
    });

    it("a ticket with only a refused scan: source server, not admitted, exit 0", async () => {
      await uploadedByGateA(scan("up-2", minutesAgo(5), { is_valid: false }), scan("up-3", minutesAgo(5)));
      const r = await check(server.url, "up-2");
      expect(answerOf(r)).toEqual({
        source: "server",
        admitted: false,
        valid_scans: 0,
        first_entry: null,
        pending_here: 0,
      });
      expect(r.code).toBe(0);
    });

    it("this gate's scan not uploaded yet (a pass-back here) counts with the server's answer, once", async () => {
      const at = minutesAgo(1);
      recordHere(scan("up-4", at, { location: "West Gate" }));
      const before = await check(server.url, "up-4");
      expect(answerOf(before)).toEqual({
        source: "server",
        admitted: true,
        valid_scans: 1,
        first_entry: { scan_timestamp: at, scanner_id: "gate-b-01", location: "West Gate" },
        pending_here: 1,
      });
      expect(before.code).toBe(10);

      const token = await scannerToken("gate-b-01");
      const env = { SCANNER_DB: gateB(), SYNC_URL: server.url, SYNC_TOKEN: token };
      expect((await runCli(["sync"], env)).code).toBe(0);
      const after = await check(server.url, "up-4");
      expect(answerOf(after)).toMatchObject({ source: "server", valid_scans: 1, pending_here: 0 });
      expect(after.code).toBe(10);
    });

    it("a ticket id with /, ?, # and & reaches the route whole (encoded in the path)", async () => {
      const odd = "up 5/a?event_id=x#b&c%2F";
      await uploadedByGateA(scan(odd, minutesAgo(3)));
      const r = await check(server.url, odd);
      expect(answerOf(r)).toMatchObject({ source: "server", admitted: true, valid_scans: 1 });
      expect(r.code).toBe(10);
    });

    it("a refused token is an error, not a local answer: exit 1, nothing on stdout", async () => {
      recordHere(scan("up-6", minutesAgo(2)));
      const r = await check(server.url, "up-6", {
        token: await scannerToken("gate-b-01", "another-key-0123456789abcdef"),
      });
      expect(r.code).toBe(1);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(/the server refused the token \(401 unauthorized: .*issue a new one/);
    });

    it("library: the server's answer at a URL given with /sync; 403 for a role that may not ask", async () => {
      await uploadedByGateA(scan("up-7", minutesAgo(8), { location: "North Gate" }));
      const buffer = ScanBuffer.open({ path: gateB(), scannerId: "gate-b-01" });
      try {
        const ask = (token: string) =>
          checkAdmission({ url: `${server.url}/sync/`, token, buffer, eventId: EVENT, ticketId: "up-7" });
        expect(await ask(await scannerToken("gate-b-01"))).toMatchObject({
          source: "server",
          admitted: true,
          valid_scans: 1,
          first_entry: { scanner_id: "gate-a-01", location: "North Gate" },
        });
        const refused = await ask(INGEST).catch((e: unknown) => e);
        expect(refused).toBeInstanceOf(SyncFatal);
        expect(refused).toMatchObject({ status: 403 });
      } finally {
        buffer.close();
      }
    });

    it("library: a 503 or a captive portal's 200 page is answered from the buffer, with the reason", async () => {
      recordHere(scan("up-8", minutesAgo(4)));
      const buffer = ScanBuffer.open({ path: gateB(), create: false });
      const down = await faultyFront(server.url, () => ({ status: 503, headers: { "Retry-After": "5" } }));
      const portal = await faultyFront(server.url, () => ({
        status: 200,
        body: "<html>Log in to Wi-Fi</html>",
      }));
      try {
        const token = await scannerToken("gate-b-01");
        const ask = (url: string) => checkAdmission({ url, token, buffer, eventId: EVENT, ticketId: "up-8" });
        expect(await ask(down.url)).toMatchObject({
          source: "local",
          admitted: true,
          valid_scans: 1,
          reason: expect.stringMatching(/server answered 503/),
        });
        expect(await ask(portal.url)).toMatchObject({
          source: "local",
          admitted: true,
          reason: expect.stringMatching(/is not an admission answer/),
        });
        expect([down.requests, portal.requests]).toEqual([1, 1]);
      } finally {
        buffer.close();
        await down.close();
        await portal.close();
      }
    });
  });

  describe("with no server answering", () => {
    it("nothing listening, a valid scan here: source local, its first valid scan, exit 10", async () => {
      const [refused, first, second] = [minutesAgo(40), minutesAgo(30), minutesAgo(20)];
      recordHere(
        scan("down-1", second, { location: "North Gate" }),
        scan("down-1", first, { location: "South Gate" }),
        scan("down-1", refused, { is_valid: false }),
      );
      const r = await check(`http://127.0.0.1:${await freePort()}`, "down-1");
      expect(answerOf(r)).toEqual({
        source: "local",
        admitted: true,
        valid_scans: 2,
        first_entry: { scan_timestamp: first, scanner_id: "gate-b-01", location: "South Gate" },
        reason: expect.stringMatching(/connection refused/),
      });
      expect(r.code).toBe(10);
    });

    it("nothing listening, only a refused scan here: unknown, exit 11", async () => {
      recordHere(scan("down-2", minutesAgo(3), { is_valid: false }), scan("down-3", minutesAgo(3)));
      const r = await check(`http://127.0.0.1:${await freePort()}`, "down-2");
      expect(answerOf(r)).toEqual({
        source: "local",
        admitted: false,
        valid_scans: 0,
        first_entry: null,
        reason: expect.stringMatching(/connection refused/),
      });
      expect(r.code).toBe(11);
    });

    it("a server that never answers: source local after --timeout 300, well within a few seconds", async () => {
      const front = await silentFront();
      try {
        const started = Date.now();
        const r = await check(front.url, "slow-1", { args: ["--timeout", "300"] });
        const took = Date.now() - started;
        expect(answerOf(r)).toMatchObject({
          source: "local",
          admitted: false,
          reason: expect.stringMatching(/no answer within 0.3 s/),
        });
        expect(r.code).toBe(11);
        expect(front.requests).toBe(1);
        expect(took).toBeGreaterThanOrEqual(300);
        expect(took).toBeLessThan(2500);
      } finally {
        await front.close();
      }
    });

    it("library: the buffer's answer when down; the caller's abort and a malformed id throw", async () => {
      recordHere(scan("down-4", minutesAgo(6)));
      const buffer = ScanBuffer.open({ path: gateB(), create: false });
      const front = await silentFront();
      try {
        const url = `http://127.0.0.1:${await freePort()}`;
        const ask = (ticketId: string, more: { url?: string; signal?: AbortSignal } = {}) =>
          checkAdmission({ url, buffer, eventId: EVENT, ticketId, ...more });
        expect(await ask("down-4")).toMatchObject({ source: "local", admitted: true, valid_scans: 1 });
        expect(await ask("down-5")).toMatchObject({ source: "local", admitted: false, first_entry: null });
        await expect(ask("   ")).rejects.toThrow(/invalid ticket id/);
        const aborted = ask("down-4", { url: front.url, signal: AbortSignal.timeout(100) });
        await expect(aborted).rejects.toMatchObject({ name: "TimeoutError" });
      } finally {
        buffer.close();
        await front.close();
      }
    });
  });
});
