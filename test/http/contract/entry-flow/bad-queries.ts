// Bad queries of the entry-flow reads: each a 400 validation_failed in the error envelope,
// saying what is wrong (a range of too many points: which bucket to ask for instead), and
// the event's answers and records the same afterwards.
import { expect, it } from "vitest";
import { expectEnvelope, freshId } from "../../../support/api.js";
import type { HttpTarget } from "../../../support/targets/target.js";
import { read } from "./expected.js";

interface BadQuery {
  name: string;
  path(e: string): string;
  /** What the message (and an issue's) must say. */
  says?: string;
  /** The issue's path. */
  issue?: string;
}

const timeline = (query: string) => (e: string) => `/stats/timeline?event_id=${e}&${query}`;

const CASES: BadQuery[] = [
  { name: "an unknown bucket (2m)", path: timeline("bucket=2m"), issue: "bucket" },
  {
    name: "from after to",
    path: timeline("from=2026-06-01T12:00:00Z&to=2026-06-01T11:00:00Z"),
    issue: "from",
    says: "must not be after `to`",
  },
  { name: "a from that does not parse", path: timeline("from=soon"), issue: "from" },
  { name: "a to that does not parse", path: timeline("to=2026-13-45T25:00:00Z"), issue: "to" },
  {
    name: "4320 points (bucket=1m over three days)",
    path: timeline("bucket=1m&from=2026-06-01T00:00:00Z&to=2026-06-04T00:00:00Z"),
    says: "bucket=5m",
  },
  {
    name: "over 2000 points by default (bucket=1m, the event's records three days apart)",
    path: timeline("bucket=1m"),
    says: "bucket=5m",
  },
  {
    name: "a to whose bucket ends in the year 10000",
    path: timeline("bucket=1d&from=9999-12-31T00:00:00Z&to=9999-12-31T23:59:00Z"),
    issue: "to",
    says: "after the year 9999",
  },
  { name: "an unknown parameter (locaton)", path: timeline("locaton=North") },
  { name: "no event_id", path: () => "/stats/timeline?bucket=1h", issue: "event_id" },
  { name: "an event_id over 128 characters", path: () => `/stats/timeline?event_id=${"x".repeat(129)}` },
];

const OTHERS: BadQuery[] = [
  { name: "GET /stats/attendance without event_id", path: () => "/stats/attendance", issue: "event_id" },
  { name: "GET /stats/gates without event_id", path: () => "/stats/gates", issue: "event_id" },
];

/** An event with scans three days apart and an invalid attempt; answers its reads as they stand. */
async function event(t: HttpTarget) {
  const e = freshId("bad_flow");
  const records = [
    ["/scans", { ticket_id: "T1", event_id: e, scan_timestamp: "2026-06-01T10:00:00Z", location: "North" }],
    ["/scans", { ticket_id: "T2", event_id: e, scan_timestamp: "2026-06-04T10:00:00Z", is_valid: false }],
    [
      "/invalid-attempts",
      {
        attempt_type: "scan",
        reason: "expired_ticket",
        event_id: e,
        attempt_timestamp: "2026-06-02T10:00:00Z",
      },
    ],
  ] as const;
  for (const [path, body] of records)
    expect((await t.call("POST", path, { body, as: "ingest" })).status).toBe(201);
  const answers = async () => ({
    attendance: await read(t, `/stats/attendance?event_id=${e}`),
    timeline: await read(t, `/stats/timeline?event_id=${e}&bucket=5m`),
    gates: await read(t, `/stats/gates?event_id=${e}`),
    raw: await t.rawCounts(e),
  });
  return { e, answers };
}

export function entryFlowBadQueries(target: () => HttpTarget) {
  for (const c of CASES.map((c) => ({ ...c, name: `GET /stats/timeline with ${c.name}` })).concat(OTHERS)) {
    it(`${c.name}: 400 validation_failed${c.says ? ` saying "${c.says}"` : ""}, nothing changed`, async () => {
      const t = target();
      const { e, answers } = await event(t);
      const before = await answers();
      const body = await expectEnvelope(
        await t.call("GET", c.path(e), { as: "reader" }),
        400,
        "validation_failed",
      );
      if (c.says) {
        expect(body.message).toContain(c.says);
        expect(body.issues?.map((i) => i.message).join(" ")).toContain(c.says);
      }
      if (c.issue) expect(body.issues?.map((i) => i.path)).toContain(c.issue);
      expect(await answers()).toEqual(before);
    });
  }
}
