// POST /scans, /transfers, /invalid-attempts in process (app.request): auth by role, every
// bad input, what a stored record and a duplicate answer, a database without the schema.
import { uuidv7 } from "uuidv7";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshId, json } from "../support/api.js";
import { authChecks } from "../support/auth-checks.js";
import { RECORD_KINDS } from "../support/bad-input.js";
import { recordRouteChecks } from "../support/bad-input-checks.js";
import { ZERO_COUNTS } from "../support/records.js";
import { type RouteApp, routeApp } from "../support/route-app.js";
import { routesOf } from "../support/routes.js";
import { notMigratedChecks } from "./support/not-migrated.js";

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("single-record writes", () => {
  let t: RouteApp;
  beforeAll(async () => {
    t = await routeApp();
  });
  afterAll(async () => {
    await t?.close();
  });
  const api = () => t;

  authChecks(api, routesOf("ingest"));
  for (const k of RECORD_KINDS) {
    describe(`POST ${k.route} with bad input`, () => recordRouteChecks(api, k));
  }

  for (const k of RECORD_KINDS) {
    it(`POST ${k.route} stores the spec's example: 201 {id, uuid} with a UUIDv7 made up, counted once`, async () => {
      const e = freshId();
      const res = await t.call("POST", k.route, { body: k.record(e), as: "ingest" });
      expect(res.status).toBe(201);
      const body = await json<{ id: number; uuid: string }>(res);
      expect(Object.keys(body).sort()).toEqual(["id", "uuid"]);
      expect(body.id).toBeGreaterThan(0);
      expect(body.uuid).toMatch(UUID_V7);
      expect(await t.rawCounts(e)).toEqual({ ...ZERO_COUNTS, ...countsOfOne(k.kind) });
    });

    it(`POST ${k.route} with a uuid stored before: 200 {id, uuid, duplicate: true}, the first id, nothing counted again`, async () => {
      const e = freshId();
      const uuid = uuidv7();
      const first = await json<{ id: number }>(
        await t.call("POST", k.route, { body: { ...k.record(e), uuid }, as: "ingest" }),
      );
      // The same key in upper case, with a different payload: still the same record.
      const again = await t.call("POST", k.route, {
        body: { ...k.record(e), uuid: uuid.toUpperCase(), [k.fields.text]: "changed" },
        as: "ingest",
      });
      expect(again.status).toBe(200);
      expect(await again.json()).toEqual({ id: first.id, uuid, duplicate: true });
      expect(await t.rawCounts(e)).toEqual({ ...ZERO_COUNTS, ...countsOfOne(k.kind) });
    });
  }

  it("takes is_valid and is_successful as true when left out, and counts false ones apart", async () => {
    const e = freshId();
    const scan = { ticket_id: "t", event_id: e };
    const transfer = { ticket_id: "t", event_id: e, from_user_id: "a", to_user_id: "b" };
    for (const [path, body] of [
      ["/scans", scan],
      ["/scans", { ...scan, is_valid: false }],
      ["/transfers", transfer],
      ["/transfers", { ...transfer, is_successful: false }],
    ] as const) {
      expect((await t.call("POST", path, { body, as: "ingest" })).status).toBe(201);
    }
    const stats = await json(await t.call("GET", `/stats?event_id=${e}`, { as: "reader" }));
    expect(stats).toMatchObject({
      valid_scan_count: 1,
      invalid_scan_count: 1,
      successful_transfer_count: 1,
      failed_transfer_count: 1,
    });
  });

  it("keeps the record's own time to the millisecond, read as UTC when it has no offset", async () => {
    const e = freshId();
    for (const [ticket_id, scan_timestamp] of [
      ["a", "2024-01-15T10:30:45.123456"],
      ["b", "2024-01-15T12:00:00+02:00"],
    ]) {
      await t.call("POST", "/scans", { body: { ticket_id, event_id: e, scan_timestamp }, as: "ingest" });
    }
    const { scans } = await json<{ scans: { scan_timestamp: string }[] }>(
      await t.call("GET", `/stats/scans?event_id=${e}`, { as: "reader" }),
    );
    expect(scans.map((s) => s.scan_timestamp)).toEqual([
      "2024-01-15T10:30:45.123Z",
      "2024-01-15T10:00:00.000Z",
    ]);
  });
});

function countsOfOne(kind: string) {
  if (kind === "scan") return { scan_count: 1, valid_scan_count: 1 };
  if (kind === "transfer") return { transfer_count: 1, successful_transfer_count: 1 };
  return { invalid_attempt_count: 1 };
}

notMigratedChecks(routesOf("ingest"));
