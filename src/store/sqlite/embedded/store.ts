// better-sqlite3 (Node): the embedded SQLite file of `npm start` and of the tests.
import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { withStoreErrors } from "../../errors.js";
import { groupCommit } from "../../group-commit.js";
import { applyMigrations, MIGRATE_HINT, type MigrationLog, migrationsFolder } from "../../migrations.js";
import type { Store } from "../../types.js";
import { classifySqlite } from "../errors.js";
import * as schema from "../schema.js";
import { type SqliteDb, type StoredRows, sqliteStore } from "../store.js";
import { keepPreparedStatements, openBetterSqlite } from "./connection.js";
import { sameFileCheck } from "./same-file.js";
import { startWriterThread } from "./thread.js";
import { type IdRows, rowsOf, sqliteWriter, toQuery, type WriterCall } from "./writer.js";

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
  /** Says what the migrations did (the server's log). */
  log?: MigrationLog;
}

/** Resolves once the store can write: migrated, and its writer thread (if any) has opened the file. */
export async function betterSqliteStore(opts: BetterSqliteOptions): Promise<Store> {
  const sqlite = openBetterSqlite(opts.path);
  const sameFile = sameFileCheck(opts.path);
  keepPreparedStatements(sqlite);
  const db = drizzle({ client: sqlite, schema });
  if (opts.migrate !== false) {
    // Refuses a file a newer version migrated (../../migrations.ts).
    try {
      const migrated = sqlite
        .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'")
        .get();
      const newest = migrated
        ? (
            sqlite.prepare("SELECT max(created_at) AS at FROM __drizzle_migrations").get() as {
              at: number | null;
            }
          ).at
        : null;
      await applyMigrations(
        "sqlite",
        newest === null ? null : Number(newest),
        () => migrate(db, { migrationsFolder: migrationsFolder("sqlite") }),
        opts.log,
      );
    } catch (err) {
      sqlite.close(); // a file that is not a database, or a newer one: not held open
      throw err;
    }
  }
  // Writes on a thread of their own unless asked otherwise; an in-memory database exists
  // only on this connection, so it is written here.
  const inline = opts.writer === "inline" || opts.path === ":memory:";
  const thread = inline ? null : startWriterThread(opts.path);
  try {
    await thread?.ready;
  } catch (err) {
    sqlite.close();
    throw err;
  }
  const writer = inline ? sqliteWriter(sqlite) : null;
  // SQLite has one writer: concurrent writes queue and share commits. With the thread, a
  // group goes as soon as it forms and the thread runs every group waiting for it under
  // one commit (./thread-entry.ts): commits hold more rows than with one group committing
  // and one filling (POST /scans, 32 clients: ~11 -> ~15 rows per commit, about 5% fewer
  // CPU us per request); inline, a group runs synchronously anyway.
  const write = groupCommit<WriterCall, unknown>({
    maxInFlight: thread ? 8 : 1,
    // A drain's batches of 1000 go up to four together (one commit: ~7% faster drains),
    // single records by the thousand; no caller waits long behind the others.
    maxSize: 4000,
    sizeOf: rowsOf,
    run: async (calls) => {
      sameFile.often();
      return thread ? thread.together(calls) : (writer?.together(calls) ?? []);
    },
  });
  const store = sqliteStore({
    dialect: "sqlite",
    db: db as unknown as SqliteDb,
    storeRows: (kinds, device) => write({ op: "storeRows", args: [kinds, device] }) as Promise<StoredRows[]>,
    atomic: (statements) => write({ op: "atomic", args: [statements.map(toQuery)] }) as Promise<IdRows[]>,
    async close() {
      await thread?.close();
      sqlite.close();
    },
  });
  const ping = async () => {
    sameFile.now();
    await store.ping();
  };
  const pressure = async () => ({ writesQueued: write.queued(), writeGroupsInFlight: write.inFlight() });
  return withStoreErrors({ ...store, ping, pressure }, classifySqlite, MIGRATE_HINT);
}
