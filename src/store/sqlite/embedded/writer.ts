// Every write of the better-sqlite3 store, as synchronous calls on one connection: storing
// a batch's rows with their stats, and running statements in one transaction. The store
// runs it in process, or on a thread of its own (./thread-entry.ts).
import type Database from "better-sqlite3";
import type { SQL } from "drizzle-orm";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { SQLiteSyncDialect } from "drizzle-orm/sqlite-core";
import type { Kind } from "../../columns.js";
import { deviceSync } from "../../device-sync.js";
import type { Settled } from "../../group-commit.js";
import type { DeviceReport } from "../../types.js";
import { countStored, type EncodedRow, idOfUuidSql, insertRowSql, statsUpsertSql } from "../batch-sql.js";
import * as schema from "../schema.js";
import {
  deviceStatements,
  fatesOfStored,
  guardOf,
  type KindRows,
  type SqliteDb,
  type StoredRows,
} from "../store.js";
import { entryFlowWriter } from "./entry-flow.js";

/** A statement as text and bound values (what a Drizzle SQL renders to). */
export interface Query {
  sql: string;
  params: unknown[];
}

export type IdRows = { id: number; uuid: string }[];

const dialect = new SQLiteSyncDialect();

/** A Drizzle statement as better-sqlite3 runs it. */
export function toQuery(s: SQL): Query {
  const q = dialect.sqlToQuery(s);
  return { sql: q.sql, params: q.params as unknown[] };
}

/** One call on the writer, as it crosses to the writer thread. */
export type WriterCall =
  | { op: "storeRows"; args: [kinds: KindRows[], device?: DeviceReport] }
  | { op: "atomic"; args: [queries: Query[]] };

export interface SqliteWriter {
  /** Stores the rows with their stats, and with `device` the scanner's health, in one transaction. */
  storeRows(kinds: KindRows[], device?: DeviceReport): StoredRows[];
  /** Runs the statements in one transaction and returns each one's rows. */
  atomic(queries: Query[]): IdRows[];
  /**
   * Runs a group of calls in one transaction, each in a savepoint of its own: one commit
   * for all (../../group-commit.ts forms the groups), and a call that fails leaves the
   * others in. Throws only if the commit fails.
   */
  together(calls: WriterCall[]): Settled<unknown>[];
}

/** Rows a call writes: a batch's rows, or a statement each. */
export const rowsOf = (call: WriterCall): number =>
  call.op === "storeRows" ? call.args[0].reduce((n, k) => n + k.rows.length, 0) : call.args[0].length;

export function sqliteWriter(sqlite: Database.Database): SqliteWriter {
  // Drizzle only builds the device-health statements here; they run on this connection.
  const db = drizzle({ client: sqlite, schema }) as unknown as SqliteDb;
  // The statements are a handful of fixed texts: prepared once each, instead of on every
  // call (a tenth of a busy server's CPU when they were not).
  const prepared = new Map<string, Database.Statement>();
  const statement = (text: string) => {
    const known = prepared.get(text);
    if (known) return known;
    const st = sqlite.prepare(text);
    if (prepared.size < 64) prepared.set(text, st);
    return st;
  };

  const entryFlow = entryFlowWriter(statement);

  // In process, a statement per row costs less than taking one JSON parameter apart.
  // run() rather than RETURNING: SQLite's RETURNING costs more per row than the insert.
  const storeKind = (kind: Kind, rows: EncodedRow[], receivedAt: number): StoredRows => {
    const insert = statement(insertRowSql(kind));
    const idOf = statement(idOfUuidSql(kind));
    const stats = statement(statsUpsertSql(kind));
    const ids: number[] = [];
    const fresh: EncodedRow[] = [];
    for (const row of rows) {
      const done = insert.run(row, receivedAt);
      if (done.changes === 1) {
        ids.push(Number(done.lastInsertRowid));
        fresh.push(row);
      } else ids.push(-(idOf.get(row[0]) as { id: number }).id);
    }
    // Only what this transaction stored counts; it commits with the rows or not at all.
    for (const group of countStored(kind, fresh)) stats.run(group);
    entryFlow(kind, fresh, receivedAt);
    return { ids };
  };

  // IMMEDIATE takes the write lock up front, so two processes on one file queue on
  // busy_timeout instead of failing to upgrade a read lock.
  // The scanner's health goes in the rows' transaction: one commit (one fsync) per sync.
  const storeRows = sqlite.transaction((kinds: KindRows[], device?: DeviceReport) => {
    // A revoked token's sync fails here, first, and writes nothing (../../revocations.ts).
    for (const s of guardOf(db, device)) {
      const q = toQuery(s);
      statement(q.sql).run(...q.params);
    }
    // One receive time per transaction, as Postgres's now().
    const receivedAt = Date.now();
    const stored = kinds.map((k) => storeKind(k.kind, k.rows, receivedAt));
    if (device) {
      for (const s of deviceStatements(db, deviceSync(device, fatesOfStored(kinds, stored)))) {
        const q = toQuery(s);
        statement(q.sql).all(...q.params);
      }
    }
    return stored;
  });
  const atomic = sqlite.transaction((queries: Query[]) =>
    queries.map((q) => statement(q.sql).all(...q.params) as IdRows),
  );
  // Nested in a transaction, a transaction function is a savepoint: a call that throws
  // takes back exactly what it wrote.
  const inSavepoint = sqlite.transaction((call: () => unknown) => call());
  const run = (call: WriterCall): unknown =>
    call.op === "storeRows" ? storeRows(...call.args) : atomic(...call.args);

  /**
   * Plain batches (rows without a device report: POST /scans and the like) stored as one:
   * each kind's rows in one pass, one counter upsert per (event, day) for all of them, not
   * one per caller (the same as storing them one after another: a uuid repeated across
   * callers is a duplicate the second time). Null if any of them fails: then each runs
   * on its own, so the failure stays its caller's.
   */
  const storeAsOne = (batches: KindRows[][]): StoredRows[][] | null => {
    const byKind = new Map<Kind, EncodedRow[]>();
    for (const kinds of batches) {
      for (const { kind, rows } of kinds) {
        const all = byKind.get(kind) ?? [];
        byKind.set(kind, all);
        for (const row of rows) all.push(row);
      }
    }
    let stored: Map<Kind, number[]>;
    try {
      const receivedAt = Date.now();
      stored = inSavepoint(
        () => new Map([...byKind].map(([kind, rows]) => [kind, storeKind(kind, rows, receivedAt).ids])),
      ) as Map<Kind, number[]>;
    } catch {
      return null;
    }
    const taken = new Map<Kind, number>();
    return batches.map((kinds) =>
      kinds.map(({ kind, rows }) => {
        const at = taken.get(kind) ?? 0;
        taken.set(kind, at + rows.length);
        return { ids: (stored.get(kind) ?? []).slice(at, at + rows.length) };
      }),
    );
  };

  const together = sqlite.transaction((calls: WriterCall[]) => {
    const results: (Settled<unknown> | undefined)[] = new Array(calls.length);
    const plain = calls.flatMap((c, i) =>
      c.op === "storeRows" && !c.args[1] ? [{ i, kinds: c.args[0] }] : [],
    );
    if (plain.length > 1) {
      const stored = storeAsOne(plain.map((p) => p.kinds));
      plain.forEach((p, j) => {
        if (stored) results[p.i] = { ok: true, value: stored[j] };
      });
    }
    return calls.map((call, i): Settled<unknown> => {
      const done = results[i];
      if (done) return done;
      try {
        return { ok: true, value: inSavepoint(() => run(call)) };
      } catch (error) {
        return { ok: false, error };
      }
    });
  });
  return {
    together: (calls) => together.immediate(calls),
    storeRows: (kinds, device) => storeRows.immediate(kinds, device),
    atomic: (queries) => atomic.immediate(queries),
  };
}
