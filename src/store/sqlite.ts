// The SQLite store, shared by better-sqlite3 (Node) and D1 (Workers). Drivers differ only
// in how they run statements atomically (a local transaction vs D1's batch()), which the
// SqliteDriver hides.
import { type SQL, sql } from "drizzle-orm";
import type { BaseSQLiteDatabase } from "drizzle-orm/sqlite-core";
import * as schema from "../db/sqlite.js";
import { firstOfEachUuid, idMap, outcomes } from "./batch.js";
import { KIND_NAMES, KINDS } from "./kinds.js";
import { builderQueries, type QueryDb, type Tables } from "./queries.js";
import { batchStatements, encodeRows } from "./sqlite-sql.js";
import type { BatchOutcome, RecordBatch, Store } from "./types.js";

export type SqliteDb = BaseSQLiteDatabase<"sync" | "async", unknown, typeof schema>;
type IdRow = { id: number; uuid: string };

export interface SqliteDriver {
  readonly dialect: "sqlite" | "d1";
  readonly db: SqliteDb;
  /** Runs the statements in one transaction and returns each one's rows. */
  atomic(statements: SQL[]): Promise<IdRow[][]>;
  close(): Promise<void>;
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

    ...builderQueries(db as unknown as QueryDb, schema as unknown as Tables),

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
