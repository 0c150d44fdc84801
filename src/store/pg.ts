// The Postgres store, shared by node-postgres (Node) and Neon serverless (Workers): both
// reach it as a Drizzle pg database.
import { and, desc, eq, getTableColumns, gte, lt, max, type SQL, sql } from "drizzle-orm";
import {
  type AnyPgTable,
  type PgColumn,
  type PgDatabase,
  PgDialect,
  type PgQueryResultHKT,
} from "drizzle-orm/pg-core";
import * as schema from "../db/pg.js";
import { firstOfEachUuid, idMap, outcomes } from "./batch.js";
import { KIND_NAMES, KINDS, type Kind, STAT_COUNTERS } from "./kinds.js";
import { batchStatement, idsOf } from "./pg-sql.js";
import type { BatchOutcome, EventStats, ListFilter, RecordBatch, Store } from "./types.js";

export type PgDb = PgDatabase<PgQueryResultHKT, typeof schema>;
type Executor = Pick<PgDb, "execute">;
type IdRow = { id: string | number; uuid: string; duplicate?: boolean };

const { analyticsStats: stats } = schema;
const dialect = new PgDialect();

const statsColumns = {
  ...Object.fromEntries(
    STAT_COUNTERS.map((c) => [c, sql<number>`coalesce(sum(${stats[c]}), 0)`.mapWith(Number)]),
  ),
  last_updated: max(stats.updated_at),
} as Record<(typeof STAT_COUNTERS)[number], SQL<number>> & { last_updated: SQL<Date | null> };

async function rowsOf(db: Executor, query: SQL): Promise<IdRow[]> {
  const result = (await db.execute(query)) as unknown as { rows: IdRow[] };
  return result.rows;
}

interface PreparingSession {
  prepareQuery(
    query: { sql: string; params: unknown[] },
    fields: undefined,
    name: string,
    arrayMode: false,
  ): { execute(): Promise<unknown> };
}

/**
 * Runs the batch statement as a named prepared statement: Postgres plans it once per
 * connection instead of on every call, which was half of its cost. Drizzle exposes named
 * statements only on its query builders, so this goes through its session directly (both
 * node-postgres and neon-serverless sessions take a name).
 */
async function runBatch(db: Executor, kind: Kind, rows: readonly object[]): Promise<IdRow[]> {
  const { session } = (db as unknown as { _: { session: PreparingSession } })._;
  const query = dialect.sqlToQuery(batchStatement(kind, rows));
  const prepared = session.prepareQuery(query, undefined, `veritix_batch_${kind}`, false);
  return ((await prepared.execute()) as { rows: IdRow[] }).rows;
}

async function insertKind(db: Executor, kind: Kind, rows: RecordBatch[Kind]) {
  const unique = firstOfEachUuid<{ uuid: string }>(rows);
  const result = await runBatch(db, kind, unique);
  const inserted = idMap(result.filter((r) => !r.duplicate));
  const existing = idMap(result.filter((r) => r.duplicate));
  const unseen = unique.filter((r) => !inserted.has(r.uuid) && !existing.has(r.uuid)).map((r) => r.uuid);
  if (unseen.length) for (const [k, v] of idMap(await rowsOf(db, idsOf(kind, unseen)))) existing.set(k, v);
  return outcomes(rows, inserted, existing);
}

function isDeadlock(err: unknown): boolean {
  const code = (e: unknown) => (e as { code?: string } | null)?.code;
  return code(err) === "40P01" || code((err as { cause?: unknown } | null)?.cause) === "40P01";
}

function listWhere(table: AnyPgTable & { id: PgColumn; event_id: PgColumn }, time: PgColumn, f: ListFilter) {
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

/**
 * Retention in one statement (atomic, one round trip): at most `chunk` rows of each kind
 * whose own time is before the cutoff, oldest first; answers how many it deleted.
 */
function purgeStatement(cutoff: Date, chunk: number): SQL {
  const parts = KIND_NAMES.map((kind) => {
    const table = sql.identifier(KINDS[kind].table);
    const time = sql.identifier(KINDS[kind].time);
    return sql`${sql.identifier(`gone_${kind}`)} AS (DELETE FROM ${table} WHERE id IN (SELECT id FROM ${table} WHERE ${time} < ${cutoff.toISOString()}::timestamptz ORDER BY ${time} LIMIT ${chunk}) RETURNING 1)`;
  });
  const total = KIND_NAMES.map((kind) => `(SELECT count(*) FROM "gone_${kind}")`).join(" + ");
  return sql`WITH ${sql.join(parts, sql`, `)} SELECT (${sql.raw(total)})::int AS deleted`;
}

export function pgStore(db: PgDb, close: () => Promise<void>): Store {
  return {
    dialect: "postgres",

    async insert(batch: RecordBatch): Promise<BatchOutcome> {
      const kinds = KIND_NAMES.filter((k) => batch[k].length > 0);
      const out: BatchOutcome = { scans: [], transfers: [], invalidAttempts: [] };
      // One kind is one statement, atomic on its own: no transaction round trips.
      if (kinds.length === 1) {
        const kind = kinds[0] as Kind;
        out[kind] = await insertKind(db, kind, batch[kind]);
        return out;
      }
      if (kinds.length === 0) return out;
      // Kinds lock in a fixed order, but two batches can still take stats rows of different
      // days in opposite orders; Postgres then aborts one, and it simply runs again.
      for (let attempt = 1; ; attempt++) {
        try {
          await db.transaction(async (tx) => {
            for (const kind of kinds) out[kind] = await insertKind(tx, kind, batch[kind]);
          });
          return out;
        } catch (err) {
          if (attempt >= 5 || !isDeadlock(err)) throw err;
        }
      }
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
        .limit(f.limit);
    },

    async listTransfers(f) {
      const t = schema.ticketTransfers;
      return db
        .select()
        .from(t)
        .where(listWhere(t, t.transfer_timestamp, f))
        .orderBy(desc(t.transfer_timestamp), desc(t.id))
        .limit(f.limit);
    },

    async listInvalidAttempts(f) {
      const t = schema.invalidAttempts;
      return db
        .select()
        .from(t)
        .where(listWhere(t, t.attempt_timestamp, f))
        .orderBy(desc(t.attempt_timestamp), desc(t.id))
        .limit(f.limit);
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
      const result = (await db.execute(purgeStatement(cutoff, chunk))) as unknown as {
        rows: { deleted: number }[];
      };
      return Number(result.rows[0]?.deleted ?? 0);
    },

    async ping() {
      await db.execute(sql`SELECT 1`);
    },

    close,
  };
}
