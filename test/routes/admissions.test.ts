// GET /admissions/{ticket_id} in process (app.request): auth by role (scanner and reader),
// the answer for a ticket admitted, scanned again, refused, and never seen, ticket ids that
// need percent-encoding, and a database without the schema. The figures under any arrival
// order are held to a recomputation by the store and HTTP contracts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshId, json, scannerToken } from "../support/api.js";
import { authChecks } from "../support/auth-checks.js";
import { SPEC } from "../support/records.js";
import { type RouteApp, routeApp } from "../support/route-app.js";
import { routesOf } from "../support/routes.js";
import { notMigratedChecks } from "./support/not-migrated.js";

describe("admissions", () => {
  let t: RouteApp;
  beforeAll(async () => {
    t = await routeApp();
  });
  afterAll(async () => {
    await t?.close();
  });
  const scan = (event_id: string, ticket_id: string, scan_timestamp: string, more: object = {}) =>
    t.call("POST", "/scans", {
      body: { ...SPEC.scan, event_id, ticket_id, scan_timestamp, ...more },
      as: "ingest",
    });
  const admission = async (e: string, ticket: string) => {
    const res = await t.call("GET", `/admissions/${encodeURIComponent(ticket)}?event_id=${e}`, {
      as: { token: await scannerToken("gate-n1") },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("etag")).toBeNull();
    return json(res);
  };

  authChecks(() => t, routesOf("admissions"));

  it("answers a ticket's first entry and its valid scans; a refused scan does not admit", async () => {
    const e = freshId("adm");
    await scan(e, "t1", "2026-03-01T10:02:30Z", { location: "North", scanner_id: "n1" });
    await scan(e, "t1", "2026-03-01T10:17:00Z", { location: "South", scanner_id: "s1" });
    await scan(e, "t2", "2026-03-01T10:17:10Z", { location: "South", scanner_id: "s1", is_valid: false });
    // Without gate or scanner (the fields left out).
    const { scanner_id, location, ...bare } = SPEC.scan;
    const posted = await t.call("POST", "/scans", {
      body: { ...bare, event_id: e, ticket_id: "t3", scan_timestamp: "2026-03-01T10:20:00Z" },
      as: "ingest",
    });
    expect(posted.status).toBe(201);
    expect(await admission(e, "t1")).toEqual({
      event_id: e,
      ticket_id: "t1",
      admitted: true,
      valid_scans: 2,
      first_entry: { scan_timestamp: "2026-03-01T10:02:30.000Z", scanner_id: "n1", location: "North" },
    });
    const notIn = (ticket_id: string) => ({
      event_id: e,
      ticket_id,
      admitted: false,
      valid_scans: 0,
      first_entry: null,
    });
    expect(await admission(e, "t2")).toEqual(notIn("t2"));
    expect(await admission(e, "never")).toEqual(notIn("never"));
    // A scan without gate or scanner: both null, as the stats name them.
    expect(await admission(e, "t3")).toMatchObject({
      admitted: true,
      first_entry: { scan_timestamp: "2026-03-01T10:20:00.000Z", scanner_id: null, location: null },
    });
    // Another event's entry of the same ticket is not this one's.
    expect(await admission(freshId("other"), "t1")).toMatchObject({ admitted: false, valid_scans: 0 });
  });

  it("reads ticket ids that need percent-encoding in the path", async () => {
    const e = freshId("adm");
    for (const ticket of ["Reihe 7/Platz 12", "tïckét #5?x=1", "100%"]) {
      expect((await scan(e, ticket, "2026-03-01T10:00:00Z")).status).toBe(201);
      expect(await admission(e, ticket)).toMatchObject({ ticket_id: ticket, admitted: true, valid_scans: 1 });
    }
  });

  it("refuses a ticket id over 128 characters, a missing event_id and an unknown parameter: 400", async () => {
    for (const path of [
      `/admissions/${"x".repeat(129)}?event_id=E`,
      "/admissions/T-1",
      "/admissions/T-1?event_id=E&gate=North",
    ]) {
      const res = await t.call("GET", path, { as: "reader" });
      expect(res.status, path).toBe(400);
      expect(await json(res), path).toMatchObject({ error: "validation_failed" });
    }
  });
});

notMigratedChecks(routesOf("admissions"));
