// Opening a better-sqlite3 connection with the server's pragmas: used by the store's main
// connection and by its writer thread (which needs nothing else of the store to start).
import { existsSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";

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
