// The HTTP contract, single-record writes and stats (DESIGN.md, "HTTP contract"): the
// spec's payloads and shapes, duplicates, times, exact counts under concurrency, health,
// request ids and metrics. Registered for each target by ../contract.test.ts.
import { uuidv7 } from "uuidv7";
import { expect, it } from "vitest";
import { expectEnvelope, freshId, json } from "../../support/api.js";
import { SPEC, STATS_KEYS, specRecords, ZERO_COUNTS } from "../../support/records.js";
import type { HttpTarget } from "../../support/targets/target.js";

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** GET /stats?event_id= without event_id and last_updated: the counters alone. */
export async function counters(t: HttpTarget, e: string) {
  const { event_id, last_updated, ...counts } = await json(
    await t.call("GET", `/stats?event_id=${e}`, { as: "reader" }),
  );
  return counts;
}

export function recordsAndStats(target: () => HttpTarget) {
  it("stores the spec's example scan, transfer and invalid attempt (201 {id, uuid}) and answers the spec's stats shape", async () => {
    const t = target();
    const e = freshId();
    for (const [path, body] of specRecords(e)) {
      const res = await t.call("POST", path, { body, as: "ingest" });
      expect(res.status).toBe(201);
      const out = await json<{ id: number; uuid: string }>(res);
      expect(Object.keys(out).sort()).toEqual(["id", "uuid"]);
      expect(out.id).toBeGreaterThan(0);
      expect(out.uuid).toMatch(UUID_V7);
    }
    const stats = await json(await t.call("GET", `/stats?event_id=${e}`, { as: "reader" }));
    expect(Object.keys(stats)).toEqual(STATS_KEYS);
    expect(stats).toEqual({
      event_id: e,
      scan_count: 1,
      transfer_count: 1,
      invalid_attempt_count: 1,
      valid_scan_count: 1,
      invalid_scan_count: 0,
      successful_transfer_count: 1,
      failed_transfer_count: 0,
      last_updated: expect.stringMatching(ISO_MS),
    });
    expect(await counters(t, e)).toEqual(await t.rawCounts(e));
  });

  it("answers GET /stats with every event keyed by its id, each as GET /stats?event_id= answers it", async () => {
    const t = target();
    const [a, b] = [freshId(), freshId()];
    await t.call("POST", "/scans", { body: { ...SPEC.scan, event_id: a }, as: "ingest" });
    await t.call("POST", "/scans", { body: { ...SPEC.scan, event_id: b, is_valid: false }, as: "ingest" });
    const all = await json<Record<string, Record<string, unknown>>>(
      await t.call("GET", "/stats", { as: "reader" }),
    );
    expect(Object.keys(all[a] ?? {})).toEqual(STATS_KEYS);
    expect(all[a]).toMatchObject({ event_id: a, scan_count: 1, valid_scan_count: 1 });
    expect(all[b]).toMatchObject({ event_id: b, scan_count: 1, invalid_scan_count: 1 });
    expect(all[b]).toEqual(await json(await t.call("GET", `/stats?event_id=${b}`, { as: "reader" })));
  });

  it("answers an event without records with 200, zero counts and last_updated null", async () => {
    const res = await target().call("GET", "/stats?event_id=nothing-here", { as: "reader" });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ event_id: "nothing-here", ...ZERO_COUNTS, last_updated: null });
  });

  it("stores the same uuid once: 200 {duplicate: true} with the first id, nothing counted twice", async () => {
    const t = target();
    const e = freshId();
    const uuid = uuidv7();
    const first = await t.call("POST", "/scans", { body: { ...SPEC.scan, event_id: e, uuid }, as: "ingest" });
    const again = await t.call("POST", "/scans", {
      body: { ...SPEC.scan, event_id: e, uuid, is_valid: false },
      as: "ingest",
    });
    expect([first.status, again.status]).toEqual([201, 200]);
    expect(await again.json()).toEqual({ id: (await json<{ id: number }>(first)).id, uuid, duplicate: true });
    expect(await t.rawCounts(e)).toMatchObject({ scan_count: 1, valid_scan_count: 1, invalid_scan_count: 0 });
    expect(await counters(t, e)).toEqual(await t.rawCounts(e));
  });

  it("reads a timestamp without an offset as UTC, applies one with an offset, and answers ISO UTC to the millisecond", async () => {
    const t = target();
    const e = freshId();
    for (const [ticket_id, scan_timestamp] of [
      ["a", "2024-01-15T10:30:45.123456"],
      ["b", "2024-01-15T12:00:00+02:00"],
    ]) {
      await t.call("POST", "/scans", {
        body: { ...SPEC.scan, event_id: e, ticket_id, scan_timestamp },
        as: "ingest",
      });
    }
    const { scans } = await json<{ scans: { scan_timestamp: string }[] }>(
      await t.call("GET", `/stats/scans?event_id=${e}`, { as: "reader" }),
    );
    expect(scans.map((s) => s.scan_timestamp)).toEqual([
      "2024-01-15T10:30:45.123Z",
      "2024-01-15T10:00:00.000Z",
    ]);
  });

  it("keeps stats exact with 32 concurrent clients posting to one event, duplicates included", async () => {
    const t = target();
    const e = freshId();
    const shared = Array.from({ length: 16 }, () => uuidv7());
    // Each client: 6 scans (2 of them with uuids other clients send too) and 2 transfers.
    const client = async (c: number) => {
      for (let i = 0; i < 8; i++) {
        const uuid = i < 2 ? shared[(c + i) % 16] : undefined;
        const [path, body] =
          i % 4 === 3
            ? ["/transfers", { ...SPEC.transfer, event_id: e, is_successful: c % 3 !== 0 }]
            : ["/scans", { ...SPEC.scan, event_id: e, uuid, is_valid: (c + i) % 5 !== 0 }];
        const res = await t.call("POST", path, { body, as: "ingest" });
        expect([200, 201]).toContain(res.status);
        await res.arrayBuffer();
      }
    };
    await Promise.all(Array.from({ length: 32 }, (_, c) => client(c)));
    const raw = await t.rawCounts(e);
    expect(await counters(t, e)).toEqual(raw);
    expect(raw.scan_count).toBe(32 * 4 + 16);
    expect(raw.transfer_count).toBe(32 * 2);
  });

  it("answers GET /health with the database's name, to anyone, and echoes the request id", async () => {
    const t = target();
    const res = await t.call("GET", "/health", { as: "none", headers: { "X-Request-Id": "trace-abc-123" } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok", database: t.database });
    expect(res.headers.get("X-Request-Id")).toBe("trace-abc-123");
  });

  it("gives every answer a request id, errors carrying it in the envelope; an unknown route is a 404 there", async () => {
    const t = target();
    const ok = await t.call("GET", "/stats?event_id=x", { as: "reader" });
    expect(ok.headers.get("X-Request-Id")).toMatch(/^[0-9a-f-]{36}$/);
    await ok.arrayBuffer();
    // The hot answers are built apart from the rest (src/http/request-id.ts): each its own id.
    const etag = ok.headers.get("ETag") ?? "";
    const unchanged = await t.call("GET", "/stats?event_id=x", {
      as: "reader",
      headers: { "If-None-Match": etag, "X-Request-Id": "poll-2" },
    });
    expect([unchanged.status, unchanged.headers.get("X-Request-Id")]).toEqual([304, "poll-2"]);
    const stored = await t.call("POST", "/scans", {
      body: { ...SPEC.scan, event_id: freshId() },
      as: "ingest",
      headers: { "X-Request-Id": "gate-7" },
    });
    expect([stored.status, stored.headers.get("X-Request-Id")]).toEqual([201, "gate-7"]);
    expect(stored.headers.get("Content-Type")).toContain("application/json");
    expect(await stored.json()).toEqual({ id: expect.any(Number), uuid: expect.any(String) });
    const other = await t.call("POST", "/scans", {
      body: { ...SPEC.scan, event_id: freshId() },
      as: "ingest",
    });
    expect(other.headers.get("X-Request-Id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(other.headers.get("X-Request-Id")).not.toBe(ok.headers.get("X-Request-Id"));
    await other.arrayBuffer();
    const res = await t.call("GET", "/nope", { headers: { "X-Request-Id": "missing-1" } });
    expect(res.headers.get("Content-Type")).toContain("application/json");
    expect(await expectEnvelope(res, 404, "not_found")).toMatchObject({ request_id: "missing-1" });
  });

  it("GET /metrics: Prometheus text of database operations and ingested records on Node; a 404 on Workers (Analytics Engine)", async () => {
    const t = target();
    await t.call("POST", "/scans", { body: { ...SPEC.scan, event_id: freshId() }, as: "ingest" });
    const res = await t.call("GET", "/metrics", { as: "reader" });
    if (!t.prometheus) {
      await expectEnvelope(res, 404, "not_found");
      return;
    }
    expect(res.headers.get("Content-Type")).toContain("text/plain");
    const text = await res.text();
    expect(text).toMatch(/veritix_records_ingested_total\{kind="scans",outcome="stored"\} [1-9]/);
    expect(text).toMatch(/veritix_db_operation_seconds_count\{operation="insert",result="ok"\} [1-9]/);
  });
}
