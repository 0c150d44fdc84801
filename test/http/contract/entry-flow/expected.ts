// What GET /stats/attendance, /stats/timeline and /stats/gates must answer for an event:
// each figure recomputed by plain SQL from the target's own database
// (../../../support/entry-flow-recompute.ts), compared with the whole answer.
import { expect } from "vitest";
import { BUCKETS, type Bucket } from "../../../../src/attendance/buckets.js";
import { json } from "../../../support/api.js";
import {
  type RecomputedScanner,
  recomputeAdmissions,
  recomputeAttendance,
  recomputeGateScanners,
  recomputeTimeline,
} from "../../../support/entry-flow-recompute.js";
import type { HttpTarget } from "../../../support/targets/target.js";

export const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const iso = (ms: number) => new Date(ms).toISOString();
const floor = (ms: number, width: number) => ms - (ms % width);
const ceil = (ms: number, width: number) => floor(ms + width - 1, width);

type Json = Record<string, unknown>;

/** A read by the reader role, which must answer 200. */
export async function read<T = Json>(t: HttpTarget, path: string): Promise<T> {
  const res = await t.call("GET", path, { as: "reader" });
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
  return json<T>(res);
}

export async function expectAttendance(t: HttpTarget, e: string, why: string) {
  const got = await read(t, `/stats/attendance?${new URLSearchParams({ event_id: e })}`);
  expect(got, `${why}: attendance`).toEqual({
    event_id: e,
    ...(await recomputeAttendance(t.raw.dialect, t.raw.query, e)),
    last_updated: expect.stringMatching(ISO_MS),
  });
}

/** GET /admissions of every ticket of the event, and of one it never saw, as the recomputation has it. */
export async function expectAdmissions(t: HttpTarget, e: string, why: string) {
  const want = await recomputeAdmissions(t.raw.dialect, t.raw.query, e);
  want.set("never-scanned", { admitted: false, valid_scans: 0, first_entry: null });
  for (const [ticket, expected] of want) {
    const q = new URLSearchParams({ event_id: e });
    const got = await read(t, `/admissions/${encodeURIComponent(ticket)}?${q}`);
    expect(got, `${why}: admission of ${ticket}`).toEqual({ event_id: e, ticket_id: ticket, ...expected });
  }
}

export interface TimelineCase {
  bucket?: Bucket;
  from?: string;
  to?: string;
  location?: string;
  scanner_id?: string;
}

type Point = Json & { t: string };

/**
 * GET /stats/timeline of `q`: the range (the given bounds floored and ceiled to the bucket,
 * else the event's own span), every bucket of it in order, each as the recomputation has it
 * or zeros; invalid attempts null when filtered.
 */
export async function expectTimeline(t: HttpTarget, e: string, q: TimelineCase, why: string) {
  const query = new URLSearchParams({ event_id: e });
  for (const [k, v] of Object.entries(q)) if (v !== undefined) query.set(k, v);
  const msg = `${why}: GET /stats/timeline?${query}`;
  const got = await read<Json & { points: Point[] }>(t, `/stats/timeline?${query}`);
  const bucket = q.bucket ?? "5m";
  const width = BUCKETS[bucket];
  const filter = Object.fromEntries(
    Object.entries({ location: q.location, scanner_id: q.scanner_id }).filter(([, v]) => v !== undefined),
  );
  const r = await recomputeTimeline(t.raw.dialect, t.raw.query, e, width, filter);
  let from =
    q.from !== undefined ? floor(Date.parse(q.from), width) : r.first === null ? null : floor(r.first, width);
  let to =
    q.to !== undefined
      ? ceil(Date.parse(q.to), width)
      : r.last === null
        ? null
        : floor(r.last, width) + width;
  // One bound given, the event without records: an empty range at that bound.
  from ??= to;
  to ??= from;
  const { points, ...head } = got;
  if (from === null || to === null) {
    expect(got, msg).toEqual({ event_id: e, bucket, from: null, to: null, points: [] });
    return got;
  }
  expect(head, msg).toEqual({ event_id: e, bucket, from: iso(from), to: iso(to) });
  const filtered = Object.keys(filter).length > 0;
  const zero = { entries: 0, valid_scans: 0, invalid_scans: 0, invalid_attempts: filtered ? null : 0 };
  const want: Point[] = [];
  for (let at = from; at < to; at += width) want.push({ t: iso(at), ...(r.points.get(iso(at)) ?? zero) });
  expect(points.length, msg).toBe(want.length);
  const i = want.findIndex((w, k) => JSON.stringify(w) !== JSON.stringify(points[k]));
  if (i >= 0) expect(points[i], `${msg}, point ${i}`).toEqual(want[i]);
  if (q.from === undefined && q.to === undefined) {
    const outside = [...r.points.keys()].filter((k) => Date.parse(k) < from || Date.parse(k) >= to);
    expect(outside, `${msg}: buckets with records outside the default range`).toEqual([]);
  }
  return got;
}

/** Names in code-point order, null (no gate, no scanner id) last. */
const byKey = (a: string | null, b: string | null) =>
  a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1;
const busiestFirst =
  <T extends { entries: number }>(key: (x: T) => string | null) =>
  (a: T, b: T) =>
    b.entries - a.entries || byKey(key(a), key(b));
const sum = (rows: RecomputedScanner[], f: (r: RecomputedScanner) => number) =>
  rows.reduce((n, r) => n + f(r), 0);

type Device = { scanner_id: string; last_sync_at: string; pending: number | null; clock_offset_ms: number };

/**
 * GET /stats/gates, its windows recomputed for `now` (taken just before the request): the
 * gates and their scanners, busiest first; device health as GET /stats/devices has it for
 * the scanners in `synced` (they used POST /sync), null for the others.
 */
export async function expectGates(t: HttpTarget, e: string, synced: ReadonlySet<string>, why: string) {
  const now = Date.now();
  const got = await read(t, `/stats/gates?${new URLSearchParams({ event_id: e })}`);
  const rows = await recomputeGateScanners(t.raw.dialect, t.raw.query, e, now);
  const { devices } = await read<{ devices: Device[] }>(t, "/stats/devices");
  const health = (scanner: string | null) => {
    if (scanner === null || !synced.has(scanner))
      return { last_sync_at: null, pending: null, clock_offset_ms: null };
    const d = devices.find((x) => x.scanner_id === scanner);
    expect(d, `${why}: ${scanner} synced, yet GET /stats/devices does not list it`).toBeDefined();
    return { last_sync_at: d?.last_sync_at, pending: d?.pending, clock_offset_ms: d?.clock_offset_ms };
  };
  const locations = [...new Set(rows.map((r) => r.location))];
  const gates = locations.map((location) => {
    const here = rows.filter((r) => r.location === location);
    return {
      location,
      entries: sum(here, (r) => r.entries),
      valid_scans: sum(here, (r) => r.valid_scans),
      invalid_scans: sum(here, (r) => r.invalid_scans),
      last_scan_at: iso(Math.max(...here.map((r) => Date.parse(r.last_scan_at)))),
      entries_last_5_min: sum(here, (r) => r.entries_last_5_min),
      entries_last_15_min: sum(here, (r) => r.entries_last_15_min),
      scanners: here
        .map(({ location: _, entries_last_15_min: __, ...s }) => ({ ...s, ...health(s.scanner_id) }))
        .sort(busiestFirst((s) => s.scanner_id)),
    };
  });
  gates.sort(busiestFirst((g) => g.location));
  expect(got, `${why}: gates at ${iso(now)}`).toEqual({ event_id: e, gates, count: gates.length });
  return got as Json & { gates: (Json & { scanners: Json[] })[] };
}
