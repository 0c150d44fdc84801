// D1 (Workers): the SQLite store over the `DB` binding. D1 has no interactive
// transactions; batch() runs its statements in one, which is all the store needs.
import { drizzle } from "drizzle-orm/d1";
import { SQLiteAsyncDialect } from "drizzle-orm/sqlite-core";
import { withStoreErrors } from "../errors.js";
import type { Store } from "../types.js";
import { classifySqlite } from "./errors.js";
import * as schema from "./schema.js";
import { type SqliteDb, type SqliteDriver, sqliteStore, storeRowsWithDevice } from "./store.js";

const dialect = new SQLiteAsyncDialect();

export const D1_MIGRATE_HINT =
  "apply drizzle/sqlite with `npx wrangler d1 migrations apply DB --remote` (`--local` under `wrangler dev`)";

export function d1Store(binding: D1Database): Store {
  const db = drizzle(binding, { schema });
  const atomic: SqliteDriver["atomic"] = async (statements) => {
    if (statements.length === 0) return [];
    // Straight to the binding: Drizzle's D1 batch() cannot bind parameters of raw SQL.
    // Each statement binds one JSON value (./batch-sql.ts), far below D1's 100.
    const prepared = statements.map((s) => {
      const q = dialect.sqlToQuery(s);
      return binding.prepare(q.sql).bind(...q.params);
    });
    const results = await binding.batch<{ id: number; uuid: string }>(prepared);
    return results.map((r) => r.results);
  };
  const sqliteDb = db as unknown as SqliteDb;
  const store = sqliteStore({
    dialect: "d1",
    db: sqliteDb,
    // A D1 batch is fixed before it runs, so rows go as JSON: three statements per kind.
    storeRows: (kinds, device) => storeRowsWithDevice({ atomic, db: sqliteDb }, kinds, device),
    atomic,
    async close() {},
  });
  return withStoreErrors(store, classifySqlite, D1_MIGRATE_HINT);
}
