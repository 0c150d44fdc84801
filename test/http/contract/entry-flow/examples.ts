// The entry flow by example, over HTTP: a late older scan moves a ticket's first entry (its
// minute, gate and scanner with it), and an event without records answers zeros and nulls.
import { uuidv7 } from "uuidv7";
import { expect, it } from "vitest";
import { freshId, json, scannerToken } from "../../../support/api.js";
import type { HttpTarget } from "../../../support/targets/target.js";
import { ISO_MS, read } from "./expected.js";

export function entryFlowExamples(target: () => HttpTarget) {
  it("moves a first entry to an older scan uploaded later: its minute, gate and scanner with it", async () => {
    const t = target();
    const e = freshId("late");
    const [a1, b1] = [freshId("a1"), freshId("b1")];
    const get = (path: string) => read(t, `${path}${path.includes("?") ? "&" : "?"}event_id=${e}`);
    // Gate A's scanner, online, posts its scan of 10:05:10 at once.
    const posted = await t.call("POST", "/scans", {
      body: {
        ticket_id: "T1",
        event_id: e,
        scan_timestamp: "2026-06-01T10:05:10Z",
        location: "A",
        scanner_id: a1,
      },
      as: "ingest",
    });
    expect(posted.status).toBe(201);
    expect(await get("/stats/attendance")).toMatchObject({ first_entry_at: "2026-06-01T10:05:10.000Z" });
    // A gate's online check, as a scanner asks it: before and after the late upload. Never
    // cached: the second answer must see the upload made a moment before.
    const admission = async () => {
      const res = await t.call("GET", `/admissions/T1?event_id=${e}`, {
        as: { token: await scannerToken(a1) },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get("cache-control")).toBe("no-store");
      return json(res);
    };
    const admitted = (valid_scans: number, at: string, scanner_id: string, location: string) => ({
      event_id: e,
      ticket_id: "T1",
      admitted: true,
      valid_scans,
      first_entry: { scan_timestamp: at, scanner_id, location },
    });
    expect(await admission()).toEqual(admitted(1, "2026-06-01T10:05:10.000Z", a1, "A"));
    expect(await get("/stats/gates")).toMatchObject({ gates: [{ location: "A", entries: 1 }] });
    // An offline scanner at gate B had scanned the ticket at 10:01:20; it uploads now.
    const synced = await t.call("POST", "/sync", {
      body: {
        scanner_id: b1,
        sent_at: new Date().toISOString(),
        scans: [
          {
            uuid: uuidv7(),
            ticket_id: "T1",
            event_id: e,
            scan_timestamp: "2026-06-01T10:01:20Z",
            location: "B",
          },
        ],
      },
      as: { token: await scannerToken(b1) },
    });
    expect(await json(synced)).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    expect(await admission()).toEqual(admitted(2, "2026-06-01T10:01:20.000Z", b1, "B"));

    expect(await get("/stats/attendance")).toEqual({
      event_id: e,
      admitted_count: 1,
      valid_scan_count: 2,
      repeat_scan_count: 1,
      invalid_scan_count: 0,
      first_entry_at: "2026-06-01T10:01:20.000Z",
      last_entry_at: "2026-06-01T10:01:20.000Z",
      peak: { minute: "2026-06-01T10:01:00.000Z", entries: 1 },
      last_updated: expect.stringMatching(ISO_MS),
    });
    const point = (minute: number, entries: number, valid_scans: number) => ({
      t: `2026-06-01T10:0${minute}:00.000Z`,
      entries,
      valid_scans,
      invalid_scans: 0,
      invalid_attempts: 0,
    });
    expect(await get("/stats/timeline?bucket=1m")).toEqual({
      event_id: e,
      bucket: "1m",
      from: "2026-06-01T10:01:00.000Z",
      to: "2026-06-01T10:06:00.000Z",
      points: [point(1, 1, 1), point(2, 0, 0), point(3, 0, 0), point(4, 0, 0), point(5, 0, 1)],
    });
    // Gate B's scanner (which synced) now holds the entry; gate A keeps its scan, not the entry.
    const figures = (entries: number, last_scan_at: string) => ({
      entries,
      valid_scans: 1,
      invalid_scans: 0,
      last_scan_at,
      entries_last_5_min: 0,
    });
    const [at1, at5] = ["2026-06-01T10:01:20.000Z", "2026-06-01T10:05:10.000Z"];
    expect(await get("/stats/gates")).toEqual({
      event_id: e,
      count: 2,
      gates: [
        {
          location: "B",
          ...figures(1, at1),
          entries_last_15_min: 0,
          scanners: [
            {
              scanner_id: b1,
              ...figures(1, at1),
              last_sync_at: expect.stringMatching(ISO_MS),
              pending: null,
              clock_offset_ms: expect.any(Number),
            },
          ],
        },
        {
          location: "A",
          ...figures(0, at5),
          entries_last_15_min: 0,
          scanners: [
            { scanner_id: a1, ...figures(0, at5), last_sync_at: null, pending: null, clock_offset_ms: null },
          ],
        },
      ],
    });
  });

  it("answers an event without records: attendance zeros and nulls, a timeline without range or points, no gates", async () => {
    const t = target();
    const e = freshId("empty");
    const get = (query: string) => read(t, `${query}${query.includes("?") ? "&" : "?"}event_id=${e}`);
    expect(await get("/stats/attendance")).toEqual({
      event_id: e,
      admitted_count: 0,
      valid_scan_count: 0,
      repeat_scan_count: 0,
      invalid_scan_count: 0,
      first_entry_at: null,
      last_entry_at: null,
      peak: null,
      last_updated: null,
    });
    const none = { event_id: e, from: null, to: null, points: [] };
    expect(await get("/stats/timeline")).toEqual({ ...none, bucket: "5m" });
    expect(await get("/stats/timeline?bucket=1h&location=North")).toEqual({ ...none, bucket: "1h" });
    // One bound: an empty range at it. Both: every bucket of the range, zeros.
    const at = (hm: string) => `2026-06-01T${hm}:00.000Z`;
    const empty = (bound: string) => ({ ...none, bucket: "15m", from: at(bound), to: at(bound) });
    expect(await get(`/stats/timeline?bucket=15m&from=${at("10:07")}`)).toEqual(empty("10:00"));
    expect(await get(`/stats/timeline?bucket=15m&to=${at("10:07")}`)).toEqual(empty("10:15"));
    const zeros = { entries: 0, valid_scans: 0, invalid_scans: 0, invalid_attempts: 0 };
    expect(await get(`/stats/timeline?bucket=1h&from=${at("10:00")}&to=${at("11:30")}`)).toEqual({
      ...none,
      bucket: "1h",
      from: at("10:00"),
      to: at("12:00"),
      points: [
        { t: at("10:00"), ...zeros },
        { t: at("11:00"), ...zeros },
      ],
    });
    expect(await get("/stats/gates")).toEqual({ event_id: e, gates: [], count: 0 });
  });
}
