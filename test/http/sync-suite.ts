// POST /sync and device health over real HTTP, run once per database.
import { uuidv7 } from "uuidv7";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueScannerToken } from "../../src/auth/scanner-token.js";
import { type DbKind, startTestServer, type TestServer } from "../support/server.js";

const KEY = "sync-test-signing-key-0123456789abcdef";
const TOKENS = { ingest: "ingest-token-0123456789", reader: "reader-token-0123456789" };
const bearer = (t: string) => ({ Authorization: `Bearer ${t}` });

let n = 0;
const freshEvent = () => `sync_event_${Date.now()}_${n++}`;
const scanItem = (event_id: string, over: Record<string, unknown> = {}) => ({
  uuid: uuidv7(),
  ticket_id: `ticket_${n++}`,
  event_id,
  scan_timestamp: new Date(Date.now() - 60_000).toISOString(),
  is_valid: true,
  location: "North Gate",
  ...over,
});
const attemptItem = (event_id: string) => ({
  uuid: uuidv7(),
  attempt_type: "scan",
  reason: "invalid_qr",
  event_id,
  attempt_timestamp: new Date().toISOString(),
});

export function syncSuite(db: DbKind) {
  describe(`POST /sync on ${db}`, () => {
    let s: TestServer;
    const tokens: Record<string, string> = {};
    beforeAll(async () => {
      s = await startTestServer(db, {
        API_TOKENS: `ingest:${TOKENS.ingest},reader:${TOKENS.reader}`,
        SCANNER_SIGNING_KEY: KEY,
      });
      for (const id of ["gate-a-01", "gate-b-02"]) tokens[id] = await issueScannerToken(id, KEY);
    });
    afterAll(async () => {
      await s?.stop();
    });

    const sync = (scannerId: string, body: Record<string, unknown>, token = tokens[scannerId] as string) =>
      s.call(
        "POST",
        "/sync",
        { scanner_id: scannerId, sent_at: new Date().toISOString(), ...body },
        bearer(token),
      );
    const stats = async (e: string) => {
      const { event_id, last_updated, ...counts } = await (
        await s.call("GET", `/stats?event_id=${e}`, undefined, bearer(TOKENS.reader))
      ).json();
      return counts;
    };

    it("stores the valid items with their stats and rejects each invalid one alone, by kind and index", async () => {
      const e = freshEvent();
      const good = [scanItem(e), scanItem(e, { is_valid: false }), scanItem(e)];
      const noTicket = { ...scanItem(e), ticket_id: undefined };
      const otherScanner = scanItem(e, { scanner_id: "gate-z-99" });
      const badAttempt = { ...attemptItem(e), reason: 42 };
      const res = await sync("gate-a-01", {
        scans: [good[0], noTicket, good[1], otherScanner, good[2]],
        invalid_attempts: [badAttempt, attemptItem(e)],
      });
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(body.accepted).toBe(4);
      expect(body.duplicates).toBe(0);
      expect(body.rejected.map((r: { kind: string; index: number }) => [r.kind, r.index])).toEqual([
        ["scan", 1],
        ["scan", 3],
        ["invalid_attempt", 0],
      ]);
      expect(body.rejected[0]).toMatchObject({ uuid: noTicket.uuid, issues: [{ path: "ticket_id" }] });
      expect(body.rejected[1].issues[0].path).toBe("scanner_id");
      expect(body.rejected[2].issues[0].path).toBe("reason");
      expect(await stats(e)).toEqual(await s.rawCounts(e));
      expect(await s.rawCounts(e)).toMatchObject({
        scan_count: 3,
        valid_scan_count: 2,
        invalid_attempt_count: 1,
      });
      const { scans } = await (
        await s.call("GET", `/stats/scans?event_id=${e}`, undefined, bearer(TOKENS.reader))
      ).json();
      expect(new Set(scans.map((r: { scanner_id: string }) => r.scanner_id))).toEqual(new Set(["gate-a-01"]));
    });

    it("answers a replayed request with duplicates and counts nothing twice", async () => {
      const e = freshEvent();
      const body = { scans: [scanItem(e), scanItem(e)], invalid_attempts: [attemptItem(e)] };
      expect(await (await sync("gate-a-01", body)).json()).toMatchObject({ accepted: 3, duplicates: 0 });
      const before = await stats(e);
      expect(await (await sync("gate-a-01", body)).json()).toEqual({
        accepted: 0,
        duplicates: 3,
        rejected: [],
      });
      expect(await stats(e)).toEqual(before);
      expect(before).toEqual(await s.rawCounts(e));
    });

    it("refuses more than 1000 items or 1 MiB with 413 and writes nothing", async () => {
      const e = freshEvent();
      const many = await sync("gate-a-01", {
        scans: Array.from({ length: 900 }, () => scanItem(e)),
        invalid_attempts: Array.from({ length: 101 }, () => attemptItem(e)),
      });
      expect(many.status).toBe(413);
      expect((await many.json()).error).toBe("payload_too_large");
      const big = await sync("gate-a-01", {
        scans: Array.from({ length: 200 }, () =>
          scanItem(e, { additional_metadata: { pad: "x".repeat(6000) } }),
        ),
      });
      expect(big.status).toBe(413);
      expect((await s.rawCounts(e)).scan_count).toBe(0);
    });

    it("accepts exactly 1000 items in one request", async () => {
      const e = freshEvent();
      const res = await sync("gate-a-01", {
        scans: Array.from({ length: 990 }, (_, i) => scanItem(e, { is_valid: i % 10 !== 0 })),
        invalid_attempts: Array.from({ length: 10 }, () => attemptItem(e)),
      });
      expect(await res.json()).toEqual({ accepted: 1000, duplicates: 0, rejected: [] });
      expect(await stats(e)).toEqual(await s.rawCounts(e));
      expect((await s.rawCounts(e)).invalid_scan_count).toBe(99);
    });

    it("refuses a malformed envelope with 400 and writes nothing", async () => {
      const e = freshEvent();
      const cases: unknown[] = [
        { scans: [scanItem(e)] },
        { scanner_id: "gate-a-01", scans: [scanItem(e)] },
        { scanner_id: "gate-a-01", sent_at: "when I sent it", scans: [scanItem(e)] },
        { scanner_id: "gate-a-01", sent_at: new Date().toISOString(), scans: "all of them" },
        { scanner_id: "gate-a-01", sent_at: new Date().toISOString(), scans: [scanItem(e)], extra: 1 },
        { scanner_id: "gate-a-01", sent_at: new Date().toISOString(), device: { pending: -1 } },
        { scanner_id: "gate-a-01", sent_at: new Date().toISOString(), device: { pending: 3_000_000_000 } },
      ];
      for (const body of cases) {
        const res = await s.call("POST", "/sync", body, bearer(tokens["gate-a-01"] as string));
        expect(res.status).toBe(400);
        expect((await res.json()).error).toBe("validation_failed");
      }
      const broken = await s.call("POST", "/sync", "{not json", bearer(tokens["gate-a-01"] as string));
      expect(broken.status).toBe(400);
      expect((await s.rawCounts(e)).scan_count).toBe(0);
    });

    it("lets a scanner token upload only its own scanner's batches and nothing else", async () => {
      const e = freshEvent();
      const other = await sync("gate-b-02", { scans: [scanItem(e)] }, tokens["gate-a-01"]);
      expect(other.status).toBe(403);
      const scansRoute = await s.call("POST", "/scans", scanItem(e), bearer(tokens["gate-a-01"] as string));
      expect(scansRoute.status).toBe(403);
      const read = await s.call(
        "GET",
        `/stats?event_id=${e}`,
        undefined,
        bearer(tokens["gate-a-01"] as string),
      );
      expect(read.status).toBe(403);
      expect((await sync("gate-a-01", { scans: [scanItem(e)] }, TOKENS.reader)).status).toBe(403);
      expect((await sync("gate-b-02", { scans: [scanItem(e)] }, TOKENS.ingest)).status).toBe(200);
      expect((await s.rawCounts(e)).scan_count).toBe(1);
    });

    it("refuses expired tokens and tokens signed with a rotated-away key", async () => {
      const e = freshEvent();
      const expired = await issueScannerToken("gate-a-01", KEY, {
        ttlSeconds: 60,
        now: new Date(Date.now() - 3600_000),
      });
      const rotated = await issueScannerToken("gate-a-01", "the-previous-signing-key-0123456789abcdef");
      const forged = `${(tokens["gate-a-01"] as string).slice(0, -4)}AAAA`;
      for (const token of [expired, rotated, forged]) {
        const res = await sync("gate-a-01", { scans: [scanItem(e)] }, token);
        expect(res.status).toBe(401);
      }
      expect((await s.rawCounts(e)).scan_count).toBe(0);
    });

    it("reports device health per event and across events: last sync, clock offset, backlog", async () => {
      const e = freshEvent();
      const sentAt = new Date(Date.now() - 90_000).toISOString();
      await s.call(
        "POST",
        "/sync",
        {
          scanner_id: "gate-b-02",
          sent_at: sentAt,
          scans: [scanItem(e), scanItem(e)],
          device: {
            pending: 42,
            oldest_pending_at: new Date(Date.now() - 600_000).toISOString(),
            app_version: "2.1.0",
          },
        },
        bearer(tokens["gate-b-02"] as string),
      );
      const res = await s.call("GET", `/stats/devices?event_id=${e}`, undefined, bearer(TOKENS.reader));
      const body = await res.json();
      expect(body.count).toBe(1);
      const [device] = body.devices;
      expect(device).toMatchObject({
        scanner_id: "gate-b-02",
        last_sent_at: new Date(sentAt).toISOString(),
        pending: 42,
        app_version: "2.1.0",
        last_batch: { items: 2, accepted: 2, duplicates: 0, rejected: 0 },
      });
      expect(device.clock_offset_ms).toBeGreaterThanOrEqual(89_000);
      expect(device.clock_offset_ms).toBeLessThan(120_000);
      const all = await (await s.call("GET", "/stats/devices", undefined, bearer(TOKENS.reader))).json();
      expect(all.devices.map((d: { scanner_id: string }) => d.scanner_id).sort()).toEqual([
        "gate-a-01",
        "gate-b-02",
      ]);
      const none = await (
        await s.call("GET", "/stats/devices?event_id=nobody", undefined, bearer(TOKENS.reader))
      ).json();
      expect(none).toEqual({ event_id: "nobody", devices: [], count: 0 });

      // A later batch naming no event still updates the device, and totals add up.
      const { event_id: _, ...eventless } = attemptItem(e);
      await s.call(
        "POST",
        "/sync",
        { scanner_id: "gate-b-02", sent_at: new Date().toISOString(), invalid_attempts: [eventless] },
        bearer(tokens["gate-b-02"] as string),
      );
      const later = await (
        await s.call("GET", `/stats/devices?event_id=${e}`, undefined, bearer(TOKENS.reader))
      ).json();
      expect(later.devices[0]).toMatchObject({
        scanner_id: "gate-b-02",
        total_accepted: device.total_accepted + 1,
        pending: null,
        last_batch: { items: 1, accepted: 1, duplicates: 0, rejected: 0 },
      });
    });

    it("keeps stats exact with 16 devices syncing one event at once, retries included", async () => {
      const e = freshEvent();
      const devices = await Promise.all(
        Array.from({ length: 16 }, async (_, d) => ({
          id: `gate-x-${d}`,
          token: await issueScannerToken(`gate-x-${d}`, KEY),
        })),
      );
      await Promise.all(
        devices.map(async ({ id, token }, d) => {
          for (let b = 0; b < 4; b++) {
            const body = {
              scans: Array.from({ length: 25 }, (_, i) => scanItem(e, { is_valid: (d + i) % 7 !== 0 })),
              invalid_attempts: b === 0 ? [attemptItem(e)] : [],
            };
            const first = await sync(id, body, token);
            expect(first.status).toBe(200);
            if (b % 2 === 1) expect((await (await sync(id, body, token)).json()).accepted).toBe(0);
          }
        }),
      );
      const raw = await s.rawCounts(e);
      expect(raw.scan_count).toBe(16 * 4 * 25);
      expect(raw.invalid_attempt_count).toBe(16);
      expect(await stats(e)).toEqual(raw);
    });
  });
}
