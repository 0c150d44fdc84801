// GET /stats/gates's read, written once for both dialects as queries.ts writes the others:
// each gate's scanners with their totals (gate_scanners) and sync health, and their entries
// in the last 5 and 15 minutes. Those are exact to the millisecond: whole minutes from
// gate_minutes, and entry by entry only the part of a minute at either end (lastMinutes):
// at most half a minute at the window's start, and at its end (now) the entries dated after
// now, which only a scanner whose clock runs ahead makes. Their cost follows how fast the
// doors move in a minute, not in the window, nor the event's number of scans.
import { and, eq, gte, lt, lte, sql } from "drizzle-orm";
import { unkey } from "./entry-flow.js";
import { onFirstUse, timeValue } from "./prepared.js";
import { MINUTE_MS, num, type QueryDb, type Tables } from "./queries.js";
import type { GateScanner, Store } from "./types.js";

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

export function gateReads(db: QueryDb, t: Tables, dialect: "pg" | "sqlite"): Pick<Store, "gateScanners"> {
  const gm = t.gateMinutes;
  const gs = t.gateScanners;
  const te = t.ticketEntries;
  const event = sql.placeholder("event_id");

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
          clock_offset_ms: t.scannerDevices.clock_offset_ms,
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

  return {
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
          clock_offset_ms: row.clock_offset_ms ?? null,
        };
      });
    },
  };
}
