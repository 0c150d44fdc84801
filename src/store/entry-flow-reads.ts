// The entry-flow reads (GET /stats/attendance, /stats/timeline, GET /admissions), written
// once for both dialects as queries.ts writes the others: Drizzle's builder and SQL both
// dialects read the same. The reads touch aggregate rows (an event's minutes) and the ends
// of an index, never its records: the cost follows the length of the event, not its number
// of scans. GET /stats/gates's read is ./gate-reads.ts.
import { and, desc, eq, gt, gte, inArray, lt, sql } from "drizzle-orm";
import { unkey } from "./entry-flow.js";
import { storeFailure } from "./errors.js";
import { onFirstUse } from "./prepared.js";
import { MINUTE_MS, num, type QueryDb, type Tables } from "./queries.js";
import { isRevoked } from "./revocations.js";
import type { Store } from "./types.js";

type EntryFlowReads = Pick<Store, "attendance" | "admission" | "activitySpan" | "timelineBuckets">;

export function entryFlowReads(db: QueryDb, t: Tables): EntryFlowReads {
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
  };
}
