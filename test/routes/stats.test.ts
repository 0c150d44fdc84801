// GET /stats and the listings in process (app.request): auth by role, every bad query,
// the spec's shapes, the listings' order, cursor and time window, a database without the
// schema.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshId, json } from "../support/api.js";
import { authChecks } from "../support/auth-checks.js";
import { queryChecks } from "../support/bad-input-checks.js";
import { SPEC, STATS_KEYS, ZERO_COUNTS } from "../support/records.js";
import { type RouteApp, routeApp } from "../support/route-app.js";
import { routesOf } from "../support/routes.js";
import { notMigratedChecks } from "./support/not-migrated.js";

type Listed = { ticket_id: string; id: number };

describe("stats and listings", () => {
  let t: RouteApp;
  beforeAll(async () => {
    t = await routeApp();
  });
  afterAll(async () => {
    await t?.close();
  });
  const scanAt = (event_id: string, ticket_id: string, scan_timestamp: string) =>
    t.call("POST", "/scans", { body: { ...SPEC.scan, event_id, ticket_id, scan_timestamp }, as: "ingest" });
  const tickets = async (path: string) =>
    (await json<{ scans: Listed[] }>(await t.call("GET", path, { as: "reader" }))).scans.map(
      (s) => s.ticket_id,
    );

  authChecks(() => t, routesOf("stats"));
  describe("bad queries", () => queryChecks(() => t));

  it("GET /stats?event_id= of an event without records: 200, zero counts, last_updated null", async () => {
    const res = await t.call("GET", "/stats?event_id=nothing-here", { as: "reader" });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ event_id: "nothing-here", ...ZERO_COUNTS, last_updated: null });
  });

  it("GET /stats keys every event's stats by its id, each in the one-event shape", async () => {
    const [a, b] = [freshId(), freshId()];
    await t.call("POST", "/scans", { body: { ...SPEC.scan, event_id: a }, as: "ingest" });
    await t.call("POST", "/scans", { body: { ...SPEC.scan, event_id: b, is_valid: false }, as: "ingest" });
    const all = await json<Record<string, Record<string, unknown>>>(
      await t.call("GET", "/stats", { as: "reader" }),
    );
    expect(Object.keys(all[a] ?? {})).toEqual(STATS_KEYS);
    expect(all[b]).toEqual(await json(await t.call("GET", `/stats?event_id=${b}`, { as: "reader" })));
    expect(all[b]).toMatchObject({ scan_count: 1, invalid_scan_count: 1 });
  });

  it("lists newest first by the record's own time, ties by id, and pages back with before_id", async () => {
    const e = freshId();
    for (const [ticket, at] of [
      ["t0", "2024-01-15T10:00:00Z"],
      ["t1", "2024-01-15T12:00:00Z"],
      ["t2", "2024-01-15T11:00:00Z"],
      ["t3", "2024-01-15T12:00:00Z"],
    ]) {
      await scanAt(e, ticket as string, at as string);
    }
    expect(await tickets(`/stats/scans?event_id=${e}`)).toEqual(["t3", "t1", "t2", "t0"]);
    const page = await json<{ scans: Listed[]; count: number }>(
      await t.call("GET", `/stats/scans?event_id=${e}&limit=2`, { as: "reader" }),
    );
    expect(page.count).toBe(2);
    const last = page.scans[1]?.id;
    expect(await tickets(`/stats/scans?event_id=${e}&limit=2&before_id=${last}`)).toEqual(["t2", "t0"]);
  });

  it("takes from (inclusive) and to (exclusive) as the record's own time, an offset applied", async () => {
    const e = freshId();
    for (const [ticket, at] of [
      ["early", "2024-01-15T10:59:59.999Z"],
      ["from", "2024-01-15T11:00:00Z"],
      ["inside", "2024-01-15T11:30:00Z"],
      ["to", "2024-01-15T12:00:00Z"],
    ]) {
      await scanAt(e, ticket as string, at as string);
    }
    const window = `from=2024-01-15T11:00:00Z&to=${encodeURIComponent("2024-01-15T14:00:00+02:00")}`;
    expect(await tickets(`/stats/scans?event_id=${e}&${window}`)).toEqual(["inside", "from"]);
  });

  it("answers the listings in the spec's shapes: scans, transfers, attempts, with event_id and count", async () => {
    const e = freshId();
    await t.call("POST", "/transfers", { body: { ...SPEC.transfer, event_id: e }, as: "ingest" });
    await t.call("POST", "/invalid-attempts", {
      body: { ...SPEC.invalidAttempt, event_id: e },
      as: "ingest",
    });
    const read = (path: string) => t.call("GET", `${path}?event_id=${e}`, { as: "reader" }).then(json);
    expect(await read("/stats/scans")).toEqual({ event_id: e, scans: [], count: 0 });
    expect(await read("/stats/transfers")).toMatchObject({
      event_id: e,
      count: 1,
      transfers: [{ ...SPEC.transfer, event_id: e }],
    });
    expect(await read("/stats/invalid-attempts")).toMatchObject({
      event_id: e,
      count: 1,
      attempts: [{ ...SPEC.invalidAttempt, event_id: e }],
    });
  });
});

notMigratedChecks(routesOf("stats"));
