// The store's reads and its device-health upserts, written once for both dialects. They
// use only Drizzle's query builder, whose API and SQL are the same for pg-core and
// sqlite-core; the SQLite store hands in its database and tables under the Postgres
// types (a type-level cast only), so the two stores cannot drift apart here. Where the
// dialects really differ (batch SQL, purge) each store keeps its own small part.
import {
  and,
  eq,
  exists,
  getTableColumns,
  gte,
  inArray,
  is,
  lt,
  max,
  type SQL,
  sql,
  Table,
} from "drizzle-orm";
import type { AnyPgTable, PgColumn, PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { CLOCK_TRUSTED_WITHIN_MS } from "../clock-offset.js";
import { bytewise } from "../text-order.js";
import { COUNTER_NAMES, type StatCounter } from "./counters.js";
import type * as schema from "./pg/schema.js";
import { onFirstUse } from "./prepared.js";
import type {
  DeviceHealth,
  DeviceReport,
  DeviceSync,
  EventStats,
  ListFilter,
  PageFilter,
  Store,
  StoredRecords,
} from "./types.js";

export type Tables = typeof schema;
export type QueryDb = PgDatabase<PgQueryResultHKT, Tables>;

/** An aggregate as a number: Postgres answers sums and counts of bigints as strings. */
export const num = (s: SQL) => s.mapWith(Number);
/** The aggregates' time unit: minute rows are keyed by their start in epoch ms. */
export const MINUTE_MS = 60_000;

type BuilderQueries = Pick<
  Store,
  | "eventStats"
  | "allStats"
  | "listScans"
  | "listTransfers"
  | "listInvalidAttempts"
  | "recordsPage"
  | "hasRecord"
  | "deviceHealth"
  | "ping"
>;

type Inserter = Pick<QueryDb, "insert">;

/** Events per query of a list of them (deviceHealth, allStats): bound one value each, within D1's 100. */
const EVENTS_PER_QUERY = 90;

/**
 * A list of events in parts that D1 can bind (at most 100 values a statement): a few
 * queries for a reader of many events, not one per event, nor one of every event.
 */
function inParts<T>(events: readonly string[], read: (part: string[]) => Promise<T[]>): Promise<T[]> {
  const parts: string[][] = [];
  for (let i = 0; i < events.length; i += EVENTS_PER_QUERY) parts.push(events.slice(i, i + EVENTS_PER_QUERY));
  return Promise.all(parts.map(read)).then((rows) => rows.flat());
}

/*
 * Device health is two upserts: the scanner's row, and its per-event rows. They are built
 * here, not run: each store runs them with the batch's rows, in one statement, one
 * transaction or one D1 batch, so they commit together or not at all.
 */

/**
 * A sync whose counts are numbers (counted after the batch was stored) or SQL (counted
 * by the statement that stores it, on Postgres).
 */
export type CountedSync = DeviceReport & {
  [K in "accepted" | "duplicates"]: DeviceSync[K] | SQL;
} & { events: { event_id: string; records: number | SQL }[] };

/** The scanner's row: the latest sync, and the running total of what it got accepted. */
export function deviceUpsert(db: Inserter, t: Tables, sync: CountedSync) {
  const d = t.scannerDevices;
  const row = {
    scanner_id: sync.scanner_id,
    last_sync_at: sync.received_at,
    last_sent_at: sync.sent_at,
    clock_offset_ms: sync.received_at.getTime() - sync.sent_at.getTime(),
    last_items: sync.items,
    last_accepted: sync.accepted,
    last_duplicates: sync.duplicates,
    last_rejected: sync.rejected,
    total_accepted: sync.accepted,
    pending: sync.pending,
    oldest_pending_at: sync.oldest_pending_at,
    app_version: sync.app_version,
  };
  const { scanner_id, total_accepted, last_sync_at, ...latest } = row;
  // The latest sync is the one the device sent last, whichever committed last: an uploader
  // has several batches in flight, each with the backlog left after it, and on Postgres
  // they commit in any order (a retried older batch comes later still). By the device's own
  // clock; a clock that jumped (set back an hour) shows as another offset, and is taken.
  // Batches sent in the same millisecond (an uploader fills its slots at once): the one
  // with the smaller backlog left was sent after. Offsets apart by more than an upload's
  // delay were sent across a jump of the clock, not side by side.
  const sentLast = sql`(excluded.last_sent_at > ${d.last_sent_at} OR (excluded.last_sent_at = ${d.last_sent_at} AND coalesce(excluded.pending, -1) <= coalesce(${d.pending}, -1)) OR abs(excluded.clock_offset_ms - ${d.clock_offset_ms}) > ${sql.raw(String(CLOCK_TRUSTED_WITHIN_MS))})`;
  const columns = getTableColumns(d);
  // The latest sync's values as the insert proposed them: each bound once (D1 binds at
  // most 100 values a statement, and counts may be SQL over the whole batch).
  const proposed = Object.fromEntries(
    Object.keys(latest).map((c) => [
      c,
      sql`CASE WHEN ${sentLast} THEN ${sql.raw(`excluded.${c}`)} ELSE ${columns[c as keyof typeof columns]} END`,
    ]),
  );
  return db
    .insert(d)
    .values(row)
    .onConflictDoUpdate({
      target: d.scanner_id,
      set: {
        ...proposed,
        // When it was last heard from, whichever batch that was; what it got accepted
        // counts whatever the order.
        last_sync_at: sql`CASE WHEN excluded.last_sync_at > ${d.last_sync_at} THEN excluded.last_sync_at ELSE ${d.last_sync_at} END`,
        total_accepted: sql`${d.total_accepted} + excluded.total_accepted`,
      },
    })
    .returning({ scanner_id: d.scanner_id });
}

/** The scanner's rows per event of the batch; null when the batch named no event. */
export function deviceEventsUpsert(db: Inserter, t: Tables, sync: CountedSync) {
  if (sync.events.length === 0) return null;
  const e = t.scannerEvents;
  return db
    .insert(e)
    .values(
      sync.events.map((ev) => ({
        scanner_id: sync.scanner_id,
        event_id: ev.event_id,
        last_sync_at: sync.received_at,
        records: ev.records,
      })),
    )
    .onConflictDoUpdate({
      target: [e.scanner_id, e.event_id],
      set: { last_sync_at: sync.received_at, records: sql`${e.records} + excluded.records` },
    })
    .returning({ scanner_id: e.scanner_id });
}

type RecordTable = AnyPgTable & { id: PgColumn; event_id: PgColumn };

function listWhere(table: RecordTable, time: PgColumn, f: ListFilter) {
  return and(
    eq(table.event_id, f.event_id),
    f.from ? gte(time, f.from) : undefined,
    f.to ? lt(time, f.to) : undefined,
    // Newest first by the record's own time, ties by id: the cursor is that pair.
    f.before_id === undefined
      ? undefined
      : // The cursor's record within this event only: another event's id pages nothing
        // (and says nothing of that event's records, to a reader scoped to this one).
        sql`(${time}, ${table.id}) < (SELECT ${time}, ${table.id} FROM ${table} WHERE ${table.id} = ${f.before_id} AND ${table.event_id} = ${f.event_id})`,
  );
}

/*
 * An export page: the keyset cursor as a row value, `(time, id) > (t, n)`, which both
 * planners take as the start of a range scan of the (event_id, time, id) index, so a page
 * deep in a large event costs what the first does, never an OFFSET's re-read. The order is
 * written `ASC NULLS FIRST` (the columns are NOT NULL, so it changes no result): Postgres's
 * index is (event_id, time DESC NULLS LAST, id DESC NULLS LAST), as drizzle-kit writes
 * `.desc()`, and only that order is its backward scan; a plain `ASC` (NULLS LAST) made the
 * planner sort. Plans seen on 1,000,000 scans of one event (EXPLAIN ANALYZE, Postgres 15):
 * `Limit -> Index Scan Backward using ticket_scans_event_ts_idx`, Index Cond `event_id = $1
 * AND ROW(scan_timestamp, id) > ROW($2, $3)` (and the from/to bounds), no Sort node;
 * SQLite 3.53 (EXPLAIN QUERY PLAN): `SEARCH ticket_scans USING INDEX
 * ticket_scans_event_ts_idx (event_id=? AND scan_timestamp>?)`, no temp B-tree for ORDER BY.
 */
function pageWhere(table: RecordTable, time: PgColumn, f: PageFilter) {
  return and(
    eq(table.event_id, f.event_id),
    f.from ? gte(time, f.from) : undefined,
    f.to ? lt(time, f.to) : undefined,
    // sql.param with the column: the time is bound as the column stores it (ms on SQLite).
    f.after ? sql`(${time}, ${table.id}) > (${sql.param(f.after.time, time)}, ${f.after.id})` : undefined,
  );
}

export function builderQueries(db: QueryDb, t: Tables): BuilderQueries {
  const stats = t.analyticsStats;
  // An event's stats are the sum over its (event, day) rows: the cost follows the number
  // of days, never the number of records.
  const statsColumns = {
    ...Object.fromEntries(
      COUNTER_NAMES.map((c) => [c, sql<number>`coalesce(sum(${stats[c]}), 0)`.mapWith(Number)]),
    ),
    last_updated: max(stats.updated_at),
  } as Record<StatCounter, SQL<number>> & { last_updated: SQL<Date | null> };

  /** An event's records, newest first by their own time, ties by id. */
  const listing = <T extends RecordTable>(
    table: T,
    time: PgColumn,
    f: ListFilter,
  ): Promise<T["$inferSelect"][]> =>
    db
      .select()
      .from(table as AnyPgTable)
      .where(listWhere(table, time, f))
      // NULLS LAST, as the Postgres index is built (drizzle-kit's `.desc()`): a plain DESC means
      // NULLS FIRST there, and the planner sorted every record of the event to answer a page.
      // The columns are NOT NULL, so no result changes; SQLite's DESC is NULLS LAST anyway.
      .orderBy(sql`${time} desc nulls last`, sql`${table.id} desc nulls last`)
      .limit(f.limit) as Promise<T["$inferSelect"][]>;

  const recordTables = {
    scans: [t.ticketScans, t.ticketScans.scan_timestamp],
    transfers: [t.ticketTransfers, t.ticketTransfers.transfer_timestamp],
    invalidAttempts: [t.invalidAttempts, t.invalidAttempts.attempt_timestamp],
  } satisfies Record<keyof StoredRecords, [RecordTable, PgColumn]>;

  // Every table of the schema with every column named: one statement that only a database
  // with the whole schema can even plan. Nothing is read (LIMIT 0).
  const [first, ...rest] = (Object.values(t) as unknown[]).filter((v): v is AnyPgTable => is(v, Table));
  const schemaProbe = db
    .select()
    .from(first as AnyPgTable)
    .where(and(...rest.map((table) => exists(db.select().from(table)))))
    .limit(0);

  // GET /stats?event_id, what every dashboard polls: prepared once per store (./prepared.ts).
  const eventStatsQuery = onFirstUse(() =>
    db
      .select(statsColumns)
      .from(stats)
      .where(eq(stats.event_id, sql.placeholder("event_id")))
      .prepare("veritix_event_stats"),
  );

  return {
    async ping() {
      await schemaProbe;
    },

    async eventStats(eventId) {
      const [row] = await eventStatsQuery().execute({ event_id: eventId });
      return { event_id: eventId, ...(row as Omit<EventStats, "event_id">) };
    },

    async allStats(events) {
      const of = (where?: SQL) =>
        db
          .select({ event_id: stats.event_id, ...statsColumns })
          .from(stats)
          .where(where)
          .groupBy(stats.event_id);
      const rows =
        events === undefined
          ? await of()
          : await inParts(events, (part) => of(inArray(stats.event_id, part)));
      // Sorted here, not in SQL: a Postgres database's collation need not be bytewise.
      return (rows as EventStats[]).sort((a, b) => bytewise(a.event_id, b.event_id));
    },

    listScans: (f) => listing(t.ticketScans, t.ticketScans.scan_timestamp, f),
    listTransfers: (f) => listing(t.ticketTransfers, t.ticketTransfers.transfer_timestamp, f),
    listInvalidAttempts: (f) => listing(t.invalidAttempts, t.invalidAttempts.attempt_timestamp, f),

    async hasRecord(kind, id, eventId) {
      const [table] = recordTables[kind];
      const rows = await db
        .select({ id: table.id })
        .from(table as AnyPgTable)
        .where(and(eq(table.id, id), eq(table.event_id, eventId)))
        .limit(1);
      return rows.length > 0;
    },

    recordsPage<K extends keyof StoredRecords>(kind: K, f: PageFilter) {
      const [table, time] = recordTables[kind];
      return db
        .select()
        .from(table as AnyPgTable)
        .where(pageWhere(table, time, f))
        .orderBy(sql`${time} asc nulls first`, sql`${table.id} asc nulls first`)
        .limit(f.limit) as unknown as Promise<StoredRecords[K][]>;
    },

    async deviceHealth(events) {
      const d = t.scannerDevices;
      const e = t.scannerEvents;
      const of = (where: SQL | undefined) =>
        db
          .select({ ...getTableColumns(d) })
          .from(d)
          .innerJoin(e, eq(e.scanner_id, d.scanner_id))
          .where(where);
      let rows: DeviceHealth[];
      if (events === undefined) rows = await db.select().from(d);
      else if (typeof events === "string") rows = await of(eq(e.event_id, events));
      else rows = await inParts(events, (part) => of(inArray(e.event_id, part)));
      // Most recently synced first, then by id bytewise: sorted here, not in SQL, where a
      // Postgres database's collation need not be bytewise.
      return rows.sort(
        (a, b) => b.last_sync_at.getTime() - a.last_sync_at.getTime() || bytewise(a.scanner_id, b.scanner_id),
      );
    },
  };
}
