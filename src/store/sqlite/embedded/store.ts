// better-sqlite3 (Node): the embedded SQLite file of `npm start` and of the tests.
import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { migrationsFolder } from "../../migrations.js";
import type { Store } from "../../types.js";
import * as schema from "../schema.js";
import { type SqliteDb, sqliteStore } from "../store.js";
import { openBetterSqlite } from "./connection.js";
import { startWriterThread } from "./thread.js";
import { type SqliteWriter, sqliteWriter, toQuery } from "./writer.js";

export { openBetterSqlite };

export interface BetterSqliteOptions {
  /** File path, or ":memory:". */
  path: string;
  migrate?: boolean;
  /**
   * "thread" (the default for a file): writes run on a thread of their own, beside the
   * main thread's parsing and validating of the next requests. "inline": on this thread.
   */
  writer?: "thread" | "inline";
}

/** Resolves once the store can write: migrated, and its writer thread (if any) has opened the file. */
export async function betterSqliteStore(opts: BetterSqliteOptions): Promise<Store> {
  const sqlite = openBetterSqlite(opts.path);
  const db = drizzle({ client: sqlite, schema });
  if (opts.migrate !== false) migrate(db, { migrationsFolder: migrationsFolder("sqlite") });
  // Writes on a thread of their own unless asked otherwise; an in-memory database exists
  // only on this connection, so it is written here.
  const inline = opts.writer === "inline" || opts.path === ":memory:";
  const writer = inline ? sqliteWriter(sqlite) : null;
  const thread = inline ? null : startWriterThread(opts.path);
  try {
    await thread?.ready;
  } catch (err) {
    sqlite.close();
    throw err;
  }
  return sqliteStore({
    dialect: "sqlite",
    db: db as unknown as SqliteDb,
    async storeRows(kinds, device) {
      return thread ? thread.storeRows(kinds, device) : (writer as SqliteWriter).storeRows(kinds, device);
    },
    async atomic(statements) {
      const queries = statements.map(toQuery);
      return thread ? thread.atomic(queries) : (writer as SqliteWriter).atomic(queries);
    },
    async close() {
      await thread?.close();
      sqlite.close();
    },
  });
}
