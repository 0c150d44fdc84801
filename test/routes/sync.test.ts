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
});

notMigratedChecks(routesOf("sync"));
