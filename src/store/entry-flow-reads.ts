// The entry-flow reads (GET /stats/attendance, /stats/timeline, /stats/gates), written once
// for both dialects as queries.ts writes the others: Drizzle's builder and SQL both
// dialects read the same. The reads touch aggregate rows (an event's minutes, its gates and
// scanners) and the ends of an index, never its records: the cost follows the length of the
// event and its number of scanners, not its number of scans. The gates' "last 5/15
// minutes" are exact to the millisecond: whole minutes from gate_minutes, and entry by
// entry only the part of a minute at either end (lastMinutes): at most half a minute at
// the window's start, and at its end (now) the entries dated after now, which only a
// scanner whose clock runs ahead makes. Their cost follows how fast the doors move in a
// minute, not in the window.
import { and, desc, eq, gt, gte, inArray, lt, lte, type SQL, sql } from "drizzle-orm";
import { unkey } from "./entry-flow.js";
import { storeFailure } from "./errors.js";
import { onFirstUse, timeValue } from "./prepared.js";
import type { QueryDb, Tables } from "./queries.js";
import { isRevoked } from "./revocations.js";
import type { GateScanner, Store } from "./types.js";

type EntryFlowReads = Pick<
  Store,
  "attendance" | "admission" | "activitySpan" | "timelineBuckets" | "gateScanners"
>;

const MINUTE_MS = 60_000;
const num = (s: SQL) => s.mapWith(Number);

/**
 * One end of a "last N minutes" window: the entries of part of a minute, added or taken
 * off, between two times in ms, both included. Times are whole milliseconds on every
 * driver, so "after t" is "from t + 1" and one query shape serves every end.
 */
interface Edge {
  sign: 1 | -1;
  from: number;
  to: number;
}

/**
 * The window (now - n min, now] as gate_minutes can count it: whole minutes [from, to),
 * give or take the entries of a part of the minute at either end. The start takes the
 * smaller part of its minute (under 30 s); the end counts now's minute whole and takes off
 * its part after now, empty unless a scanner's clock runs ahead (counting its part up to
 * now instead walked the busiest half minute of a live event on every read). So at most
 * half a minute of past entries is walked one by one, whatever the window's length.
 */
function lastMinutes(now: Date, n: number): { minutes: [number, number]; start: Edge; end: Edge } {
  const to = now.getTime();
  const from = to - n * MINUTE_MS;
  const half = MINUTE_MS / 2;
  const [first, last] = [from - (from % MINUTE_MS), to - (to % MINUTE_MS)];
  // The window opens inside minute `first`: count that whole minute less its part up to
  // `from` (inclusive), or skip it and count its part after `from`.
  const [start, startEdge]: [number, Edge] =
    from - first < half
      ? [first, { sign: -1, from: first, to: from }]
      : [first + MINUTE_MS, { sign: 1, from: from + 1, to: first + MINUTE_MS - 1 }];
  // It closes inside minute `last`: count it whole less its part after `now`.
  const endEdge: Edge = { sign: -1, from: to + 1, to: last + MINUTE_MS - 1 };
  return { minutes: [start, last + MINUTE_MS], start: startEdge, end: endEdge };
}

export function entryFlowReads(db: QueryDb, t: Tables, dialect: "pg" | "sqlite"): EntryFlowReads {
  const em = t.eventMinutes;
  const gm = t.gateMinutes;
  const gs = t.gateScanners;
  const te = t.ticketEntries;
  const stats = t.analyticsStats;

  // GET /stats/attendance's queries, prepared once per store (./prepared.ts).
  const event = sql.placeholder("event_id");
  // min() and max() as subqueries of their own: each is then one step down the
  // (event_id, first_at) index on both planners (SQLite's min/max shortcut needs it alone).
  const firstEntry = (order: "min" | "max") =>
    onFirstUse(() =>
      db
        .select({ at: sql`${sql.raw(order)}(${te.first_at})`.mapWith(te.first_at) })
        .from(te)
        .where(eq(te.event_id, event))
        .prepare(`veritix_attendance_${order}_entry`),
    );
  const attendanceQueries = {
    sums: onFirstUse(() =>
      db
        .select({
          admitted: num(sql`coalesce(sum(${em.entries}), 0)`),
          valid: num(sql`coalesce(sum(${em.valid_scans}), 0)`),
          invalid: num(sql`coalesce(sum(${em.invalid_scans}), 0)`),
        })
        .from(em)
        .where(eq(em.event_id, event))
        .prepare("veritix_attendance_sums"),
    ),
    firstEntry: firstEntry("min"),
    lastEntry: firstEntry("max"),
    peak: onFirstUse(() =>
      db
        .select({ minute: em.minute, entries: em.entries })
        .from(em)
        .where(and(eq(em.event_id, event), gt(em.entries, 0)))
        .orderBy(desc(em.entries), em.minute)
        .limit(1)
        .prepare("veritix_attendance_peak"),
    ),
    updated: onFirstUse(() =>
      db
        .select({ at: sql`max(${stats.updated_at})`.mapWith(stats.updated_at) })
        .from(stats)
        .where(eq(stats.event_id, event))
        .prepare("veritix_attendance_updated"),
    ),
  };

  // GET /stats/gates's queries, prepared once per store (./prepared.ts).
  const minutes = {
    from15: sql.placeholder("w15_from"),
    to15: sql.placeholder("w15_to"),
    from5: sql.placeholder("w5_from"),
  };
  const sums = {
    w15: num(sql`sum(${gm.entries})`),
    w5: num(sql`sum(CASE WHEN ${gte(gm.minute, minutes.from5)} THEN ${gm.entries} ELSE 0 END)`),
  };
  const inWindow = and(gte(gm.minute, minutes.from15), lt(gm.minute, minutes.to15));
  // Each edge a range of the (event_id, first_at, gate, scanner) index, read from the
  // index alone; one query for the three (UNION ALL: an OR of ranges would fetch every
  // row), so a Worker's request opens no more connections for it. Each edge's gates and
  // scanners come back as two JSON arrays, counted here: grouping them in SQL cost
  // SQLite a temporary b-tree, 0.4-1 µs an entry (a busy event's two start edges: 170 µs
  // for ~170 entries against 60 so, 318 µs for ~840 against ~180). Both arrays take the
  // same rows in the same order: one aggregation pass feeds each row to every aggregate.
  const jsonArray = (column: typeof te.first_location | typeof te.first_scanner_id) =>
    dialect === "pg"
      ? sql<string | null>`json_agg(${column})::text`
      : sql<string | null>`json_group_array(${column})`;
  const edgeQuery = (i: 0 | 1 | 2) =>
    db
      .select({
        edge: num(sql.raw(String(i))),
        locations: jsonArray(te.first_location),
        scanners: jsonArray(te.first_scanner_id),
      })
      .from(te)
      .where(
        and(
          eq(te.event_id, event),
          gte(te.first_at, sql.placeholder(`from_${i}`)),
          lte(te.first_at, sql.placeholder(`to_${i}`)),
        ),
      );
  const gateQueries = {
    totals: onFirstUse(() =>
      db
        .select({
          location: gs.location,
          scanner_id: gs.scanner_id,
          entries: gs.entries,
          valid_scans: gs.valid_scans,
          invalid_scans: gs.invalid_scans,
          last_scan_at: gs.last_scan_at,
          last_sync_at: t.scannerDevices.last_sync_at,
          pending: t.scannerDevices.pending,
        })
        .from(gs)
        .leftJoin(t.scannerDevices, eq(t.scannerDevices.scanner_id, gs.scanner_id))
        .where(eq(gs.event_id, event))
        .prepare("veritix_gates_totals"),
    ),
    // The windows' whole minutes. Postgres: one range of the event's minute rows
    // (gate_minutes_event_minute_idx), hashed per gate and scanner. SQLite: a seek down
    // gate_minutes' key per scanner, each one's minutes side by side and so already in
    // its group's order (the range with its sort measured ~40% slower there).
    wholeMinutes: onFirstUse(() =>
      dialect === "pg"
        ? db
            .select({ location: gm.location, scanner_id: gm.scanner_id, ...sums })
            .from(gm)
            .where(and(eq(gm.event_id, event), inWindow))
            .groupBy(gm.location, gm.scanner_id)
            .prepare("veritix_gates_minutes")
        : db
            .select({ location: gs.location, scanner_id: gs.scanner_id, ...sums })
            .from(gs)
            .innerJoin(
              gm,
              and(
                eq(gm.event_id, gs.event_id),
                eq(gm.location, gs.location),
                eq(gm.scanner_id, gs.scanner_id),
                inWindow,
              ),
            )
            .where(eq(gs.event_id, event))
            .groupBy(gs.location, gs.scanner_id)
            .prepare("veritix_gates_minutes"),
    ),
    edges: onFirstUse(() =>
      edgeQuery(0).unionAll(edgeQuery(1)).unionAll(edgeQuery(2)).prepare("veritix_gates_edges"),
    ),
  };

  // GET /stats/timeline's span and, unfiltered (what the dashboard asks), its buckets of
  // each width, prepared once per store (./prepared.ts); the width is part of the SQL (its
  // GROUP BY expression), so a query per width, of the few BUCKETS.
  const spanQuery = onFirstUse(() =>
    db
      .select({ first: num(sql`min(${em.minute})`), last: num(sql`max(${em.minute})`) })
      .from(em)
      .where(eq(em.event_id, event))
      .prepare("veritix_timeline_span"),
  );
  /** A timeline's bucket start and sums of a minute table, `bucketMs` wide. */
  const bucketSums = (table: typeof em | typeof gm, bucketMs: number) => {
    const t0 = sql`${table.minute} - ${table.minute} % ${sql.raw(String(bucketMs))}`;
    const columns = {
      t: num(t0),
      entries: num(sql`sum(${table.entries})`),
      valid_scans: num(sql`sum(${table.valid_scans})`),
      invalid_scans: num(sql`sum(${table.invalid_scans})`),
    };
    return { t0, columns };
  };
  const eventTimelineQuery = (bucketMs: number) =>
    onFirstUse(() => {
      const { t0, columns } = bucketSums(em, bucketMs);
      return db
        .select({ ...columns, invalid_attempts: num(sql`sum(${em.invalid_attempts})`) })
        .from(em)
        .where(
          and(
            eq(em.event_id, event),
            gte(em.minute, sql.placeholder("from")),
            lt(em.minute, sql.placeholder("to")),
          ),
        )
        .groupBy(t0)
        .prepare(`veritix_timeline_${bucketMs}`);
    });
  const eventTimelines = new Map<number, ReturnType<typeof eventTimelineQuery>>();
  const eventTimeline = (bucketMs: number) => {
    let query = eventTimelines.get(bucketMs);
    if (!query) {
      query = eventTimelineQuery(bucketMs);
      eventTimelines.set(bucketMs, query);
    }
    return query();
  };

  return {
    async attendance(eventId) {
      const event_id = eventId;
      const [sums, first, last, top, updated] = await Promise.all([
        attendanceQueries.sums().execute({ event_id }),
        attendanceQueries.firstEntry().execute({ event_id }),
        attendanceQueries.lastEntry().execute({ event_id }),
        attendanceQueries.peak().execute({ event_id }),
        attendanceQueries.updated().execute({ event_id }),
      ]);
      const s = sums[0] ?? { admitted: 0, valid: 0, invalid: 0 };
      const p = top[0];
      return {
        admitted_count: s.admitted,
        valid_scan_count: s.valid,
        invalid_scan_count: s.invalid,
        first_entry_at: (first[0]?.at as Date | null) ?? null,
        last_entry_at: (last[0]?.at as Date | null) ?? null,
        peak: p ? { minute: new Date(Number(p.minute)), entries: p.entries } : null,
        last_updated: (updated[0]?.at as Date | null) ?? null,
      };
    },

    async admission(eventId, ticketId, token) {
      const where = and(eq(te.event_id, eventId), eq(te.ticket_id, ticketId));
      const columns = {
        valid_scans: te.valid_scans,
        first_at: te.first_at,
        first_location: te.first_location,
        first_scanner_id: te.first_scanner_id,
      };
      // One row by its primary key: a gate asks this before it admits someone. A scanner
      // asking: whether its token is revoked too, in the same read (a row of one whatever
      // the ticket: the entry joined to it).
      const [row] = token
        ? await db
            .select({ ...columns, revoked: isRevoked(db, t, token) })
            .from(sql`(SELECT 1) AS asked`)
            .leftJoin(te, where)
        : await db.select(columns).from(te).where(where);
      if (row && "revoked" in row && row.revoked) throw storeFailure("revoked");
      // No entry row (a left join's nulls): not admitted.
      if (!row || row.valid_scans === null || row.first_at === null) return null;
      return {
        valid_scans: row.valid_scans,
        first_at: row.first_at,
        first_location: unkey(row.first_location as string),
        first_scanner_id: unkey(row.first_scanner_id as string),
      };
    },
    async activitySpan(eventId) {
      const [row] = await spanQuery().execute({ event_id: eventId });
      // Every minute row holds a scan or an attempt: counts of scans and attempts never fall.
      return row && row.first !== null && !Number.isNaN(row.first)
        ? { first: new Date(row.first), last: new Date(row.last + MINUTE_MS) }
        : null;
    },

    async timelineBuckets(f) {
      const [from, to] = [f.from.getTime(), f.to.getTime()];
      if (f.location === undefined && f.scanner_id === undefined) {
        return eventTimeline(f.bucketMs).execute({ event_id: f.event_id, from, to });
      }
      const { t0, columns } = bucketSums(gm, f.bucketMs);
      const rows = await db
        .select(columns)
        .from(gm)
        .where(
          and(
            eq(gm.event_id, f.event_id),
            f.location === undefined ? undefined : eq(gm.location, f.location),
            f.scanner_id === undefined ? undefined : eq(gm.scanner_id, f.scanner_id),
            // A scanner alone: its gates (from gate_scanners) lead down gate_minutes' key.
            f.scanner_id === undefined || f.location !== undefined
              ? undefined
              : inArray(
                  gm.location,
                  db
                    .select({ location: gs.location })
                    .from(gs)
                    .where(and(eq(gs.event_id, f.event_id), eq(gs.scanner_id, f.scanner_id))),
                ),
            gte(gm.minute, from),
            lt(gm.minute, to),
          ),
        )
        .groupBy(t0);
      // Named fields, not a spread copy with one added (see gateScanners).
      return rows.map((r) => ({
        t: r.t,
        entries: r.entries,
        valid_scans: r.valid_scans,
        invalid_scans: r.invalid_scans,
        invalid_attempts: null,
      }));
    },

    async gateScanners(eventId, now) {
      const [w15, w5] = [lastMinutes(now, 15), lastMinutes(now, 5)];
      // The windows' partial minutes at either end, entry by entry (lastMinutes); the end
      // edge is the same for both windows.
      const edges = [
        { ...w15.start, w15: 1, w5: 0 },
        { ...w5.start, w15: 0, w5: 1 },
        { ...w15.end, w15: 1, w5: 1 },
      ] as const;
      const event_id = eventId;
      const [totals, whole, partial] = await Promise.all([
        gateQueries.totals().execute({ event_id }),
        gateQueries.wholeMinutes().execute({
          event_id,
          w15_from: w15.minutes[0],
          w15_to: w15.minutes[1],
          w5_from: w5.minutes[0],
        }),
        gateQueries.edges().execute({
          event_id,
          ...Object.fromEntries(
            edges.flatMap((e, i) => [
              [`from_${i}`, timeValue(dialect, e.from)],
              [`to_${i}`, timeValue(dialect, e.to)],
            ]),
          ),
        }),
      ]);
      // Per gate, then per scanner: a busy edge's hundreds of entries are looked up with no
      // key string made for each (concatenating gate and scanner was ~0.13 µs an entry).
      const windows = new Map<string, Map<string, { w15: number; w5: number }>>();
      const counts = (location: string, scanner: string) => {
        let gate = windows.get(location);
        if (!gate) {
          gate = new Map();
          windows.set(location, gate);
        }
        let c = gate.get(scanner);
        if (!c) {
          c = { w15: 0, w5: 0 };
          gate.set(scanner, c);
        }
        return c;
      };
      for (const r of whole) {
        const c = counts(r.location, r.scanner_id);
        c.w15 += r.w15;
        c.w5 += r.w5;
      }
      for (const { edge: i, locations, scanners } of partial) {
        const e = edges[i];
        if (!e || locations === null || scanners === null) continue;
        const [add15, add5] = [e.w15 ? e.sign : 0, e.w5 ? e.sign : 0];
        const [gates, devices] = [JSON.parse(locations) as string[], JSON.parse(scanners) as string[]];
        for (let j = 0; j < gates.length; j++) {
          const c = counts(gates[j] as string, devices[j] as string);
          c.w15 += add15;
          c.w5 += add5;
        }
      }
      // Each field named, not `{ ...row, added }`: adding to a spread copy takes V8 off its
      // fast path (~2 µs an object: 170 µs of an 80-scanner event's read, against 3 so).
      return totals.map((row): GateScanner => {
        const w = windows.get(row.location)?.get(row.scanner_id);
        return {
          location: unkey(row.location),
          scanner_id: unkey(row.scanner_id),
          entries: row.entries,
          valid_scans: row.valid_scans,
          invalid_scans: row.invalid_scans,
          last_scan_at: row.last_scan_at,
          entries_last_5_min: w?.w5 ?? 0,
          entries_last_15_min: w?.w15 ?? 0,
          last_sync_at: row.last_sync_at ?? null,
          pending: row.pending ?? null,
        };
      });
    },
  };
}
