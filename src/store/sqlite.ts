// The SQLite store, shared by better-sqlite3 (Node) and D1 (Workers). Drivers differ only
// in how they run statements atomically (a local transaction vs D1's batch()), which the
// SqliteDriver hides.
import { and, desc, eq, getTableColumns, gte, lt, max, type SQL, sql } from "drizzle-orm";
import type { AnySQLiteTable, BaseSQLiteDatabase, SQLiteColumn } from "drizzle-orm/sqlite-core";
import * as schema from "../db/sqlite.js";
import { firstOfEachUuid, idMap, outcomes } from "./batch.js";
import { KIND_NAMES, KINDS, STAT_COUNTERS } from "./kinds.js";
import { batchStatements, encodeRows } from "./sqlite-sql.js";
import type { BatchOutcome, EventStats, ListFilter, RecordBatch, Store } from "./types.js";

export type SqliteDb = BaseSQLiteDatabase<"sync" | "async", unknown, typeof schema>;
type IdRow = { id: number; uuid: string };

export interface SqliteDriver {
  readonly dialect: "sqlite" | "d1";
  readonly db: SqliteDb;
  /** Runs the statements in one transaction and returns each one's rows. */
  atomic(statements: SQL[]): Promise<IdRow[][]>;
  close(): Promise<void>;
}

const { analyticsStats: stats } = schema;

const statsColumns = {
  ...Object.fromEntries(
    STAT_COUNTERS.map((c) => [c, sql<number>`coalesce(sum(${stats[c]}), 0)`.mapWith(Number)]),
  ),
  last_updated: max(stats.updated_at),
} as Record<(typeof STAT_COUNTERS)[number], SQL<number>> & { last_updated: SQL<Date | null> };

function listWhere(
  table: AnySQLiteTable & { id: SQLiteColumn; event_id: SQLiteColumn },
  time: SQLiteColumn,
  f: ListFilter,
): SQL | undefined {
  return and(
    eq(table.event_id, f.event_id),
    f.from ? gte(time, f.from) : undefined,
    f.to ? lt(time, f.to) : undefined,
    // Newest first by the record's own time, ties by id: the cursor is that pair.
    f.before_id === undefined
      ? undefined
      : sql`(${time}, ${table.id}) < (SELECT ${time}, ${table.id} FROM ${table} WHERE ${table.id} = ${f.before_id})`,
  );
}

export function sqliteStore(driver: SqliteDriver): Store {
  const { db } = driver;
  return {
    dialect: driver.dialect,

    async insert(batch: RecordBatch): Promise<BatchOutcome> {
      const statements: SQL[] = [];
      const kinds = KIND_NAMES.filter((k) => batch[k].length > 0);
      for (const kind of kinds) {
        const q = batchStatements(kind, encodeRows(kind, firstOfEachUuid<{ uuid: string }>(batch[kind])));
        statements.push(q.existing, q.stats, q.insert);
      }
      const results = statements.length ? await driver.atomic(statements) : [];
      const out: BatchOutcome = { scans: [], transfers: [], invalidAttempts: [] };
      kinds.forEach((kind, i) => {
        const existing = idMap(results[i * 3] ?? []);
        const inserted = idMap(results[i * 3 + 2] ?? []);
        out[kind] = outcomes(batch[kind], inserted, existing);
      });
      return out;
    },

    async eventStats(eventId) {
      const [row] = await db.select(statsColumns).from(stats).where(eq(stats.event_id, eventId));
      return { event_id: eventId, ...(row as Omit<EventStats, "event_id">) };
    },

    async allStats() {
      const rows = await db
        .select({ event_id: stats.event_id, ...statsColumns })
        .from(stats)
        .groupBy(stats.event_id)
        .orderBy(stats.event_id);
      return rows as EventStats[];
    },

    async listScans(f) {
      const t = schema.ticketScans;
      return db
        .select()
        .from(t)
        .where(listWhere(t, t.scan_timestamp, f))
        .orderBy(desc(t.scan_timestamp), desc(t.id))
        .limit(f.limit) as never;
    },

    async listTransfers(f) {
      const t = schema.ticketTransfers;
      return db
        .select()
        .from(t)
        .where(listWhere(t, t.transfer_timestamp, f))
        .orderBy(desc(t.transfer_timestamp), desc(t.id))
        .limit(f.limit) as never;
    },

    async listInvalidAttempts(f) {
      const t = schema.invalidAttempts;
      return db
        .select()
        .from(t)
        .where(listWhere(t, t.attempt_timestamp, f))
        .orderBy(desc(t.attempt_timestamp), desc(t.id))
        .limit(f.limit) as never;
    },

    async recordDeviceSync(sync) {
      const d = schema.scannerDevices;
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
      const { scanner_id, total_accepted, ...latest } = row;
      await db
        .insert(d)
        .values(row)
        .onConflictDoUpdate({
          target: d.scanner_id,
          set: { ...latest, total_accepted: sql`${d.total_accepted} + ${sync.accepted}` },
        });
      if (sync.events.length === 0) return;
      const e = schema.scannerEvents;
      await db
        .insert(e)
        .values(
          sync.events.map((ev) => ({
            scanner_id,
            event_id: ev.event_id,
            last_sync_at: sync.received_at,
            records: ev.records,
          })),
        )
        .onConflictDoUpdate({
          target: [e.scanner_id, e.event_id],
          set: { last_sync_at: sync.received_at, records: sql`${e.records} + excluded.records` },
        });
    },

    async deviceHealth(eventId) {
      const d = schema.scannerDevices;
      const e = schema.scannerEvents;
      if (eventId === undefined) return db.select().from(d).orderBy(desc(d.last_sync_at), d.scanner_id);
      return db
        .select({ ...getTableColumns(d) })
        .from(d)
        .innerJoin(e, eq(e.scanner_id, d.scanner_id))
        .where(eq(e.event_id, eventId))
        .orderBy(desc(d.last_sync_at), d.scanner_id);
    },

    async purgeBefore(cutoff, chunk) {
      // A chunk of each kind, oldest first by the record's own time, in one transaction
      // (one D1 batch); two bound values per statement whatever the chunk.
      const statements = KIND_NAMES.map((kind) => {
        const table = sql.identifier(KINDS[kind].table);
        const time = sql.identifier(KINDS[kind].time);
        return sql`DELETE FROM ${table} WHERE id IN (SELECT id FROM ${table} WHERE ${time} < ${cutoff.getTime()} ORDER BY ${time} LIMIT ${chunk}) RETURNING id`;
      });
      const results = await driver.atomic(statements);
      return results.reduce((n, rows) => n + rows.length, 0);
    },

    async ping() {
      await db.all(sql`SELECT 1`);
    },

    close: () => driver.close(),
  };
}
