// The Postgres store, shared by node-postgres (Node) and Neon serverless (Workers): both
// reach it as a Drizzle pg database.
import { type SQL, sql } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { alertReads } from "../alert-reads.js";
import { KIND_NAMES, KINDS, type Kind } from "../columns.js";
import { deviceSync, fatesOf, nothingStored, syncOutcome } from "../device-sync.js";
import { entryFlowReads } from "../entry-flow-reads.js";
import { gateReads } from "../gate-reads.js";
import { firstOfEachUuid, idMap, outcomes } from "../outcomes.js";
import {
  builderQueries,
  type CountedSync,
  deviceEventsUpsert,
  deviceUpsert,
  type QueryDb,
} from "../queries.js";
import { revocationUpsert, syncGuard } from "../revocations.js";
import { transferReads } from "../transfer-reads.js";
import type { BatchOutcome, PurgeCutoff, RecordBatch, Store } from "../types.js";
import { batchStatement, eventsOf, idsOf, storedCount, syncStatement } from "./batch-sql.js";
import { isDeadlock } from "./errors.js";
import type { Transact } from "./pool-transaction.js";
import * as schema from "./schema.js";

/** A Drizzle pg database on the project's tables, whichever driver is under it. */
export type PgDb = QueryDb;
type Executor = Pick<PgDb, "execute">;
type IdRow = { id: string | number; uuid: string; duplicate?: boolean };

const dialect = new PgDialect();

async function rowsOf(db: Executor, query: SQL): Promise<IdRow[]> {
  const result = (await db.execute(query)) as unknown as { rows: IdRow[] };
  return result.rows;
}

interface PreparingSession {
  prepareQuery(
    query: { sql: string; params: unknown[] },
    fields: undefined,
    // Undefined: an unnamed statement (parsed and planned on each call).
    name: string | undefined,
    arrayMode: false,
  ): { execute(): Promise<unknown> };
}

// A name per statement text: a connection prepares each name once, and a name must
// always stand for the same text. The texts are few (a kind's batch, alone or with the
// device upserts of one or a few events); past the bound a statement runs unnamed.
const names = new Map<string, string>();
const nameOf = (text: string): string | undefined => {
  const known = names.get(text);
  if (known || names.size >= 64) return known;
  const name = `veritix_batch_${names.size}`;
  names.set(text, name);
  return name;
};

/**
 * Runs the batch statement as a named prepared statement: Postgres plans it once per
 * connection instead of on every call, which was half of its cost. Drizzle exposes named
 * statements only on its query builders, so this goes through its session directly (both
 * node-postgres and neon-serverless sessions take a name).
 */
async function runNamed<T>(db: Executor, statement: SQL): Promise<T[]> {
  const { session } = (db as unknown as { _: { session: PreparingSession } })._;
  const query = dialect.sqlToQuery(statement);
  const prepared = session.prepareQuery(query, undefined, nameOf(query.sql), false);
  return ((await prepared.execute()) as { rows: T[] }).rows;
}

/**
 * A kind's rows stored by one statement; `events`: those it locks before it writes (see
 * batchStatement); `also`: more CTEs it runs (the revocation guard).
 */
async function insertKind(
  db: Executor,
  kind: Kind,
  rows: RecordBatch[Kind],
  events: readonly string[],
  also: SQL[] = [],
) {
  const unique = firstOfEachUuid<{ uuid: string }>(rows);
  const result = await runNamed<IdRow>(db, batchStatement(kind, unique, events, also));
  const inserted = idMap(result.filter((r) => !r.duplicate));
  const existing = idMap(result.filter((r) => r.duplicate));
  const unseen = unique.filter((r) => !inserted.has(r.uuid) && !existing.has(r.uuid)).map((r) => r.uuid);
  if (unseen.length) for (const [k, v] of idMap(await rowsOf(db, idsOf(kind, unseen)))) existing.set(k, v);
  return outcomes(rows, inserted, existing);
}

/**
 * Runs `attempt` again when Postgres aborted it to break a deadlock: it ran in one statement
 * or one transaction, so nothing of it stayed. Writers of one event no longer deadlock
 * (each transaction takes its events' locks first, ./batch-sql.ts); rows outside an
 * event's (a scanner's device and revocation rows, locked by two syncs of one scanner at
 * once) still can.
 */
async function retryingDeadlocks<T>(attempt: () => Promise<T>): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (err) {
      if (n >= 5 || !isDeadlock(err)) throw err;
    }
  }
}

function purgeStatement(cutoff: PurgeCutoff, chunk: number): SQL {
  const parts = KIND_NAMES.map((kind) => {
    const table = sql.identifier(KINDS[kind].table);
    const time = sql.identifier(KINDS[kind].time);
    return sql`${sql.identifier(`gone_${kind}`)} AS (DELETE FROM ${table} WHERE id IN (SELECT id FROM ${table} WHERE ${time} < ${cutoff.time.toISOString()}::timestamptz AND received_at < ${cutoff.received.toISOString()}::timestamptz ORDER BY ${time} LIMIT ${chunk}) RETURNING 1)`;
  });
  const total = KIND_NAMES.map((kind) => `(SELECT count(*) FROM "gone_${kind}")`).join(" + ");
  return sql`WITH ${sql.join(parts, sql`, `)} SELECT (${sql.raw(total)})::int AS deleted`;
}

/**
 * The store on `db`; `transact` runs a transaction (Drizzle's by default; on node-postgres
 * one that always gives its client back: ./pool-transaction.ts).
 */
export function pgStore(
  db: PgDb,
  close: () => Promise<void>,
  transact: Transact = (fn) => db.transaction(fn),
): Store {
  /**
   * Stores the batch; `first`: more CTEs of its first statement (the revocation guard);
   * `last`: more writes of the same transaction, given what it stored (a sync's device
   * health, which then commits with the records or not at all).
   */
  async function insertBatch(
    batch: RecordBatch,
    first: SQL[] = [],
    last?: (tx: PgDb, out: BatchOutcome) => Promise<unknown>,
  ): Promise<BatchOutcome> {
    const kinds = KIND_NAMES.filter((k) => batch[k].length > 0);
    const out: BatchOutcome = { scans: [], transfers: [], invalidAttempts: [] };
    const events = eventsOf(kinds.map((k) => batch[k]));
    // One kind is one statement, atomic on its own: no transaction round trips.
    if (kinds.length === 1 && !last) {
      const kind = kinds[0] as Kind;
      out[kind] = await retryingDeadlocks(() => insertKind(db, kind, batch[kind], events, first));
      return out;
    }
    if (kinds.length === 0 && !last) return out;
    // The first statement takes the whole transaction's locks, in one order; the others
    // hold them already.
    await retryingDeadlocks(() =>
      transact(async (tx) => {
        for (const [i, kind] of kinds.entries()) {
          out[kind] = await insertKind(tx, kind, batch[kind], i === 0 ? events : [], i === 0 ? first : []);
        }
        await last?.(tx, out);
      }),
    );
    return out;
  }

  const store: Store = {
    dialect: "postgres",

    insert: (batch) => insertBatch(batch),

    ...builderQueries(db, schema),
    ...entryFlowReads(db, schema),
    ...gateReads(db, schema, "pg"),
    ...transferReads(db, schema),
    ...alertReads(db, schema, "pg"),

    async revokeScanner(scannerId, at) {
      const [row] = await revocationUpsert(db, schema, scannerId, at);
      return row?.revoked_at ?? at;
    },

    async sync(batch, report) {
      const kinds = KIND_NAMES.filter((k) => batch[k].length > 0);
      // A signed token's sync: the statement that stores it fails whole if it is revoked.
      const guard = syncGuard(db, schema, report);
      if (kinds.length <= 1) {
        // One kind (nearly every sync), or none (every item rejected): the device upserts
        // are CTEs of the batch statement, counting what its insert stored. One round
        // trip, one commit.
        const kind = kinds[0] ?? "scans";
        const rows = batch[kind] as { event_id: string | null }[];
        const events = eventsOf([rows]);
        const counted: CountedSync = {
          ...report,
          accepted: storedCount(),
          duplicates: sql`${rows.length}::int - ${storedCount()}`,
          events: events.map((event_id) => ({ event_id, records: storedCount(event_id) })),
        };
        const perEvent = deviceEventsUpsert(db, schema, counted);
        const also = [
          ...guard,
          deviceUpsert(db, schema, counted).getSQL(),
          ...(perEvent ? [perEvent.getSQL()] : []),
        ];
        const unique = firstOfEachUuid<{ uuid: string }>(batch[kind]);
        const [row] = await retryingDeadlocks(() =>
          runNamed<{ stored: number }>(db, syncStatement(kind, unique, events, also)),
        );
        const stored = row?.stored ?? 0;
        const out = nothingStored();
        out[kind] = { stored, duplicates: rows.length - stored };
        return out;
      }
      // The device's health in the records' transaction, so that its totals count every
      // record stored, once, even if the connection drops between the two. One statement:
      // the device's row as a CTE of the events' upsert (Postgres runs a data-modifying
      // CTE whether or not it is read).
      const out = await insertBatch(batch, guard, async (q, stored) => {
        const sync = deviceSync(report, fatesOf(batch, stored));
        const device = q.$with("device").as(deviceUpsert(q, schema, sync));
        await (deviceEventsUpsert(q.with(device), schema, sync) ?? q.with(device).select().from(device));
      });
      return syncOutcome(out);
    },

    async purgeBefore(cutoff, chunk) {
      const result = (await db.execute(purgeStatement(cutoff, chunk))) as unknown as {
        rows: { deleted: number }[];
      };
      return Number(result.rows[0]?.deleted ?? 0);
    },

    close,
  };
  return store;
}
