// Opening a better-sqlite3 connection with the server's pragmas: used by the store's main
// connection and by its writer thread (which needs nothing else of the store to start).
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { ensureDir } from "../../../node/ensure-dir.js";

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

/** SQL texts whose compiled statement a connection keeps: more than the store's queries. */
const KEPT_STATEMENTS = 256;

/**
 * Makes `sqlite.prepare` answer a statement compiled before for the same text. Drizzle
 * prepares every query it runs, and compiling the few statements of a read cost as much
 * CPU as running them (GET /stats/alerts: ~10% of the server's time). A statement that is
 * busy (an iteration open on it) is not shared; one handed out again is back in object
 * mode, whatever the last caller set (Drizzle's mapped selects turn raw mode on).
 */
export function keepPreparedStatements(sqlite: Database.Database): void {
  const compile = sqlite.prepare.bind(sqlite);
  const kept = new Map<string, Database.Statement>();
  sqlite.prepare = ((source: string) => {
    const known = kept.get(source);
    if (known && !known.busy) return known.reader ? known.raw(false) : known;
    const statement = compile(source);
    if (!known) {
      if (kept.size >= KEPT_STATEMENTS) kept.clear();
      kept.set(source, statement);
    }
    return statement;
  }) as typeof sqlite.prepare;
}
