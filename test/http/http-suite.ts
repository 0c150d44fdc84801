// The HTTP contract over real HTTP against a real server, run once per database.
import { uuidv7 } from "uuidv7";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SPEC, STATS_KEYS, specRecords, ZERO_COUNTS } from "../support/records.js";
import { type DbKind, startTestServer, type TestServer } from "../support/server.js";

let n = 0;
const freshEvent = () => `http_event_${Date.now()}_${n++}`;

export function httpSuite(db: DbKind) {
  describe(`HTTP contract on ${db}`, () => {
    let s: TestServer;
    beforeAll(async () => {
      s = await startTestServer(db);
    });
    afterAll(async () => {
      await s?.stop();
    });

    it("logs the spec's example scan, transfer and invalid attempt and answers 201 with id and uuid", async () => {
      const e = freshEvent();
      for (const [path, body] of specRecords(e)) {
        const res = await s.call("POST", path, body);
        expect(res.status).toBe(201);
        const json = await res.json();
        expect(Object.keys(json).sort()).toEqual(["id", "uuid"]);
        expect(json.id).toBeGreaterThan(0);
        expect(json.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      }
      const stats = await (await s.call("GET", `/stats?event_id=${e}`)).json();
      expect(Object.keys(stats)).toEqual(STATS_KEYS);
      expect(stats).toMatchObject({
        event_id: e,
        scan_count: 1,
        transfer_count: 1,
        invalid_attempt_count: 1,
        valid_scan_count: 1,
        invalid_scan_count: 0,
        successful_transfer_count: 1,
        failed_transfer_count: 0,
      });
      expect(stats.last_updated).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    });

    it("answers GET /stats for all events keyed by event id, each in the one-event shape", async () => {
      const [a, b] = [freshEvent(), freshEvent()];
      await s.call("POST", "/scans", { ...SPEC.scan, event_id: a });
      await s.call("POST", "/scans", { ...SPEC.scan, event_id: b, is_valid: false });
      const all = await (await s.call("GET", "/stats")).json();
      expect(Object.keys(all[a])).toEqual(STATS_KEYS);
      expect(all[a]).toMatchObject({ event_id: a, scan_count: 1, valid_scan_count: 1 });
      expect(all[b]).toMatchObject({ event_id: b, scan_count: 1, invalid_scan_count: 1 });
      expect(all[b]).toEqual(await (await s.call("GET", `/stats?event_id=${b}`)).json());
    });

    it("answers an event without records with 200, zero counts and last_updated null", async () => {
      const res = await s.call("GET", "/stats?event_id=nothing-here");
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ event_id: "nothing-here", ...ZERO_COUNTS, last_updated: null });
    });

    it("stores the same uuid once: 200 with duplicate true, same id, nothing counted twice", async () => {
      const e = freshEvent();
      const uuid = uuidv7();
      const first = await s.call("POST", "/scans", { ...SPEC.scan, event_id: e, uuid });
      const again = await s.call("POST", "/scans", { ...SPEC.scan, event_id: e, uuid, is_valid: false });
      expect(first.status).toBe(201);
      expect(again.status).toBe(200);
      const [a, b] = [await first.json(), await again.json()];
      expect(b).toEqual({ id: a.id, uuid, duplicate: true });
      expect(await s.rawCounts(e)).toMatchObject({ scan_count: 1, valid_scan_count: 1 });
      expect(await (await s.call("GET", `/stats?event_id=${e}`)).json()).toMatchObject({ scan_count: 1 });
    });

    it("lists records newest first by their own time with the spec's shapes, limit 50 by default", async () => {
      const e = freshEvent();
      const base = Date.parse("2024-01-15T18:00:00Z");
      await Promise.all(
        Array.from({ length: 55 }, (_, i) =>
          s.call("POST", "/scans", {
            ...SPEC.scan,
            event_id: e,
            ticket_id: `t${i}`,
            scan_timestamp: new Date(base + i * 60_000).toISOString(),
          }),
        ),
      );
      await s.call("POST", "/transfers", { ...SPEC.transfer, event_id: e });
      await s.call("POST", "/invalid-attempts", { ...SPEC.invalidAttempt, event_id: e });
      const scans = await (await s.call("GET", `/stats/scans?event_id=${e}`)).json();
      expect(scans.event_id).toBe(e);
      expect(scans.count).toBe(50);
      expect(scans.scans).toHaveLength(50);
      expect(scans.scans[0]).toMatchObject({
        ticket_id: "t54",
        scanner_id: "scanner_789",
        scan_timestamp: "2024-01-15T18:54:00.000Z",
        is_valid: true,
        location: "Main Entrance",
      });
      expect(typeof scans.scans[0].id).toBe("number");
      expect(scans.scans[49].ticket_id).toBe("t5");
      const three = await (await s.call("GET", `/stats/scans?event_id=${e}&limit=3`)).json();
      expect(three.scans.map((r: { ticket_id: string }) => r.ticket_id)).toEqual(["t54", "t53", "t52"]);
      const next = await (
        await s.call("GET", `/stats/scans?event_id=${e}&limit=2&before_id=${three.scans[2].id}`)
      ).json();
      expect(next.scans.map((r: { ticket_id: string }) => r.ticket_id)).toEqual(["t51", "t50"]);
      const transfers = await (await s.call("GET", `/stats/transfers?event_id=${e}`)).json();
      expect(transfers).toMatchObject({ event_id: e, count: 1 });
      expect(transfers.transfers[0]).toMatchObject({
        ticket_id: "ticket_123",
        from_user_id: "user_abc",
        to_user_id: "user_def",
        is_successful: true,
        transfer_reason: "gift",
      });
      const attempts = await (await s.call("GET", `/stats/invalid-attempts?event_id=${e}`)).json();
      expect(attempts).toMatchObject({ event_id: e, count: 1 });
      expect(attempts.attempts[0]).toMatchObject({
        attempt_type: "scan",
        ticket_id: "ticket_123",
        reason: "expired_ticket",
        ip_address: "192.168.1.1",
      });
    });

    it("reads a timestamp without an offset as UTC and honours one with an offset", async () => {
      const e = freshEvent();
      await s.call("POST", "/scans", {
        ...SPEC.scan,
        event_id: e,
        ticket_id: "a",
        scan_timestamp: "2024-01-15T10:30:45.123456",
      });
      await s.call("POST", "/scans", {
        ...SPEC.scan,
        event_id: e,
        ticket_id: "b",
        scan_timestamp: "2024-01-15T12:00:00+02:00",
      });
      const { scans } = await (await s.call("GET", `/stats/scans?event_id=${e}`)).json();
      expect(scans.map((r: { scan_timestamp: string }) => r.scan_timestamp)).toEqual([
        "2024-01-15T10:30:45.123Z",
        "2024-01-15T10:00:00.000Z",
      ]);
    });

    it("answers /health with the database's name and echoes request ids", async () => {
      const res = await s.call("GET", "/health", undefined, { "X-Request-Id": "trace-abc-123" });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: "ok", database: db });
      expect(res.headers.get("X-Request-Id")).toBe("trace-abc-123");
    });

    it("serves Prometheus metrics counting database operations and ingested records", async () => {
      await s.call("POST", "/scans", { ...SPEC.scan, event_id: freshEvent() });
      const res = await s.call("GET", "/metrics");
      expect(res.headers.get("Content-Type")).toContain("text/plain");
      const text = await res.text();
      expect(text).toMatch(/veritix_records_ingested_total\{kind="scans",outcome="stored"\} [1-9]/);
      expect(text).toMatch(/veritix_db_operation_seconds_count\{operation="insert",result="ok"\} [1-9]/);
    });

    it("keeps stats exact with 32 concurrent clients posting to one event, duplicates included", async () => {
      const e = freshEvent();
      const shared = Array.from({ length: 16 }, () => uuidv7());
      const client = async (c: number) => {
        for (let i = 0; i < 12; i++) {
          const uuid = i < 2 ? shared[(c + i) % 16] : undefined;
          const path = i % 4 === 3 ? "/transfers" : "/scans";
          const body =
            path === "/scans"
              ? { ...SPEC.scan, event_id: e, uuid, is_valid: (c + i) % 5 !== 0 }
              : { ...SPEC.transfer, event_id: e, is_successful: c % 3 !== 0 };
          const res = await s.call("POST", path, body);
          expect([200, 201]).toContain(res.status);
        }
      };
      await Promise.all(Array.from({ length: 32 }, (_, c) => client(c)));
      const raw = await s.rawCounts(e);
      const { event_id, last_updated, ...stats } = await (await s.call("GET", `/stats?event_id=${e}`)).json();
      expect(stats).toEqual(raw);
      expect(raw.scan_count).toBe(32 * 7 + 16);
      expect(raw.transfer_count).toBe(32 * 3);
    });
  });
}
