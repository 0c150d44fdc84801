// better-sqlite3 (Node): the embedded SQLite file of `npm start` and of the tests.
import { existsSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import type { SQL } from "drizzle-orm";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { SQLiteSyncDialect } from "drizzle-orm/sqlite-core";
import * as schema from "../db/sqlite.js";
import type { Kind } from "./kinds.js";
import { migrationsFolder } from "./migrations.js";
import { type KindRows, type SqliteDb, type StoredRows, sqliteStore } from "./sqlite.js";
import { countStored, type EncodedRow, idOfUuidSql, insertRowSql, statsUpsertSql } from "./sqlite-sql.js";
import type { Store } from "./types.js";

export interface BetterSqliteOptions {
  /** File path, or ":memory:". */
  path: string;
  migrate?: boolean;
}

/**
 * Creates the missing directories one level at a time: Node's recursive mkdir spins
 * forever under some paths (e.g. below /proc) instead of failing.
 */
function ensureDir(dir: string): void {
  const missing: string[] = [];
  for (let d = dir; !existsSync(d) && dirname(d) !== d; d = dirname(d)) missing.unshift(d);
  for (const d of missing) mkdirSync(d);
}

export function openBetterSqlite(path: string): Database.Database {
  if (path !== ":memory:") ensureDir(dirname(path));
  const sqlite = new Database(path);
  // WAL lets readers run beside the writer; FULL makes every commit survive power loss,
  // which is what a 201 promises.
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = FULL");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("foreign_keys = ON");
  return sqlite;
}

const dialect = new SQLiteSyncDialect();

export function betterSqliteStore(opts: BetterSqliteOptions): Store {
  const sqlite = openBetterSqlite(opts.path);
  const db = drizzle({ client: sqlite, schema });
  if (opts.migrate !== false) migrate(db, { migrationsFolder: migrationsFolder("sqlite") });
  // The batch statements are a handful of fixed texts with one JSON parameter: prepared
  // once each, instead of on every call as db.all() would (a tenth of a busy server's CPU).
  const prepared = new Map<string, Database.Statement>();
  const all = (statement: SQL) => {
    const q = dialect.sqlToQuery(statement);
    let st = prepared.get(q.sql);
    if (!st) {
      st = sqlite.prepare(q.sql);
      if (prepared.size < 64) prepared.set(q.sql, st);
    }
    return st.all(...(q.params as unknown[])) as never[];
  };
  const transaction = sqlite.transaction((statements: SQL[]) => statements.map(all));

  // In process, a statement per row costs less than taking one JSON parameter apart.
  // run() rather than RETURNING: SQLite's RETURNING costs more per row than the insert.
  const perKind = (kind: Kind) => ({
    insert: sqlite.prepare(insertRowSql(kind)),
    idOf: sqlite.prepare(idOfUuidSql(kind)).pluck(),
    stats: sqlite.prepare(statsUpsertSql(kind)),
  });
  // Prepared on first use: a store opened without migrating may not have the tables yet.
  const rowStatements = new Map<Kind, ReturnType<typeof perKind>>();
  const statementsOf = (kind: Kind) => {
    const s = rowStatements.get(kind) ?? perKind(kind);
    rowStatements.set(kind, s);
    return s;
  };
  const storeRows = sqlite.transaction((kinds: KindRows[]): StoredRows[] =>
    kinds.map(({ kind, rows }) => {
      const { insert, idOf, stats } = statementsOf(kind);
      const stored: StoredRows = { inserted: [], existing: [] };
      const fresh: EncodedRow[] = [];
      for (const row of rows) {
        const uuid = row[0] as string;
        const done = insert.run(...row);
        if (done.changes === 1) {
          stored.inserted.push({ id: Number(done.lastInsertRowid), uuid });
          fresh.push(row);
        } else stored.existing.push({ id: idOf.get(uuid) as number, uuid });
      }
      // Only what this transaction stored counts; it commits with the rows or not at all.
      for (const group of countStored(kind, fresh)) stats.run(...group);
      return stored;
    }),
  );

  return sqliteStore({
    dialect: "sqlite",
    db: db as unknown as SqliteDb,
    async storeRows(kinds) {
      return storeRows.immediate(kinds);
    },
    async atomic(statements) {
      // IMMEDIATE takes the write lock up front, so two processes on one file queue on
      // busy_timeout instead of failing to upgrade a read lock.
      return transaction.immediate(statements);
    },
    async close() {
      sqlite.close();
    },
  });
}
