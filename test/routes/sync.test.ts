// POST /sync and GET /stats/devices in process (app.request): auth by role and the scanner
// token's binding to its scanner, every bad item rejected alone and every bad body
// refused, the answer's counts, device health, a database without the schema.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshId, json, SCANNER, scannerToken } from "../support/api.js";
import { authChecks } from "../support/auth-checks.js";
import { syncChecks } from "../support/bad-input-checks.js";
import { SPEC, syncAttempt, syncBody, syncScan, ZERO_COUNTS } from "../support/records.js";
import { type RouteApp, routeApp } from "../support/route-app.js";
import { routesOf } from "../support/routes.js";
import { notMigratedChecks } from "./support/not-migrated.js";

describe("gate scanner uploads", () => {
  let t: RouteApp;
  beforeAll(async () => {
    t = await routeApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  authChecks(() => t, routesOf("sync"));
  describe("bad input", () => syncChecks(() => t));

  it("refuses a scanner token another scanner's batch (403), and a scanner token every other write", async () => {
    const e = freshId();
    const other = await t.call("POST", "/sync", {
      body: syncBody("gate-b-02", { scans: [syncScan(e)] }),
      as: "scanner",
    });
    expect(other.status).toBe(403);
    expect(await other.json()).toMatchObject({
      error: "forbidden",
      message: expect.stringContaining("gate-b-02"),
    });
    const own = { token: await scannerToken("gate-b-02") };
    expect((await t.call("POST", "/scans", { body: { ...SPEC.scan, event_id: e }, as: own })).status).toBe(
      403,
    );
    expect(await t.rawCounts(e)).toEqual(ZERO_COUNTS);
    // ingest and admin may upload for any scanner: back-fills.
    const backfill = await t.call("POST", "/sync", {
      body: syncBody("gate-b-02", { scans: [syncScan(e)] }),
      as: "ingest",
    });
    expect(await backfill.json()).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
  });

  it("answers accepted, duplicates and rejected; a replay is all duplicates; the batch's scanner is set on its scans", async () => {
    const e = freshId();
    const body = syncBody(SCANNER, {
      scans: [syncScan(e), syncScan(e, { scanner_id: SCANNER }), syncScan(e, { scanner_id: "gate-z-99" })],
      invalid_attempts: [syncAttempt(e)],
    });
    const first = await json(await t.call("POST", "/sync", { body, as: "scanner" }));
    expect(first).toMatchObject({ accepted: 3, duplicates: 0, rejected: [{ kind: "scan", index: 2 }] });
    expect(await json(await t.call("POST", "/sync", { body, as: "scanner" }))).toMatchObject({
      accepted: 0,
      duplicates: 3,
    });
    const { scans } = await json<{ scans: { scanner_id: string }[] }>(
      await t.call("GET", `/stats/scans?event_id=${e}`, { as: "reader" }),
    );
    expect(scans.map((s) => s.scanner_id)).toEqual([SCANNER, SCANNER]);
  });

  it("rejects an item without a uuid as missing it, and one with a bad uuid as not a UUID", async () => {
    const e = freshId();
    const { uuid: _, ...noUuid } = syncScan(e);
    const body = syncBody(SCANNER, { scans: [noUuid, syncScan(e, { uuid: "not-a-uuid" })] });
    const answer = await json<{ rejected: { index: number; issues: unknown[] }[] }>(
      await t.call("POST", "/sync", { body, as: "scanner" }),
    );
    expect(answer.rejected.map((r) => [r.index, r.issues])).toEqual([
      [0, [{ path: "uuid", message: "required" }]],
      [1, [{ path: "uuid", message: "must be a UUID" }]],
    ]);
  });

  it("accepts a batch with nothing in it and records the device's report, listed by GET /stats/devices without event_id", async () => {
    const scanner = freshId("gate");
    const res = await t.call("POST", "/sync", {
      body: syncBody(scanner, { device: { pending: 0, oldest_pending_at: null, app_version: "1.0.0" } }),
      as: "ingest",
    });
    expect(await res.json()).toEqual({ accepted: 0, duplicates: 0, rejected: [] });
    const all = await json<{ event_id: null; devices: { scanner_id: string }[]; count: number }>(
      await t.call("GET", "/stats/devices", { as: "reader" }),
    );
    expect(all).toMatchObject({ event_id: null, count: all.devices.length });
    expect(all.devices.find((d) => d.scanner_id === scanner)).toMatchObject({
      pending: 0,
      app_version: "1.0.0",
    });
  });

  it("puts the times of a device whose clock is more than a day off on the server's clock, and no other", async () => {
    const e = freshId();
    const MIN = 60_000;
    const iso = (ms: number) => new Date(ms).toISOString();
    const upload = async (
      sent: number,
      scans: [ticket: string, at: number][],
      extra: { invalid_attempts?: unknown[]; device?: unknown } = {},
    ) => {
      const res = await t.call("POST", "/sync", {
        body: {
          ...syncBody(freshId("gate"), {
            scans: scans.map(([ticket_id, at]) => syncScan(e, { ticket_id, scan_timestamp: iso(at) })),
            ...extra,
          }),
          sent_at: iso(sent),
        },
        as: "ingest",
      });
      const items = scans.length + (extra.invalid_attempts?.length ?? 0);
      expect(await res.json()).toEqual({ accepted: items, duplicates: 0, rejected: [] });
    };
    const ahead = Date.now() + 365 * 24 * 60 * MIN;
    const reset = Date.parse("1970-01-01T00:10:00Z");
    const now = Date.now();
    // A clock a year ahead: taken as sent, its scans were refused as in the future.
    await upload(ahead, [["ahead", ahead - 5 * MIN]], {
      invalid_attempts: [syncAttempt(e, { attempt_timestamp: iso(ahead - 4 * MIN) })],
    });
    // A clock reset to 1970: its scan would have been the event's first entry, in 1970; one
    // recorded before the reset (after the batch's sent_at) was on a right clock.
    await upload(reset, [
      ["reset", reset - 5 * MIN],
      ["before-reset", now - 60 * MIN],
    ]);
    // Within a day, times are stored as sent: a slow clock looks the same as a request
    // retried whole with its first sent_at, whose times are right.
    await upload(now - 10 * MIN, [["slow", now - 12 * MIN]]);
    // A clock so far ahead that moving a time would put it before 1970: kept as sent.
    await upload(Date.parse("5000-01-01T00:00:00Z"), [["far", Date.parse("1970-01-02T00:00:00Z")]], {
      device: { pending: 1, oldest_pending_at: "1970-01-01T00:00:00Z" },
    });

    const scans = await json<{ scans: { ticket_id: string; scan_timestamp: string }[] }>(
      await t.call("GET", `/stats/scans?event_id=${e}`, { as: "reader" }),
    );
    const at = new Map(scans.scans.map((s) => [s.ticket_id, Date.parse(s.scan_timestamp)]));
    const about = (ms: number) => expect.toSatisfy((v: number) => Math.abs(v - ms) < 5_000);
    expect(Object.fromEntries(at)).toEqual({
      ahead: about(now - 5 * MIN),
      reset: about(now - 5 * MIN),
      "before-reset": now - 60 * MIN,
      slow: now - 12 * MIN,
      far: Date.parse("1970-01-02T00:00:00Z"),
    });
    const attempts = await json<{ attempts: { attempt_timestamp: string }[] }>(
      await t.call("GET", `/stats/invalid-attempts?event_id=${e}`, { as: "reader" }),
    );
    expect(attempts.attempts.map((a) => Date.parse(a.attempt_timestamp))).toEqual([about(now - 4 * MIN)]);
    // The ticket of the clock a year ahead is admitted: another gate asking is told so.
    const admission = await json<{ admitted: boolean; first_entry: { scan_timestamp: string } }>(
      await t.call("GET", `/admissions/ahead?event_id=${e}`, { as: "reader" }),
    );
    expect(admission.admitted).toBe(true);
    expect(Date.parse(admission.first_entry.scan_timestamp)).toEqual(about(now - 5 * MIN));
    // The reset's scan is not the event's first entry (1970 is, from the clock moving it
    // would put before 1970).
    const attendance = await json<{ first_entry_at: string }>(
      await t.call("GET", `/stats/attendance?event_id=${e}`, { as: "reader" }),
    );
    expect(attendance.first_entry_at).toBe("1970-01-02T00:00:00.000Z");
  });
});

notMigratedChecks(routesOf("sync"));
