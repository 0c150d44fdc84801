// The SQLite store, shared by better-sqlite3 (Node) and D1 (Workers). Drivers differ only
// in how they store a batch's rows with their stats in one transaction (a statement per
// row in a local transaction, or JSON statements in one D1 batch(): ./batch-sql.ts) and
// run statements atomically; the SqliteDriver hides both.
import { type SQL, sql } from "drizzle-orm";
import type { BaseSQLiteDatabase } from "drizzle-orm/sqlite-core";
import { alertReads } from "../alert-reads.js";
import { KIND_NAMES, KINDS, type Kind } from "../columns.js";
import { type RecordFate, syncOutcome } from "../device-sync.js";
import { entryFlowReads } from "../entry-flow-reads.js";
import { gateReads } from "../gate-reads.js";
import { firstOfEachUuid, idMap, outcomes } from "../outcomes.js";
import {
  builderQueries,
  type CountedSync,
  deviceEventsUpsert,
  deviceUpsert,
  type QueryDb,
  type Tables,
} from "../queries.js";
import { revocationUpsert, syncGuard } from "../revocations.js";
import { transferReads } from "../transfer-reads.js";
import type { BatchOutcome, DeviceReport, RecordBatch, Store } from "../types.js";
import { type EncodedRow, encodeRow, eventOf, jsonBatchStatements, notStoredYet } from "./batch-sql.js";
import * as schema from "./schema.js";

export type SqliteDb = BaseSQLiteDatabase<"sync" | "async", unknown, typeof schema>;
type IdRow = { id: number; uuid: string };

/** Rows of one kind to store, encoded (uuid first); a uuid may repeat (a duplicate). */
export interface KindRows {
  kind: Kind;
  rows: EncodedRow[];
}

/**
 * What became of a kind's rows, in their order: the id of a row stored now, or the id of
 * the row stored before under its uuid, negated (a duplicate). Plain numbers: they cross
 * the writer thread's boundary far cheaper than an object per row.
 */
export interface StoredRows {
  ids: number[];
}

export interface SqliteDriver {
  readonly dialect: "sqlite" | "d1";
  readonly db: SqliteDb;
  /**
   * Stores every kind's rows and their stats in one transaction; a uuid already stored
   * (or earlier in the call) is left as it is, uncounted. With `device`, also records
   * the scanner's health, counted from what was stored.
   */
  storeRows(kinds: KindRows[], device?: DeviceReport): Promise<StoredRows[]>;
  /** Runs the statements in one transaction and returns each one's rows. */
  atomic(statements: SQL[]): Promise<IdRow[][]>;
  close(): Promise<void>;
}

/**
 * storeRows as JSON statements run by `atomic` (D1: one batch, one bound value per
 * statement); `first` run before them in the same batch (the revocation guard).
 */
export async function storeRowsAsJson(
  atomic: SqliteDriver["atomic"],
  kinds: KindRows[],
  first: SQL[] = [],
): Promise<StoredRows[]> {
  if (kinds.length === 0) {
    if (first.length > 0) await atomic(first);
    return [];
  }
  // One receive time for the batch, as Postgres's now() is one per transaction.
  const receivedAt = Date.now();
  // Per kind: the uuids stored before, its counts, then its insert.
  const plan = kinds.map(({ kind, rows }) =>
    // The JSON statements see the rows as a set: each uuid once.
    jsonBatchStatements(
      kind,
      firstOfEachUuid(rows, (r) => r[0] as string),
      receivedAt,
    ),
  );
  const results = (
    await atomic([...first, ...plan.flatMap((q) => [q.existing, ...q.counts, q.insert])])
  ).slice(first.length);
  let at = 0;
  return kinds.map(({ rows }, i) => {
    const existing = idMap(results[at] ?? []);
    at += 1 + (plan[i]?.counts.length ?? 0);
    const inserted = idMap(results[at] ?? []);
    at += 1;
    return {
      ids: outcomes(
        rows.map((r) => ({ uuid: r[0] as string })),
        inserted,
        existing,
      ).map((o) => (o.duplicate ? -o.id : o.id)),
    };
  });
}

/** Each row's event and whether this call stored it. */
export function* fatesOfStored(kinds: KindRows[], stored: StoredRows[]): Generator<RecordFate> {
  for (const [i, { kind, rows }] of kinds.entries()) {
    const ids = stored[i]?.ids ?? [];
    for (const [j, row] of rows.entries()) yield { event_id: eventOf(kind, row), fresh: (ids[j] ?? 0) > 0 };
  }
}

/** Events per upsert of a scanner's per-event rows: 4 bound values each, within D1's 100. */
const EVENTS_PER_STATEMENT = 20;

/** The scanner's device-health upserts, to run in one transaction (or D1 batch). */
export function deviceStatements(db: SqliteDb, sync: CountedSync): SQL[] {
  const q = db as unknown as QueryDb;
  const t = schema as unknown as Tables;
  const statements = [deviceUpsert(q, t, sync).getSQL()];
  for (let i = 0; i < sync.events.length; i += EVENTS_PER_STATEMENT) {
    const part = { ...sync, events: sync.events.slice(i, i + EVENTS_PER_STATEMENT) };
    statements.push(
      (deviceEventsUpsert(q, t, part) as NonNullable<ReturnType<typeof deviceEventsUpsert>>).getSQL(),
    );
  }
  return statements;
}

const encode = (batch: RecordBatch): KindRows[] =>
  KIND_NAMES.filter((k) => batch[k].length > 0).map((kind) => ({
    kind,
    rows: batch[kind].map((row) => encodeRow(kind, row)),
  }));

/** The revocation guard of a sync sent with a signed scanner token (../revocations.ts); none otherwise. */
export const guardOf = (db: SqliteDb, device: DeviceReport | undefined): SQL[] =>
  syncGuard(db as unknown as QueryDb, schema as unknown as Tables, device);

/**
 * A sync's device health counted by SQL that runs in the rows' own D1 batch, before their
 * inserts (a batch is fixed before it runs, so it cannot be handed what they stored): what
 * is not stored yet then is what they store. Counted as deviceSync counts: a uuid repeated
 * in the batch is a duplicate after its first, and an event named only by duplicates still
 * lists the scanner.
 */
function countedBeforeInsert(device: DeviceReport, kinds: KindRows[]): CountedSync {
  const all: [number, string][] = [];
  const byEvent = new Map<string, [number, string][]>();
  let items = 0;
  for (const { kind, rows } of kinds) {
    const k = KIND_NAMES.indexOf(kind);
    const seen = new Set<string>();
    for (const row of rows) {
      items++;
      const event = eventOf(kind, row);
      let ofEvent: [number, string][] | undefined;
      if (event !== null) {
        ofEvent = byEvent.get(event) ?? [];
        byEvent.set(event, ofEvent);
      }
      const uuid = row[0] as string;
      if (seen.has(uuid)) continue;
      seen.add(uuid);
      all.push([k, uuid]);
      ofEvent?.push([k, uuid]);
    }
  }
  return {
    ...device,
    accepted: notStoredYet(all),
    duplicates: sql`${items} - ${notStoredYet(all)}`,
    events: [...byEvent].map(([event_id, records]) => ({ event_id, records: notStoredYet(records) })),
  };
}

/**
 * D1's storeRows: the revocation guard, the scanner's health and the rows in one batch
 * (one transaction: D1 has no interactive ones), so a revoked token's sync writes
 * nothing, and the health commits with the rows or not at all.
 */
export async function storeRowsWithDevice(
  driver: Pick<SqliteDriver, "atomic" | "db">,
  kinds: KindRows[],
  device?: DeviceReport,
): Promise<StoredRows[]> {
  const guard = guardOf(driver.db, device);
  const health = device ? deviceStatements(driver.db, countedBeforeInsert(device, kinds)) : [];
  return storeRowsAsJson(driver.atomic, kinds, [...guard, ...health]);
}

export function sqliteStore(driver: SqliteDriver): Store {
  const { db } = driver;
  const store = async (batch: RecordBatch, device?: DeviceReport): Promise<BatchOutcome> => {
    const kinds = encode(batch);
    const stored = await driver.storeRows(kinds, device);
    const out: BatchOutcome = { scans: [], transfers: [], invalidAttempts: [] };
    kinds.forEach(({ kind }, i) => {
      const ids = stored[i]?.ids ?? [];
      out[kind] = batch[kind].map(({ uuid }, j) => {
        const id = ids[j];
        if (id === undefined) throw new Error(`store lost track of record ${uuid}`);
        return { id: Math.abs(id), uuid, duplicate: id < 0 };
      });
    });
    return out;
  };
  return {
    dialect: driver.dialect,
    insert: (batch) => store(batch),
    sync: async (batch, device) => syncOutcome(await store(batch, device)),

    ...builderQueries(db as unknown as QueryDb, schema as unknown as Tables),
    ...entryFlowReads(db as unknown as QueryDb, schema as unknown as Tables),
    ...gateReads(db as unknown as QueryDb, schema as unknown as Tables, "sqlite"),
    ...transferReads(db as unknown as QueryDb, schema as unknown as Tables),
    ...alertReads(db as unknown as QueryDb, schema as unknown as Tables, "sqlite"),

    async revokeScanner(scannerId, at) {
      const upsert = revocationUpsert(db as unknown as QueryDb, schema as unknown as Tables, scannerId, at);
      const [rows] = await driver.atomic([upsert.getSQL()]);
      // The writer's rows are raw: the time as SQLite stores it (epoch ms).
      const revokedAt = (rows?.[0] as { revoked_at?: number } | undefined)?.revoked_at;
      return revokedAt === undefined ? at : new Date(revokedAt);
    },

    async purgeBefore(cutoff, chunk) {
      // A chunk of each kind, oldest first by the record's own time, in one transaction
      // (one D1 batch); three bound values per statement whatever the chunk.
      const statements = KIND_NAMES.map((kind) => {
        const table = sql.identifier(KINDS[kind].table);
        const time = sql.identifier(KINDS[kind].time);
        return sql`DELETE FROM ${table} WHERE id IN (SELECT id FROM ${table} WHERE ${time} < ${cutoff.time.getTime()} AND received_at < ${cutoff.received.getTime()} ORDER BY ${time} LIMIT ${chunk}) RETURNING id`;
      });
      const results = await driver.atomic(statements);
      return results.reduce((n, rows) => n + rows.length, 0);
    },

    close: () => driver.close(),
  };
}
