// The HTTP contract through the Worker's fetch handler inside workerd, once per database:
// the spec's payloads and shapes, auth by role, and bad input answered with the envelope.
import { uuidv7 } from "uuidv7";
import { describe, expect, it } from "vitest";
import { ROLE_ROUTES, SPEC, STATS_KEYS, specRecords } from "../support/records.js";
import { neonDatabaseForFile } from "./support/neon.js";
import { workerOn } from "./support/worker.js";

export type Backend = "d1" | "postgres";

let n = 0;
const freshEvent = () => `worker_event_${Date.now()}_${n++}`;

const ROUTES = ROLE_ROUTES;

const BAD_INPUT: [name: string, path: string, body: unknown, status: number][] = [
  ["malformed JSON", "/scans", '{"ticket_id": "t1", ', 400],
  ["a missing required field", "/scans", { ...SPEC.scan, ticket_id: undefined }, 400],
  ["a number where a string belongs", "/transfers", { ...SPEC.transfer, from_user_id: 7 }, 400],
  ["a NUL character", "/invalid-attempts", { ...SPEC.invalidAttempt, reason: "a\u0000b" }, 400],
  ["an unknown field", "/scans", { ...SPEC.scan, is_vaild: false }, 400],
  [
    "a timestamp a day and more ahead",
    "/scans",
    { ...SPEC.scan, scan_timestamp: new Date(Date.now() + 25 * 3600_000).toISOString() },
    400,
  ],
  ["a body over 64 KiB", "/scans", { ...SPEC.scan, additional_metadata: { blob: "x".repeat(70_000) } }, 413],
];

export function workerHttpSuite(backend: Backend) {
  describe(`Worker HTTP contract on ${backend}`, () => {
    // The API's own semantics, without the edge cache (tested on its own).
    const postgres = backend === "postgres" ? neonDatabaseForFile() : undefined;
    const w = workerOn({ STATS_CACHE_SECONDS: "0" }, { postgres });

    it("answers /health with the database's name and echoes the request id", async () => {
      const res = await w.call("GET", "/health", undefined, {
        token: null,
        headers: { "X-Request-Id": "r-1" },
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: "ok", database: backend });
      expect(res.headers.get("X-Request-Id")).toBe("r-1");
    });

    it("logs the spec's example records (201, id and uuid) and answers the spec's stats shapes", async () => {
      const e = freshEvent();
      for (const [path, body] of specRecords(e)) {
        const res = await w.call("POST", path, body, { token: "ingest" });
        expect(res.status).toBe(201);
        const json = await res.json<{ id: number; uuid: string }>();
        expect(Object.keys(json).sort()).toEqual(["id", "uuid"]);
        expect(json.id).toBeGreaterThan(0);
      }
      const stats = await (
        await w.call("GET", `/stats?event_id=${e}`, undefined, { token: "reader" })
      ).json();
      expect(Object.keys(stats as object)).toEqual(STATS_KEYS);
      expect(stats).toMatchObject({
        event_id: e,
        scan_count: 1,
        transfer_count: 1,
        invalid_attempt_count: 1,
        valid_scan_count: 1,
        successful_transfer_count: 1,
      });
      expect((stats as { last_updated: string }).last_updated).toMatch(
        /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/,
      );
      const all = await (await w.call("GET", "/stats", undefined, { token: "reader" })).json<
        Record<string, unknown>
      >();
      expect(all[e]).toEqual(stats);
      const scans = await (await w.call("GET", `/stats/scans?event_id=${e}`)).json<Record<string, unknown>>();
      expect(scans).toMatchObject({
        event_id: e,
        count: 1,
        scans: [{ ticket_id: "ticket_123", is_valid: true }],
      });
      const transfers = await (await w.call("GET", `/stats/transfers?event_id=${e}`)).json();
      expect(transfers).toMatchObject({ event_id: e, count: 1, transfers: [{ from_user_id: "user_abc" }] });
      const attempts = await (await w.call("GET", `/stats/invalid-attempts?event_id=${e}`)).json();
      expect(attempts).toMatchObject({ event_id: e, count: 1, attempts: [{ reason: "expired_ticket" }] });
    });

    it("answers an event without records with zero counts and last_updated null", async () => {
      const res = await w.call("GET", "/stats?event_id=nothing-here");
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ event_id: "nothing-here", scan_count: 0, last_updated: null });
    });

    it("stores the same uuid once: 200 with duplicate true, counted once", async () => {
      const e = freshEvent();
      const uuid = uuidv7();
      const first = await w.call("POST", "/scans", { ...SPEC.scan, event_id: e, uuid });
      const again = await w.call("POST", "/scans", { ...SPEC.scan, event_id: e, uuid, is_valid: false });
      expect([first.status, again.status]).toEqual([201, 200]);
      expect(await again.json()).toEqual({
        id: (await first.json<{ id: number }>()).id,
        uuid,
        duplicate: true,
      });
      expect(await (await w.call("GET", `/stats?event_id=${e}`)).json()).toMatchObject({
        scan_count: 1,
        valid_scan_count: 1,
      });
    });

    for (const [method, path, body, role] of ROUTES) {
      const other = role === "reader" ? "ingest" : "reader";
      it(`${method} ${path}: 401 without or with a wrong token, 403 for ${other}, ok for ${role} and admin`, async () => {
        const none = await w.call(method, path, body, { token: null });
        expect(none.status).toBe(401);
        expect(none.headers.get("WWW-Authenticate")).toContain("Bearer");
        expect(await none.json()).toMatchObject({ error: "unauthorized", request_id: expect.any(String) });
        expect((await w.call(method, path, body, { token: "wrong-token-0123456789" })).status).toBe(401);
        const forbidden = await w.call(method, path, body, { token: other });
        expect(forbidden.status).toBe(403);
        expect(await forbidden.json()).toMatchObject({ error: "forbidden" });
        expect((await w.call(method, path, body, { token: role })).status).toBeLessThan(300);
        expect((await w.call(method, path, body, { token: "admin" })).status).toBeLessThan(300);
      });
    }

    for (const [name, path, body, status] of BAD_INPUT) {
      it(`POST ${path} with ${name}: ${status} in the error envelope, nothing stored`, async () => {
        const e = freshEvent();
        const withEvent = typeof body === "object" ? { ...body, event_id: e } : body;
        const res = await w.call("POST", path, withEvent, { token: "ingest" });
        expect(res.status).toBe(status);
        const envelope = await res.json<Record<string, unknown>>();
        expect(envelope).toMatchObject({ error: expect.any(String), message: expect.any(String) });
        expect(envelope.request_id).toBe(res.headers.get("X-Request-Id"));
        if (status === 400 && typeof body === "object") expect(envelope.issues).toEqual(expect.any(Array));
        const stats = await (await w.call("GET", `/stats?event_id=${e}`)).json();
        expect(stats).toMatchObject({ scan_count: 0, transfer_count: 0, invalid_attempt_count: 0 });
      });
    }

    it("answers listings with a bad limit or without event_id with 400, and unknown routes with 404", async () => {
      for (const query of ["", "?event_id=e&limit=0", "?event_id=e&limit=1001"]) {
        const res = await w.call("GET", `/stats/scans${query}`, undefined, { token: "reader" });
        expect(res.status).toBe(400);
        expect(await res.json()).toMatchObject({ error: "validation_failed" });
      }
      const missing = await w.call("GET", "/nope");
      expect(missing.status).toBe(404);
      expect(await missing.json()).toMatchObject({ error: "not_found" });
    });
  });
}
