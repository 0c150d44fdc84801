// GET /stats/transfers/summary and GET /stats/alerts in process (app.request): auth by
// role, the answers' shape and order on a small event, every bad query of the alerts a 400
// in the envelope alone, the alerts' pages followed through `next`, and a database without
// the schema. The figures under any arrival order are held to a recomputation by the store
// and HTTP contracts.
import { uuidv7 } from "uuidv7";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import OPENAPI_DOCUMENT from "../../src/openapi.json" with { type: "json" };
import { expectEnvelope, freshId, json } from "../support/api.js";
import { authChecks } from "../support/auth-checks.js";
import { conformanceTo } from "../support/conformance.js";
import { SPEC } from "../support/records.js";
import { type RouteApp, routeApp } from "../support/route-app.js";
import { routesOf } from "../support/routes.js";
import { notMigratedChecks } from "./support/not-migrated.js";

describe("transfer summary", () => {
  let t: RouteApp;
  beforeAll(async () => {
    t = await routeApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  authChecks(
    () => t,
    routesOf("signals").filter((r) => r.route.startsWith("/stats/transfers/summary")),
  );

  it("answers totals, tickets transferred, reasons by total (no reason last) and UTC days", async () => {
    const e = freshId("rev");
    const { transfer_reason, ...noReason } = SPEC.transfer;
    const post = async (body: object) =>
      expect(
        (await t.call("POST", "/transfers", { body: { ...body, event_id: e }, as: "ingest" })).status,
      ).toBe(201);
    await post({ ...noReason, ticket_id: "a", transfer_timestamp: "2026-03-01T23:59:59.999Z" });
    await post({ ...noReason, ticket_id: "a", transfer_timestamp: "2026-03-02T00:00:00.000Z" });
    await post({ ...noReason, ticket_id: "b", transfer_timestamp: "2026-03-02T10:00:00Z" });
    await post({
      ...SPEC.transfer,
      ticket_id: "b",
      transfer_reason: "gift",
      transfer_timestamp: "2026-03-02T11:00:00Z",
    });
    await post({
      ...SPEC.transfer,
      ticket_id: "c",
      transfer_reason: "resale",
      is_successful: false,
      transfer_timestamp: "2026-03-03T09:00:00Z",
    });
    const res = await t.call("GET", `/stats/transfers/summary?event_id=${e}`, { as: "reader" });
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({
      event_id: e,
      successful: 4,
      failed: 1,
      tickets_transferred: 2,
      by_reason: [
        { reason: "gift", successful: 1, failed: 0 },
        { reason: "resale", successful: 0, failed: 1 },
        { reason: null, successful: 3, failed: 0 },
      ],
      by_day: [
        { date: "2026-03-01", successful: 1, failed: 0 },
        { date: "2026-03-02", successful: 3, failed: 0 },
        { date: "2026-03-03", successful: 0, failed: 1 },
      ],
    });
  });
});

type Alert = Record<string, unknown> & { kind: string; at: string };
type Alerts = {
  event_id: string;
  summary: { double_entry: number; transfer_chain: number; invalid_burst: number };
  alerts: Alert[];
  count: number;
  next: string | null;
};

/** base64url of a JSON text: how a cursor is written, around content the server never wrote. */
const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

describe("alerts", () => {
  let t: RouteApp;
  beforeAll(async () => {
    // Every answer below is also held to the OpenAPI document.
    t = (await conformanceTo(OPENAPI_DOCUMENT)).wrap(await routeApp());
  });
  afterAll(async () => {
    await t?.close();
  });
  const post = async (path: "/scans" | "/transfers" | "/invalid-attempts", body: object) =>
    expect((await t.call("POST", path, { body, as: "ingest" })).status, `POST ${path}`).toBe(201);
  const read = async (path: string) => {
    const res = await t.call("GET", path, { as: "reader" });
    expect(res.status, path).toBe(200);
    return json<Alerts>(res);
  };
  authChecks(
    () => t,
    routesOf("signals").filter((r) => r.route.startsWith("/stats/alerts")),
  );

  /** Every page of `query`, `limit` at a time, following `next`. */
  const pages = async (e: string, limit: number, query = "") => {
    const out: Alerts[] = [];
    let before: string | null = null;
    do {
      const cursor: string = before === null ? "" : `&before=${before}`;
      const page = await read(`/stats/alerts?event_id=${e}&limit=${limit}${query}${cursor}`);
      out.push(page);
      before = page.next;
      expect(out.length, "pages").toBeLessThan(20);
    } while (before !== null);
    return out;
  };

  describe("bad queries: 400 in the envelope, saying which parameter, and nothing else", () => {
    const e = "bad-alerts";
    const cases: [name: string, query: string, issue: string, says?: string][] = [
      ["no event_id", "limit=5", "event_id"],
      ["an empty event_id", "event_id=", "event_id"],
      ["an unknown kind", `event_id=${e}&kind=fraud`, "kind"],
      ["a kind in capitals", `event_id=${e}&kind=DOUBLE_ENTRY`, "kind"],
      ["limit 0", `event_id=${e}&limit=0`, "limit"],
      ["limit 1001", `event_id=${e}&limit=1001`, "limit"],
      ["a limit that is not a number", `event_id=${e}&limit=ten`, "limit"],
      ["a fractional limit", `event_id=${e}&limit=2.5`, "limit"],
      ...(
        [
          ["a garbage cursor", "%25%25garbage!!"],
          ["a cursor of base64url characters that decode to no JSON", "bm90IGpzb24"],
          ["a cursor of a JSON object", cursorOf({ at: 1_772_359_200_000, kind: "double_entry", key: "T" })],
          ["a cursor of a JSON array too short", cursorOf([1_772_359_200_000, "double_entry"])],
          ["a cursor with an unknown kind", cursorOf([1_772_359_200_000, "double", "T"])],
          ["a cursor with a negative time", cursorOf([-1, "double_entry", "T"])],
          ["a cursor with a time that is text", cursorOf(["2026-03-01T10:00:00Z", "double_entry", "T"])],
          ["a cursor in standard base64 with padding", `${btoa(JSON.stringify([1, "double_entry", "T?"]))}`],
          ["an empty cursor", ""],
        ] as const
      ).map(([name, cursor]): [string, string, string, string] => [
        name,
        `event_id=${e}&before=${encodeURIComponent(cursor)}`,
        "before",
        "is not a cursor from a previous page's `next`",
      ]),
      ["an unknown parameter (before_id)", `event_id=${e}&before_id=3`, "", "before_id"],
      ["an unknown parameter (kinds)", `event_id=${e}&kinds=double_entry`, "", "kinds"],
    ];
    for (const [name, query, issue, says] of cases) {
      it(`${name}: 400 validation_failed naming ${issue || "the parameter"}`, async () => {
        const res = await t.call("GET", `/stats/alerts?${query}`, { as: "reader" });
        const body = await expectEnvelope(res, 400, "validation_failed");
        expect(Object.keys(body).sort()).toEqual(["error", "issues", "message", "request_id"]);
        expect(body.issues?.map((i) => i.path)).toContain(issue);
        if (issue) expect(body.message).toContain(issue);
        if (says) expect(body.message).toContain(says);
      });
    }
  });

  it("answers an event without alerts with zeros and an empty list", async () => {
    const e = freshId("calm");
    await post("/scans", { ...SPEC.scan, event_id: e, ticket_id: "once" });
    expect(await read(`/stats/alerts?event_id=${e}`)).toEqual({
      event_id: e,
      summary: { double_entry: 0, transfer_chain: 0, invalid_burst: 0 },
      alerts: [],
      count: 0,
      next: null,
    });
  });

  describe("an event's alerts, newest first, page after page", () => {
    const e = freshId("alerts");
    const u = Object.fromEntries(["a1", "a2", "b1", "b2", "b3", "c1", "c2", "c3"].map((k) => [k, uuidv7()]));
    const scan = (uuid: string, ticket_id: string, at: string, location: string, scanner_id: string) =>
      post("/scans", {
        ...SPEC.scan,
        uuid,
        event_id: e,
        ticket_id,
        scan_timestamp: at,
        location,
        scanner_id,
      });
    const transfer = (ticket_id: string, from: string, to: string, at: string, is_successful = true) =>
      post("/transfers", {
        ...SPEC.transfer,
        event_id: e,
        ticket_id,
        from_user_id: from,
        to_user_id: to,
        transfer_timestamp: at,
        is_successful,
      });
    const seen = (uuid: string, at: string, location: string, scanner_id: string) => ({
      uuid,
      scanner_id,
      location,
      scan_timestamp: at,
      received_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
    // Every record's own time lies hours before it reaches the server: every double entry is offline.
    const ALL = [
      {
        // The same scanner at the same gate a minute apart.
        kind: "double_entry",
        severity: "low",
        at: "2026-03-01T10:31:00.000Z",
        ticket_id: "dbl-c",
        valid_scans: 2,
        first: seen(u.c1 as string, "2026-03-01T10:30:00.000Z", "North", "n1"),
        second: seen(u.c3 as string, "2026-03-01T10:31:00.000Z", "North", "n1"),
        gap_seconds: 60,
        offline: true,
        passback: false,
      },
      {
        // Offline on two scanners, 20 minutes apart (over the passback window).
        kind: "double_entry",
        severity: "high",
        at: "2026-03-01T10:20:00.000Z",
        ticket_id: "dbl-a",
        valid_scans: 2,
        first: seen(u.a1 as string, "2026-03-01T10:00:00.000Z", "North", "n1"),
        second: seen(u.a2 as string, "2026-03-01T10:20:00.000Z", "South", "s1"),
        gap_seconds: 1200,
        offline: true,
        passback: false,
      },
      {
        // Two successful transfers 7 minutes apart.
        kind: "transfer_chain",
        severity: "medium",
        at: "2026-03-01T10:12:00.000Z",
        ticket_id: "chain-b",
        successful_transfers: 2,
        failed_transfers: 0,
        chain: ["u5", "u6", "u7"],
        shortest_gap_seconds: 420,
      },
      {
        // The third successful transfer raised it; a failed one in between is counted.
        kind: "transfer_chain",
        severity: "medium",
        at: "2026-03-01T10:10:00.000Z",
        ticket_id: "chain-a",
        successful_transfers: 3,
        failed_transfers: 1,
        chain: ["u1", "u2", "u3", "u4"],
        shortest_gap_seconds: 1800,
      },
      {
        // At the same time as dbl-b: bursts come first.
        kind: "invalid_burst",
        severity: "medium",
        at: "2026-03-01T10:05:00.000Z",
        key_kind: "ip_address",
        key: "10.9.8.7",
        minute: "2026-03-01T10:05:00.000Z",
        count: 10,
        reasons: [
          { reason: "invalid_qr", count: 6 },
          { reason: "expired_ticket", count: 4 },
        ],
      },
      {
        // The same scanner at another gate within the passback window; a third scan later.
        kind: "double_entry",
        severity: "medium",
        at: "2026-03-01T10:05:00.000Z",
        ticket_id: "dbl-b",
        valid_scans: 3,
        first: seen(u.b1 as string, "2026-03-01T10:00:00.000Z", "North", "n1"),
        second: seen(u.b2 as string, "2026-03-01T10:05:00.000Z", "South", "n1"),
        gap_seconds: 300,
        offline: true,
        passback: true,
      },
    ];
    const SUMMARY = { double_entry: 3, transfer_chain: 2, invalid_burst: 1 };

    beforeAll(async () => {
      // Posted out of time order: the alerts follow the records' own times.
      await scan(u.b3 as string, "dbl-b", "2026-03-01T11:00:00Z", "East", "e1");
      await scan(u.a2 as string, "dbl-a", "2026-03-01T10:20:00Z", "South", "s1");
      await scan(u.c3 as string, "dbl-c", "2026-03-01T10:31:00Z", "North", "n1");
      await scan(u.b2 as string, "dbl-b", "2026-03-01T10:05:00Z", "South", "n1");
      await scan(u.a1 as string, "dbl-a", "2026-03-01T10:00:00Z", "North", "n1");
      await scan(u.b1 as string, "dbl-b", "2026-03-01T10:00:00Z", "North", "n1");
      await scan(u.c1 as string, "dbl-c", "2026-03-01T10:30:00Z", "North", "n1");
      // Refused at the gate between the two: not an entry.
      await post("/scans", {
        ...SPEC.scan,
        uuid: u.c2,
        event_id: e,
        ticket_id: "dbl-c",
        scan_timestamp: "2026-03-01T10:30:30Z",
        location: "North",
        scanner_id: "n1",
        is_valid: false,
      });
      await scan(uuidv7(), "once", "2026-03-01T10:40:00Z", "North", "n1");
      await transfer("chain-a", "u3", "u4", "2026-03-01T10:10:00Z");
      await transfer("chain-a", "u1", "u2", "2026-03-01T09:00:00Z");
      await transfer("chain-a", "u2", "x9", "2026-03-01T09:45:00Z", false);
      await transfer("chain-a", "u2", "u3", "2026-03-01T09:30:00Z");
      await transfer("chain-b", "u6", "u7", "2026-03-01T10:12:00Z");
      await transfer("chain-b", "u5", "u6", "2026-03-01T10:05:00Z");
      await transfer("single", "u8", "u9", "2026-03-01T10:00:00Z");
      const { ticket_id, ...attempt } = SPEC.invalidAttempt;
      for (let i = 0; i < 10; i++) {
        await post("/invalid-attempts", {
          ...attempt,
          event_id: e,
          ip_address: "10.9.8.7",
          reason: i < 6 ? "invalid_qr" : "expired_ticket",
          attempt_timestamp: `2026-03-01T10:05:${String(i * 5).padStart(2, "0")}Z`,
        });
      }
      // Nine from another address in the same minute: one short of a burst.
      for (let i = 0; i < 9; i++) {
        await post("/invalid-attempts", {
          ...attempt,
          event_id: e,
          ip_address: "10.9.8.6",
          attempt_timestamp: `2026-03-01T10:05:${String(i * 5).padStart(2, "0")}Z`,
        });
      }
    });

    it("answers every alert on one page when the limit allows, with no next", async () => {
      expect(await read(`/stats/alerts?event_id=${e}`)).toEqual({
        event_id: e,
        summary: SUMMARY,
        alerts: ALL,
        count: 6,
        next: null,
      });
      expect((await read(`/stats/alerts?event_id=${e}&limit=6`)).next).toBeNull();
    });

    for (const limit of [1, 2, 4, 5]) {
      it(`pages through them ${limit} at a time following next, each alert once, ties included`, async () => {
        const got = await pages(e, limit);
        expect(got).toHaveLength(Math.ceil(ALL.length / limit));
        for (const [i, p] of got.entries()) {
          expect(p.summary).toEqual(SUMMARY);
          expect(p.count).toBe(p.alerts.length);
          expect(p.count).toBe(i < got.length - 1 ? limit : ALL.length - limit * (got.length - 1));
          if (i < got.length - 1) expect(p.next).toEqual(expect.stringMatching(/^[A-Za-z0-9_-]+$/));
        }
        expect(got.flatMap((p) => p.alerts)).toEqual(ALL);
      });
    }

    it("answers one kind when asked, pages included, and still counts every kind", async () => {
      const doubles = await pages(e, 2, "&kind=double_entry");
      expect(doubles.map((p) => p.summary)).toEqual([SUMMARY, SUMMARY]);
      expect(doubles.flatMap((p) => p.alerts)).toEqual(ALL.filter((a) => a.kind === "double_entry"));
      for (const kind of ["transfer_chain", "invalid_burst"]) {
        const only = await read(`/stats/alerts?event_id=${e}&kind=${kind}`);
        expect(only).toMatchObject({ summary: SUMMARY, next: null });
        expect(only.alerts).toEqual(ALL.filter((a) => a.kind === kind));
      }
    });

    it("reads a cursor the same whoever pages with it: the same next page twice", async () => {
      const first = await read(`/stats/alerts?event_id=${e}&limit=3`);
      const again = await read(`/stats/alerts?event_id=${e}&limit=3&before=${first.next}`);
      expect(await read(`/stats/alerts?event_id=${e}&limit=3&before=${first.next}`)).toEqual(again);
      expect(again.alerts).toEqual(ALL.slice(3));
    });
  });
});

notMigratedChecks(routesOf("signals"));
