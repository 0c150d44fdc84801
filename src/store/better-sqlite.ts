// better-sqlite3 (Node): the embedded SQLite file of `npm start` and of the tests.
import { existsSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import * as schema from "../db/sqlite.js";
import { migrationsFolder } from "./migrations.js";
import { type SqliteDb, sqliteStore } from "./sqlite.js";
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

export function betterSqliteStore(opts: BetterSqliteOptions): Store {
  const sqlite = openBetterSqlite(opts.path);
  const db = drizzle({ client: sqlite, schema });
  if (opts.migrate !== false) migrate(db, { migrationsFolder: migrationsFolder("sqlite") });
  return sqliteStore({
    dialect: "sqlite",
    db: db as unknown as SqliteDb,
    async atomic(statements) {
      // IMMEDIATE takes the write lock up front, so two processes on one file queue on
      // busy_timeout instead of failing to upgrade a read lock.
      return sqlite.transaction(() => statements.map((s) => db.all(s) as never[])).immediate();
    },
    async close() {
      sqlite.close();
    },
  });
}
