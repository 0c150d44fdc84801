// The store contract, the entry flow: every figure of attendance, timeline and gates (as
// the service answers them from the store's aggregates) equals a plain SQL recomputation
// from the raw rows (../../support/entry-flow-recompute.ts), whatever the arrival order,
// batching, replays and concurrent writers; and the same records in two orders answer alike.
import { expect, it } from "vitest";
import { createAnalytics } from "../../../src/analytics.js";
import { BUCKETS, type Bucket } from "../../../src/attendance/buckets.js";
import type { DeviceReport, RecordBatch } from "../../../src/store/types.js";
import {
  recomputeAdmissions,
  recomputeAttendance,
  recomputeGateScanners,
  recomputeTimeline,
} from "../../support/entry-flow-recompute.js";
import {
  BASE,
  byGateAndScanner,
  generate,
  HOURS,
  hex,
  type Item,
  pick,
  type Rand,
  random,
  scannerRows,
  shuffle,
} from "../../support/entry-flow-records.js";
import { batch, scanRow } from "../../support/records.js";
import { at, type ContractContext, freshEvent } from "./context.js";

const report = (scanner: string, now: number): DeviceReport => ({
  scanner_id: scanner,
  received_at: new Date(now),
  sent_at: new Date(now),
  items: 0,
  rejected: 0,
  pending: 0,
  oldest_pending_at: null,
  app_version: null,
});

/** Sends the items in a random order, in batches (insert or sync), four at a time, then replays some. */
async function deliver(c: ContractContext, items: Item[], rand: Rand): Promise<void> {
  const order = shuffle(rand, items);
  const chunks: RecordBatch[] = [];
  for (let i = 0; i < order.length; ) {
    const size = 1 + Math.floor(rand() * 8);
    const part = order.slice(i, i + size);
    i += size;
    chunks.push(
      batch({
        scans: part.flatMap((x) => (x.kind === "scan" ? [x.row] : [])),
        invalidAttempts: part.flatMap((x) => (x.kind === "attempt" ? [x.row] : [])),
      }),
    );
  }
  const send = (b: RecordBatch) =>
    rand() < 0.5 ? c.store.insert(b) : c.store.sync(b, report(`dev-${Math.floor(rand() * 3)}`, Date.now()));
  const replays = chunks.filter(() => rand() < 0.3);
  const all = [...chunks, ...shuffle(rand, replays)];
  for (let i = 0; i < all.length; i += 4) await Promise.all(all.slice(i, i + 4).map(send));
}

/** The service's three answers for an event, `now` fixing the gates' windows. */
async function answers(c: ContractContext, eventId: string, now: number) {
  const analytics = createAnalytics(c.store);
  const timelines: Record<string, unknown> = {};
  for (const bucket of ["1m", "5m", "1h"] as Bucket[]) {
    timelines[bucket] = await analytics.timeline({ event_id: eventId, bucket });
  }
  for (const [name, filter] of Object.entries(FILTERS)) {
    timelines[name] = await analytics.timeline({ event_id: eventId, bucket: "15m", ...filter });
  }
  return {
    attendance: await analytics.attendance(eventId),
    timelines,
    gates: await analytics.gates(eventId, new Date(now)),
  };
}

const FILTERS: Record<string, { location?: string; scanner_id?: string }> = {
  north: { location: "North" },
  "no gate": { location: "" },
  s2: { scanner_id: "s2" },
  "north s1": { location: "North", scanner_id: "s1" },
};

type Answers = Awaited<ReturnType<typeof answers>>;
type Timeline = Awaited<ReturnType<ReturnType<typeof createAnalytics>["timeline"]>>;

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

async function expectRecomputed(
  c: ContractContext,
  eventId: string,
  now: number,
  got: Answers,
  seed: number,
) {
  const { dialect, query } = c.raw;
  const why = `seed ${seed}, event ${eventId}`;
  const a = got.attendance;
  expect(
    {
      admitted_count: a.admitted_count,
      valid_scan_count: a.valid_scan_count,
      repeat_scan_count: a.repeat_scan_count,
      invalid_scan_count: a.invalid_scan_count,
      first_entry_at: iso(a.first_entry_at),
      last_entry_at: iso(a.last_entry_at),
      peak: a.peak && { minute: iso(a.peak.minute), entries: a.peak.entries },
    },
    why,
  ).toEqual(await recomputeAttendance(dialect, query, eventId));

  const check = async (name: string, t: Timeline, filter: { location?: string; scanner_id?: string }) => {
    const width = BUCKETS[t.bucket];
    const r = await recomputeTimeline(dialect, query, eventId, width, filter);
    const msg = `${why}, timeline ${name}`;
    if (r.first === null || r.last === null) {
      expect(t.points, msg).toEqual([]);
      return;
    }
    expect(iso(t.from), msg).toBe(new Date(r.first - (r.first % width)).toISOString());
    expect(iso(t.to), msg).toBe(new Date(r.last - (r.last % width) + width).toISOString());
    const filtered = filter.location !== undefined || filter.scanner_id !== undefined;
    const zero = { entries: 0, valid_scans: 0, invalid_scans: 0, invalid_attempts: filtered ? null : 0 };
    for (const p of t.points) {
      const want = r.points.get(p.t) ?? zero;
      expect({ ...p, t: undefined }, `${msg} at ${p.t}`).toEqual({ ...want, t: undefined });
      r.points.delete(p.t);
    }
    expect([...r.points.keys()], `${msg}: buckets with records left out`).toEqual([]);
  };
  for (const [name, t] of Object.entries(got.timelines)) {
    await check(name, t as Timeline, FILTERS[name] ?? {});
  }

  await expectGates(c, eventId, now, got.gates, why);
  await expectAdmissions(c, eventId, why);
}

/** GET /admissions of every ticket of the event (and of one it never saw) equals the recomputation's. */
async function expectAdmissions(c: ContractContext, eventId: string, why: string) {
  const want = await recomputeAdmissions(c.raw.dialect, c.raw.query, eventId);
  want.set("never-scanned", { admitted: false, valid_scans: 0, first_entry: null });
  const analytics = createAnalytics(c.store);
  for (const [ticket, expected] of want) {
    const got = await analytics.admission(eventId, ticket);
    expect(
      {
        ...got,
        first_entry: got.first_entry && {
          ...got.first_entry,
          scan_timestamp: got.first_entry.scan_timestamp.toISOString(),
        },
      },
      `${why}, admission of ${ticket}`,
    ).toEqual({ event_id: eventId, ticket_id: ticket, ...expected });
  }
}

/** GET /stats/gates's figures at `now` equal the recomputation's, scanner by scanner and gate by gate. */
async function expectGates(
  c: ContractContext,
  eventId: string,
  now: number,
  gates: Answers["gates"],
  why: string,
) {
  const { dialect, query } = c.raw;
  const scanners = await recomputeGateScanners(dialect, query, eventId, now);
  expect(byGateAndScanner(scannerRows(gates)), `${why}, gates`).toEqual(
    byGateAndScanner(scanners.map(({ entries_last_15_min, ...s }) => s)),
  );
  for (const g of gates.gates) {
    const mine = scanners.filter((s) => s.location === g.location);
    expect(g.entries_last_15_min, `${why}, gate ${g.location}`).toBe(
      mine.reduce((n, s) => n + s.entries_last_15_min, 0),
    );
    expect(g.entries, `${why}, gate ${g.location}`).toBe(mine.reduce((n, s) => n + s.entries, 0));
  }
  // Busiest first, in gates and in each gate's scanners.
  const entries = gates.gates.map((g) => g.entries);
  expect(entries, why).toEqual([...entries].sort((p, q) => q - p));
}

/** Registers the entry-flow tests; `c` is the contract's store on a migrated database. */
export function entryFlow(c: ContractContext) {
  it("keeps every attendance, timeline and gate figure equal to a recomputation from the raw rows, under any arrival order, batching, replays and concurrent writers", async () => {
    for (const seed of [1, 2, 3]) {
      const e = freshEvent();
      const items = generate(seed, e, hex(random(seed + 100), 8));
      await deliver(c, items, random(seed * 7));
      // Inside the evening: some first entries fall in the last 5 and 15 minutes, some after now.
      const now = BASE + 90 * 60_000 + 12_345;
      await expectRecomputed(c, e, now, await answers(c, e, now), seed);
    }
  });

  it("counts the gates' last 5 and 15 minutes exactly at any instant: on a minute, either side of its half, at an entry's own time", async () => {
    const e = freshEvent();
    const rand = random(5);
    // Dense doors: 400 first entries over 25 minutes, some on a minute's start or its half.
    const scans = Array.from({ length: 400 }, (_, i) => {
      const minute = BASE + Math.floor(rand() * 25) * 60_000;
      const time = i % 8 === 0 ? minute + (i % 16 === 0 ? 0 : 30_000) : minute + Math.floor(rand() * 60_000);
      return scanRow({
        event_id: e,
        ticket_id: `W${i}`,
        scan_timestamp: new Date(time),
        // Names that JSON must escape: the windows' edges come back as JSON arrays of them.
        location: pick(rand, ["North", "South", null, 'Gate "B" \\ 2\n', "門 🎟"]),
        scanner_id: pick(rand, ["s1", "s2", null, 's"3\t4']),
      });
    });
    await c.store.insert(batch({ scans }));
    const t = (i: number) => scans[i]?.scan_timestamp.getTime() ?? 0;
    const minute = BASE + 20 * 60_000;
    const nows = [
      ...[0, 1, 12_345, 29_999, 30_000, 30_001, 47_500, 59_999].map((ms) => minute + ms),
      // An entry at `now` counts; one at exactly now - 5 min or now - 15 min does not.
      t(0),
      t(1) + 5 * 60_000,
      t(2) + 15 * 60_000,
      t(8) + 15 * 60_000,
      t(16) + 5 * 60_000 - 1,
    ];
    const analytics = createAnalytics(c.store);
    for (const now of nows) {
      await expectGates(
        c,
        e,
        now,
        await analytics.gates(e, new Date(now)),
        `now ${new Date(now).toISOString()}`,
      );
    }
  });

  it("stays exact with twenty writers at once on the same tickets, gates and minutes", async () => {
    const e = freshEvent();
    const rand = random(99);
    const items = generate(99, e, hex(rand, 8)).map((item) =>
      // Ten tickets, two gates: every writer contends for the same rows.
      item.kind === "scan"
        ? {
            ...item,
            row: {
              ...item.row,
              ticket_id: `T${Math.floor(rand() * 10)}`,
              location: pick(rand, ["North", "South"]),
            },
          }
        : item,
    );
    const writers = Array.from({ length: 20 }, (_, w) => items.filter((_, i) => i % 20 === w));
    await Promise.all(
      writers.map(async (mine) => {
        for (const item of mine) {
          await c.store.insert(
            item.kind === "scan" ? batch({ scans: [item.row] }) : batch({ invalidAttempts: [item.row] }),
          );
        }
      }),
    );
    const now = BASE + HOURS / 3;
    await expectRecomputed(c, e, now, await answers(c, e, now), 99);
  });

  it("answers the same records alike whatever order they arrived in", async () => {
    const seed = 11;
    const [e1, e2] = [freshEvent(), freshEvent()];
    // One seed, two events: the same records, their uuids in the same order in both.
    await deliver(c, generate(seed, e1, "0a0a0a0a"), random(1));
    await deliver(c, generate(seed, e2, "0b0b0b0b"), random(2));
    const now = BASE + HOURS / 2;
    const same = (x: Answers) =>
      JSON.parse(JSON.stringify(x).replaceAll(e1, "E").replaceAll(e2, "E"), (k, v) =>
        k === "last_updated" ? null : v,
      );
    const [first, second] = [await answers(c, e1, now), await answers(c, e2, now)];
    expect(first.attendance.admitted_count).toBeGreaterThan(0);
    expect(same(second)).toEqual(same(first));
  });

  it("moves a first entry to an older scan uploaded later: its minute, gate and scanner with it", async () => {
    const e = freshEvent();
    const analytics = createAnalytics(c.store);
    const scan = (time: string, location: string, scanner: string) =>
      scanRow({ event_id: e, ticket_id: "T1", scan_timestamp: at(time), location, scanner_id: scanner });
    await c.store.insert(batch({ scans: [scan("2026-06-01T10:05:10Z", "A", "a1")] }));
    // An offline scanner at gate B scanned the ticket four minutes earlier; it uploads now.
    await c.store.sync(batch({ scans: [scan("2026-06-01T10:01:20Z", "B", "b1")] }), report("b1", Date.now()));

    const attendance = await analytics.attendance(e);
    expect(attendance).toMatchObject({
      admitted_count: 1,
      valid_scan_count: 2,
      repeat_scan_count: 1,
      first_entry_at: at("2026-06-01T10:01:20Z"),
      last_entry_at: at("2026-06-01T10:01:20Z"),
      peak: { minute: at("2026-06-01T10:01:00Z"), entries: 1 },
    });
    const timeline = await analytics.timeline({ event_id: e, bucket: "1m" });
    const at10 = (m: number) => timeline.points[m - 1];
    expect(timeline.points).toHaveLength(5);
    expect(at10(1)).toMatchObject({ entries: 1, valid_scans: 1 });
    expect(at10(5)).toMatchObject({ entries: 0, valid_scans: 1 });
    // 10:01:20 lies in the five minutes up to 10:06; gate A's entry went with it.
    const gates = await analytics.gates(e, at("2026-06-01T10:06:00Z"));
    expect(gates.gates.map((g) => [g.location, g.entries, g.entries_last_5_min])).toEqual([
      ["B", 1, 1],
      ["A", 0, 0],
    ]);
    // A gate asking about the ticket is told where it really entered first.
    expect(await analytics.admission(e, "T1")).toEqual({
      event_id: e,
      ticket_id: "T1",
      admitted: true,
      valid_scans: 2,
      first_entry: { scan_timestamp: at("2026-06-01T10:01:20Z"), scanner_id: "b1", location: "B" },
    });
  });

  it("answers an event without records with zeros and nulls", async () => {
    const analytics = createAnalytics(c.store);
    expect(await analytics.attendance("no-such-event")).toEqual({
      event_id: "no-such-event",
      admitted_count: 0,
      valid_scan_count: 0,
      repeat_scan_count: 0,
      invalid_scan_count: 0,
      first_entry_at: null,
      last_entry_at: null,
      peak: null,
      last_updated: null,
    });
    expect(await analytics.timeline({ event_id: "no-such-event", bucket: "5m" })).toEqual({
      event_id: "no-such-event",
      bucket: "5m",
      from: null,
      to: null,
      points: [],
    });
    expect(await analytics.admission("no-such-event", "T1")).toEqual({
      event_id: "no-such-event",
      ticket_id: "T1",
      admitted: false,
      valid_scans: 0,
      first_entry: null,
    });
    expect(await analytics.gates("no-such-event")).toEqual({
      event_id: "no-such-event",
      gates: [],
      count: 0,
    });
  });
}
