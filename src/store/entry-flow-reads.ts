// The entry-flow reads (GET /stats/attendance, /stats/timeline, /stats/gates), written once
// for both dialects as queries.ts writes the others: Drizzle's builder and SQL both
// dialects read the same. The reads touch aggregate rows (an event's minutes, its gates and
// scanners) and the ends of an index, never its records: the cost follows the length of the
// event and its number of scanners, not its number of scans. One exception, measured
// (bench/RESULTS.md): the gates' "last 5/15 minutes" count the first entries of those
// minutes one by one, so their cost follows how fast the doors are moving right now.
import { and, desc, eq, gt, gte, lt, lte, type SQL, sql } from "drizzle-orm";
import { NO_KEY } from "./entry-flow.js";
import type { QueryDb, Tables } from "./queries.js";
import type { Store } from "./types.js";

type EntryFlowReads = Pick<Store, "attendance" | "activitySpan" | "timelineBuckets" | "gateScanners">;

const MINUTE_MS = 60_000;
const num = (s: SQL) => s.mapWith(Number);
/** A key column as answered: '' (absent) is null. */
const unkey = (v: string): string | null => (v === NO_KEY ? null : v);

export function entryFlowReads(db: QueryDb, t: Tables): EntryFlowReads {
  const em = t.eventMinutes;
  const gm = t.gateMinutes;
  const gs = t.gateScanners;
  const te = t.ticketEntries;
  const stats = t.analyticsStats;

  return {
    async attendance(eventId) {
      // min() and max() as subqueries of their own: each is then one step down the
      // (event_id, first_at) index on both planners (SQLite's min/max shortcut needs it alone).
      const firstEntry = (order: "min" | "max") =>
        db
          .select({ at: sql`${sql.raw(order)}(${te.first_at})`.mapWith(te.first_at) })
          .from(te)
          .where(eq(te.event_id, eventId));
      const peak = db
        .select({ minute: em.minute, entries: em.entries })
        .from(em)
        .where(and(eq(em.event_id, eventId), gt(em.entries, 0)))
        .orderBy(desc(em.entries), em.minute)
        .limit(1);
      const [sums, first, last, top, updated] = await Promise.all([
        db
          .select({
            admitted: num(sql`coalesce(sum(${em.entries}), 0)`),
            valid: num(sql`coalesce(sum(${em.valid_scans}), 0)`),
            invalid: num(sql`coalesce(sum(${em.invalid_scans}), 0)`),
          })
          .from(em)
          .where(eq(em.event_id, eventId)),
        firstEntry("min"),
        firstEntry("max"),
        peak,
        db
          .select({ at: sql`max(${stats.updated_at})`.mapWith(stats.updated_at) })
          .from(stats)
          .where(eq(stats.event_id, eventId)),
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

    async activitySpan(eventId) {
      const [row] = await db
        .select({ first: num(sql`min(${em.minute})`), last: num(sql`max(${em.minute})`) })
        .from(em)
        .where(eq(em.event_id, eventId));
      // Every minute row holds a scan or an attempt: counts of scans and attempts never fall.
      return row && row.first !== null && !Number.isNaN(row.first)
        ? { first: new Date(row.first), last: new Date(row.last + MINUTE_MS) }
        : null;
    },

    async timelineBuckets(f) {
      const width = sql.raw(String(f.bucketMs));
      const range = (minute: typeof em.minute | typeof gm.minute) => [
        gte(minute, f.from.getTime()),
        lt(minute, f.to.getTime()),
      ];
      if (f.location === undefined && f.scanner_id === undefined) {
        const t0 = sql`${em.minute} - ${em.minute} % ${width}`;
        const rows = await db
          .select({
            t: num(t0),
            entries: num(sql`sum(${em.entries})`),
            valid_scans: num(sql`sum(${em.valid_scans})`),
            invalid_scans: num(sql`sum(${em.invalid_scans})`),
            invalid_attempts: num(sql`sum(${em.invalid_attempts})`),
          })
          .from(em)
          .where(and(eq(em.event_id, f.event_id), ...range(em.minute)))
          .groupBy(t0);
        return rows;
      }
      const t0 = sql`${gm.minute} - ${gm.minute} % ${width}`;
      const rows = await db
        .select({
          t: num(t0),
          entries: num(sql`sum(${gm.entries})`),
          valid_scans: num(sql`sum(${gm.valid_scans})`),
          invalid_scans: num(sql`sum(${gm.invalid_scans})`),
        })
        .from(gm)
        .where(
          and(
            eq(gm.event_id, f.event_id),
            f.location === undefined ? undefined : eq(gm.location, f.location),
            f.scanner_id === undefined ? undefined : eq(gm.scanner_id, f.scanner_id),
            ...range(gm.minute),
          ),
        )
        .groupBy(t0);
      return rows.map((r) => ({ ...r, invalid_attempts: null }));
    },

    async gateScanners(eventId, now) {
      const d = t.scannerDevices;
      const since = (minutes: number) => new Date(now.getTime() - minutes * MINUTE_MS);
      const [totals, recent] = await Promise.all([
        db
          .select({
            location: gs.location,
            scanner_id: gs.scanner_id,
            entries: gs.entries,
            valid_scans: gs.valid_scans,
            invalid_scans: gs.invalid_scans,
            last_scan_at: gs.last_scan_at,
            last_sync_at: d.last_sync_at,
            pending: d.pending,
          })
          .from(gs)
          .leftJoin(d, eq(d.scanner_id, gs.scanner_id))
          .where(eq(gs.event_id, eventId)),
        // First entries of the last 15 minutes, exact to the millisecond, per gate and scanner.
        db
          .select({
            location: te.first_location,
            scanner_id: te.first_scanner_id,
            last_5: num(
              sql`sum(CASE WHEN ${te.first_at} > ${sql.param(since(5), te.first_at)} THEN 1 ELSE 0 END)`,
            ),
            last_15: num(sql`count(*)`),
          })
          .from(te)
          .where(and(eq(te.event_id, eventId), gt(te.first_at, since(15)), lte(te.first_at, now)))
          .groupBy(te.first_location, te.first_scanner_id),
      ]);
      const key = (location: string, scanner: string) => `${location}\u0000${scanner}`;
      const windows = new Map(recent.map((r) => [key(r.location, r.scanner_id), r]));
      return totals.map((row) => {
        const w = windows.get(key(row.location, row.scanner_id));
        return {
          ...row,
          location: unkey(row.location),
          scanner_id: unkey(row.scanner_id),
          entries_last_5_min: w?.last_5 ?? 0,
          entries_last_15_min: w?.last_15 ?? 0,
          last_sync_at: row.last_sync_at ?? null,
          pending: row.pending ?? null,
        };
      });
    },
  };
}
