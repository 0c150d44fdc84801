// GET /stats/attendance, /stats/timeline and /stats/gates in process (app.request): the
// timeline's range (defaults, flooring and ceiling, empty ranges, the 2000-point limit),
// its filters, the gates' order, and every bad query a 400 in the envelope that changes
// nothing. The figures themselves are held to a recomputation from the raw rows by the
// store contract (test/contract/store-contract/entry-flow.ts) and the HTTP contract.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectEnvelope, freshId, json } from "../support/api.js";
import { SPEC } from "../support/records.js";
import { type RouteApp, routeApp } from "../support/route-app.js";

type Point = {
  t: string;
  entries: number;
  valid_scans: number;
  invalid_scans: number;
  invalid_attempts: number | null;
};
type Timeline = { from: string | null; to: string | null; bucket: string; points: Point[] };

describe("entry flow routes", () => {
  let t: RouteApp;
  beforeAll(async () => {
    t = await routeApp();
  });
  afterAll(async () => {
    await t?.close();
  });
  const scan = (
    event_id: string,
    ticket_id: string,
    scan_timestamp: string,
    more: Record<string, unknown> = {},
  ) =>
    t.call("POST", "/scans", {
      body: { ...SPEC.scan, event_id, ticket_id, scan_timestamp, ...more },
      as: "ingest",
    });
  const attempt = (event_id: string, attempt_timestamp: string) =>
    t.call("POST", "/invalid-attempts", {
      body: { ...SPEC.invalidAttempt, event_id, attempt_timestamp },
      as: "ingest",
    });
  const get = async <T>(path: string) => {
    const res = await t.call("GET", path, { as: "reader" });
    expect(res.status, path).toBe(200);
    return json<T>(res);
  };

  /** An event: a scan at 10:02, an invalid attempt at 10:11, a re-entry and a refused scan at 10:17. */
  async function evening(): Promise<string> {
    const e = freshId("flow");
    await scan(e, "t1", "2026-03-01T10:02:30Z", { location: "North", scanner_id: "n1" });
    await attempt(e, "2026-03-01T10:11:00Z");
    await scan(e, "t1", "2026-03-01T10:17:00Z", { location: "South", scanner_id: "s1" });
    await scan(e, "t2", "2026-03-01T10:17:10Z", { location: "South", scanner_id: "s1", is_valid: false });
    return e;
  }

  it("answers every bucket of the event's span by default, zeros included, oldest first", async () => {
    const e = await evening();
    const tl = await get<Timeline>(`/stats/timeline?event_id=${e}`);
    expect(tl).toMatchObject({
      bucket: "5m",
      from: "2026-03-01T10:00:00.000Z",
      to: "2026-03-01T10:20:00.000Z",
    });
    expect(tl.points).toEqual([
      { t: "2026-03-01T10:00:00.000Z", entries: 1, valid_scans: 1, invalid_scans: 0, invalid_attempts: 0 },
      { t: "2026-03-01T10:05:00.000Z", entries: 0, valid_scans: 0, invalid_scans: 0, invalid_attempts: 0 },
      { t: "2026-03-01T10:10:00.000Z", entries: 0, valid_scans: 0, invalid_scans: 0, invalid_attempts: 1 },
      { t: "2026-03-01T10:15:00.000Z", entries: 0, valid_scans: 1, invalid_scans: 1, invalid_attempts: 0 },
    ]);
  });

  it("floors a given from and ceils a given to to the bucket; from equal to to has no points", async () => {
    const e = await evening();
    const tl = await get<Timeline>(
      `/stats/timeline?event_id=${e}&bucket=15m&from=2026-03-01T10:03:00Z&to=2026-03-01T10:31:00Z`,
    );
    expect(tl).toMatchObject({ from: "2026-03-01T10:00:00.000Z", to: "2026-03-01T10:45:00.000Z" });
    expect(tl.points.map((p) => [p.entries, p.valid_scans, p.invalid_attempts])).toEqual([
      [1, 1, 1],
      [0, 1, 0],
      [0, 0, 0],
    ]);
    const none = await get<Timeline>(
      `/stats/timeline?event_id=${e}&from=2026-03-01T10:05:00Z&to=2026-03-01T10:05:00Z`,
    );
    expect(none.points).toEqual([]);
    // Equal bounds inside a bucket: still nothing, not the bucket that holds them.
    const inside = await get<Timeline>(
      `/stats/timeline?event_id=${e}&bucket=15m&from=2026-03-01T10:07:00Z&to=2026-03-01T10:07:00Z`,
    );
    expect(inside).toMatchObject({
      from: "2026-03-01T10:00:00.000Z",
      to: "2026-03-01T10:00:00.000Z",
      points: [],
    });
    // A to before the event's start, with the default from: an empty range at to.
    const before = await get<Timeline>(`/stats/timeline?event_id=${e}&to=2026-03-01T09:00:00Z`);
    expect(before).toMatchObject({
      from: "2026-03-01T09:00:00.000Z",
      to: "2026-03-01T09:00:00.000Z",
      points: [],
    });
    // A from past the event's end, with the default to: an empty range at from.
    const after = await get<Timeline>(`/stats/timeline?event_id=${e}&from=2026-03-02T00:00:00Z`);
    expect(after).toMatchObject({
      from: "2026-03-02T00:00:00.000Z",
      to: "2026-03-02T00:00:00.000Z",
      points: [],
    });
  });

  it("filters by gate and scanner, where invalid attempts (which have neither) are null", async () => {
    const e = await evening();
    const south = await get<Timeline>(`/stats/timeline?event_id=${e}&bucket=1h&location=South`);
    expect(south.points).toEqual([
      { t: "2026-03-01T10:00:00.000Z", entries: 0, valid_scans: 1, invalid_scans: 1, invalid_attempts: null },
    ]);
    const n1 = await get<Timeline>(`/stats/timeline?event_id=${e}&bucket=1h&scanner_id=n1`);
    expect(n1.points[0]).toMatchObject({ entries: 1, valid_scans: 1, invalid_attempts: null });
  });

  it("lists gates busiest first with their scanners, the gate without a location included", async () => {
    const e = await evening();
    await scan(e, "t3", "2026-03-01T10:18:00Z", { location: undefined, scanner_id: undefined });
    await scan(e, "t4", "2026-03-01T10:18:30Z", { location: "", scanner_id: "x9" });
    await scan(e, "t5", "2026-03-01T10:19:00Z", { location: "West", scanner_id: "w1" });
    const g = await get<{
      gates: { location: string | null; entries: number; scanners: { scanner_id: string | null }[] }[];
      count: number;
    }>(`/stats/gates?event_id=${e}`);
    expect(g.gates.map((x) => [x.location, x.entries, x.scanners.map((s) => s.scanner_id)])).toEqual([
      // Two entries without a location (none and ""), one each at North and West, none at South.
      [null, 2, ["x9", null]],
      ["North", 1, ["n1"]],
      ["West", 1, ["w1"]],
      ["South", 0, ["s1"]],
    ]);
    expect(g.count).toBe(4);
  });

  it("answers attendance with admissions, repeat scans, first and last entry and the peak minute", async () => {
    const e = await evening();
    expect(await get(`/stats/attendance?event_id=${e}`)).toMatchObject({
      event_id: e,
      admitted_count: 1,
      valid_scan_count: 2,
      repeat_scan_count: 1,
      invalid_scan_count: 1,
      first_entry_at: "2026-03-01T10:02:30.000Z",
      last_entry_at: "2026-03-01T10:02:30.000Z",
      peak: { minute: "2026-03-01T10:02:00.000Z", entries: 1 },
    });
  });

  describe("bad queries: 400 in the envelope", () => {
    const e = "bad-queries";
    const cases: [string, string][] = [
      ["attendance without event_id", "/stats/attendance"],
      ["gates without event_id", "/stats/gates"],
      ["timeline without event_id", "/stats/timeline"],
      ["an unknown bucket", `/stats/timeline?event_id=${e}&bucket=2m`],
      ["from after to", `/stats/timeline?event_id=${e}&from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z`],
      ["a from that does not parse", `/stats/timeline?event_id=${e}&from=yesterday`],
      ["a to that does not parse", `/stats/timeline?event_id=${e}&to=2026-13-01`],
      ["an unknown parameter", `/stats/timeline?event_id=${e}&locaton=North`],
      ["an unknown parameter of attendance", `/stats/attendance?event_id=${e}&limit=5`],
      // Names an object has by its prototype are parameters like any other (src/http/operation.ts).
      ["a parameter named constructor", `/stats/attendance?event_id=${e}&constructor=1&constructor=2`],
      ["a parameter named __proto__", `/stats/attendance?event_id=${e}&__proto__=x`],
      ["a parameter named toString", `/stats/gates?event_id=${e}&toString=1`],
      ["event_id twice", `/stats/gates?event_id=${e}&event_id=${e}`],
      [
        "more than 2000 points",
        `/stats/timeline?event_id=${e}&bucket=1m&from=2026-03-01T00:00:00Z&to=2026-03-03T00:00:00Z`,
      ],
    ];
    for (const [name, path] of cases) {
      it(`${name}: 400 validation_failed`, async () => {
        await expectEnvelope(await t.call("GET", path, { as: "reader" }), 400, "validation_failed");
      });
    }

    it("reads percent-encoded and plus-encoded values, and skips a parameter without a name", async () => {
      const spaced = freshId("spaced event");
      await scan(spaced, "a", "2026-01-01T00:00:00Z");
      for (const query of [
        `event_id=${encodeURIComponent(spaced)}`,
        `event_id=${spaced.replace(" ", "+")}&=x`,
      ]) {
        const res = await t.call("GET", `/stats/attendance?${query}`, { as: "reader" });
        expect(res.status).toBe(200);
        expect(await res.json()).toMatchObject({ event_id: spaced, admitted_count: 1 });
      }
    });

    it("says how to ask instead of more than 2000 points: a bucket that fits, or a shorter range", async () => {
      const res = await t.call(
        "GET",
        `/stats/timeline?event_id=${e}&bucket=1m&from=2026-03-01T00:00:00Z&to=2026-03-04T00:00:00Z`,
        { as: "reader" },
      );
      const body = await expectEnvelope(res, 400, "validation_failed");
      expect(body.message).toContain("4320 points");
      expect(body.message).toContain("bucket=5m");
    });

    it("answers more than 2000 points of an event's own span with the same 400", async () => {
      const wide = freshId("wide");
      await scan(wide, "a", "2026-01-01T00:00:00Z");
      await scan(wide, "b", "2026-01-03T00:00:00Z");
      const body = await expectEnvelope(
        await t.call("GET", `/stats/timeline?event_id=${wide}&bucket=1m`, { as: "reader" }),
        400,
        "validation_failed",
      );
      expect(body.message).toContain("bucket=5m");
      // Nothing changed: the event is as it was, and a fitting bucket answers.
      expect((await get<Timeline>(`/stats/timeline?event_id=${wide}&bucket=1h`)).points).toHaveLength(49);
    });
  });
});
