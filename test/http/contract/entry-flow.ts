// The HTTP contract, the entry flow (DESIGN.md, "Entry flow and attendance"): every figure
// of GET /stats/attendance, /stats/timeline and /stats/gates equals a plain SQL
// recomputation from the target's own database, whatever route, order, replays and
// concurrent writers brought the records; the same records answer alike; a late older scan
// moves the first entry; an empty event; bad queries. Registered by ../contract.test.ts.
import { randomBytes } from "node:crypto";
import { expect, it } from "vitest";
import { freshId } from "../../support/api.js";
import { random } from "../../support/entry-flow-records.js";
import type { HttpTarget } from "../../support/targets/target.js";
import { entryFlowBadQueries } from "./entry-flow/bad-queries.js";
import { deliver } from "./entry-flow/deliver.js";
import { entryFlowExamples } from "./entry-flow/examples.js";
import {
  expectAdmissions,
  expectAttendance,
  expectGates,
  expectTimeline,
  read,
  type TimelineCase,
} from "./entry-flow/expected.js";
import { type LiveEvent, liveEvent, SLACK_MS, scanNearEdge } from "./entry-flow/live-event.js";

const SEEDS = [1, 2, 3];
const HOUR = 3_600_000;

/** A fresh event, uuid head and scanner prefix. */
const fresh = () => ({
  eventId: freshId("flow"),
  head: randomBytes(4).toString("hex"),
  prefix: freshId("gate"),
});

/** The timelines a property run reads: each bucket by default, explicit and one-sided ranges, filters. */
function timelineCases(ev: LiveEvent, seed: number, prefix: string): TimelineCase[] {
  const rand = random(seed);
  const times = ev.items.flatMap((x) =>
    x.kind === "scan"
      ? [Date.parse(x.body.scan_timestamp)]
      : x.body.event_id === undefined
        ? []
        : [Date.parse(x.body.attempt_timestamp)],
  );
  const [min, max] = [Math.min(...times), Math.max(...times)];
  const within = () => new Date(Math.floor(min + rand() * (max - min))).toISOString();
  const [a, b] = [within(), within()].sort();
  return [
    {},
    { bucket: "1m" },
    { bucket: "15m" },
    { bucket: "1h" },
    { bucket: "1d" },
    { bucket: "1m", from: a, to: b },
    { bucket: "15m", from: a },
    { to: b },
    {
      bucket: "1h",
      from: new Date(min - 3 * HOUR).toISOString(),
      to: new Date(max + 2 * HOUR).toISOString(),
    },
    { location: "North" },
    { bucket: "1m", location: "" },
    { bucket: "15m", scanner_id: `${prefix}-s2` },
    { bucket: "1h", location: "South", scanner_id: `${prefix}-s1` },
    { scanner_id: `${prefix}-s4`, from: a, to: b },
    { bucket: "1h", location: "Nowhere" },
  ];
}

/** Fails when the gates' windows moved too near a scan since the event's times were drawn. */
function expectMargins(ev: LiveEvent, why: string) {
  const near = scanNearEdge(ev, Date.now());
  if (near) {
    throw new Error(
      `${why}: ${Date.now() - ev.ref} ms since the times were drawn, more than the ${SLACK_MS} ms allowed: scan ${near} now lies near a window's edge`,
    );
  }
}

export function entryFlow(target: () => HttpTarget) {
  it("keeps every attendance, timeline and gate figure equal to a recomputation from the target's own database, whatever the route, order, replays and concurrent writers", async () => {
    const t = target();
    const seen = { last5: 0, last15: 0, synced: 0, neverSynced: 0 };
    for (const seed of SEEDS) {
      const ids = fresh();
      const ev = liveEvent(seed, ids, Date.now());
      const { synced } = await deliver(t, ev, seed * 7);
      const why = `seed ${seed}, event ${ev.eventId}`;
      expectMargins(ev, why);
      const gates = await expectGates(t, ev.eventId, synced, why);
      for (const g of gates.gates) {
        seen.last5 += g.entries_last_5_min as number;
        seen.last15 += g.entries_last_15_min as number;
        for (const s of g.scanners) seen[s.last_sync_at === null ? "neverSynced" : "synced"]++;
      }
      await expectAttendance(t, ev.eventId, why);
      await expectAdmissions(t, ev.eventId, why);
      for (const q of timelineCases(ev, seed, ids.prefix)) await expectTimeline(t, ev.eventId, q, why);
    }
    // What was checked was there: entries in the last 5 minutes, more in the last 15;
    // scanners that synced and scanners that never did.
    expect(seen.last5).toBeGreaterThan(0);
    expect(seen.last15).toBeGreaterThan(seen.last5);
    expect(seen.synced).toBeGreaterThan(0);
    expect(seen.neverSynced).toBeGreaterThan(0);
  });

  it("answers the same records alike, whatever order and route they arrived by", async () => {
    const t = target();
    const seed = 11;
    const ref = Date.now();
    // One seed, two events: the same records, their uuids in the same relative order.
    const [one, two] = [fresh(), fresh()];
    const events = [liveEvent(seed, one, ref), liveEvent(seed, two, ref)] as const;
    await deliver(t, events[0], 1);
    await deliver(t, events[1], 2);
    const answers = async (ev: LiveEvent, prefix: string) => {
      expectMargins(ev, `event ${ev.eventId}`);
      const e = new URLSearchParams({ event_id: ev.eventId });
      const got = {
        gates: await read(t, `/stats/gates?${e}`),
        attendance: await read(t, `/stats/attendance?${e}`),
        timeline: await read(t, `/stats/timeline?${e}&bucket=1m`),
        north: await read(t, `/stats/timeline?${e}&location=North`),
        s1: await read(t, `/stats/timeline?${e}&scanner_id=${prefix}-s1`),
      };
      // Device health tells how the records came (which scanner synced when), not what they are.
      const unlike = new Set(["last_updated", "last_sync_at", "pending", "clock_offset_ms"]);
      return JSON.parse(JSON.stringify(got).replaceAll(ev.eventId, "E").replaceAll(prefix, "P"), (k, v) =>
        unlike.has(k) ? null : v,
      );
    };
    const [first, second] = [await answers(events[0], one.prefix), await answers(events[1], two.prefix)];
    expect(first.attendance.admitted_count).toBeGreaterThan(0);
    expect(second).toEqual(first);
  });

  entryFlowExamples(target);
  entryFlowBadQueries(target);
}
